"""The answers file: a labelled CSV that review appends to, a whole line at a time.

Covers: opening a labelled CSV for answers (made if missing, its header widened with the
columns review writes, both at the first answer: a file only looked at is not changed),
appending one answer as one line synced to disk before it counts, taking back exactly the
last answer, and repairing what a killed writer can leave behind.
Does not cover: which headline is asked (queue.py) or training on the file (retraining.py).

Why nothing is lost: an answer is one ``write`` of one complete line to a file opened for
appending, followed by ``fsync``; undo cuts the file back to where that line began, with one
``truncate``. A server killed at any moment leaves the file as it was before or after the
step. A disk that fills up mid-line makes the append fail and the line is cut off again; a
machine that loses power mid-line can leave a half line, which the next review leaves out
and removes before it writes (and says so)::

    headline,label,source,labelled_at,model
    Bitcoin-rivaal stijgt 300%,crypto-spam,feeds/a.txt,2026-12-06T10:01:07+00:00,14b2e85d0a61
    Gemeente verlengt proef,poli            <- half a line: removed at the next answer
"""

from __future__ import annotations

import csv
import io
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import HeadlinesError, InputError
from ..files import atomic_write, check_writable, csv_delimiter, csv_rows, find_column

log = logging.getLogger(__name__)

COLUMNS = ("headline", "label", "source", "labelled_at", "model")
_TAIL = 1 << 16  # enough of the file's end to hold its last line


@dataclass(frozen=True, slots=True)
class Answer:
    """One row of the answers file. ``labelled_at`` is empty on rows review did not write."""

    headline: str
    label: str
    source: str = ""
    labelled_at: str = ""
    model: str = ""

    @property
    def from_review(self) -> bool:
        return bool(self.labelled_at)


