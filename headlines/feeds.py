"""Feeds in, headline records out: saved portal pages, plain lists, CSV, JSON lines, RSS, Atom.

Covers: reading a file or stdin (encoding, format detection) and turning its content into an
ordered stream of :class:`Headline` records, one per headline, none dropped or reordered.
Does not cover: labelling (model.py), dropping duplicates or labels (selection.py) or writing
output (output.py).

RSS and Atom give each item's title as the headline and its link and published time as extra
fields; JSON lines give one field as the headline and the other fields as extra fields::

    <item><title>PSV wint</title><link>https://example.org/1</link>
      <pubDate>Tue, 03 Jun 2025 09:30:00 +0200</pubDate></item>
    -> Headline("PSV wint", extra={"link": "https://example.org/1",
                                   "published": "2025-06-03T09:30:00+02:00"})
    {"headline": "PSV wint", "site": "nos"}  -> Headline("PSV wint", extra={"site": "nos"})

XML is parsed with defusedxml: a feed that declares entities (the "billion laughs" bomb) or
refers to external ones is refused, never expanded or fetched.

The portal page format is what a reader gets when they save a news article with its
"OTHER NEWS" list as text: the page title (repeated), the article, then the list, in which
every headline stands next to a relative-age line such as ``2 hrs ago``::

    Some article title          <- the page title, not a list headline
    some article title
    ... article paragraphs ...
    OTHER NEWS
    2 hrs ago
    First list headline         -> Headline("First list headline", age_minutes=120)
    3 hrs ago
    Second list headline        -> Headline("Second list headline", age_minutes=180)
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import glob
import html
import io
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO, TextIO, TypeVar
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException, EntitiesForbidden
from defusedxml.ElementTree import DefusedXMLParser

from .errors import InputError

log = logging.getLogger(__name__)

FORMATS = ("auto", "page", "list", "csv", "jsonl", "rss", "atom")
STDIN = "-"
# The files a folder is read for; a file named outright is read whatever its suffix.
FEED_SUFFIXES = (".txt", ".csv", ".tsv", ".jsonl", ".ndjson", ".rss", ".atom", ".xml")
_GLOB_RE = re.compile(r"[*?\[]")

# Enough of a file to decide its format and encoding; saved pages are far smaller than this.
_PEEK_BYTES = 1 << 20

_HEADER_RE = re.compile(
    r"^(?:other news|more news|ander nieuws|andere nieuws|meer nieuws|overig nieuws)\s*:?$",
    re.IGNORECASE,
)
_UNIT_MINUTES = {
    "m": 1, "min": 1, "mins": 1, "minute": 1, "minutes": 1, "minuut": 1, "minuten": 1,
    "h": 60, "hr": 60, "hrs": 60, "hour": 60, "hours": 60, "u": 60, "uur": 60,
    "d": 1440, "day": 1440, "days": 1440, "dag": 1440, "dagen": 1440,
    "w": 10080, "week": 10080, "weeks": 10080, "weken": 10080,
}  # fmt: skip
_AGE_RE = re.compile(
    r"^(?:(?P<n>\d+)\s*(?P<unit>[a-z]+)\.?\s+(?:ago|geleden)|(?P<now>just now|zojuist))$",
    re.IGNORECASE,
)
_CSV_DELIMITERS = ",;\t"
# What comes before an XML document's root element: white space, <?xml ...?>, comments and a
# DOCTYPE (with its internal subset); the group is the root element's name.
_XML_ROOT_RE = re.compile(
    r"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)*<([A-Za-z_][\w.:-]*)",
    re.DOTALL,
)
# Root element (local name) -> format, and each format's roots and record element.
_XML_FORMATS = {"rss": "rss", "RDF": "rss", "feed": "atom"}
_XML_ROOTS = {"rss": ("rss", "RDF"), "atom": ("feed",)}
_XML_RECORD = {"rss": "item", "atom": "entry"}
_XML_NAMES = {"rss": "RSS", "atom": "Atom"}
# Where each format keeps an item's time, best first: Atom entries need only <updated>.
_XML_PUBLISHED = {"rss": ("pubDate", "date"), "atom": ("published", "updated")}
_XML_CHUNK = 1 << 16
_LINE_END_RE = re.compile(r"\r\n|\r|\n")
CHUNK_SIZE = 10_000  # headlines labelled at once: memory stays flat, numpy stays busy
_LIST_READ_BYTES = 1 << 20

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Headline:
    """One headline of a feed, where it came from, and what the feed said about it.

    ``position`` counts from 1 within its source; ``extra`` holds a CSV row's other columns,
    a JSON line's other fields (as JSON values), or a feed item's link and published time.
    After :func:`~headlines.selection.dedupe_headlines`, ``seen`` counts how often the
    headline appeared and ``seen_in`` names the sources it appeared in.
    """

    text: str
    source: str
    position: int
    age_minutes: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    seen: int = 1
    seen_in: tuple[str, ...] = ()


@dataclass(slots=True)
class HeadlineChunk:
    """Consecutive headlines as a column of texts: the unit predict reads, labels and writes.

    A plain list gives only texts, a source and the first position; other formats keep their
    records. ``HeadlineChunk(["PSV wint", "Regen"], "a.txt", 1).records()``
    -> ``[Headline("PSV wint", "a.txt", 1), Headline("Regen", "a.txt", 2)]``
    """

    texts: list[str]
    source: str = ""
    start: int = 1
    headlines: list[Headline] | None = None

    @classmethod
    def of(cls, headlines: list[Headline]) -> HeadlineChunk:
        """The chunk of these records, which may come from several sources."""
        return cls([h.text for h in headlines], headlines=headlines)

    def __len__(self) -> int:
        return len(self.texts)

    def records(self) -> list[Headline]:
        """A :class:`Headline` per text, made on the first call."""
        if self.headlines is None:
            self.headlines = [
                Headline(text, self.source, position)
                for position, text in enumerate(self.texts, start=self.start)
            ]
        return self.headlines


def parse_age(line: str) -> int | None:
    """Read a relative-age line as minutes; None when the line is not one.

    ``"2 hrs ago" -> 120``, ``"1 dag geleden" -> 1440``, ``"Verstappen wint" -> None``.
    """
    match = _AGE_RE.match(" ".join(line.split()))
    if match is None:
        return None
    if match.group("now"):
        return 0
    minutes = _UNIT_MINUTES.get(match.group("unit").lower())
    return None if minutes is None else int(match.group("n")) * minutes


def parse_feed(
    text: str,
    *,
    source: str = "<text>",
    input_format: str = "auto",
    text_column: str = "headline",
) -> list[Headline]:
    """Parse feed content held in memory.

    ``parse_feed("PSV wint\\n\\nAjax verliest\\n")`` -> two Headline records, positions 1 and 2.
    """
    fmt = detect_format(text, text_column=text_column) if input_format == "auto" else input_format
    # newline=None ends lines at \r too, as reading a file does.
    stream = io.StringIO(text, newline=None)
    return list(_parse_lines(stream, fmt, source=source, text_column=text_column))


def read_feeds(
    inputs: Iterable[str],
    *,
    input_format: str = "auto",
    text_column: str = "headline",
    encoding: str | None = None,
) -> Iterator[Headline]:
    """Stream the headlines of several inputs in order: files, folders, glob patterns, ``-``.

    Folders and patterns are expanded by :func:`expand_inputs`; each record's source is the
    file it came from.
    """
    for name in expand_inputs(inputs):
        yield from read_feed(
            name, input_format=input_format, text_column=text_column, encoding=encoding
        )


def read_chunks(
    inputs: Iterable[str],
    *,
    input_format: str = "auto",
    text_column: str = "headline",
    encoding: str | None = None,
    chunk_size: int = CHUNK_SIZE,
    on_read: Callable[[int], None] | None = None,
) -> Iterator[HeadlineChunk]:
    """The headlines of :func:`read_feeds`, in the same order, as chunks of ``chunk_size``.

    A chunk holds headlines of one source. Plain lists give their texts only, and records
    are made when asked for (:meth:`HeadlineChunk.records`): a record per line costs more
    than labelling the line. ``on_read`` is called with the number of bytes each time more
    of an input is read, for progress.
    """

    def parse(stream: TextIO, fmt: str, source: str) -> Iterator[HeadlineChunk]:
        if fmt == "list":
            return _list_chunks(stream, source, chunk_size)
        records = _parse_lines(stream, fmt, source=source, text_column=text_column)
        return (HeadlineChunk.of(chunk) for chunk in batched(records, chunk_size))

    for name in expand_inputs(inputs):
        yield from _read(name, input_format, text_column, encoding, parse, on_read)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``batched(range(5), 2) -> [0, 1], [2, 3], [4]``."""
    stream = iter(items)
    while batch := list(islice(stream, size)):
        yield batch


