"""The records that flow through headlines: headlines read from feeds, and labelled ones.

Covers: :class:`Headline` and :class:`HeadlineChunk` (what the readers in feeds/ make),
:class:`LabelledHeadline` and :class:`LabelledChunk` (what predicting.py makes of them),
:class:`Explanation` (why a headline got its label), and the small helpers every layer
shares. Does not cover: reading, labelling or writing them.

``HeadlineChunk(["PSV wint", "Regen"], "a.txt", 1).records()``
-> ``[Headline("PSV wint", "a.txt", 1), Headline("Regen", "a.txt", 2)]``
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice, repeat
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # only labelling needs numpy; parse does without it
    import numpy as np

CHUNK_SIZE = 10_000  # headlines labelled at once: memory stays flat, numpy stays busy
UNKNOWN = "unknown"  # the label of a headline below --min-confidence

T = TypeVar("T")

# What scoring a batch gives: each text's best labels (indices into Model.labels, most
# probable first), their probabilities, and the reasons when they were asked for.
Scores = tuple["np.ndarray", "np.ndarray", list[tuple[tuple[str, float], ...]] | None]


@dataclass(frozen=True, slots=True)
class Headline:
    """One headline of a feed, where it came from, and what the feed said about it.

    ``position`` counts from 1 within its source; ``extra`` holds a CSV row's other columns,
    a JSON line's other fields (as JSON values), or a feed item's link and published time.
    After :func:`~headlines.selection.dedupe_headlines`, ``seen`` counts how often the
    headline appeared and ``seen_in`` names the sources it appeared in.
    """

    text: str
    source: str
    position: int
    age_minutes: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    seen: int = 1
    seen_in: tuple[str, ...] = ()


@dataclass(slots=True)
class HeadlineChunk:
    """Consecutive headlines as a column of texts: the unit predict reads, labels and writes.

    A plain list gives only texts, a source and the first position; other formats keep their
    records. ``HeadlineChunk(["PSV wint", "Regen"], "a.txt", 1).records()``
    -> ``[Headline("PSV wint", "a.txt", 1), Headline("Regen", "a.txt", 2)]``
    """

    texts: list[str]
    source: str = ""
    start: int = 1
    headlines: list[Headline] | None = None
    # A table's other columns, kept as columns (a Parquet file's): each record's extra fields.
    extras: dict[str, list[Any]] | None = None

    @classmethod
    def of(cls, headlines: list[Headline]) -> HeadlineChunk:
        """The chunk of these records, which may come from several sources."""
        return cls([h.text for h in headlines], headlines=headlines)

    def __len__(self) -> int:
        return len(self.texts)

    def records(self) -> list[Headline]:
        """A :class:`Headline` per text, made on the first call."""
        if self.headlines is None:
            extras = self.extras or {}
            self.headlines = [
                Headline(
                    text,
                    self.source,
                    position,
                    extra={name: values[i] for name, values in extras.items()},
                )
                for i, (position, text) in enumerate(enumerate(self.texts, start=self.start))
            ]
        return self.headlines


@dataclass(frozen=True)
class Explanation:
    """Why a headline got its label: every label's probability, most probable first, and the
    features that pushed it to the top label with their share of its score."""

    text: str
    label: str
    probabilities: list[tuple[str, float]]
    contributions: list[tuple[str, float]]
    bias: float


@dataclass(frozen=True, slots=True)
class LabelledHeadline:
    """A headline record with the label the model gave it and that label's probability."""

    headline: Headline
    label: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...] = ()
    reasons: tuple[tuple[str, float], ...] = ()


@dataclass(slots=True)
class LabelledChunk:
    """A chunk of headlines with a label and confidence per headline, as columns; with
    ``top_k`` the next labels, with ``explain`` the reasons."""

    chunk: HeadlineChunk
    labels: list[str]
    confidences: list[float]
    alternatives: list[tuple[tuple[str, float], ...]] | None = None
    reasons: list[tuple[tuple[str, float], ...]] | None = None

    @classmethod
    def of(cls, rows: list[LabelledHeadline]) -> LabelledChunk:
        """The chunk of these labelled records (top-k and reasons as the first row has them)."""
        return cls(
            HeadlineChunk.of([row.headline for row in rows]),
            [row.label for row in rows],
            [row.confidence for row in rows],
            [row.alternatives for row in rows] if rows and rows[0].alternatives else None,
            [row.reasons for row in rows] if rows and rows[0].reasons else None,
        )

    def __len__(self) -> int:
        return len(self.labels)

    def records(self) -> Iterator[LabelledHeadline]:
        """A :class:`LabelledHeadline` per headline, in order."""
        for headline, label, confidence, alternatives, reasons in zip(
            self.chunk.records(),
            self.labels,
            self.confidences,
            self.alternatives or repeat(()),
            self.reasons or repeat(()),
            strict=False,
        ):
            yield LabelledHeadline(headline, label, confidence, alternatives, reasons)

    def select(self, keep: list[int]) -> LabelledChunk:
        """The rows at the positions ``keep``, in that order."""
        records = self.chunk.records()

        def pick(column: list[Any] | None) -> list[Any] | None:
            return None if column is None else [column[i] for i in keep]

        return LabelledChunk(
            HeadlineChunk.of([records[i] for i in keep]),
            [self.labels[i] for i in keep],
            [self.confidences[i] for i in keep],
            pick(self.alternatives),
            pick(self.reasons),
        )


def labelled_chunks(
    batch: list[HeadlineChunk],
    labels: list[str],
    confidences: list[float],
    alternatives: list[tuple[tuple[str, float], ...]] | None = None,
    reasons: list[tuple[tuple[str, float], ...]] | None = None,
) -> Iterator[LabelledChunk]:
    """The chunks of a batch, each with its rows of the columns given for the whole batch."""
    offset = 0
    for chunk in batch:
        end = offset + len(chunk)
        yield LabelledChunk(
            chunk,
            labels[offset:end],
            confidences[offset:end],
            None if alternatives is None else alternatives[offset:end],
            None if reasons is None else reasons[offset:end],
        )
        offset = end


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``batched(range(5), 2) -> [0, 1], [2, 3], [4]``."""
    stream = iter(items)
    while batch := list(islice(stream, size)):
        yield batch


def normalize_key(text: str) -> str:
    """The key under which two headlines count as the same: ``" PSV  wint" -> "psv wint"``."""
    return " ".join(text.casefold().split())
