"""The default model format, plain arrays: the pipeline's probabilities, loaded with numpy
alone, and nothing in the file can run code."""

from __future__ import annotations

import csv
import io
import itertools
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import SAMPLES, TINY_TRAIN, Hostile, forge_model, model_parts, predict_with
from typer.testing import CliRunner

from headlines.card import ModelCard
from headlines.cli import app
from headlines.model import CLASSIFIERS, FEATURES, Model
from headlines.persistence import load_model, read_card, save_model
from headlines.pipeline import build_pipeline

ODD = ["", "🚀🚀🚀", "2025", "Путин прибыл в Пхеньян", "PSV wint PSV wint", "$PEPE x100!!"]
ARRAY_NAMES = [
    "char_ngrams",
    "idf",
    "intercept",
    "labels",
    "n_features",
    "temperature",
    "weights",
    "word_pairs",
]


def _rows(path: Path, text: str = "headline", label: str = "label") -> tuple[list[str], list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [r[text] for r in rows], [r[label] for r in rows]


DATA = {
    "nine-labels": _rows(TINY_TRAIN),
    "two-labels": _rows(SAMPLES / "training" / "hand-written.csv", "title", "topic"),
}


@pytest.mark.parametrize(
    ("data", "classifier", "features"),
    list(itertools.product(sorted(DATA), CLASSIFIERS, FEATURES)),
)
def test_arrays_file_gives_the_pipelines_probabilities(
    tmp_path: Path, data: str, classifier: str, features: str
) -> None:
    texts, labels = DATA[data]
    pipeline = build_pipeline(classifier, features).fit(texts, labels)
    card = ModelCard(classifier, features, {label: 1 for label in set(labels)}, len(texts), [])
    path = tmp_path / "m.headlines"
    save_model(Model.from_pipeline(pipeline, card), path)
    loaded = load_model(path)
    assert (read_card(path).model_format, loaded.pipeline) == ("arrays", None)
    assert loaded.labels == [str(label) for label in pipeline.classes_]
    sample = texts[:30] + ODD
    expected = pipeline.predict_proba(sample)  # scikit-learn's own sparse-matrix path
    assert np.abs(loaded.predict_proba(sample) - expected).max() < 1e-12
    assert loaded.predict(sample)[0] == list(pipeline.predict(sample))


def test_a_headline_scores_the_same_bits_wherever_it_lies_in_a_chunk(
    fruit_model_file: Path,
) -> None:
    # Dask workers label partitions and one process labels them all: a headline's
    # probabilities must not depend on where in a chunk it comes, first or later.
    texts = DATA["two-labels"][0] + ODD
    model = load_model(fruit_model_file)
    together = model.predict_proba(texts)
    for i, text in enumerate(texts):
        assert np.array_equal(load_model(fruit_model_file).predict_proba([text])[0], together[i])
        assert np.array_equal(model.predict_proba([*texts[i:], *texts[:i]])[0], together[i])


def test_arrays_payload_is_an_npz_that_numpy_reads_without_pickle(fruit_model_file: Path) -> None:
    card, payload = model_parts(fruit_model_file.read_bytes())
    assert card["model_format"] == "arrays"
    with np.load(io.BytesIO(payload), allow_pickle=False) as arrays:
        assert sorted(arrays.files) == ARRAY_NAMES
        assert arrays["labels"].tolist() == ["fruit", "vehicle"]
        assert arrays["weights"].shape == (int(arrays["n_features"]), 2)
        assert arrays["weights"].dtype == np.float32  # SGD fits float32: stored as it is
        loaded = load_model(fruit_model_file).arrays
        assert loaded is not None
        assert np.array_equal(loaded.weights, arrays["weights"])
        assert np.array_equal(loaded.idf, arrays["idf"])
        assert np.array_equal(loaded.intercept, arrays["intercept"])
        assert loaded.temperature == float(arrays["temperature"])


# Run in a child process: numpy imports the pickle module itself (for ndarray.dump), so
# pickle's loaders are disabled once numpy is in, and then pickle, joblib, scikit-learn, SciPy
# and skops cannot be imported at all.
_BLOCKED = """
import json, sys
import numpy
import pickle, _pickle

def refuse(*args, **kwargs):
    raise AssertionError("something was unpickled")

for module in (pickle, _pickle):
    for name in ("load", "loads", "Unpickler"):
        setattr(module, name, refuse)
BLOCKED = {"pickle", "_pickle", "joblib", "sklearn", "scipy", "skops", "pandas"}
for name in [m for m in sys.modules if m.split(".")[0] in BLOCKED]:
    del sys.modules[name]

class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is blocked")
        return None

sys.meta_path.insert(0, Block())
from headlines.persistence import load_model

model = load_model(sys.argv[1])
texts = json.loads(sys.argv[2])
explanation = model.explain(texts[0], top=3)
print(json.dumps({
    "labels": model.predict(texts)[0],
    "proba": model.predict_proba(texts).tolist(),
    "explained": explanation.contributions,
}))
"""


def test_default_format_loads_with_pickle_and_joblib_unimportable(fruit_model_file: Path) -> None:
    texts = ["Cherry growers expect a record harvest", "New electric bus", *ODD]
    done = subprocess.run(
        [sys.executable, "-c", _BLOCKED, str(fruit_model_file), json.dumps(texts)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    model = load_model(fruit_model_file)
    assert got["labels"] == model.predict(texts)[0]
    assert np.array_equal(np.array(got["proba"]), model.predict_proba(texts))
    assert [tuple(c) for c in got["explained"]] == model.explain(texts[0], top=3).contributions


def test_joblib_model_cannot_load_with_joblib_blocked(fruit_joblib_file: Path) -> None:
    """The check above can fail: the same child process refuses a pickle-based model."""
    done = subprocess.run(
        [sys.executable, "-c", _BLOCKED, str(fruit_joblib_file), json.dumps(["x"])],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "is blocked" in done.stderr


def _object_array(marker: Path) -> Callable[[dict[str, Any]], None]:
    def change(arrays: dict[str, Any]) -> None:
        arrays["labels"] = np.array([Hostile(marker), "vehicle"], dtype=object)

    return change


def _set(name: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(arrays: dict[str, Any]) -> None:
        arrays[name] = value

    return change


def _drop(name: str) -> Callable[[dict[str, Any]], None]:
    return lambda arrays: arrays.pop(name) and None


PAYLOADS = [
    (
        "object-array",
        "damaged arrays payload (labels.npy holds Python objects, which only a pickle can); "
        "retrain it",
    ),
    ("compressed", "damaged arrays payload (labels.npy is compressed); retrain it"),
    ("no-temperature", "the arrays payload has no temperature; refusing to load it"),
    (
        "extra-array",
        "the arrays payload has arrays headlines does not know (code); refusing to load it",
    ),
    ("weights-shape", "the arrays payload is inconsistent (weights are not features x labels)"),
    ("idf-text", "the arrays payload's idf is 1-d <U3; refusing to load it"),
    ("nan-weights", "the arrays payload is inconsistent (some values are not finite numbers)"),
    ("zero-temperature", "the arrays payload is inconsistent (temperature is not above 0)"),
    ("one-label", "the arrays payload is inconsistent (labels are not two or more names)"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "error"), PAYLOADS, ids=[p[0] for p in PAYLOADS])
def test_hostile_or_inconsistent_arrays_are_refused_in_one_line(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path, case: str, error: str
) -> None:
    marker = tmp_path / "ran"
    _, payload = model_parts(fruit_model_file.read_bytes())
    with np.load(io.BytesIO(payload), allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    changes = {
        "object-array": _object_array(marker),
        "no-temperature": _drop("temperature"),
        "extra-array": _set("code", np.arange(3)),
        "weights-shape": _set("weights", arrays["weights"][:-1]),
        "idf-text": _set("idf", np.array(["1.0", "2.0"])),
        "nan-weights": _set("weights", np.where(arrays["weights"] == 0, np.nan, 1.0)),
        "zero-temperature": _set("temperature", np.float64(0.0)),
        "one-label": _set("labels", np.array(["fruit", "fruit"])),
    }
    if case != "compressed":
        changes[case](arrays)
    buffer = io.BytesIO()
    save = np.savez_compressed if case == "compressed" else np.savez
    save(buffer, **arrays)  # type: ignore[operator]
    model = tmp_path / "colleague.headlines"
    model.write_bytes(forge_model(fruit_model_file, buffer.getvalue()))
    if "inconsistent" in error:
        error += "; retrain it"
    assert predict_with(runner, model) == (2, f"error: {model}: {error}\n")
    assert not marker.exists()


@pytest.mark.parametrize(
    ("name", "options", "written"),
    [
        ("m.headlines", [], "arrays"),
        ("m", [], "arrays"),
        ("m.joblib", [], "joblib"),
        ("m.pkl", [], "joblib"),
        ("m.model", ["--model-format", "skops"], "skops"),
    ],
)
def test_train_writes_the_format_the_name_says_else_arrays(
    runner: CliRunner, tmp_path: Path, name: str, options: list[str], written: str
) -> None:
    model = tmp_path / name
    args = ["train", str(TINY_TRAIN), "--model", str(model), "--cv", "0", *options]
    assert runner.invoke(app, args).exit_code == 0
    assert read_card(model).model_format == written
    assert predict_with(runner, model)[0] == 0


@pytest.mark.parametrize(
    ("name", "model_format", "error"),
    [
        ("m.joblib", "arrays", "the name says a joblib model, not arrays; name it m.headlines"),
        ("m.skops", "joblib", "the name says a skops model, not joblib; name it m.joblib"),
        ("m.model", "joblib", "a joblib model loads only from a name ending in .joblib, .pkl or "
                              ".pickle; name it m.joblib"),
    ],
)  # fmt: skip
def test_train_refuses_a_format_the_name_disagrees_with(
    runner: CliRunner, tmp_path: Path, name: str, model_format: str, error: str
) -> None:
    model = tmp_path / name
    args = ["train", str(TINY_TRAIN), "--model", str(model), "--model-format", model_format]
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {model}: {error}, or leave out --model-format\n",
    )
    assert not model.exists()


def test_arrays_and_joblib_files_of_one_training_label_alike(
    runner: CliRunner, fruit_model_file: Path, fruit_joblib_file: Path
) -> None:
    page = SAMPLES / "pages" / "ages-before.txt"
    outputs = [
        runner.invoke(app, ["predict", str(page), "-m", str(m), "-f", "csv", "--top-k", "1"])
        for m in (fruit_model_file, fruit_joblib_file)
    ]
    assert [o.exit_code for o in outputs] == [0, 0]
    assert outputs[0].stdout == outputs[1].stdout


def test_arrays_load_in_place_aligned_and_the_same_model_makes_the_same_payload(
    fruit_model_file: Path, tmp_path: Path
) -> None:
    """numpy copies a mapped array that is out of alignment at every take: the file lays
    each array out at a multiple of 64 bytes, so loading copies none of them."""
    model = load_model(fruit_model_file)
    assert model.arrays is not None
    for array in (model.arrays.weights, model.arrays.idf):
        assert array.flags.aligned and not array.flags.owndata
        assert array.__array_interface__["data"][0] % 64 == 0
    again = save_model(model, tmp_path / "again.headlines")
    assert again.model_sha256 == read_card(fruit_model_file).model_sha256
