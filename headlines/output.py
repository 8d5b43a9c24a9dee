"""Headline records, labelled or not -> CSV, JSON lines, Parquet, or an aligned table.

Covers: the output formats, their columns, and how grouped rows are shown. Does not cover:
deciding which format a terminal gets (cli.py), labelling (predicting.py), or choosing, ordering
and grouping the rows (selection.py).

Columns: source, position, headline, age_minutes; then label and confidence for labelled
rows, label_2, confidence_2, ... with --top-k, reasons with --explain; label_count with
--group (the rows of that label); seen and seen_in with --dedupe (how often the headline
appeared, and in which sources); then the input's own fields (a CSV's
other columns, a JSON line's other fields, a feed item's link and published time).
``write_rows(rows, sys.stdout, "csv")`` writes::

    source,position,headline,age_minutes,label,confidence
    page.txt,1,PSV wint met 3-0,120,sport,0.934

In a CSV cell a list of texts is joined with "; " and other JSON values are written as JSON:
``["sport", "zwemmen"] -> sport; zwemmen``, ``True -> true``; JSON lines keep them as they are.
Parquet (``pip install 'headlines[parquet]'``) keeps every value typed, the confidences
unrounded, and is written a row group of 10,000 rows at a time; a column's type is the one
its first rows have (see :func:`parquet_schema`).
"""

from __future__ import annotations

import csv
import io
import json
import logging
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator
from itertools import accumulate
from typing import TYPE_CHECKING, Any, TextIO

from .errors import InputError
from .extras import require
from .files import printable
from .records import CHUNK_SIZE, Headline, HeadlineChunk, LabelledChunk, LabelledHeadline, batched

if TYPE_CHECKING:  # imported where labels are written: parse writes rows without numpy
    import numpy as np

OUTPUT_FORMATS = ("table", "csv", "jsonl", "parquet")
HEADLINE_COLUMNS = ("source", "position", "headline", "age_minutes")
LABEL_COLUMNS = ("label", "confidence")
SEEN_COLUMNS = ("seen", "seen_in")

Row = Headline | LabelledHeadline
Chunk = HeadlineChunk | LabelledChunk

log = logging.getLogger(__name__)


def to_record(
    row: Row,
    *,
    deduped: bool = False,
    label_count: int | None = None,
    on_rename: Callable[[list[tuple[str, str]]], None] | None = None,
    exact: bool = False,
) -> dict[str, Any]:
    """One output row as a dict, base columns first, then pass-through columns; confidences
    rounded to 3 decimals unless ``exact``.

    ``Headline("PSV wint", "a.txt", 1, extra={"id": "7"})``
    -> ``{"source": "a.txt", "position": 1, "headline": "PSV wint", "age_minutes": None,
    "id": "7"}``

    An input column with an output column's name is kept under another name (see
    :func:`input_name`): a CSV's own ``label`` column becomes ``input_label``, and
    ``on_rename`` is called with both names.
    """
    h = row.headline if isinstance(row, LabelledHeadline) else row
    record: dict[str, Any] = {
        "source": h.source,
        "position": h.position,
        "headline": h.text,
        "age_minutes": h.age_minutes,
    }
    if isinstance(row, LabelledHeadline):
        record["label"] = row.label
        record["confidence"] = row.confidence if exact else round(row.confidence, 3)
        for rank, (label, probability) in enumerate(row.alternatives, start=2):
            record[f"label_{rank}"] = label
            record[f"confidence_{rank}"] = probability if exact else round(probability, 3)
        if row.reasons:
            record["reasons"] = reason_texts(row.reasons)
    if label_count is not None:
        record["label_count"] = label_count
    if deduped:
        record["seen"] = h.seen
        record["seen_in"] = list(h.seen_in or (h.source,))
    renames = []
    for key, value in h.extra.items():
        if key in record:  # the input's own column of an output column's name: keep both
            renames.append((key, input_name(key, record, h.extra)))
            key = renames[-1][1]
        record[key] = value
    if renames and on_rename is not None:
        on_rename(renames)
    return record


def input_name(key: str, *taken: Collection[str]) -> str:
    """The name an input column is written under when an output column has its name:
    ``input_name("label", {"label"}) -> "input_label"``, then ``input_label_2``, ..."""
    name, n = f"input_{key}", 1
    while any(name in names for names in taken):
        n += 1
        name = f"input_{key}_{n}"
    return name


