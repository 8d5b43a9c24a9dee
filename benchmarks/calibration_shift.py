"""How much less sure the model would need to be on real headlines than on its own writers.

A model's temperature is fitted on whole briefs it did not learn from (calibration.py); but
every brief was written by the team, and real headlines are harder than any of them. This
benchmark measures the gap on the real sets of benchmarks/real_headlines.py (read where they
lie in ../shared, never copied): for each set, the temperature that would fit it alone, as a
multiple of the model's own (its "shift"), and the expected calibration error at the model's
temperature and at the shift the *other* sets would suggest (leave one set out).

No shift is applied to any model: the sets disagree (the public sets' topics are mapped from
other schemes, and their mapping noise asks for less sure answers than a portal page does),
so the figures are reported, not fitted (data/DATASHEET.md).

Run: ``.venv/bin/python benchmarks/calibration_shift.py [--model PATH]``
"""

from __future__ import annotations

import argparse
import math

import numpy as np
from real_headlines import SETS  # type: ignore[import-not-found]

from headlines import load_default_model, load_model
from headlines.calibration import fit_temperature
from headlines.evaluation import expected_calibration_error
from headlines.scoring import probabilities


def ece(scores: np.ndarray, targets: np.ndarray, temperature: float) -> float:
    proba = probabilities(scores, temperature)
    best = proba.argmax(axis=1)
    return expected_calibration_error(proba[np.arange(len(best)), best], best == targets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a model file (default: the default model)")
    args = parser.parse_args()
    model = load_model(args.model) if args.model else load_default_model()
    arrays = model.arrays
    if arrays is None:
        raise SystemExit("calibration_shift.py reads an arrays model (the default format)")
    own = arrays.temperature
    data = {}
    for name, load in SETS.items():
        texts, labels = load()
        # softmax(scores / T) gives back the scores up to a constant per row, which a
        # temperature does not see.
        scores = own * np.log(np.clip(model.calibrated_proba(texts), 1e-300, None))
        targets = np.array([model.labels.index(label) for label in labels])
        data[name] = (scores, targets, fit_temperature(scores, targets) / own)
    print(f"model temperature {own:.3f} (fitted on whole held-out briefs)")
    print(
        "| real set | rows | temperature alone | shift | ECE | shift from the other sets | "
        "ECE at it |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, (scores, targets, ratio) in data.items():
        others = [r for n, (_, _, r) in data.items() if n != name]
        left_out = math.exp(np.mean(np.log(others)))
        print(
            f"| {name} | {len(targets):,} | {ratio * own:.3f} | {ratio:.2f} | "
            f"{ece(scores, targets, own):.3f} | {left_out:.2f} | "
            f"{ece(scores, targets, own * left_out):.3f} |"
        )
    overall = math.exp(np.mean([math.log(r) for _, _, r in data.values()]))
    print(f"\nshift over all sets (geometric mean): {overall:.2f}")


if __name__ == "__main__":
    main()
