"""Pages for the T.4 tests: rendered text, text with graphics, a dithered photo.

All are generated (seeded, by :mod:`pagegen`) at fax fine resolution, 1728 px
wide; the tests take bands of them to stay inside the CPU budget.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray
from pagegen import band, mixed_image, photo_image, text_image


@pytest.fixture(scope="session")
def text_page() -> NDArray[np.bool_]:
    """A band of text, 1728 x 300."""
    return text_image(band(300))


@pytest.fixture(scope="session")
def mixed_page() -> NDArray[np.bool_]:
    """A band of text and graphics, 1728 x 300."""
    return mixed_image(band(300))


@pytest.fixture(scope="session")
def photo_page() -> NDArray[np.bool_]:
    """A band of dithered photo, 1728 x 120."""
    return photo_image(120)
