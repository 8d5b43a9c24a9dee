"""Headline records, labelled or not -> CSV, JSON lines, or an aligned table for a terminal.

Covers: the output formats, their columns, and how grouped rows are shown. Does not cover:
deciding which format a terminal gets (cli.py), labelling (labelling.py), or choosing, ordering
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
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from .errors import InputError
from .feeds import Headline
from .labelling import LabelledHeadline

OUTPUT_FORMATS = ("table", "csv", "jsonl")
HEADLINE_COLUMNS = ("source", "position", "headline", "age_minutes")
LABEL_COLUMNS = ("label", "confidence")
SEEN_COLUMNS = ("seen", "seen_in")

Row = Headline | LabelledHeadline

log = logging.getLogger(__name__)


def to_record(row: Row, *, deduped: bool = False, label_count: int | None = None) -> dict[str, Any]:
    """One output row as a dict, base columns first, then pass-through columns.

    ``Headline("PSV wint", "a.txt", 1, extra={"id": "7"})``
    -> ``{"source": "a.txt", "position": 1, "headline": "PSV wint", "age_minutes": None,
    "id": "7"}``
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
        record["confidence"] = round(row.confidence, 3)
        for rank, (label, probability) in enumerate(row.alternatives, start=2):
            record[f"label_{rank}"] = label
            record[f"confidence_{rank}"] = round(probability, 3)
        if row.reasons:
            record["reasons"] = [f"{name} {weight:+.2f}" for name, weight in row.reasons]
    if label_count is not None:
        record["label_count"] = label_count
    if deduped:
        record["seen"] = h.seen
        record["seen_in"] = list(h.seen_in or (h.source,))
    for key, value in h.extra.items():
        record.setdefault(key, value)
    return record


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
    return _write(
        (to_record(row, deduped=deduped) for row in rows),
        fh,
        fmt,
        header=columns(labelled=labelled, deduped=deduped),
        table=_table_columns(labelled=labelled, deduped=deduped),
        section=lambda record: str(record["source"]),
    )


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
    return _write(
        (to_record(r, deduped=deduped, label_count=len(rows)) for _, rows in groups for r in rows),
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
    return _write_table(records, fh, table, section)


def _write_csv(records: Iterator[dict[str, Any]], fh: TextIO, header: list[str]) -> int:
    writer: csv.DictWriter[str] | None = None
    count = 0
    warned = False
    for record in records:
        if writer is None:
            writer = csv.DictWriter(
                fh, fieldnames=list(record), lineterminator="\n", extrasaction="ignore"
            )
            writer.writeheader()
        elif not warned and record.keys() - set(writer.fieldnames):
            # A CSV writer cannot add columns after its header; name what is left out once.
            extra = sorted(record.keys() - set(writer.fieldnames))
            log.warning(
                "columns %s of %s are not in the output; use --format jsonl",
                ", ".join(extra),
                record["source"],
            )
            warned = True
        writer.writerow({key: _csv_value(value) for key, value in record.items()})
        count += 1
    if writer is None:
        fh.write(",".join(header) + "\n")
    return count


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
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
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
    table.append(("age", ">5", lambda r: _age(r["age_minutes"])))
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
            fh.write(f"{'' if count == 0 else chr(10)}{heading}\n")
            fh.write("  ".join([*(f"{title:{spec}}" for title, spec, _ in table), "headline"]))
            fh.write("\n")
        cells = [f"{cell(record):{spec}}" for _, spec, cell in table]
        fh.write("  ".join([*cells, record["headline"], *_table_notes(record)]) + "\n")
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


def _age(minutes: int | None) -> str:
    """``None -> ""``, ``45 -> "45m"``, ``120 -> "2h"``, ``2880 -> "2d"``."""
    if minutes is None:
        return ""
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 1440:
        return f"{minutes // 60}h"
    return f"{minutes // 1440}d"
