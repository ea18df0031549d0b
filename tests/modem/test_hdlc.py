"""HDLC framing: stuffing, FCS, aborts, garbage, and interworking with spandsp (also over V.21)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from peers.spandsp_hdlc import SpandspHdlcRx, spandsp_hdlc_bits
from peers.spandsp_modems import SpandspRx, SpandspTx

from pyfax.errors import ModemError
from pyfax.modem.hdlc import (
    FCS_GOOD_RESIDUE,
    HdlcDeframer,
    HdlcFrame,
    HdlcFramer,
    crc16_itu,
    preamble_flags_for,
)
from pyfax.modem.v21 import V21Receiver, V21Transmitter

DIS_LIKE = b"\xff\x13\x80\x00\xee\xf8\x80\x80\x91\x80\x80\x80\x18"
FRAMES = [DIS_LIKE, bytes(range(256)), b"\xff\xff\xff\xff\x7e\x7e\x7d", b"\x00"]


def deframe(bits: np.ndarray, *, block: int | None = None) -> tuple[list[HdlcFrame], HdlcDeframer]:
    d = HdlcDeframer()
    step = block or max(len(bits), 1)
    frames = [f for i in range(0, len(bits), step) for f in d.put_bits(bits[i:i + step])]
    return frames, d


def test_crc_and_fcs_order() -> None:
    assert crc16_itu(b"123456789") ^ 0xFFFF == 0x906E  # X.25 check value
    bits = HdlcFramer().encode([b"\x01"])
    # flag, then 0x01 LSB first, then the FCS low octet first
    assert bits[:8].tolist() == [0, 1, 1, 1, 1, 1, 1, 0]
    assert bits[8:16].tolist() == [1, 0, 0, 0, 0, 0, 0, 0]
    fcs = crc16_itu(b"\x01") ^ 0xFFFF
    assert crc16_itu(b"\x01" + fcs.to_bytes(2, "little")) == FCS_GOOD_RESIDUE


def test_bit_stuffing() -> None:
    bits = HdlcFramer().frame(b"\xff")
    assert bits[:9].tolist() == [1, 1, 1, 1, 1, 0, 1, 1, 1]  # a 0 after five 1s
    for data in (b"\xff" * 10, b"\x7e\x7e", b"\xf8\x1f\xff"):
        run = 0
        for b in HdlcFramer().frame(data).tolist():
            run = run + 1 if b else 0
            assert run <= 5


def test_round_trip_and_counters() -> None:
    framer = HdlcFramer(preamble_flags=38, closing_flags=3)
    bits = framer.encode(FRAMES)
    frames, d = deframe(bits)
    assert frames == [HdlcFrame(f, True) for f in FRAMES]
    assert d.n_flags == 38 + len(FRAMES) + 2 and d.flag_seen
    assert d.n_aborts == 0 and d.n_length_errors == 0
    assert preamble_flags_for(300) == 38


@pytest.mark.parametrize("block", [1, 3, 8, 1000])
def test_block_size_independent(block: int) -> None:
    bits = HdlcFramer(preamble_flags=3).encode(FRAMES)
    assert deframe(bits, block=block)[0] == deframe(bits)[0]


def test_bad_fcs_abort_and_garbage(rng: np.random.Generator) -> None:
    f = HdlcFramer()
    flag = f.flags(1)
    garbage = rng.integers(0, 2, 500).astype(np.uint8)
    bits = np.concatenate([
        garbage, flag, f.frame(b"\x01\x02\x03"), flag,  # good
        f.frame(b"\x04\x05\x06", corrupt_fcs=True), flag,  # bad FCS, still handed up
        f.frame(b"\x07\x08\x09")[:20], f.abort(), garbage, flag,  # aborted: dropped
        f.frame(b"\x0a\x0b\x0c"), flag, np.ones(50, np.uint8),
    ])
    frames, d = deframe(bits)
    assert frames[0] == HdlcFrame(b"\x01\x02\x03", True)
    assert frames[1] == HdlcFrame(b"\x04\x05\x06", False)
    assert frames[-1] == HdlcFrame(b"\x0a\x0b\x0c", True)
    assert d.n_aborts >= 1
    assert all(fr.data != b"\x07\x08\x09" for fr in frames)


def test_length_limits() -> None:
    with pytest.raises(ModemError):
        HdlcFramer().frame(b"")
    with pytest.raises(ModemError):
        HdlcFramer(max_frame_len=10).frame(bytes(11))
    with pytest.raises(ModemError):
        HdlcFramer(preamble_flags=0)
    long_bits = HdlcFramer(max_frame_len=1000).encode([bytes(600), b"\x01\x02"])
    frames, d = deframe(long_bits)  # default limit 260 octets
    assert frames == [HdlcFrame(b"\x01\x02", True)] and d.n_length_errors == 1
    # a frame that is not a whole number of octets is dropped
    odd = np.concatenate([HdlcFramer.flags(1), np.zeros(27, np.uint8), HdlcFramer.flags(1)])
    frames, d = deframe(odd)
    assert frames == [] and d.n_length_errors == 1
    # endless ones or zeros never build an unbounded buffer
    d = HdlcDeframer()
    d.put_bits(np.zeros(100_000, np.uint8))
    assert len(d._buf) <= d._max_bits + 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(min_size=1, max_size=64), min_size=1, max_size=4),
       st.binary(max_size=40))
def test_any_frames_survive_any_garbage(frames: list[bytes], junk: bytes) -> None:
    garbage = np.unpackbits(np.frombuffer(junk, np.uint8))
    f = HdlcFramer()
    bits = np.concatenate([garbage, f.encode(frames), garbage, f.encode(frames)])
    got = [fr for fr in deframe(bits)[0] if fr.crc_ok]
    assert got[-len(frames):] == [HdlcFrame(x, True) for x in frames]


@pytest.mark.peer
def test_spandsp_hdlc_to_pyfax() -> None:
    frames, _ = deframe(spandsp_hdlc_bits(FRAMES))
    assert frames == [HdlcFrame(f, True) for f in FRAMES]


@pytest.mark.peer
def test_pyfax_hdlc_to_spandsp() -> None:
    rx = SpandspHdlcRx()
    f = HdlcFramer(preamble_flags=5)
    rx.put_bits(np.concatenate([f.encode(FRAMES[:2]), f.frame(b"\x01\x02\x03", corrupt_fcs=True),
                                f.flags(2)]))
    assert rx.frames[:2] == [(FRAMES[0], True), (FRAMES[1], True)]
    assert rx.frames[2:] == [(b"\x01\x02\x03", False)]


def _pyfax_v21(bits: np.ndarray) -> np.ndarray:
    tx = V21Transmitter()
    tx.put_bits(bits)
    tx.end_of_data()
    return np.concatenate([np.zeros(200, np.int16), tx.tx(10**7), np.zeros(800, np.int16)])


@pytest.mark.peer
@pytest.mark.impairments("clean", "all")
def test_spandsp_v21_hdlc_to_pyfax(impairment: Callable[..., np.ndarray],
                                   rng: np.random.Generator) -> None:
    line_bits = spandsp_hdlc_bits(FRAMES, preamble_flags=38)
    audio = SpandspTx("v21", 300, line_bits, level_dbm0=-14.0).run()
    rx = V21Receiver()
    res = rx.rx(impairment(np.concatenate([np.zeros(200, np.int16), audio,
                                           np.zeros(800, np.int16)]), rng))
    frames, _ = deframe(res.bits)
    assert frames == [HdlcFrame(f, True) for f in FRAMES]


@pytest.mark.peer
@pytest.mark.impairments("clean", "all")
def test_pyfax_v21_hdlc_to_spandsp(impairment: Callable[..., np.ndarray],
                                   rng: np.random.Generator) -> None:
    audio = impairment(_pyfax_v21(HdlcFramer(preamble_flags=38, closing_flags=2).encode(FRAMES)),
                       rng)
    srx = SpandspRx("v21", 300, cutoff_dbm0=-39.0)
    hdlc = SpandspHdlcRx()
    hdlc.put_bits(srx.run(audio))
    assert hdlc.frames == [(f, True) for f in FRAMES]
