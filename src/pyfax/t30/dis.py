"""DIS, DTC and DCS information fields (ITU-T T.30 §5.3.6.2, Table 2).

How it works: :data:`FIELDS` is the one table of named bit fields. A field is
a tuple of T.30 bit numbers, least significant first; bit *n* travels in FIF
octet ``(n - 1) // 8`` at mask ``1 << ((n - 1) % 8)`` (the first bit on the
line is bit 1). :func:`pack_fields` and :func:`unpack_fields` turn a mapping
of field values into FIF octets and back, setting and honouring the "extend
field" bits (24, 32, 40 ...). On top of them, :class:`Capabilities` (what a
DIS or DTC offers) and :class:`DcsParams` (what a DCS commands) translate
field codes into modems, resolutions, widths and codings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pyfax.errors import FrameDecodeError
from pyfax.t4.geometry import PaperWidth, Resolution
from pyfax.t30.params import Compression, Modem, ModemRate, PageLength

__all__ = ["FIELDS", "Capabilities", "DcsParams", "pack_fields", "unpack_fields"]

FIELDS: dict[str, tuple[int, ...]] = {
    "t37": (1,),
    "t38": (3,),
    "v8": (6,),
    "ready_to_transmit": (9,),
    "receive_fax": (10,),
    "data_rate": (11, 12, 13, 14),
    "fine": (15,),
    "two_dimensional": (16,),
    "width": (17, 18),
    "length": (19, 20),
    "min_scan_time": (21, 22, 23),
    "uncompressed": (26,),
    "ecm": (27,),
    "frame_size_64": (28,),
    "t6": (31,),
    "field_not_valid": (33,),
    "multiple_selective_polling": (34,),
    "polled_subaddress": (35,),
    "superfine": (41,),
    "r300": (42,),
    "r400": (43,),
    "inch_preferred": (44,),
    "metric_preferred": (45,),
    "min_scan_half_at_superfine": (46,),
    "selective_polling": (47,),
    "sub_addressing": (49,),
    "password": (50,),
}
"""T.30 Table 2: field name -> bit numbers, least significant first."""

MIN_FIF_OCTETS = 3
MAX_FIF_OCTETS = 19

# bits 11-14 of DCS (value = b11 + 2*b12 + 4*b13 + 8*b14) -> modem and rate
_DCS_RATE: dict[int, ModemRate] = {
    0: ModemRate(Modem.V27TER, 2400),
    2: ModemRate(Modem.V27TER, 4800),
    1: ModemRate(Modem.V29, 9600),
    3: ModemRate(Modem.V29, 7200),
    8: ModemRate(Modem.V17, 14400),
    10: ModemRate(Modem.V17, 12000),
    9: ModemRate(Modem.V17, 9600),
    11: ModemRate(Modem.V17, 7200),
}
_DCS_CODE = {v: k for k, v in _DCS_RATE.items()}
# bits 11-14 of DIS/DTC -> the modems offered
_DIS_MODEMS: dict[int, frozenset[Modem]] = {
    0: frozenset({Modem.V27TER}),  # V.27 ter fall-back mode (2400 only)
    2: frozenset({Modem.V27TER}),
    1: frozenset({Modem.V29}),
    3: frozenset({Modem.V27TER, Modem.V29}),
    11: frozenset({Modem.V27TER, Modem.V29, Modem.V17}),
}
# bits 21-23 (value = b21 + 2*b22 + 4*b23) -> minimum scan line time in ms at 7.7 l/mm
_SCAN_MS = {0: 20, 4: 40, 2: 10, 1: 5, 7: 0, 3: 10, 6: 20, 5: 40}
_SCAN_CODE = {20: 0, 40: 4, 10: 2, 5: 1, 0: 7}
# bits 19-20 (value = b19 + 2*b20): DIS (0,0) A4, (1,0) A4 and B4, (0,1) unlimited;
# DCS (0,0) A4, (1,0) B4, (0,1) unlimited; (1,1) is invalid and read as unlimited
_LENGTH_CODE = {PageLength.A4: 0, PageLength.B4: 1, PageLength.UNLIMITED: 2}
_LENGTH = {0: PageLength.A4, 1: PageLength.B4, 2: PageLength.UNLIMITED, 3: PageLength.UNLIMITED}
_WIDTH = {0: PaperWidth.A4, 1: PaperWidth.B4, 2: PaperWidth.A3, 3: PaperWidth.A3}
_WIDTH_CODE = {PaperWidth.A4: 0, PaperWidth.B4: 1, PaperWidth.A3: 2}


def pack_fields(values: Mapping[str, int]) -> bytes:
    """FIF octets holding ``values`` (field name -> integer code).

    >>> pack_fields({"receive_fax": 1, "data_rate": 11}).hex()
    '002e00'
    """
    bits: set[int] = set()
    for name, value in values.items():
        for i, bit in enumerate(FIELDS[name]):
            if value >> i & 1:
                bits.add(bit)
    n_octets = max([MIN_FIF_OCTETS, *((b - 1) // 8 + 1 for b in bits)])
    fif = bytearray(n_octets)
    for bit in bits:
        fif[(bit - 1) // 8] |= 1 << ((bit - 1) % 8)
    for octet in range(2, n_octets - 1):
        fif[octet] |= 0x80  # extend field: another octet follows
    return bytes(fif)


def unpack_fields(fif: bytes) -> dict[str, int]:
    """Every field of :data:`FIELDS` from FIF octets; octets past the last
    extend bit are ignored and absent octets read as zero.

    Raises:
        FrameDecodeError: fewer than 3 octets, or more than T.30 allows.
    """
    if not MIN_FIF_OCTETS <= len(fif) <= MAX_FIF_OCTETS:
        raise FrameDecodeError(f"DIS/DTC/DCS field of {len(fif)} octets (3 to 19 allowed)")
    used = MIN_FIF_OCTETS
    while used < len(fif) and fif[used - 1] & 0x80:
        used += 1
    def bit(n: int) -> int:
        octet = (n - 1) // 8
        return (fif[octet] >> ((n - 1) % 8)) & 1 if octet < used else 0
    return {name: sum(bit(b) << i for i, b in enumerate(bits)) for name, bits in FIELDS.items()}


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a DIS (answerer) or DTC (poller) offers."""

    modems: frozenset[Modem] = frozenset(Modem)
    can_receive: bool = True
    ready_to_transmit: bool = False
    resolutions: frozenset[Resolution] = frozenset(Resolution)
    compressions: frozenset[Compression] = frozenset(Compression)
    ecm: bool = True
    max_width: PaperWidth = PaperWidth.A4
    max_length: PageLength = PageLength.UNLIMITED
    min_scan_time_ms: int = 0

    def __str__(self) -> str:
        def names(items: frozenset[Modem] | frozenset[Resolution] | frozenset[Compression]
                  ) -> str:
            return "+".join(sorted(i.name for i in items))
        return (f"{names(self.modems)}, {names(self.resolutions)}, {names(self.compressions)}, "
                f"ecm={self.ecm}, width<={self.max_width.name}, "
                f"length<={self.max_length.name}, "
                f"scan {self.min_scan_time_ms} ms"
                + (", can receive" if self.can_receive else "")
                + (", can send (polling)" if self.ready_to_transmit else ""))

    def encode(self) -> bytes:
        """The DIS/DTC information field."""
        rate = 0
        if Modem.V27TER in self.modems:
            rate |= 2
        if Modem.V29 in self.modems:
            rate |= 1
        if Modem.V17 in self.modems:
            rate = 11
        res = self.resolutions
        return pack_fields({
            "ready_to_transmit": int(self.ready_to_transmit),
            "receive_fax": int(self.can_receive),
            "data_rate": rate,
            "fine": int(Resolution.FINE in res),
            "two_dimensional": int(Compression.MR in self.compressions),
            "width": _WIDTH_CODE[self.max_width],
            "length": _LENGTH_CODE[self.max_length],
            "min_scan_time": _SCAN_CODE[self.min_scan_time_ms],
            "ecm": int(self.ecm),
            "t6": int(Compression.MMR in self.compressions and self.ecm),
            "superfine": int(Resolution.SUPERFINE in res),
            "r300": int(Resolution.R300 in res),
            "r400": int(Resolution.R400 in res),
            "metric_preferred": 1,
            # spandsp drops 300 x 300 and 400 x 400 unless inch-based resolutions are offered
            "inch_preferred": int(bool({Resolution.R300, Resolution.R400} & res)),
        })

    @classmethod
    def decode(cls, fif: bytes) -> Capabilities:
        """Parse a DIS/DTC information field (unknown rate codes read as V.27 ter)."""
        f = unpack_fields(fif)
        res = {Resolution.STANDARD}
        for name, r in (("fine", Resolution.FINE), ("superfine", Resolution.SUPERFINE),
                        ("r300", Resolution.R300), ("r400", Resolution.R400)):
            if f[name]:
                res.add(r)
        comp = {Compression.MH}
        if f["two_dimensional"]:
            comp.add(Compression.MR)
        if f["t6"] and f["ecm"]:
            comp.add(Compression.MMR)
        return cls(
            modems=_DIS_MODEMS.get(f["data_rate"], frozenset({Modem.V27TER})),
            can_receive=bool(f["receive_fax"]),
            ready_to_transmit=bool(f["ready_to_transmit"]),
            resolutions=frozenset(res),
            compressions=frozenset(comp),
            ecm=bool(f["ecm"]),
            max_width=_WIDTH[f["width"]],
            max_length=_LENGTH[f["length"]],
            min_scan_time_ms=_SCAN_MS[f["min_scan_time"]],
        )


