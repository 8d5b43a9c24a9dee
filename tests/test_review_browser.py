"""``headlines review`` in a real headless browser: Debian's Chromium driven by Playwright.

Labels ten headlines with the keyboard alone, undoes one, retrains, and checks the answers
file and the figures the page shows against ones computed here. Saves a screenshot of the
page in the test's folder (and to $HEADLINES_REVIEW_SCREENSHOT when set).
"""

from __future__ import annotations

import contextlib
import csv
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import review_server

from headlines.persistence import load_model
from headlines.review.answers import Answer
from headlines.review.retraining import figures, is_held_out, retrain
from headlines.review.session import open_review

CHROMIUM = Path("/usr/bin/chromium")
INSTALL = (
    "apt-get install -y chromium, and pip install playwright (make installs it); "
    "no browser is downloaded"
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
WORDS = {
    "fruit": ("berr", "apple", "pear", "plum", "grape", "melon", "mango", "kiwi", "banana"),
    "weather": ("storm", "rain", "fog", "snow", "heat", "sunny", "flood", "frost", "wind"),
}


def truth(headline: str) -> str:
    """The label a person would give: the simulated user of this test."""
    text = headline.lower()
    return next(
        (label for label, words in WORDS.items() if any(w in text for w in words)), "vehicle"
    )


def test_label_ten_with_the_keyboard_undo_one_and_retrain(
    review_files: dict[str, Path], review_model_file: Path, tmp_path: Path
) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"the browser test needs Chromium at {CHROMIUM}: {INSTALL}")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason=f"the browser test needs Playwright: {INSTALL}"
    )
    model = load_model(review_model_file)
    args = [
        str(review_files["feed"]),
        *("--model", str(review_model_file), "--train", str(review_files["train"])),
        *("--out", str(review_files["out"]), "--retrain-every", "0"),
    ]
    with review_server(*args) as (url, _), sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 760})
            page.set_default_timeout(60_000)  # generous: CI machines can be loaded
            page.goto(url)
            assert page.title() == "headlines review"

            page.keyboard.press("?")
            assert page.locator("#keys").is_visible()
            page.keyboard.press("?")
            assert not page.locator("#keys").is_visible()

            # The ten answers, worked out beforehand on a copy of the files, then typed as
            # fast as the keyboard goes: the page must give each key to the card it follows.
            planned = plan(review_files, review_model_file, tmp_path / "plan", count=10)
            first = page.get_attribute("#card", "data-card")
            assert first == str(planned[0].card_id)
            keys = [step.key for step in planned]
            assert "Enter" in keys and set(keys) - {"Enter"}, "both kinds of answer are typed"
            for key in keys:
                page.keyboard.press(key)
            with contextlib.suppress(sync_api.TimeoutError):  # the rows below say what is off
                page.wait_for_selector('[data-count="labelled"] b:text-is("10")', timeout=20_000)
            given = [(step.headline, step.label) for step in planned]
            assert len(set(given)) == 10
            assert rows(review_files["out"]) == given
            assert page.inner_text('[data-count="left"] b') == "18"
            shown_id = str(planned[-1].card_id)
            assert page.get_attribute("#card", "data-card") != shown_id

            page.keyboard.press("u")
            page.wait_for_selector(f'#card[data-card="{shown_id}"]')
            assert page.inner_text("#card .headline") == given[-1][0]
            assert page.inner_text('[data-count="labelled"] b') == "9"
            assert rows(review_files["out"]) == given[:9]

            page.keyboard.press("r")
            page.wait_for_selector('#retrain[data-status="done"]', timeout=120_000)
            held = page.locator('#retrain table[data-name="held-out answers"]')
            shown_scores = {
                name: held.locator(f".{name}").inner_text()
                for name in ("accuracy-before", "accuracy-after", "f1-before", "f1-after")
            }
            changed = page.inner_text("#retrain .changed b")
            page.screenshot(path=str(tmp_path / "review.png"), full_page=True)
            if os.environ.get("HEADLINES_REVIEW_SCREENSHOT"):
                page.screenshot(path=os.environ["HEADLINES_REVIEW_SCREENSHOT"], full_page=True)
        finally:
            browser.close()

    # The same figures, computed here from the answers file and the model the page started with.
    answers = [Answer(h, label) for h, label in rows(review_files["out"])]
    kept = [a for a in answers if is_held_out(a.headline)]
    assert kept, "the ten answers should hold some out for scoring"
    before = figures(model, [a.headline for a in kept], [a.label for a in kept])
    trained = {h for h, _ in rows(review_files["train"])}
    feed = review_files["feed"].read_text(encoding="utf-8").splitlines()
    # The 28 cards: not the headline in train.csv, nor the near-copy "... stations today".
    cards = [t for t in feed if t not in trained and not t.endswith("stations today")]
    _, report = retrain(
        model, [review_files["train"], review_files["out"]], answers, feed_texts=cards
    )
    after = report.comparisons[0].after
    assert shown_scores == {
        "accuracy-before": f"{before.accuracy:.3f}",
        "accuracy-after": f"{after.accuracy:.3f}",
        "f1-before": f"{before.macro_f1:.3f}",
        "f1-after": f"{after.macro_f1:.3f}",
    }
    assert int(changed) == report.changed


@dataclass(frozen=True)
class Step:
    card_id: int
    headline: str
    label: str
    key: str  # Enter when the model's label is the right one, else the label's digit


def plan(files: dict[str, Path], model_file: Path, folder: Path, *, count: int) -> list[Step]:
    """The first ``count`` cards the page will ask and the key the simulated user presses
    for each: a review of copies of the same files, answered in process."""
    folder.mkdir()
    train = Path(shutil.copy(files["train"], folder / "train.csv"))
    model = load_model(model_file)
    session = open_review(
        [str(files["feed"])], model, train=train, out=folder / "answers.csv", retrain_every=0
    )
    steps = []
    for _ in range(count):
        card = session.current()
        assert card is not None
        label = truth(card.text)
        key = "Enter" if label == card.label else str(model.labels.index(label) + 1)
        steps.append(Step(card.id, card.text, label, key))
        session.answer(card.id, label)
    return steps


def rows(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [(row["headline"], row["label"]) for row in csv.DictReader(fh)]
