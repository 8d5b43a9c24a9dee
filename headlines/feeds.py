"""Feeds in, headline records out: saved portal pages, plain lists and CSV files.

Covers: reading a file or stdin (encoding, format detection) and turning its content into an
ordered stream of :class:`Headline` records, one per headline, none dropped or reordered.
Does not cover: labelling (model.py) or writing output (output.py).

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
import io
import logging
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .errors import InputError

log = logging.getLogger(__name__)

FORMATS = ("auto", "page", "list", "csv")
STDIN = "-"

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
_LINE_END_RE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class Headline:
    """One headline of a feed, where it came from, and what the feed said about it.

    ``position`` counts from 1 within its source; ``extra`` holds a CSV row's other columns.
    """

    text: str
    source: str
    position: int
    age_minutes: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


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
    """Stream the headlines of several inputs in order; ``-`` is stdin."""
    for name in inputs:
        yield from read_feed(
            name, input_format=input_format, text_column=text_column, encoding=encoding
        )


def read_feed(
    name: str,
    *,
    input_format: str = "auto",
    text_column: str = "headline",
    encoding: str | None = None,
) -> Iterator[Headline]:
    """Stream the headlines of one file (or stdin for ``-``), detecting format and encoding."""
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
            io.BufferedReader(_Replay(head, raw)), encoding=enc, errors="strict"
        )
        try:
            fmt = input_format
            if fmt == "auto":
                head_text = head.decode(enc, errors="ignore")
                fmt = detect_format(head_text, text_column=text_column, name=name)
            yield from _parse_lines(stream, fmt, source=source, text_column=text_column)
        except UnicodeDecodeError as exc:
            line = None if name == STDIN else _first_undecodable_line(Path(name), enc)
            raise decode_error(source, enc, exc, line) from None
    finally:
        if raw is not sys.stdin.buffer:
            raw.close()


def detect_format(text: str, *, text_column: str = "headline", name: str = "") -> str:
    """Guess the format of feed content: ``page``, ``csv`` or ``list``.

    A page has an "OTHER NEWS" header, age lines, or a title repeated at the top; a CSV has the
    text column in its first line (or a .csv/.tsv name); anything else is a plain list.
    """
    lines = [line.strip() for line in split_lines(text)[:5000]]
    if any(_HEADER_RE.match(line) or parse_age(line) is not None for line in lines):
        return "page"
    if _has_title_signature(lines):
        return "page"
    first = next((line for line in lines if line), "")
    if csv_delimiter(first, text_column) is not None:
        return "csv"
    if Path(name).suffix.lower() in (".csv", ".tsv"):
        return "csv"
    return "list"


def _parse_lines(
    stream: Iterable[str], fmt: str, *, source: str, text_column: str
) -> Iterator[Headline]:
    if fmt == "list":
        return _parse_list(stream, source)
    if fmt == "csv":
        return _parse_csv(stream, source, text_column)
    if fmt == "page":
        return iter(_parse_page("".join(stream), source))
    raise InputError(f"unknown input format '{fmt}'; choose one of {', '.join(FORMATS)}")


def _parse_list(lines: Iterable[str], source: str) -> Iterator[Headline]:
    position = 0
    for line in lines:
        text = line.strip()
        if text:
            position += 1
            yield Headline(text, source, position)


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
        empty: list[int] = []
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
                empty.append(reader.line_num)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise csv_error(source, start, exc) from None
    if empty:
        log.warning(
            "%s: skipped %d row(s) with an empty '%s' (lines %s)",
            source,
            len(empty),
            column,
            ", ".join(map(str, empty[:10])) + (", ..." if len(empty) > 10 else ""),
        )


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

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