class RenameNotice:
    """Says once, in one warning, under which names input columns are written (see
    :func:`to_record`); a later row that renames other columns adds a warning for those."""

    def __init__(self) -> None:
        self.said: set[str] = set()

    def __call__(self, renames: list[tuple[str, str]]) -> None:
        new = [(key, renamed) for key, renamed in renames if key not in self.said]
        if new:
            self.said.update(key for key, _ in new)
            one = len(new) == 1
            log.warning(
                "%s %s written as %s: the output has %s",
                "input column" if one else "input columns",
                ", ".join(key for key, _ in new) + (" is" if one else " are"),
                ", ".join(renamed for _, renamed in new),
                "a column of that name" if one else "columns of those names",
            )


def reason_texts(reasons: Iterable[tuple[str, float]]) -> list[str]:
    """How reasons are written: ``[("'knmi'", 0.412)] -> ["'knmi' +0.41"]``."""
    return [f"{name} {weight:+.2f}" for name, weight in reasons]


def columns(*, labelled: bool = True, deduped: bool = False, grouped: bool = False) -> list[str]:
    """The columns every row has: ``columns(labelled=False) -> [source, ..., age_minutes]``."""
    return [
        *HEADLINE_COLUMNS,
        *(LABEL_COLUMNS if labelled else ()),
        *(["label_count"] if grouped else []),
        *(SEEN_COLUMNS if deduped else ()),
    ]


def write_rows(
    rows: Iterable[Row], fh: TextIO, fmt: str, *, labelled: bool = True, deduped: bool = False
) -> int:
    """Write rows in ``fmt`` as they come; return how many were written.

    ``labelled`` and ``deduped`` say which columns the rows have, for the header of an empty
    CSV and the table's columns; ``deduped`` adds seen and seen_in.
    """
    notice = RenameNotice()
    exact = fmt == "parquet"
    return _write(
        (to_record(row, deduped=deduped, on_rename=notice, exact=exact) for row in rows),
        fh,
        fmt,
        header=columns(labelled=labelled, deduped=deduped),
        table=_table_columns(labelled=labelled, deduped=deduped),
        section=lambda record: str(record["source"]),
    )


def write_chunks(
    chunks: Iterable[Chunk], fh: TextIO, fmt: str, *, labelled: bool = True, deduped: bool = False
) -> int:
    """:func:`write_rows` for chunks of rows (``read_chunks``, ``predict_chunks``).

    The same output; a CSV of plain-list chunks is written a chunk at a time from their
    columns, without a record per row, which is most of the time a CSV would otherwise take,
    and so is Parquet of any chunks (:func:`chunk_columns`).
    """
    if fmt == "parquet":
        return _write_parquet(
            (chunk_columns(chunk, deduped=deduped) for chunk in chunks),
            fh,
            columns(labelled=labelled, deduped=deduped),
        )
    if fmt != "csv":
        return write_rows(
            (row for chunk in chunks for row in chunk.records()),
            fh,
            fmt,
            labelled=labelled,
            deduped=deduped,
        )
    out = _CsvOut(fh, columns(labelled=labelled, deduped=deduped))
    notice = RenameNotice()
    for chunk in chunks:
        if not len(chunk):
            continue
        if out.writer is None:
            out.start(to_record(_first_row(chunk), deduped=deduped, on_rename=notice))
        if not deduped and out.fieldnames == out.header and _is_plain(chunk):
            out.write_plain(chunk)
        else:
            out.write_records(
                to_record(row, deduped=deduped, on_rename=notice) for row in chunk.records()
            )
    return out.finish()


def write_groups(
    groups: Iterable[tuple[str, list[LabelledHeadline]]],
    fh: TextIO,
    fmt: str,
    *,
    deduped: bool = False,
) -> int:
    """Write labelled rows group by group (see ``selection.group_by_label``); return the count.

    A table gets a heading per label with its count (``sport (3)``) and a source column; CSV
    and JSON lines get the rows in group order with a label_count column.
    """
    groups = list(groups)
    width = max((len(r.headline.source) for _, rows in groups for r in rows), default=0)
    notice = RenameNotice()
    exact = fmt == "parquet"
    return _write(
        (
            to_record(r, deduped=deduped, label_count=len(rows), on_rename=notice, exact=exact)
            for _, rows in groups
            for r in rows
        ),
        fh,
        fmt,
        header=columns(deduped=deduped, grouped=True),
        table=_table_columns(labelled=True, deduped=deduped, source_width=width),
        section=lambda record: f"{record['label']} ({record['label_count']})",
    )


