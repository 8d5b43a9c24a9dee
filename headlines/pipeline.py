"""The scikit-learn Pipeline that labels headlines: the feature sets and classifiers on offer.

Covers: :func:`build_pipeline`, one Pipeline holding the features and a calibrated
classifier (so a cross-validation fold never sees features fitted on its test rows), and
:class:`PassCappedSGD`. Does not cover: scoring a fitted model (model.py, scoring.py), reading
data (dataset.py) or saving (persistence.py). Only training, and loading a joblib or skops
model, import it: scikit-learn takes about a second to import.

``build_pipeline("svm", "word")`` -> Pipeline([("features", HeadlineVectorizer(...)),
("classifier", CalibratedLinear(LinearSVC(...)))])
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from joblib import effective_n_jobs
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC
from sklearn.utils import check_random_state
from sklearn.utils.class_weight import compute_class_weight

from .calibration import CalibratedLinear
from .card import CLASSIFIERS, DEFAULT_CLASSIFIER, DEFAULT_FEATURES, FEATURES
from .errors import InputError, OptionError
from .features import HeadlineVectorizer


@contextlib.contextmanager
def _warning_filters_kept() -> Iterator[None]:
    """The process's warning filters as they were before the block, whatever threads in it
    did to them (``warnings.catch_warnings`` saves and restores one list for the whole
    process, so two threads in it at once can leave a filter behind or lose one)."""
    kept = list(warnings.filters)
    try:
        yield
    finally:
        if list(warnings.filters) != kept:
            warnings.filters = kept
            mutated = getattr(warnings, "_filters_mutated", None)  # clears shown-once caches
            if mutated is not None:
                mutated()


SEED_LIMIT = np.iinfo(np.int32).max  # scikit-learn's bound for the seed of each label's fit


class PassCappedSGD(SGDClassifier):
    """An SGDClassifier whose passes over the data shrink as the rows grow.

    As many passes as visit at most ``VISITS`` rows in all, between one and ``max_iter``:
    15 up to 100,000 rows, 5 at 300,000, one from 750,000 on. On the generated headlines of
    benchmarks/speed.py, scored on data/holdout.csv, one pass at a million rows scores as two
    (0.9695), in half the time. ``n_iter_`` says how many passes were made. With ``n_jobs``
    other than one, the labels are fitted one-vs-rest in threads of its own.
    """

    VISITS = 1_500_000

    def fit(
        self, X: Any, y: Any, *args: Any, rows_shuffled: bool = False, **kwargs: Any
    ) -> PassCappedSGD:
        """``rows_shuffled`` says the rows come in a random order already. Every pass then
        reads them in that order, row after row, instead of in an order of its own that jumps
        about the matrix: two to three times faster, because the rows are read as they lie in
        memory. With one pass it is the same algorithm; with several, each pass repeats the
        one random order instead of drawing a new one. On the generated headlines of
        benchmarks/speed.py, three seeds each, scored on data/holdout.csv: 100,000 rows
        0.9713-0.9723 against 0.9721-0.9729 drawing anew (one to three headlines of 3,149),
        and ``headlines.train`` 3.9-5.2 s against 6.5-7.1 s; 300,000 rows 0.9751-0.9757 both
        ways, 5.6 s against 9.3-10.8 s.
        """
        requested: dict[str, Any] = self.get_params()
        passes = min(requested["max_iter"], max(1, self.VISITS // max(X.shape[0], 1)))
        self.set_params(max_iter=passes, shuffle=requested["shuffle"] and not rows_shuffled)
        try:
            if (
                args
                or set(kwargs) - {"sample_weight"}
                or not self._fit_labels_in_threads(X, y, kwargs.get("sample_weight"))
            ):
                super().fit(X, y, *args, **kwargs)
        finally:
            self.set_params(max_iter=requested["max_iter"], shuffle=requested["shuffle"])
        return self

    def _fit_labels_in_threads(self, X: Any, y: Any, sample_weight: Any) -> bool:
        """The one-vs-rest fits of three labels or more, one binary SGDClassifier a label,
        in threads of our own (``n_jobs`` of them at most); False, having done nothing, when
        scikit-learn's own fit is needed (one thread, two labels, averaging, a warm start).

        Each label gets the seed and weights scikit-learn's one-vs-rest would give it, so the
        weights are the same to the bit (tests/test_pipeline.py). scikit-learn's own threads
        are not used because each of its tasks empties the process's warning filters and
        fills them again inside ``warnings.catch_warnings`` (``sklearn.utils.parallel``), which
        is not safe from two threads at once: now and then the process was left with no
        filters at all, after which every fit printed a "`delayed` should be used with
        `Parallel`" warning a label (and the review server's retrainings did, until it
        stopped). Checking the labels in each fit still takes ``catch_warnings`` for a moment,
        so the filters are put back as they were when the fits end.
        """
        threads = min(effective_n_jobs(self.n_jobs), 64)
        if threads < 2 or self.average or self.warm_start or self.early_stopping:
            return False
        y = np.asarray(y)
        classes = np.unique(y)
        if len(classes) < 3:
            return False
        weights = (
            compute_class_weight(self.class_weight, classes=classes, y=y)
            if self.class_weight is not None
            else np.ones(len(classes))
        )
        seeds = check_random_state(self.random_state).randint(SEED_LIMIT, size=len(classes))
        params = self.get_params() | {"n_jobs": None}

        def fit_label(i: int) -> SGDClassifier:
            one = SGDClassifier(
                **params
                | {"random_state": seeds[i], "class_weight": {False: 1.0, True: weights[i]}}
            )
            return one.fit(X, y == classes[i], sample_weight=sample_weight)

        with (
            _warning_filters_kept(),
            ThreadPoolExecutor(min(threads, len(classes)), "headlines-sgd") as pool,
        ):
            fitted = list(pool.map(fit_label, range(len(classes))))
        # What any fit learns besides the weights (the number of features, the loss), then
        # what one-vs-rest learns: the weights a label, the intercepts in the features' type
        # as scikit-learn keeps them (a binary fit does not), and the passes.
        for name, value in vars(fitted[0]).items():
            if name not in params:
                setattr(self, name, value)
        self.classes_ = classes
        self.coef_ = np.vstack([one.coef_ for one in fitted])
        self.intercept_ = np.concatenate([one.intercept_ for one in fitted])
        self.intercept_ = self.intercept_.astype(self.coef_.dtype)
        self.n_iter_ = max(one.n_iter_ for one in fitted)
        self.t_ = max(one.t_ for one in fitted)
        self._expanded_class_weight = weights
        return True


_MAKERS: dict[str, Callable[[str | None], Any]] = {
    "svm": lambda class_weight: LinearSVC(C=0.5, class_weight=class_weight, random_state=0),
    "logreg": lambda class_weight: LogisticRegression(
        C=20.0, solver="saga", max_iter=20, tol=1e-3, class_weight=class_weight, random_state=0
    ),
    "sgd": lambda class_weight: PassCappedSGD(
        loss="modified_huber",
        alpha=2e-5,
        max_iter=15,
        tol=None,
        class_weight=class_weight,
        random_state=0,
        n_jobs=-1,  # the one-vs-rest fits run in threads, one label per core
    ),
    "nb": lambda class_weight: ComplementNB(alpha=0.3),
}


def build_pipeline(
    classifier: str = DEFAULT_CLASSIFIER,
    features: str = DEFAULT_FEATURES,
    class_weight: str | None = None,
    shift: float = 1.0,
) -> Pipeline:
    """An unfitted Pipeline of the named features and a calibrated classifier.

    ``build_pipeline("svm", "word")`` -> Pipeline([("features", HeadlineVectorizer(...)),
    ("classifier", CalibratedLinear(LinearSVC(...)))])
    """
    if classifier not in _MAKERS:
        raise InputError(
            f"unknown classifier '{classifier}'; choose one of {', '.join(CLASSIFIERS)}"
        )
    if features not in FEATURES:
        raise InputError(f"unknown features '{features}'; choose one of {', '.join(FEATURES)}")
    if not 0.1 <= shift <= 10.0:
        raise OptionError("calibration_shift", f"{{name}} {shift:g}: use a factor from 0.1 to 10")
    if class_weight not in (None, "balanced"):
        raise InputError(f"unknown class weight '{class_weight}'; use --class-weight balanced")
    return Pipeline(
        [
            ("features", HeadlineVectorizer(char_ngrams=FEATURES[features])),
            ("classifier", CalibratedLinear(_MAKERS[classifier](class_weight), shift=shift)),
        ]
    )
