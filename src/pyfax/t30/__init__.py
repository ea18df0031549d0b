"""T.30: the fax session (ITU-T T.30), as a sans-I/O core and an audio terminal.

The core (:class:`Session`) takes events and returns actions; the
:class:`Terminal` joins it to the modems and the T.4 codec behind the
block interface ``out = term.step(inp)``.
"""

from pyfax.t30.params import FALLBACK_SEQUENCE, Compression, Modem, ModemRate, Resolution, Timer
from pyfax.t30.result import CallResult, ResultCode
from pyfax.t30.terminal import Terminal

__all__ = [
    "FALLBACK_SEQUENCE",
    "CallResult",
    "Compression",
    "Modem",
    "ModemRate",
    "Resolution",
    "ResultCode",
    "Terminal",
    "Timer",
]
