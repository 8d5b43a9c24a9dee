"""Labelled CSV files -> validated, de-duplicated texts and labels for training or evaluation.

Covers: reading one or more labelled CSV files (encoding and delimiter sniffed), checking the
columns, skipping rows without a headline or label, dropping exact duplicates, and recording
the sha256 of every file. Does not cover: fitting (training.py) or scoring (evaluation.py).

``load_dataset(["train.csv"])`` on::

    headline,label
    PSV wint van Ajax,sport
    psv  wint van AJAX,sport      <- duplicate after folding case and white space: dropped
    ,sport                        <- no headline: skipped

gives ``texts == ["PSV wint van Ajax"]``, ``labels == ["sport"]`` and two rejects.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .files import (
    atomic_write_text,
    byte_order,
    check_encoding,
    csv_rows,
    decode_error,
    guess_encoding,
    looks_binary,
    open_file,
    shown_path,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A training file as it was read: its path, sha256 and number of data rows."""

    path: str
    sha256: str
    rows: int


@dataclass(frozen=True, slots=True)
class Reject:
    """A row left out of the data set, and why. ``line`` is the file's line number (1-based)."""

    path: str
    line: int
    headline: str
    label: str
    reason: str


@dataclass
class Dataset:
    """Texts and labels ready to fit on, with what was read and what was left out."""

    texts: list[str]
    labels: list[str]
    files: list[SourceFile]
    rejects: list[Reject] = field(default_factory=list)
    # With a group column: each row's group (a writer, a brief, a source), else None.
    groups: list[str] | None = None

    @property
    def label_counts(self) -> dict[str, int]:
        """Rows per label, most frequent first: ``{"sport": 310, "politics": 298, ...}``."""
        return dict(Counter(self.labels).most_common())

    def count_rejects(self, reason_prefix: str) -> int:
        return sum(r.reason.startswith(reason_prefix) for r in self.rejects)


@dataclass(frozen=True)
class Columns:
    """The columns of labelled CSV files: ``text_column`` holds the headline, ``label_column``
    its label and ``group_column``, when given, who wrote the row (or where it came from)."""

    text_column: str = "headline"
    label_column: str = "label"
    group_column: str | None = None


