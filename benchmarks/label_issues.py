"""List the training rows whose label is probably wrong, by confident learning.

Every row of the labelled CSV files gets label probabilities from a cross-validation fold
that did not train on it (near-duplicates kept in one fold); a row is listed when another
label is confidently more likely than the one it was given (see
``headlines.evaluation.label_issues``). The list is for a person to review against
../shared/taxonomy.md: fix the label, drop the row, or keep it.

Run: ``.venv/bin/python benchmarks/label_issues.py data/train.csv -o issues.csv``
(about five fits of the default pipeline). Prints the count by given -> likely label and
writes ``line, headline, given, likely, margin`` rows, surest first.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter

from headlines.dataset import load_dataset
from headlines.evaluation import cross_validated_proba, grouped_folds, label_issues
from headlines.pipeline import build_pipeline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="+", help="labelled CSV files")
    parser.add_argument("-o", "--output", required=True, help="CSV file of the rows to review")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    data = load_dataset(args.data, dedupe=False)
    proba, names = cross_validated_proba(
        data.texts,
        data.labels,
        build_pipeline,
        grouped_folds(data.texts, data.labels, folds=args.folds),
        on_fold=lambda i, n: print(f"fold {i} of {n}", file=sys.stderr),
    )
    given = [names.index(label) for label in data.labels]
    issues = label_issues(proba, given)
    pairs = Counter(f"{names[given[i]]} -> {names[j]}" for i, j, _ in issues)
    print(f"{len(issues)} of {len(given)} rows flagged")
    for pair, n in pairs.most_common():
        print(f"  {pair}: {n}")
    with open(args.output, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["row", "headline", "given", "likely", "margin"])
        for i, j, margin in issues:
            writer.writerow([i, data.texts[i], data.labels[i], names[j], f"{margin:.3f}"])


if __name__ == "__main__":
    main()
