"""Facsimile control fields (FCF) of T.30 §5.3.6.1, and the HDLC frame header.

An FCF octet is written here as the octet value the HDLC layer carries (the
first bit on the line is the least significant bit), as spandsp writes it.
Most command and response FCFs have an "X" bit in that least significant bit
(T.30 §5.3.6.1): the station that received a valid DIS (the caller in an
ordinary send) sets it to 1. Frames of the initial identification groups
(DIS/CSI/NSF and DTC/CIG/NSC/...) have no X bit: their low bit tells DIS from
DTC. :func:`parse_fcf` therefore looks an octet up exactly first, then with
the X bit masked.

Every frame on V.21 starts with the address octet 0xFF and a control octet:
0x03, or 0x13 for the final frame of a message (§5.3.5).
"""

from __future__ import annotations

import enum

from pyfax.errors import FrameDecodeError

__all__ = ["ADDRESS", "CONTROL", "CONTROL_FINAL", "FCF", "POST_MESSAGE", "fcf_octet", "parse_fcf"]

ADDRESS = 0xFF
CONTROL = 0x03
CONTROL_FINAL = 0x13


class FCF(enum.Enum):
    """T.30 frame types; values are the FCF octet with the X bit clear."""

    # Initial identification (no X bit)
    DIS = 0x80
    CSI = 0x40
    NSF = 0x20
    DTC = 0x81
    CIG = 0x41
    NSC = 0x21
    PWD = 0xC1
    SEP = 0xA1
    PSA = 0x61
    # Commands to send (X bit)
    DCS = 0x82
    TSI = 0x42
    NSS = 0x22
    SUB = 0xC2
    SID = 0xA2
    CTC = 0x12
    # Pre-message responses
    CFR = 0x84
    FTT = 0x44
    CTR = 0xC4
    # Post-message commands
    EOM = 0x8E
    MPS = 0x4E
    EOP = 0x2E
    PRI_EOM = 0x9E
    PRI_MPS = 0x5E
    PRI_EOP = 0x3E
    PPS = 0xBE
    EOR = 0xCE
    RR = 0x6E
    # Post-message responses
    MCF = 0x8C
    RTP = 0xCC
    RTN = 0x4C
    PIP = 0xAC
    PIN = 0x2C
    PPR = 0xBC
    RNR = 0xEC
    ERR = 0x1C
    # Other line control
    DCN = 0xFA
    CRP = 0x1A
    FNV = 0xCA
    # Fast-modem (ECM) frames, T.4 Annex A
    FCD = 0x06
    RCP = 0x86

    @property
    def has_x_bit(self) -> bool:
        """False for the DIS/DTC identification groups, whose low bit is part of the type."""
        return self not in _NO_X


POST_MESSAGE = (FCF.MPS, FCF.EOP, FCF.EOM, FCF.PRI_MPS, FCF.PRI_EOP, FCF.PRI_EOM)
"""The post-message commands (T.30 §5.3.6.1.6), also the ones that PPS carries (Annex A)."""

_NO_X = frozenset({FCF.DIS, FCF.CSI, FCF.NSF, FCF.DTC, FCF.CIG, FCF.NSC, FCF.PWD,
                   FCF.SEP, FCF.PSA, FCF.FCD, FCF.RCP})
_BY_OCTET = {f.value: f for f in FCF}


def fcf_octet(fcf: FCF, x_bit: bool) -> int:
    """The octet to send for ``fcf``; the X bit is set when ``x_bit`` and the type has one.

    >>> hex(fcf_octet(FCF.DCS, True)), hex(fcf_octet(FCF.DIS, True))
    ('0x83', '0x80')
    """
    return fcf.value | (1 if x_bit and fcf.has_x_bit else 0)


def parse_fcf(octet: int) -> tuple[FCF, bool]:
    """The frame type and X bit of a received FCF octet.

    Raises:
        FrameDecodeError: the octet names no T.30 frame we know.

    >>> parse_fcf(0x83)
    (<FCF.DCS: 130>, True)
    """
    exact = _BY_OCTET.get(octet)
    if exact is not None and not (exact.has_x_bit and octet & 1):
        return exact, False
    masked = _BY_OCTET.get(octet & 0xFE)
    if masked is None or not masked.has_x_bit:
        raise FrameDecodeError(f"unknown facsimile control field 0x{octet:02X}")
    return masked, bool(octet & 1)
