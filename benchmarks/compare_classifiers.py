"""Compare classifiers and feature sets side by side with fastText, on the same folds.

Prints a Markdown table: accuracy, macro-F1, fit time and predict rate of every
``headlines`` classifier with word-only and word+character features, and of fastText
supervised (word bigrams, a benchmark-only extra: ``pip install fasttext-numpy2-wheel``), on:

- ``train-cv``: 5-fold cross-validation of data/train.csv, near-duplicates kept in one fold;
- ``holdout``: trained on data/train.csv, scored on data/holdout.csv;
- ``ag-news``, ``bbc-titles``, ``nl-satire``: 5-fold cross-validation of the public sets in
  ../shared/datasets (read there, never copied; see its README).

Run: ``.venv/bin/python benchmarks/compare_classifiers.py [--quick] [--only NAME ...]``
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
from sklearn.metrics import accuracy_score, f1_score

from headlines.evaluation import grouped_folds
from headlines.model import CLASSIFIERS, FEATURES, Model
from headlines.pipeline import build_pipeline

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT.parent / "shared" / "datasets"
Data = tuple[list[str], list[str]]


def _csv(path: Path, text: Callable[[dict[str, str]], str], label: str, **kw: object) -> Data:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, **kw))  # type: ignore[arg-type]
    return [text(r) for r in rows], [r[label] for r in rows]


def load_sets(datasets: Path) -> dict[str, Callable[[], Data]]:
    return {
        "train-cv": lambda: _csv(ROOT / "data" / "train.csv", lambda r: r["headline"], "label"),
        "ag-news": lambda: _csv(
            datasets / "ag_news_test.csv",
            lambda r: f"{r['title']} {r['description']}".replace("\\", " "),
            "class",
            fieldnames=["class", "title", "description"],
        ),
        "bbc-titles": lambda: _csv(
            datasets / "bbc_titles.csv", lambda r: r["headline"], "category"
        ),
        "nl-satire": lambda: _csv(
            datasets / "dutch_headlines_nu_speld.csv", lambda r: r["headline"], "is_sarcastic"
        ),
    }


class FastText:
    """fastText supervised with word bigrams, trained and scored like the others."""

    def __init__(self) -> None:
        import fasttext  # benchmark-only extra

        self.fasttext = fasttext

    @staticmethod
    def _clean(text: str) -> str:
        return " ".join(re.findall(r"[$€£]?\w+", text.lower()))

    def fit(self, texts: list[str], labels: list[str]) -> FastText:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as fh:
            for text, label in zip(texts, labels, strict=True):
                fh.write(f"__label__{label} {self._clean(text)}\n")
            fh.flush()
            self.model = self.fasttext.train_supervised(
                fh.name, wordNgrams=2, epoch=25, lr=0.5, minCount=1, thread=2, verbose=0
            )
        return self

    def predict(self, texts: list[str]) -> list[str]:
        labels, _ = self.model.predict([self._clean(t) for t in texts])
        return [label[0].removeprefix("__label__") for label in labels]


class Ours:
    def __init__(self, classifier: str, features: str) -> None:
        self.classifier, self.features = classifier, features

    def fit(self, texts: list[str], labels: list[str]) -> Ours:
        pipeline = build_pipeline(self.classifier, self.features).fit(texts, labels)
        self.model = Model.from_pipeline(pipeline, None)  # type: ignore[arg-type]
        return self

    def predict(self, texts: list[str]) -> list[str]:
        return self.model.predict(texts)[0]


def contenders(quick: bool) -> Iterator[tuple[str, Callable[[], object]]]:
    for classifier in CLASSIFIERS:
        for features in FEATURES:
            if quick and features == "word" and classifier != "svm":
                continue
            yield f"{classifier} {features}", lambda c=classifier, f=features: Ours(c, f)
    try:
        FastText()
        yield "fastText bigrams", FastText
    except ImportError:
        print("fastText not installed: pip install fasttext-numpy2-wheel", file=sys.stderr)


def run(
    make: Callable[[], object], splits: list[tuple[list[str], list[str], list[str], list[str]]]
) -> dict[str, float]:
    truth: list[str] = []
    predicted: list[str] = []
    fit_s = predict_s = 0.0
    for train_x, train_y, test_x, test_y in splits:
        model = make()
        start = time.perf_counter()
        model.fit(train_x, train_y)  # type: ignore[attr-defined]
        fit_s += time.perf_counter() - start
        start = time.perf_counter()
        predicted += model.predict(test_x)  # type: ignore[attr-defined]
        predict_s += time.perf_counter() - start
        truth += test_y
    return {
        "accuracy": accuracy_score(truth, predicted),
        "macro_f1": f1_score(truth, predicted, average="macro"),
        "fit_s": fit_s / len(splits),
        "rate": len(truth) / predict_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer contenders, 3 folds")
    parser.add_argument("--only", nargs="*", help="data sets to run (default: all)")
    parser.add_argument("--datasets", type=Path, default=DATASETS)
    args = parser.parse_args()
    folds = 3 if args.quick else 5
    sets = load_sets(args.datasets)
    names = args.only or ["train-cv", "holdout", *[n for n in sets if n != "train-cv"]]
    print("| data set | rows | model | accuracy | macro-F1 | fit s | predict/s |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
    for name in names:
        if name == "holdout":
            train_x, train_y = sets["train-cv"]()
            test_x, test_y = _csv(ROOT / "data" / "holdout.csv", lambda r: r["headline"], "label")
            splits = [(train_x, train_y, test_x, test_y)]
            rows = len(test_x)
        else:
            x, y = sets[name]()
            xa, ya = np.asarray(x, dtype=object), np.asarray(y, dtype=object)
            splits = [
                (list(xa[tr]), list(ya[tr]), list(xa[te]), list(ya[te]))
                for tr, te in grouped_folds(x, y, folds=folds)
            ]
            rows = len(x)
        for label, make in contenders(args.quick):
            r = run(make, splits)
            print(
                f"| {name} | {rows:,} | {label} | {r['accuracy']:.4f} | {r['macro_f1']:.4f} "
                f"| {r['fit_s']:.1f} | {r['rate']:,.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
