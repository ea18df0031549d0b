"""pyfax against pyfax over loopback audio: every modem and rate, ECM on and off,
MH/MR/MMR, 1 to 5 pages, pixel-exact pages at both ends."""

from __future__ import annotations

import numpy as np
import pytest
from t30_audio import pages_equal, run_call, sample_pages

from pyfax.t30 import Compression, ResultCode, Terminal
from pyfax.t30.params import Modem
from pyfax.t30.terminal import available_modems


def need(modem: str) -> None:
    if Modem(modem) not in available_modems([Modem(modem)]):
        pytest.skip(f"pyfax.modem has no {modem} yet")


RATES = [("v17", 14400), ("v17", 12000), ("v17", 9600), ("v17", 7200), ("v29", 9600),
         ("v29", 7200), ("v27ter", 4800), ("v27ter", 2400)]


@pytest.mark.slow
@pytest.mark.parametrize(("modem", "rate"), RATES)
def test_every_modem_and_rate(modem: str, rate: int) -> None:
    need(modem)
    i = RATES.index((modem, rate))
    ecm = i % 2 == 0
    comps = [("MMR", "MR", "MH"), ("MR", "MH"), ("MH",)][i % 3]
    pages = sample_pages(1, rows=60, seed=i)
    tx = Terminal("send", pages, ident="+32 2 123 4567", ecm=ecm, modems=(modem,),
                  compressions=comps, max_rate_bps=rate)
    rx = Terminal("receive", ident="+32 9 765 4321", ecm=ecm, modems=(modem,),
                  max_rate_bps=rate)
    run_call(tx, rx, limit_s=150)
    for t in (tx, rx):
        assert t.result is not None and t.result.ok, t.result
    assert tx.result is not None and rx.result is not None
    assert tx.result.bit_rate == rate and tx.result.ecm is ecm
    want = Compression.MMR if ecm and "MMR" in comps else (
        Compression.MR if "MR" in comps else Compression.MH)
    assert tx.result.compression is want
    assert rx.result.remote_ident == "+32 2 123 4567"
    assert pages_equal(rx.received_pages, pages)


@pytest.mark.slow
@pytest.mark.parametrize(("ecm", "n_pages"), [(True, 5), (False, 3)])
def test_multi_page_calls(ecm: bool, n_pages: int) -> None:
    need("v29")
    pages = sample_pages(n_pages, rows=80, seed=10 + n_pages)
    tx = Terminal("send", pages, ecm=ecm, modems=("v29",))
    rx = Terminal("receive", ecm=ecm, modems=("v29",))
    line_s = run_call(tx, rx, limit_s=250)
    assert tx.result is not None and tx.result.ok and tx.result.pages == n_pages
    assert rx.result is not None and rx.result.ok and rx.result.pages == n_pages
    assert pages_equal(rx.received_pages, pages)
    assert abs(tx.result.line_time_s - line_s) < 1.0


def test_no_answer_ends_at_t1() -> None:
    tx = Terminal("send", sample_pages(1, rows=20))
    silence = np.zeros(160, np.int16)
    for _ in range(int(45 * 8000 / 160)):
        tx.step(silence)
        if tx.done:
            break
    assert tx.result is not None and tx.result.code is ResultCode.NO_ANSWER
    assert 34.0 <= tx.result.line_time_s <= 36.0
    assert tx.result.code.retryable and not tx.result.code.start_lower


def test_receiver_hearing_only_noise_ends_at_t1() -> None:
    rx = Terminal("receive")
    rng = np.random.default_rng(5)
    for _ in range(int(45 * 8000 / 160)):
        rx.step((rng.standard_normal(160) * 2000).astype(np.int16))
        if rx.done:
            break
    assert rx.result is not None and rx.result.code is ResultCode.CED_NOT_DETECTED
    assert 34.0 <= rx.result.line_time_s <= 41.0


