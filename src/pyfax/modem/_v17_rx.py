"""V.17 receiver (ITU-T V.17 §2; training §2.5 and Table 3; trellis §2.3).

How it works: the demodulation itself is the shared linear-modem receiver
(:class:`~pyfax.modem._qam_rx.LinearReceiver`: carrier detect, matched
filter, timing, equaliser, carrier loop) with the V.17 profile
(:mod:`pyfax.modem._v17_profile`: training plan, trellis decider, Viterbi).
What V.17 adds is the choice of training per burst (§2.5, and T.30's use of
it): after a successful long train, the next burst normally brings a short
train (segment 2 of 38 symbols, no bridge), which a receiver expecting a long
one would miss. So this class runs one inner receiver per burst and per
candidate training:

* it mirrors the inner receivers' carrier detector on the samples, so it
  knows where each burst ends and starts the next burst's receivers exactly
  there (the output never depends on how the audio was cut into blocks);
* for a burst that should bring a short train, it also runs a long-train
  receiver in parallel until one of them trains (the short one is decided
  ~0.15 s in, the long one ~1.4 s in), so a long train that comes instead is
  followed, not lost;
* events are merged: one CARRIER_UP and one CARRIER_DOWN per burst, the
  first TRAINING_SUCCEEDED (its receiver then delivers the bits), and
  TRAINING_FAILED once every candidate has failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pyfax.errors import ModemError
from pyfax.modem._qam_frontend import CarrierDetector
from pyfax.modem._qam_rx import LinearReceiver
from pyfax.modem._qam_spec import ModemProfile
from pyfax.modem._v17_profile import v17_profile
from pyfax.modem._v17_tables import BITS_PER_SYMBOL
from pyfax.modem.base import Bits, ModemEvent, ModemStatus, RxResult, Samples

__all__ = ["V17Receiver"]

_DEFAULT_CUTOFF_DBM0 = -43.0


@dataclass(slots=True)
class _Candidate:
    """One inner receiver for the current burst, expecting one kind of train."""

    short: bool
    receiver: LinearReceiver
    failed_at: int | None = None
    events: list[ModemEvent] = field(default_factory=list)


class V17Receiver:
    """A streaming V.17 demodulator.

    Args:
        bit_rate: 7200, 9600, 12000 or 14400 bit/s.
        short_train: expect a short train on the first burst. After every
            successful train the receiver expects a short train next, as in
            T.30 (and spandsp); :meth:`restart` overrides that. A long train
            that comes when a short one was expected is recognised.
        cutoff_dbm0: carrier-detect level.

    Raises:
        ModemError: for an unsupported rate or cutoff.
    """

    def __init__(self, bit_rate: int, *, short_train: bool = False,
                 cutoff_dbm0: float = _DEFAULT_CUTOFF_DBM0) -> None:
        if bit_rate not in BITS_PER_SYMBOL:
            raise ModemError(f"V.17 has no {bit_rate} bit/s mode (7200/9600/12000/14400)")
        self.bit_rate = bit_rate
        self._cutoff = cutoff_dbm0
        self._profiles: dict[bool, ModemProfile] = {
            False: v17_profile(bit_rate), True: v17_profile(bit_rate, short=True)}
        self._detector = CarrierDetector(cutoff_dbm0)
        self._expect_short = short_train
        self._n = 0  # samples received
        self._new_burst(0)

    def restart(self, *, short_train: bool) -> None:
        """Expect a long (or short) train on the next burst (the current burst,
        if carrier is down now)."""
        self._expect_short = short_train
        if not self._detector.up:
            self._new_burst(self._n)

    def rx(self, samples: Samples) -> RxResult:
        """Demodulate a block of any length; never raises on noise or garbage."""
        raw = np.asarray(samples).reshape(-1)
        x = raw if raw.dtype == np.int16 else np.clip(raw, -32768, 32767).astype(np.int16)
        power = self._detector.power(x.astype(np.float64))
        out = RxResult()
        bits: list[Bits] = []
        pos = 0
        while pos < x.size:
            change = self._detector.next_change(power, pos)
            end = min(change + 1, x.size)  # the inner receivers toggle on that sample
            self._feed(x[pos:end], bits, out.events)
            if change < x.size:
                self._detector.up = not self._detector.up
                if not self._detector.up:
                    self._end_burst(self._n + end)
            pos = end
        self._n += x.size
        if bits:
            out.bits = np.concatenate(bits).astype(np.uint8)
        return out

    # --- bursts ----------------------------------------------------------------

    def _new_burst(self, start: int) -> None:
        kinds = [True, False] if self._expect_short else [False]
        self._base = start
        self._candidates = [
            _Candidate(k, LinearReceiver(self._profiles[k], cutoff_dbm0=self._cutoff))
            for k in kinds]
        self._winner: _Candidate | None = None
        self._up_reported = False
        self._down_reported = False
        self._failed_reported = False

    def _end_burst(self, next_start: int) -> None:
        """The burst is over: the next one gets fresh receivers from ``next_start``."""
        if self._winner is not None:
            self._expect_short = True
        self._new_burst(next_start)

    def _feed(self, x: Samples, bits: list[Bits], events: list[ModemEvent]) -> None:
        results = []
        for cand in self._candidates:
            res = cand.receiver.rx(x)
            cand.events = [ModemEvent(e.status, e.sample_index + self._base)
                           for e in res.events]
            results.append((cand, res.bits))
        if self._winner is None:
            self._winner = self._first_trained()
        for cand, got in results:
            if cand is self._winner and got.size:
                bits.append(got)
        self._merge(events)

    def _first_trained(self) -> _Candidate | None:
        """The candidate that trained first (by sample index), if any did."""
        best: tuple[int, _Candidate] | None = None
        for cand in self._candidates:
            for e in cand.events:
                if e.status is ModemStatus.TRAINING_SUCCEEDED and (
                        best is None or e.sample_index < best[0]):
                    best = (e.sample_index, cand)
        return None if best is None else best[1]

    def _merge(self, events: list[ModemEvent]) -> None:
        """Report the candidates' events as those of one receiver."""
        if self._winner is not None:
            self._candidates = [self._winner]
        merged: list[ModemEvent] = []
        for cand in self._candidates:
            for e in cand.events:
                if e.status is ModemStatus.TRAINING_FAILED:
                    cand.failed_at = e.sample_index
                elif e.status is ModemStatus.TRAINING_SUCCEEDED:
                    if cand is self._winner:
                        merged.append(e)
                elif e.status is ModemStatus.CARRIER_UP and not self._up_reported:
                    self._up_reported = True
                    merged.append(e)
                elif e.status is ModemStatus.CARRIER_DOWN and not self._down_reported:
                    self._down_reported = True
                    merged.append(e)
            cand.events = []
        fails = [c.failed_at for c in self._candidates]
        if (self._winner is None and not self._failed_reported
                and all(f is not None for f in fails)):
            self._failed_reported = True
            merged.append(ModemEvent(ModemStatus.TRAINING_FAILED,
                                     max(f for f in fails if f is not None)))
        events.extend(sorted(merged, key=lambda e: e.sample_index))
