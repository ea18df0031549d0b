"""States, phases and the transition table of the T.30 core.

States are named after the places in the T.30 flow charts (Figure 5-2):
``T_*`` for the calling transmitter, ``R_*`` for the answering receiver.
:data:`TRANSITIONS` maps (state, input) to the name of the :class:`Session`
method that handles it; the handler picks the next state (T.30's branches
depend on counters and capabilities, not only on the input). A pair missing
from the table is a protocol error: the session sends DCN and ends with
``ResultCode.PROTOCOL_ERROR``, except for the inputs in :data:`IGNORED`,
which are noise on a half-duplex line and are dropped with a trace line.
"""

from __future__ import annotations

import enum
from typing import TypeAlias

from pyfax.t30.fcf import FCF, POST_MESSAGE

__all__ = ["IGNORED", "TRANSITIONS", "Input", "Key", "Phase", "State", "diagram"]


class Phase(enum.Enum):
    """The phases of a call (T.30 §2.2)."""

    A = "call set-up"
    B = "pre-message procedure"
    C = "message transmission"
    D = "post-message procedure"
    E = "call release"


class State(enum.Enum):
    """Where a session is; ``value`` is (flow-chart name, phase)."""

    T_WAIT_DIS = ("T: wait for DIS", Phase.B)
    T_WAIT_DTC = ("T (polled): DIS sent, wait for DTC", Phase.B)
    T_WAIT_CFR = ("T: DCS and TCF sent, wait for CFR", Phase.B)
    T_WAIT_POST_RESPONSE = ("T: page and post-message command sent", Phase.D)
    T_WAIT_PPS_RESPONSE = ("T: ECM block and PPS sent", Phase.D)
    T_WAIT_CTR = ("T: CTC sent", Phase.D)
    T_WAIT_EOR_RESPONSE = ("T: EOR sent, block given up", Phase.D)
    DCN_SENT = ("DCN sent", Phase.E)
    R_ANSWERING = ("R: CED", Phase.A)
    R_POLL_WAIT_DIS = ("R (poller): wait for DIS", Phase.B)
    R_WAIT_DCS = ("R: DIS sent, wait for DCS", Phase.B)
    R_TCF = ("R: receiving TCF", Phase.B)
    R_PAGE = ("R: CFR sent, receiving page", Phase.C)
    R_POST_PAGE = ("R: page received, wait for post-message command", Phase.D)
    R_ECM_BLOCK = ("R: receiving ECM block", Phase.C)
    R_WAIT_DCN = ("R: EOP confirmed, wait for DCN", Phase.E)
    DONE = ("call finished", Phase.E)

    @property
    def phase(self) -> Phase:
        """The T.30 phase this state belongs to."""
        return self.value[1]


class Input(enum.Enum):
    """Inputs that are not V.21 frames (those are keyed by their FCF)."""

    BAD_FRAME = "bad-frame"
    FAST_FRAME = "fast-frame"
    FAST_TRAINED = "fast-trained"
    FAST_TRAINING_FAILED = "fast-training-failed"
    FAST_CARRIER_DOWN = "fast-carrier-down"
    TCF = "tcf"
    PAGE = "page"
    T1 = "T1"
    T2 = "T2"
    T3 = "T3"
    T4 = "T4"
    T5 = "T5"
    LINE_DROPPED = "line-dropped"


Key: TypeAlias = FCF | Input

T = State


def _rows(state: State, keys: tuple[Key, ...], handler: str) -> dict[tuple[State, Key], str]:
    return {(state, k): handler for k in keys}