def _write(
    records: Iterator[dict[str, Any]],
    fh: TextIO,
    fmt: str,
    *,
    header: list[str],
    table: list[_TableColumn],
    section: Callable[[dict[str, Any]], str],
) -> int:
    if fmt not in OUTPUT_FORMATS:
        raise InputError(f"unknown --format '{fmt}'; choose one of {', '.join(OUTPUT_FORMATS)}")
    if fmt == "csv":
        return _write_csv(records, fh, header)
    if fmt == "jsonl":
        return _write_jsonl(records, fh)
    if fmt == "parquet":
        return _write_parquet(map(_record_columns, batched(records, CHUNK_SIZE)), fh, header)
    return _write_table(records, fh, table, section)


def _write_csv(records: Iterator[dict[str, Any]], fh: TextIO, header: list[str]) -> int:
    out = _CsvOut(fh, header)
    out.write_records(records)
    return out.finish()


class _CsvOut:
    """A CSV being written: the columns come from the first record (base columns, then its
    own fields); later records' other fields are left out, with one warning."""

    def __init__(self, fh: TextIO, header: list[str]) -> None:
        self.fh = fh
        self.header = header  # the columns every row has
        self.fieldnames: list[str] = []
        self.known: set[str] = set()  # the columns written, and those said to be left out
        self.writer: Any = None
        self.count = 0
        self.endings: dict[str, np.ndarray] = {}  # label -> its row endings (_label_cells)

    def start(self, first: dict[str, Any]) -> None:
        self.fieldnames = list(first)
        self.known = set(first)
        self.writer = csv.writer(self.fh, lineterminator="\n")
        self.writer.writerow(self.fieldnames)

    def write_records(self, records: Iterable[dict[str, Any]]) -> None:
        for record in records:
            if self.writer is None:
                self.start(record)
            left_out = record.keys() - self.known
            if left_out:
                # A CSV writer cannot add columns after its header; name each left out once.
                log.warning(
                    "columns %s of %s are not in the output; use --format jsonl",
                    ", ".join(sorted(left_out)),
                    record["source"],
                )
                self.known |= left_out
            self.writer.writerow([_csv_value(record.get(key, "")) for key in self.fieldnames])
            self.count += 1

    def write_plain(self, chunk: Chunk) -> None:
        """The rows of a plain-list chunk built from its columns, as the csv module would write
        their records (see :func:`_is_plain`), without a Python loop of our own per row:
        ``source,position,headline,,label,confidence`` with age_minutes empty."""
        head = chunk.chunk if isinstance(chunk, LabelledChunk) else chunk
        n = len(head.texts)
        columns: list[Any] = [None] * (5 * n)
        columns[0::5] = [_cell(head.source) + ","] * n
        columns[1::5] = map(str, range(head.start, head.start + n))
        columns[2::5] = [","] * n
        columns[3::5] = _cells(head.texts)
        if isinstance(chunk, LabelledChunk):
            columns[4::5] = self._label_cells(chunk.labels, chunk.confidences)
        else:
            columns[4::5] = [",\n"] * n
        self.fh.write("".join(columns))
        self.count += n

    def _label_cells(self, labels: list[str], confidences: list[float]) -> list[str]:
        """``",,sport,0.912\n"`` for each row: the empty age, the label and the confidence
        rounded to 3 decimals, looked up in a table per label rather than formatted per row
        (a few rows are formatted: the table would wait for numpy to load)."""
        thousandths = _thousandths(confidences) if len(labels) > _FORMATTED else None
        if thousandths is None:  # a few rows, or not probabilities: formatted one by one
            return [
                f",,{_cell(label)},{round(confidence, 3)!r}\n"
                for label, confidence in zip(labels, confidences, strict=True)
            ]
        import numpy as np

        names = list(dict.fromkeys(labels))
        index = {name: i for i, name in enumerate(names)}
        rows = np.fromiter(map(index.__getitem__, labels), dtype=np.intp, count=len(labels))
        table = np.array([self._endings(name) for name in names])
        endings: list[str] = table[rows, thousandths].tolist()
        return endings

    def _endings(self, label: str) -> np.ndarray:
        import numpy as np

        if label not in self.endings:
            cell = _cell(label)
            self.endings[label] = np.array(
                [f",,{cell},{text}\n" for text in _THOUSANDTHS], dtype=object
            )
        return self.endings[label]

    def finish(self) -> int:
        if self.writer is None:
            self.fh.write(",".join(self.header) + "\n")
        return self.count


