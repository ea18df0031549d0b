"""ITU-T V.17: trellis-coded QAM at 7200, 9600, 12000 and 14400 bit/s.

The transmitter lives in :mod:`pyfax.modem._v17_tx`, the receiver in
:mod:`pyfax.modem._v17_rx`; the tables (constellations, trellis, training
layout) in :mod:`pyfax.modem._v17_tables`, :mod:`pyfax.modem._v17_trellis`
and :mod:`pyfax.modem._v17_training`, and the Viterbi decoder in
:mod:`pyfax.modem._viterbi`.
"""

from __future__ import annotations

from pyfax.modem._v17_rx import V17Receiver
from pyfax.modem._v17_tx import V17Transmitter

__all__ = ["V17Receiver", "V17Transmitter"]
