"""HDLC framing for T.30 control frames and ECM (ITU-T T.30 clause 5.3, ISO/IEC 13239).

A frame on the line is: flags (0x7E), the frame's octets and its 16-bit frame
check sequence (FCS), bit-stuffed, then flags again. Octets go out least
significant bit first. The FCS is CRC-16-CCITT as X.25 and T.30 use it
(generator x^16 + x^12 + x^5 + 1, register preset to all ones, the complement
sent low octet first), so a receiver running the same CRC over the frame and
its FCS is left with the residue 0xF0B8. Bit stuffing inserts a 0 after every
five consecutive 1s between the flags, so that six 1s only ever appear in a
flag; seven or more 1s are an abort.

:class:`HdlcFramer` turns octets into line bits; :class:`HdlcDeframer` takes
line bits in blocks of any size and hands up whole frames with a CRC-ok flag,
ignoring whatever garbage comes between frames.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from pyfax.errors import ModemError
from pyfax.modem.base import Bits

__all__ = [
    "FCS_GOOD_RESIDUE",
    "HdlcDeframer",
    "HdlcFrame",
    "HdlcFramer",
    "crc16_itu",
    "preamble_flags_for",
]

FLAG_BITS = np.array([0, 1, 1, 1, 1, 1, 1, 0], dtype=np.uint8)  # 0x7E, LSB first
FCS_GOOD_RESIDUE = 0xF0B8
DEFAULT_MAX_FRAME_LEN = 260  # T.30 ECM: 256 octets of image data + 4 of header
_MIN_FRAME_LEN = 3  # one octet and the two-octet FCS
_ABORT_ONES = 7


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc16_itu(data: bytes, crc: int = 0xFFFF) -> int:
    """CRC-16-CCITT in X.25/HDLC bit order, before the final complement.

    >>> hex(crc16_itu(b"123456789") ^ 0xFFFF)  # the X.25 check value
    '0x906e'
    """
    table = _CRC_TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


def preamble_flags_for(bit_rate: int, seconds: float = 1.0) -> int:
    """Flags that fill ``seconds`` at ``bit_rate`` (T.30 5.3.1: 1 s ±15 % before V.21 frames).

    >>> preamble_flags_for(300)
    38
    """
    return max(1, round(bit_rate * seconds / 8))


@dataclass(frozen=True, slots=True)
class HdlcFrame:
    """A received frame: its octets (FCS removed) and whether the FCS checked."""

    data: bytes
    crc_ok: bool


def _bytes_to_bits(data: bytes) -> Bits:
    return np.unpackbits(np.frombuffer(data, dtype=np.uint8), bitorder="little")


def _stuff(bits: Bits) -> Bits:
    """Insert a 0 after every run of five 1s."""
    out: list[int] = []
    ones = 0
    for bit in bits.tolist():
        out.append(bit)
        ones = ones + 1 if bit else 0
        if ones == 5:
            out.append(0)
            ones = 0
    return np.array(out, dtype=np.uint8)


class HdlcFramer:
    """Turns frames into HDLC line bits.

    Args:
        preamble_flags: flags sent before the first frame of :meth:`encode`.
        closing_flags: flags sent after the last frame of :meth:`encode`.
        max_frame_len: longest frame accepted, in octets (FCS excluded).
    """

    def __init__(self, *, preamble_flags: int = 1, closing_flags: int = 1,
                 max_frame_len: int = DEFAULT_MAX_FRAME_LEN) -> None:
        if preamble_flags < 1 or closing_flags < 1:
            raise ModemError("HDLC needs at least one opening and one closing flag")
        self.preamble_flags = preamble_flags
        self.closing_flags = closing_flags
        self.max_frame_len = max_frame_len

    @staticmethod
    def flags(n: int) -> Bits:
        """``n`` flag octets."""
        return np.tile(FLAG_BITS, max(n, 0))

    @staticmethod
    def abort() -> Bits:
        """An abort: eight 1s (seven or more end a frame without an FCS check)."""
        return np.ones(8, dtype=np.uint8)

    def frame(self, data: bytes, *, corrupt_fcs: bool = False) -> Bits:
        """The stuffed octets and FCS of one frame, without flags.

        Args:
            data: the frame's octets (address, control, information).
            corrupt_fcs: send a wrong FCS, to test a receiver.

        Raises:
            ModemError: for an empty frame or one longer than ``max_frame_len``.
        """
        if not 1 <= len(data) <= self.max_frame_len:
            raise ModemError(f"HDLC frame of {len(data)} octets is outside 1..{self.max_frame_len}")
        fcs = crc16_itu(bytes(data)) ^ 0xFFFF
        if corrupt_fcs:
            fcs ^= 0x0001
        return _stuff(_bytes_to_bits(bytes(data) + fcs.to_bytes(2, "little")))

    def encode(self, frames: Iterable[bytes]) -> Bits:
        """Preamble flags, the frames each followed by a flag, then the closing flags."""
        parts = [self.flags(self.preamble_flags)]
        for data in frames:
            parts += [self.frame(data), FLAG_BITS]
        parts.append(self.flags(self.closing_flags - 1))
        return np.concatenate(parts)


class HdlcDeframer:
    """Streaming HDLC receiver: line bits in, whole frames out.

    Counters describe what was seen besides good frames: ``n_flags`` (flags
    received), ``n_aborts`` (aborts inside a frame), ``n_length_errors``
    (frames too short, too long or not a whole number of octets, dropped).

    Args:
        max_frame_len: longest frame kept, in octets (FCS excluded); longer
            ones are dropped and the receiver hunts for the next flag.
    """

    def __init__(self, *, max_frame_len: int = DEFAULT_MAX_FRAME_LEN) -> None:
        self.max_frame_len = max_frame_len
        self._max_bits = (max_frame_len + 2) * 8 + 8
        self.n_flags = 0
        self.n_aborts = 0
        self.n_length_errors = 0
        self._ones = 0
        self._in_frame = False  # a flag has been seen and no abort since
        self._buf: list[int] = []

    @property
    def flag_seen(self) -> bool:
        """True once at least one flag has been received."""
        return self.n_flags > 0

    def put_bits(self, bits: Bits) -> list[HdlcFrame]:
        """Take the next line bits; return the frames they completed."""
        frames: list[HdlcFrame] = []
        buf = self._buf
        ones = self._ones
        for bit in np.asarray(bits, dtype=np.uint8).reshape(-1).tolist():
            if bit:
                ones += 1
                if ones < _ABORT_ONES:
                    buf.append(1)
                elif ones == _ABORT_ONES:
                    self._on_abort()
                    buf = self._buf
                continue
            if ones == 6:
                self._on_flag(frames)
                buf = self._buf
            elif ones != 5:  # after five 1s a 0 is a stuffing bit
                buf.append(0)
            ones = 0
            if len(buf) > self._max_bits:
                self.n_length_errors += self._in_frame
                self._in_frame = False
                self._buf = buf = []
        self._ones = ones
        return frames

    def _on_flag(self, frames: list[HdlcFrame]) -> None:
        self.n_flags += 1
        body = self._buf[:-7]  # the flag's leading 0 and six 1s went in too
        if self._in_frame and body:
            frame = self._deliver(body)
            if frame is not None:
                frames.append(frame)
        self._in_frame = True
        self._buf = []

    def _on_abort(self) -> None:
        if self._in_frame and len(self._buf) > 7 + 6:
            self.n_aborts += 1
        self._in_frame = False
        self._buf = []

    def _deliver(self, body: list[int]) -> HdlcFrame | None:
        if len(body) % 8 or not _MIN_FRAME_LEN * 8 <= len(body) <= self._max_bits - 8:
            self.n_length_errors += 1
            return None
        octets = np.packbits(np.array(body, dtype=np.uint8), bitorder="little").tobytes()
        return HdlcFrame(data=octets[:-2], crc_ok=crc16_itu(octets) == FCS_GOOD_RESIDUE)
