"""Saving and loading models: the model file, its card, and atomic replacement.

Covers: the model file format, its three payload formats, and the checks made before
anything is built from a file. Does not cover: the card itself (card.py), atomic writes
(files.py), fitting (training.py) or the default model's cache (defaults.py).

A model file is four parts, so that the card can be read and checked without loading::

    headlines-model v2\\n              <- magic line with the format version
    card-sha256 <hex>\\n               <- the sha256 of the next line
    {"format_version": 2, ...}\\n      <- the model card as one JSON line
    <payload>                         <- the fitted model; its sha256 is in the card

(A version 1 file has no card-sha256 line; it is still read.) What the payload is comes from
its own bytes, and must agree with the card's ``model_format`` and with the file's name
(:data:`SUFFIXES`); any disagreement is refused before anything is built:

- ``arrays`` (the default, ``*.headlines``): a numpy ``.npz`` archive of plain arrays (the
  hashing parameters, each feature's IDF, the weights and biases, the calibration
  temperature, the labels), which ``np.load(..., allow_pickle=False)`` reads too. Loading
  takes the arrays in place from the mapped file, refuses an array of Python objects (only a
  pickle can hold one) and checks every array's type and shape: it runs no code from the
  file, whoever wrote it, and needs numpy alone. The headers are read in plain Python
  (npy.py), so :func:`open_model` checks a file without loading numpy, and a few headlines
  are labelled from its values where they lie (:meth:`ModelFile.plain_arrays`, few.py).
- ``joblib`` (``*.joblib``, ``*.pkl``, ``*.pickle``): the fitted scikit-learn Pipeline as a
  pickle, for use from scikit-learn. Unpickling runs whatever code the file names: load
  only your own model files. A pickle is loaded only from a file whose name says so.
- ``skops`` (``*.skops``, ``pip install 'headlines[skops]'``): the Pipeline in the skops
  format, which builds objects without running code from the file. Every type in it must be
  on :data:`SKOPS_TRUSTED`, the types headlines' own pipelines are made of.

The sha256 sums catch damage, not forgery: whoever can change a file can recompute them.

A readable copy of the card is written beside the model as ``NAME.card.json``.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import io
import json
import math
import mmap
import struct
import sys
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from . import npy
from ._version import __version__
from .card import FORMAT_VERSION, CardError, ModelCard, card_path, is_newer
from .errors import HeadlinesError, InputError, ModelError
from .files import atomic_write, locked, open_file, write_target

if TYPE_CHECKING:  # loaded where arrays are built: a model file is opened without numpy
    import numpy as np

    from .model import Model
    from .scoring import LinearArrays

MAGIC = b"headlines-model v%d\n"
_MAGIC_PREFIX = b"headlines-model v"
_CARD_SHA = b"card-sha256 "
READS = (1, 2)  # the format versions this headlines reads
MODEL_FORMATS = ("arrays", "joblib", "skops")
_ALIGN = 64  # where each array of an arrays payload starts, in bytes from the file's start
_PAD_FIELD = 0xD935  # the zip extra field that pads a member into place (zipalign's)
DEFAULT_FORMAT = "arrays"
# What a file's name says it holds. Other names say nothing; the bytes decide, but a pickle
# is loaded only from a name that says so.
SUFFIXES = {
    ".headlines": "arrays",
    ".joblib": "joblib",
    ".pkl": "joblib",
    ".pickle": "joblib",
    ".skops": "skops",
}
SKOPS_EXTRA = "pip install 'headlines[skops]'"

# The types the pipelines of pipeline.py are made of, and plain data. A skops file naming any
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
    "headlines.model.PassCappedSGD",  # its name in models saved before pipeline.py
    "headlines.pipeline.PassCappedSGD",
    "sklearn.linear_model._stochastic_gradient.SGDClassifier",
    "sklearn.naive_bayes.ComplementNB",
    "sklearn.pipeline.Pipeline",
    "sklearn.svm._classes.LinearSVC",
)

# The arrays of an arrays payload: (kinds of dtype allowed, number of dimensions).
_ARRAYS = {
    "labels": ("U", 1),
    "n_features": ("iu", 0),
    "char_ngrams": ("iu", 1),
    "word_pairs": ("b", 0),
    "idf": ("f", 1),
    "weights": ("f", 2),
    "intercept": ("f", 1),
    "temperature": ("f", 0),
}
_SMALL = ("labels", "n_features", "char_ngrams", "word_pairs", "temperature")


class ModelVersionWarning(UserWarning):
    """The model was saved under other library versions than the ones installed."""


def model_format_for(path: str | Path, model_format: str | None = None) -> str:
    """The payload format to save in: the one asked for, else the one the name says
    (:data:`SUFFIXES`), else ``arrays``.

    ``model_format_for("m.skops") -> "skops"``, ``model_format_for("m.headlines") -> "arrays"``.
    Raises when the format is unknown, disagrees with the name, or is skops and skops is not
    installed.
    """
    path = Path(path)
    named = SUFFIXES.get(path.suffix.lower())
    fmt = model_format or named or DEFAULT_FORMAT
    if fmt not in MODEL_FORMATS:
        raise InputError(
            f"unknown --model-format '{fmt}'; choose one of {', '.join(MODEL_FORMATS)}"
        )
    if named != fmt and (named is not None or fmt == "joblib"):
        # A pickle loads only from a name that says so (see _payload_format).
        why = (
            f"the name says {_a(named)}, not {fmt}"
            if named
            else "a joblib model loads only from a name ending in .joblib, .pkl or .pickle"
        )
        suffix = next(s for s, f in SUFFIXES.items() if f == fmt)
        raise InputError(
            f"{path}: {why}; name it {path.with_suffix(suffix).name}, or leave out --model-format"
        )
    if fmt == "skops":
        _skops_io()
    return fmt


def save_model(model: Model, path: str | Path, *, model_format: str | None = None) -> ModelCard:
    """Write the model file and its card, each replaced atomically; return the final card.

    The payload is arrays, joblib or skops (see :func:`model_format_for` and the module
    docstring). Saves into one folder take turns, so two ``train`` runs to one path leave the
    model and its readable card from the same run. The model is renamed into place first: it
    carries its own card, so a crash between the two renames leaves at worst a stale
    readable copy.
    """
    path = Path(path)
    fmt = model_format_for(path, model_format)
    if fmt == "arrays":
        if model.arrays is None:
            raise InputError(
                f"{path}: this model has no linear arrays to save; use --model-format joblib"
            )
        payload = _arrays_payload(model.arrays)
    elif model.pipeline is None:
        raise InputError(
            f"{path}: a model loaded from arrays has no scikit-learn pipeline to save as {fmt}"
        )
    elif fmt == "skops":
        import importlib.metadata

        payload = _skops_io().dumps(model.pipeline)
        model.card.versions["skops"] = importlib.metadata.version("skops")
    else:
        import joblib

        buffer = io.BytesIO()
        joblib.dump(model.pipeline, buffer)
        payload = buffer.getvalue()
    model.card.model_format = fmt
    model.card.format_version = FORMAT_VERSION
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


def _arrays_payload(arrays: LinearArrays) -> bytes:
    """The arrays as an ``.npz`` whose every array starts at a multiple of ``_ALIGN`` bytes.

    A mapped array that is not aligned is copied whole by numpy at every ``take`` (20 MB for
    a row of weights), so each member's local header gets an extra field that pads its data
    into place, as Android's zipalign does; the file's header lines are padded to match (see
    :func:`_write_model`). Any zip or numpy reader ignores the padding. Members carry a fixed
    date, so the same model makes the same bytes.
    """
    import numpy as np
    from numpy.lib.format import write_array

    members = {
        "labels": np.array(arrays.labels, dtype=str),
        "n_features": np.int64(arrays.hashing.n_features),
        "char_ngrams": np.array(arrays.hashing.char_ngrams, dtype=np.int64),
        "word_pairs": np.bool_(arrays.hashing.word_pairs),
        "idf": arrays.idf,
        "weights": arrays.weights,
        "intercept": arrays.intercept,
        "temperature": np.float64(arrays.temperature),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, value in members.items():
            array = np.asanyarray(value)
            npy_file = io.BytesIO()
            write_array(npy_file, array, allow_pickle=False)
            npy_bytes = npy_file.getvalue()
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            before_pad = buffer.tell() + 30 + len(info.filename) + 4
            npy_header = len(npy_bytes) - array.nbytes
            pad = -(before_pad + npy_header) % _ALIGN
            info.extra = struct.pack("<HH", _PAD_FIELD, pad) + bytes(pad)
            archive.writestr(info, npy_bytes)
    return buffer.getvalue()


def _write_model(path: Path, card: dict[str, Any], payload: bytes) -> None:
    card_line = json.dumps(card, ensure_ascii=False).encode("utf-8")
    magic = MAGIC % FORMAT_VERSION
    # Spaces after the card (JSON allows them) start the payload at a multiple of _ALIGN.
    card_line += b" " * (-(len(magic) + len(_CARD_SHA) + 65 + len(card_line) + 1) % _ALIGN)
    card_line += b"\n"
    with (
        atomic_write(card_path(path)) as card_fh,
        atomic_write(path) as fh,
    ):
        fh.write(magic)
        fh.write(_CARD_SHA + hashlib.sha256(card_line).hexdigest().encode("ascii") + b"\n")
        fh.write(card_line)
        fh.write(payload)
        card_fh.write(json.dumps(card, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")


def read_card(path: str | Path, *, whole: bool = True) -> ModelCard:
    """Read and check a model file's card without building anything from the file.

    With ``whole`` (the default) the payload is checked too: its sha256, and that its bytes,
    the card and the file's name agree on its format. ``whole=False`` reads the card alone.
    """
    path = Path(path)
    card, payload = _read_parts(path, with_payload=whole)
    if whole:
        _payload_format(path, card, payload)
    return card


def load_model(path: str | Path) -> Model:
    """Load a model file after checking its format version, sha256 sums and format.

    Warns with :class:`ModelVersionWarning` when a newer headlines saved it, or when a joblib
    or skops model was saved under another scikit-learn.
    """
    return open_model(path).load()


def open_model(path: str | Path) -> ModelFile:
    """A model file checked as :func:`load_model` checks it, with nothing built from it yet:
    neither numpy nor scikit-learn is loaded. Warns as :func:`load_model` does."""
    path = Path(path)
    card, payload = _read_parts(path, with_payload=True)
    fmt = _payload_format(path, card, payload)
    saved = card.versions.get("headlines", "")
    if is_newer(saved, __version__):
        warnings.warn(
            f"{path}: saved by headlines {saved}, this is headlines {__version__}; "
            "upgrade headlines if its labels look wrong",
            ModelVersionWarning,
            stacklevel=3,
        )
    return ModelFile(path, card, fmt, payload)


@dataclass(frozen=True)
class ModelFile:
    """A model file whose card, sha256 sums and payload format are checked."""

    path: Path
    card: ModelCard
    model_format: str
    payload: _Payload

    def load(self) -> Model:
        """The model, its arrays checked for type, shape and finite values."""
        from .model import Model

        if self.model_format == "arrays":
            model = Model(self.card, _load_arrays(self.path, self.payload, *self._checked))
        else:
            pipeline = _load_pipeline(self.path, self.card, self.model_format, self.payload)
            model = Model.from_pipeline(pipeline, self.card)
        _check_labels(self.path, self.card, model.labels)
        return model

    @cached_property
    def _checked(self) -> tuple[dict[str, npy.Member], _Small]:
        """The arrays payload's members and small values, checked once for both paths (a
        few headlines may turn out to be more, and load the arrays after all)."""
        return _checked_arrays(self.path, self.payload)

    def plain_arrays(self) -> PlainArrays | None:
        """The arrays of an arrays model as views of the file's bytes, for Python to read a
        value at a time without numpy: checked for type and shape, but not yet for finite
        values (see :class:`PlainArrays`). None when the file is not an arrays model, or its
        arrays are not little-endian floats in C order, as headlines writes them."""
        if self.model_format != "arrays" or sys.byteorder != "little":
            return None
        members, small = self._checked
        view = memoryview(self.payload.data)
        plain: dict[str, memoryview[float]] = {}
        for name in ("idf", "weights", "intercept"):
            member = members[name]
            native = member.kind == "f" and member.size in (4, 8) and not member.big_endian
            if not native or (member.fortran and len(member.shape) > 1):
                return None
            values = view[member.offset : member.end]
            plain[name] = values.cast("f" if member.size == 4 else "d")
        arrays = PlainArrays(
            path=self.path,
            labels=small.labels,
            n_features=small.n_features,
            char_ngrams=small.char_ngrams,
            word_pairs=small.word_pairs,
            temperature=small.temperature,
            idf=plain["idf"],
            weights=plain["weights"],
            intercept=plain["intercept"],
        )
        _check_labels(self.path, self.card, list(arrays.labels))
        return arrays


@dataclass(frozen=True)
class PlainArrays:
    """An arrays model's values as flat views of its file: ``weights[f * len(labels) + k]``
    is feature f's weight for label k. Their type and shape are checked; whoever reads a
    value checks that it is finite (:meth:`check_finite`), since checking all of them takes
    numpy."""

    path: Path
    labels: tuple[str, ...]
    n_features: int
    char_ngrams: tuple[int, int]
    word_pairs: bool
    temperature: float
    idf: memoryview[float]
    weights: memoryview[float]
    intercept: memoryview[float]

    def check_finite(self, values: Sequence[float]) -> None:
        """Raise the error loading gives for a non-finite value, if one is among ``values``."""
        if not all(map(math.isfinite, values)):
            raise ModelError(_inconsistent(self.path, _NOT_FINITE))


def _check_labels(path: Path, card: ModelCard, labels: list[str]) -> None:
    if sorted(card.labels) != sorted(labels):
        raise ModelError(
            f"{path}: the card's labels ({', '.join(sorted(card.labels))}) are not the "
            f"model's ({', '.join(sorted(labels))}); refusing to load it"
        )


def _payload_format(path: Path, card: ModelCard, payload: _Payload) -> str:
    """The payload's format, from its bytes, once the card and the name agree with it."""
    if card.model_format not in MODEL_FORMATS:
        raise ModelError(
            f"{path}: model payload in format '{card.model_format}', this headlines reads "
            f"{', '.join(MODEL_FORMATS)}; upgrade headlines, or retrain it"
        )
    found = _sniff(payload)
    if found != card.model_format:
        what = _a(found) if found else "in no format headlines reads"
        raise ModelError(
            f"{path}: the card says {_a(card.model_format)}, but the payload is {what}; "
            "refusing to load it"
        )
    named = SUFFIXES.get(path.suffix.lower())
    if named is not None and named != found:
        raise ModelError(
            f"{path}: the name says {_a(named)}, but the file holds {_a(found)}; "
            "refusing to load it"
        )
    if found == "joblib" and named is None:
        raise ModelError(
            f"{path}: a joblib model is a pickle, which runs code when it is loaded; headlines "
            "loads one only from a name ending in .joblib, .pkl or .pickle: rename it if you "
            "trust whoever made it"
        )
    return found


