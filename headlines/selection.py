"""Headline records -> the ones a user asked to see: each headline once, some labels, by label.

Covers: dropping repeated headlines (``--dedupe``) while counting where they were seen, keeping
or leaving out labels (``--only``, ``--exclude``), and grouping rows by label (``--group``).
Does not cover: reading feeds (feeds/), labelling (predicting.py) or writing (output.py).

``dedupe_headlines`` on two pages that share a headline::

    a.txt 1  PSV wint        ->  a.txt 1  PSV wint        seen=2  seen_in=("a.txt", "b.txt")
    a.txt 2  Regen op komst      a.txt 2  Regen op komst  seen=1  seen_in=("a.txt",)
    b.txt 1  psv  WINT
"""

from __future__ import annotations

import dataclasses
import difflib
import logging
from collections.abc import Collection, Iterable, Iterator

from .errors import OptionError
from .records import (
    Headline,
    HeadlineChunk,
    LabelledChunk,
    LabelledHeadline,
    batched,
    normalize_key,
)

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


def dedupe_chunks(chunks: Iterable[HeadlineChunk], chunk_size: int) -> Iterator[HeadlineChunk]:
    """:func:`dedupe_headlines` of the chunks' headlines, in chunks of ``chunk_size`` again."""
    headlines = dedupe_headlines(row for chunk in chunks for row in chunk.records())
    return (HeadlineChunk.of(batch) for batch in batched(headlines, chunk_size))


def check_labels(labels: Iterable[str], known: Collection[str], option: str) -> None:
    """Refuse a label the model does not have, naming the labels it has.

    ``check_labels(["crypto"], ["crypto-spam", "sport"], "exclude")`` raises
    ``unknown label 'crypto' in exclude (did you mean crypto-spam?); the model's labels are
    crypto-spam, sport`` (``--exclude`` on the command line).
    """
    for label in labels:
        if label not in known:
            close = difflib.get_close_matches(label, list(known), n=1, cutoff=0.5)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise OptionError(
                option,
                f"unknown label '{label}' in {{name}}{hint}; the model's labels are "
                f"{', '.join(sorted(known))}",
            )


def filter_labels(
    chunks: Iterable[LabelledChunk],
    *,
    only: Collection[str] = (),
    exclude: Collection[str] = (),
) -> Iterator[LabelledChunk]:
    """Keep the rows whose label is in ``only`` (when given) and not in ``exclude``, in order.

    ``filter_labels(chunks, exclude={"crypto-spam"})`` -> every row but the crypto spam, as
    chunks; a chunk left empty is dropped.
    """
    kept = dropped = 0
    for chunk in chunks:
        keep = [
            i
            for i, label in enumerate(chunk.labels)
            if (not only or label in only) and label not in exclude
        ]
        kept += len(keep)
        dropped += len(chunk) - len(keep)
        if keep:
            yield chunk if len(keep) == len(chunk) else chunk.select(keep)
    log.info("kept %d rows, left out %d by label", kept, dropped)


def group_by_label(rows: Iterable[LabelledHeadline]) -> list[tuple[str, list[LabelledHeadline]]]:
    """The rows by label, the biggest group first (then by name), each in input order.

    ``[sport A, tech B, sport C]`` -> ``[("sport", [A, C]), ("tech", [B])]``
    """
    groups: dict[str, list[LabelledHeadline]] = {}
    for row in rows:
        groups.setdefault(row.label, []).append(row)
    return sorted(groups.items(), key=lambda group: (-len(group[1]), group[0]))
