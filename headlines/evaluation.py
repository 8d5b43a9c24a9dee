"""How good a model is: cross-validation while training, and scores on labelled data.

Covers: stratified cross-validation with near-duplicates kept in one fold; accuracy, macro-F1,
per-label scores, the confusion matrix and the calibration error of a model on labelled data;
the confusion-matrix picture. Does not cover: reading data (dataset.py).

``cross_validate(texts, labels, lambda: build_pipeline(), folds=5)``
-> ``{"folds": 5, "accuracy": 0.91, "macro_f1": 0.90, ...}``
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import Pipeline

from .dataset import Columns, load_dataset
from .errors import InputError
from .extras import require
from .files import atomic_write
from .model import Model
from .priors import adjust as adjust_priors
from .priors import choose as choose_priors
from .priors import read_shares
from .similarity import near_duplicate_groups

log = logging.getLogger(__name__)


def score(true: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """Accuracy and macro-F1: ``score(["a", "b"], ["a", "a"]) -> {"accuracy": 0.5, ...}``."""
    return {
        "accuracy": round(float(accuracy_score(true, predicted)), 4),
        "macro_f1": round(float(f1_score(true, predicted, average="macro", zero_division=0)), 4),
    }


def grouped_folds(
    texts: Sequence[str], labels: Sequence[str], *, folds: int = 5, seed: int = 0
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified (train, test) index pairs; near-duplicate headlines never straddle two folds.

    Fewer folds than asked when there are fewer groups of near-duplicates; none below two.
    """
    groups = near_duplicate_groups(list(texts))
    folds = min(folds, len(set(groups)))
    if folds < 2:
        return []
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(labels)), np.asarray(labels), groups))


def cross_validate(
    texts: Sequence[str],
    labels: Sequence[str],
    make_pipeline: Callable[[], Pipeline],
    *,
    folds: int = 5,
    seed: int = 0,
    on_fold: Callable[[int, int], None] | None = None,
) -> dict[str, Any] | None:
    """Stratified k-fold scores, or None when the data is too small to split.

    Near-duplicate headlines (word-trigram Jaccard above 0.6) share a group, and a group never
    straddles two folds, so a fold is not scored on near-copies of its training rows.
    ``on_fold(i, folds)`` is called as fold ``i`` (from 1) starts, for progress.
    """
    smallest = min(Counter(labels).values())
    folds = min(folds, smallest)
    if folds < 2:
        log.info("cross-validation skipped: a label has fewer than 2 rows")
        return None
    y = np.asarray(labels, dtype=object)
    splits = grouped_folds(texts, labels, folds=folds, seed=seed)
    if any(len(set(y[train_idx])) < 2 for train_idx, _ in splits):
        splits = []  # a whole label sits in one group of near-duplicates: nothing to learn from
    per_fold = [
        score(y[test], pipeline.predict(x_test))
        for pipeline, test, x_test in _fold_fits(texts, y, splits, make_pipeline, on_fold)
    ]
    if not per_fold:
        log.info("cross-validation skipped: the headlines are near-duplicates of each other")
        return None
    accuracy = [f["accuracy"] for f in per_fold]
    macro_f1 = [f["macro_f1"] for f in per_fold]
    return {
        "folds": len(per_fold),
        "accuracy": round(float(np.mean(accuracy)), 4),
        "accuracy_std": round(float(np.std(accuracy)), 4),
        "macro_f1": round(float(np.mean(macro_f1)), 4),
        "macro_f1_std": round(float(np.std(macro_f1)), 4),
        "grouping": "near-duplicates (word-trigram Jaccard > 0.6) kept in one fold",
    }