def _a(fmt: str) -> str:
    """``"arrays" -> "an arrays model"``, ``"joblib" -> "a joblib model"``."""
    return f"{'an' if fmt[0] in 'aeiou' else 'a'} {fmt} model"


def _sniff(payload: _Payload) -> str | None:
    """``arrays``, ``joblib`` or ``skops`` from a payload's first bytes (and, for a zip, the
    names inside it); None for anything else."""
    first = bytes(payload.view[:4])
    if first[:1] == b"\x80":  # the PROTO opcode every pickle since protocol 2 starts with
        return "joblib"
    if first != b"PK\x03\x04":
        return None
    try:
        with payload.archive() as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        return None
    if "schema.json" in names:
        return "skops"
    if names and all(name.endswith(".npy") for name in names):
        return "arrays"
    return None


@dataclass(frozen=True)
class _Small:
    """The small arrays of an arrays payload, read with Python alone."""

    labels: tuple[str, ...]
    n_features: int
    char_ngrams: tuple[int, int]
    word_pairs: bool
    temperature: float


_NOT_FINITE = "some values are not finite numbers"


def _inconsistent(path: Path, why: str) -> str:
    return f"{path}: the arrays payload is inconsistent ({why}); retrain it"


def _checked_arrays(path: Path, payload: _Payload) -> tuple[dict[str, npy.Member], _Small]:
    """The members of an arrays payload and its small values, each member checked for its
    type and shape, without numpy; finite values are for the reader to check."""
    try:
        with payload.archive() as archive:
            found = npy.members(payload.data, archive.infolist())
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, struct.error) as exc:
        why = " ".join(str(exc).split()) or type(exc).__name__
        raise ModelError(f"{path}: damaged arrays payload ({why}); retrain it") from None
    unknown = sorted(set(found) - set(_ARRAYS))
    missing = sorted(set(_ARRAYS) - set(found))
    if unknown or missing:
        what = f"arrays headlines does not know ({', '.join(unknown)})" if unknown else ""
        what += " and " if unknown and missing else ""
        what += f"no {', '.join(missing)}" if missing else ""
        raise ModelError(f"{path}: the arrays payload has {what}; refusing to load it")
    for name, (kinds, ndim) in _ARRAYS.items():
        member = found[name]
        if member.kind not in kinds or len(member.shape) != ndim:
            raise ModelError(
                f"{path}: the arrays payload's {name} is {len(member.shape)}-d "
                f"{member.descr}; refusing to load it"
            )
    try:
        values = {name: npy.values(payload.data, found[name]) for name in _SMALL}
    except (ValueError, UnicodeDecodeError, struct.error) as exc:
        raise ModelError(f"{path}: damaged arrays payload ({exc}); retrain it") from None
    labels = tuple(values["labels"])
    (n_features,) = values["n_features"]
    ngrams = values["char_ngrams"]
    low, high = ngrams if len(ngrams) == 2 else (-1, -1)
    (temperature,) = values["temperature"]
    problems = [
        (len(labels) < 2 or len(set(labels)) < len(labels), "labels are not two or more names"),
        (n_features < 1, "n_features is not 1 or more"),
        (not (low == high == 0 or 1 <= low <= high <= 64), "char_ngrams is not a size range"),
        (found["idf"].shape != (n_features,), "idf has not one value per feature"),
        (found["weights"].shape != (n_features, len(labels)), "weights are not features x labels"),
        (found["intercept"].shape != (len(labels),), "intercept has not one value per label"),
        (not 0 < temperature < math.inf, "temperature is not above 0"),
    ]  # fmt: skip
    for bad, why in problems:
        if bad:
            raise ModelError(_inconsistent(path, why))
    (word_pairs,) = values["word_pairs"]
    return found, _Small(labels, n_features, (low, high), bool(word_pairs), float(temperature))