def expand_inputs(inputs: Iterable[str]) -> Iterator[str]:
    """The feed files that inputs name: a folder gives its feed files, a pattern its matches.

    ``["a.txt", "pages", "more/*.rss", "-"]``
    -> ``["a.txt", "pages/1.txt", "pages/old/2.txt", "more/x.rss", "-"]``

    A folder is read recursively, files sorted by path, skipping hidden files and folders
    (``.name``) and files whose suffix is not one of :data:`FEED_SUFFIXES`. A glob pattern
    (``*``, ``?``, ``[...]``, ``**`` for any depth) is used when no file has that very name.
    A file named outright is read whatever its suffix. A folder without feed files, or a
    pattern that matches nothing, is an error.
    """
    for name in inputs:
        path = Path(name)
        if name == STDIN or path.is_file():
            yield name
        elif path.is_dir():
            files = _folder_feeds(name)
            if not files:
                raise InputError(
                    f"{name}: a folder with no feed files ({' '.join(FEED_SUFFIXES)}) in it; "
                    "pass the files themselves"
                )
            yield from files
        elif _GLOB_RE.search(name):
            matches = [
                found
                for match in sorted(glob.glob(name, recursive=True))
                for found in (_folder_feeds(match) if Path(match).is_dir() else [match])
            ]
            if not matches:
                raise InputError(f"no feed files match '{name}'; check the pattern")
            yield from matches
        else:
            yield name  # read_feed says what is wrong with it


