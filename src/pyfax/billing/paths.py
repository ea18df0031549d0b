"""Where the pyfax database (ledger, contacts) lives by default.

How it works: ``$PYFAX_DB`` names the file outright; otherwise it is
``pyfax.db`` in ``$PYFAX_HOME``, else in ``$XDG_DATA_HOME/pyfax``, else in
``~/.local/share/pyfax`` (the XDG default). The directory is created on
demand by :func:`ensure_db_path`.
"""

from __future__ import annotations

import os
from pathlib import Path

from pyfax.errors import BillingError

__all__ = ["default_db_path", "ensure_db_path"]

DB_NAME = "pyfax.db"


def default_db_path() -> Path:
    """The database file pyfax uses when none is given (see the module docstring)."""
    if os.environ.get("PYFAX_DB"):
        return Path(os.environ["PYFAX_DB"]).expanduser()
    if os.environ.get("PYFAX_HOME"):
        return Path(os.environ["PYFAX_HOME"]).expanduser() / DB_NAME
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home).expanduser() / "pyfax" / DB_NAME


def ensure_db_path(path: Path | None = None) -> Path:
    """``path`` (or the default), with its directory created."""
    target = path if path is not None else default_db_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BillingError(f"cannot create {target.parent}: {exc.strerror}") from None
    return target