class AnswerLog:
    """A labelled CSV opened for answers: its rows, and appends and undos that survive a kill.

    ``AnswerLog("my-labels.csv").append(Answer("PSV wint", "sport", "a.txt", "2026-...", "m1"))``
    """

    def __init__(self, path: str | Path, *, inputs: tuple[str | Path, ...] = ()) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._settled = False
        raw = self._read(inputs)
        self._content = self._prepare(raw)
        self.rows = self._parse_rows(self._content)
        self._settled = self._content == raw

    def append(self, answer: Answer) -> None:
        """Add one answer as one line, on disk (synced) before this returns."""
        line = self._line(answer)
        with self._lock:
            self._settle()
            fd = self._open(os.O_WRONLY | os.O_APPEND)
            try:
                start = os.fstat(fd).st_size
                try:
                    written = os.write(fd, line)
                    if written != len(line):
                        raise OSError(28, "no space left on device")
                    os.fsync(fd)
                except OSError as exc:
                    os.ftruncate(fd, start)  # no half line stays behind
                    raise HeadlinesError(
                        f"{self.path}: cannot save the answer ({exc.strerror}); nothing was "
                        "written, free some space and answer again"
                    ) from None
            finally:
                os.close(fd)
            self.rows.append(answer)

    def remove_last(self, expected: Answer | None = None) -> Answer:
        """Take back the file's last row, which must be an answer review wrote (and be
        ``expected``, when given); return it.

        Raises when the file ends with a row of the user's own, or another one than
        expected: undo removes an answer, never training data.
        """
        with self._lock:
            if not self._settled:  # check before the file is touched at all
                self._check_last(self._content, expected)
                self._settle()
            fd = self._open(os.O_RDWR)
            try:
                size = os.fstat(fd).st_size
                start = max(0, size - _TAIL)
                begin, last = self._check_last(os.pread(fd, size - start, start), expected)
                os.ftruncate(fd, start + begin)
                os.fsync(fd)
            finally:
                os.close(fd)
            if self.rows and self.rows[-1] == last:
                self.rows.pop()
            return last

    def _check_last(self, tail: bytes, expected: Answer | None) -> tuple[int, Answer]:
        """Where the last line of ``tail`` begins, and its answer; raises unless it is an
        answer review wrote (and ``expected``, when given)."""
        begin = tail.rfind(b"\n", 0, len(tail) - 1) + 1
        last = self._parse_line(tail[begin:].decode("utf-8", errors="replace"))
        if last is None or not last.from_review or (expected and last != expected):
            raise InputError(
                f"{self.path}: its last row is not the answer to undo; it was changed "
                "outside this review, so undo it by hand"
            )
        return begin, last

    # --- opening -------------------------------------------------------------------------

    def _read(self, inputs: tuple[str | Path, ...]) -> bytes:
        """The file's bytes; a file still to be made is checked now, and made at the first
        answer."""
        if not self.path.exists():
            check_writable(self.path, inputs=inputs)
            return b""
        try:
            return self.path.read_bytes()
        except OSError as exc:
            raise InputError(f"{self.path}: cannot read ({exc.strerror})") from None

    def _settle(self) -> None:
        """Write what opening found to fix (a new file, a half line, the new columns) before
        the first change; nothing is written to a file that is only looked at."""
        if not self._settled:
            with atomic_write(self.path) as fh:
                fh.write(self._content)
            self._settled = True

    def _prepare(self, raw: bytes) -> bytes:
        """The file as answers can be appended to it: UTF-8, a header with review's columns,
        and no half line at the end. Raises when it cannot be."""
        if not raw.strip():
            raw = (",".join(COLUMNS) + "\n").encode("utf-8")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(
                f"{self.path}: is not UTF-8 text, and answers are written as UTF-8; save it as "
                "UTF-8, or pass --out NEW.csv"
            ) from None
        header_line = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
        self.delimiter = csv_delimiter(header_line, "headline") or ","
        header = next(csv.reader([header_line], delimiter=self.delimiter), [])
        for wanted in ("headline", "label"):
            if find_column(header, wanted) is None:
                raise InputError(
                    f"{self.path}: no column '{wanted}' (columns: {', '.join(header) or 'none'}); "
                    "answers need a headline and a label column: pass --out NEW.csv"
                )
        self.header = header
        missing = [c for c in COLUMNS if find_column(header, c) is None]
        if not missing:
            self._at = {c: header.index(find_column(header, c) or c) for c in COLUMNS}
        if not raw.endswith(b"\n"):
            raw = self._end_last_line(raw, cut_half_answers=not missing)
        if missing:
            # Rows of the user's own stay as they are; a CSV reader pads their new cells.
            first_end = raw.index(b"\n") + 1
            widened = header_line + "".join(self.delimiter + c for c in missing) + "\n"
            bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
            raw = bom + widened.encode("utf-8") + raw[first_end:]
            log.info("adding the columns %s to %s", ", ".join(missing), self.path)
            self.header = header + missing
            self._at = {c: self.header.index(find_column(self.header, c) or c) for c in COLUMNS}
        return raw

    def _end_last_line(self, raw: bytes, *, cut_half_answers: bool) -> bytes:
        """The file with its unfinished last line ended by a line break, or cut off when it
        is half an answer.

        Review ends every line it writes, so a last line without an end is either a row the
        user typed (kept) or an answer cut short by a crash: one without its ``labelled_at``
        and ``model`` cells (removed, and the warning quotes it). Before the file has
        review's columns, no answer can have been written to it.
        """
        begin = raw.rfind(b"\n") + 1
        last = raw[begin:].decode("utf-8")
        answer = self._parse_line(last) if cut_half_answers else None
        if begin == 0 or not cut_half_answers or (answer and answer.from_review and answer.model):
            return raw + b"\n"
        log.warning(
            "%s: removing a half-written last line, left when a review was stopped while "
            "saving: %r",
            self.path,
            last,
        )
        return raw[:begin]

    def _parse_rows(self, content: bytes) -> list[Answer]:
        lines = io.StringIO(content.decode("utf-8-sig"), newline="")
        _, at, rows = csv_rows(lines, str(self.path), [(c, "--out") for c in COLUMNS])
        return [Answer(*(fields[i].strip() for i in at)) for _, fields in rows]

    # --- lines ---------------------------------------------------------------------------

    def _line(self, answer: Answer) -> bytes:
        """One CSV line in the file's own column order and delimiter; line breaks inside a
        value become spaces, so that every answer is exactly one line of the file."""
        cells = [""] * len(self.header)
        for column, value in zip(COLUMNS, _cells(answer), strict=True):
            cells[self._at[column]] = one_line(value)
        out = io.StringIO()
        csv.writer(out, delimiter=self.delimiter, lineterminator="\n").writerow(cells)
        return out.getvalue().encode("utf-8")

    def _parse_line(self, line: str) -> Answer | None:
        try:
            fields = next(csv.reader([line.rstrip("\r\n")], delimiter=self.delimiter, strict=True))
        except (csv.Error, StopIteration):
            return None
        fields += [""] * (len(self.header) - len(fields))
        return Answer(*(fields[self._at[c]].strip() for c in COLUMNS))

    def _open(self, flags: int) -> int:
        try:
            return os.open(self.path, flags)
        except OSError as exc:
            raise HeadlinesError(f"{self.path}: cannot open it ({exc.strerror})") from None


def one_line(text: str) -> str:
    """``" PSV wint\\nvan Ajax " -> "PSV wint van Ajax"``: a value as one line of a CSV file."""
    return " ".join(text.splitlines()).strip()


def _cells(answer: Answer) -> tuple[str, str, str, str, str]:
    return answer.headline, answer.label, answer.source, answer.labelled_at, answer.model
