"""parse --blocks, --block N and --list-heading: seeing a page's candidate lists and choosing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from headlines.cli import app

SAMPLES = Path(__file__).parent / "samples"
HTML = SAMPLES / "html" / "related-list-with-times.html"
TEXT = SAMPLES / "pages" / "ages-after-with-dates-and-sections.txt"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _parsed(runner: CliRunner, page: Path, *args: str) -> list[dict[str, str]]:
    """The rows ``headlines parse PAGE ARGS -f csv`` prints."""
    result = runner.invoke(app, ["parse", str(page), *args, "-f", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_parse_blocks_lists_each_candidate_with_the_default_marked(runner: CliRunner) -> None:
    result = runner.invoke(app, ["parse", str(HTML), "--blocks"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == str(HTML)
    assert lines[1].split() == [
        *("block", "read", "items", "dated", "score", "line", "heading"),
        *("/", "first", "headline"),
    ]
    first, second = lines[2].split(), lines[3].split()
    assert first[:4] == ["1", "*", "4", "yes"]
    assert " ".join(first[6:]) == "Related stories / Ferry fares to rise by a fifth from June"
    assert second[:3] == ["2", "3", "no"]  # not read by default: no "*"
    assert " ".join(second[5:]) == "Most read / Mayor opens new library in the old town"


def test_block_reads_the_list_of_that_number(runner: CliRunner) -> None:
    rows = _parsed(runner, HTML, "--block", "2")
    assert [r["headline"] for r in rows] == [
        "Mayor opens new library in the old town",
        "School meals to be free for all pupils",
        "Heatwave expected at the end of the week",
    ]
    assert {r["block"] for r in rows} == {"Most read"}


@pytest.mark.parametrize("page", [HTML, TEXT], ids=["html", "text"])
def test_list_heading_reads_the_list_under_it(runner: CliRunner, page: Path) -> None:
    heading = "most read" if page == HTML else "More videos from the Post"
    rows = _parsed(runner, page, "--list-heading", heading)
    assert rows
    assert {r["block"].casefold() for r in rows} == {heading.casefold()}


def test_list_heading_that_names_no_list_says_which_headings_there_are(
    runner: CliRunner,
) -> None:
    result = runner.invoke(app, ["parse", str(HTML), "--list-heading", "Weather"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {HTML}: no list under a heading 'Weather' (headings of the candidate lists: "
        f"'Related stories'; 'Most read'); see them with 'headlines parse --blocks {HTML}'\n"
    )


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--block", "0"], "error: --block 0: use 1 or more (see 'headlines parse --blocks FILE')"),
        (["--block", "9"], "error: {page}: no block 9; this page has 2 candidate lists "
         "(see them with 'headlines parse --blocks {page}')"),
        (["--list-heading", " "], "error: --list-heading names no heading; pass the heading the "
         "page shows"),
    ],
)  # fmt: skip
def test_bad_choice_is_one_line_exit_2(runner: CliRunner, args: list[str], error: str) -> None:
    result = runner.invoke(app, ["parse", str(HTML), *args])
    assert result.exit_code == 2
    assert result.stderr == error.format(page=HTML) + "\n"


def test_blocks_of_a_feed_that_is_not_a_page_is_an_error(runner: CliRunner) -> None:
    feed = SAMPLES / "feeds" / "regional-portal.rss"
    result = runner.invoke(app, ["parse", str(feed), "--blocks"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {feed}: reads as rss, not as a saved page; blocks are a page's lists\n"
    )
