"""Headline text -> words -> hashed feature indices, with numpy alone.

Covers: tokenising a chunk of headlines, MurmurHash3 in numpy, each word's hashed unigram and
in-word character n-grams (computed once per distinct word and kept in a :class:`WordTable`),
word-pair features, readable names of a headline's features, and summing gathered rows.
Does not cover: weighting and the sparse matrices scikit-learn fits on (features.py), or
scores (scoring.py). Nothing here imports SciPy or scikit-learn, so that scoring a headline
with a saved model does not wait for them.

``analyze(["PSV wint"], WordTable(Hashing()), Hashing())``
-> rows of "psv" and "wint" in the table (each with "psv", "<ps", "psv", "sv>", ...), and
the pair feature of "psv wint"
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from .card import DEFAULT_FEATURES, FEATURES

# Words keep a leading currency sign, so "$PEPE" and "PEPE" are different features.
TOKEN_RE = re.compile(r"[$€£]?\w+")
# Texts of a chunk are joined with a separator no headline uses and tokenised in one call.
SEPARATOR = "\x1e"
# The token that stands for the separator in a chunk's tokens: no word can be "|".
SEPARATOR_TOKEN = "|"
# For ASCII text without "$", TOKEN_RE's words are the runs of [A-Za-z0-9_]: this table blanks
# every other byte, so that splitting on white space finds them. Bytes of other characters are
# kept (only words made by TOKEN_RE have them by then), and the separator becomes its token.
_WORD_BYTES = bytes(
    ord(SEPARATOR_TOKEN) if b == ord(SEPARATOR)
    else b if b >= 0x80 or chr(b).isalnum() or chr(b) in "_$"
    else ord(" ")
    for b in range(256)
)  # fmt: skip
# Distinct words kept per cache, which is cleared past this to bound memory: at the limit a
# cache of headline-like words takes about 100 MB (of words never seen before, up to 300).
CACHE_LIMIT = 200_000
_NEW_WORDS = 10_000  # new words whose features are computed at once, to bound the temporaries
_PAIR_SALT = 1_000_003


@dataclass(frozen=True)
class Hashing:
    """How text becomes feature indices: ``n_features`` buckets, the in-word character
    n-gram sizes (``(0, 0)``: none) and whether adjacent word pairs count."""

    n_features: int = 2**19
    char_ngrams: tuple[int, int] = FEATURES[DEFAULT_FEATURES]
    word_pairs: bool = True


def word_features(word: str, n_features: int, char_ngrams: tuple[int, int]) -> tuple[int, array]:
    """A word's hash and the hashed indices of its unigram and character n-grams.

    ``word_features("psv", 2**19, (3, 5))`` -> (hash, array of "psv", "<ps", "psv", "sv>",
    "<psv", "psv>", "<psv>")
    """
    low, high = char_ngrams
    padded = f"<{word}>"
    grams = [
        "#" + padded[i : i + size]
        for size in (range(low, high + 1) if high else range(0))
        for i in range(len(padded) - size + 1)
    ]
    hashes = murmurhash3_many([word, *grams]).astype(np.int64)
    word_hash = int(hashes[0])
    features = array("i", (hashes % n_features).tolist())
    return word_hash, features


def many_word_features(
    words: list[str], n_features: int, char_ngrams: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`word_features` of many words at once: their hashes, all their feature indices
    end to end (each word's in :func:`word_features` order), and how many each word has.

    ``many_word_features(["psv", "ajax"], 2**19, (3, 5))``
    -> ``([hash("psv"), hash("ajax")], [7 indices of psv, 9 of ajax], [7, 9])``

    The n-grams of ASCII words are cut and hashed as bytes with numpy; only other words
    have theirs made as Python strings.
    """
    low, high = char_ngrams
    sizes = range(low, high + 1) if high else range(0)
    padded = np.fromiter(map(len, words), dtype=np.int64, count=len(words)) + 2  # <word>
    counts = 1 + sum((np.maximum(padded - size + 1, 0) for size in sizes), np.zeros_like(padded))
    starts = np.cumsum(counts) - counts  # of each word's features: the word, then its n-grams
    word_hashes = murmurhash3_many(words).astype(np.int64)
    features = np.empty(int(counts.sum()), dtype=np.int32)
    features[starts] = word_hashes % n_features
    if not high:
        return word_hashes, features, counts
    ascii = np.fromiter(map(str.isascii, words), dtype=bool, count=len(words))
    which = np.flatnonzero(ascii)
    if len(which):
        text = "".join(f"<{words[i]}>" for i in which.tolist()).encode("ascii")
        _ascii_ngrams(np.frombuffer(text, dtype=np.uint8), padded[which], sizes, starts[which] + 1,
                      features, n_features)  # fmt: skip
    others = np.flatnonzero(~ascii).tolist()
    if others:
        grams = [
            "#" + f"<{words[i]}>"[j : j + size]
            for i in others
            for size in sizes
            for j in range(len(words[i]) + 3 - size)
        ]
        owned = counts[others] - 1
        at = np.repeat(starts[others] + 1 - (np.cumsum(owned) - owned), owned)
        features[at + np.arange(len(grams))] = murmurhash3_many(grams) % n_features
    return word_hashes, features, counts


