"""Model files: nothing is unpickled before the card checks pass, damage is refused in one
line, and a crash, a kill or a second run while saving never leaves a broken model."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import sklearn
from conftest import (
    SAMPLES,
    TINY_TRAIN,
    Hostile,
    forge_model,
    hears_ctrl_c,
    model_bytes,
    model_parts,
    predict_with,
    snapshot,
)
from typer.testing import CliRunner

from headlines import __version__
from headlines.card import CardError, ModelCard
from headlines.cli import app
from headlines.persistence import MAGIC, load_model, read_card

FEED = SAMPLES / "pages" / "ages-before.txt"


def _model_copy(fruit_model_file: Path, tmp_path: Path) -> Path:
    model = tmp_path / "model.headlines"
    shutil.copy(fruit_model_file, model)
    return model


def test_hostile_pickle_would_run_code(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    pickle.loads(pickle.dumps(Hostile(marker)))
    assert marker.exists()  # so the tests below, where it must not, mean something


def _bare(card_from: Path, payload: bytes) -> bytes:
    return payload


def _behind_a_copied_card(card_from: Path, payload: bytes) -> bytes:
    magic, card_sha, card, _ = card_from.read_bytes().split(b"\n", 3)
    return b"\n".join([magic, card_sha, card, payload])


def _behind_a_card_saying(model_format: str) -> Any:
    def disguise(card_from: Path, payload: bytes) -> bytes:
        return forge_model(card_from, payload, model_format=model_format)

    disguise.__name__ = f"behind_a_card_saying_{model_format}"
    return disguise


# (file name, how the pickle is dressed up, the error). Every card but the copied one is
# forged to match the pickle's sha256, as anyone can.
HOSTILE = [
    ("colleague.joblib", _bare, "not a headlines model file (no model card); refusing to load it"),
    (
        "colleague.joblib",
        _behind_a_copied_card,
        "model payload does not match the sha256 in its card; refusing to load it",
    ),
    (
        "colleague.joblib",
        _behind_a_card_saying("skops"),
        "the card says a skops model, but the payload is a joblib model; refusing to load it",
    ),
    (
        "colleague.headlines",
        _behind_a_card_saying("arrays"),
        "the card says an arrays model, but the payload is a joblib model; refusing to load it",
    ),
    (
        "evil.skops",
        _behind_a_card_saying("joblib"),
        "the name says a skops model, but the file holds a joblib model; refusing to load it",
    ),
    (
        "colleague.headlines",
        _behind_a_card_saying("joblib"),
        "the name says an arrays model, but the file holds a joblib model; refusing to load it",
    ),
    (
        "colleague.model",
        _behind_a_card_saying("joblib"),
        "a joblib model is a pickle, which runs code when it is loaded; headlines loads one "
        "only from a name ending in .joblib, .pkl or .pickle: rename it if you trust whoever "
        "made it",
    ),
]


@pytest.mark.parametrize(
    ("name", "disguise", "error"),
    HOSTILE,
    ids=[f"{h[0]}-{h[1].__name__.strip('_')}" for h in HOSTILE],
)
def test_hostile_pickle_passed_as_model_runs_nothing(
    runner: CliRunner,
    fruit_joblib_file: Path,
    tmp_path: Path,
    name: str,
    disguise: Any,
    error: str,
) -> None:
    marker = tmp_path / "ran"
    model = tmp_path / name
    model.write_bytes(disguise(fruit_joblib_file, pickle.dumps(Hostile(marker))))
    assert predict_with(runner, model) == (2, f"error: {model}: {error}\n")
    info = runner.invoke(app, ["info", "--model", str(model)])
    assert (info.exit_code, info.stderr) == (2, f"error: {model}: {error}\n")
    assert not marker.exists()


def _cut_in_payload(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _cut_in_card(data: bytes) -> bytes:
    return data[: data.index(b"{") + 40]


def _flip_payload_byte(data: bytes) -> bytes:
    i = len(data) - 100
    return data[:i] + bytes([data[i] ^ 1]) + data[i + 1 :]


def _flip_card_byte(data: bytes) -> bytes:
    return data.replace(b'"fruit": 12', b'"fruit": 13', 1)


def _card_line(line: bytes) -> Any:
    """A damage that puts this line in place of the card, with a matching card sha256."""

    def damage(data: bytes) -> bytes:
        _, payload = model_parts(data)
        magic = b"headlines-model v2\n"
        sha = hashlib.sha256(line + b"\n").hexdigest().encode()
        return magic + b"card-sha256 " + sha + b"\n" + line + b"\n" + payload

    return damage


def _card_field(name: str, value: object) -> Any:
    """A damage that sets one field of the card, with a matching card sha256."""

    def damage(data: bytes) -> bytes:
        card, payload = model_parts(data)
        card[name] = value
        return model_bytes(card, payload)

    return damage


DAMAGE = [
    (_cut_in_payload, "model payload does not match the sha256 in its card; refusing to load it"),
    (
        _flip_payload_byte,
        "model payload does not match the sha256 in its card; refusing to load it",
    ),
    (_cut_in_card, "the model card does not match its sha256; refusing to load it"),
    (_flip_card_byte, "the model card does not match its sha256; refusing to load it"),
    (_card_line(b"[1, 2]"), "damaged model card (the card is not a JSON object); retrain it"),
    (_card_line(b"{not json"), "damaged model card (not JSON); retrain it"),
    (_card_line(b"[" * 100_000), "damaged model card (nested too deep); retrain it"),
    (
        _card_field("versions", ["1.0"]),
        "damaged model card (versions is not names and versions); retrain it",
    ),
    (
        _card_field("training_files", "data/train.csv"),
        "damaged model card (training_files is not a list of files with path, sha256 and "
        "rows); retrain it",
    ),
    (
        _card_field("labels", {"fruit": "12"}),
        "damaged model card (labels is not label counts); retrain it",
    ),
    (
        _card_field("evaluation", {"path": 1}),
        "damaged model card (evaluation is not scores with path and rows); retrain it",
    ),
    (_card_field("classifier", None), "damaged model card (classifier is not text); retrain it"),
    (
        _card_field("labels", {"apple": 12, "car": 12}),
        "the card's labels (apple, car) are not the model's (fruit, vehicle); refusing to "
        "load it",
    ),
    (lambda data: data[:10], "not a headlines model file (no model card); refusing to load it"),
    (lambda data: b"", "not a headlines model file (no model card); refusing to load it"),
    (
        lambda data: data.replace(MAGIC % 2, MAGIC % 3, 1),
        "model format v3, this headlines reads v1, v2; upgrade headlines, or retrain it with "
        "'headlines train'",
    ),
    (
        lambda data: data.replace(MAGIC % 2, MAGIC % 0, 1),
        "model format v0, this headlines reads v1, v2; retrain it with 'headlines train'",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("damage", "error"), DAMAGE, ids=[str(i) for i in range(len(DAMAGE))])
def test_damaged_model_is_refused_in_one_line(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path, damage: object, error: str
) -> None:
    model = tmp_path / "damaged.headlines"
    model.write_bytes(damage(fruit_model_file.read_bytes()))  # type: ignore[operator]
    assert predict_with(runner, model) == (2, f"error: {model}: {error}\n")
    if "labels" not in error:  # info builds no model, so it cannot see whose labels they are
        info = runner.invoke(app, ["info", "--model", str(model)])
        assert (info.exit_code, info.stderr) == (2, f"error: {model}: {error}\n")


VERSIONS = [
    (
        "old.joblib",
        {"scikit-learn": "0.24.2"},
        f"saved with scikit-learn 0.24.2, running {sklearn.__version__}; predictions may "
        "differ, retrain it with 'headlines train'",
    ),
    ("old.headlines", {"scikit-learn": "0.24.2"}, None),  # arrays do not use scikit-learn
    (
        "new.headlines",
        {"headlines": "0.10.0"},
        f"saved by headlines 0.10.0, this is headlines {__version__}; upgrade headlines if its "
        "labels look wrong",
    ),
]


@pytest.mark.parametrize(("name", "versions", "warning"), VERSIONS, ids=[v[0] for v in VERSIONS])
def test_model_from_other_versions_warns_once_where_it_matters_and_predicts(
    runner: CliRunner,
    fruit_model_file: Path,
    fruit_joblib_file: Path,
    tmp_path: Path,
    name: str,
    versions: dict[str, str],
    warning: str | None,
) -> None:
    source = fruit_joblib_file if name.endswith(".joblib") else fruit_model_file
    card, payload = model_parts(source.read_bytes())
    card["versions"].update(versions)
    model = tmp_path / name
    model.write_bytes(model_bytes(card, payload))
    result = runner.invoke(app, ["predict", str(FEED), "-m", str(model), "-f", "csv"])
    assert result.exit_code == 0
    assert result.stderr == (f"warning: {model}: {warning}\n" if warning else "")
    assert len(result.stdout.splitlines()) == 1 + 7


def _train_args(model: Path, data: Path = TINY_TRAIN) -> list[str]:
    return ["train", str(data), "--model", str(model), "--cv", "0"]


@pytest.mark.parametrize(
    "content",
    ["headline,label\nPSV wint,sport\n", "headline,label\n\x00\x01", "title,topic\nA,b\n"],
    ids=["single-label", "binary", "no-columns"],
)
def test_failed_train_leaves_the_old_model_as_it_was(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path, content: str
) -> None:
    _model_copy(fruit_model_file, tmp_path)
    shutil.copy(fruit_model_file.with_name("fruit.card.json"), tmp_path / "model.card.json")
    (tmp_path / "bad.csv").write_text(content, encoding="utf-8")
    before = snapshot(tmp_path)
    result = runner.invoke(
        app,
        [*_train_args(tmp_path / "model.headlines", tmp_path / "bad.csv"), "--rejects", "r.csv"],
    )
    assert result.exit_code == 2
    assert snapshot(tmp_path) == before


def test_train_that_fails_while_saving_leaves_the_old_model_and_no_temp_file(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = _model_copy(fruit_model_file, tmp_path)
    before = snapshot(tmp_path)

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    result = runner.invoke(app, _train_args(model))
    assert result.exit_code == 1
    assert result.stderr.endswith("No space left on device\n")
    assert result.stderr.count("\n") == 1 + result.stderr.count("warning:")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "args",
    [
        ["-m", "{tmp}/missing.headlines"],
        ["{tmp}/missing.txt"],
        ["{tmp}/binary.bin"],
        ["-f", "xml"],
    ],
    ids=["missing-model", "missing-second-input", "binary-second-input", "unknown-format"],
)
def test_failed_predict_leaves_the_old_output_as_it_was(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path, args: list[str]
) -> None:
    out = tmp_path / "labels.csv"
    out.write_text("source,position,headline\nold,1,keep me\n", encoding="utf-8")
    shutil.copy(SAMPLES / "bad" / "binary.bin", tmp_path / "binary.bin")
    before = snapshot(tmp_path)
    argv = ["predict", str(FEED), "-m", str(fruit_model_file), "-o", str(out)]
    argv += [a.format(tmp=tmp_path) for a in args]
    result = runner.invoke(app, argv)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert snapshot(tmp_path) == before


# Runs `headlines train` in a child process with a slow disk. Its first fsync (the model
# file's, just before its rename) announces itself by creating SAVING, waits up to 3 s for
# the file OTHER (another run reaching the same point), then sleeps; the second fsync (the
# readable card's) sleeps too. DELAYS is "first,second" in seconds.
_SLOW_SAVE = """
import os, sys, time
from pathlib import Path
from headlines.cli import main

