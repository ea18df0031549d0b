"""The transition table: every row has a handler, every missing pair is handled,
and no sequence of inputs crashes a session (h2-style state-machine property)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyfax.t30 import ResultCode
from pyfax.t30.dis import Capabilities, DcsParams
from pyfax.t30.events import (
    Cancel,
    FastCarrierDown,
    FastFrameReceived,
    FastTrained,
    FastTrainingFailed,
    Finished,
    FrameReceived,
    LineDropped,
    PageReceived,
    SendFrames,
    TcfReceived,
    TimerExpired,
    TxDone,
)
from pyfax.t30.fcf import FCF
from pyfax.t30.frames import (
    SIMPLE_FCFS,
    Ctc,
    Dcs,
    Dis,
    Eor,
    Fcd,
    Frame,
    Ident,
    Ppr,
    Pps,
    Simple,
    decode_frame,
    encode_frame,
)
from pyfax.t30.params import FALLBACK_SEQUENCE, Compression, Timer
from pyfax.t30.session import Session, Settings
from pyfax.t30.states import IGNORED, TRANSITIONS, State

PAGE = np.zeros((40, 1728), dtype=bool)
PAGE[10:20, 100:300] = True


def new(calling: bool) -> Session:
    return Session(Settings(calling=calling, ident="1"), [PAGE, PAGE] if calling else [])


def test_every_row_names_a_handler() -> None:
    for (state, key), name in TRANSITIONS.items():
        assert callable(getattr(Session, name, None)), (state, key, name)


@pytest.mark.parametrize("state", [s for s in State if s not in (State.DONE, State.DCN_SENT)])
@pytest.mark.parametrize("calling", [True, False])
def test_frames_missing_from_the_table_lead_to_dcn(state: State, calling: bool) -> None:
    for fcf in FCF:
        if (state, fcf) in TRANSITIONS or fcf in IGNORED or fcf in (FCF.FCD,):
            continue
        s = new(calling)
        s.start(0.0)
        s.state = state
        frame = _sample(fcf)
        out = s.handle(FrameReceived(encode_frame(frame)), 1.0)
        assert s.state is State.DCN_SENT, (state, fcf)
        sent = [decode_frame(f).fcf for a in out if isinstance(a, SendFrames) for f in a.frames]
        assert sent == [FCF.DCN]
        out = s.handle(TxDone(), 2.0)
        assert s.result is not None and s.result.code is ResultCode.PROTOCOL_ERROR
        assert isinstance(out[-1], Finished)


def _sample(fcf: FCF) -> Frame:
    rate = FALLBACK_SEQUENCE[0]
    samples: dict[FCF, Frame] = {
        FCF.DIS: Dis(Capabilities()), FCF.DCS: Dcs(DcsParams(rate)),
        FCF.PPS: Pps(FCF.EOP, 0, 0, 1), FCF.PPR: Ppr.from_missing({0}), FCF.CTC: Ctc(rate),
        FCF.FCD: Fcd(0, b"\x00"), FCF.EOR: Eor(FCF.EOP),
    }
    if fcf in samples:
        return samples[fcf]
    if fcf is FCF.DTC:
        from pyfax.t30.frames import Dtc
        return Dtc(Capabilities())
    if fcf in SIMPLE_FCFS:
        return Simple(fcf)
    from pyfax.t30.frames import IDENT_FCFS, Nonstandard
    return Ident(fcf, "1") if fcf in IDENT_FCFS else Nonstandard(fcf, b"x")


_FRAMES = [encode_frame(_sample(f), x_bit=x) for f in FCF if f is not FCF.FCD
           for x in (False, True)]
_FRAMES += [encode_frame(Dcs(DcsParams(r, compression=c, ecm=e)))
            for r in FALLBACK_SEQUENCE[::3] for c in (Compression.MH, Compression.MMR)
            for e in (True,)]

events = st.one_of(
    st.sampled_from(_FRAMES).map(FrameReceived),
    st.binary(max_size=40).map(lambda b: FrameReceived(b, crc_ok=len(b) % 3 != 0)),
    st.builds(FastFrameReceived, st.one_of(
        st.binary(max_size=20),
        st.builds(lambda n: encode_frame(Fcd(n, b"\x00" * 8), final=False),
                  st.integers(0, 255)))),
    st.just(FastTrained()), st.just(FastTrainingFailed()), st.just(FastCarrierDown()),
    st.builds(TcfReceived, st.floats(0, 2), st.floats(0, 2)),
    st.builds(PageReceived, st.binary(max_size=200)),
    st.just(TxDone()), st.just(Cancel()), st.just(LineDropped()),
    st.floats(0.0, 70.0),  # a pause: time passes and timers fire
    st.sampled_from(list(Timer)).map(TimerExpired),
)


@settings(max_examples=400, deadline=None)
@given(st.booleans(), st.lists(events, max_size=40))
def test_no_input_sequence_crashes_a_session(calling: bool, seq: list[object]) -> None:
    s = new(calling)
    now = 0.0
    s.start(now)
    for ev in seq:
        now += 0.5
        if isinstance(ev, float):
            now += ev
            s.handle_timer(now)
        else:
            s.handle(ev, now)  # type: ignore[arg-type]
        s.handle_timer(now)
    # Drain: the line goes quiet; the driver reports the end of every
    # transmission and of any page in progress; the call must end in bounded time.
    for _ in range(200):
        if s.done:
            break
        s.handle(TxDone(), now)
        s.handle(PageReceived(b""), now)
        d = s.next_deadline()
        now = max(now, d if d is not None else now) + 0.01
        s.handle_timer(now)
    assert s.done and s.result is not None
    assert now < 1000.0
    assert s.result.code in ResultCode


def test_timer_values_are_the_recommendations() -> None:
    assert [t.duration_s for t in Timer] == [35.0, 6.0, 10.0, 3.0, 60.0]
