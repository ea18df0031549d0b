"""The terminal's receive chain on its own: TCF judgement, page bursts, stuck carriers."""

from __future__ import annotations

import numpy as np

from pyfax.modem.v29 import V29Transmitter
from pyfax.t30._audio_rx import RxChain
from pyfax.t30.events import FastTrained, PageReceived, ReceiveFast, ReceiveMode, TcfReceived
from pyfax.t30.params import Modem, ModemRate

RATE = ModemRate(Modem.V29, 9600)


def burst(bits: np.ndarray) -> np.ndarray:
    tx = V29Transmitter(9600)
    tx.put_bits(bits)
    tx.end_of_data()
    out = tx.tx(8000 * 120)
    return np.concatenate([np.zeros(800, np.int16), out, np.zeros(2400, np.int16)])


def feed(rx: RxChain, audio: np.ndarray) -> list[object]:
    events: list[object] = []
    for i in range(0, len(audio), 160):
        events += rx.rx(audio[i:i + 160])
    return events


def test_tcf_is_measured() -> None:
    rx = RxChain()
    rx.listen_fast(ReceiveFast(RATE, ReceiveMode.TCF))
    events = feed(rx, burst(np.zeros(9600 * 3 // 2, np.uint8)))
    tcf = [e for e in events if isinstance(e, TcfReceived)]
    assert any(isinstance(e, FastTrained) for e in events) and len(tcf) == 1
    assert 1.3 <= tcf[0].longest_zero_run_s <= 1.6


def test_page_bits_are_delivered_lsb_first() -> None:
    data = bytes(range(256)) * 4
    rx = RxChain()
    rx.listen_fast(ReceiveFast(RATE, ReceiveMode.PAGE))
    bits = np.unpackbits(np.frombuffer(data, np.uint8), bitorder="little")
    pages = [e for e in feed(rx, burst(bits)) if isinstance(e, PageReceived)]
    assert len(pages) == 1 and pages[0].data.startswith(data)


def test_a_carrier_that_never_drops_is_cut() -> None:
    rx = RxChain(max_burst_s=2.0)
    rx.listen_fast(ReceiveFast(RATE, ReceiveMode.PAGE))
    audio = burst(np.random.default_rng(1).integers(0, 2, 9600 * 5).astype(np.uint8))
    events = []
    for i in range(0, len(audio), 160):
        events += [(i, e) for e in rx.rx(audio[i:i + 160])]
    cut = [i for i, e in events if isinstance(e, PageReceived)]
    assert cut and cut[0] < 8000 * 3  # ended at ~2 s of burst, long before the carrier
