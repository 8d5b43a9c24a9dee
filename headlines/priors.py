"""Label shares that differ from the training data's: re-estimate them and adjust probabilities.

Covers: adjusting calibrated probabilities to new label priors, and estimating the priors of
a feed from the model's own probabilities with the EM method of Saerens, Latinne and
Decaestecker (2002, "Adjusting the outputs of a classifier to new a priori probabilities").
Does not cover: where the probabilities come from (model.py) or when to use this
(predicting.py).

The training data is balanced (about one ninth a label); a real OTHER NEWS list is mostly
sport, politics and celebrity news. Bayes' rule says how a probability changes when only the
priors change: ``p'(y|x) ∝ p(y|x) · new(y) / train(y)``. EM finds the ``new`` priors under
which the feed's adjusted probabilities average to those very priors.

``adjust([[0.5, 0.5]], [0.5, 0.5], [0.8, 0.2]) -> [[0.8, 0.2]]``

:func:`adjust` and :func:`estimate` work on arrays with numpy; :func:`adjust_rows` and
:func:`estimate_rows` are the same steps in plain Python for the few rows that few.py
labels without loading numpy (a test holds the pairs to the same results).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TypeAlias

from .errors import InputError
from .files import read_text_file

if TYPE_CHECKING:  # loaded by the functions of arrays: a few rows are adjusted without it
    import numpy as np

log = logging.getLogger(__name__)

# Label shares, one per label of a model, in its order.
Shares: TypeAlias = "Sequence[float] | np.ndarray"
CHOICES = ("feed", "train")  # besides a file of label,share lines

_FLOOR = 1e-6  # no label's prior goes to exactly zero: a later feed may still have it
STRENGTH = 30.0  # pseudo-headlines in the training shares that a feed's estimate starts from


def adjust(proba: np.ndarray, train: Shares, new: Shares) -> np.ndarray:
    """Probabilities under ``new`` label priors, for a model trained under ``train`` priors."""
    import numpy as np

    weighted = np.asarray(proba, dtype=np.float64) * (np.asarray(new) / np.asarray(train))
    total = weighted.sum(axis=1, keepdims=True)
    result: np.ndarray = np.divide(
        weighted, total, out=np.full_like(weighted, 1.0 / weighted.shape[1]), where=total > 0
    )
    return result


def estimate(
    proba: np.ndarray,
    train: Shares,
    *,
    strength: float = STRENGTH,
    iterations: int = 200,
    tolerance: float = 1e-6,
) -> np.ndarray:
    """The label priors of the texts behind ``proba``, by EM (Saerens et al. 2002).

    ``proba`` holds a row of calibrated probabilities per text, under training priors
    ``train``. Starts from the training priors; each step adjusts the probabilities to the
    current priors and takes their mean as the next priors, until they move less than
    ``tolerance``. The mean counts ``strength`` pseudo-texts in the training shares (a
    Dirichlet prior, the MAP estimate): without them one headline alone would convince EM
    that the whole feed is of its label, and its confidence would go to 1. A feed of forty
    headlines moves the shares part of the way, one of thousands all the way.
    """
    import numpy as np

    shares = np.asarray(train, dtype=np.float64)
    if len(proba) == 0:
        return shares.copy()
    priors = shares.copy()
    for _ in range(iterations):
        counts = adjust(proba, shares, priors).sum(axis=0) + strength * shares
        updated = np.maximum(counts / (len(proba) + strength), _FLOOR)
        updated /= updated.sum()
        if np.abs(updated - priors).max() < tolerance:
            return updated
        priors = updated
    return priors


def adjust_rows(proba: list[list[float]], train: Shares, new: Shares) -> list[list[float]]:
    """:func:`adjust` of a few rows, in plain Python."""
    ratio = [n / t for n, t in zip(new, train, strict=True)]
    rows = []
    for row in proba:
        weighted = [p * r for p, r in zip(row, ratio, strict=True)]
        total = sum(weighted)
        rows.append([w / total for w in weighted] if total > 0 else [1.0 / len(row)] * len(row))
    return rows


def estimate_rows(
    proba: list[list[float]],
    train: Shares,
    *,
    strength: float = STRENGTH,
    iterations: int = 200,
    tolerance: float = 1e-6,
) -> list[float]:
    """:func:`estimate` of a few rows, in plain Python."""
    train = [float(t) for t in train]
    if not proba:
        return train
    priors = train
    for _ in range(iterations):
        adjusted = adjust_rows(proba, train, priors)
        columns = zip(*adjusted, strict=True)
        counts = [sum(column) + strength * t for column, t in zip(columns, train, strict=True)]
        updated = [max(c / (len(proba) + strength), _FLOOR) for c in counts]
        total = sum(updated)
        updated = [u / total for u in updated]
        if max(abs(u - p) for u, p in zip(updated, priors, strict=True)) < tolerance:
            return updated
        priors = updated
    return priors


def training_shares(counts: Mapping[str, int], labels: Sequence[str]) -> list[float]:
    """Each label's share of the training rows (``counts``, a card's), in ``labels`` order;
    equal shares when there are no counts."""
    values = [float(counts.get(label, 0)) for label in labels]
    total = sum(values)
    if total <= 0:
        return [1.0 / len(values)] * len(values)
    return [value / total for value in values]


def log_shares(labels: Sequence[str], shares: Shares | None) -> None:
    """Log (``-v``) the label shares that labelling uses, if not the training data's."""
    if shares is not None:
        log.info(
            "label shares used: %s",
            ", ".join(f"{n} {s:.3f}" for n, s in zip(labels, shares, strict=True)),
        )


