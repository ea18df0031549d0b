"""Lets the benchmarks use the tests' peers and page generators, and end cleanly without a peer.

Importing this module puts ``<repo>/tests`` on ``sys.path`` (as pytest's
``pythonpath`` does), so a benchmark imports ``peers.*`` and ``pagegen`` as
the tests do, and the test folders whose helpers benchmarks share
(``tests/modem``: ``modem_peer_util``; ``tests/t30``: ``t30_audio``).

The peers skip the test (or fail it under ``PYFAX_REQUIRE_PEERS=1``) when
their library is missing; :func:`peers_or_exit` turns that outcome into an
exit with the peer's message instead of a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1] / "tests"
PATHS = (TESTS, TESTS / "modem", TESTS / "t30")


@contextmanager
def peers_or_exit() -> Iterator[None]:
    """Exit with the peer's message when a peer the benchmark needs is missing."""
    try:
        yield
    except (pytest.skip.Exception, pytest.fail.Exception) as exc:
        raise SystemExit(f"{Path(sys.argv[0]).name}: cannot run: {exc.msg}") from None


for _path in PATHS:
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))
