"""Saving and loading models: the model file, its card, and atomic replacement.

Covers: the model file format and the checks made before anything is unpickled. Does not
cover: the card itself (card.py), atomic writes (files.py), fitting (training.py) or the
default model's cache (defaults.py).

A model file is three parts, so that the card can be read and checked without unpickling::

    headlines-model v1\\n              <- magic line with the format version
    {"format_version": 1, ...}\\n      <- the model card as one JSON line
    <payload>                         <- the fitted Pipeline; its sha256 is in the card

The card's ``model_format`` says what the payload is, and loading follows it:

- ``joblib`` (the default): a pickle. Unpickling runs whatever code the file names, and the
  sha256 only proves the payload matches its card, not who wrote it: load only your own
  model files, or ones from people you trust.
- ``skops`` (``pip install 'headlines[skops]'``): the skops format, which builds objects
  without running code from the file. Every type in it must be on :data:`SKOPS_TRUSTED`,
  the types headlines' own pipelines are made of; anything else is refused before loading.
  Use it for models passed between people.

A readable copy of the card is written beside the model as ``NAME.card.json``.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import importlib.metadata
import io
import json
import warnings
import zipfile
from pathlib import Path
from typing import Any

import joblib
import sklearn

from .card import FORMAT_VERSION, ModelCard, card_path
from .errors import HeadlinesError, InputError, ModelError
from .files import atomic_write, locked, open_file, write_target
from .model import Model

MAGIC = b"headlines-model v%d\n"
_MAGIC_PREFIX = b"headlines-model v"
MODEL_FORMATS = ("joblib", "skops")
SKOPS_EXTRA = "pip install 'headlines[skops]'"

# The types the pipelines of model.py are made of, and plain data. A skops file naming any
# other type is refused; a new classifier or feature set adds its types here (a test that
# saves every combination as skops says which).
SKOPS_TRUSTED = (
    "builtins.bool",
    "builtins.dict",
    "builtins.float",
    "builtins.int",
    "builtins.list",
    "builtins.str",
    "builtins.tuple",
    "numpy.dtype",
    "numpy.float64",
    "numpy.int64",
    "numpy.ndarray",
    "headlines.calibration.CalibratedLinear",
    "headlines.features.HeadlineVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.linear_model._sgd_fast.ModifiedHuber",
    "headlines.model.PassCappedSGD",
    "sklearn.linear_model._stochastic_gradient.SGDClassifier",
    "sklearn.naive_bayes.ComplementNB",
    "sklearn.pipeline.Pipeline",
    "sklearn.svm._classes.LinearSVC",
)


class ModelVersionWarning(UserWarning):
    """The model was saved under other library versions than the ones installed."""


def model_format_for(path: str | Path, model_format: str | None = None) -> str:
    """The payload format to save in: the one asked for, else ``skops`` for a .skops name.

    ``model_format_for("m.skops") -> "skops"``, ``model_format_for("m.joblib") -> "joblib"``.
    Raises when the format is unknown, or is skops and skops is not installed.
    """
    fmt = model_format or ("skops" if Path(path).suffix.lower() == ".skops" else "joblib")
    if fmt not in MODEL_FORMATS:
        raise InputError(
            f"unknown --model-format '{fmt}'; choose one of {', '.join(MODEL_FORMATS)}"
        )
    if fmt == "skops":
        _skops_io()
    return fmt


def save_model(model: Model, path: str | Path, *, model_format: str | None = None) -> ModelCard:
    """Write the model file and its card, each replaced atomically; return the final card.

    The payload is joblib or skops (see :func:`model_format_for` and the module docstring).
    Saves into one folder take turns, so two ``train`` runs to one path leave the model and
    its readable card from the same run. The model is renamed into place first: it carries
    its own card, so a crash between the two renames leaves at worst a stale readable copy.
    """
    path = Path(path)
    fmt = model_format_for(path, model_format)
    if fmt == "skops":
        skops_io = _skops_io()
        payload = skops_io.dumps(model.pipeline)
        model.card.versions["skops"] = importlib.metadata.version("skops")
    else:
        buffer = io.BytesIO()
        joblib.dump(model.pipeline, buffer)
        payload = buffer.getvalue()
    model.card.model_format = fmt
    model.card.model_sha256 = hashlib.sha256(payload).hexdigest()
    card = model.card.to_dict()
    target = write_target(path)
    with locked(target.parent):
        # Saves here take turns, so a temporary file of ours left now is one a killed run left.
        for stale in (target, card_path(target)):
            for leftover in stale.parent.glob(f".{glob.escape(stale.name)}.*.tmp"):
                with contextlib.suppress(OSError):
                    leftover.unlink()
        _write_model(target, card, payload)
    return model.card


def _write_model(path: Path, card: dict[str, Any], payload: bytes) -> None:
    with (
        atomic_write(card_path(path)) as card_fh,
        atomic_write(path) as fh,
    ):
        fh.write(MAGIC % FORMAT_VERSION)
        fh.write(json.dumps(card, ensure_ascii=False).encode("utf-8") + b"\n")
        fh.write(payload)
        card_fh.write(json.dumps(card, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")


def read_card(path: str | Path) -> ModelCard:
    """Read and check a model file's card without unpickling anything."""
    card, _ = _read_parts(Path(path), with_payload=False)
    return card


