"""Feeds in, headline records out: portal pages, plain lists, CSV, JSON lines, RSS, Atom, Parquet.

Covers: reading a file or stdin (encoding, format detection) and turning its content into an
ordered stream of :class:`~headlines.records.Headline` records, one per headline, none dropped
or reordered. One module per family does the parsing: ``pages`` (saved portal pages),
``tabular`` (plain lists, CSV, JSON lines), ``xml`` (RSS and Atom), ``parquet`` (Parquet
files, told by their magic bytes), ``archives`` (pages saved as MHTML or a Safari web archive,
unpacked to their HTML), ``inputs`` (folders and patterns). Does not cover:
labelling (predicting.py) or writing output (output.py).

``read_feeds(["data/feeds"])`` -> Headline("Gemeente Zwolle wil ...", "data/feeds/...", 1, 60), ...
"""

from __future__ import annotations

import codecs
import io
import json
import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO, TypeVar

from ..errors import InputError
from ..files import (
    STDIN,
    Replay,
    blank_prefix,
    byte_order,
    check_encoding,
    csv_delimiter,
    decode_error,
    first_undecodable_line,
    guess_encoding,
    looks_binary,
    open_input,
    peek,
    shown_path,
    split_lines,
)
from ..records import CHUNK_SIZE, Headline, HeadlineChunk, batched
from ..selection import dedupe_chunks
from .archives import archive_kind, unpack
from .blocks import ListChoice, describe
from .html import html_blocks, html_charset, looks_like_html, parse_html
from .inputs import FEED_SUFFIXES, expand_inputs
from .pages import article_lines, looks_like_page, parse_page, text_blocks
from .parquet import is_parquet, parquet_chunks
from .stamps import parse_age
from .tabular import list_chunks, parse_csv, parse_json, parse_jsonl, parse_list
from .web import fetch, is_url
from .xml import RECORD, iso_time, parse_xml, sniff_xml

__all__ = [
    "FEED_SUFFIXES",
    "FORMATS",
    "ListChoice",
    "Reading",
    "detect_format",
    "expand_inputs",
    "iso_time",
    "page_blocks",
    "parse_age",
    "parse_chunks",
    "parse_feed",
    "read_chunks",
    "read_feed",
    "read_feeds",
]

log = logging.getLogger(__name__)
_LOOKED_AT = 5000  # lines of a text's start that tell its format

FORMATS = ("auto", "page", "html", "list", "csv", "jsonl", "json", "rss", "atom", "parquet")

T = TypeVar("T")


@dataclass(frozen=True)
class Reading:
    """How feeds are read, as ``headlines parse`` and ``predict`` take it from their options.

    ``input_format`` is one of :data:`FORMATS` (``"auto"`` detects it from the content);
    ``text_column`` is the CSV column, JSON field or Parquet column that holds the headline;
    ``encoding`` is the inputs' encoding (None: detected); ``choice`` says which list of a
    saved page to read (None: the best one).
    ``read_feed("feed.csv", Reading(text_column="title"))``
    """

    input_format: str = "auto"
    text_column: str = "headline"
    encoding: str | None = None
    choice: ListChoice | None = None


def parse_feed(
    text: str, reading: Reading = Reading(), *, source: str = "<text>"
) -> list[Headline]:
    """Parse feed content held in memory (``reading.encoding`` does not apply to it).

    ``parse_feed("PSV wint\\n\\nAjax verliest\\n")`` -> two Headline records, positions 1 and 2.
    """
    fmt = reading.input_format
    if fmt == "auto":
        fmt = _detected(text, reading, source)
    # newline=None ends lines at \r too, as reading a file does.
    stream = io.StringIO(text, newline=None)
    return list(_parse_lines(stream, fmt, source, reading))


def read_feeds(inputs: Iterable[str], reading: Reading = Reading()) -> Iterator[Headline]:
    """Stream the headlines of several inputs in order: files, folders, glob patterns, ``-``.

    Folders and patterns are expanded by :func:`expand_inputs`; each record's source is the
    file it came from.
    """
    for name in expand_inputs(inputs):
        yield from read_feed(name, reading)


