"""ITU-T V.21 channel 2: 300 bit/s FSK, the modem of T.30's control frames.

V.21 clause 2 and T.30 clause 5.3: channel 2 uses a nominal mark (binary 1)
of 1650 Hz and space (binary 0) of 1850 Hz at 300 bit/s. There is no training:
the receiver reports CARRIER_UP and delivers bits from the first bit of the
burst, and CARRIER_DOWN after the burst ends. The engines are in
:mod:`pyfax.modem._fsk` (continuous-phase transmitter) and
:mod:`pyfax.modem._fsk_rx` (correlator receiver).
"""

from __future__ import annotations

from pyfax.errors import ModemError
from pyfax.modem._fsk import FskSpec, FskTransmitter
from pyfax.modem._fsk_rx import FskReceiver

__all__ = ["V21_CH1", "V21_CH2", "V21Receiver", "V21Transmitter"]

V21_CH1 = FskSpec(name="V.21 ch1", mark_hz=980, space_hz=1180, baud=300)
"""V.21 channel 1 (calling direction of a V.21 data modem; not used by fax)."""

V21_CH2 = FskSpec(name="V.21 ch2", mark_hz=1650, space_hz=1850, baud=300)
"""V.21 channel 2, used by T.30 for HDLC control frames."""


def _check_rate(bit_rate: int) -> None:
    if bit_rate != 300:
        raise ModemError(f"V.21 runs at 300 bit/s only, not {bit_rate}")


class V21Transmitter(FskTransmitter):
    """V.21 channel 2 transmitter, continuous phase, idling on mark.

    Args:
        bit_rate: must be 300.
        level_dbm0: transmit level, -10 dBm0 by default.
    """

    def __init__(self, bit_rate: int = 300, *, level_dbm0: float = -10.0) -> None:
        _check_rate(bit_rate)
        super().__init__(V21_CH2, level_dbm0=level_dbm0)


class V21Receiver(FskReceiver):
    """V.21 channel 2 receiver with carrier detection.

    Args:
        bit_rate: must be 300.
        cutoff_dbm0: carrier-on threshold (a fax terminal's, -43 dBm0, by default).
    """

    def __init__(self, bit_rate: int = 300, *, cutoff_dbm0: float = -43.0) -> None:
        _check_rate(bit_rate)
        super().__init__(V21_CH2, cutoff_dbm0=cutoff_dbm0)
