"""Shared fixtures: a CLI runner, sample files, and a small default model kept off the real one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

SAMPLES = Path(__file__).parent / "samples"
TINY_TRAIN = SAMPLES / "training" / "tiny-news.csv"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def default_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the default model at a tiny training set and a fresh cache folder."""
    from headlines import defaults

    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(TINY_TRAIN, data / "train.csv")
    monkeypatch.setattr(defaults, "data_dir", lambda: data)
    monkeypatch.setenv("HEADLINES_MODEL_DIR", str(tmp_path / "models"))
    return data
