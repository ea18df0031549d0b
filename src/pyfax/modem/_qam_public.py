"""The public face of the linear modems (V.27ter, V.29, V.17), written once.

Each public transmitter and receiver (``V29Transmitter(rate_bps)``,
``V17Receiver(rate_bps)``, ...) is a thin subclass of one of these two
classes: the subclass checks its arguments and picks the
:class:`~pyfax.modem._qam_spec.ModemProfile`, and the base class holds the
shared engine (:class:`~pyfax.modem._qam_tx.LinearTransmitter` or
:class:`~pyfax.modem._qam_rx.LinearReceiver`) and forwards the streaming
contract of :mod:`pyfax.modem.base` to it. The engine is held, not
inherited, so the public classes show only that contract.
"""

from __future__ import annotations

from collections.abc import Sequence

from pyfax.modem._qam_rx import LinearReceiver
from pyfax.modem._qam_spec import ModemProfile
from pyfax.modem._qam_tx import LinearTransmitter
from pyfax.modem.base import Bits, RxResult, Samples

__all__ = ["QamReceiverBase", "QamTransmitterBase"]


class QamTransmitterBase:
    """A linear-modem transmitter: the streaming contract over a profile's engine.

    Args:
        profile: the modem and rate; ``bit_rate`` is the profile's rate.
        level_dbm0: transmit level of the data signal, -60 to 0 dBm0.
        tep: send the profile's talker-echo-protection tone first.

    Raises:
        ModemError: for a level outside -60..0 dBm0.
    """

    def __init__(self, profile: ModemProfile, *, level_dbm0: float, tep: bool = False) -> None:
        self.bit_rate = profile.spec.bit_rate_bps
        self._tx = LinearTransmitter(profile, level_dbm0=level_dbm0, tep=tep)

    def put_bits(self, bits: Bits) -> None:
        """Queue data bits (0/1, in line order).

        Raises:
            ModemError: after ``end_of_data()``, or for values other than 0 and 1.
        """
        self._tx.put_bits(bits)

    def end_of_data(self) -> None:
        """No more bits: the modem sends the rest, then its tail, and stops."""
        self._tx.end_of_data()

    def tx(self, n_samples: int) -> Samples:
        """Up to ``n_samples`` int16 samples; fewer (maybe none) once finished."""
        return self._tx.tx(n_samples)

    @property
    def done(self) -> bool:
        """True once every sample, tail included, has been returned."""
        return self._tx.done


class QamReceiverBase:
    """A linear-modem receiver: the streaming contract over a profile's engine.

    Args:
        profile: the modem and rate (and first training) to look for;
            ``bit_rate`` is the profile's rate.
        cutoff_dbm0: carrier-detect level (None: the spec's, -43 dBm0).
        retrain: the trainings to expect after a burst that trained.

    Raises:
        ModemError: for a cutoff outside -70..0 dBm0.
    """

    def __init__(self, profile: ModemProfile, *, cutoff_dbm0: float | None,
                 retrain: Sequence[ModemProfile] = ()) -> None:
        self.bit_rate = profile.spec.bit_rate_bps
        self._rx = LinearReceiver(profile, cutoff_dbm0=cutoff_dbm0, retrain=retrain)

    def rx(self, samples: Samples) -> RxResult:
        """Demodulate a block of any length; never raises on noise or garbage."""
        return self._rx.rx(samples)

    @property
    def trained(self) -> bool:
        """True while the receiver is trained and delivering data."""
        return self._rx.trained
