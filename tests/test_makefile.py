"""The README's `make demo > page.csv` gives a CSV file: setting up and the demo write nothing
to stdout but the tool's own output (make echoes each command it runs unless told not to).

make runs with stand-ins for Python and the installed command, so no .venv is built."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _stand_in(path: Path, body: str) -> None:
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def test_make_demo_writes_only_the_labelled_rows_to_stdout(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # The stand-in Python "creates" the venv and "installs" quietly; the stand-in command
    # prints what predict would, to stdout, and a note to stderr.
    _stand_in(tmp_path / "python", "exit 0")
    _stand_in(bin_dir / "python", "echo pip is working >&2")
    _stand_in(bin_dir / "headlines", 'echo "source,position,headline,label"; echo note >&2')
    stamp = tmp_path / "installed"
    variables = [f"PYTHON={tmp_path / 'python'}", f"VENV={tmp_path}", f"BIN={bin_dir}"]
    result = subprocess.run(
        ["make", "--no-print-directory", "demo", *variables, f"STAMP={stamp}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "MAKEFLAGS": ""},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert stamp.exists()  # the set-up ran first
    assert result.stdout == "source,position,headline,label\n"
    assert "setting up" in result.stderr and "note" in result.stderr