def cross_validated_proba(
    texts: Sequence[str],
    labels: Sequence[str],
    make_pipeline: Callable[[], Pipeline],
    splits: list[tuple[np.ndarray, np.ndarray]],
    on_fold: Callable[[int, int], None] | None = None,
) -> tuple[np.ndarray, list[str]]:
    """Each text's label probabilities from the fold of ``splits`` that did not train on it,
    and the labels (columns) in order. ``splits`` are (train, test) row indices, such as
    :func:`grouped_folds` makes, whose test rows cover every row once.
    """
    y = np.asarray(labels, dtype=object)
    names = sorted(set(labels))
    proba = np.zeros((len(texts), len(names)))
    for pipeline, test, x_test in _fold_fits(texts, y, splits, make_pipeline, on_fold):
        columns = np.searchsorted(names, pipeline.classes_)
        proba[np.ix_(test, columns)] = pipeline.predict_proba(x_test)
    return proba, names


def _fold_fits(
    texts: Sequence[str],
    y: np.ndarray,
    splits: list[tuple[np.ndarray, np.ndarray]],
    make_pipeline: Callable[[], Pipeline],
    on_fold: Callable[[int, int], None] | None,
) -> Iterator[tuple[Pipeline, np.ndarray, np.ndarray]]:
    """For each (train, test) split: a pipeline fitted on its training rows, the test rows'
    indices and their texts."""
    x = np.asarray(texts, dtype=object)
    for fold, (train, test) in enumerate(splits, start=1):
        if on_fold is not None:
            on_fold(fold, len(splits))
        yield clone(make_pipeline()).fit(x[train], y[train]), test, x[test]


def label_issues(proba: np.ndarray, given: Sequence[int]) -> list[tuple[int, int, float]]:
    """Rows whose given label is probably wrong, by confident learning (Northcutt, Jiang and
    Chuang 2021, the confident joint): ``(row, likely label, margin)``, surest first.

    Each label's threshold is the mean probability of that label over the rows given it. A
    row is an issue when another label reaches its own threshold and is the most probable
    such label; the margin is that label's probability minus the given one's.
    ``label_issues([[0.9, 0.1], [0.2, 0.8], [0.95, 0.05]], [0, 1, 1]) -> [(2, 0, 0.9)]``
    """
    proba = np.asarray(proba)
    given_arr = np.asarray(given)
    thresholds = np.array(
        [
            proba[given_arr == j, j].mean() if (given_arr == j).any() else 1.0
            for j in range(proba.shape[1])
        ]
    )
    confident = np.where(proba >= thresholds, proba, -1.0)
    likely = confident.argmax(axis=1)
    rows = np.arange(len(given_arr))
    wrong = (confident[rows, likely] >= 0) & (likely != given_arr)
    margin = proba[rows, likely] - proba[rows, given_arr]
    found = [(int(i), int(likely[i]), float(margin[i])) for i in np.flatnonzero(wrong)]
    return sorted(found, key=lambda item: -item[2])


def expected_calibration_error(
    confidence: np.ndarray, correct: np.ndarray, *, bins: int = 15
) -> float:
    """How far confidence is from accuracy, averaged over equal-width confidence bins.

    ``0.0`` means a confidence of 0.8 is right 80% of the time; ``[0.9, 0.9], [1, 0] -> 0.4``.
    """
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        members = which == b
        if members.any():
            total += members.sum() * abs(confidence[members].mean() - correct[members].mean())
    return round(float(total / max(len(confidence), 1)), 4)