def _ascii_ngrams(
    text: np.ndarray,
    lengths: np.ndarray,
    sizes: range,
    firsts: np.ndarray,
    features: np.ndarray,
    n_features: int,
) -> None:
    """Hash the n-grams of padded ASCII words laid end to end in ``text`` (word w has
    ``lengths[w]`` bytes) into ``features``, word w's from ``firsts[w]`` on, size by size."""
    word_starts = np.cumsum(lengths) - lengths
    written = np.zeros(len(lengths), dtype=np.int64)  # n-grams of each word placed so far
    for size in sizes:
        per_word = np.maximum(lengths - size + 1, 0)
        total = int(per_word.sum())
        if not total:
            continue
        owner = np.repeat(np.arange(len(lengths)), per_word)
        position = np.arange(total) - np.repeat(np.cumsum(per_word) - per_word, per_word)
        keys = np.empty((total, size + 1), dtype=np.uint8)
        keys[:, 0] = ord("#")
        keys[:, 1:] = text[(word_starts[owner] + position)[:, None] + np.arange(size)]
        at = firsts[owner] + written[owner] + position
        features[at] = _murmurhash3_rows(keys) % n_features
        written += per_word


# MurmurHash3 (x86, 32 bits, seed 0), as sklearn.utils.murmurhash3_32 computes it.
_C1, _C2 = np.uint32(0xCC9E2D51), np.uint32(0x1B873593)


def murmurhash3_many(keys: list[str]) -> np.ndarray:
    """``murmurhash3_32(key, positive=True)`` of every key, at once, as uint32: bit for bit
    the same, without a Python call per key (keys of one length are hashed together)."""
    data = [key.encode("utf-8") for key in keys]
    lengths = np.fromiter(map(len, data), dtype=np.int64, count=len(data))
    buffer = np.frombuffer(b"".join(data), dtype=np.uint8)
    starts = np.cumsum(lengths) - lengths
    hashes = np.empty(len(data), dtype=np.uint32)
    # The lengths present, sorted; np.unique would import numpy.ma, a slow start for one word.
    for length in np.flatnonzero(np.bincount(lengths)).tolist():
        which = np.flatnonzero(lengths == length)
        hashes[which] = _murmurhash3_rows(buffer[starts[which, None] + np.arange(length)])
    return hashes


