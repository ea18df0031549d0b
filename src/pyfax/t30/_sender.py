"""The transmitter's handlers (T.30 Figure 5-2, flow chart "T"; Annex A).

Usually the caller; when polled (T.30 §5.3.6.1.3) the answerer sends DIS
with "ready to transmit" and takes the poller's DTC as the DIS it answers.

Phase B: DIS in, DCS + TCF out, walking down the fall-back order on FTT. A
page the DIS cannot take as it is gets reduced to it (``fit_page``: a
narrower width, a resolution it offers), with a trace line saying so;
``INCOMPATIBLE`` is left for what no reduction mends (no fast modem shared).
A page longer than the DIS's recording length (Table 2 bits 19-20: A4, B4 or
unlimited) is cut into pages of that length, sent one after another with MPS
and counted as the pages they are; the trace says so.
Phase C/D without ECM: the page, then MPS/EOM/EOP; MCF/PIP go on, RTP retrains
and goes on, RTN/PIN retrains and sends the page again (falling back after
``rtn_per_rate`` RTNs at one rate). With ECM: blocks of FCD frames and PPS,
PPR resends the frames it names; after ``ppr_before_ctc`` PPRs for one block,
CTC continues at the next lower rate while one remains, and at the lowest
rate EOR gives the block up (T.30 §A.4.3-A.4.4): the receiver answers ERR,
the call goes on with the next block or page, and ends ``ECM_FAILED``. RNR/RR
under T5.
"""

from __future__ import annotations

from dataclasses import replace

from pyfax.t30._core import Core
from pyfax.t30._pages import TxPage, ecm_blocks, encode_page, fit_page, max_page_rows, split_rows
from pyfax.t30.dis import Capabilities, DcsParams
from pyfax.t30.events import ReceiveV21, SendEcmBlock, SendPage, SendTcf, SendTone, Tone
from pyfax.t30.fcf import FCF
from pyfax.t30.frames import (
    Ctc,
    Dcs,
    Dis,
    Dtc,
    Eor,
    Fcd,
    Ppr,
    Pps,
    Simple,
    encode_frame,
)
from pyfax.t30.params import (
    FALLBACK_SEQUENCE,
    Compression,
    ModemRate,
    PageLength,
    PaperWidth,
    Resolution,
    Timer,
)
from pyfax.t30.result import ResultCode
from pyfax.t30.states import State

__all__ = ["SenderMixin"]

RCP_REPEATS = 3


