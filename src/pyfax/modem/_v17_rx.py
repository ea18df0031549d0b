"""V.17 receiver (ITU-T V.17 §2, training per §2.5 / Table 3, trellis per §2.3).

How it works, per burst:

* Carrier detect, mixing to baseband and the matched filter are the shared
  front end (:mod:`pyfax.modem._qam_frontend`); the matched filter is
  evaluated at any real time, which is how symbol timing is applied.
* Samples are taken at T/2 in blocks of 16 symbols (32 during data, where
  the per-block numpy work is the larger cost). Each block: a Gardner
  timing error (averaged over the block) steers the sampling instants and
  the sampling rate (±100 ppm clocks), the coarse carrier is removed with a
  phase ramp, and a 25-tap T/2 equaliser is applied with one product.
* Per symbol (:mod:`pyfax.modem._v17_rx_loops`): a phase-locked loop on the
  known training symbols, then on hard decisions. The equaliser is updated
  once per block from the errors (block LMS).
* Training (long): segment 1 (ABAB) gives AGC, timing and the carrier
  frequency (from the phase turn over two symbols); the 180-degree reversal
  into segment 2 (which starts C D C D) fixes the symbol count and phase;
  segments 2 and 3 train the equaliser on known symbols. A short train
  (segment 2 of 38 symbols, no segment 3) keeps the equaliser and carrier
  frequency of the last long train. After a successful train the next burst
  is expected to be short, as in T.30 (and spandsp).
* Data: segment 4 and the data go through the trellis data path
  (:mod:`pyfax.modem._v17_rx_data`: Viterbi, differential decoding,
  descrambling). Segment 4 must decode to ones: that is the test that reports
  TRAINING_SUCCEEDED; data bits follow.
"""

from __future__ import annotations

import enum
import math

import numpy as np
from numpy.typing import NDArray

from pyfax.errors import ModemError
from pyfax.modem._qam_frontend import BasebandBuffer, CarrierDetector
from pyfax.modem._qam_spec import LinearModemSpec
from pyfax.modem._v17_rx_data import DataPath
from pyfax.modem._v17_rx_loops import LoopState, SliceGrid, track_data, track_known
from pyfax.modem._v17_tables import BITS_PER_SYMBOL, CONSTELLATIONS
from pyfax.modem._v17_training import Training, make_training
from pyfax.modem.base import Bits, ModemEvent, ModemStatus, RxResult, Samples

__all__ = ["V17Receiver"]

_BLOCK = 16  # symbols per block while training
_DATA_BLOCK = 32  # symbols per block during data
_EQ_TAPS = 25  # T/2 taps; the centre tap sits on a symbol centre
_EQ_CENTRE = 12
_HALF = 5.0 / 3.0  # samples per half symbol at 8000 Hz, 2400 baud
_AGC_SYMBOLS = 16  # symbols skipped, then measured, at carrier up
_FREQ_FROM = 80  # first symbol used for the frequency estimate
_REVERSAL_FROM = 80  # first symbol where the reversal into segment 2 is accepted
_COHERENT_MIN = 24  # ABAB symbols needed before the reversal counts
_ACQUIRE_LIMIT = 400  # symbols without a reversal before training fails
_FAST_EQ_SYMBOLS = 1200
_MEAN_POWER = 40.0
_LOST_POWER = _MEAN_POWER / 16.0  # 12 dB below the trained level
_ROWS = {nb: 2 * np.arange(nb)[:, None] + np.arange(_EQ_TAPS)[None, :]
         for nb in (_BLOCK, _DATA_BLOCK)}  # equaliser input rows, by block size
_TIMING_GAIN = {"acquire": (0.6, 0.0), "train": (0.15, 0.0005), "data": (0.04, 0.0001)}


def _power(x: NDArray[np.complex128]) -> float:
    """Mean squared magnitude (a fast ``np.mean(np.abs(x) ** 2)``)."""
    return float(np.vdot(x, x).real) / max(x.size, 1)


class _Stage(enum.Enum):
    IDLE = "idle"
    ACQUIRE = "acquire"
    TRAIN = "train"
    DATA = "data"
    PARKED = "parked"


