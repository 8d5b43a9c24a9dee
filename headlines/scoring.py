"""The fast path: a fitted linear model as plain arrays, and its scores from cached per-word
scores, with numpy alone.

Covers: :class:`LinearArrays`, everything a fitted ``HeadlineVectorizer -> linear classifier``
pipeline needs to score (the hashing parameters, each feature's IDF, the weights and biases,
the calibration temperature, the labels); :class:`CachedScorer`, which gives exactly the
pipeline's decision values without building a sparse matrix; and :func:`probabilities`.
Does not cover: fitting (pipeline.py, calibration.py), files (persistence.py) or when to use
it (model.py).

A headline's features are the sum of its words' features plus its word pairs (features.py),
so a linear model's score is a sum too::

    score(text) = (sum of score(word) + sum of score(pair)) / length(text) + intercept
    length(text)**2 = sum of length(word)**2 + sum of idf(pair)**2

The score and squared length of each distinct word are computed once and cached; a chunk of
headlines then costs one dictionary lookup per word and a few vectorised sums.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .hashing import CACHE_LIMIT, Hashing, WordTable, analyze, gathered_sums, segment_sums


@dataclass(frozen=True, eq=False)
class LinearArrays:
    """A fitted linear model over hashed features, as arrays.

    ``weights[f, k]`` is feature f's weight for label k (float32 where that loses nothing),
    so that the weights of a few features are a few contiguous rows; ``idf[f]`` is feature
    f's IDF; the decision value of label k is ``x @ weights[:, k] + intercept[k]`` for the
    unit-length IDF-weighted row ``x``, and the probabilities are
    ``softmax(decision / temperature)``.
    """

    labels: tuple[str, ...]
    hashing: Hashing
    idf: np.ndarray  # (n_features,) float64
    weights: np.ndarray  # (n_features, n_labels)
    intercept: np.ndarray  # (n_labels,) float64
    temperature: float


class CachedScorer:
    """Decision values of ``x @ weights + intercept`` for the rows ``x`` of a chunk of texts,
    cached by word."""

    def __init__(self, arrays: LinearArrays) -> None:
        self.hashing = arrays.hashing
        self.idf = np.asarray(arrays.idf, dtype=np.float64)
        self.weights = arrays.weights
        self.intercept = np.asarray(arrays.intercept, dtype=np.float64)
        self.n_labels = self.intercept.shape[0]
        # The word table grows as texts come, and numpy views of it must not outlive a
        # growth: threads that share a model (the Python API under Dask's threads) take turns.
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.table = WordTable(self.hashing.n_features, self.hashing.char_ngrams)
        # Row r scores word r of the table (row 0, the separator, scores 0). The arrays grow
        # by doubling: copying them whole for every chunk's few new words adds up.
        self.word_scores = np.zeros((1 << 12, self.n_labels))
        self.word_lengths = np.zeros(1 << 12)
        self.scored = 1

    def feature_scores(self, features: np.ndarray) -> np.ndarray:
        """The IDF-weighted scores of these features, a row per feature: the rows a chunk
        needs, rather than a table of all 2**19 kept in memory (and built at every start)."""
        rows = np.take(self.weights, features, axis=0).astype(np.float64)
        result: np.ndarray = rows * np.take(self.idf, features)[:, None]
        return result

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return self._decision_function(texts)

    def _decision_function(self, texts: Sequence[str]) -> np.ndarray:
        if len(self.table) > CACHE_LIMIT:
            self._reset()
        a = analyze(texts, self.table, self.hashing)
        self._score_new_words()
        numerator = gathered_sums(self.word_scores, a.rows, a.bounds)
        squared = gathered_sums(self.word_lengths, a.rows, a.bounds)
        if len(a.pairs):
            numerator += segment_sums(self.feature_scores(a.pairs), a.pair_bounds)
            squared += segment_sums(np.take(self.idf, a.pairs) ** 2, a.pair_bounds)
        squared[squared == 0] = 1.0
        result: np.ndarray = numerator / np.sqrt(squared)[:, None] + self.intercept
        return result

    def _score_new_words(self) -> None:
        done, total = self.scored, len(self.table)
        if done == total:
            return
        if total > len(self.word_lengths):
            size = max(total, 2 * len(self.word_lengths))
            self.word_scores = np.resize(self.word_scores, (size, self.n_labels))
            self.word_lengths = np.resize(self.word_lengths, size)
        flat, offsets = self.table.feature_arrays()
        bounds = offsets[done : total + 1] - offsets[done]
        features = flat[offsets[done] : offsets[total]]
        self.word_scores[done:total] = segment_sums(self.feature_scores(features), bounds)
        self.word_lengths[done:total] = segment_sums(np.take(self.idf, features) ** 2, bounds)
        self.scored = total


def probabilities(scores: np.ndarray, temperature: float) -> np.ndarray:
    """``softmax(scores / temperature)`` row by row (as scipy.special.softmax computes it).

    ``probabilities([[0.0, 0.0]], 1.0) -> [[0.5, 0.5]]``
    """
    shifted = np.asarray(scores) / temperature
    exp = np.exp(shifted - shifted.max(axis=1, keepdims=True))
    result: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
    return result
