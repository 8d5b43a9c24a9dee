"""The progress line: on stderr only when it is a terminal, never with --quiet."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from headlines import cli
from headlines.cli import app
from headlines.progress import Progress

SAMPLES = Path(__file__).parent / "samples"
PAGE = SAMPLES / "pages" / "ages-before.txt"
TRAINING = ["train", str(SAMPLES / "training" / "hand-written.csv"), "--cv", "2"]
TRAINING += ["--text-column", "title", "--label-column", "topic"]


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """stderr (only) is a terminal, and the line is redrawn at every report."""
    monkeypatch.setattr(cli, "_is_terminal", lambda stream: stream is sys.stderr)
    monkeypatch.setattr(cli, "_PROGRESS_EVERY", 0.0)


def _predict(runner: CliRunner, model: Path, *options: str) -> str:
    result = runner.invoke(app, ["predict", str(PAGE), "-m", str(model), "-f", "csv", *options])
    assert result.exit_code == 0, result.output
    return result.stderr


def test_no_progress_when_stderr_is_not_a_terminal(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path
) -> None:
    assert _predict(runner, fruit_model_file) == ""
    result = runner.invoke(app, [*TRAINING, "-m", str(tmp_path / "m.headlines")])
    assert result.exit_code == 0, result.output
    assert "\r" not in result.stderr  # only the warning about few rows per label


@pytest.mark.usefixtures("terminal")
def test_progress_on_a_terminal_is_one_line_wiped_at_the_end(
    runner: CliRunner, fruit_model_file: Path
) -> None:
    shown = _predict(runner, fruit_model_file)
    assert shown.startswith("\rlabelling  ")
    assert " rows" in shown
    assert "\n" not in shown
    assert shown.endswith(" " * len(shown.split("\r")[-2]) + "\r")


@pytest.mark.usefixtures("terminal")
def test_quiet_silences_progress(runner: CliRunner, fruit_model_file: Path) -> None:
    assert _predict(runner, fruit_model_file, "--quiet") == ""


@pytest.mark.usefixtures("terminal")
def test_no_progress_when_the_rows_go_to_the_same_terminal(
    runner: CliRunner, fruit_model_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_is_terminal", lambda stream: True)
    assert _predict(runner, fruit_model_file) == ""


@pytest.mark.usefixtures("terminal")
def test_training_shows_its_steps_unless_quiet(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, [*TRAINING, "-m", str(tmp_path / "m.headlines")])
    assert result.exit_code == 0, result.output
    for step in ("reading", "cross-validation fold 1 of 2", "counting features", "fitting"):
        assert f"\r{step}" in result.stderr
    quiet = runner.invoke(app, [*TRAINING, "-m", str(tmp_path / "q.headlines"), "--quiet"])
    assert quiet.exit_code == 0, quiet.output
    assert "\r" not in quiet.stderr


def test_rate_and_time_left() -> None:
    progress = Progress("labelling", rows=200_000, elapsed=2.0, fraction=0.25)
    assert progress.rate == 100_000
    assert progress.remaining == pytest.approx(6.0)
    assert Progress("fitting", 0, 1.0).remaining is None
    assert (
        cli._format_progress(progress) == "labelling  200,000 rows  100,000 rows/s  25%  0:06 left"
    )
