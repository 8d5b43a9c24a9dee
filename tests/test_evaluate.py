"""`headlines evaluate`: its figures agree with what predict labels and with what training
recorded, and a missing plotting extra is one line."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from conftest import SAMPLES, TINY_TRAIN
from typer.testing import CliRunner

from headlines.cli import app
from headlines.dataset import Columns
from headlines.evaluation import evaluate_files
from headlines.persistence import load_model
from headlines.training import train


def _labelled(tmp_path: Path) -> Path:
    """The fruit sample with its rows in another order and one row relabelled wrongly, so
    that a perfect score would show the file was not read."""
    with open(SAMPLES / "training" / "hand-written.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows.reverse()
    rows[0]["topic"] = "vehicle" if rows[0]["topic"] == "fruit" else "fruit"
    path = tmp_path / "scored.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, ["title", "topic"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_evaluate_scores_what_predict_labels(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path
) -> None:
    scored = _labelled(tmp_path)
    common = ["-m", str(fruit_model_file), "--text-column", "title", "--priors", "train"]
    result = runner.invoke(
        app, ["evaluate", str(scored), *common, "--label-column", "topic", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    predicted = runner.invoke(app, ["predict", str(scored), *common, "--format", "csv"])
    assert predicted.exit_code == 0, predicted.output
    labels = [row["label"] for row in csv.DictReader(io.StringIO(predicted.output))]
    with open(scored, encoding="utf-8", newline="") as fh:
        truth = [row["topic"] for row in csv.DictReader(fh)]
    assert report["rows"] == len(truth) == len(labels)
    right = sum(p == t for p, t in zip(labels, truth, strict=True))
    assert report["accuracy"] == round(right / len(truth), 4)
    assert report["accuracy"] < 1.0  # the row relabelled wrongly is scored wrong
    assert sum(map(sum, report["confusion"]["matrix"])) == len(truth)


def test_the_score_training_records_is_the_score_evaluate_gives(tmp_path: Path) -> None:
    holdout = tmp_path / "holdout.csv"
    # A repeated row and an encoding given: both are read by training as evaluate reads them.
    text = TINY_TRAIN.read_text(encoding="utf-8")
    rows = text.splitlines()
    holdout.write_text("\n".join([*rows[:12], rows[5], rows[7]]) + "\n", encoding="latin-1")
    model_path = tmp_path / "m.headlines"
    result = train([TINY_TRAIN], model_path, cv=0, evaluate_on=holdout, encoding="latin-1")
    evaluation = result.card.evaluation
    assert evaluation is not None
    # As `headlines evaluate holdout.csv --encoding latin-1` scores it (priors feed).
    report = evaluate_files([holdout], load_model(model_path), Columns(), encoding="latin-1")
    assert evaluation["rows"] == report["rows"] == 13
    assert (evaluation["accuracy"], evaluation["macro_f1"]) == (
        report["accuracy"],
        report["macro_f1"],
    )


def test_plot_without_matplotlib_is_one_line(fruit_model_file: Path, tmp_path: Path) -> None:
    block = "import sys; sys.modules['matplotlib'] = None; from headlines.cli import main; main()"
    argv = [sys.executable, "-c", block, "evaluate", str(_labelled(tmp_path)),
            "-m", str(fruit_model_file), "--text-column", "title", "--label-column", "topic",
            "--plot", str(tmp_path / "confusion.png")]  # fmt: skip
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stderr) == (
        1,
        "error: a confusion-matrix plot needs matplotlib; pip install 'headlines[plot]'\n",
    )
    assert not (tmp_path / "confusion.png").exists()


def test_a_label_the_model_lacks_is_named_once_and_counts_as_wrong(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data.csv"
    data.write_text(
        "headline,label\nAppels en peren,fruit\nBus naar huis,vehicle\nPeer,frut\nKiwi,frut\n"
        "Trein,trains\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["evaluate", str(data), "--model", str(fruit_model_file)])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "warning: the model has no label 'frut' (2 rows), 'trains' (1 row); those rows count "
        "as wrong (a typo, or data labelled in other topics?)\n"
    )
    assert "accuracy 0.4000" in result.stdout
