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
    model = tmp_path_factory.mktemp("model") / "tiny.headlines"
    # A pinned classifier: with six rows a label, which one decides the borderline rows.
    result = CliRunner().invoke(
        app, ["train", str(TINY_TRAIN), "--model", str(model), "--cv", "0", "--classifier", "svm"]
    )
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
    assert list(rows[0]) == [
        *("source", "position", "headline", "age_minutes", "seen", "seen_in"),
        *("block", "link", "sponsored", "published"),
    ]
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
    assert list(deduped[0])[4:] == [
        *("label", "confidence", "seen", "seen_in"),
        *("block", "link", "sponsored", "published"),
    ]
    assert {r["headline"] for r in deduped if r["label"] == "crypto-spam"} == SPAM


def test_folder_dedupe_exclude_spam_prints_every_distinct_clean_headline_once(
    runner: CliRunner, tiny_model: Path
) -> None:
    """The issue's 'done when': one row per distinct non-spam headline, with its topic."""
    result = runner.invoke(
        app,
        ["predict", str(FOLDER), "--dedupe", "--exclude", "crypto-spam", "--format", "csv",
         "-m", str(tiny_model)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    distinct = [r["headline"] for r in _rows(runner, "parse", str(FOLDER), "--dedupe")]
    assert [r["headline"] for r in rows] == [h for h in distinct if h not in SPAM]
    assert all(r["label"] and r["label"] != "crypto-spam" for r in rows)


def test_only_keeps_the_named_labels_in_input_order(runner: CliRunner, tiny_model: Path) -> None:
    everything = _rows(runner, "predict", str(FOLDER), "-m", str(tiny_model))
    only = _rows(runner, "predict", str(FOLDER), "-m", str(tiny_model), "--only", "crime,tech")
    assert only == [r for r in everything if r["label"] in ("crime", "tech")]
    repeated = _rows(
        runner, "predict", str(FOLDER), "-m", str(tiny_model), "--only", "crime", "--only", "tech"
    )
    assert repeated == only


def test_exclude_leaves_out_the_named_labels(runner: CliRunner, tiny_model: Path) -> None:
    everything = _rows(runner, "predict", str(FOLDER), "-m", str(tiny_model))
    kept = _rows(runner, "predict", str(FOLDER), "-m", str(tiny_model), "--exclude", "crypto-spam")
    assert kept == [r for r in everything if r["label"] != "crypto-spam"]
    assert len(everything) - len(kept) == 4  # $PLONS on all three pages, the altcoin on one


@pytest.mark.parametrize("option", ["--only", "--exclude"])
def test_unknown_label_is_one_line_naming_the_models_labels(
    runner: CliRunner, tiny_model: Path, option: str
) -> None:
    result = runner.invoke(app, ["predict", str(FOLDER), "-m", str(tiny_model), option, "crypto"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        f"error: unknown label 'crypto' in {option} (did you mean crypto-spam?); the model's "
        "labels are business, crime, crypto-spam, entertainment, lifestyle, politics, sport, "
        "tech, weather"
    )


def test_label_option_without_labels_is_an_error(runner: CliRunner, tiny_model: Path) -> None:
    result = runner.invoke(app, ["predict", str(FOLDER), "-m", str(tiny_model), "--only", " , "])
    assert result.exit_code == 2
    assert (
        result.stderr == "error: --only names no label; pass labels such as --only sport,politics\n"
    )


def test_group_csv_orders_by_topic_with_a_count_per_topic(
    runner: CliRunner, tiny_model: Path
) -> None:
    everything = _rows(runner, "predict", str(FOLDER), "-m", str(tiny_model))
    grouped = _rows(runner, "predict", str(FOLDER), "-m", str(tiny_model), "--group")
    assert list(grouped[0])[4:] == [
        *("label", "confidence", "label_count"),
        *("block", "link", "sponsored", "published"),
    ]
    labels = [r["label"] for r in grouped]
    order = list(dict.fromkeys(labels))
    assert labels == sorted(labels, key=order.index)  # each topic in one run
    counts = [(label, labels.count(label)) for label in order]
    assert counts == sorted(counts, key=lambda c: (-c[1], c[0]))  # biggest topic first
    assert all(int(r["label_count"]) == labels.count(r["label"]) for r in grouped)
    for label in order:  # within a topic, input order
        assert [r["headline"] for r in grouped if r["label"] == label] == [
            r["headline"] for r in everything if r["label"] == label
        ]


def test_group_table_has_a_heading_per_topic_with_its_count(
    runner: CliRunner, tiny_model: Path
) -> None:
    args = [
        "predict",
        str(FOLDER),
        "-m",
        str(tiny_model),
        "--dedupe",
        "--only",
        "crime,crypto-spam",
    ]
    conf = {r["headline"]: float(r["confidence"]) for r in _rows(runner, *args)}
    result = runner.invoke(app, [*args, "--group", "--format", "table"])
    assert result.exit_code == 0, result.output
    width = len(_page(2))
    plons, altcoin = sorted(SPAM, reverse=True)
    police = "Politie houdt twee verdachten aan na inbraak bij juwelier"
    assert result.stdout.splitlines() == [
        "crypto-spam (2)",
        f"{'source':<{width}}     #    age  conf  seen  headline",
        f"{_page(2)}     3     3h  {conf[plons]:.2f}     3  {plons}",
        f"{_page(4)}     1    10m  {conf[altcoin]:.2f}     1  {altcoin}",
        "",
        "crime (1)",
        f"{'source':<{width}}     #    age  conf  seen  headline",
        f"{_page(3)}     2     1h  {conf[police]:.2f}     2  {police}",
    ]


def test_group_with_output_file_writes_jsonl_and_nothing_to_stdout(
    runner: CliRunner, tiny_model: Path, tmp_path: Path
) -> None:
    out = tmp_path / "grouped.jsonl"
    result = runner.invoke(
        app, ["predict", str(FOLDER), "-m", str(tiny_model), "--group", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 16
    assert {r["label_count"] for r in rows if r["label"] == "crypto-spam"} == {4}