def _load_arrays(
    path: Path, payload: _Payload, members: dict[str, npy.Member], small: _Small
) -> LinearArrays:
    """The arrays of an arrays payload whose ``members`` and ``small`` values
    :func:`_checked_arrays` checked, every value checked finite, as read-only views of the
    file's bytes: what ``np.load(..., allow_pickle=False)`` gives, without copying tens of
    megabytes out of the archive."""
    import numpy as np

    from .hashing import Hashing
    from .scoring import LinearArrays

    arrays: dict[str, np.ndarray] = {}
    for name in ("idf", "weights", "intercept"):
        member = members[name]
        dtype = np.dtype(member.descr)
        array = np.frombuffer(
            payload.data, dtype=dtype, count=math.prod(member.shape), offset=member.offset
        ).reshape(member.shape, order="F" if member.fortran else "C")
        # An array out of alignment (a file not written by headlines) is copied once here
        # rather than by numpy at every take.
        arrays[name] = np.require(array, requirements="A")
    if not all(np.isfinite(array).all() for array in arrays.values()):
        raise ModelError(_inconsistent(path, _NOT_FINITE))
    return LinearArrays(
        labels=small.labels,
        hashing=Hashing(small.n_features, small.char_ngrams, small.word_pairs),
        idf=arrays["idf"].astype(np.float64, copy=False),
        weights=np.ascontiguousarray(arrays["weights"]),
        intercept=arrays["intercept"].astype(np.float64, copy=False),
        temperature=small.temperature,
    )


