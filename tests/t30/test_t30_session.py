"""The T.30 core, two sessions back to back at frame level (SessionPair)."""

from __future__ import annotations

import numpy as np
import pytest
from t30_pair import SessionPair

from pyfax.t30 import ResultCode
from pyfax.t30.fcf import FCF
from pyfax.t30.frames import Simple, decode_frame
from pyfax.t30.params import Compression, Modem, Resolution
from pyfax.t30.session import Session, Settings
from pyfax.t30.states import State


def make_pages(n: int, rows: int = 120, seed: int = 1) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    pages = []
    for k in range(n):
        page = np.zeros((rows, 1728), dtype=bool)
        for _ in range(40):
            r, c = rng.integers(0, rows - 8), rng.integers(0, 1700)
            page[r:r + rng.integers(1, 8), c:c + rng.integers(2, 28)] = True
        page[k % rows, :] = True
        pages.append(page)
    return pages


def pair(n_pages: int = 2, *, ecm: bool = True, rx_ecm: bool = True,
         compressions: frozenset[Compression] = frozenset(Compression),
         modems: frozenset[Modem] = frozenset(Modem), **hooks: object) -> SessionPair:
    pages = make_pages(n_pages)
    tx = Session(Settings(calling=True, ident="+32 2 123 4567", ecm=ecm,
                          compressions=compressions, modems=modems), pages)
    rx = Session(Settings(calling=False, ident="+32 9 765 4321", ecm=rx_ecm))
    p = SessionPair(tx, rx, **hooks)  # type: ignore[arg-type]
    p.pages = pages  # type: ignore[attr-defined]
    return p


def assert_pages_exact(p: SessionPair) -> None:
    got = p.receiver.received_pages
    want = p.pages  # type: ignore[attr-defined]
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g.shape == w.shape
        assert np.array_equal(g, w)


@pytest.mark.parametrize(("ecm", "comps", "want"), [
    (False, frozenset({Compression.MH}), Compression.MH),
    (False, frozenset(Compression), Compression.MR),
    (True, frozenset(Compression), Compression.MMR),
    (True, frozenset({Compression.MH}), Compression.MH),
])
def test_clean_call_is_pixel_exact(ecm: bool, comps: frozenset[Compression],
                                   want: Compression) -> None:
    p = pair(3, ecm=ecm, compressions=comps)
    p.run()
    for r in (p.sender.result, p.receiver.result):
        assert r is not None and r.ok, r
        assert r.pages == 3 and r.ecm is ecm and r.compression is want
        assert r.bit_rate == 14400 and r.resolution is Resolution.FINE
    assert p.sender.result is not None and p.sender.result.remote_ident == "+32 9 765 4321"
    assert p.receiver.result is not None and p.receiver.result.remote_ident == "+32 2 123 4567"
    assert_pages_exact(p)


def test_ecm_only_when_both_offer_it() -> None:
    p = pair(1, ecm=True, rx_ecm=False)
    p.run()
    assert p.sender.result is not None and p.sender.result.ok
    assert not p.sender.result.ecm and p.sender.result.compression is Compression.MR


def test_ftt_falls_back_through_the_rates() -> None:
    p = pair(1, tcf_ok=lambda rate, t: rate.rate_bps <= 7200 and rate.modem is Modem.V29)
    p.run()
    r = p.sender.result
    assert r is not None and r.ok and r.bit_rate == 7200
    tried = [ln for ln in r.trace if "tx DCS" in ln]
    assert len(tried) == 6  # 14400, 12000, 9600, 7200 (V.17), 9600, 7200 (V.29)
    assert_pages_exact(p)


def test_training_fails_at_every_rate_ends_cleanly() -> None:
    p = pair(1, tcf_ok=lambda rate, t: False)
    p.run()
    assert p.sender.result is not None
    assert p.sender.result.code is ResultCode.TRAINING_FAILED
    assert p.receiver.result is not None
    assert p.receiver.result.code is ResultCode.UNEXPECTED_DCN
    assert p.sender.result.line_time_s < 120


