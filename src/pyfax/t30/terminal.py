"""The audio fax terminal: the T.30 session joined to the modems and T.4.

``Terminal`` is the block interface every audio backend drives (as spandsp's
``fax_rx``/``fax_tx`` pair): ``out = term.step(inp)`` takes the int16 samples
heard from the line (8000 Hz) and returns as many samples to send. Inside,
the received block goes through :class:`~._audio_rx.RxChain` (V.21 + HDLC,
and the fast modem when the session asked for it), each event goes to the
:class:`~pyfax.t30.session.Session` with the time of the block, the session's
actions feed :class:`~._audio_tx.TxQueue`, its timers are fired, and the
queue produces the block to send. Time is the count of samples, so a call
runs as fast as the CPU allows and its line time is exact. While we transmit
we do not listen (the line is half duplex).

Between steps, :attr:`Terminal.progress` gives a :class:`TerminalProgress`
snapshot (phase, page n of N, octets of the page sent, bit rate, ECM, line
time) for progress displays, and :attr:`Terminal.state` the T.30 state.

This is the only module of :mod:`pyfax.t30` that imports :mod:`pyfax.modem`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from pyfax import t4
from pyfax.errors import ModemError, T30Error
from pyfax.modem import modem_class
from pyfax.modem.base import SAMPLE_RATE_HZ
from pyfax.t4.geometry import PaperWidth, Resolution
from pyfax.t30._audio_rx import RxChain
from pyfax.t30._audio_tx import TxQueue
from pyfax.t30.events import (
    Action,
    Cancel,
    Event,
    FastCarrierDown,
    FastTrained,
    FastTrainingFailed,
    Finished,
    LineDropped,
    ReceiveFast,
    ReceiveV21,
    SendEcmBlock,
    SendPage,
    TxDone,
)
from pyfax.t30.params import FALLBACK_SEQUENCE, Compression, Modem, PageLength
from pyfax.t30.result import CallResult
from pyfax.t30.session import Session, Settings
from pyfax.t30.states import Phase, State

__all__ = ["LINE_DROP_GRACE_S", "Terminal", "TerminalProgress", "available_modems"]

LINE_DROP_GRACE_S = 0.5
"""Line time a terminal runs on after :meth:`Terminal.line_dropped`: the V.21 and fast
demodulators' delay, so the last frame the far end sent is not lost."""
_LINE_DROP_GRACE_N = round(LINE_DROP_GRACE_S * SAMPLE_RATE_HZ)

Role = Literal["send", "receive"]
log = logging.getLogger("pyfax.t30")


def available_modems(wanted: Sequence[Modem]) -> frozenset[Modem]:
    """The modems of ``wanted`` whose pyfax transmitter and receiver exist at every rate."""
    ok = set()
    for m in wanted:
        try:
            for r in (r for r in FALLBACK_SEQUENCE if r.modem is m):
                modem_class(m.value, r.rate_bps, role="tx")
                modem_class(m.value, r.rate_bps, role="rx")
        except ModemError as exc:
            log.warning("modem %s not available: %s", m.value, exc)
            continue
        ok.add(m)
    return frozenset(ok)


def _receive_formats(resolutions: Sequence[Resolution | str] | None,
                     max_width: PaperWidth | str) -> tuple[frozenset[Resolution], PaperWidth]:
    """The resolutions and widest width a receiving terminal offers, from names or members.

    Raises:
        T30Error: an unknown resolution or width.
    """
    try:
        offered = (frozenset(Resolution) if resolutions is None
                   else frozenset(Resolution.parse(r) for r in resolutions))
        width = (max_width if isinstance(max_width, PaperWidth)
                 else PaperWidth[str(max_width).strip().upper()])
    except (KeyError, ValueError) as exc:
        raise T30Error(f"unknown resolution or width: {exc}") from exc
    return offered | {Resolution.STANDARD}, width


@dataclass(frozen=True, slots=True)
class TerminalProgress:
    """Where a call stands, read from :attr:`Terminal.progress` after any ``step()``.

    Attributes:
        phase: the T.30 phase (A before the first ``step()``).
        page: the page in progress, from 1 (the receiver: 0 before its first page).
        pages: the sender's page count; for the receiver, the pages received so far
            with the one arriving.
        bytes_sent: octets of the current page's coded data sent so far (the sender;
            with ECM, the octets of every FCD frame sent, retransmissions included,
            so it can pass ``bytes_total``); told from line time while a burst plays,
            exact once it ends. None for the receiver.
        bytes_total: octets of the current page's coded data, once it has been coded
            for the negotiated parameters (sender only; else None).
        bit_rate: the negotiated (or current, after fall-back or CTC) rate in bit/s,
            None before DCS.
        ecm: whether the call uses error correction mode.
        line_time_s: line time since the terminal started, in seconds.
    """

    phase: Phase
    page: int
    pages: int
    bytes_sent: int | None
    bytes_total: int | None
    bit_rate: int | None
    ecm: bool
    line_time_s: float


