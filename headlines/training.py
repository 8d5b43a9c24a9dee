"""Labelled CSV files in, a fitted, scored and saved model out.

Covers: the ``train`` step end to end (read, validate, cross-validate, fit, card, save).
Does not cover: the pieces it calls, each in its own module.

``train(["data/train.csv"], "model.headlines")`` -> a :class:`TrainResult` whose card says
``{"labels": {"sport": 1800, ...}, "cross_validation": {"accuracy": 0.9, ...}, ...}``
"""

from __future__ import annotations

import contextlib
import logging
import os
import warnings
from collections.abc import Collection
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

import numpy as np

from .calibration import PRECISION, held_out_order
from .card import ModelCard
from .dataset import Columns, Dataset, load_dataset, write_rejects
from .errors import InputError, OptionError, OptionWarning
from .evaluation import cross_validate, evaluate_files
from .files import check_writable, shown_path
from .model import DEFAULT_CLASSIFIER, DEFAULT_FEATURES, Model
from .persistence import model_format_for, save_model
from .pipeline import build_pipeline
from .progress import ProgressCallback, ProgressReporter
from .records import normalize_key

log = logging.getLogger(__name__)

FEW_ROWS = 20
# A model has at most this many labels: a topic taxonomy has far fewer, and a label column of
# headlines or ids has thousands (and a fit that needs gigabytes).
MAX_LABELS = 200
# Peak bytes per weight (label x feature) of a fit, beyond its data: the float64 weights and
# the copies fitting and calibrating make. Measured by benchmarks/label_memory.py.
_BYTES_PER_WEIGHT = {"sgd": 26, "svm": 25, "logreg": 20, "nb": 49}


@dataclass
class TrainResult:
    """The saved model's card and the data set it was fitted on (with its rejects)."""

    card: ModelCard
    dataset: Dataset
    path: Path


def train(
    paths: list[str | Path],
    model_path: str | Path,
    *,
    columns: Columns = Columns(),
    classifier: str = DEFAULT_CLASSIFIER,
    features: str = DEFAULT_FEATURES,
    class_weight: str | None = None,
    cv: int = 5,
    encoding: str | None = None,
    evaluate_on: str | Path | None = None,
    strict: bool = False,
    rejects_path: str | Path | None = None,
    model_format: str | None = None,
    progress: ProgressCallback | None = None,
    relative_to: str | Path | None = None,
    calibration_shift: float = 1.0,
    always_learn: Collection[str] = (),
) -> TrainResult:
    """Fit a model on labelled CSV files and save it with its card at ``model_path``.

    ``cv`` folds of cross-validation are scored first (0 skips them); ``evaluate_on`` names a
    labelled CSV that is never trained on, scored after fitting and recorded in the card.
    ``strict`` makes a row with an empty headline or label an error instead of a reject;
    ``rejects_path`` gets every rejected row as CSV (see :func:`write_rejects`).
    ``model_format`` is ``arrays``, ``joblib`` or ``skops`` (default: the one the name says,
    else arrays; see :func:`~headlines.persistence.model_format_for`).
    ``progress`` is called as each step starts (reading, each cross-validation fold, fitting)
    and as the features of the final fit are counted. The card records the files as given,
    or relative to the folder ``relative_to`` (so that a card names no path of the machine
    that built it). ``columns`` names the CSV columns; with a group column (who wrote each
    row) the confidence is calibrated on whole writers the model did not learn from, which
    makes it honest on text unlike the training data. Past 60,000 rows without one, a tenth
    of the rows is held out to calibrate on and not learned from; headlines in
    ``always_learn`` (as :func:`~headlines.records.normalize_key` gives them: a review's
    answers) are never among them.
    """
    if cv < 0 or cv == 1:
        raise OptionError(
            "cv", f"{{name}} {cv}: use 0 to skip cross-validation, or 2 or more folds"
        )
    # Reject bad options before reading data.
    build_pipeline(classifier, features, class_weight, calibration_shift)
    model_format = model_format_for(model_path, model_format)
    # Fail on an unwritable path now, not after minutes of fitting.
    inputs = [*paths, *([evaluate_on] if evaluate_on else [])]
    check_writable(model_path, inputs=inputs)
    if rejects_path is not None:
        # The model is written last: rejects written to its path would be lost, or replace it.
        check_writable(rejects_path, inputs=[*inputs, model_path])
    reporter = ProgressReporter(progress)
    reporter.report("reading", 0)
    dataset = load_dataset(list(paths), columns, encoding=encoding, strict=strict)
    counts = dataset.label_counts
    if not counts:
        raise InputError(
            f"{', '.join(str(p) for p in paths)}: no labelled rows to learn from "
            f"({len(dataset.rejects)} skipped); add rows with a headline and a label"
        )
    if len(counts) < 2:
        raise InputError(
            f"{', '.join(str(p) for p in paths)}: needs at least two labels to learn from "
            f"(found one: {next(iter(counts))}); add rows with another label"
        )
    _check_size(
        paths, len(counts), columns.label_column, classifier, _n_features(classifier, features)
    )
    few = [f"{label} ({n})" for label, n in counts.items() if n < FEW_ROWS]
    if few:
        log.warning(
            "few training rows for %s; predictions of these labels are unreliable", ", ".join(few)
        )
    smallest, fewest = min((n, label) for label, n in counts.items())
    if cv > smallest >= 2:
        # Each fold needs a row of every label: cross_validate makes no more folds than that.
        warnings.warn(
            OptionWarning(
                "cv",
                f"{{name}} {cv:,} is more folds than the {smallest:,} rows of {fewest}, the "
                f"smallest label; making {smallest:,} folds",
            ),
            stacklevel=2,
        )

    def make() -> object:
        return build_pipeline(classifier, features, class_weight)

    def on_fold(fold: int, folds: int) -> None:
        reporter.report(f"cross-validation fold {fold} of {folds}", 0)

    cross_validation = (
        cross_validate(dataset.texts, dataset.labels, make, folds=cv, on_fold=on_fold)
        if cv
        else None
    )
    rows = len(dataset.texts)

    def on_rows(done: int) -> None:
        reporter.report("counting features", done, done / rows)
        if done == rows:
            reporter.report(f"fitting {classifier} on {rows:,} rows", 0)

    pipeline = build_pipeline(classifier, features, class_weight, calibration_shift)
    fit_options: dict[str, object] = {"features__progress": on_rows}
    texts, labels = dataset.texts, dataset.labels
    if dataset.groups is not None:
        fit_options["classifier__groups"] = dataset.groups
    elif order := held_out_order(
        labels,
        pipeline.named_steps["classifier"].random_state,
        np.array([normalize_key(text) in always_learn for text in texts]) if always_learn else None,
    ):
        # The rows calibration holds out go last, so that the classifier never reads them.
        # (Past 60,000 rows, so itemgetter picks many and always returns a tuple.)
        pick, fit_options["classifier__held_out_last"] = itemgetter(*order[0].tolist()), order[1]
        texts, labels = list(pick(texts)), list(pick(labels))
    pipeline.fit(texts, labels, **fit_options)
    calibrated = pipeline.named_steps["classifier"]
    card = ModelCard(
        classifier=classifier,
        features=features,
        class_weight=class_weight,
        labels=counts,
        training_rows=len(dataset.texts),
        training_files=[
            {"path": _shown(f.path, relative_to), "sha256": f.sha256, "rows": f.rows}
            for f in dataset.files
        ],
        dropped={
            "empty": dataset.count_rejects("empty"),
            "duplicates": dataset.count_rejects("duplicate"),
            "repeated_headers": dataset.count_rejects("repeated header"),
        },
        text_column=columns.text_column,
        label_column=columns.label_column,
        cross_validation=cross_validation,
        calibration={
            "method": "temperature scaling",
            "temperature": round(float(calibrated.temperature_), 4),
            "held_out": calibrated.held_out_,
            "shift": calibration_shift,
            "precision": PRECISION,
            "thresholds": calibrated.thresholds_,
        },
    )
    model = Model.from_pipeline(pipeline, card)
    if evaluate_on is not None:
        reporter.report("evaluating", 0)
        # Scored as `headlines evaluate` scores it, so that the two always agree.
        report = evaluate_files([evaluate_on], model, columns, encoding=encoding)
        card.evaluation = {
            "path": _shown(evaluate_on, relative_to),
            "rows": report["rows"],
            "accuracy": report["accuracy"],
            "macro_f1": report["macro_f1"],
        }
    if rejects_path is not None:
        write_rejects(dataset.rejects, rejects_path)
    reporter.report("saving", 0)
    save_model(model, model_path, model_format=model_format)
    return TrainResult(card, dataset, Path(model_path))


