"""Real-world label shares and per-label thresholds: priors.py, --priors, --min-confidence auto."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from typer.testing import CliRunner

from headlines import priors
from headlines.calibration import (
    fit_temperature,
    label_thresholds,
    largest_group_temperature,
)
from headlines.cli import app
from headlines.errors import InputError, OptionError
from headlines.persistence import load_model
from headlines.predicting import label_chunks
from headlines.records import HeadlineChunk

SAMPLES = Path(__file__).parent / "samples"


def _exact_posteriors(
    rng: np.random.Generator, shares: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Texts drawn with label ``shares`` and their true posteriors under balanced priors.

    Each label emits a score vector around its own mean; the posterior under equal priors is
    then exactly the softmax of the log-likelihoods, as a calibrated model's would be.
    """
    k = len(shares)
    labels = rng.choice(k, size=n, p=shares)
    means = np.eye(k) * 1.5
    x = means[labels] + rng.normal(size=(n, k))
    loglik = -0.5 * ((x[:, None, :] - means[None, :, :]) ** 2).sum(axis=2)
    proba = np.exp(loglik - loglik.max(axis=1, keepdims=True))
    return proba / proba.sum(axis=1, keepdims=True), labels


def test_em_recovers_the_label_shares_of_a_skewed_feed() -> None:
    rng = np.random.default_rng(0)
    true = np.array([0.6, 0.25, 0.1, 0.05])
    proba, _ = _exact_posteriors(rng, true, 20_000)
    estimated = priors.estimate(proba, np.full(4, 0.25))
    assert np.abs(estimated - true).max() < 0.03
    # The feed's mean posterior, the naive estimate, is pulled towards the training shares.
    assert np.abs(proba.mean(axis=0) - true).max() > 0.05


def test_adjusted_probabilities_are_more_often_right_on_a_skewed_feed() -> None:
    rng = np.random.default_rng(1)
    true = np.array([0.7, 0.2, 0.05, 0.05])
    proba, labels = _exact_posteriors(rng, true, 20_000)
    adjusted = priors.adjust(proba, np.full(4, 0.25), priors.estimate(proba, np.full(4, 0.25)))
    assert (adjusted.argmax(axis=1) == labels).mean() > (proba.argmax(axis=1) == labels).mean()


@given(arrays(np.float64, (5, 3), elements=st.floats(0.001, 1.0)))
def test_adjust_gives_rows_that_sum_to_one_and_the_same_priors_change_nothing(
    raw: np.ndarray,
) -> None:
    proba = raw / raw.sum(axis=1, keepdims=True)
    train = np.array([0.5, 0.3, 0.2])
    adjusted = priors.adjust(proba, train, np.array([0.1, 0.1, 0.8]))
    assert np.allclose(adjusted.sum(axis=1), 1.0)
    assert np.allclose(priors.adjust(proba, train, train), proba)


def test_an_empty_feed_keeps_the_training_shares() -> None:
    assert np.allclose(
        priors.estimate(np.empty((0, 3)), np.array([0.2, 0.3, 0.5])), [0.2, 0.3, 0.5]
    )


def test_shares_file_allows_a_header_and_names_bad_lines() -> None:
    shares = priors.parse_shares("label,share\nsport,3\npolitics,1\n", ["politics", "sport"], "p")
    assert np.allclose(shares, [0.25, 0.75], atol=1e-5)
    with pytest.raises(InputError, match=r"^p: line 2: the model has no label 'weer'"):
        priors.parse_shares("sport,1\nweer,2\n", ["politics", "sport"], "p")
    with pytest.raises(InputError, match=r"^p: line 3: 'veel' is not a number"):
        priors.parse_shares("sport,1\npolitics,2\npolitics,veel\n", ["politics", "sport"], "p")
    with pytest.raises(InputError, match="no label has a share above 0"):
        priors.parse_shares("sport,0\n", ["politics", "sport"], "p")


def test_the_least_sure_groups_temperature_is_kept() -> None:
    rng = np.random.default_rng(3)
    targets = rng.integers(0, 3, size=1_000)
    scores = rng.normal(size=(1_000, 3))
    scores[np.arange(1_000), targets] += np.where(np.arange(1_000) < 500, 4.0, 1.0)
    groups = np.where(np.arange(1_000) < 500, "clear", "murky")
    alone = {
        g: fit_temperature(scores[groups == g], targets[groups == g]) for g in ("clear", "murky")
    }
    assert alone["murky"] > alone["clear"]
    assert largest_group_temperature(scores, targets, groups) == alone["murky"]
    # Groups too small to fit on alone give nothing to keep.
    assert largest_group_temperature(scores[:100], targets[:100], groups[:100]) == 0.0


def test_label_thresholds_reach_the_precision_asked_for() -> None:
    rng = np.random.default_rng(2)
    proba, labels = _exact_posteriors(rng, np.full(4, 0.25), 8_000)
    names = ["a", "b", "c", "d"]
    thresholds = label_thresholds(proba, labels, names, precision=0.9)
    best = proba.argmax(axis=1)
    confidence = proba.max(axis=1)
    for index, name in enumerate(names):
        kept = (best == index) & (confidence >= thresholds[name])
        assert kept.sum() >= 20
        assert (labels[kept] == index).mean() >= 0.9
        assert thresholds[name] > 0.0  # this data is too hard to keep every prediction


