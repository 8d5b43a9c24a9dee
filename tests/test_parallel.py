"""--jobs: labelling in worker processes gives the output of labelling in this one, in order."""

from __future__ import annotations

import csv
import io
import multiprocessing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from headlines import parallel
from headlines.cli import app
from headlines.errors import InputError
from headlines.output import write_chunks
from headlines.persistence import load_model
from headlines.predicting import Labelling, predict_chunks

SAMPLES = Path(__file__).parent / "samples"
FEEDS = sorted(str(p) for p in (SAMPLES / "feeds").iterdir() if p.suffix != ".expected")


def _headlines(n: int) -> list[str]:
    with open(SAMPLES / "training" / "hand-written.csv", encoding="utf-8", newline="") as fh:
        titles = [row["title"] for row in csv.DictReader(fh)]
    return [f"{titles[i % len(titles)]} {i}" for i in range(n)]


def _predict(model_file: Path, inputs: list[str], **options: object) -> str:
    out = io.StringIO()
    chunks = predict_chunks(inputs, model=load_model(model_file), **options)  # type: ignore[arg-type]
    write_chunks(chunks, out, "csv")
    return out.getvalue()


@pytest.mark.parametrize("jobs", [2, 3])
def test_workers_keep_the_order_of_many_small_chunks(
    fruit_model_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    # More workers than this machine may have cores: predict caps them at the cores there are.
    monkeypatch.setattr("headlines.predicting.available_cores", lambda: jobs)
    feed = tmp_path / "list.txt"
    feed.write_text("\n".join(_headlines(200)) + "\n", encoding="utf-8")
    inputs = [str(feed), *FEEDS, str(feed)]  # lists, RSS, Atom and JSON lines, some twice
    alone = _predict(fruit_model_file, inputs, chunk_size=7, jobs=1)
    assert _predict(fruit_model_file, inputs, chunk_size=7, jobs=jobs) == alone
    rows = list(csv.DictReader(io.StringIO(alone)))
    assert [r["headline"] for r in rows[:200]] == _headlines(200)
    assert [r["position"] for r in rows[:3]] == ["1", "2", "3"]


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_workers_give_the_same_alternatives_reasons_and_unknowns(
    fruit_model_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start_method: str
) -> None:
    if start_method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {start_method} here")
    monkeypatch.setattr(parallel, "START_METHOD", start_method)
    monkeypatch.setattr("headlines.predicting.available_cores", lambda: 2)  # on one core too
    feed = tmp_path / "list.txt"
    feed.write_text("\n".join(_headlines(60)) + "\n", encoding="utf-8")
    options = {"chunk_size": 9, "labelling": Labelling(top_k=1, explain=2, min_confidence=0.9)}
    alone = _predict(fruit_model_file, [str(feed)], jobs=1, **options)
    assert _predict(fruit_model_file, [str(feed)], jobs=2, **options) == alone
    assert "unknown" in alone and "label_2" in alone and "reasons" in alone


def test_jobs_on_the_command_line(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path
) -> None:
    feed = tmp_path / "list.txt"
    feed.write_text("\n".join(_headlines(25_000)) + "\n", encoding="utf-8")  # three chunks
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs-{jobs}.csv"
        result = runner.invoke(
            app, ["predict", str(feed), "-m", str(fruit_model_file), "--jobs", jobs, "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"\n") == 25_001


def test_jobs_must_be_one_or_more(runner: CliRunner, fruit_model_file: Path) -> None:
    page = SAMPLES / "pages" / "ages-before.txt"
    result = runner.invoke(app, ["predict", str(page), "-m", str(fruit_model_file), "--jobs", "0"])
    assert result.exit_code == 2
    assert result.stderr == "error: --jobs 0: use 1 or more\n"


@pytest.mark.parametrize(
    ("option", "error"),
    [
        ({"jobs": 0}, "jobs 0: use 1 or more"),
        ({"labelling": Labelling(top_k=-1)}, "top_k -1: use 0 or more"),
        (
            {"labelling": Labelling(min_confidence=1.5)},
            "min_confidence 1.5: use a probability from 0 to 1, or auto",
        ),
        ({"labelling": Labelling(explain=-1)}, "explain -1: use 0 or more"),
        (
            {"labelling": Labelling(exclude=["fruits"])},
            "unknown label 'fruits' in exclude (did you mean fruit?); the model's labels are "
            "fruit, vehicle",
        ),
    ],
)
def test_bad_options_are_an_error_at_the_call_before_reading(
    fruit_model_file: Path, option: dict[str, object], error: str
) -> None:
    model = load_model(fruit_model_file)
    # The input does not exist: an error about the option shows nothing was read.
    with pytest.raises(InputError) as raised:
        predict_chunks(["no-such-feed.txt"], model=model, **option)  # type: ignore[arg-type]
    assert str(raised.value) == error
