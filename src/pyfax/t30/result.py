"""The outcome of a fax call: a :class:`CallResult` with one :class:`ResultCode`.

Modelled on spandsp's phase E completion codes (``T30_ERR_*``), condensed to
the causes a caller can act on. A failed call is a result, never an
exception (STYLE §5). Each code says whether another attempt may succeed
(:attr:`ResultCode.retryable`) and whether that attempt should start at a
lower rate or without ECM (:attr:`ResultCode.start_lower`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from pyfax.t4.geometry import Resolution
from pyfax.t30.params import Compression

__all__ = ["CallResult", "ResultCode"]


class ResultCode(enum.Enum):
    """Why a call ended; ``value`` is a stable short name, ``text`` the reason."""

    OK = "ok"
    NO_ANSWER = "no-answer"
    CED_NOT_DETECTED = "ced-not-detected"
    TRAINING_FAILED = "training-failed"
    PAGES_REJECTED = "pages-rejected"
    INCOMPATIBLE = "incompatible"
    UNEXPECTED_DCN = "unexpected-dcn"
    PHASE_B_TIMEOUT = "phase-b-timeout"
    PHASE_D_TIMEOUT = "phase-d-timeout"
    ECM_FAILED = "ecm-failed"
    HUNG_UP_MID_PAGE = "hung-up-mid-page"
    LINE_DROPPED = "line-dropped"
    NO_PAGES = "no-pages"
    CANCELLED = "cancelled"
    PROTOCOL_ERROR = "protocol-error"

    @property
    def text(self) -> str:
        """A sentence a person can read."""
        return _TEXT[self]

    @property
    def retryable(self) -> bool:
        """True when another attempt of the same call may succeed."""
        return self in _RETRYABLE

    @property
    def start_lower(self) -> bool:
        """True when the next attempt should start at a lower rate (line quality)."""
        return self in _START_LOWER

    @property
    def spandsp_equivalents(self) -> tuple[str, ...]:
        """The ``T30_ERR_*`` names of spandsp this code stands for."""
        return _SPANDSP[self]


_TEXT: dict[ResultCode, str] = {
    ResultCode.OK: "the call completed and every page was confirmed",
    ResultCode.NO_ANSWER: "nothing was heard on the line before T1 (35 s) expired",
    ResultCode.CED_NOT_DETECTED: "the line carried sound but no fax tone or frame (a voice?)",
    ResultCode.TRAINING_FAILED: "training failed at every rate both terminals support",
    ResultCode.PAGES_REJECTED: "the receiver rejected a page (RTN/PIN) beyond the retries",
    ResultCode.INCOMPATIBLE: "the remote cannot receive (or send) in any format we offer",
    ResultCode.UNEXPECTED_DCN: "the remote disconnected (DCN) in the middle of the call",
    ResultCode.PHASE_B_TIMEOUT: "no valid response during the pre-message procedure (phase B)",
    ResultCode.PHASE_D_TIMEOUT: "no valid response after a page (phase D)",
    ResultCode.ECM_FAILED: "error correction could not recover a block",
    ResultCode.HUNG_UP_MID_PAGE: "the line went silent in the middle of a page",
    ResultCode.LINE_DROPPED: "the remote hung up before the call was complete",
    ResultCode.NO_PAGES: "the caller had nothing to send or the receiver got no page",
    ResultCode.CANCELLED: "the call was cancelled locally",
    ResultCode.PROTOCOL_ERROR: "the remote sent a frame that makes no sense at that point",
}

_RETRYABLE = frozenset({
    ResultCode.NO_ANSWER,
    ResultCode.CED_NOT_DETECTED,
    ResultCode.TRAINING_FAILED,
    ResultCode.PAGES_REJECTED,
    ResultCode.UNEXPECTED_DCN,
    ResultCode.PHASE_B_TIMEOUT,
    ResultCode.PHASE_D_TIMEOUT,
    ResultCode.ECM_FAILED,
    ResultCode.HUNG_UP_MID_PAGE,
    ResultCode.LINE_DROPPED,
    ResultCode.PROTOCOL_ERROR,
})

_START_LOWER = frozenset({
    ResultCode.TRAINING_FAILED,
    ResultCode.PAGES_REJECTED,
    ResultCode.ECM_FAILED,
})

_SPANDSP: dict[ResultCode, tuple[str, ...]] = {
    ResultCode.OK: ("T30_ERR_OK",),
    ResultCode.NO_ANSWER: ("T30_ERR_T0_EXPIRED", "T30_ERR_T1_EXPIRED"),
    ResultCode.CED_NOT_DETECTED: ("T30_ERR_CEDTONE", "T30_ERR_TX_NODIS"),
    ResultCode.TRAINING_FAILED: ("T30_ERR_CANNOT_TRAIN",),
    ResultCode.PAGES_REJECTED: ("T30_ERR_RETRYDCN", "T30_ERR_TX_INVALRSP"),
    ResultCode.INCOMPATIBLE: ("T30_ERR_INCOMPATIBLE", "T30_ERR_RX_INCAPABLE",
                              "T30_ERR_NORESSUPPORT", "T30_ERR_NOSIZESUPPORT"),
    ResultCode.UNEXPECTED_DCN: ("T30_ERR_TX_GOTDCN", "T30_ERR_TX_BADPG", "T30_ERR_RX_DCNWHY",
                                "T30_ERR_RX_DCNFAX", "T30_ERR_RX_DCNPHD"),
    ResultCode.PHASE_B_TIMEOUT: ("T30_ERR_TX_PHBDEAD", "T30_ERR_RX_T2EXP"),
    ResultCode.PHASE_D_TIMEOUT: ("T30_ERR_TX_PHDDEAD", "T30_ERR_RX_T2EXPD",
                                 "T30_ERR_RX_T2EXPMPS", "T30_ERR_TX_T5EXP"),
    ResultCode.ECM_FAILED: ("T30_ERR_TX_ECMPHD", "T30_ERR_RX_ECMPHD"),
    ResultCode.HUNG_UP_MID_PAGE: ("T30_ERR_RX_NOCARRIER", "T30_ERR_RX_DCNDATA",
                                  "T30_ERR_RX_T2EXPFAX"),
    ResultCode.LINE_DROPPED: ("T30_ERR_CALLDROPPED",),
    ResultCode.NO_PAGES: ("T30_ERR_NOPAGE", "T30_ERR_RX_NOFAX"),
    ResultCode.CANCELLED: ("T30_ERR_OPER_INT_FAIL",),
    ResultCode.PROTOCOL_ERROR: ("T30_ERR_UNEXPECTED", "T30_ERR_RX_INVALCMD",
                                "T30_ERR_TX_BADDCS"),
}


@dataclass(frozen=True, slots=True)
class CallResult:
    """What a finished call achieved.

    Attributes:
        code: why the call ended (``ResultCode.OK`` on success).
        text: a readable explanation, with the detail of this call.
        pages: pages confirmed (sent and acknowledged, or received and kept).
        bit_rate: the last fast-modem rate used in bit/s, or None before training.
        ecm: whether error correction mode was used.
        remote_ident: the remote's TSI or CSI, as it sent it (stripped).
        resolution: the negotiated resolution of the last page, if any.
        compression: the negotiated coding of the last page, if any.
        line_time_s: seconds of line time from the start to the end of the call.
        trace: the protocol trace, one readable line per event.
    """

    code: ResultCode
    text: str = ""
    pages: int = 0
    bit_rate: int | None = None
    ecm: bool = False
    remote_ident: str = ""
    resolution: Resolution | None = None
    compression: Compression | None = None
    line_time_s: float = 0.0
    trace: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the call completed."""
        return self.code is ResultCode.OK

    def __str__(self) -> str:
        rate = f"{self.bit_rate} bit/s" if self.bit_rate else "no rate"
        return (f"{self.code.value}: {self.text or self.code.text} "
                f"({self.pages} page(s), {rate}, ecm={self.ecm}, {self.line_time_s:.1f} s)")
