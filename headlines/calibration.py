"""Confidence that means something: a linear classifier's scores -> calibrated probabilities.

Covers: :class:`CalibratedLinear`, which wraps any scikit-learn classifier with linear
decision values and turns them into probabilities by temperature scaling,
``softmax(scores / T)``, with ``T`` fitted on held-out scores. Does not cover: measuring
calibration (evaluation.py).

Why temperature scaling: one parameter fitted on cross-validated scores keeps the ranking
of labels (so accuracy is unchanged) and makes "0.9" mean right about nine times in ten. A
LinearSVC's raw margins, or an SGD model's one-vs-rest scores, are not probabilities at all.

Held out by writer: given ``groups`` (who wrote each row), the scores the temperature is
fitted on come from whole groups the model did not learn from, so it learns how sure to be
about a style it has never seen, not about near-copies of its training rows; and of the
temperatures each held-out group alone would give, the largest (the least sure) is kept. The same
held-out scores give each label the confidence at which its predictions reach a stated
precision (``thresholds_``), for ``--min-confidence auto``.

``CalibratedLinear(LinearSVC()).fit(X, y).predict_proba(X[:1]) -> [[0.02, 0.91, 0.07]]``
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.utils.validation import has_fit_parameter

from .scoring import probabilities

# Past this many rows one model is fitted on 90% of them and calibrated on the other 10%: as
# well calibrated as cross-validation, and fitted once instead of four times. Not learning
# from a tenth of the rows costs holdout accuracy where the data is small: on the generated
# headlines of benchmarks/speed.py 0.003 at 40,000 rows, 0.0014 at 60,000 and 0.0004 at
# 100,000 (where it trains in 6.6 s instead of 16.9). Not so with groups: 10% of the rows is
# one or two writers, and the temperature would be whatever those few happened to need;
# every group is held out once instead, by cross-validation.
_CV_ROWS = 60_000
_HELD_OUT = 0.1
_SCORE_ROWS = 50_000  # held-out rows scored at once, so their copy stays small
PRECISION = 0.95  # what a label's threshold for --min-confidence auto aims at
_MIN_PREDICTED = 20  # fewer held-out predictions of a label than this set no threshold
_MIN_GROUP = 200  # a held-out group smaller than this is too small to fit a temperature on
# The end of `held_out_` (and of the card's calibration "held_out") when whole groups were held out.
BY_GROUP = "; temperature of the least sure group"


def linear_scores(estimator: Any, x: Any) -> np.ndarray:
    """Per-class scores, shape (n, classes), from ``decision_function`` or joint log-likelihood."""
    if hasattr(estimator, "decision_function"):
        scores = np.asarray(estimator.decision_function(x), dtype=np.float64)
    else:
        scores = np.asarray(estimator.predict_joint_log_proba(x), dtype=np.float64)
    if scores.ndim == 1:  # binary: one score for the second class
        scores = np.column_stack([np.zeros_like(scores), scores])
    return scores


def fit_temperature(scores: np.ndarray, targets: np.ndarray) -> float:
    """The temperature minimising the log-loss of ``softmax(scores / T)`` on these targets."""
    rows = np.arange(len(targets))

    def loss(log_t: float) -> float:
        return float(-log_softmax(scores / np.exp(log_t), axis=1)[rows, targets].mean())

    result = minimize_scalar(loss, bounds=(-7.0, 7.0), method="bounded")
    return float(np.exp(result.x))


class CalibratedLinear(ClassifierMixin, BaseEstimator):
    """A classifier whose probabilities are ``softmax(scores / temperature_)``."""

    def __init__(
        self, estimator: Any, cv: int = 3, random_state: int = 0, shift: float = 1.0
    ) -> None:
        self.estimator = estimator
        self.cv = cv
        self.random_state = random_state
        # The fitted temperature times this: how much less sure to be on the text the model
        # will meet than on the held-out rows (1.0: as sure as on them).
        self.shift = shift

    def fit(self, x: Any, y: Any, groups: Any = None, held_out_last: int = 0) -> CalibratedLinear:
        """Fit the classifier and its temperature; ``groups`` (one per row: who wrote it)
        makes the calibration hold out whole groups instead of random rows.

        ``held_out_last`` says the caller put the rows to hold out last, in the order of
        :func:`held_out_order` (the rows before them in a random order); the classifier then
        learns from the rows before them alone.
        """
        with warnings.catch_warnings():
            # Iterations are capped on purpose (saga, SGD): past them accuracy no longer moves
            # on headlines, so "did not converge" would be noise to the user.
            warnings.simplefilter("ignore", ConvergenceWarning)
            groups = None if groups is None else np.asarray(groups)
            return self._fit(x, y, groups, held_out_last)

    def _fit(
        self, x: Any, y: Any, groups: np.ndarray | None, held_out_last: int = 0
    ) -> CalibratedLinear:
        # The classifier learns each label's index in classes_: the same problems, in the same
        # order, as the labels themselves, without sorting a million strings again in each step.
        self.classes_, targets = label_indices(y)
        y = targets
        self.thresholds_: dict[str, float] = {}
        if np.bincount(targets).min() < 2:
            # No label can be held out without leaving its class unseen: no calibration.
            self.temperature_ = 1.0
            self.held_out_ = "nothing (a label has one row): not calibrated"
            self.estimator_ = clone(self.estimator).fit(x, y)
            return self
        if len(y) > _CV_ROWS and groups is None:
            held, scores = self._fit_held_out(x, y, targets, held_out_last)
        else:
            held, scores = self._cross_validated_scores(x, y, targets, groups)
            self.estimator_ = clone(self.estimator).fit(x, y)
        held_targets = targets[held]
        self.temperature_ = fit_temperature(scores, held_targets)
        if groups is not None and self.held_out_.endswith(BY_GROUP):
            self.temperature_ = max(
                self.temperature_, largest_group_temperature(scores, held_targets, groups[held])
            )
        self.temperature_ *= self.shift
        self.thresholds_ = label_thresholds(
            probabilities(scores, self.temperature_), held_targets, [str(c) for c in self.classes_]
        )
        return self

    def _fit_held_out(
        self, x: Any, y: np.ndarray, targets: np.ndarray, held_out_last: int = 0
    ) -> tuple[np.ndarray, np.ndarray]:
        """Fit on 90% of the rows; the other 10% (indices) and their scores.

        Held-out rows put last by the caller are left out of the fit by a view of the rows
        before them. Held-out rows anywhere else weigh zero instead of being cut out, so the
        training matrix is not copied (at a million headlines that copy alone would be
        1.1 GB), but the classifier still reads them.
        """
        self.held_out_ = f"{_HELD_OUT:.0%} of the rows at random"
        if held_out_last:
            kept = len(y) - held_out_last
            test = np.arange(kept, len(y))
            estimator = clone(self.estimator)
            # held_out_order put the rows to learn from in a random order.
            options = _shuffled_rows(estimator)
            self.estimator_ = estimator.fit(first_rows(x, kept), y[:kept], **options)
        else:
            test = held_out_rows(targets, self.random_state)
            weights = np.ones(len(y))
            weights[test] = 0.0
            self.estimator_ = clone(self.estimator).fit(x, y, sample_weight=weights)
        scores = np.concatenate(
            [
                self._aligned(self.estimator_, x[test[i : i + _SCORE_ROWS]])
                for i in range(0, len(test), _SCORE_ROWS)
            ]
        )
        return test, scores

    def _cross_validated_scores(
        self, x: Any, y: np.ndarray, targets: np.ndarray, groups: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        smallest = np.bincount(targets).min()
        scores = np.zeros((len(y), len(self.classes_)))
        folds = min(self.cv, smallest)
        self.held_out_ = f"{folds}-fold cross-validation"
        if groups is not None and len(set(groups.tolist())) >= folds:
            self.held_out_ += f", whole groups in a fold{BY_GROUP}"
            splits = StratifiedGroupKFold(
                folds, shuffle=True, random_state=self.random_state
            ).split(np.zeros(len(y)), targets, groups)
        else:
            splits = StratifiedKFold(folds, shuffle=True, random_state=self.random_state).split(
                np.zeros(len(y)), targets
            )
        # A classifier told that its rows come shuffled reads them as they lie (see
        # PassCappedSGD): the copy of a fold's rows is made in a random order for it.
        options = _shuffled_rows(self.estimator)
        order = np.random.RandomState(self.random_state)
        for train, test in splits:
            if options:
                train = order.permutation(train)
            model = clone(self.estimator).fit(x[train], y[train], **options)
            scores[test] = self._aligned(model, x[test])
        return np.arange(len(y)), scores

    def _aligned(self, model: Any, x: Any) -> np.ndarray:
        """Scores in ``classes_`` order; a class missing from a fold's training part scores low."""
        scores = linear_scores(model, x)
        if len(model.classes_) == len(self.classes_):
            return scores
        full = np.full((scores.shape[0], len(self.classes_)), scores.min() - 10.0)
        full[:, model.classes_] = scores
        return full

    def decision_function(self, x: Any) -> np.ndarray:
        return linear_scores(self.estimator_, x)

    def predict_proba(self, x: Any) -> np.ndarray:
        return probabilities(self.decision_function(x), self.temperature_)

    def predict(self, x: Any) -> np.ndarray:
        return self.classes_[self.decision_function(x).argmax(axis=1)]

    @property
    def linear_parameters(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(coef, intercept) giving :meth:`decision_function` as ``x @ coef.T + intercept``."""
        est = self.estimator_
        if hasattr(est, "coef_") and hasattr(est, "decision_function"):
            coef = np.asarray(est.coef_, dtype=np.float64)
            intercept = np.broadcast_to(np.asarray(est.intercept_, dtype=np.float64), coef.shape[0])
        elif hasattr(est, "feature_log_prob_") and len(est.classes_) > 1:
            # ComplementNB's joint log-likelihood is X @ feature_log_prob_.T: linear too.
            coef = np.asarray(est.feature_log_prob_, dtype=np.float64)
            intercept = np.zeros(coef.shape[0])
        else:
            return None
        if coef.shape[0] == 1:  # binary: the first class scores 0
            coef = np.vstack([np.zeros_like(coef), coef])
            intercept = np.concatenate([[0.0], intercept])
        return coef, np.asarray(intercept)


def _shuffled_rows(estimator: Any) -> dict[str, bool]:
    """The fit option that tells a classifier its rows come in a random order already, for
    one that takes it (:class:`~headlines.pipeline.PassCappedSGD`); none for any other."""
    return {"rows_shuffled": True} if has_fit_parameter(estimator, "rows_shuffled") else {}


def held_out_rows(
    targets: np.ndarray, random_state: int, learned: np.ndarray | None = None
) -> np.ndarray:
    """The rows, sorted, that calibration holds out at random: a tenth of each label's, none
    of them a row ``learned`` marks (rows that must be learned from).

    ``ceil(n / 10)`` of the ``n`` rows that may be held out, shared among the labels in
    proportion to their rows (by largest remainder, at least one row of each label with two
    or more), each label's drawn at random: what scikit-learn's stratified
    ``train_test_split`` does, in a quarter of its time at a million rows.
    """
    rows = np.arange(len(targets)) if learned is None else np.flatnonzero(~learned)
    shuffled = rows[np.random.RandomState(random_state).permutation(len(rows))]
    wanted = math.ceil(_HELD_OUT * len(rows))
    per_label = np.bincount(targets[rows])
    # A label (nearly) all marked cannot be split, nor can fewer rows than labels be shared
    # among them: then a tenth of the rows, at random.
    splits = 0 < np.count_nonzero(per_label) <= wanted and (
        learned is None or per_label[per_label > 0].min() >= 2
    )
    if not splits:
        test = shuffled[:wanted]
    else:
        share = per_label * (wanted / len(rows))
        quota = np.maximum(np.floor(share).astype(np.intp), per_label >= 2)
        short = wanted - int(quota.sum())
        if short > 0:  # the largest remainders get a row more
            quota[np.argsort(quota - share, kind="stable")[:short]] += 1
        elif short < 0:  # more labels rounded up to one row than the tenth allows
            quota[np.argsort(share - quota, kind="stable")[:-short]] -= 1
        # Each label's rows in the random order, labels one after another; the first of each.
        grouped = shuffled[np.argsort(targets[shuffled], kind="stable")]
        rank = np.arange(len(grouped)) - np.repeat(np.cumsum(per_label) - per_label, per_label)
        test = grouped[rank < np.repeat(quota, per_label)]
    test.sort()
    result: np.ndarray = test
    return result


def held_out_order(
    labels: Any, random_state: int = 0, learned: np.ndarray | None = None
) -> tuple[np.ndarray, int] | None:
    """An order of the rows that puts those :class:`CalibratedLinear` would hold out at
    random last, and how many they are; None when it would hold none out that way
    (cross-validation up to 60,000 rows, or a label with one row). Rows that ``learned``
    marks are never held out.

    Fitted on rows in this order with ``held_out_last``, the classifier does not read the
    held-out rows at all, instead of reading them at weight zero: a tenth less work. The rows
    to learn from come in a random order (seeded by ``random_state``), so that a classifier
    making one pass can read them as they lie (see :class:`~headlines.pipeline.PassCappedSGD`).
    ``held_out_order(labels)`` of 200,000 rows -> (the 180,000 rows to learn from in a random
    order, then the 20,000 to hold out), 20000
    """
    _, targets = label_indices(labels)
    if len(targets) <= _CV_ROWS or np.bincount(targets).min() < 2:
        return None
    test = held_out_rows(targets, random_state, learned)
    kept = np.ones(len(targets), dtype=bool)
    kept[test] = False
    learn = np.random.RandomState(random_state).permutation(np.flatnonzero(kept))
    return np.concatenate([learn, test]), len(test)


def first_rows(x: Any, rows: int) -> Any:
    """The first ``rows`` rows of a matrix; of a CSR matrix, a view that copies nothing."""
    if sp.issparse(x) and x.format == "csr":
        end = x.indptr[rows]
        return sp.csr_matrix(
            (x.data[:end], x.indices[:end], x.indptr[: rows + 1]),
            shape=(rows, x.shape[1]),
            copy=False,
        )
    return x[:rows]


def label_indices(y: Any) -> tuple[np.ndarray, np.ndarray]:
    """The distinct labels, sorted, and each row's index among them: ``np.unique(y,
    return_inverse=True)``, by a dictionary instead of sorting every row.

    ``label_indices(["sport", "news", "sport"]) -> (array(["news", "sport"]), array([1, 0, 1]))``
    """
    values = y.tolist() if isinstance(y, np.ndarray) else list(y)
    classes = sorted(set(values))
    index = {label: i for i, label in enumerate(classes)}
    targets = np.fromiter(map(index.__getitem__, values), dtype=np.intp, count=len(values))
    return np.asarray(classes), targets


def largest_group_temperature(scores: np.ndarray, targets: np.ndarray, groups: np.ndarray) -> float:
    """The largest temperature fitted on one held-out group's scores alone (groups of 200
    rows or more; 0 when there is none).

    Each group is a writer the model did not learn from; the least sure of them is the best
    guide to the next, unseen style, so its temperature is the one to keep.
    """
    temperatures = [
        fit_temperature(scores[groups == name], targets[groups == name])
        for name in np.unique(groups)
        if (groups == name).sum() >= _MIN_GROUP
    ]
    return max(temperatures, default=0.0)


def label_thresholds(
    proba: np.ndarray, targets: np.ndarray, labels: list[str], precision: float = PRECISION
) -> dict[str, float]:
    """Per label, the lowest confidence above which its held-out predictions reach ``precision``.

    A label whose predictions never reach it gets the confidence of its most precise
    stretch; one predicted fewer than 20 times gets no threshold (the caller's fallback).
    ``{"sport": 0.0, "lifestyle": 0.62}``: every sport prediction is kept, lifestyle below
    0.62 becomes ``unknown``.
    """
    best = proba.argmax(axis=1)
    confidence = proba[np.arange(len(best)), best]
    thresholds: dict[str, float] = {}
    for index, label in enumerate(labels):
        mine = np.flatnonzero(best == index)
        if len(mine) < _MIN_PREDICTED:
            continue
        order = mine[np.argsort(-confidence[mine], kind="stable")]
        right = np.cumsum(targets[order] == index)
        precise = right / np.arange(1, len(order) + 1)
        # Only stretches of at least _MIN_PREDICTED rows count, so one lucky row decides nothing.
        precise[: _MIN_PREDICTED - 1] = 0.0
        reached = np.flatnonzero(precise >= precision)
        cut = reached[-1] if len(reached) else int(precise.argmax())
        thresholds[label] = (
            0.0 if cut == len(order) - 1 else round(float(confidence[order[cut]]), 4)
        )
    return thresholds
