"""V.17 receiver (ITU-T V.17 §2; training §2.5 and Table 3; trellis §2.3).

How it works: the demodulation itself is the shared linear-modem receiver
(:class:`~pyfax.modem._qam_rx.LinearReceiver`: carrier detect, matched
filter, timing, equaliser, carrier loop) with the V.17 profiles
(:mod:`pyfax.modem._v17_profile`: training plans, trellis decider, Viterbi).
What V.17 adds is the choice of training per burst (§2.5, and T.30's use of
it): after a successful long train, the next burst normally brings a short
train (segment 2 of 38 symbols, no bridge), which a receiver expecting only
a long one would miss. So the receiver expects a long train on the first
burst (unless told otherwise), and after every burst that trained it
expects a short train *or* a long one: the shared receiver tries the short
plan first and, when that fails on the same audio, the long one, so a long
train that comes instead is followed, not lost. :meth:`V17Receiver.restart`
overrides the expectation for the next burst.
"""

from __future__ import annotations

from pyfax.modem._qam_public import QamReceiverBase
from pyfax.modem._v17_profile import v17_profile

__all__ = ["V17Receiver"]

_DEFAULT_CUTOFF_DBM0 = -43.0


class V17Receiver(QamReceiverBase):
    """A streaming V.17 demodulator.

    Args:
        bit_rate: 7200, 9600, 12000 or 14400 bit/s.
        short_train: expect a short train on the first burst. After every
            successful train the receiver expects a short train next, as in
            T.30 (and spandsp); :meth:`restart` overrides that. A long train
            that comes when a short one was expected is recognised.
        cutoff_dbm0: carrier-detect level.

    Raises:
        ModemError: for an unsupported rate or cutoff.
    """

    def __init__(self, bit_rate: int, *, short_train: bool = False,
                 cutoff_dbm0: float = _DEFAULT_CUTOFF_DBM0) -> None:
        self._long = v17_profile(bit_rate)
        self._either = (v17_profile(bit_rate, short=True), self._long)
        super().__init__(self._long, cutoff_dbm0=cutoff_dbm0, retrain=self._either)
        if short_train:
            self._rx.expect(self._either)

    def restart(self, *, short_train: bool) -> None:
        """Expect a short (or long) train on the next burst; a long train is
        recognised even when a short one is expected."""
        self._rx.expect(self._either if short_train else (self._long,))
