"""ITU-T V.17: trellis-coded QAM at 7200, 9600, 12000 and 14400 bit/s.

The transmitter lives in :mod:`pyfax.modem._v17_tx` (spandsp's symbol timing,
so that spandsp's receiver accepts its short trains); the receiver in
:mod:`pyfax.modem._v17_rx`, which runs the shared linear-modem receiver with
the V.17 profile of :mod:`pyfax.modem._v17_profile` and picks the long or
short training per burst. The tables (constellations, trellis, training
layout) are in :mod:`pyfax.modem._v17_tables`, :mod:`pyfax.modem._v17_trellis`
and :mod:`pyfax.modem._v17_training`; the Viterbi decoder in
:mod:`pyfax.modem._viterbi`.
"""

from __future__ import annotations

from pyfax.modem._v17_rx import V17Receiver
from pyfax.modem._v17_tx import V17Transmitter

__all__ = ["V17Receiver", "V17Transmitter"]
