"""Headline records + a model -> labelled records, streamed chunk by chunk.

Covers: batching a stream of headlines through a model so memory stays flat and output order
is input order, in this process or in worker processes (parallel.py), with progress. Does not
cover: reading feeds (feeds.py) or writing rows (output.py).

``label_headlines(model, [Headline("PSV wint", "<text>", 1)])``
-> ``[LabelledHeadline(headline=..., label="sport", confidence=0.91)]``

The unit of work is a chunk: texts in, a label and a confidence per text out, as columns
(:class:`LabelledChunk`). Records are made only when asked for, since making one costs about
as much as labelling its headline.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np

from .errors import InputError
from .feeds import (
    CHUNK_SIZE,
    STDIN,
    Headline,
    HeadlineChunk,
    batched,
    expand_inputs,
    read_chunks,
)
from .model import Model
from .progress import ProgressCallback, ProgressReporter
from .selection import check_labels, dedupe_headlines

log = logging.getLogger(__name__)

UNKNOWN = "unknown"

# What scoring a chunk gives: each text's best labels (indices into Model.labels, most
# probable first), their probabilities, and the reasons when they were asked for.
Scores = tuple[np.ndarray, np.ndarray, list[tuple[tuple[str, float], ...]] | None]


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


def score_texts(model: Model, texts: list[str], top: int, explain: int) -> Scores:
    """The ``top`` most probable labels of each text and their probabilities, best first.

    ``score_texts(model, ["PSV wint"], 2, 0)`` -> ``([[7, 2]], [[0.91, 0.04]], None)``, the
    indices into ``model.labels``; with ``explain``, that many n-grams per text as reasons.
    """
    proba = model.predict_proba(texts)
    if top == 1:
        order = proba.argmax(axis=1)[:, None]
    else:
        order = np.argsort(-proba, axis=1, kind="stable")[:, :top]
    reasons = None
    if explain:
        reasons = [tuple(model.explain(text, top=explain).contributions) for text in texts]
    return order, np.take_along_axis(proba, order, axis=1), reasons


def label_chunks(
    model: Model,
    chunks: Iterable[HeadlineChunk],
    *,
    chunk_size: int = CHUNK_SIZE,
    min_confidence: float = 0.0,
    top_k: int = 0,
    explain: int = 0,
    jobs: int = 1,
    progress: ProgressReporter | None = None,
) -> Iterator[LabelledChunk]:
    """Label chunks of headlines, ``chunk_size`` headlines at a time, yielding them in order.

    Below ``min_confidence`` the label is ``unknown`` (the confidence stays the top label's).
    ``top_k`` adds the next labels with their probabilities; ``explain`` adds that many
    n-grams that pushed each headline to its label (slower: it recomputes the features).
    ``jobs`` above 1 labels in that many worker processes once there is more than one batch
    of input; output order stays input order. Bad options are an error at the call, before
    anything is read.
    """
    if not 0.0 <= min_confidence <= 1.0:
        raise InputError(f"--min-confidence {min_confidence}: use a probability from 0 to 1")
    if top_k < 0:
        raise InputError(f"--top-k {top_k}: use 0 or more")
    if jobs < 1:
        raise InputError(f"--jobs {jobs}: use 1 or more")
    return _labelled(model, chunks, chunk_size, min_confidence, top_k, explain, jobs, progress)


def _labelled(
    model: Model,
    chunks: Iterable[HeadlineChunk],
    chunk_size: int,
    min_confidence: float,
    top_k: int,
    explain: int,
    jobs: int,
    progress: ProgressReporter | None,
) -> Iterator[LabelledChunk]:
    """The work of :func:`label_chunks`, once its options are checked."""
    names = np.array([*model.labels, UNKNOWN], dtype=object)
    rows = 0
    if progress is not None:
        progress.start("labelling")
    for batch, (order, probabilities, reasons) in _scored(
        model, _batches(chunks, chunk_size), top_k + 1, explain, jobs
    ):
        best = order[:, 0]
        confidence = probabilities[:, 0]
        if min_confidence:
            best = np.where(confidence >= min_confidence, best, len(names) - 1)
        labels, confidences = names[best].tolist(), confidence.tolist()
        alternatives = None
        if top_k:
            alternatives = [
                tuple(zip(names[o].tolist(), p.tolist(), strict=True))
                for o, p in zip(order[:, 1:], probabilities[:, 1:], strict=True)
            ]
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
        rows += offset
        if progress is not None:
            progress.report("labelling", rows)


def _batches(chunks: Iterable[HeadlineChunk], size: int) -> Iterator[list[HeadlineChunk]]:
    """Consecutive chunks gathered up to ``size`` headlines, so that a folder of small pages
    is labelled a batch at a time rather than a page at a time."""
    batch: list[HeadlineChunk] = []
    count = 0
    for chunk in chunks:
        if batch and count + len(chunk) > size:
            yield batch
            batch, count = [], 0
        batch.append(chunk)
        count += len(chunk)
    if batch:
        yield batch


def _scored(
    model: Model, batches: Iterator[list[HeadlineChunk]], top: int, explain: int, jobs: int
) -> Iterator[tuple[list[HeadlineChunk], Scores]]:
    """Each batch with its scores, in order. The first batch is scored here; worker
    processes start only when a second batch follows, so a small feed never waits for them."""
    first = next(batches, None)
    if first is None:
        return
    yield first, score_texts(model, _texts(first), top, explain)
    if jobs == 1:
        for batch in batches:
            yield batch, score_texts(model, _texts(batch), top, explain)
        return
    from .parallel import score_in_workers  # only runs that use workers load them

    yield from score_in_workers(model, batches, _texts, jobs=jobs, top=top, explain=explain)


def _texts(batch: list[HeadlineChunk]) -> list[str]:
    return batch[0].texts if len(batch) == 1 else [t for chunk in batch for t in chunk.texts]


def label_headlines(
    model: Model,
    headlines: Iterable[Headline],
    *,
    chunk_size: int = CHUNK_SIZE,
    **options: Any,
) -> Iterator[LabelledHeadline]:
    """Label headlines in chunks of ``chunk_size``, yielding one result per input, in order.

    The options (``min_confidence``, ``top_k``, ``explain``, ``jobs``) are those of
    :func:`label_chunks`.
    """
    chunks = (HeadlineChunk.of(batch) for batch in batched(headlines, chunk_size))
    for labelled in label_chunks(model, chunks, chunk_size=chunk_size, **options):
        yield from labelled.records()


def predict_chunks(
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
    jobs: int = 1,
    progress: ProgressCallback | None = None,
) -> Iterator[LabelledChunk]:
    """Read feeds (``-`` is stdin) and label every headline, as labelled chunks in input order.

    ``dedupe`` keeps each headline once (see :func:`~headlines.selection.dedupe_headlines`),
    so a headline repeated on a hundred pages is labelled once. ``only`` and ``exclude`` keep
    and leave out labels; a label the model does not have is an error before anything is read.
    ``jobs`` is as in :func:`label_chunks`; ``progress`` is called after every chunk with the
    rows done and, when all inputs are files, the share of their bytes read.
    """
    known = [*model.labels, UNKNOWN] if min_confidence else model.labels
    check_labels(only, known, "--only")
    check_labels(exclude, known, "--exclude")
    reporter = ProgressReporter(progress, _total_bytes(inputs) if progress is not None else None)
    chunks = read_chunks(
        inputs,
        input_format=input_format,
        text_column=text_column,
        encoding=encoding,
        chunk_size=chunk_size,
        on_read=reporter.read,
    )
    if dedupe:
        records = dedupe_headlines(row for chunk in chunks for row in chunk.records())
        chunks = (HeadlineChunk.of(batch) for batch in batched(records, chunk_size))
    labelled = label_chunks(
        model,
        chunks,
        chunk_size=chunk_size,
        min_confidence=min_confidence,
        top_k=top_k,
        explain=explain,
        jobs=jobs,
        progress=reporter,
    )
    if only or exclude:
        return _keep_labels(labelled, set(only), set(exclude))
    return labelled


def predict_feeds(
    inputs: Iterable[str], *, model: Model, **options: Any
) -> Iterator[LabelledHeadline]:
    """:func:`predict_chunks` as one :class:`LabelledHeadline` per headline, in input order.

    ``predict_feeds(["page.txt"], model=model)`` -> LabelledHeadline(label="sport", ...), ...
    """
    chunks = predict_chunks(inputs, model=model, **options)
    return (row for chunk in chunks for row in chunk.records())


def _keep_labels(
    chunks: Iterable[LabelledChunk], only: set[str], exclude: set[str]
) -> Iterator[LabelledChunk]:
    """The rows whose label is in ``only`` (when given) and not in ``exclude``, in order;
    the chunk-wise :func:`~headlines.selection.filter_labels`."""
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


def _total_bytes(inputs: Iterable[str]) -> int | None:
    """The size of all inputs, or None when one is stdin or cannot be sized (reading it
    will say why)."""
    try:
        names = list(expand_inputs(inputs))
        if STDIN in names:
            return None
        return sum(os.path.getsize(name) for name in names)
    except (InputError, OSError):
        return None
