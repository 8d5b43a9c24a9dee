"""Columns never vanish: an input column named like an output column, or a header name given
twice, is kept under another name, said once on stderr."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from headlines.cli import app

CLASHING = (
    "headline,label,confidence,source,position,input_label\n"
    "Peren in de aanbieding,fruit,high,krant,7,x\n"
    "Nieuwe bus voor de stad,vehicle,low,web,8,y\n"
)


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_input_columns_named_like_output_columns_are_kept_under_input_names(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path
) -> None:
    data = tmp_path / "labelled.csv"
    data.write_text(CLASHING, encoding="utf-8")
    result = runner.invoke(app, ["predict", str(data), "-m", str(fruit_model_file), "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = _csv(result.stdout)
    assert list(rows[0]) == [
        "source",
        "position",
        "headline",
        "age_minutes",
        "label",
        "confidence",
        "input_label_2",
        "input_confidence",
        "input_source",
        "input_position",
        "input_label",
    ]
    assert [(r["source"], r["position"], r["label"]) for r in rows] == [
        (str(data), "1", "fruit"),
        (str(data), "2", "vehicle"),
    ]
    assert [
        (r["input_label_2"], r["input_confidence"], r["input_source"], r["input_position"])
        for r in rows
    ] == [("fruit", "high", "krant", "7"), ("vehicle", "low", "web", "8")]
    assert [r["input_label"] for r in rows] == ["x", "y"]
    assert result.stderr == (
        "warning: input columns label, confidence, source, position are written as "
        "input_label_2, input_confidence, input_source, input_position: the output has "
        "columns of those names\n"
    )


def test_jsonl_fields_named_like_output_columns_are_kept(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path
) -> None:
    data = tmp_path / "labelled.jsonl"
    lines = [{"headline": "Peren", "label": "fruit"}, {"headline": "Bus", "label": "vehicle"}]
    data.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = runner.invoke(app, ["predict", str(data), "-m", str(fruit_model_file), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["input_label"] for r in rows] == ["fruit", "vehicle"]
    assert {r["label"] for r in rows} <= {"fruit", "vehicle"}
    assert result.stderr.count("warning:") == 1


def test_parse_has_no_label_column_so_the_input_label_keeps_its_name(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = tmp_path / "labelled.csv"
    data.write_text("headline,label\nPeren,fruit\n", encoding="utf-8")
    result = runner.invoke(app, ["parse", str(data), "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert _csv(result.stdout)[0]["label"] == "fruit"
    assert result.stderr == ""


DUPLICATED = (
    "headline,label,headline,label\n"
    "Peren in de aanbieding,fruit,Bussen rijden niet,vehicle\n"
    "Appels uit Zeeland,fruit,Nieuwe trein,vehicle\n"
    "Nieuwe bus voor de stad,vehicle,Kersen,fruit\n"
    "Fiets gestolen,vehicle,Druiven,fruit\n"
)


def test_train_and_predict_both_take_the_first_of_a_repeated_column(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = tmp_path / "dup.csv"
    data.write_text(DUPLICATED, encoding="utf-8")
    model = tmp_path / "m.joblib"
    trained = runner.invoke(app, ["train", str(data), "--model", str(model), "--cv", "0"])
    assert trained.exit_code == 0, trained.output
    # The first headline and the first label: fruit for the two fruit headlines.
    assert "trained on 4 rows, 2 labels: fruit 2, vehicle 2" in trained.stdout
    assert trained.stderr.splitlines()[:2] == [
        f"warning: {data}: the header repeats the name 'headline'; reading the first such column",
        f"warning: {data}: the header repeats the name 'label'; reading the first such column",
    ]
    result = runner.invoke(app, ["parse", str(data), "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = _csv(result.stdout)
    assert [r["headline"] for r in rows] == [
        "Peren in de aanbieding",
        "Appels uit Zeeland",
        "Nieuwe bus voor de stad",
        "Fiets gestolen",
    ]
    assert (rows[0]["label"], rows[0]["headline_2"], rows[0]["label_2"]) == (
        "fruit",
        "Bussen rijden niet",
        "vehicle",
    )
    assert result.stderr == (
        f"warning: {data}: the header repeats a name; reading headline as headline_2, "
        "label as label_2\n"
    )
