"""Telephony backends: loopback behaviours, WAV, raw PCM (impairments: test_lines_impairments)."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from pyfax.errors import LineError
from pyfax.lines import (
    G711,
    CallProgress,
    LoopbackBackend,
    TcpPcmBackend,
    WavRecorder,
    open_backend,
    read_call,
    serve_tcp_once,
)


def _tone(hz: float, n: int, amp: float = 8000.0) -> np.ndarray:
    return (amp * np.sin(2 * np.pi * hz * np.arange(n) / 8000)).astype(np.int16)


class ScriptedRemote:
    """A stand-in remote that 'speaks' in bursts at given sample ranges."""

    def __init__(self, bursts: list[tuple[int, int]]) -> None:
        self.bursts = bursts
        self.n = 0
        self.done = False
        self.received_pages: list[np.ndarray] = []
        self.heard = 0

    def step(self, block: np.ndarray) -> np.ndarray:
        idx = np.arange(self.n, self.n + len(block))
        self.n += len(block)
        self.heard += int(np.count_nonzero(block))
        on = np.zeros(len(block), dtype=bool)
        for a, b in self.bursts:
            on |= (idx >= a) & (idx < b)
        return np.where(on, _tone(1100, len(block)), 0).astype(np.int16)


def _run(call, n_blocks: int) -> list[np.ndarray]:
    return [call.exchange(_tone(1800, 160, 3000)) for _ in range(n_blocks)]


@pytest.mark.parametrize(("behaviour", "progress"), [("busy", CallProgress.BUSY),
                                                     ("no_answer", CallProgress.NO_ANSWER)])
def test_unreachable_behaviours_never_connect(behaviour: str, progress: CallProgress) -> None:
    backend = LoopbackBackend(behaviour)
    call = backend.dial("+3222345678")
    assert call.progress is progress
    with pytest.raises(LineError):
        call.exchange(np.zeros(160, dtype=np.int16))


def test_unknown_behaviour_is_a_line_error() -> None:
    with pytest.raises(LineError, match="drop_mid_page"):
        LoopbackBackend("explode")


# CED 0-2.6 s, DIS 2.7-3.5 s, CFR 7-7.5 s (in samples), as a real answerer would.
_BURSTS = [(0, 20800), (21600, 28000), (56000, 60000)]


def test_drop_mid_page_hangs_up_once_page_data_flows() -> None:
    backend = LoopbackBackend("drop_mid_page", remote_factory=lambda: ScriptedRemote(_BURSTS))
    call = backend.dial("+3222345678")
    heard = _run(call, 500)  # 10 s
    assert call.remote_hung_up
    # 1 s of listening after CFR ends at 7.5 s: the line drops at 8.5 s, not before.
    drop_block = 8.5 * 8000 / 160
    assert all(np.any(h) for h in heard[:130])  # CED/DIS audible early on
    assert not any(np.any(h) for h in heard[int(drop_block) + 1:])
    answer = LoopbackBackend("answer", remote_factory=lambda: ScriptedRemote(_BURSTS))
    call2 = answer.dial("+3222345678")
    _run(call2, 500)
    assert not call2.remote_hung_up


def test_reject_after_training_drops_right_after_cfr() -> None:
    backend = LoopbackBackend("reject_after_training",
                              remote_factory=lambda: ScriptedRemote(_BURSTS))
    call = backend.dial("+3222345678")
    n_sent = 0
    while not call.remote_hung_up and n_sent < 80000:
        call.exchange(np.zeros(160, dtype=np.int16))
        n_sent += 160
    assert 60000 <= n_sent <= 60000 + 480


def test_silent_remote_answers_but_says_nothing() -> None:
    backend = LoopbackBackend("silent", remote_factory=lambda: ScriptedRemote(_BURSTS))
    call = backend.dial("+3222345678")
    assert call.progress is CallProgress.ANSWERED
    assert not any(np.any(h) for h in _run(call, 50))


def test_wav_recorder_keeps_both_directions(tmp_path: Path) -> None:
    backend = LoopbackBackend("answer", remote_factory=lambda: ScriptedRemote([(0, 800)]))
    rec = WavRecorder(backend, tmp_path / "call-{n}.wav")
    call = rec.dial("+3222345678")
    sent = [_tone(1800, 160, 3000 + i) for i in range(10)]
    heard = [call.exchange(b) for b in sent]
    call.hang_up()
    assert rec.paths == [tmp_path / "call-1.wav"]
    got = read_call(rec.paths[0])
    assert np.array_equal(got.sent, np.concatenate(sent))
    assert np.array_equal(got.heard, np.concatenate(heard))
    (tmp_path / "bad.wav").write_bytes(b"RIFF....nope")
    with pytest.raises(LineError):
        read_call(tmp_path / "bad.wav")


def test_raw_pcm_over_local_tcp() -> None:
    ports: list[int] = []
    ready = threading.Event()
    heard_by_server: list[np.ndarray] = []

    def server_side(call) -> None:
        for i in range(5):
            heard_by_server.append(call.exchange(np.full(160, i, dtype=np.int16)))

    def serve() -> None:
        serve_tcp_once(0, server_side, timeout_s=20,
                       ready=lambda p: (ports.append(p), ready.set()))

    t = threading.Thread(target=serve)
    t.start()
    assert ready.wait(20)
    call = TcpPcmBackend(ports[0]).dial("+3222345678")
    got = [call.exchange(np.full(160, 100 + i, dtype=np.int16)) for i in range(7)]
    call.hang_up()
    t.join(20)
    assert [int(g[0]) for g in got[:5]] == [0, 1, 2, 3, 4]
    assert call.remote_hung_up and not np.any(got[6])
    assert [int(h[0]) for h in heard_by_server] == [100, 101, 102, 103, 104]


def test_backend_specs() -> None:
    assert isinstance(open_backend("loopback"), LoopbackBackend)
    lb = open_backend("loopback:drop_mid_page:alaw")
    assert isinstance(lb, LoopbackBackend) and lb.impairments == (G711("alaw"),)
    assert isinstance(open_backend("tcp:4555"), TcpPcmBackend)
    assert isinstance(open_backend("spandsp-loopback:busy"), LoopbackBackend)
    with pytest.raises(LineError):
        LoopbackBackend(remote="hylafax")
    paced = open_backend("loopback:answer:ulaw:speed=4")
    assert isinstance(paced, LoopbackBackend) and paced.speed == 4.0
    assert paced.impairments == (G711("ulaw"),)
    real = open_backend("loopback:answer:realtime")
    assert isinstance(real, LoopbackBackend) and real.speed == 1.0
    fast = open_backend("loopback")
    assert isinstance(fast, LoopbackBackend) and fast.speed is None
    for bad in ("tcp:x", "tcp:0", "carrier-pigeon", "loopback:nope", "loopback:answer:speed=x",
                "loopback:answer:speed=0", "loopback:answer:speed=-2",
                "loopback:answer:speed=nan", "loopback:answer:gsm"):
        with pytest.raises(LineError):
            open_backend(bad)
    with pytest.raises(LineError):
        open_backend("tcp:70000")


class _FakeWall:
    """A wall clock that only moves when the pacer sleeps (or when told)."""

    def __init__(self) -> None:
        self.now_s = 100.0
        self.slept_s: list[float] = []

    def clock(self) -> float:
        return self.now_s

    def sleep(self, seconds: float) -> None:
        self.slept_s.append(seconds)
        self.now_s += seconds


def test_paced_loopback_keeps_line_time_at_most_speed_times_wall_time() -> None:
    wall = _FakeWall()
    call = LoopbackBackend(speed=4.0).dial("+3222345678")
    call.clock, call.sleep = wall.clock, wall.sleep
    for _ in range(100):  # 2 s of line in 20 ms blocks
        call.exchange(np.zeros(160, dtype=np.int16))
    assert call.line_time_s == pytest.approx(2.0)
    assert wall.now_s - 100.0 == pytest.approx(2.0 / 4.0)  # 0.5 s of wall time
    wall.now_s += 10.0  # a slow CPU: already behind, so no more sleeping
    before = len(wall.slept_s)
    call.exchange(np.zeros(160, dtype=np.int16))
    assert len(wall.slept_s) == before


def test_unpaced_loopback_never_sleeps() -> None:
    wall = _FakeWall()
    call = LoopbackBackend().dial("+3222345678")
    call.clock, call.sleep = wall.clock, wall.sleep
    for _ in range(50):
        call.exchange(np.zeros(160, dtype=np.int16))
    assert wall.slept_s == [] and call.line_time_s == pytest.approx(1.0)


def _write_wav(path: Path, frames: np.ndarray, rate_hz: int, width: int) -> None:
    import wave

    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(frames.shape[1])
        wav.setsampwidth(width)
        wav.setframerate(rate_hz)
        wav.writeframes(frames.astype("<i2" if width == 2 else np.uint8).tobytes())


def test_recordings_made_elsewhere_are_resampled_to_8_khz(tmp_path: Path) -> None:
    t = np.arange(48000) / 48000.0  # 1 s at 48 kHz: 1100 Hz sent, 2100 Hz heard
    frames = np.stack([8000 * np.sin(2 * np.pi * 1100 * t),
                       8000 * np.sin(2 * np.pi * 2100 * t)], axis=1)
    _write_wav(tmp_path / "line.wav", np.rint(frames), 48000, 2)
    got = read_call(tmp_path / "line.wav")
    assert len(got.sent) == len(got.heard) == 8000
    for x, f_hz in ((got.sent, 1100), (got.heard, 2100)):
        spectrum = np.abs(np.fft.rfft(x[1000:7000].astype(np.float64)))
        assert abs(np.argmax(spectrum) * 8000 / 6000 - f_hz) < 2
        assert 7500 < np.max(np.abs(x[1000:7000])) < 8500  # level kept
    mono8 = np.rint(128 + 100 * np.sin(2 * np.pi * 1000 * np.arange(8000) / 8000))[:, None]
    _write_wav(tmp_path / "u8.wav", mono8, 8000, 1)
    heard = read_call(tmp_path / "u8.wav").heard
    assert len(heard) == 8000 and 25000 < np.max(heard) <= 100 * 256
    (tmp_path / "short.wav").write_bytes(b"junk\n")
    with pytest.raises(LineError, match="ends inside its header"):
        read_call(tmp_path / "short.wav")
    _write_wav(tmp_path / "fast.wav", np.zeros((10, 1)), 384000, 2)
    with pytest.raises(LineError, match="4 to 192 kHz"):
        read_call(tmp_path / "fast.wav")
