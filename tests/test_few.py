"""A few headlines labelled in plain Python (few.py) come out as numpy's path labels them."""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from conftest import SAMPLES, TINY_TRAIN, forge_model, model_parts
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from headlines import predicting
from headlines.card import ModelCard
from headlines.cli import app
from headlines.defaults import default_model_path, load_default_model
from headlines.few import FEW, FEW_CHARACTERS, FewModel, are_few
from headlines.model import FEATURES, Model
from headlines.persistence import open_model, save_model
from headlines.pipeline import build_pipeline
from headlines.priors import adjust, adjust_rows, estimate, estimate_rows
from headlines.records import HeadlineChunk
from headlines.tokens import MAX_TEXT

ODD = [
    "",
    "🚀🚀🚀",
    "2025",
    "Путин прибыл в Пхеньян",
    "PSV wint PSV wint",
    "$PEPE x100!! €uro £ond",
    "İSTANBUL ǅemal STRASSE",  # lower() changes their length
    "a\x1eb",  # the separator of a chunk's texts
    "snake_case and_more 3-0",
    "Storm op komst " * 300,  # past MAX_TEXT
    "日本の首相が来日 ไทยชนะ",
]


def _texts(path: Path, column: str) -> list[str]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [row[column] for row in csv.DictReader(fh)]


@pytest.fixture(scope="module", params=sorted(FEATURES))
def model_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    with open(TINY_TRAIN, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    texts, labels = [r["headline"] for r in rows], [r["label"] for r in rows]
    pipeline = build_pipeline("sgd", request.param).fit(texts, labels)
    card = ModelCard("sgd", request.param, {label: labels.count(label) for label in labels},
                     len(texts), [])  # fmt: skip
    path = tmp_path_factory.mktemp("few") / "m.headlines"
    save_model(Model.from_pipeline(pipeline, card), path)
    return path


@pytest.fixture(scope="module")
def both_paths(model_file: Path) -> tuple[FewModel, Model]:
    few = FewModel.open(open_model(model_file))
    assert few is not None
    return few, open_model(model_file).load()


def test_plain_python_gives_numpys_probabilities(model_file: Path) -> None:
    texts = _texts(TINY_TRAIN, "headline") + ODD
    few = FewModel.open(open_model(model_file))
    assert few is not None
    plain = np.array(few.calibrated_proba(texts))
    arrays = open_model(model_file).load().calibrated_proba(texts)
    assert np.abs(plain - arrays).max() < 1e-14
    assert (plain.argmax(axis=1) == arrays.argmax(axis=1)).all()
    assert few.labels == open_model(model_file).load().labels
    assert len(ODD[-2]) > MAX_TEXT


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
        | st.text("abcdef $€£_-'1 \x1e\t", max_size=40),
        min_size=1,
        max_size=8,
    )
)
def test_any_text_gets_numpys_probabilities(
    both_paths: tuple[FewModel, Model], texts: list[str]
) -> None:
    """Whatever the characters: words are cut alike (tokens.py against hashing.py's bytes)."""
    few, model = both_paths
    plain = np.array(few.calibrated_proba(texts))
    assert np.abs(plain - model.calibrated_proba(texts)).max() < 1e-14


def test_plain_python_explains_as_numpy_does(model_file: Path) -> None:
    few = FewModel.open(open_model(model_file))
    model = open_model(model_file).load()
    assert few is not None
    shares = [1.0 / len(few.labels)] * len(few.labels)
    for text in _texts(TINY_TRAIN, "headline")[:20] + ODD:
        for priors in (None, shares):
            plain = few.explain(text, top=5, shares=priors)
            arrays = model.with_priors(priors).explain(text, top=5)
            assert (plain.label, plain.text) == (arrays.label, arrays.text)
            assert [n for n, _ in plain.probabilities] == [n for n, _ in arrays.probabilities]
            assert [n for n, _ in plain.contributions] == [n for n, _ in arrays.contributions]
            for ours, numpys in ((plain.probabilities, arrays.probabilities),
                                 (plain.contributions, arrays.contributions)):  # fmt: skip
                assert np.allclose([v for _, v in ours], [v for _, v in numpys], rtol=1e-12)
            assert plain.bias == arrays.bias


