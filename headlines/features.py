"""Headline text -> TF-IDF weighted, hashed word and character n-gram features, fast.

Covers: :class:`HeadlineVectorizer`, a scikit-learn transformer that tokenises a headline
into words, hashes each word's unigram and character n-grams (computed once per distinct
word and cached) and each adjacent word pair, weights every occurrence by its IDF and scales
each row to unit length. Does not cover: the classifier (model.py) or the cached-score fast
path built on these features (scoring.py).

Why not ``FeatureUnion(TfidfVectorizer(word), TfidfVectorizer(char_wb))``: that computes
every character n-gram of every word of every headline in Python, about 6,000 headlines a
second. Headlines reuse a small vocabulary, so doing that work once per distinct word and
hashing instead of looking up a vocabulary is an order of magnitude faster::

    HeadlineVectorizer().fit(texts).transform(["PSV wint"])
    -> 1 x 2**19 row: "psv", "wint", "psv wint", "<ps", "psv", "sv>", "<psv", ... (IDF, unit length)

Each occurrence is its own entry of the sparse row, and the row's length is taken over
entries, so a headline's features are the sum of its words' features: that is what lets
scoring.py cache one score per distinct word.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.murmurhash import murmurhash3_32

# Words keep a leading currency sign, so "$PEPE" and "PEPE" are different features.
TOKEN_RE = re.compile(r"[$€£]?\w+")
# Texts of a chunk are joined with a separator no headline uses and tokenised in one call.
SEPARATOR = "\x1e"
_CHUNK_TOKEN_RE = re.compile(r"[$€£]?\w+|\x1e")
CACHE_LIMIT = 500_000  # distinct words kept per cache; cleared past this to bound memory
_PAIR_SALT = 1_000_003


def word_features(word: str, n_features: int, char_ngrams: tuple[int, int]) -> tuple[int, array]:
    """A word's hash and the hashed indices of its unigram and character n-grams.

    ``word_features("psv", 2**19, (3, 5))`` -> (hash, array of "psv", "<ps", "psv", "sv>",
    "<psv", "psv>", "<psv>")
    """
    word_hash = murmurhash3_32(word, positive=True)
    features = array("i", [word_hash % n_features])
    low, high = char_ngrams
    if high:
        padded = f"<{word}>"
        features.extend(
            murmurhash3_32("#" + padded[i : i + size], positive=True) % n_features
            for size in range(low, high + 1)
            for i in range(len(padded) - size + 1)
        )
    return word_hash, features


def pair_feature(first_hash: int, second_hash: int, n_features: int) -> int:
    """The hashed index of two adjacent words, from their word hashes."""
    return (first_hash * _PAIR_SALT + second_hash) % n_features


class HeadlineVectorizer(TransformerMixin, BaseEstimator):
    """TF-IDF weighted hashed counts of words, word pairs and in-word character n-grams.

    ``char_ngrams=(3, 5)`` takes 3- to 5-grams of each word padded as ``<word>``; ``(0, 0)``
    turns them off (word features only). ``fit`` learns the IDF of each hashed feature.
    """

    def __init__(
        self,
        n_features: int = 2**19,
        char_ngrams: tuple[int, int] = (3, 5),
        word_pairs: bool = True,
    ) -> None:
        self.n_features = n_features
        self.char_ngrams = char_ngrams
        self.word_pairs = word_pairs

    def fit(self, texts: Iterable[str], y: Any = None) -> HeadlineVectorizer:
        self.idf_ = np.ones(self.n_features)
        counts = self._matrix(texts, weighted=False)
        df = np.bincount(counts.indices, minlength=self.n_features)
        self.idf_ = np.log((1 + counts.shape[0]) / (1 + df)) + 1.0
        return self

    def transform(self, texts: Iterable[str]) -> sp.csr_matrix:
        return self._matrix(texts, weighted=True)

    def analyze(self, texts: Iterable[str], table: WordTable) -> Analysis:
        """Tokenise a chunk of texts at once into rows of ``table`` and word-pair features."""
        texts = list(texts)
        joined = SEPARATOR.join(texts)
        if joined.count(SEPARATOR) != max(len(texts) - 1, 0):
            joined = SEPARATOR.join(t.replace(SEPARATOR, " ") for t in texts)
        rows = table.rows(_CHUNK_TOKEN_RE.findall(joined.lower()))
        bounds = np.concatenate(([0], np.flatnonzero(rows == 0), [len(rows)]))
        if not texts:
            bounds = np.zeros(1, dtype=np.int64)
        if self.word_pairs and len(rows) > 1:
            hashes = table.hash_array()[rows]
            positions = np.flatnonzero((rows[:-1] != 0) & (rows[1:] != 0))
            pairs = (hashes[positions] * _PAIR_SALT + hashes[positions + 1]) % self.n_features
        else:
            positions = pairs = np.zeros(0, dtype=np.int64)
        return Analysis(rows, bounds, pairs, np.searchsorted(positions, bounds))

    def named_features(self, text: str) -> list[tuple[str, int]]:
        """Every feature of one headline with a readable name and its hashed index.

        ``named_features("PSV wint") -> [("psv", 81), ("'<ps'", 7), ..., ("psv wint", 33)]``;
        hashing keeps no vocabulary, so explanations recompute the names from the text.
        """
        words = TOKEN_RE.findall(text.lower())
        named: list[tuple[str, int]] = []
        low, high = self.char_ngrams
        for word in words:
            _, features = word_features(word, self.n_features, self.char_ngrams)
            padded = f"<{word}>"
            grams = [word] + [
                f"'{padded[i : i + size]}'"
                for size in range(low, high + 1)
                if high
                for i in range(len(padded) - size + 1)
            ]
            named += list(zip(grams, features, strict=True))
        if self.word_pairs:
            hashes = [murmurhash3_32(w, positive=True) for w in words]
            named += [
                (f"{a} {b}", pair_feature(ha, hb, self.n_features))
                for a, b, ha, hb in zip(words, words[1:], hashes, hashes[1:], strict=False)
            ]
        return named

    def _matrix(self, texts: Iterable[str], *, weighted: bool) -> sp.csr_matrix:
        table = self._table()
        a = self.analyze(texts, table)
        n_docs = len(a.bounds) - 1
        flat, offsets = table.feature_arrays()
        starts, ends = offsets[a.rows], offsets[a.rows + 1]
        lengths = ends - starts
        total = int(lengths.sum())
        # Position k of the concatenated ranges [starts[t], ends[t]) for every token t.
        take = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        token_docs = np.repeat(np.arange(n_docs), np.diff(a.bounds))
        indices = np.concatenate([flat[take], a.pairs]).astype(np.int64)
        docs = np.concatenate(
            [np.repeat(token_docs, lengths), np.repeat(np.arange(n_docs), np.diff(a.pair_bounds))]
        )
        values = self.idf_[indices] if weighted else np.ones(len(indices))
        if weighted:
            # Unit length over entries, before duplicates are summed (see the module docstring).
            squared = np.bincount(docs, weights=values * values, minlength=n_docs)
            squared[squared == 0] = 1.0
            values = values / np.sqrt(squared)[docs]
        matrix = sp.csr_matrix((values, (docs, indices)), shape=(n_docs, self.n_features))
        if not weighted:
            matrix.data[:] = 1.0  # document frequency: once per headline
        return matrix

    def _table(self) -> WordTable:
        table: WordTable | None = self.__dict__.get("_word_table")
        if table is None or len(table) > CACHE_LIMIT:
            table = self.__dict__["_word_table"] = WordTable(self.n_features, self.char_ngrams)
        return table

    def __getstate__(self) -> dict[str, Any]:
        # The word table is rebuilt on demand; keep it out of saved models.
        state = dict(self.__dict__)
        state.pop("_word_table", None)
        return state


@dataclass
class Analysis:
    """A chunk of texts as word rows and pair features; text i owns
    ``rows[bounds[i]:bounds[i + 1]]`` (a leading separator row scores nothing) and
    ``pairs[pair_bounds[i]:pair_bounds[i + 1]]``."""

    rows: np.ndarray
    bounds: np.ndarray
    pairs: np.ndarray
    pair_bounds: np.ndarray


class WordTable:
    """Distinct words seen so far, each with a row number, its hash and its feature indices.

    Row 0 is the separator between texts: no hash, no features.
    """

    def __init__(self, n_features: int, char_ngrams: tuple[int, int]) -> None:
        self.n_features = n_features
        self.char_ngrams = char_ngrams
        self.index: dict[str, int] = {SEPARATOR: 0}
        self.hashes: array = array("q", [0])
        self.flat: array = array("i")
        self.offsets: array = array("q", [0, 0])

    def __len__(self) -> int:
        return len(self.hashes)

    def rows(self, tokens: list[str]) -> np.ndarray:
        found = list(map(self.index.get, tokens))
        if None in found:
            for i, row in enumerate(found):
                if row is None:
                    found[i] = self.index.get(tokens[i])
                    if found[i] is None:
                        found[i] = self._add(tokens[i])
        return np.array(found, dtype=np.int64)

    def _add(self, word: str) -> int:
        word_hash, features = word_features(word, self.n_features, self.char_ngrams)
        row = len(self.hashes)
        self.index[word] = row
        self.hashes.append(word_hash)
        self.flat.extend(features)
        self.offsets.append(len(self.flat))
        return row

    def hash_array(self) -> np.ndarray:
        return np.frombuffer(self.hashes, dtype=np.int64)

    def feature_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """All words' feature indices end to end, and each row's offset into them."""
        flat = np.frombuffer(self.flat, dtype=np.int32) if self.flat else np.zeros(0, np.int32)
        return flat, np.frombuffer(self.offsets, dtype=np.int64)


def segment_sums(values: np.ndarray, bounds: Sequence[int] | np.ndarray) -> np.ndarray:
    """Sum consecutive segments of ``values`` (along axis 0) given segment bounds.

    ``segment_sums([1, 2, 3], [0, 2, 2, 3]) -> [3, 0, 3]``; empty segments sum to 0.
    """
    values = np.asarray(values, dtype=np.float64)
    cumulative = np.zeros((len(values) + 1, *values.shape[1:]))
    np.cumsum(values, axis=0, out=cumulative[1:])
    b = np.asarray(bounds)
    result: np.ndarray = cumulative[b[1:]] - cumulative[b[:-1]]
    return result