def read_shares(option: str, labels: list[str]) -> list[float] | None:
    """The shares a ``--priors`` value fixes before any text is read: a file's, None else.

    ``"feed"`` and ``"train"`` fix none yet; any other value is a file of ``label,share``
    lines, read now so that a bad one is an error before the input is read.
    """
    if option in CHOICES:
        return None
    return parse_shares(
        read_text_file(option, expected="a file of label,share lines"), labels, option
    )


def choose(option: str, fixed: Shares | None, proba: np.ndarray, train: Shares) -> Shares | None:
    """The priors to label with: None for ``"train"`` (as trained), the file's shares, or
    for ``"feed"`` the shares :func:`estimate` finds in ``proba``."""
    if option == "train":
        return None
    if option == "feed":
        return estimate(proba, train)
    return fixed


def parse_shares(text: str, labels: list[str], source: str) -> list[float]:
    """Label shares from ``label,share`` lines (a header line is allowed), normalised to sum 1.

    ``parse_shares("sport,3\\npolitics,1\\n", ["politics", "sport"], "p.csv") -> [0.25, 0.75]``;
    a label missing from the file gets a small floor, a label the model lacks is an error.
    """
    shares = dict.fromkeys(labels, 0.0)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        label, _, value = (part.strip() for part in line.partition(","))
        try:
            share = float(value)
        except ValueError:
            if number == 1:
                continue  # a header such as "label,share"
            raise InputError(
                f"{source}: line {number}: '{value}' is not a number; write lines such as sport,0.3"
            ) from None
        if label not in shares:
            raise InputError(
                f"{source}: line {number}: the model has no label '{label}'; its labels are "
                f"{', '.join(labels)}"
            )
        if not share >= 0 or share == float("inf"):
            raise InputError(f"{source}: line {number}: a share must be 0 or more, not {value}")
        shares[label] = share
    values = [shares[label] for label in labels]
    total = sum(values)
    if total <= 0:
        raise InputError(f"{source}: no label has a share above 0; write lines such as sport,0.3")
    values = [max(value / total, _FLOOR) for value in values]
    total = sum(values)
    return [value / total for value in values]
