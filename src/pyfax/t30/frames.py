"""T.30 frames as frozen dataclasses with pure encode and decode (T.30 §5.3).

A frame on the wire is ``FF | control | FCF | FIF`` (the HDLC CRC is the
modem layer's business). ``control`` is 0x13 on the final frame of a message,
0x03 otherwise. :func:`encode_frame` builds the octets from a frame object;
:func:`decode_frame` parses them back and raises :class:`FrameDecodeError`,
and nothing else, on any octets that do not form a frame we understand.

Identities (CSI, TSI, CIG, SUB, SID, PWD, SEP, PSA) are 20 characters sent
last character first (§5.3.6.2.4-§5.3.6.2.10). Non-standard frames (NSF, NSC,
NSS) are kept as raw octets and otherwise ignored. PPS, PPR and CTC carry the
ECM fields of T.30 Annex A (§A.4); FCD and RCP are the fast-modem frames of
T.4 Annex A.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from pyfax.errors import FrameDecodeError
from pyfax.t30.dis import Capabilities, DcsParams
from pyfax.t30.fcf import (
    ADDRESS,
    CONTROL,
    CONTROL_FINAL,
    FCF,
    POST_MESSAGE,
    fcf_octet,
    parse_fcf,
)
from pyfax.t30.params import ModemRate

__all__ = [
    "IDENT_FCFS",
    "NSF_FCFS",
    "SIMPLE_FCFS",
    "Ctc",
    "Dcs",
    "Dis",
    "Dtc",
    "Eor",
    "Fcd",
    "Frame",
    "Ident",
    "Nonstandard",
    "Ppr",
    "Pps",
    "Received",
    "Simple",
    "decode_frame",
    "describe",
    "encode_frame",
]

IDENT_LEN = 20
_RATE_MASK = 0x3C  # bits 11-14 within the second FIF octet
PPR_BITMAP_OCTETS = 32
IDENT_FCFS = frozenset({FCF.CSI, FCF.TSI, FCF.CIG, FCF.SUB, FCF.SID, FCF.PWD, FCF.SEP, FCF.PSA})
NSF_FCFS = frozenset({FCF.NSF, FCF.NSC, FCF.NSS})
SIMPLE_FCFS = frozenset({
    FCF.CFR, FCF.FTT, FCF.CTR, FCF.EOM, FCF.MPS, FCF.EOP, FCF.PRI_EOM, FCF.PRI_MPS,
    FCF.PRI_EOP, FCF.RR, FCF.MCF, FCF.RTP, FCF.RTN, FCF.PIP, FCF.PIN, FCF.RNR, FCF.ERR,
    FCF.DCN, FCF.CRP, FCF.FNV, FCF.RCP,
})


@dataclass(frozen=True, slots=True)
class Dis:
    """Digital identification signal: the answerer's capabilities."""

    caps: Capabilities
    fcf = FCF.DIS

    def fif(self) -> bytes:
        return self.caps.encode()


@dataclass(frozen=True, slots=True)
class Dtc:
    """Digital transmit command: a poller's capabilities (it wants to receive)."""

    caps: Capabilities
    fcf = FCF.DTC

    def fif(self) -> bytes:
        return self.caps.encode()


@dataclass(frozen=True, slots=True)
class Dcs:
    """Digital command signal: the parameters the sender chose."""

    params: DcsParams
    fcf = FCF.DCS

    def fif(self) -> bytes:
        return self.params.encode()


@dataclass(frozen=True, slots=True)
class Ident:
    """An identity or address frame (CSI, TSI, CIG, SUB, SID, PWD, SEP, PSA)."""

    fcf: FCF
    text: str

    def __post_init__(self) -> None:
        if self.fcf not in IDENT_FCFS:
            raise FrameDecodeError(f"{self.fcf.name} is not an identity frame")
        if len(self.text) > IDENT_LEN or not all(0x20 <= ord(c) < 0x7F for c in self.text):
            raise FrameDecodeError(f"identity {self.text!r}: at most 20 printable ASCII")

    def fif(self) -> bytes:
        return self.text.ljust(IDENT_LEN)[::-1].encode("ascii")