class Terminal:
    """A fax terminal on an audio line, calling to send or answering to receive
    (or, with ``poll``, calling to receive and answering to send).

    Args:
        role: ``"send"`` (calling transmitter) or ``"receive"`` (answering receiver).
        pages: pages to send: numpy bool arrays (True = black, taken as fine
            204 x 196 dpi) or objects with ``image`` and ``resolution``.
        ident: our TSI/CSI, at most 20 characters (digits, ``+`` and space).
        ecm: offer error correction mode (T.30 Annex A).
        modems: the fast modems we offer, among ``"v17"``, ``"v29"``, ``"v27ter"``.
        compressions: the codings we offer, among ``"MMR"``, ``"MR"``, ``"MH"``.
        max_rate_bps: as sender, start training no faster than this; as
            receiver, answer FTT to faster TCFs (None: no limit).
        poll: polling (T.30 §5.3.6.1.3): a receiving terminal calls and asks for
            the remote's document with DTC; a sending terminal answers and
            waits to be polled.
        ecm_frame_size: octets per ECM frame when sending, 256 or 64.
        resolutions: as receiver, the resolutions offered in DIS (``Resolution``
            members or names such as ``"fine"``, ``"300x300"``; None: all).
            Standard is always offered (T.30 Table 2).
        max_width: as receiver, the widest scan line offered in DIS (``PaperWidth``
            or ``"A4"``, ``"B4"``, ``"A3"``). A sender reduces wider pages to it.
        max_length: as receiver, the longest page offered in DIS (``"A4"``,
            ``"B4"`` or ``"unlimited"``, T.30 Table 2 bits 19-20). A sender cuts
            longer pages into pages of that length; a DCS asking for more is refused.

    Raises:
        T30Error: an unknown role, modem or coding, or a page that cannot be sent.
    """

    def __init__(self, role: Role = "send", pages: Sequence[object] = (), *,
                 ident: str = "", ecm: bool = True,
                 modems: Sequence[str] = ("v17", "v29", "v27ter"),
                 compressions: Sequence[str] = ("MMR", "MR", "MH"),
                 max_rate_bps: int | None = None, poll: bool = False,
                 ecm_frame_size: int = 256,
                 resolutions: Sequence[Resolution | str] | None = None,
                 max_width: PaperWidth | str = PaperWidth.A3,
                 max_length: PageLength | str = PageLength.UNLIMITED) -> None:
        if role not in ("send", "receive"):
            raise T30Error(f"role must be 'send' or 'receive', not {role!r}")
        try:
            wanted = tuple(Modem(m) for m in modems)
            comps = frozenset(Compression(c) for c in compressions) | {Compression.MH}
        except ValueError as exc:
            raise T30Error(f"unknown modem or coding: {exc}") from exc
        offered, width = _receive_formats(resolutions, max_width)
        try:
            length = PageLength.parse(max_length)
        except ValueError as exc:
            raise T30Error(str(exc)) from exc
        if ecm_frame_size not in (64, 256):
            raise T30Error(f"ECM frames are 64 or 256 octets, not {ecm_frame_size}")
        if role == "send" and not pages:
            raise T30Error("a sending terminal needs at least one page")
        self.role: Role = role
        if role == "receive" and Modem.V17 in wanted:
            wanted = tuple(Modem)  # a DIS cannot offer V.17 without V.29 and V.27 ter
        settings = Settings(calling=(role == "send") != poll, sending=role == "send",
                            ident=ident, ecm=ecm, ecm_frame_size=ecm_frame_size,
                            modems=available_modems(wanted), compressions=comps,
                            max_rate_bps=max_rate_bps, resolutions=offered, max_width=width,
                            max_length=length)
        self.session = Session(settings, pages if role == "send" else ())
        self._rx = RxChain()
        self._tx = TxQueue()
        self._n_samples = 0
        self._started = False
        self._finished = False
        self._dropped: tuple[int, Phase] | None = None  # (samples then, phase then)
        self._tx_page = 0  # the page whose data bursts the transmit counters follow
        self._tx_page_base = 0  # data octets sent before that page's first burst

    @property
    def done(self) -> bool:
        """True once the call has ended (successfully or not) and DCN has been sent."""
        return self._finished

    @property
    def phase(self) -> Phase:
        """The T.30 phase the call is in: A before the first ``step()``, C while page
        data is on the line (the sender's session already awaits the post-message
        response, a phase D state, while its page plays)."""
        if not self._started:
            return Phase.A
        return Phase.C if self._tx.sending_data else self.session.phase

    @property
    def state(self) -> State:
        """The session's T.30 state (a place in the T.30 flow charts, see :class:`State`);
        ``State.DONE`` before the first ``step()`` and after the end."""
        return self.session.state

    @property
    def progress(self) -> TerminalProgress:
        """A snapshot of the call's progress (cheap: read it after every ``step()``)."""
        s = self.session
        dcs = s.progress.dcs
        sending = s.settings.transmitter
        page = s.page
        sent = None
        if sending:
            sent = (self._tx.data_octets_sent - self._tx_page_base
                    if page == self._tx_page else 0)
        return TerminalProgress(
            phase=self.phase, page=page, pages=s.pages, bytes_sent=sent,
            bytes_total=s.page_octets if sending else None,
            bit_rate=dcs.modem_rate.rate_bps if dcs else None, ecm=bool(dcs and dcs.ecm),
            line_time_s=self.now_s)

    @property
    def result(self) -> CallResult | None:
        """The call's result once :attr:`done`, else None."""
        return self.session.result

    @property
    def received_pages(self) -> list[NDArray[np.bool_]]:
        """Pages received and confirmed so far (bool arrays, True = black)."""
        return self.session.received_pages

    @property
    def received_resolutions(self) -> list[Resolution]:
        """The resolution of each received page."""
        return self.session.received_resolutions

    def write_tiff(self, path: str | os.PathLike[str]) -> None:
        """Write the received pages as a TIFF Class F file (T.4 2-D coding). A page with
        no rows (an ECM page whose only block the sender gave up with EOR) has no
        image and is left out.

        Raises:
            TiffError: no page with rows was received, or the file cannot be written.
        """
        pages = [t4.TiffPage(img, res.x_dpi, res.y_dpi)
                 for img, res in zip(self.received_pages, self.received_resolutions, strict=True)
                 if img.shape[0]]
        t4.write_tiff(path, pages, scheme="MR")

    @property
    def now_s(self) -> float:
        """Line time since the terminal started, in seconds."""
        return self._n_samples / SAMPLE_RATE_HZ

    def cancel(self) -> None:
        """Abandon the call: DCN, then the result ``CANCELLED``."""
        self._apply(self.session.handle(Cancel(), self.now_s))

    def line_dropped(self) -> None:
        """The backend says the far end hung up (call it at every block; once is enough).

        The terminal goes on for :data:`LINE_DROP_GRACE_S` of line time, so that what the
        line carried last (a DCN, an MCF still in the demodulator) is heard, and our own
        DCN after a confirmed last page goes out; then the call ends: ``LINE_DROPPED``,
        or the result already decided.
        """
        if self._dropped is None and not self._finished:
            self._dropped = (self._n_samples, self.phase)
            self.session.note("the backend says the far end hung up", self.now_s)

    def step(self, inp: NDArray[np.int16]) -> NDArray[np.int16]:
        """Consume samples heard on the line; return the same number to send.

        Args:
            inp: int16 samples at 8000 Hz, one block of any length.

        Raises:
            T30Error: ``inp`` is not a 1-D array of integer samples.
        """
        raw = np.asarray(inp)
        if raw.ndim != 1 or raw.dtype.kind not in "iu":
            raise T30Error(f"step() takes a 1-D int16 block, not {raw.dtype} {raw.shape}")
        samples = raw.astype(np.int16, copy=False)
        n = samples.size
        if not self._started:
            self._started = True
            self._apply(self.session.start(0.0))
        if self._finished:
            self._n_samples += n
            return np.zeros(n, dtype=np.int16)
        if not self._tx.busy:
            for ev in self._rx.rx(samples):
                self._handle(ev)
        self._n_samples += n
        out = self._tx.tx(n)
        if self._tx.take_done():
            self._rx.reset_v21()
            self._handle(TxDone())
        if not self._finished:
            self._apply(self.session.handle_timer(self.now_s))
        if (self._dropped is not None and not self._finished
                and self._n_samples - self._dropped[0] >= _LINE_DROP_GRACE_N):
            self._apply(self.session.handle(LineDropped(self._dropped[1]), self.now_s))
        return out

    def _handle(self, event: Event) -> None:
        if isinstance(event, FastTrained | FastTrainingFailed | FastCarrierDown):
            self.session.note(f"fast modem: {type(event).__name__}", self.now_s)
        if not self._finished:
            self._apply(self.session.handle(event, self.now_s))

    def _apply(self, actions: list[Action]) -> None:
        for a in actions:
            if isinstance(a, ReceiveFast):
                self.session.note(f"rx modem {a.modem_rate} for {a.mode.value}", self.now_s)
                self._rx.listen_fast(a)
            elif isinstance(a, ReceiveV21):
                self._rx.listen_v21_only()
            elif isinstance(a, Finished):
                self._finished = True
                log.info("call finished: %s", a.result)
            else:
                if isinstance(a, SendPage | SendEcmBlock) and self.session.page != self._tx_page:
                    self._tx_page = self.session.page
                    self._tx_page_base = self._tx.data_octets_sent
                self._tx.push(a)