def _murmurhash3_rows(data: np.ndarray) -> np.ndarray:
    """MurmurHash3 of each row of a (keys, length) uint8 array."""
    length = data.shape[1]
    body = length // 4 * 4
    h = np.zeros(data.shape[0], dtype=np.uint32)
    blocks = np.ascontiguousarray(data[:, :body]).view("<u4")
    for j in range(blocks.shape[1]):
        h ^= _rotl(blocks[:, j] * _C1, 15) * _C2
        h = _rotl(h, 13) * np.uint32(5) + np.uint32(0xE6546B64)
    if length > body:
        k = np.zeros(data.shape[0], dtype=np.uint32)
        for i in range(length - body):
            k ^= data[:, body + i].astype(np.uint32) << np.uint32(8 * i)
        h ^= _rotl(k * _C1, 15) * _C2
    h ^= np.uint32(length)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    result: np.ndarray = (x << np.uint32(r)) | (x >> np.uint32(32 - r))
    return result


def tokenize_chunk(texts: list[str]) -> list[str]:
    """The lower-case words (``TOKEN_RE``) of every text, end to end, with
    :data:`SEPARATOR_TOKEN` between texts: ``["PSV wint!", "$PEPE"] -> ["psv", "wint", "|",
    "$pepe"]``.

    Bytes are cut and split in C (``_WORD_BYTES``), about twice as fast as the regular
    expression; only texts that are not ASCII or that have a "$" are tokenised by it.
    """
    parts = [text.lower() for text in texts]
    for i, part in enumerate(parts):
        if not part.isascii() or "$" in part:
            parts[i] = " ".join(TOKEN_RE.findall(part))
    joined = f" {SEPARATOR} ".join(parts)
    if joined.count(SEPARATOR) != max(len(texts) - 1, 0):
        return tokenize_chunk([text.replace(SEPARATOR, " ") for text in texts])
    return joined.encode("utf-8").translate(_WORD_BYTES).decode("utf-8").split()


def pair_feature(first_hash: int, second_hash: int, n_features: int) -> int:
    """The hashed index of two adjacent words, from their word hashes."""
    return (first_hash * _PAIR_SALT + second_hash) % n_features


def analyze(texts: Iterable[str], table: WordTable, hashing: Hashing) -> Analysis:
    """Tokenise a chunk of texts at once into rows of ``table`` and word-pair features."""
    texts = list(texts)
    # A separator row before the first text too, so that every text's rows start with one
    # and its sums (scoring.py) are added up alike wherever it lies in a chunk: numpy's
    # reduceat does not add a segment's terms one after another, and how it groups them
    # depends on their number; the first text of a chunk could score an ulp away otherwise.
    rows = np.concatenate(([0], table.rows(tokenize_chunk(texts))))
    bounds = np.concatenate((np.flatnonzero(rows == 0), [len(rows)]))
    if not texts:
        bounds = np.zeros(1, dtype=np.int64)
    if hashing.word_pairs and len(rows) > 1:
        hashes = table.hash_array()[rows]
        positions = np.flatnonzero((rows[:-1] != 0) & (rows[1:] != 0))
        pairs = (hashes[positions] * _PAIR_SALT + hashes[positions + 1]) % hashing.n_features
    else:
        positions = pairs = np.zeros(0, dtype=np.int64)
    return Analysis(rows, bounds, pairs, np.searchsorted(positions, bounds))


def named_features(text: str, hashing: Hashing) -> list[tuple[str, int]]:
    """Every feature of one headline with a readable name and its hashed index.

    ``named_features("PSV wint", Hashing()) -> [("psv", 81), ("'<ps'", 7), ...,
    ("psv wint", 33)]``; hashing keeps no vocabulary, so explanations recompute the names
    from the text.
    """
    words = TOKEN_RE.findall(text.lower())
    named: list[tuple[str, int]] = []
    low, high = hashing.char_ngrams
    hashes = []
    for word in words:
        word_hash, features = word_features(word, hashing.n_features, hashing.char_ngrams)
        hashes.append(word_hash)
        padded = f"<{word}>"
        grams = [word] + [
            f"'{padded[i : i + size]}'"
            for size in range(low, high + 1)
            if high
            for i in range(len(padded) - size + 1)
        ]
        named += list(zip(grams, features, strict=True))
    if hashing.word_pairs:
        named += [
            (f"{a} {b}", pair_feature(ha, hb, hashing.n_features))
            for a, b, ha, hb in zip(words, words[1:], hashes, hashes[1:], strict=False)
        ]
    return named


