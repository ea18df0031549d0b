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

from pyfax.errors import LineError
from pyfax.lines.base import Backend, Call, CallProgress
from pyfax.modem.base import SAMPLE_RATE_HZ, Samples

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


def read_call(path: str | PathLike[str]) -> Recording:
    """Read a call recording (stereo: sent, heard; or mono: heard only).

    Raises:
        LineError: the file is not a 16-bit 8 kHz WAV of one or two channels.
    """
    try:
        with wave.open(str(path), "rb") as wav:
            channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
            if width != 2 or rate != SAMPLE_RATE_HZ or channels not in (1, 2):
                raise LineError(f"{path}: need 16-bit 8000 Hz mono or stereo WAV, got "
                                f"{8 * width}-bit {rate} Hz with {channels} channel(s)")
            n_frames = wav.getnframes()
            if n_frames > 4 * 3600 * SAMPLE_RATE_HZ:
                raise LineError(f"{path}: recording longer than 4 hours")
            data = np.frombuffer(wav.readframes(n_frames), dtype="<i2").astype(np.int16)
    except (wave.Error, EOFError, OSError) as exc:
        raise LineError(f"{path}: cannot read WAV: {exc}") from exc
    if channels == 1:
        return Recording(np.zeros(0, dtype=np.int16), data)
    return Recording(data[0::2].copy(), data[1::2].copy())
