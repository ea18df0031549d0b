"""Bit error rate against SNR for pyfax's and spandsp's receivers on the same audio.

For each modem and rate, random data bits are transmitted once (by pyfax's
transmitter, or spandsp's with ``--tx spandsp``), then for each SNR the same
white Gaussian noise (seeded) is added, optionally after a G.711 round trip,
and both receivers demodulate that same audio. SNR is the signal's measured
power over the burst against the noise power in the full 0-4 kHz band. By
default the noise covers the burst only: spandsp's synchronous receivers never
train once noise above their carrier cutoff has raised carrier detect before
the burst (``--noise-outside-burst`` shows that). The
table gives each receiver's BER (bit errors, counting lost bits, over the bits
sent); "0" means no error in all the bits, so a BER of 1e-5 needs
``--bits`` >= 100000 to be seen.

Usage (from the repository root)::

    .venv/bin/python benchmarks/modem_ber.py --modem v21 --snr 4:14:1
    .venv/bin/python benchmarks/modem_ber.py --modem v17 --rate 14400 --bits 100000 --snr 16:24:1

Modems whose classes do not exist yet are skipped with a message.
"""

from __future__ import annotations

import argparse

import _tests_path  # noqa: F401  (puts tests/ on the path for the imports below)
import numpy as np
import peers
from modem_bench import bit_errors
from peers.spandsp_modems import SpandspRx, SpandspTx

from pyfax.errors import ModemError
from pyfax.modem import api, channel
from pyfax.modem._dsp import power_dbm0

FS = 8000
LEAD = np.zeros(800, np.int16)  # noise-only lead-in, as on a line before a burst
DEFAULT_SNR_DB = {"v21": (2, 14), "v27ter": (6, 20), "v29": (10, 26), "v17": (10, 28)}


def transmit(name: str, rate: int, bits: np.ndarray, tx: str) -> np.ndarray:
    """The clean burst from pyfax's or spandsp's transmitter, with silence around it."""
    if tx == "pyfax":
        audio = api.modulate(name, rate, bits)
    else:
        if not peers.available("spandsp"):
            raise ModemError("spandsp is not installed")
        audio = SpandspTx(name, rate, bits).run_for(int((bits.size / rate + 10) * FS))
    return np.concatenate([LEAD, audio, np.zeros(1600, np.int16)])


def impair(clean: np.ndarray, snr_db: float, g711: str | None, seed: int,
           *, noise_outside_burst: bool = False) -> np.ndarray:
    """Noise over the burst only (spandsp's receivers cannot train once noise above their
    cutoff has raised carrier detect), or over everything with ``noise_outside_burst``."""
    active = np.flatnonzero(clean)
    if active.size == 0:
        return clean
    first, last = (0, clean.size - 1) if noise_outside_burst else (active[0], active[-1])
    burst_dbm0 = power_dbm0(clean[active[0]:active[-1] + 1])
    noisy = clean.copy()
    noisy[first:last + 1] = channel.awgn(clean[first:last + 1], None, np.random.default_rng(seed),
                                         noise_dbm0=burst_dbm0 - snr_db)
    if g711 == "ulaw":
        return channel.g711_ulaw_roundtrip(noisy)
    if g711 == "alaw":
        return channel.g711_alaw_roundtrip(noisy)
    return noisy


def spandsp_bits(name: str, rate: int, audio: np.ndarray) -> np.ndarray | None:
    if not peers.available("spandsp"):
        return None
    rx = SpandspRx(name, rate, cutoff_dbm0=-39.0 if name == "v21" else -45.5)
    return rx.run(audio, tail_samples=0)


def ber_row(name: str, rate: int, bits: np.ndarray, clean: np.ndarray, snr_db: float,
            g711: str | None, noise_outside_burst: bool) -> tuple[float, float | None]:
    audio = impair(clean, snr_db, g711, seed=int(snr_db * 10) + 7,
                   noise_outside_burst=noise_outside_burst)
    ours = bit_errors(api.demodulate(name, rate, audio), bits) / bits.size
    theirs_bits = spandsp_bits(name, rate, audio)
    theirs = None if theirs_bits is None else bit_errors(theirs_bits, bits) / bits.size
    return ours, theirs


def fmt(ber: float | None) -> str:
    if ber is None:
        return "-"
    return "0" if ber == 0 else f"{ber:.1e}"


def run(name: str, rate: int, n_bits: int, snrs: list[float], tx: str, g711: str | None,
        noise_outside_burst: bool) -> None:
    bits = np.random.default_rng(rate).integers(0, 2, n_bits).astype(np.uint8)
    try:
        api.modem_class(name, rate, role="rx")
        clean = transmit(name, rate, bits, tx)
    except ModemError as exc:
        print(f"{name} {rate}: skipped, not implemented yet ({exc})")
        return
    where = "everywhere" if noise_outside_burst else "over the burst"
    print(f"\n{name} {rate} bit/s, {n_bits} bits, tx {tx}, G.711 {g711 or 'none'}, noise {where}")
    print(f"  {'SNR dB':>6}  {'pyfax BER':>10}  {'spandsp BER':>11}")
    for snr in snrs:
        ours, theirs = ber_row(name, rate, bits, clean, snr, g711, noise_outside_burst)
        print(f"  {snr:6.1f}  {fmt(ours):>10}  {fmt(theirs):>11}", flush=True)


def parse_snrs(spec: str | None, name: str) -> list[float]:
    if spec is None:
        lo, hi = DEFAULT_SNR_DB[name]
        return [float(s) for s in range(lo, hi + 1, 2)]
    lo_s, hi_s, step_s = [*spec.split(":"), "1"][:3]
    return [float(s) for s in np.arange(float(lo_s), float(hi_s) + 1e-9, float(step_s))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--modem", choices=list(api.MODEMS), action="append")
    parser.add_argument("--rate", type=int, action="append", help="default: every rate")
    parser.add_argument("--bits", type=int, default=20000)
    parser.add_argument("--snr", help="lo:hi[:step] in dB (default per modem)")
    parser.add_argument("--tx", choices=["pyfax", "spandsp"], default="pyfax")
    parser.add_argument("--g711", choices=["ulaw", "alaw"])
    parser.add_argument("--noise-outside-burst", action="store_true",
                        help="also put noise on the silence around the burst")
    args = parser.parse_args()
    for name in args.modem or list(api.MODEMS):
        for rate in api.MODEMS[name].rates_bps:
            if args.rate and rate not in args.rate:
                continue
            run(name, rate, args.bits, parse_snrs(args.snr, name), args.tx, args.g711,
                args.noise_outside_burst)


if __name__ == "__main__":
    main()
