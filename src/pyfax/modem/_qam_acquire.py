"""Training acquisition of the linear modems: find, measure, align, train.

How it works (all of it vectorised over the buffered training audio):
    1. *Find* the periodic segment (ABAB, reversals): on T/2-spaced
       matched-filter samples, a signal of period two symbols repeats every
       four samples, so ``|sum x[m] x*[m-4]| / sum |x[m]|^2`` over 16 symbols
       nears 1 on it and stays low on noise and on random data
       (:func:`periodic_score`).
    2. *Measure* on that segment: the carrier frequency offset from the
       phase of the lag-4 correlation, refined on a lag of many periods; the
       symbol timing from the two spectral lines at +-baud/2 that the
       alternation puts at baseband (their product is free of the carrier
       phase and its drift).
    3. *Align*: resample at the found timing, remove the offset, and find
       where the known equaliser-conditioning symbols start by correlating
       with them.
    4. *Train*: solve the fractionally spaced equaliser by least squares over
       the first known symbols (one ``lstsq``, the Wiener solution), trying
       the alignment and its two neighbours and keeping the best fit.

The result is the starting state of the tracking loop in ``_qam_rx``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pyfax.modem._qam_frontend import BasebandBuffer
from pyfax.modem._qam_spec import LinearModemSpec, TrainingPlan

__all__ = [
    "HISTORY_SYMBOLS",
    "SCORE_WINDOW",
    "START_SCORE",
    "Acquired",
    "acquire",
    "acquire_needs_samples",
    "periodic_score",
]

SCORE_WINDOW = 32  # T/2 samples: 16 symbols
HISTORY_SYMBOLS = 16  # grid history kept before the periodic segment's start
LS_SYMBOLS = 192
_ALIGN_SEARCH = 24
_MAX_MSE = 0.3
START_SCORE = 0.8  # periodic score of the periodic segment ...
_END_SCORE = 0.5  # ... and below which it has ended
_TONE_LAG1 = 0.9  # single tones: lag-T/2 correlation near 1
_RIDGE = 1e-3
_BREAK_AVERAGE = 4  # T/2 samples over which a change of pattern is measured ...
_BREAK_LEVEL = 1.0  # ... and its size against the segment's power


@dataclass(frozen=True, slots=True)
class Acquired:
    """What training found: the tracking loop starts from here.

    Attributes:
        origin: time (samples) of symbol 0's on-time T/2 sample.
        half: T/2 spacing in samples.
        omega: carrier offset, radians per T/2 sample.
        gain: amplitude normalisation applied to the matched-filter output.
        taps: equaliser taps (oldest sample first).
        known_start: symbol index (from ``origin``) of the first known symbol.
        trained_symbols: how many known symbols the least-squares fit used.
        mse: normalised mean squared error of the fit.
    """

    origin: float
    half: float
    omega: float
    gain: float
    taps: NDArray[np.complex128]
    known_start: int
    trained_symbols: int
    mse: float


def _window_sums(v: NDArray[np.complex128] | NDArray[np.float64], w: int) -> NDArray[Any]:
    c = np.concatenate([[0], np.cumsum(v)])
    return np.asarray(c[w:] - c[:-w])


def periodic_score(x: NDArray[np.complex128], min_power: float = 0.0) -> NDArray[np.float64]:
    """Score in [0, 1] of period-4 repetition over a sliding window of T/2 samples.

    ``out[i]`` covers ``x[i : i + SCORE_WINDOW + 4]``: the normalised
    correlation of the window with itself four samples (two symbols) back.
    A single tone repeats too, but it also keeps its phase step from one
    T/2 sample to the next (lag-one correlation near 1), which no training
    segment does (at most 0.66, V.29 4800 ABAB); such windows score 0, as
    do windows whose mean power per sample is below ``min_power`` (the
    fading tails of a burst would otherwise score on rounding dust).
    """
    w = SCORE_WINDOW
    now = _window_sums(np.abs(x[4:]) ** 2, w)
    back = _window_sums(np.abs(x[:-4]) ** 2, w)
    den = np.sqrt(np.maximum(now * back, 1e-40))
    score = np.abs(_window_sums(x[4:] * np.conj(x[:-4]), w)) / den
    lag1 = np.abs(_window_sums(x[4:] * np.conj(x[3:-1]), w))
    reject = (lag1 > _TONE_LAG1 * np.maximum(now, 1e-20)) | (now < min_power * w)
    return np.asarray(np.where(reject, 0.0, score))


def acquire_needs_samples(spec: LinearModemSpec, plan: TrainingPlan) -> float:
    """Samples after the periodic segment's start that acquisition needs."""
    sps = float(spec.samples_per_symbol)
    n_sym = len(plan.periodic) + min(len(plan.known), LS_SYMBOLS) + _ALIGN_SEARCH + spec.eq_taps
    return (n_sym + _ALIGN_SEARCH) * sps + spec.rx_span_symbols * sps


