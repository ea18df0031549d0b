"""The answering receiver's handlers (T.30 Figure 5-2, flow chart "R"; Annex A).

Phase A/B: CED, then CSI + DIS repeated every T4 until a DCS arrives or T1
expires; TCF judged by its longest run of zeros (CFR or FTT). Phase C/D
without ECM: the page is decoded tolerantly when the post-message command
arrives, and answered MCF, or RTN when too many lines are damaged
(``Settings.rtn_damaged_fraction``). With ECM: FCD frames are gathered per
block; PPS is answered MCF when the block is whole, else PPR naming the
missing frames; CTC gets CTR, EOR gets ERR, RR gets the last response.
A DCS asking for more than the DIS offered (a modem, coding, resolution,
width or recording length, Table 2 bits 19-20) is refused with DCN
(``INCOMPATIBLE``). A page longer than the length offered is kept and noted in
the trace: T.30 and T.4 make no protocol error of it.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from pyfax.errors import FrameDecodeError
from pyfax.t4.packed import PackedImage
from pyfax.t30._core import Core
from pyfax.t30._pages import decode_page, max_page_rows
from pyfax.t30.dis import Capabilities, DcsParams
from pyfax.t30.events import (
    Action,
    FastFrameReceived,
    PageReceived,
    ReceiveFast,
    ReceiveMode,
    ReceiveV21,
    SendTone,
    TcfReceived,
    Tone,
)
from pyfax.t30.fcf import FCF
from pyfax.t30.frames import (
    Ctc,
    Dcs,
    Dis,
    Dtc,
    Eor,
    Fcd,
    Frame,
    Ppr,
    Pps,
    Simple,
    decode_frame,
)
from pyfax.t30.params import Timer
from pyfax.t30.result import ResultCode
from pyfax.t30.states import State

__all__ = ["ReceiverMixin"]

FINISHING = frozenset({FCF.EOP, FCF.PRI_EOP})
NEW_PHASE_B = frozenset({FCF.EOM, FCF.PRI_EOM})


class ReceiverMixin(Core):
    """Handlers of the answering receiver."""

    def _init_receiver(self) -> None:
        self._page_data = b""
        self._carrier_seen = False
        self._last_post: FCF | None = None
        self._last_response: list[Action] = []
        self._ecm_frames: dict[int, bytes] = {}
        self._ecm_n_frames = 0
        self._ecm_page = bytearray()
        self._ecm_done_key: tuple[int, int] | None = None

    def _start_poller(self) -> None:
        self._set_state(State.R_POLL_WAIT_DIS)
        self._out.append(SendTone(Tone.CNG))
        self._start_timer(Timer.T1)

    def _r_poll_dis(self) -> None:
        if self._dis_offering(lambda caps: caps.ready_to_transmit,
                              "the remote has nothing to be polled") is None:
            return
        dtc = self._identified(FCF.CIG, Dtc(self._local_caps()))
        self._command([self._frames(dtc), ReceiveV21()], Timer.T4)
        self._set_state(State.R_WAIT_DCS)

    def _local_caps(self) -> Capabilities:
        s = self.settings
        return Capabilities(modems=s.modems, can_receive=True, resolutions=s.resolutions,
                            compressions=s.compressions, ecm=s.ecm, max_width=s.max_width,
                            max_length=s.max_length)

    def _send_dis(self) -> None:
        dis = self._identified(FCF.CSI, Dis(self._local_caps()))
        self._command([self._frames(dis), ReceiveV21()], Timer.T4)
        self._set_state(State.R_WAIT_DCS)

    def _r_repeat_dis(self) -> None:
        self._repeat_dis("no DCS after DIS")

    def _r_t1(self) -> None:
        self._t1_expired()

    def _r_polled_with_nothing(self) -> None:
        self._disconnect(ResultCode.INCOMPATIBLE, "the caller polls (DTC); we have nothing to send")

    def _r_dis_collision(self) -> None:
        if self.settings.calling and self._repeat_command():
            return  # a poller's DTC was not heard: the polled side repeats DIS
        self._disconnect(ResultCode.INCOMPATIBLE, "the remote is an answering terminal too")

    # --- phase B: DCS and TCF --------------------------------------------------------

    def _r_dcs(self) -> None:
        assert self._rx is not None and isinstance(self._rx.frame, Dcs)
        dcs: DcsParams = self._rx.frame.params
        self._remote_ident(FCF.TSI)
        s = self.settings
        offered = Capabilities.decode(self._local_caps().encode()).modems  # V.17 implies all
        if (dcs.modem_rate.modem not in offered or dcs.compression not in s.compressions
                or dcs.resolution not in s.resolutions or (dcs.ecm and not s.ecm)
                or dcs.width.width_mm > s.max_width.width_mm
                or not s.max_length.holds(dcs.length)):
            self._disconnect(ResultCode.INCOMPATIBLE, f"DCS asks for what we do not offer: {dcs}")
            return
        self._stop_timer(Timer.T1)
        self._stop_timer(Timer.T4)
        self._last_post = None
        self.progress.dcs = dcs
        self._out.append(ReceiveFast(dcs.modem_rate, ReceiveMode.TCF))
        self._start_timer(Timer.T2)
        self._start_timer(Timer.T4)  # TCF deadline: the sender listens again about now
        self._set_state(State.R_TCF)

    def _r_fast_trained(self) -> None:
        self._carrier_seen = True
        if self.state is State.R_TCF:
            self._stop_timer(Timer.T4)  # the TCF is under way: judge it when it ends
            self._start_timer(Timer.T2)
        else:
            self._stop_timer(Timer.T2)

    def _r_tcf_deadline(self) -> None:
        """No TCF trained within T4 of the DCS: answer FTT while the sender listens."""
        self._log("no TCF trained in time")
        self._r_tcf_failed()

    def _r_signal_present(self) -> None:
        """A carrier the fast modem cannot train on: the remote is still sending."""
        if Timer.T2 in self._timers:
            self._start_timer(Timer.T2)

    def _r_tcf(self) -> None:
        ev = self._event
        assert isinstance(ev, TcfReceived)
        dcs = self.progress.dcs
        assert dcs is not None
        if ev.longest_zero_run_s < self.settings.tcf_min_zero_run_s:
            self._log(f"TCF failed: longest zero run {ev.longest_zero_run_s:.2f} s")
            self._r_tcf_failed()
            return
        limit = self.settings.max_rate_bps
        if limit is not None and dcs.modem_rate.rate_bps > limit:
            self._log(f"TCF at {dcs.modem_rate} refused: above our limit of {limit} bit/s")
            self._r_tcf_failed()
            return
        mode = ReceiveMode.ECM if dcs.ecm else ReceiveMode.PAGE
        self._start_page_rx(Simple(FCF.CFR), mode)

    def _start_page_rx(self, response: Frame, mode: ReceiveMode, *,
                       long_train: bool = False) -> None:
        dcs = self.progress.dcs
        assert dcs is not None
        self._carrier_seen = False
        self._page_data = b""
        self._last_response = [self._frames([response])]
        self._respond([*self._last_response, ReceiveFast(dcs.modem_rate, mode, long_train)])
        self._set_state(State.R_ECM_BLOCK if mode is ReceiveMode.ECM else State.R_PAGE)

    def _r_tcf_failed(self) -> None:
        self._last_response = [self._frames([Simple(FCF.FTT)])]
        self._respond([*self._last_response, ReceiveV21()], Timer.T4)
        self._set_state(State.R_WAIT_DCS)

    # --- phase C/D without ECM ---------------------------------------------------------

    def _r_page(self) -> None:
        ev = self._event
        assert isinstance(ev, PageReceived)
        self._page_data = ev.data
        self._log(f"page data ended ({len(ev.data)} octets)")
        self._out.append(ReceiveV21())
        self._start_timer(Timer.T2)
        self._set_state(State.R_POST_PAGE)

    def _r_post(self) -> None:
        assert self._rx is not None
        dcs = self.progress.dcs
        assert dcs is not None
        page = decode_page(self._page_data, dcs)
        self._log(f"page {self.progress.pages + 1}: {page.image.shape[0]} lines, "
                  f"{page.damaged_lines} damaged, {page.lost_fraction:.1%} of the stream lost, "
                  f"{'with' if page.complete else 'no'} RTC")
        good = (page.image.shape[0] > 0 and page.complete
                and page.damaged_fraction <= self.settings.rtn_damaged_fraction)
        if good:
            self._keep(page.image)
            self.progress.pages += 1
        self._answer_post(self._rx.fcf, FCF.MCF if good else FCF.RTN)

    def _answer_post(self, post: FCF, answer: FCF) -> None:
        dcs = self.progress.dcs
        assert dcs is not None
        self._last_post = post
        if answer not in (FCF.RTN, FCF.PIN) and post not in FINISHING | NEW_PHASE_B:
            self._start_page_rx(Simple(answer), ReceiveMode.ECM if dcs.ecm else ReceiveMode.PAGE)
            return
        self._last_response = [self._frames([Simple(answer)])]
        if answer in (FCF.RTN, FCF.PIN):
            self._respond([*self._last_response, ReceiveV21()], Timer.T4)
            self._set_state(State.R_WAIT_DCS)
        elif post in FINISHING:
            self._respond([*self._last_response, ReceiveV21()])
            self._set_state(State.R_WAIT_DCN)
        else:
            self._respond(list(self._last_response), None)
            self._send_dis()

    def _r_post_without_page(self) -> None:
        assert self._rx is not None
        if self.progress.dcs is None:
            self._disconnect(ResultCode.PROTOCOL_ERROR,
                             f"{self._rx.fcf.name} before any DCS")
            return
        if self._rx.fcf is self._last_post and not self._carrier_seen and self._last_response:
            self._r_repeat_response()
            return
        self._answer_post(self._rx.fcf, FCF.RTN)

    def _r_repeat_response(self) -> None:
        self._log("repeat last response")
        self._respond(list(self._last_response),
                      Timer.T4 if self.state is State.R_WAIT_DCS else Timer.T2)

    def _r_crp(self) -> None:
        if self._bad_final:
            self._respond([self._frames([Simple(FCF.CRP)])])

    def _r_t2(self) -> None:
        self._disconnect(ResultCode.HUNG_UP_MID_PAGE,
                         f"the line went silent in {self.state.name}")

    def _r_dcn(self) -> None:
        given_up = self.progress.pages_given_up
        if self.state is State.R_WAIT_DCN and given_up:
            self._finish(ResultCode.ECM_FAILED,
                         f"{given_up} page(s) kept with blocks the sender gave up (EOR)")
        elif self.state is State.R_WAIT_DCN:
            self._finish(ResultCode.OK)
        else:
            self._finish(ResultCode.UNEXPECTED_DCN, f"DCN received in {self.state.name}")

    def _keep(self, image: NDArray[np.bool_]) -> None:
        dcs = self.progress.dcs
        assert dcs is not None
        limit = max_page_rows(self.settings.max_length, dcs.resolution)
        if limit is not None and image.shape[0] > limit:
            # T.30 makes no protocol error of it (the DCS length field is what is checked)
            self._log(f"page {len(self.progress.received_pages) + 1} has {image.shape[0]} rows,"
                      f" longer than the {self.settings.max_length.name} length we offered"
                      f" ({limit} rows): kept as received")
        self.progress.received_pages.append(PackedImage.pack(image))
        self.progress.received_resolutions.append(dcs.resolution)

    # --- ECM (T.30 Annex A) -----------------------------------------------------------------

    def _r_fcd(self) -> None:
        ev = self._event
        assert isinstance(ev, FastFrameReceived)
        if not ev.crc_ok:
            return
        try:
            frame = decode_frame(ev.data).frame
        except FrameDecodeError:
            return  # as a frame lost to noise: the PPR after PPS asks for it again
        if isinstance(frame, Fcd):
            self._ecm_frames[frame.number] = frame.data
            self._ecm_n_frames = max(self._ecm_n_frames, frame.number + 1)

    def _r_ecm_burst_end(self) -> None:
        self._start_timer(Timer.T2)

    def _r_pps(self) -> None:
        assert self._rx is not None and isinstance(self._rx.frame, Pps)
        pps = self._rx.frame
        if (pps.page, pps.block) == self._ecm_done_key:
            self._r_repeat_response()
            return
        self._ecm_n_frames = max(self._ecm_n_frames, pps.n_frames)
        missing = {n for n in range(self._ecm_n_frames) if n not in self._ecm_frames}
        if missing:
            self._log(f"block {pps.block}: {len(missing)} frame(s) missing")
            self._start_page_rx(Ppr.from_missing(missing), ReceiveMode.ECM)
            return
        self._ecm_page += b"".join(self._ecm_frames[n] for n in range(self._ecm_n_frames))
        self._ecm_frames, self._ecm_n_frames = {}, 0
        self._ecm_done_key = (pps.page, pps.block)
        if pps.post is None:
            self._start_page_rx(Simple(FCF.MCF), ReceiveMode.ECM)
            return
        self._r_ecm_page_end(pps.post)

    def _r_ecm_page_end(self, post: FCF, answer: FCF = FCF.MCF) -> None:
        dcs = self.progress.dcs
        assert dcs is not None
        page = decode_page(bytes(self._ecm_page), dcs)
        self._ecm_page = bytearray()
        self._log(f"ECM page {self.progress.pages + 1}: {page.image.shape[0]} lines, "
                  f"{page.damaged_lines} damaged")
        self._keep(page.image)
        self.progress.pages += 1
        self._answer_post(post, answer)

    def _r_ctc(self) -> None:
        assert self._rx is not None and isinstance(self._rx.frame, Ctc)
        dcs = self.progress.dcs
        assert dcs is not None
        self.progress.dcs = replace(dcs, modem_rate=self._rx.frame.modem_rate)
        self._start_page_rx(Simple(FCF.CTR), ReceiveMode.ECM, long_train=True)

    def _r_eor(self) -> None:
        assert self._rx is not None and isinstance(self._rx.frame, Eor)
        post = self._rx.frame.post
        n = self._ecm_n_frames
        self._log(f"EOR: block given up with {n - len(self._ecm_frames)} frame(s) missing")
        self._ecm_page += b"".join(self._ecm_frames.get(i, b"") for i in range(n))
        self._ecm_frames, self._ecm_n_frames = {}, 0
        self.progress.pages_given_up += 1
        if post is None:
            self._start_page_rx(Simple(FCF.ERR), ReceiveMode.ECM)
            return
        self._r_ecm_page_end(post, answer=FCF.ERR)

    def _r_rr(self) -> None:
        self._r_repeat_response()
