"""T.30 frames: encode/decode round trips, the DIS/DCS bit table, garbage."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pyfax.errors import FrameDecodeError
from pyfax.t30.dis import FIELDS, Capabilities, DcsParams, pack_fields, unpack_fields
from pyfax.t30.fcf import FCF, fcf_octet, parse_fcf
from pyfax.t30.frames import (
    IDENT_FCFS,
    SIMPLE_FCFS,
    Ctc,
    Dcs,
    Dis,
    Dtc,
    Eor,
    Fcd,
    Ident,
    Nonstandard,
    Ppr,
    Pps,
    Simple,
    decode_frame,
    encode_frame,
)
from pyfax.t30.params import (
    FALLBACK_SEQUENCE,
    Compression,
    Modem,
    PageLength,
    PaperWidth,
    Resolution,
)


def test_fcf_x_bit() -> None:
    for fcf in FCF:
        for x in (False, True):
            got, gx = parse_fcf(fcf_octet(fcf, x))
            assert got is fcf and gx == (x and fcf.has_x_bit)


def test_dcs_rate_codes_match_t30_table_2() -> None:
    # bits 11-14 of DCS as spandsp's fallback table writes them (FIF octet 1, mask 0x3C)
    want = {(Modem.V17, 14400): 0x20, (Modem.V17, 12000): 0x28, (Modem.V17, 9600): 0x24,
            (Modem.V17, 7200): 0x2C, (Modem.V29, 9600): 0x04, (Modem.V29, 7200): 0x0C,
            (Modem.V27TER, 4800): 0x08, (Modem.V27TER, 2400): 0x00}
    for rate in FALLBACK_SEQUENCE:
        fif = DcsParams(rate).encode()
        assert fif[1] & 0x3C == want[(rate.modem, rate.rate_bps)]
        assert DcsParams.decode(fif).modem_rate == rate


def test_spandsp_style_dis_decodes() -> None:
    # A DIS as spandsp builds it: V.17+V.29+V.27ter, fine, MR, A4 width, A4+B4 length,
    # 0 ms, ECM, T.6
    fif = pack_fields({"receive_fax": 1, "data_rate": 11, "fine": 1, "two_dimensional": 1,
                       "length": 1, "min_scan_time": 7, "ecm": 1, "t6": 1, "superfine": 1})
    caps = Capabilities.decode(fif)
    assert caps.modems == frozenset(Modem)
    assert caps.compressions == frozenset(Compression)
    assert {Resolution.STANDARD, Resolution.FINE, Resolution.SUPERFINE} <= caps.resolutions
    assert caps.ecm and caps.can_receive and caps.min_scan_time_ms == 0
    assert caps.max_length is PageLength.B4
    assert fif[2] & 0x80 and fif[3] & 0x80 and not fif[-1] & 0x80  # extend bits


def test_recording_length_bits() -> None:
    # T.30 Table 2 bits 19-20: (0,0) A4, (1,0) A4+B4 (DCS: B4), (0,1) unlimited
    for length, bits in ((PageLength.A4, 0), (PageLength.B4, 1), (PageLength.UNLIMITED, 2)):
        fif = Capabilities(max_length=length).encode()
        assert (fif[2] >> 2) & 3 == bits
        assert Capabilities.decode(fif).max_length is length
        rate = FALLBACK_SEQUENCE[0]
        assert (DcsParams(rate, length=length).encode()[2] >> 2) & 3 == bits
    assert PageLength.B4.holds(PageLength.A4) and not PageLength.A4.holds(PageLength.B4)
    assert PageLength.parse("unlimited") is PageLength.UNLIMITED
    with pytest.raises(ValueError):
        PageLength.parse("A3")


def test_extend_bit_limits_the_field() -> None:
    fif = bytearray(pack_fields({"receive_fax": 1, "superfine": 1}))
    fif[2] &= 0x7F  # no extension: octets past the third are not read
    assert unpack_fields(bytes(fif))["superfine"] == 0


@given(st.builds(
    DcsParams,
    modem_rate=st.sampled_from(FALLBACK_SEQUENCE),
    resolution=st.sampled_from(list(Resolution)),
    compression=st.sampled_from([Compression.MH, Compression.MR]),
    ecm=st.booleans(),
    frame_size_octets=st.just(256),
    width=st.sampled_from(list(PaperWidth)),
    length=st.sampled_from(list(PageLength)),
    min_scan_time_ms=st.sampled_from([0, 5, 10, 20, 40]),
))
def test_dcs_round_trip(params: DcsParams) -> None:
    frame = Dcs(params)
    assert decode_frame(encode_frame(frame, x_bit=True)).frame == frame


@given(st.builds(
    Capabilities,
    modems=st.sampled_from([frozenset(Modem), frozenset({Modem.V27TER, Modem.V29}),
                            frozenset({Modem.V27TER}), frozenset({Modem.V29})]),
    can_receive=st.booleans(),
    ready_to_transmit=st.booleans(),
    resolutions=st.sets(st.sampled_from(list(Resolution))).map(
        lambda s: frozenset(s | {Resolution.STANDARD})),
    compressions=st.sets(st.sampled_from([Compression.MR, Compression.MMR])).map(
        lambda s: frozenset(s | {Compression.MH})),
    ecm=st.just(True),
    max_width=st.sampled_from(list(PaperWidth)),
    max_length=st.sampled_from(list(PageLength)),
    min_scan_time_ms=st.sampled_from([0, 5, 10, 20, 40]),
))
def test_dis_dtc_round_trip(caps: Capabilities) -> None:
    for frame in (Dis(caps), Dtc(caps)):
        got = decode_frame(encode_frame(frame))
        assert got.frame == frame and got.final


def test_other_frames_round_trip() -> None:
    frames = [Ident(f, "+32 2 123 4567") for f in IDENT_FCFS]
    frames += [Simple(f) for f in SIMPLE_FCFS]
    frames += [Nonstandard(FCF.NSF, b"\x00\x11\x22vendor"), Pps(None, 3, 1, 256),
               Eor(None), Eor(FCF.MPS),
               Pps(FCF.EOP, 0, 0, 17), Ppr.from_missing({0, 7, 8, 255}),
               Fcd(9, b"\x55" * 256)]
    frames += [Ctc(r) for r in FALLBACK_SEQUENCE]
    for f in frames:
        for x in (False, True):
            got = decode_frame(encode_frame(f, x_bit=x, final=False))
            assert got.frame == f and not got.final


def test_ident_is_reversed_on_the_wire() -> None:
    data = encode_frame(Ident(FCF.TSI, "+32 2 123 4567"))
    assert data[3:].decode() == "7654 321 2 23+".rjust(20)
    with pytest.raises(FrameDecodeError):
        Ident(FCF.TSI, "x" * 21)


def test_ppr_bitmap() -> None:
    ppr = Ppr.from_missing({1, 9, 200})
    assert ppr.bitmap[0] == 0x02 and ppr.bitmap[1] == 0x02 and ppr.missing() == {1, 9, 200}


@pytest.mark.parametrize("data", [b"", b"\xff", b"\xff\x13", b"\x00\x13\x80\x00\x00\x00",
                                  b"\xff\x13\x80\x00", b"\xff\x13\x83" + bytes(40),
                                  b"\xff\x13\xbe\x00", b"\xff\x13\x8c\x01", b"\xff\x13\x7f"])
def test_garbage_is_a_frame_decode_error(data: bytes) -> None:
    with pytest.raises(FrameDecodeError):
        decode_frame(data)


@given(st.binary(max_size=64))
def test_decode_raises_only_frame_decode_error(data: bytes) -> None:
    for candidate in (data, b"\xff\x13" + data, b"\xff\x03" + data[:1] + bytes(3) + data):
        with contextlib.suppress(FrameDecodeError):
            decode_frame(candidate)


def test_every_field_has_distinct_bits() -> None:
    bits = [b for f in FIELDS.values() for b in f]
    assert len(bits) == len(set(bits))
    assert not {24, 32, 40, 48, 56} & set(bits)
