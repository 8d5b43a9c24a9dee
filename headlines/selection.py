"""Headline records -> the ones a user asked to see: each headline once.

Covers: dropping repeated headlines (``--dedupe``) while counting where they were seen.
Does not cover: reading feeds (feeds.py), labelling (labelling.py) or writing (output.py).

``dedupe_headlines`` on two pages that share a headline::

    a.txt 1  PSV wint        ->  a.txt 1  PSV wint        seen=2  seen_in=("a.txt", "b.txt")
    a.txt 2  Regen op komst      a.txt 2  Regen op komst  seen=1  seen_in=("a.txt",)
    b.txt 1  psv  WINT
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Iterator

from .dataset import normalize_key
from .feeds import Headline

log = logging.getLogger(__name__)


def dedupe_headlines(headlines: Iterable[Headline]) -> Iterator[Headline]:
    """Keep each headline once, at its first place, with how often and where it was seen.

    Headlines are the same when they match after folding case and white space, as in the
    training data. The first record is kept as it is (source, position, age, extra fields);
    ``seen`` counts every time the headline appeared and ``seen_in`` lists the sources it
    appeared in, first seen first. Nothing is yielded until the input has ended, since a
    later page can still repeat any headline; memory grows with the distinct headlines.
    """
    first: dict[str, Headline] = {}
    seen: dict[str, int] = {}
    sources: dict[str, dict[str, None]] = {}  # a dict keeps the sources in first-seen order
    total = 0
    for headline in headlines:
        total += 1
        key = normalize_key(headline.text)
        if key not in first:
            first[key], seen[key], sources[key] = headline, 0, {}
        seen[key] += 1
        sources[key][headline.source] = None
    log.info("kept %d distinct headlines of %d", len(first), total)
    for key, headline in first.items():
        yield dataclasses.replace(headline, seen=seen[key], seen_in=tuple(sources[key]))
