"""Plain lists, CSV, JSON lines and JSON -> one headline per line, row or object.

Covers: the three line-based formats and JSON documents (an array of objects, a JSON Feed);
a CSV's other columns and a JSON object's other fields pass through as extra fields. Does
not cover: other formats (the other modules of this package).

``{"headline": "PSV wint", "site": "nos"}  -> Headline("PSV wint", extra={"site": "nos"})``
"""

from __future__ import annotations

import io
import json
import logging
import math
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from ..errors import InputError
from ..files import csv_rows, find_column, numbers_shown
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
    _say_skipped(source, "row(s) with an empty", columns[at], empty_lines)


def _say_skipped(source: str, what: str, field: str, lines: list[int], unit: str = "lines") -> None:
    """One warning for the rows a reader skipped for want of a headline, naming their lines
    (or the records' numbers, with ``unit``):
    ``a.csv: skipped 2 row(s) with an empty 'headline' (lines 3, 7)``."""
    if lines:
        shown = numbers_shown(lines)
        log.warning("%s: skipped %d %s '%s' (%s %s)", source, len(lines), what, field, unit, shown)


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
    return _load_json(line.rstrip("\r\n"), where, "each line must be one JSON object")


def _load_json(text: str, where: str, hint: str, *, outer: int = 0) -> Any:
    """:func:`read_json_line` of any JSON text: ``hint`` says what the text must be, and
    ``outer`` how many levels of a document hold its records (which may nest
    :data:`MAX_JSON_DEPTH` levels each)."""
    unit = "record" if outer else "line"
    depth = MAX_JSON_DEPTH + outer
    try:
        value = json.loads(
            text, parse_int=_json_int, parse_float=_json_float, parse_constant=_json_constant
        )
    except json.JSONDecodeError as exc:
        at = f"line {exc.lineno}, column {exc.colno}" if "\n" in text else f"column {exc.colno}"
        raise InputError(f"{where}: not valid JSON ({exc.msg}, {at}); {hint}") from None
    except RecursionError:  # deeper than Python's own parser goes
        raise _too_deep(where, unit) from None
    except _JsonNumberError as exc:
        raise InputError(f"{where}: {exc}") from None
    # A value cannot nest deeper than it has brackets: most lines need no walk.
    if text.count("[") + text.count("{") > depth and _deeper_than(value, depth):
        raise _too_deep(where, unit)
    return value


def _too_deep(where: str, unit: str = "line") -> InputError:
    return InputError(
        f"{where}: JSON nested more than {MAX_JSON_DEPTH} levels deep; "
        f"each {unit} must be one JSON object with plain fields"
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
    """A headline per JSON object with text in ``text_field``; its other fields are extra.

    Objects whose headline is null or empty are skipped with one warning that names their
    lines, as :func:`parse_csv` skips rows with an empty headline.
    """
    position = 0
    skipped: list[int] = []
    field = text_field
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}: line {number}"
        record = read_json_line(line, where)
        if not isinstance(record, dict):
            raise InputError(
                f"{where}: a JSON {type(record).__name__}, not an object; "
                'each line must be one JSON object such as {"headline": "..."}'
            )
        key, text = _record_text(record, where, text_field)
        if not text:  # null or empty: no headline, as an empty CSV cell is none
            skipped.append(number)
            field = key
            continue
        position += 1
        yield Headline(text, source, position, extra={k: v for k, v in record.items() if k != key})
    _say_skipped(source, "line(s) with a null or empty", field, skipped)


def _record_text(record: dict[str, Any], where: str, text_field: str) -> tuple[str, str]:
    """The field of a JSON object that holds its headline, and the headline ("" when null)."""
    key = find_column(list(record), text_field)
    if key is None:
        shown = ", ".join(record) or "none"
        raise InputError(
            f"{where}: no field '{text_field}' (fields: {shown}); pass --text-field NAME"
        )
    value = record[key]
    if isinstance(value, dict | list):
        raise InputError(
            f"{where}: field '{key}' holds a JSON {type(value).__name__}, "
            "not text; pass --text-field with the field that holds the headline"
        )
    return key, "" if value is None else str(value).strip()


