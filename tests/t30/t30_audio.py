"""Audio-level call harness: two block terminals joined by a simulated line.

``run_call(caller, answerer, channel=...)`` feeds each side's output to the
other's input 160 samples (20 ms) at a time, through ``channel`` (a function
``(samples, direction) -> samples``, direction 0 = caller to answerer), until
both are done or ``limit_s`` of line time has passed. Channels here are one
line each: loss, noise at an absolute level, G.711, and fault injectors that
mute or garble the n-th burst a side sends.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from pyfax import t4
from pyfax.modem import channel as ch

BLOCK = 160
Channel = Callable[[np.ndarray, int], np.ndarray]


class Steppable(Protocol):
    def step(self, inp: np.ndarray) -> np.ndarray: ...

    @property
    def done(self) -> bool: ...


def run_call(caller: Steppable, answerer: Steppable, *, channel: Channel | None = None,
             limit_s: float = 300.0, block: int = BLOCK) -> float:
    """Run the call; return the line time in seconds when both ended (or the limit)."""
    a_out = np.zeros(block, np.int16)
    b_out = np.zeros(block, np.int16)
    n_blocks = int(limit_s * 8000 / block)
    for i in range(n_blocks):
        to_b = channel(a_out, 0) if channel else a_out
        to_a = channel(b_out, 1) if channel else b_out
        a_out = caller.step(to_a)
        b_out = answerer.step(to_b)
        if caller.done and answerer.done:
            return (i + 1) * block / 8000
    return limit_s


def noisy_line(seed: int = 7, *, loss_db: float = 10.0, noise_dbm0: float = -54.0) -> Channel:
    """10 dB of loss, then white noise (30 dB below spandsp's -14 dBm0 after the loss),
    then G.711 µ-law, both ways."""
    rng = np.random.default_rng(seed)

    def line(x: np.ndarray, direction: int) -> np.ndarray:
        y = ch.awgn(ch.gain_db(x, -loss_db), None, rng, noise_dbm0=noise_dbm0)
        return ch.g711_ulaw_roundtrip(y)
    return line


@dataclass
class BurstFault:
    """Mute (``mode="mute"``) or garble (``mode="noise"``) bursts a side sends.

    A burst is a run of blocks with signal; ``which`` picks bursts by their
    1-based number in that direction, ``min_s`` skips shorter ones (counted
    only if at least that long so far), and ``window`` limits the damage to
    part of the burst (seconds from its start, seconds long).
    """

    direction: int
    which: set[int]
    mode: str = "mute"
    min_s: float = 0.0
    window: tuple[float, float] | None = None
    seed: int = 3
    log: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rng = np.random.default_rng(self.seed)
        self._in_burst = False
        self._count = 0
        self._len_s = 0.0
        self._t_s = 0.0

    def __call__(self, x: np.ndarray, direction: int) -> np.ndarray:
        if direction == 0:
            self._t_s += len(x) / 8000
        if direction != self.direction:
            return x
        active = bool(np.max(np.abs(x)) > 30) if len(x) else False
        if active and not self._in_burst:
            self._in_burst, self._len_s = True, 0.0
            self._count += 1
        elif not active:
            self._in_burst = False
        if not active or self._count not in self.which:
            return x
        start = self._len_s
        self._len_s += len(x) / 8000
        if self.window is not None:
            w0, w_len = self.window
            if not w0 <= start < w0 + w_len:
                return x
        if self.log is not None and start == 0.0:
            self.log.append(f"{self._t_s:.2f}s burst {self._count} {self.mode}")
        if self.mode == "mute":
            return np.zeros_like(x)
        return ch.awgn(x, None, self._rng, noise_dbm0=-12.0)


@dataclass
class CutLine:
    """The line goes dead (both ways) after ``at_s`` seconds."""

    at_s: float
    _t_s: float = 0.0

    def __call__(self, x: np.ndarray, direction: int) -> np.ndarray:
        if direction == 0:
            self._t_s += len(x) / 8000
        return np.zeros_like(x) if self._t_s >= self.at_s else x


def tiff_of(pages: list[np.ndarray], scheme: str = "MR") -> str:
    """Write ``pages`` as a fine-resolution TIFF in a new temporary directory."""
    path = os.path.join(tempfile.mkdtemp(prefix="pyfax-t30-"), "tx.tif")
    t4.write_tiff(path, pages, scheme=scheme, xres_dpi=204, yres_dpi=196)
    return path


def rx_tiff_path() -> str:
    return os.path.join(tempfile.mkdtemp(prefix="pyfax-t30-"), "rx.tif")


def pages_equal(got: list[np.ndarray], want: list[np.ndarray]) -> bool:
    return len(got) == len(want) and all(
        g.shape == w.shape and bool(np.array_equal(g, w)) for g, w in zip(got, want, strict=True))


def sample_pages(n: int, rows: int = 200, seed: int = 1) -> list[np.ndarray]:
    """Pages with text-like blocks, a rule and a solid band (all codings exercised)."""
    rng = np.random.default_rng(seed)
    out = []
    for k in range(n):
        page = np.zeros((rows, 1728), dtype=bool)
        for _ in range(rows // 3):
            r, c = int(rng.integers(0, rows - 8)), int(rng.integers(0, 1700))
            page[r:r + int(rng.integers(1, 8)), c:c + int(rng.integers(2, 28))] = True
        page[(7 * k) % rows, :] = True
        page[rows // 2:rows // 2 + 3, 200:1500] = True
        out.append(page)
    return out


@dataclass
class StateFault:
    """Mute or garble what one direction carries while our terminal is in one of
    ``states`` (the first ``episodes`` times it enters them), optionally only from
    ``delay_s`` after entering and for ``length_s``.

    Triggering on our own protocol state keeps the fault on the intended signal
    (a response, a page) whatever the exact timing of either side.
    """

    terminal: object
    states: set[str]
    direction: int
    mode: str = "mute"
    episodes: int = 1
    delay_s: float = 0.0
    length_s: float | None = None
    seed: int = 11
    log: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rng = np.random.default_rng(self.seed)
        self._inside = False
        self._count = 0
        self._since_s = 0.0

    def __call__(self, x: np.ndarray, direction: int) -> np.ndarray:
        state = self.terminal.state.name  # type: ignore[attr-defined]
        if direction == 0:
            if state in self.states and not self._inside:
                self._inside, self._since_s = True, 0.0
                self._count += 1
            elif state not in self.states:
                self._inside = False
            if self._inside:
                self._since_s += len(x) / 8000
        if direction != self.direction or not self._inside or self._count > self.episodes:
            return x
        t = self._since_s
        if t < self.delay_s or (self.length_s is not None and t > self.delay_s + self.length_s):
            return x
        if not self.log or self.log[-1] != f"episode {self._count}":
            self.log.append(f"episode {self._count}")
        if self.mode == "mute":
            return np.zeros_like(x)
        return ch.awgn(x, None, self._rng, noise_dbm0=-12.0)


@dataclass
class EchoLine:
    """Each side also hears its own signal back, ``delay_ms`` late and ``level_db`` down
    (a talker echo, as a 2-wire/4-wire hybrid returns it); ``delay_ms`` >= one block."""

    delay_ms: float
    level_db: float = -12.0

    def __post_init__(self) -> None:
        self._history: list[list[np.ndarray]] = [[], []]

    def __call__(self, x: np.ndarray, direction: int) -> np.ndarray:
        # x is what side ``direction`` sent; the other side hears it plus its own echo.
        listener = 1 - direction
        own = self._history[listener]
        n_delay = round(self.delay_ms * 8)
        past = np.concatenate(own) if own else np.zeros(0, np.int16)
        start = len(past) - n_delay  # index in ``past`` of the echo of x's first sample
        echo = np.zeros(len(x), np.float64)
        off = min(len(x), max(0, -start))
        seg = past[max(start, 0):max(start, 0) + len(x) - off]
        echo[off:off + len(seg)] = seg
        self._history[direction].append(x.copy())
        if len(self._history[direction]) > 400:
            del self._history[direction][:200]
        y = x.astype(np.float64) + echo * 10 ** (self.level_db / 20)
        return np.clip(np.round(y), -32768, 32767).astype(np.int16)
