"""Scoring batches of headlines in worker processes, in input order, with flat memory.

Covers: a pool of worker processes that each hold the model (given once, when the worker
starts), receive only a batch's texts and send back its scores; at most a few batches in
flight per worker, so memory stays flat and output keeps streaming. Does not cover: what a
score is (model.py) or when to use workers (predicting.py).

``score_in_workers(model, batches, texts_of, jobs=2, top=1, explain=0)``
-> ``(batch, (order, probabilities, reasons))`` for each batch, in order

The worker functions live in this importable module, so each worker keeps its model and its
word cache (scoring.py) from one batch to the next. On Linux (Python 3.11) workers are
forked: they start in milliseconds and share the parent's model pages instead of unpickling
a copy (see :data:`START_METHOD`).
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

from .model import Model
from .records import Scores
from .workers import START_METHOD, leave_interrupts_to_the_parent

if TYPE_CHECKING:
    from concurrent.futures import Future

IN_FLIGHT = 2  # batches per worker sent ahead: enough to keep it busy, few enough to stay flat

_model: Model | None = None  # the worker's model, set by _start

B = TypeVar("B")


def _start(model: Model) -> None:
    """Runs once in each worker: keep the model."""
    global _model
    _model = model
    leave_interrupts_to_the_parent()


def _score(texts: list[str], top: int, explain: int) -> Scores:
    assert _model is not None, "the worker initializer sets the model"
    return _model.score_top(texts, top, explain)


def score_in_workers(
    model: Model,
    batches: Iterable[B],
    texts_of: Callable[[B], list[str]],
    *,
    jobs: int,
    top: int,
    explain: int,
) -> Iterator[tuple[B, Scores]]:
    """Score each batch's texts in ``jobs`` worker processes; yield batches with their scores
    in the order they came."""
    # Imported here, not at the top: a run that labels in one process never needs them.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(
        jobs,
        mp_context=multiprocessing.get_context(START_METHOD),
        initializer=_start,
        # Forked workers get the model as it is, with the word cache and score table that
        # scoring the first batch here has built, and start warm; spawned workers would
        # unpickle the cache, so they get a copy without it.
        initargs=(model if START_METHOD == "fork" else dataclasses.replace(model),),
    )
    pending: deque[tuple[B, Future[Scores]]] = deque()
    try:
        for batch in batches:
            pending.append((batch, pool.submit(_score, texts_of(batch), top, explain)))
            if len(pending) > IN_FLIGHT * jobs:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
