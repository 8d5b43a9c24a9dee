"""The README's runnable examples run as written, in the order they come (on the tiny default
model of the tests): its ```python blocks, and its ```sh blocks of headlines commands."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from headlines.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def blocks(text: str) -> list[tuple[str, str]]:
    """``(language, code)`` of every fenced ```python and ```sh block, in order."""
    return re.findall(r"^```(python|sh)\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def run_shell(code: str, runner: CliRunner) -> None:
    """Run a ```sh block: ``mkdir`` and ``headlines`` lines only, so that each is sure to
    be a command a reader can type as it is."""
    for line in code.splitlines():
        words = shlex.split(line)
        if words[0] == "mkdir":
            Path(words[1]).mkdir()
            continue
        assert words[0] == "headlines", f"README: not a headlines command: {line}"
        result = runner.invoke(app, words[1:])
        assert result.exit_code == 0, f"README: {line}\n{result.output}"


def test_the_readme_has_runnable_examples() -> None:
    found = blocks(README.read_text(encoding="utf-8"))
    assert [language for language, _ in found].count("python") >= 3
    assert any("--dask local" in code for language, code in found if language == "sh")
    assert any("label_dask" in code for _, code in found)


@pytest.mark.timeout(240)
# dask.dataframe.read_parquet (dask 2026.8) calls what pandas 3.1 deprecates; not our code.
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.*is deprecated")
def test_the_readme_examples_run(
    runner: CliRunner, default_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for extra in ("pandas", "pyarrow", "dask.dataframe", "distributed"):
        pytest.importorskip(extra)
    work = tmp_path / "work"
    work.mkdir()
    # The examples name files as a checkout has them.
    (work / "data").symlink_to(ROOT / "data")
    (work / "tests").symlink_to(ROOT / "tests")
    monkeypatch.chdir(work)
    namespace: dict[str, object] = {"__name__": "__readme__"}
    for number, (language, code) in enumerate(blocks(README.read_text(encoding="utf-8")), 1):
        if language == "sh":
            run_shell(code, runner)
        else:
            exec(compile(code, f"README.md block {number}", "exec"), namespace)
    assert sorted(p.name for p in (work / "labelled").iterdir()) == [
        f"part-0000{i}.parquet" for i in range(3)
    ]
