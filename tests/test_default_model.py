"""The default model: first use trains and caches it, later uses load it, stale ones retrain."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from typer.testing import CliRunner

from headlines.cli import app
from headlines.persistence import read_card

FEED = Path(__file__).parent / "samples" / "pages" / "ages-before.txt"


def _predict(runner: CliRunner) -> tuple[str, list[dict[str, str]]]:
    result = runner.invoke(app, ["predict", str(FEED), "--format", "csv"])
    assert result.exit_code == 0, result.output
    return result.stderr, list(csv.DictReader(io.StringIO(result.stdout)))


def test_first_use_trains_second_use_loads(
    runner: CliRunner, default_data: Path, tmp_path: Path
) -> None:
    model = tmp_path / "models" / "default.headlines"
    stderr, rows = _predict(runner)
    assert stderr.startswith(
        f"training the default model from {default_data / 'train.csv'} (first use)"
    )
    assert model.is_file()
    assert len(rows) == 7
    assert {r["label"] for r in rows} <= set(read_card(model).labels)

    stamp = model.stat().st_mtime_ns
    stderr, again = _predict(runner)
    assert stderr == ""
    assert again == rows
    assert model.stat().st_mtime_ns == stamp


def test_changed_training_data_retrains(
    runner: CliRunner, default_data: Path, tmp_path: Path
) -> None:
    _predict(runner)
    with open(default_data / "train.csv", "a", encoding="utf-8") as fh:
        fh.write("Nieuwe tram rijdt voor het eerst door Den Haag,tech\n")
    stderr, _ = _predict(runner)
    assert "(changed training data or headlines)" in stderr
    card = read_card(tmp_path / "models" / "default.headlines")
    assert card.training_rows == 55
