"""Settings of a T.30 session and what a call has achieved so far.

:class:`Settings` is what the caller chooses (role, identity, capabilities,
thresholds); :class:`Progress` is what the session learns during the call
and reports in its :class:`~pyfax.t30.CallResult`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyfax.t4.geometry import PaperWidth, Resolution
from pyfax.t4.packed import PackedImage
from pyfax.t30.dis import DcsParams
from pyfax.t30.events import Action, Heard
from pyfax.t30.params import Compression, Modem, PageLength, Timer

__all__ = ["Command", "Progress", "Settings"]


@dataclass(frozen=True, slots=True)
class Settings:
    """How a session behaves.

    Attributes:
        calling: True for the calling terminal, False for the answering one.
        sending: True to transmit pages, False to receive them; None means
            ``calling`` (the ordinary call). A calling receiver polls (DTC),
            an answering transmitter waits to be polled (T.30 §5.3.6.1.3).
        ident: our TSI/CSI (at most 20 characters).
        ecm: offer/use error correction mode.
        modems: fast modems we support.
        compressions: codings we support.
        resolutions: resolutions we accept as a receiver.
        max_width: the widest scan line we accept as a receiver (DIS bits 17-18).
        max_length: the longest page we offer to record as a receiver (DIS bits 19-20).
        max_rate_bps: start no faster than this (None: no limit).
        ecm_frame_size: 256 or 64 octets per ECM frame.
        rtn_damaged_fraction: the copy-quality threshold: a non-ECM page whose
            damaged lines plus lost stream (garbage between two EOLs) exceed
            this fraction is answered with RTN (as is a page without RTC).
        tcf_min_zero_run_s: a TCF whose longest run of zeros is shorter fails (FTT).
        command_tries: how many times a command is sent before giving up.
        rtn_per_rate: RTNs for one page accepted at a rate before falling back.
        ppr_before_ctc: PPRs for one block before CTC (T.30 §A.4.3: 4).
    """

    calling: bool = True
    sending: bool | None = None
    ident: str = ""
    ecm: bool = True
    modems: frozenset[Modem] = frozenset(Modem)
    compressions: frozenset[Compression] = frozenset(Compression)
    resolutions: frozenset[Resolution] = frozenset(Resolution)
    max_width: PaperWidth = PaperWidth.A3
    max_length: PageLength = PageLength.UNLIMITED
    max_rate_bps: int | None = None
    ecm_frame_size: int = 256
    rtn_damaged_fraction: float = 0.05
    tcf_min_zero_run_s: float = 1.0
    command_tries: int = 3
    rtn_per_rate: int = 1
    ppr_before_ctc: int = 4

    @property
    def transmitter(self) -> bool:
        """True when this terminal sends the pages."""
        return self.calling if self.sending is None else self.sending


@dataclass(slots=True)
class Command:
    """The last command sent: what is sent again on T4 or CRP, and the tries so far."""

    repeat: list[Action]
    timer: Timer | None
    tries: int = 1


@dataclass(slots=True)
class Progress:
    """What the call has achieved so far (for the result)."""

    pages: int = 0
    remote_ident: str = ""
    dcs: DcsParams | None = None
    heard_frames: int = 0
    heard: set[Heard] = field(default_factory=set)
    pages_given_up: int = 0
    """ECM pages kept after EOR/ERR with blocks that could not be recovered."""
    received_pages: list[PackedImage] = field(default_factory=list)
    """Pages received and confirmed, one bit per pixel."""
    received_resolutions: list[Resolution] = field(default_factory=list)
