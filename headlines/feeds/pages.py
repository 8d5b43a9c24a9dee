"""Saved pages as copied text -> the headlines of their related-news list, with ages.

Covers: finding the candidate lists in a page copied from the browser (one line per text
block: navigation, the article, then lists such as "OTHER NEWS", "More on this story",
"Meer krantenkoppen", sidebars, a footer), reading each list's headlines without the lines
around them (section kickers, teasers, source lines, "Read more", ad markers), and binding
each age line to its headline whether it comes before or after it. Does not cover: HTML
pages (html.py), the words themselves (words.py, stamps.py), choosing a list (blocks.py).

The seed format, a page saved as text with its "OTHER NEWS" list::

    Some article title          <- the page title, not a list headline
    ... article paragraphs ...
    OTHER NEWS                  <- a list heading
    2 hrs ago
    First list headline         -> Headline("First list headline", age_minutes=120)
    3 hrs ago
    Second list headline        -> Headline("Second list headline", age_minutes=180)

A list runs from its heading (or, without one, from its first age line) to the next list
heading, a comment section or footer line, or a run of lines that are not headlines after
which the list's pattern (an age line) does not come back.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from ..files import split_lines
from ..records import Headline
from .blocks import Block, Item, ListChoice, choose, tidy, to_headlines
from .stamps import (
    is_clock,
    is_day,
    is_stamp,
    may_hold_stamp,
    parse_age,
    parse_date,
    parse_short_age,
)
from .text import clean, fold
from .words import (
    SPONSORED_TIER,
    count_after,
    ends_in_stamp,
    ends_list,
    glued_stamp,
    glued_word_stamp,
    heading_tier,
    is_badge,
    is_byline,
    is_comment_count,
    is_headline,
    is_marker,
    is_name,
    is_number,
    is_sentence_case,
    is_teaser,
    is_ui,
    is_whole_heading,
    marker_glued_before,
    name_stamp,
    script,
    sentence_stamp,
    source_stamp,
    split_stamp,
    stamp_glued_before,
    trailing_stamps,
    without_marker,
    word_count,
)

_NOISE_RUN = 3  # this many lines that are not headlines end a list, unless ages come back
_PARAGRAPH = 200  # characters: a line this long is article text
_HEADING_WORDS = 5  # a heading named in part has this many words at most
_SOURCE_WORDS = 4  # a source line beside each headline has this many words at most


@dataclass(slots=True)
class _Line:
    """A non-empty line of the page and what it is."""

    number: int  # 1-based line number in the page
    text: str
    age: int | None
    date: str | None
    tier: int  # heading_tier, 0 when not a heading
    end: bool  # a comment section, footer or copyright line
    named: bool = False  # an age line that names its source ("NOS · 2 uur geleden")

    @property
    def stamp(self) -> bool:
        return self.age is not None or self.date is not None


def _read_lines(text: str, heading: str | None = None) -> list[_Line]:
    wanted = fold(heading) if heading else ""
    lines = []
    glued = 0  # lines whose age was glued on
    for number, line in _marked_lines(text):
        age, date = _age_and_date(line)
        named = False
        if age is None and not date and (stamp := source_stamp(line)):
            # "NOS · 2 uur geleden": an age line that names its source.
            age, date = _age_and_date(stamp)
            named = True
        elif age is None and not date and (split := _stamped(line)):
            # "Title · 2h" (or "Title3 hours ago", glued, or "A teaser. 2 uur geleden") on one
            # line: the headline, then its age, as if on two lines.
            head, stamp = split
            glued += line == head + stamp
            lines += [_text_line(number, head), _stamp_line(number, stamp)]
            continue
        elif age is None and not date and (split := stamp_glued_before(line)):
            # "2 hrs agoRead more": an age, then what copied text glued on.
            stamp, rest = split
            lines += [_stamp_line(number, stamp), _text_line(number, rest)]
            continue
        tier = 0 if age is not None or date else heading_tier(line)
        lines.append(_Line(number, line, age, date, tier, ends_list(line), named))
    _unname_beside_ages(lines)
    if wanted:
        _mark_heading(lines, wanted)
    _read_short_ages(lines)
    # A page whose copy glued ages onto headlines ("Title3 hours ago") glued its ages of one
    # word on too ("Titleyesterday"); elsewhere a headline may end in a word that ends so.
    return _part_glued_words(lines) if glued >= 2 else lines


def _unname_beside_ages(lines: list[_Line]) -> None:
    """Read a line taken for a name and an age of one word ("Politics Yesterday") as text, in
    place, where an age line of its own stands right beside it: then it is a headline that
    ends in such a word ("Aa AA SOEBEN" / "just now"), as an item shows its age once."""
    for k, line in enumerate(lines):
        if (
            line.named
            and " " not in (source_stamp(line.text) or " ")
            and any(
                0 <= j < len(lines) and lines[j].stamp and not lines[j].named
                for j in (k - 1, k + 1)
            )
        ):
            lines[k] = _text_line(line.number, line.text)


def _read_short_ages(lines: list[_Line]) -> None:
    """Read "45 min", "2 uur", "2 dagen" on a line of their own under a headline as its age,
    in place, where ages under headlines near it are said in full ("gisteren", "2 days ago")
    or so read: a list that shows its ages so. Alone, such a line may be a video's length,
    and "2 uur" a time of day."""
    under = [
        i
        for i in range(1, len(lines))
        if lines[i].age is not None and not lines[i - 1].stamp and _candidate(lines[i - 1].text)
    ]
    if len(under) < 2:
        return
    short = {
        i: age
        for i in range(1, len(lines))
        if lines[i].age is None
        and not (lines[i].date or lines[i].tier)  # no date; a time of day ("") may be one
        and (age := parse_short_age(lines[i].text)) is not None
        and _candidate(lines[i - 1].text)
    }
    while near := [i for i in short if _within(under, i, _SHORT_AGE_REACH)]:
        for i in near:  # from the ages said in full outwards, item by item
            lines[i].age = short.pop(i)
            insort(under, i)


def _within(sorted_indexes: list[int], i: int, reach: int) -> bool:
    """Whether one of ``sorted_indexes`` lies within ``reach`` of ``i``."""
    at = bisect_left(sorted_indexes, i - reach)
    return at < len(sorted_indexes) and sorted_indexes[at] <= i + reach


_SHORT_AGE_REACH = 9  # lines: three items of a title, its kicker and its age


def _mark_heading(lines: list[_Line], wanted: str) -> None:
    """Make the lines that read ``wanted`` (folded) list headings, in place; when none reads
    it in full, the short lines that hold it: "Meer uit de regio" for "regio". A longer
    line that holds it is more likely a headline or the article's text."""
    whole = [line for line in lines if fold(line.text) == wanted]
    for line in whole or (
        line
        for line in lines
        if not line.stamp
        and wanted in fold(line.text)
        and word_count(line.text) <= max(_HEADING_WORDS, word_count(wanted))
    ):
        line.tier = 3


