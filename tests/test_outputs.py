"""An output never replaces an input, however the input was reached: by a folder, a pattern,
a link, --model, or stdin. The run stops before any work with one line, and every file stays
as it was."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TINY_TRAIN, snapshot
from typer.testing import CliRunner

from headlines.cli import app


@pytest.fixture
def work(tmp_path: Path, fruit_model_file: Path) -> Path:
    """pages/ with two feeds, a model, a training CSV, a hard link and a folder link."""
    pages = tmp_path / "pages"
    (pages / "old").mkdir(parents=True)
    (pages / "a.txt").write_text("Peren\nBussen\n", encoding="utf-8")
    (pages / "old" / "b.txt").write_text("Appels\n", encoding="utf-8")
    os.link(pages / "a.txt", tmp_path / "hard.txt")
    (tmp_path / "link").symlink_to(pages)
    shutil.copy(fruit_model_file, tmp_path / "m.headlines")
    shutil.copy(TINY_TRAIN, tmp_path / "train.csv")
    return tmp_path


# (arguments, the output as the error names it, how the input was named); {w} is the folder.
CASES = [
    ("predict {w}/pages -o {w}/pages/a.txt", "{w}/pages/a.txt", ""),
    ("predict {w}/pages -o {w}/pages/old/b.txt", "{w}/pages/old/b.txt", ""),
    ("predict {w}/link -o {w}/pages/a.txt", "{w}/pages/a.txt", " (as {w}/link/a.txt)"),
    ("predict '{w}/pages/**/*.txt' -o {w}/pages/old/b.txt", "{w}/pages/old/b.txt", ""),
    ("predict {w}/pages/a.txt -o {w}/hard.txt", "{w}/hard.txt", " (as {w}/pages/a.txt)"),
    ("predict {w}/pages/a.txt -o {w}/m.headlines", "{w}/m.headlines", ""),
    (
        "predict {w}/pages/a.txt -o {w}/pages/../m.headlines",
        "{w}/pages/../m.headlines",
        " (as {w}/m.headlines)",
    ),
    ("parse {w}/pages -o {w}/link/old/b.txt", "{w}/link/old/b.txt", " (as {w}/pages/old/b.txt)"),
    (
        "train {w}/train.csv --model {w}/new.joblib --rejects {w}/new.joblib",
        "{w}/new.joblib",
        "",
    ),
    ("evaluate {w}/train.csv --plot {w}/train.csv", "{w}/train.csv", ""),
    ("evaluate {w}/train.csv --plot {w}/m.headlines", "{w}/m.headlines", ""),
]


@pytest.mark.parametrize(("args", "output", "how"), CASES, ids=[c[0] for c in CASES])
def test_an_output_that_is_also_an_input_is_refused(
    runner: CliRunner, work: Path, args: str, output: str, how: str
) -> None:
    before = snapshot(work)
    argv = [arg.format(w=work) for arg in shlex.split(args)]
    if argv[0] in ("predict", "evaluate") and "-m" not in argv:
        argv += ["-m", str(work / "m.headlines")]
    result = runner.invoke(app, argv)
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {output.format(w=work)}: is also an input{how.format(w=work)}, and would be "
        "overwritten; pass another path\n",
    )
    assert snapshot(work) == before


def test_a_rerun_does_not_read_its_own_last_output(runner: CliRunner, work: Path) -> None:
    """The first run writes into the folder it reads; the second would read that output."""
    argv = ["predict", str(work / "pages"), "-m", str(work / "m.headlines")]
    out = work / "pages" / "labels.csv"
    first = runner.invoke(app, [*argv, "-o", str(out)])
    assert first.exit_code == 0, first.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4  # header and three rows
    written = out.read_bytes()
    again = runner.invoke(app, [*argv, "-o", str(out)])
    assert again.exit_code == 2
    assert "is also an input" in again.stderr
    assert out.read_bytes() == written


def test_an_output_that_is_the_file_on_stdin_is_refused(work: Path) -> None:
    feed = work / "pages" / "a.txt"
    before = feed.read_bytes()
    with feed.open("rb") as stdin:
        done = subprocess.run(
            [sys.executable, "-m", "headlines", "predict", "-m", "m.headlines", "-o", str(feed)],
            stdin=stdin,
            capture_output=True,
            text=True,
            cwd=work,
            check=False,
        )
    assert (done.returncode, done.stderr) == (
        2,
        f"error: {feed}: is also an input (as stdin), and would be overwritten; "
        "pass another path\n",
    )
    assert feed.read_bytes() == before
