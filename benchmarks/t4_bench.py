"""Benchmark: pyfax.t4 against libtiff (ctypes, same run) on A4 fine pages.

Pages are 1728 x 2287 (A4 at 204 x 196 dpi): text, text with graphics, and a
dithered photo. For each page and scheme it prints pages per second for
encoding and decoding, pyfax and libtiff, and the ratio pyfax/libtiff; each
figure is the median CPU time (process_time) of several timed repeats. MR uses K = 4 on both sides
(libtiff's choice at 196 dpi).

Run: .venv/bin/python benchmarks/t4_bench.py [--repeats N] [--pages text,mixed,photo]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
from _libtiff import LibTiff
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

from pyfax import t4

WIDTH_PX, ROWS = 1728, 2287
_WORDS = [
    "fax",
    "modem",
    "page",
    "line",
    "coding",
    "huffman",
    "run",
    "length",
    "reference",
    "pass",
    "vertical",
    "horizontal",
    "mode",
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "for",
    "with",
    "on",
    "as",
    "by",
    "at",
    "from",
    "resolution",
]


def text_page(seed: int = 1, size: int = 22) -> NDArray[np.bool_]:
    rng = np.random.default_rng(seed)
    image = Image.new("L", (WIDTH_PX, ROWS), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=size)
    for y in range(120, ROWS - 120, int(size * 1.5)):
        draw.text((100, y), " ".join(rng.choice(_WORDS, 14)).capitalize() + ".", fill=0, font=font)
    return np.asarray(image) < 128


def mixed_page() -> NDArray[np.bool_]:
    image = Image.fromarray(~text_page(seed=2))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, WIDTH_PX - 40, ROWS - 40), outline=0, width=3)
    for i in range(8):
        x = 200 + i * 160
        draw.rectangle((x, 1200, x + 90, 1300 + 60 * i), fill=0)
        draw.line((x, 200, x + 400, 1100), fill=0, width=2)
    draw.ellipse((1100, 1700, 1600, 2150), outline=0, width=6)
    return ~np.asarray(image.convert("1"), dtype=bool)


def photo_page(seed: int = 3) -> NDArray[np.bool_]:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:ROWS, 0:WIDTH_PX].astype(float)
    grey = 128 + 60 * np.sin(x / 97.0) * np.cos(y / 71.0) + 50 * np.sin((x + y) / 240.0)
    grey += rng.normal(0, 12, grey.shape)
    image = Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)).convert("1")
    return ~np.asarray(image, dtype=bool)


PAGES: dict[str, Callable[[], NDArray[np.bool_]]] = {
    "text": text_page,
    "mixed": mixed_page,
    "photo": photo_page,
}


def median_s(fn: Callable[[], object], repeats: int) -> float:
    """Median CPU time of ``fn`` (this process, user + system), after a warm-up.

    CPU time rather than wall time: the machine is shared, and waiting for a
    core is nobody's cost. libtiff runs in this process too (ctypes).
    """
    fn()
    times = []
    for _ in range(repeats):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def bench(name: str, page: NDArray[np.bool_], scheme: str, lib: LibTiff, repeats: int) -> None:
    packed = np.ascontiguousarray(np.packbits(page, axis=1))
    data = t4.encode(page, scheme, k=4)
    assert np.array_equal(t4.decode(data, WIDTH_PX, scheme), page)
    enc_py = median_s(lambda: t4.encode(page, scheme, k=4), repeats)
    enc_c = median_s(lambda: lib.encode(packed, WIDTH_PX, scheme), repeats)
    dec_py = median_s(
        lambda: t4.decode(data, WIDTH_PX, scheme), max(3, repeats // (3 if name != "photo" else 10))
    )
    lib.store_raw(data, WIDTH_PX, ROWS, scheme)
    out = np.empty_like(packed)
    dec_c = median_s(lambda: lib.decode(out), repeats)
    assert np.array_equal(out, packed)
    print(
        f"{name:6} {scheme:4} {len(data) / 1024:7.1f} KiB | "
        f"encode pyfax {1 / enc_py:7.1f} p/s  libtiff {1 / enc_c:7.1f} p/s  "
        f"ratio {enc_c / enc_py:5.3f} | "
        f"decode pyfax {1 / dec_py:6.1f} p/s  libtiff {1 / dec_c:7.1f} p/s  "
        f"ratio {dec_c / dec_py:5.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--pages", default="text,mixed,photo")
    parser.add_argument("--schemes", default="MH,MR,MMR")
    args = parser.parse_args()
    lib = LibTiff()
    print(f"A4 fine {WIDTH_PX}x{ROWS}, median CPU time of {args.repeats} repeats (decode: fewer)")
    for name in args.pages.split(","):
        page = PAGES[name]()
        for scheme in args.schemes.split(","):
            bench(name, page, scheme, lib, args.repeats)


if __name__ == "__main__":
    main()
