"""Changing elements (T.4 clause 4.2.1.3.1) found from packed rows, and rendered back."""

from __future__ import annotations

import numpy as np
import pytest

from pyfax.t4._changes import find_changes, render


@pytest.mark.parametrize("width", [1, 7, 8, 63, 64, 65, 1728, 2592, 5200])
@pytest.mark.parametrize("density", [0.0, 0.02, 0.5, 1.0])
def test_changes_match_a_pixel_by_pixel_scan(width: int, density: float) -> None:
    rng = np.random.default_rng(width)
    page = rng.random((9, width)) < density
    changes = find_changes(page)
    for row in range(page.shape[0]):
        line = np.concatenate(([False], page[row]))
        expected = np.flatnonzero(line[1:] != line[:-1])
        got = changes.positions[changes.offsets[row] : changes.offsets[row + 1]]
        assert got.tolist() == expected.tolist()
    assert np.array_equal(render(changes), page)
