"""headlines: sort news portals' "OTHER NEWS" lists into topics, and drop the crypto spam.

The public API; the command line (``headlines``) is a thin layer over these functions.
The stable core is in api.py: :func:`load`, :func:`label_texts`, :func:`label_frame` and
:func:`label_dask`.

>>> import headlines
>>> model = headlines.load()
>>> [row.label for row in headlines.label_texts(["PSV wint van Ajax"], model=model)]
['sport']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

# Each public name and the module it lives in. They are imported when first used, so that
# `import headlines` (and the command line, which imports it first) costs next to nothing and
# labelling with a saved model never loads scikit-learn.
_PUBLIC = {
    "label_dask": "api",
    "label_frame": "api",
    "label_texts": "api",
    "load": "api",
    "ModelCard": "card",
    "Columns": "dataset",
    "Dataset": "dataset",
    "load_dataset": "dataset",
    "default_model_path": "defaults",
    "load_default_model": "defaults",
    "HeadlinesError": "errors",
    "InputError": "errors",
    "ModelError": "errors",
    "OptionError": "errors",
    "expand_inputs": "feeds",
    "parse_feed": "feeds",
    "read_chunks": "feeds",
    "read_feed": "feeds",
    "read_feeds": "feeds",
    "Model": "model",
    "Reading": "feeds",
    "build_pipeline": "pipeline",
    "load_model": "persistence",
    "read_card": "persistence",
    "save_model": "persistence",
    "Labelling": "predicting",
    "label_chunks": "predicting",
    "label_headlines": "predicting",
    "parse_chunks": "feeds",
    "predict_chunks": "predicting",
    "predict_groups": "predicting",
    "Progress": "progress",
    "Headline": "records",
    "HeadlineChunk": "records",
    "LabelledChunk": "records",
    "LabelledHeadline": "records",
    "dedupe_headlines": "selection",
    "filter_labels": "selection",
    "group_by_label": "selection",
    "TrainResult": "training",
    "train": "training",
}

if TYPE_CHECKING:
    from .api import label_dask, label_frame, label_texts, load
    from .card import ModelCard
    from .dataset import Columns, Dataset, load_dataset
    from .defaults import default_model_path, load_default_model
    from .errors import HeadlinesError, InputError, ModelError, OptionError
    from .feeds import (
        Reading,
        expand_inputs,
        parse_chunks,
        parse_feed,
        read_chunks,
        read_feed,
        read_feeds,
    )
    from .model import Model
    from .persistence import load_model, read_card, save_model
    from .pipeline import build_pipeline
    from .predicting import (
        Labelling,
        label_chunks,
        label_headlines,
        predict_chunks,
        predict_groups,
    )
    from .progress import Progress
    from .records import Headline, HeadlineChunk, LabelledChunk, LabelledHeadline
    from .selection import dedupe_headlines, filter_labels, group_by_label
    from .training import TrainResult, train


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])


__all__ = [
    "Columns",
    "Dataset",
    "Headline",
    "HeadlineChunk",
    "HeadlinesError",
    "InputError",
    "LabelledChunk",
    "LabelledHeadline",
    "Labelling",
    "Model",
    "ModelCard",
    "ModelError",
    "OptionError",
    "Progress",
    "Reading",
    "TrainResult",
    "__version__",
    "build_pipeline",
    "dedupe_headlines",
    "default_model_path",
    "expand_inputs",
    "filter_labels",
    "group_by_label",
    "label_chunks",
    "label_dask",
    "label_frame",
    "label_headlines",
    "label_texts",
    "load",
    "load_dataset",
    "load_default_model",
    "load_model",
    "parse_chunks",
    "parse_feed",
    "predict_chunks",
    "predict_groups",
    "read_card",
    "read_chunks",
    "read_feed",
    "read_feeds",
    "save_model",
    "train",
]
