"""Limits where a mistake would cost gigabytes or a thousand processes: each is a one-line
error or warning, said before anything is allocated."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from headlines import training
from headlines.cli import app
from headlines.errors import OptionWarning
from headlines.persistence import load_model
from headlines.predicting import label_chunks
from headlines.records import HeadlineChunk
from headlines.workers import available_cores


def _numbered(tmp_path: Path, labels: int) -> Path:
    """A CSV whose label column was meant to be the topic but holds a number per row."""
    data = tmp_path / "data.csv"
    rows = "".join(f"Peren in de aanbieding {i},{i}\n" for i in range(labels))
    data.write_text("headline,label\n" + rows, encoding="utf-8")
    return data


def test_more_labels_than_a_model_can_have_names_label_column(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = _numbered(tmp_path, training.MAX_LABELS + 1)
    model = tmp_path / "m.headlines"
    result = runner.invoke(app, ["train", str(data), "--model", str(model)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {data}: 201 labels in column 'label', more than the 200 a model can have; "
        "pass --label-column with the column of topics, not of headlines or ids\n",
    )
    assert not model.exists()


def test_a_fit_larger_than_the_free_memory_is_refused_before_it_starts(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _numbered(tmp_path, 40)
    monkeypatch.setattr(training, "available_memory", lambda: 300 * 10**6)
    model = tmp_path / "m.headlines"
    result = runner.invoke(app, ["train", str(data), "--model", str(model), "--cv", "0"])
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {data}: fitting 40 labels with sgd needs about 0.5 GB of memory, and 0.3 GB "
        "is free; check --label-column names the column of topics, or train on fewer labels "
        "or another machine\n",
    )
    assert not model.exists()


def test_the_estimate_follows_labels_features_and_classifier() -> None:
    assert training.fit_memory("sgd", 9, 2**19) == 9 * 2**19 * 26
    assert training.fit_memory("nb", 9, 2**19) > training.fit_memory("sgd", 9, 2**19)
    assert training.available_memory() is None or training.available_memory() > 0


@pytest.mark.parametrize("jobs", ["1000", "100000000000000000000"])
def test_more_jobs_than_cores_are_capped_with_a_warning(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path, jobs: str
) -> None:
    feed = tmp_path / "feed.txt"
    feed.write_text("".join(f"Peren {i}\n" for i in range(25_000)), encoding="utf-8")
    argv = ["predict", str(feed), "-m", str(fruit_model_file), "-f", "csv", "--jobs", jobs]
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.output
    cores = available_cores()
    assert result.stderr == (
        f"warning: --jobs {int(jobs):,} is more than the {cores} cores here; using {cores}\n"
    )
    assert len(result.stdout.splitlines()) == 25_001


def test_the_library_caps_jobs_with_an_option_warning(fruit_model_file: Path) -> None:
    chunks = [HeadlineChunk(["Peren", "Bus"], "a.txt", 1)]
    with pytest.warns(OptionWarning, match=r"^jobs 1,000 is more than the \d+ cores here"):
        labelled = list(label_chunks(load_model(fruit_model_file), chunks, jobs=1000))
    assert labelled[0].labels[0] in ("fruit", "vehicle")
