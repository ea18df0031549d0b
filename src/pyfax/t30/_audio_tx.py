"""The transmit side of the audio terminal: T.30 actions played as samples.

Each transmit action becomes a *source* (a tone generator, the V.21
modulator fed with HDLC flags and frames, or a fast modem fed with TCF zeros,
page bits or HDLC-framed ECM frames) preceded by 75 ms of silence (T.30
§5.3.2). Sources play one after the other; when the queue runs dry after
sending something, :meth:`TxQueue.take_done` reports it once, so the session
gets one ``TxDone`` per queue of actions. CNG plays in the background until
anything else is sent (T.30 §5.2).

V.17 bursts after a successful TCF at the same rate use the short train, as
spandsp's terminal expects (V.17 §2.5.2, T.30 §5.3.2.2); TCF always uses the
long train.
"""

from __future__ import annotations

import functools
from collections import deque
from typing import Any, Protocol

import numpy as np

from pyfax.modem import CedGenerator, CngGenerator, HdlcFramer, V21Transmitter, modem_class
from pyfax.modem.base import SAMPLE_RATE_HZ, Samples
from pyfax.modem.hdlc import preamble_flags_for
from pyfax.t30.events import (
    Action,
    SendEcmBlock,
    SendFrames,
    SendPage,
    SendTcf,
    SendTone,
    Tone,
)
from pyfax.t30.params import Modem, ModemRate

__all__ = ["TX_LEVEL_DBM0", "TxQueue", "fast_transmitter"]

GAP_S = 0.075
"""Silence between signals of different modulations (T.30 §5.3.2: 75 ± 20 ms)."""
CED_DELAY_S = 0.2
"""Silence after answering before CED (T.30 §5.2.3.1: at least 0.2 s)."""
V21_PREAMBLE_S = 1.0
"""Flags before a V.21 message (T.30 §5.3.1: 1 s ± 15 %)."""
ECM_PREAMBLE_S = 0.2
"""Flags after the fast modem's training, before the first ECM frame."""
PAGE_TAIL_OCTETS = 8
"""Zero fill after a page's RTC, so that no receiver loses RTC to its delay."""
TX_LEVEL_DBM0 = -10.0


class _Source(Protocol):
    def tx(self, n_samples: int) -> Samples: ...


class _Silence:
    def __init__(self, seconds: float) -> None:
        self._left = round(seconds * SAMPLE_RATE_HZ)

    def tx(self, n_samples: int) -> Samples:
        n = min(n_samples, self._left)
        self._left -= n
        return np.zeros(n, dtype=np.int16)


def fast_transmitter(rate: ModemRate, *, short_train: bool = False) -> Any:
    """A pyfax fast-modem transmitter for ``rate``."""
    cls = modem_class(rate.modem.value, rate.rate_bps, role="tx")
    if rate.modem is Modem.V17:
        return cls(rate.rate_bps, level_dbm0=TX_LEVEL_DBM0, short_train=short_train)
    return cls(rate.rate_bps, level_dbm0=TX_LEVEL_DBM0)


def _fed(tx: Any, bits: np.ndarray) -> Any:
    tx.put_bits(bits.astype(np.uint8))
    tx.end_of_data()
    return tx


@functools.cache
def _lead_samples(rate: ModemRate, short_train: bool) -> int:
    """Samples a burst at ``rate`` takes with no data: training, then the tail.

    Measured once per rate from our own transmitter, so a data burst's progress
    can be told from the samples it has played.
    """
    tx = _fed(fast_transmitter(rate, short_train=short_train), np.zeros(0, np.uint8))
    n = 0
    while chunk := len(tx.tx(SAMPLE_RATE_HZ)):
        n += chunk
    return n


