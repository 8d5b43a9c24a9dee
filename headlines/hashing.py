"""Headline text -> words -> hashed feature indices, with numpy alone.

Covers: tokenising a chunk of headlines, MurmurHash3 in numpy, each word's hashed unigram and
in-word character n-grams (computed once per distinct word and kept in a :class:`WordTable`),
word-pair features, and summing gathered rows. Does not cover: what those features are, one
text at a time (tokens.py), weighting and the sparse matrices scikit-learn fits on
(features.py), or scores (scoring.py). Nothing here imports SciPy or scikit-learn, so that
scoring a headline with a saved model does not wait for them.

``analyze(["PSV wint"], WordTable(Hashing()), Hashing())``
-> rows of "psv" and "wint" in the table (each with "psv", "<ps", "psv", "sv>", ...), and
the pair feature of "psv wint"
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .card import DEFAULT_FEATURES, FEATURES
from .tokens import MAX_TEXT, PAIR_SALT, TOKEN_RE, gram_keys

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


@dataclass(frozen=True)
class Hashing:
    """How text becomes feature indices: ``n_features`` buckets, the in-word character
    n-gram sizes (``(0, 0)``: none) and whether adjacent word pairs count."""

    n_features: int = 2**19
    char_ngrams: tuple[int, int] = FEATURES[DEFAULT_FEATURES]
    word_pairs: bool = True


def many_word_features(
    words: list[str], n_features: int, char_ngrams: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`~headlines.tokens.word_features` of many words at once: their hashes, all
    their feature indices end to end (each word's in that order), and how many each word has.

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
        grams = [key for i in others for key in gram_keys(words[i], char_ngrams)]
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


def chunk_bytes(texts: list[str]) -> bytes:
    """The lower-case words (``TOKEN_RE``) of every text, end to end, with
    :data:`SEPARATOR_TOKEN` between texts, as UTF-8, each followed by one or more spaces:
    ``["PSV wint!", "$PEPE"] -> b"psv wint  |  $pepe"``.

    Bytes are cut in C (``_WORD_BYTES``), about twice as fast as the regular expression; only
    texts that are not ASCII or that have a "$" are tokenised by it. Those are joined from its
    words, so the only white space left is the ASCII space. A text's first :data:`MAX_TEXT`
    characters are read.
    """
    if texts and max(map(len, texts)) > MAX_TEXT:
        texts = [text[:MAX_TEXT] for text in texts]
    parts = [text.lower() for text in texts]
    for i, part in enumerate(parts):
        if not part.isascii() or "$" in part:
            parts[i] = " ".join(TOKEN_RE.findall(part))
    joined = f" {SEPARATOR} ".join(parts)
    if joined.count(SEPARATOR) != max(len(texts) - 1, 0):
        return chunk_bytes([text.replace(SEPARATOR, " ") for text in texts])
    return joined.encode("utf-8").translate(_WORD_BYTES)


# A token's key: the polynomial sum of its bytes b_j * _BASE**j (mod 2**64, so that a
# token's is a difference of two prefix sums), then mixed by splitmix64's finaliser, so that
# its low bits, which choose its slot in a WordTable, are as varied as its high ones.
_BASE = 0x100000001B3  # odd, so it has an inverse mod 2**64
_POWERS_KEPT = 1 << 21  # powers of _BASE kept between chunks: 16 MB each way
_powers: tuple[np.ndarray, np.ndarray] = (np.ones(1, np.uint64), np.ones(1, np.uint64))


def _base_powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``_BASE**j`` and ``_BASE**-j`` (mod 2**64) for j below ``n``, at least."""
    global _powers
    up, down = _powers
    if len(up) >= n:
        return up, down
    size = n + n // 8  # room for a somewhat longer chunk next time
    with np.errstate(over="ignore"):
        up, down = (
            np.concatenate(([np.uint64(1)], np.cumprod(np.full(size - 1, base, dtype=np.uint64))))
            for base in (_BASE, pow(_BASE, -1, 1 << 64))
        )
    if size <= _POWERS_KEPT:
        _powers = (up, down)
    return up, down


