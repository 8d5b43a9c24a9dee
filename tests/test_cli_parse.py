"""headlines parse: every input format, folders and patterns, as a user runs it."""

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
FEEDS = sorted(p for p in (SAMPLES / "feeds").iterdir() if p.suffix != ".expected")
BAD_FEEDS = sorted(p for p in (SAMPLES / "bad-feeds").iterdir() if p.suffix != ".error")


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("sample", FEEDS, ids=[p.name for p in FEEDS])
def test_parse_prints_each_feed_record_with_its_fields(runner: CliRunner, sample: Path) -> None:
    result = runner.invoke(app, ["parse", str(sample), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    # Only the rows without a headline are said (scraper-output.jsonl has one).
    assert all(
        line.startswith(f"warning: {sample}: skipped ") for line in result.stderr.splitlines()
    )
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    expected = [
        json.loads(line)
        for line in sample.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    ]
    place = ("source", "position", "age_minutes")
    assert [{k: v for k, v in r.items() if k not in place} for r in rows] == expected
    assert [(r["source"], r["position"]) for r in rows] == [
        (str(sample), n) for n in range(1, len(rows) + 1)
    ]
    assert list(rows[0])[:4] == ["source", "position", "headline", "age_minutes"]


@pytest.mark.parametrize("sample", BAD_FEEDS, ids=[p.name for p in BAD_FEEDS])
def test_parse_bad_feed_is_one_line_exit_2(runner: CliRunner, sample: Path) -> None:
    result = runner.invoke(app, ["parse", str(sample), "--format", "csv"])
    assert result.exit_code == 2
    message = sample.with_suffix(".error").read_text(encoding="utf-8").strip()
    assert result.stderr == f"error: {message.replace('{path}', str(sample))}\n"


def test_parse_refuses_a_billion_laughs_bomb_forced_as_rss(runner: CliRunner) -> None:
    bomb = SAMPLES / "bad-feeds" / "billion-laughs-classic.xml"
    result = runner.invoke(app, ["parse", str(bomb), "--input-format", "rss", "-f", "csv"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {bomb}: line 3: the feed declares the XML entity 'lol'; entities are refused "
        "because they can expand without bound or read other files (remove the <!DOCTYPE> "
        "block)\n"
    )


def test_parse_folder_reads_every_page_in_order_and_nothing_else(runner: CliRunner) -> None:
    result = runner.invoke(app, ["parse", str(FOLDER), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    rows = _csv(result.stdout)
    assert list(rows[0]) == [
        *("source", "position", "headline", "age_minutes"),
        *("block", "link", "sponsored", "published"),
    ]
    assert {r["block"] for r in rows} == {"OTHER NEWS", "ANDER NIEUWS"}
    assert [(Path(r["source"]).name, r["position"]) for r in rows] == [
        *(("2025-06-02.txt", str(n)) for n in range(1, 7)),
        *(("2025-06-03.txt", str(n)) for n in range(1, 6)),
        *(("2025-06-04.txt", str(n)) for n in range(1, 6)),
    ]
    assert rows[0]["headline"] == "Ajax wint ruim van Heerenveen en klimt naar plek drie"
    assert rows[0]["age_minutes"] == "60"


def test_parse_quoted_glob_pattern(runner: CliRunner) -> None:
    result = runner.invoke(app, ["parse", str(FOLDER / "*-0[34].txt"), "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert sorted({Path(r["source"]).name for r in _csv(result.stdout)}) == [
        "2025-06-03.txt",
        "2025-06-04.txt",
    ]


def test_parse_folder_without_feeds_is_one_line_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", str(tmp_path), "-f", "csv"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {tmp_path}: a folder with no feed files (.txt .csv .tsv .jsonl .ndjson .json "
        ".rss .atom .xml .html .htm .mhtml .mht .webarchive .parquet) in it; "
        "pass the files themselves\n"
    )


def test_parse_jsonl_from_stdin_with_text_field(runner: CliRunner) -> None:
    lines = '{"title": "Nieuwe sluis bij IJmuiden klaar", "id": 1}\n{"title": "Regen", "id": 2}\n'
    result = runner.invoke(app, ["parse", "--text-field", "title", "-f", "jsonl"], input=lines)
    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {"source": "<stdin>", "position": 1, "headline": "Nieuwe sluis bij IJmuiden klaar",
         "age_minutes": None, "id": 1},
        {"source": "<stdin>", "position": 2, "headline": "Regen", "age_minutes": None, "id": 2},
    ]  # fmt: skip


def test_parse_csv_output_writes_json_values_readably(runner: CliRunner) -> None:
    line = '{"headline": "Kop", "tags": ["sport", "zwemmen"], "paid": true, "meta": {"a": 1}}\n'
    result = runner.invoke(app, ["parse", "-", "-f", "csv"], input=line)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == '<stdin>,1,Kop,,sport; zwemmen,true,"{""a"": 1}"'


def test_csv_output_names_every_column_it_leaves_out_once(
    runner: CliRunner, tmp_path: Path
) -> None:
    # A CSV's columns come from its first row; each input's other columns are named, once.
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text('{"headline": "Kop een", "site": "x"}\n{"headline": "Kop twee", "rank": 2}\n')
    b.write_text(
        '{"headline": "Kop drie", "link": "y", "rank": 3}\n{"headline": "Vier", "rank": 4}\n'
    )
    result = runner.invoke(app, ["parse", str(a), str(b), "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert [row["headline"] for row in _csv(result.stdout)] == [
        "Kop een",
        "Kop twee",
        "Kop drie",
        "Vier",
    ]
    assert result.stderr.splitlines() == [
        f"warning: columns rank of {a} are not in the output; use --format jsonl",
        f"warning: columns link of {b} are not in the output; use --format jsonl",
    ]


def test_parse_output_file_leaves_stdout_empty(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    rss = SAMPLES / "feeds" / "regional-portal.rss"
    result = runner.invoke(app, ["parse", str(rss), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["link"] for r in rows] == [
        "https://news.example.org/a/1001",
        "https://news.example.org/a/1002",
        "https://news.example.org/a/1003",
        "https://promo.example.net/gronk",
    ]


def test_parse_blank_input_is_an_error_not_an_empty_table(runner: CliRunner) -> None:
    result = runner.invoke(app, ["parse", "-", "-f", "csv"], input="\n\n")
    assert result.exit_code == 2
    assert result.stderr == ("error: <stdin>: is empty; pass a feed with at least one headline\n")
    assert result.stdout == ""
