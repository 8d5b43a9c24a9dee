"""Texts in memory and pandas DataFrames -> labels, as columns: the core of the Python API.

Covers: labelling a sequence of texts in one call (label shares, abstaining, top-k and
reasons as ``headlines predict`` has them) and adding the labels to a DataFrame as columns.
Missing and blank texts are labelled ``unknown`` with confidence 0, so every row gets a
label and the columns keep one type. pandas is imported only by the functions that take or
make a frame (``headlines[pandas]``). Does not cover: loading models (api.py), Dask
(cluster.py) or reading feeds (feeds/).

``label_frame(model, DataFrame({"headline": ["PSV wint", None]}))``
-> the frame with ``label`` ``["sport", "unknown"]`` and ``confidence`` ``[0.93, 0.0]``
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .errors import OptionError
from .extras import require
from .few import FewModel, few_or_loaded
from .output import reason_texts
from .predicting import Labelling, check_options, label_opened
from .priors import read_shares
from .records import CHUNK_SIZE, UNKNOWN, HeadlineChunk, LabelledChunk, batched

if TYPE_CHECKING:
    from .model import Model
    from .persistence import ModelFile


def label_all(
    model: Model | ModelFile,
    texts: Sequence[Any],
    *,
    priors: str = "feed",
    min_confidence: float | str = 0.0,
    top_k: int = 0,
    reasons: int = 0,
    chunk_size: int = CHUNK_SIZE,
) -> LabelledChunk:
    """A label for every text, in order, as columns.

    The options are those of ``headlines predict``: ``priors`` ``"feed"`` (the label shares
    of the first ``chunk_size`` texts), ``"train"`` or a file of ``label,share`` lines;
    ``min_confidence`` a probability or ``"auto"``; ``top_k`` the next labels; ``reasons``
    how many n-grams per text. A text that is not a string, or only white space, gets
    ``unknown`` with confidence 0 (and ``unknown`` 0 as each next label, no reasons).
    ``label_all(model, ["PSV wint", ""]).labels -> ["sport", "unknown"]``

    ``model`` may be a :class:`~headlines.persistence.ModelFile` not loaded yet: a few short
    texts (:data:`~headlines.few.FEW`) are then labelled in plain Python, without numpy,
    with the same labels and probabilities equal to about 1e-15.
    """
    kept = [i for i, text in enumerate(texts) if isinstance(text, str) and text.strip()]
    kept_texts = [texts[i] for i in kept]
    opened = few_or_loaded(model, [HeadlineChunk(kept_texts)] if kept_texts else [])
    check_label_options(opened, min_confidence=min_confidence, top_k=top_k, reasons=reasons)
    parts = list(
        label_opened(
            opened,
            (HeadlineChunk(batch) for batch in batched(kept_texts, chunk_size)),
            Labelling(min_confidence=min_confidence, priors=priors, top_k=top_k, explain=reasons),
            fixed=read_shares(priors, opened.labels),
            chunk_size=chunk_size,
        )
    )
    labels = [label for part in parts for label in part.labels]
    confidences = [value for part in parts for value in part.confidences]
    alternatives = [alt for part in parts for alt in part.alternatives or ()] if top_k else None
    why = [reason for part in parts for reason in part.reasons or ()] if reasons else None
    if len(kept) < len(texts):
        ranks = min(top_k, len(opened.labels) - 1)  # a model of n labels has n - 1 runners-up
        labels, confidences, alternatives, why = _with_blanks(
            len(texts), kept, ranks, labels, confidences, alternatives, why
        )
    shown = [text if isinstance(text, str) else "" for text in texts]
    return LabelledChunk(HeadlineChunk(shown), labels, confidences, alternatives, why)


def check_label_options(
    model: Model | FewModel, *, min_confidence: float | str = 0.0, top_k: int = 0, reasons: int = 0
) -> None:
    """Raise :class:`OptionError` on an option :func:`label_all` cannot use."""
    check_options(model, min_confidence, top_k, 1)
    if reasons < 0:
        raise OptionError("reasons", f"{{name}} {reasons}: use 0 or more")


def _with_blanks(
    size: int,
    kept: list[int],
    top_k: int,
    labels: list[str],
    confidences: list[float],
    alternatives: list[tuple[tuple[str, float], ...]] | None,
    reasons: list[tuple[tuple[str, float], ...]] | None,
) -> tuple[list[Any], list[Any], Any, Any]:
    """The columns of the kept texts spread over all ``size`` rows, blanks filled in."""

    def spread(values: list[Any] | None, blank: Any) -> list[Any] | None:
        if values is None:
            return None
        column = [blank] * size
        for at, value in zip(kept, values, strict=True):
            column[at] = value
        return column

    nothing = ((UNKNOWN, 0.0),) * top_k
    return (
        spread(labels, UNKNOWN) or [],
        spread(confidences, 0.0) or [],
        spread(alternatives, nothing),
        spread(reasons, ()),
    )


def label_columns(labelled: LabelledChunk, top_k: int = 0) -> dict[str, list[Any]]:
    """The output columns of labelled texts, named as ``headlines predict`` names them, with
    ``top_k`` runners-up (at most one less than the model has labels):
    ``{"label": [...], "confidence": [...], "label_2": [...], "confidence_2": [...],
    "reasons": [["'knmi' +0.41", ...], ...]}`` (the last two with top_k and reasons)."""
    columns: dict[str, list[Any]] = {
        "label": labelled.labels,
        "confidence": labelled.confidences,
    }
    if top_k:
        ranked = labelled.alternatives or []
        for rank in range(top_k):
            columns[f"label_{rank + 2}"] = [row[rank][0] for row in ranked]
            columns[f"confidence_{rank + 2}"] = [row[rank][1] for row in ranked]
    if labelled.reasons is not None:
        columns["reasons"] = [reason_texts(row) for row in labelled.reasons]
    return columns


def label_frame(
    model: Model,
    frame: Any,
    column: str = "headline",
    **options: Any,
) -> Any:
    """A copy of a pandas DataFrame with the label of each row's ``column`` added as columns.

    Adds ``label`` and ``confidence`` (and ``label_2``, ``confidence_2``, ... with ``top_k``,
    ``reasons`` with ``reasons``), replacing columns of those names; the index and the other
    columns are kept. The options are those of :func:`label_all`.
    """
    pd = require("pandas", "pandas", "labelling a DataFrame")
    if not isinstance(frame, pd.DataFrame):
        raise OptionError("frame", f"{{name}}: a pandas DataFrame, not {type(frame).__name__}")
    if column not in frame.columns:
        shown = ", ".join(map(str, frame.columns)) or "none"
        raise OptionError("column", f"{{name}} '{column}': no such column (columns: {shown})")
    labelled = label_all(model, frame[column].tolist(), **options)
    text = pd.Series(["x"]).dtype  # what this pandas makes of strings, also for no rows
    out = frame.copy()
    ranks = min(options.get("top_k", 0), len(model.labels) - 1)
    for name, values in label_columns(labelled, ranks).items():
        kind = name.partition("_")[0]
        dtype = {"label": text, "confidence": "float64"}.get(kind, object)
        out[name] = pd.Series(values, index=frame.index, dtype=dtype)
    return out