def token_keys(data: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The 64-bit key, start and end of every run of bytes between spaces in ``data``.

    ``token_keys(b"psv wint")`` -> (two keys, [0, 4], [3, 8]). Equal tokens get equal keys;
    two different tokens one key with a chance of about 2**-64 a pair (for a million
    distinct words, about 3 in 100 million that any two share one).
    """
    buffer = np.frombuffer(data, dtype=np.uint8)
    edges = np.diff((buffer != ord(" ")).view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    up, down = _base_powers(len(buffer) + 1)
    with np.errstate(over="ignore"):
        sums = np.zeros(len(buffer) + 1, dtype=np.uint64)
        np.multiply(buffer, up[: len(buffer)], out=sums[1:])
        np.cumsum(sums[1:], out=sums[1:])
        keys = (sums[ends] - sums[starts]) * down[starts]
        keys ^= (ends - starts).astype(np.uint64)
        keys ^= keys >> np.uint64(30)
        keys *= np.uint64(0xBF58476D1CE4E5B9)
        keys ^= keys >> np.uint64(27)
        keys *= np.uint64(0x94D049BB133111EB)
        keys ^= keys >> np.uint64(31)
    return keys, starts, ends


def analyze(texts: Iterable[str], table: WordTable, hashing: Hashing) -> Analysis:
    """Tokenise a chunk of texts at once into rows of ``table`` and word-pair features."""
    texts = list(texts)
    # A separator row before the first text too, so that every text's rows start with one
    # and its sums (scoring.py) are added up alike wherever it lies in a chunk: numpy's
    # reduceat does not add a segment's terms one after another, and how it groups them
    # depends on their number; the first text of a chunk could score an ulp away otherwise.
    rows = np.concatenate(([0], table.rows(chunk_bytes(texts))))
    bounds = np.concatenate((np.flatnonzero(rows == 0), [len(rows)]))
    if not texts:
        bounds = np.zeros(1, dtype=np.int64)
    if hashing.word_pairs and len(rows) > 1:
        hashes = table.hash_array()[rows]
        positions = np.flatnonzero((rows[:-1] != 0) & (rows[1:] != 0))
        pairs = (hashes[positions] * PAIR_SALT + hashes[positions + 1]) % hashing.n_features
    else:
        positions = pairs = np.zeros(0, dtype=np.int64)
    return Analysis(rows, bounds, pairs, np.searchsorted(positions, bounds))


@dataclass
class Analysis:
    """A chunk of texts as word rows and pair features; text i owns
    ``rows[bounds[i]:bounds[i + 1]]`` (the separator row it starts with scores nothing) and
    ``pairs[pair_bounds[i]:pair_bounds[i + 1]]``."""

    rows: np.ndarray
    bounds: np.ndarray
    pairs: np.ndarray
    pair_bounds: np.ndarray


def _firsts(values: np.ndarray) -> np.ndarray:
    """Where each distinct value first comes: ``_firsts([7, 3, 7, 3, 5]) -> [1, 4, 0]``
    (ordered by value)."""
    order = np.argsort(values, kind="stable")
    first = np.ones(len(order), dtype=bool)
    first[1:] = values[order[1:]] != values[order[:-1]]
    result: np.ndarray = order[first]
    return result


class WordTable:
    """Distinct words seen so far, each with a row number, its hash and its feature indices.

    Row 0 is the separator between texts: no hash, no features. Words are found by their
    :func:`token_keys` in an open-addressing table of numpy arrays, all of a chunk's tokens
    at once: looking each token up in a dict cost a Python call and two cache misses a token,
    the most expensive step of counting features.
    """

    _FIRST_SLOTS = 1 << 12

    def __init__(self, n_features: int, char_ngrams: tuple[int, int]) -> None:
        self.n_features = n_features
        self.char_ngrams = char_ngrams
        self.hashes: array = array("q", [0])
        self.flat: array = array("i")
        self.offsets: array = array("q", [0, 0])
        # Slot i holds row slot_rows[i] (-1: empty), whose key is slot_keys[i]; at most half
        # the slots are filled, and a key goes to the first empty slot from key % slots on.
        self.slot_keys = np.zeros(self._FIRST_SLOTS, dtype=np.uint64)
        self.slot_rows = np.full(self._FIRST_SLOTS, -1, dtype=np.int64)
        separator, _, _ = token_keys(SEPARATOR_TOKEN.encode())
        self._put(separator, np.zeros(1, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.hashes)

    def rows(self, data: bytes) -> np.ndarray:
        """The row of each token of ``data`` (see :func:`chunk_bytes`), adding the words not
        seen before."""
        keys, starts, ends = token_keys(data)
        found = self._find(keys)
        missing = np.flatnonzero(found < 0)
        if len(missing):
            # Each new word once, in the order it first comes.
            new = np.sort(missing[_firsts(keys[missing])])
            words = [
                data[a:b].decode("utf-8")
                for a, b in zip(starts[new].tolist(), ends[new].tolist(), strict=True)
            ]
            self._add_all(words, keys[new])
            found[missing] = self._find(keys[missing])
        return found

    def _find(self, keys: np.ndarray) -> np.ndarray:
        """The row of each key, -1 where there is none."""
        mask = np.uint64(len(self.slot_keys) - 1)
        slots = (keys & mask).astype(np.int64)
        found = np.full(len(keys), -1, dtype=np.int64)
        pending = np.arange(len(keys))
        while len(pending):
            at = slots[pending]
            rows = self.slot_rows[at]
            same = self.slot_keys[at] == keys[pending]
            hit = same & (rows >= 0)
            found[pending[hit]] = rows[hit]
            # A slot taken by another key: the key may be further on. An empty one: it is not.
            pending = pending[(rows >= 0) & ~same]
            slots[pending] = (slots[pending] + 1) & int(mask)
        return found

    def _put(self, keys: np.ndarray, rows: np.ndarray) -> None:
        """Put distinct keys not in the table yet into empty slots, doubling the slots first
        while that would fill more than half of them."""
        size = len(self.slot_keys)
        while 2 * (len(self) + len(keys)) > size:
            size *= 2
        if size > len(self.slot_keys):
            old = np.flatnonzero(self.slot_rows >= 0)
            old_keys, old_rows = self.slot_keys[old], self.slot_rows[old]
            self.slot_keys = np.zeros(size, dtype=np.uint64)
            self.slot_rows = np.full(size, -1, dtype=np.int64)
            self._place(old_keys, old_rows)
        self._place(keys, rows)

    def _place(self, keys: np.ndarray, rows: np.ndarray) -> None:
        mask = len(self.slot_keys) - 1
        slots = (keys & np.uint64(mask)).astype(np.int64)
        pending = np.arange(len(keys))
        while len(pending):
            at = slots[pending]
            free = self.slot_rows[at] < 0
            # Of the keys that come to one empty slot, the first takes it; the rest go on.
            won = pending[free][_firsts(at[free])]
            self.slot_keys[slots[won]] = keys[won]
            self.slot_rows[slots[won]] = rows[won]
            left = np.ones(len(keys), dtype=bool)
            left[won] = False
            pending = pending[left[pending]]
            slots[pending] = (slots[pending] + 1) & mask

    def _add_all(self, words: list[str], keys: np.ndarray) -> None:
        for start in range(0, len(words), _NEW_WORDS):
            self._add(words[start : start + _NEW_WORDS], keys[start : start + _NEW_WORDS])

    def _add(self, words: list[str], keys: np.ndarray) -> None:
        hashes, features, counts = many_word_features(words, self.n_features, self.char_ngrams)
        first = len(self.hashes)
        self._put(keys, np.arange(first, first + len(words)))
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
