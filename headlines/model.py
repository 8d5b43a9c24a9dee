"""The scikit-learn Pipeline that labels headlines: build it, fit it, predict with it.

Covers: the feature sets and classifiers on offer, one Pipeline holding both (so a
cross-validation fold never sees features fitted on its test rows), and :class:`Model`, a
fitted pipeline with its model card that scores, ranks and explains labels. Does not cover:
reading data (dataset.py), saving and loading (persistence.py) or scores (evaluation.py).

``Model.predict(["PSV wint met 3-0"]) -> (["sport"], array([0.93]))``
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from .calibration import CalibratedLinear, probabilities
from .card import ModelCard
from .errors import InputError
from .features import HeadlineVectorizer
from .priors import adjust as adjust_priors
from .records import Scores
from .scoring import CachedScorer


class PassCappedSGD(SGDClassifier):
    """An SGDClassifier whose passes over the data shrink as the rows grow.

    ``max_iter`` passes while they visit at most ``VISITS`` rows in all (15 passes up to
    100,000 rows), then as many passes as fit in that budget, two at the least: on a million
    headlines two passes score as well as fifteen, at a seventh of the time.
    ``n_iter_`` says how many passes were made.
    """

    VISITS = 1_500_000

    def fit(self, X: Any, y: Any, *args: Any, **kwargs: Any) -> PassCappedSGD:
        requested: int = self.get_params()["max_iter"]
        self.set_params(max_iter=min(requested, max(2, -(-self.VISITS // max(X.shape[0], 1)))))
        try:
            super().fit(X, y, *args, **kwargs)
        finally:
            self.set_params(max_iter=requested)
        return self


FEATURES: dict[str, tuple[int, int]] = {
    "word+char": (3, 5),  # words, word pairs and 3- to 5-grams inside words
    "word": (0, 0),  # words and word pairs only
}

CLASSIFIERS: dict[str, Callable[[str | None], Any]] = {
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
DEFAULT_CLASSIFIER = "sgd"
DEFAULT_FEATURES = "word+char"


def build_pipeline(
    classifier: str = DEFAULT_CLASSIFIER,
    features: str = DEFAULT_FEATURES,
    class_weight: str | None = None,
) -> Pipeline:
    """An unfitted Pipeline of the named features and a calibrated classifier.

    ``build_pipeline("svm", "word")`` -> Pipeline([("features", HeadlineVectorizer(...)),
    ("classifier", CalibratedLinear(LinearSVC(...)))])
    """
    if classifier not in CLASSIFIERS:
        raise InputError(
            f"unknown classifier '{classifier}'; choose one of {', '.join(CLASSIFIERS)}"
        )
    if features not in FEATURES:
        raise InputError(f"unknown features '{features}'; choose one of {', '.join(FEATURES)}")
    if class_weight not in (None, "balanced"):
        raise InputError(f"unknown class weight '{class_weight}'; use --class-weight balanced")
    return Pipeline(
        [
            ("features", HeadlineVectorizer(char_ngrams=FEATURES[features])),
            ("classifier", CalibratedLinear(CLASSIFIERS[classifier](class_weight))),
        ]
    )


@dataclass(frozen=True)
class Explanation:
    """Why a headline got its label: every label's probability, most probable first, and the
    features that pushed it to the top label with their share of its score."""

    text: str
    label: str
    probabilities: list[tuple[str, float]]
    contributions: list[tuple[str, float]]
    bias: float


@dataclass
class Model:
    """A fitted pipeline and the card that describes it.

    ``priors``, when set, are the label shares of the texts to label (in :attr:`labels`
    order): probabilities are adjusted from the training data's shares to them (priors.py).
    """

    pipeline: Pipeline
    card: ModelCard
    priors: np.ndarray | None = None
    _scorer: CachedScorer | None = field(default=None, init=False, repr=False)

    @property
    def labels(self) -> list[str]:
        return [str(label) for label in self.pipeline.classes_]

    @property
    def training_priors(self) -> np.ndarray:
        """Each label's share of the training rows, in :attr:`labels` order."""
        counts = np.array([self.card.labels.get(label, 0) for label in self.labels], float)
        if counts.sum() <= 0:
            return np.full(len(counts), 1.0 / len(counts))
        result: np.ndarray = counts / counts.sum()
        return result

    def with_priors(self, priors: np.ndarray | None) -> Model:
        """This model for texts whose labels come in the shares ``priors`` (None: as trained),
        sharing its word cache."""
        model = Model(self.pipeline, self.card, priors)
        model._scorer = self._scorer
        return model

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """One row of label probabilities per text, columns in :attr:`labels` order."""
        proba = self.calibrated_proba(texts)
        if self.priors is None:
            return proba
        return adjust_priors(proba, self.training_priors, self.priors)

    def calibrated_proba(self, texts: Sequence[str]) -> np.ndarray:
        """The probabilities under the training data's label shares, whatever the priors."""
        scorer = self._fast_scorer()
        if scorer is None:
            return np.asarray(self.pipeline.predict_proba(list(texts)))
        return probabilities(scorer.decision_function(texts), self.classifier.temperature_)

    @property
    def classifier(self) -> Any:
        return self.pipeline.named_steps["classifier"]

    def _fast_scorer(self) -> CachedScorer | None:
        """The cached-score path (scoring.py) when the pipeline is vectorizer -> linear model."""
        if self._scorer is None:
            linear = self._linear()
            if linear is not None:
                self._scorer = CachedScorer(*linear)
        return self._scorer

    def _linear(self) -> tuple[HeadlineVectorizer, np.ndarray, np.ndarray] | None:
        """The vectorizer, weights and biases when the pipeline is vectorizer -> linear model."""
        vectorizer = self.pipeline.named_steps.get("features")
        params = getattr(self.classifier, "linear_parameters", None)
        if isinstance(vectorizer, HeadlineVectorizer) and params is not None:
            return vectorizer, *params
        return None

    def predict(self, texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
        """The most probable label of each text and its probability.

        ``predict(["KNMI waarschuwt voor storm"]) -> (["weather"], array([0.88]))``
        """
        if len(texts) == 0:
            return [], np.empty(0)
        proba = self.predict_proba(texts)
        best = proba.argmax(axis=1)
        labels = self.labels
        return [labels[i] for i in best], proba[np.arange(len(best)), best]

    def score_top(self, texts: list[str], top: int, explain: int = 0) -> Scores:
        """The ``top`` most probable labels of each text and their probabilities, best first.

        ``score_top(["PSV wint"], 2)`` -> ``([[7, 2]], [[0.91, 0.04]], None)``, the indices
        into :attr:`labels`; with ``explain``, that many n-grams per text as reasons.
        """
        proba = self.predict_proba(texts)
        if top == 1:
            order = proba.argmax(axis=1)[:, None]
        else:
            order = np.argsort(-proba, axis=1, kind="stable")[:, :top]
        reasons = None
        if explain:
            reasons = [tuple(self.explain(text, top=explain).contributions) for text in texts]
        return order, np.take_along_axis(proba, order, axis=1), reasons

    def explain(self, text: str, *, top: int = 10) -> Explanation:
        """The label probabilities of one headline and the n-grams behind its label.

        ``explain("KNMI waarschuwt voor storm")`` -> Explanation(label="weather",
        probabilities=[("weather", 0.93), ...], contributions=[("knmi", 0.41), ...])
        """
        proba = self.predict_proba([text])[0]
        best = int(proba.argmax())
        order = proba.argsort()[::-1]
        probabilities = [(self.labels[i], float(proba[i])) for i in order]
        linear = self._linear()
        if linear is None:
            raise InputError(f"a {self.card.classifier} model cannot explain its labels")
        vectorizer, coef, intercept = linear
        named = vectorizer.named_features(text)
        contributions: dict[str, float] = {}
        if named:
            index = np.array([i for _, i in named])
            weights = vectorizer.idf_[index]
            shares = coef[best, index] * weights / np.sqrt(weights @ weights)
            for (name, _), share in zip(named, shares, strict=True):
                contributions[name] = contributions.get(name, 0.0) + float(share)
        ranked = sorted(contributions.items(), key=lambda item: item[1], reverse=True)
        return Explanation(
            text, self.labels[best], probabilities, ranked[:top], float(intercept[best])
        )
