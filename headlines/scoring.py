"""The fast path: decision values of a fitted linear model from cached per-word scores.

Covers: :class:`CachedScorer`, which gives exactly the decision values of
``HeadlineVectorizer -> linear classifier`` without building a sparse matrix. Does not cover:
probabilities (calibration.py) or the choice of when to use it (model.py).

A headline's features are the sum of its words' features plus its word pairs (features.py),
so a linear model's score is a sum too::

    score(text) = (sum of score(word) + sum of score(pair)) / length(text) + intercept
    length(text)**2 = sum of length(word)**2 + sum of idf(pair)**2

The score and squared length of each distinct word are computed once and cached; a chunk of
headlines then costs one dictionary lookup per word and a few vectorised sums.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .features import CACHE_LIMIT, HeadlineVectorizer, WordTable, gathered_sums


class CachedScorer:
    """Decision values of ``coef @ vectorizer.transform(texts).T + intercept``, cached by word."""

    def __init__(
        self, vectorizer: HeadlineVectorizer, coef: np.ndarray, intercept: np.ndarray
    ) -> None:
        self.vectorizer = vectorizer
        self.idf = vectorizer.idf_
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        # Pair features are looked up per occurrence, and new words' features once: keep
        # every feature's IDF-weighted scores ready, a row per feature.
        self.feature_scores = np.multiply(self.coef.T, self.idf[:, None], order="C")
        self.feature_lengths = self.idf**2
        self._reset()

    def _reset(self) -> None:
        self.table = WordTable(self.vectorizer.n_features, self.vectorizer.char_ngrams)
        # Row r scores word r of the table (row 0, the separator, scores 0). The arrays grow
        # by doubling: copying them whole for every chunk's few new words adds up.
        self.word_scores = np.zeros((1 << 12, self.coef.shape[0]))
        self.word_lengths = np.zeros(1 << 12)
        self.scored = 1

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        if len(self.table) > CACHE_LIMIT:
            self._reset()
        a = self.vectorizer.analyze(texts, self.table)
        self._score_new_words()
        numerator = gathered_sums(self.word_scores, a.rows, a.bounds)
        squared = gathered_sums(self.word_lengths, a.rows, a.bounds)
        if len(a.pairs):
            numerator += gathered_sums(self.feature_scores, a.pairs, a.pair_bounds)
            squared += gathered_sums(self.feature_lengths, a.pairs, a.pair_bounds)
        squared[squared == 0] = 1.0
        result: np.ndarray = numerator / np.sqrt(squared)[:, None] + self.intercept
        return result

    def _score_new_words(self) -> None:
        done, total = self.scored, len(self.table)
        if done == total:
            return
        if total > len(self.word_lengths):
            size = max(total, 2 * len(self.word_lengths))
            self.word_scores = np.resize(self.word_scores, (size, self.coef.shape[0]))
            self.word_lengths = np.resize(self.word_lengths, size)
        flat, offsets = self.table.feature_arrays()
        bounds = offsets[done : total + 1] - offsets[done]
        features = flat[offsets[done] : offsets[total]]
        self.word_scores[done:total] = gathered_sums(self.feature_scores, features, bounds)
        self.word_lengths[done:total] = gathered_sums(self.feature_lengths, features, bounds)
        self.scored = total
