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

import _tests_path
import numpy as np
from numpy.typing import NDArray
from pagegen import A4_FINE, WIDTH_PX, mixed_image, photo_image, text_image
from peers.libtiff import StripFile

from pyfax import t4

ROWS = A4_FINE.rows
PAGES: dict[str, Callable[[], NDArray[np.bool_]]] = {
    "text": lambda: text_image(A4_FINE, seed=1),
    "mixed": lambda: mixed_image(A4_FINE, seed=2),
    "photo": lambda: photo_image(ROWS, seed=3),
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


def bench(name: str, page: NDArray[np.bool_], scheme: str, lib: StripFile, repeats: int) -> None:
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
    with _tests_path.peers_or_exit(), StripFile() as lib:
        print(f"A4 fine {WIDTH_PX}x{ROWS}, median CPU time of {args.repeats} repeats "
              "(decode: fewer)")
        for name in args.pages.split(","):
            page = PAGES[name]()
            for scheme in args.schemes.split(","):
                bench(name, page, scheme, lib, args.repeats)


if __name__ == "__main__":
    main()
