"""Which headline to ask about next: least sure first, a quota per label, each story once.

Covers: keeping one headline of each group of near-duplicates, the margin between a model's
two most probable labels, and the order of the queue. Does not cover: scoring (model.py),
answers (answers.py) or what a review does with the order (session.py).

``uncertainty_order([0.9, 0.1, 0.2, 0.05], ["a", "a", "a", "b"], quota=1, batch=2)``
-> ``[3, 1, 2, 0]``: the least sure ``b``, then the least sure ``a``; the next batch of two
has only ``a`` left, so the quota gives way.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Sequence

import numpy as np

from ..records import Headline, normalize_key
from ..similarity import near_duplicate_groups

BATCH = 10  # the quota counts labels within each run of this many cards
QUOTA_SHARE = 0.3  # of a batch one label may take, when the model has few labels more


def default_quota(labels: int, batch: int = BATCH) -> int:
    """How many cards of a batch one label may fill: ``default_quota(9) -> 3``, ``(2) -> 5``.

    A share of the batch, or an even split when the model has so few labels that the share
    could not be met.
    """
    return max(round(batch * QUOTA_SHARE), -(-batch // max(labels, 1)))


def margins(proba: np.ndarray) -> np.ndarray:
    """The gap between each row's two largest probabilities: ``[[0.5, 0.3, 0.2]] -> [0.2]``."""
    if proba.shape[1] < 2:
        return np.ones(len(proba))
    top = np.sort(proba, axis=1)[:, -2:]
    return top[:, 1] - top[:, 0]


def distinct_stories(headlines: Sequence[Headline]) -> list[list[Headline]]:
    """The headlines in groups of one story each, in order of first appearance.

    Exact repeats (case and spacing folded) and near-duplicates (word-trigram Jaccard above
    0.6, digits folded: "PSV wint 2-0" and "PSV wint 3-0") share a group, whose first member
    is the one to show.
    """
    first: dict[str, int] = {}
    distinct: list[Headline] = []
    members: list[list[Headline]] = []
    for headline in headlines:
        key = normalize_key(headline.text)
        if key in first:
            members[first[key]].append(headline)
            continue
        first[key] = len(distinct)
        distinct.append(headline)
        members.append([headline])
    groups: dict[int, list[Headline]] = {}
    for index, group in enumerate(near_duplicate_groups([h.text for h in distinct])):
        groups.setdefault(group, []).extend(members[index])
    return list(groups.values())


def uncertainty_order(
    margin: Sequence[float] | np.ndarray,
    labels: Sequence[str],
    *,
    quota: int,
    batch: int = BATCH,
    skip: Collection[int] = (),
) -> list[int]:
    """Indices least sure first (smallest ``margin``), at most ``quota`` of one label in
    each ``batch`` of consecutive places, unless only capped labels are left.

    ``labels`` are the model's best label of each item; ties go to the earlier index, so the
    order is the same on every run. Indices in ``skip`` are left out.
    """
    if quota < 1 or batch < 1:
        raise ValueError(f"quota and batch must be 1 or more, not {quota} and {batch}")
    queues: dict[str, list[tuple[float, int]]] = {}
    for index, (m, label) in enumerate(zip(margin, labels, strict=True)):
        if index not in skip:
            queues.setdefault(label, []).append((float(m), index))
    for entries in queues.values():
        entries.sort(reverse=True)  # popped from the end: least sure first
    heads = [(entries[-1][0], entries[-1][1], label) for label, entries in queues.items()]
    heapq.heapify(heads)
    order: list[int] = []

    def take(label: str) -> None:
        entries = queues[label]
        order.append(entries.pop()[1])
        if entries:
            heapq.heappush(heads, (entries[-1][0], entries[-1][1], label))

    while heads:
        taken: dict[str, int] = {}
        capped = []
        filled = 0
        while heads and filled < batch:
            head = heapq.heappop(heads)
            label = head[2]
            if taken.get(label, 0) >= quota:
                capped.append(head)
                continue
            taken[label] = taken.get(label, 0) + 1
            take(label)
            filled += 1
        for head in capped:
            heapq.heappush(heads, head)
        while heads and filled < batch:  # only capped labels are left: the quota gives way
            take(heapq.heappop(heads)[2])
            filled += 1
    return order
