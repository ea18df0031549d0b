"""Fax call tones: CNG and CED generators and a streaming tone detector (ITU-T T.30 4.1).

CNG, the calling tone, is 1100 Hz ±38 Hz, on for 0.5 s and off for 3 s,
repeated. CED, the called station's answer tone, is a continuous 2100 Hz ±15 Hz
for 2.6 s to 4 s (the V.25 answer tone without phase reversals).

The generators stream like the modems (``tx(n_samples)``). Their phase is an
integer count of 1/``steps`` of a cycle, taken from the absolute sample index,
so the waveform never depends on the block size.

The detector cuts the audio into 10 ms frames aligned to the receiver's first
sample, and measures in each frame the energy at three bins around each tone
(the nominal frequency and ±25 Hz, with the Goertzel dot products done for all
frames at once) against the frame's total energy. A frame "has" a tone when
one tone's bins hold most of the energy and the level is above the cutoff.
The tone is reported present after ``min_on_s`` of such frames in a row, and
absent after ``hangover_s`` without it, so speech-band noise and short drop
outs neither trigger nor break a detection.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pyfax.errors import ModemError
from pyfax.modem._dsp import dbm0_to_amplitude, to_int16
from pyfax.modem.base import SAMPLE_RATE_HZ, Samples

__all__ = [
    "CED_HZ",
    "CNG_HZ",
    "CedGenerator",
    "CngGenerator",
    "FaxTone",
    "ToneDetector",
    "ToneEvent",
]

CNG_HZ = 1100
CED_HZ = 2100
_FRAME = 80  # 10 ms
_BIN_OFFSETS_HZ = (-25.0, 0.0, 25.0)
_DOMINANCE = 0.6  # share of the frame's energy the tone's bins must hold


class FaxTone(enum.Enum):
    """The tones a fax terminal listens for before T.30 starts."""

    CNG = CNG_HZ
    CED = CED_HZ


@dataclass(frozen=True, slots=True)
class ToneEvent:
    """A tone started (``present``) or stopped, at a receiver-relative sample index."""

    tone: FaxTone
    present: bool
    sample_index: int


class _ToneGenerator:
    """A sine that is on for ``on_samples`` of every ``period_samples`` (or always)."""

    def __init__(self, freq_hz: int, level_dbm0: float, on_samples: int,
                 period_samples: int, total_samples: int | None) -> None:
        if not -60.0 <= level_dbm0 <= 3.14:
            raise ModemError(f"tone level {level_dbm0} dBm0 is outside -60..+3.14")
        steps = SAMPLE_RATE_HZ // math.gcd(freq_hz, SAMPLE_RATE_HZ)
        self._table = dbm0_to_amplitude(level_dbm0) * np.sin(
            2 * np.pi * (np.arange(steps) * freq_hz * steps // SAMPLE_RATE_HZ) / steps)
        self._steps = steps
        self._on = on_samples
        self._period = period_samples
        self._total = total_samples
        self._n = 0

    @property
    def done(self) -> bool:
        """True once the whole tone has been returned (never, for repeating CNG)."""
        return self._total is not None and self._n >= self._total

    def stop(self) -> None:
        """Stop at once: the next ``tx`` returns nothing."""
        self._total = self._n

    def tx(self, n_samples: int) -> Samples:
        """Up to ``n_samples`` samples; fewer once the tone has ended."""
        if n_samples < 0:
            raise ModemError(f"n_samples must not be negative, got {n_samples}")
        stop = self._n + n_samples
        if self._total is not None:
            stop = min(stop, self._total)
        n = np.arange(self._n, max(stop, self._n), dtype=np.int64)
        self._n = max(stop, self._n)
        on = (n % self._period) < self._on
        return to_int16(np.where(on, self._table[n % self._steps], 0.0))


class CngGenerator(_ToneGenerator):
    """CNG: 1100 Hz, 0.5 s on, 3 s off, repeated until :meth:`stop` (or ``cycles``).

    Args:
        level_dbm0: level while on.
        cycles: number of on/off cycles to send, or None to repeat until stopped.
    """

    def __init__(self, *, level_dbm0: float = -10.0, cycles: int | None = None) -> None:
        period = int(3.5 * SAMPLE_RATE_HZ)
        super().__init__(CNG_HZ, level_dbm0, SAMPLE_RATE_HZ // 2, period,
                         None if cycles is None else cycles * period)


class CedGenerator(_ToneGenerator):
    """CED: a continuous 2100 Hz tone.

    Args:
        duration_s: 2.6 to 4.0 s (T.30 4.1.2); 3 s by default.
        level_dbm0: its level.
    """

    def __init__(self, *, duration_s: float = 3.0, level_dbm0: float = -10.0) -> None:
        if not 2.6 <= duration_s <= 4.0:
            raise ModemError(f"CED lasts 2.6 to 4 s (T.30 4.1.2), not {duration_s} s")
        n = round(duration_s * SAMPLE_RATE_HZ)
        super().__init__(CED_HZ, level_dbm0, n, n, n)


def _bank(freq_hz: float) -> NDArray[np.complex128]:
    k = np.arange(_FRAME)
    return np.array([np.exp(-2j * np.pi * (freq_hz + d) * k / SAMPLE_RATE_HZ)
                     for d in _BIN_OFFSETS_HZ])


class ToneDetector:
    """Streaming CNG/CED detector.

    Args:
        cutoff_dbm0: ignore tones below this level.
        min_on_s: how long a tone must last before it is reported.
        hangover_s: how long it must be gone before it is reported absent.
    """

    def __init__(self, *, cutoff_dbm0: float = -43.0, min_on_s: float = 0.3,
                 hangover_s: float = 0.05) -> None:
        if min_on_s <= 0 or hangover_s <= 0:
            raise ModemError("min_on_s and hangover_s must be positive")
        self._banks = {tone: _bank(tone.value) for tone in FaxTone}
        # a frame's energy at the cutoff: sum of x^2 for a sine of that level
        self._min_energy = dbm0_to_amplitude(cutoff_dbm0) ** 2 / 2 * _FRAME
        self._min_on = max(1, math.ceil(min_on_s * SAMPLE_RATE_HZ / _FRAME))
        self._hangover = max(1, math.ceil(hangover_s * SAMPLE_RATE_HZ / _FRAME))
        self._pending: NDArray[np.float64] = np.zeros(0)
        self._n_frames = 0
        self._candidate: FaxTone | None = None
        self._run = 0  # frames the candidate has lasted
        self._gap = 0  # frames since the present tone was last seen
        self.present: FaxTone | None = None

    def rx(self, samples: Samples) -> list[ToneEvent]:
        """Take samples of any block size; return the tone starts and stops they caused."""
        x = np.asarray(samples, dtype=np.float64).reshape(-1)
        buf = np.concatenate([self._pending, x])
        n_frames = buf.size // _FRAME
        self._pending = buf[n_frames * _FRAME:]
        if n_frames == 0:
            return []
        frames = buf[: n_frames * _FRAME].reshape(n_frames, _FRAME)
        return [e for tone in self._classify(frames) for e in self._step(tone)]

    def _classify(self, frames: NDArray[np.float64]) -> list[FaxTone | None]:
        """The tone each frame holds, if any."""
        total = np.sum(frames * frames, axis=1)
        energy = {tone: np.max(np.abs(frames @ bank.T) ** 2, axis=1) * 2 / _FRAME
                  for tone, bank in self._banks.items()}
        out: list[FaxTone | None] = []
        for i in range(frames.shape[0]):
            found = None
            if total[i] >= self._min_energy:
                for tone, e in energy.items():
                    if e[i] >= _DOMINANCE * total[i]:
                        found = tone
            out.append(found)
        return out

    def _step(self, tone: FaxTone | None) -> list[ToneEvent]:
        """Advance the on/off state machine by one frame."""
        self._n_frames += 1
        index = self._n_frames * _FRAME
        events: list[ToneEvent] = []
        if self.present is not None:
            self._gap = 0 if tone is self.present else self._gap + 1
            if self._gap < self._hangover:
                return events
            events.append(ToneEvent(self.present, False, index))
            self.present = None
        if tone is not None and tone is self._candidate:
            self._run += 1
        else:
            self._candidate, self._run = tone, int(tone is not None)
        if self._candidate is not None and self._run >= self._min_on:
            self.present, self._gap, self._run = self._candidate, 0, 0
            self._candidate = None
            events.append(ToneEvent(self.present, True, index))
        return events
