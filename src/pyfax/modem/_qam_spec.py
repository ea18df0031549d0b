"""Specs and hooks of the linear (PSK/QAM) modems: V.27ter, V.29, V.17.

What it defines:
    * :class:`LinearModemSpec`, the frozen numbers of one modem at one rate
      (carrier, baud, roll-off, equaliser size, carrier-detect cutoff).
    * :class:`TrainingPlan`, the training sequence as the transmitter sends it
      and as the receiver expects it.
    * The two pluggable hooks, :class:`SymbolEncoder` (line bits to symbols,
      used by ``_qam_tx``) and :class:`SymbolDecider` (equalised symbols to
      reference points and line bits, used by ``_qam_rx``), bundled with the
      spec and the plan in a :class:`ModemProfile`.
    * The root-raised-cosine pulse and its polyphase banks.

How a modem plugs in (see ``v29.py``, ``v27ter.py``, ``_v17_profile.py``):
    A modem module builds a ``ModemProfile`` per rate. ``new_plan()`` gives
    the training (``silence_symbols`` of nothing, a ``periodic`` segment of
    period two symbols, such as ABAB or phase reversals, then the ``known``
    equaliser-conditioning symbols, then ``ones_symbols`` data symbols made
    from scrambled binary ones, then user data, then ``tail_symbols`` of
    scrambled ones, then ``post_tail_silence_symbols`` of nothing).
    ``new_scrambler()``/``new_descrambler()`` give the data
    scrambler in its state at the first ``ones`` symbol. ``new_encoder()`` maps
    line bits (``bits_per_symbol`` per symbol) to complex symbols, keeping
    differential or trellis state; ``new_decider()`` is its inverse at the
    receiver: it slices equalised symbols, returning for each the reference
    point for the equaliser/carrier error and, possibly later (a Viterbi
    decoder may delay them), the line bits. Symbols use the Recommendation's
    own constellation coordinates (e.g. V.29's ``3 + 0j``); the receiver's
    equaliser learns the scale.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Protocol, TypeAlias

import numpy as np
from numpy.typing import NDArray

from pyfax.modem._scrambler import Descrambler, Scrambler
from pyfax.modem.base import SAMPLE_RATE_HZ, Bits

__all__ = [
    "LinearModemSpec",
    "ModemProfile",
    "SymbolDecider",
    "SymbolEncoder",
    "Symbols",
    "TrainingPlan",
    "polyphase_bank",
    "rrc_pulse",
]

Symbols: TypeAlias = NDArray[np.complex128]


@dataclass(frozen=True, slots=True)
class LinearModemSpec:
    """The numbers of one linear modem at one bit rate.

    Attributes:
        name: e.g. "V.29".
        bit_rate_bps: data signalling rate.
        carrier_hz: carrier frequency (an integer number of Hz).
        baud: modulation rate, symbols per second.
        bits_per_symbol: data bits carried by one symbol.
        rolloff: root-raised-cosine roll-off (excess bandwidth) of the pulse.
        tx_span_symbols: length of the transmit pulse, in symbols.
        rx_span_symbols: length of the receive (matched) filter, in symbols.
        mean_symbol_power: mean |symbol|^2 of random data, for the level.
        eq_taps: fractionally spaced (T/2) equaliser taps.
        cutoff_dbm0: carrier-detect threshold; carrier drops 4 dB below it.
        tx_timing_symbols: the transmitter's symbol-timing phase: output
            sample ``n`` is shaped at ``n * baud / 8000 + tx_timing_symbols``
            symbols (symbol ``k``'s pulse peaks at time ``k + span/2``).
            0 for V.29 and V.27ter; V.17 uses spandsp's timing (-13/20),
            because spandsp's V.17 receiver keeps the symbol timing of a
            long train for the short train that follows it.
        tx_onset_silent_samples: the first samples of every burst are sent as
            silence. They carry only the pulse pre-cursors of the first
            symbols (a few percent of the signal), a ramp so gradual that a
            power-threshold carrier detector fires a level-dependent number of
            samples in. spandsp's V.17 receiver restarts its symbol timing from
            that instant for a short train, and slips a symbol at some levels
            (-6 and -12.5 to -13.5 dBm0 with the full ramp); a clean onset makes
            the instant the same at every level.
    """

    name: str
    bit_rate_bps: int
    carrier_hz: int
    baud: int
    bits_per_symbol: int
    rolloff: float
    tx_span_symbols: int
    rx_span_symbols: int
    mean_symbol_power: float
    eq_taps: int = 24
    cutoff_dbm0: float = -43.0
    tx_timing_symbols: Fraction = Fraction(0)
    tx_onset_silent_samples: int = 0

    @property
    def samples_per_symbol(self) -> Fraction:
        """Samples per symbol at 8000 Hz, exactly (e.g. 10/3 for 2400 baud)."""
        return Fraction(SAMPLE_RATE_HZ, self.baud)


@dataclass(frozen=True, slots=True)
class TrainingPlan:
    """The training sequence, segment by segment.

    Attributes:
        silence_symbols: symbols of no signal that open the sequence.
        periodic: a segment of period two symbols (ABAB, reversals): the
            receiver finds timing and carrier frequency on it.
        known: the equaliser-conditioning symbols that follow ``periodic``
            immediately; the receiver trains its equaliser on them.
        ones_symbols: data symbols of scrambled binary ones before user data.
        tail_symbols: data symbols of scrambled binary ones after user data.
        tep: the optional talker-echo-protection tone (unmodulated carrier)
            sent before everything else when asked for; the receiver skips it.
        post_tail_silence_symbols: symbols of no signal the transmitter
            sends after the tail (V.17: 48, as spandsp sends and expects);
            0 ends the burst once the tail's last pulse has died away.
    """

    silence_symbols: int
    periodic: Symbols
    known: Symbols
    ones_symbols: int
    tail_symbols: int
    tep: Symbols = field(default_factory=lambda: np.zeros(0, np.complex128))
    post_tail_silence_symbols: int = 0


class SymbolEncoder(Protocol):
    """Maps line (scrambled) bits to symbols, keeping its state between calls."""

    def encode(self, line_bits: Bits) -> Symbols:
        """Symbols for ``line_bits``, whose length is a multiple of bits per symbol."""
        ...


class SymbolDecider(Protocol):
    """Decides equalised symbols, keeping its state (differential, trellis) between calls."""

    def decide(self, z: Symbols) -> tuple[Symbols, Bits]:
        """For each of ``z``: the reference point (same length as ``z``); and the
        line bits decided so far (any length: a Viterbi decoder may lag)."""
        ...

    def flush(self) -> Bits:
        """Line bits still held back (end of carrier); empty for a plain slicer."""
        ...


@dataclass(frozen=True, slots=True)
class ModemProfile:
    """Everything the shared transmitter and receiver need for one modem and rate."""

    spec: LinearModemSpec
    new_plan: Callable[[], TrainingPlan]
    new_encoder: Callable[[], SymbolEncoder]
    new_decider: Callable[[], SymbolDecider]
    new_scrambler: Callable[[], Scrambler]
    new_descrambler: Callable[[], Descrambler]


def rrc_pulse(rolloff: float, t_symbols: NDArray[np.float64]) -> NDArray[np.float64]:
    """Root-raised-cosine impulse response at times ``t_symbols`` (in symbols).

    Peak value 1 at t = 0 before any normalisation; the removable
    singularities at t = 0 and |t| = 1/(4·rolloff) take their limits.

    >>> round(float(rrc_pulse(0.5, np.array([0.0]))[0]), 4)
    1.1366
    """
    b = rolloff
    t = np.asarray(t_symbols, dtype=np.float64)
    out = np.empty_like(t)
    at_zero = np.abs(t) < 1e-9
    at_edge = np.abs(np.abs(t) - 1.0 / (4.0 * b)) < 1e-9 if b > 0 else np.zeros_like(at_zero)
    rest = ~(at_zero | at_edge)
    tr = t[rest]
    num = np.sin(np.pi * tr * (1 - b)) + 4 * b * tr * np.cos(np.pi * tr * (1 + b))
    den = np.pi * tr * (1 - (4 * b * tr) ** 2)
    out[rest] = num / den
    out[at_zero] = 1 - b + 4 * b / np.pi
    edge = (b / math.sqrt(2)) * (
        (1 + 2 / np.pi) * math.sin(np.pi / (4 * b)) + (1 - 2 / np.pi) * math.cos(np.pi / (4 * b))
    ) if b > 0 else 0.0
    out[at_edge] = edge
    return out


def polyphase_bank(rolloff: float, span_symbols: int, sps: float,
                   phases: int) -> NDArray[np.float64]:
    """A root-raised-cosine filter split into ``phases`` fractional-delay branches.

    Row ``p`` holds the taps that, dotted with the newest-first input
    samples ``x[n], x[n-1], ...``, give the filter output at time ``n - delay
    + p/phases`` (``delay`` = half the length), so the rows step the output
    time forward in ``1/phases`` of a sample. Unity gain at DC per sample.

    Args:
        rolloff: the excess bandwidth.
        span_symbols: filter length in symbols.
        sps: samples per symbol.
        phases: fractional-delay resolution, branches per sample.
    """
    n_taps = math.ceil(span_symbols * sps) | 1
    centre = (n_taps - 1) / 2.0
    i = np.arange(n_taps, dtype=np.float64)
    frac = np.arange(phases, dtype=np.float64)[:, None] / phases
    t_samples = i[None, :] - centre + frac
    bank = rrc_pulse(rolloff, t_samples / sps)
    return np.asarray(bank / bank[0].sum() * 1.0)
