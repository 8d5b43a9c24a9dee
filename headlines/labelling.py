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

import numpy as np

from .errors import InputError
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
    alternatives: tuple[tuple[str, float], ...] = ()
    reasons: tuple[tuple[str, float], ...] = ()


UNKNOWN = "unknown"


def label_headlines(
    model: Model,
    headlines: Iterable[Headline],
    *,
    chunk_size: int = CHUNK_SIZE,
    min_confidence: float = 0.0,
    top_k: int = 0,
    explain: int = 0,
) -> Iterator[LabelledHeadline]:
    """Label headlines in chunks of ``chunk_size``, yielding one result per input, in order.

    Below ``min_confidence`` the label is ``unknown`` (the confidence stays the top label's).
    ``top_k`` adds the next labels with their probabilities; ``explain`` adds that many
    n-grams that pushed each headline to its label (slower: it recomputes the features).
    """
    if not 0.0 <= min_confidence <= 1.0:
        raise InputError(f"--min-confidence {min_confidence}: use a probability from 0 to 1")
    if top_k < 0:
        raise InputError(f"--top-k {top_k}: use 0 or more")
    labels = model.labels
    stream = iter(headlines)
    while chunk := list(islice(stream, chunk_size)):
        proba = model.predict_proba([h.text for h in chunk])
        order = np.argsort(-proba, axis=1, kind="stable")[:, : top_k + 1]
        for i, headline in enumerate(chunk):
            best = order[i, 0]
            confidence = float(proba[i, best])
            label = labels[best] if confidence >= min_confidence else UNKNOWN
            alternatives = tuple((labels[j], float(proba[i, j])) for j in order[i, 1:])
            reasons: tuple[tuple[str, float], ...] = ()
            if explain:
                reasons = tuple(model.explain(headline.text, top=explain).contributions)
            yield LabelledHeadline(headline, label, confidence, alternatives, reasons)


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
    min_confidence: float = 0.0,
    top_k: int = 0,
    explain: int = 0,
) -> Iterator[LabelledHeadline]:
    """Read feeds (``-`` is stdin) and label every headline, streaming, in input order.

    ``dedupe`` keeps each headline once (see :func:`~headlines.selection.dedupe_headlines`),
    so a headline repeated on a hundred pages is labelled once. ``only`` and ``exclude`` keep
    and leave out labels; a label the model does not have is an error before anything is read.
    """
    known = [*model.labels, UNKNOWN] if min_confidence else model.labels
    check_labels(only, known, "--only")
    check_labels(exclude, known, "--exclude")
    headlines = read_feeds(
        inputs, input_format=input_format, text_column=text_column, encoding=encoding
    )
    if dedupe:
        headlines = dedupe_headlines(headlines)
    rows = label_headlines(
        model,
        headlines,
        chunk_size=chunk_size,
        min_confidence=min_confidence,
        top_k=top_k,
        explain=explain,
    )
    return filter_labels(rows, only=set(only), exclude=set(exclude)) if only or exclude else rows
