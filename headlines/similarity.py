"""Near-duplicate headlines: the ones that differ only by a word or a number.

Covers: word-trigram Jaccard similarity (digits folded) between headlines, pairs above a
threshold, and groups of near-duplicates, so that cross-validation keeps them in one fold and
the data checks can keep training rows away from the holdout. Does not cover: exact
duplicates (records.normalize_key).

``near_duplicate_groups(["PSV wint 2-0", "PSV wint 3-0", "Regen op komst"]) -> [0, 0, 2]``
"""

from __future__ import annotations

import re

_WORD_RE = re.compile(r"\w+")
_DIGIT_RE = re.compile(r"\d+")


def _shingles(text: str) -> frozenset[str]:
    words = _WORD_RE.findall(_DIGIT_RE.sub("0", text.casefold()))
    if len(words) < 3:
        return frozenset([" ".join(words)])
    return frozenset(" ".join(words[i : i + 3]) for i in range(len(words) - 2))


def near_duplicate_pairs(
    texts: list[str], others: list[str] | None = None, *, threshold: float = 0.6
) -> list[tuple[int, int, float]]:
    """Index pairs whose word-trigram Jaccard similarity is above ``threshold``.

    Within ``texts`` (pairs i < j), or between ``texts`` and ``others`` when given.
    """
    shingles = [_shingles(t) for t in texts]
    targets = shingles if others is None else [_shingles(t) for t in others]
    index: dict[str, list[int]] = {}
    for j, sh in enumerate(targets):
        for s in sh:
            index.setdefault(s, []).append(j)
    pairs = []
    for i, sh in enumerate(shingles):
        candidates = {j for s in sh for j in index.get(s, ())}
        for j in candidates:
            if others is None and j <= i:
                continue
            score = len(sh & targets[j]) / len(sh | targets[j])
            if score > threshold:
                pairs.append((i, j, score))
    return sorted(pairs)


def near_duplicate_groups(texts: list[str], *, threshold: float = 0.6) -> list[int]:
    """A group id per text; near-duplicates (see :func:`near_duplicate_pairs`) share one.

    ``["PSV wint 2-0", "PSV wint 3-0", "Regen op komst"] -> [0, 0, 2]``
    """
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, _ in near_duplicate_pairs(texts, threshold=threshold):
        parent[root(j)] = root(i)
    return [root(i) for i in range(len(texts))]