class V17Receiver:
    """A streaming V.17 demodulator.

    Args:
        bit_rate: 7200, 9600, 12000 or 14400 bit/s.
        short_train: expect a short train on the first burst (a new receiver
            then starts from a flat equaliser). After each successful train
            the receiver expects a short train next; ``restart`` overrides.
            A long train that arrives instead is recognised and followed.
        cutoff_dbm0: carrier-detect level.

    Raises:
        ModemError: for an unsupported rate.
    """

    def __init__(self, bit_rate: int, *, short_train: bool = False,
                 cutoff_dbm0: float = -43.0) -> None:
        if bit_rate not in BITS_PER_SYMBOL:
            raise ModemError(f"V.17 has no {bit_rate} bit/s mode (7200/9600/12000/14400)")
        self.bit_rate = bit_rate
        self._bps = BITS_PER_SYMBOL[bit_rate]
        spec = LinearModemSpec(
            name="V.17", bit_rate_bps=bit_rate, carrier_hz=1800, baud=2400,
            bits_per_symbol=self._bps, rolloff=0.25, tx_span_symbols=9, rx_span_symbols=8,
            mean_symbol_power=_MEAN_POWER, eq_taps=_EQ_TAPS, cutoff_dbm0=cutoff_dbm0)
        self._det = CarrierDetector(cutoff_dbm0)
        self._buf = BasebandBuffer(spec)
        points = CONSTELLATIONS[bit_rate]
        self._grid = SliceGrid(points)
        self._d2_min = float(np.min(np.abs(points[1:] - points[0])) ** 2)
        self._path = DataPath(bit_rate)
        self._stage = _Stage.IDLE
        self._expect_short = short_train
        self._eq = self._identity_eq()
        self._omega = 0.0  # coarse carrier correction, radians per symbol
        self._step = _HALF
        # equaliser, carrier and clock of the last long train, for short trains
        self._saved = (self._eq.copy(), self._omega, self._step)
        self._n_in = 0
        self._bits: list[Bits] = []
        self._events: list[ModemEvent] = []
        self._start_burst(0)
        self._stage = _Stage.IDLE

    # --- public API ----------------------------------------------------------

    def restart(self, *, short_train: bool) -> None:
        """Expect a long (or short) train on the next burst."""
        self._expect_short = short_train

    def rx(self, samples: Samples) -> RxResult:
        """Demodulate a block of any length; never raises on noise or garbage."""
        x = np.asarray(samples, dtype=np.float64).reshape(-1)
        n0 = self._n_in
        power = self._det.power(x)
        self._buf.append(x, keep_from=self._keep_from())
        self._n_in += x.size
        pos = 0
        while pos < x.size:
            change = self._det.next_change(power, pos)
            if not self._det.up:
                if change >= x.size:
                    break
                self._det.up = True
                self._event(ModemStatus.CARRIER_UP, n0 + change)
                self._start_burst(n0 + change)
            else:
                limit = n0 + change if change < x.size else self._buf.end
                self._run_blocks(limit)
                if change >= x.size:
                    break
                self._det.up = False
                self._end_burst(n0 + change)
            pos = change
        bits = np.concatenate(self._bits) if self._bits else np.zeros(0, np.uint8)
        out = RxResult(bits.astype(np.uint8), self._events)
        self._bits, self._events = [], []
        return out

    # --- bursts --------------------------------------------------------------

    def _identity_eq(self) -> NDArray[np.complex128]:
        eq = np.zeros(_EQ_TAPS, np.complex128)
        eq[_EQ_CENTRE] = 1.0
        return eq

    def _keep_from(self) -> int:
        if self._stage is _Stage.IDLE:
            return self._buf.end - 4 * self._buf.n_taps
        return int(self._t_next) - 4 * self._buf.n_taps

    def _start_burst(self, n_up: int) -> None:
        short = self._expect_short
        self._short = short
        self._training: Training = make_training(short)
        self._known = self._training.symbols[self._training.seg1_len:]
        if short:
            _, self._omega, self._step = self._saved
        else:
            self._omega, self._step = 0.0, _HALF
        self._t_next = float(n_up + self._buf.n_taps)
        self._theta = 0.0
        self._hist = np.zeros(_EQ_TAPS - 1, np.complex128)
        self._gardner_prev = np.zeros(2, np.complex128)
        self._agc = 1.0
        self._weak_blocks = 0
        self._down_reported = False
        self._restart_acquisition()

    def _restart_acquisition(self) -> None:
        """Start segment 1 (AGC first): at carrier up, or on a signal that has
        just begun over the noise that raised carrier detect."""
        self._stage = _Stage.ACQUIRE
        self._loop = LoopState()
        self._i_known = 0
        self._err_sum, self._err_n = 0.0, 0
        if self._short:
            self._eq = self._saved[0].copy()
        else:
            self._eq = self._identity_eq()
            self._omega = 0.0
        self._n_sym = 0  # measure the level on a later block than the rise
        self._agc_power = 0.0
        self._acc, self._acc_abs, self._n_acc = 0j, 0.0, 0
        self._y_prev = [0j, 0j]
        self._rev_prev = False
        self._hist[:] = 0

    def _end_burst(self, n_down: int) -> None:
        if not self._down_reported:
            self._event(ModemStatus.CARRIER_DOWN, n_down)
        self._stage = _Stage.IDLE

    def _signal_lost(self, s: NDArray[np.complex128], t_sample: int) -> bool:
        """Carrier down on a signal that fell far below its trained level, or that
        makes no sense (the line noise may be too loud for the power detector)."""
        power = _power(s)
        weak = not math.isfinite(power) or power < _LOST_POWER
        self._weak_blocks = self._weak_blocks + 1 if weak else 0
        if self._weak_blocks < 2 and math.isfinite(power):
            return False
        self._event(ModemStatus.CARRIER_DOWN, t_sample)
        self._down_reported = True
        self._stage = _Stage.PARKED
        return True

    def _event(self, status: ModemStatus, sample_index: int) -> None:
        self._events.append(ModemEvent(status, sample_index))

    def _fail(self, sample_index: int) -> None:
        if self._short and self._stage in (_Stage.TRAIN, _Stage.DATA):
            self._switch_to_long_train()  # it was not a short train after all
            return
        self._event(ModemStatus.TRAINING_FAILED, sample_index)
        self._stage = _Stage.PARKED
        if not self._short:
            self._expect_short = False

    def _switch_to_long_train(self) -> None:
        """Carry on as in a long train, whose segment 2 starts as a short one's does."""
        self._short = False
        self._training = make_training(False)
        self._known = self._training.symbols[self._training.seg1_len:]
        self._i_known = self._n_sym - self._sym0
        self._err_sum, self._err_n = 0.0, 0
        self._loop.kp, self._loop.ki = LoopState().kp, LoopState().ki
        self._stage = _Stage.TRAIN

    # --- blocks --------------------------------------------------------------

    def _run_blocks(self, limit: int) -> None:
        """Process every whole block whose samples all lie before ``limit``."""
        centre = self._buf.centre
        while self._stage in (_Stage.ACQUIRE, _Stage.TRAIN, _Stage.DATA):
            nb = _DATA_BLOCK if self._stage is _Stage.DATA else _BLOCK
            times = self._t_next + self._step * np.arange(2 * nb, dtype=np.float64)
            if times[-1] + centre + 1 > limit:
                return
            self._block(times)

    def _block(self, times: NDArray[np.float64]) -> None:
        nb = times.size // 2
        raw = self._buf.at(times)
        if self._stage in (_Stage.ACQUIRE, _Stage.TRAIN):
            power = _power(raw)
            if self._agc_power and power > 4.0 * self._agc_power:
                self._restart_acquisition()  # a stronger signal began: it is the one
        if self._stage is _Stage.ACQUIRE and self._n_sym < _AGC_SYMBOLS + nb:
            if self._n_sym >= _AGC_SYMBOLS:
                self._agc_power = max(power, 1e-12)
                self._agc = math.sqrt(_MEAN_POWER / self._agc_power)
            self._timing(raw, times, "acquire")
            self._n_sym += nb
            return
        s = raw * self._agc
        if self._stage is _Stage.DATA and self._signal_lost(s, int(times[-1])):
            return
        self._timing(s, times, self._stage.name.lower() if self._stage is not
                     _Stage.ACQUIRE else "acquire")
        ramp = self._theta + self._omega * 0.5 * np.arange(2 * nb)
        x2 = s * np.exp(-1j * ramp)
        self._theta = math.remainder(self._theta + self._omega * nb, 2 * math.pi)
        window = np.concatenate([self._hist, x2])
        rows = window[_ROWS[nb]]
        self._hist = window[-(_EQ_TAPS - 1):]
        z = rows @ self._eq
        if not np.all(np.isfinite(z)):
            self._fail(int(times[-1]))
            return
        err = np.zeros(nb, np.complex128)
        pos = 0
        while pos < nb and self._stage in (_Stage.ACQUIRE, _Stage.TRAIN, _Stage.DATA):
            if self._stage is _Stage.ACQUIRE:
                pos = self._acquire(z, pos, int(times[2 * pos]))
            elif self._stage is _Stage.TRAIN:
                pos = self._train(z, err, pos, int(times[2 * pos]))
            else:
                pos = self._data(z, err, pos, int(times[-1]))
        mu = self._eq_step()
        if mu:  # normalised LMS: the step follows the input power
            x_power = max(_power(x2), _LOST_POWER)
            self._eq += (mu * _MEAN_POWER / x_power) * (rows.conj().T @ err)
        self._omega += self._loop.freq
        self._loop.freq = 0.0

    def _eq_step(self) -> float:
        scale = 1.0 / (_EQ_TAPS * _MEAN_POWER)
        if self._stage is _Stage.TRAIN and not self._short and self._i_known < _FAST_EQ_SYMBOLS:
            return 0.5 * scale
        if self._stage in (_Stage.TRAIN, _Stage.DATA):
            return 0.08 * scale
        return 0.0

    def _timing(self, s: NDArray[np.complex128], times: NDArray[np.float64], mode: str) -> None:
        """Gardner timing error over the block; moves the next sampling instants."""
        ext = np.concatenate([self._gardner_prev, s])
        early, mid, late = ext[0:-2:2], ext[1:-1:2], ext[2::2]
        power = _power(s) + 1e-12
        e = -float(np.vdot(mid, late - early).real) / (mid.size * power)
        self._gardner_prev = s[-2:]
        kp, ki = _TIMING_GAIN[mode]
        self._step += ki * e
        self._step = min(max(self._step, _HALF * 0.995), _HALF * 1.005)
        self._t_next = float(times[-1]) + self._step + kp * e

    # --- per-stage symbol runs ----------------------------------------------

    def _acquire(self, z: NDArray[np.complex128], pos: int, t_sample: int) -> int:
        """Segment 1: estimate the carrier and find the reversal into segment 2."""
        y2, y1 = self._y_prev
        for k in range(pos, z.size):
            y = complex(z[k])
            d = y * y2.conjugate()
            rev = self._n_sym >= _REVERSAL_FROM and d.real < 0.0
            if rev and self._rev_prev:
                if self._n_acc >= _COHERENT_MIN and abs(self._acc) >= 0.8 * self._acc_abs:
                    self._begin_training(y, k)
                    self._y_prev = [y1, y]
                    return k + 1
                self._acc, self._acc_abs, self._n_acc = 0j, 0.0, 0  # that was no ABAB
            elif self._n_sym >= _FREQ_FROM and not self._rev_prev:
                self._acc += d
                self._acc_abs += abs(d)
                self._n_acc += 1
            self._rev_prev = rev
            y2, y1 = y1, y
            self._n_sym += 1
            if self._n_sym > _ACQUIRE_LIMIT:
                self._fail(t_sample)
                return z.size
        self._y_prev = [y2, y1]
        return z.size

    def _begin_training(self, y: complex, k: int) -> None:
        """``y`` is the second symbol of segment 2 (D): lock phase and frequency to it."""
        freq = 0.5 * math.atan2(self._acc.imag, self._acc.real) if self._acc else 0.0
        target = complex(self._known[1])
        self._loop.freq = 0.0 if self._short else freq
        self._loop.psi = math.atan2(y.imag, y.real) - math.atan2(target.imag, target.real)
        self._loop.psi += self._loop.freq
        self._stage = _Stage.TRAIN
        self._i_known = 2
        self._sym0 = self._n_sym - 1  # symbol count at the start of segment 2
        self._n_sym += 1

    def _train(self, z: NDArray[np.complex128], err: NDArray[np.complex128], pos: int,
               t_sample: int) -> int:
        """Segments 2 and 3: track on the known symbols, measure the training error."""
        training = self._training
        n = min(z.size - pos, self._known.size - self._i_known)
        i0 = self._i_known
        _y, e = track_known(z[pos:pos + n], self._known[i0:i0 + n], self._loop)
        err[pos:pos + n] = e
        seg2_end = training.seg2_len
        window_from = seg2_end - (30 if self._short else 200)
        for i in range(max(i0, window_from), min(i0 + n, seg2_end)):
            self._err_sum += abs(e[i - i0]) ** 2
            self._err_n += 1
        self._i_known += n
        self._n_sym += n
        if i0 < seg2_end <= self._i_known:
            mse = self._err_sum / max(self._err_n, 1)
            if mse > self._d2_min / 8.0:
                self._fail(t_sample)
                return z.size
        if self._i_known >= self._known.size:
            self._begin_data()
        return pos + n

    def _begin_data(self) -> None:
        self._stage = _Stage.DATA
        self._path.start(short=self._short, register=self._training.register)
        self._loop.kp, self._loop.ki = 0.05, 0.0005

    def _data(self, z: NDArray[np.complex128], err: NDArray[np.complex128], pos: int,
              t_sample: int) -> int:
        """Segment 4 and data: carrier tracking, then the trellis data path."""
        y, e = track_data(z[pos:], self._grid, self._loop)
        err[pos:] = e
        self._n_sym += y.size
        bits, verdict = self._path.push(y)
        if verdict is False:
            self._fail(t_sample)
            return z.size
        if verdict:
            self._event(ModemStatus.TRAINING_SUCCEEDED, t_sample)
            self._expect_short = True
            self._saved = (self._eq.copy(), self._omega, self._step)
        if bits.size:
            self._bits.append(bits)
        return z.size