def acquire(buf: BasebandBuffer, start: float, spec: LinearModemSpec,
            plan: TrainingPlan) -> Acquired | None:
    """Measure, align and train on the buffered training found near ``start``.

    Returns None when the audio does not hold the expected training.
    """
    sps = float(spec.samples_per_symbol)
    half = sps / 2.0
    measured = _measure(buf, start, half, len(plan.periodic))
    if measured is None:
        return None
    omega, t0, periodic_end = measured
    # Symbol 0 of the grid: a symbol centre HISTORY_SYMBOLS before ``start``
    # (taken from ``start``, never from the buffer, so that the outcome does
    # not depend on how the audio was cut into blocks).
    origin = t0 - sps * math.ceil((t0 - start) / sps + HISTORY_SYMBOLS)
    expected = round((periodic_end - origin) / sps)
    n_sym = expected + min(len(plan.known), LS_SYMBOLS) + _ALIGN_SEARCH + spec.eq_taps
    t_grid = origin + half * np.arange(2 * n_sym)
    if t_grid[-1] > buf.latest_time():
        return None
    y = buf.at(t_grid) * np.exp(-1j * omega * (t_grid - origin) / half)
    gain = 1.0 / math.sqrt(max(float(np.mean(np.abs(y) ** 2)), 1e-20))
    y *= gain
    k0 = _align(y, plan, expected, spec.eq_taps)
    if k0 is None:
        return None
    best = _train(y, plan, k0, spec.eq_taps)
    if best is None or best[2] > _MAX_MSE:
        return None
    taps, k_start, mse = best
    n_ls = min(len(plan.known), LS_SYMBOLS)
    return Acquired(origin=origin, half=half, omega=omega, gain=gain, taps=taps,
                    known_start=k_start, trained_symbols=n_ls, mse=mse)


