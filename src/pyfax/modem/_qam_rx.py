"""The shared receiver of the linear modems (V.27ter, V.29; V.17 plugs in a trellis decider).

How it works:
    carrier detect (power with hysteresis, default cutoff -43 dBm0) ->
    mixing to baseband -> matched filter at T/2-spaced times (``_qam_frontend``)
    -> training acquisition (``_qam_acquire``: find the periodic segment,
    measure carrier offset and symbol timing, align on the known symbols,
    least-squares equaliser = the AGC and the first equaliser) -> tracking,
    block by block of ``block_symbols`` symbols (default 32, 13 ms at 2400 baud):

    * derotate the new T/2 samples by the carrier phase ramp (phase, and
      frequency as phase per sample),
    * equalise with the fractionally spaced equaliser (one matrix product),
    * decide: the rest of the known symbols first, then the ``SymbolDecider``
      hook (slicer and differential decoder, or a trellis decoder),
    * update, once per block and vectorised: the equaliser (normalised LMS
      on the block's errors), the carrier loop (second order, on the mean
      phase error), the symbol timing (second order, Gardner's detector on
      the T/2 samples before the equaliser),
    * descramble the line bits; the ``ones_symbols`` of scrambled ones after
      the known symbols must come out as ones, or training failed.

Status events: CARRIER_UP and CARRIER_DOWN from the detector;
TRAINING_SUCCEEDED when the ones check passes (data bits follow, the first
one exactly after the ones); TRAINING_FAILED, once per carrier, when no
training is found within about twice its length after carrier up, or the
ones check fails. The search goes on after a failure, so a training that
comes later on the same carrier (after noise, a tone, talker-echo
protection) is still received.

Hooks: a modem supplies a ``ModemProfile`` (``_qam_spec``): its spec, its
training plan, its symbol encoder/decider and its scrambler. Nothing else
here is modem-specific.

Several trainings (V.17's long and short train, §2.5): the receiver may look
for any of several profiles of one modem and rate (:meth:`LinearReceiver.expect`,
and ``retrain``: what to expect after a burst that trained). At a found
periodic segment it tries them shortest first, on the same buffered audio:
a shorter training can be the start of a longer one (V.17's short segment 2
is the first 38 symbols of the long one), so a candidate that acquires but
then fails its ones check hands over to the next, and TRAINING_FAILED is
reported only when every candidate has failed. One receiver does it all; no
second receiver runs in parallel.

Determinism: samples are consumed in units fixed by the symbol grid (a block
is processed when all its samples have arrived), so the output never depends
on how the audio was cut into ``rx()`` calls. The receiver never raises on
what it hears; noise, silence and garbage only produce status events.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from pyfax.errors import ModemError
from pyfax.modem._dsp import dbm0_to_rms
from pyfax.modem._qam_acquire import (
    HISTORY_SYMBOLS,
    SCORE_WINDOW,
    START_SCORE,
    acquire,
    acquire_needs_samples,
    periodic_score,
)
from pyfax.modem._qam_frontend import BasebandBuffer, CarrierDetector
from pyfax.modem._qam_spec import ModemProfile, TrainingPlan
from pyfax.modem._qam_track import Tracker
from pyfax.modem.base import Bits, ModemEvent, ModemStatus, RxResult, Samples

__all__ = ["LinearReceiver"]

_SEARCH_CHUNK = 64  # T/2 samples scored per step
_FEED = 4000  # samples appended to the baseband buffer at a time


class _Mode(enum.Enum):
    IDLE = "idle"
    SEARCH = "search"
    ACQUIRE = "acquire"
    TRACK = "track"


class LinearReceiver:
    """A streaming PSK/QAM receiver driven by a :class:`ModemProfile`.

    Args:
        profile: the modem and rate.
        cutoff_dbm0: carrier-detect level (default: the spec's, -43 dBm0).
        block_symbols: symbols per tracking block (loop update interval).
        retrain: the trainings to expect after a burst in which training
            succeeded (V.17: short or long); empty keeps the current ones.

    Raises:
        ModemError: for a bad cutoff or block size, or ``retrain`` profiles
            of another modem or rate.
    """

    def __init__(self, profile: ModemProfile, *, cutoff_dbm0: float | None = None,
                 block_symbols: int = 32, retrain: Sequence[ModemProfile] = ()) -> None:
        if not 1 <= block_symbols <= 256:
            raise ModemError(f"block_symbols {block_symbols} is out of range 1..256")
        self.profile = profile
        self.spec = profile.spec
        self._next = self._candidates([profile])
        self._active = self._next  # the trainings looked for in the current burst
        self._retrain = self._candidates(retrain) if retrain else ()
        self._cand = 0  # index in self._active of the one being tried
        cutoff = self.spec.cutoff_dbm0 if cutoff_dbm0 is None else cutoff_dbm0
        if not -70.0 <= cutoff <= 0.0:
            raise ModemError(f"carrier cutoff {cutoff} dBm0 is outside -70..0 dBm0")
        self._cd = CarrierDetector(cutoff)
        # Matched-filter power per T/2 sample of a signal 10 dB below the cutoff.
        self._min_power = 0.1 * (2.0 * dbm0_to_rms(cutoff) / 32768.0) ** 2
        self._bb = BasebandBuffer(self.spec)
        self._block = block_symbols
        self._half = float(self.spec.samples_per_symbol) / 2.0
        self._n = 0
        self._mode = _Mode.IDLE
        self._events: list[ModemEvent] = []
        self._bits: list[Bits] = []
        self._tracker: Tracker | None = None
        self._failed_reported = False
        self._search_origin = 0.0
        self._search_m = 0
        self._search_hist = np.zeros(0, np.complex128)
        self._search_deadline = 0
        self._acq_start = 0.0

    def expect(self, profiles: Sequence[ModemProfile]) -> None:
        """Look for these trainings from the next carrier up on (any order).

        Raises:
            ModemError: if ``profiles`` is empty or of another modem or rate.
        """
        if not profiles:
            raise ModemError("expect() needs at least one training")
        self._next = self._candidates(profiles)

    def _candidates(self, profiles: Sequence[ModemProfile]) -> tuple[
            tuple[ModemProfile, TrainingPlan], ...]:
        """(profile, plan) pairs, shortest training (known symbols) first."""
        if any(p.spec != self.spec for p in profiles):
            raise ModemError("every training of a receiver must be of the same modem and rate")
        pairs = [(p, p.new_plan()) for p in profiles]
        return tuple(sorted(pairs, key=lambda pair: len(pair[1].known)))

    @property
    def trained(self) -> bool:
        """True while the receiver is trained and delivering data."""
        return self._tracker is not None and self._tracker.trained

    def rx(self, samples: Samples) -> RxResult:
        """Demodulate a block of any length; never raises on noise or garbage."""
        raw = np.asarray(samples)
        if raw.ndim != 1:
            raise ModemError(f"rx() wants a 1-D block of samples, got shape {raw.shape}")
        x = raw.astype(np.float64)
        if raw.dtype != np.int16:  # anything wider may be out of range, NaN or inf
            x = np.clip(np.nan_to_num(x), -32768.0, 32767.0)
        power = self._cd.power(x)
        pos = 0
        while pos < len(x):
            change = self._cd.next_change(power, pos)
            self._feed(x[pos:change])
            if change < len(x):
                self._toggle(self._n)
            pos = change
        bits = np.concatenate(self._bits) if self._bits else np.zeros(0, np.uint8)
        result = RxResult(bits=bits.astype(np.uint8), events=self._events)
        self._bits, self._events = [], []
        return result

    # -- carrier and state machine ------------------------------------------

    def _feed(self, x: NDArray[np.float64]) -> None:
        # Slices of at most _FEED samples keep the buffer small whatever the
        # block size (the output does not depend on the cut).
        for i in range(0, len(x), _FEED):
            self._feed_slice(x[i:i + _FEED])

    def _feed_slice(self, x: NDArray[np.float64]) -> None:
        self._bb.append(x, keep_from=self._keep_from())
        self._n += len(x)
        progressed = True
        while progressed:
            if self._mode is _Mode.SEARCH:
                progressed = self._search()
            elif self._mode is _Mode.ACQUIRE:
                progressed = self._try_acquire()
            elif self._mode is _Mode.TRACK:
                progressed = self._track()
            else:
                progressed = False

    def _keep_from(self) -> int:
        """Oldest sample any later step may read (generous, so never block-size dependent)."""
        margin = 2 * self._bb.n_taps + 16
        if self._mode is _Mode.IDLE:
            return self._n - margin - 64
        if self._mode is _Mode.SEARCH:
            t = self._search_origin + self._half * (self._search_m - SCORE_WINDOW - 80)
            return math.floor(t) - margin
        back = (HISTORY_SYMBOLS + 8) * 2 * self._half
        acquiring = math.floor(self._acq_start - back) - margin
        if self._mode is _Mode.ACQUIRE:
            return acquiring
        assert self._tracker is not None
        tracking = math.floor(self._tracker.t_next) - margin
        if self._tracker.verdict is None and self._cand + 1 < len(self._active):
            return min(tracking, acquiring)  # the next candidate may need it
        return tracking

    def _toggle(self, n: int) -> None:
        if not self._cd.up:
            self._cd.up = True
            self._events.append(ModemEvent(ModemStatus.CARRIER_UP, n))
            self._failed_reported = False
            self._active = self._next
            self._start_search(float(n))
            return
        self._cd.up = False
        if self._tracker is not None and self._tracker.trained:
            self._bits.append(self._tracker.flush())
        self._tracker = None
        self._mode = _Mode.IDLE
        self._events.append(ModemEvent(ModemStatus.CARRIER_DOWN, n))

    def _fail(self, at_sample: float) -> None:
        """Report TRAINING_FAILED (once per carrier) at a time taken from the
        signal, never from how far the caller has fed it."""
        if not self._failed_reported:
            self._failed_reported = True
            self._events.append(ModemEvent(ModemStatus.TRAINING_FAILED, math.floor(at_sample)))

    # -- finding and acquiring the training -------------------------------------

    def _start_search(self, origin: float) -> None:
        self._mode = _Mode.SEARCH
        self._tracker = None
        # Score from a little before carrier up, but never from before the
        # first sample (the matched filter needs n_taps samples of history):
        # a carrier that starts at the receiver's very first sample is scored
        # from its start, not a whole chunk later.
        self._search_origin = max(origin - 4 * self._half,
                                  self._bb.centre + self._bb.n_taps)
        self._search_m = 0
        self._search_hist = np.zeros(0, np.complex128)
        span = max(len(plan.periodic) + len(plan.known) + plan.ones_symbols + 100
                   for _, plan in self._active)
        self._search_deadline = 2 * span

    def _search(self) -> bool:
        """Score the next chunk of T/2 samples; switch to ACQUIRE on a periodic segment."""
        m0 = self._search_m
        times = self._search_origin + self._half * np.arange(m0, m0 + _SEARCH_CHUNK,
                                                             dtype=np.float64)
        if times[-1] > self._bb.latest_time():
            return False
        if times[0] - self._bb.centre - self._bb.n_taps < self._bb.base:
            self._search_m += _SEARCH_CHUNK  # history dropped: skip ahead
            return True
        hist = np.concatenate([self._search_hist, self._bb.at(times)])
        first_m = m0 + _SEARCH_CHUNK - len(hist)
        scores = (periodic_score(hist, self._min_power) if len(hist) > SCORE_WINDOW + 4
                  else np.zeros(0))
        hits = np.flatnonzero(scores >= START_SCORE)
        self._search_m = m0 + _SEARCH_CHUNK
        self._search_hist = hist[-(SCORE_WINDOW + 4):]
        if hits.size:
            self._acq_start = self._search_origin + self._half * (first_m + int(hits[0]))
            self._cand = 0
            self._mode = _Mode.ACQUIRE
        elif self._search_m > self._search_deadline:
            self._fail(float(times[-1]))
        return True

    def _try_acquire(self) -> bool:
        profile, plan = self._active[self._cand]
        need = self._acq_start + acquire_needs_samples(self.spec, plan)
        if self._bb.latest_time() < need:
            return False
        acq = acquire(self._bb, self._acq_start, self.spec, plan)
        if acq is not None:
            self._tracker = Tracker(profile, plan, acq, self._bb, self._block)
            self._mode = _Mode.TRACK
        elif not self._next_candidate():
            # Not the training after all (a tone's tail, a partial segment):
            # look again a little later; the search deadline reports failure.
            self._resume_search(self._acq_start + self._half * SCORE_WINDOW)  # 16 symbols on
        return True

    def _next_candidate(self) -> bool:
        """Try the next (longer) training on the same periodic segment, if any."""
        if self._cand + 1 >= len(self._active):
            return False
        self._cand += 1
        self._tracker = None
        self._mode = _Mode.ACQUIRE
        return True

    def _resume_search(self, at_sample: float) -> None:
        deadline = self._search_deadline
        origin = self._search_origin
        self._start_search(at_sample)
        # Keep the deadline counted from carrier up.
        self._search_deadline = deadline - round((self._search_origin - origin) / self._half)

    # -- tracking -------------------------------------------------------------

    def _track(self) -> bool:
        tracker = self._tracker
        assert tracker is not None
        bits = tracker.step()
        if bits is None:
            return False
        was_trained = tracker.trained
        if tracker.verdict is not None and not tracker.reported:
            tracker.reported = True
            if tracker.verdict:
                self._events.append(ModemEvent(ModemStatus.TRAINING_SUCCEEDED,
                                               math.floor(tracker.t_next)))
                self._next = self._retrain or self._next
            elif self._next_candidate():
                return True
            else:
                self._fail(tracker.t_next)
                self._resume_search(tracker.t_next)
                return True
        if was_trained and len(bits):
            self._bits.append(bits)
        return True

