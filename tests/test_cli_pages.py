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


# A copied page with no age lines and a heading the reader does not know: short paragraphs,
# so nothing says it is a page, and it reads as a plain list until a list of it is named.
UNMARKED_PAGE = """\
Harbour ferry to run all night in summer

The late ferry will sail every hour from June.

Residents asked for it after the last bus was cut.

The council pays for a trial of three months.

From the same desk

Keeper saves two penalties as United go through
Minister promises vote on the housing bill
Frost and fog slow the morning commute
Singer cancels tour after losing her voice
Five ways to keep cut flowers fresh for longer
"""
UNMARKED_LIST = [
    "Keeper saves two penalties as United go through",
    "Minister promises vote on the housing bill",
    "Frost and fog slow the morning commute",
    "Singer cancels tour after losing her voice",
    "Five ways to keep cut flowers fresh for longer",
]


@pytest.fixture
def unmarked(tmp_path: Path) -> Path:
    path = tmp_path / "unmarked.txt"
    path.write_text(UNMARKED_PAGE, encoding="utf-8")
    return path


def test_text_without_page_signs_reads_as_a_plain_list(runner: CliRunner, unmarked: Path) -> None:
    result = runner.invoke(app, ["parse", str(unmarked), "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 10  # every line, the article's too: nothing says it is a page
    assert result.stderr == (
        f"warning: {unmarked}: read as a plain list, every line a headline, but 3 of its "
        "first 10 lines read like an article's sentences; if it is a saved page, pass "
        "--list-heading TEXT with the heading shown above its list\n"
    )


@pytest.mark.parametrize(
    "odd",
    [
        "Court hears how Sjonny W. hid the money",  # an initial
        "Linda stops with Linda.",  # a full stop after three words
        "Talks go on. Strike goes on.",  # a line that reads as sentences
        # Two such lines: about one in 1,500 short lists of real headlines has two.
        "Talks go on. Strike goes on.\nPrices rise again in the spring.",
    ],
)
def test_a_list_with_a_headline_like_a_sentence_is_read_without_a_word(
    runner: CliRunner, tmp_path: Path, odd: str
) -> None:
    path = tmp_path / "list.txt"
    lines = [*UNMARKED_LIST, *odd.splitlines(), *UNMARKED_LIST[:4]]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    result = runner.invoke(app, ["parse", str(path), "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 1 + len(lines)
    assert result.stderr == ""


@pytest.mark.parametrize(
    "args",
    [
        ["--list-heading", "From the same desk"],
        ["--list-heading", "SAME DESK"],  # part of it, as for HTML
    ],
)
def test_naming_a_list_reads_plain_text_as_a_page(
    runner: CliRunner, unmarked: Path, args: list[str]
) -> None:
    rows = _parsed(runner, unmarked, *args)
    assert [r["headline"] for r in rows] == UNMARKED_LIST
    assert {r["block"] for r in rows} == {"From the same desk"}


def test_blocks_of_plain_text_are_its_lists_as_a_page(runner: CliRunner, unmarked: Path) -> None:
    result = runner.invoke(app, ["parse", str(unmarked), "--blocks", "--list-heading", "desk"])
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[2]
    assert first.split()[:3] == ["1", "*", "5"]
    assert first.endswith("From the same desk / " + UNMARKED_LIST[0])
    assert result.stderr == ""  # read as a page: no word of a plain list


def test_blocks_of_text_without_lists_says_there_are_none(
    runner: CliRunner, unmarked: Path
) -> None:
    result = runner.invoke(app, ["parse", str(unmarked), "--blocks"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2:] == [
        "  none: no heading such as 'Other news' and no age lines; pass --list-heading TEXT "
        "with the heading shown above the list"
    ]
    assert result.stderr == ""


def test_a_headline_that_holds_the_heading_among_more_words_is_not_the_heading(
    runner: CliRunner, unmarked: Path
) -> None:
    # "ferry" is in the title and in a paragraph, each of more than five words.
    result = runner.invoke(app, ["parse", str(unmarked), "--list-heading", "ferry"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {unmarked}: no list under a heading 'ferry' ")
