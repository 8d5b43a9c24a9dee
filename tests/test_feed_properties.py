"""Property tests: the feed parser never crashes and never drops or reorders a headline."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from headlines.errors import InputError
from headlines.feeds import Reading, parse_feed, read_feed
from headlines.feeds.words import glued_source, is_headline, strip_badge, without_marker

# A headline is any text on one line: \r and \n end a line, everything else (form feeds,
# vertical tabs from Word, U+2028, emoji, other scripts) belongs to the headline.
_ONE_LINE = st.characters(exclude_characters="\r\n")
headline_text = st.text(_ONE_LINE, min_size=1, max_size=80).filter(lambda s: s.strip() != "")
line_ends = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\n \t\n", "\r\n\r\n"])


# A page's list headline reads as one: a few words, not a sentence with a full stop, not an
# age line, heading, button or ad marker (those are what a page reader leaves out).
_WORD = st.text(st.characters(categories=["Ll", "Lu", "Lo"]), min_size=2, max_size=12)
# A line that ends in a capitalised ad marker ("... ANNONS") is a headline and its marker,
# one that ends in a name glued on ("... dichtDe Stentor"), a headline and its source, and
# one that starts with a badge before a capital ("Update Storm ..."), a badge and a headline.
page_headline = (
    st.lists(_WORD, min_size=3, max_size=14)
    .map(lambda words: " ".join([words[0].capitalize(), *words[1:]]))
    .filter(
        lambda text: (
            is_headline(text)
            and without_marker(text) is None
            and glued_source(text) is None
            and strip_badge(text, sentence_case=True) == text
        )
    )
)


@st.composite
def joined(draw: st.DrawFn, lines: list[str]) -> str:
    return "".join(line + draw(line_ends) for line in lines)


@given(st.lists(headline_text, max_size=30), st.data())
def test_list_keeps_every_headline_in_order(headlines: list[str], data: st.DataObject) -> None:
    text = data.draw(joined(headlines))
    parsed = parse_feed(text, Reading(input_format="list"))
    assert [h.text for h in parsed] == [h.strip() for h in headlines]
    assert [h.position for h in parsed] == list(range(1, len(headlines) + 1))


# A file adds what only bytes have: a BOM is dropped, NUL marks a binary file, a lone surrogate
# cannot be encoded, and an empty file is an error.
file_headline = st.text(
    st.characters(codec="utf-8", exclude_characters="\r\n\x00\ufeff"), min_size=1, max_size=80
).filter(lambda s: s.strip() != "")


@settings(deadline=None)  # file system time is not the parser's
@given(
    st.lists(file_headline, min_size=1, max_size=30),
    st.data(),
    st.sampled_from(["utf-8", "utf-16"]),
)
def test_list_file_keeps_every_headline_in_order(
    headlines: list[str], data: st.DataObject, encoding: str
) -> None:
    text = data.draw(joined(headlines))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.txt"
        path.write_bytes(text.encode(encoding))
        parsed = list(read_feed(str(path), Reading(input_format="list")))
    assert [h.text for h in parsed] == [h.strip() for h in headlines]


@given(st.text(max_size=400))
def test_any_text_parses_or_gives_a_one_line_input_error(text: str) -> None:
    try:
        parsed = parse_feed(text)
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert [h.position for h in parsed] == list(range(1, len(parsed) + 1))
        assert all(h.text == h.text.strip() and h.text for h in parsed)


@settings(deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["auto", "list", "page", "csv"]))
@example(b"\xb2\t\x01\t\x01", "page")  # latin-1 "²": a digit to str.isdigit, not to int()
def test_any_bytes_read_or_give_a_one_line_input_error(raw: bytes, input_format: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.txt"
        path.write_bytes(raw)
        try:
            list(read_feed(str(path), Reading(input_format=input_format)))
        except InputError as exc:
            assert "\n" not in str(exc)


_AGE_LINES = [("just now", 0), ("{n} min ago", 1), ("{n} hrs ago", 60), ("{n} dagen geleden", 1440)]


@st.composite
def age_line(draw: st.DrawFn) -> tuple[str, int]:
    template, unit = draw(st.sampled_from(_AGE_LINES))
    n = draw(st.integers(1, 10_000))
    return template.format(n=n), n * unit if "{n}" in template else 0


@given(
    st.lists(
        st.tuples(page_headline, age_line()), min_size=1, max_size=20, unique_by=lambda i: i[0]
    ),
    st.booleans(),
    st.booleans(),
    st.data(),
)
def test_page_keeps_every_list_headline_in_order_with_its_age(
    items: list[tuple[str, tuple[str, int]]],
    ages_first: bool,
    with_header: bool,
    data: st.DataObject,
) -> None:
    lines = ["Storm op komst", "storm op komst", "Het KNMI waarschuwt voor zware windstoten."]
    if with_header:
        lines.append("OTHER NEWS")
    for headline, (age, _) in items:
        lines.extend([age, headline] if ages_first else [headline, age])
    text = data.draw(joined(lines))
    parsed = parse_feed(text, Reading(input_format="page" if with_header else "auto"))
    assert [(h.text, h.age_minutes) for h in parsed] == [
        (headline.strip(), minutes) for headline, (_, minutes) in items
    ]
