"""A few headlines labelled in plain Python, value by value from an arrays model file: one
headline in, one label out, without waiting for numpy to load.

Covers: :class:`FewModel`, an arrays model's calibrated probabilities and explanations
computed as scoring.py's CachedScorer and model.py's Model compute them (the same sums,
added in another order, so equal to about 1e-15), and :func:`label_few`, which labels a few
chunks as predicting.py does (label shares, confidence floors, next labels, reasons). Does
not cover: reading feeds, or when this is used (predicting.py, the explain command).

numpy takes a tenth of a second or more to load, longer than Python takes to score a few
dozen headlines: a headline costs a MurmurHash3 per word and n-gram (tokens.py) and a row of
weights per feature.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from .persistence import ModelFile, PlainArrays
from .priors import Shares, adjust_rows, estimate_rows, log_shares, training_shares
from .progress import ProgressReporter
from .records import UNKNOWN, Explanation, HeadlineChunk, LabelledChunk, labelled_chunks
from .tokens import MAX_TEXT, named_features, pair_feature, word_features, words

if TYPE_CHECKING:
    from .model import Model

# Inputs of up to FEW headlines and FEW_CHARACTERS characters are labelled here; a longer
# one loads numpy, whose vectorised scoring catches up at 150 headlines or so on this
# 2-core machine (100 headlines: 0.29 s here, 0.34 s with numpy; benchmarks/latency.py
# measures both sides). Python's cost goes with the characters: 100 lines of 2,000
# characters of distinct words took 4.5 s here and 0.75 s with numpy.
FEW = 100
FEW_CHARACTERS = 10_000


def are_few(chunks: list[HeadlineChunk]) -> bool:
    """True when these chunks are few enough to label here (see :data:`FEW`)."""
    texts = [text for chunk in chunks for text in chunk.texts]
    return len(texts) <= FEW and sum(min(len(t), MAX_TEXT) for t in texts) <= FEW_CHARACTERS


class FewModel:
    """An arrays model, for a few texts: what :class:`~headlines.model.Model` gives for its
    labels, card, training shares and calibrated probabilities."""

    def __init__(self, file: ModelFile, arrays: PlainArrays) -> None:
        self.file = file
        self.card = file.card
        self.arrays = arrays
        self.labels = list(arrays.labels)
        self.training_priors = training_shares(self.card.labels, self.labels)
        self.intercept = arrays.intercept.tolist()
        arrays.check_finite(self.intercept)
        # word -> its hash, its IDF-weighted score per label and its squared length
        self._words: dict[str, tuple[int, list[float], float]] = {}

    @classmethod
    def open(cls, file: ModelFile) -> FewModel | None:
        """The model of a file, if it is an arrays model (see
        :meth:`~headlines.persistence.ModelFile.plain_arrays`)."""
        arrays = file.plain_arrays()
        return None if arrays is None else cls(file, arrays)

    def calibrated_proba(self, texts: Sequence[str]) -> list[list[float]]:
        """A row of probabilities per text under the training shares, in :attr:`labels`
        order."""
        temperature = self.arrays.temperature
        rows = []
        for text in texts:
            shifted = [score / temperature for score in self._decision(text)]
            top = max(shifted)
            exp = [math.exp(value - top) for value in shifted]
            total = sum(exp)
            rows.append([value / total for value in exp])
        return rows

    def explain(self, text: str, *, top: int = 10, shares: Shares | None = None) -> Explanation:
        """What :meth:`~headlines.model.Model.explain` gives, under the label shares
        ``shares`` (None: the training data's)."""
        proba = self.calibrated_proba([text])
        if shares is not None:
            proba = adjust_rows(proba, self.training_priors, shares)
        row = proba[0]
        best = row.index(max(row))
        order = sorted(range(len(row)), key=row.__getitem__)[::-1]  # as numpy's argsort()[::-1]
        arrays = self.arrays
        named = named_features(text, arrays.n_features, arrays.char_ngrams, arrays.word_pairs)
        scored = [(name, *self._feature(feature)) for name, feature in named]
        norm = math.sqrt(sum(idf * idf for _, _, idf in scored))
        contributions: dict[str, float] = {}
        for name, scores, _ in scored:
            contributions[name] = contributions.get(name, 0.0) + scores[best] / norm
        ranked = sorted(contributions.items(), key=lambda item: item[1], reverse=True)
        probabilities = [(self.labels[i], row[i]) for i in order]
        return Explanation(text, self.labels[best], probabilities, ranked[:top],
                           self.intercept[best])  # fmt: skip

    def _decision(self, text: str) -> list[float]:
        arrays = self.arrays
        numerator = [0.0] * len(self.labels)
        squared = 0.0
        hashes = []
        for word in words(text):
            word_hash, scores, length = self._word(word)
            hashes.append(word_hash)
            numerator = [a + b for a, b in zip(numerator, scores, strict=True)]
            squared += length
        if arrays.word_pairs:
            for first, second in pairwise(hashes):
                scores, idf = self._feature(pair_feature(first, second, arrays.n_features))
                numerator = [a + b for a, b in zip(numerator, scores, strict=True)]
                squared += idf * idf
        norm = math.sqrt(squared or 1.0)
        return [a / norm + b for a, b in zip(numerator, self.intercept, strict=True)]

    def _word(self, word: str) -> tuple[int, list[float], float]:
        known = self._words.get(word)
        if known is not None:
            return known
        word_hash, features = word_features(word, self.arrays.n_features, self.arrays.char_ngrams)
        scores = [0.0] * len(self.labels)
        length = 0.0
        for feature in features:
            row, idf = self._feature(feature)
            scores = [a + b for a, b in zip(scores, row, strict=True)]
            length += idf * idf
        self._words[word] = (word_hash, scores, length)
        return self._words[word]

    def _feature(self, feature: int) -> tuple[list[float], float]:
        """A feature's IDF-weighted weights, one per label, and its IDF."""
        k = len(self.labels)
        weights = self.arrays.weights[feature * k : (feature + 1) * k].tolist()
        idf = self.arrays.idf[feature]
        self.arrays.check_finite([*weights, idf])
        return [weight * idf for weight in weights], idf


def few_or_loaded(
    model: Model | ModelFile, chunks: list[HeadlineChunk] | None = None
) -> Model | FewModel:
    """An arrays model's file as a :class:`FewModel`, any other file loaded, and a loaded
    model as it is: what scores a few texts soonest. Given the ``chunks`` to score, a file
    is loaded when they are more than a few (:func:`are_few`)."""
    if not isinstance(model, ModelFile):
        return model
    few = FewModel.open(model) if chunks is None or are_few(chunks) else None
    return few or model.load()


def label_few(
    model: FewModel,
    chunks: list[HeadlineChunk],
    *,
    priors: str,
    fixed: Sequence[float] | None,
    floors: Sequence[float] | None,
    top_k: int,
    explain: int = 0,
    progress: ProgressReporter | None = None,
) -> Iterator[LabelledChunk]:
    """The chunks labelled, as :func:`~headlines.predicting.predict_chunks` labels them:
    the label shares ``priors`` says (``fixed`` those of a file), the label ``unknown``
    below a label's floor, the ``top_k`` next labels and ``explain`` n-grams as reasons."""
    texts = [text for chunk in chunks for text in chunk.texts]
    proba = model.calibrated_proba(texts)
    shares = estimate_rows(proba, model.training_priors) if priors == "feed" else fixed
    if priors != "train" and shares is not None:
        log_shares(model.labels, shares)
        proba = adjust_rows(proba, model.training_priors, shares)
    names = [*model.labels, UNKNOWN]
    labels: list[str] = []
    confidences: list[float] = []
    alternatives: list[tuple[tuple[str, float], ...]] = []
    for row in proba:
        order = sorted(range(len(row)), key=lambda i: -row[i])[: top_k + 1]
        best, confidence = order[0], row[order[0]]
        if floors is not None and not confidence >= floors[best]:
            best = len(names) - 1
        labels.append(names[best])
        confidences.append(confidence)
        alternatives.append(tuple((names[i], row[i]) for i in order[1:]))
    if progress is not None:
        progress.start("labelling")
    reasons = None
    if explain:
        reasons = [tuple(model.explain(text, top=explain, shares=shares).contributions)
                   for text in texts]  # fmt: skip
    yield from labelled_chunks(
        chunks, labels, confidences, alternatives if top_k else None, reasons
    )
    if progress is not None:
        progress.report("labelling", len(labels))
