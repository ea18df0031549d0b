"""The receive side of the audio terminal: samples to T.30 events.

The V.21 receiver and its HDLC deframer listen whenever no fast burst is
under way, so a command still arrives when the fast modem it expected never
came. During a burst a cheap spectral check watches for V.21 instead (the
line is half duplex); V.21 there means the burst is over even if noise holds
the fast carrier detector up, and the V.21 receiver is fed the last 0.3 s.

On ``ReceiveFast`` a fast receiver runs alongside: in TCF mode it measures
the longest run of zeros after training; in page mode it gathers the page
bits until the carrier drops; in ECM mode it deframes HDLC frames. Each
burst gets a fresh receiver (V.17: the same one, restarted for a short train
after the first burst at a rate), and each report becomes one event. Before
the first frame, sound and fax tones heard are reported once each.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pyfax.modem import HdlcDeframer, ToneDetector, V21Receiver, modem_class
from pyfax.modem.base import SAMPLE_RATE_HZ, ModemStatus, Samples
from pyfax.t30.events import (
    Event,
    FastCarrierDown,
    FastFrameReceived,
    FastTrained,
    FastTrainingFailed,
    FrameReceived,
    Heard,
    LineHeard,
    PageReceived,
    ReceiveFast,
    ReceiveMode,
    TcfReceived,
)
from pyfax.t30.params import Modem, ModemRate

__all__ = ["RX_CUTOFF_DBM0", "RxChain"]

RX_CUTOFF_DBM0 = -43.0
_FULL_SCALE_0DBM0_RMS = 32767 * 10 ** (-3.14 / 20) / 2 ** 0.5  # spandsp's dBm0 convention
SOUND_RMS = _FULL_SCALE_0DBM0_RMS * 10 ** (RX_CUTOFF_DBM0 / 20)
V21_SHARE = 0.85
"""Share of a block's energy within 1550-1950 Hz that marks V.21 (the fast modems
stay below 0.8; measured: V.27 ter 4800 peaks at 0.76, V.21 stays above 0.97)."""
V21_PRESENT_S = 0.06
V21_FRAME_MIN = 64
REPLAY_SAMPLES = SAMPLE_RATE_HZ * 3 // 10
"""Recent audio kept to replay the start of a fast burst to a late receiver (0.3 s)."""
GAP_FRAME = 40
GAP_MIN_SAMPLES = 320
"""A gap of 40 ms of silence marks the end of a V.21 message before a fast burst."""
TCF_GAP_S = 0.04
"""Silence after a TCF that failed to train: the TCF is over, answer FTT now."""
SOUND_MIN_S = 0.5
"""Energy above the cutoff for this long (in all) counts as "the line carried sound"."""
MAX_TCF_S = 3.0
"""A TCF still going after this long is judged as it stands."""
MAX_BURST_S = 600.0
"""A page or ECM burst still going after this long (a carrier that never drops,
e.g. line noise after the remote hung up) is ended as it stands, so that the
session's timers take over."""


def _rms(samples: Samples) -> float:
    """RMS of a block in int16 units (0.0 when empty).

    >>> _rms(np.array([3, -3, 3, -3], np.int16))
    3.0
    """
    x = samples.astype(np.float64)
    return float(np.sqrt(np.mean(x * x))) if x.size else 0.0


def _fast_receiver(rate: ModemRate, short_train: bool) -> Any:
    cls = modem_class(rate.modem.value, rate.rate_bps, role="rx")
    if rate.modem is Modem.V17:
        return cls(rate.rate_bps, short_train=short_train, cutoff_dbm0=RX_CUTOFF_DBM0)
    return cls(rate.rate_bps, cutoff_dbm0=RX_CUTOFF_DBM0)


def _after_last_gap(audio: Samples) -> Samples:
    """The audio after its last gap of silence (none if it ends in silence or has no gap).

    A fast burst follows a V.21 message after a 75 ms gap (T.30 §5.3.2); when the
    message was decoded late (large blocks), the burst may already have begun,
    and its training must be replayed to the new receiver from its start.

    >>> sound = np.full(400, 3000, np.int16); gap = np.zeros(400, np.int16)
    >>> _after_last_gap(np.concatenate([sound, gap, sound[:240]])).size
    240
    """
    n = audio.size // GAP_FRAME
    if n == 0:
        return audio[:0]
    frames = audio[: n * GAP_FRAME].astype(np.float64).reshape(n, GAP_FRAME)
    quiet = np.sqrt(np.mean(frames * frames, axis=1)) < SOUND_RMS
    run = 0
    for i in range(n - 1, -1, -1):
        run = run + 1 if quiet[i] else 0
        if run * GAP_FRAME >= GAP_MIN_SAMPLES:
            start = i + run  # first frame after the gap
            while start < n and quiet[start]:
                start += 1
            return audio[start * GAP_FRAME:] if start < n else audio[:0]
    return audio[:0]


