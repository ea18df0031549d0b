"""A simulated remote fax machine on a simulated line.

``LoopbackBackend.dial()`` "calls" a pyfax receiving :class:`~pyfax.t30.Terminal`
through two chains of line impairments (one per direction). The remote's
behaviour is configurable, to exercise every failure the delivery layer must
handle:

* ``answer``: a working fax machine.
* ``busy`` / ``no_answer``: the call never connects.
* ``silent``: the line answers but no fax machine speaks (a voice line).
* ``drop_mid_page``: the remote hangs up once page data flows.
* ``reject_after_training`` (also ``out_of_paper``, ``memory_full``): it
  confirms the training (CFR), then drops the line, as a machine out of
  paper or with a full memory does.

How the remote knows where the call is: when the remote terminal shows its
T.30 state (:attr:`pyfax.t30.Terminal.state`), page data flows once it
is in phase C (``R_PAGE`` or ``R_ECM_BLOCK``: CFR sent) and its CFR has
left the line. Otherwise it counts its own transmit bursts (CED, DIS, then
CFR after the training), as a line monitor would; page data flows after the
third burst, while the remote listens. Received pages are kept per call, and written as PNG and
TIFF-F (MH) when ``out_dir`` is given.

The line runs as fast as the CPU allows, unless ``speed`` is given: then a
call takes at least ``line time / speed`` of wall-clock time (``speed=1`` is
a real-time line), as a real call's duration matters to whoever watches it.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pyfax.errors import LineError
from pyfax.lines.base import BLOCK_N_SAMPLES, CallProgress
from pyfax.lines.impairments import Impairment, Stage, chain
from pyfax.modem.base import SAMPLE_RATE_HZ, Samples
from pyfax.t30 import State

__all__ = ["Behaviour", "LoopbackBackend", "LoopbackCall", "save_pages"]

_SILENCE_RMS = 16.0  # below this a block counts as silent (about -66 dBm0)
_BURST_GAP_N = 320  # 40 ms of silence separates two bursts (CED/DIS gap is 75 ms)
_PAGE_FLOWING_N = SAMPLE_RATE_HZ  # 1 s of listening after CFR: page data is flowing
_CFR_BURST = 3  # CED, DIS, CFR
_PHASE_C_STATES = frozenset({State.R_PAGE, State.R_ECM_BLOCK})


class Behaviour(enum.StrEnum):
    """What the simulated remote does when called."""

    ANSWER = "answer"
    BUSY = "busy"
    NO_ANSWER = "no_answer"
    SILENT = "silent"
    DROP_MID_PAGE = "drop_mid_page"
    REJECT_AFTER_TRAINING = "reject_after_training"
    OUT_OF_PAPER = "out_of_paper"  # drops after training, as reject_after_training
    MEMORY_FULL = "memory_full"  # drops after training, as reject_after_training


_DROPS_AFTER_TRAINING = frozenset({Behaviour.REJECT_AFTER_TRAINING, Behaviour.OUT_OF_PAPER,
                                   Behaviour.MEMORY_FULL})


@dataclass
class _BurstCounter:
    """Counts transmit bursts and the silence after the last one."""

    bursts: int = 0
    silent_n: int = _BURST_GAP_N

    def feed(self, block: Samples) -> None:
        x = block.astype(np.float64)
        active = len(x) > 0 and float(np.sqrt(np.mean(x * x))) > _SILENCE_RMS
        if active:
            if self.silent_n >= _BURST_GAP_N:
                self.bursts += 1
            self.silent_n = 0
        else:
            self.silent_n += len(x)


@dataclass
class LoopbackCall:
    """One call to the simulated remote."""

    number: str
    progress: CallProgress
    remote: Any = None
    behaviour: Behaviour = Behaviour.ANSWER
    uplink: Stage | None = None
    downlink: Stage | None = None
    out_dir: Path | None = None
    n_samples: int = 0
    remote_hung_up: bool = False
    ended: bool = False
    speed: float | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _bursts: _BurstCounter = field(default_factory=_BurstCounter)
    _bursts_at_cfr: int | None = None
    _wall_start_s: float | None = None

    @property
    def line_time_s(self) -> float:
        """Seconds of audio exchanged so far."""
        return self.n_samples / SAMPLE_RATE_HZ

    @property
    def received_pages(self) -> list[NDArray[np.bool_]]:
        """The pages the remote has received so far."""
        return list(getattr(self.remote, "received_pages", []))

    @property
    def result(self) -> Any:
        """The remote terminal's result, once it has one."""
        return getattr(self.remote, "result", None)

    def exchange(self, block: Samples) -> Samples:
        """Send ``block`` to the remote; return what it sent meanwhile."""
        if self.ended or self.progress is not CallProgress.ANSWERED:
            raise LineError(f"call to {self.number} is not connected")
        block = np.asarray(block, dtype=np.int16)
        assert self.uplink is not None and self.downlink is not None
        heard = self.uplink(block)
        n = len(block)
        self.n_samples += n
        if self.speed is not None:
            self._pace()
        if self.remote_hung_up:
            return self.downlink(np.zeros(n, dtype=np.int16))
        said = np.asarray(self.remote.step(heard), dtype=np.int16)
        if self.behaviour is Behaviour.SILENT:
            said = np.zeros(n, dtype=np.int16)
        self._bursts.feed(said)
        self._maybe_drop()
        return self.downlink(said)

    def _pace(self) -> None:
        """Sleep until the wall clock has caught up with ``line time / speed``."""
        assert self.speed is not None
        now_s = self.clock()
        if self._wall_start_s is None:
            self._wall_start_s = now_s
        ahead_s = self.line_time_s / self.speed - (now_s - self._wall_start_s)
        if ahead_s > 0:
            self.sleep(ahead_s)

    def _after_cfr(self) -> bool:
        """True once CFR has been sent and has left the line (the answerer listens)."""
        state = getattr(self.remote, "state", None)
        if not isinstance(state, State):  # e.g. spandsp: count the bursts
            return self._bursts.bursts >= _CFR_BURST
        if state not in _PHASE_C_STATES:
            self._bursts_at_cfr = None
            return False
        if self._bursts_at_cfr is None:  # CFR is queued now; its burst follows
            self._bursts_at_cfr = self._bursts.bursts
        return self._bursts.bursts > self._bursts_at_cfr

    def _maybe_drop(self) -> None:
        after_cfr = self._after_cfr()
        if self.behaviour in _DROPS_AFTER_TRAINING and after_cfr \
                and self._bursts.silent_n >= _BURST_GAP_N:
            self.remote_hung_up = True
        if self.behaviour is Behaviour.DROP_MID_PAGE and after_cfr \
                and self._bursts.silent_n >= _PAGE_FLOWING_N:
            self.remote_hung_up = True

    def hang_up(self) -> None:
        """End the call; the remote's pages are written to ``out_dir`` if set."""
        if self.ended:
            return
        self.ended = True
        if self.progress is not CallProgress.ANSWERED:
            return
        self._let_remote_finish()
        close = getattr(self.remote, "close", None)
        if close is not None:  # e.g. spandsp completes its TIFF when freed
            close()
        if self.out_dir is not None:
            save_pages(self.received_pages, self.out_dir)

    def _let_remote_finish(self) -> None:
        """Feed the remote silence for up to 2 s so that it reaches phase E."""
        for _ in range(2 * SAMPLE_RATE_HZ // BLOCK_N_SAMPLES):
            if getattr(self.remote, "done", True) or self.remote_hung_up:
                return
            self.remote.step(np.zeros(BLOCK_N_SAMPLES, dtype=np.int16))


def save_pages(pages: Sequence[NDArray[np.bool_]], out_dir: Path, *,
               dpi: tuple[int, int] = (204, 196), tiff_name: str = "received.tif") -> list[Path]:
    """Write pages as ``page-NN.png`` and one multi-page TIFF-F (MH) file.

    Args:
        pages: the pages, True = black.
        out_dir: the folder (created if missing).
        dpi: the resolution recorded in the files.
        tiff_name: the TIFF file's name.

    Returns:
        The files written (PNGs, then the TIFF); none when there are no pages.
    """
    from PIL import Image

    from pyfax.t4 import write_tiff

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, page in enumerate(pages, start=1):
        path = out_dir / f"page-{i:02d}.png"
        Image.fromarray(~np.asarray(page, dtype=np.bool_)).convert("1").save(path, dpi=dpi)
        paths.append(path)
    if pages:
        tiff = out_dir / tiff_name
        write_tiff(tiff, [np.asarray(p, dtype=np.bool_) for p in pages], "MH",
                   xres_dpi=dpi[0], yres_dpi=dpi[1])
        paths.append(tiff)
    return paths


def _new_call_dir(out_dir: Path) -> Path:
    """Claim the first free ``call-N`` folder (atomic, so processes sharing ``out_dir`` never
    write into the same one)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for n in range(1, 1_000_000):
        path = out_dir / f"call-{n}"
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path
    raise LineError(f"no free call folder in {out_dir}")


class LoopbackBackend:
    """Dial a simulated fax machine (a pyfax receiver) over a simulated line.

    Args:
        behaviour: what the remote does (see :class:`Behaviour`).
        impairments: line impairments applied in both directions, in order.
        ident: the remote's CSI.
        ecm: whether the remote offers ECM.
        modems: the fast modems the remote offers.
        out_dir: where received pages are written (PNG and TIFF-F), one ``call-N``
            folder per answered call.
        remote: ``"pyfax"`` (a pyfax receiver) or ``"spandsp"`` (spandsp's
            terminal through ctypes; needs libspandsp2).
        remote_factory: makes the remote terminal (overrides ``remote``).
        speed: run each call at most this many times faster than real time
            (1.0 is a real-time line); ``None`` runs it as fast as possible.
    """

    def __init__(self, behaviour: str | Behaviour = Behaviour.ANSWER, *,
                 impairments: Sequence[Impairment] = (), ident: str = "+32 2 555 0100",
                 ecm: bool = True, modems: Sequence[str] = ("v17", "v29", "v27ter"),
                 out_dir: str | Path | None = None, remote: str = "pyfax",
                 remote_factory: Callable[[], Any] | None = None,
                 speed: float | None = None) -> None:
        try:
            self.behaviour = Behaviour(behaviour)
        except ValueError:
            names = ", ".join(b.value for b in Behaviour)
            raise LineError(f"unknown loopback behaviour {behaviour!r} (one of {names})") \
                from None
        self.impairments = tuple(impairments)
        self.ident = ident
        self.ecm = ecm
        self.modems = tuple(modems)
        self.out_dir = None if out_dir is None else Path(out_dir)
        self.calls: list[LoopbackCall] = []
        if remote not in ("pyfax", "spandsp"):
            raise LineError(f"remote must be 'pyfax' or 'spandsp', not {remote!r}")
        default = self._pyfax_receiver if remote == "pyfax" else self._spandsp_receiver
        self.remote_factory = remote_factory or default
        if speed is not None and not speed > 0:
            raise LineError(f"loopback speed must be a positive factor, not {speed!r}")
        self.speed = speed

    def _pyfax_receiver(self) -> Any:
        from pyfax.t30 import Terminal

        return Terminal(role="receive", ident=self.ident, ecm=self.ecm, modems=self.modems)

    def _spandsp_receiver(self) -> Any:
        from pyfax.lines._spandsp import SpandspReceiver

        return SpandspReceiver(ident=self.ident, ecm=self.ecm, modems=self.modems)

    def dial(self, number: str) -> LoopbackCall:
        """Call the simulated remote; busy and no-answer never connect."""
        if self.behaviour is Behaviour.BUSY:
            call = LoopbackCall(number, CallProgress.BUSY, behaviour=self.behaviour)
        elif self.behaviour is Behaviour.NO_ANSWER:
            call = LoopbackCall(number, CallProgress.NO_ANSWER, behaviour=self.behaviour)
        else:
            remote = self.remote_factory()
            out = None if self.out_dir is None else _new_call_dir(self.out_dir)
            call = LoopbackCall(number, CallProgress.ANSWERED, remote, self.behaviour,
                                chain(self.impairments), chain(self.impairments), out,
                                speed=self.speed)
        self.calls.append(call)
        return call

    @property
    def received(self) -> list[list[NDArray[np.bool_]]]:
        """The pages received on each call, in call order."""
        return [c.received_pages for c in self.calls]
