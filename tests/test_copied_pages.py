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
# tell from one more headline), tabs-and-slides (the copied text shows every tab's list),
# and widget-without-doctype (an ad widget's brand glued before and after its title).
# minified-items-with-source-and-age-spans has each source inline after its title: glued
# ("dorpshuizenDe Stentor") the two read apart, spaced only the stylesheet parts them.
ALIKE = [
    "ads-marked-before-their-advertiser", "ages-after-links-in-brackets", "flat-ages-before-titles",
    "flat-list-with-day-and-time", "flat-titles-with-ages-as-siblings",
    "link-cards-with-kicker-and-source", "link-wrapped-items-with-ages-after", "ranks-inside-links",
    "related-list-with-times", "section-heading-before-article-items",
    "short-titles-with-comments-and-ages", "source-and-age-in-one-line",
    "sources-over-titles-in-cards", "titles-broken-by-br",
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


def test_sources_glued_after_titles_read_apart() -> None:
    html = (SAMPLES / "minified-items-with-source-and-age-spans.html").read_text(encoding="utf-8")
    from_html, from_text = _read(html, spaced=False)
    assert from_text == from_html


@pytest.mark.parametrize("spaced", [False, True], ids=["glued", "spaced"])
def test_generated_pages_read_the_same_copied_as_text(spaced: bool) -> None:
    rng = random.Random(7)
    for number in range(20):
        from_html, from_text = _read(page(rng, number), spaced)
        assert len(from_html) >= 10
        assert from_text == from_html, f"generated page {number}"


# Random related-list layouts: how each item wraps its title, where its age stands, what else
# it shows. The headlines and ages are known, so every reading is checked against them.
_SUBJECTS = ["Ferry operator", "City council", "Harbour board", "Local school", "Fire brigade",
             "Rowing club", "Bus company", "Museum", "Hospital", "Police", "Theatre"]  # fmt: skip
_VERBS = ["announces", "delays", "approves", "rejects", "opens", "closes", "plans", "cancels"]
_OBJECTS = ["a new timetable for the winter", "its plan for the old quay", "next year's budget",
            "a second bridge", "the summer festival", "repairs to the pier", "longer opening hours",
            "an inquiry into the flooding", "a new lifeboat station"]  # fmt: skip
_HEADINGS = [
    "Other news", "More on this story", "Related stories", "Recommended for you",
    "Latest news", "You may also like", "From the newsroom", "Elsewhere today",
]  # fmt: skip
_UNKNOWN = {"From the newsroom", "Elsewhere today"}  # headings no list heading has the words of


def _layout(rng: random.Random) -> tuple[str, list[tuple[str, int | None]], bool]:
    """A page with one related list in a random layout, its headlines with their ages, and
    whether its copied text can show the list: not when it has neither a known heading nor
    ages, for then its lines are like any other lines of the page."""
    wrap = rng.choice(["li", "div", "article"])
    title_shape = rng.choice(["<a href='{h}'>{t}</a>", "<h3><a href='{h}'>{t}</a></h3>",
                              "<a href='{h}'><h3>{t}</h3></a>",
                              "<a href='{h}'><span>{t}</span></a>"])  # fmt: skip
    age_place = rng.choice(["none", "block after", "block before", "inline", "time", "source"])
    deco = rng.choice(["", "", "» ", "rank", "image", "paid last"])
    extra = rng.choice([
        "", "<span class='kicker'>Sport</span>", "<div>The Coast Courier</div>",
        "<p>The details were set out at a meeting on Monday evening.</p>",
    ])  # fmt: skip
    heading = rng.choice(_HEADINGS)
    items, truth, used = [], [], set()
    count = rng.randint(4, 8)
    while len(items) < count:
        text = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"
        if text in used:
            continue
        used.add(text)
        hours = rng.randint(2, 23)
        shown = rng.choice([f"{hours} hours ago", f"{hours} hrs ago", f"{hours}h"])
        number = len(items)
        shown_text = {"» ": f"» {text}", "rank": f"{number + 1}. {text}"}.get(deco, text)
        title = title_shape.format(h=f"/n/{number}", t=shown_text)
        if deco == "image":
            title = f"<a href='/n/{number}'><img src='p.jpg' alt=''></a>{title}"
        age = {
            "none": "", "block after": f"<div>{shown}</div>", "block before": f"<div>{shown}</div>",
            "inline": f" <span>{shown}</span>", "time": f"<time>{shown}</time>",
            "source": f"<div>Coast Courier · {shown}</div>",
        }[age_place]  # fmt: skip
        kicker = extra if "kicker" in extra else ""
        after = extra if not kicker else ""
        body = (
            (age + kicker + title + after)
            if age_place == "block before"
            else (kicker + title + age + after)
        )
        if deco == "paid last" and len(items) == 3:
            body += "<span>Sponsored</span>"  # an ad, marked after its age
        items.append(f"<{wrap}>{body}</{wrap}>")
        truth.append((text, None if age_place == "none" else hours * 60))
    rows = "".join(items)
    html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>The Post</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        "<article><h1>Council votes on the new bridge</h1><p>The council met on Tuesday evening"
        " and, after a long debate about costs and the state of the old quays, voted to go"
        " ahead with the plan that has split the town for two years.</p></article>"
        f"<section><h2>{heading}</h2>{f'<ul>{rows}</ul>' if wrap == 'li' else rows}</section>"
        "<footer><p>&copy; 2026 The Post</p></footer></body></html>"
    )
    return html, truth, not (age_place == "none" and heading in _UNKNOWN)


@pytest.mark.parametrize("seed", range(3))
def test_random_list_layouts_read_right_from_html_and_copied_text(seed: int) -> None:
    rng = random.Random(seed)
    for number in range(40):
        html, truth, readable = _layout(rng)
        where = f"layout {number} of seed {seed}"
        assert [(h.text, h.age_minutes) for h in parse_html(html, "page.html")] == truth, where
        if not readable:
            continue
        for spaced in (False, True):
            text = copied_text(html, spaced=spaced)
            got = [(h.text, h.age_minutes) for h in parse_page(text, "page.txt")]
            assert got == truth, f"{where}, copied {'spaced' if spaced else 'glued'}"