def load_model(path: str | Path) -> Model:
    """Load a model file after checking its format version and the payload's sha256.

    Warns with :class:`ModelVersionWarning` when it was saved under another scikit-learn.
    """
    path = Path(path)
    card, payload = _read_parts(path, with_payload=True)
    saved = card.versions.get("scikit-learn")
    if saved != sklearn.__version__:
        warnings.warn(
            f"{path}: saved with scikit-learn {saved}, running {sklearn.__version__}; "
            "predictions may differ, retrain it with 'headlines train'",
            ModelVersionWarning,
            stacklevel=2,
        )
    if card.model_format not in MODEL_FORMATS:
        raise ModelError(
            f"{path}: model payload in format '{card.model_format}', this headlines reads "
            f"{', '.join(MODEL_FORMATS)}; upgrade headlines, or retrain it"
        )
    if card.model_format == "skops":
        _check_skops_types(path, payload)
    try:
        with warnings.catch_warnings():
            # The version mismatch was reported above, once, in our own words.
            warnings.filterwarnings("ignore", module="sklearn")
            if card.model_format == "skops":
                pipeline = _skops_io().loads(payload, trusted=list(SKOPS_TRUSTED))
            else:
                pipeline = joblib.load(io.BytesIO(payload))
    except HeadlinesError:
        raise
    except Exception as exc:  # unpickling can fail in many ways; all mean the same to a user
        why = " ".join(str(exc).split()) or type(exc).__name__
        raise ModelError(f"{path}: the model payload does not load ({why}); retrain it") from None
    return Model(pipeline, card)


def _skops_io() -> Any:
    try:
        import skops.io
    except ImportError:
        raise HeadlinesError(
            f"the skops model format needs the skops package; {SKOPS_EXTRA}"
        ) from None
    return skops.io


def _check_skops_types(path: Path, payload: bytes) -> None:
    """Refuse a skops payload that names any type not on :data:`SKOPS_TRUSTED`.

    skops trusts more by default (any scikit-learn estimator, and so FunctionTransformer
    with whatever function it holds); this reads the file's schema and allows only ours.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            schema = json.loads(archive.read("schema.json"))
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise ModelError(f"{path}: damaged skops payload (no schema); retrain it") from None
    found: set[str] = set()
    nodes = [schema]
    while nodes:
        node = nodes.pop()
        if isinstance(node, dict):
            if "__module__" in node and "__class__" in node:
                found.add(f"{node['__module__']}.{node['__class__']}")
            nodes.extend(node.values())
        elif isinstance(node, list):
            nodes.extend(node)
    untrusted = sorted(found - set(SKOPS_TRUSTED))
    if untrusted:
        raise ModelError(
            f"{path}: the skops model holds types headlines does not trust "
            f"({', '.join(untrusted)}); refusing to load it"
        )


def _read_parts(path: Path, *, with_payload: bool) -> tuple[ModelCard, bytes]:
    fh = open_file(
        path,
        expected="a model file",
        missing="model file; train one with 'headlines train'",
        error=ModelError,
    )
    with fh:
        magic = fh.readline(64)
        if not magic.startswith(_MAGIC_PREFIX):
            raise ModelError(
                f"{path}: not a headlines model file (no model card); refusing to load it"
            )
        version = magic[len(_MAGIC_PREFIX) :].strip().decode(errors="replace")
        if version != str(FORMAT_VERSION):
            newer = version.isdigit() and int(version) > FORMAT_VERSION
            fix = "upgrade headlines, or retrain it" if newer else "retrain it"
            raise ModelError(
                f"{path}: model format v{version}, this headlines reads v{FORMAT_VERSION}; "
                f"{fix} with 'headlines train'"
            )
        try:
            card = _parse_card(fh.readline())
        except (ValueError, TypeError):
            raise ModelError(f"{path}: damaged model card; retrain it") from None
        payload = fh.read() if with_payload else b""
    if with_payload and hashlib.sha256(payload).hexdigest() != card.model_sha256:
        raise ModelError(
            f"{path}: model payload does not match the sha256 in its card; refusing to load it"
        )
    return card, payload


def _parse_card(line: bytes) -> ModelCard:
    """The card from its JSON line; ValueError or TypeError when any field has a wrong type."""
    data = json.loads(line)
    if not isinstance(data, dict):
        raise ValueError("the card is not a JSON object")
    card = ModelCard.from_dict(data)
    expected = {"labels": dict, "versions": dict, "model_sha256": str, "format_version": int}
    for name, kind in expected.items():
        if not isinstance(getattr(card, name), kind):
            raise TypeError(f"card field {name} is not a {kind.__name__}")
    return card
