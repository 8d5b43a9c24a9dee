"""Files and text as bytes on disk: opening, encodings, CSV dialects, atomic writes.

Covers: opening an input with one-line errors, sniffing and checking encodings, splitting
lines as files have them, CSV delimiters, columns and rows (one reader for feeds and training
data), and writing a file atomically (a temporary file renamed into place). Does not cover:
what the rows mean (feeds/, dataset.py) or the model file format (persistence.py).

``csv_delimiter("id;headline", "headline") -> ";"``; ``with atomic_write_text("out.csv") as fh:``
writes ``out.csv`` whole or not at all.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import glob
import io
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO

from .errors import InputError

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

STDIN = "-"
# Enough of a file to decide its format and encoding; saved pages are far smaller than this.
PEEK_BYTES = 1 << 20
# Blank lines read at the start of an input, looking for text, before it counts as empty.
MAX_BLANK_PREFIX = 64 << 20
_BLANK = b" \t\r\n\x0b\x0c"
_CSV_DELIMITERS = ",;\t"
# The longest CSV field read: far above any headline, and a bound on the memory a quote left
# open (which makes the rest of the file one field) can take.
MAX_CSV_FIELD = 16 << 20
_LINE_END_RE = re.compile(r"\r\n|\r|\n")


def numbers_shown(numbers: list[int]) -> str:
    """Line or item numbers as a warning names them, the first ten: ``"3, 7"``, ``"1, 2, 3,
    4, 5, 6, 7, 8, 9, 10, ..."``."""
    return ", ".join(map(str, numbers[:10])) + (", ..." if len(numbers) > 10 else "")


def shown_path(path: str | Path) -> str:
    """A path as text that can be printed and written: a name that is not UTF-8 on disk has
    its other bytes escaped. ``shown_path(b"caf\\xe9.txt" as a path) -> "caf\\\\xe9.txt"``

    Python keeps such bytes as lone surrogates, which no file or terminal encoding can write.
    """
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


# Characters a terminal obeys rather than shows: C0 and C1 controls and DEL (escape
# sequences, bells, backspaces, line moves), and those that reorder or break the text around
# them (bidirectional overrides, line and paragraph separators). Each is shown as its escape.
_CONTROLS = {
    **{code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7F, 0xA0)]},
    **{
        code: f"\\u{code:04x}"
        for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029]
    },
}


def printable(text: str) -> str:
    """Text as a terminal shows it, with every character it would obey escaped:
    ``printable("Storm\\x1b[2J hits") -> "Storm\\\\x1b[2J hits"``."""
    return text.translate(_CONTROLS)


def open_file(
    path: str | Path, *, expected: str, missing: str = "", error: type[InputError] = InputError
) -> BinaryIO:
    """Open a file for reading bytes, or raise ``error`` with one line that says why not.

    ``expected`` names what a directory should have been ("a labelled CSV file"); ``missing``
    is the fix added when there is no such file.
    ``open_file("no.csv", expected="a labelled CSV file")`` -> InputError("no.csv: no such file")
    """
    path = Path(path)
    if path.is_dir():
        raise error(f"{path}: is a directory; pass {expected}")
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise error(f"{path}: no such {missing or 'file'}") from None
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.strerror})") from None


def read_text_file(path: str | Path, *, expected: str) -> str:
    """A small UTF-8 text file's content (a BOM dropped), or a one-line error naming it."""
    with open_file(path, expected=expected) as fh:
        raw = fh.read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise decode_error(str(path), "utf-8", exc, line) from None


def open_input(name: str) -> BinaryIO:
    """A feed's bytes: stdin for ``-``, else the file (see :func:`open_file`)."""
    if name == STDIN:
        return sys.stdin.buffer
    return open_file(name, expected="the feed files inside it")


def peek(raw: BinaryIO) -> bytes:
    """The first bytes of an input, to tell its encoding and format from: :data:`PEEK_BYTES`
    of what follows the blank lines it may start with (a saved page can start with a
    megabyte of them), blank lines included. A stream of nothing but blank lines is read up
    to :data:`MAX_BLANK_PREFIX`, not to its end.
    """
    head = bytearray(raw.read(PEEK_BYTES))
    blank = blank_prefix(head)
    while blank == len(head) and len(head) < MAX_BLANK_PREFIX:
        more = raw.read(PEEK_BYTES)
        if not more:
            break
        head += more
        blank += len(more) - len(more.lstrip(_BLANK))
    if 0 < blank < len(head):
        head += raw.read(blank)  # as much text after the blank lines as a file without them
    return bytes(head)


