"""V.17 training sequences (V.17 §2.5, Table 3), shared by transmitter and receiver.

Segment 1 alternates A and B (256 symbols). Segment 2 sends one of C, D, B, A
per symbol, chosen by two scrambled ones (the scrambler starts from
:data:`~pyfax.modem._v17_tables.SCRAMBLER_SEED`): 2976 symbols in a long
train, 38 in a short train. Segment 3, in a long train only, is the TCM
bridge: 64 symbols that step around A->B->C->D by amounts chosen by the
scrambled 16-bit bridge word. Segment 4 (48 symbols of scrambled ones through
the trellis encoder) belongs to the data path and is produced there. The
scrambler keeps running from segment 2 into segment 4 and the data, so the
generator hands back its scrambler.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pyfax.modem._scrambler import Scrambler, ScramblerPoly
from pyfax.modem._v17_tables import (
    ABCD,
    BRIDGE_DIBIT_TO_STEP,
    BRIDGE_WORD,
    SCRAMBLER_SEED,
    SEG1_SYMBOLS,
    SEG2_DIBIT_TO_ABCD,
    SEG2_LONG_SYMBOLS,
    SEG2_SHORT_SYMBOLS,
    SEG3_SYMBOLS,
)

__all__ = ["Training", "make_training"]


@dataclass(frozen=True, slots=True)
class Training:
    """A training sequence up to the end of segment 3.

    Attributes:
        symbols: the complex training symbols, segment 1 first.
        seg2_targets: the segment-2 symbols alone (what a receiver trains on).
        seg1_len: symbols in segment 1.
        seg2_len: symbols in segment 2.
        seg3_len: symbols in segment 3 (0 in a short train).
        register: the scrambler register after the last training symbol.
    """

    symbols: NDArray[np.complex128]
    seg2_targets: NDArray[np.complex128]
    seg1_len: int
    seg2_len: int
    seg3_len: int
    register: int


def _bridge_bits() -> NDArray[np.uint8]:
    """The 128 bridge bits of segment 3: the 16-bit word, LSB first, 8 times."""
    word = [(BRIDGE_WORD >> k) & 1 for k in range(16)]
    return np.array(word * (SEG3_SYMBOLS // 8), dtype=np.uint8)


def make_training(short: bool) -> Training:
    """The long (or short) V.17 training sequence up to segment 4."""
    seg1 = ABCD[np.arange(SEG1_SYMBOLS) & 1]
    seg2_len = SEG2_SHORT_SYMBOLS if short else SEG2_LONG_SYMBOLS
    scr = Scrambler(ScramblerPoly.V29_V17, register=SCRAMBLER_SEED)
    b = scr.process(np.ones(2 * seg2_len, np.uint8)).astype(np.int64)
    states = np.asarray(SEG2_DIBIT_TO_ABCD)[(b[0::2] << 1) | b[1::2]]
    seg2 = ABCD[states]
    parts = [seg1, seg2]
    seg3_len = 0
    if not short:
        seg3_len = SEG3_SYMBOLS
        b = scr.process(_bridge_bits()).astype(np.int64)
        steps = np.asarray(BRIDGE_DIBIT_TO_STEP)[(b[0::2] << 1) | b[1::2]]
        parts.append(ABCD[(states[-1] + np.cumsum(steps)) & 3])
    return Training(np.concatenate(parts), seg2, SEG1_SYMBOLS, seg2_len, seg3_len,
                    scr.register)
