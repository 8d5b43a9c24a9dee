"""A fitted model that labels headlines: its scores, top labels and explanations.

Covers: :class:`Model`, a fitted model with its card, which scores, ranks and explains
labels from plain arrays (scoring.py) with numpy alone, or through a scikit-learn pipeline
that has none; and the names of the classifiers and feature sets on offer. Does not cover:
building and fitting pipelines (pipeline.py), reading data (dataset.py), saving and loading
(persistence.py) or scores (evaluation.py).

``Model.predict(["PSV wint met 3-0"]) -> (["sport"], array([0.93]))``
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .card import CLASSIFIERS, DEFAULT_CLASSIFIER, DEFAULT_FEATURES, FEATURES, ModelCard
from .errors import InputError
from .hashing import Hashing
from .priors import Shares, training_shares
from .priors import adjust as adjust_priors
from .records import Explanation, Scores
from .scoring import CachedScorer, LinearArrays, probabilities
from .tokens import named_features

__all__ = [
    "CLASSIFIERS",
    "DEFAULT_CLASSIFIER",
    "DEFAULT_FEATURES",
    "FEATURES",
    "Explanation",
    "Model",
    "linear_arrays",
]


def __getattr__(name: str) -> Any:
    # Models saved before pipeline.py existed name headlines.model.PassCappedSGD; unpickling
    # them finds it here. Importing it loads scikit-learn, so only when asked.
    if name == "PassCappedSGD":
        from .pipeline import PassCappedSGD

        return PassCappedSGD
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def linear_arrays(pipeline: Any) -> LinearArrays | None:
    """The arrays of a fitted ``HeadlineVectorizer -> CalibratedLinear`` pipeline, or None
    when it is not one (a pipeline of other steps scores through scikit-learn).

    Weights that are float32 in the classifier (SGD fits on float32 rows) stay float32.
    """
    steps = getattr(pipeline, "named_steps", {})
    vectorizer: Any = steps.get("features")
    classifier: Any = steps.get("classifier")
    params = getattr(classifier, "linear_parameters", None)
    idf = getattr(vectorizer, "idf_", None)
    if params is None or idf is None:
        return None
    coef, intercept = params
    weights = np.ascontiguousarray(coef.T)
    narrow = weights.astype(np.float32)
    if np.array_equal(narrow, weights):
        weights = narrow
    low, high = vectorizer.char_ngrams
    return LinearArrays(
        labels=tuple(str(label) for label in classifier.classes_),
        hashing=Hashing(
            int(vectorizer.n_features), (int(low), int(high)), bool(vectorizer.word_pairs)
        ),
        idf=np.asarray(idf, dtype=np.float64),
        weights=weights,
        intercept=np.asarray(intercept, dtype=np.float64),
        temperature=float(classifier.temperature_),
    )


@dataclass
class Model:
    """A fitted model and the card that describes it.

    ``arrays`` score it (numpy alone); ``pipeline`` is the fitted scikit-learn Pipeline when
    the model was fitted here or loaded from a joblib or skops file, and scores it only when
    it has no arrays. ``priors``, when set, are the label shares of the texts to label (in
    :attr:`labels` order): probabilities are adjusted from the training data's shares to
    them (priors.py).
    """

    card: ModelCard
    arrays: LinearArrays | None = None
    pipeline: Any = None
    priors: Shares | None = None
    _scorer: CachedScorer | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def from_pipeline(cls, pipeline: Any, card: ModelCard) -> Model:
        return cls(card, linear_arrays(pipeline), pipeline)

    @property
    def labels(self) -> list[str]:
        if self.arrays is not None:
            return list(self.arrays.labels)
        return [str(label) for label in self.pipeline.classes_]

    @property
    def training_priors(self) -> np.ndarray:
        """Each label's share of the training rows, in :attr:`labels` order."""
        return np.array(training_shares(self.card.labels, self.labels))

    def with_priors(self, priors: Shares | None) -> Model:
        """This model for texts whose labels come in the shares ``priors`` (None: as trained),
        sharing its word cache."""
        model = dataclasses.replace(self, priors=priors)
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
        if self.arrays is None:
            return np.asarray(self.pipeline.predict_proba(list(texts)))
        if self._scorer is None:
            self._scorer = CachedScorer(self.arrays)
        return probabilities(self._scorer.decision_function(texts), self.arrays.temperature)

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
        labels = self.labels
        probabilities = [(labels[i], float(proba[i])) for i in order]
        arrays = self.arrays
        if arrays is None:
            raise InputError(f"a {self.card.classifier} model cannot explain its labels")
        h = arrays.hashing
        named = named_features(text, h.n_features, h.char_ngrams, h.word_pairs)
        contributions: dict[str, float] = {}
        if named:
            index = np.array([i for _, i in named])
            idf = arrays.idf[index]
            weights = arrays.weights[index, best].astype(np.float64)
            shares = weights * idf / np.sqrt(idf @ idf)
            for (name, _), share in zip(named, shares, strict=True):
                contributions[name] = contributions.get(name, 0.0) + float(share)
        ranked = sorted(contributions.items(), key=lambda item: item[1], reverse=True)
        return Explanation(
            text, labels[best], probabilities, ranked[:top], float(arrays.intercept[best])
        )
