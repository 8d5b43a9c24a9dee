"""The scikit-learn Pipeline that labels headlines: build it, fit it, predict with it.

Covers: the feature sets and classifiers on offer, one Pipeline holding both (so a
cross-validation fold never sees features fitted on its test rows), and :class:`Model`, a
fitted pipeline with its model card. Does not cover: reading data (dataset.py), saving and
loading (persistence.py) or scores (evaluation.py).

``Model.predict(["PSV wint met 3-0"]) -> (["sport"], array([0.93]))``
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from .errors import InputError

if TYPE_CHECKING:
    from .persistence import ModelCard

# Words keep a leading currency sign, so "$PEPE" and "PEPE" are different features.
_TOKEN_PATTERN = r"(?u)[$€£]?\b\w+\b"


def _word_features() -> TfidfVectorizer:
    return TfidfVectorizer(
        ngram_range=(1, 2), token_pattern=_TOKEN_PATTERN, sublinear_tf=True, min_df=1
    )


def _char_features() -> TfidfVectorizer:
    # Character n-grams inside word boundaries carry Dutch compounds
    # ("vennootschapsbelasting") and spelling variants that whole words miss.
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)


FEATURES: dict[str, Callable[[], Any]] = {
    "word": _word_features,
    "word+char": lambda: FeatureUnion([("word", _word_features()), ("char", _char_features())]),
}


def _logreg(class_weight: str | None) -> Any:
    return LogisticRegression(C=20.0, max_iter=3000, class_weight=class_weight)


CLASSIFIERS: dict[str, Callable[[str | None], Any]] = {
    "logreg": _logreg,
}
DEFAULT_CLASSIFIER = "logreg"
DEFAULT_FEATURES = "word+char"


def build_pipeline(
    classifier: str = DEFAULT_CLASSIFIER,
    features: str = DEFAULT_FEATURES,
    class_weight: str | None = None,
) -> Pipeline:
    """An unfitted Pipeline of the named features and classifier.

    ``build_pipeline("logreg", "word")`` -> Pipeline([("features", TfidfVectorizer(...)),
    ("classifier", LogisticRegression(...))])
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
        [("features", FEATURES[features]()), ("classifier", CLASSIFIERS[classifier](class_weight))]
    )


@dataclass
class Model:
    """A fitted pipeline and the card that describes it."""

    pipeline: Pipeline
    card: ModelCard

    @property
    def labels(self) -> list[str]:
        return [str(label) for label in self.pipeline.classes_]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """One row of label probabilities per text, columns in :attr:`labels` order."""
        return np.asarray(self.pipeline.predict_proba(list(texts)))

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
