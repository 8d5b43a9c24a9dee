"""Cold start: one headline in, one label out, as a whole process, beside fastText's CLI.

Prints a Markdown table of wall times, each the best of ``--repeat`` (default 5) fresh
processes, after one warm-up run that is not counted:

- ``echo HEADLINE | headlines predict`` with the default model (trained first if needed), and
  with ``--model`` the same training saved as joblib (a pickled scikit-learn pipeline), to
  show what the arrays format saves;
- ``headlines --help``, ``headlines parse`` of the same line, and ``headlines info``;
- the Python API: ``python -c`` that imports headlines and labels the line with
  ``headlines.label_texts`` (the default model, not loaded beforehand);
- the floors every Python command pays: ``python -c pass`` and ``python -c "import numpy"``;
- fastText's command line (Debian's ``fasttext``; skipped when it is not on PATH):
  ``echo HEADLINE | fasttext predict-prob MODEL.bin - 1``, with a model the same CLI trained
  on data/train.csv (word bigrams, ``-lr 0.5 -epoch 25 -thread 2``, as benchmarks/speed.py
  trains its accuracy model), tokenised as benchmarks/speed.py does.

Python runs as an installed package does, with its bytecode cached (the environment's
PYTHONDONTWRITEBYTECODE is dropped for the runs, so the warm-up writes the cache); the
headlines commands run in a folder of their own with HEADLINES_MODEL_DIR pointing at
``--workdir``, so the default model is this checkout's, trained once.

Run: ``.venv/bin/python benchmarks/latency.py [--repeat 5] [--headline "..."]``
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from headlines.few import FEW

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT / "data" / "train.csv"
TOKEN = re.compile(r"[$€£]?\w+")
BIN = Path(sys.executable).parent


def timed(
    command: list[str], stdin: str, env: dict[str, str], repeat: int
) -> tuple[float, float, str]:
    """The best wall time and the best CPU time (user + system) of ``repeat`` runs, after one
    warm-up, and the last run's stdout. CPU time is steadier on a shared machine."""
    walls, cpus = [], []
    out = ""
    for i in range(repeat + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            command, input=stdin.encode(), capture_output=True, env=env, check=False
        )
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()}")
        out = done.stdout.decode()
        if i:
            walls.append(elapsed)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return min(walls), min(cpus), out


def fasttext_model(workdir: Path) -> Path:
    """fastText CLI's model of data/train.csv (trained once, kept in ``workdir``)."""
    model = workdir / "fasttext-train.bin"
    if model.exists():
        return model
    text = workdir / "fasttext-train.txt"
    with (
        open(TRAIN, encoding="utf-8", newline="") as src,
        open(text, "w", encoding="utf-8") as dst,
    ):
        for row in csv.DictReader(src):
            words = " ".join(TOKEN.findall(row["headline"].lower()))
            dst.write(f"__label__{row['label']} {words}\n")
    subprocess.run(
        ["fasttext", "supervised", "-input", str(text), "-output", str(model.with_suffix("")),
         "-wordNgrams", "2", "-lr", "0.5", "-epoch", "25", "-thread", "2", "-minCount", "1",
         "-verbose", "0"],
        check=True,
    )  # fmt: skip
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--headline", default="KNMI waarschuwt voor zware windstoten langs de kust")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "headlines-latency"
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["HEADLINES_MODEL_DIR"] = str(args.workdir / "models")
    headlines = str(BIN / "headlines")
    line = args.headline + "\n"

    # Train the default model once, and the same model as a joblib file.
    subprocess.run([headlines, "info"], env=env, check=True, capture_output=True)
    joblib_model = args.workdir / "default.joblib"
    if not joblib_model.exists():
        train = [headlines, "train", str(TRAIN), "--model", str(joblib_model), "--cv", "0"]
        subprocess.run(train, env=env, check=True, capture_output=True)

    def measure(name: str, command: list[str], stdin: str = line, expect: str = "") -> None:
        wall, cpu, out = timed(command, stdin, env, args.repeat)
        if expect not in out:
            raise SystemExit(f"{name}: expected {expect!r} in {out!r}")
        print(f"| {name} | {wall:.3f} | {cpu:.3f} |", flush=True)

    print(f"{os.cpu_count()} cores; Python {sys.version.split()[0]}; best of {args.repeat}\n")
    print("| one headline in, one label out (whole process) | wall s | CPU s |")
    print("| --- | ---: | ---: |")
    python = str(BIN / "python")
    measure("python -c pass (floor)", [python, "-c", "pass"])
    measure('python -c "import numpy" (floor)', [python, "-c", "import numpy"])
    measure("headlines --help", [headlines, "--help"], expect="predict")
    measure("headlines parse (no model)", [headlines, "parse", "-f", "csv"], expect=args.headline)
    measure("headlines info (default model)", [headlines, "info"], expect="arrays")
    predict = [headlines, "predict", "-f", "csv"]
    measure("headlines predict (default model, arrays)", predict, expect=args.headline)
    page = ROOT / "data" / "feeds" / "msn-nl-example.txt"
    measure("headlines predict, a page of 40 headlines", [*predict, str(page)], expect="sport")
    with open(TRAIN, encoding="utf-8", newline="") as fh:
        rows = [row["headline"] for row in itertools.islice(csv.DictReader(fh), FEW + 1)]
    measure(
        f"headlines predict, {FEW + 1} headlines (past few.FEW: numpy scores them)",
        predict,
        stdin="".join(f"{row}\n" for row in rows),
        expect=rows[-1].split()[0],
    )
    api = "import sys, headlines; print(headlines.label_texts([sys.stdin.readline()])[0].label)"
    measure("python: headlines.label_texts of one text (default model)", [python, "-c", api],
            expect="weather")  # fmt: skip
    measure(
        "headlines predict --model default.joblib (scikit-learn pipeline)",
        [*predict, "--model", str(joblib_model)],
        expect=args.headline,
    )
    if shutil.which("fasttext"):
        model = fasttext_model(args.workdir)
        measure(
            f"fastText CLI predict-prob (bigrams, {model.stat().st_size >> 20} MB model)",
            ["fasttext", "predict-prob", str(model), "-", "1"],
            " ".join(TOKEN.findall(args.headline.lower())) + "\n",
            "__label__",
        )
    else:
        print("| fastText CLI | skipped: no `fasttext` on PATH (apt-get install fasttext) | |")


if __name__ == "__main__":
    main()