def read_chunks(
    inputs: Iterable[str],
    reading: Reading = Reading(),
    *,
    chunk_size: int = CHUNK_SIZE,
    on_read: Callable[[int], None] | None = None,
) -> Iterator[HeadlineChunk]:
    """The headlines of :func:`read_feeds`, in the same order, as chunks of ``chunk_size``.

    A chunk holds headlines of one source. Plain lists give their texts only, and records
    are made when asked for (:meth:`HeadlineChunk.records`): a record per line costs more
    than labelling the line. ``on_read`` is called with the number of bytes each time more
    of an input is read, for progress.
    """

    def parse(stream: TextIO, fmt: str, source: str, url: str) -> Iterator[HeadlineChunk]:
        if fmt == "list":
            return list_chunks(stream, source, chunk_size)
        records = _parse_lines(stream, fmt, source, reading, url)
        return (HeadlineChunk.of(chunk) for chunk in batched(records, chunk_size))

    def table(file: BinaryIO, source: str) -> Iterator[HeadlineChunk]:
        return parquet_chunks(file, source, reading.text_column, chunk_size, on_read)

    for name in expand_inputs(inputs):
        yield from _read(name, reading, parse, table, on_read)


def parse_chunks(
    inputs: Iterable[str],
    reading: Reading = Reading(),
    *,
    dedupe: bool = False,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[HeadlineChunk]:
    """Read feeds (``-`` is stdin) as chunks of headline records, in input order, unlabelled:
    what ``headlines parse`` writes.

    ``dedupe`` keeps each headline once (see :func:`~headlines.selection.dedupe_headlines`).
    """
    chunks = read_chunks(list(expand_inputs(inputs)), reading, chunk_size=chunk_size)
    return dedupe_chunks(chunks, chunk_size) if dedupe else chunks


def read_feed(name: str, reading: Reading = Reading()) -> Iterator[Headline]:
    """Stream the headlines of one file (or stdin for ``-``), detecting format and encoding."""

    def parse(stream: TextIO, fmt: str, source: str, url: str) -> Iterator[Headline]:
        return _parse_lines(stream, fmt, source, reading, url)

    def table(file: BinaryIO, source: str) -> Iterator[Headline]:
        chunks = parquet_chunks(file, source, reading.text_column, CHUNK_SIZE)
        return (headline for chunk in chunks for headline in chunk.records())

    return _read(name, reading, parse, table)


def page_blocks(
    name: str,
    *,
    input_format: str = "auto",
    encoding: str | None = None,
    heading: str | None = None,
) -> list[dict[str, object]]:
    """The candidate lists of a saved page (text or HTML), in page order, as rows: number,
    heading, line, items, dated, score, whether it is read by default, first headline.

    ``page_blocks("page.html")`` -> ``[{"block": 1, "heading": "Related stories", ...}, ...]``
    """

    def parse(stream: TextIO, fmt: str, source: str, url: str) -> Iterator[dict[str, object]]:
        if fmt == "page":
            return iter(describe(text_blocks(stream.read(), heading=heading)))
        if fmt == "html":
            return iter(describe(html_blocks(stream.read())))
        raise InputError(
            f"{source}: reads as {fmt}, not as a saved page; blocks are a page's lists"
        )

    def table(file: BinaryIO, source: str) -> Iterator[dict[str, object]]:
        raise InputError(
            f"{source}: reads as parquet, not as a saved page; blocks are a page's lists"
        )

    # Asking for the lists of plain text says it is a page.
    reading = Reading(input_format, encoding=encoding)
    return list(_read(name, reading, parse, table, pages=True))


def _read(
    name: str,
    reading: Reading,
    parse: Callable[[TextIO, str, str, str], Iterator[T]],
    table: Callable[[BinaryIO, str], Iterator[T]],
    on_read: Callable[[int], None] | None = None,
    *,
    pages: bool = False,
) -> Iterator[T]:
    """Open one input, detect its encoding and format, and stream what ``parse`` makes of it
    (given the text, format, source and the page's address, or ""), or ``table`` of a Parquet
    file. A page saved as an archive (MHTML, a Safari web archive) is read as its HTML;
    with ``pages``, plain text is read as a page too."""
    input_format, encoding = reading.input_format, reading.encoding
    if input_format not in FORMATS:
        raise InputError(
            f"unknown input format '{input_format}'; choose one of {', '.join(FORMATS)}"
        )
    if encoding is not None:
        check_encoding(encoding)
    source = "<stdin>" if name == STDIN else name if is_url(name) else shown_path(name)
    raw = io.BytesIO(fetch(name).body) if is_url(name) else open_input(name)
    try:
        head = peek(raw)
        if input_format == "parquet" or (input_format == "auto" and is_parquet(head)):
            if name == STDIN:
                raise InputError("<stdin>: Parquet is read from a file, not stdin; pass its name")
            raw.seek(0)
            yield from table(raw, source)
            return
        if blank_prefix(head) == len(head):
            raise InputError(f"{source}: is empty; pass a feed with at least one headline")
        url, declared, body = (name if is_url(name) else ""), None, raw
        archive = archive_kind(head) if input_format in ("auto", "page", "html") else None
        if archive is not None:
            data = head + raw.read()
            page = unpack(data, archive, source)
            if on_read is not None:
                on_read(len(data))  # the archive's bytes, not its page's, for progress
            on_read = None
            url, body = page.url or url, io.BytesIO(page.html)
            declared = _browser_encoding(page.encoding)
            head = peek(body)
            if blank_prefix(head) == len(head):
                raise InputError(f"{source}: the page saved in it is empty; save it again")
        if encoding is None and declared is None:
            declared = _page_encoding(head)
        if encoding is None and declared is not None and not _is_utf8(declared):
            # UTF-8 bytes under another declared encoding: a page fetched by a script and
            # written out as UTF-8 keeps its old <meta charset>. Text in another encoding is
            # almost never valid UTF-8 once it has a byte past ASCII, so the bytes win when
            # all of them are (a page is read whole anyway).
            rest = body.read()
            if _utf8_like(head, rest):
                declared = "utf-8-sig"
            body = io.BytesIO(rest)
        enc = byte_order(encoding, head, source) if encoding else declared or guess_encoding(head)
        if looks_binary(head, enc):
            raise InputError(f"{source}: looks like a binary file, not text; pass a feed file")
        stream = io.TextIOWrapper(
            io.BufferedReader(Replay(head, body, on_read)), encoding=enc, errors="strict"
        )
        try:
            fmt = "html" if archive is not None else input_format
            if fmt == "auto":
                head_text = head.decode(enc, errors="ignore")
                fmt = _detected(head_text, reading, source, source, pages=pages)
            elif fmt == "page" and looks_like_html(head.decode(enc, errors="ignore")):
                fmt = "html"  # a page asked for as a page, saved as HTML
            yield from parse(stream, fmt, source, url)
        except UnicodeDecodeError as exc:
            local = name != STDIN and not is_url(name) and archive is None
            line = first_undecodable_line(Path(name), enc) if local else None
            raise decode_error(source, enc, exc, line) from None
    finally:
        if raw is not sys.stdin.buffer:
            raw.close()


def _detected(
    text: str, reading: Reading, source: str, name: str = "", *, pages: bool = False
) -> str:
    """The format of ``text`` (:func:`detect_format`), where plain text is a page when it
    names a list of a page to read or ``pages`` asks for its lists (copied text without a
    known heading or ages reads as a plain list), and a plain list that reads like a page
    says so."""
    fmt = detect_format(text, text_column=reading.text_column, name=name)
    if fmt == "list" and (pages or _chooses_a_list(reading.choice)):
        return "page"
    if fmt == "list":
        _say_if_a_page(text, source)
    return fmt


def _say_if_a_page(text: str, source: str) -> None:
    """A warning when a plain list reads like a copied page whose list heading the reader
    does not know: three or more of its first lines, and one in ten or more, read like an
    article's sentences."""
    lines = [line.strip() for line in split_lines(text, _LOOKED_AT)]
    filled = [line for line in lines if line]
    sentences = article_lines(filled)
    if sentences >= 3 and sentences * 10 >= len(filled):
        log.warning(
            "%s: read as a plain list, every line a headline, but %d of its first %d lines "
            "read like an article's sentences; if it is a saved page, pass --list-heading "
            "TEXT with the heading shown above its list",
            source,
            sentences,
            len(filled),
        )


def _chooses_a_list(choice: ListChoice | None) -> bool:
    """True when ``choice`` names a list of a page, by heading or by number."""
    return choice is not None and (choice.heading is not None or choice.block is not None)


def detect_format(text: str, *, text_column: str = "headline", name: str = "") -> str:
    """Guess the format of feed content: html, rss, atom, json, jsonl, page, csv or list.

    An HTML page by its start (a doctype, ``<html>``) or a .html/.htm name; RSS and Atom by
    their root element (``<rss>``, ``<rdf:RDF>``, ``<feed>``); a JSON document by a .json
    name or its start (see :func:`_starts_json_document`); JSON lines by a first line that is
    one ``{"...": ...}`` object (see :func:`_opens_an_object`; or a .jsonl/.ndjson name); a
    page by an "OTHER NEWS" header, age lines, or a title repeated at the top in lower case
    (see :func:`~.pages.looks_like_page`); a CSV by the text column in
    its first line (or a .csv/.tsv name); anything else is a plain list.
    ``detect_format('<feed xmlns="http://www.w3.org/2005/Atom">') -> "atom"``,
    ``detect_format('{"headline": "PSV wint"}\\n{"headline": "Ajax"}') -> "jsonl"``
    """
    text = text.lstrip("\ufeff \t\r\n")  # the format is in what follows blank lines
    suffix = Path(name).suffix.lower()
    if suffix in (".html", ".htm", ".xhtml") or looks_like_html(text):
        return "html"
    xml_format = sniff_xml(text, name)
    if xml_format is not None:
        return xml_format
    # JSON lines end at "\n" only; a headline may hold other line breaks such as U+2028.
    first_json = text.lstrip("\ufeff \t\r\n").partition("\n")[0].strip()
    if suffix == ".json" or (
        suffix not in (".jsonl", ".ndjson") and _starts_json_document(text, first_json)
    ):
        return "json"
    if _opens_an_object(first_json) or suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    lines = [line.strip() for line in split_lines(text, _LOOKED_AT)]
    first = next((line.lstrip("\ufeff") for line in lines if line), "")
    header = csv_delimiter(first, text_column) is not None
    if header and suffix in (".csv", ".tsv"):
        return "csv"  # a table named as one; its rows may look like page lines
    if looks_like_page(lines):
        return "page"
    if header or suffix in (".csv", ".tsv"):
        return "csv"
    return "list"


def _opens_an_object(line: str) -> bool:
    """A line that is a JSON object, or a broken one: ``{"headline": ...}``, ``{}``; not a
    headline in braces such as ``{LIVE} Storm op komst {update}``."""
    return line[:1] + line[-1:] == "{}" and line[1:].lstrip()[:1] in ('"', "}")


def _starts_json_document(text: str, first_line: str) -> bool:
    """A JSON document, not a list or JSON lines:

    - an array or object opened alone on the first line, as JSON is pretty-printed;
    - an array of objects (``[{"headline": ...``) or of strings (``["PSV wint", ...``);
    - an object with nothing after it, such as a web API's answer on one line
      (``{"articles": [...]}``), which may run on past the text looked at.

    A list's first headline may start with "[" ("[LIVE] Storm ...", "["Wow": dorp ...]"),
    but not with a JSON string followed by a comma, or by a "]" that ends the line.
    """
    if first_line in ("[", "{"):
        return True
    start = len(text) - len(text[1:].lstrip())  # of what follows the opening bracket
    opened = text[start : start + 1]
    if text[:1] == "{":
        return opened in ('"', "}") and "\n" not in text.rstrip()
    if text[:1] != "[" or opened not in ('"', "{"):
        return False
    if opened == "{":
        return True
    try:
        _, end = json.JSONDecoder().raw_decode(text, start)
    except ValueError:
        return False
    after = text[end:].lstrip()
    # A comma goes on to the next string; "]" must end the line, as in ["Wow"] Dorp viert ...
    return after[:1] == "," or (after[:1] == "]" and not after[1:].partition("\n")[0].strip())


def _page_encoding(head: bytes) -> str | None:
    """The encoding an HTML page declares, as a browser reads it (:func:`_browser_encoding`)."""
    if not looks_like_html(head[:4096].decode("latin-1")):
        return None
    return _browser_encoding(html_charset(head))


# Encodings a page declares that browsers decode with a larger one (the WHATWG Encoding
# Standard, https://encoding.spec.whatwg.org/#names-and-labels), by Python's name for the
# label: "iso-8859-1" pages hold Windows' curly quotes and dashes in bytes 0x80-0x9f, which
# Latin-1 reads as control characters. A page that says UTF-16 in a <meta> is ASCII-based,
# so it is UTF-8 (a UTF-16 file is told by its byte order mark or NUL bytes instead).
_BROWSER_CODECS = {
    "ascii": "cp1252", "iso8859-1": "cp1252", "iso8859-9": "cp1254", "iso8859-11": "cp874",
    "tis-620": "cp874", "utf-16": "utf-8", "utf-16-le": "utf-8", "utf-16-be": "utf-8",
    "gb2312": "gb18030", "gbk": "gb18030", "euc_kr": "cp949", "shift_jis": "cp932",
    "big5": "big5hkscs",
}  # fmt: skip
# Labels browsers know and Python does not.
_BROWSER_LABELS = {"x-sjis": "cp932", "iso-8859-8-i": "iso8859-8", "x-user-defined": "cp1252"}


def _browser_encoding(declared: str | None) -> str | None:
    """The codec that reads a page as a browser does, for the encoding it declares; None when
    it declares none Python knows (so that it is detected).

    ``_browser_encoding("ISO-8859-1") -> "cp1252"``, ``_browser_encoding("utf-8") -> "utf-8"``
    """
    if not declared:
        return None
    declared = _BROWSER_LABELS.get(declared.strip().lower(), declared)
    known = _known_encoding(declared)
    if known is None:
        return None
    return _BROWSER_CODECS.get(codecs.lookup(known).name, known)


def _is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name == "utf-8"


def _utf8_like(*parts: bytes) -> bool:
    """True when the bytes ``parts`` make up hold a byte past ASCII and are valid UTF-8."""
    if all(part.isascii() for part in parts):
        return False
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for number, part in enumerate(parts, 1):
            decoder.decode(part, final=number == len(parts))
    except UnicodeDecodeError:
        return False
    return True


def _known_encoding(declared: str | None) -> str | None:
    """A declared encoding when Python knows it, else None (so that it is detected)."""
    try:
        return check_encoding(declared) if declared else None
    except InputError:
        return None


def _parse_lines(
    stream: TextIO, fmt: str, source: str, reading: Reading, url: str = ""
) -> Iterator[Headline]:
    text_column, choice = reading.text_column, reading.choice
    if fmt == "list":
        return parse_list(stream, source)
    if fmt == "csv":
        return parse_csv(stream, source, text_column)
    if fmt == "page":
        return iter(parse_page(stream.read(), source, choice=choice))
    if fmt == "html":
        return iter(parse_html(stream.read(), source, url=url, choice=choice))
    if fmt == "jsonl":
        return parse_jsonl(stream, source, text_column)
    if fmt == "json":
        return parse_json(stream, source, text_column)
    if fmt in RECORD:
        return parse_xml(stream, fmt, source)
    if fmt == "parquet":
        raise InputError(f"{source}: Parquet is read from a file; pass its name")
    raise InputError(f"unknown input format '{fmt}'; choose one of {', '.join(FORMATS)}")
