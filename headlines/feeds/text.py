"""How the readers compare and show a line of text: folded for comparing, cleaned for showing.

Covers: :func:`fold` (case, accents, symbols and edge punctuation gone) and :func:`clean`
(icon-font glyphs gone, spaces collapsed). Does not cover: what a line is (words.py,
stamps.py).

``fold(" Les plus CONSULTÉS : ") -> "les plus consultes"``, ``clean("AdChoices\ue05a") ->
"AdChoices"``
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


def fold(text: str) -> str:
    """Text compared as words: ``" Les plus CONSULTÉS : "`` -> ``"les plus consultes"``."""
    return _fold(text)


_EDGE_PUNCTUATION = " \t:;,.!?\u00bb\u00ab\u203a\u2039>|-\u2013\u2014\u2022\u00b7*#()[]\"'"


def clean(text: str) -> str:
    """A line as shown: icon-font glyphs (private-use characters) dropped, spaces collapsed.
    ``"AdChoices\\ue05a" -> "AdChoices"``."""
    if text and max(text) >= "\ue000":  # max() runs in C: most lines have no such glyph
        text = "".join(c for c in text if not "\ue000" <= c <= "\uf8ff")
    return " ".join(text.split())


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(
        c
        for c in decomposed
        if not unicodedata.combining(c) and unicodedata.category(c) not in ("So", "Co", "Cn")
    )
    plain = plain.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(plain.strip(_EDGE_PUNCTUATION).split())
