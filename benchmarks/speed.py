"""Speed and memory of `headlines train` and `predict`, beside the fastText command line.

Prints a Markdown table: for each N (``--sizes``, default 100k and 1M headlines)

- train: ``headlines train train-N.csv --cv 0`` and fastText's ``fasttext supervised`` (word
  bigrams, ``-lr 0.5 -thread 2 -minCount 1``, its default 5 epochs) on the same N rows, wall
  seconds and peak memory; fastText's time includes turning the CSV into its own format
  (lower case, words as ``[$€£]?\\w+``), as ours includes reading the CSV;
- accuracy on data/holdout.csv of the two N-row models (``headlines evaluate --priors
  train``, ``fasttext test``), so that speed is compared at a known accuracy;
- predict, file to file, end to end: ``headlines predict list-N.txt -o out.csv`` with
  ``--jobs 1`` and with the default (all cores), and ``fasttext predict-prob MODEL list 1 >
  out`` after the same tokenising; the best of ``--repeat`` runs.

With ``--train-repeat K`` each N is trained K times by both tools in turn (ours, fastText, ours,
...) and each tool's best time is shown, so that a slow spell of the machine does not fall on
one side only; the accuracy is that of each tool's last model (ours is the same every time).

Every figure is a whole process, started as a user starts it (Python's startup, imports and
loading the model included); peak memory is the process's maximum resident set (``os.wait4``),
and with worker processes also the largest sum over the process and its children, sampled
every 0.1 s. ``--big`` adds predicting 10 million lines. The cold start of one headline is
measured by benchmarks/latency.py. fastText rows are skipped when ``fasttext`` (Debian's
fastText CLI: ``apt-get install fasttext``) is not on PATH.

Data recipe (deterministic, seeded; files are cached in ``--workdir``): the rows of
data/train.csv in a random order (seed 0 for training files, 1 for prediction files), cycled;
row i is its base headline plus a space and 1 to 3 words drawn at random from all the words
(split on white space) of data/train.csv's headlines. A row whose folded form (case and white
space, as training de-duplicates) was already made gets one more word until it is new, so all
N headlines are distinct. A training file is a CSV (headline, label: the base row's label); a
prediction file is a plain list, one headline per line.

Run: ``.venv/bin/python benchmarks/speed.py [--sizes 100000 1000000] [--repeat 2]
[--train-repeat 1] [--big]``
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT / "data" / "train.csv"
HOLDOUT = ROOT / "data" / "holdout.csv"
BIG = 10_000_000
TOKEN = re.compile(r"[$€£]?\w+")
BIN = Path(sys.executable).parent


# --- data -------------------------------------------------------------------------------------


def _train_rows() -> list[tuple[str, str]]:
    with open(TRAIN, encoding="utf-8", newline="") as fh:
        return [(r["headline"].strip(), r["label"].strip()) for r in csv.DictReader(fh)]


def generate(n: int, seed: int) -> Any:
    """The recipe of the module docstring: n distinct (headline, label) rows."""
    rows = _train_rows()
    words = [word for text, _ in rows for word in text.split()]
    rng = random.Random(seed)
    order = list(range(len(rows)))
    rng.shuffle(order)
    seen: set[int] = set()  # hashes of folded headlines; a clash only adds a word
    for i in range(n):
        text, label = rows[order[i % len(rows)]]
        line = text + " " + " ".join(rng.choices(words, k=rng.randint(1, 3)))
        while hash(" ".join(line.casefold().split())) in seen:
            line += " " + rng.choice(words)
        seen.add(hash(" ".join(line.casefold().split())))
        yield line, label


def data_file(workdir: Path, n: int, kind: str) -> Path:
    """The cached training CSV (``kind="train"``) or prediction list (``"list"``) of n rows,
    named after the data/train.csv it was made from, so that new data makes new files."""
    made_from = hashlib.sha256(TRAIN.read_bytes()).hexdigest()[:8]
    path = workdir / f"{kind}-{n}-{made_from}.{'csv' if kind == 'train' else 'txt'}"
    if path.exists():
        return path
    part = path.with_suffix(".part")
    with open(part, "w", encoding="utf-8", newline="") as fh:
        if kind == "train":
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["headline", "label"])
            writer.writerows(generate(n, seed=0))
        else:
            fh.writelines(text + "\n" for text, _ in generate(n, seed=1))
    part.rename(path)
    return path


# --- whole processes ---------------------------------------------------------------------


def run(command: list[str], stdout: Path | None = None) -> dict[str, Any]:
    """Run a command; its wall seconds, peak memory (MB) and, with children, their peak sum."""
    with open(stdout or os.devnull, "w") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE)
        tree_peak = 0
        while True:
            # Reaped here rather than by Popen, so that wait4 gives the process's resource use.
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            tree_peak = max(tree_peak, _tree_rss(process.pid))
            time.sleep(0.1)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.stderr is not None
    errors = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {errors}")
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "tree_mb": tree_peak / 2**20}


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and its descendants, from /proc (0 where there is none)."""
    total = 0
    try:
        with open(f"/proc/{pid}/statm") as fh:
            total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                total += sum(_tree_rss(int(c)) for c in fh.read().split())
    except (OSError, ValueError):
        pass
    return total


