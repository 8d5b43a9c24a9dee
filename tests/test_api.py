"""The Python API (headlines.load, label_texts, label_frame): the same labels as the command
line, one per text in order, and pandas only where a frame is asked for."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import headlines
from headlines.cli import app
from headlines.errors import HeadlinesError, OptionError

pd = pytest.importorskip("pandas")

TEXTS = [
    "Cherry growers expect a record harvest",
    "New electric bus for the city",
    "Plum season starts early in Limburg",
    "Tram line gets faster trains",
]


def _cli_rows(runner: CliRunner, model: Path, tmp_path: Path, *options: str) -> list[dict]:
    feed = tmp_path / "texts.txt"
    feed.write_text("\n".join(TEXTS) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["predict", str(feed), "-m", str(model), "-f", "csv", *options])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.mark.parametrize("options", [{}, {"top_k": 1}, {"priors": "train", "reasons": 2}])
def test_label_texts_gives_what_predict_prints(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path, options: dict
) -> None:
    cli_options = ["--top-k", "1"] if "top_k" in options else []
    cli_options += ["--explain"] if "reasons" in options else []
    cli_options += ["--priors", options.get("priors", "feed")]
    expected = _cli_rows(runner, fruit_model_file, tmp_path, *cli_options)

    rows = headlines.label_texts(TEXTS, model=fruit_model_file, **options)

    assert [row.headline.text for row in rows] == TEXTS
    assert [row.label for row in rows] == [r["label"] for r in expected]
    assert [round(row.confidence, 3) for row in rows] == [float(r["confidence"]) for r in expected]
    if "top_k" in options:
        assert [row.alternatives[0][0] for row in rows] == [r["label_2"] for r in expected]
    if "reasons" in options:
        assert all(len(row.reasons) == 2 for row in rows)


def test_a_loaded_model_a_file_and_min_confidence(fruit_model_file: Path) -> None:
    model = headlines.load(fruit_model_file)
    assert model.labels == ["fruit", "vehicle"]
    by_file = headlines.label_texts(TEXTS, model=fruit_model_file)
    by_model = headlines.label_texts(TEXTS, model=model)
    assert by_model == by_file
    strict = headlines.label_texts(TEXTS, model=model, min_confidence=0.99)
    assert {row.label for row in strict} == {"unknown"}
    assert [row.confidence for row in strict] == [row.confidence for row in by_model]


def test_blank_texts_are_unknown_and_keep_their_place(fruit_model_file: Path) -> None:
    rows = headlines.label_texts(["", TEXTS[0], "   ", TEXTS[1]], model=fruit_model_file, top_k=1)
    assert [row.label for row in rows][::2] == ["unknown", "unknown"]
    assert [row.confidence for row in rows][::2] == [0.0, 0.0]
    assert rows[0].alternatives == (("unknown", 0.0),)
    alone = headlines.label_texts(TEXTS[:2], model=fruit_model_file, priors="train", top_k=1)
    mixed = headlines.label_texts(["", *TEXTS[:2]], model=fruit_model_file, priors="train", top_k=1)
    assert [r.label for r in mixed[1:]] == [r.label for r in alone]
    assert headlines.label_texts([], model=fruit_model_file) == []


def test_label_frame_adds_columns_and_keeps_the_rest(fruit_model_file: Path) -> None:
    frame = pd.DataFrame(
        {"title": [TEXTS[0], None, TEXTS[1]], "site": ["a", "b", "c"]}, index=[7, 3, 5]
    )
    before = frame.copy()
    out = headlines.label_frame(frame, "title", model=fruit_model_file, top_k=1, reasons=1)

    pd.testing.assert_frame_equal(frame, before)  # the caller's frame is left alone
    assert list(out.columns) == [
        "title",
        "site",
        "label",
        "confidence",
        "label_2",
        "confidence_2",
        "reasons",
    ]
    assert list(out.index) == [7, 3, 5]
    rows = headlines.label_texts(
        [TEXTS[0], "", TEXTS[1]], model=fruit_model_file, top_k=1, reasons=1
    )
    assert out["label"].tolist() == [row.label for row in rows]
    assert out["confidence"].tolist() == [row.confidence for row in rows]
    assert out["label"].tolist()[1] == "unknown"
    assert out["reasons"].tolist()[1] == []
    assert out["reasons"].tolist()[0][0].startswith(rows[0].reasons[0][0] + " +")


def test_top_k_stops_at_the_labels_a_model_has(fruit_model_file: Path) -> None:
    frame = pd.DataFrame({"headline": [TEXTS[0], None]})
    out = headlines.label_frame(frame, model=fruit_model_file, top_k=3)
    assert list(out.columns) == ["headline", "label", "confidence", "label_2", "confidence_2"]
    assert out["label_2"].tolist()[1] == "unknown"
    empty = headlines.label_frame(frame.iloc[:0], model=fruit_model_file, top_k=3)
    assert list(empty.columns) == list(out.columns)


def test_label_frame_of_no_rows_has_the_columns_typed(fruit_model_file: Path) -> None:
    empty = pd.DataFrame({"headline": pd.Series([], dtype=object)})
    out = headlines.label_frame(empty, model=fruit_model_file)
    full = headlines.label_frame(pd.DataFrame({"headline": TEXTS}), model=fruit_model_file)
    assert out.dtypes.to_dict() == {**full.dtypes.to_dict(), "headline": empty.dtypes["headline"]}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda m: headlines.label_frame(pd.DataFrame({"t": ["x"]}), model=m),
            "column 'headline': no such column (columns: t)",
        ),
        (lambda m: headlines.label_frame(["x"], model=m), "frame: a pandas DataFrame, not list"),
        (lambda m: headlines.label_texts(["x"], model=m, top_k=-1), "top_k -1: use 0 or more"),
        (lambda m: headlines.label_texts(["x"], model=m, reasons=-1), "reasons -1: use 0 or more"),
        (
            lambda m: headlines.label_texts(["x"], model=m, min_confidence=2),
            "min_confidence 2: use a probability from 0 to 1, or auto",
        ),
    ],
)
def test_bad_arguments_name_the_parameter(fruit_model_file: Path, call, message: str) -> None:
    with pytest.raises(OptionError) as caught:
        call(fruit_model_file)
    assert str(caught.value) == message


def test_label_frame_without_pandas_names_the_extra(
    fruit_model_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(HeadlinesError) as caught:
        headlines.label_frame(object(), model=fruit_model_file)
    assert str(caught.value) == (
        "labelling a DataFrame needs pandas; pip install 'headlines[pandas]'"
    )


def test_headlines_runs_without_the_optional_packages() -> None:
    """pandas, pyarrow and dask are extras: importing the package and the CLI loads none,
    and the CLI labels a list with all three missing."""
    code = (
        "import sys\n"
        "for name in ('pandas', 'pyarrow', 'dask', 'distributed'):\n"
        "    sys.modules[name] = None\n"
        "import headlines, headlines.cli, headlines.api\n"
        "from headlines.cli import main\n"
        "sys.argv = ['headlines', 'parse', '-f', 'csv', '-']\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        input="PSV wint\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "source,position,headline,age_minutes\n<stdin>,1,PSV wint,\n"