def _folder_feeds(folder: str) -> list[str]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(
            Path(root, f)
            for f in files
            if not f.startswith(".") and Path(f).suffix.lower() in FEED_SUFFIXES
        )
    return [str(p) for p in sorted(found)]


def read_feed(
    name: str,
    *,
    input_format: str = "auto",
    text_column: str = "headline",
    encoding: str | None = None,
) -> Iterator[Headline]:
    """Stream the headlines of one file (or stdin for ``-``), detecting format and encoding."""

    def parse(stream: TextIO, fmt: str, source: str) -> Iterator[Headline]:
        return _parse_lines(stream, fmt, source=source, text_column=text_column)

    return _read(name, input_format, text_column, encoding, parse)


def _read(
    name: str,
    input_format: str,
    text_column: str,
    encoding: str | None,
    parse: Callable[[TextIO, str, str], Iterator[T]],
    on_read: Callable[[int], None] | None = None,
) -> Iterator[T]:
    """Open one input, detect its encoding and format, and stream what ``parse`` makes of it."""
    if input_format not in FORMATS:
        raise InputError(
            f"unknown input format '{input_format}'; choose one of {', '.join(FORMATS)}"
        )
    if encoding is not None:
        check_encoding(encoding)
    source = "<stdin>" if name == STDIN else name
    raw = _open_binary(name)
    try:
        head = raw.read(_PEEK_BYTES)
        if not head.strip():
            raise InputError(f"{source}: is empty; pass a feed with at least one headline")
        if looks_binary(head):
            raise InputError(f"{source}: looks like a binary file, not text; pass a feed file")
        enc = encoding or guess_encoding(head)
        stream = io.TextIOWrapper(
            io.BufferedReader(_Replay(head, raw, on_read)), encoding=enc, errors="strict"
        )
        try:
            fmt = input_format
            if fmt == "auto":
                head_text = head.decode(enc, errors="ignore")
                fmt = detect_format(head_text, text_column=text_column, name=source)
            yield from parse(stream, fmt, source)
        except UnicodeDecodeError as exc:
            line = None if name == STDIN else _first_undecodable_line(Path(name), enc)
            raise decode_error(source, enc, exc, line) from None
    finally:
        if raw is not sys.stdin.buffer:
            raw.close()