@functools.lru_cache(maxsize=8)
def _v21_window(n_samples: int) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """The Hann window and the 1550-1950 Hz FFT bins for blocks of ``n_samples``
    (built once per block size: the check runs on every block of a fast burst)."""
    freqs = np.fft.rfftfreq(n_samples, 1 / SAMPLE_RATE_HZ)
    return np.hanning(n_samples), (freqs >= 1550) & (freqs <= 1950)


def _longest_zero_run(bits: np.ndarray) -> int:
    """Length of the longest run of zeros.

    >>> _longest_zero_run(np.array([1, 0, 0, 1, 0, 0, 0, 1], np.uint8))
    3
    """
    if bits.size == 0:
        return 0
    padded = np.concatenate([[1], bits, [1]]).astype(np.int8)
    ones = np.flatnonzero(padded)
    return int(np.max(np.diff(ones)) - 1)


class RxChain:
    """Demodulates what the line brings and reports T.30 events."""

    def __init__(self, *, max_burst_s: float = MAX_BURST_S) -> None:
        self.max_burst_s = max_burst_s
        self._v21 = V21Receiver(cutoff_dbm0=RX_CUTOFF_DBM0)
        self._hdlc = HdlcDeframer()
        self._fast: Any = None
        self._active = False
        self._v21_stale = False
        self._v21_s = 0.0
        self._recent = np.zeros(0, np.int16)
        self._replay = np.zeros(0, np.int16)
        self._fast_rate: ModemRate | None = None
        self._mode: ReceiveFast | None = None
        self._trained_rate: ModemRate | None = None
        self._burst_trained = False
        self._burst_s = 0.0
        self._tcf_failed = False
        self._quiet_s = 0.0
        self._bits: list[np.ndarray] = []
        self._fast_hdlc = HdlcDeframer()
        self._tones: ToneDetector | None = ToneDetector(cutoff_dbm0=RX_CUTOFF_DBM0)
        self._heard: set[Heard] = set()
        self._sound_s = 0.0

    def listen_v21_only(self) -> None:
        """Stop listening with the fast receiver (kept, with its trained equaliser)."""
        self._active = False

    def listen_fast(self, action: ReceiveFast) -> None:
        """Start a fast receiver for ``action.modem_rate`` in ``action.mode``."""
        self._mode = action
        self._tcf_failed = False
        self._active = True
        if action.mode is ReceiveMode.TCF or action.long_train:
            self._trained_rate = None
        self._new_burst()
        self._replay = _after_last_gap(self._recent)

    def reset_v21(self) -> None:
        """Forget a half-heard V.21 burst and the recent audio (after we transmitted)."""
        self._v21 = V21Receiver(cutoff_dbm0=RX_CUTOFF_DBM0)
        self._hdlc = HdlcDeframer()
        self._recent = np.zeros(0, np.int16)
        self._replay = np.zeros(0, np.int16)  # what we heard before our own signal is stale

    def _new_burst(self) -> None:
        assert self._mode is not None
        rate = self._mode.modem_rate
        if (rate.modem is Modem.V17 and self._trained_rate == rate and self._fast is not None
                and self._fast_rate == rate):
            self._fast.restart(short_train=True)  # keeps the trained equaliser
        else:
            self._fast = _fast_receiver(rate, short_train=False)
            self._fast_rate = rate
        self._burst_trained = False
        self._burst_s = 0.0
        self._bits = []
        self._fast_hdlc = HdlcDeframer()

    def rx(self, samples: Samples) -> list[Event]:
        """Demodulate a block; return the events it completed, in order."""
        events: list[Event] = []
        self._recent = np.concatenate([self._recent, samples])[-REPLAY_SAMPLES:]
        v21_in = samples
        if self._active:
            fast_in = samples
            if self._replay.size:  # the start of a burst that began before we listened
                fast_in, self._replay = np.concatenate([self._replay, samples]), self._replay[:0]
            events += self._rx_fast(fast_in)
            if self._burst_trained:
                if not self._v21_tone(samples):
                    self._v21_stale = True  # half duplex: no V.21 during a fast burst
                    return events
                # V.21 while noise holds the fast carrier detector up: the burst is over
                events.append(self._end_of_burst())
                self._trained_rate = self._mode.modem_rate if self._mode else None
                self._new_burst()
                self._v21_stale, v21_in = True, self._recent
        elif self._tones is not None:
            events += self._listen_to_line(samples)
        if self._v21_stale:
            self._v21, self._hdlc = V21Receiver(cutoff_dbm0=RX_CUTOFF_DBM0), HdlcDeframer()
            self._v21_stale = False
        v21 = self._v21.rx(v21_in)
        frames = self._hdlc.put_bits(v21.bits) if v21.bits.size else []
        if frames:
            self._tones = None  # the remote is a fax terminal: no need to listen for more
        events += [FrameReceived(f.data, f.crc_ok) for f in frames]
        return events

    def _v21_tone(self, samples: Samples) -> bool:
        """True once V.21 (nearly all energy within 1550-1950 Hz) has lasted 60 ms."""
        if samples.size < V21_FRAME_MIN:
            return self._v21_s >= V21_PRESENT_S
        window, in_band = _v21_window(samples.size)
        power = np.abs(np.fft.rfft(samples.astype(np.float64) * window)) ** 2
        band = float(power[in_band].sum())
        share = band / max(float(power.sum()), 1e-9)
        self._v21_s = self._v21_s + samples.size / SAMPLE_RATE_HZ if share > V21_SHARE else 0.0
        return self._v21_s >= V21_PRESENT_S

    def _listen_to_line(self, samples: Samples) -> list[Event]:
        """Report sound and fax tones heard before the first frame (once each)."""
        assert self._tones is not None
        heard = []
        if any(e.present for e in self._tones.rx(samples)):
            heard.append(Heard.FAX_TONE)
        if _rms(samples) > SOUND_RMS:
            self._sound_s += samples.size / SAMPLE_RATE_HZ
            if self._sound_s >= SOUND_MIN_S:
                heard.append(Heard.SOUND)
        new = [h for h in heard if h not in self._heard]
        self._heard.update(new)
        if len(self._heard) == len(Heard):
            self._tones = None
        return [LineHeard(h) for h in new]

    def _rx_fast(self, samples: Samples) -> list[Event]:
        assert self._mode is not None
        res = self._fast.rx(samples)
        statuses = [e.status for e in res.events]
        events: list[Event] = []
        if ModemStatus.TRAINING_SUCCEEDED in statuses:
            self._burst_trained = True
            events.append(FastTrained())
        if ModemStatus.TRAINING_FAILED in statuses and not self._burst_trained:
            if self._mode.mode is ReceiveMode.TCF:
                self._tcf_failed = True  # reported when the TCF signal ends (no FTT over it)
            else:
                events.append(FastTrainingFailed())
            self._new_burst()
            return events
        if self._tcf_failed and not self._burst_trained:
            events += self._failed_tcf_end(samples)
        if self._burst_trained and res.bits.size:
            events += self._take_bits(res.bits)
        if self._burst_trained:
            self._burst_s += len(samples) / SAMPLE_RATE_HZ
        limit_s = MAX_TCF_S if self._mode.mode is ReceiveMode.TCF else self.max_burst_s
        too_long = self._burst_trained and self._burst_s > limit_s
        if (ModemStatus.CARRIER_DOWN in statuses and self._burst_trained) or too_long:
            events.append(self._end_of_burst())
            self._trained_rate = self._mode.modem_rate
            self._new_burst()
        return events

    def _failed_tcf_end(self, samples: Samples) -> list[Event]:
        quiet = _rms(samples) < SOUND_RMS
        self._quiet_s = self._quiet_s + samples.size / SAMPLE_RATE_HZ if quiet else 0.0
        if self._quiet_s < TCF_GAP_S:
            return []
        self._tcf_failed = False
        return [FastTrainingFailed()]

    def _take_bits(self, bits: np.ndarray) -> list[Event]:
        assert self._mode is not None
        if self._mode.mode is ReceiveMode.ECM:
            return [FastFrameReceived(f.data, f.crc_ok) for f in self._fast_hdlc.put_bits(bits)]
        self._bits.append(bits)
        return []

    def _end_of_burst(self) -> Event:
        assert self._mode is not None
        bits = np.concatenate(self._bits) if self._bits else np.zeros(0, np.uint8)
        if self._mode.mode is ReceiveMode.TCF:
            rate = self._mode.modem_rate.rate_bps
            return TcfReceived(bits.size / rate, _longest_zero_run(bits) / rate)
        if self._mode.mode is ReceiveMode.PAGE:
            return PageReceived(np.packbits(bits, bitorder="little").tobytes())
        return FastCarrierDown()
