"""Access to the independent reference peers: spandsp, libtiff, poppler.

A test that needs a peer calls :func:`require`; when the peer is missing the
test is skipped with the reason, except when ``PYFAX_REQUIRE_PEERS=1`` (as in
CI), where a missing peer fails the test instead.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from functools import cache

import pytest

REQUIRED = os.environ.get("PYFAX_REQUIRE_PEERS") == "1"

_LIBS = {
    "spandsp": ("libspandsp.so.2", "apt-get install libspandsp2"),
    "libtiff": ("libtiff.so.6", "apt-get install libtiff6"),
}
_TOOLS = {
    "fax2tiff": "apt-get install libtiff-tools",
    "pdftoppm": "apt-get install poppler-utils",
}


def missing(reason: str) -> None:
    """Skip (or, when peers are required, fail) the current test."""
    if REQUIRED:
        pytest.fail(f"required peer missing: {reason}", pytrace=False)
    pytest.skip(reason)


@cache
def _load(soname: str) -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(soname)
    except OSError:
        return None


def available(name: str) -> bool:
    """Whether the peer's shared library loads (never skips or fails)."""
    return _load(_LIBS[name][0]) is not None


def library(name: str) -> ctypes.CDLL:
    """The peer's shared library, loaded once; skips/fails when it is absent."""
    soname, how = _LIBS[name]
    lib = _load(soname)
    if lib is None:
        missing(f"{soname} not found ({how})")
    assert lib is not None
    return lib


def tool(name: str) -> str:
    """Path of a peer's command-line tool; skips/fails when it is absent."""
    path = shutil.which(name)
    if path is None:
        missing(f"{name} not found ({_TOOLS[name]})")
    assert path is not None
    return path
