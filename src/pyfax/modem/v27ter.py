"""V.27ter: 4800 bit/s 8-phase (1600 baud) and 2400 bit/s 4-phase (1200 baud) DPSK, 1800 Hz.

What it implements (ITU-T V.27ter):
    * §2.1, §2.2: the carrier (1800 Hz) and the modulation rates.
    * §2.3: differential phase coding: at 4800 bit/s each tribit selects a
      phase change in 45° steps (Table 1/V.27ter, Gray coded), at 2400 bit/s
      each dibit a change of 0°, 90°, 180° or 270° (Table 2/V.27ter).
    * §3: the 1 + x^-6 + x^-7 scrambler with its guard against repeating
      patterns (``_scrambler``).
    * §2.5.1 (Table 3/V.27ter), the long training: segment 1, 200 ms of
      unmodulated carrier for talker echo protection (on request); segment
      2, 32 symbols of no signal; segment 3, 50 symbols
      of continuous 180° reversals; segment 4, 1074 symbols of 0° or 180°
      changes chosen by every third output of the scrambler fed with ones
      (register started at 0111100); segment 5, 8 symbols of scrambled ones.

How it works:
    The training plan, the phase coder and the scrambler states are plugged
    into the shared linear-modem transmitter and receiver (``_qam_tx``,
    ``_qam_rx``) through a ``ModemProfile``; the phase changes and their
    accumulation are shared with V.29 (``_dpsk``). The scrambler keeps running
    from segment 4 into the data, so the profile hands out a scrambler (and
    a descrambler) already advanced through segment 4.
"""

from __future__ import annotations

import numpy as np

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

__all__ = ["V27TER_RATES_BPS", "V27terReceiver", "V27terTransmitter", "v27ter_profile"]

V27TER_RATES_BPS = (4800, 2400)

# Phase k (45° steps) is sqrt(2) * exp(j k pi/4): Figure 1/V.27ter.
_POINTS = np.sqrt(2.0) * np.exp(1j * np.pi / 4.0 * np.arange(8))
_POINTS = np.round(_POINTS.real, 12) + 1j * np.round(_POINTS.imag, 12)
# Phase change (45° steps) per tribit (Table 1) and per dibit (Table 2): _dpsk.

_SEG2_SILENCE = 32
_SEG3_REVERSALS = 50
_SEG4_SYMBOLS = 1074
_SEG5_ONES = 8
_TAIL_ONES = 32
_SCRAMBLER_SEED = 0b0111100


def _segment4_line_bits() -> Bits:
    """The scrambler's output over segment 4 (three bits per symbol, ones in)."""
    return Scrambler(ScramblerPoly.V27TER, register=_SCRAMBLER_SEED).process(
        np.ones(3 * _SEG4_SYMBOLS, np.uint8))


_SEG4_LINE = _segment4_line_bits()
_SEG3_PHASES = (4 * np.arange(1, _SEG3_REVERSALS + 1)) % 8
_SEG4_PHASES = (_SEG3_PHASES[-1] + np.cumsum(4 * _SEG4_LINE[0::3].astype(np.int64))) % 8
_DATA_PHASE = int(_SEG4_PHASES[-1])


def _plan(baud: int) -> TrainingPlan:
    # Segment 1 (talker echo protection, sent on request): 200 ms of
    # unmodulated carrier at the phase segment 3 starts from.
    tep = np.full(baud // 5, _POINTS[0])
    return TrainingPlan(silence_symbols=_SEG2_SILENCE, periodic=_POINTS[_SEG3_PHASES],
                        known=_POINTS[_SEG4_PHASES], ones_symbols=_SEG5_ONES,
                        tail_symbols=_TAIL_ONES, tep=tep)


def _scrambler() -> Scrambler:
    s = Scrambler(ScramblerPoly.V27TER, register=_SCRAMBLER_SEED)
    s.process(np.ones(3 * _SEG4_SYMBOLS, np.uint8))
    return s


def _descrambler() -> Descrambler:
    d = Descrambler(ScramblerPoly.V27TER, register=_SCRAMBLER_SEED)
    d.process(_SEG4_LINE)
    return d


class _V27terEncoder:
    """Differential phase coding (§2.3), continuing from the training's last phase."""

    def __init__(self, rate: int) -> None:
        self._bps = 3 if rate == 4800 else 2
        self._phase = DifferentialPhase(_DATA_PHASE)

    def encode(self, line_bits: Bits) -> Symbols:
        g = np.asarray(line_bits, np.int64).reshape(-1, self._bps)
        if self._bps == 3:
            steps = STEPS_8[4 * g[:, 0] + 2 * g[:, 1] + g[:, 2]]
        else:
            steps = STEPS_4[2 * g[:, 0] + g[:, 1]]
        out: Symbols = _POINTS[self._phase.accumulate(steps)]
        return out


def _decider(rate: int) -> DifferentialDecider:
    """Nearest phase and differential decoding, from the training's last phase."""
    bps = 3 if rate == 4800 else 2
    allowed = np.arange(8) if bps == 3 else np.array([0, 2, 4, 6])
    return DifferentialDecider(_POINTS, allowed, change_bits(bps), _DATA_PHASE)


def v27ter_profile(bit_rate: int) -> ModemProfile:
    """The V.27ter profile at ``bit_rate`` (4800 or 2400 bit/s).

    Raises:
        ModemError: for any other rate.
    """
    if bit_rate not in V27TER_RATES_BPS:
        raise ModemError(f"V.27ter has no {bit_rate} bit/s rate (only {V27TER_RATES_BPS})")
    baud = 1600 if bit_rate == 4800 else 1200
    spec = LinearModemSpec(
        name="V.27ter", bit_rate_bps=bit_rate, carrier_hz=1800, baud=baud,
        bits_per_symbol=bit_rate // baud, rolloff=0.5, tx_span_symbols=8,
        rx_span_symbols=8, mean_symbol_power=2.0)

    def encoder() -> SymbolEncoder:
        return _V27terEncoder(bit_rate)

    def decider() -> SymbolDecider:
        return _decider(bit_rate)

    return ModemProfile(spec=spec, new_plan=lambda: _plan(baud), new_encoder=encoder,
                        new_decider=decider,
                        new_scrambler=_scrambler, new_descrambler=_descrambler)


class V27terTransmitter(QamTransmitterBase):
    """V.27ter transmitter: long training, the data bits, then a tail of ones.

    Args:
        bit_rate: 4800 or 2400 bit/s.
        level_dbm0: transmit level, dBm0 (default -10).
        tep: send 200 ms of unmodulated carrier first (talker echo protection,
            which T.4 §5.1 asks of Group 3 facsimile).
    """

    def __init__(self, bit_rate: int, *, level_dbm0: float = -10.0, tep: bool = False) -> None:
        super().__init__(v27ter_profile(bit_rate), level_dbm0=level_dbm0, tep=tep)


class V27terReceiver(QamReceiverBase):
    """V.27ter receiver: finds the training, trains, then delivers descrambled data bits.

    Args:
        bit_rate: 4800 or 2400 bit/s.
        cutoff_dbm0: carrier-detect level (default -43 dBm0, as a fax terminal).
    """

    def __init__(self, bit_rate: int, *, cutoff_dbm0: float | None = None) -> None:
        super().__init__(v27ter_profile(bit_rate), cutoff_dbm0=cutoff_dbm0)
