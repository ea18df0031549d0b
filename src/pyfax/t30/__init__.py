"""T.30: the fax session (ITU-T T.30), as a sans-I/O core and an audio terminal.

The core (:class:`Session`) takes events and returns actions
(:mod:`pyfax.t30.events`); the :class:`Terminal` joins it to the modems and
the T.4 codec behind the block interface ``out = term.step(inp)``. Every
call ends with a :class:`CallResult` whose :class:`ResultCode` says why.
"""

from pyfax.t4.geometry import PaperWidth, Resolution
from pyfax.t30._pages import TxPage
from pyfax.t30.params import (
    FALLBACK_SEQUENCE,
    Compression,
    Modem,
    ModemRate,
    PageLength,
    Timer,
)
from pyfax.t30.result import CallResult, ResultCode
from pyfax.t30.session import Session, Settings
from pyfax.t30.states import Phase, State
from pyfax.t30.terminal import Terminal, TerminalProgress

__all__ = [
    "FALLBACK_SEQUENCE",
    "CallResult",
    "Compression",
    "Modem",
    "ModemRate",
    "PageLength",
    "PaperWidth",
    "Phase",
    "Resolution",
    "ResultCode",
    "Session",
    "Settings",
    "State",
    "Terminal",
    "TerminalProgress",
    "Timer",
    "TxPage",
]