def test_the_explain_command_prints_what_numpys_path_prints(
    runner: CliRunner, default_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_default_model()
    args = ["explain", "KNMI waarschuwt voor zware storm", "--top", "5"]
    plain = runner.invoke(app, args)
    assert plain.exit_code == 0, plain.output
    assert "n-grams that pushed it to" in plain.stdout
    monkeypatch.setattr(FewModel, "open", classmethod(lambda cls, file: None))
    assert runner.invoke(app, args).stdout == plain.stdout


def test_plain_python_label_shares_are_numpys() -> None:
    rng = np.random.default_rng(7)
    proba = rng.dirichlet(np.full(5, 0.3), size=40)
    train = [0.1, 0.2, 0.3, 0.25, 0.15]
    shares = estimate(proba, train)
    assert np.abs(np.array(estimate_rows(proba.tolist(), train)) - shares).max() < 1e-12
    adjusted = adjust(proba, train, shares)
    plain = np.array(adjust_rows(proba.tolist(), train, list(shares)))
    assert np.abs(plain - adjusted).max() < 1e-15
    assert estimate_rows([], train) == train


OPTIONS = [
    [],
    ["--top-k", "3"],
    ["--priors", "train"],
    ["--priors", "{shares}"],
    ["--min-confidence", "auto"],
    ["--min-confidence", "0.4", "--exclude", "unknown"],
    ["--only", "sport,politics", "--format", "jsonl"],
    ["--group", "--format", "table"],
    ["--dedupe", "--format", "jsonl", "--top-k", "1"],
    ["--explain", "--format", "jsonl"],
    ["--explain", "--priors", "train", "--top-k", "2"],
]
FEEDS = [
    Path(__file__).parent.parent / "data" / "feeds" / "msn-nl-example.txt",  # a copied page
    SAMPLES / "html" / "ads-marked-before-their-advertiser.html",
    SAMPLES / "feeds" / "news-aggregator.rss",
    TINY_TRAIN,  # a CSV with a headline column
]


@pytest.mark.parametrize(("options", "feed"), list(itertools.product(OPTIONS, FEEDS)),
                         ids=lambda v: " ".join(v) if isinstance(v, list) else v.name)  # fmt: skip
def test_a_few_headlines_come_out_as_numpys_path_writes_them(
    runner: CliRunner,
    default_data: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    options: list[str],
    feed: Path,
) -> None:
    load_default_model()
    shares = tmp_path / "shares.csv"
    shares.write_text("label,share\nsport,0.5\npolitics,0.3\ncrypto-spam,0.2\n")
    args = ["predict", str(feed), *(o.format(shares=shares) for o in options)]
    plain = runner.invoke(app, args)
    assert plain.exit_code == 0, plain.output
    lines = plain.stdout.splitlines()
    assert len(lines) <= FEW + 2
    if not {"--only", "--exclude"} & set(options):
        assert len(lines) >= 3
    monkeypatch.setattr(predicting, "FEW", 0)  # numpy's path for any input
    assert runner.invoke(app, args).stdout == plain.stdout


@pytest.mark.parametrize("priors", ["feed", "{shares}"])
def test_both_paths_say_the_label_shares_they_use(
    runner: CliRunner,
    default_data: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    priors: str,
) -> None:
    load_default_model()
    shares = tmp_path / "shares.csv"
    shares.write_text("sport,0.5\npolitics,0.5\n")
    args = ["-v", "predict", str(FEEDS[0]), "--priors", priors.format(shares=shares)]
    plain = runner.invoke(app, args)
    assert "info: label shares used: business 0." in plain.stderr
    monkeypatch.setattr(predicting, "FEW", 0)
    assert runner.invoke(app, args).stderr == plain.stderr


def test_more_than_a_few_headlines_are_labelled_alike_on_both_sides_of_few(
    runner: CliRunner, default_data: Path, tmp_path: Path
) -> None:
    """FEW headlines and one more: the first FEW rows are the same either way."""
    load_default_model()
    texts = _texts(TINY_TRAIN, "headline")
    texts = (texts * (FEW // len(texts) + 2))[: FEW + 1]
    feed = tmp_path / "feed.txt"
    feed.write_text("\n".join(texts[:FEW]) + "\n")
    few = runner.invoke(app, ["predict", str(feed), "--top-k", "2"])
    feed.write_text("\n".join(texts) + "\n")
    more = runner.invoke(app, ["predict", str(feed), "--top-k", "2", "--priors", "train"])
    feed.write_text("\n".join(texts[:FEW]) + "\n")
    few_train = runner.invoke(app, ["predict", str(feed), "--top-k", "2", "--priors", "train"])
    assert len(few.stdout.splitlines()) == FEW + 1
    assert more.stdout.splitlines()[: FEW + 1] == few_train.stdout.splitlines()


API_OPTIONS = [
    {},
    {"top_k": 2, "reasons": 3},
    {"min_confidence": "auto", "priors": "train"},
    {"min_confidence": 0.9, "priors": "{shares}", "top_k": 1},
]


@pytest.mark.parametrize("options", API_OPTIONS, ids=lambda o: " ".join(map(str, o.items())))
def test_label_texts_from_a_file_gives_a_loaded_models_results(
    default_data: Path, tmp_path: Path, options: dict[str, object]
) -> None:
    """The API labels a few texts from a file in plain Python, as the loaded model would."""
    import headlines

    shares = tmp_path / "shares.csv"
    shares.write_text("label,share\nsport,0.5\npolitics,0.3\ncrypto-spam,0.2\n")
    options = {k: str(v).format(shares=shares) if k == "priors" else v
               for k, v in options.items()}  # fmt: skip
    texts = ["", *_texts(TINY_TRAIN, "headline")[:20], *ODD, None]
    loaded = headlines.label_texts(texts, model=headlines.load(), **options)  # type: ignore[arg-type]
    plain = headlines.label_texts(texts, **options)  # type: ignore[arg-type]
    assert [row.label for row in plain] == [row.label for row in loaded]
    assert [row.headline.text for row in plain] == [row.headline.text for row in loaded]
    for mine, theirs in zip(plain, loaded, strict=True):
        assert mine.confidence == pytest.approx(theirs.confidence, abs=1e-12)
        assert [name for name, _ in mine.alternatives] == [name for name, _ in theirs.alternatives]
        assert [name for name, _ in mine.reasons] == [name for name, _ in theirs.reasons]
        pairs = [*zip(mine.alternatives, theirs.alternatives, strict=True),
                 *zip(mine.reasons, theirs.reasons, strict=True)]  # fmt: skip
        assert all(a[1] == pytest.approx(b[1], abs=1e-12) for a, b in pairs)
    if options.get("min_confidence") == 0.9:
        assert "unknown" in {row.label for row in plain[1:-1]}  # the floors were applied


def _forged(source: Path, target: Path, change: Callable[[dict[str, np.ndarray]], None]) -> Path:
    """A copy of an arrays model file with its arrays changed and its sums to match."""
    _, payload = model_parts(source.read_bytes())
    with np.load(io.BytesIO(payload), allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    change(arrays)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]
    target.write_bytes(forge_model(source, buffer.getvalue()))
    return target


def test_a_non_finite_value_read_is_refused_as_loading_refuses_it(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path
) -> None:
    def infinite(arrays: dict[str, np.ndarray]) -> None:
        arrays["idf"] = np.full_like(arrays["idf"], np.inf)

    model = _forged(fruit_model_file, tmp_path / "colleague.headlines", infinite)
    expected = (
        f"error: {model}: the arrays payload is inconsistent (some values are not finite "
        "numbers); retrain it\n"
    )
    for lines in (1, FEW + 1):
        feed = tmp_path / "feed.txt"
        feed.write_text("".join(f"Cherry growers expect harvest {i}\n" for i in range(lines)))
        done = runner.invoke(app, ["predict", str(feed), "--model", str(model)])
        assert (done.exit_code, done.stderr) == (2, expected)


def test_arrays_in_another_byte_order_are_labelled_by_numpy(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path
) -> None:
    def swapped(arrays: dict[str, np.ndarray]) -> None:
        for name in ("idf", "weights", "intercept"):
            arrays[name] = arrays[name].astype(arrays[name].dtype.newbyteorder(">"))

    model = _forged(fruit_model_file, tmp_path / "big-endian.headlines", swapped)
    assert FewModel.open(open_model(model)) is None
    args = ["predict", "-", "--top-k", "1", "-f", "jsonl"]
    text = "Cherry growers expect a record harvest\nNew electric bus\n"
    big = runner.invoke(app, [*args, "--model", str(model)], input=text)
    native = runner.invoke(app, [*args, "--model", str(fruit_model_file)], input=text)
    assert big.exit_code == 0, big.output
    assert [json.loads(line)["label"] for line in big.stdout.splitlines()] == ["fruit", "vehicle"]
    assert big.stdout == native.stdout


def test_few_is_counted_in_headlines_and_characters() -> None:
    def chunk(*lengths: int) -> HeadlineChunk:
        return HeadlineChunk(["x" * n for n in lengths], "feed.txt", 1)

    assert are_few([chunk(80)] * FEW)
    assert not are_few([chunk(80)] * (FEW + 1))
    lines = FEW_CHARACTERS // MAX_TEXT
    assert are_few([chunk(*[MAX_TEXT] * lines)])
    assert not are_few([chunk(*[MAX_TEXT] * lines, 1)])
    assert are_few([chunk(10 * MAX_TEXT)] * lines)  # counted as features read them


def test_the_default_model_file_is_read_in_place(default_data: Path) -> None:
    load_default_model()
    few = FewModel.open(open_model(default_model_path()))
    assert few is not None
    assert few.labels == sorted(few.card.labels)
