"""Odd but valid input is read whole: every headline in, one row out, in order; every dropped
training row is reported and can be written out."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import TINY_TRAIN
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from headlines.cli import app
from headlines.feeds import Reading, parse_feed
from headlines.persistence import load_model
from headlines.predicting import label_headlines

LONG = "Lange kop " * 10_000  # a 100,000-character line

# How a spreadsheet or editor may save the same CSV.
SAVED_AS: dict[str, Callable[[str], bytes]] = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with BOM": lambda text: text.encode("utf-8-sig"),
    "utf-16": lambda text: text.encode("utf-16"),
    "utf-16-le without BOM": lambda text: text.encode("utf-16-le"),
    "utf-16-be without BOM": lambda text: text.encode("utf-16-be"),
    "cp1252": lambda text: text.encode("cp1252"),
    "latin-1": lambda text: text.encode("latin-1"),
    "CRLF": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "CR": lambda text: text.replace("\n", "\r").encode("utf-8"),
}


@pytest.mark.parametrize("saved_as", SAVED_AS)
def test_train_reads_csv_however_it_was_saved(
    runner: CliRunner, tmp_path: Path, saved_as: str
) -> None:
    text = TINY_TRAIN.read_text(encoding="utf-8").replace("Kabinet wil", "Kabinét wil")
    text += f"{LONG.strip()},lifestyle\n"
    data = tmp_path / "train.csv"
    data.write_bytes(SAVED_AS[saved_as](text))
    model = tmp_path / "m.headlines"
    result = runner.invoke(app, ["train", str(data), "--model", str(model), "--cv", "0"])
    assert result.exit_code == 0, result.output
    assert f"read 55 rows from {data}\n" in result.stdout
    assert "trained on 55 rows" in result.stdout
    assert "dropped" not in result.stdout


ODD = [
    "😀🔥🚀",
    "1234567890",
    "Землетрясение в Токио",
    "東京で地震、津波の心配なし",
    "زلزال في طوكيو",
    "Ajax verliest van PSV",
    "PSV wint van Ajax",
    "PSV wint van Ajax",
    "   indented\twith a tab   ",
    'quotes "inside" and, commas; too',
    "a\x0bvertical tab from Word",
    LONG,
    "x",
]


@pytest.mark.parametrize("output_format", ["csv", "jsonl", "table"])
@pytest.mark.parametrize("saved_as", SAVED_AS)
def test_predict_writes_one_row_per_headline_in_order(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path, saved_as: str, output_format: str
) -> None:
    feed = tmp_path / "odd.txt"
    lines = ODD if saved_as.startswith(("utf-8", "utf-16")) else ODD[5:]
    feed.write_bytes(SAVED_AS[saved_as]("\n".join(lines) + "\n"))
    out = tmp_path / f"out.{output_format}"
    result = runner.invoke(
        app,
        ["predict", str(feed), "-m", str(fruit_model_file), "-f", output_format, "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    written = out.read_text(encoding="utf-8")
    if output_format == "csv":
        rows = [r["headline"] for r in csv.DictReader(io.StringIO(written, newline=""))]
    elif output_format == "jsonl":
        rows = [json.loads(line)["headline"] for line in written.splitlines()]
    else:  # a source line, a header line, then rows that end with the headline
        _, header, *table = written.split("\n")[:-1]
        # A table shows control characters (the tab, Word's vertical tab) as escapes.
        rows = [
            line[header.index("headline") :].replace("\\x09", "\t").replace("\\x0b", "\x0b")
            for line in table
        ]
    assert rows == [line.strip() for line in lines]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(st.characters(exclude_characters="\r\n"), max_size=40), max_size=40))
def test_labelling_keeps_every_headline_of_a_list(fruit_model_file: Path, lines: list[str]) -> None:
    model = load_model(fruit_model_file)
    headlines = parse_feed("\n".join(lines), Reading(input_format="list"))
    labelled = list(label_headlines(model, headlines, chunk_size=7))
    assert [row.headline.text for row in labelled] == [s.strip() for s in lines if s.strip()]
    assert {row.label for row in labelled} <= {"fruit", "vehicle"}


DROPPY = (
    "headline,label\n"
    "PSV wint van Ajax,sport\n"
    ",sport\n"
    "\n"
    "Kabinet valt,\n"
    "psv  WINT van ajax,politics\n"
    "headline,label\n"
    "Kabinet valt opnieuw,politics\n"
)


def test_train_names_every_dropped_row_and_writes_them_out(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = tmp_path / "train.csv"
    data.write_text(DROPPY, encoding="utf-8")
    args = ["train", str(data), "--model", str(tmp_path / "m.headlines"), "--cv", "0"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (
        f"dropped 4 rows: empty headline 1, empty label 1, duplicate 1, repeated header 1\n"
        f"  {data}: line 3: empty headline\n"
        f"  {data}: line 5: empty label\n"
        f"  {data}: line 6: duplicate of {data}:2 (labelled sport there)\n"
        f"  {data}: line 7: repeated header\n"
    ) in result.stdout

    rejects = tmp_path / "rejects.csv"
    result = runner.invoke(app, [*args, "--rejects", str(rejects)])
    assert result.exit_code == 0, result.output
    assert (
        f"dropped 4 rows: empty headline 1, empty label 1, duplicate 1, repeated header 1; "
        f"listed in {rejects}\n" in result.stdout
    )
    assert list(csv.reader(io.StringIO(rejects.read_text(encoding="utf-8"), newline=""))) == [
        ["path", "line", "headline", "label", "reason"],
        [str(data), "3", "", "sport", "empty headline"],
        [str(data), "5", "Kabinet valt", "", "empty label"],
        [
            str(data),
            "6",
            "psv  WINT van ajax",
            "politics",
            f"duplicate of {data}:2 (labelled sport there)",
        ],
        [str(data), "7", "headline", "label", "repeated header"],
    ]


def test_strict_train_stops_at_the_first_empty_row(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "train.csv"
    data.write_text(DROPPY, encoding="utf-8")
    model = tmp_path / "m.headlines"
    result = runner.invoke(app, ["train", str(data), "--model", str(model), "--strict"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {data}: line 3: empty headline, and 1 more rows with an empty headline or "
        "label; fill them in or delete them, or leave out --strict to skip them\n"
    )
    assert not model.exists()


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_an_encoding_without_bom_is_read_when_named(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path, encoding: str
) -> None:
    feed = tmp_path / "feed.txt"
    feed.write_bytes("Peren in de aanbieding\nЖёлтый автобус\n".encode(encoding))
    argv = ["predict", str(feed), "-m", str(fruit_model_file), "-f", "csv"]
    result = runner.invoke(app, [*argv, "--encoding", encoding])
    assert result.exit_code == 0, result.output
    assert [r["headline"] for r in csv.DictReader(io.StringIO(result.stdout))] == [
        "Peren in de aanbieding",
        "Жёлтый автобус",
    ]


def test_a_csv_field_longer_than_the_csv_modules_limit_is_read(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path
) -> None:
    """Python's csv module stops at 128 KiB a field; a valid longer one is data, not an error."""
    long = "Peren " * 40_000  # 240,000 characters, quoted, with a line break inside
    data = tmp_path / "long.csv"
    data.write_text(
        f'headline,label\n"{long}\nen meer",fruit\nNieuwe bus voor de stad,vehicle\n'
        + "".join(f"Appels {i},fruit\nBus {i},vehicle\n" for i in range(3)),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["predict", str(data), "-m", str(fruit_model_file), "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["headline"] == f"{long}\nen meer".strip()
    assert len(rows) == 8
    trained = runner.invoke(
        app, ["train", str(data), "--model", str(tmp_path / "m.headlines"), "--cv", "0"]
    )
    assert trained.exit_code == 0, trained.output
    assert "trained on 8 rows" in trained.stdout


def test_a_quote_left_open_stops_at_the_field_limit_with_one_line(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path
) -> None:
    data = tmp_path / "open.csv"
    data.write_text(
        'headline,label\n"Peren' + " in de aanbieding" * 1_000_000 + ",fruit\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["predict", str(data), "-m", str(fruit_model_file), "-f", "csv"])
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {data}: line 2: a field longer than 16 MiB; check the quotes from there on: "
        "a quoted field ends with a quote, and a quote inside it is doubled\n",
    )


def test_a_duplicate_names_the_file_and_line_it_repeats(tmp_path: Path) -> None:
    # Three files, the second of which keeps no row: each duplicate names where it was first.
    from headlines.dataset import load_dataset

    first, empty, third = (tmp_path / f"{name}.csv" for name in ("first", "empty", "third"))
    first.write_text("headline,label\nPSV wint,sport\nKabinet valt,politics\n", "utf-8")
    empty.write_text("headline,label\npsv WINT,sport\n", "utf-8")
    third.write_text("headline,label\nRegen op komst,weather\nKABINET  valt,politics\n"
                     "regen op komst,weather\n", "utf-8")  # fmt: skip
    dataset = load_dataset([first, empty, third])
    assert dataset.texts == ["PSV wint", "Kabinet valt", "Regen op komst"]
    assert [r.reason for r in dataset.rejects] == [
        f"duplicate of {first}:2",
        f"duplicate of {first}:3",
        f"duplicate of {third}:2",
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from("aAßSs Ééİi\u00a0\u2003\t"), min_size=1, max_size=6),
        min_size=1,
        max_size=12,
    )
)
def test_training_data_drops_the_duplicates_normalize_key_finds(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str]
) -> None:
    # load_dataset writes normalize_key out for speed; the two must never part ways.
    from headlines.dataset import load_dataset
    from headlines.records import normalize_key

    rows = [f"x{text}x" for text in texts]  # no row blank at its ends
    path = tmp_path_factory.mktemp("dupes") / "train.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["headline", "label"])
        writer.writerows([row, "sport"] for row in rows)
    expected = list({normalize_key(row.strip()): row.strip() for row in reversed(rows)}.values())
    assert sorted(load_dataset([path]).texts) == sorted(expected)


DATA = Path(__file__).parent.parent / "data"


def test_the_training_headlines_as_a_plain_list_come_out_whole(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A long list has headlines that hold a list heading's words ("Don't miss this
    presale", "Netflix-serie ... meest bekeken ooit"); read as a page it lost every line
    before them: 752 of the first 5,000 training headlines, 77,381 of all 121,497."""
    with open(DATA / "train.csv", encoding="utf-8", newline="") as fh:
        texts = [row["headline"] for row in csv.DictReader(fh)]
    feed = tmp_path / "headlines.txt"
    feed.write_text("\n".join(texts) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["parse", str(feed), "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["headline"] for row in rows] == texts
    assert result.stderr == ""


@pytest.mark.parametrize(
    "odd",
    ["Don't miss this presale", "Laatste nieuws over de storm", "Most read story of 2024"],
)
def test_a_headline_with_a_list_headings_words_keeps_a_list_a_list(odd: str) -> None:
    text = f"PSV wint van Ajax\nKabinet valt over stikstof\n{odd}\nZangeres stopt ermee\n"
    assert [h.text for h in parse_feed(text)] == text.splitlines()
