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
)
from .tokens import named_features
from .workers import START_METHOD, available_cores, leave_interrupts_to_the_parent

_BLOCK_ROWS = 10_000  # texts whose features are counted at once
_FORKED_ROWS = 200_000  # texts from which a second process helps count (forking costs ~0.1 s)
_PADDING = 4  # the most cells per entry for which count_rows sorts rows in one padded array
_AHEAD = 3  # blocks the worker is given ahead, so it never waits; and the most counted ahead here


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
        (:func:`~headlines.tokens.named_features`)."""
        h = self.hashing
        return named_features(text, h.n_features, h.char_ngrams, h.word_pairs)

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
        flat, offsets = table.feature_arrays()
        starts = offsets[a.rows]
        lengths = offsets[a.rows + 1] - starts
        # Where each token's features begin once all are put end to end.
        put = np.concatenate(([0], np.cumsum(lengths)))
        # Position k of the concatenated ranges [starts[t], ends[t]) for every token t.
        take = np.repeat(starts - put[:-1], lengths) + np.arange(put[-1])
        # Each text's number of word features: its tokens' lengths added up.
        per_text = put[a.bounds[1:]] - put[a.bounds[:-1]]
        return count_rows(
            [(flat[take], per_text), (a.pairs.astype(np.int32), np.diff(a.pair_bounds))],
            self.n_features,
            dtype,
        )

    def _counts(
        self,
        texts: Iterable[str],
        dtype: type,
        df: np.ndarray | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> sp.csr_matrix:
        """All blocks of :meth:`_count_blocks` as one matrix; adds each feature's document
        frequency to ``df`` when given.

        Each block is copied once, straight into arrays mapped from the system with room
        for the rows still to come at the density seen so far and a quarter more (see
        :class:`_Entries`), so a big matrix needs little more memory than itself.
        """
        if not isinstance(texts, Sequence | np.ndarray):
            texts = list(texts)
        entries = _Entries(dtype)
        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        done = 0
        for block in self._count_blocks(texts, dtype):
            n = block.shape[0]
            indptr[done + 1 : done + n + 1] = block.indptr[1:] + entries.size
            entries.append(block, rows_left=len(texts) - done - n)
            if df is not None:
                df += np.bincount(block.indices, minlength=self.n_features)
            done += n
            del block
            if progress is not None:
                progress(done)
        data, indices = entries.arrays()
        return sp.csr_matrix(
            (data, indices, indptr.astype(indices.dtype)),
            shape=(len(texts), self.n_features),
            copy=False,
        )

    def _weigh(self, counts: sp.csr_matrix) -> None:
        """Counts -> IDF weights of unit length, in place, block by block; from two blocks of
        rows on, the two halves of the rows at once in two threads (numpy lets go of the
        interpreter lock for this work, so a million rows take 0.4 s instead of 0.75).

        A feature counted ``c`` times weighs ``c * idf``, and the length is taken over
        occurrences (``sum of c * idf**2``), as in the module docstring.
        """
        idf = self.idf_.astype(counts.dtype)
        rows = counts.shape[0]
        if rows < 2 * _BLOCK_ROWS or available_cores() < 2:
            _weigh_rows(counts, idf, 0, rows)
            return
        from concurrent.futures import ThreadPoolExecutor

        middle = rows // 2
        with ThreadPoolExecutor(2) as pool:
            done = [
                pool.submit(_weigh_rows, counts, idf, 0, middle),
                pool.submit(_weigh_rows, counts, idf, middle, rows),
            ]
            for half in done:
                half.result()

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


def _weigh_rows(counts: sp.csr_matrix, idf: np.ndarray, first_row: int, end_row: int) -> None:
    """:meth:`HeadlineVectorizer._weigh` of the rows from ``first_row`` up to ``end_row``."""
    for first in range(first_row, end_row, _BLOCK_ROWS):
        last = min(first + _BLOCK_ROWS, end_row)
        start, end = counts.indptr[first], counts.indptr[last]
        lengths = np.diff(counts.indptr[first : last + 1])
        # In place, with one temporary the size of the block's entries besides the row
        # scales: the data become c * idf, and the temporary c * idf**2.
        values = counts.data[start:end]
        weights = idf[counts.indices[start:end]]
        values *= weights
        weights *= values
        # Each row's sum of squares in float64 by reduceat: a third of the time of numbering
        # every entry with its row and counting them into bins.
        filled = lengths > 0
        squared = np.ones(last - first)
        if end > start:
            squared[filled] = np.add.reduceat(
                weights, counts.indptr[first:last][filled] - start, dtype=np.float64
            )
        del weights
        values *= np.repeat((1.0 / np.sqrt(squared)).astype(counts.dtype), lengths)


def count_rows(
    parts: list[tuple[np.ndarray, np.ndarray]], n_features: int, dtype: type
) -> sp.csr_matrix:
    """Feature indices of texts -> a matrix of how often each feature occurs in each text, its
    indices sorted within each row.

    Each part is ``(indices, per_row)``: the indices of all rows end to end, ``per_row[i]`` of
    them row i's (word features, then word pairs). ``count_rows([([3, 1, 3], [3, 0]), ([7, 1],
    [1, 1])], 8, float) -> [[0, 1, 0, 2, 0, 0, 0, 1], [0, 1, 0, 0, 0, 0, 0, 0]]``.

    SciPy's way (COO -> CSR) sorts each row's entries one row at a time. Here every row is
    laid into one line of a padded 2-D array, numpy sorts all lines in one call, and a run of
    equal neighbours is one entry counted as often as it repeats: for 20,000 generated
    headlines, 0.05 s instead of 0.1 s, with no higher a peak of temporaries (86 MB). When
    the longest row would make the padding outweigh the entries ``_PADDING`` times, SciPy's
    way is taken.
    """
    lengths = np.zeros(len(parts[0][1]), dtype=np.int64)
    for _, per_row in parts:
        lengths += per_row
    n_rows, total = len(lengths), int(lengths.sum())
    width = int(lengths.max(initial=0))
    if width * n_rows > _PADDING * total or n_features >= np.iinfo(np.int32).max:
        rows = np.concatenate([np.repeat(np.arange(n_rows), r) for _, r in parts])
        indices = np.concatenate([i for i, _ in parts])
        ones: np.ndarray = np.ones(total, dtype=dtype)
        return sp.csr_matrix((ones, (rows, indices)), shape=(n_rows, n_features))
    # n_features marks the padding: above every index, so it sorts to the end of its line.
    lines = np.full((n_rows, width), n_features, dtype=np.int32)
    cells = lines.reshape(-1)
    # Cell numbers in 32 bits where they fit (any block of headlines): half the temporaries.
    cell_type: type = np.int32 if cells.size < 2**31 else np.int64
    filled: np.ndarray = np.zeros(n_rows, dtype=cell_type)  # cells of each line written so far
    line_starts: np.ndarray = np.arange(n_rows, dtype=cell_type) * width
    for indices, per_row in parts:
        first = (np.cumsum(per_row) - per_row).astype(cell_type)
        where = np.repeat(line_starts + filled - first, per_row)
        where += np.arange(len(indices), dtype=cell_type)
        cells[where] = indices
        filled += per_row.astype(cell_type)
        del where
    lines.sort(axis=1)
    new = np.empty(lines.shape, dtype=bool)
    new[:, :1] = True
    np.not_equal(lines[:, 1:], lines[:, :-1], out=new[:, 1:])
    # A line's runs of equal cells, less its one run of padding if it has any.
    per_line = np.count_nonzero(new, axis=1) - (lengths < width)
    runs = np.flatnonzero(new)  # the first cell of each run, padding included
    del new
    # Temporaries are let go as soon as they are used: a block's peak is no higher than SciPy's.
    values = cells[runs]
    del lines, cells
    # Each run's length, written straight in the matrix's type: np.diff would copy the runs
    # to append the end, and give 64-bit lengths to convert, two passes more.
    counts: np.ndarray = np.empty(len(runs), dtype=dtype)
    np.subtract(runs[1:], runs[:-1], out=counts[:-1], casting="unsafe")
    if len(runs):
        counts[-1] = n_rows * width - runs[-1]
    del runs
    real = values != n_features
    data = counts[real]
    del counts
    indices = values[real]
    del values, real
    indptr = np.zeros(n_rows + 1, dtype=np.int32 if total < 2**31 else np.int64)
    np.cumsum(per_line, out=indptr[1:])
    return sp.csr_matrix((data, indices, indptr), shape=(n_rows, n_features))


# The worker's vectorizer (with its own word table), texts and dtype, set by _start_worker.
_worker: tuple[HeadlineVectorizer, Sequence[str] | np.ndarray, type] | None = None


def _count_with_a_worker(
    vectorizer: HeadlineVectorizer, texts: Sequence[str] | np.ndarray, dtype: type
) -> Iterator[sp.csr_matrix]:
    """:meth:`HeadlineVectorizer._count_blocks` on two cores: a worker forked from this
    process counts blocks, this process counts the next block not yet given out whenever the
    one it must hand on next is not ready, and the blocks come out in order.

    Counting is mostly Python (tokens, word lookups) interleaved with numpy and SciPy, so
    threads would take turns on the GIL; a forked worker sees the texts without a copy, keeps
    its own word cache, and sends back each block's matrix (a few tens of megabytes). This
    process also takes in and files away every block, so how many it counts itself is left
    to how fast each side turns out to be, not fixed.
    """
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    starts = range(0, len(texts), _BLOCK_ROWS)
    given = 0  # blocks given out so far, to the worker or to this process
    sent: deque[tuple[int, Future[sp.csr_matrix]]] = deque()
    mine: dict[int, sp.csr_matrix] = {}
    with ProcessPoolExecutor(
        1,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(vectorizer, texts, dtype),
    ) as pool:
        for index in range(len(starts)):
            while given < len(starts) and len(sent) < _AHEAD:
                sent.append((given, pool.submit(_count_in_worker, starts[given])))
                given += 1
            # Blocks counted here ahead of the worker's wait in memory: at most _AHEAD of them.
            while (
                index not in mine
                and not sent[0][1].done()
                and given < len(starts)
                and len(mine) < _AHEAD
            ):
                start = starts[given]
                mine[given] = vectorizer._count_block(
                    list(texts[start : start + _BLOCK_ROWS]), dtype
                )
                given += 1
            if index in mine:
                yield mine.pop(index)
            else:
                yield sent.popleft()[1].result()


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
    # and the parent's copy into the matrix turns them back into ``dtype``.
    top = block.data.max(initial=0)
    for small in (np.uint8, np.uint16):
        if top <= np.iinfo(small).max:
            block.data = block.data.astype(small)
            break
    return block


class _Entries:
    """The data and column indices of a CSR matrix, appended block by block.

    They live in memory mapped from the system, which takes it back the moment it is freed
    (the C allocator may keep freed memory for later and so double the peak), and which is
    only reserved, not used, until written: room is made for the rows still to come, so each
    entry is copied once. scikit-learn's SGD reads 32-bit indices, so they are 64-bit only
    past 2**31 entries.
    """

    _SPARE = 1.25  # room kept for the rows to come, over the density seen so far

    def __init__(self, dtype: type) -> None:
        self.dtype = dtype
        self.size = 0
        self.rows = 0
        self.data: np.ndarray = np.empty(0, dtype=dtype)
        self.indices: np.ndarray = np.empty(0, dtype=np.int32)

    def append(self, block: sp.csr_matrix, rows_left: int) -> None:
        n, size = block.shape[0], block.nnz
        self.rows += n
        end = self.size + size
        if end > len(self.data):
            density = end / max(self.rows, 1)
            self._grow(end + int(density * rows_left * self._SPARE) + 1)
        self.data[self.size : end] = block.data
        self.indices[self.size : end] = block.indices
        self.size = end

    def _grow(self, capacity: int) -> None:
        index_type = np.int32 if capacity < 2**31 else np.int64
        data, indices = mapped_array(capacity, self.dtype), mapped_array(capacity, index_type)
        data[: self.size] = self.data[: self.size]
        indices[: self.size] = self.indices[: self.size]
        self.data, self.indices = data, indices

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The entries written: views of the mapped arrays (whose spare room is never used)."""
        indices = self.indices[: self.size]
        if indices.dtype != np.int32 and self.size < 2**31:
            indices = indices.astype(np.int32)
        return self.data[: self.size], indices


def mapped_array(size: int, dtype: type) -> np.ndarray:
    """An uninitialised array in its own anonymous memory map, unmapped when it is freed."""
    nbytes = size * np.dtype(dtype).itemsize
    if nbytes == 0:
        return np.empty(0, dtype=dtype)
    memory = mmap.mmap(-1, nbytes)
    if hasattr(mmap, "MADV_HUGEPAGE"):
        memory.madvise(mmap.MADV_HUGEPAGE)
    return np.frombuffer(memory, dtype=dtype, count=size)