def _load_pipeline(path: Path, card: ModelCard, fmt: str, payload: _Payload) -> Any:
    """The scikit-learn Pipeline of a joblib or skops payload (the formats checked)."""
    import sklearn

    saved = card.versions.get("scikit-learn")
    if saved != sklearn.__version__:
        warnings.warn(
            f"{path}: saved with scikit-learn {saved}, running {sklearn.__version__}; "
            "predictions may differ, retrain it with 'headlines train'",
            ModelVersionWarning,
            stacklevel=3,
        )
    if fmt == "skops":
        _check_skops_types(path, payload)
    raw = bytes(payload.view)
    try:
        with warnings.catch_warnings():
            # The version mismatch was reported above, once, in our own words.
            warnings.filterwarnings("ignore", module="sklearn")
            if fmt == "skops":
                pipeline = _skops_io().loads(raw, trusted=list(SKOPS_TRUSTED))
            else:
                import joblib

                pipeline = joblib.load(io.BytesIO(raw))
    except HeadlinesError:
        raise
    except Exception as exc:  # unpickling can fail in many ways; all mean the same to a user
        why = " ".join(str(exc).split()) or type(exc).__name__
        raise ModelError(f"{path}: the model payload does not load ({why}); retrain it") from None
    from sklearn.pipeline import Pipeline

    from .model import linear_arrays

    # Fitted, and of headlines' own steps: what it scores with are its arrays (model.py).
    if not isinstance(pipeline, Pipeline) or linear_arrays(pipeline) is None:
        raise ModelError(
            f"{path}: the payload is a {type(pipeline).__name__}, not a fitted headlines "
            "pipeline; refusing to use it"
        )
    return pipeline


