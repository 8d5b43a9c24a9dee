"""The skops model format: same predictions as joblib, chosen from the card on load, and only
the types headlines' own pipelines are made of are let in."""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import pytest
import skops.io
from conftest import SAMPLES, TINY_TRAIN, forge_model, model_parts, predict_with
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from typer.testing import CliRunner

from headlines.cli import app
from headlines.model import CLASSIFIERS, FEATURES, Model
from headlines.persistence import MAGIC, load_model, read_card, save_model
from headlines.pipeline import build_pipeline

FEED = SAMPLES / "pages" / "ages-before.txt"
TEXTS = ["Kabinet valt", "PSV wint van Ajax", "Storm op komst", "😀", "12345", ""]


def _train(runner: CliRunner, model: Path, *options: str) -> None:
    result = runner.invoke(
        app, ["train", str(TINY_TRAIN), "--model", str(model), "--cv", "0", *options]
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("name", "options"),
    [("m.model", ["--model-format", "skops"]), ("m.skops", [])],
    ids=["option", "suffix"],
)
def test_skops_model_predicts_as_the_joblib_one(
    runner: CliRunner, tmp_path: Path, name: str, options: list[str]
) -> None:
    _train(runner, tmp_path / "j.joblib")
    _train(runner, tmp_path / name, *options)
    assert read_card(tmp_path / name).model_format == "skops"
    assert read_card(tmp_path / "j.joblib").model_format == "joblib"
    outputs = [
        runner.invoke(app, ["predict", str(FEED), "-m", str(tmp_path / m), "-f", "csv"])
        for m in ("j.joblib", name)
    ]
    assert [o.exit_code for o in outputs] == [0, 0]
    assert outputs[0].stdout == outputs[1].stdout
    labels, proba = load_model(tmp_path / name).predict(TEXTS)
    assert (labels, list(proba)) == (
        load_model(tmp_path / "j.joblib").predict(TEXTS)[0],
        list(load_model(tmp_path / "j.joblib").predict(TEXTS)[1]),
    )


@pytest.mark.parametrize(
    ("classifier", "features", "class_weight"),
    list(itertools.product(CLASSIFIERS, FEATURES, [None, "balanced"])),
)
def test_every_pipeline_headlines_builds_loads_from_skops(
    tmp_path: Path, classifier: str, features: str, class_weight: str | None
) -> None:
    """A new classifier or feature set whose types are not in SKOPS_TRUSTED fails here."""
    from headlines.persistence import ModelCard

    texts = [f"kop nummer {i} over {topic}" for i in range(6) for topic in ("sport", "weer")]
    labels = [topic for _ in range(6) for topic in ("sport", "weather")]
    pipeline = build_pipeline(classifier, features, class_weight).fit(texts, labels)
    card = ModelCard(classifier, features, {"sport": 6, "weather": 6}, 12, [])
    save_model(Model.from_pipeline(pipeline, card), tmp_path / "m.skops")
    loaded = load_model(tmp_path / "m.skops")
    assert loaded.predict(texts)[0] == Model.from_pipeline(pipeline, card).predict(texts)[0]


@pytest.fixture
def skops_model(runner: CliRunner, tmp_path: Path) -> Path:
    model = tmp_path / "good.skops"
    _train(runner, model)
    return model


def test_skops_file_with_a_type_headlines_does_not_use_is_refused(
    runner: CliRunner, skops_model: Path, tmp_path: Path
) -> None:
    # skops itself trusts FunctionTransformer, and so whatever function it is given.
    hostile = Pipeline([("run", FunctionTransformer(func=print))])
    model = tmp_path / "colleague.skops"
    model.write_bytes(forge_model(skops_model, skops.io.dumps(hostile)))
    assert predict_with(runner, model) == (
        2,
        f"error: {model}: the skops model holds types headlines does not trust "
        "(builtins.print, sklearn.preprocessing._function_transformer.FunctionTransformer); "
        "refusing to load it\n",
    )


def test_payload_format_this_headlines_does_not_know_is_refused(
    runner: CliRunner, skops_model: Path, tmp_path: Path
) -> None:
    model = tmp_path / "future.model"
    model.write_bytes(forge_model(skops_model, b"onnx bytes", model_format="onnx"))
    assert predict_with(runner, model) == (
        2,
        f"error: {model}: model payload in format 'onnx', this headlines reads arrays, joblib, "
        "skops; upgrade headlines, or retrain it\n",
    )


def test_version_1_files_without_a_format_load_as_joblib(
    fruit_joblib_file: Path, tmp_path: Path
) -> None:
    """Files written before the card had its own sha256 and a model_format still load."""
    card, payload = model_parts(fruit_joblib_file.read_bytes())
    del card["model_format"]
    card["format_version"] = 1
    model = tmp_path / "old.joblib"
    model.write_bytes(MAGIC % 1 + json.dumps(card).encode() + b"\n" + payload)
    assert load_model(model).labels == ["fruit", "vehicle"]
    assert read_card(model).model_format == "joblib"


def test_without_skops_installed_the_error_names_the_extra(
    runner: CliRunner, skops_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "skops", None)
    monkeypatch.setitem(sys.modules, "skops.io", None)
    error = (
        "error: the skops model format needs the skops package; pip install 'headlines[skops]'\n"
    )
    model = tmp_path / "new.skops"
    result = runner.invoke(app, ["train", str(TINY_TRAIN), "--model", str(model)])
    assert (result.exit_code, result.stderr, model.exists()) == (1, error, False)
    assert predict_with(runner, skops_model) == (1, error)