def test_caller_hearing_ced_but_no_dis_ends_at_t1_in_phase_b() -> None:
    from pyfax.modem import CedGenerator
    tx = Terminal("send", sample_pages(1, rows=20))
    ced = np.concatenate([np.zeros(4000, np.int16), CedGenerator(duration_s=3.0).tx(24000)])
    heard = np.concatenate([ced, np.zeros(8000 * 45, np.int16)])
    for i in range(0, len(heard), 160):
        tx.step(heard[i:i + 160])
        if tx.done:
            break
    assert tx.result is not None and tx.result.code is ResultCode.PHASE_B_TIMEOUT
    assert 34.0 <= tx.result.line_time_s <= 36.0
    assert any("fax tone heard" in ln for ln in tx.result.trace)


def test_caller_hearing_a_voice_ends_with_ced_not_detected() -> None:
    tx = Terminal("send", sample_pages(1, rows=20))
    t = np.arange(8000 * 45) / 8000
    voice = (3000 * np.sin(2 * np.pi * 300 * t) * np.sin(2 * np.pi * 3 * t)).astype(np.int16)
    for i in range(0, len(voice), 160):
        tx.step(voice[i:i + 160])
        if tx.done:
            break
    assert tx.result is not None and tx.result.code is ResultCode.CED_NOT_DETECTED


def test_bad_arguments_are_t30_errors() -> None:
    from pyfax.errors import T30Error
    with pytest.raises(T30Error):
        Terminal("fax")  # type: ignore[arg-type]
    with pytest.raises(T30Error):
        Terminal("send", [])
    with pytest.raises(T30Error):
        Terminal("send", [np.zeros((10, 1728), bool)], modems=("v34",))
    with pytest.raises(T30Error):
        Terminal("send", [np.zeros((10, 1000), bool)])
    with pytest.raises(T30Error):
        Terminal("receive").step(np.zeros(160))  # float audio
    with pytest.raises(T30Error):
        Terminal("receive").step(np.zeros((2, 160), np.int16))
    with pytest.raises(T30Error):
        Terminal("send", [np.zeros((10, 1728), bool)], ecm_frame_size=128)


@pytest.mark.slow
def test_received_pages_written_as_tiff_class_f(tmp_path: object) -> None:
    import os
    need("v29")
    pages = sample_pages(2, rows=60, seed=21)
    tx = Terminal("send", pages, ecm=False, modems=("v29",))
    rx = Terminal("receive", ecm=False, modems=("v29",))
    run_call(tx, rx, limit_s=150)
    path = os.path.join(str(tmp_path), "rx.tif")
    rx.write_tiff(path)
    from pyfax import t4
    back = t4.read_tiff(path)
    assert [p.image.shape for p in back] == [p.shape for p in pages]
    assert all(np.array_equal(b.image, p) for b, p in zip(back, pages, strict=True))
    assert round(back[0].xres_dpi) == 204 and round(back[0].yres_dpi) == 196


def test_cancel_mid_call() -> None:
    tx = Terminal("send", sample_pages(1, rows=20))
    for _ in range(50):
        tx.step(np.zeros(160, np.int16))
    tx.cancel()
    for _ in range(200):
        tx.step(np.zeros(160, np.int16))
        if tx.done:
            break
    assert tx.result is not None and tx.result.code is ResultCode.CANCELLED


@pytest.mark.slow
@pytest.mark.parametrize("block", [37, 1000, 4000])
def test_any_block_size_works(block: int) -> None:
    need("v29")
    pages = sample_pages(1, rows=60, seed=block)
    tx = Terminal("send", pages, ecm=True, modems=("v29",))
    rx = Terminal("receive", ecm=True, modems=("v29",))
    run_call(tx, rx, limit_s=150, block=block)
    assert tx.result is not None and tx.result.ok, tx.result
    assert pages_equal(rx.received_pages, pages)