saving, other = Path(sys.argv[1]), Path(sys.argv[2])
delays = [float(d) for d in sys.argv[3].split(",")]
real_fsync = os.fsync
def fsync(fd):
    if not saving.exists():
        saving.touch()
        deadline = time.monotonic() + 3
        while not other.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
    time.sleep(delays.pop(0) if delays else 0)
    real_fsync(fd)
os.fsync = fsync
sys.argv = ["headlines", *sys.argv[4:]]
main()
"""


def _start_train(
    model: Path, data: Path, saving: Path, other: Path, delays: str
) -> subprocess.Popen[bytes]:
    script = [sys.executable, "-c", _SLOW_SAVE, str(saving), str(other), delays]
    return subprocess.Popen(
        [*script, *_train_args(model, data)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=hears_ctrl_c,
    )


def _wait_for(path: Path, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline, "train never reached its save"
        time.sleep(0.02)


def test_train_killed_while_saving_leaves_the_old_model_intact(
    fruit_model_file: Path, tmp_path: Path
) -> None:
    model = _model_copy(fruit_model_file, tmp_path)
    card = tmp_path / "model.card.json"
    shutil.copy(fruit_model_file.with_name("fruit.card.json"), card)
    old_model, old_card = model.read_bytes(), card.read_bytes()
    saving = tmp_path.parent / f"{tmp_path.name}-saving"
    with _start_train(model, TINY_TRAIN, saving, saving, "60,0") as process:
        try:
            _wait_for(saving, process)
            process.send_signal(signal.SIGKILL)
        finally:
            process.kill()
    assert model.read_bytes() == old_model
    assert card.read_bytes() == old_card
    assert load_model(model).labels == ["fruit", "vehicle"]
    assert [p.name for p in tmp_path.glob(".model.headlines.*.tmp")] != []

    # The next save clears away what the killed one left.
    assert CliRunner().invoke(app, _train_args(model)).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.card.json", "model.headlines"]


def test_ctrl_c_while_saving_says_so_and_leaves_the_old_model_and_no_temp_file(
    fruit_model_file: Path, tmp_path: Path
) -> None:
    model = _model_copy(fruit_model_file, tmp_path)
    before = snapshot(tmp_path)
    saving = tmp_path.parent / f"{tmp_path.name}-saving"
    with _start_train(model, TINY_TRAIN, saving, saving, "60,0") as process:
        _wait_for(saving, process)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.decode().endswith("error: interrupted\n")
    assert snapshot(tmp_path) == before


def test_train_killed_at_random_moments_leaves_a_whole_model(
    fruit_model_file: Path, tmp_path: Path
) -> None:
    model = _model_copy(fruit_model_file, tmp_path)
    old = model.read_bytes()
    for delay in (0.0, 0.3, 0.8, 1.5, 2.5, 4.0):
        process = subprocess.Popen(
            [sys.executable, "-m", "headlines", *_train_args(model)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if model.read_bytes() != old:  # killed after the rename: the new model is whole
            assert read_card(model).training_rows == 54
            assert len(load_model(model).labels) == 9
            return


def test_two_trains_to_one_path_leave_one_whole_model_and_its_card(tmp_path: Path) -> None:
    model = tmp_path / "model.headlines"
    fruit = SAMPLES / "training" / "hand-written.csv"
    fruit_csv = tmp_path / "fruit.csv"
    fruit_csv.write_text(
        fruit.read_text(encoding="utf-8").replace("title,topic", "headline,label", 1),
        encoding="utf-8",
    )
    # Unless saves take turns, these delays make the first run rename its model first and its
    # card last, so the second run's model would be left beside the first run's card.
    first_saving, second_saving = tmp_path / "saving-0", tmp_path / "saving-1"
    with (
        _start_train(model, TINY_TRAIN, first_saving, second_saving, "0.1,2") as first,
        _start_train(model, fruit_csv, second_saving, first_saving, "1,0.1") as second,
    ):
        for process in (first, second):
            _, stderr = process.communicate(timeout=300)
            assert process.returncode == 0, stderr
    loaded = load_model(model)
    assert loaded.labels in (["fruit", "vehicle"], sorted(read_card(model).labels))
    beside = json.loads((tmp_path / "model.card.json").read_text(encoding="utf-8"))
    assert beside == read_card(model).to_dict()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "fruit.csv",
        "model.card.json",
        "model.headlines",
        "saving-0",
        "saving-1",
    ]


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(ModelCard)])
def test_every_card_field_is_checked_for_its_type(fruit_model_file: Path, field: str) -> None:
    card, _ = model_parts(fruit_model_file.read_bytes())
    card[field] = [[]]  # the wrong type for every field, training_files' items included
    with pytest.raises(CardError, match=f"^{field} is not "):
        ModelCard.from_dict(card)


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ({"weights": [1, 2]}, "the payload is a dict, not a fitted headlines pipeline"),
        ([1, 2, 3], "the payload is a list, not a fitted headlines pipeline"),
        ("Pipeline", "the payload is a str, not a fitted headlines pipeline"),
    ],
    ids=["dict", "list", "text"],
)
def test_joblib_payload_that_is_not_a_pipeline_is_an_input_error(
    runner: CliRunner, fruit_joblib_file: Path, tmp_path: Path, payload: object, error: str
) -> None:
    model = tmp_path / "other.joblib"
    model.write_bytes(forge_model(fruit_joblib_file, pickle.dumps(payload)))
    assert predict_with(runner, model) == (2, f"error: {model}: {error}; refusing to use it\n")


def test_unfitted_pipeline_is_an_input_error(
    runner: CliRunner, fruit_joblib_file: Path, tmp_path: Path
) -> None:
    import joblib

    from headlines.pipeline import build_pipeline

    buffer = io.BytesIO()
    joblib.dump(build_pipeline(), buffer)
    model = tmp_path / "unfitted.joblib"
    model.write_bytes(forge_model(fruit_joblib_file, buffer.getvalue()))
    assert predict_with(runner, model) == (
        2,
        f"error: {model}: the payload is a Pipeline, not a fitted headlines pipeline; "
        "refusing to use it\n",
    )


def test_fitted_pipeline_of_other_steps_is_an_input_error(
    runner: CliRunner, fruit_joblib_file: Path, tmp_path: Path
) -> None:
    import joblib
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    other = Pipeline([("classifier", LogisticRegression())]).fit([[0.0], [1.0]], ["a", "b"])
    buffer = io.BytesIO()
    joblib.dump(other, buffer)
    model = tmp_path / "other.joblib"
    model.write_bytes(forge_model(fruit_joblib_file, buffer.getvalue()))
    assert predict_with(runner, model) == (
        2,
        f"error: {model}: the payload is a Pipeline, not a fitted headlines pipeline; "
        "refusing to use it\n",
    )
