"""ECM give-up path (T.30 §A.4.3-A.4.4) between two sessions: 4 PPRs, CTC to the
next lower rate while one remains, then EOR with the block's PPS type, ERR, and
the call goes on to the end with ``ECM_FAILED``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from t30_pair import SessionPair

from pyfax import t4
from pyfax.errors import TiffError
from pyfax.t4.packed import PackedImage
from pyfax.t30 import Resolution, ResultCode, Session, Settings, State, Terminal
from pyfax.t30.fcf import FCF
from pyfax.t30.params import Modem

V27 = frozenset({Modem.V27TER})  # two rates: one CTC, then EOR


def _pages(n: int, rows: int, seed: int, noise: float = 0.0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    pages = []
    for _ in range(n):
        page = np.zeros((rows, 1728), dtype=bool)
        page[::7, 100:900] = True
        if noise:
            page |= rng.random((rows, 1728)) < noise
        pages.append(page)
    return pages


def _pair(pages: list[np.ndarray], lose: tuple[int, int, int], **hooks: object) -> SessionPair:
    """A pair whose FCD frame ``lose`` = (page index, block index, frame number) never
    arrives."""
    tx = Session(Settings(calling=True, modems=V27, ecm_frame_size=64), pages)
    rx = Session(Settings(calling=False))

    def drop(data: bytes, t: float) -> bytes | None:
        if data[2] != FCF.FCD.value:  # RCP
            return data
        return None if (tx._page_index, tx._block_index, data[3]) == lose else data

    return SessionPair(tx, rx, fcd_hook=drop, **hooks)  # type: ignore[arg-type]


def _tx_lines(p: SessionPair, what: str) -> list[str]:
    return [ln for ln in p.sender.trace if what in ln]


def test_a_lost_frame_of_a_one_block_page_is_given_up_with_eor_mps() -> None:
    pages = _pages(2, rows=120, seed=1)
    p = _pair(pages, lose=(0, 0, 1))
    p.run()
    tx, rx = p.sender.result, p.receiver.result
    assert tx is not None and rx is not None
    assert tx.code is ResultCode.ECM_FAILED and "page(s) 1 " in tx.text
    assert rx.code is ResultCode.ECM_FAILED
    assert tx.pages == 2 and rx.pages == 2
    assert len(_tx_lines(p, "rx PPR")) == 8  # 4 at 4800, CTC, 4 at 2400
    assert len(_tx_lines(p, "tx CTC")) == 1 and len(_tx_lines(p, "rx CTR")) == 1
    [eor] = _tx_lines(p, "tx EOR")
    assert "MPS" in eor and len(_tx_lines(p, "rx ERR")) == 1
    assert tx.bit_rate == 2400
    got = p.receiver.received_pages
    assert len(got) == 2 and np.array_equal(got[1], pages[1])  # page 2 went on, exact


def test_a_block_given_up_mid_page_is_eor_null_and_the_next_blocks_follow() -> None:
    pages = _pages(1, rows=160, seed=2, noise=0.12)
    p = _pair(pages, lose=(0, 0, 5))
    p.run()
    tx = p.sender.result
    assert tx is not None and tx.code is ResultCode.ECM_FAILED
    n_blocks = len(p.sender._blocks)
    assert n_blocks >= 2
    [eor] = _tx_lines(p, "tx EOR")
    assert "MPS" not in eor and "EOP" not in eor
    pps_eop = [ln for ln in _tx_lines(p, "tx PPS") if "EOP" in ln]
    assert len(pps_eop) == 1 and f"block {n_blocks - 1}" in " ".join(
        _tx_lines(p, "tx ECM block")[-1:])
    assert p.receiver.result is not None and p.receiver.result.code is ResultCode.ECM_FAILED
    assert len(p.receiver.received_pages) == 1


def test_rnr_after_eor_is_polled_with_rr_until_err() -> None:
    turned: list[float] = []

    def err_to_rnr(i: int, data: bytes, t: float) -> bytes:
        if i == 0 and data[2] & 0xFE == FCF.ERR.value and not turned:
            turned.append(t)
            return data[:2] + bytes([FCF.RNR.value | (data[2] & 1)]) + data[3:]
        return data

    pages = _pages(1, rows=120, seed=3)
    p = _pair(pages, lose=(0, 0, 0), frame_hook=err_to_rnr)
    p.run()
    assert turned, "no ERR was sent"
    tx = p.sender.result
    assert tx is not None and tx.code is ResultCode.ECM_FAILED, tx
    assert _tx_lines(p, "rx RNR") and _tx_lines(p, "tx RR") and _tx_lines(p, "rx ERR")
    assert p.sender.state is State.DONE


def test_the_eor_state_has_rows_for_its_responses() -> None:
    from pyfax.t30.states import TRANSITIONS, Input

    keys = {k for (s, k) in TRANSITIONS if s is State.T_WAIT_EOR_RESPONSE}
    assert {FCF.ERR, FCF.RNR, FCF.CRP, FCF.DCN, Input.T4, Input.T5} <= keys


def test_write_tiff_leaves_out_a_page_with_no_rows(tmp_path: Path) -> None:
    # a page whose only block was given up (EOR) has no rows: no TIFF page for it
    term = Terminal("receive")
    progress = term.session.progress
    kept = np.zeros((30, 1728), dtype=bool)
    kept[10:12, 100:900] = True
    progress.received_pages += [PackedImage.pack(np.zeros((0, 1728), dtype=bool)),
                                PackedImage.pack(kept)]
    progress.received_resolutions += [Resolution.FINE, Resolution.FINE]
    term.write_tiff(tmp_path / "rx.tif")
    got = t4.read_tiff(tmp_path / "rx.tif")
    assert len(got) == 1 and np.array_equal(got[0].image, kept)
    progress.received_pages.pop()
    progress.received_resolutions.pop()
    with pytest.raises(TiffError, match="at least one page"):
        term.write_tiff(tmp_path / "none.tif")
