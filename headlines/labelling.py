"""Headline records + a model -> labelled records, streamed chunk by chunk.

Covers: batching a stream of :class:`~headlines.feeds.Headline` through a model so memory
stays flat and output order is input order. Does not cover: reading feeds (feeds.py) or
writing rows (output.py).

``label_headlines(model, [Headline("PSV wint", "<text>", 1)])``
-> ``[LabelledHeadline(headline=..., label="sport", confidence=0.91)]``
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from .feeds import Headline, read_feeds
from .model import Model
from .selection import check_labels, dedupe_headlines, filter_labels

CHUNK_SIZE = 10_000


@dataclass(frozen=True, slots=True)
class LabelledHeadline:
    """A headline record with the label the model gave it and that label's probability."""

    headline: Headline
    label: str
    confidence: float


def label_headlines(
    model: Model, headlines: Iterable[Headline], *, chunk_size: int = CHUNK_SIZE
) -> Iterator[LabelledHeadline]:
    """Label headlines in chunks of ``chunk_size``, yielding one result per input, in order."""
    stream = iter(headlines)
    while chunk := list(islice(stream, chunk_size)):
        labels, confidence = model.predict([h.text for h in chunk])
        for headline, label, conf in zip(chunk, labels, confidence, strict=True):
            yield LabelledHeadline(headline, label, float(conf))


def predict_feeds(
    inputs: Iterable[str],
    *,
    model: Model,
    input_format: str = "auto",
    text_column: str = "headline",
    encoding: str | None = None,
    chunk_size: int = CHUNK_SIZE,
    dedupe: bool = False,
    only: Collection[str] = (),
    exclude: Collection[str] = (),
) -> Iterator[LabelledHeadline]:
    """Read feeds (``-`` is stdin) and label every headline, streaming, in input order.

    ``dedupe`` keeps each headline once (see :func:`~headlines.selection.dedupe_headlines`),
    so a headline repeated on a hundred pages is labelled once. ``only`` and ``exclude`` keep
    and leave out labels; a label the model does not have is an error before anything is read.
    """
    check_labels(only, model.labels, "--only")
    check_labels(exclude, model.labels, "--exclude")
    headlines = read_feeds(
        inputs, input_format=input_format, text_column=text_column, encoding=encoding
    )
    if dedupe:
        headlines = dedupe_headlines(headlines)
    rows = label_headlines(model, headlines, chunk_size=chunk_size)
    return filter_labels(rows, only=set(only), exclude=set(exclude)) if only or exclude else rows
