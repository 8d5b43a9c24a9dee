"""A file that starts with blank lines, up to megabytes of them, reads as it would without
them, and errors name the lines of the file as it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from headlines.cli import app

BLANK = "\n" * 700_000 + " \t\r\n" * 100_000  # 1.1 MB of blank lines: more than is peeked at
SKIPPED = 800_000  # lines

# (file name, content after the blank lines, expected headlines)
FEEDS = [
    ("list.txt", "Peren in de aanbieding\nNieuwe bus\n", ["Peren in de aanbieding", "Nieuwe bus"]),
    (
        "page.txt",
        "Fruit nieuws\nfruit nieuws\nOTHER NEWS\n2 hrs ago\nPeren in de aanbieding\n",
        ["Peren in de aanbieding"],
    ),
    ("data.csv", "id,headline\n1,Peren in de aanbieding\n", ["Peren in de aanbieding"]),
    ("data.jsonl", '{"headline": "Peren in de aanbieding"}\n', ["Peren in de aanbieding"]),
    (
        "feed.rss",
        '  <?xml version="1.0"?>\n<rss><channel><item><title>Peren</title></item>'
        "</channel></rss>\n",
        ["Peren"],
    ),
    (
        "feed.atom",
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Peren</title></entry></feed>',
        ["Peren"],
    ),
]


@pytest.mark.parametrize(("name", "content", "headlines"), FEEDS, ids=[f[0] for f in FEEDS])
def test_a_feed_after_a_megabyte_of_blank_lines_reads_as_without_them(
    runner: CliRunner, tmp_path: Path, name: str, content: str, headlines: list[str]
) -> None:
    feed = tmp_path / name
    feed.write_text(BLANK + content, encoding="utf-8")
    result = runner.invoke(app, ["parse", str(feed), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    assert [line.split('"headline": ')[1].split('"')[1] for line in result.stdout.splitlines()] == (
        headlines
    )


# (file name, content after the blank lines, the error after the file name)
ERRORS = [
    (
        "data.csv",
        "headline,label\nPeren,fruit,extra\n",
        f"line {SKIPPED + 2}: 3 fields, the header has 2; put quotes around a headline that "
        "contains ','",
    ),
    (
        "data.jsonl",
        '{"headline": "Peren"}\n{"headline": \n',
        f"line {SKIPPED + 2}: not valid JSON (Expecting value, column 14); each line must be one "
        "JSON object",
    ),
    (
        "feed.rss",
        '   <?xml version="1.0"?>\n<rss><channel><item><title>A & B</title></item>'
        "</channel></rss>\n",
        f"line {SKIPPED + 2}, column 31: not well-formed XML (not well-formed (invalid token)); "
        "the file may be cut off or damaged: save or download the feed again",
    ),
    (
        "feed2.rss",
        "   <rss><channel><item><title>A & B</title></item></channel></rss>\n",
        f"line {SKIPPED + 1}, column 34: not well-formed XML (not well-formed (invalid token)); "
        "the file may be cut off or damaged: save or download the feed again",
    ),
]


@pytest.mark.parametrize(("name", "content", "error"), ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_after_blank_lines_name_the_line_of_the_file(
    runner: CliRunner, tmp_path: Path, name: str, content: str, error: str
) -> None:
    feed = tmp_path / name
    feed.write_text(BLANK + content, encoding="utf-8")
    result = runner.invoke(app, ["parse", str(feed), "-f", "csv"])
    assert (result.exit_code, result.stderr) == (2, f"error: {feed}: {error}\n")


def test_nothing_but_blank_lines_is_empty(runner: CliRunner, tmp_path: Path) -> None:
    feed = tmp_path / "blank.txt"
    feed.write_text("\ufeff" + BLANK, encoding="utf-8")
    result = runner.invoke(app, ["parse", str(feed)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {feed}: is empty; pass a feed with at least one headline\n",
    )