_JSON_HINT = 'a JSON file must be an array of objects such as [{"headline": "..."}], or JSON lines'


def parse_json(stream: TextIO, source: str, text_field: str) -> Iterator[Headline]:
    """A JSON document, read whole: an array of objects (each read as a line of JSON lines is)
    or of strings; an object that holds one such array (``{"articles": [...]}``); one record
    alone (an object with the headline field), as one JSON line is read; or a JSON
    Feed (jsonfeed.org), whose items' titles are the headlines, as an RSS feed's are, with
    ``link`` and ``published``. Records with a null or empty headline are skipped with one
    warning that gives their numbers.
    """
    text = stream.read()
    if _json_lines(text):  # JSON lines in a file named .json
        yield from parse_jsonl(io.StringIO(text), source, text_field)
        return
    document = _load_json(text, source, _JSON_HINT, outer=2)
    if isinstance(document, dict) and str(document.get("version", "")).startswith(
        ("https://jsonfeed.org/", "http://jsonfeed.org/")
    ):
        yield from _json_feed(document, source)
        return
    if isinstance(document, list):
        records = document
    elif isinstance(document, dict) and find_column(list(document), text_field) is not None:
        records = [document]  # one record alone, as one JSON line is read
    else:
        records = _record_list(document, source)
    position = 0
    skipped: list[int] = []
    field = text_field
    for number, record in enumerate(records, start=1):
        where = f"{source}: record {number}"
        if isinstance(record, str):
            text, extra = record.strip(), {}
        elif isinstance(record, dict):
            field, text = _record_text(record, where, text_field)
            extra = {k: v for k, v in record.items() if k != field}
        else:
            raise InputError(
                f"{where}: a JSON {type(record).__name__}, not an object; {_JSON_HINT}"
            )
        if not text:
            skipped.append(number)
            continue
        position += 1
        yield Headline(text, source, position, extra=extra)
    _say_skipped(source, "record(s) with a null or empty", field, skipped, unit="records")


def _json_lines(text: str) -> bool:
    """True for JSON lines: a first line that is a whole JSON value, and more after it."""
    first, _, rest = text.lstrip("\ufeff \t\r\n").partition("\n")
    if not rest.strip() or first.strip()[:1] != "{":
        return False
    try:
        json.loads(first)
    except ValueError:
        return False
    return True


def _record_list(document: Any, source: str) -> list[Any]:
    """The one array of records a JSON object holds (``{"count": 2, "articles": [...]}``)."""
    if isinstance(document, dict):
        lists = [key for key, value in document.items() if isinstance(value, list) and value]
        if len(lists) == 1:
            found: list[Any] = document[lists[0]]
            return found
        keys = ", ".join(document) or "none"
        why = "no array" if not lists else f"{len(lists)} arrays"
        raise InputError(
            f"{source}: a JSON object with {why} of records (keys: {keys}); {_JSON_HINT}"
        )
    raise InputError(f"{source}: a JSON {type(document).__name__}; {_JSON_HINT}")


def _json_feed(document: dict[str, Any], source: str) -> Iterator[Headline]:
    from .xml import iso_time

    items = document.get("items")
    if not isinstance(items, list):
        raise InputError(f"{source}: a JSON Feed without an 'items' array")
    position = 0
    untitled: list[int] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InputError(f"{source}: item {number} of the JSON Feed is not an object")
        title = item.get("title")
        text = " ".join(title.split()) if isinstance(title, str) else ""
        if not text:  # a JSON Feed item may have content and no title: no headline
            untitled.append(number)
            continue
        position += 1
        published = item.get("date_published") or item.get("date_modified") or ""
        extra = {"link": str(item.get("url") or ""), "published": iso_time(str(published))}
        yield Headline(text, source, position, extra=extra)
    _say_skipped(source, "item(s) without a", "title", untitled, unit="items")
