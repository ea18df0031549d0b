"""Random interop soak: pyfax against spandsp's fax terminal over random lines.

Each call picks a direction (pyfax sends to spandsp, or receives from it), a
modem (V.17, V.29, V.27ter), ECM on or off, 1 to 3 short pages, and a line:
loss 0-15 dB, white noise at -64 to -52 dBm0 and G.711 (mu-law, A-law or none).
``--drift`` adds a frequency offset of up to 5 Hz and a clock offset of up to
50 ppm each way. A call passes when pyfax's result is OK, spandsp's is too
(when it receives) and the pages arrive pixel-exact (with ECM, or whenever
pyfax sends; a non-ECM page through noise may lose a line, as T.4 allows).

``--pyfax-pair`` runs pyfax against pyfax over the same lines instead.
It prints every failure with the seed that replays it, and a summary by
class. This is how the V.17 short-train onset problem was found (see
``LinearModemSpec.tx_onset_silent_samples``); run it after touching a modem
or the T.30 engine.

    .venv/bin/python benchmarks/interop_soak.py [--seconds 300] [--seed 11] [--drift]
"""

from __future__ import annotations

import argparse
import collections
import time
from collections.abc import Callable
from typing import Any

import _tests_path
import numpy as np
from t30_audio import pages_equal, run_call, sample_pages

from pyfax.modem import channel as ch
from pyfax.t30 import Terminal

Stage = Callable[[np.ndarray], np.ndarray]
Line = Callable[[np.ndarray, int], np.ndarray]


def _line(rng: np.random.Generator, drift: bool) -> tuple[Line, str]:
    loss_db = float(rng.uniform(0, 15))
    noise_dbm0 = float(rng.uniform(-64, -52))
    law = str(rng.choice(["ulaw", "alaw", "none"]))
    noise = np.random.default_rng(int(rng.integers(0, 1 << 30)))
    stages: list[list[Stage]] = [[], []]
    desc = f"loss {loss_db:4.1f} dB, noise {noise_dbm0:5.1f} dBm0, {law}"
    if drift:
        hz, ppm = float(rng.uniform(-5, 5)), float(rng.uniform(-50, 50))
        stages = [[ch.FrequencyShifter(hz), ch.ClockDrift(ppm)] for _ in range(2)]
        desc += f", {hz:+.1f} Hz, {ppm:+.0f} ppm"

    def line(x: np.ndarray, direction: int) -> np.ndarray:
        y = ch.gain_db(x, -loss_db)
        for stage in stages[direction]:
            y = stage(y)
        y = ch.awgn(y, None, noise, noise_dbm0=noise_dbm0)
        if law == "ulaw":
            return ch.g711_ulaw_roundtrip(y)
        return ch.g711_alaw_roundtrip(y) if law == "alaw" else y
    return line, desc


def _call(calls: Any, direction: str, pages: list[np.ndarray], ecm: bool, modem: str,
          line: Line) -> str | None:
    """Run one call; None when it passed, else what went wrong."""
    if direction == "pyfax->pyfax":
        tx = Terminal("send", pages, ecm=ecm, modems=(modem,))
        rx = Terminal("receive", ecm=ecm, modems=(modem,))
        run_call(tx, rx, channel=line, limit_s=300)
        ok = (tx.result is not None and tx.result.ok and rx.result is not None
              and rx.result.ok and (pages_equal(rx.received_pages, pages) or not ecm))
        return None if ok else f"sender {tx.result}, receiver {rx.result}"
    if direction == "pyfax->spandsp":
        ours, theirs, got = calls.send_to_spandsp(pages, ecm=ecm, modem=modem, channel=line)
        exact_needed = True
    else:
        ours, theirs = calls.receive_from_spandsp(pages, ecm=ecm, modem=modem, channel=line)
        got, exact_needed = ours.received_pages, ecm
    ok = (ours.result is not None and ours.result.ok and theirs.completion == 0
          and (pages_equal(got, pages) or not exact_needed))
    code = ours.result.code.name if ours.result else "no result"
    return None if ok else f"pyfax {code}, spandsp {theirs.completion} {theirs.completion_text}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=300.0, help="how long to run")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--drift", action="store_true", help="add frequency and clock offsets")
    parser.add_argument("--pyfax-pair", action="store_true",
                        help="pyfax against pyfax instead (the same lines)")
    args = parser.parse_args()
    directions = (["pyfax->pyfax"] if args.pyfax_pair
                  else ["pyfax->spandsp", "spandsp->pyfax"])
    with _tests_path.peers_or_exit():
        import test_t30_spandsp as calls  # the T.30 interop tests' call helpers

        rng = np.random.default_rng(args.seed)
        runs: collections.Counter[str] = collections.Counter()
        fails: collections.Counter[str] = collections.Counter()
        end = time.monotonic() + args.seconds
        while time.monotonic() < end:
            direction = str(rng.choice(directions))
            modem = str(rng.choice(["v17", "v29", "v27ter"]))
            ecm = bool(rng.integers(0, 2))
            seed = int(rng.integers(0, 1 << 30))
            line, desc = _line(np.random.default_rng(seed), args.drift)
            pages = sample_pages(int(rng.integers(1, 4)), rows=int(rng.integers(60, 200)),
                                 seed=seed % 1000)
            key = f"{direction} {modem} {'ECM' if ecm else 'non-ECM'}"
            runs[key] += 1
            failure = _call(calls, direction, pages, ecm, modem, line)
            if failure is not None:
                fails[key] += 1
                print(f"FAIL {key}, {desc}, seed {seed}: {failure}", flush=True)
    total, failed = sum(runs.values()), sum(fails.values())
    print(f"\n{total} calls, {failed} failed ({100 * failed / max(total, 1):.2f} %)")
    for key in sorted(runs):
        print(f"  {key:32s} {runs[key]:5d} calls {fails[key]:4d} failed")


if __name__ == "__main__":
    main()