def _rows(result_stdout: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(result_stdout)))


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    model = tmp_path_factory.mktemp("model") / "tiny.headlines"
    train = SAMPLES / "training" / "tiny-news.csv"
    result = CliRunner().invoke(app, ["train", str(train), "--model", str(model), "--cv", "0"])
    assert result.exit_code == 0, result.output
    return model


def test_priors_feed_and_file_change_confidence_not_the_rows(
    runner: CliRunner, tiny_model: Path, tmp_path: Path
) -> None:
    feed = tmp_path / "sport.txt"
    feed.write_text(
        "FC Utrecht wint van Sparta\nSchaatser rijdt record\nOranje wint van IJsland\n"
        "Wielrenner wint de etappe\nAjax verliest thuis\nKabinet valt over stikstof\n",
        encoding="utf-8",
    )
    plain = _rows(
        runner.invoke(
            app, ["predict", str(feed), "-m", str(tiny_model), "-f", "csv", "--priors", "train"]
        ).stdout
    )
    result = runner.invoke(app, ["predict", str(feed), "-m", str(tiny_model), "-f", "csv"])
    assert result.exit_code == 0, result.output
    adjusted = _rows(result.stdout)  # --priors feed is the default
    assert [r["headline"] for r in adjusted] == [r["headline"] for r in plain]
    sport = [i for i, r in enumerate(plain) if r["label"] == "sport"]
    assert sport, plain
    assert all(float(adjusted[i]["confidence"]) >= float(plain[i]["confidence"]) for i in sport)
    assert any(float(adjusted[i]["confidence"]) > float(plain[i]["confidence"]) for i in sport)

    shares = tmp_path / "shares.csv"
    shares.write_text("label,share\nsport,9\npolitics,1\n", encoding="utf-8")
    result = runner.invoke(
        app, ["predict", str(feed), "-m", str(tiny_model), "-f", "csv", "--priors", str(shares)]
    )
    assert result.exit_code == 0, result.output
    assert sum(r["label"] == "sport" for r in _rows(result.stdout)) >= len(sport)


def test_a_bad_priors_file_is_one_line_before_any_input_is_read(
    runner: CliRunner, tiny_model: Path, tmp_path: Path
) -> None:
    result = runner.invoke(
        app, ["predict", "no-such-feed.txt", "-m", str(tiny_model), "--priors", str(tmp_path / "x")]
    )
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'x'}: no such file\n"


def test_min_confidence_auto_uses_each_labels_threshold(tiny_model: Path) -> None:
    model = load_model(tiny_model)
    chunk = HeadlineChunk(["FC Utrecht wint van Sparta", "Kabinet valt over stikstof"], "t", 1)
    labels = next(label_chunks(model, [chunk], min_confidence=0.0)).labels
    model.card.calibration = {"thresholds": {labels[0]: 0.0, labels[1]: 1.0}}
    auto = next(label_chunks(model, [chunk], min_confidence="auto")).labels
    assert auto == [labels[0], "unknown"]
    model.card.calibration = None
    with pytest.raises(OptionError, match="no per-label thresholds"):
        label_chunks(model, [chunk], min_confidence="auto")


def test_min_confidence_that_is_no_number_is_one_line(runner: CliRunner, tiny_model: Path) -> None:
    page = SAMPLES / "pages" / "ages-before.txt"
    result = runner.invoke(
        app, ["predict", str(page), "-m", str(tiny_model), "--min-confidence", "hoog"]
    )
    assert result.exit_code == 2
    assert result.stderr == "error: --min-confidence hoog: use a probability from 0 to 1, or auto\n"


def test_group_column_calibrates_on_whole_groups(runner: CliRunner, tmp_path: Path) -> None:
    source = (SAMPLES / "training" / "tiny-news.csv").read_text(encoding="utf-8").splitlines()
    lines = [source[0] + ",writer"] + [f"{line},w{i % 4}" for i, line in enumerate(source[1:])]
    data = tmp_path / "grouped.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    model = tmp_path / "m.headlines"
    result = runner.invoke(
        app, ["train", str(data), "--model", str(model), "--cv", "0", "--group-column", "writer"]
    )
    assert result.exit_code == 0, result.output
    calibration = load_model(model).card.calibration
    assert calibration is not None
    assert calibration["held_out"] == (
        "3-fold cross-validation, whole groups in a fold; temperature of the least sure group"
    )
    result = runner.invoke(
        app, ["train", str(data), "--model", str(model), "--cv", "0", "--group-column", "who"]
    )
    assert result.exit_code == 2
    assert "no column 'who'" in result.stderr and "pass --group-column NAME" in result.stderr


def test_one_headline_alone_does_not_convince_em_of_its_label(
    runner: CliRunner, tiny_model: Path, tmp_path: Path
) -> None:
    feed = tmp_path / "one.txt"
    feed.write_text("Wielrenner wint de etappe in de Ardennen\n", encoding="utf-8")
    confidence = {
        option: float(
            _rows(
                runner.invoke(
                    app,
                    ["predict", str(feed), "-m", str(tiny_model), "-f", "csv", "--priors", option],
                ).stdout
            )[0]["confidence"]
        )
        for option in ("feed", "train")
    }
    assert confidence["train"] < 0.9
    assert abs(confidence["feed"] - confidence["train"]) < 0.05