class _DataBurst:
    """A fast-modem burst that carries page data, and how much of it has gone.

    ``data_octets`` page octets ride in ``line_bits`` bits (with HDLC framing
    and fill); the octets sent are told from the samples played after the
    training, in proportion, and are all sent once the burst has ended.
    """

    def __init__(self, tx: Any, rate: ModemRate, short_train: bool, line_bits: int,
                 data_octets: int) -> None:
        self._tx = tx
        self._rate_bps = rate.rate_bps
        self._lead_n = _lead_samples(rate, short_train)
        self._line_bits = max(1, line_bits)
        self.data_octets = data_octets
        self._played_n = 0
        self.ended = False

    def tx(self, n_samples: int) -> Samples:
        out: Samples = self._tx.tx(n_samples)
        self._played_n += len(out)
        self.ended = self.ended or len(out) < n_samples
        return out

    @property
    def octets_sent(self) -> int:
        """Page octets sent so far (estimated from line time until the burst ends)."""
        if self.ended:
            return self.data_octets
        bits = max(0, self._played_n - self._lead_n) * self._rate_bps // SAMPLE_RATE_HZ
        return min(self.data_octets, self.data_octets * bits // self._line_bits)


class TxQueue:
    """Plays transmit actions as audio, in order."""

    def __init__(self) -> None:
        self._queue: deque[_Source] = deque()
        self._current: _Source | None = None
        self._cng: CngGenerator | None = None
        self._sent = False
        self._done_pending = False
        self._trained: ModemRate | None = None
        self._bursts: list[_DataBurst] = []
        self._octets_ended = 0

    @property
    def busy(self) -> bool:
        """True while a (non-background) signal is being sent."""
        return self._current is not None or bool(self._queue)

    def push(self, action: Action) -> None:
        """Queue one transmit action (others are ignored)."""
        if isinstance(action, SendTone):
            if action.tone is Tone.CNG:
                self._cng = CngGenerator(level_dbm0=TX_LEVEL_DBM0)
            else:
                self._add(_Silence(CED_DELAY_S), CedGenerator(level_dbm0=TX_LEVEL_DBM0))
            return
        if isinstance(action, SendFrames):
            framer = HdlcFramer(preamble_flags=preamble_flags_for(300, V21_PREAMBLE_S))
            bits = framer.encode(action.frames)
            self._add(_Silence(GAP_S), _fed(V21Transmitter(level_dbm0=TX_LEVEL_DBM0), bits))
        elif isinstance(action, SendTcf):
            self._trained = action.modem_rate
            zeros = np.zeros(round(action.modem_rate.rate_bps * action.duration_s), np.uint8)
            self._add(_Silence(GAP_S), _fed(fast_transmitter(action.modem_rate), zeros))
        elif isinstance(action, SendPage):
            data = action.data + bytes(PAGE_TAIL_OCTETS)
            bits = np.unpackbits(np.frombuffer(data, np.uint8), bitorder="little")
            self._add_data(action.modem_rate, action.long_train, bits, len(action.data))
        elif isinstance(action, SendEcmBlock):
            rate = action.modem_rate
            framer = HdlcFramer(preamble_flags=preamble_flags_for(rate.rate_bps, ECM_PREAMBLE_S),
                                closing_flags=4)
            self._add_data(rate, action.long_train, framer.encode(action.frames),
                           action.data_octets)

    def _add_data(self, rate: ModemRate, long_train: bool, bits: np.ndarray,
                  data_octets: int) -> None:
        short = self._trained == rate and rate.modem is Modem.V17 and not long_train
        self._trained = rate
        fast = _fed(fast_transmitter(rate, short_train=short), bits)
        burst = _DataBurst(fast, rate, short, len(bits), data_octets)
        self._octets_ended += sum(b.data_octets for b in self._bursts if b.ended)
        self._bursts = [b for b in self._bursts if not b.ended] + [burst]
        self._add(_Silence(GAP_S), burst)

    @property
    def sending_data(self) -> bool:
        """True while a burst of page data (or an ECM block) is on the line."""
        return isinstance(self._current, _DataBurst)

    @property
    def data_octets_sent(self) -> int:
        """Page octets sent in every data burst so far (retransmissions included)."""
        return self._octets_ended + sum(b.octets_sent for b in self._bursts)

    def _add(self, *sources: _Source) -> None:
        self._cng = None
        self._queue.extend(sources)

    def take_done(self) -> bool:
        """True once after the queue ran dry following a transmission."""
        done, self._done_pending = self._done_pending, False
        return done

    def tx(self, n_samples: int) -> Samples:
        """Exactly ``n_samples`` samples: the queue's signals, CNG, or silence."""
        out = np.zeros(n_samples, dtype=np.int16)
        pos = 0
        while pos < n_samples:
            if self._current is None:
                if not self._queue:
                    break
                self._current = self._queue.popleft()
                self._sent = True
            want = n_samples - pos
            chunk = self._current.tx(want)
            out[pos:pos + len(chunk)] = chunk
            pos += len(chunk)
            if len(chunk) < want:  # the source has finished
                self._current = None
                if not self._queue and self._sent:
                    self._sent = False
                    self._done_pending = True
        if pos < n_samples and self._cng is not None:
            out[pos:] = self._cng.tx(n_samples - pos)
        return out
