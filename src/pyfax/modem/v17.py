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

from pyfax.errors import ModemError
from pyfax.modem._qam_tx import LinearTransmitter
from pyfax.modem._v17_profile import v17_profile
from pyfax.modem._v17_rx import V17Receiver
from pyfax.modem._v17_tables import BAUD_RATE, BITS_PER_SYMBOL
from pyfax.modem.base import Bits, Samples

__all__ = ["V17Receiver", "V17Transmitter"]


class V17Transmitter:
    """A streaming V.17 modulator (V.17 §2; training §2.5; trellis coding §2.3).

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
        if bit_rate not in BITS_PER_SYMBOL:
            raise ModemError(f"V.17 has no {bit_rate} bit/s mode (7200/9600/12000/14400)")
        self.bit_rate = bit_rate
        self.symbol_rate = BAUD_RATE
        self._tx = LinearTransmitter(v17_profile(bit_rate, short=short_train),
                                     level_dbm0=level_dbm0)

    def put_bits(self, bits: Bits) -> None:
        """Queue data bits (0/1, in line order).

        Raises:
            ModemError: after ``end_of_data()``, or for values other than 0 and 1.
        """
        self._tx.put_bits(bits)

    def end_of_data(self) -> None:
        """No more data: send the rest, then the tail (ones, then silence), then stop."""
        self._tx.end_of_data()

    def tx(self, n_samples: int) -> Samples:
        """Up to ``n_samples`` int16 samples; fewer (maybe none) once finished."""
        return self._tx.tx(n_samples)

    @property
    def done(self) -> bool:
        """True once every sample, tail included, has been returned."""
        return self._tx.done
