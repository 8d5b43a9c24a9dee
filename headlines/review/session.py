"""One review: the queue of headlines, the answers so far, undo, and retraining in the background.

Covers: opening a review (feeds, model, training file, answers file), the card to show
next, answering, skipping and undoing (the answers file follows at once), the counters,
retraining in a thread every N answers or when asked, and putting a retrained model to use
(and saving it, atomically, where asked). Every method is safe to call from several threads.
Does not cover: the web page (app.py) or the order itself (queue.py).

``session = open_review(["data/feeds"], model, train="data/train.csv")``;
``card = session.current()``; ``session.answer(card.id, "sport")``; ``session.undo()``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from ..dataset import load_dataset
from ..errors import HeadlinesError, InputError, OptionError
from ..feeds import read_feeds
from ..files import open_file
from ..model import Model
from ..persistence import save_model
from ..records import Headline, normalize_key
from .answers import Answer, AnswerLog, one_line
from .queue import BATCH, default_quota, distinct_stories, margins, uncertainty_order
from .retraining import Retrained, is_held_out, retrain

log = logging.getLogger(__name__)

RETRAIN_EVERY = 50
TOP = 3  # labels and reasons shown on a card


class StaleCard(HeadlinesError):
    """An answer to a card that is no longer the one shown (a key pressed twice, an old tab)."""


@dataclass(frozen=True)
class Card:
    """What the page shows of the headline asked about."""

    id: int
    text: str
    source: str
    age_minutes: int | None
    seen: int  # headlines of the feeds this card stands for (repeats and near-duplicates)
    label: str  # the model's best label
    top: list[tuple[str, float]]
    reasons: list[tuple[str, float]]


@dataclass(frozen=True)
class Counts:
    labelled: int  # headlines of these feeds answered, in this run or an earlier one
    skipped: int
    left: int
    held_out: int  # answers kept for scoring retrained models


@dataclass
class RetrainState:
    """Where retraining stands: idle, running, done or failed, and what the last one did."""

    status: str = "idle"
    answers: int = 0  # answers in the file when it started
    report: Retrained | None = None
    error: str | None = None
    in_use: bool = False  # the retrained model now labels the queue
    saved_to: str | None = None


@dataclass
class _Story:
    """A headline of the feeds and its repeats: one card."""

    headlines: list[Headline]
    keys: set[str] = field(default_factory=set)

    @property
    def shown(self) -> Headline:
        return self.headlines[0]


def model_id(model: Model) -> str:
    """The model column of an answer: the start of the model payload's sha256."""
    return model.card.model_sha256[:12] or "unsaved"


def read_label_file(path: str | Path) -> list[str]:
    """The labels of a file with one label a line (blank lines and ``#`` comments aside).

    ``"sport\\n# mine\\nfruit\\n" -> ["sport", "fruit"]``
    """
    with open_file(path, expected="a file with one label a line") as fh:
        try:
            lines = fh.read().decode("utf-8-sig").splitlines()
        except UnicodeDecodeError:
            raise InputError(f"{path}: is not UTF-8 text; save it as UTF-8") from None
    labels = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    if not labels:
        raise InputError(f"{path}: names no label; write one label a line")
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:
        raise InputError(f"{path}: names {', '.join(repeated)} twice; keep each label once")
    return labels


def open_review(
    feeds: Sequence[str],
    model: Model,
    *,
    train: str | Path,
    out: str | Path | None = None,
    labels: Sequence[str] | None = None,
    holdout: str | Path | None = None,
    save_model_to: str | Path | None = None,
    model_file: str | Path | None = None,
    retrain_every: int = RETRAIN_EVERY,
    quota: int | None = None,
) -> ReviewSession:
    """Read the feeds and the training file, open the answers file (``out``, default the
    training file) and order the queue.

    Headlines already in the training file are not asked; answers already in the answers
    file count as done, so a review started again goes on where it stopped. ``labels`` are
    the labels offered (default: the model's). ``save_model_to`` gets every retrained model;
    without it, :meth:`ReviewSession.use_retrained` replaces ``model_file`` when given.
    """
    if retrain_every < 0:
        raise OptionError("retrain_every", f"{{name}} {retrain_every}: use 0 (never) or more")
    train = Path(train)
    if not train.is_file():
        raise InputError(f"{train}: no such file; pass --train with a labelled CSV")
    stories = distinct_stories(list(read_feeds(feeds)))
    answers = AnswerLog(out if out is not None else train, inputs=tuple(feeds))
    # Rows review did not write are training data, never asked; its answers are done.
    known = {normalize_key(a.headline) for a in answers.rows if not a.from_review}
    training = [train]
    if answers.path.resolve() != train.resolve():
        training.append(answers.path)
        known |= {normalize_key(t) for t in load_dataset([train], dedupe=False).texts}
    return ReviewSession(
        model,
        stories,
        answers,
        known=known,
        labels=list(labels) if labels else model.labels,
        training=training,
        holdout=Path(holdout) if holdout is not None else None,
        save_model_to=Path(save_model_to) if save_model_to is not None else None,
        model_file=Path(model_file) if model_file is not None else None,
        retrain_every=retrain_every,
        quota=quota,
    )


