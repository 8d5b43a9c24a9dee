"""The model card: what a model is, what it was trained on, and how well it scored.

Covers: :class:`ModelCard`, the library versions it records, and where its readable copy
lives. Does not cover: the model file that carries it (persistence.py).

``card_path("models/default.joblib") -> Path("models/default.card.json")``
"""

from __future__ import annotations

import dataclasses
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ._version import __version__

# Version 2 added the card's own sha256 on the line before it (see persistence.py).
FORMAT_VERSION = 2
# The classifiers a card can name (pipeline.py builds them); sgd is the default.
CLASSIFIERS = ("svm", "logreg", "sgd", "nb")
DEFAULT_CLASSIFIER = "sgd"
# The feature sets a card can name: the range of in-word character n-gram sizes of each,
# (0, 0) for none (hashing.py computes them).
FEATURES: dict[str, tuple[int, int]] = {
    "word+char": (3, 5),  # words, word pairs and 3- to 5-grams inside words
    "word": (0, 0),  # words and word pairs only
}
DEFAULT_FEATURES = "word+char"
# The libraries whose versions decide whether a saved pipeline loads and behaves the same.
_LIBRARIES = ("scikit-learn", "numpy", "scipy", "joblib")


class CardError(ValueError):
    """A card field is missing or has the wrong type; the message names it."""


def library_versions() -> dict[str, str]:
    """The versions of headlines, Python and the libraries a saved model depends on.

    Read from the installed packages' metadata, so recording them imports none of them.
    """
    import importlib.metadata  # only training records them: it takes a while to import

    versions = {"headlines": __version__, "python": platform.python_version()}
    for name in _LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return versions


@dataclass
class ModelCard:
    """What a model is, what it was trained on, and how well it scored."""

    classifier: str
    features: str
    labels: dict[str, int]
    training_rows: int
    training_files: list[dict[str, Any]]
    dropped: dict[str, int] = field(default_factory=dict)
    text_column: str = "headline"
    label_column: str = "label"
    cross_validation: dict[str, Any] | None = None
    evaluation: dict[str, Any] | None = None
    class_weight: str | None = None
    # How confidence was calibrated: the temperature, what was held out to fit it, and each
    # label's threshold for --min-confidence auto (see calibration.py).
    calibration: dict[str, Any] | None = None
    model_format: str = "joblib"
    format_version: int = FORMAT_VERSION
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    versions: dict[str, str] = field(default_factory=library_versions)
    model_sha256: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> ModelCard:
        """The card of a JSON object, every field checked for its type; fields this version
        does not know are left out. Raises :class:`CardError` naming the first bad field.

        ``ModelCard.from_dict({"classifier": 3, ...})`` -> CardError("classifier is not text")
        """
        if not isinstance(data, dict):
            raise CardError("the card is not a JSON object")
        for name, (kind, check) in _FIELD_TYPES.items():
            if name in data and not check(data[name]):
                raise CardError(f"{name} is not {kind}")
        missing = [f.name for f in dataclasses.fields(cls) if f.name not in data and _required(f)]
        if missing:
            raise CardError(f"it has no {', '.join(missing)}")
        return cls(**{k: v for k, v in data.items() if k in _FIELD_TYPES})


def _required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _mapping(values: Any, check: Any) -> bool:
    return isinstance(values, dict) and all(_text(k) and check(v) for k, v in values.items())


def _record(value: Any, fields: dict[str, Any]) -> bool:
    """A JSON object whose named fields are there and pass their checks (others may follow)."""
    return isinstance(value, dict) and all(
        name in value and check(value[name]) for name, check in fields.items()
    )


def _optional(check: Any) -> Any:
    return lambda value: value is None or check(value)


_SCORES = {"accuracy": _number, "macro_f1": _number}
# Each field of a card: what it must be, in words and as a check. Everything that reads a
# card (info, the default model's cache, loading) can then trust the types it finds.
_FIELD_TYPES: dict[str, tuple[str, Any]] = {
    "classifier": ("text", _text),
    "features": ("text", _text),
    "labels": ("label counts", lambda v: _mapping(v, _whole) and len(v) > 0),
    "training_rows": ("a whole number", _whole),
    "training_files": (
        "a list of files with path, sha256 and rows",
        lambda v: (
            isinstance(v, list)
            and all(_record(f, {"path": _text, "sha256": _text, "rows": _whole}) for f in v)
        ),
    ),
    "dropped": ("counts", lambda v: _mapping(v, _whole)),
    "text_column": ("text", _text),
    "label_column": ("text", _text),
    "cross_validation": (
        "scores with folds",
        _optional(lambda v: _record(v, {"folds": _whole, **_SCORES})),
    ),
    "evaluation": (
        "scores with path and rows",
        _optional(lambda v: _record(v, {"path": _text, "rows": _whole, **_SCORES})),
    ),
    "class_weight": ("text or null", _optional(_text)),
    "calibration": (
        "a temperature with label thresholds",
        _optional(lambda v: isinstance(v, dict) and _mapping(v.get("thresholds", {}), _number)),
    ),
    "model_format": ("text", _text),
    "format_version": ("a whole number", _whole),
    "created": ("text", _text),
    "versions": ("names and versions", lambda v: _mapping(v, _text)),
    "model_sha256": ("text", _text),
}


def is_newer(saved: str, running: str) -> bool:
    """Whether version ``saved`` is later than ``running``, comparing the leading numbers.

    ``is_newer("0.10.0", "0.9.2") -> True``, ``is_newer("0.1.0", "0.1.0") -> False``
    """

    def numbers(version: str) -> tuple[int, ...]:
        parts = []
        for part in version.split("."):
            digits = part[: len(part) - len(part.lstrip("0123456789"))]
            if not digits:
                break
            parts.append(int(digits))
        return tuple(parts)

    return numbers(saved) > numbers(running)


def card_path(model_path: str | Path) -> Path:
    """``models/default.joblib -> models/default.card.json``."""
    path = Path(model_path)
    return path.with_name(path.stem + ".card.json")
