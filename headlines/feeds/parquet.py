"""Parquet files -> one headline per row of the text column; the other columns pass through.

Covers: telling a Parquet file by its magic bytes, and reading one with pyarrow
(``pip install 'headlines[parquet]'``) a batch of rows at a time, row group by row group, so
memory stays flat however big the file. A row's other columns become its extra fields, as a
CSV's do, with their values as Python has them (numbers stay numbers, timestamps datetimes).
Rows whose headline is empty or null are skipped with one warning. Does not cover: writing
Parquet (output.py) or finding the files of a folder (inputs.py).

``{"headline": "PSV wint", "id": 7}`` -> ``Headline("PSV wint", "a.parquet", 1, extra={"id": 7})``
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from ..errors import InputError
from ..extras import require
from ..files import find_column
from ..records import HeadlineChunk

log = logging.getLogger(__name__)

MAGIC = b"PAR1"  # a Parquet file starts and ends with these four bytes


def is_parquet(head: bytes) -> bool:
    """``is_parquet(b"PAR1\\x15\\x04...") -> True``; text never starts so."""
    return head.startswith(MAGIC)


def parquet_chunks(
    file: BinaryIO,
    source: str,
    text_column: str,
    chunk_size: int,
    on_read: Callable[[int], None] | None = None,
) -> Iterator[HeadlineChunk]:
    """The headlines of a Parquet file, ``chunk_size`` rows of it at a time (fewer where
    rows are skipped), as columns: the texts, and the other columns in ``extras``, from
    which records are made only when asked for.

    ``on_read`` is called with about as many bytes as each batch takes of the file.
    """
    pa = require("pyarrow", "parquet", "reading Parquet")
    pq = require("pyarrow.parquet", "parquet", "reading Parquet")
    try:
        parquet = pq.ParquetFile(file)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{source}: not a readable Parquet file ({_reason(exc)})") from None
    names = parquet.schema_arrow.names
    column = find_column(names, text_column)
    if column is None:
        raise InputError(
            f"{source}: no column '{text_column}' (columns: {', '.join(names) or 'none'}); "
            "pass --text-column NAME"
        )
    kind = parquet.schema_arrow.field(column).type
    if not _is_text(pa, kind):
        raise InputError(
            f"{source}: column '{column}' holds {kind}, not text; pass --text-column with the "
            "column that holds the headline"
        )
    others = [name for name in names if name != column]
    rows = max(parquet.metadata.num_rows, 1)
    size = _size(file)
    position = 0
    skipped = 0
    try:
        for batch in parquet.iter_batches(batch_size=chunk_size):
            texts = [text.strip() if text else "" for text in batch.column(column).to_pylist()]
            if on_read is not None:
                on_read(size * batch.num_rows // rows)
            extras = {name: batch.column(name).to_pylist() for name in others}
            if not all(texts):
                kept = [i for i, text in enumerate(texts) if text]
                skipped += len(texts) - len(kept)
                texts = [texts[i] for i in kept]
                extras = {name: [values[i] for i in kept] for name, values in extras.items()}
            if texts:
                yield HeadlineChunk(texts, source, position + 1, extras=extras or None)
                position += len(texts)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{source}: not a readable Parquet file ({_reason(exc)})") from None
    if skipped:
        log.warning("%s: skipped %d row(s) with an empty '%s'", source, skipped, column)


def _is_text(pa: Any, kind: Any) -> bool:
    """A column of strings: plain, large, a view, or dictionary-encoded (as writers store
    repeated text)."""
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    is_view = getattr(pa.types, "is_string_view", lambda _: False)
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind) or is_view(kind))


def _size(file: BinaryIO) -> int:
    try:
        at = file.tell()
        end = file.seek(0, 2)
        file.seek(at)
    except OSError:
        return 0
    return end


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
