"""Retrain on the user's answers and measure what that bought.

Covers: which answers are held out for scoring (one in five, by the headline's hash, so the
same ones on every run), fitting a model of the same kind on the training files without
them, and the figures before and after: accuracy and macro-F1 on the held-out answers and on
a holdout file, and how many headlines of the feeds changed label. Does not cover: when to
retrain (session.py) or saving the model (persistence.py).

``retrain(model, ["my.csv"], answers, holdout=None, feed_texts=texts)``
-> ``(new_model, Retrained(rows=980, answers=40, comparisons=[...], changed=17, ...))``
"""

from __future__ import annotations

import csv
import hashlib
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..calibration import BY_GROUP
from ..dataset import Columns, load_dataset
from ..defaults import GROUP_COLUMN, has_column
from ..errors import InputError
from ..evaluation import score
from ..model import Model
from ..persistence import load_model
from ..records import normalize_key
from ..training import train
from .answers import Answer

HELD_OUT_EVERY = 5


def is_held_out(headline: str) -> bool:
    """True for about one headline in five, the same ones on every run and machine: those
    answers score a retrained model and are never trained on."""
    digest = hashlib.sha256(normalize_key(headline).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % HELD_OUT_EVERY == 0


@dataclass(frozen=True)
class Figures:
    """Accuracy and macro-F1 on ``rows`` labelled headlines (None when there were none)."""

    rows: int
    accuracy: float | None = None
    macro_f1: float | None = None


@dataclass(frozen=True)
class Comparison:
    """The same labelled headlines scored by the model before and after retraining."""

    name: str
    before: Figures
    after: Figures


@dataclass(frozen=True)
class Retrained:
    """What a retraining did: on how much it fitted, and what changed."""

    rows: int  # training rows, held-out answers left out
    answers: int  # of them, answers given in review
    held_out: int  # answers kept for scoring
    comparisons: list[Comparison]
    changed: int  # headlines of the feeds whose label changed
    headlines: int  # headlines of the feeds
    seconds: float
    # The model before was fitted on the answers file, held-out answers and all, so its
    # score on them flatters it (see trained_on_answers).
    before_saw_answers: bool = False


def figures(model: Model, texts: Sequence[str], labels: Sequence[str]) -> Figures:
    """``figures(model, ["PSV wint"], ["sport"]) -> Figures(1, 1.0, 1.0)``."""
    if not texts:
        return Figures(0)
    scores = score(labels, best_labels(model, texts))
    return Figures(len(texts), scores["accuracy"], scores["macro_f1"])


def best_labels(model: Model, texts: Sequence[str]) -> list[str]:
    """The most probable label of each text."""
    if not texts:
        return []
    names = model.labels
    return [names[i] for i in model.predict_proba(list(texts)).argmax(axis=1)]


def trained_on_answers(model: Model, answers_file: str | Path) -> bool:
    """True when ``model`` was fitted on ``answers_file`` with the held-out answers in it:
    a model ``train`` made from the file, or the default model retrained at start after
    answers went to data/train.csv. A model review retrained left them out (its card counts
    ``held_out_answers``). The card's paths are as given to ``train``, often relative, so a
    path matches when it names the end of ``answers_file``'s path.

    ``trained_on_answers(model_of("data/train.csv"), "/home/me/headlines/data/train.csv")``
    -> True
    """
    if "held_out_answers" in model.card.dropped:
        return False
    target = Path(answers_file).resolve().parts
    for entry in model.card.training_files:
        parts = Path(str(entry.get("path", ""))).parts
        if parts and ".." not in parts and target[-len(parts) :] == parts:
            return True
    return False


def retrain(
    model: Model,
    training: Sequence[str | Path],
    answers: Sequence[Answer],
    *,
    holdout: str | Path | None = None,
    feed_texts: Sequence[str] = (),
    answers_file: str | Path | None = None,
) -> tuple[Model, Retrained]:
    """Fit a model like ``model`` (same classifier, features, class weight, calibration
    shift, and calibration on whole writers when it had it) on the labelled ``training``
    files, leaving out the held-out ``answers``; score both models.

    ``answers`` are the review's answers (they are in the training files too); the held-out
    ones (:func:`is_held_out`) are left out of the fit and scored, as is ``holdout`` (a
    labelled CSV) when given. ``feed_texts`` are the headlines under review, to count how
    many change label. ``answers_file`` (the file the answers are in) is checked against
    what ``model`` was trained on, to flag a flattering "before" (:func:`trained_on_answers`).
    """
    started = time.monotonic()
    kept = [a for a in answers if is_held_out(a.headline)]
    left_out = {normalize_key(a.headline) for a in kept}
    # Calibrated on whole writers when the model was (the default model is, by its data's
    # brief column); the answers, whose brief is empty, are one more writer.
    held_out = str((model.card.calibration or {}).get("held_out", ""))
    by_group = held_out.endswith(BY_GROUP) and all(
        has_column(Path(path), GROUP_COLUMN) for path in training
    )
    columns = Columns(group_column=GROUP_COLUMN if by_group else None)
    data = load_dataset(list(training), columns)
    groups = data.groups if data.groups is not None else [""] * len(data.texts)
    rows = [
        (text, label, group)
        for text, label, group in zip(data.texts, data.labels, groups, strict=True)
        if normalize_key(text) not in left_out
    ]
    if len({label for _, label, _ in rows}) < 2:
        raise InputError("retraining needs answers with at least two labels; answer some more")
    with tempfile.TemporaryDirectory(prefix="headlines-review-") as folder:
        fitted_on = Path(folder) / "train.csv"
        with fitted_on.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["headline", "label", GROUP_COLUMN])
            writer.writerows(rows)
        card = model.card
        path = Path(folder) / "model.joblib"
        train(
            [fitted_on],
            path,
            classifier=card.classifier,
            features=card.features,
            class_weight=card.class_weight,
            cv=0,
            columns=columns,
            # Every answer the review does not hold out is learned from, whatever the size.
            always_learn={normalize_key(a.headline) for a in answers} - left_out,
            # As sure as the model it may replace: the default model's temperature is made
            # less sure for real text than its held-out rows say (defaults.CALIBRATION_SHIFT).
            calibration_shift=float((card.calibration or {}).get("shift", 1.0)),
        )
        new = load_model(path)
    new.card.training_files = [
        {"path": f.path, "sha256": f.sha256, "rows": f.rows} for f in data.files
    ]
    new.card.dropped["held_out_answers"] = len(kept)
    comparisons = [
        Comparison(
            "held-out answers",
            figures(model, [a.headline for a in kept], [a.label for a in kept]),
            figures(new, [a.headline for a in kept], [a.label for a in kept]),
        )
    ]
    if holdout is not None:
        labelled = load_dataset([holdout], dedupe=False)
        before = figures(model, labelled.texts, labelled.labels)
        after = figures(new, labelled.texts, labelled.labels)
        comparisons.append(Comparison(str(holdout), before, after))
        new.card.evaluation = {
            "path": str(holdout),
            "rows": after.rows,
            "accuracy": after.accuracy,
            "macro_f1": after.macro_f1,
        }
    changed = int(
        np.sum(np.array(best_labels(model, feed_texts)) != np.array(best_labels(new, feed_texts)))
    )
    return new, Retrained(
        rows=len(rows),
        answers=len(answers) - len(kept),
        held_out=len(kept),
        comparisons=comparisons,
        changed=changed,
        headlines=len(feed_texts),
        seconds=round(time.monotonic() - started, 1),
        before_saw_answers=answers_file is not None and trained_on_answers(model, answers_file),
    )
