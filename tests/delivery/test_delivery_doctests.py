"""The doctests of the delivery and lines modules (pytest only collects tests/)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["pyfax.delivery.clock", "pyfax.delivery.policy", "pyfax.delivery.worker",
           "pyfax.delivery.render", "pyfax.lines.impairments", "pyfax.lines.spec"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
