"""A standard stream the caller closed (``2>&-``, ``>&-``, ``<&-``) changes nothing but what
can be said: rows still come, the exit code still tells, and no file takes the stream's place."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def _run(closed: str, *argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``headlines ARGV`` with one standard stream closed by the shell, as a user would."""
    return subprocess.run(
        ["sh", "-c", f'exec "$@" {closed}', "sh", sys.executable, "-m", "headlines", *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    path = tmp_path / "feed.txt"
    path.write_text("Peren in de aanbieding\n", encoding="utf-8")
    return path


def test_with_stderr_closed_predict_still_writes_its_rows(
    fruit_model_file: Path, feed: Path
) -> None:
    done = _run("2>&-", "predict", str(feed), "-m", str(fruit_model_file), cwd=feed.parent)
    assert done.returncode == 0
    assert done.stdout.splitlines()[1].startswith(f"{feed},1,Peren in de aanbieding,,")


def test_with_stderr_closed_an_error_still_exits_2(fruit_model_file: Path, feed: Path) -> None:
    done = _run("2>&-", "predict", "missing.txt", "-m", str(fruit_model_file), cwd=feed.parent)
    assert (done.returncode, done.stdout) == (2, "")


def test_with_stdout_closed_rows_are_an_error_that_says_so(
    fruit_model_file: Path, feed: Path
) -> None:
    done = _run(">&-", "predict", str(feed), "-m", str(fruit_model_file), cwd=feed.parent)
    assert (done.returncode, done.stderr) == (
        2,
        "error: stdout is closed; pass -o FILE, or leave stdout open\n",
    )


def test_with_stdin_closed_reading_stdin_reads_nothing(fruit_model_file: Path, feed: Path) -> None:
    done = _run("<&-", "predict", "-", "-m", str(fruit_model_file), cwd=feed.parent)
    assert (done.returncode, done.stderr) == (
        2,
        "error: <stdin>: is empty; pass a feed with at least one headline\n",
    )


def test_with_all_closed_predict_writes_its_file(fruit_model_file: Path, feed: Path) -> None:
    out = feed.parent / "out.csv"
    argv = ["predict", str(feed), "-m", str(fruit_model_file), "-o", str(out)]
    done = _run(">&- 2>&- <&-", *argv, cwd=feed.parent)
    assert done.returncode == 0
    assert out.read_text(encoding="utf-8").splitlines()[1].startswith(f"{feed},1,Peren")
