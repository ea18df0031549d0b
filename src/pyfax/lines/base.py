"""The telephony backend contract: dial a number, then exchange audio blocks.

This is how a SIP/RTP stack, an ISDN card or a modem is plugged into pyfax.
``Backend.dial(number)`` places a call and returns a :class:`Call` whose
``progress`` says how dialling ended (answered, busy, no answer). An answered
call carries int16 audio at 8000 Hz: ``exchange(block)`` sends one block and
returns the block of the same length heard from the line meanwhile.
``hang_up()`` ends the call; ``remote_hung_up`` tells when the far end did (a
SIP BYE, a closed stream), and the drivers then end the T.30 call at once
(:meth:`pyfax.t30.Terminal.line_dropped`) instead of timing out into a dead line.
"""

from __future__ import annotations

import enum
from typing import Protocol

from pyfax.modem.base import Samples

__all__ = ["BLOCK_N_SAMPLES", "Backend", "Call", "CallProgress", "Speaker", "exchange_block"]

BLOCK_N_SAMPLES = 160
"""The block the drivers exchange with a call: 20 ms, the usual RTP packet."""


class CallProgress(enum.Enum):
    """How dialling went (the call progress tones a modem would report)."""

    RINGING = "ringing"
    ANSWERED = "answered"
    BUSY = "busy"
    NO_ANSWER = "no-answer"
    FAILED = "failed"


class Call(Protocol):
    """One telephone call, seen from our end."""

    @property
    def progress(self) -> CallProgress:
        """How dialling ended; only ``ANSWERED`` calls carry audio."""

    @property
    def remote_hung_up(self) -> bool:
        """True once the far end has hung up (the line is then silent)."""

    def exchange(self, block: Samples) -> Samples:
        """Send ``block`` (int16, 8 kHz) and return what the line carried meanwhile."""

    def hang_up(self) -> None:
        """End the call (idempotent)."""


class Backend(Protocol):
    """A way to place calls."""

    def dial(self, number: str) -> Call:
        """Call ``number`` (E.164, e.g. ``"+3222345678"``) and return the call."""


class Speaker(Protocol):
    """What talks on a call: a T.30 terminal (:class:`pyfax.t30.Terminal`)."""

    def step(self, block: Samples) -> Samples:
        """Hear ``block``; return as many samples to send."""

    def line_dropped(self) -> None:
        """The far end has hung up."""


def exchange_block(speaker: Speaker, call: Call, heard: Samples) -> Samples:
    """One block of a call: ``speaker`` hears ``heard`` and answers, the call carries the
    answer and returns the next block heard (as long). A far end that has hung up is
    reported to the speaker, which then ends the call."""
    heard = call.exchange(speaker.step(heard))
    if call.remote_hung_up:
        speaker.line_dropped()
    return heard