def _part_glued_words(lines: list[_Line]) -> list[_Line]:
    """Each headline line with an age of one word glued on as two lines, the headline and
    its age (see :func:`~.words.glued_word_stamp`)."""
    parted = []
    for line in lines:
        split = None if line.stamp or line.tier else glued_word_stamp(line.text)
        if split is None:
            parted.append(line)
            continue
        head, stamp = split
        parted += [_text_line(line.number, head), _stamp_line(line.number, stamp)]
    return parted


def _text_line(number: int, text: str) -> _Line:
    """A line that is no age (a headline, a source, a heading), parted from one on a line."""
    return _Line(number, text, None, None, heading_tier(text), ends_list(text))


def _stamp_line(number: int, stamp: str) -> _Line:
    """The age, date or time parted from a headline or source on a line."""
    return _Line(number, stamp, *_age_and_date(stamp), 0, False)


def _marked_lines(text: str) -> Iterator[tuple[int, str]]:
    """The page's non-empty lines (a table's cells each one), cleaned, with their numbers; a
    line that ends in an ad marker ("... 3 hours agoSponsored") comes as two, the headline and
    then the marker, and so do a marker line with a button glued on and an age line with a
    count of comments ("NOS 2 uur geleden 3 reacties"); a headline, marker and button on one
    line come as three."""
    folded = text.casefold()  # most pages show no counts of comments
    counts = any(word in folded for word in _COUNT_WORDS)
    # A browser copies a table's cells with a tab between them: a grid of headlines comes
    # as rows of two or three, each cell a line of its own.
    cells: Iterable[tuple[int, str]] = enumerate(split_lines(text), start=1)
    if "\t" in text:
        cells = ((n, cell) for n, raw in cells for cell in raw.split("\t"))
    for number, raw in cells:
        line = clean(raw)
        if not line:
            continue
        # A source that ends in a marker ("IFC Markets Sponsored") is a marker line whole.
        head = None if is_marker(line) else without_marker(line)
        if head is None and (
            split := marker_glued_before(line) or (_counted(line) if counts else None)
        ):
            first, rest = split  # "Ad • WarmHuisMeer informatie": the marker, the button
            ad = None if is_marker(first) else without_marker(first)
            if ad is not None:  # "Title Ad • Coin Vault Meer informatie": the ad's title too
                yield number, ad
                first = first[len(ad) :].strip()
            yield number, first
            yield number, rest
        elif head is None:
            yield number, line
        else:
            yield number, head
            yield number, line[len(head) :].strip()


# What the words of counts of comments start with (words.py's _COMMENT_WORDS), for a glance
# over a whole page folded to lower case.
_COUNT_WORDS = (
    "comment",
    "reacti",
    "repl",
    "kommenta",
    "komenta",
    "view",
    "weergave",
    "aufrufe",
    "vues",
)


def _counted(line: str) -> tuple[str, str] | None:
    """A line that ends in an age, and the count of comments after it: ``"NOS 2 uur
    geleden3 reacties"`` -> ``("NOS 2 uur geleden", "3 reacties")``, and so an age alone, a
    source and its age, or a headline parted from its age (``"Title · 2h 3 comments"``). A
    headline that runs into its age and count is left to the list
    (:func:`~.words.trailing_counts`)."""
    split = count_after(line)
    if split is None or not may_hold_stamp(head := split[0]):
        return None
    return split if is_stamp(head) or source_stamp(head) or _stamped(head) else None


def _stamped(line: str) -> tuple[str, str] | None:
    return split_stamp(line) or glued_stamp(line) or sentence_stamp(line)


def _age_and_date(text: str) -> tuple[int | None, str | None]:
    """A line's relative age in minutes, else its date (ISO 8601), or "" for a time of day
    today or a day without its year ("Today at 9:05 AM", "14 mei": a stamp with neither);
    None for what it is not."""
    age = parse_age(text)
    if age is not None:
        return age, None
    return None, parse_date(text) or ("" if is_clock(text) or is_day(text) else None)


