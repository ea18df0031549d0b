"""The README's runnable examples run, and print what they say they print.

The sections "Using the layers" and "Your own line" are meant to be pasted
as they are; the send example under "Sending a fax" names a file the reader
supplies, so it is left out.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
RUNNABLE = ("## Using the layers", "## Your own line")


def _blocks(section: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    start = text.index(section)
    end = text.find("\n## ", start + len(section))
    body = text[start:end if end >= 0 else None]
    return re.findall(r"```python\n(.*?)```", body, flags=re.DOTALL)


@pytest.mark.slow
@pytest.mark.parametrize("section", RUNNABLE)
def test_readme_example_runs(section: str, tmp_path: Path) -> None:
    [code] = _blocks(section)
    out = io.StringIO()
    cwd = Path.cwd()
    os.chdir(tmp_path)  # the examples write files (credit.db) where they run
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, f"README.md {section}", "exec"), {"__name__": "__readme__"})
    finally:
        os.chdir(cwd)
    printed = out.getvalue().split()
    if section == "## Using the layers":
        assert printed[:2] == ["True", "14400"]  # ok, V.17 14400
    else:
        assert printed == ["delivered", "0.10"]  # what the comment in the README says