class ReviewSession:
    """The state of one review; see the module docstring."""

    def __init__(
        self,
        model: Model,
        stories: list[list[Headline]],
        answers: AnswerLog,
        *,
        known: set[str],
        labels: list[str],
        training: list[Path],
        holdout: Path | None = None,
        save_model_to: Path | None = None,
        model_file: Path | None = None,
        retrain_every: int = RETRAIN_EVERY,
        quota: int | None = None,
        batch: int = BATCH,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.model = model
        self.answers = answers
        self.labels = labels
        self.training = training
        self.holdout = holdout
        self.save_model_to = save_model_to
        self.model_file = model_file
        self.retrain_every = retrain_every
        self.quota = quota or default_quota(len(model.labels), batch)
        self.batch = batch
        self.clock = clock
        self.retraining = RetrainState()
        self._lock = threading.RLock()
        self._candidate: Model | None = None
        self._thread: threading.Thread | None = None
        self._since_retrain = 0
        self._again = False  # retrain once more when the running one ends
        self._history: list[tuple[int, Answer | None]] = []  # (story, its answer or a skip)
        self._skipped: set[int] = set()
        self._reasons: dict[int, list[tuple[str, float]]] = {}
        self.stories = [
            _Story(group, {normalize_key(h.text) for h in group})
            for group in stories
            if not any(normalize_key(h.text) in known for h in group)
        ]
        answered_at = {
            normalize_key(a.headline): row for row, a in enumerate(answers.rows) if a.from_review
        }
        done = {}
        for index, story in enumerate(self.stories):
            rows = [answered_at[k] for k in story.keys if k in answered_at]
            if rows:
                done[index] = min(rows)
        self._answered = set(done)
        self._order = sorted(done, key=done.__getitem__)
        self._position = len(self._order)
        self._score()

    # --- what the page shows -------------------------------------------------------------

    def current(self) -> Card | None:
        """The card to answer now, or None when the queue is done."""
        with self._lock:
            if self._position >= len(self._order):
                return None
            index = self._order[self._position]
            story = self.stories[index]
            row = self._proba[index]
            best = np.argsort(-row, kind="stable")[:TOP]
            names = self.model.labels
            if index not in self._reasons:
                try:
                    reasons = self.model.explain(story.shown.text, top=TOP).contributions
                except InputError:  # a model that cannot explain still labels
                    reasons = []
                self._reasons[index] = reasons
            return Card(
                id=index,
                text=story.shown.text,
                source=story.shown.source,
                age_minutes=story.shown.age_minutes,
                seen=len(story.headlines),
                label=names[int(best[0])],
                top=[(names[int(i)], float(row[i])) for i in best],
                reasons=self._reasons[index],
            )

    def counts(self) -> Counts:
        with self._lock:
            return Counts(
                labelled=len(self._answered),
                skipped=len(self._skipped),
                left=len(self._order) - self._position,
                held_out=sum(a.from_review and is_held_out(a.headline) for a in self.answers.rows),
            )

    @property
    def model_name(self) -> str:
        return model_id(self.model)

    # --- answering -----------------------------------------------------------------------

    def answer(self, card_id: int, label: str) -> Answer:
        """Record ``label`` for the card ``card_id`` (appended to the answers file at once)."""
        with self._lock:
            index = self._check(card_id)
            if label not in self.labels:
                raise InputError(f"unknown label '{label}'; answer one of {', '.join(self.labels)}")
            story = self.stories[index]
            answer = Answer(
                one_line(story.shown.text),
                label,
                one_line(story.shown.source),
                self.clock().isoformat(timespec="seconds"),
                model_id(self.model),
            )
            self.answers.append(answer)
            self._answered.add(index)
            self._history.append((index, answer))
            self._position += 1
            self._since_retrain += 1
            if self.retrain_every and self._since_retrain >= self.retrain_every:
                self.start_retrain()
            return answer

    def skip(self, card_id: int) -> None:
        """Pass over the card for this run (a review started again asks it again)."""
        with self._lock:
            index = self._check(card_id)
            self._skipped.add(index)
            self._history.append((index, None))
            self._position += 1

    def undo(self) -> bool:
        """Take back the last answer or skip; its card is shown again. False if none.

        After a restart, the last answer review wrote to the answers file is taken back.
        """
        with self._lock:
            if self._history:
                index, answer = self._history.pop()
                if answer is None:
                    self._skipped.discard(index)
                else:
                    self.answers.remove_last(answer)
                    self._answered.discard(index)
                    self._since_retrain = max(0, self._since_retrain - 1)
                self._show_again(index)
                return True
            if not self.answers.rows or not self.answers.rows[-1].from_review:
                return False
            removed = self.answers.remove_last(self.answers.rows[-1])
            key = normalize_key(removed.headline)
            for index in self._order[: self._position]:
                if key in self.stories[index].keys:
                    self._answered.discard(index)
                    self._show_again(index)
                    break
            return True

    def _check(self, card_id: int) -> int:
        current = self._order[self._position] if self._position < len(self._order) else None
        if card_id != current:
            raise StaleCard(f"card {card_id} is not the one shown; reload the page")
        return current

    def _show_again(self, index: int) -> None:
        self._order.remove(index)
        self._position -= 1
        self._order.insert(self._position, index)

    def _score(self) -> None:
        """Score every story with the model in use and order what is left to ask."""
        texts = [story.shown.text for story in self.stories]
        names = self.model.labels
        self._proba = self.model.predict_proba(texts) if texts else np.empty((0, len(names)))
        self._reasons.clear()
        handled = self._order[: self._position]
        best = [names[i] for i in self._proba.argmax(axis=1)] if texts else []
        self._order = handled + uncertainty_order(
            margins(self._proba), best, quota=self.quota, batch=self.batch, skip=set(handled)
        )

    # --- retraining ----------------------------------------------------------------------

    def start_retrain(self) -> bool:
        """Retrain in a background thread on the training files and the answers so far.
        When one is running already, another starts as it ends (with the answers given by
        then), and this returns False."""
        with self._lock:
            if self.retraining.status == "running":
                self._again = True
                return False
            self._since_retrain = 0
            answers = [a for a in self.answers.rows if a.from_review]
            self.retraining = RetrainState("running", answers=len(answers))
            feed_texts = [story.shown.text for story in self.stories]
            model = self.model
            self._thread = threading.Thread(
                target=self._retrain,
                args=(model, answers, feed_texts),
                name="headlines-retrain",
                daemon=True,
            )
            self._thread.start()
            return True

    def wait_for_retrain(self, timeout: float | None = None) -> RetrainState:
        """Block until a running retraining ends (for tests and scripts); its state."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.retraining

    def _retrain(self, model: Model, answers: list[Answer], feed_texts: list[str]) -> None:
        try:
            new, report = retrain(
                model,
                self.training,
                answers,
                holdout=self.holdout,
                feed_texts=feed_texts,
                answers_file=self.answers.path,
            )
        except HeadlinesError as exc:
            with self._lock:
                self.retraining = RetrainState("failed", len(answers), error=str(exc))
            return
        except Exception as exc:  # the page must say it failed, whatever the cause
            log.exception("retraining failed")
            with self._lock:
                self.retraining = RetrainState(
                    "failed", len(answers), error=f"{type(exc).__name__}: {exc}"
                )
            return
        with self._lock:
            self._candidate = new
            self.retraining = RetrainState("done", len(answers), report=report)
            if self.save_model_to is not None:
                self.use_retrained()
            if self._again:
                self._again = False
                self.start_retrain()

    def use_retrained(self) -> RetrainState:
        """Label the queue with the last retrained model from now on, and save it (atomically)
        to ``save_model_to``, else over ``model_file``, when one was given."""
        with self._lock:
            if self._candidate is None or self.retraining.status != "done":
                raise InputError("there is no retrained model to use yet; retrain first")
            target = self.save_model_to or self.model_file
            if target is not None:
                save_model(self._candidate, target)
                self.retraining.saved_to = str(target)
            self.model = self._candidate
            self._candidate = None
            self.retraining.in_use = True
            self._score()
            return self.retraining
