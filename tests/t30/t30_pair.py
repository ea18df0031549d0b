"""SessionPair: two T.30 cores back to back at frame level (as h11's ConnectionPair).

A small discrete-event simulation stands in for the line and the modems:
each side's transmit actions take their nominal line time (1 s of V.21 flags
plus the frame at 300 bit/s, TCF 1.5 s, page bits at the fast rate) and are
delivered to the other side when they end, if it listens in the right mode
and is not transmitting itself (half duplex). Fault hooks change or drop what
is delivered.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from pyfax.t30.events import (
    Action,
    Event,
    FastCarrierDown,
    FastFrameReceived,
    FastTrained,
    Finished,
    FrameReceived,
    PageReceived,
    ReceiveFast,
    ReceiveMode,
    ReceiveV21,
    SendEcmBlock,
    SendFrames,
    SendPage,
    SendTcf,
    SendTone,
    TcfReceived,
    Tone,
    TxDone,
)
from pyfax.t30.params import ModemRate
from pyfax.t30.session import Session

GAP_S = 0.075
V21_PREAMBLE_S = 1.0
TRAIN_S = 0.3

# hooks: (receiving side index, payload, time) -> payload or None to drop
FrameHook = Callable[[int, bytes, float], "bytes | tuple[bytes, bool] | None"]
PageHook = Callable[[bytes, float], bytes]
FcdHook = Callable[[bytes, float], "bytes | None"]
TcfHook = Callable[[ModemRate, float], bool]


@dataclass(frozen=True)
class _Arrival:
    """A transmission reaching the other side (checked when it arrives)."""

    action: Action
    data: bytes
    t: float


@dataclass
class _Side:
    session: Session
    busy_until_s: float = 0.0
    rx: ReceiveFast | None = None
    actions: list[Action] = field(default_factory=list)


@dataclass
class SessionPair:
    """Run a calling sender against an answering receiver."""

    sender: Session
    receiver: Session
    frame_hook: FrameHook | None = None
    page_hook: PageHook | None = None
    fcd_hook: FcdHook | None = None
    tcf_ok: TcfHook | None = None
    receiver_alive: Callable[[float], bool] = lambda t: True
    sender_alive: Callable[[float], bool] = lambda t: True
    now_s: float = 0.0
    log: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._sides = [_Side(self.sender), _Side(self.receiver)]
        self._queue: list[tuple[float, int, int, Event | ReceiveFast | ReceiveV21 | _Arrival]] = []
        self._seq = itertools.count()

    # --- running ---------------------------------------------------------------

    def run(self, *, limit_s: float = 900.0, max_steps: int = 100_000) -> None:
        """Run until both sessions are done (or the limits are hit)."""
        for i, side in enumerate(self._sides):
            self._play(i, side.session.start(0.0))
        for _ in range(max_steps):
            if all(s.session.done for s in self._sides):
                return
            t_next = self._next_time()
            if t_next is None or t_next > limit_s:
                return
            self.now_s = t_next
            if self._queue and self._queue[0][0] <= t_next:
                _, _, i, ev = heapq.heappop(self._queue)
                self._deliver(i, ev)
            else:
                for i, side in enumerate(self._sides):
                    d = side.session.next_deadline()
                    if d is not None and d <= t_next:
                        self._play(i, side.session.handle_timer(t_next))
        raise AssertionError("SessionPair did not settle within max_steps")

    def _next_time(self) -> float | None:
        times = [q[0] for q in self._queue[:1]]
        times += [d for s in self._sides if (d := s.session.next_deadline()) is not None]
        return min(times) if times else None

    def _alive(self, i: int, t: float) -> bool:
        return (self.sender_alive if i == 0 else self.receiver_alive)(t)

    def _deliver(self, i: int, ev: Event | ReceiveFast | ReceiveV21 | _Arrival) -> None:
        side = self._sides[i]
        if isinstance(ev, ReceiveFast):
            side.rx = ev
            return
        if isinstance(ev, ReceiveV21):
            side.rx = None
            return
        if isinstance(ev, _Arrival):
            self._arrive(i, ev)
            return
        if side.session.done:
            return
        self._play(i, side.session.handle(ev, self.now_s))

    def _post(self, t: float, i: int, ev: Event | ReceiveFast | ReceiveV21 | _Arrival) -> None:
        heapq.heappush(self._queue, (t, next(self._seq), i, ev))

    # --- transmitting -------------------------------------------------------------

    def _play(self, i: int, actions: list[Action]) -> None:
        side = self._sides[i]
        side.actions.extend(actions)
        t = max(self.now_s, side.busy_until_s)
        sent = False
        for a in actions:
            if isinstance(a, Finished):
                self.log.append(f"{self.now_s:8.2f} side {i} finished {a.result.code.value}")
                continue
            if isinstance(a, ReceiveFast | ReceiveV21):
                self._post(t, i, a)
                continue
            if not self._alive(i, t):
                continue
            start = t
            t = self._transmit(i, a, t + (GAP_S if not isinstance(a, SendTone) else 0.0))
            sent = sent or t > start
        if sent:
            side.busy_until_s = t
            self._post(t, i, TxDone())
        elif any(isinstance(a, SendFrames | SendTcf | SendPage | SendEcmBlock) for a in actions):
            self._post(t, i, TxDone())  # a dead side's transmitter "finishes" silently

    def _listening(self, j: int, t: float, fast: ModemRate | None = None,
                   mode: ReceiveMode | None = None) -> bool:
        other = self._sides[j]
        if other.busy_until_s > t + 1e-9 or not self._alive(j, t):
            return False
        if fast is None:
            return True
        rx = other.rx
        return rx is not None and rx.modem_rate == fast and rx.mode is mode

    def _transmit(self, i: int, a: Action, t: float) -> float:
        j = 1 - i
        if isinstance(a, SendTone):
            return t + (3.0 if a.tone is Tone.CED else 0.0)
        if isinstance(a, SendFrames):
            end = t + V21_PREAMBLE_S
            for data in a.frames:
                end += (len(data) + 4) * 8 / 300
                self._post(end, j, _Arrival(a, data, end))
            return end
        if isinstance(a, SendTcf):
            end = t + TRAIN_S + a.duration_s
        elif isinstance(a, SendPage):
            end = t + TRAIN_S + len(a.data) * 8 / a.modem_rate.rate_bps
        else:
            assert isinstance(a, SendEcmBlock)
            end = t + TRAIN_S + sum((len(d) + 4) * 8 for d in a.frames) / a.modem_rate.rate_bps
        self._post(t + TRAIN_S, j, _Arrival(a, b"", t))
        return end

    def _arrive(self, j: int, arrival: _Arrival) -> None:
        a, t = arrival.action, self.now_s
        if isinstance(a, SendFrames):
            if self._listening(j, t):
                self._send_frame(j, arrival.data, t)
            return
        assert isinstance(a, SendTcf | SendPage | SendEcmBlock)
        mode = {SendTcf: ReceiveMode.TCF, SendPage: ReceiveMode.PAGE,
                SendEcmBlock: ReceiveMode.ECM}[type(a)]
        if not self._listening(j, t, a.modem_rate, mode):
            return
        self._deliver(j, FastTrained())
        rate = a.modem_rate.rate_bps
        if isinstance(a, SendTcf):
            ok = self.tcf_ok(a.modem_rate, t) if self.tcf_ok else True
            self._post(t + a.duration_s, j, TcfReceived(a.duration_s, a.duration_s if ok else 0.2))
        elif isinstance(a, SendPage):
            data = self.page_hook(a.data, t) if self.page_hook else a.data
            self._post(t + len(a.data) * 8 / rate, j, PageReceived(data))
        else:
            end = t
            for data in a.frames:
                end += (len(data) + 4) * 8 / rate
                payload = self.fcd_hook(data, end) if self.fcd_hook else data
                if payload is not None:
                    self._post(end, j, FastFrameReceived(payload))
            self._post(end, j, FastCarrierDown())

    def _send_frame(self, j: int, data: bytes, t: float) -> None:
        out = self.frame_hook(j, data, t) if self.frame_hook else data
        if out is None:
            return
        if isinstance(out, tuple):
            self._post(t, j, FrameReceived(out[0], out[1]))
        else:
            self._post(t, j, FrameReceived(out))
