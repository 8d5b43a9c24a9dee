"""Text is data, never control: what a feed says is shown on a terminal, not obeyed."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from headlines.cli import app
from headlines.files import printable

# Clear the screen, set the window title, ring the bell, move the cursor, an 8-bit CSI,
# a right-to-left override, a line separator.
HOSTILE = "Peren\x1b[2J in \x1b]0;pwned\x07de\x08 aan\x9b31mbieding\u202e\u2028!"
SHOWN = r"Peren\x1b[2J in \x1b]0;pwned\x07de\x08 aan\x9b31mbieding\u202e\u2028!"


# Characters that reorder the text around them (bidirectional embeddings and isolates).
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _obeyed(text: str) -> set[str]:
    """The characters of ``text`` a terminal acts on (a line end ends the line: that is ours)."""
    return {
        c
        for c in text
        if c != "\n" and (unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in _BIDI)
    }


@pytest.mark.parametrize("extra", [[], ["--group"], ["--top-k", "1", "--explain"]])
def test_a_table_shows_control_characters_as_escapes(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path, extra: list[str]
) -> None:
    feed = tmp_path / "feed.txt"
    feed.write_text(HOSTILE + "\n", encoding="utf-8")
    argv = ["predict", str(feed), "-m", str(fruit_model_file), "-f", "table", *extra]
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.output
    assert SHOWN in result.stdout
    assert _obeyed(result.stdout) == set()


def test_csv_and_jsonl_keep_the_text_as_it_is(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.txt"
    feed.write_text(HOSTILE + "\n", encoding="utf-8")
    result = runner.invoke(app, ["predict", str(feed), "-m", str(fruit_model_file), "-f", "csv"])
    assert HOSTILE in result.stdout


def test_an_error_quoting_a_feed_shows_its_control_characters_as_escapes(
    runner: CliRunner, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.csv"
    feed.write_text("title\x1b[2J\x1b]0;x\x07,label\nPeren,fruit\n", encoding="utf-8")
    result = runner.invoke(app, ["train", str(feed), "--model", str(tmp_path / "m.headlines")])
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {feed}: no column 'headline' (columns: title\\x1b[2J\\x1b]0;x\\x07, label); "
        "pass --text-column NAME\n",
    )


def test_a_warning_quoting_a_feed_shows_its_control_characters_as_escapes(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.csv"
    feed.write_text("headline,label\x1b[2J,label\x1b[2J\nPeren,a,b\n", encoding="utf-8")
    argv = ["predict", str(feed), "-m", str(fruit_model_file), "-f", "csv"]
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        f"warning: {feed}: the header repeats a name; reading label\\x1b[2J"
    )
    assert _obeyed(result.stderr) == set()


@given(st.text())
def test_printable_text_holds_nothing_a_terminal_obeys(text: str) -> None:
    shown = printable(text)
    assert _obeyed(shown) == set()
    assert "\n" not in shown
