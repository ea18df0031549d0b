"""pyfax: a fax transmission engine and sending service in pure Python.

Layers, from the bottom up (see ARCHITECTURE.md):

* :mod:`pyfax.t4` — T.4 MH/MR and T.6 MMR page coding, TIFF Class F.
* :mod:`pyfax.modem` — V.21, V.27ter, V.29, V.17, tones and HDLC.
* :mod:`pyfax.t30` — the sans-I/O T.30 session and its audio terminal.
* :mod:`pyfax.compose`, :mod:`pyfax.addressing`, :mod:`pyfax.contacts`,
  :mod:`pyfax.billing` — message to pages, fax numbers, prepaid credit.
* :mod:`pyfax.delivery`, :mod:`pyfax.lines` — ``send()``, jobs and telephony.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["Message", "__version__", "send"]


def __getattr__(name: str) -> Any:
    # Imported lazily so that ``import pyfax`` stays cheap for codec-only users.
    if name in ("Message", "send"):
        from pyfax import delivery

        return getattr(delivery, name)
    raise AttributeError(f"module 'pyfax' has no attribute {name!r}")
