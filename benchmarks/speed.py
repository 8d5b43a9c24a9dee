"""Speed and memory of training and predicting, side by side with fastText, at several sizes.

Prints Markdown tables: for each N (``--sizes``, default 10k, 100k and 1M headlines)

- train time and peak memory of our default model (``train(..., cv=0)``, as the default
  model is trained) and of fastText supervised (word bigrams, a benchmark-only extra:
  ``pip install fasttext-numpy2-wheel``), trained on the same N headlines;
- end-to-end predict throughput, file to CSV: ours through the library (``predict_chunks``
  into ``write_chunks``, which is what ``headlines predict`` runs) with ``--jobs 1`` and
  ``--jobs 2``; fastText reading the file, ``predict(list)`` and writing the CSV in Python;
- our bare pipeline: the same fitted model's ``Model.predict`` on the texts in memory, in the
  chunks predict uses, with no reading or writing: the rest of end to end is our overhead;
  and that model's scikit-learn Pipeline (``predict_proba`` through the sparse matrix),
  which the fast path of scoring.py replaces;

then accuracy on data/holdout.csv of our default model and of fastText, both trained on
data/train.csv, and (``--big``) the peak memory of predicting 10 million lines.

Every measurement runs in a child process of its own; peak memory is that child's maximum
resident set (``os.wait4``, ``ru_maxrss``), and with worker processes also the largest sum of
the resident sets of the child and its workers (pages shared after ``fork`` count in each).
Times exclude starting Python and loading a model; predict times are the best of
``--repeat`` runs, as the machine may be shared.

Data recipe (deterministic, seeded; files are cached in ``--workdir``): the rows of
data/train.csv in a random order (seed 0 for training files, 1 for prediction files), cycled;
row i is its base headline plus a space and 1 to 3 words drawn at random from all the words
(split on white space) of data/train.csv's headlines. A row whose folded form (case and white
space, as training de-duplicates) was already made gets one more word until it is new, so all
N headlines are distinct. A training file is a CSV (headline, label: the base row's label); a
prediction file is a plain list, one headline per line.

fastText gets the same tokens as our model: lower case, words as ``[$€£]?\\w+``, for
training and prediction alike (that cleaning is part of its end-to-end time). It trains with
``wordNgrams=2, lr=0.5, thread=2`` and 5 epochs at these sizes (its default), and with 25
epochs on data/train.csv for the accuracy row, as in benchmarks/compare_classifiers.py.

Run: ``.venv/bin/python benchmarks/speed.py [--sizes 10000 100000 1000000] [--big]``
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
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
CHUNK = 10_000


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
    """The cached training CSV (``kind="train"``) or prediction list (``"list"``) of n rows."""
    path = workdir / f"{kind}-{n}.{'csv' if kind == 'train' else 'txt'}"
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


# --- child processes: each prints one JSON line -----------------------------------------------


def _clean(text: str) -> str:
    return " ".join(TOKEN.findall(text.lower()))


def child(task: str, args: list[str]) -> dict[str, Any]:
    if task == "train":
        from headlines.training import train

        start = time.perf_counter()
        train([args[0]], args[1], cv=0)
        return {"seconds": time.perf_counter() - start}
    if task == "predict":
        from headlines.output import write_chunks
        from headlines.persistence import load_model
        from headlines.predicting import predict_chunks

        model = load_model(args[1])
        start = time.perf_counter()
        with open(args[3], "w", encoding="utf-8", newline="") as fh:
            rows = write_chunks(
                predict_chunks([args[0]], model=model, jobs=int(args[2])), fh, "csv"
            )
        return {"seconds": time.perf_counter() - start, "rows": rows}
    if task in ("bare", "sklearn"):
        from headlines.persistence import load_model

        model = load_model(args[1])
        predict = model.predict if task == "bare" else model.pipeline.predict_proba
        with open(args[0], encoding="utf-8") as fh:
            texts = [line.strip() for line in fh if line.strip()]
        start = time.perf_counter()
        for i in range(0, len(texts), CHUNK):
            predict(texts[i : i + CHUNK])
        return {"seconds": time.perf_counter() - start, "rows": len(texts)}
    if task == "ft-train":
        import fasttext  # benchmark-only extra

        start = time.perf_counter()
        with (
            open(args[0], encoding="utf-8", newline="") as src,
            open(args[1] + ".txt", "w", encoding="utf-8") as dst,
        ):
            for row in csv.DictReader(src):
                dst.write(f"__label__{row['label']} {_clean(row['headline'])}\n")
        model = fasttext.train_supervised(
            args[1] + ".txt", wordNgrams=2, epoch=int(args[2]), lr=0.5, minCount=1, thread=2,
            verbose=0,
        )  # fmt: skip
        model.save_model(args[1])
        return {"seconds": time.perf_counter() - start}
    if task == "ft-predict":
        import fasttext

        model = fasttext.load_model(args[1])
        start = time.perf_counter()
        with open(args[0], encoding="utf-8") as fh:
            texts = [line.strip() for line in fh if line.strip()]
        labels, probabilities = model.predict([_clean(t) for t in texts])
        with open(args[2], "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["headline", "label", "confidence"])
            writer.writerows(
                (t, label[0].removeprefix("__label__"), round(float(p[0]), 3))
                for t, label, p in zip(texts, labels, probabilities, strict=True)
            )
        return {"seconds": time.perf_counter() - start, "rows": len(texts)}
    if task == "accuracy":
        return _accuracy(Path(args[0]))
    raise SystemExit(f"unknown child task {task}")


def _accuracy(workdir: Path) -> dict[str, Any]:
    from headlines.dataset import load_dataset
    from headlines.persistence import load_model
    from headlines.training import train

    held = load_dataset([HOLDOUT])
    model_path = workdir / "default.joblib"
    train([TRAIN], model_path, cv=0)
    predicted, _ = load_model(model_path).predict(held.texts)
    ours = sum(p == t for p, t in zip(predicted, held.labels, strict=True)) / len(held.labels)
    result: dict[str, Any] = {"rows": len(held.labels), "ours": ours}
    try:
        child("ft-train", [str(TRAIN), str(workdir / "train.ftz"), "25"])
        import fasttext

        ft = fasttext.load_model(str(workdir / "train.ftz"))
        labels, _ = ft.predict([_clean(t) for t in held.texts])
        got = [label[0].removeprefix("__label__") for label in labels]
        result["fasttext"] = sum(g == t for g, t in zip(got, held.labels, strict=True)) / len(got)
    except ImportError:
        result["fasttext"] = None
    return result


def run(task: str, *args: object) -> dict[str, Any]:
    """Run a child task; add its peak memory (MB) and, with workers, the tree's peak sum."""
    command = [sys.executable, __file__, "--child", task, *map(str, args)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    tree_peak = 0
    while True:
        # Reaped here rather than by Popen, so that wait4 gives the child's resource usage.
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        tree_peak = max(tree_peak, _tree_rss(process.pid))
        time.sleep(0.1)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.stdout is not None
    out = process.stdout.read()
    process.stdout.close()
    if process.returncode != 0:
        raise SystemExit(f"child {task} failed: {out}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024
    result["tree_mb"] = tree_peak / 2**20
    return result


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


def best(task: str, repeat: int, *args: object) -> dict[str, Any]:
    runs = [run(task, *args) for _ in range(repeat)]
    return min(runs, key=lambda r: r["seconds"])


# --- the report -------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=2, help="predict runs per figure; best")
    parser.add_argument("--big", action="store_true", help=f"also predict {BIG:,} lines")
    parser.add_argument("--no-fasttext", action="store_true")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "headlines-speed"
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    fast = not args.no_fasttext and _has_fasttext()
    print(f"{os.cpu_count()} cores; Python {sys.version.split()[0]}; best of {args.repeat}\n")
    print("| N | what | train s | train peak MB | predict/s end to end | predict peak MB |")
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    summary = []
    for n in args.sizes:
        summary.append(_size(n, args, fast))
    print(
        "\n| N | --jobs 1 / fastText | --jobs 2 / fastText | --jobs 1 time over bare "
        "Model.predict | over scikit-learn Pipeline |"
    )
    print("| ---: | ---: | ---: | ---: | ---: |")
    for n, jobs1, jobs2, bare, sklearn, ft in summary:
        ratio1 = f"{jobs1 / ft:.2f}" if ft else "-"
        ratio2 = f"{jobs2 / ft:.2f}" if ft else "-"
        print(f"| {n:,} | {ratio1} | {ratio2} | {bare / jobs1 - 1:+.1%} "
              f"| {sklearn / jobs1 - 1:+.1%} |")  # fmt: skip
    accuracy = run("accuracy", args.workdir)
    print(f"\n| model, trained on data/train.csv | accuracy on data/holdout.csv "
          f"({accuracy['rows']:,} rows) |")  # fmt: skip
    print("| --- | ---: |")
    print(f"| headlines default (sgd, word+char) | {accuracy['ours']:.4f} |")
    if accuracy["fasttext"] is not None:
        print(f"| fastText bigrams, 25 epochs | {accuracy['fasttext']:.4f} |")
    if args.big:
        _big(args)


def _size(n: int, args: argparse.Namespace, fast: bool) -> tuple[int, ...]:
    train_csv = data_file(args.workdir, n, "train")
    lines = data_file(args.workdir, n, "list")
    model = args.workdir / f"model-{n}.joblib"
    out = args.workdir / "out.csv"
    trained = run("train", train_csv, model)
    rates = {}
    for jobs in (1, 2):
        r = best("predict", args.repeat, lines, model, jobs, out)
        rates[jobs] = r["rows"] / r["seconds"]
        train_cells = f"{trained['seconds']:.1f} | {trained['peak_mb']:.0f}" if jobs == 1 else " | "
        memory = f"{r['peak_mb']:.0f}" + (f" ({r['tree_mb']:.0f} all)" if jobs > 1 else "")
        print(f"| {n:,} | headlines --jobs {jobs} | {train_cells} | {rates[jobs]:,.0f} "
              f"| {memory} |", flush=True)  # fmt: skip
    bare = best("bare", args.repeat, lines, model)
    bare_rate = bare["rows"] / bare["seconds"]
    print(f"| {n:,} | bare pipeline (Model.predict, no I/O) |  |  | {bare_rate:,.0f} "
          f"| {bare['peak_mb']:.0f} |", flush=True)  # fmt: skip
    sklearn = run("sklearn", lines, model)  # once: it is the slow one
    sklearn_rate = sklearn["rows"] / sklearn["seconds"]
    print(f"| {n:,} | scikit-learn Pipeline.predict_proba (no I/O) |  |  | {sklearn_rate:,.0f} "
          f"| {sklearn['peak_mb']:.0f} |", flush=True)  # fmt: skip
    ft_rate = 0.0
    if fast:
        ft_model = args.workdir / f"fasttext-{n}.bin"
        ft_trained = run("ft-train", train_csv, ft_model, 5)
        ft = best("ft-predict", args.repeat, lines, ft_model, out)
        ft_rate = ft["rows"] / ft["seconds"]
        print(f"| {n:,} | fastText bigrams | {ft_trained['seconds']:.1f} "
              f"| {ft_trained['peak_mb']:.0f} | {ft_rate:,.0f} | {ft['peak_mb']:.0f} |",
              flush=True)  # fmt: skip
    return n, rates[1], rates[2], bare_rate, sklearn_rate, ft_rate


def _big(args: argparse.Namespace) -> None:
    lines = data_file(args.workdir, BIG, "list")
    model = args.workdir / "default.joblib"  # trained by the accuracy run
    out = args.workdir / "out.csv"
    print(f"\n| {BIG:,} lines | predict/s end to end | peak MB |")
    print("| --- | ---: | ---: |")
    for jobs in (1, 2):
        r = run("predict", lines, model, jobs, out)
        memory = f"{r['peak_mb']:.0f}" + (
            f" ({r['tree_mb']:.0f} all processes)" if jobs > 1 else ""
        )
        print(
            f"| headlines --jobs {jobs} | {r['rows'] / r['seconds']:,.0f} | {memory} |", flush=True
        )


def _has_fasttext() -> bool:
    try:
        import fasttext  # noqa: F401
    except ImportError:
        print("fastText not installed: pip install fasttext-numpy2-wheel", file=sys.stderr)
        return False
    return True


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], sys.argv[3:])))
    else:
        main()
