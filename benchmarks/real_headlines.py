"""Score the default model on real headlines that no one on the team wrote.

The target users care about is accuracy on real portal feeds, which the team cannot ship.
These public sets are the closest honest proxy; each is read where it lies (never copied)
and mapped onto our topics where the mapping is unambiguous:

- ``seed page``: the 40 OTHER NEWS headlines of ../shared/seed/msn-nl-other-news.txt, a real
  Dutch portal page, with the team's labels in benchmarks/seed-labels.txt (all nine topics);
- ``bbc-titles``: BBC headlines, business/entertainment/politics/sport/tech as they are;
- ``ag-news titles``: AG News test titles, Sports -> sport, Business -> business,
  Sci/Tech -> tech (World is left out: it mixes politics, crime and disasters);
- ``real pages``: the related-news lists of the English and Dutch pages and feeds of
  ../shared/real-pages (what a person picks out of each, ``NAME.expected.txt``), with the
  team's labels in benchmarks/real-page-labels/NAME.txt (only labels live here);
- ``nu.nl``: NU.nl headlines by URL section, politiek, election, Brexit and Wilders sections
  -> politics, economie/geldzaken/ondernemen/wonen -> business, tech/wetenschap -> tech,
  gezondheid -> lifestyle, media -> entertainment, zaak-holleeder -> crime (binnenland,
  buitenland, coronavirus, klimaat and the like mix topics and are left out);
- ``nu.nl news``: 500 headlines of the sections that mix topics (binnenland, buitenland,
  algemeen, dieren, klimaat and the like; not the coronavirus sections), drawn at random
  with a fixed seed and labelled one by one following the taxonomy, each by two of the team
  apart and the disagreements settled by a third (benchmarks/nu-nl-labels.txt: only the row
  numbers, a check of each headline's text and the labels live there).

Each set is scored with the label shares of the training data (``--priors train``) and with
the shares re-estimated on the set itself by EM (``--priors feed``, the default of predict and
evaluate), each with accuracy, macro-F1 over the set's own topics and the expected
calibration error. A
set that covers only some of the nine topics has its other topics' probabilities left in, as
a user would see them.

Run: ``.venv/bin/python benchmarks/real_headlines.py [--model PATH]`` (trains the default
model first if needed). Prints a Markdown table: rows, accuracy, macro-F1, ECE, the same
with priors re-estimated, and the most common confusions.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

from headlines import load_default_model, load_model, read_feed
from headlines.evaluation import expected_calibration_error
from headlines.model import Model
from headlines.priors import estimate

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATASETS = SHARED / "datasets"
Data = tuple[list[str], list[str]]

NU_SECTIONS = {
    "politiek": "politics", "verkiezingen-vs": "politics", "den-haag": "politics",
    "provinciale-statenverkiezingen-2019": "politics", "europese-verkiezingen-2019": "politics",
    "prinsjesdag": "politics", "brexit": "politics", "geert-wilders": "politics",
    "economie": "business", "geldzaken": "business", "ondernemen": "business",
    "wonen": "business", "tech": "tech", "wetenschap": "tech", "gezondheid": "lifestyle",
    "media": "entertainment", "zaak-holleeder": "crime",
}  # fmt: skip
AG_CLASSES = {"2": "sport", "3": "business", "4": "tech"}


def seed_page() -> Data:
    texts = [h.text for h in read_feed(str(SHARED / "seed" / "msn-nl-other-news.txt"))]
    lines = (ROOT / "benchmarks" / "seed-labels.txt").read_text(encoding="utf-8").splitlines()
    labels = [line for line in lines if line and not line.startswith("#")]
    assert len(texts) == len(labels), (len(texts), len(labels))
    return texts, labels


def real_pages() -> Data:
    texts: list[str] = []
    labels: list[str] = []
    for labelled in sorted((ROOT / "benchmarks" / "real-page-labels").glob("*.txt")):
        found = [
            SHARED / "real-pages" / kind / f"{labelled.stem}.expected.txt"
            for kind in ("pages", "feeds")
        ]
        expected = next(path for path in found if path.is_file())
        lines = expected.read_text(encoding="utf-8").splitlines()
        given = [
            line
            for line in labelled.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")
        ]
        assert len(lines) == len(given), (labelled.name, len(lines), len(given))
        texts += lines
        labels += given
    return texts, labels


def _rows(path: Path, **kw: object) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, **kw))  # type: ignore[arg-type]


def bbc() -> Data:
    rows = _rows(DATASETS / "bbc_titles.csv")
    return [r["headline"] for r in rows], [r["category"] for r in rows]


def ag_news() -> Data:
    rows = _rows(DATASETS / "ag_news_test.csv", fieldnames=["class", "title", "description"])
    rows = [r for r in rows if r["class"] in AG_CLASSES]
    return [r["title"] for r in rows], [AG_CLASSES[r["class"]] for r in rows]


def nu_nl() -> Data:
    rows = [
        r
        for r in _rows(DATASETS / "dutch_headlines_nu_speld.csv")
        if r["url_section"] in NU_SECTIONS
    ]
    return [r["headline"] for r in rows], [NU_SECTIONS[r["url_section"]] for r in rows]


def nu_nl_news() -> Data:
    rows = _rows(DATASETS / "dutch_headlines_nu_speld.csv")
    texts: list[str] = []
    labels: list[str] = []
    lines = (ROOT / "benchmarks" / "nu-nl-labels.txt").read_text(encoding="utf-8").splitlines()
    for line in lines:
        if not line or line.startswith("#"):
            continue
        row, check, label = line.split("\t")
        text = rows[int(row)]["headline"]
        assert _check(text) == check, (row, "the data set changed under the labels")
        texts.append(text)
        labels.append(label)
    return texts, labels


def _check(text: str) -> str:
    """The first 8 hex digits of the SHA-1 of a headline: which text a label is for."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


