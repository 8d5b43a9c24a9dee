"""Shared fixtures: a CLI runner, sample files, and a small default model kept off the real one."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from headlines.cli import app
from headlines.dataset import Columns

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


def _train_fruit(path: Path) -> Path:
    from headlines.training import train

    train(
        [SAMPLES / "training" / "hand-written.csv"],
        path,
        columns=Columns("title", "topic"),
        cv=0,
    )
    return path


@pytest.fixture(scope="session")
def fruit_model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small model (fruit or vehicle) in the default format, trained once per session;
    copy it before changing it."""
    return _train_fruit(tmp_path_factory.mktemp("models") / "fruit.headlines")


@pytest.fixture(scope="session")
def fruit_joblib_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fruit model as a joblib pickle; copy it before changing it."""
    return _train_fruit(tmp_path_factory.mktemp("models") / "fruit.joblib")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` and its bytes, to show a failed run changed nothing."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


class Hostile:
    """Unpickling this creates ``marker``: the stand-in for any code a pickle can run."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (Path.touch, (self.marker,))


def predict_with(runner: CliRunner, model: Path) -> tuple[int, str]:
    """Exit code and stderr of ``headlines predict`` on a sample page with ``model``."""
    page = SAMPLES / "pages" / "ages-before.txt"
    result = runner.invoke(app, ["predict", str(page), "-m", str(model), "-f", "csv"])
    return result.exit_code, result.stderr


def model_parts(data: bytes) -> tuple[dict[str, Any], bytes]:
    """The card and the payload of a model file's bytes (format v2)."""
    magic, card_sha, card_line, payload = data.split(b"\n", 3)
    assert (magic, card_sha[:12]) == (b"headlines-model v2", b"card-sha256 ")
    return json.loads(card_line), payload


def model_bytes(card: dict[str, Any], payload: bytes) -> bytes:
    """A model file of this card and payload, with the card's sha256 as headlines writes it."""
    card_line = json.dumps(card).encode() + b"\n"
    card_sha = b"card-sha256 " + hashlib.sha256(card_line).hexdigest().encode()
    return b"headlines-model v2\n" + card_sha + b"\n" + card_line + payload


def forge_model(card_from: Path, payload: bytes, **card_changes: object) -> bytes:
    """A model file with another payload and a card that matches it, as a forger would make."""
    card, _ = model_parts(card_from.read_bytes())
    card.update(card_changes, model_sha256=hashlib.sha256(payload).hexdigest())
    return model_bytes(card, payload)


def hears_ctrl_c() -> None:
    """For ``preexec_fn`` of a process a test stops with SIGINT: a shell that starts a job in
    the background (``make test &`` in a script) has it ignore SIGINT, a process inherits
    that, and Python then never raises KeyboardInterrupt; the test would wait in vain."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextlib.contextmanager
def watchdog(seconds: float, what: str) -> Iterator[None]:
    """Fail, rather than hang, when the block has not returned after ``seconds``.

    Not a timing assert: the limit is far above what linear work on the inputs given takes
    on any machine, and only work that grows faster than its input (exponential
    backtracking, a loop without end) reaches it.
    """

    def expired(signum: int, frame: object) -> None:
        raise AssertionError(f"{what}: no answer after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


REVIEW = SAMPLES / "review"


@pytest.fixture(scope="session")
def review_model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small fruit / vehicle / weather model for review tests; copy it before changing it."""
    from headlines.training import train

    path = tmp_path_factory.mktemp("review-model") / "weather.joblib"
    train([REVIEW / "train.csv"], path, cv=0)
    return path


@pytest.fixture
def review_files(tmp_path: Path) -> dict[str, Path]:
    """A training CSV of the review model, a feed to review, and where answers go."""
    shutil.copy(REVIEW / "train.csv", tmp_path / "train.csv")
    shutil.copy(REVIEW / "feed.txt", tmp_path / "feed.txt")
    return {
        "train": tmp_path / "train.csv",
        "feed": tmp_path / "feed.txt",
        "out": tmp_path / "answers.csv",
    }


@contextlib.contextmanager
def review_server(*args: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``headlines review ARGS`` in a process of its own: its URL and the process, which is
    stopped (SIGINT, then killed) when the block ends if it still runs."""
    process = subprocess.Popen(
        [sys.executable, "-m", "headlines", "review", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = process.stdout.readline().strip() if process.stdout else ""
        if not url:
            process.wait(timeout=30)
            errors = process.stderr.read() if process.stderr else ""
            raise AssertionError(f"the review server did not start: {errors}")
        yield url, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()


class QuietFiles(SimpleHTTPRequestHandler):
    """A folder's files, served without a log line per request in the tests' output."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve_folder(folder: Path, handler: type[QuietFiles] = QuietFiles) -> Iterator[str]:
    """The files of ``folder`` served on 127.0.0.1 (never elsewhere) while the block runs:
    its address, ``http://127.0.0.1:PORT`` without a slash at the end."""
    files = functools.partial(handler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), files)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