def blank_prefix(head: bytes | bytearray) -> int:
    """How many bytes of white space (after a UTF-8 BOM) ``head`` starts with:
    ``blank_prefix(b"\\n\\n  PSV wint") -> 4``."""
    bom = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
    return len(head) - len(head[bom:].lstrip(_BLANK))


def csv_rows(
    lines: Iterable[str], source: str, wanted: Sequence[tuple[str, str]]
) -> tuple[list[str], list[int], Iterator[tuple[int, list[str]]]]:
    """The header, the index of each wanted column, and ``(line, fields)`` per data row.

    ``wanted`` pairs a column name with the option that names it (for the error when it is
    missing). The delimiter is the one under which the header has the first wanted column.
    The header is the first line that is not blank. Blank lines are no rows; a short row is
    padded to the header's width; a row with more
    non-empty fields than the header, or a quote left open, is an error naming its line.
    ``csv_rows(["id;headline\n", "7;PSV wint\n"], "a.csv", [("headline", "--text-column")])``
    -> ``(["id", "headline"], [1], iter([(2, ["7", "PSV wint"])]))``
    """
    stream = iter(lines)
    first = next(stream, "").lstrip("\ufeff")
    blank = 0  # blank lines before the header, which a saved file may start with
    while not first.strip() and (following := next(stream, None)) is not None:
        blank, first = blank + 1, following
    header = first.rstrip("\r\n")
    delimiter = csv_delimiter(header, wanted[0][0]) or most_common_delimiter(header)
    # strict: a quote left open raises here instead of swallowing the rest of the file.
    reader = csv.reader(chain([first], stream), delimiter=delimiter, strict=True)
    # The csv module's own limit, 128 KiB, refuses long but valid fields (a pasted article).
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CSV_FIELD))
    try:
        columns = next(reader, [])
    except csv.Error as exc:
        raise csv_error(source, blank + 1, exc) from None
    found = []
    for name, option in wanted:
        column = find_column(columns, name)
        if column is None:
            shown = ", ".join(columns) if columns else "none"
            raise InputError(f"{source}: no column '{name}' (columns: {shown}); pass {option} NAME")
        found.append(columns.index(column))
    return columns, found, _csv_records(reader, source, columns, delimiter, blank)


def _csv_records(
    reader: Any, source: str, columns: list[str], delimiter: str, blank: int
) -> Iterator[tuple[int, list[str]]]:
    width = len(columns)
    start = blank + reader.line_num + 1  # the line the row being read starts on
    try:
        for fields in reader:
            if len(fields) != width:
                if len(fields) > width and "".join(fields[width:]).strip():
                    raise ragged_row_error(source, start, len(fields), columns, delimiter)
                fields = (fields + [""] * width)[:width]
            # A blank line is no row (the first field decides most rows without a join).
            if fields[0].strip() or "".join(fields).strip():
                yield start, fields
            start = blank + reader.line_num + 1
    except csv.Error as exc:
        raise csv_error(source, start, exc) from None


