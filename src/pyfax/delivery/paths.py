"""Where the command line keeps its files when not told otherwise.

The ledger is the pyfax database that ``pyfax credit`` uses too
(:func:`pyfax.billing.default_db_path`: ``$PYFAX_DB``, else ``credit.db`` in
``$PYFAX_HOME`` or ``~/.pyfax``). The job store ``jobs.db`` sits
next to it, unless ``$PYFAX_JOBS`` names another file.
"""

from __future__ import annotations

import os
from pathlib import Path

from pyfax.billing import default_db_path

__all__ = ["default_ledger_path", "default_store_path"]


def default_ledger_path() -> Path:
    """The ledger file the CLI uses by default (shared with ``pyfax credit``)."""
    return default_db_path()


def default_store_path() -> Path:
    """The job store file the CLI uses by default."""
    env = os.environ.get("PYFAX_JOBS")
    return Path(env).expanduser() if env else default_db_path().parent / "jobs.db"