SETS: dict[str, Callable[[], Data]] = {
    "seed page (nl)": seed_page, "real pages (en, nl)": real_pages, "bbc-titles (en)": bbc,
    "ag-news titles (en)": ag_news,
    "nu.nl sections (nl)": nu_nl, "nu.nl news, labelled (nl)": nu_nl_news,
}  # fmt: skip


def measure(model: Model, texts: list[str], labels: list[str], proba: np.ndarray) -> str:
    """``accuracy | macro-F1 | ECE`` of these probabilities against the true labels."""
    best = proba.argmax(axis=1)
    predicted = [model.labels[i] for i in best]
    # Macro-F1 over the set's own topics: one that covers three of the nine has no rows of
    # the other six to be right about.
    macro_f1 = f1_score(labels, predicted, labels=sorted(set(labels)), average="macro")
    correct = np.array([p == t for p, t in zip(predicted, labels, strict=True)])
    ece = expected_calibration_error(proba[np.arange(len(best)), best], correct)
    return f"{correct.mean():.3f} | {macro_f1:.3f} | {ece:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a model file (default: the default model)")
    args = parser.parse_args()
    model = load_model(args.model) if args.model else load_default_model()
    print(
        "| real headlines | rows | accuracy | macro-F1 | ECE | accuracy, priors feed | "
        "macro-F1, priors feed | ECE, priors feed | most common confusions (priors feed) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, load in SETS.items():
        texts, labels = load()
        proba = model.calibrated_proba(texts)
        shares = estimate(proba, model.training_priors)  # what --priors feed does
        adjusted = model.with_priors(shares).predict_proba(texts)
        predicted = [model.labels[i] for i in adjusted.argmax(axis=1)]
        errors = Counter(f"{t} -> {p}" for p, t in zip(predicted, labels, strict=True) if p != t)
        common = ", ".join(f"{e} ({n})" for e, n in errors.most_common(3))
        print(
            f"| {name} | {len(texts):,} | {measure(model, texts, labels, proba)} | "
            f"{measure(model, texts, labels, adjusted)} | {common} |"
        )
        if name.startswith("seed"):
            for tag, p in (("", proba), (", priors feed", adjusted)):
                spam = [
                    model.labels[i]
                    for i, t in zip(p.argmax(axis=1), labels, strict=True)
                    if t == "crypto-spam"
                ]
                print(
                    f"| seed crypto-spam recall{tag} | {len(spam)} | "
                    f"{spam.count('crypto-spam') / len(spam):.3f} | | | | | | |"
                )


if __name__ == "__main__":
    main()
