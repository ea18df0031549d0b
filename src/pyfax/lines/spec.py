"""Backends named by a short string, for the command line and config files.

* ``loopback`` or ``loopback:BEHAVIOUR`` — the simulated remote fax machine
  (``answer``, ``busy``, ``no_answer``, ``silent``, ``drop_mid_page``,
  ``reject_after_training``, ``out_of_paper``, ``memory_full``);
  ``loopback:answer:alaw`` adds G.711 A-law (or ``ulaw``) on the line, and
  ``loopback:answer:speed=4`` runs calls at most 4 times faster than real time
  (``realtime`` is ``speed=1``).
  ``spandsp-loopback...`` is the same with spandsp's terminal as the remote.
* ``tcp:PORT`` — raw s16le 8 kHz PCM to ``127.0.0.1:PORT``.
* ``pipe:PROGRAM ARGS...`` — raw PCM over a program's stdin/stdout
  (``{number}`` in its arguments becomes the number dialled).
"""

from __future__ import annotations

import shlex
from pathlib import Path

from pyfax.errors import LineError
from pyfax.lines.base import Backend
from pyfax.lines.impairments import G711, Impairment
from pyfax.lines.loopback import LoopbackBackend
from pyfax.lines.pcm import PipePcmBackend, TcpPcmBackend

__all__ = ["open_backend"]

SPEC_HELP = ("[spandsp-]loopback[:BEHAVIOUR[:alaw|ulaw][:speed=N|realtime]], "
             "tcp:PORT (127.0.0.1) or "
             "pipe:'PROGRAM ARGS' (raw s16le 8 kHz PCM)")


def open_backend(spec: str, *, out_dir: str | Path | None = None) -> Backend:
    """The backend a spec string names.

    >>> type(open_backend("loopback:busy")).__name__
    'LoopbackBackend'

    Raises:
        LineError: the spec names no known backend, or its arguments are bad.
    """
    kind, _, rest = spec.partition(":")
    if kind in ("loopback", "spandsp-loopback"):
        parts = [p for p in rest.split(":") if p]
        behaviour = parts[0] if parts else "answer"
        impairments: list[Impairment] = []
        speed: float | None = None
        for part in parts[1:]:
            if part == "realtime":
                speed = 1.0
            elif part.startswith("speed="):
                speed = _speed(part.removeprefix("speed="))
            else:
                impairments.append(G711(part))
        return LoopbackBackend(behaviour, impairments=impairments, out_dir=out_dir,
                               remote="spandsp" if kind == "spandsp-loopback" else "pyfax",
                               speed=speed)
    if kind == "tcp":
        try:
            return TcpPcmBackend(int(rest))
        except ValueError:
            raise LineError(f"tcp backend needs a port number, not {rest!r}") from None
    if kind == "pipe":
        return PipePcmBackend(shlex.split(rest))
    raise LineError(f"unknown backend {spec!r}: use {SPEC_HELP}")


def _speed(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise LineError(f"loopback speed must be a number, not {text!r}") from None
