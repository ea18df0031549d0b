"""Where the pyfax database (ledger, contacts) lives by default.

How it works: ``$PYFAX_DB`` names the file outright; otherwise it is
``credit.db`` in ``$PYFAX_HOME``, else in ``~/.pyfax``. This is the same file
the delivery layer's command line uses (``pyfax.delivery.paths``), so
``pyfax send``, ``pyfax worker`` and ``pyfax credit`` share one ledger. The
directory is created on demand by :func:`ensure_db_path`.
"""

from __future__ import annotations

import os
from pathlib import Path

from pyfax.errors import BillingError

__all__ = ["default_db_path", "ensure_db_path"]

DB_NAME = "credit.db"


def default_db_path() -> Path:
    """The database file pyfax uses when none is given (see the module docstring)."""
    if os.environ.get("PYFAX_DB"):
        return Path(os.environ["PYFAX_DB"]).expanduser()
    home = os.environ.get("PYFAX_HOME")
    return (Path(home).expanduser() if home else Path.home() / ".pyfax") / DB_NAME


def ensure_db_path(path: Path | None = None) -> Path:
    """``path`` (or the default), with its directory created."""
    target = path if path is not None else default_db_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BillingError(f"cannot create {target.parent}: {exc.strerror}") from None
    return target
