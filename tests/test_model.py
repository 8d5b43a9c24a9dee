"""The model's parts: hashed features, the cached-score fast path, calibrated probabilities."""

from __future__ import annotations

import csv
import math
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.utils.murmurhash import murmurhash3_32

from headlines.calibration import fit_temperature
from headlines.features import HeadlineVectorizer
from headlines.hashing import (
    SEPARATOR,
    SEPARATOR_TOKEN,
    WordTable,
    chunk_bytes,
    many_word_features,
    murmurhash3_many,
    token_keys,
)
from headlines.model import CLASSIFIERS, FEATURES, Model
from headlines.pipeline import build_pipeline
from headlines.tokens import MAX_TEXT, TOKEN_RE, murmurhash3, word_features

TINY = Path(__file__).parent / "samples" / "training" / "tiny-news.csv"
ODD = [
    "", "🚀🚀🚀", "2025", "Путин прибыл в Пхеньян", "PSV wint PSV wint PSV wint",
    f"with a {SEPARATOR} separator inside", "$PEPE x100!!", "x" * 5000,
]  # fmt: skip


def _tiny() -> tuple[list[str], list[str]]:
    with open(TINY, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [r["headline"] for r in rows], [r["label"] for r in rows]


@pytest.fixture(scope="module", params=sorted(CLASSIFIERS))
def fitted(request: pytest.FixtureRequest) -> Model:
    texts, labels = _tiny()
    return Model.from_pipeline(build_pipeline(request.param).fit(texts, labels), None)  # type: ignore[arg-type]


def test_fast_path_gives_the_pipelines_probabilities(fitted: Model) -> None:
    texts = _tiny()[0][:20] + ODD
    expected = fitted.pipeline.predict_proba(texts)
    assert np.allclose(fitted.predict_proba(texts), expected, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(max_size=80), min_size=1, max_size=12))
def test_fast_path_matches_on_any_text(texts: list[str]) -> None:
    model = Model.from_pipeline(build_pipeline("svm").fit(*_tiny()), None)  # type: ignore[arg-type]
    proba = model.predict_proba(texts)
    assert proba.shape == (len(texts), 9)
    assert np.allclose(proba, model.pipeline.predict_proba(texts), atol=1e-9)


def test_a_text_makes_its_features_of_its_first_max_text_characters(fitted: Model) -> None:
    last = " Ajax wint van PSV in de Eredivisie"
    head = ("Storm op komst langs de kust. " * 100)[: MAX_TEXT - len(last)] + last
    assert len(head) == MAX_TEXT
    tail = " Kabinet valt over nieuwe belasting op benzine" * 50
    proba = fitted.predict_proba([head + tail, head, head[: -len(last)]])
    assert np.array_equal(proba[0], proba[1])
    assert not np.allclose(proba[1], proba[2])  # the words just before the cap do count
    assert fitted.explain(head + tail).contributions == fitted.explain(head).contributions
    assert np.allclose(fitted.pipeline.predict_proba([head + tail]), proba[:1], atol=1e-9)


def test_probabilities_sum_to_one_and_label_is_the_top_one(fitted: Model) -> None:
    proba = fitted.predict_proba(ODD)
    labels, confidence = fitted.predict(ODD)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert list(confidence) == list(proba.max(axis=1))
    assert labels == [fitted.labels[i] for i in proba.argmax(axis=1)]


def test_rows_have_unit_length_and_named_features_are_the_columns() -> None:
    vectorizer = HeadlineVectorizer().fit(_tiny()[0])
    matrix = vectorizer.transform(["PSV wint van Ajax", ""])
    assert matrix.shape == (2, vectorizer.n_features)
    assert matrix[1].nnz == 0
    named = vectorizer.named_features("PSV wint van Ajax")
    assert ("psv wint", named[-3][1]) == named[-3]
    assert set(matrix[0].indices) == {index for _, index in named}
    # every occurrence counts once towards the length, before duplicates are summed
    idf = vectorizer.idf_[[index for _, index in named]]
    weights = np.zeros(vectorizer.n_features)
    np.add.at(weights, [index for _, index in named], idf / np.sqrt((idf**2).sum()))
    assert np.allclose(matrix[0].toarray().ravel(), weights)


@pytest.mark.parametrize("features", sorted(FEATURES))
def test_word_only_features_have_no_character_ngrams(features: str) -> None:
    vectorizer = build_pipeline(features=features).named_steps["features"]
    names = [name for name, _ in vectorizer.named_features("vennootschapsbelasting")]
    assert ("'<ven'" in names) == (features == "word+char")


