"""PackedImage: bilevel pages one bit per pixel, exactly the same pixels back."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyfax.t4.packed import PackedImage


@settings(max_examples=60, deadline=None)
@given(rows=st.integers(0, 40), width=st.integers(1, 100), seed=st.integers(0, 2**32 - 1))
def test_round_trip_any_shape(rows: int, width: int, seed: int) -> None:
    image = np.random.default_rng(seed).random((rows, width)) < 0.3
    packed = PackedImage.pack(image)
    back = packed.unpack()
    assert packed.shape == image.shape and back.dtype == np.bool_
    assert np.array_equal(back, image)
    assert packed.nbytes == rows * -(-width // 8)
    assert packed.to_bytes() == np.packbits(image, axis=None).tobytes()


def test_an_eighth_of_the_memory_and_a_fresh_array_each_time() -> None:
    image = np.zeros((2287, 1728), dtype=np.bool_)
    image[100:200, 300:900] = True
    packed = PackedImage.pack(image)
    assert packed.nbytes * 8 == image.nbytes
    first = packed.unpack()
    first[:] = False  # a caller scribbling on its copy changes nothing stored
    assert np.array_equal(packed.unpack(), image)
    assert PackedImage.pack(image.astype(np.uint8)).to_bytes() == packed.to_bytes()


@pytest.mark.parametrize("bad", [np.zeros(8, dtype=np.bool_), np.zeros((2, 2, 2), np.bool_)])
def test_pack_refuses_what_is_not_a_page(bad: np.ndarray) -> None:
    with pytest.raises(ValueError):
        PackedImage.pack(bad)


def test_rows_must_hold_the_width() -> None:
    with pytest.raises(ValueError):
        PackedImage(np.zeros((3, 2), dtype=np.uint8), 17)
    with pytest.raises(ValueError):
        PackedImage(np.zeros((3, 3), dtype=np.int16), 17)  # type: ignore[arg-type]
    assert PackedImage(np.zeros((3, 3), dtype=np.uint8), 17).unpack().shape == (3, 17)