@dataclass(frozen=True, slots=True)
class DcsParams:
    """What a DCS commands for the pages that follow."""

    modem_rate: ModemRate
    resolution: Resolution = Resolution.FINE
    compression: Compression = Compression.MH
    ecm: bool = False
    frame_size_octets: int = 256
    width: PaperWidth = PaperWidth.A4
    length: PageLength = PageLength.UNLIMITED
    min_scan_time_ms: int = 0

    def __str__(self) -> str:
        ecm = f"ECM {self.frame_size_octets}" if self.ecm else "no ECM"
        return (f"{self.modem_rate}, {self.resolution.name}, {self.compression.name}, {ecm}, "
                f"{self.width.name}, length {self.length.name}, scan {self.min_scan_time_ms} ms")

    def encode(self) -> bytes:
        """The DCS information field."""
        r = self.resolution
        return pack_fields({
            "receive_fax": 1,
            "data_rate": _DCS_CODE[self.modem_rate],
            "fine": int(r is Resolution.FINE),
            "two_dimensional": int(self.compression is Compression.MR),
            "width": _WIDTH_CODE[self.width],
            "length": _LENGTH_CODE[self.length],
            "min_scan_time": _SCAN_CODE[self.min_scan_time_ms],
            "ecm": int(self.ecm),
            "frame_size_64": int(self.ecm and self.frame_size_octets == 64),
            "t6": int(self.compression is Compression.MMR),
            "superfine": int(r is Resolution.SUPERFINE),
            "r300": int(r is Resolution.R300),
            "r400": int(r is Resolution.R400),
            # in a DCS bit 44 selects inch-based resolution; bit 45 is reserved
            "inch_preferred": int(r.x_dpi != 204),
        })

    @classmethod
    def decode(cls, fif: bytes) -> DcsParams:
        """Parse a DCS information field.

        Raises:
            FrameDecodeError: the field names no modem and rate, or MMR without ECM.
        """
        f = unpack_fields(fif)
        rate = _DCS_RATE.get(f["data_rate"])
        if rate is None:
            raise FrameDecodeError(f"DCS names no known modem/rate (code {f['data_rate']})")
        if f["t6"]:
            comp = Compression.MMR
        elif f["two_dimensional"]:
            comp = Compression.MR
        else:
            comp = Compression.MH
        if comp is Compression.MMR and not f["ecm"]:
            raise FrameDecodeError("DCS asks for T.6 coding without ECM")
        return cls(
            modem_rate=rate,
            resolution=_resolution(f),
            compression=comp,
            ecm=bool(f["ecm"]),
            frame_size_octets=64 if f["frame_size_64"] else 256,
            width=_WIDTH[f["width"]],
            length=_LENGTH[f["length"]],
            min_scan_time_ms=_SCAN_MS[f["min_scan_time"]],
        )


def _resolution(f: Mapping[str, int]) -> Resolution:
    if f["r400"]:
        return Resolution.R400
    if f["r300"]:
        return Resolution.R300
    if f["superfine"]:
        return Resolution.SUPERFINE
    return Resolution.FINE if f["fine"] else Resolution.STANDARD
