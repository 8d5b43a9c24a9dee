"""The everyday workflow through the command line: a folder of pages, --dedupe, filters."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from headlines.cli import app

SAMPLES = Path(__file__).parent / "samples"
FOLDER = SAMPLES / "page-folder"
TINY_TRAIN = SAMPLES / "training" / "tiny-news.csv"
SPAM = {
    "Nieuwe memecoin $PLONS stijgt 900% in een dag: beleggers in de rij",
    "Analist: deze nieuwe altcoin kan 100x stijgen voor de zomer",
}


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    model = tmp_path_factory.mktemp("model") / "tiny.joblib"
    result = CliRunner().invoke(app, ["train", str(TINY_TRAIN), "--model", str(model), "--cv", "0"])
    assert result.exit_code == 0, result.output
    return model


def _rows(runner: CliRunner, *args: str) -> list[dict[str, str]]:
    result = runner.invoke(app, [*args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def _page(day: int) -> str:
    return str(FOLDER / f"2025-06-0{day}.txt")


def test_parse_dedupe_keeps_each_headline_once_with_seen_and_seen_in(runner: CliRunner) -> None:
    rows = _rows(runner, "parse", str(FOLDER), "--dedupe")
    assert list(rows[0]) == ["source", "position", "headline", "age_minutes", "seen", "seen_in"]
    assert [(r["source"], r["position"], r["seen"], r["seen_in"]) for r in rows] == [
        (_page(2), "1", "2", f"{_page(2)}; {_page(3)}"),
        (_page(2), "2", "2", f"{_page(2)}; {_page(3)}"),
        (_page(2), "3", "3", f"{_page(2)}; {_page(3)}; {_page(4)}"),
        (_page(2), "4", "2", f"{_page(2)}; {_page(4)}"),
        (_page(2), "5", "1", _page(2)),
        (_page(2), "6", "1", _page(2)),
        (_page(3), "2", "2", f"{_page(3)}; {_page(4)}"),
        (_page(3), "4", "1", _page(3)),
        (_page(4), "1", "1", _page(4)),
        (_page(4), "2", "1", _page(4)),
    ]


def test_parse_dedupe_jsonl_gives_seen_in_as_a_list(runner: CliRunner) -> None:
    result = runner.invoke(app, ["parse", _page(3), _page(4), "--dedupe", "-f", "jsonl"])
    first = json.loads(result.stdout.splitlines()[0])
    assert first["headline"] == "KNMI waarschuwt voor gladheid in het noorden"
    assert (first["seen"], first["seen_in"]) == (1, [_page(3)])


def test_predict_dedupe_labels_each_distinct_headline_once(
    runner: CliRunner, tiny_model: Path
) -> None:
    everything = _rows(runner, "predict", str(FOLDER), "-m", str(tiny_model))
    deduped = _rows(runner, "predict", str(FOLDER), "-m", str(tiny_model), "--dedupe")
    assert len(everything) == 16
    assert [r["headline"] for r in deduped] == [
        r["headline"] for r in _rows(runner, "parse", str(FOLDER), "--dedupe")
    ]
    assert list(deduped[0])[4:] == ["label", "confidence", "seen", "seen_in"]
    assert {r["headline"] for r in deduped if r["label"] == "crypto-spam"} == SPAM