def load_dataset(
    paths: list[str | Path],
    columns: Columns = Columns(),
    *,
    encoding: str | None = None,
    dedupe: bool = True,
    strict: bool = False,
) -> Dataset:
    """Read labelled CSV files into one :class:`Dataset`, in file order.

    Rows with an empty headline or label are skipped (with ``strict``, they are an error); with
    ``dedupe`` a headline seen before (after :func:`normalize_key`) is dropped. Both are listed
    in ``Dataset.rejects``. The group column's values are kept in ``Dataset.groups``, empty
    cells as "".
    """
    text_column, label_column, group_column = (
        columns.text_column,
        columns.label_column,
        columns.group_column,
    )
    if not paths:
        raise InputError("no training files given; pass at least one labelled CSV")
    if encoding is not None:
        check_encoding(encoding)
    texts: list[str] = []
    labels: list[str] = []
    groups: list[str] | None = [] if group_column is not None else None
    files: list[SourceFile] = []
    rejects: list[Reject] = []
    # normalised headline -> index of its kept row, whose line is kept in an array rather
    # than in a tuple per row (at a million rows that is 80 MB less); its file is the last
    # one whose first kept row is at or before it
    seen: dict[str, int] = {}
    first_lines, file_starts = array("q"), array("q")
    # One string per label, not one per row, and whether it reads as the label column's name
    # (so that a million rows are not each case-folded to find a repeated header).
    names: dict[str, tuple[str, bool]] = {}
    group_names: dict[str, str] = {}
    # A row that repeats the header, compared as find_column compares names.
    text_key, label_key = text_column.strip().casefold(), label_column.strip().casefold()
    for path in paths:
        shown = shown_path(path)
        rows, sha256, (text_at, label_at, group_at) = _read_rows(
            Path(path), text_column, label_column, group_column, encoding
        )
        count = 0
        kept = len(texts)
        file_starts.append(kept)
        for line, fields in rows:
            count += 1
            text, label = fields[text_at].strip(), fields[label_at].strip()
            known = names.get(label)
            if known is None:
                known = names[label] = (label, label.casefold() == label_key)
            label, header_like = known
            if header_like and text.casefold() == text_key:
                # Files joined with `cat` repeat their header; it is no labelled headline.
                rejects.append(Reject(shown, line, text, label, "repeated header"))
                continue
            if not text or not label:
                what = "headline" if not text else "label"
                rejects.append(Reject(shown, line, text, label, f"empty {what}"))
                continue
            if dedupe:
                # normalize_key(text), written out: a call per row is a tenth of reading. The
                # text is stripped, so unless it has two spaces in a row or white space other
                # than a space (which isprintable refuses), the split and join change nothing:
                # leaving them out saves a third of the time the key takes.
                key = text.casefold()
                if "  " in key or not key.isprintable():
                    key = " ".join(key.split())
                first = seen.setdefault(key, kept)
                if first != kept:
                    where = paths[bisect_right(file_starts, first) - 1]
                    reason = f"duplicate of {shown_path(where)}:{first_lines[first]}"
                    if labels[first] != label:
                        reason += f" (labelled {labels[first]} there)"
                    rejects.append(Reject(shown, line, text, label, reason))
                    continue
                first_lines.append(line)
            texts.append(text)
            labels.append(label)
            kept += 1
            if groups is not None:
                group = fields[group_at].strip()
                groups.append(group_names.setdefault(group, group))
        files.append(SourceFile(shown, sha256, count))
    empty = [r for r in rejects if r.reason.startswith("empty")]
    if strict and empty:
        where = f"{empty[0].path}: line {empty[0].line}: {empty[0].reason}"
        if len(empty) == 1:
            fix = "fill it in or delete the row, or leave out --strict to skip it"
        else:
            where += f", and {len(empty) - 1} more rows with an empty headline or label"
            fix = "fill them in or delete them, or leave out --strict to skip them"
        raise InputError(f"{where}; {fix}")
    return Dataset(texts, labels, files, rejects, groups)


def write_rejects(rejects: list[Reject], path: str | Path) -> None:
    """Write rejected rows as CSV (path, line, headline, label, reason), replacing it whole."""
    with atomic_write_text(path) as fh:
        writer = csv.writer(fh)
        writer.writerow(["path", "line", "headline", "label", "reason"])
        for r in rejects:
            writer.writerow([r.path, r.line, r.headline, r.label, r.reason])


def _read_rows(
    path: Path,
    text_column: str,
    label_column: str,
    group_column: str | None,
    encoding: str | None,
) -> tuple[Iterator[tuple[int, list[str]]], str, tuple[int, int, int]]:
    """(line, fields) for every data row of a labelled CSV, its sha256, and the index among
    the fields of the headline, the label and the group (-1 without a group column).

    The rows are streamed: a list of a million of them would take more memory than the data
    set they become.
    """
    with open_file(path, expected="a labelled CSV file") as fh:
        raw = fh.read()
    sha256 = hashlib.sha256(raw).hexdigest()
    if not raw.strip():
        raise InputError(f"{path}: is empty; a training CSV needs a header and labelled rows")
    enc = byte_order(encoding, raw, shown_path(path)) if encoding else guess_encoding(raw)
    if looks_binary(raw, enc):
        raise InputError(f"{path}: looks like a binary file, not a CSV")
    try:
        raw.decode(enc)  # the whole file decodes, or the error names the line now
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise decode_error(shown_path(path), enc, exc, line) from None
    lines = io.TextIOWrapper(io.BytesIO(raw), encoding=enc, newline=None)
    wanted = [(text_column, "--text-column"), (label_column, "--label-column")]
    if group_column is not None:
        wanted.append((group_column, "--group-column"))
    columns, found, rows = csv_rows(lines, shown_path(path), wanted)
    for at in found:
        if columns.count(columns[at]) > 1:  # predict says the same of its input
            log.warning(
                "%s: the header repeats the name '%s'; reading the first such column",
                shown_path(path),
                columns[at],
            )
    text_at, label_at, group_at = [*found, -1][:3]
    return rows, sha256, (text_at, label_at, group_at)
