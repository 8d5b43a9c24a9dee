"""One model shared by threads (the Python API under Dask's threaded scheduler) labels as one
thread does: the word cache grows under a lock."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from headlines.persistence import load_model


def test_threads_sharing_a_model_get_the_single_thread_probabilities(
    fruit_model_file: Path,
) -> None:
    # Every batch brings new words, so the cache grows while other threads read it.
    batches = [[f"appel{i}x{j} peer kers bus{j} trein{i}" for j in range(200)] for i in range(16)]
    alone = [load_model(fruit_model_file).predict_proba(batch) for batch in batches]
    shared = load_model(fruit_model_file)
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(shared.predict_proba, batches))
    for a, b in zip(alone, together, strict=True):
        np.testing.assert_allclose(a, b)
