"""Feeds + a model -> labelled records, streamed chunk by chunk: the mirror of training.py.

Covers: the two reading pipelines of the command line, end to end: ``parse`` (read, dedupe)
and ``predict`` (read, dedupe, score in this process or in workers, abstain, filter, group),
with progress. Records are made only when asked for, since making one costs about as much
as labelling its headline. Does not cover: the readers (feeds/), what a score is (model.py),
worker processes (parallel.py) or writing rows (output.py).

``label_headlines(model, [Headline("PSV wint", "<text>", 1)])``
-> ``[LabelledHeadline(headline=..., label="sport", confidence=0.91)]``
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any

from .errors import OptionError, OptionWarning
from .feeds import Reading, expand_inputs, read_chunks
from .few import FEW, FewModel, are_few, few_or_loaded, label_few
from .files import STDIN
from .priors import Shares, log_shares, read_shares
from .priors import choose as choose_priors
from .progress import ProgressCallback, ProgressReporter
from .records import (
    CHUNK_SIZE,
    UNKNOWN,
    Headline,
    HeadlineChunk,
    LabelledChunk,
    LabelledHeadline,
    Scores,
    batched,
    labelled_chunks,
)
from .selection import check_labels, dedupe_chunks, filter_labels, group_by_label
from .workers import available_cores

if TYPE_CHECKING:  # a few headlines are labelled without numpy (few.py)
    import numpy as np

    from .model import Model
    from .persistence import ModelFile


def label_chunks(
    model: Model,
    chunks: Iterable[HeadlineChunk],
    *,
    chunk_size: int = CHUNK_SIZE,
    min_confidence: float | str = 0.0,
    top_k: int = 0,
    explain: int = 0,
    jobs: int = 1,
    progress: ProgressReporter | None = None,
) -> Iterator[LabelledChunk]:
    """Label chunks of headlines, ``chunk_size`` headlines at a time, yielding them in order.

    Below ``min_confidence`` the label is ``unknown`` (the confidence stays the top label's);
    ``"auto"`` takes each label's own threshold from the model card, chosen while training
    so that the label's kept predictions reach a stated precision (calibration.py).
    ``top_k`` adds the next labels with their probabilities; ``explain`` adds that many
    n-grams that pushed each headline to its label (slower: it recomputes the features).
    ``jobs`` above 1 labels in that many worker processes once there is more than one batch
    of input; output order stays input order. Bad options are an error at the call, before
    anything is read.
    """
    floors = check_options(model, min_confidence, top_k, jobs)
    jobs = _usable_jobs(jobs)
    return _labelled(model, chunks, chunk_size, floors, top_k, explain, jobs, progress)


def _usable_jobs(jobs: int) -> int:
    """``jobs``, or the cores this process may run on when it asks for more (with an
    :class:`OptionWarning`): more workers than cores only take memory and time to start."""
    cores = available_cores()
    if jobs <= cores:
        return jobs
    warnings.warn(
        OptionWarning(
            "jobs", f"{{name}} {jobs:,} is more than the {cores} cores here; using {cores}"
        ),
        stacklevel=3,
    )
    return cores


def check_options(
    model: Model | FewModel, min_confidence: float | str, top_k: int, jobs: int
) -> list[float] | None:
    """Raise on a bad option; the confidence floors (see :func:`confidence_floors`)."""
    floors = confidence_floors(model, min_confidence)
    if top_k < 0:
        raise OptionError("top_k", f"{{name}} {top_k}: use 0 or more")
    check_jobs(jobs)
    return floors


def check_jobs(jobs: int) -> None:
    """Raise on a number of worker processes that cannot be."""
    if jobs < 1:
        raise OptionError("jobs", f"{{name}} {jobs}: use 1 or more")


def confidence_floors(model: Model | FewModel, min_confidence: float | str) -> list[float] | None:
    """Each label's lowest confidence to keep it, or None to keep every label.

    ``0.6`` -> 0.6 for every label; ``"auto"`` -> the thresholds in the model's card
    (``{"sport": 0.0, "lifestyle": 0.62}``), a label without one kept always.
    """
    if min_confidence == "auto":
        calibration = model.card.calibration or {}
        thresholds = calibration.get("thresholds")
        if not isinstance(thresholds, dict):
            raise OptionError(
                "min_confidence",
                "{name} auto: this model's card has no per-label thresholds (it was saved by an "
                "older headlines); retrain it, or pass a probability such as 0.6",
            )
        return [float(thresholds.get(label, 0.0)) for label in model.labels]
    try:
        value = float(min_confidence)
    except ValueError:
        value = float("nan")
    if not 0.0 <= value <= 1.0:
        raise OptionError(
            "min_confidence",
            f"{{name}} {min_confidence}: use a probability from 0 to 1, or auto",
        )
    return [value] * len(model.labels) if value else None


def _labelled(
    model: Model,
    chunks: Iterable[HeadlineChunk],
    chunk_size: int,
    floors: list[float] | None,
    top_k: int,
    explain: int,
    jobs: int,
    progress: ProgressReporter | None,
) -> Iterator[LabelledChunk]:
    """The work of :func:`label_chunks`, once its options are checked."""
    import numpy as np

    names = np.array([*model.labels, UNKNOWN], dtype=object)
    lowest = None if floors is None else np.array(floors)
    rows = 0
    if progress is not None:
        progress.start("labelling")
    for batch, (order, probabilities, reasons) in _scored(
        model, _batches(chunks, chunk_size), top_k + 1, explain, jobs
    ):
        best = order[:, 0]
        confidence = probabilities[:, 0]
        if lowest is not None:
            best = np.where(confidence >= lowest[best], best, len(names) - 1)
        labels, confidences = names[best].tolist(), confidence.tolist()
        alternatives = None
        if top_k:
            alternatives = [
                tuple(zip(names[o].tolist(), p.tolist(), strict=True))
                for o, p in zip(order[:, 1:], probabilities[:, 1:], strict=True)
            ]
        yield from labelled_chunks(batch, labels, confidences, alternatives, reasons)
        rows += len(labels)
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
    yield first, model.score_top(_texts(first), top, explain)
    second = next(batches, None)
    if second is None:
        return
    rest = chain([second], batches)
    if jobs == 1:
        for batch in rest:
            yield batch, model.score_top(_texts(batch), top, explain)
        return
    from .parallel import score_in_workers  # only runs that use workers load them

    yield from score_in_workers(model, rest, _texts, jobs=jobs, top=top, explain=explain)


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


@dataclass(frozen=True)
class Labelling:
    """What predict does with the headlines it reads, as ``headlines predict`` takes it from
    its options.

    ``only`` and ``exclude`` keep and leave out labels. Below ``min_confidence`` the label is
    ``unknown`` (see :func:`label_chunks`; ``"auto"`` takes the card's thresholds).
    ``priors`` adjusts the probabilities to the label shares of the texts being labelled:
    ``"feed"`` (the default) estimates them from the first headlines (see priors.py),
    ``"train"`` keeps the training data's, any other value names a file of ``label,share``
    lines. ``top_k`` adds the next labels; ``explain`` adds that many n-grams that pushed
    each headline to its label.
    """

    only: Collection[str] = ()
    exclude: Collection[str] = ()
    min_confidence: float | str = 0.0
    priors: str = "feed"
    top_k: int = 0
    explain: int = 0

    def check(self, model: Model | FewModel) -> list[float] | None:
        """Raise on an option ``model`` cannot take, before anything is read; the label
        shares a priors file gives (None for ``"feed"`` and ``"train"``)."""
        check_options(model, self.min_confidence, self.top_k, jobs=1)
        if self.explain < 0:
            raise OptionError("explain", f"{{name}} {self.explain}: use 0 or more")
        known = [*model.labels, UNKNOWN] if self.min_confidence else model.labels
        check_labels(self.only, known, "only")
        check_labels(self.exclude, known, "exclude")
        return read_shares(self.priors, model.labels)

    def kept(self, chunks: Iterator[LabelledChunk]) -> Iterator[LabelledChunk]:
        """``chunks`` without the rows that ``only`` and ``exclude`` leave out."""
        if not (self.only or self.exclude):
            return chunks
        return filter_labels(chunks, only=set(self.only), exclude=set(self.exclude))


def predict_chunks(
    inputs: Iterable[str],
    *,
    model: Model | ModelFile,
    reading: Reading = Reading(),
    labelling: Labelling = Labelling(),
    chunk_size: int = CHUNK_SIZE,
    dedupe: bool = False,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
) -> Iterator[LabelledChunk]:
    """Read feeds (``-`` is stdin) and label every headline, as labelled chunks in input order.

    ``reading`` says how to read the feeds and ``labelling`` what to do with each headline;
    a bad option (a label the model does not have) is an error before anything is read.
    ``dedupe`` keeps each headline once (see :func:`~headlines.selection.dedupe_headlines`),
    so a headline repeated on a hundred pages is labelled once. ``jobs`` is as in
    :func:`label_chunks` (default: all cores); ``progress`` is called after every chunk with
    the rows done and, when all inputs are files, the share of their bytes read. The label
    shares of ``labelling.priors="feed"`` are estimated from the first ``chunk_size``
    headlines.

    ``model`` may be a :class:`~headlines.persistence.ModelFile` not loaded yet: an input of
    :data:`~headlines.few.FEW` headlines or fewer, short enough, is then labelled in plain
    Python (few.py), and numpy is not loaded at all.
    """
    opened = few_or_loaded(model)
    fixed = labelling.check(opened)
    jobs = available_cores() if jobs is None else jobs
    check_jobs(jobs)
    jobs = _usable_jobs(jobs)
    names = list(expand_inputs(inputs))
    reporter = ProgressReporter(progress, _total_bytes(names) if progress is not None else None)
    chunks = read_chunks(names, reading, chunk_size=chunk_size, on_read=reporter.read)
    if dedupe:
        chunks = dedupe_chunks(chunks, chunk_size)
    labelled = label_opened(
        opened, chunks, labelling, fixed=fixed, chunk_size=chunk_size, jobs=jobs, progress=reporter
    )
    return labelling.kept(labelled)


def label_opened(
    opened: Model | FewModel,
    chunks: Iterable[HeadlineChunk],
    labelling: Labelling,
    *,
    fixed: list[float] | None,
    chunk_size: int = CHUNK_SIZE,
    jobs: int = 1,
    progress: ProgressReporter | None = None,
) -> Iterator[LabelledChunk]:
    """The chunks labelled by a model as :func:`~headlines.few.few_or_loaded` opened it: by a
    :class:`~headlines.few.FewModel` in plain Python when they are few (all of them, no more
    than :data:`~headlines.few.FEW` rows, and short), else by its file loaded. The label
    shares are ``labelling.priors``'s (``fixed`` those of a file; ``"feed"`` estimated from
    the first ``chunk_size`` headlines); its confidence floor, next labels and reasons as in
    :func:`label_chunks`. Its ``only`` and ``exclude`` are the caller's to apply."""
    if isinstance(opened, FewModel):
        head, chunks = first_rows(chunks, FEW + 1)
        if are_few(head):
            return label_few(
                opened,
                head,
                priors=labelling.priors,
                fixed=fixed,
                floors=confidence_floors(opened, labelling.min_confidence),
                top_k=labelling.top_k,
                explain=labelling.explain,
                progress=progress,
            )
        opened = opened.file.load()
        chunks = chain(head, chunks)
    model = opened
    if labelling.priors != "train":
        head, chunks = first_rows(chunks, chunk_size)
        model = model.with_priors(label_shares(model, labelling.priors, fixed, head))
        chunks = chain(head, chunks)
    return label_chunks(
        model,
        chunks,
        chunk_size=chunk_size,
        min_confidence=labelling.min_confidence,
        top_k=labelling.top_k,
        explain=labelling.explain,
        jobs=jobs,
        progress=progress,
    )


def label_shares(
    model: Model, priors: str, fixed: Shares | None, head: list[HeadlineChunk]
) -> Shares | None:
    """The label shares to label with, in :attr:`Model.labels` order (None: as trained).

    ``priors`` is as in :class:`Labelling`, ``fixed`` what
    :func:`~headlines.priors.read_shares` read for it, and ``head`` the first headlines of
    the input, from which ``"feed"`` estimates the shares.
    """
    shares = choose_priors(priors, fixed, _calibrated(model, head), model.training_priors)
    log_shares(model.labels, shares)
    return shares


def first_rows(
    chunks: Iterable[HeadlineChunk], rows: int
) -> tuple[list[HeadlineChunk], Iterator[HeadlineChunk]]:
    """The chunks that hold the first ``rows`` headlines (or all there are), and the rest."""
    rest = iter(chunks)
    head: list[HeadlineChunk] = []
    count = 0
    while count < rows and (chunk := next(rest, None)) is not None:
        head.append(chunk)
        count += len(chunk)
    return head, rest


def _calibrated(model: Model, chunks: list[HeadlineChunk]) -> np.ndarray:
    """The probabilities of every headline under the training shares, a chunk at a time."""
    import numpy as np

    if not chunks:
        return np.empty((0, len(model.labels)))
    return np.concatenate([model.calibrated_proba(chunk.texts) for chunk in chunks])


def predict_groups(
    inputs: Iterable[str], *, model: Model | ModelFile, **options: Any
) -> list[tuple[str, list[LabelledHeadline]]]:
    """:func:`predict_chunks`' rows by label, the biggest group first, each in input order.

    ``predict_groups(["page.txt"], model=model)`` -> ``[("sport", [...]), ("politics", [...])]``
    """
    chunks = predict_chunks(inputs, model=model, **options)
    return group_by_label(row for chunk in chunks for row in chunk.records())


def _total_bytes(names: list[str]) -> int | None:
    """The size of all input files, or None when one is stdin or cannot be sized (reading
    it will say why)."""
    if STDIN in names:
        return None
    try:
        return sum(os.path.getsize(name) for name in names)
    except OSError:
        return None