def test_temperature_fits_overconfident_scores() -> None:
    rng = np.random.default_rng(0)
    targets = rng.integers(0, 3, size=2000)
    scores = rng.normal(size=(2000, 3))
    scores[np.arange(2000), targets] += 1.0
    # scores ten times too large: the fitted temperature brings them back to about 1
    assert fit_temperature(scores * 10, targets) == pytest.approx(10, rel=0.15)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text("abcdefghijklmnopqrstuvwxyz0123456789_$", max_size=12)
        | st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
        max_size=20,
    )
)
def test_features_of_many_words_at_once_are_those_of_each_word(words: list[str]) -> None:
    expected = [murmurhash3_32(w, positive=True) for w in words]
    assert murmurhash3_many(words).tolist() == expected
    assert [murmurhash3(w.encode("utf-8")) for w in words] == expected
    words = [w for w in words if w]
    for char_ngrams in FEATURES.values():
        hashes, features, counts = many_word_features(words, 2**19, char_ngrams)
        one_by_one = [word_features(w, 2**19, char_ngrams) for w in words]
        assert hashes.tolist() == [word_hash for word_hash, _ in one_by_one]
        assert features.tolist() == [i for _, indices in one_by_one for i in indices]
        assert counts.tolist() == [len(indices) for _, indices in one_by_one]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text("aZ_09 $€£.,-'|\x1e\t\u2028éİΣς😀中", max_size=20)
        | st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
        max_size=8,
    )
)
def test_chunk_tokens_are_each_texts_words_between_separators(texts: list[str]) -> None:
    expected = [
        token
        for i, text in enumerate(texts)
        for token in ([SEPARATOR_TOKEN] if i else [])
        + TOKEN_RE.findall(text.replace(SEPARATOR, " ").lower())
    ]
    assert chunk_bytes(texts).decode("utf-8").split() == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text("abcé$ |\x1e", max_size=12), max_size=30), min_size=1, max_size=6))
def test_the_word_table_gives_each_distinct_word_one_row_of_its_own(
    chunks: list[list[str]],
) -> None:
    """Across chunks, and while the table's slots fill up and are doubled (from two here),
    a word keeps its row, and no two words share one."""
    seen: dict[str, int] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(WordTable, "_FIRST_SLOTS", 2)
        table = WordTable(2**10, (3, 5))
        for texts in chunks:
            tokens = chunk_bytes(texts).decode("utf-8").split()
            rows = table.rows(chunk_bytes(texts))
            assert len(rows) == len(tokens)
            for token, row in zip(tokens, rows.tolist(), strict=True):
                assert seen.setdefault(token, row) == row
    assert len(set(seen.values())) == len(seen)
    assert seen.get("|", 0) == 0  # the separator between texts
    assert len(table) == 1 + len(seen.keys() - {"|"})


def test_token_keys_are_the_runs_between_spaces() -> None:
    keys, starts, ends = token_keys(b"psv  wint | psv")
    assert starts.tolist() == [0, 5, 10, 12] and ends.tolist() == [3, 9, 11, 15]
    assert keys[0] == keys[3] and len(set(keys.tolist())) == 3


def test_counts_of_blocks_denser_than_the_first_are_all_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Room is made for the rows to come at the first blocks' density: later, longer headlines
    # outgrow it, and the matrix must still hold every entry of every block.
    from headlines import features

    texts = ["PSV wint"] * 6 + [" ".join(f"woord{i}" for i in range(40 + k)) for k in range(9)]
    whole = HeadlineVectorizer().fit_transform(texts)
    monkeypatch.setattr(features, "_BLOCK_ROWS", 3)
    blocks = HeadlineVectorizer().fit_transform(texts)
    assert blocks.indices.dtype == np.int32 and blocks.nnz == whole.nnz > 9 * 40 * 5
    assert (blocks != whole).nnz == 0 and np.array_equal(blocks.indptr, whole.indptr)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 9), max_size=30), max_size=12).flatmap(
        lambda rows: st.tuples(
            st.just(rows),
            st.lists(
                st.lists(st.integers(0, 9), max_size=4),
                min_size=len(rows),
                max_size=len(rows),
            ),
        )
    ),
    st.sampled_from([0, 4, 10**9]),
)
def test_rows_counted_at_once_are_scipys_summed_rows(
    rows: tuple[list[list[int]], list[list[int]]], padding: int
) -> None:
    # Either way count_rows takes (one padded array sorted at once, or SciPy's when the
    # padding would outweigh the entries), each row's features are summed and sorted.
    from headlines import features

    words, pairs = rows
    parts = [
        (
            np.array([i for row in part for i in row], dtype=np.int32),
            np.array(list(map(len, part)), dtype=np.int64),
        )
        for part in (words, pairs)
    ]
    entries = [(r, i) for part in (words, pairs) for r, row in enumerate(part) for i in row]
    expected = sp.csr_matrix(
        (np.ones(len(entries)), ([r for r, _ in entries], [i for _, i in entries])),
        shape=(len(words), 10),
    )
    expected.sort_indices()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(features, "_PADDING", padding)
        counted = features.count_rows(parts, 10, np.float32)
    assert counted.shape == expected.shape and counted.dtype == np.float32
    assert counted.has_canonical_format
    assert np.array_equal(counted.indptr, expected.indptr)
    assert np.array_equal(counted.indices, expected.indices)
    assert np.array_equal(counted.data, expected.data)


