"""The sans-I/O T.30 session (ITU-T T.30 §5, Figure 5-2; Annex A for ECM).

How it works: :meth:`Session.handle` takes one event (a frame, a modem
report, ``TxDone``) with the current time and returns the actions it causes;
:meth:`Session.handle_timer` fires the timers whose deadline has passed, and
:meth:`Session.next_deadline` says when to call it next. Every event becomes
a key (the FCF of a final V.21 frame, or an :class:`~pyfax.t30.states.Input`)
that is looked up with the state in :data:`~pyfax.t30.states.TRANSITIONS`;
the named handler (calling transmitter in :mod:`._sender`, answering receiver
in :mod:`._receiver`) picks the next state. Nothing here reads a clock.
"""

from __future__ import annotations

from pyfax.t30._core import Settings
from pyfax.t30._receiver import ReceiverMixin
from pyfax.t30._sender import SenderMixin
from pyfax.t30.events import SendTone, Tone
from pyfax.t30.frames import describe
from pyfax.t30.params import Timer
from pyfax.t30.states import State

__all__ = ["Session", "Settings", "describe"]

_RX_PAGE_STATES = frozenset({State.R_PAGE, State.R_POST_PAGE, State.R_ECM_BLOCK})
"""Receiver states between CFR (or the last page's MCF) and the page's response."""


class Session(SenderMixin, ReceiverMixin):
    """One T.30 call: calling transmitter, answering receiver, or (polling) calling
    receiver and answering transmitter.

    >>> s = Session(Settings(calling=False, ident="1"))
    >>> [type(a).__name__ for a in s.start(0.0)]
    ['SendTone']
    """

    @property
    def page(self) -> int:
        """The page in progress, from 1: as transmitter the page being sent (or last
        sent), counting the pages a long page is cut into; as receiver the pages
        received so far plus the one arriving in phase C/D (0 before the first)."""
        if self.settings.transmitter:
            return min(self._sheet_number(), self._sheet_count()) if self._pages else 0
        arriving = self.state in _RX_PAGE_STATES
        return self.progress.pages + int(arriving)

    @property
    def pages(self) -> int:
        """As transmitter, the pages of the document (with the cuts of long pages known
        so far: a page is cut when the receiver's DIS is known); as receiver, :attr:`page`."""
        return self._sheet_count() if self.settings.transmitter else self.page

    @property
    def page_octets(self) -> int | None:
        """Octets of the coded page in progress (transmitter, once coded), else None."""
        for (index, part, _dcs), data in self._coded.items():
            if (index, part) == (self._page_index, self._part):
                return len(data)
        return None

    def _init_role(self) -> None:
        self._init_sender()
        self._init_receiver()

    def _start_role(self) -> None:
        s = self.settings
        if s.calling and s.transmitter:
            self._start_sender()
        elif s.calling:
            self._start_poller()
        else:  # answering: CED, then DIS (or, to be polled, a DIS offering pages)
            self._set_state(State.R_ANSWERING)
            self._start_timer(Timer.T1)
            self._out.append(SendTone(Tone.CED))

    def _after_tx_hook(self) -> None:
        if self.state is State.R_ANSWERING:
            if self.settings.transmitter:
                self._send_polled_dis()
            else:
                self._send_dis()
