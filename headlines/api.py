"""The Python API: load a model, label texts, label a column of a pandas or Dask DataFrame.

Covers: the few functions that code of your own calls, with the options of
``headlines predict`` under their Python names; re-exported by ``headlines``. Their names,
parameters and results stay as they are within a major version. Does not cover: how
labels are computed (frames.py, predicting.py, model.py).

    >>> import headlines
    >>> model = headlines.load()                     # the default model, or load("my.joblib")
    >>> [row.label for row in headlines.label_texts(["PSV wint van Ajax"], model=model)]
    ['sport']

``label_frame(frame, "title")`` returns the frame with ``label`` and ``confidence`` added,
and ``label_dask(frame, "title", model="my.joblib")`` a Dask DataFrame with them, each worker
loading the model once (cluster.py). pandas comes with ``pip install 'headlines[pandas]'``,
Dask with ``pip install 'headlines[dask]'``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .cluster import label_dask
from .defaults import load_default_model
from .frames import label_all
from .frames import label_frame as label_frame_with
from .model import Model
from .persistence import load_model
from .records import LabelledHeadline

ModelLike = Model | str | Path | None

__all__ = ["label_dask", "label_frame", "label_texts", "load"]


def load(path: str | Path | None = None) -> Model:
    """The model in the file ``path``, or the shipped default model when None (trained and
    cached on first use, which takes about a minute once).

    Load a model once and pass it to the labelling functions as ``model=``; each call that
    is given no model loads the default one again.
    """
    return load_default_model() if path is None else load_model(path)


def label_texts(
    texts: Sequence[str],
    *,
    model: ModelLike = None,
    priors: str = "feed",
    min_confidence: float | str = 0.0,
    top_k: int = 0,
    reasons: int = 0,
) -> list[LabelledHeadline]:
    """Label each text; one result per text, in order.

    Each result has ``label`` and ``confidence``, ``alternatives`` (the next ``top_k``
    labels with their probabilities) and ``reasons`` (``reasons`` n-grams with their share
    of the score), and ``headline.text``, the text. ``model`` is a :class:`Model`, a model
    file, or None for the default model. ``priors``: ``"feed"`` adjusts the probabilities
    to the label shares of the texts themselves (their first 10,000), ``"train"`` keeps the
    training data's, or a file of ``label,share`` lines. Below ``min_confidence`` (a
    probability, or ``"auto"`` for the card's per-label thresholds) the label is
    ``unknown``; a blank text is ``unknown`` with confidence 0.

    ``label_texts(["PSV wint van Ajax"], top_k=1)``
    -> ``[LabelledHeadline(label="sport", confidence=0.97, alternatives=(("crime", 0.01),))]``
    """
    labelled = label_all(
        _model(model),
        texts,
        priors=priors,
        min_confidence=min_confidence,
        top_k=top_k,
        reasons=reasons,
    )
    return list(labelled.records())


def label_frame(
    frame: Any,
    column: str = "headline",
    *,
    model: ModelLike = None,
    priors: str = "feed",
    min_confidence: float | str = 0.0,
    top_k: int = 0,
    reasons: int = 0,
) -> Any:
    """A copy of a pandas DataFrame with ``label`` and ``confidence`` columns added, from the
    texts in ``column``; with ``top_k`` also ``label_2``, ``confidence_2``, ..., with
    ``reasons`` a ``reasons`` column of lists of texts. Columns of those names are
    replaced; the index and the other columns are kept. The options are those of
    :func:`label_texts`.

    ``label_frame(DataFrame({"title": ["PSV wint"], "site": ["nos"]}), "title")``
    -> columns ``title, site, label, confidence``
    """
    return label_frame_with(
        _model(model),
        frame,
        column,
        priors=priors,
        min_confidence=min_confidence,
        top_k=top_k,
        reasons=reasons,
    )


def _model(model: ModelLike) -> Model:
    return model if isinstance(model, Model) else load(model)
