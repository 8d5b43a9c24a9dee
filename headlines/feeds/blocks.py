"""The candidate lists of a saved page, and choosing the one a reader wants.

Covers: :class:`Item` and :class:`Block` (what pages.py and html.py find in a page), scoring
them, picking the list to read (the best one, or the one the user names with
``--list-heading`` or ``--block``), and turning it into Headline records with the columns
``block``, ``link``, ``sponsored`` and ``published``. Does not cover: finding the blocks in
a page (pages.py, html.py).

``choose([Block("Other news", [Item("PSV wint")], ...)], ListChoice())`` -> that block
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from ..errors import InputError
from ..records import Headline
from .stamps import parse_date, parse_short_age
from .text import fold
from .words import (
    SPONSORED_TIER,
    common_suffix,
    glued_sources,
    is_marker,
    is_sentence_case,
    leading_stamps,
    length_in_words,
    parted_sources,
    strip_badge,
    strip_bullets,
    strip_glued_labels,
    strip_kickers,
    strip_ranks,
    trailing_counts,
    trailing_stamps,
    without_marker,
)

MIN_ITEMS = 3  # fewer headlines than this are a teaser box, not a list
# How much a heading says that a list is the related-news list: see words.heading_tier.
_TIER_WEIGHT = {3: 3.0, 2: 1.0, SPONSORED_TIER: 0.5, 0: 0.8}


@dataclass(frozen=True, slots=True)
class ListChoice:
    """Which list of a page to read: by default the best one; ``heading`` names it by (part
    of) its heading as the page shows it, ``block`` by its number in ``parse --blocks``."""

    heading: str | None = None
    block: int | None = None


@dataclass(slots=True)
class Item:
    """One headline of a page's list, with what the page says about it."""

    text: str
    age: int | None = None
    published: str = ""
    link: str = ""
    sponsored: bool = False


def tidy(items: list[Item], *, copied: bool = True) -> None:
    """A list's headlines as a reader wants them, in place, without what the list shows with
    each of them on the same line: a note in brackets that they all end with (" (opens in a
    new window)"), a count of comments, an age, date or time at the end or at the start (which
    becomes the item's, when it has none), a rank ("1. "), a bullet ("» "), a section name
    ("Politics"), a badge ("LIVE") or a label that copied text glued before two or more of
    them (:func:`~.words.strip_glued_labels`).
    Each of the others is a list's way only when most of its headlines show it; see
    :func:`~.words.common_suffix`, :func:`~.words.trailing_counts`,
    :func:`~.words.trailing_stamps`, :func:`~.words.leading_stamps`,
    :func:`~.words.strip_ranks`, :func:`~.words.strip_bullets`, :func:`~.words.strip_kickers`
    and :func:`~.words.strip_badge`.
    """
    for item in items:
        if (head := without_marker(item.text)) is not None:
            item.text, item.sponsored = head, True
    # Each pass again while the one before left off something: "Title 12 reacties 3 uur
    # geleden", "Title (opens ...)2 hours ago", "Sport 3. Title" or "3. Sport Title".
    before: list[str] = []
    while (texts := [item.text for item in items]) != before:
        before = texts
        suffix = common_suffix(texts)
        for item in items:
            item.text = item.text.removesuffix(suffix) if suffix else item.text
        for item, head in zip(items, trailing_counts([item.text for item in items]), strict=True):
            item.text = head if head is not None else item.text
        # Only copied text runs a source into its headline; in a page's own text a case seam
        # is in a name ("WordPress", "RadioPublic"), which several headlines may end with.
        glued = glued_sources([item.text for item in items]) if copied else [None] * len(items)
        for item, head in zip(items, glued, strict=True):
            item.text = head if head is not None else item.text
        for item, head in zip(items, parted_sources([item.text for item in items]), strict=True):
            item.text = head if head is not None else item.text
        for item, split in zip(items, trailing_stamps([item.text for item in items]), strict=True):
            if split is not None:
                item.text, stamp = split
                _take_stamp(item, stamp)
    leading = leading_stamps([item.text for item in items])
    for item, split in zip(items, leading, strict=True):
        if split is not None:
            stamp, item.text = split
            _take_stamp(item, stamp)
        elif any(leading):  # "Advertentie Zo bespaar ...": an ad's marker where ages stand
            first, _, rest = item.text.partition(" ")
            if len(first) > 2 and is_marker(first) and rest[:1].isupper():
                item.text, item.sponsored = rest, True
    for item, text in zip(items, strip_glued_labels([item.text for item in items]), strict=True):
        item.text = text
    before = []
    while (texts := [item.text for item in items]) != before:
        before = texts
        for item, text in zip(items, strip_kickers(texts), strict=True):
            item.text = text
        unranked = strip_bullets(strip_ranks([item.text for item in items]))
        for item, text in zip(items, unranked, strict=True):
            item.text = text
    sentence_case = is_sentence_case([item.text for item in items])
    for item in items:
        item.text = strip_badge(item.text, sentence_case=sentence_case)