def detect_format(text: str, *, text_column: str = "headline", name: str = "") -> str:
    """Guess the format of feed content: rss, atom, jsonl, page, csv or list.

    RSS and Atom by their root element (``<rss>``, ``<rdf:RDF>``, ``<feed>``); JSON lines by a
    first line that is one ``{...}`` object (or a .jsonl/.ndjson name); a page by an
    "OTHER NEWS" header, age lines, or a title repeated at the top; a CSV by the text column in
    its first line (or a .csv/.tsv name); anything else is a plain list.
    ``detect_format('<feed xmlns="http://www.w3.org/2005/Atom">') -> "atom"``,
    ``detect_format('{"headline": "PSV wint"}') -> "jsonl"``
    """
    root = _XML_ROOT_RE.match(text.lstrip("\ufeff"))
    if root is not None:
        local_name = root.group(1).rpartition(":")[2]
        if local_name in _XML_FORMATS:
            return _XML_FORMATS[local_name]
        if re.search(r"<\?xml|<!DOCTYPE", root.group(0), re.IGNORECASE):
            raise InputError(
                f"{name or '<text>'}: XML or HTML whose root is <{root.group(1)}>, not an RSS "
                "(<rss>) or Atom (<feed>) feed; save pages as text, or pass --input-format list"
            )
    # JSON lines end at "\n" only; a headline may hold other line breaks such as U+2028.
    first_json = text.lstrip("\ufeff \t\r\n").partition("\n")[0].strip()
    suffix = Path(name).suffix.lower()
    if first_json[:1] + first_json[-1:] == "{}" or suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    lines = [line.strip() for line in _LINE_END_RE.split(text, maxsplit=5000)[:5000]]
    first = next((line.lstrip("\ufeff") for line in lines if line), "")
    if any(_HEADER_RE.match(line) or parse_age(line) is not None for line in lines):
        return "page"
    if _has_title_signature(lines):
        return "page"
    if csv_delimiter(first, text_column) is not None:
        return "csv"
    if suffix in (".csv", ".tsv"):
        return "csv"
    return "list"


def _parse_lines(stream: TextIO, fmt: str, *, source: str, text_column: str) -> Iterator[Headline]:
    if fmt == "list":
        return _parse_list(stream, source)
    if fmt == "csv":
        return _parse_csv(stream, source, text_column)
    if fmt == "page":
        return iter(_parse_page(stream.read(), source))
    if fmt == "jsonl":
        return _parse_jsonl(stream, source, text_column)
    if fmt in _XML_RECORD:
        return _parse_xml(stream, fmt, source)
    raise InputError(f"unknown input format '{fmt}'; choose one of {', '.join(FORMATS)}")


def _parse_list(lines: Iterable[str], source: str) -> Iterator[Headline]:
    position = 0
    for line in lines:
        text = line.strip()
        if text:
            position += 1
            yield Headline(text, source, position)