def _skops_io() -> Any:
    try:
        import skops.io
    except ImportError:
        raise HeadlinesError(
            f"the skops model format needs the skops package; {SKOPS_EXTRA}"
        ) from None
    return skops.io


def _check_skops_types(path: Path, payload: _Payload) -> None:
    """Refuse a skops payload that names any type not on :data:`SKOPS_TRUSTED`.

    skops trusts more by default (any scikit-learn estimator, and so FunctionTransformer
    with whatever function it holds); this reads the file's schema and allows only ours.
    """
    try:
        with payload.archive() as archive:
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


@dataclass(frozen=True)
class _Payload:
    """A model file's payload: the file's bytes (mapped, where the system allows) and where
    the payload starts in them."""

    data: bytes | mmap.mmap
    start: int

    @property
    def view(self) -> memoryview:
        return memoryview(self.data)[self.start :]

    def archive(self) -> zipfile.ZipFile:
        """The payload as a zip, read in place (zipfile allows data before an archive)."""
        return zipfile.ZipFile(_Reader(memoryview(self.data)))


class _Reader(io.RawIOBase):
    """A seekable binary file over bytes in memory, copying only what is read (io.BytesIO
    copies all of a memoryview, and an mmap is not a file to zipfile before Python 3.13)."""

    def __init__(self, data: memoryview) -> None:
        self.data = data
        self.position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self.data[self.position : self.position + len(buffer)]
        buffer[: len(chunk)] = chunk
        self.position += len(chunk)
        return len(chunk)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: len(self.data)}
        self.position = max(0, base[whence] + offset)
        return self.position

    def tell(self) -> int:
        return self.position