def _take_stamp(item: Item, stamp: str) -> None:
    """The age or date of a stamp read off an item's line, when the item has none yet."""
    if item.age is None and not item.published:
        item.age = parse_short_age(stamp)  # "12 min": a list's way of showing ages
        item.published = "" if item.age is not None else parse_date(stamp) or ""


@dataclass(slots=True)
class Block:
    """A candidate list of a page: its heading as shown ("" when it has none), its items, and
    where it starts (a line number of the page, 1-based)."""

    heading: str
    items: list[Item]
    line: int
    tier: int = 0
    has_heading: bool = False
    nav: bool = False  # inside a navigation bar, header or footer, or rows of links
    comments: bool = False  # inside a comment section: readers' posts, no headlines
    end: int = 0  # the line after its last item
    merged: list[Block] = field(default_factory=list)  # lists read after this one

    @property
    def dated(self) -> bool:
        """True when most items carry an age or a date."""
        dated = sum(1 for item in self.items if item.age is not None or item.published)
        return dated * 2 >= len(self.items) > 0

    @property
    def stamps(self) -> str:
        """What most items carry: "ages", "dates" or "" (neither); lists that continue one
        another carry the same."""
        ages = sum(1 for item in self.items if item.age is not None)
        dates = sum(1 for item in self.items if item.published and item.age is None)
        if not self.dated:
            return ""
        return "ages" if ages >= dates else "dates"

    @property
    def score(self) -> float:
        """How much the block looks like the page's related-news list: more headlines, with
        ages, under a heading that names such a list, score higher; a comment section's
        posts, dated as they are, not at all."""
        if self.comments or not self.items:
            return 0.0
        dated = sum(1 for item in self.items if item.age is not None or item.published)
        # A short list counts only when every headline has its age ("OTHER NEWS" + two).
        if len(self.items) < MIN_ITEMS and dated < len(self.items):
            return 0.0
        weight = _TIER_WEIGHT[self.tier]
        if self.tier == 0 and not self.has_heading:
            weight *= 0.75
        score = len(self.items) * (2.0 if self.dated else 1.0) * weight
        if self.short:  # menus and tag clouds: a word or two a link
            score *= 0.3
        if self.nav:
            score *= 0.3
        return round(score, 2)

    @property
    def short(self) -> bool:
        """True when its items have fewer than four words on average, as a menu's do."""
        return sum(length_in_words(item.text) for item in self.items) < 4 * len(self.items)

    @property
    def menu(self) -> bool:
        """A site's menu, not a list of headlines: under no heading that names a list,
        without ages or dates (which a menu's links never have), and in a navigation bar,
        header or footer or of a word or two an item ("Live TV", "About us", "Sign out")."""
        return self.tier == 0 and not self.dated and (self.nav or self.short)


def chain_score(block: Block) -> float:
    """A block's score with the lists it continues into."""
    return block.score + sum(more.score for more in block.merged)


def best_block(blocks: list[Block]) -> Block | None:
    """The list read by default: the best scoring one with the lists it continues into,
    among those that are not a site's menu; None when there is none. A page with only menus
    has no list of headlines, which is said rather than guessed. A first part too short to
    score on its own (a heading and one headline) is read with the list it goes on into."""
    best = max((b for b in blocks if not b.menu), key=chain_score, default=None)
    return best if best is not None and chain_score(best) > 0 else None


