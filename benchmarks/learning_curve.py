"""Learning curve: the default pipeline trained on growing shares of data/train.csv.

Each share is a stratified, seeded sample; every model is scored on data/holdout.csv (never
trained on) and, where ../shared/datasets is present, on the real headlines of
benchmarks/real_headlines.py. Shows what more (varied) data buys.

Run: ``.venv/bin/python benchmarks/learning_curve.py``
"""

from __future__ import annotations

import contextlib
import csv
from pathlib import Path

from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split

from headlines.model import Model
from headlines.pipeline import build_pipeline

ROOT = Path(__file__).resolve().parent.parent
SHARES = (1 / 16, 1 / 8, 1 / 4, 1 / 2, 1.0)


def _load(name: str) -> tuple[list[str], list[str]]:
    with open(ROOT / "data" / name, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [r["headline"] for r in rows], [r["label"] for r in rows]


def main() -> None:
    import real_headlines  # beside this file

    texts, labels = _load("train.csv")
    hold_x, hold_y = _load("holdout.csv")
    real = {}
    for name, load in real_headlines.SETS.items():
        with contextlib.suppress(OSError):
            real[name] = load()
    print(
        "| training rows | holdout accuracy | holdout macro-F1 | "
        + " | ".join(f"{n} accuracy" for n in real)
        + " |"
    )
    print("| ---: | ---: | ---: |" + " ---: |" * len(real))
    for share in SHARES:
        if share < 1:
            x, _, y, _ = train_test_split(
                texts, labels, train_size=share, stratify=labels, random_state=0
            )
        else:
            x, y = texts, labels
        model = Model.from_pipeline(build_pipeline().fit(x, y), None)  # type: ignore[arg-type]
        predicted = model.predict(hold_x)[0]
        cells = [
            f"{accuracy_score(hold_y, predicted):.3f}",
            f"{f1_score(hold_y, predicted, average='macro'):.3f}",
        ]
        for rx, ry in real.values():
            cells.append(f"{accuracy_score(ry, model.predict(rx)[0]):.3f}")
        print(f"| {len(x):,} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