def csv_error(source: str, line: int, exc: csv.Error) -> InputError:
    """The error for CSV the reader refuses; it is nearly always a quote left open."""
    why = (
        f"a field longer than {MAX_CSV_FIELD >> 20} MiB"
        if "field larger than field limit" in str(exc)
        else f"not valid CSV ({exc})"
    )
    return InputError(
        f"{source}: line {line}: {why}; check the quotes from there on: a "
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


def split_lines(text: str, limit: int = 0) -> list[str]:
    """Lines as a file has them: ``"a\\r\\nb\\rc\\x0bd\\n" -> ["a", "b", "c\\x0bd", ""]``.

    Unlike ``str.splitlines``, a vertical tab (Word's line break inside a paragraph), a form
    feed or U+2028 stays inside its line, so it cannot cut a headline in two. With ``limit``,
    only the first ``limit`` lines, without splitting the rest of the text.
    """
    return _LINE_END_RE.split(text, maxsplit=limit)[:limit] if limit else _LINE_END_RE.split(text)


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
    """The encoding of a file from its first bytes: UTF-16 by BOM or by its NUL bytes, UTF-8
    if valid, else cp1252.

    ``utf-8-sig`` reads plain UTF-8 too and drops a BOM. cp1252 is what spreadsheet exports
    on Windows use, and it reads Latin-1 text the same for all printable characters.
    ``guess_encoding("Storm".encode("utf-16-le")) -> "utf-16-le"``
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    bomless = _bomless_utf16(head)
    if bomless is not None:
        return bomless
    try:
        # A multi-byte character may be cut at the end of the peeked block.
        head.decode("utf-8") if len(head) < PEEK_BYTES else head[:-4].decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _bomless_utf16(head: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` for UTF-16 text saved without a BOM, told by its NUL
    bytes: Latin, digits and punctuation have a NUL in every second byte, on one side."""
    sample = head[:4096]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    if odd.count(0) >= 0.9 * half and even.count(0) <= 0.1 * half:
        return "utf-16-le"
    if even.count(0) >= 0.9 * half and odd.count(0) <= 0.1 * half:
        return "utf-16-be"
    return None


# The codecs that read a byte order mark first, and the marks they read.
_BYTE_ORDER_MARKS = {
    "utf-16": (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE),
    "utf-32": (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE),
}


def byte_order(encoding: str, head: bytes, source: str) -> str:
    """The codec that reads text asked for as ``encoding``: Python's "utf-16" and "utf-32"
    need a byte order mark, and without one stop with an error in the middle of reading, so
    text without one is read in the byte order its NUL bytes show, or refused in one line.

    ``byte_order("utf-16", "Storm".encode("utf-16-be"), "x.txt") -> "utf-16-be"``
    """
    name = codecs.lookup(encoding).name
    marks = _BYTE_ORDER_MARKS.get(name)
    if marks is None or head.startswith(marks):
        return encoding
    bomless = _bomless_utf16(head) if name == "utf-16" else None
    if bomless is None:
        raise InputError(
            f"{source}: is not {encoding} text (it has no byte order mark); pass --encoding "
            f"{name}-le or {name}-be, or another encoding"
        )
    return bomless


def looks_binary(head: bytes, encoding: str = "utf-8") -> bool:
    """True for bytes no text file starts with: a NUL character early on.

    In UTF-16 and UTF-32 most characters hold NUL bytes, so they are decoded first.
    ``looks_binary(b"PK\\x03\\x04\\x00") -> True``,
    ``looks_binary("Storm".encode("utf-16-le"), "utf-16-le") -> False``
    """
    start = head[:8192]
    if codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")):
        return "\x00" in start.decode(encoding, errors="ignore")
    return b"\x00" in start


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


def first_undecodable_line(path: Path, encoding: str) -> int | None:
    decoder = codecs.getincrementaldecoder(encoding)()
    with contextlib.suppress(OSError), path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError:
                return number
    return None


class Replay(io.RawIOBase):
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


@contextlib.contextmanager
def atomic_write(path: str | Path) -> Iterator[IO[bytes]]:
    """Write a file under a temporary name in the same folder, then rename it into place.

    A crash or Ctrl-C before the rename leaves any previous file untouched, and the temporary
    file is removed (cli.py turns SIGTERM and SIGHUP into an exception too, so they do the
    same); one that a killed run left is removed by the next write to that path (see
    :func:`sweep_temps`). A replaced file keeps its permissions. A symbolic link is
    followed, and a FIFO or device (``-o /dev/stdout``) is written to directly, not replaced.
    """
    target = write_target(Path(path))
    if target.exists() and not target.is_file():
        try:
            fh = target.open("wb")
        except OSError as exc:
            raise InputError(f"{path}: cannot write to it ({exc.strerror})") from None
        with fh:
            yield fh
        return
    sweep_temps(target)
    fd, tmp = _make_temp(target)
    try:
        os.chmod(tmp, _mode_for(target))
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_write_text(path: str | Path) -> Iterator[TextIO]:
    """:func:`atomic_write` for text: UTF-8, line ends written as given, and what UTF-8 cannot
    hold (a lone surrogate) written as a backslash escape."""
    with atomic_write(path) as raw:
        # A lone surrogate (a JSON "\\udce9", a file name's byte) is written escaped, not fatal.
        text = io.TextIOWrapper(raw, encoding="utf-8", errors="backslashreplace", newline="")
        yield text
        text.flush()
        text.detach()  # atomic_write closes the file itself, after syncing it


def check_writable(path: str | Path, inputs: Iterable[str | Path] = ()) -> None:
    """Raise :class:`InputError` now, before any work, if :func:`atomic_write` would fail,
    or would replace one of ``inputs`` (a typo that would lose the user's data).

    ``inputs`` are files (``-`` for stdin), as a folder or pattern expands to them. An input
    is the output when both are the same file on disk (device and inode: a hard link, a
    symbolic link, another spelling of the path), or resolve to the same path.
    ``check_writable("no/such/folder/m.joblib")`` -> InputError naming the missing folder.
    """
    target = write_target(Path(path))
    same = same_file_as(target, inputs)
    if same is not None:
        how = "" if same == str(path) else f" (as {'stdin' if same == STDIN else same})"
        raise InputError(
            f"{path}: is also an input{how}, and would be overwritten; pass another path"
        )
    if target.exists() and not target.is_file():
        return
    fd, tmp = _make_temp(target)
    os.close(fd)
    with contextlib.suppress(FileNotFoundError):  # a save in that folder cleaned it up
        os.unlink(tmp)


def same_file_as(target: str | Path, names: Iterable[str | Path]) -> str | None:
    """The first of ``names`` that is the file ``target``, or None.

    ``-`` is stdin, which is a file when the shell redirected one (``< in.txt``).
    ``same_file_as("out.csv", ["a.txt", "./out.csv"]) -> "./out.csv"``
    """
    identity = _identity(str(target))
    resolved = os.path.realpath(target)
    for name in map(str, names):
        other = _identity(name)
        if identity is not None and other is not None:
            if identity == other:
                return name
        elif name != STDIN and os.path.realpath(name) == resolved:
            return name
    return None


def _identity(name: str) -> tuple[int, int] | None:
    """A file's device and inode (stdin's for ``-``), None when it does not exist."""
    try:
        found = os.fstat(sys.stdin.fileno()) if name == STDIN else os.stat(name)
    except (OSError, ValueError, AttributeError):  # no such file; stdin closed or replaced
        return None
    return found.st_dev, found.st_ino


def write_target(path: Path) -> Path:
    """The file a write to ``path`` lands in, or an InputError saying why there is none."""
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    if path.is_dir():
        raise InputError(f"{path}: is a directory; pass a file name inside it")
    folder = path.parent
    if not folder.exists():
        raise InputError(f"{path}: folder {folder} does not exist; create it first")
    if not folder.is_dir():
        raise InputError(f"{path}: {folder} is a file, not a folder; pass another path")
    return path


def _make_temp(path: Path) -> tuple[int, str]:
    """A new temporary file beside ``path``, locked while this process lives, so that
    :func:`sweep_temps` can tell it from one a killed run left."""
    for _ in range(10):
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as exc:
            raise InputError(
                f"{path}: cannot write in {path.parent} ({exc.strerror}); pass another path"
            ) from None
        if fcntl is None:
            return fd, tmp
        fcntl.flock(fd, fcntl.LOCK_EX)
        if os.fstat(fd).st_nlink:  # not swept away before it was locked
            return fd, tmp
        os.close(fd)
    raise InputError(f"{path}: cannot keep a temporary file in {path.parent}; pass another path")


def sweep_temps(path: Path) -> list[Path]:
    """Remove the temporary files of writes to ``path`` whose process is gone; return them.

    A writer holds a lock on its temporary file (:func:`_make_temp`) until it ends, and the
    system drops the lock of a killed process, so a file nobody holds is a leftover. Only
    names as :func:`_make_temp` makes them are touched: ``.NAME.XXXXXXXX.tmp``.
    """
    if fcntl is None:  # no way to tell a live writer's file from a leftover
        return []
    removed = []
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.{'?' * 8}.tmp"):
        try:
            fd = os.open(leftover, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.path.samestat(os.fstat(fd), os.lstat(leftover)):
                os.unlink(leftover)
                removed.append(leftover)
        except OSError:  # held by a live writer, or gone meanwhile
            pass
        finally:
            os.close(fd)
    return removed


def _mode_for(target: Path) -> int:
    """The permissions a write to ``target`` gets: those of the file it replaces (a 0600 file
    stays private), else what ``open()`` would give a new file under the umask."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on a folder while the block runs (where the OS has flock)."""
    if fcntl is None:  # Windows: os.replace is still atomic, only the turn-taking is lost
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
