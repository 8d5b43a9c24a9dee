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

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from .defaults import load_default_model, open_default_model
from .frames import label_all
from .frames import label_frame as label_frame_with
from .persistence import ModelFile, load_model, open_model
from .records import LabelledHeadline

# Imported when used (label_dask: see __getattr__): numpy and the output writers come with
# them, and labelling a few texts from a file needs neither.
if TYPE_CHECKING:
    from .cluster import label_dask
    from .model import Model

ModelLike: TypeAlias = "Model | str | Path | None"

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

    Given a model file or None (the default model), a few texts (up to 100, of about 10,000
    characters in all) are labelled from the file in plain Python, without loading numpy,
    which a single call from a script notices; the probabilities then equal a loaded
    model's to about 1e-15, and the labels are the same.

    ``label_texts(["PSV wint van Ajax"], top_k=1)``
    -> ``[LabelledHeadline(label="sport", confidence=0.97, alternatives=(("crime", 0.01),))]``
    """
    labelled = label_all(
        _opened(model),
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
    opened = _opened(model)
    return opened.load() if isinstance(opened, ModelFile) else opened


def _opened(model: ModelLike) -> Model | ModelFile:
    """A model as it is, or its file checked but not loaded: a few texts are labelled from
    the file in plain Python (few.py), without numpy."""
    if model is None:
        return open_default_model()
    if isinstance(model, (str, os.PathLike)):
        return open_model(model)
    return model


def __getattr__(name: str) -> Any:
    """``label_dask``, from cluster.py when first used."""
    if name == "label_dask":
        from .cluster import label_dask

        return label_dask
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
