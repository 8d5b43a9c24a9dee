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

from ._version import __version__
from .api import label_dask, label_frame, label_texts, load
from .card import ModelCard
from .dataset import Dataset, load_dataset
from .defaults import default_model_path, load_default_model
from .errors import HeadlinesError, InputError, ModelError, OptionError
from .feeds import expand_inputs, parse_feed, read_chunks, read_feed, read_feeds
from .model import Model, build_pipeline
from .persistence import load_model, read_card, save_model
from .predicting import (
    label_chunks,
    label_headlines,
    parse_chunks,
    predict_chunks,
    predict_groups,
)
from .progress import Progress
from .records import Headline, HeadlineChunk, LabelledChunk, LabelledHeadline
from .selection import dedupe_headlines, filter_labels, group_by_label
from .training import TrainResult, train

__all__ = [
    "Dataset",
    "Headline",
    "HeadlineChunk",
    "HeadlinesError",
    "InputError",
    "LabelledChunk",
    "LabelledHeadline",
    "Model",
    "ModelCard",
    "ModelError",
    "OptionError",
    "Progress",
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
