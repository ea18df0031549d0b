"""Tracking loop of the linear-modem receiver: equaliser, carrier and timing.

How it works:
    The loop runs in blocks of ``B`` symbols; within a block nothing adapts,
    so each step is a handful of vectorised operations:

    1. the new T/2 matched-filter samples, at times ``t_next + k * half``,
       derotated by the carrier phase ramp ``theta + k * omega``;
    2. equaliser outputs ``y = X @ w``, one row of ``X`` per symbol (the
       ``n`` T/2 samples around it, oldest first);
    3. references: the known training symbols while they last, then the
       decider hook's reference points (and its line bits);
    4. updates from the block's errors ``e = ref - y``: normalised LMS
       ``w += mu X^H e / (B |x|^2)``; carrier loop ``theta += a * p``,
       ``omega += a^2/4 * p / (2B)`` with ``p`` the mean phase error;
       timing loop on Gardner's detector ``Re{x*[2k-1] (x[2k] - x[2k-2])}``,
       moving ``t_next`` and the T/2 spacing ``half``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from pyfax.modem._qam_acquire import Acquired
from pyfax.modem._qam_frontend import BasebandBuffer
from pyfax.modem._qam_spec import ModemProfile, TrainingPlan
from pyfax.modem.base import Bits

__all__ = ["Tracker"]

_MU_TRAIN = 0.08
_MU_DATA = 0.03
_PLL_ALPHA = 0.4
_TIMING_KP = 0.1
_KNOWN_MSE_SYMBOLS = 64
_MAX_KNOWN_MSE = 0.3
_MAX_ONES_ERROR_RATE = 0.1


class Tracker:
    """The trained part of the receiver, from the end of the least-squares fit on."""

    def __init__(self, profile: ModemProfile, plan: TrainingPlan, acq: Acquired,
                 bb: BasebandBuffer, block_symbols: int) -> None:
        spec = profile.spec
        self._bb = bb
        self._plan = plan
        self._n = spec.eq_taps
        self._h = self._n // 2
        self._block = block_symbols
        self._bps = spec.bits_per_symbol
        self._w = acq.taps.astype(np.complex128).copy()
        self._gain = acq.gain
        self._half = acq.half
        self._omega = acq.omega
        self._k = acq.known_start + acq.trained_symbols
        self._known0 = acq.known_start
        self._known_end = acq.known_start + len(plan.known)
        m_first = 2 * self._k + self._h - self._n - 1
        m_next = 2 * self._k + self._h
        m = np.arange(m_first, m_next)
        self._x = bb.at(acq.origin + self._half * m) * acq.gain * np.exp(-1j * acq.omega * m)
        self._m_next = m_next
        self.t_next = acq.origin + self._half * m_next
        self._theta = acq.omega * m_next
        self._aranges: dict[int, NDArray[np.int64]] = {}
        self._index: dict[int, tuple[NDArray[np.int64], NDArray[np.int64]]] = {}
        self._decider = profile.new_decider()
        self._descrambler = profile.new_descrambler()
        self._ones_left = plan.ones_symbols * self._bps
        self._ones_zeros = 0
        self._known_err = 0.0
        self._known_pow = 0.0
        self.trained = False
        self.verdict: bool | None = None
        self.reported = False

    def step(self) -> Bits | None:
        """Process the next block if its samples have arrived; its data bits, or None."""
        b, n, h = self._block, self._n, self._h
        k0 = self._k
        m_end = 2 * (k0 + b - 1) + h
        cnt = m_end + 1 - self._m_next
        # the block's last time, as the vector below computes it
        if self.t_next + self._half * (cnt - 1) > self._bb.latest_time():
            return None
        steps = self._aranges.get(cnt)
        if steps is None:
            steps = self._aranges.setdefault(cnt, np.arange(cnt))
        times = self.t_next + self._half * steps
        phase = self._theta + self._omega * steps
        x_new = self._bb.at(times) * (self._gain * np.exp(-1j * phase))
        self.t_next = float(times[-1]) + self._half
        self._theta = float(phase[-1]) + self._omega
        x = np.concatenate([self._x, x_new])
        rows, on = self._window_index(len(x))
        xw = x[rows]
        y = xw @ self._w
        refs, line_bits, n_known = self._references(k0, y)
        err = refs - y
        self._adapt(xw, err, y, refs, n_known)
        self._adjust_timing(x, on)
        self._x = x[-(n + 2):]
        self._m_next = m_end + 1
        self._k = k0 + b
        return self._bits(line_bits)

    def flush(self) -> Bits:
        """Data bits still held by the decider (carrier went down)."""
        return self._bits(self._decider.flush()) if self.trained else np.zeros(0, np.uint8)

    # -- internals -------------------------------------------------------------

    def _references(self, k0: int, y: NDArray[np.complex128]) -> tuple[
            NDArray[np.complex128], Bits, int]:
        """References for the block's symbols ``k0, k0 + 1, ...`` (equaliser outputs ``y``):
        the known symbols while they last, then the decider's; its line bits, and how
        many were known."""
        b = len(y)
        n_known = min(max(self._known_end - k0, 0), b)
        if n_known == 0:  # the usual case: data only
            decided, line_bits = self._decider.decide(y)
            return np.asarray(decided, np.complex128), line_bits, 0
        refs = np.empty(b, np.complex128)
        j0 = k0 - self._known0
        refs[:n_known] = self._plan.known[j0:j0 + n_known]
        # the last _KNOWN_MSE_SYMBOLS known symbols measure the fit
        tail = slice(max(self._known_end - _KNOWN_MSE_SYMBOLS - k0, 0), n_known)
        e = refs[tail] - y[tail]
        self._known_err += float(np.sum(np.abs(e) ** 2))
        self._known_pow += float(np.sum(np.abs(refs[tail]) ** 2))
        line_bits = np.zeros(0, np.uint8)
        if n_known < b:
            decided, line_bits = self._decider.decide(y[n_known:])
            refs[n_known:] = decided
        return refs, line_bits, n_known

    def _adapt(self, xw: NDArray[np.complex128], err: NDArray[np.complex128],
               y: NDArray[np.complex128], refs: NDArray[np.complex128], n_known: int) -> None:
        b = len(err)
        power = float(np.vdot(xw, xw).real) / b
        mu = _MU_TRAIN if n_known else _MU_DATA
        floor = 0.1 * self._n  # a tenth of the trained level: silence cannot blow up the step
        self._w += (mu / (b * max(power, floor))) * (xw.conj().T @ err)
        v = y * np.conj(refs)
        p = float(np.arctan2(v.imag, v.real).sum()) / b  # the phase errors (np.angle)
        self._theta += _PLL_ALPHA * p
        self._omega += (_PLL_ALPHA**2 / 4.0) * p / (2 * b)

    def _window_index(self, n_x: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Indices into a block's ``x`` (``n_x`` T/2 samples, the newest last):
        the equaliser window of each symbol, and each symbol's own sample.

        They depend only on ``n_x`` (the block ends at ``x[-1]``), so they are
        made once per length.
        """
        cached = self._index.get(n_x)
        if cached is None:
            b, n, h = self._block, self._n, self._h
            on = 2 * np.arange(b) - 2 * b + 1 - h + n_x
            rows = (on + h - n + 1)[:, None] + np.arange(n)[None, :]
            cached = self._index.setdefault(n_x, (rows, on))
        return cached

    def _adjust_timing(self, x: NDArray[np.complex128], at: NDArray[np.int64]) -> None:
        # the symbols' own samples and the ones half a symbol and a symbol
        # before, as strided views (``at`` steps by 2)
        c, b = int(at[0]), len(at)
        on, mid, prev = x[c:c + 2 * b:2], x[c - 1:c + 2 * b - 1:2], x[c - 2:c + 2 * b - 2:2]
        # Normalised by the block's power, floored at a tenth of the trained
        # level (1.0) so that silence or a fade cannot throw the loop.
        te = float((np.conj(mid) * (on - prev)).real.sum()) / max(
            float(np.vdot(on, on).real), 0.1 * b)
        te = -1.0 if te < -1.0 else min(te, 1.0)
        # Second order, critically damped in block steps: the spacing moves
        # the timing by 2B times its change per block.
        self.t_next -= _TIMING_KP * te * self._half
        self._half *= 1.0 - (_TIMING_KP**2 / 4.0) * te / (2 * b)

    def _bits(self, line_bits: Bits) -> Bits:
        if len(line_bits) == 0:
            return np.zeros(0, np.uint8)
        bits = self._descrambler.process(line_bits)
        if self._ones_left:
            take = min(self._ones_left, len(bits))
            self._ones_zeros += int(take - np.count_nonzero(bits[:take]))
            self._ones_left -= take
            bits = bits[take:]
            if self._ones_left == 0:
                self._decide_training()
        return bits if self.trained else np.zeros(0, np.uint8)

    def _decide_training(self) -> None:
        total = self._plan.ones_symbols * self._bps
        mse = self._known_err / max(self._known_pow, 1e-12)
        ok = self._ones_zeros <= _MAX_ONES_ERROR_RATE * total and mse < _MAX_KNOWN_MSE
        self.verdict = ok
        self.trained = ok