def _n_features(classifier: str, features: str) -> int:
    vectorizer = build_pipeline(classifier, features).named_steps["features"]
    return int(vectorizer.n_features)


def _check_size(
    paths: list[str | Path], labels: int, label_column: str, classifier: str, n_features: int
) -> None:
    """Refuse, before anything is allocated, more labels than :data:`MAX_LABELS`, or a model
    whose fit needs more memory than the machine has free (see :func:`fit_memory`). Both are
    nearly always a --label-column that names headlines or ids, not topics.
    """
    where = ", ".join(shown_path(p) for p in paths)
    if labels > MAX_LABELS:
        raise OptionError(
            "label_column",
            f"{where}: {labels:,} labels in column '{label_column}', more than the "
            f"{MAX_LABELS} a model can have; pass {{name}} with the column of topics, not of "
            "headlines or ids",
        )
    need, free = fit_memory(classifier, labels, n_features), available_memory()
    if free is not None and need > free:
        raise OptionError(
            "label_column",
            f"{where}: fitting {labels:,} labels with {classifier} needs about "
            f"{need / 1e9:.1f} GB of memory, and {free / 1e9:.1f} GB is free; check {{name}} "
            "names the column of topics, or train on fewer labels or another machine",
        )


def fit_memory(classifier: str, labels: int, n_features: int) -> int:
    """The peak memory, in bytes, that fitting ``labels`` labels takes beyond the data:
    each label's weights, and the copies a fit and its calibration make of them.

    ``fit_memory("sgd", 200, 2**19) -> 2726297600`` (2.7 GB)
    """
    return labels * n_features * _BYTES_PER_WEIGHT[classifier]


def available_memory() -> int | None:
    """The memory this machine has free for a new allocation, in bytes; None when the system
    does not say (then nothing is refused)."""
    with contextlib.suppress(OSError, ValueError), open("/proc/meminfo", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    with contextlib.suppress(OSError, ValueError, AttributeError):
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return None


def _shown(path: str | Path, relative_to: str | Path | None) -> str:
    """``_shown("/srv/data/train.csv", "/srv") -> "data/train.csv"``; as given without a folder."""
    if relative_to is None:
        return str(path)
    try:
        return Path(path).resolve().relative_to(Path(relative_to).resolve()).as_posix()
    except ValueError:
        return str(path)
