"""Headline text -> TF-IDF weighted, hashed word and character n-gram features, fast.

Covers: :class:`HeadlineVectorizer`, a scikit-learn transformer that counts each headline's
hashed features (hashing.py) into a sparse matrix, learns every feature's IDF, weights every
occurrence by it and scales each row to unit length. Does not cover: tokenising and hashing
(hashing.py), the classifier (pipeline.py) or the cached-score fast path built on these
features (scoring.py).

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
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

from .hashing import (
    CACHE_LIMIT,
    Analysis,
    Hashing,
    WordTable,
    analyze,
    inverse_document_frequency,
    named_features,
)
from .workers import START_METHOD, available_cores, leave_interrupts_to_the_parent

_BLOCK_ROWS = 20_000  # texts whose features are counted at once
_FORKED_ROWS = 200_000  # texts from which a second process helps count (forking costs ~0.1 s)
_OWN_SHARE = 4  # with a worker, this process counts one block in this many
_AHEAD = 3  # blocks the worker is given ahead, so that it never waits
_SLAB_BYTES = 32 << 20  # blocks gathered before they are copied into mapped memory


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

    @property
    def hashing(self) -> Hashing:
        low, high = self.char_ngrams
        return Hashing(self.n_features, (low, high), self.word_pairs)

    def analyze(self, texts: Iterable[str], table: WordTable) -> Analysis:
        """Tokenise a chunk of texts at once into rows of ``table`` and word-pair features."""
        return analyze(texts, table, self.hashing)

    def named_features(self, text: str) -> list[tuple[str, int]]:
        """Every feature of one headline with a readable name and its hashed index
        (:func:`~headlines.hashing.named_features`)."""
        return named_features(text, self.hashing)

    def _count_blocks(self, texts: Iterable[str], dtype: type) -> Iterator[sp.csr_matrix]:
        """How often each feature occurs in each text, ``_BLOCK_ROWS`` texts at a time.

        Built block by block because the entries of a whole training set before duplicates
        are summed take several times the memory of the finished matrix. From
        ``_FORKED_ROWS`` texts on, with a second core, a forked worker counts every other
        block while this process counts the ones between (see :func:`_count_with_a_worker`).
        """
        if not isinstance(texts, Sequence | np.ndarray):
            texts = list(texts)
        if len(texts) >= _FORKED_ROWS and START_METHOD == "fork" and available_cores() > 1:
            yield from _count_with_a_worker(self, texts, dtype)
            return
        for start in range(0, len(texts), _BLOCK_ROWS):
            yield self._count_block(list(texts[start : start + _BLOCK_ROWS]), dtype)

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


# The worker's vectorizer (with its own word table), texts and dtype, set by _start_worker.
_worker: tuple[HeadlineVectorizer, Sequence[str] | np.ndarray, type] | None = None


def _count_with_a_worker(
    vectorizer: HeadlineVectorizer, texts: Sequence[str] | np.ndarray, dtype: type
) -> Iterator[sp.csr_matrix]:
    """:meth:`HeadlineVectorizer._count_blocks` on two cores: a worker forked from this
    process counts three blocks in four, this process the fourth, both at once, and the
    blocks come out in order.

    Counting is mostly Python (tokens, word lookups) interleaved with numpy and SciPy, so
    threads would take turns on the GIL; a forked worker sees the texts without a copy, keeps
    its own word cache, and sends back each block's matrix (a few tens of megabytes). This
    process counts fewer blocks because it also takes in, files away and weighs all of them.
    """
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    starts = range(0, len(texts), _BLOCK_ROWS)
    theirs = deque(i for i in range(len(starts)) if i % _OWN_SHARE)
    sent: deque[Future[sp.csr_matrix]] = deque()
    with ProcessPoolExecutor(
        1,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(vectorizer, texts, dtype),
    ) as pool:
        for index, start in enumerate(starts):
            while theirs and len(sent) < _AHEAD:
                sent.append(pool.submit(_count_in_worker, starts[theirs.popleft()]))
            if index % _OWN_SHARE:
                yield sent.popleft().result()
            else:
                yield vectorizer._count_block(list(texts[start : start + _BLOCK_ROWS]), dtype)


def _start_worker(
    vectorizer: HeadlineVectorizer, texts: Sequence[str] | np.ndarray, dtype: type
) -> None:
    global _worker
    _worker = (vectorizer, texts, dtype)
    leave_interrupts_to_the_parent()


def _count_in_worker(start: int) -> sp.csr_matrix:
    assert _worker is not None, "the worker initializer sets the texts"
    vectorizer, texts, dtype = _worker
    block = vectorizer._count_block(list(texts[start : start + _BLOCK_ROWS]), dtype)
    # The counts are small whole numbers: sent as bytes they take a third less of the pipe,
    # and the parent's copy into its slab turns them back into ``dtype``.
    top = block.data.max(initial=0)
    for small in (np.uint8, np.uint16):
        if top <= np.iinfo(small).max:
            block.data = block.data.astype(small)
            break
    return block


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