def _list_chunks(stream: TextIO, source: str, chunk_size: int) -> Iterator[HeadlineChunk]:
    """:func:`_parse_list` as chunks of texts, read about a megabyte at a time.

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


def _parse_csv(lines: Iterable[str], source: str, text_column: str) -> Iterator[Headline]:
    lines = iter(lines)
    first = next(lines, "")
    delimiter = csv_delimiter(first, text_column) or most_common_delimiter(first)
    # strict: a quote left open raises here instead of swallowing the rest of the file.
    reader = csv.DictReader(_chain([first], lines), delimiter=delimiter, strict=True)
    start = 1  # the line the row being read starts on
    try:
        columns = reader.fieldnames or []
        column = find_column(columns, text_column)
        if column is None:
            shown = ", ".join(columns) if columns else "none"
            raise InputError(
                f"{source}: no column '{text_column}' (columns: {shown}); pass --text-column NAME"
            )
        position = 0
        empty = 0
        empty_lines: list[int] = []  # the first few, for the warning
        start = reader.line_num + 1
        for row in reader:
            rest: list[str] = row.get(None) or []  # type: ignore[assignment]
            if any(field.strip() for field in rest):
                fields = len(columns) + len(rest)
                raise ragged_row_error(source, start, fields, columns, delimiter)
            text = (row.get(column) or "").strip()
            if text:
                position += 1
                extra = {k: v or "" for k, v in row.items() if k != column and k is not None}
                yield Headline(text, source, position, extra=extra)
            else:
                empty += 1
                if len(empty_lines) <= 10:
                    empty_lines.append(reader.line_num)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise csv_error(source, start, exc) from None
    if empty:
        log.warning(
            "%s: skipped %d row(s) with an empty '%s' (lines %s)",
            source,
            empty,
            column,
            ", ".join(map(str, empty_lines[:10])) + (", ..." if empty > 10 else ""),
        )


def _parse_jsonl(lines: Iterable[str], source: str, text_field: str) -> Iterator[Headline]:
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


def _parse_xml(stream: TextIO, fmt: str, source: str) -> Iterator[Headline]:
    """Stream the items of an RSS or Atom feed; the parser is fed in chunks as they are read."""
    target = _FeedTarget(fmt, source)
    parser = DefusedXMLParser(target=target)
    position = 0
    while True:
        chunk = stream.read(_XML_CHUNK)
        try:
            if chunk:
                parser.feed(chunk)
            else:
                parser.close()
        except ParseError as exc:
            line, column = exc.position
            raise InputError(
                f"{source}: line {line}, column {column + 1}: not well-formed XML "
                f"({ErrorString(exc.code)}); the file may be cut off or damaged: save or "
                "download the feed again"
            ) from None
        except DefusedXmlException as exc:
            line = parser.parser.CurrentLineNumber
            what = (
                f"declares the XML entity '{exc.name}'"
                if isinstance(exc, EntitiesForbidden)
                else f"uses unsafe XML ({type(exc).__name__})"
            )
            raise InputError(
                f"{source}: line {line}: the feed {what}; entities are refused because they "
                "can expand without bound or read other files (remove the <!DOCTYPE> block)"
            ) from None
        for title, extra in target.take():
            position += 1
            yield Headline(title, source, position, extra=extra)
        if not chunk:
            return


class _FeedTarget:
    """Receives the XML parser's events and collects one (title, extra) per item or entry.

    Only direct children of an item count, so a nested ``<media:title>`` or an Atom entry's
    ``<source><title>`` is not taken for the headline. Elements match by local name, so
    namespaced and RSS 1.0 feeds read the same.
    """

    def __init__(self, fmt: str, source: str) -> None:
        self._fmt = fmt
        self._source = source
        self._record = _XML_RECORD[fmt]
        self._depth = 0
        self._item_depth = 0  # depth of the open item, 0 when outside one
        self._item: dict[str, str] = {}
        self._field: str | None = None
        self._title_type = "text"
        self._text: list[str] = []
        self._done: list[tuple[str, dict[str, Any]]] = []

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self._depth += 1
        name = tag.rpartition("}")[2]
        if self._depth == 1 and name not in _XML_ROOTS[self._fmt]:
            self._wrong_root(name)
        if name == self._record and not self._item_depth:
            self._item_depth, self._item, self._title_type = self._depth, {}, "text"
        elif self._item_depth and self._depth == self._item_depth + 1:
            if name == "link" and "href" in attrib:  # Atom: the first alternate link
                if attrib.get("rel", "alternate") == "alternate":
                    self._item.setdefault("link", attrib["href"].strip())
            else:
                self._field, self._text = name, []
                if name == "title":
                    self._title_type = attrib.get("type", "text")

    def data(self, text: str) -> None:
        if self._field is not None:
            self._text.append(text)

    def end(self, tag: str) -> None:
        if self._field is not None and self._depth == self._item_depth + 1:
            self._item.setdefault(self._field, "".join(self._text))
            self._field = None
        elif self._depth == self._item_depth:
            self._item_depth = 0
            self._finish(self._item)
        self._depth -= 1

    def close(self) -> None:
        return None

    def take(self) -> list[tuple[str, dict[str, Any]]]:
        done, self._done = self._done, []
        return done

    def _wrong_root(self, name: str) -> None:
        found = _XML_FORMATS.get(name)
        if found is not None:
            raise InputError(
                f"{self._source}: an {_XML_NAMES[found]} feed (root <{name}>), not "
                f"{_XML_NAMES[self._fmt]}; pass --input-format {found}"
            )
        raise InputError(
            f"{self._source}: the root element <{name}> is not that of an "
            f"{_XML_NAMES[self._fmt]} feed; pass --input-format auto to detect the format"
        )

    def _finish(self, item: dict[str, str]) -> None:
        title = item.get("title", "")
        if self._title_type == "html":  # Atom: the title is escaped markup
            title = html.unescape(re.sub(r"<[^>]*>", "", title))
        elif self._fmt == "rss":  # RSS feeds often escape their titles twice (&amp;amp;)
            title = html.unescape(title)
        title = " ".join(title.split())
        if not title:
            return
        extra: dict[str, Any] = {"link": item.get("link", "").strip()}
        published = next((item[k] for k in _XML_PUBLISHED[self._fmt] if item.get(k)), "")
        extra["published"] = iso_time(published)
        self._done.append((title, extra))


def iso_time(value: str) -> str:
    """An RSS (RFC 822) or Atom (RFC 3339) time as ISO 8601; other text is returned unchanged.

    ``"Tue, 03 Jun 2025 09:30:00 +0200" -> "2025-06-03T09:30:00+02:00"``,
    ``"2025-06-03T07:30:00Z" -> "2025-06-03T07:30:00+00:00"``, ``"gisteren" -> "gisteren"``
    """
    value = value.strip()
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(value).isoformat()
    except ValueError:
        return value


def _parse_page(text: str, source: str) -> list[Headline]:
    lines = [line.strip() for line in split_lines(text)]
    header = next((i for i, line in enumerate(lines) if _HEADER_RE.match(line)), None)
    start = 0 if header is None else header + 1
    tokens = [(parse_age(line), line) for line in lines[start:] if line]
    if header is None:
        first_age = next((i for i, (age, _) in enumerate(tokens) if age is not None), None)
        if first_age is None:
            why = (
                "looks like a saved portal page (its title repeats at the top)"
                if _has_title_signature(lines)
                else "has no page structure"
            )
            raise InputError(
                f"{source}: {why} but has no 'OTHER NEWS' list and no age lines; "
                "pass --input-format list to read every line as a headline"
            )
        # Without a header the list starts at the first age line, or at the headline just
        # before it when ages follow their headlines.
        before = _pair_ages(tokens[first_age:], ages_first=True)
        after = _pair_ages(tokens[max(first_age - 1, 0) :], ages_first=False)
    else:
        before = _pair_ages(tokens, ages_first=True)
        after = _pair_ages(tokens, ages_first=False)
    pairs, _ = min(before, after, key=lambda result: result[1])
    return [
        Headline(headline, source, position, age)
        for position, (headline, age) in enumerate(pairs, start=1)
    ]


def _pair_ages(
    tokens: list[tuple[int | None, str]], *, ages_first: bool
) -> tuple[list[tuple[str, int | None]], int]:
    """Pair headlines with ages; return the pairs and a cost (ages unpaired on either side).

    Both readings of a list are tried and the cheaper one wins, so a missing age line or ages
    written after their headlines cost one unpaired age at most.
    """
    pairs: list[tuple[str, int | None]] = []
    cost = 0
    pending_age: int | None = None
    pending_text: str | None = None
    for age, line in tokens:
        if ages_first:
            if age is not None:
                cost += pending_age is not None
                pending_age = age
            else:
                cost += pending_age is None
                pairs.append((line, pending_age))
                pending_age = None
        elif age is not None:
            if pending_text is None:
                cost += 1
            else:
                pairs.append((pending_text, age))
                pending_text = None
        else:
            if pending_text is not None:
                cost += 1
                pairs.append((pending_text, None))
            pending_text = line
    if ages_first:
        cost += pending_age is not None
    elif pending_text is not None:
        cost += 1
        pairs.append((pending_text, None))
    return pairs, cost


def _has_title_signature(lines: list[str]) -> bool:
    """Saved portal pages start with their title, then the same title in lower case."""
    first_two = [line for line in lines[:20] if line][:2]
    return len(first_two) == 2 and first_two[0].casefold() == first_two[1].casefold()


def csv_error(source: str, line: int, exc: csv.Error) -> InputError:
    """The error for CSV the reader refuses; it is nearly always a quote left open."""
    return InputError(
        f"{source}: line {line}: not valid CSV ({exc}); check the quotes from there on: a "
        "quoted field ends with a quote, and a quote inside it is doubled"
    )


def ragged_row_error(
    source: str, line: int, fields: int, columns: Sequence[str], delimiter: str
) -> InputError:
    """The error for a row with more fields than its header: a headline cut at a delimiter."""
    shown = "a tab" if delimiter == "\t" else f"'{delimiter}'"
    return InputError(
        f"{source}: line {line}: {fields} fields, the header has {len(columns)}; "
        f"put quotes around a headline that contains {shown}"
    )


def split_lines(text: str) -> list[str]:
    """Lines as a file has them: ``"a\\r\\nb\\rc\\x0bd\\n" -> ["a", "b", "c\\x0bd", ""]``.

    Unlike ``str.splitlines``, a vertical tab (Word's line break inside a paragraph), a form
    feed or U+2028 stays inside its line, so it cannot cut a headline in two.
    """
    return _LINE_END_RE.split(text)


def csv_delimiter(first_line: str, text_column: str) -> str | None:
    """The delimiter under which a CSV header line has the text column, if any.

    ``csv_delimiter("id;headline", "headline") -> ";"``, ``csv_delimiter("a b", "x") -> None``
    """
    for delimiter in _CSV_DELIMITERS:
        if delimiter in first_line:
            fields = next(csv.reader([first_line], delimiter=delimiter), [])
            if find_column(fields, text_column) is not None:
                return delimiter
    return None


def most_common_delimiter(first_line: str) -> str:
    """The delimiter a header line uses most: ``"a;b;c,d" -> ";"``."""
    return max(_CSV_DELIMITERS, key=first_line.count)


def find_column(columns: Sequence[str], wanted: str) -> str | None:
    """The column named ``wanted``, matched exactly or else ignoring case and spaces.

    ``find_column(["id", " Headline"], "headline") -> " Headline"``
    """
    if wanted in columns:
        return wanted
    folded = wanted.strip().casefold()
    return next((c for c in columns if c.strip().casefold() == folded), None)


def guess_encoding(head: bytes) -> str:
    """The encoding of a file from its first bytes: UTF-16 by BOM, UTF-8 if valid, else cp1252.

    ``utf-8-sig`` reads plain UTF-8 too and drops a BOM. cp1252 is what spreadsheet exports
    on Windows use, and it reads Latin-1 text the same for all printable characters.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        # A multi-byte character may be cut at the end of the peeked block.
        head.decode("utf-8") if len(head) < _PEEK_BYTES else head[:-4].decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def looks_binary(head: bytes) -> bool:
    """True for bytes no text file starts with: a NUL early on, unless UTF-16 says why."""
    return b"\x00" in head[:8192] and not head.startswith((b"\xff\xfe", b"\xfe\xff"))


def check_encoding(encoding: str) -> str:
    """The encoding name back if Python can decode text with it, else an InputError."""
    try:
        is_text = getattr(codecs.lookup(encoding), "_is_text_encoding", True)
    except LookupError:
        is_text = False
    if not is_text:
        raise InputError(
            f"unknown encoding '{encoding}'; pass --encoding with a name such as utf-8, "
            "cp1252 or latin-1"
        )
    return encoding


def decode_error(
    source: str, encoding: str, exc: UnicodeDecodeError, line: int | None
) -> InputError:
    """The error for text that does not decode, naming the line and an encoding to try.

    cp1252 leaves five bytes undefined; latin-1 decodes every byte, so it is the last resort.
    """
    where = f"{source}: line {line}" if line is not None else source
    other = "latin-1" if codecs.lookup(encoding).name == "cp1252" else "cp1252"
    return InputError(
        f"{where}: not valid {encoding} text ({exc.reason}); pass --encoding, "
        f"for example --encoding {other}"
    )


def _first_undecodable_line(path: Path, encoding: str) -> int | None:
    decoder = codecs.getincrementaldecoder(encoding)()
    with contextlib.suppress(OSError), path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError:
                return number
    return None


def _open_binary(name: str) -> BinaryIO:
    if name == STDIN:
        return sys.stdin.buffer
    path = Path(name)
    if path.is_dir():
        raise InputError(f"{name}: is a directory; pass the feed files inside it")
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror})") from None


def _chain(*parts: Iterable[str]) -> Iterator[str]:
    for part in parts:
        yield from part


class _Replay(io.RawIOBase):
    """A byte stream that replays the peeked head, then continues with the rest."""

    def __init__(
        self, head: bytes, rest: BinaryIO, on_read: Callable[[int], None] | None = None
    ) -> None:
        self._head = memoryview(head)
        self._rest = rest
        self._on_read = on_read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
        else:
            data = self._rest.read(len(buffer))
            n = len(data)
            buffer[:n] = data
        if self._on_read is not None:
            self._on_read(n)
        return n