def _is_plain(chunk: Chunk) -> bool:
    """A chunk of a plain list (no records, so no ages or extra fields) with no --top-k or
    --explain columns: its CSV rows are the base columns only."""
    head = chunk.chunk if isinstance(chunk, LabelledChunk) else chunk
    if head.headlines is not None or head.extras:
        return False
    return not isinstance(chunk, LabelledChunk) or not (chunk.alternatives or chunk.reasons)


def _first_row(chunk: Chunk) -> Row:
    """The first row of a chunk, without making a record of every row of a plain list."""
    head = chunk.chunk if isinstance(chunk, LabelledChunk) else chunk
    if head.headlines or head.extras:
        first = head.records()[0]
    else:
        first = Headline(head.texts[0], head.source, head.start)
    if not isinstance(chunk, LabelledChunk):
        return first
    return LabelledHeadline(
        first,
        chunk.labels[0],
        chunk.confidences[0],
        chunk.alternatives[0] if chunk.alternatives else (),
        chunk.reasons[0] if chunk.reasons else (),
    )


_FIELD = io.StringIO()
_FIELD_WRITER = csv.writer(_FIELD, lineterminator="\n")
# Label cells of up to this many rows are formatted one by one; more are looked up.
_FORMATTED = 1_000
# How round(x, 3) of a probability is written, for x*1000 rounded to 0 ... 1000.
_THOUSANDTHS = [repr(k / 1000) for k in range(1001)]


def _cell(text: str) -> str:
    """A text as the csv module writes it in a row: ``'a, b' -> '"a, b"'``, ``'a' -> 'a'``."""
    if "\r" in text or "\n" in text:  # line ends: let the csv module say how
        _FIELD.seek(0)
        _FIELD.truncate()
        _FIELD_WRITER.writerow(["", text])
        return _FIELD.getvalue()[1:-1]
    if "," in text or '"' in text:  # the delimiter or the quote: quoted, quotes doubled
        return '"' + text.replace('"', '""') + '"'
    return text


def _cells(texts: list[str]) -> list[str]:
    """:func:`_cell` of every text, finding the few that need quotes with ``str.find``,
    which scans in C far faster than a regular expression does."""
    joined = "\x00".join(texts)
    hits = []
    for char in ',"\r\n':
        at = joined.find(char)
        while at >= 0:
            hits.append(at)
            at = joined.find(char, at + 1)
    if not hits:
        return texts
    # Text i spans [start_i, start_i + len_i) of the joined string; ends_i is start_{i+1}.
    ends = list(accumulate(map((1).__add__, map(len, texts))))
    cells = list(texts)
    for i in sorted({bisect_right(ends, hit) for hit in hits}):
        cells[i] = _cell(texts[i])
    return cells


def _thousandths(values: list[float]) -> np.ndarray | None:
    """``round(x, 3) * 1000`` of each value as an integer: ``[0.1234, 1.0] -> [123, 1000]``;
    None unless every value is from 0 to 1.

    numpy rounds ``x * 1000``, which can land on the other side of a half from Python's exact
    ``round``; the few values near a half are rounded by Python.
    """
    import numpy as np

    scaled = np.asarray(values, dtype=np.float64) * 1000.0
    if len(scaled) and not (scaled.min() >= 0.0 and scaled.max() <= 1000.0):  # NaN too
        return None
    result = np.rint(scaled).astype(np.intp)
    near_half = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    for i in near_half.tolist():
        result[i] = round(round(values[i], 3) * 1000)
    return result


def _csv_value(value: Any) -> Any:
    """``["a", "b"] -> "a; b"``, ``{"x": 1} -> '{"x": 1}'``, ``True -> "true"``, ``3 -> 3``."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "; ".join(value)
    if isinstance(value, dict | list | bool):
        return json.dumps(value, ensure_ascii=False)
    return value


def _write_jsonl(records: Iterator[dict[str, Any]], fh: TextIO) -> int:
    count = 0
    for record in records:
        fh.write(json.dumps(record, ensure_ascii=False, default=_json_value) + "\n")
        count += 1
    return count


def _json_value(value: Any) -> Any:
    """What JSON lines make of a Parquet column's value that JSON has no type for: a time as
    ISO 8601 (``datetime(2025, 6, 2, 9, 30) -> "2025-06-02T09:30:00"``), else its text."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


# The types of the columns headlines makes; a pass-through column's comes from its values.
_PARQUET_TYPES = {
    "source": "string",
    "position": "int64",
    "headline": "string",
    "age_minutes": "int64",
    "label": "string",
    "confidence": "float64",
    "reasons": "list<string>",
    "label_count": "int64",
    "seen": "int64",
    "seen_in": "list<string>",
}


