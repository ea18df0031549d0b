"""Binary FSK specification and continuous-phase FSK transmitter (ITU-T V.21).

The transmitter keeps its phase as an integer count of 1/``phase_steps`` of a
cycle: with tones on a grid of ``SAMPLE_RATE_HZ / phase_steps`` Hz (50 Hz for
V.21, so 160 steps), each sample advances the phase by a whole number of steps,
which makes the waveform exact and independent of how it is cut into blocks.
Bit ``k`` occupies samples ``ceil(k * fs / baud)`` up to the next bit's first
sample, so a fractional bit length (26 2/3 samples at 300 baud) never drifts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from pyfax.errors import ModemError
from pyfax.modem._dsp import dbm0_to_amplitude, to_int16
from pyfax.modem.base import SAMPLE_RATE_HZ, Bits, Samples

__all__ = ["FskSpec", "FskTransmitter"]

_IDLE_BIT = 1  # an idle asynchronous line sends mark


@dataclass(frozen=True, slots=True)
class FskSpec:
    """The tones and rate of a binary FSK channel.

    Attributes:
        name: a label for messages.
        mark_hz: the tone of a binary 1.
        space_hz: the tone of a binary 0.
        baud: symbols (bits) per second.
    """

    name: str
    mark_hz: int
    space_hz: int
    baud: int

    @property
    def phase_steps(self) -> int:
        """Steps per cycle such that both tones advance a whole number of steps per sample."""
        grid_hz = math.gcd(math.gcd(self.mark_hz, self.space_hz), SAMPLE_RATE_HZ)
        return SAMPLE_RATE_HZ // grid_hz

    def bit_start(self, k: int) -> int:
        """First sample index of bit ``k`` (counted from the first bit)."""
        return -((-k * SAMPLE_RATE_HZ) // self.baud)


class FskTransmitter:
    """A streaming continuous-phase FSK modulator.

    Args:
        spec: the channel's tones and rate.
        level_dbm0: transmit level (spandsp's dBm0 convention).
    """

    def __init__(self, spec: FskSpec, *, level_dbm0: float = -10.0) -> None:
        if not -60.0 <= level_dbm0 <= 3.14:
            raise ModemError(f"transmit level {level_dbm0} dBm0 is outside -60..+3.14")
        self.spec = spec
        self.level_dbm0 = level_dbm0
        steps = spec.phase_steps
        self._wave = to_int16(dbm0_to_amplitude(level_dbm0)
                              * np.sin(2.0 * np.pi * np.arange(steps) / steps))
        self._step_mark = spec.mark_hz * steps // SAMPLE_RATE_HZ
        self._step_space = spec.space_hz * steps // SAMPLE_RATE_HZ
        self._queue = np.zeros(0, dtype=np.uint8)
        self._bits_sent = 0  # bits taken from the queue or idled so far
        self._sample_index = 0  # samples returned so far
        self._phase = 0  # in 1/steps of a cycle
        self._current_bit = _IDLE_BIT  # value of the bit in progress
        self._ended = False

    def put_bits(self, bits: Bits) -> None:
        """Queue data bits (0/1, in line order)."""
        if self._ended:
            raise ModemError("put_bits() after end_of_data()")
        b = np.asarray(bits).reshape(-1)
        if b.size and (b.min() < 0 or b.max() > 1):
            raise ModemError("bits must be 0 or 1")
        self._queue = np.concatenate([self._queue, b.astype(np.uint8)])

    def end_of_data(self) -> None:
        """No more bits follow: stop after the last queued bit."""
        self._ended = True

    @property
    def done(self) -> bool:
        """True once the last bit has been fully sent after ``end_of_data()``."""
        return self._ended and self._queue.size == 0 and (
            self._sample_index >= self.spec.bit_start(self._bits_sent))

    def tx(self, n_samples: int) -> Samples:
        """Up to ``n_samples`` samples; idles on mark while waiting for bits."""
        if n_samples < 0:
            raise ModemError(f"n_samples must not be negative, got {n_samples}")
        spec = self.spec
        first = self._sample_index
        stop = first + n_samples
        if self._ended:
            stop = min(stop, spec.bit_start(self._bits_sent + self._queue.size))
        if stop <= first:
            return np.zeros(0, dtype=np.int16)
        n = np.arange(first, stop, dtype=np.int64)
        bit_index = (n * spec.baud) // SAMPLE_RATE_HZ  # absolute bit of each sample
        n_new = max(0, int(bit_index[-1]) + 1 - self._bits_sent)
        taken = self._queue[:n_new]
        self._queue = self._queue[taken.size:]
        idle = np.full(n_new - taken.size, _IDLE_BIT, np.uint8)
        values = np.concatenate([[self._current_bit], taken, idle]).astype(np.uint8)
        line_bits = values[bit_index - (self._bits_sent - 1)]
        self._bits_sent += n_new
        self._current_bit = int(values[-1])
        self._sample_index = stop
        return self._render(line_bits)

    def _render(self, line_bits: Bits) -> Samples:
        """Samples for one bit value per sample, advancing the carried phase."""
        steps = np.where(line_bits == 1, self._step_mark, self._step_space)
        phase = (self._phase + np.cumsum(steps) - steps) % self.spec.phase_steps
        self._phase = int(phase[-1] + steps[-1]) % self.spec.phase_steps
        wave: Samples = self._wave[phase]
        return wave
