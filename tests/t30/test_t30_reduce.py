"""Page reduction: the area reducer, fit_page, and the sender reducing pages for a
receiver's DIS at session level (SessionPair) instead of ending INCOMPATIBLE."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from t30_drawn import assert_reduced, drawn_page
from t30_pair import SessionPair

from pyfax.errors import T30Error
from pyfax.t30 import (
    PaperWidth,
    Resolution,
    ResultCode,
    Session,
    Settings,
    Terminal,
    TxPage,
    _scale,
)
from pyfax.t30._pages import best_resolution, fit_page
from pyfax.t30.fcf import FCF
from pyfax.t30.frames import Dis, decode_frame
from pyfax.t30.params import Modem

A4 = PaperWidth.A4
R8_ONLY = frozenset({Resolution.STANDARD, Resolution.FINE, Resolution.SUPERFINE})

# (input columns, output columns) of the reductions the sender makes
FACTORS = [(2048, 1728), (2432, 1728), (2592, 1728), (3456, 1728), (4864, 1728), (3648, 2592)]


# --- the area reducer ------------------------------------------------------------


@given(factor=st.sampled_from(FACTORS), at=st.integers(0, 10_000), rows=st.integers(3, 9))
def test_a_one_pixel_line_survives_any_reduction_at_any_place(
        factor: tuple[int, int], at: int, rows: int) -> None:
    n_in, n_out = factor
    col = at % n_in
    page = np.zeros((rows, n_in), dtype=bool)
    page[:, col] = True
    out = _scale.reduce_page(page, n_out, rows)
    assert out.any(axis=1).all()  # a vertical line: black on every row
    hit = np.flatnonzero(out[0])
    assert hit.size <= 2 and abs(hit[0] - col * n_out / n_in) <= 1.0  # thin and in place
    flat = np.zeros((n_in // 8, 64), dtype=bool)  # the same reduction down the rows
    flat[col % flat.shape[0], :] = True
    down = _scale.reduce_page(flat, 64, n_out // 8)
    assert down.any(axis=0).all() and down.any(axis=1).sum() <= 2


def test_solid_areas_keep_their_extent_within_a_pixel() -> None:
    page = np.zeros((300, 2432), dtype=bool)
    page[100:200, 500:1500] = True
    out = _scale.reduce_page(page, 1728, 213)
    rows, cols = np.flatnonzero(out.any(axis=1)), np.flatnonzero(out.any(axis=0))
    fx, fy = 2432 / 1728, 300 / 213
    assert abs(cols[0] - 500 / fx) <= 1 and abs(cols[-1] + 1 - 1500 / fx) <= 1
    assert abs(rows[0] - 100 / fy) <= 1 and abs(rows[-1] + 1 - 200 / fy) <= 1
    assert out[rows[0] + 1:rows[-1], cols[0] + 1:cols[-1]].all()


def test_the_same_grid_is_the_identity_and_white_stays_white() -> None:
    page = drawn_page(40, 1728)
    assert np.array_equal(_scale.reduce_page(page, 1728, 40), page)
    assert not _scale.reduce_page(np.zeros((50, 2432), bool), 1728, 35).any()


def test_bands_do_not_change_the_result(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(5)
    page = rng.random((700, 2592)) < 0.2
    whole = _scale.reduce_page(page, 1728, 457)
    monkeypatch.setattr(_scale, "BAND_ROWS", 37)
    assert np.array_equal(_scale.reduce_page(page, 1728, 457), whole)


@pytest.mark.parametrize("shape", [(0, 1728), (5,), (2, 3, 4)])
def test_a_bad_page_is_a_t30_error(shape: tuple[int, ...]) -> None:
    with pytest.raises(T30Error):
        _scale.reduce_page(np.zeros(shape, dtype=bool), 1728, 10)


@pytest.mark.parametrize(("width_px", "rows"), [(0, 10), (1728, 0), (-1, 5)])
def test_a_bad_output_size_is_a_t30_error(width_px: int, rows: int) -> None:
    with pytest.raises(T30Error):
        _scale.reduce_page(np.zeros((4, 2048), dtype=bool), width_px, rows)


# --- fit_page ---------------------------------------------------------------------


@pytest.mark.parametrize(("have", "offered", "want"), [
    (Resolution.R300, frozenset({Resolution.STANDARD, Resolution.FINE}), Resolution.FINE),
    (Resolution.R300, R8_ONLY, Resolution.FINE),
    (Resolution.R400, R8_ONLY, Resolution.SUPERFINE),
    (Resolution.R400, R8_ONLY | {Resolution.R300}, Resolution.R300),
    (Resolution.SUPERFINE, frozenset({Resolution.STANDARD}), Resolution.STANDARD),
    (Resolution.FINE, frozenset({Resolution.R300, Resolution.R400}), None),
])
def test_best_resolution(have: Resolution, offered: frozenset[Resolution],
                         want: Resolution | None) -> None:
    assert best_resolution(have, offered) is want


@pytest.mark.parametrize(("width", "res", "offered", "want_res", "want_rows"), [
    (PaperWidth.B4, Resolution.FINE, R8_ONLY, Resolution.FINE, round(200 * 215 / 255)),
    (PaperWidth.A3, Resolution.STANDARD, R8_ONLY, Resolution.STANDARD, round(200 * 215 / 303)),
    (PaperWidth.A4, Resolution.R300, R8_ONLY, Resolution.FINE, round(200 * 7.7 * 25.4 / 300)),
    (PaperWidth.A3, Resolution.R400, R8_ONLY, Resolution.SUPERFINE,
     round(200 * 15.4 * 25.4 / 400 * 215 / 303)),
    # every 4th row kept (the rule at row 204 // 3 = 68 among them), then the width reduced
    (PaperWidth.B4, Resolution.SUPERFINE, frozenset({Resolution.STANDARD}),
     Resolution.STANDARD, round(204 // 4 * 215 / 255)),
])
def test_fit_page_reduces_to_a4_and_an_offered_resolution(
        width: PaperWidth, res: Resolution, offered: frozenset[Resolution],
        want_res: Resolution, want_rows: int) -> None:
    page = TxPage(drawn_page(204 if res is Resolution.SUPERFINE else 200,
                             width.width_px(res.x_dpi)), res)
    fitted = fit_page(page, offered, A4)
    assert fitted is not None and fitted.resolution is want_res and fitted.width is A4
    drop = 4 if res is Resolution.SUPERFINE else 1  # rows kept down the R8 ladder
    # after row squashing the diagonal jumps 8 columns a row, and an output row that
    # straddles two of its 10-pixel steps is black over both: about 17 % more ink
    assert_reduced(fitted.image, page.image[::drop], (want_rows, 1728), slope=2 * drop,
                   ink_tolerance=0.15 if drop == 1 else 0.25)


def test_fit_page_leaves_a_page_that_fits_alone() -> None:
    page = TxPage(drawn_page(30, 2048), Resolution.FINE)
    assert fit_page(page, R8_ONLY, PaperWidth.B4) is page
    assert fit_page(page, R8_ONLY, PaperWidth.A3) is page


# --- the sender, at session level -----------------------------------------------------


def call(pages: list[TxPage], **rx: object) -> tuple[Session, Session]:
    tx = Session(Settings(calling=True, ident="SENDER"), pages)
    receiver = Session(Settings(calling=False, **rx))  # type: ignore[arg-type]
    SessionPair(tx, receiver).run()
    return tx, receiver


@pytest.mark.parametrize("ecm", [True, False])
@pytest.mark.parametrize("width", [PaperWidth.B4, PaperWidth.A3])
def test_wide_pages_reach_an_a4_only_receiver_reduced(width: PaperWidth, ecm: bool) -> None:
    original = drawn_page(150, width.width_px(204))
    tx = Session(Settings(calling=True, ecm=ecm), [TxPage(original, Resolution.FINE)])
    rx = Session(Settings(calling=False, ecm=ecm, max_width=A4))
    SessionPair(tx, rx).run()
    for r in (tx.result, rx.result):
        assert r is not None and r.ok and r.pages == 1, r
    assert_reduced(rx.received_pages[0], original,
                   (round(150 * 215 / width.width_mm), 1728))
    assert rx.received_resolutions == [Resolution.FINE]
    assert any(f"page 1 reduced for the receiver: {width.name} FINE" in ln
               and "-> A4 FINE 1728x" in ln for ln in tx.trace), tx.trace


def test_a_300_dpi_page_reaches_an_r8_only_receiver_at_fine() -> None:
    original = drawn_page(120, 2592)
    tx, rx = call([TxPage(original, Resolution.R300)], resolutions=R8_ONLY)
    assert tx.result is not None and tx.result.ok, tx.result
    assert tx.result.resolution is Resolution.FINE
    assert rx.received_resolutions == [Resolution.FINE]
    assert_reduced(rx.received_pages[0], original, (round(120 * 7.7 * 25.4 / 300), 1728))
    assert any("reduced for the receiver: A4 R300 2592x120 -> A4 FINE 1728x78" in ln
               for ln in tx.trace), tx.trace


@pytest.mark.parametrize(("offered", "want"), [
    (R8_ONLY, Resolution.SUPERFINE), (frozenset({Resolution.FINE}), Resolution.FINE)])
def test_a_400_dpi_page_reaches_an_r8_only_receiver(offered: frozenset[Resolution],
                                                     want: Resolution) -> None:
    original = drawn_page(160, 3456)
    tx, rx = call([TxPage(original, Resolution.R400)], resolutions=offered)
    assert tx.result is not None and tx.result.ok and tx.result.resolution is want, tx.result
    rows = round(160 * {Resolution.SUPERFINE: 15.4, Resolution.FINE: 7.7}[want] * 25.4 / 400)
    assert_reduced(rx.received_pages[0], original, (rows, 1728))


def test_pages_that_reduce_alike_go_on_with_mps() -> None:
    a3, a4 = drawn_page(100, 2432), drawn_page(71, 1728)
    tx, rx = call([TxPage(a3), TxPage(a4), TxPage(a3)], max_width=A4)
    assert tx.result is not None and tx.result.ok and tx.result.pages == 3, tx.result
    assert not any("EOM" in ln for ln in tx.trace)  # every page went as A4 fine
    assert [p.shape for p in rx.received_pages] == [(71, 1728)] * 3
    assert np.array_equal(rx.received_pages[1], a4)
    assert sum("reduced for the receiver" in ln for ln in tx.trace) == 2


def test_a_page_that_fits_is_sent_unchanged_and_untraced() -> None:
    page = drawn_page(60, 2048)
    tx, rx = call([TxPage(page)], max_width=PaperWidth.B4)
    assert tx.result is not None and tx.result.ok
    assert np.array_equal(rx.received_pages[0], page)
    assert not any("reduced" in ln for ln in tx.trace)


def test_incompatible_remains_for_no_modem_in_common() -> None:
    tx = Session(Settings(calling=True, modems=frozenset({Modem.V17})),
                 [TxPage(drawn_page(40, 2432))])
    rx = Session(Settings(calling=False, modems=frozenset({Modem.V29}), max_width=A4))
    SessionPair(tx, rx).run()
    assert tx.result is not None and tx.result.code is ResultCode.INCOMPATIBLE
    assert "no fast modem in common" in tx.result.text


def test_a_receiver_refuses_a_dcs_wider_than_its_dis() -> None:
    def claim_a3(side: int, data: bytes, t: float) -> bytes:
        frame = decode_frame(data).frame
        if side == 0 and isinstance(frame, Dis):  # the sender hears an A3 DIS
            return data[:3] + replace(frame.caps, max_width=PaperWidth.A3).encode()
        return data
    tx = Session(Settings(calling=True), [TxPage(drawn_page(40, 2432))])
    rx = Session(Settings(calling=False, max_width=A4))
    SessionPair(tx, rx, frame_hook=claim_a3).run()
    assert rx.result is not None and rx.result.code is ResultCode.INCOMPATIBLE
    assert "DCS asks for what we do not offer" in rx.result.text
    assert any(FCF.DCN.name in ln for ln in rx.trace)


def test_fit_page_of_a_single_row_and_with_nothing_coarser_offered() -> None:
    one = TxPage(np.ones((1, 2432), bool), Resolution.SUPERFINE)
    fitted = fit_page(one, frozenset({Resolution.STANDARD}), A4)
    assert fitted is not None and fitted.image.shape == (1, 1728) and fitted.image.all()
    assert fit_page(TxPage(np.ones((4, 1728), bool)), frozenset({Resolution.R300})) is None


@pytest.mark.parametrize("kwargs", [{"resolutions": ("150x150",)}, {"max_width": "letter"},
                                    {"resolutions": (None,)}])
def test_a_receiving_terminal_with_an_unknown_format_is_a_t30_error(
        kwargs: dict[str, object]) -> None:
    with pytest.raises(T30Error):
        Terminal("receive", **kwargs)  # type: ignore[arg-type]


def test_a_receiving_terminal_offers_what_it_is_told_in_its_dis() -> None:
    term = Terminal("receive", max_width="b4", resolutions=("fine", "300x300"))
    s = term.session.settings
    assert s.max_width is PaperWidth.B4
    assert s.resolutions == {Resolution.STANDARD, Resolution.FINE, Resolution.R300}
