"""Inputs and actions of the sans-I/O T.30 core.

The core (:class:`pyfax.t30.session.Session`) is fed *events* and answers
with *actions*, as h11 and aioquic do; it never reads a clock or touches
samples. The driver performs the transmit actions in order, one after the
other, with the T.30 gaps between them (75 ms between modems, §5.3.2), and
reports :class:`TxDone` once the whole queue has been sent.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TypeAlias

from pyfax.t30.params import ModemRate, Timer
from pyfax.t30.result import CallResult
from pyfax.t30.states import Phase

__all__ = [
    "Action",
    "Cancel",
    "Event",
    "FastCarrierDown",
    "FastFrameReceived",
    "FastTrained",
    "FastTrainingFailed",
    "Finished",
    "FrameReceived",
    "Heard",
    "LineDropped",
    "LineHeard",
    "PageReceived",
    "ReceiveFast",
    "ReceiveMode",
    "ReceiveV21",
    "SendEcmBlock",
    "SendFrames",
    "SendPage",
    "SendTcf",
    "SendTone",
    "TcfReceived",
    "TimerExpired",
    "Tone",
    "TxDone",
]


# --- events (driver -> core) -------------------------------------------------


@dataclass(frozen=True, slots=True)
class FrameReceived:
    """A V.21 HDLC frame (octets without CRC) and whether its CRC was good."""

    data: bytes
    crc_ok: bool = True


@dataclass(frozen=True, slots=True)
class FastFrameReceived:
    """An HDLC frame received over the fast modem in ECM (FCD or RCP)."""

    data: bytes
    crc_ok: bool = True


@dataclass(frozen=True, slots=True)
class FastTrained:
    """The fast receiver trained (a TCF or a page is arriving)."""


@dataclass(frozen=True, slots=True)
class FastTrainingFailed:
    """The fast receiver heard a carrier but could not train on it."""


@dataclass(frozen=True, slots=True)
class FastCarrierDown:
    """The fast carrier stopped (end of an ECM burst)."""


@dataclass(frozen=True, slots=True)
class TcfReceived:
    """The training check (TCF) ended: how long it was and its longest run of zeros."""

    duration_s: float
    longest_zero_run_s: float


@dataclass(frozen=True, slots=True)
class PageReceived:
    """A non-ECM page stream ended (carrier down): its octets, first bit = LSB."""

    data: bytes


@dataclass(frozen=True, slots=True)
class TxDone:
    """Every queued transmit action has been sent."""


@dataclass(frozen=True, slots=True)
class TimerExpired:
    """Reserved for drivers that run timers themselves; the core checks its own."""

    timer: Timer


class Heard(enum.Enum):
    """What the line carried before any frame (to tell "no answer" causes apart)."""

    SOUND = "sound"
    """Energy above the receivers' cutoff for a while (voice, noise, a modem)."""
    FAX_TONE = "fax tone"
    """CED (heard by a caller) or CNG (heard by an answerer)."""


@dataclass(frozen=True, slots=True)
class LineHeard:
    """The driver heard something on the line (reported once per kind)."""

    what: Heard


@dataclass(frozen=True, slots=True)
class Cancel:
    """The local user abandons the call."""


@dataclass(frozen=True, slots=True)
class LineDropped:
    """The line is gone: the telephony backend says the far end hung up (a SIP BYE, a
    closed stream). An analogue line gives no such signal; silence and timers do there.

    Attributes:
        phase: the phase the call was in when the backend said so (the driver may pass
            the event on a little later, once the line's last sounds are heard).
    """

    phase: Phase | None = None


Event: TypeAlias = (FrameReceived | FastFrameReceived | FastTrained | FastTrainingFailed
                    | FastCarrierDown | TcfReceived | PageReceived | TxDone | TimerExpired
                    | LineHeard | Cancel | LineDropped)


# --- actions (core -> driver) ------------------------------------------------


class Tone(enum.Enum):
    """Phase A tones (T.30 §5.2)."""

    CNG = "cng"
    """Calling tone, 1100 Hz 0.5 s on / 3 s off, repeated until the next transmission."""
    CED = "ced"
    """Called station identification, 2100 Hz for 3 s."""


class ReceiveMode(enum.Enum):
    """What the fast receiver is listening for."""

    TCF = "tcf"
    PAGE = "page"
    ECM = "ecm"


@dataclass(frozen=True, slots=True)
class SendTone:
    """Send a phase A tone."""

    tone: Tone


@dataclass(frozen=True, slots=True)
class SendFrames:
    """Send a V.21 message: HDLC frames (octets without CRC) after a 1 s flag preamble."""

    frames: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class SendTcf:
    """Send the training check: zeros for ``duration_s`` over the fast modem."""

    modem_rate: ModemRate
    duration_s: float = 1.5


@dataclass(frozen=True, slots=True)
class SendPage:
    """Send a non-ECM page stream (octets, first bit on the line = LSB)."""

    modem_rate: ModemRate
    data: bytes
    long_train: bool = False
    """Train in full (V.17) even though a TCF at this rate succeeded."""


@dataclass(frozen=True, slots=True)
class SendEcmBlock:
    """Send HDLC frames (FCD ... RCP RCP RCP) over the fast modem."""

    modem_rate: ModemRate
    frames: tuple[bytes, ...]
    long_train: bool = False
    """Train in full (V.17), as after CTC (T.30 §A.4.3)."""
    data_octets: int = 0
    """Page octets the FCD frames carry (for progress reports)."""


@dataclass(frozen=True, slots=True)
class ReceiveV21:
    """Listen on V.21 only (the fast receiver is idle)."""


@dataclass(frozen=True, slots=True)
class ReceiveFast:
    """Listen for the fast modem at ``modem_rate`` (and, in parallel, for V.21)."""

    modem_rate: ModemRate
    mode: ReceiveMode
    long_train: bool = False
    """Expect a full (V.17 long) training, as after CTC; TCF always has one."""


@dataclass(frozen=True, slots=True)
class Finished:
    """The call is over: hang up."""

    result: CallResult


Action: TypeAlias = (SendTone | SendFrames | SendTcf | SendPage | SendEcmBlock | ReceiveV21
                     | ReceiveFast | Finished)
