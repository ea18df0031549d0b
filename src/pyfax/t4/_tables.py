"""Code tables of ITU-T T.4 (clause 4.1.1/4.1.2, Tables 1-4) and T.6 (Table 1).

What it holds: the modified Huffman (MH) terminating codes (run lengths 0-63)
and make-up codes (64-1728) for white and black runs, the extended make-up
codes shared by both colours (1792-2560, T.4 Table 3), the two-dimensional
mode codes (T.4 Table 4: pass, horizontal, vertical V0, VR1-3, VL1-3) and the
EOL code word.

How it works: the tables are written once as bit strings, exactly as the
Recommendation prints them, and turned at import into numpy arrays for the
encoder (code value and length indexed by run length) and into flat lookup
lists for the decoder, indexed by the next :data:`WINDOW_BITS` bits of the
stream. A decoder entry packs ``run << 4 | code_length``; negative entries
are :data:`INVALID` or :data:`EOL_ENTRY`.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np
from numpy.typing import NDArray


def _codes(text: str) -> list[str]:
    """Code words printed as space-separated bit strings, as T.4 prints them."""
    return text.split()


# T.4 Table 1: terminating codes, index = run length 0..63.
_WHITE_TERMINATING = _codes(
    "00110101 000111 0111 1000 1011 1100 1110 1111 10011 10100 00111 01000 "
    "001000 000011 110100 110101 101010 101011 0100111 0001100 0001000 "
    "0010111 0000011 0000100 0101000 0101011 0010011 0100100 0011000 "
    "00000010 00000011 00011010 00011011 00010010 00010011 00010100 "
    "00010101 00010110 00010111 00101000 00101001 00101010 00101011 "
    "00101100 00101101 00000100 00000101 00001010 00001011 01010010 "
    "01010011 01010100 01010101 00100100 00100101 01011000 01011001 "
    "01011010 01011011 01001010 01001011 00110010 00110011 00110100"
)
_BLACK_TERMINATING = _codes(
    "0000110111 010 11 10 011 0011 0010 00011 000101 000100 0000100 "
    "0000101 0000111 00000100 00000111 000011000 0000010111 0000011000 "
    "0000001000 00001100111 00001101000 00001101100 00000110111 "
    "00000101000 00000010111 00000011000 000011001010 000011001011 "
    "000011001100 000011001101 000001101000 000001101001 000001101010 "
    "000001101011 000011010010 000011010011 000011010100 000011010101 "
    "000011010110 000011010111 000001101100 000001101101 000011011010 "
    "000011011011 000001010100 000001010101 000001010110 000001010111 "
    "000001100100 000001100101 000001010010 000001010011 000000100100 "
    "000000110111 000000111000 000000100111 000000101000 000001011000 "
    "000001011001 000000101011 000000101100 000001011010 000001100110 "
    "000001100111"
)
# T.4 Table 2: make-up codes, index = run length / 64 for 64..1728.
_WHITE_MAKEUP = _codes(
    "11011 10010 010111 0110111 00110110 00110111 01100100 01100101 "
    "01101000 01100111 011001100 011001101 011010010 011010011 011010100 "
    "011010101 011010110 011010111 011011000 011011001 011011010 011011011 "
    "010011000 010011001 010011010 011000 010011011"
)
_BLACK_MAKEUP = _codes(
    "0000001111 000011001000 000011001001 000001011011 000000110011 "
    "000000110100 000000110101 0000001101100 0000001101101 0000001001010 "
    "0000001001011 0000001001100 0000001001101 0000001110010 0000001110011 "
    "0000001110100 0000001110101 0000001110110 0000001110111 0000001010010 "
    "0000001010011 0000001010100 0000001010101 0000001011010 0000001011011 "
    "0000001100100 0000001100101"
)
# T.4 Table 3: extended make-up codes for both colours, 1792..2560.
_EXTENDED_MAKEUP = _codes(
    "00000001000 00000001100 00000001101 000000010010 000000010011 "
    "000000010100 000000010101 000000010110 000000010111 000000011100 "
    "000000011101 000000011110 000000011111"
)

EOL_CODE = 0b000000000001
"""T.4 clause 4.1.2: the end-of-line code word, 11 zeros and a one."""
EOL_BITS = 12
RTC_EOLS = 6
"""T.4 clause 4.1.4: return to control is six consecutive EOLs."""
MAX_MAKEUP = 2560
"""The longest make-up code; longer runs repeat it (T.4 clause 4.1.1.2)."""


class Mode(IntEnum):
    """Two-dimensional coding modes of T.4 clause 4.2.1.3 (decoder ids)."""

    VL3 = 0
    VL2 = 1
    VL1 = 2
    V0 = 3
    VR1 = 4
    VR2 = 5
    VR3 = 6
    PASS = 7
    HORIZONTAL = 8


# T.4 Table 4: mode code words. Vertical modes are indexed by a1 - b1 + 3.
MODE_CODES: dict[Mode, str] = {
    Mode.VL3: "0000010",
    Mode.VL2: "000010",
    Mode.VL1: "010",
    Mode.V0: "1",
    Mode.VR1: "011",
    Mode.VR2: "000011",
    Mode.VR3: "0000011",
    Mode.PASS: "0001",
    Mode.HORIZONTAL: "001",
}

WINDOW_BITS = 13
"""Every T.4 code word, and the EOL, fits in 13 bits."""
INVALID = -1
EOL_ENTRY = -2


def _makeup_codes(short: list[str]) -> list[str]:
    """Make-up codes indexed by run/64, 0..40 (index 0 unused)."""
    return ["", *short, *_EXTENDED_MAKEUP]


def _as_arrays(codes: list[str]) -> tuple[NDArray[np.uint64], NDArray[np.int64]]:
    values = np.array([int(c, 2) if c else 0 for c in codes], dtype=np.uint64)
    lengths = np.array([len(c) for c in codes], dtype=np.int64)
    return values, lengths


_TERMINATING = (_WHITE_TERMINATING, _BLACK_TERMINATING)
_MAKEUP = (_makeup_codes(_WHITE_MAKEUP), _makeup_codes(_BLACK_MAKEUP))

# Encoder arrays, indexed [colour, run] (colour 0 = white, 1 = black).
TERM_VALUE = np.stack([_as_arrays(t)[0] for t in _TERMINATING])
TERM_BITS = np.stack([_as_arrays(t)[1] for t in _TERMINATING])
MAKEUP_VALUE = np.stack([_as_arrays(m)[0] for m in _MAKEUP])
MAKEUP_BITS = np.stack([_as_arrays(m)[1] for m in _MAKEUP])
MODE_VALUE = np.array([int(MODE_CODES[m], 2) for m in Mode], dtype=np.uint64)
MODE_BITS = np.array([len(MODE_CODES[m]) for m in Mode], dtype=np.int64)


_EOL = format(EOL_CODE, f"0{EOL_BITS}b")
"""The EOL code word as a bit string: 11 zeros and a one."""


def _fill(table: list[int], code: str, entry: int) -> None:
    """Set every window that starts with ``code`` to ``entry``."""
    free = WINDOW_BITS - len(code)
    base = int(code, 2) << free
    for low in range(1 << free):
        table[base | low] = entry


def _run_table(colour: int) -> list[int]:
    table = [INVALID] * (1 << WINDOW_BITS)
    for run, code in enumerate(_TERMINATING[colour]):
        _fill(table, code, run << 4 | len(code))
    for index, code in enumerate(_MAKEUP[colour]):
        if code:
            _fill(table, code, (index * 64) << 4 | len(code))
    _fill(table, _EOL, EOL_ENTRY)
    return table


def _mode_table() -> list[int]:
    table = [INVALID] * (1 << WINDOW_BITS)
    for mode, code in MODE_CODES.items():
        _fill(table, code, int(mode) << 4 | len(code))
    _fill(table, _EOL, EOL_ENTRY)
    return table


WHITE_RUNS = _run_table(0)
"""Decoder table: 13-bit window -> ``run << 4 | bits`` for a white run code."""
BLACK_RUNS = _run_table(1)
"""Decoder table: 13-bit window -> ``run << 4 | bits`` for a black run code."""
MODES = _mode_table()
"""Decoder table: 13-bit window -> ``Mode << 4 | bits`` for a 2-D mode code."""
