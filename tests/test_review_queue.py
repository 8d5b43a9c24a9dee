"""The review queue: least sure first, a quota per label, each story once."""

from __future__ import annotations

from collections import Counter

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from headlines.records import Headline
from headlines.review.queue import default_quota, distinct_stories, margins, uncertainty_order


def test_margin_is_the_gap_between_the_two_best_labels() -> None:
    proba = np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8], [0.4, 0.4, 0.2]])
    assert np.allclose(margins(proba), [0.2, 0.7, 0.0])


def test_least_sure_first_when_no_label_fills_a_batch() -> None:
    labels = ["a", "b", "c", "a", "b", "c"]
    order = uncertainty_order([0.6, 0.1, 0.5, 0.05, 0.3, 0.2], labels, quota=2, batch=6)
    assert order == [3, 1, 5, 4, 2, 0]


def test_the_quota_keeps_one_label_from_filling_a_batch() -> None:
    # Twenty 'a' headlines the model is least sure of, then ten each of 'b' and 'c'.
    labels = ["a"] * 20 + ["b"] * 10 + ["c"] * 10
    margin = [i / 100 for i in range(20)] + [0.5 + i / 100 for i in range(20)]
    order = uncertainty_order(margin, labels, quota=4, batch=10)
    first = Counter(labels[i] for i in order[:10])
    assert first == {"a": 4, "b": 4, "c": 2}
    assert order[:4] == [0, 1, 2, 3]  # the four least sure 'a' lead the batch
    assert sorted(order) == list(range(40))


def test_the_quota_gives_way_when_only_one_label_is_left() -> None:
    order = uncertainty_order([0.3, 0.1, 0.2, 0.9], ["a", "a", "a", "b"], quota=1, batch=2)
    assert order == [1, 3, 2, 0]


def test_skipped_indices_are_left_out() -> None:
    assert uncertainty_order([0.3, 0.1, 0.2], ["a", "b", "c"], quota=1, skip={1}) == [2, 0]


@given(
    st.lists(st.tuples(st.floats(0, 1), st.sampled_from("abcd")), max_size=60),
    st.integers(1, 4),
    st.integers(1, 12),
)
def test_the_order_is_every_item_once_and_each_label_least_sure_first(
    items: list[tuple[float, str]], quota: int, batch: int
) -> None:
    margin = [m for m, _ in items]
    labels = [label for _, label in items]
    order = uncertainty_order(margin, labels, quota=quota, batch=batch)
    assert sorted(order) == list(range(len(items)))
    for label in set(labels):
        mine = [margin[i] for i in order if labels[i] == label]
        assert mine == sorted(mine)
    for start in range(0, len(order), batch):
        seen = Counter(labels[i] for i in order[start : start + batch])
        if any(n > quota for n in seen.values()):
            # The quota gave way: every label left after this batch had filled its quota.
            assert all(seen[labels[i]] >= quota for i in order[start + batch :])


def test_default_quota_is_a_share_or_an_even_split() -> None:
    assert default_quota(9) == 3
    assert default_quota(3) == 4
    assert default_quota(2) == 5


def test_repeats_and_near_duplicates_are_one_story() -> None:
    texts = [
        "PSV wint met 2-0 van Ajax in Eindhoven",
        "Regen op komst voor het hele land",
        "psv  WINT met 2-0 van Ajax in Eindhoven",
        "PSV wint met 3-0 van Ajax in Eindhoven",
        "Kabinet valt over stikstof",
    ]
    stories = distinct_stories([Headline(t, "a.txt", i) for i, t in enumerate(texts, 1)])
    assert [[h.position for h in story] for story in stories] == [[1, 3, 4], [2], [5]]