def test_rows_weighed_in_two_halves_at_once_are_weighed_as_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from headlines import features

    texts = _tiny()[0] + ODD
    monkeypatch.setattr(features, "_BLOCK_ROWS", 4)
    monkeypatch.setattr(features, "available_cores", lambda: 1)
    one_by_one = HeadlineVectorizer().fit_transform(texts)
    monkeypatch.setattr(features, "available_cores", lambda: 2)
    threads = []
    real = features._weigh_rows

    def spy(*args: object) -> None:
        threads.append(threading.get_ident())
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(features, "_weigh_rows", spy)
    halves = HeadlineVectorizer().fit_transform(texts)
    assert len(threads) == 2 and threading.get_ident() not in threads
    assert np.array_equal(halves.data, one_by_one.data) and halves.nnz == one_by_one.nnz


def test_a_forked_worker_counts_the_same_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    from headlines import features

    texts = _tiny()[0] + ODD
    alone = HeadlineVectorizer().fit_transform(texts)
    calls = []
    real = features._count_with_a_worker

    def spy(*args: object) -> object:
        calls.append(args)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(features, "_BLOCK_ROWS", 5)  # 13 blocks, counted by either process
    monkeypatch.setattr(features, "_FORKED_ROWS", 0)
    monkeypatch.setattr(features, "available_cores", lambda: 2)
    monkeypatch.setattr(features, "_count_with_a_worker", spy)
    vectorizer = HeadlineVectorizer()
    forked = vectorizer.fit_transform(texts)
    assert len(calls) == 1
    assert (forked != alone).nnz == 0 and np.array_equal(forked.indptr, alone.indptr)
    assert np.array_equal(vectorizer.idf_, HeadlineVectorizer().fit(texts).idf_)


def test_rows_held_out_last_are_the_random_tenth_and_never_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Past _CV_ROWS, training puts the rows calibration holds out last: the classifier must
    # hold out the same rows as when they lie where they were, and learn from the others only.
    from headlines import calibration

    texts, labels = (column * 3 for column in _tiny())  # a tenth must hold every label
    monkeypatch.setattr(calibration, "_CV_ROWS", 50)
    ordered = calibration.held_out_order(labels)
    assert ordered is not None
    order, held = ordered
    targets = calibration.label_indices(labels)[1]
    test = calibration.held_out_rows(targets, 0)
    assert held == len(test) and sorted(order.tolist()) == list(range(len(labels)))
    assert np.array_equal(order[-held:], test)
    pipeline = build_pipeline("sgd").fit(
        [texts[i] for i in order], [labels[i] for i in order], classifier__held_out_last=held
    )
    classifier = pipeline.named_steps["classifier"]
    sgd = classifier.estimator_
    assert sgd.t_ == sgd.n_iter_ * (len(labels) - held) + 1  # one update per row it read
    assert classifier.held_out_.endswith("at random") and 0 < classifier.temperature_ < 10
    assert calibration.held_out_order(labels[:40]) is None  # cross-validated instead
    kept = order[:-held]
    assert not np.array_equal(kept, np.sort(kept))  # the rows to learn from: a random order
    assert np.array_equal(order, calibration.held_out_order(labels)[0])  # the same each time


def test_passes_over_shuffled_rows_read_them_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    # Told the rows come shuffled, every pass reads them as they lie; not told, each pass
    # shuffles, as the estimator was built to; the estimator keeps its settings.
    from headlines.pipeline import PassCappedSGD

    texts, labels = _tiny()
    x = HeadlineVectorizer().fit_transform(texts)
    y = np.asarray(labels)

    def coef(passes: int, **options: object) -> np.ndarray:
        monkeypatch.setattr(PassCappedSGD, "VISITS", passes * len(labels))
        sgd = build_pipeline("sgd").named_steps["classifier"].estimator
        for name, value in options.items():
            if name == "shuffle":
                sgd.set_params(shuffle=value)
        told = options.get("rows_shuffled", False)
        coef: np.ndarray = sgd.fit(x, y, rows_shuffled=told).coef_
        assert sgd.get_params()["shuffle"] == options.get("shuffle", True)
        assert sgd.n_iter_ == passes
        return coef

    for passes in (1, 3):
        assert np.array_equal(coef(passes, rows_shuffled=True), coef(passes, shuffle=False))
        assert not np.array_equal(coef(passes, rows_shuffled=True), coef(passes))


