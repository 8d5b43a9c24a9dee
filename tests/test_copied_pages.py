"""A page copied as text reads as the same page saved as HTML: the same headlines, in order,
with the same ages. The text is made from the HTML as a person's copy would be (see
copied.py), glued where the HTML has no white space between inline elements, or spaced."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from copied import copied_text

from headlines.feeds.html import parse_html
from headlines.feeds.pages import parse_page

SAMPLES = Path(__file__).parent / "samples" / "html"
sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
from pages import page  # noqa: E402  (the page generator of benchmarks/pages.py)

# Samples whose copied text reads as their HTML does. Not here: labelled-links-with-ages-beside
# (a kicker "Money" that is no known section, and a link after the list that the text cannot
# tell from one more headline), tabs-and-slides (the copied text shows every tab's list), and
# widget-without-doctype (an ad widget's brand glued before and after its title).
ALIKE = [
    "ages-after-links-in-brackets", "flat-ages-before-titles", "flat-list-with-day-and-time",
    "flat-titles-with-ages-as-siblings", "link-cards-with-kicker-and-source",
    "link-wrapped-items-with-ages-after", "ranks-inside-links", "related-list-with-times",
    "section-heading-before-article-items", "short-titles-with-comments-and-ages",
    "source-and-age-in-one-line", "titles-broken-by-br",
]  # fmt: skip


def _read(html: str, spaced: bool) -> tuple[list[tuple[str, int | None]], ...]:
    from_html = [(h.text, h.age_minutes) for h in parse_html(html, "page.html")]
    text = copied_text(html, spaced=spaced)
    from_text = [(h.text, h.age_minutes) for h in parse_page(text, "page.txt")]
    return from_html, from_text


@pytest.mark.parametrize("spaced", [False, True], ids=["glued", "spaced"])
@pytest.mark.parametrize("name", ALIKE)
def test_a_sample_reads_the_same_copied_as_text(name: str, spaced: bool) -> None:
    from_html, from_text = _read((SAMPLES / f"{name}.html").read_text(encoding="utf-8"), spaced)
    assert from_text == from_html


@pytest.mark.parametrize("spaced", [False, True], ids=["glued", "spaced"])
def test_generated_pages_read_the_same_copied_as_text(spaced: bool) -> None:
    rng = random.Random(7)
    for number in range(20):
        from_html, from_text = _read(page(rng, number), spaced)
        assert len(from_html) >= 10
        assert from_text == from_html, f"generated page {number}"
