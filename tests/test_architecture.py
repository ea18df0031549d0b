"""ARCHITECTURE.md's import rules, checked on the source tree.

Each subpackage may import only the pyfax packages its row in ARCHITECTURE.md
names; the T.30 core needs neither modems nor audio (only the driver modules
import :mod:`pyfax.modem`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "pyfax"

ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "t4": {"errors"},
    "modem": {"errors"},
    "t30": {"errors", "t4", "modem"},
    "compose": {"errors", "t4"},
    "addressing": {"errors"},
    "contacts": {"errors", "addressing"},
    "billing": {"errors"},
    "lines": {"errors", "t30", "modem", "t4"},
    "delivery": {"errors", "t4", "modem", "t30", "compose", "addressing", "contacts",
                 "billing", "lines"},
    "cli": {"errors", "t4", "modem", "t30", "compose", "addressing", "contacts", "billing",
            "lines", "delivery", "cli"},
}
T30_DRIVER = {"terminal.py", "_audio_rx.py", "_audio_tx.py"}


def _package_of(path: Path) -> str:
    rel = path.relative_to(SRC).parts
    return rel[0][:-3] if len(rel) == 1 else rel[0]


def _imported_packages(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "pyfax":  # `from pyfax import t4` names a package; `__version__` not
                names = [f"pyfax.{alias.name}" for alias in node.names
                         if (SRC / alias.name).is_dir() or (SRC / f"{alias.name}.py").exists()]
            else:
                names = [node.module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "pyfax" and len(parts) > 1:
                yield parts[1]


SOURCES = sorted(p for p in SRC.rglob("*.py") if _package_of(p) != "__init__")


def test_every_package_has_a_rule() -> None:
    packages = {_package_of(p) for p in SOURCES} - {"__main__"}
    assert packages <= set(ALLOWED), packages - set(ALLOWED)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_point_downward(path: Path) -> None:
    own = _package_of(path)
    bad = {pkg for pkg in _imported_packages(path) if pkg != own} - ALLOWED[own]
    assert not bad, f"{path.relative_to(SRC)} imports {sorted(bad)}, not allowed for {own}"


@pytest.mark.parametrize("path", sorted((SRC / "t30").glob("*.py")), ids=lambda p: p.name)
def test_t30_core_needs_no_modem(path: Path) -> None:
    if path.name in T30_DRIVER:
        return
    assert "modem" not in set(_imported_packages(path)), f"t30/{path.name} imports pyfax.modem"
