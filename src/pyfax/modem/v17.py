"""ITU-T V.17: trellis-coded QAM at 7200, 9600, 12000 and 14400 bit/s.

Both directions run on the shared linear-modem framework with the V.17
profile of :mod:`pyfax.modem._v17_profile` (training plan, trellis encoder
and decider, spandsp's transmit symbol timing, the tail of ones and silence):
the transmitter is :class:`~pyfax.modem._qam_tx.LinearTransmitter`; the
receiver, :mod:`pyfax.modem._v17_rx`, runs
:class:`~pyfax.modem._qam_rx.LinearReceiver` and picks the long or short
training per burst. The tables (constellations, trellis, training layout) are
in :mod:`pyfax.modem._v17_tables`, :mod:`pyfax.modem._v17_trellis` and
:mod:`pyfax.modem._v17_training`; the Viterbi decoder in
:mod:`pyfax.modem._viterbi`.
"""

from __future__ import annotations

from pyfax.modem._qam_public import QamTransmitterBase
from pyfax.modem._v17_profile import v17_profile
from pyfax.modem._v17_rx import V17Receiver
from pyfax.modem._v17_tables import BAUD_RATE

__all__ = ["V17Receiver", "V17Transmitter"]


class V17Transmitter(QamTransmitterBase):
    """A streaming V.17 modulator (V.17 §2; training §2.5; trellis coding §2.3).

    After ``end_of_data()`` it sends the rest, then the tail (ones, then
    silence), then stops.

    Args:
        bit_rate: 7200, 9600, 12000 or 14400 bit/s.
        level_dbm0: transmit level of the data signal, -60 to 0 dBm0.
        short_train: send the short (retrain) training sequence instead of
            the long one (V.17 §2.5.2; used for every burst after the first).

    Raises:
        ModemError: for an unsupported rate or level.
    """

    def __init__(self, bit_rate: int, *, level_dbm0: float = -10.0,
                 short_train: bool = False) -> None:
        super().__init__(v17_profile(bit_rate, short=short_train), level_dbm0=level_dbm0)
        self.symbol_rate = BAUD_RATE
