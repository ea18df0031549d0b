"""V.29: 9600, 7200 and 4800 bit/s QAM on a 1700 Hz carrier at 2400 baud.

What it implements (ITU-T V.29):
    * §2: the 16-point constellation (eight phases, two amplitudes per phase)
      and its subsets at 7200 and 4800 bit/s.
    * §3: the coding: at 9600 bit/s the first bit of each quadbit (Q1)
      chooses the amplitude, the next three (Q2 Q3 Q4) the phase change of
      Table 1/V.29 (Gray coded, in 45° steps); at 7200 bit/s a tribit
      chooses the phase change; at 4800 bit/s a dibit chooses 0°, 90°, 180°
      or 270°.
    * §4: the 1 + x^-18 + x^-23 scrambler (``_scrambler``).
    * §5 (Table 3/V.29): the synchronising signals: segment 1, 48 symbols of
      no signal; segment 2, 128 symbols alternating B and A; segment 3, 384
      symbols of C or D chosen by the 1 + x^-6 + x^-7 training generator
      started at 0101010; segment 4, 48 symbols of scrambled binary ones.

How it works:
    The constellation, the training plan and the differential coder are
    plugged into the shared linear-modem transmitter and receiver
    (``_qam_tx``, ``_qam_rx``) through a ``ModemProfile``; the phase changes
    and their accumulation are shared with V.27ter (``_dpsk``). The point tables and
    the order of the training segments follow spandsp, the reference peer.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from pyfax.errors import ModemError
from pyfax.modem._dpsk import (
    STEPS_4,
    STEPS_8,
    DifferentialDecider,
    DifferentialPhase,
    change_bits,
)
from pyfax.modem._qam_public import QamReceiverBase, QamTransmitterBase
from pyfax.modem._qam_spec import (
    LinearModemSpec,
    ModemProfile,
    SymbolDecider,
    SymbolEncoder,
    Symbols,
    TrainingPlan,
)
from pyfax.modem._scrambler import Descrambler, Scrambler, ScramblerPoly
from pyfax.modem.base import Bits

__all__ = ["V29_RATES_BPS", "V29Receiver", "V29Transmitter", "v29_profile"]

V29_RATES_BPS = (9600, 7200, 4800)

# Index = 8 * amplitude bit + phase (in 45° steps): Figure 1/V.29.
_POINTS = np.array(
    [3, 1 + 1j, 3j, -1 + 1j, -3, -1 - 1j, -3j, 1 - 1j,
     5, 3 + 3j, 5j, -3 + 3j, -5, -3 - 3j, -5j, 3 - 3j], dtype=np.complex128)
# Phase change, in 45° steps, for the tribit Q2Q3Q4 (Table 1/V.29) and for
# the dibit at 4800 bit/s: _dpsk.

# Segment 2 (A, B) and segment 3 (C, D) points for each rate (Table 3/V.29).
_AB = {9600: (3 - 3j, -3 + 0j), 7200: (1 - 1j, -3 + 0j), 4800: (-3j, -3 + 0j)}
_CD = {9600: (3 + 0j, -3 + 3j), 7200: (3 + 0j, -1 + 1j), 4800: (3 + 0j, 3j)}

_TEP_SYMBOLS = 480  # 200 ms of unmodulated carrier (talker echo protection)
_SEG1_SILENCE = 48
_SEG2_ABAB = 128
_SEG3_CDCD = 384
_SEG4_ONES = 48
_TAIL_ONES = 32
_TRAINING_PRBS_SEED = 0b0101010


def _training_prbs(n: int) -> list[int]:
    """The segment 3 bits: 1 + x^-6 + x^-7 started at 0101010 (§5.3)."""
    reg = _TRAINING_PRBS_SEED
    out = []
    for _ in range(n):
        bit = reg & 1
        reg >>= 1
        reg |= ((bit ^ reg) & 1) << 6
        out.append(bit)
    return out


def _plan(rate: int) -> TrainingPlan:
    a, b = _AB[rate]
    c, d = _CD[rate]
    periodic = np.array([b, a] * (_SEG2_ABAB // 2), dtype=np.complex128)
    known = np.where(np.array(_training_prbs(_SEG3_CDCD)) == 1, d, c).astype(np.complex128)
    return TrainingPlan(silence_symbols=_SEG1_SILENCE, periodic=periodic, known=known,
                        ones_symbols=_SEG4_ONES, tail_symbols=_TAIL_ONES,
                        tep=np.full(_TEP_SYMBOLS, 3 + 0j))


def _symbol_fields(rate: int, groups: Bits) -> tuple[Bits, NDArray[np.int64]]:
    """Amplitude bits and phase steps of bit groups (one row per symbol)."""
    g = groups.astype(np.int64)
    if rate == 9600:
        return groups[:, 0], STEPS_8[4 * g[:, 1] + 2 * g[:, 2] + g[:, 3]]
    if rate == 7200:
        return np.zeros(len(g), np.uint8), STEPS_8[4 * g[:, 0] + 2 * g[:, 1] + g[:, 2]]
    return np.zeros(len(g), np.uint8), STEPS_4[2 * g[:, 0] + g[:, 1]]


class _V29Encoder:
    """Differential phase coding (§3): the phase accumulates the steps."""

    def __init__(self, rate: int) -> None:
        self._rate = rate
        self._bps = rate // 2400
        self._phase = DifferentialPhase(0)

    def encode(self, line_bits: Bits) -> Symbols:
        groups = np.asarray(line_bits, np.uint8).reshape(-1, self._bps)
        amp, steps = _symbol_fields(self._rate, groups)
        out: Symbols = _POINTS[8 * amp.astype(np.int64) + self._phase.accumulate(steps)]
        return out


def _bit_table(rate: int) -> NDArray[np.uint8]:
    """Line bits of a symbol, indexed by ``8 * amplitude + phase change``."""
    phase_bits = np.tile(change_bits(2 if rate == 4800 else 3), (2, 1))
    if rate != 9600:  # one amplitude: the index's amplitude bit is always 0
        return phase_bits
    amp = np.repeat(np.arange(2, dtype=np.uint8), 8)[:, None]
    return np.hstack([amp, phase_bits])


def _decider(rate: int) -> DifferentialDecider:
    """Nearest-point slicing and differential decoding."""
    allowed = {9600: np.arange(16), 7200: np.arange(8)}.get(rate, np.array([0, 2, 4, 6]))
    return DifferentialDecider(_POINTS, allowed, _bit_table(rate), 0)


def v29_profile(bit_rate: int) -> ModemProfile:
    """The V.29 profile at ``bit_rate`` (9600, 7200 or 4800 bit/s).

    Raises:
        ModemError: for any other rate.
    """
    if bit_rate not in V29_RATES_BPS:
        raise ModemError(f"V.29 has no {bit_rate} bit/s rate (only {V29_RATES_BPS})")
    mean_power = {9600: 13.5, 7200: 5.5, 4800: 9.0}[bit_rate]
    spec = LinearModemSpec(
        name="V.29", bit_rate_bps=bit_rate, carrier_hz=1700, baud=2400,
        bits_per_symbol=bit_rate // 2400, rolloff=0.25, tx_span_symbols=12,
        rx_span_symbols=12, mean_symbol_power=mean_power)

    def encoder() -> SymbolEncoder:
        return _V29Encoder(bit_rate)

    def decider() -> SymbolDecider:
        return _decider(bit_rate)

    return ModemProfile(
        spec=spec, new_plan=lambda: _plan(bit_rate), new_encoder=encoder,
        new_decider=decider, new_scrambler=lambda: Scrambler(ScramblerPoly.V29_V17),
        new_descrambler=lambda: Descrambler(ScramblerPoly.V29_V17))


class V29Transmitter(QamTransmitterBase):
    """V.29 transmitter: training, then the data bits, then a tail of ones.

    Args:
        bit_rate: 9600, 7200 or 4800 bit/s.
        level_dbm0: transmit level, dBm0 (default -10).
        tep: send 200 ms of unmodulated carrier first (talker echo protection).
    """

    def __init__(self, bit_rate: int, *, level_dbm0: float = -10.0, tep: bool = False) -> None:
        super().__init__(v29_profile(bit_rate), level_dbm0=level_dbm0, tep=tep)


class V29Receiver(QamReceiverBase):
    """V.29 receiver: finds the training, trains, then delivers descrambled data bits.

    Args:
        bit_rate: 9600, 7200 or 4800 bit/s.
        cutoff_dbm0: carrier-detect level (default -43 dBm0, as a fax terminal).
    """

    def __init__(self, bit_rate: int, *, cutoff_dbm0: float | None = None) -> None:
        super().__init__(v29_profile(bit_rate), cutoff_dbm0=cutoff_dbm0)