def best(repeat: int, command: list[str], stdout: Path | None = None) -> dict[str, Any]:
    return min((run(command, stdout) for _ in range(repeat)), key=lambda r: r["seconds"])


def fasttext_text(source: Path, target: Path, *, labelled: bool) -> float:
    """fastText's input made from a training CSV or a list; the seconds it took."""
    start = time.perf_counter()
    with (
        open(source, encoding="utf-8", newline="") as src,
        open(target, "w", encoding="utf-8") as dst,
    ):
        if labelled:
            for row in csv.DictReader(src):
                words = " ".join(TOKEN.findall(row["headline"].lower()))
                dst.write(f"__label__{row['label']} {words}\n")
        else:
            dst.writelines(" ".join(TOKEN.findall(line.lower())) + "\n" for line in src)
    return time.perf_counter() - start


def our_accuracy(model: Path) -> float:
    done = subprocess.run(
        [str(BIN / "headlines"), "evaluate", str(HOLDOUT), "--model", str(model), "--json",
         "--priors", "train"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    accuracy: float = json.loads(done.stdout)["accuracy"]
    return accuracy


def fasttext_accuracy(model: Path, workdir: Path) -> float:
    holdout = workdir / "holdout.fasttext.txt"
    fasttext_text(HOLDOUT, holdout, labelled=True)
    done = subprocess.run(
        ["fasttext", "test", str(model), str(holdout)], capture_output=True, text=True, check=True
    )
    return float(done.stdout.split("P@1")[1].split()[0])


# --- the report -------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=2, help="predict runs per figure; best")
    parser.add_argument(
        "--train-repeat", type=int, default=1, help="trainings per tool, in turn; best"
    )
    parser.add_argument("--big", action="store_true", help=f"also predict {BIG:,} lines")
    parser.add_argument("--no-fasttext", action="store_true")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "headlines-speed"
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    fast = not args.no_fasttext and shutil.which("fasttext") is not None
    if not fast:
        print("fastText rows skipped: no `fasttext` on PATH (apt-get install fasttext)\n")
    print(f"{os.cpu_count()} cores; Python {sys.version.split()[0]}; predict: best of "
          f"{args.repeat}; train: best of {args.train_repeat}\n")  # fmt: skip
    print("| N | what | train s | train peak MB | holdout accuracy | predict s | predict/s "
          "| predict peak MB |")  # fmt: skip
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    ratios = [_size(n, args, fast) for n in args.sizes]
    if fast:
        print("\n| N | train: fastText time / ours | predict: ours / fastText rate, --jobs 1 "
              "| default --jobs |")  # fmt: skip
        print("| ---: | ---: | ---: | ---: |")
        for n, train, jobs1, jobs_all in ratios:
            print(f"| {n:,} | {train:.1f}x | {jobs1:.1f}x | {jobs_all:.1f}x |")
    if args.big:
        _big(args)


def _size(n: int, args: argparse.Namespace, fast: bool) -> tuple[int, float, float, float]:
    train_csv = data_file(args.workdir, n, "train")
    lines = data_file(args.workdir, n, "list")
    model = args.workdir / f"model-{n}.headlines"
    out = args.workdir / "out.csv"
    headlines = str(BIN / "headlines")
    ft_model = args.workdir / f"fasttext-{n}"
    ft_train = args.workdir / f"fasttext-train-{n}.txt"
    ours_runs, ft_runs = [], []
    for _ in range(args.train_repeat):
        ours_runs.append(
            run([headlines, "train", str(train_csv), "--model", str(model), "--cv", "0", "-q"])
        )
        if fast:
            cleaning = fasttext_text(train_csv, ft_train, labelled=True)
            r = run(
                ["fasttext", "supervised", "-input", str(ft_train), "-output", str(ft_model),
                 "-wordNgrams", "2", "-lr", "0.5", "-thread", "2", "-minCount", "1",
                 "-verbose", "0"]
            )  # fmt: skip
            ft_runs.append({**r, "seconds": r["seconds"] + cleaning})
    trained = min(ours_runs, key=lambda r: r["seconds"])
    accuracy = our_accuracy(model)
    rates = {}
    for jobs in ("1", None):
        options = ["--jobs", jobs] if jobs else []
        command = [headlines, "predict", str(lines), "-m", str(model), "-o", str(out), "-q"]
        r = best(args.repeat, [*command, *options])
        rates[jobs] = n / r["seconds"]
        what = f"headlines --jobs {jobs}" if jobs else "headlines (default --jobs)"
        train_cells = (
            f"{trained['seconds']:.1f} | {trained['peak_mb']:.0f} | {accuracy:.4f}"
            if jobs
            else " | | "
        )
        memory = f"{r['peak_mb']:.0f}" + ("" if jobs else f" ({r['tree_mb']:.0f} all)")
        print(f"| {n:,} | {what} | {train_cells} | {r['seconds']:.1f} | {rates[jobs]:,.0f} "
              f"| {memory} |", flush=True)  # fmt: skip
    if not fast:
        return n, 0.0, 0.0, 0.0
    ft_trained = min(ft_runs, key=lambda r: r["seconds"])
    ft_seconds = ft_trained["seconds"]
    ft_accuracy = fasttext_accuracy(ft_model.with_suffix(".bin"), args.workdir)
    ft_lines = args.workdir / f"fasttext-list-{n}.txt"
    ft_rs = []
    for _ in range(args.repeat):
        cleaning = fasttext_text(lines, ft_lines, labelled=False)
        r = run(["fasttext", "predict-prob", str(ft_model.with_suffix(".bin")), str(ft_lines),
                 "1"], stdout=out)  # fmt: skip
        ft_rs.append({**r, "seconds": r["seconds"] + cleaning})
    ft = min(ft_rs, key=lambda r: r["seconds"])
    ft_rate = n / ft["seconds"]
    print(f"| {n:,} | fastText CLI (bigrams, 5 epochs, 2 threads) | {ft_seconds:.1f} "
          f"| {ft_trained['peak_mb']:.0f} | {ft_accuracy:.4f} | {ft['seconds']:.1f} "
          f"| {ft_rate:,.0f} | {ft['peak_mb']:.0f} |", flush=True)  # fmt: skip
    return n, ft_seconds / trained["seconds"], rates["1"] / ft_rate, rates[None] / ft_rate


def _big(args: argparse.Namespace) -> None:
    lines = data_file(args.workdir, BIG, "list")
    model = args.workdir / f"model-{args.sizes[-1]}.headlines"
    out = args.workdir / "out.csv"
    print(f"\n| {BIG:,} lines | predict s | predict/s end to end | peak MB |")
    print("| --- | ---: | ---: | ---: |")
    for jobs in ("1", None):
        options = ["--jobs", jobs] if jobs else []
        command = [str(BIN / "headlines"), "predict", str(lines), "-m", str(model), "-o",
                   str(out), "-q", *options]  # fmt: skip
        r = run(command)
        memory = f"{r['peak_mb']:.0f}" + ("" if jobs else f" ({r['tree_mb']:.0f} all processes)")
        what = f"headlines --jobs {jobs}" if jobs else "headlines (default --jobs)"
        print(f"| {what} | {r['seconds']:.1f} | {BIG / r['seconds']:,.0f} | {memory} |",
              flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
