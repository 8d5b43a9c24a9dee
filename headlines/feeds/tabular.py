"""Plain lists, CSV and JSON lines -> one headline per line, row or object.

Covers: the three line-based formats; a CSV's other columns and a JSON line's other fields
pass through as extra fields. Does not cover: other formats (the other modules of this
package).

``{"headline": "PSV wint", "site": "nos"}  -> Headline("PSV wint", extra={"site": "nos"})``
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from typing import TextIO

from ..errors import InputError
from ..files import csv_rows, find_column
from ..records import Headline, HeadlineChunk

log = logging.getLogger(__name__)

_LIST_READ_BYTES = 1 << 20


def parse_list(lines: Iterable[str], source: str) -> Iterator[Headline]:
    position = 0
    for line in lines:
        text = line.strip()
        if text:
            position += 1
            yield Headline(text, source, position)


def list_chunks(stream: TextIO, source: str, chunk_size: int) -> Iterator[HeadlineChunk]:
    """:func:`parse_list` as chunks of texts, read about a megabyte at a time.

    A block is split at line ends in one call, which takes a third less time than reading
    it line by line; the stream has already turned "\\r\\n" and "\\r" into "\\n".
    """
    position = 1
    texts: list[str] = []
    cut: list[str] = []  # the start of a line that the last blocks cut
    while block := stream.read(_LIST_READ_BYTES):
        if "\n" not in block:  # a line longer than a block: keep it whole, copying it once
            cut.append(block)
            continue
        lines = "".join([*cut, block]).split("\n")
        cut = [lines.pop()]
        texts += filter(None, map(str.strip, lines))
        while len(texts) >= chunk_size:
            yield HeadlineChunk(texts[:chunk_size], source, position)
            del texts[:chunk_size]
            position += chunk_size
    texts += filter(None, ["".join(cut).strip()])
    if texts:
        yield HeadlineChunk(texts, source, position)


def parse_csv(lines: Iterable[str], source: str, text_column: str) -> Iterator[Headline]:
    """A headline per row with a text in ``text_column``; the other columns are extra fields.

    Rows with an empty headline are skipped with one warning that names their lines.
    """
    columns, (at,), rows = csv_rows(lines, source, [(text_column, "--text-column")])
    names = _distinct(columns, source)
    position = 0
    empty_lines: list[int] = []
    for line, fields in rows:
        text = fields[at].strip()
        if not text:
            empty_lines.append(line)
            continue
        position += 1
        extra = {name: fields[i] for i, name in enumerate(names) if i != at}
        yield Headline(text, source, position, extra=extra)
    if empty_lines:
        shown = ", ".join(map(str, empty_lines[:10])) + (", ..." if len(empty_lines) > 10 else "")
        log.warning(
            "%s: skipped %d row(s) with an empty '%s' (lines %s)",
            source,
            len(empty_lines),
            columns[at],
            shown,
        )


def _distinct(columns: list[str], source: str) -> list[str]:
    """The header's names with a repeated one numbered, so that no column is lost:
    ``["id", "id", "x"] -> ["id", "id_2", "x"]``; said once, as a warning."""
    names: list[str] = []
    for name in columns:
        new, n = name, 1
        while new in names or (new != name and new in columns):
            n += 1
            new = f"{name}_{n}"
        names.append(new)
    renamed = [f"{old} as {new}" for old, new in zip(columns, names, strict=True) if old != new]
    if renamed:
        log.warning("%s: the header repeats a name; reading %s", source, ", ".join(renamed))
    return names


def parse_jsonl(lines: Iterable[str], source: str, text_field: str) -> Iterator[Headline]:
    position = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line.rstrip("\r\n"))
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{source}: line {number}: not valid JSON ({exc.msg}, column {exc.colno}); "
                "each line must be one JSON object"
            ) from None
        if not isinstance(record, dict):
            raise InputError(
                f"{source}: line {number}: a JSON {type(record).__name__}, not an object; "
                'each line must be one JSON object such as {"headline": "..."}'
            )
        key = find_column(list(record), text_field)
        if key is None:
            shown = ", ".join(record) or "none"
            raise InputError(
                f"{source}: line {number}: no field '{text_field}' (fields: {shown}); "
                "pass --text-field NAME"
            )
        value = record[key]
        if isinstance(value, dict | list):
            raise InputError(
                f"{source}: line {number}: field '{key}' holds a JSON {type(value).__name__}, "
                "not text; pass --text-field with the field that holds the headline"
            )
        text = "" if value is None else str(value).strip()
        if not text:
            continue
        position += 1
        yield Headline(text, source, position, extra={k: v for k, v in record.items() if k != key})
