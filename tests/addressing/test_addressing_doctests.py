"""The doctests of the addressing modules run and pass."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize("module", ["pyfax.addressing._split", "pyfax.addressing._numbers",
                                    "pyfax.addressing.address"])
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
