"""The model card: what a model is, what it was trained on, and how well it scored.

Covers: :class:`ModelCard`, the library versions it records, and where its readable copy
lives. Does not cover: the model file that carries it (persistence.py).

``card_path("models/default.joblib") -> Path("models/default.card.json")``
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ._version import __version__

FORMAT_VERSION = 1
# The libraries whose versions decide whether a saved pipeline loads and behaves the same.
_LIBRARIES = ("scikit-learn", "numpy", "scipy", "joblib")


def library_versions() -> dict[str, str]:
    """The versions of headlines, Python and the libraries a saved model depends on.

    Read from the installed packages' metadata, so recording them imports none of them.
    """
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
    def from_dict(cls, data: dict[str, Any]) -> ModelCard:
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def card_path(model_path: str | Path) -> Path:
    """``models/default.joblib -> models/default.card.json``."""
    path = Path(model_path)
    return path.with_name(path.stem + ".card.json")
