"""Choosing rows: each headline once."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from headlines.dataset import normalize_key
from headlines.feeds import Headline
from headlines.selection import dedupe_headlines


def test_dedupe_keeps_first_place_and_counts_where_it_was_seen() -> None:
    feed = [
        Headline("PSV wint", "a.txt", 1, age_minutes=60, extra={"link": "x"}),
        Headline("Regen op komst", "a.txt", 2),
        Headline("psv  WINT ", "b.txt", 1, age_minutes=5),
        Headline("PSV wint", "b.txt", 2),
        Headline("PSV wint", "c.txt", 1),
    ]
    assert list(dedupe_headlines(feed)) == [
        Headline("PSV wint", "a.txt", 1, 60, {"link": "x"}, 4, ("a.txt", "b.txt", "c.txt")),
        Headline("Regen op komst", "a.txt", 2, seen=1, seen_in=("a.txt",)),
    ]


@given(st.lists(st.sampled_from(["PSV wint", "psv wint", "Regen", " regen", "Ajax"]), max_size=30))
def test_dedupe_drops_only_repeats_and_loses_no_count(texts: list[str]) -> None:
    feed = [Headline(text, f"page{i % 3}.txt", i + 1) for i, text in enumerate(texts)]
    kept = list(dedupe_headlines(feed))
    keys = [normalize_key(h.text) for h in kept]
    assert keys == list(dict.fromkeys(normalize_key(t) for t in texts))
    assert sum(h.seen for h in kept) == len(texts)
    assert kept == sorted(kept, key=lambda h: h.position)