def test_cross_validation_fits_each_fold_on_its_rows_shuffled() -> None:
    # Each fold's copy of its rows is made in a random order for a classifier that can be
    # told so (it then reads them as they lie); any other gets them as they were.
    from sklearn.linear_model import SGDClassifier
    from sklearn.model_selection import StratifiedKFold

    from headlines.calibration import CalibratedLinear, label_indices
    from headlines.pipeline import PassCappedSGD

    texts, labels = (column * 3 for column in _tiny())
    n = len(labels)
    # One column per row besides the features, so each row a fold reads can be named.
    x = sp.hstack([HeadlineVectorizer().fit_transform(texts), sp.identity(n)], format="csr")
    seen: list[tuple[np.ndarray, bool]] = []

    def read(rows: sp.csr_matrix, shuffled: bool) -> None:
        seen.append((np.asarray(rows[:, -n:].argmax(axis=1)).ravel(), shuffled))

    class Told(PassCappedSGD):
        def fit(self, X: Any, y: Any, *args: Any, rows_shuffled: bool = False, **kw: Any) -> Any:
            read(X, rows_shuffled)
            return super().fit(X, y, *args, rows_shuffled=rows_shuffled, **kw)

    class NotTold(SGDClassifier):
        def fit(self, X: Any, y: Any, *args: Any, **kw: Any) -> Any:
            read(X, False)
            return super().fit(X, y, *args, **kw)

    targets = label_indices(labels)[1]
    splits = StratifiedKFold(3, shuffle=True, random_state=0).split(x, targets)
    folds = [train for train, _ in splits]
    for estimator, told in ((Told(max_iter=5, tol=None), True), (NotTold(max_iter=5), False)):
        seen.clear()
        CalibratedLinear(estimator, cv=3).fit(x, labels)
        assert len(seen) == 4  # three folds, then all rows
        for (rows, shuffled), train in zip(seen, folds, strict=False):
            assert shuffled == told and np.array_equal(np.sort(rows), train)
            assert not np.array_equal(rows, train) if told else np.array_equal(rows, train)
        assert np.array_equal(seen[-1][0], np.arange(n)) and not seen[-1][1]


def test_rows_marked_learned_are_never_held_out(monkeypatch: pytest.MonkeyPatch) -> None:
    # A review's answers are marked: calibration holds out a tenth of the other rows only,
    # still a tenth of each label's where it can.
    from headlines import calibration

    _, labels = (column * 3 for column in _tiny())
    monkeypatch.setattr(calibration, "_CV_ROWS", 50)
    learned = np.zeros(len(labels), dtype=bool)
    learned[::4] = True
    ordered = calibration.held_out_order(labels, 0, learned)
    assert ordered is not None
    order, held = ordered
    assert sorted(order.tolist()) == list(range(len(labels)))
    assert held == math.ceil(0.1 * (~learned).sum()) and not learned[order[-held:]].any()
    assert set(np.asarray(labels)[order[-held:]]) == set(labels)  # stratified
    unmarked = calibration.held_out_order(labels, 0)
    assert unmarked is not None and learned[unmarked[0][-unmarked[1] :]].any()
    # Every row of one label marked: the others are still held out, at random.
    first = np.asarray(labels) == labels[0]
    ordered = calibration.held_out_order(labels, 0, first)
    assert ordered is not None and not first[ordered[0][-ordered[1] :]].any()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 5), min_size=1, max_size=300),
    st.lists(st.booleans(), max_size=300),
    st.integers(0, 3),
)
def test_a_held_out_tenth_is_drawn_from_every_label(
    targets: list[int], marks: list[bool], seed: int
) -> None:
    from headlines.calibration import held_out_rows

    y = np.array(targets)
    learned = np.array((marks + [False] * len(y))[: len(y)])
    test = held_out_rows(y, seed, learned)
    open_rows = np.flatnonzero(~learned)
    assert len(test) == math.ceil(0.1 * len(open_rows))
    assert np.array_equal(test, np.unique(test)) and not learned[test].any()
    assert np.array_equal(test, held_out_rows(y, seed, learned))  # the same each time
    per_label = np.bincount(y[open_rows], minlength=6)
    held = np.bincount(y[test], minlength=6)
    if 0 < np.count_nonzero(per_label) <= len(test) and per_label[per_label > 0].min() >= 2:
        # Stratified: each label's share of the tenth, within a row, and one row at least.
        assert np.all(np.abs(held - per_label * len(test) / len(open_rows)) < 1 + 1e-9)
        assert np.all(held[per_label > 0] >= 1)
