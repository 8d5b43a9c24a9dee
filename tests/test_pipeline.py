"""PassCappedSGD's one-vs-rest fits in threads of its own: the weights scikit-learn's fit
gives, and the process's warning filters left as they were."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.linear_model import SGDClassifier

from headlines.pipeline import PassCappedSGD

SETTINGS = {"loss": "modified_huber", "alpha": 2e-5, "max_iter": 15, "tol": None}


def _rows(
    n: int = 1200, labels: int = 9, dtype: type = np.float64
) -> tuple[sp.csr_matrix, np.ndarray]:
    rng = np.random.default_rng(3)
    x = sp.random(n, 500, density=0.02, format="csr", random_state=4, dtype=dtype)
    y = np.array([f"label{i}" for i in range(labels)])[rng.integers(0, labels, n)]
    return x, y


@pytest.mark.parametrize("class_weight", [None, "balanced"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])  # the features are float32
def test_labels_fitted_in_threads_get_scikit_learns_weights(
    class_weight: str | None, weighted: bool, dtype: type
) -> None:
    x, y = _rows(dtype=dtype)
    sample_weight = np.random.default_rng(5).random(len(y)) if weighted else None
    settings = SETTINGS | {"class_weight": class_weight, "random_state": 0}
    alone = SGDClassifier(n_jobs=1, **settings).fit(x, y, sample_weight=sample_weight)
    threaded = PassCappedSGD(n_jobs=2, **settings).fit(x, y, sample_weight=sample_weight)
    assert threaded.coef_.shape == (9, 500)
    assert np.array_equal(threaded.coef_, alone.coef_)
    assert np.array_equal(threaded.intercept_, alone.intercept_)
    assert threaded.intercept_.dtype == alone.intercept_.dtype == dtype
    assert list(threaded.classes_) == list(alone.classes_)
    assert (threaded.n_iter_, threaded.t_) == (alone.n_iter_, alone.t_)
    assert np.array_equal(threaded.predict_proba(x), alone.predict_proba(x))


def test_two_labels_and_one_thread_are_left_to_scikit_learn() -> None:
    x, y = _rows(labels=2)
    settings = SETTINGS | {"random_state": 0}
    for estimator in (PassCappedSGD(n_jobs=2, **settings), PassCappedSGD(n_jobs=1, **settings)):
        estimator.fit(x, y)
        assert np.array_equal(estimator.coef_, SGDClassifier(**settings).fit(x, y).coef_)


def test_fits_in_threads_leave_the_warning_filters_as_they_were() -> None:
    # Threads switch every microsecond here, so the fits' threads overlap as often as they
    # can. scikit-learn's own threads (n_jobs in SGDClassifier) left this process without a
    # filter on the first fit or so, and a warning a label on each fit after it.
    script = textwrap.dedent(
        """
        import sys, warnings
        import numpy as np
        from headlines.pipeline import PassCappedSGD

        sys.setswitchinterval(1e-6)
        rng = np.random.default_rng(0)
        x, y = rng.normal(size=(200, 20)), rng.integers(0, 9, 200)
        PassCappedSGD(max_iter=2, tol=None).fit(x, y)  # imports what the fit needs
        before = list(warnings.filters)
        changed = sum(
            PassCappedSGD(max_iter=2, tol=None, n_jobs=2).fit(x, y) is None
            or warnings.filters != before
            for _ in range(30)
        )
        print(len(before), changed)
        """
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    filters, changed = map(int, done.stdout.split())
    assert filters > 0
    assert changed == 0