def _measure(buf: BasebandBuffer, start: float, half: float,
             n_periodic: int) -> tuple[float, float, float] | None:
    """Carrier offset (radians per T/2 sample), a symbol centre, and the time
    where the periodic segment that is under way at ``start`` ends."""
    n_scan = 2 * (n_periodic + _ALIGN_SEARCH)
    t_scan = start + half * np.arange(n_scan)
    x = buf.at(t_scan)
    score = periodic_score(x, 0.01 * float(np.mean(np.abs(x) ** 2)))
    high = np.flatnonzero(score >= START_SCORE)
    if high.size == 0:
        return None
    first = int(high[0])
    low = np.flatnonzero(score[first:] < _END_SCORE)
    # The score window straddles the end when half of it is past the end.
    end_m = first + int(low[0]) + SCORE_WINDOW // 2 + 2 if low.size else n_scan
    end_m = min(end_m, _first_break(x, first + SCORE_WINDOW // 2 + 4))
    m0 = first + 8
    n_est = min(end_m - 8 - m0, 192)
    if n_est < 24:
        return None
    x = x[m0:m0 + n_est]
    omega = _frequency(x, n_est // 2)
    x = x * np.exp(-1j * omega * np.arange(len(x)))
    t0 = _timing(x, float(t_scan[m0]), 2.0 * half)
    return omega, t0, start + half * end_m


def _first_break(x: NDArray[np.complex128], m_from: int) -> int:
    """Index just past the end of the period-two pattern under way at ``m_from``
    (taken far enough into the segment to be past its ramp from silence).

    The windowed score alone ends late when what follows the periodic
    segment is itself periodic for a while (V.17's segment 2 opens with
    ABCDCDCD...: a new pattern, but still of period two). Any change of
    pattern shows at once as a jump of ``|x[m] - x[m-4]|^2`` (averaged over
    two symbols) against the segment's power; a carrier offset of 8 Hz only
    adds about 0.002 to it. Returns ``len(x)`` if no break is seen.
    """
    seg = x[m_from:]
    if len(seg) < 20:
        return len(x)
    power = float(np.mean(np.abs(seg[:16]) ** 2))
    jump = np.abs(seg[4:] - seg[:-4]) ** 2
    smooth = np.convolve(jump, np.full(_BREAK_AVERAGE, 1.0 / _BREAK_AVERAGE), mode="valid")
    hits = np.flatnonzero(smooth > _BREAK_LEVEL * max(power, 1e-20))
    return m_from + 4 + int(hits[0]) + _BREAK_AVERAGE if hits.size else len(x)


def _frequency(x: NDArray[np.complex128], n_sym: int) -> float:
    """Carrier offset in radians per T/2 sample, from the period-4 repetition."""
    coarse = np.angle(np.sum(x[4:] * np.conj(x[:-4]))) / 4.0
    lag = 4 * max(1, n_sym // 4)
    rot = np.exp(-1j * coarse * lag)
    fine = np.angle(np.sum(x[lag:] * np.conj(x[:-lag])) * rot) / lag
    return float(coarse + fine)


def _timing(x: NDArray[np.complex128], t_first: float, sps: float) -> float:
    """Time (samples) of one symbol centre, from the +-baud/2 lines."""
    v = x - np.mean(x)
    m = np.arange(len(v))
    c1 = np.sum(v * np.exp(-0.5j * np.pi * m))
    c2 = np.sum(v * np.exp(0.5j * np.pi * m))
    return t_first - sps * float(np.angle(c1 * np.conj(c2))) / (2.0 * np.pi)


def _windows(y: NDArray[np.complex128], ks: NDArray[np.int64], n_taps: int) -> NDArray[
        np.complex128]:
    """Equaliser input rows (oldest first) for symbols ``ks``: y[2k+h-n+1 .. 2k+h]."""
    h = n_taps // 2
    idx = (2 * ks + h - n_taps + 1)[:, None] + np.arange(n_taps)[None, :]
    rows: NDArray[np.complex128] = y[idx]
    return rows


def _align(y: NDArray[np.complex128], plan: TrainingPlan, expected: int,
           n_taps: int) -> int | None:
    """Symbol index (on the grid) where the known symbols start: the best
    correlation of the on-time samples with the first 64 known symbols (their
    mean removed), within ``_ALIGN_SEARCH`` symbols of ``expected``."""
    j = min(64, len(plan.known))
    ref = plan.known[:j] - np.mean(plan.known[:j])
    lo = max(n_taps, expected - _ALIGN_SEARCH)
    hi = expected + _ALIGN_SEARCH
    on_time = y[0::2]
    if hi + j > len(on_time):
        return None
    scores = [abs(np.vdot(ref, on_time[k:k + j])) for k in range(lo, hi + 1)]
    return lo + int(np.argmax(scores))


def _by_rows(a: NDArray[np.complex128], b: NDArray[np.complex128],
             rows: int) -> NDArray[np.complex128]:
    """``a @ b``, ``rows`` rows of ``a`` at a time.

    Small products stay below OpenBLAS's threshold for using its worker
    threads: after a threaded product those threads spin for about 0.1 s of
    CPU, which on a busy machine costs more than the whole training (and a
    fax call trains on every burst). The sums may differ from one big
    product in the last bit, as they do between machines with other BLAS
    thread counts.
    """
    return np.concatenate([a[i:i + rows] @ b for i in range(0, a.shape[0], rows)])


def _train(y: NDArray[np.complex128], plan: TrainingPlan, k0: int,
           n_taps: int) -> tuple[NDArray[np.complex128], int, float] | None:
    """Least-squares (ridge) equaliser on the first known symbols, for the
    alignment ``k0`` and its neighbours: (taps, alignment, normalised MSE)."""
    n_ls = min(len(plan.known), LS_SYMBOLS)
    d = plan.known[:n_ls]
    best: tuple[NDArray[np.complex128], int, float] | None = None
    for k in (k0 - 1, k0, k0 + 1):
        ks = np.arange(k, k + n_ls)
        if 2 * ks[0] + n_taps // 2 - n_taps + 1 < 0 or 2 * ks[-1] + n_taps // 2 >= len(y):
            continue
        a = _windows(y, ks, n_taps)
        ah = a.conj().T
        w: NDArray[np.complex128] = np.linalg.solve(
            _by_rows(ah, a, 8) + _RIDGE * n_ls * np.eye(n_taps), _by_rows(ah, d, 8)
        ).astype(np.complex128)
        err = _by_rows(a, w, 32) - d
        mse = float(np.mean(np.abs(err) ** 2) / np.mean(np.abs(d) ** 2))
        if best is None or mse < best[2]:
            best = (w, k, mse)
    return best