class SenderMixin(Core):
    """Handlers of the calling transmitter."""

    def _init_sender(self) -> None:
        self._rates: list[ModemRate] = []
        self._rate_index = 0
        self._page_index = 0
        self._part = 0  # which cut of the page in hand (pages longer than the DIS allows)
        self._extra_cuts: dict[int, int] = {}  # page index -> cuts beyond the first
        self._rtn_count = 0
        self._remote_caps = Capabilities()
        self._coded: dict[tuple[int, int, DcsParams], bytes] = {}
        self._blocks: list[list[bytes]] = []
        self._block_index = 0
        self._ppr_count = 0
        self._resend: list[int] = []
        self._post = FCF.EOP
        self._given_up: set[int] = set()  # pages with a block given up (EOR)
        self._fitted: dict[tuple[int, frozenset[Resolution], PaperWidth, PageLength],
                           TxPage | None] = {}

    def _start_sender(self) -> None:
        self._set_state(State.T_WAIT_DIS)
        self._out.append(SendTone(Tone.CNG))
        self._start_timer(Timer.T1)

    def _send_polled_dis(self) -> None:
        s = self.settings
        caps = Capabilities(modems=s.modems, can_receive=False, ready_to_transmit=True,
                            resolutions=s.resolutions, compressions=s.compressions, ecm=s.ecm)
        self._command([self._frames(self._identified(FCF.CSI, Dis(caps))), ReceiveV21()],
                      Timer.T4)
        self._set_state(State.T_WAIT_DTC)

    def _t_polled_dtc(self) -> None:
        assert self._rx is not None and isinstance(self._rx.frame, Dtc)
        self._stop_timer(Timer.T4)
        self._remote_ident(FCF.CIG)
        self._use_caps(self._rx.frame.caps)

    def _t_polled_dcs(self) -> None:
        self._disconnect(ResultCode.INCOMPATIBLE, "the caller sends pages; we wait to be polled")

    def _t_repeat_dis(self) -> None:
        self._repeat_dis("not polled after DIS")

    # --- phase B ---------------------------------------------------------------

    def _t_dis(self) -> None:
        caps = self._dis_offering(lambda caps: caps.can_receive,
                                  "the remote's DIS says it cannot receive")
        if caps is not None:
            self._use_caps(caps)

    def _use_caps(self, caps: Capabilities) -> None:
        self._remote_caps = caps
        s = self.settings
        if not self._pages:
            self._disconnect(ResultCode.NO_PAGES, "no pages to send")
            return
        self._rates = [r for r in FALLBACK_SEQUENCE
                       if r.modem in s.modems and r.modem in caps.modems
                       and (s.max_rate_bps is None or r.rate_bps <= s.max_rate_bps)]
        if not self._rates:
            self._disconnect(ResultCode.INCOMPATIBLE, "no fast modem in common")
            return
        self._rate_index = 0
        self._send_dcs()

    def _t_dtc(self) -> None:
        self._disconnect(ResultCode.INCOMPATIBLE, "the remote polls (DTC) instead of receiving")

    def _page(self, index: int) -> TxPage | None:
        """Page ``index`` reduced to a resolution and width the receiver's DIS offers
        (None: it offers no resolution to reduce to); reduced once per DIS."""
        caps = self._remote_caps
        key = (index, caps.resolutions, caps.max_width, caps.max_length)
        if key not in self._fitted:
            self._fitted = {k: v for k, v in self._fitted.items() if k[0] >= self._page_index}
            page = self._pages[index]
            fitted = fit_page(page, caps.resolutions, caps.max_width)
            if fitted is not None and fitted is not page:
                self._log(f"page {index + 1} reduced for the receiver: {_size(page)} -> "
                          f"{_size(fitted)} (it offers {caps.max_width.name} width at most, "
                          f"{'+'.join(sorted(r.name for r in caps.resolutions))})")
            self._fitted[key] = fitted
            cuts = self._cuts(fitted) if fitted is not None else []
            self._extra_cuts[index] = max(0, len(cuts) - 1)
            if fitted is not None and len(cuts) > 1:
                self._log(f"page {index + 1} ({fitted.image.shape[0]} rows) cut into {len(cuts)}"
                          f" pages of at most {cuts[0][1]} rows: the receiver takes"
                          f" {caps.max_length.name} length at most")
        return self._fitted[key]

    def _cuts(self, page: TxPage) -> list[tuple[int, int]]:
        rows = max_page_rows(self._remote_caps.max_length, page.resolution)
        return split_rows(int(page.image.shape[0]), rows)

    def _sheet(self) -> TxPage | None:
        """The part of the page in hand that goes out as one page (None as :meth:`_page`)."""
        page = self._page(self._page_index)
        if page is None:
            return None
        cuts = self._cuts(page)
        if len(cuts) == 1:
            return page
        start, stop = cuts[self._part]
        return TxPage(page.image[start:stop], page.resolution)

    def _sheet_number(self) -> int:
        """The page in hand counted as sent (cuts included), from 1."""
        before = sum(n for i, n in self._extra_cuts.items() if i < self._page_index)
        return self._page_index + before + self._part + 1

    def _sheet_count(self) -> int:
        """The document's pages counted as sent, with the cuts known so far."""
        return len(self._pages) + sum(self._extra_cuts.values())

    def _more_parts(self) -> bool:
        page = self._page(self._page_index)
        return page is not None and self._part + 1 < len(self._cuts(page))

    def _dcs_for_page(self) -> DcsParams | None:
        caps, s = self._remote_caps, self.settings
        page = self._sheet()
        if page is None:
            return None
        ecm = s.ecm and caps.ecm
        common = s.compressions & caps.compressions
        if ecm and Compression.MMR in common:
            comp = Compression.MMR
        elif Compression.MR in common:
            comp = Compression.MR
        else:
            comp = Compression.MH
        return DcsParams(self._rates[self._rate_index], page.resolution, comp, ecm,
                         s.ecm_frame_size, page.width, caps.max_length,
                         0 if ecm else caps.min_scan_time_ms)

    def _send_dcs(self) -> None:
        dcs = self._dcs_for_page()
        if dcs is None:
            self._disconnect(ResultCode.INCOMPATIBLE,
                             "the remote offers no resolution this page can be reduced to")
            return
        self.progress.dcs = dcs
        self._command([self._frames(self._identified(FCF.TSI, Dcs(dcs))),
                       SendTcf(dcs.modem_rate)], Timer.T4)
        self._set_state(State.T_WAIT_CFR)

    def _t_cfr(self) -> None:
        self._ppr_count = 0
        self._send_page()

    def _t_ftt(self) -> None:
        self._fall_back(ResultCode.TRAINING_FAILED, "FTT at every rate")

    def _fall_back(self, code: ResultCode, text: str) -> None:
        if self._rate_index + 1 >= len(self._rates):
            self._disconnect(code, text)
            return
        self._rate_index += 1
        self._send_dcs()

    def _t_repeat(self) -> None:
        if not self._repeat_command():
            self._t_t4()

    def _t_t4(self) -> None:
        if self._repeat_command():
            return
        code = (ResultCode.PHASE_B_TIMEOUT if self.state is State.T_WAIT_CFR
                else ResultCode.PHASE_D_TIMEOUT)
        self._disconnect(code, f"no valid response after {self.settings.command_tries} tries")

    def _t_dcn(self) -> None:
        self._finish(ResultCode.UNEXPECTED_DCN, f"DCN received in {self.state.name}")

    def _t_t1(self) -> None:
        self._t1_expired()

    # --- phase C/D without ECM ---------------------------------------------------

    def _post_command(self) -> FCF:
        if self._more_parts():
            return FCF.MPS  # the next cut of the same page: same DCS
        if self._page_index + 1 >= len(self._pages):
            return FCF.EOP
        nxt, cur = self._page(self._page_index + 1), self._page(self._page_index)
        same = (nxt is not None and cur is not None and nxt.resolution is cur.resolution
                and nxt.width is cur.width)
        return FCF.MPS if same else FCF.EOM

    def _coded_page(self, dcs: DcsParams) -> bytes:
        key = (self._page_index, self._part, dcs)
        if key not in self._coded:
            page = self._sheet()
            assert page is not None  # a DCS was built for it
            self._coded = {key: encode_page(page, dcs)}
        return self._coded[key]

    def _send_page(self) -> None:
        dcs = self.progress.dcs
        assert dcs is not None
        self._post = self._post_command()
        data = self._coded_page(dcs)
        if dcs.ecm:
            self._blocks = ecm_blocks(data, dcs.frame_size_octets)
            self._block_index = 0
            self._send_block(list(range(len(self._blocks[0]))))
            return
        self._log(f"tx page {self.progress.pages + 1} ({len(data)} octets at {dcs.modem_rate})")
        post = self._frames([Simple(self._post)])
        self._command([SendPage(dcs.modem_rate, data), post], Timer.T4, [post])
        self._set_state(State.T_WAIT_POST_RESPONSE)

    def _t_mcf(self) -> None:
        self.progress.pages += 1
        self._rtn_count = 0
        self._next_page(retrain=False)

    def _next_page(self, *, retrain: bool) -> None:
        if self._post is FCF.EOP and self._given_up:
            pages = ", ".join(str(i + 1) for i in sorted(self._given_up))
            self._disconnect(ResultCode.ECM_FAILED,
                             f"page(s) {pages} sent with blocks given up (EOR) at the lowest rate")
            return
        if self._post is FCF.EOP:
            self._disconnect(ResultCode.OK)
            return
        if self._more_parts():
            self._part += 1
        else:
            self._page_index += 1
            self._part = 0
        if self._post is FCF.EOM:
            self._set_state(State.T_WAIT_DIS)
            self._start_timer(Timer.T1)
        elif retrain:
            self._send_dcs()
        else:
            self._send_page()

    def _t_rtp(self) -> None:
        self.progress.pages += 1
        self._rtn_count = 0
        self._next_page(retrain=True)

    def _t_rtn(self) -> None:
        self._rtn_count += 1
        self._log(f"page {self.progress.pages + 1} rejected ({self._rtn_count} time(s))")
        if self._rtn_count > self.settings.rtn_per_rate:
            self._rtn_count = 0
            self._fall_back(ResultCode.PAGES_REJECTED, "page rejected at every rate")
        else:
            self._send_dcs()

    # --- ECM (T.30 Annex A) --------------------------------------------------------

    def _send_block(self, numbers: list[int], *, long_train: bool = False) -> None:
        dcs = self.progress.dcs
        assert dcs is not None
        block = self._blocks[self._block_index]
        self._resend = numbers
        frames = [encode_frame(Fcd(n, block[n]), final=False) for n in numbers]
        frames += [encode_frame(Simple(FCF.RCP), final=False)] * RCP_REPEATS
        pps = Pps(self._block_post(), self.progress.pages, self._block_index, len(block))
        self._log(f"tx ECM block {self._block_index} ({len(numbers)} of {len(block)} frames"
                  f" at {dcs.modem_rate})")
        v21 = self._frames([pps])
        octets = sum(len(block[n]) for n in numbers)
        self._command([SendEcmBlock(dcs.modem_rate, tuple(frames), long_train, octets), v21],
                      Timer.T4, [v21])
        self._set_state(State.T_WAIT_PPS_RESPONSE)

    def _block_post(self) -> FCF | None:
        """The post-message command of the block in hand: None (PPS-NULL) but for the last."""
        return self._post if self._block_index + 1 >= len(self._blocks) else None

    def _t_ecm_mcf(self) -> None:
        self._stop_timer(Timer.T5)
        self._ppr_count = 0
        if self._block_index + 1 < len(self._blocks):
            self._block_index += 1
            self._send_block(list(range(len(self._blocks[self._block_index]))))
            return
        self.progress.pages += 1
        self._next_page(retrain=False)

    def _t_ppr(self) -> None:
        assert self._rx is not None and isinstance(self._rx.frame, Ppr)
        self._stop_timer(Timer.T5)
        n_frames = len(self._blocks[self._block_index])
        missing = sorted(n for n in self._rx.frame.missing() if n < n_frames)
        if not missing:
            missing = list(range(n_frames))
        self._ppr_count += 1
        if self._ppr_count < self.settings.ppr_before_ctc:
            self._send_block(missing)
            return
        self._ppr_count = 0
        if self._rate_index + 1 >= len(self._rates):
            self._send_eor(len(missing))
            return
        self._rate_index += 1
        self._resend = missing
        dcs = self.progress.dcs
        assert dcs is not None
        self.progress.dcs = replace(dcs, modem_rate=self._rates[self._rate_index])
        self._command([self._frames([Ctc(self._rates[self._rate_index])])], Timer.T4)
        self._set_state(State.T_WAIT_CTR)

    def _send_eor(self, n_missing: int) -> None:
        """Give the block up (T.30 §A.4.4): EOR with the PPS's post-message command."""
        self._log(f"page {self.progress.pages + 1} block {self._block_index}: {n_missing} frame(s)"
                  " still damaged at the lowest rate, giving the block up")
        self._given_up.add(self._page_index)
        self._command([self._frames([Eor(self._block_post())])], Timer.T4)
        self._set_state(State.T_WAIT_EOR_RESPONSE)

    def _t_err(self) -> None:
        """ERR: the receiver took the EOR; go on as after MCF."""
        self._t_ecm_mcf()

    def _t_ctr(self) -> None:
        self._send_block(self._resend, long_train=True)

    def _t_rnr(self) -> None:
        if Timer.T5 not in self._timers:
            self._start_timer(Timer.T5)
        self._command([self._frames([Simple(FCF.RR)])], Timer.T4)

    def _t_t5(self) -> None:
        self._disconnect(ResultCode.PHASE_D_TIMEOUT, "the receiver stayed not ready beyond T5")

    def _t_pin_ecm(self) -> None:
        self._disconnect(ResultCode.PAGES_REJECTED, "PIN: the receiver refused the page")


def _size(page: TxPage) -> str:
    rows, cols = page.image.shape
    return f"{page.width.name} {page.resolution.name} {cols}x{rows}"
