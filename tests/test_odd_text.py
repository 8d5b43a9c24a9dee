"""Text no encoding can write (a file name whose bytes are not UTF-8, a JSON lone surrogate)
is written escaped, in rows and in messages; it never stops a run."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from headlines.cli import app


def _odd_name(folder: Path, name: bytes) -> Path:
    """A path whose name is not UTF-8, where the file system allows one."""
    path = folder / os.fsdecode(name)
    try:
        path.write_text("Peren in de aanbieding\n", encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    return path


def test_a_file_name_that_is_not_utf8_is_written_escaped(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path
) -> None:
    feed = _odd_name(tmp_path, b"caf\xe9.txt")
    out = tmp_path / os.fsdecode(b"\xff\xfe.csv")
    argv = ["predict", str(feed), "-m", str(fruit_model_file), "-o", str(out)]
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))
    assert row["source"] == f"{tmp_path}/caf\\xe9.txt"


def test_an_error_names_a_file_that_is_not_utf8_escaped(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path
) -> None:
    feed = _odd_name(tmp_path, b"caf\xe9.txt")
    out = tmp_path / os.fsdecode(b"no\xff") / "out.csv"
    result = runner.invoke(app, ["predict", str(feed), "-m", str(fruit_model_file), "-o", str(out)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {tmp_path}/no\\xff/out.csv: folder {tmp_path}/no\\xff does not exist; "
        "create it first\n",
    )


def test_training_data_whose_name_is_not_utf8(runner: CliRunner, tmp_path: Path) -> None:
    data = _odd_name(tmp_path, b"nieuws-\xe9.csv")
    data.write_text(
        "headline,label\n" + "".join(f"Peren {i},fruit\nBus {i},vehicle\n" for i in range(5)),
        encoding="utf-8",
    )
    model = tmp_path / "m.headlines"
    result = runner.invoke(app, ["train", str(data), "--model", str(model), "--cv", "0"])
    assert result.exit_code == 0, result.output
    assert f"read 10 rows from {tmp_path}/nieuws-\\xe9.csv\n" in result.stdout
    info = runner.invoke(app, ["info", "--model", str(model)])
    assert f"trained on     {tmp_path}/nieuws-\\xe9.csv (10 rows" in info.stdout


def test_a_json_lone_surrogate_is_written_escaped(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path
) -> None:
    feed = tmp_path / "odd.jsonl"
    feed.write_text('{"headline": "Peren \\udce9 in de aanbieding"}\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    argv = ["predict", str(feed), "-m", str(fruit_model_file), "-o", str(out)]
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))
    assert row["headline"] == "Peren \\udce9 in de aanbieding"


def test_a_lone_surrogate_on_a_strict_terminal_is_printed_escaped(
    fruit_model_file: Path, tmp_path: Path
) -> None:
    feed = tmp_path / "odd.jsonl"
    feed.write_text('{"headline": "Peren \\udce9 in de aanbieding"}\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "headlines", "predict", str(feed), "-m", str(fruit_model_file)],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert b",Peren \\udce9 in de aanbieding," in done.stdout