def choose(blocks: list[Block], choice: ListChoice, source: str, what: str) -> list[Block]:
    """The block(s) to read: ``choice.block`` or ``choice.heading`` when given, else the best
    scoring one with the lists it continues into (its ``merged``). An error that says what
    was looked for when there is none."""
    if choice.block is not None:
        if not 1 <= choice.block <= len(blocks):
            raise InputError(
                f"{source}: no block {choice.block}; this page has {len(blocks)} candidate "
                f"lists (see them with 'headlines parse --blocks {source}')"
            )
        return [blocks[choice.block - 1]]
    if choice.heading is not None:
        wanted = fold(choice.heading)
        named = [b for b in blocks if wanted and wanted in fold(b.heading)]
        if not named:
            headings = "; ".join(f"'{b.heading}'" for b in blocks if b.heading) or "none"
            raise InputError(
                f"{source}: no list under a heading '{choice.heading}' (headings of the "
                f"candidate lists: {headings}); see them with 'headlines parse --blocks "
                f"{source}'"
            )
        return [max(named, key=lambda b: (len(b.items) >= MIN_ITEMS, b.score))]
    best = best_block(blocks)
    if best is None:
        raise InputError(
            f"{source}: {what}, but no list of headlines was found in it (looked for "
            f"{MIN_ITEMS} or more headlines under a heading such as 'Other news' or 'Related "
            "stories', or next to age lines such as '2 hrs ago'); pass --list-heading TEXT "
            "with the heading shown above the list, or see the candidate lists with "
            f"'headlines parse --blocks {source}'"
        )
    return _named(_with_parts(best, blocks))


def _with_parts(best: Block, blocks: list[Block]) -> list[Block]:
    """The best list with the lists it continues into and, where the page splits a related
    list between its paragraphs, each part under the same heading ("Read more", "Lees ook"),
    the other parts with theirs: all in page order."""
    chosen = [best, *best.merged]
    if best.tier == 3 and best.has_heading:
        heading = fold(best.heading)
        for block in blocks:
            taken = any(block is part for part in chosen)
            if not taken and block.tier == 3 and fold(block.heading) == heading:
                chosen += [block, *block.merged]
        chosen.sort(key=lambda block: block.line)
    return chosen


def _named(blocks: list[Block]) -> list[Block]:
    """A list split in parts (a slider's slides) is named by the heading of its first part."""
    for before, block in pairwise(blocks):
        if not block.has_heading:
            block.heading = before.heading
    return blocks


def to_headlines(blocks: list[Block], source: str, *, links: bool = True) -> list[Headline]:
    """The items of the chosen blocks as Headline records, numbered from 1.

    Every record has the same extra columns, so pages of both kinds mix in one CSV. A
    headline that a later part repeats is read once: a page that shows a list twice, for
    another screen or another test group, reads on into its second copy.
    """
    records: list[Headline] = []
    read: set[str] = set()
    for number, block in enumerate(blocks):
        for item in block.items:
            key = fold(item.text)
            if number and key in read:
                continue
            read.add(key)
            extra = {
                "block": block.heading,
                "link": item.link,
                "sponsored": item.sponsored,
                "published": item.published,
            }
            if not links:
                del extra["link"]
            records.append(Headline(item.text, source, len(records) + 1, item.age, extra))
    return records


def describe(blocks: list[Block]) -> list[dict[str, object]]:
    """The candidate lists as rows for ``parse --blocks``: number, heading, items, score,
    whether it is the one read by default, and its first headline. A heading with no
    headlines under it is left out (its number stays, so ``--block N`` reads what is shown)."""
    best = best_block(blocks)
    chosen = {id(b) for b in (_with_parts(best, blocks) if best else [])}
    return [
        {
            "block": number,
            "heading": block.heading,
            "line": block.line,
            "items": len(block.items),
            "dated": block.dated,
            "score": block.score,
            "read": id(block) in chosen,
            "first": block.items[0].text if block.items else "",
        }
        for number, block in enumerate(blocks, start=1)
        if block.items
    ]
