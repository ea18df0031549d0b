"""The machinery of the sans-I/O T.30 session (ITU-T T.30 §5, Figure 5-2).

How it works: :meth:`Session.handle` takes one event (a frame, a modem
report, ``TxDone``) with the current time and returns the actions it causes;
:meth:`Session.handle_timer` fires the timers whose deadline has passed and
:meth:`Session.next_deadline` says when to call it next. Every event is
turned into a key (the FCF of a final V.21 frame, or an :class:`Input`),
looked up with the state in :data:`~pyfax.t30.states.TRANSITIONS`, and the
named handler (in :mod:`._sender` or :mod:`._receiver`) picks the next state.
Command repetition (3 tries, T.30 §5.4.3.1), T1/T2/T4/T5 (§5.4.3.3), DCN
and the result live here. Nothing here reads a clock or touches samples.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from pyfax.errors import FrameDecodeError
from pyfax.t4.geometry import Resolution
from pyfax.t30._pages import TxPages
from pyfax.t30.dis import Capabilities
from pyfax.t30.events import (
    Action,
    Cancel,
    Event,
    FastCarrierDown,
    FastFrameReceived,
    FastTrained,
    FastTrainingFailed,
    Finished,
    FrameReceived,
    Heard,
    LineDropped,
    LineHeard,
    PageReceived,
    SendFrames,
    TcfReceived,
    TimerExpired,
    TxDone,
)
from pyfax.t30.fcf import CONTROL_FINAL, FCF
from pyfax.t30.frames import (
    Dis,
    Frame,
    Ident,
    Received,
    Simple,
    decode_frame,
    describe,
    encode_frame,
)
from pyfax.t30.params import Timer
from pyfax.t30.result import CallResult, ResultCode
from pyfax.t30.settings import Command, Progress, Settings
from pyfax.t30.states import IGNORED, TRANSITIONS, Input, Key, Phase, State

__all__ = ["Core", "Settings"]


log = logging.getLogger("pyfax.t30")


class Core:
    """Dispatch, timers, command repetition, trace and result of one call.

    The role-specific handlers live in subclasses (:mod:`._sender`,
    :mod:`._receiver`) and are joined in :class:`pyfax.t30.session.Session`.
    """

    def __init__(self, settings: Settings, pages: Sequence[object] = ()) -> None:
        self.settings = settings
        self.state = State.DONE
        self._pages = TxPages(pages)
        self._timers: dict[Timer, float] = {}
        self._out: list[Action] = []
        self._now_s = 0.0
        self._start_s = 0.0
        self._trace: list[str] = []
        self._message: list[Received] = []
        self._sent: frozenset[bytes] = frozenset()  # our last V.21 frames, to spot echoes
        self._rx: Received | None = None
        self._event: Event | None = None
        self._bad_final = False
        self._cmd: Command | None = None
        self._after_tx: Timer | None = None
        self._pending_result: tuple[ResultCode, str] | None = None
        self._result: CallResult | None = None
        self.progress = Progress()
        self._init_role()

    # --- public interface ----------------------------------------------------

    def start(self, now_s: float) -> list[Action]:
        """Begin the call (phase A) at time ``now_s``."""
        self._begin(now_s)
        self._start_s = now_s
        self._start_role()
        return self._flush()

    def handle(self, event: Event, now_s: float) -> list[Action]:
        """Process one event at time ``now_s``; return the actions it causes."""
        self._begin(now_s)
        if self.state is State.DONE:
            return []
        self._event = event
        if isinstance(event, FrameReceived):
            self._on_frame(event)
        elif isinstance(event, TxDone):
            self._on_tx_done()
        elif isinstance(event, Cancel):
            self._disconnect(ResultCode.CANCELLED, "cancelled locally")
        elif isinstance(event, LineDropped):
            if (self.state, Input.LINE_DROPPED) in TRANSITIONS:
                self._dispatch(Input.LINE_DROPPED)
            else:
                self._line_dropped(event.phase or self.phase)
        elif isinstance(event, LineHeard):
            self.progress.heard.add(event.what)
            self._log(f"line: {event.what.value} heard")
        elif isinstance(event, TimerExpired):
            self._timers.pop(event.timer, None)
            self._dispatch(Input[event.timer.name])
        else:
            self._dispatch(_EVENT_KEYS[type(event)])
        return self._flush()

    def handle_timer(self, now_s: float) -> list[Action]:
        """Fire every timer whose deadline is at or before ``now_s``."""
        self._begin(now_s)
        while self.state is not State.DONE:
            due = [(t_s, timer) for timer, t_s in self._timers.items() if t_s <= now_s]
            if not due:
                break
            _, timer = min(due, key=lambda d: d[0])
            del self._timers[timer]
            self._log(f"timer {timer.name} expired in {self.state.name}")
            self._dispatch(Input[timer.name])
        return self._flush()

    def next_deadline(self) -> float | None:
        """When :meth:`handle_timer` must next be called (None: no timer runs)."""
        return min(self._timers.values()) if self._timers else None

    @property
    def phase(self) -> Phase:
        """The T.30 phase the call is in."""
        return self.state.phase

    @property
    def done(self) -> bool:
        """True once the call has finished."""
        return self._result is not None

    @property
    def result(self) -> CallResult | None:
        """The call's result, once :attr:`done`."""
        return self._result

    @property
    def received_pages(self) -> list[NDArray[np.bool_]]:
        """Pages received and confirmed (MCF) so far (new arrays, unpacked at each read)."""
        return [page.unpack() for page in self.progress.received_pages]

    @property
    def received_resolutions(self) -> list[Resolution]:
        """The resolution of each page in :attr:`received_pages`."""
        return self.progress.received_resolutions

    @property
    def trace(self) -> tuple[str, ...]:
        """The readable protocol trace so far."""
        return tuple(self._trace)

    def note(self, text: str, now_s: float) -> None:
        """Add a line from the driver (modem switches, carrier events) to the trace."""
        self._now_s = now_s
        self._log(text)

    # --- hooks for the role subclasses ------------------------------------------

    def _init_role(self) -> None:
        """Set up role state (subclasses extend)."""

    def _start_role(self) -> None:
        """Begin phase A."""
        raise NotImplementedError

    def _after_tx_hook(self) -> None:
        """Called when a transmission ended and no DCN was pending."""

    # --- dispatch ------------------------------------------------------------

    def _begin(self, now_s: float) -> None:
        self._now_s = now_s
        self._out = []

    def _flush(self) -> list[Action]:
        out, self._out = self._out, []
        return out

    def _on_frame(self, event: FrameReceived) -> None:
        if event.crc_ok and bytes(event.data) in self._sent:
            self._log(f"ignored the echo of our own {event.data[2:3].hex()} frame")
            return
        self.progress.heard_frames += 1
        received = None
        if event.crc_ok:
            try:
                received = decode_frame(event.data)
            except FrameDecodeError as exc:
                self._log(f"rx undecodable frame {event.data.hex()}: {exc}")
        else:
            self._log(f"rx frame with bad CRC {event.data[:8].hex()}")
        if received is None:
            self._bad_final = len(event.data) > 1 and event.data[1] == CONTROL_FINAL
            self._dispatch(Input.BAD_FRAME)
            return
        self._log(f"rx {describe(received.frame)}")
        self._message.append(received)
        if received.final:
            self._rx = received
            self._dispatch(received.fcf)
            self._message = []

    def _dispatch(self, key: Key) -> None:
        handler = TRANSITIONS.get((self.state, key))
        if handler is not None:
            getattr(self, handler)()
        elif key in IGNORED:
            self._log(f"ignored {_key_name(key)} in {self.state.name}")
        else:
            self._disconnect(ResultCode.PROTOCOL_ERROR,
                             f"unexpected {_key_name(key)} in state {self.state.name}")

    def _on_tx_done(self) -> None:
        if self.state is State.DCN_SENT:
            code, text = self._pending_result or (ResultCode.PROTOCOL_ERROR, "")
            self._finish(code, text)
            return
        if self._after_tx is not None:
            self._start_timer(self._after_tx)
            self._after_tx = None
        self._after_tx_hook()

    # --- helpers for the handlers ----------------------------------------------

    def _frames(self, frames: Sequence[Frame]) -> SendFrames:
        x_bit = self.settings.calling
        for f in frames:
            self._log(f"tx {describe(f)}")
        out = SendFrames(tuple(encode_frame(f, x_bit=x_bit, final=i == len(frames) - 1)
                               for i, f in enumerate(frames)))
        self._sent = frozenset(out.frames)
        return out

    def _identified(self, fcf: FCF, frame: Frame) -> list[Frame]:
        """``frame`` preceded by our identity as ``fcf`` (CSI, TSI or CIG) when we have one."""
        ident = self.settings.ident
        return [Ident(fcf, ident), frame] if ident else [frame]

    def _command(self, first: list[Action], timer: Timer | None,
                 repeat: list[Action] | None = None) -> None:
        """Send a command; on T4 or CRP the ``repeat`` part is sent again."""
        self._stop_timer(Timer.T2)
        self._stop_timer(Timer.T4)
        self._cmd = Command(first if repeat is None else repeat, timer)
        self._out.extend(first)
        self._after_tx = timer

    def _respond(self, actions: list[Action], timer: Timer | None = Timer.T2) -> None:
        """Send a response (not repeated by us; the remote repeats its command)."""
        self._stop_timer(Timer.T2)
        self._stop_timer(Timer.T4)
        self._out.extend(actions)
        self._after_tx = timer

    def _repeat_command(self) -> bool:
        """Send the last command again; False when its tries are used up."""
        cmd = self._cmd
        if cmd is None or cmd.tries >= self.settings.command_tries:
            return False
        cmd.tries += 1
        self._log(f"repeat command (try {cmd.tries})")
        self._out.extend(cmd.repeat)
        self._after_tx = cmd.timer
        return True

    def _repeat_dis(self, text: str) -> None:
        """T4 after our DIS: send it again (its tries start over while T1 runs);
        once T1 is stopped and the tries are used up, DCN with ``text``."""
        if Timer.T1 in self._timers:
            assert self._cmd is not None
            self._cmd.tries = 0
        if not self._repeat_command():
            self._disconnect(ResultCode.PHASE_B_TIMEOUT, text)

    def _start_timer(self, timer: Timer) -> None:
        self._timers[timer] = self._now_s + timer.duration_s

    def _stop_timer(self, timer: Timer) -> None:
        self._timers.pop(timer, None)

    def _set_state(self, state: State) -> None:
        if state is not self.state:
            self._log(f"state {self.state.name} -> {state.name}")
        self.state = state

    def _disconnect(self, code: ResultCode, text: str = "") -> None:
        """Send DCN, then finish with ``code`` once it has been sent."""
        self._timers.clear()
        self._pending_result = (code, text)
        self._out.append(self._frames([Simple(FCF.DCN)]))
        self._after_tx = None
        self._set_state(State.DCN_SENT)

    def _line_dropped(self, phase: Phase) -> None:
        """The far end hung up (in ``phase``) where no table row says otherwise: the call
        ends now, with the result our own DCN was carrying if it was on its way."""
        if self.state is State.DCN_SENT:
            code, text = self._pending_result or (ResultCode.PROTOCOL_ERROR, "")
            self._finish(code, text)
            return
        self._finish(ResultCode.LINE_DROPPED,
                     f"the remote hung up in phase {phase.name} ({phase.value}) with "
                     f"{self.progress.pages} page(s) confirmed")

    def _finish(self, code: ResultCode, text: str = "") -> None:
        self._timers.clear()
        self._set_state(State.DONE)
        dcs = self.progress.dcs
        self._log(f"finished: {code.value} {text}")
        self._result = CallResult(
            code=code, text=text or code.text, pages=self.progress.pages,
            bit_rate=dcs.modem_rate.rate_bps if dcs else None,
            ecm=bool(dcs and dcs.ecm), remote_ident=self.progress.remote_ident,
            resolution=dcs.resolution if dcs else None,
            compression=dcs.compression if dcs else None,
            line_time_s=round(self._now_s - self._start_s, 3), trace=tuple(self._trace))
        self._out.append(Finished(self._result))

    def _t1_expired(self) -> None:
        """T1 ran out before the remote identified itself: say how far it got."""
        p = self.progress
        if p.heard_frames or Heard.FAX_TONE in p.heard:
            self._finish(ResultCode.PHASE_B_TIMEOUT,
                         "a fax terminal was heard but did not identify itself before T1 (35 s)")
        elif Heard.SOUND in p.heard:
            self._finish(ResultCode.CED_NOT_DETECTED,
                         "the line carried sound but no fax tone or frame before T1 (35 s)")
        else:
            self._finish(ResultCode.NO_ANSWER, "nothing was heard on the line before T1 (35 s)")

    def _dis_offering(self, offers: Callable[[Capabilities], bool],
                      refusal: str) -> Capabilities | None:
        """The capabilities of the DIS just received (T1 stopped, the remote's CSI noted),
        or None after DCN when they do not ``offers`` what this call needs."""
        assert self._rx is not None and isinstance(self._rx.frame, Dis)
        self._stop_timer(Timer.T1)
        self._remote_ident(FCF.CSI)
        caps = self._rx.frame.caps
        if not offers(caps):
            self._disconnect(ResultCode.INCOMPATIBLE, refusal)
            return None
        return caps

    def _remote_ident(self, fcf: FCF) -> None:
        for r in self._message:
            if isinstance(r.frame, Ident) and r.frame.fcf is fcf:
                self.progress.remote_ident = r.frame.text

    def _log(self, text: str) -> None:
        line = f"{self._now_s:9.3f} {'T' if self.settings.transmitter else 'R'} {text}"
        self._trace.append(line)
        log.debug(line)


_EVENT_KEYS: dict[type, Input] = {
    FastFrameReceived: Input.FAST_FRAME,
    FastTrained: Input.FAST_TRAINED,
    FastTrainingFailed: Input.FAST_TRAINING_FAILED,
    FastCarrierDown: Input.FAST_CARRIER_DOWN,
    TcfReceived: Input.TCF,
    PageReceived: Input.PAGE,
}


def _key_name(key: Key) -> str:
    return key.name if isinstance(key, FCF) else key.value