def looks_like_page(lines: list[str]) -> bool:
    """True for stripped lines of a saved page: a line that is a list heading ("Other news",
    "Most read", "Around the web"), an age line, times, dates or ages beside sources,
    paragraphs of article text among menu items, or a title repeated in lower case at the
    top. ``["Other news", "PSV wint"] -> True``. A headline that holds a heading's words
    ("Don't miss this presale") says nothing: a long list has some, and read as a page it
    would lose the lines before them."""
    filled = [line for line in lines if line]
    if any(is_whole_heading(line) or parse_age(line) is not None for line in filled):
        return True
    # Lines that are only a date or a time ("24 July 2015", "10:32"), or an age beside a
    # source ("Coast Gazette · 25 mins ago") or glued to a headline ("Bridge shut3 hours
    # ago"): no list of headlines has two of them.
    stamped = (
        line
        for line in filled
        if may_hold_stamp(line) and (is_stamp(line) or source_stamp(line) or glued_stamp(line))
    )
    if next(stamped, None) is not None and next(stamped, None) is not None:
        return True
    # Paragraphs of article text among menu items of a word or two.
    paragraphs = sum(1 for line in filled if len(line) > _PARAGRAPH)
    menu = sum(1 for line in filled if len(line.split()) <= 2)
    return has_title_signature(lines) or (paragraphs >= 2 and menu * 5 >= len(filled))


def article_lines(lines: list[str]) -> int:
    """How many of these lines read like an article's sentences rather than headlines: a
    teaser's length, or four words or more ending in a full stop, not after an initial as
    "Sjonny W." ends. Lists of real headlines have about one in a thousand.
    ``["PSV wint", "De wethouder zegt dat herstel zes weken duurt."] -> 1``"""
    return sum(1 for line in lines if is_teaser(line) and not _ends_in_initial(line))


def _ends_in_initial(text: str) -> bool:
    """``"Zaak tegen Sjonny W."`` -> True: a full stop after a lone letter."""
    stripped = text.rstrip("\u201d\"\u2019' ")
    return (
        stripped[-1:] == "."
        and stripped[-2:-1].isalpha()
        and (len(stripped) == 2 or stripped[-3].isspace())
    )


def has_title_signature(lines: list[str]) -> bool:
    """Saved portal pages start with their title, then the same title in lower case:
    ``["Storm op komst", "storm op komst"] -> True``. A line that is simply there twice is a
    list's repeated headline: ``["PSV wint", "PSV wint"] -> False``."""
    first_two = [line for line in lines[:20] if line][:2]
    return (
        len(first_two) == 2
        and first_two[0] != first_two[1]
        and first_two[0].casefold() == first_two[1].casefold()
    )


def text_blocks(text: str, *, heading: str | None = None) -> list[Block]:
    """The candidate lists of a page copied as text, in page order; ``heading`` makes the
    lines with that text (or, when none, the short lines that hold it) list headings too."""
    lines = _read_lines(text, heading)
    blocks: list[Block] = []
    spans: list[tuple[int, int]] = []  # the lines each list takes
    covered = 0  # lines before this index belong to a list already
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.tier:
            start = i + 1
            # A row of headings (tabs: "Latest", "Trending") names the list by its first; a
            # paid one among them ("You May Also Like" / "Sponsored Links") makes it paid.
            tier = line.tier
            while start < len(lines) and lines[start].tier and lines[start].tier != 3:
                if lines[start].tier == SPONSORED_TIER:
                    tier = SPONSORED_TIER
                start += 1
            block, end = _block(lines, start, line.text, tier)
            blocks.append(block)
            spans.append((start, end))
            covered = max(covered, end)
        elif line.stamp and i >= covered:
            # No heading: the list starts at its first age line, or at the headline before it,
            # or before that when what stands between looks like its source.
            start = i
            while (
                start > covered
                and i - start < 2
                and _candidate(lines[start - 1].text)
                and (start == i or len(lines[i - 1].text.split()) <= _SOURCE_WORDS)
            ):
                start -= 1
            if start == i - 1 and _heading_before(lines, i):
                start = i
            # Or at the headline over a teaser over it ("Title" / "A teaser." / "AP • 38m ago"),
            # where the next age shows the same: else the two may be the article's end.
            if start == i and i - 2 >= covered and _teased(lines, i):
                after = next((j for j in range(i + 3, min(i + 8, len(lines))) if lines[j].stamp), 0)
                start = i - 2 if after and _teased(lines, after) else i
            block, end = _block(lines, start, "", 0)
            if block.items:
                blocks.append(block)
                spans.append((start, end))
            # Read once: an age line inside this stretch starts no list of its own.
            covered = max(end, i + 1)
            i = max(i, end - 1)
        i += 1
    blocks += _lists_by_ages_on_their_lines(lines, spans)
    blocks.sort(key=lambda block: block.line)
    _link_following(blocks, lines)
    return blocks


def _lists_by_ages_on_their_lines(lines: list[_Line], spans: list[tuple[int, int]]) -> list[Block]:
    """Lists without a heading and without age lines, found by the ages on their headlines'
    lines (``"Ferry fares to rise 2h"``): three or more such headlines, with at most two
    other lines (a source, a teaser) between one and the next, outside the lists found."""
    taken = {k for start, end in spans for k in range(start, end)}
    found: list[Block] = []
    i = 0
    while i < len(lines):
        if i in taken or not (_candidate(lines[i].text) and ends_in_stamp(lines[i].text)):
            i += 1
            continue
        hits, k, gap = 1, i + 1, 0
        while k < len(lines) and k not in taken and not (lines[k].tier or lines[k].end):
            if _candidate(lines[k].text) and ends_in_stamp(lines[k].text):
                hits, gap = hits + 1, 0
            elif (gap := gap + 1) > 2:
                break
            k += 1
        if hits >= 3:
            block, end = _block(lines, i, "", 0)
            if block.items:
                found.append(block)
                taken.update(range(i, end))
            i = max(end, i + 1)
        else:
            i += 1
    return found


def _teased(lines: list[_Line], i: int) -> bool:
    """Whether the age line at ``i`` has a teaser right over it and a headline over that."""
    teaser, title = lines[i - 1].text, lines[i - 2].text
    return not _candidate(teaser) and is_teaser(teaser) and _candidate(title)


