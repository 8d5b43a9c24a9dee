"""Saved portal pages as text -> the headlines of their "OTHER NEWS" list, with ages.

Covers: finding the list in a page saved as text, pairing each headline with its age line,
and reading age lines. Does not cover: other formats (the other modules of this package).

The portal page format is what a reader gets when they save a news article with its
"OTHER NEWS" list as text: the page title (repeated), the article, then the list, in which
every headline stands next to a relative-age line such as ``2 hrs ago``::

    Some article title          <- the page title, not a list headline
    some article title
    ... article paragraphs ...
    OTHER NEWS
    2 hrs ago
    First list headline         -> Headline("First list headline", age_minutes=120)
    3 hrs ago
    Second list headline        -> Headline("Second list headline", age_minutes=180)
"""

from __future__ import annotations

import re

from ..errors import InputError
from ..files import split_lines
from ..records import Headline

_HEADER_RE = re.compile(
    r"^(?:other news|more news|ander nieuws|andere nieuws|meer nieuws|overig nieuws)\s*:?$",
    re.IGNORECASE,
)

_UNIT_MINUTES = {
    "m": 1, "min": 1, "mins": 1, "minute": 1, "minutes": 1, "minuut": 1, "minuten": 1,
    "h": 60, "hr": 60, "hrs": 60, "hour": 60, "hours": 60, "u": 60, "uur": 60,
    "d": 1440, "day": 1440, "days": 1440, "dag": 1440, "dagen": 1440,
    "w": 10080, "week": 10080, "weeks": 10080, "weken": 10080,
}  # fmt: skip

_AGE_RE = re.compile(
    r"^(?:(?P<n>\d+)\s*(?P<unit>[a-z]+)\.?\s+(?:ago|geleden)|(?P<now>just now|zojuist))$",
    re.IGNORECASE,
)


def looks_like_page(lines: list[str]) -> bool:
    """True for stripped lines with an "OTHER NEWS" header or an age line, or that start
    with a title repeated in lower case: ``["Other news", "PSV wint"] -> True``."""
    return any(_HEADER_RE.match(line) or parse_age(line) is not None for line in lines) or (
        has_title_signature(lines)
    )


def parse_age(line: str) -> int | None:
    """Read a relative-age line as minutes; None when the line is not one.

    ``"2 hrs ago" -> 120``, ``"1 dag geleden" -> 1440``, ``"Verstappen wint" -> None``.
    """
    match = _AGE_RE.match(" ".join(line.split()))
    if match is None:
        return None
    if match.group("now"):
        return 0
    minutes = _UNIT_MINUTES.get(match.group("unit").lower())
    return None if minutes is None else int(match.group("n")) * minutes


def parse_page(text: str, source: str) -> list[Headline]:
    """The headlines of a page's list, each with its age: see the module docstring."""
    lines = [line.strip() for line in split_lines(text)]
    header = next((i for i, line in enumerate(lines) if _HEADER_RE.match(line)), None)
    start = 0 if header is None else header + 1
    tokens = [(parse_age(line), line) for line in lines[start:] if line]
    if header is None:
        first_age = next((i for i, (age, _) in enumerate(tokens) if age is not None), None)
        if first_age is None:
            why = (
                "looks like a saved portal page (its title repeats at the top)"
                if has_title_signature(lines)
                else "has no page structure"
            )
            raise InputError(
                f"{source}: {why} but has no 'OTHER NEWS' list and no age lines; "
                "pass --input-format list to read every line as a headline"
            )
        # Without a header the list starts at the first age line, or at the headline just
        # before it when ages follow their headlines.
        before = _pair_ages(tokens[first_age:], ages_first=True)
        after = _pair_ages(tokens[max(first_age - 1, 0) :], ages_first=False)
    else:
        before = _pair_ages(tokens, ages_first=True)
        after = _pair_ages(tokens, ages_first=False)
    pairs, _ = min(before, after, key=lambda result: result[1])
    return [
        Headline(headline, source, position, age)
        for position, (headline, age) in enumerate(pairs, start=1)
    ]


def _pair_ages(
    tokens: list[tuple[int | None, str]], *, ages_first: bool
) -> tuple[list[tuple[str, int | None]], int]:
    """Pair headlines with ages; return the pairs and a cost (ages unpaired on either side).

    Both readings of a list are tried and the cheaper one wins, so a missing age line or ages
    written after their headlines cost one unpaired age at most.
    """
    pairs: list[tuple[str, int | None]] = []
    cost = 0
    pending_age: int | None = None
    pending_text: str | None = None
    for age, line in tokens:
        if ages_first:
            if age is not None:
                cost += pending_age is not None
                pending_age = age
            else:
                cost += pending_age is None
                pairs.append((line, pending_age))
                pending_age = None
        elif age is not None:
            if pending_text is None:
                cost += 1
            else:
                pairs.append((pending_text, age))
                pending_text = None
        else:
            if pending_text is not None:
                cost += 1
                pairs.append((pending_text, None))
            pending_text = line
    if ages_first:
        cost += pending_age is not None
    elif pending_text is not None:
        cost += 1
        pairs.append((pending_text, None))
    return pairs, cost


def has_title_signature(lines: list[str]) -> bool:
    """Saved portal pages start with their title, then the same title in lower case."""
    first_two = [line for line in lines[:20] if line][:2]
    return len(first_two) == 2 and first_two[0].casefold() == first_two[1].casefold()
