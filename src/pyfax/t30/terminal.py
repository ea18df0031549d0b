"""The audio fax terminal: the T.30 session joined to the modems and T.4.

``Terminal`` is the block interface every audio backend drives (as spandsp's
``fax_rx``/``fax_tx`` pair): ``out = term.step(inp)`` takes the int16 samples
heard from the line (8000 Hz) and returns as many samples to send.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from pyfax.errors import T30Error
from pyfax.t30.params import Compression, Modem
from pyfax.t30.result import CallResult

__all__ = ["Terminal"]

Role = Literal["send", "receive"]


class Terminal:
    """A fax terminal on an audio line, calling to send or answering to receive.

    Args:
        role: ``"send"`` (calling transmitter) or ``"receive"`` (answering receiver).
        pages: pages to send: numpy bool arrays (True = black, taken as fine
            204 x 196 dpi) or objects with ``image`` and ``resolution``.
        ident: our TSI/CSI, at most 20 characters of digits, ``+`` and space.
        ecm: offer error correction mode (T.30 Annex A).
        modems: the fast modems we offer, among ``"v17"``, ``"v29"``, ``"v27ter"``.
        compressions: the codings we offer, among ``"MMR"``, ``"MR"``, ``"MH"``.
        max_rate_bps: start training no faster than this (None: the fastest).
    """

    def __init__(self, role: Role = "send", pages: Sequence[object] = (), *,
                 ident: str = "", ecm: bool = True,
                 modems: Sequence[str] = ("v17", "v29", "v27ter"),
                 compressions: Sequence[str] = ("MMR", "MR", "MH"),
                 max_rate_bps: int | None = None) -> None:
        if role not in ("send", "receive"):
            raise T30Error(f"role must be 'send' or 'receive', not {role!r}")
        self.role: Role = role
        self.modems = tuple(Modem(m) for m in modems)
        self.compressions = tuple(Compression(c) for c in compressions)
        self.ident = ident
        self.ecm = ecm
        self.max_rate_bps = max_rate_bps
        self._pages = list(pages)
        self._result: CallResult | None = None
        self.received_pages: list[NDArray[np.bool_]] = []

    @property
    def done(self) -> bool:
        """True once the call has ended (successfully or not)."""
        return self._result is not None

    @property
    def result(self) -> CallResult | None:
        """The call's result once :attr:`done`, else None."""
        return self._result

    def step(self, inp: NDArray[np.int16]) -> NDArray[np.int16]:
        """Consume samples heard on the line; return the same number to send."""
        raise NotImplementedError("the audio driver lands with the modems (issue 4, step 4)")
