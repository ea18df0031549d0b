"""Modem speed: pyfax against spandsp, in the same run, as real-time factors.

For each registered modem at its top rate, 60 s of random data bits are
transmitted and received. The real-time factor (RTF) is seconds of audio per
CPU second (``time.process_time``), the median of ``--repeat`` runs. spandsp
runs twice per direction: driven from Python with a ctypes callback per bit
(how a Python program would use it), and with its own BERT generator/checker
as the C callback (spandsp's own speed). Both receivers get the same audio,
spandsp's transmitter output, so their results compare.

Usage (from the repository root)::

    .venv/bin/python benchmarks/modem_bench.py                 # every modem, 60 s
    .venv/bin/python benchmarks/modem_bench.py --modem v17 --seconds 20 --repeat 5

Modems whose classes do not exist yet are skipped with a message.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import _tests_path  # noqa: F401  (puts tests/ on the path for the imports below)
import numpy as np
import peers
from modem_peer_util import transmit
from peers.spandsp_modems import SpandspRx, SpandspTx

from pyfax.errors import ModemError
from pyfax.modem import api

FS = 8000


def cpu_time(fn: Callable[[], object], repeat: int) -> float:
    """Median CPU seconds of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def pyfax_tx(name: str, rate: int, bits: np.ndarray, block: int) -> np.ndarray:
    return transmit(api.transmitter(name, rate), bits, block=block)


def pyfax_rx(name: str, rate: int, audio: np.ndarray, block: int) -> np.ndarray:
    rx = api.receiver(name, rate)
    bits = [rx.rx(audio[i:i + block]).bits for i in range(0, len(audio), block)]
    bits.append(rx.rx(np.zeros(2000, np.int16)).bits)
    return np.concatenate(bits)


def bit_errors(got: np.ndarray, sent: np.ndarray, max_offset: int = 64) -> int:
    """Errors after the best alignment of the first bits, counting missing bits as errors."""
    got = np.asarray(got, np.uint8)
    probe = min(256, sent.size)
    best = min(range(max_offset), key=lambda k: int(np.sum(got[k:k + probe] != sent[:probe]))
               if got[k:k + probe].size == probe else probe)
    n = min(sent.size, got.size - best)
    return int(np.sum(got[best:best + n] != sent[:n])) + (sent.size - max(n, 0))


def bench_modem(name: str, rate: int, seconds: float, repeat: int, block: int) -> None:
    have_spandsp = peers.available("spandsp")
    rng = np.random.default_rng(1)
    bits = rng.integers(0, 2, int(seconds * rate)).astype(np.uint8)
    n_samples = int(seconds * FS)
    rows: list[tuple[str, float, str]] = []
    audio = SpandspTx(name, rate, bits).run_for(n_samples + 10 * FS) if have_spandsp else None
    try:
        t_tx = cpu_time(lambda: pyfax_tx(name, rate, bits, block), repeat)
        ours = pyfax_tx(name, rate, bits, block)
        rows.append(("pyfax tx", len(ours) / FS / t_tx, ""))
    except ModemError as exc:
        print(f"  {name} tx skipped: {exc}")
        ours = None
    if have_spandsp:
        t = cpu_time(lambda: SpandspTx(name, rate, bits).run_for(n_samples), repeat)
        rows.append(("spandsp tx, Python callback", seconds / t, ""))
        t = cpu_time(lambda: SpandspTx(name, rate, bert=True).run_for(n_samples), repeat)
        rows.append(("spandsp tx, C (BERT source)", seconds / t, ""))
    rx_audio = audio if audio is not None else ours
    if rx_audio is not None:
        try:
            t_rx = cpu_time(lambda: pyfax_rx(name, rate, rx_audio, block), repeat)
            errs = bit_errors(pyfax_rx(name, rate, rx_audio, block), bits)
            rows.append(("pyfax rx", len(rx_audio) / FS / t_rx, f"{errs} bit errors"))
        except ModemError as exc:
            print(f"  {name} rx skipped: {exc}")
    if audio is not None:
        cutoff = -39.0 if name == "v21" else -45.5

        def sp_rx(bert: bool) -> SpandspRx:
            r = SpandspRx(name, rate, bert=bert, cutoff_dbm0=cutoff)
            r.feed(audio)
            return r

        t = cpu_time(lambda: sp_rx(False), repeat)
        errs = bit_errors(np.array(sp_rx(False).bits), bits)
        rows.append(("spandsp rx, Python callback", len(audio) / FS / t, f"{errs} bit errors"))
        t = cpu_time(lambda: sp_rx(True), repeat)
        rows.append(("spandsp rx, C (BERT sink)", len(audio) / FS / t, ""))
    report(name, rate, rows)


def report(name: str, rate: int, rows: list[tuple[str, float, str]]) -> None:
    print(f"{name} {rate} bit/s")
    rtf = {label: value for label, value, _ in rows}
    for label, value, note in rows:
        print(f"  {label:30s} {value:10.0f}x real time  {note}")
    for d in ("tx", "rx"):
        ours = rtf.get(f"pyfax {d}")
        if ours is None:
            continue
        bert = "source" if d == "tx" else "sink"
        for ref in (f"spandsp {d}, Python callback", f"spandsp {d}, C (BERT {bert})"):
            if ref in rtf:
                print(f"  ratio pyfax/{ref[8:]:26s} {ours / rtf[ref]:8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--modem", choices=list(api.MODEMS), action="append")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--block", type=int, default=160, help="samples per tx/rx call")
    args = parser.parse_args()
    if not peers.available("spandsp"):
        print("libspandsp.so.2 not found: spandsp columns omitted (apt-get install libspandsp2)")
    print(f"{args.seconds:g} s of audio, block {args.block} samples, median of {args.repeat}")
    for name in args.modem or list(api.MODEMS):
        rate = max(api.MODEMS[name].rates_bps)
        try:
            api.modem_class(name, rate, role="tx")
        except ModemError:
            try:
                api.modem_class(name, rate, role="rx")
            except ModemError as exc:
                print(f"{name}: skipped, not implemented yet ({exc})")
                continue
        bench_modem(name, rate, args.seconds, args.repeat, args.block)


if __name__ == "__main__":
    main()
