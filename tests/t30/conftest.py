"""Make the T.30 test helpers (t30_pair, t30_audio) importable by the tests here."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
