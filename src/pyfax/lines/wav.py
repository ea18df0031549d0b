"""Record calls to WAV: one channel per direction.

``WavRecorder(backend, path)`` is itself a backend: every call it places is
recorded to a 16-bit 8 kHz stereo WAV file, channel 0 what we sent and
channel 1 what we heard. A ``{n}`` in the path numbers the calls. Frames are
written as the call goes, so a recording survives a crash up to its last
block (the header is fixed on hang-up). :func:`read_call` reads one back.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pyfax.errors import LineError
from pyfax.lines.base import Backend, Call, CallProgress
from pyfax.modem.base import SAMPLE_RATE_HZ, Samples
from pyfax.modem.channel import to_int16

__all__ = ["RecordedCall", "Recording", "WavRecorder", "read_call"]


class RecordedCall:
    """A call whose audio is written to a stereo WAV as it flows."""

    def __init__(self, call: Call, path: Path) -> None:
        self.call = call
        self.path = path
        self._wav: wave.Wave_write | None = None
        if call.progress is CallProgress.ANSWERED:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._wav = wave.open(str(path), "wb")  # noqa: SIM115 (open for the whole call)
            self._wav.setnchannels(2)
            self._wav.setsampwidth(2)
            self._wav.setframerate(SAMPLE_RATE_HZ)

    @property
    def progress(self) -> CallProgress:
        """How dialling went."""
        return self.call.progress

    @property
    def remote_hung_up(self) -> bool:
        """True once the far end has hung up."""
        return self.call.remote_hung_up

    @property
    def received_pages(self) -> list[Any] | None:
        """The pages the far end holds, when the wrapped call knows (loopback)."""
        pages = getattr(self.call, "received_pages", None)
        return None if pages is None else list(pages)

    def exchange(self, block: Samples) -> Samples:
        """Send and receive one block, recording both."""
        heard = self.call.exchange(block)
        if self._wav is not None:
            frames = np.empty(2 * len(block), dtype="<i2")
            frames[0::2] = block
            frames[1::2] = heard
            self._wav.writeframes(frames.tobytes())
        return heard

    def hang_up(self) -> None:
        """Hang up and close the recording."""
        self.call.hang_up()
        if self._wav is not None:
            self._wav.close()
            self._wav = None


class WavRecorder:
    """A backend wrapper that records every call to WAV.

    Args:
        backend: the backend that places the calls.
        path: the WAV file; ``{n}`` is replaced by the 1-based call number.
    """

    def __init__(self, backend: Backend, path: str | PathLike[str]) -> None:
        self.backend = backend
        self.path = str(path)
        self.paths: list[Path] = []

    def dial(self, number: str) -> RecordedCall:
        """Dial through the wrapped backend, recording the call."""
        path = Path(self.path.replace("{n}", str(len(self.paths) + 1)))
        call = RecordedCall(self.backend.dial(number), path)
        if call.progress is CallProgress.ANSWERED:
            self.paths.append(path)
        return call


@dataclass(frozen=True)
class Recording:
    """Both directions of a recorded call."""

    sent: Samples
    heard: Samples


_MAX_RECORDING_S = 4 * 3600
_RATES_HZ = (4000, 192000)


def read_call(path: str | PathLike[str]) -> Recording:
    """Read a call recording (stereo: sent, heard; or mono: heard only).

    A recording made elsewhere may be 8- or 16-bit PCM at any rate from 4 to 192 kHz
    (a line recorder's 44.1 or 48 kHz): it is resampled to 8 kHz.

    Raises:
        LineError: the file is not a PCM WAV of one or two channels.
    """
    try:
        with wave.open(str(path), "rb") as wav:
            channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
            if width not in (1, 2) or channels not in (1, 2) \
                    or not _RATES_HZ[0] <= rate <= _RATES_HZ[1]:
                raise LineError(f"{path}: need an 8- or 16-bit PCM WAV of one or two channels "
                                f"at 4 to 192 kHz, got {8 * width}-bit {rate} Hz with "
                                f"{channels} channel(s)")
            n_frames = wav.getnframes()
            if n_frames > _MAX_RECORDING_S * rate:
                raise LineError(f"{path}: recording longer than 4 hours")
            raw = wav.readframes(n_frames)
    except EOFError:
        raise LineError(f"{path}: cannot read WAV: the file ends inside its header") from None
    except (wave.Error, OSError) as exc:
        raise LineError(f"{path}: cannot read WAV: {exc}") from exc
    if width == 1:  # unsigned 8-bit
        data = ((np.frombuffer(raw, dtype=np.uint8).astype(np.int16) - 128) << 8)
    else:
        data = np.frombuffer(raw, dtype="<i2").astype(np.int16)
    data = data[:len(data) // channels * channels].reshape(-1, channels)
    if rate != SAMPLE_RATE_HZ:
        data = _resampled(data, rate)
    if channels == 1:
        return Recording(np.zeros(0, dtype=np.int16), data[:, 0].copy())
    return Recording(data[:, 0].copy(), data[:, 1].copy())


def _resampled(data: NDArray[np.int16], rate_hz: int) -> NDArray[np.int16]:
    """(frames, channels) at ``rate_hz`` to 8 kHz (polyphase, anti-aliased)."""
    from math import gcd

    from scipy.signal import resample_poly

    g = gcd(SAMPLE_RATE_HZ, rate_hz)
    return to_int16(resample_poly(data.astype(np.float64), SAMPLE_RATE_HZ // g, rate_hz // g,
                                  axis=0))