@dataclass
class Analysis:
    """A chunk of texts as word rows and pair features; text i owns
    ``rows[bounds[i]:bounds[i + 1]]`` (the separator row it starts with scores nothing) and
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
        self.index: dict[str, int] = {SEPARATOR_TOKEN: 0}
        self.hashes: array = array("q", [0])
        self.flat: array = array("i")
        self.offsets: array = array("q", [0, 0])

    def __len__(self) -> int:
        return len(self.hashes)

    def rows(self, tokens: list[str]) -> np.ndarray:
        """The row of each token, adding the words not seen before."""
        if len(self.index) == 1:  # a new table: all words are new, looking them up is moot
            self._add_all([w for w in dict.fromkeys(tokens) if w != SEPARATOR_TOKEN])
            return np.fromiter(map(self.index.__getitem__, tokens), np.int64, len(tokens))
        found = np.fromiter(
            map(self.index.get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens)
        )
        missing = np.flatnonzero(found < 0).tolist()
        if missing:
            unseen = [tokens[i] for i in missing]
            self._add_all(list(dict.fromkeys(unseen)))
            found[missing] = list(map(self.index.__getitem__, unseen))
        return found

    def _add_all(self, words: list[str]) -> None:
        for start in range(0, len(words), _NEW_WORDS):
            self._add(words[start : start + _NEW_WORDS])

    def _add(self, words: list[str]) -> None:
        hashes, features, counts = many_word_features(words, self.n_features, self.char_ngrams)
        first = len(self.hashes)
        self.index.update(zip(words, range(first, first + len(words)), strict=True))
        self.hashes.frombytes(hashes.astype(np.int64).tobytes())
        offsets = len(self.flat) + np.cumsum(counts)
        self.flat.frombytes(features.astype(np.int32).tobytes())
        self.offsets.frombytes(offsets.astype(np.int64).tobytes())

    def hash_array(self) -> np.ndarray:
        return np.frombuffer(self.hashes, dtype=np.int64)

    def feature_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """All words' feature indices end to end, and each row's offset into them."""
        flat = np.frombuffer(self.flat, dtype=np.int32) if self.flat else np.zeros(0, np.int32)
        return flat, np.frombuffer(self.offsets, dtype=np.int64)


def inverse_document_frequency(df: np.ndarray, n_docs: int) -> np.ndarray:
    """Smoothed IDF, as scikit-learn's TfidfVectorizer: ``log((1 + n) / (1 + df)) + 1``."""
    result: np.ndarray = np.log((1 + n_docs) / (1 + df)) + 1.0
    return result


def segment_sums(values: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """For each segment i, the sum of ``values[bounds[i]:bounds[i + 1]]`` (along axis 0).

    ``segment_sums([1., 2., 4.], [0, 2, 2, 3]) -> [3., 0., 4.]``: an empty segment sums to 0,
    and ``bounds[-1]`` is ``len(values)``. Each segment is added up in order.
    """
    values = np.asarray(values, dtype=np.float64)
    bounds = np.asarray(bounds)
    result = np.zeros((len(bounds) - 1, *values.shape[1:]))
    starts = bounds[:-1]
    filled = bounds[1:] > starts
    if len(values):
        # reduceat gives an empty segment the row at its start, not 0: only filled ones count.
        result[filled] = np.add.reduceat(values, starts[filled], axis=0)
    return result


def gathered_sums(values: np.ndarray, rows: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """For each segment i, the sum of ``values[rows[bounds[i]:bounds[i + 1]]]`` (along axis 0).

    ``gathered_sums([1., 2., 4.], [0, 2, 2, 1], [0, 2, 2, 4]) -> [5., 0., 6.]``. The rows are
    gathered with ``np.take``, several times faster than fancy indexing.
    """
    return segment_sums(np.take(np.asarray(values, dtype=np.float64), rows, axis=0), bounds)
