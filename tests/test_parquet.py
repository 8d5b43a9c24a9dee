"""Parquet in and out: predict and parse read .parquet files and folders of them, row group by
row group, other columns passing through typed; --format parquet writes one."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from headlines.cli import app
from headlines.feeds import read_chunks, read_feed

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

SAMPLES = Path(__file__).parent / "samples"
FOLDER = SAMPLES / "page-folder"
TITLES = [
    "Cherry growers expect a record harvest",
    "New electric bus for the city",
    "Plum season starts early in Limburg",
    "Tram line gets faster trains",
]


def _lake(path: Path, **columns: object) -> Path:
    table = columns.pop("table", None) or pa.table(columns)
    pq.write_table(table, path, row_group_size=columns.get("row_group_size"))  # type: ignore[arg-type]
    return path


def _titles(path: Path, row_group_size: int | None = None) -> Path:
    table = pa.table(
        {
            "id": pa.array([10, 11, 12, 13], pa.int64()),
            "title": TITLES,
            "published": pa.array(
                [datetime(2025, 6, d, 9, 30, tzinfo=UTC) for d in range(1, 5)],
                pa.timestamp("us", tz="UTC"),
            ),
            "tags": [["fruit"], [], None, ["ov", "tram"]],
        }
    )
    pq.write_table(table, path, row_group_size=row_group_size)
    return path


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_parse_writes_parquet_that_reads_back_as_the_same_rows(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "pages.parquet"
    result = runner.invoke(app, ["parse", str(FOLDER), "-o", str(out)])  # format by the name
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    # A saved page's rows carry the list they came from: block, link, sponsored, published.
    assert table.schema.names == [
        "source", "position", "headline", "age_minutes", "block", "link", "sponsored", "published"
    ]  # fmt: skip
    assert [str(t) for t in table.schema.types] == [
        "string", "int64", "string", "int64", "string", "string", "bool", "string"
    ]  # fmt: skip
    as_csv = runner.invoke(app, ["parse", str(FOLDER), "-f", "csv"]).stdout
    expected = [
        {
            **row,
            "position": int(row["position"]),
            "age_minutes": int(row["age_minutes"]),
            "sponsored": row["sponsored"] == "true",
        }
        for row in _csv(as_csv)
    ]
    assert table.to_pylist() == expected


def test_predict_reads_parquet_and_passes_other_columns_through_typed(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path
) -> None:
    lake = _titles(tmp_path / "titles.parquet")
    out = tmp_path / "labelled.parquet"
    result = runner.invoke(
        app,
        ["predict", str(lake), "-m", str(fruit_model_file), "--text-column", "title",
         "-o", str(out), "--top-k", "1", "--explain"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.schema.names == [
        "source", "position", "headline", "age_minutes", "label", "confidence",
        "label_2", "confidence_2", "reasons", "id", "published", "tags",
    ]  # fmt: skip
    assert str(table.schema.field("published").type) == "timestamp[us, tz=UTC]"
    assert table.schema.field("reasons").type.value_type == pa.string()
    rows = table.to_pylist()
    assert [r["headline"] for r in rows] == TITLES
    assert [r["id"] for r in rows] == [10, 11, 12, 13]
    assert [r["tags"] for r in rows] == [["fruit"], [], None, ["ov", "tram"]]
    assert rows[0]["published"] == datetime(2025, 6, 1, 9, 30, tzinfo=UTC)

    # The same labels as from CSV; Parquet keeps the confidence unrounded.
    as_csv = runner.invoke(
        app,
        ["predict", str(lake), "-m", str(fruit_model_file), "--text-column", "title",
         "-f", "csv", "--top-k", "1"],
    )  # fmt: skip
    assert as_csv.exit_code == 0, as_csv.output
    csv_rows = _csv(as_csv.stdout)
    assert [r["label"] for r in rows] == [r["label"] for r in csv_rows]
    assert [round(r["confidence"], 3) for r in rows] == [float(r["confidence"]) for r in csv_rows]
    assert any(r["confidence"] != round(r["confidence"], 3) for r in rows)
    assert csv_rows[0]["tags"] == "fruit"
    assert csv_rows[0]["published"] == "2025-06-01 09:30:00+00:00"


def test_jsonl_of_parquet_writes_times_as_iso_8601(runner: CliRunner, tmp_path: Path) -> None:
    lake = _titles(tmp_path / "titles.parquet")
    result = runner.invoke(app, ["parse", str(lake), "--text-column", "title", "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout.splitlines()[0])
    assert first["published"] == "2025-06-01T09:30:00+00:00"
    assert first["tags"] == ["fruit"]


def test_a_folder_of_parquet_is_read_in_path_order(runner: CliRunner, tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    (lake / "b").mkdir(parents=True)
    _lake(lake / "b" / "part-1.parquet", headline=["Tweede", "Derde"])
    _lake(lake / "a.parquet", headline=["Eerste"])
    (lake / "notes.md").write_text("not a feed\n", encoding="utf-8")
    result = runner.invoke(app, ["parse", str(lake), "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert [
        (Path(r["source"]).name, r["position"], r["headline"]) for r in _csv(result.stdout)
    ] == [
        ("a.parquet", "1", "Eerste"),
        ("part-1.parquet", "1", "Tweede"),
        ("part-1.parquet", "2", "Derde"),
    ]


def test_reading_goes_row_group_by_row_group_and_skips_empty_headlines(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    texts = [f"Kop nummer {i}" if i % 7 else "  " for i in range(1, 101)]
    texts[50] = None  # type: ignore[call-overload]
    path = tmp_path / "many.parquet"
    pq.write_table(pa.table({"headline": texts, "n": list(range(100))}), path, row_group_size=30)
    assert pq.ParquetFile(path).num_row_groups == 4

    chunks = list(read_chunks([str(path)], chunk_size=30))
    assert [len(c) for c in chunks] == [26, 25, 26, 8]  # 30-row batches less skipped rows
    rows = [h for c in chunks for h in c.records()]
    kept = [(i, t) for i, t in enumerate(texts) if t and t.strip()]
    assert [h.text for h in rows] == [t for _, t in kept]
    assert [h.position for h in rows] == list(range(1, len(kept) + 1))
    assert [h.extra["n"] for h in rows] == [i for i, _ in kept]
    assert "many.parquet: skipped 15 row(s) with an empty 'headline'" in caplog.text


def test_a_file_of_headlines_alone_reads_as_plain_chunks(tmp_path: Path) -> None:
    path = _lake(tmp_path / "plain.parquet", headline=[" Eén ", "Twee"])
    (chunk,) = read_chunks([str(path)])
    assert chunk.headlines is None  # no record per row: written from the columns
    assert (chunk.texts, chunk.source, chunk.start) == (["Eén", "Twee"], str(path), 1)


def test_an_empty_parquet_output_has_the_columns(runner: CliRunner, tmp_path: Path) -> None:
    lake = _lake(tmp_path / "blank.parquet", headline=pa.array(["", None], pa.string()))
    out = tmp_path / "out.parquet"
    result = runner.invoke(app, ["parse", str(lake), "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.num_rows == 0
    assert table.schema.names == ["source", "position", "headline", "age_minutes"]


def test_a_column_of_nulls_first_is_text(tmp_path: Path, runner: CliRunner) -> None:
    feed = tmp_path / "odd.jsonl"
    feed.write_text('{"headline": "Een", "note": null}\n{"headline": "Twee"}\n', encoding="utf-8")
    out = tmp_path / "out.parquet"
    result = runner.invoke(app, ["parse", str(feed), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert str(pq.read_table(out).schema.field("note").type) == "string"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            # The first 10,000 rows, a row group, decide the column's type.
            '{"headline": "Een", "rank": 1}\n' * 10_000 + '{"headline": "Twee", "rank": "hoog"}\n',
            "{feed}: column 'rank' holds values Parquet cannot store in one column (Could not "
            "convert 'hoog' with type str: tried to convert to int64) but earlier rows made it "
            "int64; write --format jsonl, or give the column one type",
        ),
        (
            '{"headline": "Een", "rank": [1, "a"]}\n',
            "{feed}: column 'rank' holds values Parquet cannot store in one column (Could not "
            "convert 'a' with type str: tried to convert to int64); write --format jsonl, or "
            "give the column one type",
        ),
    ],
)
def test_values_of_mixed_types_are_a_one_line_error(
    runner: CliRunner, tmp_path: Path, lines: str, message: str
) -> None:
    feed = tmp_path / "mixed.jsonl"
    feed.write_text(lines, encoding="utf-8")
    out = tmp_path / "out.parquet"
    result = runner.invoke(app, ["parse", str(feed), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {message.format(feed=feed)}\n"
    assert not out.exists()


@pytest.mark.parametrize(
    ("make", "args", "message"),
    [
        (
            lambda p: _lake(p, title=["Een"]),
            [],
            "{path}: no column 'headline' (columns: title); pass --text-column NAME",
        ),
        (
            lambda p: _lake(p, headline=[1, 2]),
            [],
            "{path}: column 'headline' holds int64, not text; pass --text-column with the "
            "column that holds the headline",
        ),
        (
            lambda p: p.write_bytes(b"PAR1 this is not really parquet"),
            [],
            "{path}: not a readable Parquet file (",
        ),
        (
            lambda p: p.write_text("headline\nEen\n", encoding="utf-8"),
            ["--input-format", "parquet"],
            "{path}: not a readable Parquet file (",
        ),
    ],
    ids=["no-column", "not-text", "damaged", "forced-on-csv"],
)
def test_bad_parquet_is_a_one_line_error(
    runner: CliRunner, tmp_path: Path, make, args: list[str], message: str
) -> None:
    path = tmp_path / "bad.parquet"
    make(path)
    result = runner.invoke(app, ["parse", str(path), "-f", "csv", *args])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: " + message.format(path=path))
    assert result.stderr.count("\n") == 1


def test_parquet_on_stdin_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    data = _lake(tmp_path / "x.parquet", headline=["Een"]).read_bytes()
    result = runner.invoke(app, ["parse", "-f", "csv"], input=data)
    assert result.exit_code == 2
    assert (
        result.stderr == "error: <stdin>: Parquet is read from a file, not stdin; pass its name\n"
    )


def test_parquet_without_pyarrow_names_the_extra(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake = _lake(tmp_path / "x.parquet", headline=["Een"])
    for name in ("pyarrow", "pyarrow.parquet"):
        monkeypatch.setitem(sys.modules, name, None)
    for args in (["parse", str(lake), "-f", "csv"], ["parse", str(FOLDER), "-f", "parquet"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1
        verb = "reading" if args[1] == str(lake) else "writing"
        assert result.stderr == (
            f"error: {verb} Parquet needs pyarrow; pip install 'headlines[parquet]'\n"
        )


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.text(min_size=1, max_size=40), max_size=40))
def test_every_nonblank_headline_comes_back_stripped_in_order(
    tmp_path: Path, texts: list[str]
) -> None:
    path = tmp_path / "any.parquet"
    pq.write_table(pa.table({"headline": pa.array(texts, pa.string())}), path, row_group_size=7)
    read = [h.text for h in read_feed(str(path))]
    assert read == [t.strip() for t in texts if t.strip()]


def test_rows_are_written_in_row_groups_of_about_ten_thousand(
    runner: CliRunner, tmp_path: Path
) -> None:
    pages = tmp_path / "pages.parquet"
    assert runner.invoke(app, ["parse", str(FOLDER), "-o", str(pages)]).exit_code == 0
    assert pq.ParquetFile(pages).num_row_groups == 1  # three small pages, one row group
    feed = tmp_path / "many.txt"
    feed.write_text("".join(f"Kop {i}\n" for i in range(25_000)), encoding="utf-8")
    out = tmp_path / "many.parquet"
    assert runner.invoke(app, ["parse", str(feed), "-o", str(out)]).exit_code == 0
    meta = pq.ParquetFile(out).metadata
    sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert sizes == [10_000, 10_000, 5_000]
    assert pq.read_table(out).column("position").to_pylist() == list(range(1, 25_001))
