"""How good a model is: cross-validation while training, and scores on labelled data.

Covers: stratified cross-validation with near-duplicates kept in one fold, and accuracy and
macro-F1 of predictions against true labels. Does not cover: reading data (dataset.py).

``cross_validate(texts, labels, lambda: build_pipeline(), folds=5)``
-> ``{"folds": 5, "accuracy": 0.91, "macro_f1": 0.90, ...}``
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import Pipeline

from .dataset import near_duplicate_groups

log = logging.getLogger(__name__)


def score(true: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """Accuracy and macro-F1: ``score(["a", "b"], ["a", "a"]) -> {"accuracy": 0.5, ...}``."""
    return {
        "accuracy": round(float(accuracy_score(true, predicted)), 4),
        "macro_f1": round(float(f1_score(true, predicted, average="macro", zero_division=0)), 4),
    }


def cross_validate(
    texts: Sequence[str],
    labels: Sequence[str],
    make_pipeline: Callable[[], Pipeline],
    *,
    folds: int = 5,
    seed: int = 0,
) -> dict[str, Any] | None:
    """Stratified k-fold scores, or None when the data is too small to split.

    Near-duplicate headlines (word-trigram Jaccard above 0.6) share a group, and a group never
    straddles two folds, so a fold is not scored on near-copies of its training rows.
    """
    smallest = min(Counter(labels).values())
    folds = min(folds, smallest)
    if folds < 2:
        log.info("cross-validation skipped: a label has fewer than 2 rows")
        return None
    x = np.asarray(texts, dtype=object)
    y = np.asarray(labels, dtype=object)
    groups = near_duplicate_groups(list(texts))
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    per_fold = []
    for train_idx, test_idx in splitter.split(x, y, groups):
        pipeline = clone(make_pipeline())
        pipeline.fit(x[train_idx], y[train_idx])
        per_fold.append(score(y[test_idx], pipeline.predict(x[test_idx])))
    accuracy = [f["accuracy"] for f in per_fold]
    macro_f1 = [f["macro_f1"] for f in per_fold]
    return {
        "folds": folds,
        "accuracy": round(float(np.mean(accuracy)), 4),
        "accuracy_std": round(float(np.std(accuracy)), 4),
        "macro_f1": round(float(np.mean(macro_f1)), 4),
        "macro_f1_std": round(float(np.std(macro_f1)), 4),
        "grouping": "near-duplicates (word-trigram Jaccard > 0.6) kept in one fold",
    }