def _heading_before(lines: list[_Line], i: int) -> bool:
    """True when the line before a list's first age line is the list's heading, in words no
    list heading has ("From the newsroom"), rather than its first headline: the list ends
    with a headline, so its ages come before their headlines, and the line is short beside
    them (four words at most, under 60% of their middle length). A list of ages after their
    headlines whose last age is missing ends so too, but its first headline is as long as
    the others."""
    words = len(lines[i - 1].text.split())
    lengths = sorted(len(line.text.split()) for line in lines[i : i + 24] if _candidate(line.text))
    if words > _SOURCE_WORDS or not lengths or words >= 0.6 * lengths[len(lengths) // 2]:
        return False
    region = _region(lines, i)
    return bool(region) and not region[-1].stamp


@lru_cache(maxsize=65536)
def _candidate(text: str) -> bool:
    return is_headline(text) and len(text) <= _PARAGRAPH


def _block(lines: list[_Line], start: int, heading: str, tier: int) -> tuple[Block, int]:
    """The list that starts at ``lines[start]``, and the index of the line after it."""
    region = _region(lines, start)
    end = start + len(region)
    items = _items(region)
    first = region[0].number if region else (lines[start].number if start < len(lines) else 0)
    has_heading = bool(heading)
    if not heading:
        # A list heading just after a list names it: a "More stories" button; not one that
        # heads a list of its own, with a headline or an age right under it.
        for k in range(end, min(end + 5, len(lines))):
            after = lines[k]
            if after.tier and not _starts_list(lines, k + 1):
                heading, tier, has_heading = after.text, after.tier, True
            if after.tier or _candidate(after.text) or after.stamp:
                break
    if tier == SPONSORED_TIER:
        for item in items:
            item.sponsored = True
    block = Block(heading, items, first, tier=tier, has_heading=has_heading, end=end)
    return block, end


def _starts_list(lines: list[_Line], k: int) -> bool:
    """Whether a headline or an age stands at ``lines[k]``, as under a list's heading."""
    return k < len(lines) and (lines[k].stamp or _candidate(lines[k].text))


def _region(lines: list[_Line], start: int) -> list[_Line]:
    """The lines of a list from ``start`` to where it ends: a run of three lines that are no
    headline, age, ad marker or count of comments, unless ages come back (trailing lines
    that are no headline, age or advertiser's marker left out)."""
    region: list[_Line] = []
    noise = 0
    dated = False
    plain = True  # only headlines, ages, ad markers and ranks so far: no teaser, no count
    # A box between the paragraphs of the article: the text after it is the article's too.
    inside = start >= 2 and lines[start - 1].tier > 0 and len(lines[start - 2].text) > _PARAGRAPH
    k = start
    while k < len(lines):
        line = lines[k]
        if line.tier or line.end:
            break
        if line.stamp:
            dated = True
            noise = 0
        elif _candidate(line.text) or is_marker(line.text) or is_number(line.text):
            noise = 0
        elif plain and not inside and _article_starts(region, line):
            region.pop()  # the article's title, not the list's last headline
            break
        else:
            plain = False
            if not is_comment_count(line.text):  # a count is an item's, like its age
                noise += 1
                if noise >= _NOISE_RUN and not (dated and _stamp_follows(lines, k + 1)):
                    break
        region.append(line)
        k += 1
    if not dated:
        region = _without_unstamped_tail(region)
    # An advertiser's marker line ("Slaapwel Gesponsord") closes the last item, an ad; a bare
    # "Advertentie" may label a banner below the list, unless it stands where the list's
    # items show an age or a source (_marks_last).
    end = len(region)
    while region and not (
        region[-1].stamp
        or _candidate(region[-1].text)
        or (len(region[-1].text.split()) > 1 and is_marker(region[-1].text))
    ):
        region.pop()
    region += _marks_last(region, lines[start + len(region) : start + end])
    return region


def _without_unstamped_tail(region: list[_Line]) -> list[_Line]:
    """A list whose headlines end in their ages ("Title 2 hours ago") without the lines
    after the last of them, when those hold two headlines or more and a line of no item
    between ("Share your feedback!" / "Give Feedback" / "The Register, part of ..."): the
    footer's, not headlines of the list, which would show their ages too. One headline
    without an age at the end stays (an ad)."""
    heads = [k for k, line in enumerate(region) if _candidate(line.text)]
    stamped = [k for k in heads if ends_in_stamp(region[k].text)]
    if len(stamped) < 3 or len(stamped) * 2 < len(heads):
        return region
    tail = region[stamped[-1] + 1 :]
    after = sum(1 for line in tail if _candidate(line.text))
    other = any(not (_candidate(line.text) or is_marker(line.text)) for line in tail)
    return region[: stamped[-1] + 1] if after >= 2 and other else region


def _article_starts(region: list[_Line], line: _Line) -> bool:
    """Whether ``line``, a paragraph of article text right under a headline, shows that the
    headline is the article's title after a plain list (a sidebar's "Most read" before the
    article; :func:`_region` asks only while the list has shown nothing but headlines, ages,
    ad markers and ranks, no teaser as a list with teasers has): three headlines or more
    before it."""
    return len(line.text) > _PARAGRAPH and len(region) >= 4 and _candidate(region[-1].text)


def _marks_last(region: list[_Line], cut: list[_Line]) -> list[_Line]:
    """The lines cut off a list's end up to a bare ad marker (``"Advertentie"``), when it marks
    the last headline as an ad rather than labelling a banner below the list: nothing but
    teasers stands between them, and the ad lacks what the other items show in its place.
    Where items start with their headline ("Title" / "NOS"), they each show something
    under it; where they start with a source or age ("NOS" / "Title"), the ad lacks the
    kind of line the others show right before their headline. Else none."""
    at = next((k for k, line in enumerate(cut) if is_marker(line.text)), None)
    if at is None or not region or region[-1].stamp or not _candidate(region[-1].text):
        return []
    if not all(is_teaser(line.text) for line in cut[:at]):
        return []
    kinds = [_kind(line) for line in region]
    heads = [k for k, kind in enumerate(kinds[:-1]) if kind == "headline"]
    if kinds[0] == "headline":  # "Title" / "NOS": the ad shows nothing under it
        shown = sum(1 for k in heads if kinds[k + 1] != "headline")
    else:  # "NOS" / "Title": the ad lacks the line before it that the others show
        before = Counter(kinds[k - 1] for k in heads if k > 0)
        usual, shown = before.most_common(1)[0] if before else ("", 0)
        if kinds[-2] == usual:
            return []
    return cut[: at + 1] if _nearly_all(shown, len(heads)) else []


def _kind(line: _Line) -> str:
    if line.stamp:
        return "stamp"
    return "headline" if _candidate(line.text) else "other"


def _stamp_follows(lines: list[_Line], k: int) -> bool:
    """True when an age or date line comes before the next headline or heading, or after a
    headline right at ``k`` and what stands under it ("Title" / "A teaser." / "AP • 8 hours
    ago": the list goes on with ages after their teasers)."""
    for n, line in enumerate(lines[k : k + 12]):
        if line.stamp:
            return True
        if line.tier or line.end or (n > 0 and _candidate(line.text)):
            return False
    return False


def _named_ages(region: list[_Line]) -> list[_Line]:
    """A list's lines with each name of three or four words and its age on one line
    ("Nieuwsblad van het Noorden 9 hours ago", :func:`~.words.name_stamp`, a count of
    comments after it or not) read as an age line that names its source, where most of the
    list's ages name theirs and headlines without an age on their line stand beside them.
    Elsewhere such a line is a short headline with its age ("Storm Hits East Coast 2 hours
    ago"), for the list to part."""
    splits = [None if line.stamp else _name_age(line.text) for line in region]
    found = sum(1 for split in splits if split is not None)
    if not found:
        return region
    named = found + sum(1 for line in region if line.named)
    dated = found + sum(1 for line in region if line.stamp)
    bare = sum(
        1
        for line, split in zip(region, splits, strict=True)
        if split is None
        and not line.stamp
        and _candidate(line.text)
        and not ends_in_stamp(_uncounted(line.text))
    )
    if named < 3 or named * 2 < dated or bare < named - 1:
        return region
    lines = []
    for line, split in zip(region, splits, strict=True):
        if split is not None:
            age, date = _age_and_date(split[1])
            line = _Line(line.number, line.text, age, date, 0, False, named=True)
        lines.append(line)
    return lines


def _name_age(text: str) -> tuple[str, str] | None:
    return name_stamp(_uncounted(text))


def _uncounted(text: str) -> str:
    """A line without the count of comments at its end: "The Valley Evening Post 4 hours
    ago 12 comments" -> "The Valley Evening Post 4 hours ago"."""
    counted = count_after(text)
    return counted[0] if counted else text


def _labels(region: list[_Line]) -> set[str]:
    """Lines that label items rather than being one: a source or brand repeated around the
    headlines ("Good Morning America", "Intel" / headline / "Intel"), or a family of source
    lines that end alike ("CNBC on MSN", "The Verge on MSN")."""
    texts = [line.text for line in region]
    counts = Counter(texts)
    labels = {text for text in texts if counts[text] >= 2 and len(text.split()) <= 6}
    # A family of source lines that end alike: names ("The Motley Fool on MSN", "CNBC on
    # MSN"), short beside the headlines they label. Headlines that end alike ("Hostage talks
    # resume in Gaza") are neither names nor short.
    families: dict[str, list[str]] = {}
    for text in set(texts):
        split = text.split()
        if (
            2 <= len(split) <= 6
            and split[-2].islower()
            and len(split[-2]) <= 4
            and all(word[:1].isupper() or not word[:1].isalpha() for word in split[:-2])
        ):
            families.setdefault(" ".join(split[-2:]), []).append(text)
    lengths = sorted(len(text.split()) for text in texts if _candidate(text))
    middle = lengths[len(lengths) // 2] if lengths else 0
    for family in families.values():
        sizes = sorted(len(text.split()) for text in family)
        if len(family) >= 3 and sizes[len(sizes) // 2] <= 0.7 * middle:
            labels.update(family)
    # The lines of words, short or headlines: not the ages, counts of comments, ad markers
    # and buttons ("Meer informatie") between them.
    marked = [not line.stamp and is_marker(line.text) for line in region]
    worded = [
        line.text
        for line, marker in zip(region, marked, strict=True)
        if not line.stamp
        and not marker
        and not is_comment_count(line.text)
        and not is_ui(line.text)
        and (len(line.text.split()) <= _SOURCE_WORDS or _candidate(line.text))
    ]
    stamps = [line for line in region if line.stamp]
    # Sources alternate with headlines that share an age each; when there are more ages than
    # that, the short lines have ages of their own and are headlines ("Aa AA AAA" / "just
    # now" / "A long headline" / "just now").
    if len(stamps) <= len(worded) // 2 + 1:
        # The ads: a line right before or after an ad marker, which stands in for a source.
        ads = {
            line.text
            for k, line in enumerate(region)
            if not marked[k] and True in marked[max(k - 1, 0) : k + 2]
        }
        labels.update(
            text for text in _alternating_sources(worded, ads) if _candidate(text) and _short(text)
        )
    # Where the ages name their sources ("NOS · 2 uur geleden", or a longer name that labels
    # other items too, parted as if a headline and its age), a longer name before an age on
    # its line ("The New York Times · 2h") is one too: a name, not a sentence.
    if len(stamps) >= 3:
        parted = {
            line.number: line.text
            for line, after in pairwise(region)
            if after.stamp and after.number == line.number and not line.stamp
        }
        named = sum(1 for line in stamps if line.named or parted.get(line.number) in labels)
        if 2 * named >= len(stamps):
            labels.update(
                text for text in parted.values() if word_count(text) <= 5 and is_name(text)
            )
    labels.update(_counted_sources(texts))
    return labels


def _counted_sources(texts: list[str]) -> list[str]:
    """Source lines that show their item's count of comments ("Haagse Post 3 reacties",
    "Omroep West3 reacties"): a name of four words at most before the count, three such
    lines or more, beside as many headlines with no count or age on their line, save one,
    in sentence case. Where every headline ends in its count, they are left to
    :func:`~.words.trailing_counts`; in a list in title case, "Storm Hits Coast 12 comments"
    may be a headline."""
    splits = [count_after(text) for text in texts]
    counted = [
        text
        for text, split in zip(texts, splits, strict=True)
        if split is not None
        and split[0][:1].isupper()
        and word_count(split[0]) <= _SOURCE_WORDS
        and is_name(split[0])
    ]
    if len(counted) < 3:  # most lists: no look at the headlines needed
        return []
    bare = [
        text
        for text, split in zip(texts, splits, strict=True)
        if split is None and _candidate(text) and not ends_in_stamp(text)
    ]
    return counted if len(bare) >= len(counted) - 1 and is_sentence_case(bare) else []


def _alternating_sources(texts: list[str], ads: set[str]) -> list[str]:
    """Source lines ("The Coast Courier", "Harbour Times") that stand before or after every
    headline of a list, one each, so that every other line is short (four words at most) and
    the lines between are long: those short ones, of which the ones of three or four words
    read as headlines. A list of headlines does not alternate so over three pairs or more.

    One pair in four may break the pattern (a headline of four words, a source of five), as
    long as its source is no longer than its headline."""
    if len(texts) < 6:
        return []
    for parity in (0, 1):
        short, long = texts[parity::2], texts[1 - parity :: 2]
        sizes = [(len(s.split()), len(t.split())) for s, t in zip(short, long, strict=False)]
        sizes += [(len(s.split()), _SOURCE_WORDS + 1) for s in short[len(long) :]]
        misses = [(s, t) for s, t in sizes if not s <= _SOURCE_WORDS < t]
        if len(misses) <= len(sizes) // 4 and all(s <= t for s, t in misses):
            return short
    return _paired_sources(texts, ads) or _paired_sources(texts[::-1], ads)


def _paired_sources(texts: list[str], ads: set[str]) -> list[str]:
    """Source lines that each stand right before their headline, in a list where a few
    headlines stand alone: the ``ads``, whose marker line names the advertiser, and one in
    four pairs at most besides, and one at either end (whose source may have been cut off
    with the lines after the list). A source has three words at most, or four that make a
    name ("Nieuwsblad van het Noorden", not "Shell opent de winterdienst"). Two short lines
    in a row make no such list."""
    found: list[str] = []
    alone = k = 0
    while k < len(texts):
        if not _short(texts[k]):
            # At an edge, the list's end may cut the source off.
            alone += 0 < k < len(texts) - 1 and texts[k] not in ads
            k += 1
        elif k + 1 < len(texts) and not _short(texts[k + 1]):
            found.append(texts[k])
            k += 2
        else:
            return []
    return found if len(found) >= 3 and alone * 4 <= len(found) else []


def _short(text: str) -> bool:
    size = len(text.split())
    return size < _SOURCE_WORDS or (size == _SOURCE_WORDS and is_name(text))


def _join_broken(region: list[_Line]) -> list[_Line]:
    """A list's lines with each headline broken in two made whole again, as text copied from
    a title with a line break in it comes: "Veerpont bij Millingen vaart" / "weer na maanden
    van storing". A line goes on in the next when that one starts with a word in lower case,
    has two words or more, and is neither an author line, nor shown more than once (a label
    such as "uit de buurt"), nor an age, nor starts with one ("gisteren Inspectie ..."); and
    the line it goes on does not end a sentence."""
    counts = Counter(line.text for line in region)
    joined: list[_Line] = []
    for line in region:
        before = joined[-1] if joined else None
        first = line.text.split(maxsplit=1)[0]
        if (
            before is not None
            and not (before.stamp or before.tier or before.end)
            and before.text[-1:] not in ".!?:;"
            and first.isalpha()
            and first.islower()
            and len(line.text.split()) >= 2
            and not (line.stamp or line.tier or line.end)
            and counts[line.text] == 1
            and not is_byline(line.text)
            and parse_age(first) is None  # "gisteren Inspectie: ...": an age before a title
            and len(before.text) + len(line.text) < _PARAGRAPH
            and _candidate(before.text)
        ):
            joined[-1] = _Line(before.number, f"{before.text} {line.text}", None, None, 0, False)
        else:
            joined.append(line)
    return joined


def _items(region: list[_Line]) -> list[Item]:
    """The headlines of a list's lines, each with its age (before or after it: the reading
    that leaves fewer ages and headlines unpaired wins, and on a tie the order the list
    starts with), date and ad marker."""
    region = _named_ages(_join_broken(region))
    labels = _labels(region)
    candidates = {line.text for line in region if _candidate(line.text) and line.text not in labels}
    # A line in another script than the list's headlines (a footer tagline) is not one of them.
    scripts = Counter(script(text) for text in candidates)
    if scripts:
        main = scripts.most_common(1)[0][0]
        candidates = {text for text in candidates if script(text) == main}
    # A line that repeats a headline with words before it ("Full article US cinema gunman
    # ...") is a screen-reader copy, not a headline.
    copies = {text for text in candidates if _repeats_another(text, candidates)}
    marked = _marked_names(region)
    tokens: list[tuple[str, _Line]] = []
    for line in region:
        if line.stamp:
            if tokens and tokens[-1][0] == "stamp" and tokens[-1][1].date == line.date:
                continue  # "52m" then "52m ago in": one age shown twice
            tokens.append(("stamp", line))
        elif is_marker(line.text) or line.text in marked:
            tokens.append(("marker", line))
        elif line.text in labels or line.text in copies:
            tokens.append(("label", line))
        elif line.text in candidates:
            tokens.append(("headline", line))
        elif is_number(line.text) or is_badge(line.text):
            tokens.append(("label", line))
        else:
            tokens.append(("noise", line))
    # A headline line right under another is its subtitle (a programme name, an ad's tagline,
    # a teaser) in a list without ages or whose headlines carry teasers; in a list of bare
    # headlines with ages, it is a headline whose age is missing.
    heads = [k for k, (kind, _) in enumerate(tokens) if kind == "headline"]
    teased = sum(1 for k in heads if k + 1 < len(tokens) and tokens[k + 1][0] == "noise")
    # Without ages, a headline may carry a subtitle, but not two: three or more headline
    # lines in a row are a plain list of headlines (a copied list of links), also when an
    # ad marker stands among them ("Advertentie" or "Gesponsord · Slaapwel" under an ad), or
    # a badge over some ("PREMIUM").
    run = longest = 0
    for kind, line in tokens:
        if kind == "marker" or (kind == "label" and is_badge(line.text)):
            continue
        run = run + 1 if kind == "headline" else 0
        longest = max(longest, run)
    # A list whose headlines end in their ages ("Title 18 uur geleden", parted by tidy) is
    # dated too: a headline line under another there is the next item, an ad without an age.
    undated = not any(kind == "stamp" for kind, _ in tokens) and not any(
        trailing_stamps([line.text for kind, line in tokens if kind == "headline"])
    )
    # A dated list's headline carries one too where nearly every age has two headline
    # lines beside it: a title and its teaser.
    paired = undated or _in_pairs(tokens)
    subtitles = (paired and longest <= 2) or teased * 2 >= len(heads)
    sourced = _each_beside(tokens, heads)
    # On a tie (an age missing, as under an ad), the list's first line decides: ages come
    # first when it is one, else after their headlines.
    first = next((kind for kind, _ in tokens if kind in ("stamp", "headline")), "stamp")
    readings = [
        _pair(tokens, ages_first=first == "stamp", subtitles=subtitles, sourced=sourced),
        _pair(tokens, ages_first=first != "stamp", subtitles=subtitles, sourced=sourced),
    ]
    items, _ = min(readings, key=lambda reading: reading[1])
    tidy(items)
    return items


def _in_pairs(tokens: list[tuple[str, _Line]]) -> bool:
    """Whether nearly every age of a list has two headline lines beside it, on the same
    side, and no more ("Cronaca 45 minuti fa" / title / teaser): then each second line is
    the first one's teaser, written without a full stop, not a headline whose age is
    missing, which a list shows once or twice (an ad), not for every item."""
    stamps = [k for k, (kind, _) in enumerate(tokens) if kind == "stamp"]
    kinds = [kind for kind, _ in tokens]
    for step in (1, -1):
        pairs = 0
        for k in stamps:
            run = 0
            at = k + step
            while 0 <= at < len(kinds) and kinds[at] == "headline":
                run += 1
                at += step
            pairs += run == 2
        if _nearly_all(pairs, len(stamps)):
            return True
    return False


def _marked_names(region: list[_Line]) -> set[str]:
    """Lines of a marker and an advertiser's name with only a space between them ("Sponsored
    SleepWell Reviews", "Sponsored Trend Chaser"), where a list shows two or more: alone, such
    a line may be a headline in title case ("Sponsored Content Drives ..."), but a list's
    ads name their advertisers so, one under each."""
    found = set()
    for line in region:
        first, _, name = line.text.partition(" ")
        words = name.split()
        if 1 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and is_marker(first):
            found.add(line.text)
    return found if len(found) >= 2 else set()


def _each_beside(tokens: list[tuple[str, _Line]], heads: list[int]) -> bool:
    """Whether the headlines each have a short line of their own right before them, or each
    right after (a source, a kicker, a count: "Omroep West" / headline), save one in four at
    most; an ad, which names its advertiser in the marker right under it instead ("Anzeige |
    Zinsportal24"), counts as having one (see :func:`_heads`)."""
    marked = {k for k in heads if k + 1 < len(tokens) and tokens[k + 1][0] == "marker"}
    for step in (-1, 1):
        beside = sum(
            1
            for k in heads
            if k in marked
            or (
                0 <= k + step < len(tokens)
                and tokens[k + step][0] in ("label", "noise")
                and len(tokens[k + step][1].text.split()) <= _SOURCE_WORDS
            )
        )
        if _nearly_all(beside, len(heads)):
            return True
    return False


def _nearly_all(hits: int, total: int) -> bool:
    """Whether ``hits`` of ``total`` are all save one in four at most, and three or more."""
    return hits >= 3 and (total - hits) * 4 <= total


def _repeats_another(text: str, candidates: set[str]) -> bool:
    """True for "Full article US cinema gunman ..." when "US cinema gunman ..." is a headline."""
    words = text.split()
    return any(
        len(tail) >= 15 and tail in candidates
        for tail in (" ".join(words[k:]) for k in range(1, len(words)))
    )


def _pair(
    tokens: list[tuple[str, _Line]], *, ages_first: bool, subtitles: bool, sourced: bool
) -> tuple[list[Item], int]:
    """Items from a list's tokens with ages read as coming first or after their headline;
    returns them with a cost: ages and headlines left without a partner.

    Between two age lines the headline is the first headline line after the age (or the last
    before it, when ages follow); further headline lines count as items of their own only
    when something that is not a headline (a teaser, an author) stands between them, so a
    subtitle or programme name right under a headline is not read as one."""
    segments: list[tuple[_Line | None, list[tuple[str, _Line]]]] = []
    current: list[tuple[str, _Line]] = []
    stamps: list[_Line] = []
    for kind, line in tokens:
        if kind == "stamp":
            segments.append((stamps[-1] if stamps else None, current))
            stamps.append(line)
            current = []
        else:
            current.append((kind, line))
    segments.append((stamps[-1] if stamps else None, current))
    # segments[k] holds the tokens after stamp k-1 (and before stamp k).
    items: list[Item] = []
    cost = 0
    for k, (before, segment) in enumerate(segments):
        after = stamps[k] if k < len(stamps) else None
        heads = _heads(segment, subtitles=subtitles, sourced=sourced)
        if not heads:
            weak = [line for kind, line in segment if kind == "noise" and _weak(line.text)]
            stamp = before if ages_first else after
            if weak and stamp is not None:
                heads = [(weak[0] if ages_first else weak[-1], [])]
        stamp = before if ages_first else after
        if stamp is not None and not heads:
            cost += 1
        for n, (line, _) in enumerate(heads):
            own = n == 0 if ages_first else n == len(heads) - 1
            item = Item(line.text)
            if own and stamp is not None:
                item.age = stamp.age
                item.published = stamp.date or ""
            elif stamps:
                cost += 1
            item.sponsored = any(kind == "marker" for kind, _ in _own_markers(heads, n, ages_first))
            items.append(item)
    return items, cost


def _own_markers(
    heads: list[tuple[_Line, list[tuple[str, _Line]]]], n: int, ages_first: bool
) -> list[tuple[str, _Line]]:
    """The tokens after headline ``n`` that are its own. Where ages come before their
    headlines, an ad marker right before a headline that has no age of its own stands where
    the others show theirs ("Omroep Oost · 2 uur geleden" / title / "Gesponsord GlasNet" / ad
    title): it is the next headline's, not the one above it."""
    trailing = heads[n][1]
    if ages_first and n + 1 < len(heads) and trailing and trailing[-1][0] == "marker":
        trailing = trailing[:-1]
    if ages_first and n > 0 and heads[n - 1][1] and heads[n - 1][1][-1][0] == "marker":
        trailing = [heads[n - 1][1][-1], *trailing]
    return trailing


def _weak(text: str) -> bool:
    return word_count(text) >= 2 and is_headline(text, weak=True)


def _heads(
    segment: list[tuple[str, _Line]], *, subtitles: bool, sourced: bool
) -> list[tuple[_Line, list[tuple[str, _Line]]]]:
    """The headlines of a segment, each with the tokens after it (for ad markers). With
    ``subtitles``, a headline line under another one is its subtitle (:func:`_subtitle`)."""
    heads: list[tuple[_Line, list[tuple[str, _Line]]]] = []
    previous = ""
    for k, (kind, line) in enumerate(segment):
        if kind == "headline" and not (
            subtitles and previous == "headline" and _subtitle(segment, k, sourced=sourced)
        ):
            heads.append((line, []))
        elif heads:
            heads[-1][1].append((kind, line))
        # A bare marker ("AdChoices") may stand between an ad's title and its tagline; a
        # source line that ends in one ("IFC Markets Sponsored") closes the item.
        if kind != "marker" or len(line.text.split()) > 1:
            previous = kind
    return heads


def _subtitle(segment: list[tuple[str, _Line]], k: int, *, sourced: bool) -> bool:
    """Whether the headline line at ``k``, under a headline or under a bare ad marker under
    one, is that item's subtitle. Right under a headline it is, unless the list's headlines
    each have a source beside them (``sourced``) and an ad marker follows it: then it is an
    ad of its own. After a bare marker it is the ad's tagline only when its advertiser's
    marker follows ("AdChoices" / tagline / "Coin Vault Sponsored"); else it is the next
    headline, which a reader must not lose."""
    if segment[k - 1][0] == "headline":
        return not (sourced and _marked(segment, k))
    return _marked(segment, k)


def _marked(segment: list[tuple[str, _Line]], k: int) -> bool:
    """Whether an ad marker follows the headline at ``k`` before the next headline."""
    for kind, _ in segment[k + 1 :]:
        if kind == "headline":
            return False
        if kind == "marker":
            return True
    return False


def _link_following(blocks: list[Block], lines: list[_Line]) -> None:
    """A list goes on into the next one when it starts where the first ends, under a heading
    of a related list, and both look alike (ages or not; teasers or not). What follows a
    "Meer uit de regio" button must be a list of its own (three headlines or more), not a
    widget's line or two. As in saved HTML, only a related list (or one without a heading)
    goes on so: a sidebar's "Meest gelezen" is a list of its own, not the first part of the
    "Laatste nieuws" under it."""
    for block, nxt in reversed(list(pairwise(blocks))):
        if not (block.items and nxt.score) or nxt.tier != 3 or nxt.stamps != block.stamps:
            continue
        if block.has_heading and block.tier != 3:
            continue
        # Nothing but the next heading between them.
        if block.end < len(lines) and lines[block.end].text == nxt.heading:
            block.merged = [nxt, *nxt.merged]


def parse_page(text: str, source: str, *, choice: ListChoice | None = None) -> list[Headline]:
    """The headlines of a page's related-news list, each with its age: see the module
    docstring. ``choice`` names another list."""
    choice = choice or ListChoice()
    blocks = text_blocks(text, heading=choice.heading)
    chosen = choose(blocks, choice, source, "a saved page")
    return to_headlines(chosen, source)
