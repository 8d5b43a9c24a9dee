"""What 200 review answers buy: the least sure headlines first, against 200 picked at random.

Simulates a person reviewing a feed set with ``headlines review``: a labelled set stands in
for the feeds and for the person (who answers with the set's own label). The set is split
in two halves, by a fixed shuffle: the "feeds" the person labels, and the held-out answers
that score the model. Starting from the default model (trained on data/train.csv), each
round answers 50 headlines and retrains as review does (``--retrain-every 50``, the same
retrain function, which holds one answer in five out of the fit), for four rounds. The
answers go where ``headlines review`` puts them by default: appended to (a copy of) the
training file, whose brief column they leave empty, so the retraining holds out whole
writers as the default model's training does; ``--answers apart`` keeps them in a file of
their own, as ``--out answers.csv`` does, and the retraining holds out a random tenth.

- uncertain: the 50 headlines the model in use is least sure of, with review's quota per
  label (re-ranked by each retrained model);
- random: 50 headlines picked at random (``--seeds`` repeats, averaged).

Sets (read where they lie, never copied): ``bbc`` (BBC titles from ../shared/datasets, five
of our labels as they are; the default), ``ag-news`` (AG News test titles: Sports, Business
and Sci/Tech mapped to sport, business and tech), ``holdout`` (data/holdout.csv, which any
checkout has). Run: ``.venv/bin/python benchmarks/review_gain.py [--set bbc] [--seeds 1]
[--answers apart]``.
Prints a Markdown table: accuracy and macro-F1 on the held-out half after 0, 50, ..., 200
answers.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

from real_headlines import _rows, ag_news, bbc  # the same sets, read the same way

from headlines import load_default_model
from headlines.model import Model
from headlines.review.answers import Answer, AnswerLog
from headlines.review.queue import default_quota, margins, uncertainty_order
from headlines.review.retraining import figures, retrain

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT / "data" / "train.csv"
ROUND, ROUNDS = 50, 4
Data = tuple[list[str], list[str]]


def holdout() -> Data:
    rows = _rows(ROOT / "data" / "holdout.csv")
    return [r["headline"] for r in rows], [r["label"] for r in rows]


SETS = {"bbc": bbc, "ag-news": ag_news, "holdout": holdout}


def next_batch(
    strategy: str, model: Model, pool: Data, asked: set[int], rng: random.Random
) -> list[int]:
    """The next ``ROUND`` headlines of the pool to answer."""
    left = [i for i in range(len(pool[0])) if i not in asked]
    if strategy == "random":
        return rng.sample(left, ROUND)
    proba = model.predict_proba([pool[0][i] for i in left])
    best = [model.labels[j] for j in proba.argmax(axis=1)]
    order = uncertainty_order(margins(proba), best, quota=default_quota(len(model.labels)))
    return [left[k] for k in order[:ROUND]]


def curve(
    strategy: str, base: Model, pool: Data, test: Data, seed: int, apart: bool = False
) -> list[tuple[float, float]]:
    """Accuracy and macro-F1 on ``test`` after 0, 50, ..., 200 answers."""
    rng = random.Random(seed)
    model = base
    scores = figures(model, *test)
    points = [(scores.accuracy or 0.0, scores.macro_f1 or 0.0)]
    asked: set[int] = set()
    answers: list[Answer] = []
    with tempfile.TemporaryDirectory() as folder:
        if apart:
            out = Path(folder) / "answers.csv"
            training = [TRAIN, out]
        else:
            out = Path(folder) / TRAIN.name
            shutil.copyfile(TRAIN, out)
            training = [out]
        log = AnswerLog(out)
        for _ in range(ROUNDS):
            batch = next_batch(strategy, model, pool, asked, rng)
            asked.update(batch)
            for i in batch:
                answers.append(Answer(pool[0][i], pool[1][i], "pool", "simulated", "m"))
                log.append(answers[-1])
            model, _ = retrain(model, training, answers)
            scores = figures(model, *test)
            points.append((scores.accuracy or 0.0, scores.macro_f1 or 0.0))
    return points


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(SETS), default="bbc")
    parser.add_argument("--seeds", type=int, default=1, help="random runs to average")
    parser.add_argument(
        "--answers",
        choices=["train", "apart"],
        default="train",
        help="append the answers to the training file (review's default) or keep them apart",
    )
    args = parser.parse_args()
    texts, labels = SETS[args.set]()
    order = list(range(len(texts)))
    random.Random(0).shuffle(order)
    half = len(order) // 2
    pool = ([texts[i] for i in order[:half]], [labels[i] for i in order[:half]])
    test = ([texts[i] for i in order[half:]], [labels[i] for i in order[half:]])
    base = load_default_model()
    started = time.monotonic()
    apart = args.answers == "apart"
    uncertain = curve("uncertain", base, pool, test, 0, apart)
    randoms = [curve("random", base, pool, test, seed, apart) for seed in range(args.seeds)]
    random_mean = [
        tuple(sum(run[k][m] for run in randoms) / len(randoms) for m in (0, 1))
        for k in range(ROUNDS + 1)
    ]
    print(
        f"{args.set}: {len(pool[0])} headlines to label, {len(test[0])} held-out answers; "
        f"the default model retrained on data/train.csv + the answers every {ROUND} "
        f"({'in a file apart' if apart else 'appended to it'}); "
        f"random averaged over {args.seeds} run(s); {time.monotonic() - started:.0f} s\n"
    )
    print("| answers | uncertain first: accuracy | macro-F1 | random: accuracy | macro-F1 |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for k in range(ROUNDS + 1):
        (ua, uf), (ra, rf) = uncertain[k], random_mean[k]
        print(f"| {k * ROUND} | {ua:.4f} | {uf:.4f} | {ra:.4f} | {rf:.4f} |")


if __name__ == "__main__":
    main()
