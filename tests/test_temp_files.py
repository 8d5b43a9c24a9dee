"""A stopped run leaves no temporary file, a killed run's leftovers go at the next write, and a
replaced file keeps its permissions."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import hears_ctrl_c, watchdog
from typer.testing import CliRunner

from headlines.cli import app

STOPS = [
    (signal.SIGTERM, 143, "error: stopped by SIGTERM\n"),
    (signal.SIGHUP, 129, "error: stopped by SIGHUP\n"),
    (signal.SIGINT, 130, "error: interrupted\n"),
]


@pytest.mark.parametrize(("signum", "code", "said"), STOPS, ids=[s[0].name for s in STOPS])
def test_a_stopped_run_removes_its_temporary_file(
    fruit_model_file: Path, tmp_path: Path, signum: int, code: int, said: str
) -> None:
    """predict writes the first rows to a temporary file, then waits for the rest of stdin;
    the signal comes then, as a timeout or a CI cancel sends it."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "labels.csv").write_text("the last run's output\n", encoding="utf-8")
    argv = ["predict", "-m", str(fruit_model_file), "-o", str(out / "labels.csv")]
    argv += ["--input-format", "list", "--quiet"]
    with subprocess.Popen(
        [sys.executable, "-m", "headlines", *argv],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=hears_ctrl_c,
    ) as run:
        try:
            assert run.stdin is not None
            # More than the first chunk, which predict reads before it opens the output.
            run.stdin.write("Peren in de aanbieding\n" * 150_000)
            run.stdin.flush()
            with watchdog(60, "waiting for predict to start writing"):
                while len(os.listdir(out)) < 2:
                    time.sleep(0.05)
            run.send_signal(signum)
            _, stderr = run.communicate(timeout=60)
        finally:
            if run.poll() is None:
                run.kill()
    assert (run.returncode, stderr) == (code, said)
    assert os.listdir(out) == ["labels.csv"]
    assert (out / "labels.csv").read_text(encoding="utf-8") == "the last run's output\n"


@pytest.fixture
def predict_to(runner: CliRunner, fruit_model_file: Path, tmp_path: Path) -> Callable[[Path], None]:
    """Runs predict on a one-line feed with ``-o`` the path given, and checks it succeeds."""
    feed = tmp_path / "feed.txt"
    feed.write_text("Peren in de aanbieding\n", encoding="utf-8")

    def run(out: Path) -> None:
        argv = ["predict", str(feed), "-m", str(fruit_model_file), "-o", str(out)]
        result = runner.invoke(app, argv)
        assert result.exit_code == 0, result.output
        assert out.read_text(encoding="utf-8").startswith("source,")

    return run


def test_a_killed_runs_temporary_files_are_swept_and_a_live_ones_kept(
    predict_to: Callable[[Path], None], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    killed = out / ".labels.csv.k1ll3d00.tmp"  # what a SIGKILL leaves
    killed.write_text("half a CSV", encoding="utf-8")
    live = out / ".labels.csv.l1ve0000.tmp"  # another run's, still being written
    live.write_text("half a CSV", encoding="utf-8")
    other = out / ".labels.csv.backup.tmp"  # not a name headlines makes
    other.write_text("keep me", encoding="utf-8")
    with live.open("rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        predict_to(out / "labels.csv")
    assert sorted(os.listdir(out)) == [
        ".labels.csv.backup.tmp",
        ".labels.csv.l1ve0000.tmp",
        "labels.csv",
    ]


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
def test_a_replaced_output_keeps_its_permissions(
    predict_to: Callable[[Path], None], tmp_path: Path, mode: int
) -> None:
    out = tmp_path / "labels.csv"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(mode)
    predict_to(out)
    assert out.stat().st_mode & 0o777 == mode


def test_a_new_output_gets_the_umask_permissions(
    predict_to: Callable[[Path], None], tmp_path: Path
) -> None:
    out = tmp_path / "labels.csv"
    old = os.umask(0o027)
    try:
        predict_to(out)
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o640
