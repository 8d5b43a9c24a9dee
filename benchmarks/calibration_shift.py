"""How much less sure the model should be on real headlines than on its own writers.

A model's temperature is fitted on whole briefs it did not learn from (calibration.py); but
every brief was written by the team, and real headlines are harder than any of them. This
benchmark measures the gap on the real sets of benchmarks/real_headlines.py (read where they
lie in ../shared, never copied): for each set, the temperature that would fit it alone, as a
multiple of the one the held-out briefs give (its "shift"), the expected calibration error as
the model is, and at the shift the *other* sets would suggest (leave one set out).

The default model's temperature is the briefs' times ``CALIBRATION_SHIFT`` (1.05, in
headlines/defaults.py): about the geometric mean of the shifts the real sets ask for (printed
last). The column "shift from the other sets" is that mean without the set itself, and "ECE
at it" what the set would get from it: an honest estimate for a set the shift was not fitted
on. A number, carrying no text of the sets.

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
    shift = float((model.card.calibration or {}).get("shift", 1.0))
    briefs = own / shift  # the temperature the held-out briefs gave
    data = {}
    for name, load in SETS.items():
        texts, labels = load()
        # softmax(scores / T) gives back the scores up to a constant per row, which a
        # temperature does not see.
        scores = own * np.log(np.clip(model.calibrated_proba(texts), 1e-300, None))
        targets = np.array([model.labels.index(label) for label in labels])
        data[name] = (scores, targets, fit_temperature(scores, targets) / briefs)
    print(f"model temperature {own:.3f}: {briefs:.3f} from whole held-out briefs, x {shift:g}")
    print(
        "| real set | rows | temperature alone | shift | ECE unshifted | ECE as the model is | "
        "shift from the other sets | ECE at it |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, (scores, targets, ratio) in data.items():
        others = [r for n, (_, _, r) in data.items() if n != name]
        left_out = math.exp(np.mean(np.log(others)))
        print(
            f"| {name} | {len(targets):,} | {ratio * briefs:.3f} | {ratio:.2f} | "
            f"{ece(scores, targets, briefs):.3f} | {ece(scores, targets, own):.3f} | "
            f"{left_out:.2f} | {ece(scores, targets, briefs * left_out):.3f} |"
        )
    overall = math.exp(np.mean([math.log(r) for _, _, r in data.values()]))
    print(f"\nshift over all sets (geometric mean): {overall:.2f}")


if __name__ == "__main__":
    main()
