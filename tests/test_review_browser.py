"""``headlines review`` in a real headless browser: Debian's Chromium driven by Playwright.

Labels ten headlines with the keyboard alone, undoes one, retrains, and checks the answers
file and the figures the page shows against ones computed here. Saves a screenshot of the
page in the test's folder (and to $HEADLINES_REVIEW_SCREENSHOT when set).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from conftest import review_server

from headlines.persistence import load_model
from headlines.review.answers import Answer
from headlines.review.retraining import figures, is_held_out, retrain

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
    labels = model.labels  # keys 1, 2, 3
    args = [
        str(review_files["feed"]),
        *("--model", str(review_model_file), "--train", str(review_files["train"])),
        *("--out", str(review_files["out"]), "--retrain-every", "0"),
    ]
    given: list[tuple[str, str]] = []
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

            for _ in range(10):
                # A key pressed while the last answer's request is still in flight is not
                # taken (a known limit, in the closing note of 2026-12-06): wait for it.
                page.wait_for_load_state("networkidle")
                page.wait_for_selector("#card:not(.htmx-settling):not(.htmx-swapping)")
                page.wait_for_timeout(500)
                card = page.locator("#card")
                shown_id = card.get_attribute("data-card")
                headline = page.inner_text("#card .headline")
                label = truth(headline)
                suggested = page.get_attribute('#card button[data-key="Enter"]', "hx-vals") or ""
                if f'"label": "{label}"' in suggested:
                    page.keyboard.press("Enter")  # accept the model's label
                else:
                    page.keyboard.press(str(labels.index(label) + 1))
                # A selector, not a script: the page's CSP forbids the eval a function needs.
                page.wait_for_selector(f'#card:not([data-card="{shown_id}"])')
                given.append((headline, label))
            assert page.inner_text('[data-count="labelled"] b') == "10"
            assert page.inner_text('[data-count="left"] b') == "18"

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


def rows(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [(row["headline"], row["label"]) for row in csv.DictReader(fh)]
