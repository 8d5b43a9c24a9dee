"""Plain lists, CSV and JSON lines -> one headline per line, row or object.

Covers: the three line-based formats; a CSV's other columns and a JSON line's other fields
pass through as extra fields. Does not cover: other formats (the other modules of this
package).

``{"headline": "PSV wint", "site": "nos"}  -> Headline("PSV wint", extra={"site": "nos"})``
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from ..errors import InputError
from ..files import csv_rows, find_column
from ..records import Headline, HeadlineChunk

log = logging.getLogger(__name__)

_LIST_READ_BYTES = 1 << 20
# Limits of a JSON line: nesting, and the characters of one number.
MAX_JSON_DEPTH = 64
MAX_JSON_NUMBER = 1000


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


def read_json_line(line: str, where: str) -> Any:
    """One line of JSON lines as a value, within the limits that keep reading it cheap.

    Nesting deeper than :data:`MAX_JSON_DEPTH`, a number longer than
    :data:`MAX_JSON_NUMBER` characters (turning a long one into an int takes time quadratic
    in its length), a number too large for a float, and NaN or Infinity (not JSON, and
    not writable as JSON again) are errors that name ``where``.
    ``read_json_line('{"a": [1, 2]}', "x.jsonl: line 1") -> {"a": [1, 2]}``
    """
    try:
        value = json.loads(
            line.rstrip("\r\n"),
            parse_int=_json_int,
            parse_float=_json_float,
            parse_constant=_json_constant,
        )
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{where}: not valid JSON ({exc.msg}, column {exc.colno}); "
            "each line must be one JSON object"
        ) from None
    except RecursionError:  # deeper than Python's own parser goes
        raise _too_deep(where) from None
    except _JsonNumberError as exc:
        raise InputError(f"{where}: {exc}") from None
    # A value cannot nest deeper than it has brackets: most lines need no walk.
    if line.count("[") + line.count("{") > MAX_JSON_DEPTH and _deeper_than(value, MAX_JSON_DEPTH):
        raise _too_deep(where)
    return value


def _too_deep(where: str) -> InputError:
    return InputError(
        f"{where}: JSON nested more than {MAX_JSON_DEPTH} levels deep; "
        "each line must be one JSON object with plain fields"
    )


class _JsonNumberError(ValueError):
    """A JSON number headlines does not read (see :func:`read_json_line`)."""


def _json_int(text: str) -> int:
    if len(text) > MAX_JSON_NUMBER:
        raise _JsonNumberError(
            f"a number of {len(text):,} digits (at most {MAX_JSON_NUMBER:,} are read); "
            'write it as a string ("...")'
        )
    return int(text)


def _json_float(text: str) -> float:
    if len(text) > MAX_JSON_NUMBER:
        raise _JsonNumberError(
            f"a number of {len(text):,} characters (at most {MAX_JSON_NUMBER:,} are read); "
            'write it as a string ("...")'
        )
    value = float(text)
    if math.isinf(value):
        raise _JsonNumberError(
            f'the number {text[:20]} is too large to read; write it as a string ("...")'
        )
    return value


def _json_constant(name: str) -> float:
    raise _JsonNumberError(f"{name} is not valid JSON; write null or a string instead")


def _deeper_than(value: Any, limit: int) -> bool:
    """True when lists and objects nest more than ``limit`` levels: ``[[1]]`` is 2 deep."""
    stack = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def parse_jsonl(lines: Iterable[str], source: str, text_field: str) -> Iterator[Headline]:
    position = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        record = read_json_line(line, f"{source}: line {number}")
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
