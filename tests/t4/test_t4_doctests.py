"""The examples in pyfax.t4's docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import pyfax.t4

MODULES = ["pyfax.t4"] + [f"pyfax.t4.{m.name}" for m in pkgutil.iter_modules(pyfax.t4.__path__)]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), verbose=False)
    assert result.failed == 0