TRANSITIONS: dict[tuple[State, Key], str] = {
    # --- calling transmitter --------------------------------------------
    (T.T_WAIT_DIS, FCF.DIS): "_t_dis",
    (T.T_WAIT_DIS, FCF.DTC): "_t_dtc",
    (T.T_WAIT_DIS, FCF.DCN): "_t_dcn",
    (T.T_WAIT_DIS, Input.T1): "_t_t1",
    (T.T_WAIT_DTC, FCF.DTC): "_t_polled_dtc",
    (T.T_WAIT_DTC, FCF.DCS): "_t_polled_dcs",
    (T.T_WAIT_DTC, FCF.DCN): "_t_dcn",
    (T.T_WAIT_DTC, Input.T4): "_t_repeat_dis",
    (T.T_WAIT_DTC, Input.T1): "_r_t1",
    (T.T_WAIT_CFR, FCF.CFR): "_t_cfr",
    (T.T_WAIT_CFR, FCF.FTT): "_t_ftt",
    (T.T_WAIT_CFR, FCF.DIS): "_t_repeat",
    (T.T_WAIT_CFR, FCF.CRP): "_t_repeat",
    (T.T_WAIT_CFR, FCF.DCN): "_t_dcn",
    (T.T_WAIT_CFR, Input.T4): "_t_t4",
    **_rows(T.T_WAIT_POST_RESPONSE, (FCF.MCF, FCF.PIP), "_t_mcf"),
    (T.T_WAIT_POST_RESPONSE, FCF.RTP): "_t_rtp",
    **_rows(T.T_WAIT_POST_RESPONSE, (FCF.RTN, FCF.PIN), "_t_rtn"),
    (T.T_WAIT_POST_RESPONSE, FCF.CRP): "_t_repeat",
    (T.T_WAIT_POST_RESPONSE, FCF.DCN): "_t_dcn",
    (T.T_WAIT_POST_RESPONSE, Input.T4): "_t_t4",
    **_rows(T.T_WAIT_PPS_RESPONSE, (FCF.MCF, FCF.PIP), "_t_ecm_mcf"),
    (T.T_WAIT_PPS_RESPONSE, FCF.PPR): "_t_ppr",
    (T.T_WAIT_PPS_RESPONSE, FCF.RNR): "_t_rnr",
    (T.T_WAIT_PPS_RESPONSE, FCF.CRP): "_t_repeat",
    (T.T_WAIT_PPS_RESPONSE, FCF.PIN): "_t_pin_ecm",
    (T.T_WAIT_PPS_RESPONSE, FCF.DCN): "_t_dcn",
    (T.T_WAIT_PPS_RESPONSE, Input.T4): "_t_t4",
    (T.T_WAIT_PPS_RESPONSE, Input.T5): "_t_t5",
    (T.T_WAIT_CTR, FCF.CTR): "_t_ctr",
    (T.T_WAIT_CTR, FCF.CRP): "_t_repeat",
    (T.T_WAIT_CTR, FCF.DCN): "_t_dcn",
    (T.T_WAIT_CTR, Input.T4): "_t_t4",
    (T.T_WAIT_EOR_RESPONSE, FCF.ERR): "_t_err",
    (T.T_WAIT_EOR_RESPONSE, FCF.RNR): "_t_rnr",
    (T.T_WAIT_EOR_RESPONSE, FCF.CRP): "_t_repeat",
    (T.T_WAIT_EOR_RESPONSE, FCF.PIN): "_t_pin_ecm",
    (T.T_WAIT_EOR_RESPONSE, FCF.DCN): "_t_dcn",
    (T.T_WAIT_EOR_RESPONSE, Input.T4): "_t_t4",
    (T.T_WAIT_EOR_RESPONSE, Input.T5): "_t_t5",
    # --- answering receiver ---------------------------------------------
    (State.R_POLL_WAIT_DIS, FCF.DIS): "_r_poll_dis",
    (State.R_POLL_WAIT_DIS, FCF.DCN): "_r_dcn",
    (State.R_POLL_WAIT_DIS, Input.T1): "_t_t1",
    (State.R_WAIT_DCS, FCF.DCS): "_r_dcs",
    (State.R_WAIT_DCS, FCF.DCN): "_r_dcn",
    (State.R_WAIT_DCS, FCF.DTC): "_r_polled_with_nothing",
    (State.R_WAIT_DCS, FCF.DIS): "_r_dis_collision",
    (State.R_WAIT_DCS, Input.T4): "_r_repeat_dis",
    (State.R_WAIT_DCS, Input.T1): "_r_t1",
    **_rows(State.R_WAIT_DCS, POST_MESSAGE, "_r_post_without_page"),
    (State.R_TCF, Input.TCF): "_r_tcf",
    (State.R_TCF, Input.FAST_TRAINED): "_r_fast_trained",
    (State.R_TCF, Input.FAST_TRAINING_FAILED): "_r_tcf_failed",
    (State.R_TCF, FCF.DCS): "_r_dcs",
    (State.R_TCF, FCF.DCN): "_r_dcn",
    (State.R_TCF, Input.T2): "_r_tcf_failed",
    (State.R_TCF, Input.T4): "_r_tcf_deadline",
    (State.R_PAGE, Input.FAST_TRAINED): "_r_fast_trained",
    (State.R_PAGE, Input.FAST_TRAINING_FAILED): "_r_signal_present",
    (State.R_PAGE, Input.PAGE): "_r_page",
    (State.R_PAGE, FCF.DCS): "_r_dcs",
    **_rows(State.R_PAGE, POST_MESSAGE, "_r_post_without_page"),
    (State.R_PAGE, FCF.DCN): "_r_dcn",
    (State.R_PAGE, Input.T2): "_r_t2",
    **_rows(State.R_POST_PAGE, POST_MESSAGE, "_r_post"),
    (State.R_POST_PAGE, FCF.DCN): "_r_dcn",
    (State.R_POST_PAGE, Input.BAD_FRAME): "_r_crp",
    (State.R_POST_PAGE, Input.T2): "_r_t2",
    (State.R_ECM_BLOCK, Input.FAST_TRAINED): "_r_fast_trained",
    (State.R_ECM_BLOCK, Input.FAST_TRAINING_FAILED): "_r_signal_present",
    (State.R_ECM_BLOCK, Input.FAST_FRAME): "_r_fcd",
    (State.R_ECM_BLOCK, Input.FAST_CARRIER_DOWN): "_r_ecm_burst_end",
    (State.R_ECM_BLOCK, FCF.PPS): "_r_pps",
    (State.R_ECM_BLOCK, FCF.CTC): "_r_ctc",
    (State.R_ECM_BLOCK, FCF.EOR): "_r_eor",
    (State.R_ECM_BLOCK, FCF.RR): "_r_rr",
    (State.R_ECM_BLOCK, FCF.DCS): "_r_dcs",
    (State.R_ECM_BLOCK, FCF.DCN): "_r_dcn",
    (State.R_ECM_BLOCK, Input.BAD_FRAME): "_r_crp",
    (State.R_ECM_BLOCK, Input.T2): "_r_t2",
    **_rows(State.R_WAIT_DCN, (*POST_MESSAGE, FCF.PPS, FCF.RR), "_r_repeat_response"),
    (State.R_WAIT_DCN, FCF.DCN): "_r_dcn",
    (State.R_WAIT_DCN, Input.T2): "_r_dcn",
    (State.R_WAIT_DCN, Input.LINE_DROPPED): "_r_dcn",  # every page confirmed: DCN was all
    (State.R_WAIT_DCN, Input.BAD_FRAME): "_r_crp",
}
"""(state, input) -> handler method of :class:`pyfax.t30.session.Session`."""

IGNORED: frozenset[Key] = frozenset({
    Input.BAD_FRAME, Input.FAST_FRAME, Input.FAST_TRAINED, Input.FAST_TRAINING_FAILED,
    Input.FAST_CARRIER_DOWN, Input.TCF, Input.PAGE, FCF.NSF, FCF.NSC, FCF.NSS, FCF.CSI,
    FCF.TSI, FCF.CIG, FCF.SUB, FCF.SID, FCF.PWD, FCF.SEP, FCF.PSA, FCF.FCD, FCF.RCP,
    Input.T1, Input.T2, Input.T3, Input.T4, Input.T5,
})
"""Inputs dropped (with a trace line) when their state has no row for them."""


def diagram() -> str:
    """The transition table as a Graphviz ``dot`` graph (edges labelled by input).

    The target of an edge is the handler's name, since handlers choose the
    next state; render with ``dot -Tsvg``.
    """
    lines = ["digraph t30 {", "  rankdir=LR;"]
    for (state, key), handler in TRANSITIONS.items():
        label = key.name if isinstance(key, FCF) else key.value
        lines.append(f'  "{state.name}" -> "{handler}" [label="{label}"];')
    lines.append("}")
    return "\n".join(lines)