def _contents(fh: BinaryIO, *, populate: bool) -> bytes | mmap.mmap:
    """A file's bytes, mapped rather than read where the system allows.

    A model is tens of megabytes: mapped, its pages come straight from the system's cache,
    all at once with ``populate``, and arrays are views of them; reading would copy them into
    fresh memory first, which at a cold start costs more than checking them. (headlines
    replaces a model file by renaming a new one into place, so a mapped file never changes
    under a running process.)
    """
    flags = getattr(mmap, "MAP_SHARED", 0) | (getattr(mmap, "MAP_POPULATE", 0) if populate else 0)
    try:
        return mmap.mmap(fh.fileno(), 0, flags=flags, prot=mmap.PROT_READ)
    except (OSError, ValueError, AttributeError):  # an empty file, a pipe, no mmap here
        return fh.read()


def _line(data: bytes | mmap.mmap, start: int, limit: int | None = None) -> tuple[bytes, int]:
    """The line of ``data`` from ``start`` (with its newline; at most ``limit`` bytes), and
    where the next one starts."""
    stop = len(data) if limit is None else min(len(data), start + limit)
    end = data.find(b"\n", start, stop)
    end = stop if end < 0 else end + 1
    return data[start:end], end


def _read_parts(path: Path, *, with_payload: bool) -> tuple[ModelCard, _Payload]:
    fh = open_file(
        path,
        expected="a model file",
        missing="model file; train one with 'headlines train'",
        error=ModelError,
    )
    with fh:
        data = _contents(fh, populate=with_payload)
    magic, at = _line(data, 0, 64)
    if not magic.startswith(_MAGIC_PREFIX):
        raise ModelError(f"{path}: not a headlines model file (no model card); refusing to load it")
    version = magic[len(_MAGIC_PREFIX) :].strip().decode(errors="replace")
    if not version.isdecimal() or int(version) not in READS:
        newer = version.isdecimal() and int(version) > FORMAT_VERSION
        fix = "upgrade headlines, or retrain it" if newer else "retrain it"
        raise ModelError(
            f"{path}: model format v{version}, this headlines reads "
            f"{', '.join(f'v{v}' for v in READS)}; {fix} with 'headlines train'"
        )
    expected = None
    if int(version) >= 2:
        line, at = _line(data, at, 128)
        expected = line[len(_CARD_SHA) :].strip() if line.startswith(_CARD_SHA) else b""
    card_line, at = _line(data, at)
    if expected is not None and hashlib.sha256(card_line).hexdigest().encode() != expected:
        raise ModelError(f"{path}: the model card does not match its sha256; refusing to load it")
    try:
        card = ModelCard.from_dict(json.loads(card_line))
    except RecursionError:
        raise ModelError(f"{path}: damaged model card (nested too deep); retrain it") from None
    except ValueError as exc:
        why = exc if isinstance(exc, CardError) else "not JSON"
        raise ModelError(f"{path}: damaged model card ({why}); retrain it") from None
    payload = _Payload(data, at)
    if with_payload and hashlib.sha256(payload.view).hexdigest() != card.model_sha256:
        raise ModelError(
            f"{path}: model payload does not match the sha256 in its card; refusing to load it"
        )
    return card, payload
