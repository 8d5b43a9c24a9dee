"""Labelled records -> CSV, JSON lines, or an aligned table for a terminal.

Covers: the output formats and their columns. Does not cover: deciding which format a
terminal gets (cli.py) or labelling (labelling.py).

Columns: source, position, headline, age_minutes, label, confidence, then a CSV input's
other columns. ``write_rows(rows, sys.stdout, "csv")`` writes::

    source,position,headline,age_minutes,label,confidence
    page.txt,1,PSV wint met 3-0,120,sport,0.934
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterable
from typing import Any, TextIO

from .errors import InputError
from .labelling import LabelledHeadline

OUTPUT_FORMATS = ("table", "csv", "jsonl")
BASE_COLUMNS = ("source", "position", "headline", "age_minutes", "label", "confidence")

log = logging.getLogger(__name__)


def to_record(row: LabelledHeadline) -> dict[str, Any]:
    """One output row as a dict, base columns first, then pass-through columns."""
    h = row.headline
    record: dict[str, Any] = {
        "source": h.source,
        "position": h.position,
        "headline": h.text,
        "age_minutes": h.age_minutes,
        "label": row.label,
        "confidence": round(row.confidence, 3),
    }
    for key, value in h.extra.items():
        record.setdefault(key, value)
    return record


def write_rows(rows: Iterable[LabelledHeadline], fh: TextIO, fmt: str) -> int:
    """Write rows in ``fmt`` as they come; return how many were written."""
    if fmt not in OUTPUT_FORMATS:
        raise InputError(f"unknown --format '{fmt}'; choose one of {', '.join(OUTPUT_FORMATS)}")
    writer = {"csv": _write_csv, "jsonl": _write_jsonl, "table": _write_table}[fmt]
    return writer(rows, fh)


def _write_csv(rows: Iterable[LabelledHeadline], fh: TextIO) -> int:
    writer: csv.DictWriter[str] | None = None
    count = 0
    warned = False
    for row in rows:
        record = to_record(row)
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
                row.headline.source,
            )
            warned = True
        writer.writerow(record)
        count += 1
    if writer is None:
        fh.write(",".join(BASE_COLUMNS) + "\n")
    return count


def _write_jsonl(rows: Iterable[LabelledHeadline], fh: TextIO) -> int:
    count = 0
    for row in rows:
        fh.write(json.dumps(to_record(row), ensure_ascii=False) + "\n")
        count += 1
    return count


def _write_table(rows: Iterable[LabelledHeadline], fh: TextIO) -> int:
    count = 0
    source = None
    for row in rows:
        h = row.headline
        if h.source != source:
            source = h.source
            fh.write(f"{'' if count == 0 else chr(10)}{source}\n")
            fh.write(f"{'#':>4}  {'age':>5}  {'label':<13}  {'conf':>4}  headline\n")
        fh.write(
            f"{h.position:>4}  {_age(h.age_minutes):>5}  {row.label:<13}  "
            f"{row.confidence:>4.2f}  {h.text}\n"
        )
        count += 1
    return count


def _age(minutes: int | None) -> str:
    """``None -> ""``, ``45 -> "45m"``, ``120 -> "2h"``, ``2880 -> "2d"``."""
    if minutes is None:
        return ""
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 1440:
        return f"{minutes // 60}h"
    return f"{minutes // 1440}d"