def chunk_columns(chunk: Chunk, *, deduped: bool = False) -> dict[str, list[Any]]:
    """The rows of a chunk as columns, named and ordered as :func:`to_record` names the
    fields of a row, the confidences unrounded; where a row lacks a field (fewer runners-up,
    no reasons, another source's columns) its column holds None.

    ``chunk_columns(HeadlineChunk(["PSV wint"], "a.txt"))``
    -> ``{"source": ["a.txt"], "position": [1], "headline": ["PSV wint"], "age_minutes": [None]}``
    """
    head = chunk.chunk if isinstance(chunk, LabelledChunk) else chunk
    size = len(head.texts)
    rows = head.headlines
    result: dict[str, list[Any]]
    if rows is None:
        result = {
            "source": [head.source] * size,
            "position": list(range(head.start, head.start + size)),
            "headline": head.texts,
            "age_minutes": [None] * size,
        }
    else:
        result = {
            "source": [h.source for h in rows],
            "position": [h.position for h in rows],
            "headline": [h.text for h in rows],
            "age_minutes": [h.age_minutes for h in rows],
        }
    if isinstance(chunk, LabelledChunk):
        result["label"] = chunk.labels
        result["confidence"] = chunk.confidences
        ranked = chunk.alternatives or []
        for rank in range(max(map(len, ranked), default=0)):
            result[f"label_{rank + 2}"] = [r[rank][0] if rank < len(r) else None for r in ranked]
            result[f"confidence_{rank + 2}"] = [
                r[rank][1] if rank < len(r) else None for r in ranked
            ]
        if chunk.reasons and any(chunk.reasons):
            result["reasons"] = [reason_texts(r) if r else None for r in chunk.reasons]
    if deduped:
        records = head.records()
        result["seen"] = [h.seen for h in records]
        result["seen_in"] = [list(h.seen_in or (h.source,)) for h in records]
    if rows is None:
        extras = head.extras or {}
    else:
        names = dict.fromkeys(name for h in rows for name in h.extra)
        extras = {name: [h.extra.get(name) for h in rows] for name in names}
    for name, values in extras.items():
        result.setdefault(name, values)
    return result


