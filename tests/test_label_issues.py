"""Confident learning finds the rows whose label is wrong, and only those."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from headlines.dataset import load_dataset
from headlines.evaluation import cross_validated_proba, grouped_folds, label_issues
from headlines.pipeline import build_pipeline

TINY_TRAIN = Path(__file__).parent / "samples" / "training" / "tiny-news.csv"


def test_planted_label_flips_are_found_surest_first() -> None:
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 3, size=600)
    proba = np.full((600, 3), 0.05)
    proba[np.arange(600), truth] = 0.9
    proba += rng.uniform(0, 0.05, size=proba.shape)
    proba /= proba.sum(axis=1, keepdims=True)
    given = truth.copy()
    flipped = rng.choice(600, size=30, replace=False)
    given[flipped] = (truth[flipped] + 1) % 3
    issues = label_issues(proba, given.tolist())
    found = {i for i, _, _ in issues}
    assert found <= set(flipped.tolist())  # no row with a right label is flagged
    assert len(found) >= 27  # nine flips in ten are found
    assert all(likely == truth[i] for i, likely, _ in issues)
    margins = [m for _, _, m in issues]
    assert margins == sorted(margins, reverse=True)


def test_cross_validated_probabilities_cover_every_row_once() -> None:
    data = load_dataset([TINY_TRAIN])
    splits = grouped_folds(data.texts, data.labels, folds=3)
    proba, names = cross_validated_proba(
        data.texts, data.labels, lambda: build_pipeline("nb", "word"), splits
    )
    assert names == sorted(set(data.labels))
    assert proba.shape == (len(data.texts), len(names))
    assert np.allclose(proba.sum(axis=1), 1.0)