def test_rtn_retrains_and_resends_the_page() -> None:
    hits = {"n": 0}

    def damage(data: bytes, t: float) -> bytes:
        hits["n"] += 1
        if hits["n"] == 1:
            hit = np.frombuffer(data, dtype=np.uint8).copy()
            hit[len(hit) // 3::12] ^= 0x24  # bit errors over the lower two thirds
            return hit.tobytes()
        return data

    p = pair(2, ecm=False, page_hook=damage)
    p.run()
    r = p.sender.result
    assert r is not None and r.ok and r.pages == 2
    assert any("rx RTN" in ln for ln in r.trace)
    assert sum("tx DCS" in ln for ln in r.trace) == 2
    assert_pages_exact(p)


def test_rtn_forever_ends_with_pages_rejected() -> None:
    p = pair(1, ecm=False, page_hook=lambda data, t: bytes(len(data)))
    p.run()
    assert p.sender.result is not None
    assert p.sender.result.code is ResultCode.PAGES_REJECTED
    assert p.sender.result.code.start_lower and p.sender.result.code.retryable


def test_ecm_ppr_recovers_lost_frames() -> None:
    seen: set[bytes] = set()

    def lose_first_copy(data: bytes, t: float) -> bytes | None:
        if data[2] == FCF.FCD.value and data[3] % 3 == 0 and data not in seen:
            seen.add(data)
            return None
        return data

    p = pair(2, ecm=True, fcd_hook=lose_first_copy)
    p.run()
    r = p.sender.result
    assert r is not None and r.ok and r.pages == 2
    assert any("rx PPR" in ln for ln in r.trace)
    assert_pages_exact(p)


def test_ecm_ctc_after_four_pprs_then_lower_rate() -> None:
    def lose_at_14400(data: bytes, t: float) -> bytes | None:
        return None if data[2] == FCF.FCD.value and data[3] == 0 and t < 60 else data

    p = pair(1, ecm=True, fcd_hook=lose_at_14400)
    p.run()
    r = p.sender.result
    assert r is not None and r.ok, r
    assert any("tx CTC" in ln for ln in r.trace) and any("rx CTR" in ln for ln in r.trace)
    assert_pages_exact(p)


def test_no_answer_ends_at_t1() -> None:
    p = pair(1, receiver_alive=lambda t: False)
    p.run()
    r = p.sender.result
    assert r is not None and r.code is ResultCode.NO_ANSWER
    assert 30.0 <= r.line_time_s <= 40.0


def test_lost_mcf_is_recovered_by_repeating_the_command() -> None:
    dropped = {"n": 0}

    def drop_first_mcf(j: int, data: bytes, t: float) -> bytes | None:
        if j == 0 and decode_frame(data).fcf is FCF.MCF and dropped["n"] == 0:
            dropped["n"] += 1
            return None
        return data

    for ecm in (False, True):
        dropped["n"] = 0
        p = pair(2, ecm=ecm, frame_hook=drop_first_mcf)
        p.run()
        assert p.sender.result is not None and p.sender.result.ok, p.sender.result
        assert p.receiver.result is not None and p.receiver.result.pages == 2
        assert_pages_exact(p)


def test_corrupt_post_page_command_gets_crp() -> None:
    done = {"n": 0}

    def corrupt_mps(j: int, data: bytes, t: float) -> bytes | tuple[bytes, bool]:
        if j == 1 and data[2] & 0xFE == FCF.MPS.value and done["n"] == 0:
            done["n"] += 1
            return (data, False)
        return data

    p = pair(2, ecm=False, frame_hook=corrupt_mps)
    p.run()
    r = p.sender.result
    assert r is not None and r.ok
    assert any("rx CRP" in ln for ln in r.trace)


def test_receiver_hangs_up_mid_page() -> None:
    p = pair(2, ecm=False, receiver_alive=lambda t: t < 12.0)
    p.run()
    r = p.sender.result
    assert r is not None and r.code is ResultCode.PHASE_D_TIMEOUT
    assert r.line_time_s < 12.0 + 4 * 3.5 + 10


def test_sender_hangs_up_mid_page() -> None:
    p = pair(2, ecm=False, sender_alive=lambda t: t < 11.0,
             page_hook=lambda data, t: data[: len(data) // 3])
    p.run()
    r = p.receiver.result
    assert r is not None and r.code is ResultCode.HUNG_UP_MID_PAGE
    assert r.line_time_s < 11.0 + 2 * 6.5 + 5


def test_receiver_alone_hears_nothing() -> None:
    rx = Session(Settings(calling=False))
    tx = Session(Settings(calling=True), make_pages(1))
    p = SessionPair(tx, rx, sender_alive=lambda t: False)
    p.run()
    r = rx.result
    assert r is not None and r.code is ResultCode.NO_ANSWER
    assert 30.0 <= r.line_time_s <= 40.0
    assert rx.state is State.DONE


def test_eom_changes_resolution_between_pages() -> None:
    from pyfax.t30._pages import TxPage
    raw = make_pages(3)
    pages = [TxPage(raw[0], Resolution.FINE), TxPage(raw[1], Resolution.STANDARD),
             TxPage(raw[2], Resolution.STANDARD)]
    for ecm in (False, True):
        tx = Session(Settings(calling=True, ecm=ecm), pages)
        rx = Session(Settings(calling=False, ecm=ecm))
        SessionPair(tx, rx).run()
        assert tx.result is not None and tx.result.ok and rx.result is not None and rx.result.ok
        assert any("tx EOM" in ln or "post=EOM" in ln for ln in tx.trace)
        assert sum("tx DIS" in ln for ln in rx.trace) == 2
        assert rx.received_resolutions == [Resolution.FINE, Resolution.STANDARD,
                                           Resolution.STANDARD]
        assert all(np.array_equal(g, w) for g, w in zip(rx.received_pages, raw, strict=True))


def test_receiver_refuses_tcf_above_its_limit() -> None:
    pages = make_pages(1)
    tx = Session(Settings(calling=True), pages)
    rx = Session(Settings(calling=False, max_rate_bps=9600))
    SessionPair(tx, rx).run()
    assert tx.result is not None and tx.result.ok and tx.result.bit_rate == 9600
    assert sum("tx FTT" in ln for ln in rx.trace) == 2  # 14400, 12000 refused


def test_cancel_sends_dcn() -> None:
    from pyfax.t30.events import Cancel, SendFrames, TxDone
    s = Session(Settings(calling=True), make_pages(1))
    s.start(0.0)
    out = s.handle(Cancel(), 1.0)
    assert [decode_frame(f).fcf for a in out if isinstance(a, SendFrames)
            for f in a.frames] == [FCF.DCN]
    s.handle(TxDone(), 2.0)
    assert s.result is not None and s.result.code is ResultCode.CANCELLED
    assert not s.result.code.retryable


def test_trace_is_readable_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    import logging
    with caplog.at_level(logging.DEBUG, logger="pyfax.t30"):
        p = pair(1, ecm=True)
        p.run()
    r = p.sender.result
    assert r is not None
    text = "\n".join(r.trace)
    assert "rx DIS(V17+V27TER+V29" in text and "tx DCS(v17/14400, FINE, MMR, ECM 256" in text
    assert "tx PPS(post=EOP, page=0, block=0, n_frames=" in text
    assert any("tx DCS" in rec.getMessage() for rec in caplog.records)


def test_state_diagram_covers_the_table() -> None:
    from pyfax.t30.states import TRANSITIONS, diagram
    dot = diagram()
    assert dot.startswith("digraph") and dot.count("->") == len(TRANSITIONS)


def test_nsf_before_dis_is_ignored_gracefully() -> None:
    from pyfax.t30.dis import Capabilities
    from pyfax.t30.events import FrameReceived, SendFrames, SendTcf
    from pyfax.t30.frames import Dis, Ident, Nonstandard, encode_frame
    s = Session(Settings(calling=True, ident="1"), make_pages(1))
    s.start(0.0)
    assert s.handle(FrameReceived(encode_frame(Nonstandard(FCF.NSF, b"\xad\x00\x0cvendor"),
                                               final=False)), 1.0) == []
    s.handle(FrameReceived(encode_frame(Ident(FCF.CSI, "+32 9 765 4321"), final=False)), 1.1)
    out = s.handle(FrameReceived(encode_frame(Dis(Capabilities()))), 1.2)
    sent = [decode_frame(f).fcf for a in out if isinstance(a, SendFrames) for f in a.frames]
    assert sent == [FCF.TSI, FCF.DCS] and isinstance(out[-1], SendTcf)
    assert s.progress.remote_ident == "+32 9 765 4321"


@pytest.mark.parametrize("ecm", [False, True])
def test_polling_calling_receiver_and_answering_transmitter(ecm: bool) -> None:
    pages = make_pages(2)
    poller = Session(Settings(calling=True, sending=False, ident="POLLER", ecm=ecm))
    polled = Session(Settings(calling=False, sending=True, ident="POLLED", ecm=ecm), pages)
    SessionPair(poller, polled).run()
    assert poller.result is not None and poller.result.ok and poller.result.pages == 2
    assert polled.result is not None and polled.result.ok
    assert poller.result.remote_ident == "POLLED" and polled.result.remote_ident == "POLLER"
    assert any("tx DTC" in ln for ln in poller.trace)
    assert all(np.array_equal(g, w) for g, w in zip(poller.received_pages, pages, strict=True))


def test_polling_a_terminal_with_nothing_to_send() -> None:
    poller = Session(Settings(calling=True, sending=False))
    answerer = Session(Settings(calling=False))
    SessionPair(poller, answerer).run()
    assert poller.result is not None and poller.result.code is ResultCode.INCOMPATIBLE


def test_receiver_not_ready_is_polled_with_rr() -> None:
    from pyfax.t30.frames import Simple, encode_frame
    swapped = {"n": 0}

    def rnr_instead_of_first_mcf(j: int, data: bytes, t: float) -> bytes:
        if j == 0 and decode_frame(data).fcf is FCF.MCF and swapped["n"] == 0:
            swapped["n"] += 1
            return encode_frame(Simple(FCF.RNR))
        return data

    p = pair(2, ecm=True, frame_hook=rnr_instead_of_first_mcf)
    p.run()
    r = p.sender.result
    assert r is not None and r.ok, r
    assert any("tx RR" in ln for ln in r.trace)
    assert_pages_exact(p)


def test_eor_gives_up_a_block_keeps_the_page_and_says_so() -> None:
    from pyfax import t4
    from pyfax.t30.dis import DcsParams
    from pyfax.t30.events import (
        FastFrameReceived,
        FrameReceived,
        SendFrames,
        TcfReceived,
        TxDone,
    )
    from pyfax.t30.frames import Dcs, Eor, Fcd, Pps, encode_frame
    from pyfax.t30.params import FALLBACK_SEQUENCE
    page = make_pages(1, rows=300)[0]
    data = t4.encode(page, scheme="MMR", bit_order="lsb")
    frames = [data[i:i + 64] for i in range(0, len(data), 64)]
    assert len(frames) >= 3
    rx = Session(Settings(calling=False))
    rx.start(0.0)
    rx.handle(TxDone(), 3.0)
    dcs = DcsParams(FALLBACK_SEQUENCE[0], Resolution.FINE, Compression.MMR, ecm=True,
                    frame_size_octets=64)
    rx.handle(FrameReceived(encode_frame(Dcs(dcs), x_bit=True)), 5.0)
    rx.handle(TcfReceived(1.5, 1.5), 7.0)
    rx.handle(TxDone(), 8.0)
    for n, f in enumerate(frames):
        if n != 1:  # frame 1 never arrives
            rx.handle(FastFrameReceived(encode_frame(Fcd(n, f), final=False)), 9.0)
    out = rx.handle(FrameReceived(encode_frame(Pps(FCF.EOP, 0, 0, len(frames)), x_bit=True)),
                    10.0)
    assert [decode_frame(f).fcf for a in out if isinstance(a, SendFrames)
            for f in a.frames] == [FCF.PPR]
    rx.handle(TxDone(), 11.0)
    out = rx.handle(FrameReceived(encode_frame(Eor(FCF.EOP), x_bit=True)), 12.0)
    assert [decode_frame(f).fcf for a in out if isinstance(a, SendFrames)
            for f in a.frames] == [FCF.ERR]
    assert rx.state is State.R_WAIT_DCN and len(rx.received_pages) == 1
    rx.handle(TxDone(), 13.0)
    rx.handle(FrameReceived(encode_frame(Simple(FCF.DCN), x_bit=True)), 14.0)
    assert rx.result is not None and rx.result.code is ResultCode.ECM_FAILED
    assert rx.result.pages == 1


def test_polling_a_receiver_gets_a_clean_refusal() -> None:
    poller = Session(Settings(calling=True, sending=False))
    # an answerer that claims it has a document but is configured to receive only
    answerer = Session(Settings(calling=False))
    from pyfax.t30.dis import Capabilities
    answerer._local_caps = lambda: Capabilities(  # type: ignore[method-assign]
        ready_to_transmit=True)
    SessionPair(poller, answerer).run()
    assert answerer.result is not None and answerer.result.code is ResultCode.INCOMPATIBLE
    assert "nothing to send" in answerer.result.text


def test_fine_pages_go_to_a_standard_only_receiver_with_every_other_row() -> None:
    from pyfax.t30._pages import TxPage
    raw = make_pages(2)
    pages = [TxPage(raw[0], Resolution.SUPERFINE), TxPage(raw[1], Resolution.FINE)]
    tx = Session(Settings(calling=True), pages)
    rx = Session(Settings(calling=False, resolutions=frozenset({Resolution.STANDARD})))
    SessionPair(tx, rx).run()
    assert tx.result is not None and tx.result.ok, tx.result
    assert rx.received_resolutions == [Resolution.STANDARD, Resolution.STANDARD]
    assert np.array_equal(rx.received_pages[0], raw[0][::4])
    assert np.array_equal(rx.received_pages[1], raw[1][::2])
    assert not any("EOM" in ln for ln in tx.trace)  # both pages fit at standard: MPS