def _record_columns(records: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Records as columns, in the order their fields first come."""
    names = dict.fromkeys(name for record in records for name in record)
    return {name: [record.get(name) for record in records] for name in names}


def parquet_schema(columns: dict[str, list[Any]], names: list[str] | None = None) -> Any:
    """The Arrow schema of a Parquet output from its first columns (or of ``names`` when
    there are none): headlines' own columns typed as always, a pass-through column as its
    values are, and as text when they are all null.

    ``parquet_schema({"source": ["a"], "id": [7]})`` -> ``source: string, id: int64``
    """
    pa = require("pyarrow", "parquet", "writing Parquet")
    fields = []
    for name in list(columns) or names or []:
        kind = _PARQUET_TYPES.get(name) or _PARQUET_TYPES.get(name.rpartition("_")[0])
        if kind is not None:
            fields.append(pa.field(name, _arrow_type(pa, kind)))
            continue
        try:
            inferred = pa.array(columns[name]).type
        except (pa.ArrowException, OverflowError) as exc:
            raise _type_error(columns, name, exc) from None
        fields.append(pa.field(name, pa.string() if pa.types.is_null(inferred) else inferred))
    return pa.schema(fields)


def parquet_table(columns: dict[str, list[Any]], schema: Any) -> Any:
    """The columns as an Arrow table of ``schema``: a column the schema lacks is left out,
    one it has and the columns lack is null, a value of another type is an error naming
    its column."""
    pa = require("pyarrow", "parquet", "writing Parquet")
    size = len(next(iter(columns.values()), []))
    arrays = []
    for field in schema:
        try:
            arrays.append(pa.array(columns.get(field.name, [None] * size), type=field.type))
        except (pa.ArrowException, OverflowError) as exc:
            raise _type_error(columns, field.name, exc, field.type) from None
    return pa.Table.from_arrays(arrays, schema=schema)


def _arrow_type(pa: Any, kind: str) -> Any:
    if kind == "list<string>":
        return pa.list_(pa.string())
    return pa.type_for_alias(kind)


def _type_error(
    columns: dict[str, list[Any]], name: str, exc: BaseException, kind: Any = None
) -> InputError:
    why = " ".join(str(exc).split())
    sources = columns.get("source") or [None]
    where = f"{sources[0]}: " if sources[0] else ""
    earlier = f" but earlier rows made it {kind}" if kind is not None else ""
    return InputError(
        f"{where}column '{name}' holds values Parquet cannot store in one column ({why}){earlier}; "
        "write --format jsonl, or give the column one type"
    )


def _write_parquet(batches: Iterable[dict[str, list[Any]]], fh: Any, header: list[str]) -> int:
    """Write batches of columns as Parquet to a binary file, or to the bytes under a text
    file, in row groups of about 10,000 rows; the first batch with rows decides the schema."""
    pa = require("pyarrow", "parquet", "writing Parquet")
    pq = require("pyarrow.parquet", "parquet", "writing Parquet")
    if isinstance(fh, io.TextIOBase):
        fh.flush()
        fh = fh.buffer  # type: ignore[attr-defined]
    writer: Any = None
    schema: Any = None
    pending: list[Any] = []  # tables not yet written, fewer than a row group's rows
    warned: set[str] = set()
    count = 0
    try:
        for batch in batches:
            size = len(batch["source"])
            if not size:
                continue
            if schema is None:
                schema = parquet_schema(batch)
                writer = pq.ParquetWriter(fh, schema)
            left_out = batch.keys() - set(schema.names) - warned
            if left_out:
                warned |= left_out
                # A Parquet file cannot add columns after its schema; name what is left out.
                log.warning(
                    "columns %s of %s are not in the output; use --format jsonl",
                    ", ".join(sorted(left_out)),
                    batch["source"][0],
                )
            pending.append(parquet_table(batch, schema))
            count += size
            if sum(t.num_rows for t in pending) >= CHUNK_SIZE:
                writer.write_table(pa.concat_tables(pending))
                pending = []
        if writer is None:
            writer = pq.ParquetWriter(fh, parquet_schema({}, header))
        elif pending:
            writer.write_table(pa.concat_tables(pending))
    finally:
        if writer is not None:  # now, while its file is open, not when it is collected
            writer.close()
    return count


# A table column before the headline: its heading, its format spec, and its cell's text.
_TableColumn = tuple[str, str, Callable[[dict[str, Any]], Any]]


def _table_columns(
    *, labelled: bool, deduped: bool, source_width: int | None = None
) -> list[_TableColumn]:
    """The table's columns; with ``source_width`` (grouped) a source column replaces label."""
    table: list[_TableColumn] = []
    if source_width is not None:
        table.append(("source", f"<{source_width}", lambda r: r["source"]))
    table.append(("#", ">4", lambda r: r["position"]))
    table.append(("age", ">5", lambda r: age_text(r["age_minutes"])))
    if labelled and source_width is None:
        table.append(("label", "<13", lambda r: r["label"]))
    if labelled:
        table.append(("conf", ">4", lambda r: f"{r['confidence']:.2f}"))
    if deduped:
        table.append(("seen", ">4", lambda r: r["seen"]))
    return table


def _write_table(
    records: Iterator[dict[str, Any]],
    fh: TextIO,
    table: list[_TableColumn],
    section: Callable[[dict[str, Any]], str],
) -> int:
    count = 0
    heading = None
    for record in records:
        if section(record) != heading:
            heading = section(record)
            fh.write(f"{'' if count == 0 else chr(10)}{printable(heading)}\n")
            fh.write("  ".join([*(f"{title:{spec}}" for title, spec, _ in table), "headline"]))
            fh.write("\n")
        # Text from a feed is shown, never obeyed: an escape sequence in a headline would
        # clear the screen or retitle the window.
        cells = [f"{printable(str(cell(record))):{spec}}" for _, spec, cell in table]
        notes = _table_notes(record)
        fh.write(printable("  ".join([*cells, record["headline"], *notes])) + "\n")
        count += 1
    return count


def _table_notes(record: dict[str, Any]) -> list[str]:
    """What --top-k and --explain add after a table row's headline."""
    notes = []
    rank = 2
    while f"label_{rank}" in record:
        notes.append(f"| {record[f'label_{rank}']} {record[f'confidence_{rank}']:.2f}")
        rank += 1
    if record.get("reasons"):
        notes.append("| " + ", ".join(record["reasons"]))
    return notes


def age_text(minutes: int | None) -> str:
    """``None -> ""``, ``45 -> "45m"``, ``120 -> "2h"``, ``2880 -> "2d"``."""
    if minutes is None:
        return ""
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 1440:
        return f"{minutes // 60}h"
    return f"{minutes // 1440}d"
