"""The chunked fast path gives what the record path gives: the same headlines, the same CSV."""

from __future__ import annotations

import io
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headlines.feeds import Reading, read_chunks, read_feed
from headlines.output import write_chunks, write_rows
from headlines.records import HeadlineChunk, LabelledChunk

LINES = st.lists(
    st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=30),
    max_size=40,
)
TEXT = (st.text(min_size=1) | st.text(',"\r\n ab\x00', min_size=1)).map(str.strip).filter(bool)
LABEL = st.sampled_from(["sport", "a,b", 'say "x"', "unknown"])
# Halves that numpy's rounding and Python's round() could see differently.
CONFIDENCE = st.floats(0, 1) | st.sampled_from([0.0005, 0.0015, 0.0025, 0.1235, 0.9995, 1.0])


@settings(max_examples=60, deadline=None)
@given(lines=LINES, size=st.integers(1, 9), block=st.sampled_from([1, 3, 16, 1 << 20]))
def test_list_chunks_hold_the_records_of_the_list(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str], size: int, block: int
) -> None:
    path = tmp_path_factory.mktemp("list") / "feed.txt"
    path.write_text("\n".join(["first", *lines]), encoding="utf-8")
    with patch("headlines.feeds.tabular._LIST_READ_BYTES", block):  # lines cut across blocks
        chunks = list(read_chunks([str(path)], Reading(input_format="list"), chunk_size=size))
    assert all(0 < len(chunk) <= size for chunk in chunks)
    records = [record for chunk in chunks for record in chunk.records()]
    assert records == list(read_feed(str(path), Reading(input_format="list")))


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.tuples(TEXT, LABEL, CONFIDENCE), min_size=1, max_size=30),
    source=st.text(min_size=1),
    start=st.integers(1, 10**6),
)
def test_plain_chunks_are_written_as_their_records(
    rows: list[tuple[str, str, float]], source: str, start: int
) -> None:
    texts = [text for text, _, _ in rows]
    labelled = LabelledChunk(
        HeadlineChunk(texts, source, start), [r[1] for r in rows], [r[2] for r in rows]
    )
    fast, slow = io.StringIO(), io.StringIO()
    write_chunks([labelled], fast, "csv")
    write_rows(list(labelled.records()), slow, "csv")
    assert fast.getvalue() == slow.getvalue()
    fast, slow = io.StringIO(), io.StringIO()
    write_chunks([HeadlineChunk(texts, source, start)], fast, "csv", labelled=False)
    write_rows(HeadlineChunk(texts, source, start).records(), slow, "csv", labelled=False)
    assert fast.getvalue() == slow.getvalue()