@pytest.mark.slow
@pytest.mark.parametrize(("delay_ms", "ecm"), [(1000.0, False), (1000.0, True)])
def test_talker_echo_of_our_own_frames_is_ignored(delay_ms: float, ecm: bool) -> None:
    # The caller misses the first DIS, so the answerer hears only the echo of its
    # own DIS: taken for a remote DIS it would end the call (two answerers).
    from t30_audio import EchoLine
    need("v29")
    pages = sample_pages(2, rows=60, seed=31)
    tx = Terminal("send", pages, ecm=ecm, modems=("v29",))
    rx = Terminal("receive", ecm=ecm, modems=("v29",))
    echo = EchoLine(delay_ms, -30.0)  # a long (satellite) echo, 30 dB down
    t = {"s": 0.0}

    def line(x: np.ndarray, direction: int) -> np.ndarray:
        if direction == 0:
            t["s"] += len(x) / 8000
        y = echo(x, direction)
        return np.zeros_like(y) if direction == 1 and t["s"] < 5.5 else y

    run_call(tx, rx, channel=line, limit_s=150)
    assert any("echo of our own" in ln for ln in rx.session.trace)
    assert tx.result is not None and tx.result.ok, tx.result
    assert rx.result is not None and rx.result.ok, rx.result
    assert pages_equal(rx.received_pages, pages)


@pytest.mark.slow
def test_tcf_drowned_in_noise_gets_ftt_and_a_lower_rate() -> None:
    from t30_audio import StateFault
    need("v17")
    pages = sample_pages(1, rows=60, seed=41)
    tx = Terminal("send", pages, ecm=True, modems=("v17",))
    rx = Terminal("receive", ecm=True, modems=("v17",))
    noise = StateFault(rx, {"R_TCF"}, 0, "noise", episodes=1)
    run_call(tx, rx, channel=noise, limit_s=150)
    assert noise.log
    assert tx.result is not None and tx.result.ok, tx.result
    assert tx.result.bit_rate == 12000
    assert any("rx FTT" in ln for ln in tx.result.trace)
    assert not any("repeat command" in ln for ln in tx.result.trace)  # FTT came in time
    assert pages_equal(rx.received_pages, pages)


@pytest.mark.slow
@pytest.mark.parametrize("ecm", [True, False])
def test_noise_above_the_carrier_cutoff_does_not_hang(ecm: bool) -> None:
    # -40 dBm0 of noise keeps the fast receivers' carrier detectors up after each
    # burst; the post-page command heard on V.21 must still end the burst.
    from t30_audio import noisy_line
    need("v29")
    pages = sample_pages(2, rows=100, seed=51)
    tx = Terminal("send", pages, ecm=ecm, modems=("v29",))
    rx = Terminal("receive", ecm=ecm, modems=("v29",))
    line_s = run_call(tx, rx, channel=noisy_line(4, noise_dbm0=-40.0), limit_s=300)
    assert tx.done and rx.done and line_s < 120
    assert tx.result is not None and tx.result.ok, tx.result
    assert pages_equal(rx.received_pages, pages)


@pytest.mark.slow
def test_noise_burst_mid_page_rtn_then_resent() -> None:
    from t30_audio import StateFault
    need("v29")
    pages = sample_pages(2, rows=400, seed=61)
    tx = Terminal("send", pages, ecm=False, modems=("v29",))
    rx = Terminal("receive", ecm=False, modems=("v29",))
    hit = StateFault(rx, {"R_PAGE"}, 0, "noise", delay_s=2.0, length_s=0.3)
    run_call(tx, rx, channel=hit, limit_s=200)
    assert hit.log
    assert tx.result is not None and tx.result.ok, tx.result
    assert any("rx RTN" in ln for ln in tx.result.trace)
    assert sum("tx DCS" in ln for ln in tx.result.trace) >= 2  # retrained after RTN
    assert pages_equal(rx.received_pages, pages)
