"""Telephony backends: how pyfax reaches a telephone line.

A :class:`Backend` dials and returns a :class:`Call` that exchanges int16
8 kHz audio blocks. Shipped backends: :class:`LoopbackBackend` (a simulated
remote fax machine with line impairments), :class:`TcpPcmBackend` and
:class:`PipePcmBackend` (raw s16le streams to another program), and the
:class:`WavRecorder` wrapper that records any call to WAV.
"""

from pyfax.lines.base import Backend, Call, CallProgress
from pyfax.lines.impairments import (
    G711,
    ClockOffset,
    Delay,
    Echo,
    FrequencyOffset,
    Gain,
    Impairment,
    Noise,
)
from pyfax.lines.loopback import Behaviour, LoopbackBackend, LoopbackCall
from pyfax.lines.pcm import PcmCall, PipePcmBackend, TcpPcmBackend, serve_tcp_once
from pyfax.lines.spec import SPEC_HELP, open_backend
from pyfax.lines.wav import Recording, WavRecorder, read_call

__all__ = [
    "G711",
    "SPEC_HELP",
    "Backend",
    "Behaviour",
    "Call",
    "CallProgress",
    "ClockOffset",
    "Delay",
    "Echo",
    "FrequencyOffset",
    "Gain",
    "Impairment",
    "LoopbackBackend",
    "LoopbackCall",
    "Noise",
    "PcmCall",
    "PipePcmBackend",
    "Recording",
    "TcpPcmBackend",
    "WavRecorder",
    "open_backend",
    "read_call",
    "serve_tcp_once",
]
