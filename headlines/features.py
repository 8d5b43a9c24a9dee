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

import mmap
import re
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice, repeat
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.murmurhash import murmurhash3_32

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
_BLOCK_ROWS = 20_000  # texts whose features are counted at once
_SLAB_BYTES = 32 << 20  # blocks gathered before they are copied into mapped memory


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
    for length in np.unique(lengths).tolist():
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
        df = np.zeros(self.n_features, dtype=np.int64)
        n_docs = 0
        for block in self._count_blocks(texts, np.float32):
            df += np.bincount(block.indices, minlength=self.n_features)
            n_docs += block.shape[0]
        self.idf_ = inverse_document_frequency(df, n_docs)
        return self

    def fit_transform(
        self, texts: Iterable[str], y: Any = None, progress: Callable[[int], None] | None = None
    ) -> sp.csr_matrix:
        """``fit(texts).transform(texts)``, counting the features once instead of twice.

        The rows come as float32, which halves the training matrix (a million headlines
        take 1.2 GB instead of 1.9 GB); the default classifier fits on float32 as it is.
        ``progress`` is called with the number of texts done after each block of them.
        """
        df = np.zeros(self.n_features, dtype=np.int64)
        counts = self._counts(texts, np.float32, df, progress)
        self.idf_ = inverse_document_frequency(df, counts.shape[0])
        self._weigh(counts)
        return counts

    def transform(self, texts: Iterable[str]) -> sp.csr_matrix:
        counts = self._counts(texts, np.float64)
        self._weigh(counts)
        return counts

    def analyze(self, texts: Iterable[str], table: WordTable) -> Analysis:
        """Tokenise a chunk of texts at once into rows of ``table`` and word-pair features."""
        texts = list(texts)
        rows = table.rows(tokenize_chunk(texts))
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

    def _count_blocks(self, texts: Iterable[str], dtype: type) -> Iterator[sp.csr_matrix]:
        """How often each feature occurs in each text, ``_BLOCK_ROWS`` texts at a time.

        Built block by block because the entries of a whole training set before duplicates
        are summed take several times the memory of the finished matrix.
        """
        stream = iter(texts)
        while block := list(islice(stream, _BLOCK_ROWS)):
            yield self._count_block(block, dtype)

    def _count_block(self, texts: list[str], dtype: type) -> sp.csr_matrix:
        table = self._table()
        a = self.analyze(texts, table)
        n_docs = len(texts)
        flat, offsets = table.feature_arrays()
        starts, ends = offsets[a.rows], offsets[a.rows + 1]
        lengths = ends - starts
        total = int(lengths.sum())
        # Position k of the concatenated ranges [starts[t], ends[t]) for every token t.
        take = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        token_docs = np.repeat(np.arange(n_docs, dtype=np.int32), np.diff(a.bounds))
        indices = np.concatenate([flat[take], a.pairs.astype(np.int32)])
        docs = np.concatenate(
            [
                np.repeat(token_docs, lengths),
                np.repeat(np.arange(n_docs, dtype=np.int32), np.diff(a.pair_bounds)),
            ]
        )
        ones: np.ndarray = np.ones(len(indices), dtype=dtype)
        # Duplicate (text, feature) entries are summed: the data are occurrence counts.
        return sp.csr_matrix((ones, (docs, indices)), shape=(n_docs, self.n_features))

    def _counts(
        self,
        texts: Iterable[str],
        dtype: type,
        df: np.ndarray | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> sp.csr_matrix:
        """All blocks of :meth:`_count_blocks` as one matrix; adds each feature's document
        frequency to ``df`` when given.

        Blocks are gathered into slabs of about ``_SLAB_BYTES`` first, and the slabs into the
        matrix, each slab freed as it is copied, so a big matrix needs little more memory than
        itself (``scipy.sparse.vstack`` holds all the parts and the whole at once).
        """
        blocks: list[sp.csr_matrix] = []
        slabs: list[sp.csr_matrix] = []
        done = 0
        for block in self._count_blocks(texts, dtype):
            blocks.append(block)
            if df is not None:
                df += np.bincount(block.indices, minlength=self.n_features)
            done += block.shape[0]
            if progress is not None:
                progress(done)
            if sum(b.data.nbytes + b.indices.nbytes for b in blocks) >= _SLAB_BYTES:
                slabs.append(stack_rows(blocks, dtype, self.n_features))
        if blocks or not slabs:
            slabs.append(stack_rows(blocks, dtype, self.n_features))
        return stack_rows(slabs, dtype, self.n_features)

    def _weigh(self, counts: sp.csr_matrix) -> None:
        """Counts -> IDF weights of unit length, in place, block by block.

        A feature counted ``c`` times weighs ``c * idf``, and the length is taken over
        occurrences (``sum of c * idf**2``), as in the module docstring.
        """
        idf = self.idf_.astype(counts.dtype)
        for first in range(0, counts.shape[0], _BLOCK_ROWS):
            last = min(first + _BLOCK_ROWS, counts.shape[0])
            start, end = counts.indptr[first], counts.indptr[last]
            lengths = np.diff(counts.indptr[first : last + 1])
            weights = idf[counts.indices[start:end]]
            values = counts.data[start:end] * weights
            rows = np.repeat(np.arange(last - first, dtype=np.int32), lengths)
            squared = np.bincount(rows, weights=values * weights, minlength=last - first)
            squared[squared == 0] = 1.0
            values *= np.repeat((1.0 / np.sqrt(squared)).astype(counts.dtype), lengths)
            counts.data[start:end] = values

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


def stack_rows(blocks: list[sp.csr_matrix], dtype: type, n_features: int) -> sp.csr_matrix:
    """The blocks' rows in one CSR matrix, emptying ``blocks`` as it goes.

    The matrix lives in memory mapped from the system, which takes it back the moment it is
    freed; the C allocator may keep freed memory for later and so double the peak.
    """
    nnz = sum(block.nnz for block in blocks)
    rows = sum(block.shape[0] for block in blocks)
    # scikit-learn's SGD reads 32-bit offsets; past 2**31 entries they cannot be.
    index_type = np.int32 if nnz < 2**31 else np.int64
    data = mapped_array(nnz, dtype)
    indices = mapped_array(nnz, index_type)
    indptr = np.zeros(rows + 1, dtype=index_type)
    row = entry = 0
    blocks.reverse()
    while blocks:
        block = blocks.pop()
        n, size = block.shape[0], block.nnz
        data[entry : entry + size] = block.data
        indices[entry : entry + size] = block.indices
        indptr[row + 1 : row + n + 1] = block.indptr[1:] + entry
        row, entry = row + n, entry + size
        del block
    return sp.csr_matrix((data, indices, indptr), shape=(rows, n_features), copy=False)


def mapped_array(size: int, dtype: type) -> np.ndarray:
    """An uninitialised array in its own anonymous memory map, unmapped when it is freed."""
    nbytes = size * np.dtype(dtype).itemsize
    if nbytes == 0:
        return np.empty(0, dtype=dtype)
    return np.frombuffer(mmap.mmap(-1, nbytes), dtype=dtype, count=size)


def gathered_sums(values: np.ndarray, rows: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """For each segment i, the sum of ``values[rows[bounds[i]:bounds[i + 1]]]`` (along axis 0).

    ``gathered_sums([1., 2., 4.], [0, 2, 2, 1], [0, 2, 2, 4]) -> [5., 0., 6.]``; an empty
    segment sums to 0. Computed as a sparse matrix of ones times ``values``, which reads each
    gathered row once and adds it in place, instead of copying every gathered row and summing
    the copy; each sum is taken in order, so it is exact to the last bits of its terms.
    """
    values = np.asarray(values, dtype=np.float64)
    matrix = sp.csr_matrix(
        (np.ones(len(rows)), rows, bounds), shape=(len(bounds) - 1, values.shape[0])
    )
    result: np.ndarray = matrix @ values
    return result
