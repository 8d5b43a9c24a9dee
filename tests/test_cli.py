"""train and predict end to end through the command line, as a user runs them."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
import sklearn
from typer.testing import CliRunner

from headlines.cli import app

SAMPLES = Path(__file__).parent / "samples"
HAND_WRITTEN = SAMPLES / "training" / "hand-written.csv"
PAGE = SAMPLES / "pages" / "ages-before.txt"


@pytest.fixture
def fruit_model(runner: CliRunner, tmp_path: Path) -> Path:
    model = tmp_path / "fruit.headlines"
    result = runner.invoke(
        app,
        [
            "train",
            str(HAND_WRITTEN),
            "--model",
            str(model),
            "--text-column",
            "title",
            "--label-column",
            "topic",
            "--cv",
            "3",
        ],
    )
    assert result.exit_code == 0, result.output
    return model


def test_train_writes_model_and_card(fruit_model: Path) -> None:
    assert fruit_model.is_file()
    card = json.loads(fruit_model.with_name("fruit.card.json").read_text(encoding="utf-8"))
    assert card["format_version"] == 2
    assert card["labels"] == {"fruit": 12, "vehicle": 12}
    assert card["training_rows"] == 24
    assert card["training_files"] == [
        {
            "path": str(HAND_WRITTEN),
            "sha256": hashlib.sha256(HAND_WRITTEN.read_bytes()).hexdigest(),
            "rows": 24,
        }
    ]
    assert card["versions"]["scikit-learn"] == sklearn.__version__
    assert card["created"][:2] == "20"
    cv = card["cross_validation"]
    assert cv["folds"] == 3
    assert 0.0 <= cv["accuracy"] <= 1.0 and 0.0 <= cv["macro_f1"] <= 1.0


def test_predict_with_own_model_prints_own_labels(
    runner: CliRunner, fruit_model: Path, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.txt"
    feed.write_text("Cherry growers expect a record harvest\nNew electric bus for the city\n")
    result = runner.invoke(
        app, ["predict", str(feed), "--model", str(fruit_model), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["headline"] for r in rows] == [
        "Cherry growers expect a record harvest",
        "New electric bus for the city",
    ]
    assert {r["label"] for r in rows} <= {"fruit", "vehicle"}
    assert [r["label"] for r in rows] == ["fruit", "vehicle"]
    assert all(0.5 <= float(r["confidence"]) <= 1.0 for r in rows)


def test_predict_page_gives_one_row_per_list_headline_with_age(
    runner: CliRunner, fruit_model: Path
) -> None:
    result = runner.invoke(
        app, ["predict", str(PAGE), "--model", str(fruit_model), "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    expected = [
        line.split("\t")
        for line in PAGE.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    ]
    assert [(str(r["age_minutes"]), r["headline"]) for r in rows] == [
        (age, text) for age, text in expected
    ]
    assert [r["position"] for r in rows] == list(range(1, len(rows) + 1))
    assert list(rows[0]) == [
        *("source", "position", "headline", "age_minutes", "label", "confidence"),
        *("block", "link", "sponsored", "published"),
    ]


def test_predict_several_files_says_where_each_row_came_from(
    runner: CliRunner, fruit_model: Path, tmp_path: Path
) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Plums\nPears\n")
    b.write_text("Trams\n")
    result = runner.invoke(app, ["predict", str(a), str(b), "-m", str(fruit_model), "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["source"], r["position"], r["headline"]) for r in rows] == [
        (str(a), "1", "Plums"),
        (str(a), "2", "Pears"),
        (str(b), "1", "Trams"),
    ]


def test_predict_reads_stdin(runner: CliRunner, fruit_model: Path) -> None:
    result = runner.invoke(
        app, ["predict", "-", "-m", str(fruit_model), "-f", "csv"], input="Mango\nTruck\n"
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["source"], r["headline"]) for r in rows] == [
        ("<stdin>", "Mango"),
        ("<stdin>", "Truck"),
    ]


def test_predict_csv_input_passes_other_columns_through(
    runner: CliRunner, fruit_model: Path, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.csv"
    feed.write_text("id,title\nA1,Kiwi prices rise\nA2,New ferry ordered\n", encoding="utf-8")
    result = runner.invoke(
        app, ["predict", str(feed), "-m", str(fruit_model), "-f", "csv", "--text-column", "title"]
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["id"], r["headline"]) for r in rows] == [
        ("A1", "Kiwi prices rise"),
        ("A2", "New ferry ordered"),
    ]


def test_predict_output_file(runner: CliRunner, fruit_model: Path, tmp_path: Path) -> None:
    out = tmp_path / "labels.jsonl"
    result = runner.invoke(app, ["predict", str(PAGE), "-m", str(fruit_model), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert len(out.read_text(encoding="utf-8").splitlines()) == 7


def test_train_with_missing_column_is_one_line_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", str(HAND_WRITTEN), "--model", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {HAND_WRITTEN}: no column 'headline' (columns: title, topic); "
        "pass --text-column NAME\n"
    )
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize(("cv", "said"), [(50, True), (6, False)])
def test_more_folds_than_the_smallest_label_has_rows_are_said(
    runner: CliRunner, tmp_path: Path, cv: int, said: bool
) -> None:
    tiny = SAMPLES / "training" / "tiny-news.csv"  # six rows of each label
    model = tmp_path / "m.headlines"
    result = runner.invoke(app, ["train", str(tiny), "--model", str(model), "--cv", str(cv)])
    assert result.exit_code == 0, result.output
    warning = (
        f"warning: --cv {cv} is more folds than the 6 rows of business, the smallest label; "
        "making 6 folds\n"
    )
    assert (warning in result.stderr) == said
    assert "cross-validation (6 folds)" in result.stdout


def test_unknown_output_format_is_one_line_exit_2(runner: CliRunner, fruit_model: Path) -> None:
    result = runner.invoke(app, ["predict", str(PAGE), "-m", str(fruit_model), "-f", "xml"])
    assert result.exit_code == 2
    assert result.stderr == (
        "error: unknown --format 'xml'; choose one of table, csv, jsonl, parquet\n"
    )


def test_unknown_option_is_one_line_exit_2(runner: CliRunner) -> None:
    result = runner.invoke(app, ["predict", "--frobnicate"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: No such option: --frobnicate")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["predict", "--top-k", "two"], "Invalid value for '--top-k': 'two' is not a whole number"),
        (["predict", "--jobs", "1.5"], "Invalid value for '--jobs': '1.5' is not a whole number"),
        (
            ["train", str(HAND_WRITTEN), "--calibration-shift", "much"],
            "Invalid value for '--calibration-shift': 'much' is not a number",
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_one_line_exit_2(
    runner: CliRunner, args: list[str], said: str
) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: {said} (see '")


def test_option_values_arrive_as_their_types(runner: CliRunner, tmp_path: Path) -> None:
    """A float, an int, a path and a list of paths, read by cli._PlainValue."""
    model = tmp_path / "fruit.headlines"
    args = ["train", str(HAND_WRITTEN), str(HAND_WRITTEN), "--model", str(model)]
    args += ["--text-column", "title", "--label-column", "topic"]
    result = runner.invoke(app, [*args, "--cv", "2", "--calibration-shift", "1.25"])
    assert result.exit_code == 0, result.output
    card = json.loads(model.with_suffix(".card.json").read_text(encoding="utf-8"))
    assert card["calibration"]["shift"] == 1.25
    assert card["cross_validation"]["folds"] == 2
    assert [f["rows"] for f in card["training_files"]] == [24, 24]


def test_every_parameter_is_read_without_pydantic() -> None:
    """Every parameter of every command, --help included, is read by cli._PlainValue: for a
    parameter of another type typer 0.29 would import pydantic (0.2 s of a cold start)."""
    import typer
    import typer.core
    import typer.main

    from headlines.cli import _PlainValue, _read_values_plainly

    _read_values_plainly()
    group = typer.main.get_command(app)
    commands = [group, *group.commands.values()]  # type: ignore[attr-defined]
    params = [p for c in commands for p in [*c.params, c.get_help_option(typer.Context(c))]]
    readers = {p.name: typer.core.build_runtime_param(p.type_descriptor) for p in params}
    assert len(readers) > 30
    assert {
        name for name, reader in readers.items() if not isinstance(reader, _PlainValue)
    } == set()


@pytest.mark.parametrize("command", ["train", "predict", "parse", "review"])
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: headlines " + command in result.stdout


def test_cross_validation_copes_with_few_distinct_headlines(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = tmp_path / "same.csv"
    rows = [f"Storm number {i} hits the coast,weather" for i in range(6)]
    rows += [f"Club number {i} wins the cup,sport" for i in range(6)]
    data.write_text("headline,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["train", str(data), "--model", str(tmp_path / "m.headlines")])
    assert result.exit_code == 0, result.output
    card = json.loads((tmp_path / "m.card.json").read_text(encoding="utf-8"))
    assert card["cross_validation"] is None
    assert "cross-validation" not in result.stdout


@pytest.mark.parametrize("text", ["", "  "])
def test_explain_of_no_text_is_a_one_line_error(
    runner: CliRunner, fruit_model: Path, text: str
) -> None:
    # "" once read as the current folder's name, with a warning to predict it.
    result = runner.invoke(app, ["explain", text, "--model", str(fruit_model)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: explain needs the text of a headline")
    assert result.stderr.count("\n") == 1


def test_explain_of_a_file_name_explains_the_text_and_says_how_to_label_the_file(
    runner: CliRunner, fruit_model: Path, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.txt"
    feed.write_text("Storm op komst\n", encoding="utf-8")
    result = runner.invoke(app, ["explain", str(feed), "--model", str(fruit_model)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].endswith(f"  {feed}")
    assert result.stderr == (
        f"warning: '{feed}' names a file; explain reads its argument as a headline's text "
        f"(to label the headlines in it: headlines predict {feed})\n"
    )
