"""headlines: sort news portals' "OTHER NEWS" lists into topics, and drop the crypto spam.

The public API; the command line (``headlines``) is a thin layer over these functions.

>>> from headlines import load_default_model, parse_feed
>>> model = load_default_model()
>>> model.predict([h.text for h in parse_feed("PSV wint van Ajax\\n")])
(['sport'], array([0.9...]))
"""

from __future__ import annotations

from ._version import __version__
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
    "label_headlines",
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