@dataclass(frozen=True, slots=True)
class Nonstandard:
    """NSF, NSC or NSS: vendor data we keep but do not interpret."""

    fcf: FCF
    data: bytes

    def fif(self) -> bytes:
        return self.data


@dataclass(frozen=True, slots=True)
class Simple:
    """A frame without information field (CFR, MCF, DCN, MPS ...)."""

    fcf: FCF

    def fif(self) -> bytes:
        return b""


@dataclass(frozen=True, slots=True)
class Pps:
    """Partial page signal (T.30 §A.4.1): ``post`` is None for PPS-NULL."""

    post: FCF | None
    page: int
    block: int
    n_frames: int
    fcf = FCF.PPS

    def fif(self) -> bytes:
        post = 0 if self.post is None else self.post.value
        return bytes([post, self.page & 0xFF, self.block & 0xFF, (self.n_frames - 1) & 0xFF])


@dataclass(frozen=True, slots=True)
class Eor:
    """End of retransmission (T.30 §A.4.4): give up on the block; ``post`` as in PPS."""

    post: FCF | None
    fcf = FCF.EOR

    def fif(self) -> bytes:
        return bytes([0 if self.post is None else self.post.value])


@dataclass(frozen=True, slots=True)
class Ppr:
    """Partial page request: ``bitmap`` bit *n* set means frame *n* must be sent again."""

    bitmap: bytes
    fcf = FCF.PPR

    def fif(self) -> bytes:
        return self.bitmap

    @classmethod
    def from_missing(cls, missing: frozenset[int] | set[int]) -> Ppr:
        """A PPR asking again for the frame numbers in ``missing`` (0-255)."""
        bitmap = bytearray(PPR_BITMAP_OCTETS)
        for n in missing:
            bitmap[n // 8] |= 1 << (n % 8)
        return cls(bytes(bitmap))

    def missing(self) -> frozenset[int]:
        """The frame numbers asked for again."""
        return frozenset(n for n in range(8 * PPR_BITMAP_OCTETS)
                         if self.bitmap[n // 8] >> (n % 8) & 1)


@dataclass(frozen=True, slots=True)
class Ctc:
    """Continue to correct (T.30 §A.4.3), naming the rate to continue at."""

    modem_rate: ModemRate
    fcf = FCF.CTC

    def fif(self) -> bytes:
        return bytes([0, DcsParams(self.modem_rate).encode()[1] & _RATE_MASK])


@dataclass(frozen=True, slots=True)
class Fcd:
    """Facsimile coded data frame of an ECM block (T.4 Annex A)."""

    number: int
    data: bytes
    fcf = FCF.FCD

    def fif(self) -> bytes:
        return bytes([self.number & 0xFF]) + self.data


Frame: TypeAlias = Dis | Dtc | Dcs | Ident | Nonstandard | Simple | Pps | Eor | Ppr | Ctc | Fcd


@dataclass(frozen=True, slots=True)
class Received:
    """A decoded frame with the header bits it arrived with."""

    frame: Frame
    x_bit: bool
    final: bool

    @property
    def fcf(self) -> FCF:
        return self.frame.fcf


def encode_frame(frame: Frame, *, x_bit: bool = False, final: bool = True) -> bytes:
    """The octets of ``frame`` (without CRC).

    >>> encode_frame(Simple(FCF.MCF), x_bit=False).hex()
    'ff138c'
    """
    control = CONTROL_FINAL if final else CONTROL
    return bytes([ADDRESS, control, fcf_octet(frame.fcf, x_bit)]) + frame.fif()


def decode_frame(data: bytes) -> Received:
    """Parse frame octets (without CRC).

    Raises:
        FrameDecodeError: the octets are no T.30 frame we understand.
    """
    if len(data) < 3:
        raise FrameDecodeError(f"frame of {len(data)} octets is too short")
    if data[0] != ADDRESS or data[1] not in (CONTROL, CONTROL_FINAL):
        raise FrameDecodeError(f"bad HDLC header {data[:2].hex()}")
    fcf, x_bit = parse_fcf(data[2])
    return Received(_decode_fif(fcf, bytes(data[3:])), x_bit, data[1] == CONTROL_FINAL)


def _decode_fif(fcf: FCF, fif: bytes) -> Frame:
    if fcf in (FCF.DIS, FCF.DTC):
        caps = Capabilities.decode(fif)
        return Dis(caps) if fcf is FCF.DIS else Dtc(caps)
    if fcf is FCF.DCS:
        return Dcs(DcsParams.decode(fif))
    if fcf in IDENT_FCFS:
        return _decode_ident(fcf, fif)
    if fcf in NSF_FCFS:
        return Nonstandard(fcf, fif)
    if fcf is FCF.PPS:
        return _decode_pps(fif)
    if fcf is FCF.EOR:
        if len(fif) != 1:
            raise FrameDecodeError(f"EOR with {len(fif)} octets (1 expected)")
        return Eor(_decode_post(fif))
    if fcf is FCF.PPR:
        if len(fif) != PPR_BITMAP_OCTETS:
            raise FrameDecodeError(f"PPR with {len(fif)} octets of bitmap (32 expected)")
        return Ppr(fif)
    if fcf is FCF.CTC:
        return _decode_ctc(fif)
    if fcf is FCF.FCD:
        if not fif:
            raise FrameDecodeError("FCD frame without frame number")
        return Fcd(fif[0], fif[1:])
    if fif:
        raise FrameDecodeError(f"{fcf.name} carries no information field ({len(fif)} octets)")
    return Simple(fcf)


def _decode_ident(fcf: FCF, fif: bytes) -> Ident:
    if len(fif) > IDENT_LEN:
        raise FrameDecodeError(f"{fcf.name} of {len(fif)} characters (20 allowed)")
    text = "".join(chr(c) if 0x20 <= c < 0x7F else " " for c in reversed(fif)).strip()
    return Ident(fcf, text)


def _decode_pps(fif: bytes) -> Pps:
    if len(fif) != 4:
        raise FrameDecodeError(f"PPS with {len(fif)} octets (4 expected)")
    return Pps(_decode_post(fif[:1]), fif[1], fif[2], fif[3] + 1)


def _decode_post(octet: bytes) -> FCF | None:
    """The post-message command carried by PPS or EOR (None for NULL)."""
    if not octet[0] & 0xFE:
        return None
    post, _ = parse_fcf(octet[0])
    if post not in POST_MESSAGE:
        raise FrameDecodeError(f"{post.name} is not a post-message command")
    return post


def _decode_ctc(fif: bytes) -> Ctc:
    if len(fif) != 2:
        raise FrameDecodeError(f"CTC with {len(fif)} octets (2 expected)")
    try:
        params = DcsParams.decode(fif + b"\x00")
    except FrameDecodeError as exc:
        raise FrameDecodeError(f"CTC: {exc}") from exc
    return Ctc(params.modem_rate)


def _runs(numbers: frozenset[int]) -> str:
    """Frame numbers with runs of 3 or more written as ``first-last``.

    >>> _runs(frozenset({0, 1, 2, 3, 7, 9, 10}))
    '0-3, 7, 9, 10'
    """
    out: list[str] = []
    run: list[int] = []
    for n in [*sorted(numbers), -2]:
        if run and n == run[-1] + 1:
            run.append(n)
            continue
        if len(run) >= 3:
            out.append(f"{run[0]}-{run[-1]}")
        else:
            out.extend(str(r) for r in run)
        run = [n]
    return ", ".join(out)


def describe(frame: Frame) -> str:
    """A readable one-line rendering of a frame, fields decoded.

    >>> describe(Ppr.from_missing({3, 4}))
    'PPR(missing=[3, 4])'
    """
    parts = []
    for name in getattr(frame, "__slots__", ()):
        value = getattr(frame, name)
        if name == "fcf":
            continue
        if name == "bitmap":
            parts.append(f"missing=[{_runs(frame.missing())}]")  # type: ignore[union-attr]
        elif isinstance(value, bytes):
            parts.append(f"{name}=<{len(value)} octets>")
        elif isinstance(value, FCF):
            parts.append(f"{name}={value.name}")
        elif name in ("caps", "params"):
            parts.append(str(value))
        else:
            parts.append(f"{name}={value}")
    return f"{frame.fcf.name}({', '.join(parts)})" if parts else frame.fcf.name
