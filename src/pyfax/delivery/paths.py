"""Where the command line keeps its files when not told otherwise.

Everything lives in ``$PYFAX_HOME`` (default ``~/.pyfax``): the ledger
``credit.db`` (shared with ``pyfax credit``), the job store ``jobs.db`` and
received faxes under ``received/``.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["default_ledger_path", "default_store_path", "pyfax_home"]


def pyfax_home() -> Path:
    """``$PYFAX_HOME``, or ``~/.pyfax``."""
    env = os.environ.get("PYFAX_HOME")
    return Path(env) if env else Path.home() / ".pyfax"


def default_ledger_path() -> Path:
    """The ledger file the CLI uses by default."""
    return pyfax_home() / "credit.db"


def default_store_path() -> Path:
    """The job store file the CLI uses by default."""
    return pyfax_home() / "jobs.db"
