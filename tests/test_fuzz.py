"""Fuzzing every reader through the command line: whatever the bytes, the run keeps the contract.

The contract: exit 0 or 2, never 1 (an internal error); every line on stderr is one message,
``warning: ...`` or ``error: ...``, and a failed run ends with exactly one ``error:`` line; no
traceback; no file in the folder changes (a successful run adds its ``-o`` file, nothing else);
and every run answers (a watchdog turns a hang into a failure).

Inputs are built from fragments of every format (XML declarations, comments, entities, CSV
quotes and delimiters, JSON brackets and numbers, page headers and age lines), random text and
random bytes, in the encodings files come in, often after blank lines. The number of examples
is bounded for CI; ``HEADLINES_FUZZ_EXAMPLES=5000 .venv/bin/pytest tests/test_fuzz.py`` runs
longer.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import snapshot, watchdog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from headlines.cli import app
from headlines.feeds import FORMATS

EXAMPLES = int(os.environ.get("HEADLINES_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

FRAGMENTS = [
    # XML
    '<?xml version="1.0"?>',
    '<?xml version="1.0" encoding="latin-1"?>',
    "<rss>",
    '<rss version="2.0"><channel>',
    "</channel></rss>",
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    "</feed>",
    "<item><title>",
    "</title></item>",
    "<entry><title type='html'>",
    "</title></entry>",
    "<link>https://example.org/1</link>",
    '<link href="https://example.org/2"/>',
    "<pubDate>Tue, 03 Jun 2025 09:30:00 +0200</pubDate>",
    "<updated>2025-06-03T07:30:00Z</updated>",
    "<!-- ",
    " -->",
    "<![CDATA[",
    "]]>",
    '<!DOCTYPE rss [<!ENTITY a "aaaa">]>',
    "<!DOCTYPE html>",
    "<html><body>",
    "&eacute;",
    "&amp;",
    "&nbsp;",
    "&foo;",
    "&#233;",
    "&#xFFFF;",
    "&",
    "<",
    ">",
    # CSV
    "headline,label\n",
    "id;headline;label\n",
    "title\ttopic\n",
    '"',
    '""',
    ",",
    ";",
    "\t",
    '"a, b",c\n',
    # JSON lines
    '{"headline": "Peren in de aanbieding"}\n',
    '{"headline": null}\n',
    '{"headline": ',
    '{"Headline": 1e999}',
    "[" * 70,
    "]",
    "{",
    "}",
    "9" * 1200,
    "NaN",
    '"\\udce9"',
    "\\u0000",
    # pages
    "OTHER NEWS\n",
    "Meer nieuws\n",
    "2 hrs ago\n",
    "3 uur geleden\n",
    "just now\n",
    "Titel van de pagina\ntitel van de pagina\n",
    # plain text and controls
    "Peren in de aanbieding\n",
    "Nieuwe bus voor de stad\n",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\x0b",
    "\x1b[2J",
    "\u2028",
    "\ufeff",
    "\x00",
    "😀",
]

text = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=30).map("".join)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1"]


@st.composite
def file_bytes(draw: st.DrawFn) -> bytes:
    """What a feed file may hold: text in an encoding (after blank lines, at times), or
    random bytes."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=300))
    content = "\n" * draw(st.sampled_from([0, 0, 0, 3, 5000])) + draw(text)
    encoding = draw(st.sampled_from(ENCODINGS))
    return content.encode(
        encoding, errors="replace" if encoding[:2] in ("cp", "la") else "surrogatepass"
    )


# What --encoding may ask for: "utf-16" and "utf-32" want a byte order mark the file may lack.
ASKED_ENCODINGS = [None, "utf-8", "utf-16", "utf-16-le", "utf-32", "cp1252"]
SUFFIXES = [".txt", ".csv", ".jsonl", ".rss", ".atom", ".xml", ".bin"]


def _keeps_the_contract(
    runner: CliRunner, work: Path, argv: list[str], outputs: tuple[Path, ...] = ()
) -> None:
    before = snapshot(work)
    with watchdog(30, f"headlines {' '.join(argv)}"):
        result = runner.invoke(app, argv)
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert all(line.startswith(("warning: ", "error: ")) for line in lines), result.stderr
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == (1 if result.exit_code == 2 else 0), result.stderr
    if result.exit_code == 2:
        assert lines[-1] == errors[0]
    after = snapshot(work)
    if result.exit_code == 0:
        for output in outputs:
            after.pop(output.name, None)
    assert after == before


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@FUZZ
@given(raw=file_bytes(), suffix=st.sampled_from(SUFFIXES), input_format=st.sampled_from(FORMATS))
def test_parse_keeps_the_contract_on_any_file(
    runner: CliRunner, work: Path, raw: bytes, suffix: str, input_format: str
) -> None:
    feed = work / f"feed{suffix}"
    feed.write_bytes(raw)
    argv = ["parse", str(feed), "--input-format", input_format, "-f", "jsonl"]
    _keeps_the_contract(runner, work, argv)
    feed.unlink()


@FUZZ
@given(
    raw=file_bytes(),
    suffix=st.sampled_from(SUFFIXES),
    output_format=st.sampled_from(["csv", "jsonl", "table"]),
    encoding=st.sampled_from(ASKED_ENCODINGS),
)
def test_predict_keeps_the_contract_on_any_file(
    runner: CliRunner,
    fruit_model_file: Path,
    work: Path,
    raw: bytes,
    suffix: str,
    output_format: str,
    encoding: str | None,
) -> None:
    feed = work / f"feed{suffix}"
    feed.write_bytes(raw)
    out = work / "out.txt"
    argv = ["predict", str(feed), "-m", str(fruit_model_file), "-f", output_format]
    argv += ["-o", str(out), *(["--encoding", encoding] if encoding else [])]
    _keeps_the_contract(runner, work, argv, outputs=(out,))
    feed.unlink()
    out.unlink(missing_ok=True)


@FUZZ
@given(raw=file_bytes(), encoding=st.sampled_from(ASKED_ENCODINGS))
def test_train_keeps_the_contract_on_any_file(
    runner: CliRunner, work: Path, raw: bytes, encoding: str | None
) -> None:
    data = work / "train.csv"
    data.write_bytes(raw)
    model = work / "m.headlines"
    argv = ["train", str(data), "--model", str(model), "--cv", "0", "--quiet"]
    argv += ["--encoding", encoding] if encoding else []
    made = (model, work / "m.card.json")
    _keeps_the_contract(runner, work, argv, outputs=made)
    data.unlink()
    for path in made:
        path.unlink(missing_ok=True)
