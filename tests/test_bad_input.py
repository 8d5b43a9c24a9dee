"""Bad input, as a new user gives it: one line on stderr, exit 2, and no file written or changed.

Sample files live in samples/bad/: ``NAME.EXT`` is the input and ``NAME.train.error`` or
``NAME.predict.error`` the exact error that command gives on it (``{path}`` stands for the
sample's path; a first line ``args: ...`` adds options). A new pair is a new test.
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, TINY_TRAIN, snapshot
from typer.testing import CliRunner

from headlines.cli import app

BAD = SAMPLES / "bad"
EXPECTED = sorted(BAD.glob("*.error"))


def _sample(expected: Path) -> tuple[Path, str, list[str], str]:
    name, command = expected.name.split(".")[:2]
    (sample,) = [p for p in BAD.glob(f"{name}.*") if not p.name.endswith(".error")]
    lines = expected.read_text(encoding="utf-8").splitlines()
    args = shlex.split(lines.pop(0).removeprefix("args:")) if lines[0].startswith("args:") else []
    return sample, command, args, lines[0]


@pytest.mark.parametrize("expected", EXPECTED, ids=[p.name for p in EXPECTED])
def test_bad_sample_gives_its_one_line_error(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path, expected: Path
) -> None:
    sample, command, args, error = _sample(expected)
    if command == "train":
        args = ["train", str(sample), "--model", str(tmp_path / "m.headlines"), "--cv", "0", *args]
    else:
        args = ["predict", str(sample), "-m", str(fruit_model_file), "-f", "csv", *args]
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stderr) == (2, error.format(path=sample) + "\n")
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_every_bad_sample_has_an_expected_error() -> None:
    inputs = {p.name.split(".")[0] for p in BAD.iterdir() if not p.name.endswith(".error")}
    assert inputs == {p.name.split(".")[0] for p in EXPECTED}


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A folder with a good training CSV, a cp1252 one, a feed, a file and a subfolder."""
    shutil.copy(TINY_TRAIN, tmp_path / "train.csv")
    text = TINY_TRAIN.read_text(encoding="utf-8").replace("Kabinet", "Kabinét")
    (tmp_path / "cp1252.csv").write_bytes(text.encode("cp1252"))
    (tmp_path / "feed.txt").write_text("Peren\nBussen\n", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    return tmp_path


# (arguments, expected error line, exit code); {w} is the work folder, {m} the fruit model.
CASES = [
    ("train {w}/missing.csv", "error: {w}/missing.csv: no such file", 2),
    ("train {w}/folder", "error: {w}/folder: is a directory; pass a labelled CSV file", 2),
    (
        "train {w}/cp1252.csv --encoding utf-8",
        "error: {w}/cp1252.csv: line 2: not valid utf-8 text (invalid continuation byte); "
        "pass --encoding, for example --encoding cp1252",
        2,
    ),
    (
        "train {w}/train.csv --encoding klingon",
        "error: unknown encoding 'klingon'; pass --encoding with a name such as utf-8, cp1252 "
        "or latin-1",
        2,
    ),
    (
        "train {w}/train.csv --text-column title",
        "error: {w}/train.csv: no column 'title' (columns: headline, label); "
        "pass --text-column NAME",
        2,
    ),
    (
        "train {w}/train.csv --cv 1",
        "error: --cv 1: use 0 to skip cross-validation, or 2 or more folds",
        2,
    ),
    (
        "train {w}/train.csv --model {w}/no/such/m.headlines",
        "error: {w}/no/such/m.headlines: folder {w}/no/such does not exist; create it first",
        2,
    ),
    (
        "train {w}/train.csv --model {w}/folder",
        "error: {w}/folder: is a directory; pass a file name inside it",
        2,
    ),
    (
        "train {w}/train.csv --model {w}/feed.txt/m.headlines",
        "error: {w}/feed.txt/m.headlines: {w}/feed.txt is a file, not a folder; pass another path",
        2,
    ),
    (
        "train {w}/train.csv --rejects {w}/no/rejects.csv",
        "error: {w}/no/rejects.csv: folder {w}/no does not exist; create it first",
        2,
    ),
    (
        "train {w}/train.csv --model {w}/train.csv",
        "error: {w}/train.csv: is also an input, and would be overwritten; pass another path",
        2,
    ),
    (
        "train {w}/train.csv --rejects {w}/train.csv",
        "error: {w}/train.csv: is also an input, and would be overwritten; pass another path",
        2,
    ),
    (
        "train {w}/train.csv --model-format pickle",
        "error: unknown --model-format 'pickle'; choose one of arrays, joblib, skops",
        2,
    ),
    ("train", "error: Missing argument 'data'. (see 'headlines train --help')", 2),
    ("predict {w}/missing.txt -m {m}", "error: {w}/missing.txt: no such file", 2),
    (
        "predict {w}/cp1252.csv -m {m} --encoding utf-8",
        "error: {w}/cp1252.csv: line 2: not valid utf-8 text (invalid continuation byte); "
        "pass --encoding, for example --encoding cp1252",
        2,
    ),
    (
        "predict {w}/feed.txt -m {m} --encoding klingon",
        "error: unknown encoding 'klingon'; pass --encoding with a name such as utf-8, cp1252 "
        "or latin-1",
        2,
    ),
    (
        "predict {w}/feed.txt -m {m} --format xml",
        "error: unknown --format 'xml'; choose one of table, csv, jsonl, parquet",
        2,
    ),
    (
        "predict {w}/feed.txt -m {m} -o {w}/no/out.csv",
        "error: {w}/no/out.csv: folder {w}/no does not exist; create it first",
        2,
    ),
    (
        "predict {w}/feed.txt -m {m} -o {w}/folder",
        "error: {w}/folder: is a directory; pass a file name inside it",
        2,
    ),
    (
        "predict {w}/feed.txt -m {m} -o {w}/feed.txt/out.csv",
        "error: {w}/feed.txt/out.csv: {w}/feed.txt is a file, not a folder; pass another path",
        2,
    ),
    (
        "predict {w}/feed.txt -m {m} -o {w}/feed.txt",
        "error: {w}/feed.txt: is also an input, and would be overwritten; pass another path",
        2,
    ),
    (
        "predict {w}/feed.txt -m {m} --input-format xml",
        "error: unknown input format 'xml'; choose one of auto, page, html, list, csv, jsonl, "
        "json, rss, atom, parquet",
        2,
    ),
    (
        "predict {w}/feed.txt -m {w}/missing.headlines",
        "error: {w}/missing.headlines: no such model file; train one with 'headlines train'",
        2,
    ),
    (
        "predict {w}/feed.txt -m {w}/folder",
        "error: {w}/folder: is a directory; pass a model file",
        2,
    ),
    (
        "predict {w}/feed.txt -m {w}/train.csv",
        "error: {w}/train.csv: not a headlines model file (no model card); refusing to load it",
        2,
    ),
]


@pytest.mark.parametrize(("args", "error", "code"), CASES, ids=[c[0] for c in CASES])
def test_bad_option_or_path_gives_its_one_line_error(
    runner: CliRunner, fruit_model_file: Path, work: Path, args: str, error: str, code: int
) -> None:
    before = snapshot(work)
    fill = {"w": str(work), "m": str(fruit_model_file)}
    argv = [arg.format(**fill) for arg in shlex.split(args)]
    if argv[0] == "train":
        argv += ["--cv", "0"] if "--cv" not in argv else []
        argv += ["--model", str(work / "new.headlines")] if "--model" not in argv else []
    result = runner.invoke(app, argv, prog_name="headlines")
    assert (result.exit_code, result.stderr) == (code, error.format(**fill) + "\n")
    assert snapshot(work) == before


def test_traceback_only_with_headlines_debug(
    runner: CliRunner, work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEADLINES_DEBUG", "1")
    result = runner.invoke(app, ["train", str(work / "missing.csv")])
    assert result.exit_code == 1
    assert type(result.exception).__name__ == "InputError"
