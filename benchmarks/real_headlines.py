"""Score the default model on real headlines that no one on the team wrote.

The target users care about is accuracy on real portal feeds, which the team cannot ship.
These public sets are the closest honest proxy; each is read where it lies (never copied)
and mapped onto our topics where the mapping is unambiguous:

- ``seed page``: the 40 OTHER NEWS headlines of ../shared/seed/msn-nl-other-news.txt, a real
  Dutch portal page, with the team's labels in benchmarks/seed-labels.txt (all nine topics);
- ``bbc-titles``: BBC headlines, business/entertainment/politics/sport/tech as they are;
- ``ag-news titles``: AG News test titles, Sports -> sport, Business -> business,
  Sci/Tech -> tech (World is left out: it mixes politics, crime and disasters);
- ``nu.nl``: NU.nl headlines by URL section, politiek and election sections -> politics,
  economie/geldzaken/ondernemen -> business, tech/wetenschap -> tech.

Run: ``.venv/bin/python benchmarks/real_headlines.py`` (trains the default model first if
needed). Prints a Markdown table: rows, accuracy, and the most common confusions.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from headlines import load_default_model, read_feed

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATASETS = SHARED / "datasets"
Data = tuple[list[str], list[str]]

NU_SECTIONS = {
    "politiek": "politics", "verkiezingen-vs": "politics", "den-haag": "politics",
    "provinciale-statenverkiezingen-2019": "politics", "europese-verkiezingen-2019": "politics",
    "prinsjesdag": "politics", "economie": "business", "geldzaken": "business",
    "ondernemen": "business", "tech": "tech", "wetenschap": "tech",
}  # fmt: skip
AG_CLASSES = {"2": "sport", "3": "business", "4": "tech"}


def seed_page() -> Data:
    texts = [h.text for h in read_feed(str(SHARED / "seed" / "msn-nl-other-news.txt"))]
    lines = (ROOT / "benchmarks" / "seed-labels.txt").read_text(encoding="utf-8").splitlines()
    labels = [line for line in lines if line and not line.startswith("#")]
    assert len(texts) == len(labels), (len(texts), len(labels))
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


SETS: dict[str, Callable[[], Data]] = {
    "seed page (nl)": seed_page, "bbc-titles (en)": bbc, "ag-news titles (en)": ag_news,
    "nu.nl sections (nl)": nu_nl,
}  # fmt: skip


def main() -> None:
    model = load_default_model()
    print("| real headlines | rows | accuracy | most common confusions (true -> predicted) |")
    print("| --- | ---: | ---: | --- |")
    for name, load in SETS.items():
        texts, labels = load()
        predicted, _ = model.predict(texts)
        right = sum(p == t for p, t in zip(predicted, labels, strict=True))
        errors = Counter(f"{t} -> {p}" for p, t in zip(predicted, labels, strict=True) if p != t)
        common = ", ".join(f"{e} ({n})" for e, n in errors.most_common(3))
        print(f"| {name} | {len(texts):,} | {right / len(texts):.3f} | {common} |")
        if name.startswith("seed"):
            spam = [p for p, t in zip(predicted, labels, strict=True) if t == "crypto-spam"]
            print(
                f"| seed crypto-spam recall | {len(spam)} | "
                f"{spam.count('crypto-spam') / len(spam):.3f} | |"
            )


if __name__ == "__main__":
    main()
