"""Recording length (T.30 Table 2 bits 19-20): a sender cuts pages longer than the
receiver's DIS allows into pages of that length; a receiver refuses a DCS asking for
more than it offered, and keeps (and notes) a longer page, as T.30 makes no protocol
error of it. Session level (SessionPair)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from t30_pair import SessionPair

from pyfax.errors import T30Error
from pyfax.t30 import PageLength, Resolution, ResultCode, Session, Settings, Terminal, TxPage
from pyfax.t30._pages import max_page_rows
from pyfax.t30.fcf import FCF
from pyfax.t30.frames import Dcs, Dis, Pps, decode_frame

POSTS = {FCF.MPS, FCF.EOM, FCF.EOP}
A4_FINE_ROWS = 2286  # floor(297 mm * 7.7 lines/mm)
B4_FINE_ROWS = 2802  # floor(364 mm * 7.7 lines/mm)


def striped(rows: int, width_px: int = 1728) -> np.ndarray:
    """A page whose every row differs from its neighbours (a run moving along the row),
    so that a lost, repeated or misplaced row shows."""
    page = np.zeros((rows, width_px), dtype=bool)
    for r in range(rows):
        start = (r * 7) % (width_px - 40)
        page[r, start:start + 9 + r % 31] = True
    return page


def call(pages: list[TxPage], *, ecm: bool = True, **rx: object) -> tuple[Session, Session]:
    tx = Session(Settings(calling=True, ident="SENDER", ecm=ecm), pages)
    receiver = Session(Settings(calling=False, ecm=ecm, **rx))  # type: ignore[arg-type]
    SessionPair(tx, receiver).run()
    return tx, receiver


def test_rows_per_length() -> None:
    assert max_page_rows(PageLength.A4, Resolution.FINE) == A4_FINE_ROWS
    assert max_page_rows(PageLength.B4, Resolution.FINE) == B4_FINE_ROWS
    assert max_page_rows(PageLength.A4, Resolution.STANDARD) == 1143
    assert max_page_rows(PageLength.A4, Resolution.SUPERFINE) == 4573
    assert max_page_rows(PageLength.A4, Resolution.R300) == 3507
    assert max_page_rows(PageLength.UNLIMITED, Resolution.FINE) is None


@pytest.mark.parametrize("ecm", [True, False])
def test_a_long_page_reaches_an_a4_receiver_cut_into_a4_pages(ecm: bool) -> None:
    long = striped(5000)
    tx = Session(Settings(calling=True, ident="SENDER", ecm=ecm),
                 [TxPage(long), TxPage(striped(100))])
    rx = Session(Settings(calling=False, ecm=ecm, max_length=PageLength.A4))
    counted: list[tuple[int, int]] = []  # the sender's (page, pages) at each post command

    def watch(to: int, data: bytes, t: float) -> bytes:
        frame = decode_frame(data).frame
        if to == 1 and (isinstance(frame, Pps) or getattr(frame, "fcf", None) in POSTS):
            counted.append((tx.page, tx.pages))
        return data
    SessionPair(tx, rx, frame_hook=watch).run()
    for r in (tx.result, rx.result):
        assert r is not None and r.ok and r.pages == 4, r
    shapes = [p.shape[0] for p in rx.received_pages]
    assert shapes == [A4_FINE_ROWS, A4_FINE_ROWS, 5000 - 2 * A4_FINE_ROWS, 100]
    assert np.array_equal(np.vstack(rx.received_pages[:3]), long)
    assert np.array_equal(rx.received_pages[3], striped(100))
    assert any(f"page 1 (5000 rows) cut into 3 pages of at most {A4_FINE_ROWS} rows: the "
               "receiver takes A4 length at most" in ln for ln in tx.trace), tx.trace
    assert not any("EOM" in ln for ln in tx.trace)  # the cuts go on with MPS
    assert rx.progress.dcs is not None and rx.progress.dcs.length is PageLength.A4
    assert counted == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_a_b4_receiver_takes_a_page_an_a4_one_gets_cut() -> None:
    page = striped(2500)
    tx, rx = call([TxPage(page)], max_length=PageLength.B4)
    assert tx.result is not None and tx.result.ok and tx.result.pages == 1
    assert np.array_equal(rx.received_pages[0], page)
    assert rx.progress.dcs is not None and rx.progress.dcs.length is PageLength.B4
    assert not any("cut into" in ln for ln in tx.trace)
    tx, rx = call([TxPage(page)], max_length=PageLength.A4)
    assert tx.result is not None and tx.result.pages == 2
    assert [p.shape[0] for p in rx.received_pages] == [A4_FINE_ROWS, 2500 - A4_FINE_ROWS]


def test_an_unlimited_receiver_takes_the_page_whole() -> None:
    page = striped(5000)
    tx, rx = call([TxPage(page)])
    assert tx.result is not None and tx.result.ok and tx.result.pages == 1
    assert np.array_equal(rx.received_pages[0], page)
    assert rx.progress.dcs is not None and rx.progress.dcs.length is PageLength.UNLIMITED


def test_the_cut_follows_the_reduced_resolution() -> None:
    # a superfine page for a fine-only A4 receiver: every other row kept, then cut
    page = striped(6000)
    tx, rx = call([TxPage(page, Resolution.SUPERFINE)], max_length=PageLength.A4,
                  resolutions=frozenset({Resolution.STANDARD, Resolution.FINE}))
    assert tx.result is not None and tx.result.ok and tx.result.pages == 2, tx.result
    assert [p.shape[0] for p in rx.received_pages] == [A4_FINE_ROWS, 3000 - A4_FINE_ROWS]
    assert np.array_equal(np.vstack(rx.received_pages), page[::2])


def _hear(length: PageLength, fcf: type[Dis] | type[Dcs], side: int):  # type: ignore[no-untyped-def]
    """A frame hook making ``side`` hear DIS (or DCS) with the recording length ``length``."""
    def hook(to: int, data: bytes, t: float) -> bytes:
        frame = decode_frame(data).frame
        if to == side and isinstance(frame, Dis) and fcf is Dis:
            return data[:3] + replace(frame.caps, max_length=length).encode()
        if to == side and isinstance(frame, Dcs) and fcf is Dcs:
            return data[:3] + replace(frame.params, length=length).encode()
        return data
    return hook


def test_a_receiver_refuses_a_dcs_longer_than_its_dis() -> None:
    tx = Session(Settings(calling=True), [TxPage(striped(50))])
    rx = Session(Settings(calling=False, max_length=PageLength.A4))
    SessionPair(tx, rx, frame_hook=_hear(PageLength.UNLIMITED, Dis, 0)).run()
    assert rx.result is not None and rx.result.code is ResultCode.INCOMPATIBLE
    assert "DCS asks for what we do not offer" in rx.result.text
    assert "length UNLIMITED" in rx.result.text
    assert any(FCF.DCN.name in ln for ln in rx.trace)
    assert tx.result is not None and not tx.result.ok


def test_a_receiver_keeps_a_longer_page_than_offered_and_notes_it() -> None:
    # the sender hears an unlimited DIS; the receiver hears an A4 DCS, then 3000 rows
    page = striped(3000)
    hooks = [_hear(PageLength.UNLIMITED, Dis, 0), _hear(PageLength.A4, Dcs, 1)]

    def both(to: int, data: bytes, t: float) -> bytes:
        for hook in hooks:
            data = hook(to, data, t)
        return data
    tx = Session(Settings(calling=True), [TxPage(page)])
    rx = Session(Settings(calling=False, max_length=PageLength.A4))
    SessionPair(tx, rx, frame_hook=both).run()
    assert rx.result is not None and rx.result.ok and rx.result.pages == 1, rx.result
    assert np.array_equal(rx.received_pages[0], page)
    assert any(f"page 1 has 3000 rows, longer than the A4 length we offered ({A4_FINE_ROWS}"
               " rows): kept as received" in ln for ln in rx.trace), rx.trace


def test_a_receiving_terminal_offers_its_max_length() -> None:
    assert Terminal("receive").session.settings.max_length is PageLength.UNLIMITED
    term = Terminal("receive", max_length="A4")
    assert term.session.settings.max_length is PageLength.A4
    assert Terminal("receive", max_length="b4").session.settings.max_length is PageLength.B4
    with pytest.raises(T30Error, match="recording length"):
        Terminal("receive", max_length="A3")
