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

from collections.abc import Callable
from typing import Any

from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from .calibration import CalibratedLinear
from .card import CLASSIFIERS, DEFAULT_CLASSIFIER, DEFAULT_FEATURES, FEATURES
from .errors import InputError, OptionError
from .features import HeadlineVectorizer


class PassCappedSGD(SGDClassifier):
    """An SGDClassifier whose passes over the data shrink as the rows grow.

    As many passes as visit at most ``VISITS`` rows in all, between one and ``max_iter``:
    15 up to 100,000 rows, 5 at 300,000, one from 750,000 on. On the generated headlines of
    benchmarks/speed.py, scored on data/holdout.csv, one pass at a million rows scores as two
    (0.9695), in half the time. ``n_iter_`` says how many passes were made.
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
            super().fit(X, y, *args, **kwargs)
        finally:
            self.set_params(max_iter=requested["max_iter"], shuffle=requested["shuffle"])
        return self


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
