"""Memory a fit takes per label: why train refuses a model that would not fit in memory.

For each classifier, trains on the same generated headlines with a few labels and with more,
each a fresh ``headlines train --cv 0`` process, and prints the peak resident memory of both,
the bytes each weight (one label times one hashed feature) added, and what
``headlines.training._BYTES_PER_WEIGHT`` assumes. The headlines are six random words of a
fixed vocabulary and a number, so that none repeats; labels are given in turn.

Run: ``.venv/bin/python benchmarks/label_memory.py [--rows 3000] [--labels 10 60]``
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from headlines.pipeline import CLASSIFIERS, build_pipeline
from headlines.training import _BYTES_PER_WEIGHT

WORDS = [
    "storm",
    "ajax",
    "beurs",
    "regen",
    "zon",
    "wind",
    "trein",
    "bus",
    "kabinet",
    "minister",
    "voetbal",
    "tennis",
]


def write_data(path: Path, rows: int, labels: int) -> None:
    rng = random.Random(0)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["headline", "label"])
        for i in range(rows):
            words = " ".join(rng.choice(WORDS) for _ in range(6))
            out.writerow([f"{words} {i}", f"l{i % labels}"])


def peak_mb(data: Path, classifier: str, model: Path) -> float:
    """Peak resident memory of the children run so far, after one ``headlines train``, in MB.

    The system keeps the maximum over all children, so the runs go from small to large.
    """
    argv = ["train", str(data), "--model", str(model), "--cv", "0", "--classifier", classifier]
    subprocess.run(
        [sys.executable, "-m", "headlines", *argv, "--quiet"], check=True, stdout=subprocess.DEVNULL
    )
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def measure(classifier: str, rows: int, few: int, many: int) -> str:
    """The table row of one classifier."""
    n_features = build_pipeline().named_steps["features"].n_features
    with tempfile.TemporaryDirectory() as tmp:
        peaks = []
        for labels in (few, many):
            data = Path(tmp) / f"{labels}.csv"
            write_data(data, rows, labels)
            peaks.append(peak_mb(data, classifier, Path(tmp) / "m.headlines"))
    per_weight = (peaks[1] - peaks[0]) * 2**20 / ((many - few) * n_features)
    return (
        f"| {classifier} | {peaks[0]:,.0f} | {peaks[1]:,.0f} | {per_weight:.1f} | "
        f"{_BYTES_PER_WEIGHT[classifier]} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--labels", type=int, nargs=2, default=[10, 60])
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a child process: one classifier
    args = parser.parse_args()
    few, many = args.labels
    if args.one:
        print(measure(args.one, args.rows, few, many))
        return
    n_features = build_pipeline().named_steps["features"].n_features
    print(f"{args.rows:,} rows, {few} and {many} labels, {n_features:,} hashed features\n")
    print("| classifier | peak MB, few labels | peak MB, more | bytes per weight | assumed |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for classifier in CLASSIFIERS:
        # A process per classifier: the peak the system keeps is that of all its children.
        sizes = ["--rows", str(args.rows), "--labels", str(few), str(many)]
        done = subprocess.run(
            [sys.executable, __file__, *sizes, "--one", classifier],
            check=True,
            capture_output=True,
            text=True,
        )
        print(done.stdout.strip())


if __name__ == "__main__":
    main()
