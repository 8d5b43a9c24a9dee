"""Where the seconds of one ``headlines train --cv 0`` go, step by step.

Each run is a fresh process (so importing is measured as a user meets it) that trains on the
generated training file of benchmarks/speed.py (``--rows`` rows, default a million; made and
cached as speed.py makes it) with a timer around each step, found by wrapping the functions
that do it:

- importing: ``import headlines.training`` (scikit-learn, which brings pandas and SciPy);
- reading: ``load_dataset``, reading and de-duplicating the CSV;
- ordering: ``held_out_order``, choosing the held-out tenth and putting the rows in order;
- counting: ``HeadlineVectorizer._counts``, the features of every row (on two cores from
  200,000 rows);
- weighing: ``HeadlineVectorizer._weigh``, IDF and unit length;
- fitting: ``CalibratedLinear.fit``, the one-vs-rest SGD fits and calibration;
- the rest: taking the rows in order, the card and saving the model.

Prints a Markdown table with each step's wall seconds in every run (``--repeat``, default 2).

Run: ``.venv/bin/python benchmarks/train_steps.py [--rows 1000000] [--repeat 2]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speed import data_file

STEPS = [
    ("importing", "importing (scikit-learn brings pandas and SciPy's stats)"),
    ("reading", "reading and de-duplicating the CSV"),
    ("ordering", "choosing the held-out tenth, putting the rows in order"),
    ("counting", "counting the features"),
    ("weighing", "weighing (IDF, unit length)"),
    ("fitting", "one-vs-rest SGD fits and calibration"),
    ("rest", "taking the rows in order, the card, saving"),
    ("total", "**total** (without Python's own start-up)"),
]


def child(train_csv: Path, model: Path) -> dict[str, float]:
    """One training in this process, timed step by step."""
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    import headlines.training as training

    seconds["importing"] = time.perf_counter() - start
    from headlines.calibration import CalibratedLinear
    from headlines.features import HeadlineVectorizer

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - began

        return wrapper

    training.load_dataset = timed("reading", training.load_dataset)  # type: ignore[attr-defined]
    training.held_out_order = timed("ordering", training.held_out_order)  # type: ignore[attr-defined]
    HeadlineVectorizer._counts = timed("counting", HeadlineVectorizer._counts)  # type: ignore[method-assign]
    HeadlineVectorizer._weigh = timed("weighing", HeadlineVectorizer._weigh)  # type: ignore[method-assign]
    CalibratedLinear.fit = timed("fitting", CalibratedLinear.fit)  # type: ignore[method-assign]
    began = time.perf_counter()
    training.train([train_csv], model, cv=0)
    trained = time.perf_counter() - began
    seconds["rest"] = trained - sum(seconds.get(name, 0.0) for name, _ in STEPS[1:6])
    seconds["total"] = time.perf_counter() - start
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "headlines-speed"
    )
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    train_csv = data_file(args.workdir, args.rows, "train")
    model = args.workdir / f"steps-{args.rows}.headlines"
    runs = []
    for _ in range(args.repeat):
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(train_csv), str(model)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        runs.append(json.loads(done.stdout.splitlines()[-1]))
    print(f"{args.rows:,} generated rows, `headlines train --cv 0`, wall seconds per run\n")
    print("| step | " + " | ".join(f"run {i + 1}" for i in range(len(runs))) + " |")
    print("| --- |" + " ---: |" * len(runs))
    for name, label in STEPS:
        print(f"| {label} | " + " | ".join(f"{run.get(name, 0.0):.2f}" for run in runs) + " |")


if __name__ == "__main__":
    main()
