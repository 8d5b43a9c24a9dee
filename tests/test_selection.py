"""Choosing rows: each headline once, some labels, grouped by label."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from headlines.errors import OptionError
from headlines.records import Headline, LabelledChunk, LabelledHeadline, normalize_key
from headlines.selection import check_labels, dedupe_headlines, filter_labels, group_by_label


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


def _labelled(*labels: str) -> list[LabelledHeadline]:
    return [LabelledHeadline(Headline(f"kop {i}", "a.txt", i), lab, 0.9) for i, lab in
            enumerate(labels, start=1)]  # fmt: skip


def _kept(rows: list[LabelledHeadline], **options: set[str]) -> list[int]:
    chunks = [LabelledChunk.of(rows[:2]), LabelledChunk.of(rows[2:])]
    return [r.headline.position for c in filter_labels(chunks, **options) for r in c.records()]


def test_filter_labels_only_and_exclude_keep_input_order() -> None:
    rows = _labelled("sport", "crypto-spam", "tech", "sport")
    assert _kept(rows, only={"sport", "tech"}) == [1, 3, 4]
    assert _kept(rows, exclude={"crypto-spam"}) == [1, 3, 4]
    assert _kept(rows, exclude={"sport", "tech"}) == [2]
    assert _kept(rows, only={"sport"}, exclude={"sport"}) == []


def test_group_by_label_biggest_first_then_by_name_rows_in_input_order() -> None:
    groups = group_by_label(_labelled("tech", "sport", "crime", "sport", "tech", "weather"))
    assert [(label, [r.headline.position for r in rows]) for label, rows in groups] == [
        ("sport", [2, 4]),
        ("tech", [1, 5]),
        ("crime", [3]),
        ("weather", [6]),
    ]


def test_check_labels_names_the_bad_label_and_the_known_ones() -> None:
    check_labels(["sport"], ["sport", "tech"], "only")
    with pytest.raises(OptionError) as err:
        check_labels(["sports", "zzz"], ["tech", "sport"], "only")
    assert str(err.value) == (
        "unknown label 'sports' in only (did you mean sport?); the model's labels are sport, tech"
    )
    assert err.value.naming("--only").startswith("unknown label 'sports' in --only (did you")
    with pytest.raises(OptionError) as err:
        check_labels(["zzz"], ["tech", "sport"], "exclude")
    assert str(err.value) == "unknown label 'zzz' in exclude; the model's labels are sport, tech"