def evaluate(
    model: Model,
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    worst: int = 10,
    priors: str = "feed",
) -> dict[str, Any]:
    """Score a model on labelled texts: everything ``headlines evaluate`` reports.

    Returns accuracy, macro_f1, per-label precision/recall/f1/support, the confusion matrix
    (rows: true label, columns: predicted), the expected calibration error, and the ``worst``
    rows the model got most confidently wrong. ``priors`` is as for predict ("feed", "train"
    or a file of label,share lines), so the scores are those a user of predict would see;
    the shares used are in the report.
    """
    if not texts:
        raise InputError("nothing to evaluate: the data has no labelled rows")
    known = set(model.labels)
    foreign = Counter(label for label in labels if label not in known)
    if foreign:
        log.warning(
            "the model has no label %s; those rows count as wrong (a typo, or data labelled "
            "in other topics?)",
            ", ".join(
                f"'{label}' ({n} {'row' if n == 1 else 'rows'})"
                for label, n in foreign.most_common()
            ),
        )
    fixed = read_shares(priors, model.labels)
    proba = model.calibrated_proba(texts)
    shares = choose_priors(priors, fixed, proba, model.training_priors)
    if shares is not None:
        proba = adjust_priors(proba, model.training_priors, shares)
    best = proba.argmax(axis=1)
    predicted = [model.labels[i] for i in best]
    confidence = proba[np.arange(len(best)), best]
    correct = np.array([p == t for p, t in zip(predicted, labels, strict=True)])
    names = sorted(set(labels) | set(model.labels))
    precision, recall, f1, support = precision_recall_fscore_support(
        labels, predicted, labels=names, zero_division=0
    )
    wrong = np.flatnonzero(~correct)
    wrong = wrong[np.argsort(-confidence[wrong], kind="stable")][:worst]
    return {
        "rows": len(texts),
        "priors": priors
        if shares is None
        else dict(zip(model.labels, np.round(np.asarray(shares), 4).tolist(), strict=True)),
        **score(labels, predicted),
        "expected_calibration_error": expected_calibration_error(confidence, correct),
        "labels": {
            name: {
                "precision": round(float(p), 4),
                "recall": round(float(r), 4),
                "f1": round(float(f), 4),
                "support": int(s),
            }
            for name, p, r, f, s in zip(names, precision, recall, f1, support, strict=True)
        },
        "confusion": {
            "labels": names,
            "matrix": confusion_matrix(labels, predicted, labels=names).tolist(),
        },
        "most_confidently_wrong": [
            {
                "headline": texts[int(i)],
                "label": labels[int(i)],
                "predicted": predicted[int(i)],
                "confidence": round(float(confidence[i]), 3),
            }
            for i in wrong
        ],
    }


def plot_confusion(report: dict[str, Any], path: str | Path) -> None:
    """Draw the report's confusion matrix to an image file (needs matplotlib)."""
    require("matplotlib", "plot", "a confusion-matrix plot").use("Agg")
    plt = require("matplotlib.pyplot", "plot", "a confusion-matrix plot")
    names = report["confusion"]["labels"]
    matrix = np.asarray(report["confusion"]["matrix"])
    fig, ax = plt.subplots(figsize=(1.0 + 0.7 * len(names), 0.8 + 0.6 * len(names)))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(names)), names, rotation=45, ha="right")
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true label")
    ax.set_title(f"accuracy {report['accuracy']:.3f}, macro-F1 {report['macro_f1']:.3f}")
    for (i, j), value in np.ndenumerate(matrix):
        if value:
            color = "white" if value > matrix.max() / 2 else "black"
            ax.text(j, i, str(value), ha="center", va="center", fontsize=8, color=color)
    fig.tight_layout()
    try:
        with atomic_write(path) as fh:
            fig.savefig(fh, format=Path(path).suffix.lstrip(".").lower() or "png")
    except OSError as exc:
        raise InputError(f"{path}: cannot write the plot ({exc.strerror})") from None
    except ValueError as exc:  # a suffix matplotlib has no writer for
        raise InputError(f"{path}: {exc}; name the file .png, .pdf or .svg") from None
    finally:
        plt.close(fig)


def evaluate_files(
    paths: Sequence[str | Path],
    model: Model,
    columns: Columns = Columns(),
    *,
    encoding: str | None = None,
    priors: str = "feed",
) -> dict[str, Any]:
    """:func:`evaluate` on labelled CSV files (every row with a headline and a label; a group
    column is not read)."""
    without_group = dataclasses.replace(columns, group_column=None)
    data = load_dataset(list(paths), without_group, encoding=encoding, dedupe=False)
    report = evaluate(model, data.texts, data.labels, priors=priors)
    report["files"] = [f.path for f in data.files]
    report["skipped_rows"] = len(data.rejects)
    return report
