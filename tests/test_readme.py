"""The README's Python examples run as written (on the tiny default model of the tests)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def python_blocks(text: str) -> list[str]:
    """The code of every fenced ```python block, in order."""
    return re.findall(r"^```python\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def test_the_readme_has_python_examples() -> None:
    blocks = python_blocks(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 2
    assert any("label_frame" in block for block in blocks)


def test_the_readme_python_examples_run(
    default_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pandas")
    work = tmp_path / "work"
    work.mkdir()
    (work / "data").symlink_to(ROOT / "data")  # the examples name files as a checkout has them
    monkeypatch.chdir(work)
    namespace: dict[str, object] = {"__name__": "__readme__"}
    for number, block in enumerate(python_blocks(README.read_text(encoding="utf-8")), start=1):
        exec(compile(block, f"README.md python block {number}", "exec"), namespace)
