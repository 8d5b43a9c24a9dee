"""The words of saved pages: list headings, ad markers, buttons and what reads as a headline.

Covers: reading one line of a page (copied text, or a text block of an HTML page) as what it
is: the heading of a related-news list (``OTHER NEWS``, ``Meer krantenkoppen``, ``Recommended
for You``), an ad marker (``Sponsored``, ``Advertentie``), a button (``Read more``), a byline,
a count of comments, or a headline; and the pieces copied text glues onto a headline's line
(an age, a source, a marker, a kicker, a rank), found and cut off. English, Dutch, German and
French words, with the headings of Spanish, Portuguese, Italian, Swedish, Danish, Norwegian,
Czech, Slovak and Polish pages, and the list headings of more (Russian, Chinese, Japanese,
Korean, Turkish, Greek, ...; see headings.txt). Words of Chinese, Japanese and Thai, written
without spaces, are counted by their characters (:func:`length_in_words`). Does not cover: an
age or date on its own (stamps.py), folding text for comparing (text.py), finding the list in
a page (pages.py for copied text, html.py for HTML).

Nothing here names a site: every rule is about words any portal uses.

``heading_tier("More on this story") -> 3``, ``is_headline("Ajax wint van PSV") -> True``,
``without_marker("Five plants that survive any winter Sponsored") -> "Five plants that
survive any winter"``
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TypeVar

from .stamps import (
    SEPARATORS,
    STAMP_FIRST_ANY,
    STAMP_FIRST_WORDS,
    STAMP_LAST_WORDS,
    is_clock,
    is_stamp,
    may_hold_stamp,
    parse_age,
    parse_date,
    parse_short_age,
)
from .text import fold

_T = TypeVar("_T")

_DIGIT = re.compile(r"\d")  # searched in C: most lines have no digit, and so no stamp
# The same, for a glance at the end of a word with one glued on ("anoontem", "junhohá").
_STAMP_LAST_ENDINGS = tuple(word for word in STAMP_LAST_WORDS if len(word) >= 2)
_STAMP_FIRST_ENDINGS = tuple(word for word in STAMP_FIRST_ANY if len(word) >= 2)

# The tier of paid lists in headings.txt, whose items are sponsored.
SPONSORED_TIER = 1
# "More from Tech Insider", "Meer over Formule 1", "Mehr aus Berlin", "Plus de sport",
# "More videos", "Mer om: Stormen Vera".
_MORE = frozenset(
    (
        "more", "meer", "mehr", "plus", "dalsi", "weitere", "other", "andere", "autres", "mer",
        "mere", "wiecej",
    )
)  # fmt: skip
_MORE_OF = frozenset(
    (
        "from", "on", "in", "about", "of", "over", "van", "uit", "aus", "von", "zum", "zur", "de",
        "d'", "du", "des", "z", "ze", "o", "om",
    )
)  # fmt: skip
# The first word of a list of a section's latest stories: "Latest in Gear".
_LATEST = frozenset(
    (
        "latest", "newest", "recent", "laatste", "nieuwste", "neueste", "derniers", "dernieres",
        "ultimas", "ultimos", "ultime", "senaste", "siste", "seneste", "najnowsze", "nejnovejsi",
    )
)  # fmt: skip
# What a list of more holds: "More stories from", "Meer nieuws over", "Weitere Artikel aus".
_LIST_NOUNS = frozenset(
    (
        "news", "stories", "articles", "videos", "headlines", "posts", "nieuws", "artikelen",
        "berichten", "verhalen", "video's", "nachrichten", "artikel", "meldungen", "themen",
        "actualites", "infos", "zpravy", "clanky", "reads", "must-reads", "reading",
    )
)  # fmt: skip

# A line that marks its item (or list) as paid: the marker alone, or a source line that ends
# in it ("IFC Markets Sponsored").
_MARKERS = (
    "sponsored", "sponsored by", "sponsored content", "promoted", "promoted by", "ad", "ads",
    "adchoices", "advertisement", "advertorial", "paid content", "paid post", "partner content",
    "advertentie", "gesponsord", "gesponsorde inhoud", "anzeige", "werbung", "gesponsert",
    "publicite", "sponsorise", "contenu sponsorise", "reklama", "inzerce", "komercni sdeleni",
    "paid partnership", "promoted content", "sponsored post", "ad choices", "patrocinado",
    "publicidad", "publicidade", "pubblicita", "sponsorizzato", "annons", "annonse", "annonce",
    "reklame", "sponsorowane", "sponzorovane", "gesponsord door", "gesponsert von",
    "sponsorise par", "patrocinado por", "sponsorizzato da",
)  # fmt: skip

# Buttons and links that are not headlines: "Read more", "Lees meer »", "Go to MSN Home".
_UI_PHRASES = frozenset(
    (
        "read more", "read the full", "continue reading", "keep reading", "more info",
        "more information", "learn more", "lees meer", "lees verder", "meer lezen", "verder lezen",
        "meer informatie", "meer info", "mehr informationen", "mehr infos", "plus d'infos",
        "plus d'informations", "mas informacion", "mais informacoes", "maggiori informazioni",
        "weiterlesen", "mehr lesen", "mehr dazu", "mehr erfahren", "lire la suite", "lire plus",
        "en savoir plus", "weiter lesen", "cist dal", "cist vice", "go to", "back to", "skip to",
        "jump to", "sign in", "sign up", "log in", "log out", "like us", "leave a", "leave your",
        "add a", "post a", "write a", "click here", "click to", "tap here", "see all", "see more",
        "view all", "view this", "bekijk dit", "sieh dir diesen", "view more", "show all",
        "show more", "load more", "meer laden", "toon meer", "bekijk alle",
        "alle anzeigen", "mehr anzeigen", "voir tout", "voir plus", "afficher plus", "follow us",
        "volg ons", "folgen sie uns", "suivez-nous", "prohlednout si", "ga naar", "aller au",
        "zum inhalt", "bekijk al", "ver todas", "ver todos", "ver mais", "ver mas", "vedi tutti",
        "vedi tutte", "mostra tutto", "more sharing", "sharing options", "more share options",
        # a blog's pages of posts: "← Older Entries", "Ältere Einträge", "All posts from 2017"
        "older entries", "newer entries", "older posts", "newer posts", "older articles",
        "newer articles", "next page", "previous page", "all posts", "altere eintrage",
        "neuere eintrage", "altere beitrage", "neuere beitrage", "oudere berichten",
        "nieuwere berichten", "oudere artikelen", "nieuwere artikelen", "articles plus anciens",
        "articles plus recents", "billets plus anciens", "billets plus recents",
        # the heading of a writer's box after a post: "About the Author", "Über den Autor"
        "about the author", "about the authors", "over de auteur", "over de auteurs",
        "over de schrijver", "uber den autor", "uber die autorin", "uber die autoren",
        "a propos de l'auteur", "a propos des auteurs",
    )
)  # fmt: skip
# One verb of a button, with a word or two: "Share", "Save", "Watch now", "Show More Results".
_UI_VERBS = frozenset(
    (
        "view", "see", "show", "load", "watch", "play", "listen", "share", "save", "undo", "tweet",
        "email", "e-mail", "print", "login", "logout", "register", "subscribe", "follow", "join",
        "download", "install", "report", "feedback", "send", "close", "open", "search", "zoeken",
        "suchen", "rechercher", "bekijk", "toon", "voir", "afficher", "zobrazit", "sdilet",
        "inloggen", "aanmelden", "abonneer", "anmelden", "abonnieren", "connexion", "s'abonner",
        "deel", "delen", "teilen", "partager", "reageer", "kommentieren", "commenter", "privacy",
        "cookie", "cookies", "terms", "accept", "ok", "yes", "no", "menu", "home",
        # an ad's call to action: "Get Quote", "Shop Now", "Bestel nu"
        "get", "shop", "buy", "order", "book", "apply", "try", "discover", "bestel", "bestellen",
        "koop", "boek", "kaufen", "acheter", "reserver", "comprar",
    )
)  # fmt: skip
# A list ends at a comment section, a copyright line or a newsletter sign-up.
_END_WORDS = frozenset(
    (
        "comment", "comments", "reacties", "reageer", "kommentar", "kommentare", "commentaire",
        "commentaires", "reagissez", "komentare", "komentar", "diskuse", "discussion",
        "diskussion", "diskusia", "dyskusja", "comentarios", "comentario", "commenti",
        "kommentarer", "komentarze", "newsletter", "nieuwsbrief", "copyright",
    )
) | frozenset(
    fold(word)
    for word in (
        "댓글", "コメント", "评论", "評論", "留言", "σχόλια", "yorumlar", "hozzászólások",
        "comentarii", "комментарии", "коментарі", "التعليقات", "kommentit",
    )
)  # fmt: skip
# A footer's links, which a line of nothing else holds: "About us Privacy", "Over ons".
_FOOTER_WORDS = frozenset(
    (
        "", "about", "us", "over", "ons", "privacy", "cookies", "cookie", "terms", "conditions",
        "contact", "impressum", "datenschutz", "colofon", "disclaimer", "sitemap", "help", "faq",
        "adverteren", "advertise", "advertising", "vacatures", "careers", "jobs", "voorwaarden",
        "algemene", "policy", "beleid", "privacybeleid", "cookiebeleid", "legal", "mentions",
        "legales", "rss", "uber", "kontakt", "nous", "contactez", "accessibility",
        "toegankelijkheid", "and", "en", "&",
    )
)  # fmt: skip
_END_PHRASES = (
    "leave a reply", "all rights reserved", "alle rechten voorbehouden",
    "alle rechte vorbehalten", "tous droits reserves", "vsechna prava vyhrazena",
)  # fmt: skip
# A site's credits, which its footer starts a line with: "Powered by WordPress".
_CREDITS = ("powered by", "proudly powered by", "developed by", "designed by", "theme by")
_BYLINE_WORDS = frozenset(("by", "door", "von", "par", "od", "text", "tekst", "foto", "photo"))
# Badges glued before a headline: "ŽIVĚ Policisté budou ...", "LIVE Storm hits coast".
_OPEN_QUOTES = "'\"\u2018\u201c\u201e\u00ab"
_BADGES = frozenset(
    (
        "live", "liveblog", "live-blog", "video", "watch", "audio", "podcast", "gallery", "photos",
        "foto", "fotos", "update", "updated", "breaking", "new", "nieuw", "neu", "nouveau",
        "exclusive", "exclusief", "exklusiv", "exclusif", "premium", "plus", "zive", "zivy",
        "direct", "naziv", "opinion", "column", "analyse", "analysis",
    )
)  # fmt: skip


def _opens_headline(char: str) -> bool:
    """Whether a headline may start with ``char``, the first after a badge, label or kicker
    copied text put before it: a capital, a digit or an opening quote ("LIVE Storm ...",
    "PremiumMan (34) ...", "Sport“Dit had ..."); not a word in lower case that goes on a
    sentence ("Sport moet meer geld krijgen")."""
    return char.isupper() or char.isdecimal() or (char != "" and char in _OPEN_QUOTES)


def is_badge(line: str) -> bool:
    """A badge on a line of its own, over or under a headline: ``"PREMIUM"``, ``"Live"``."""
    return fold(line) in _BADGES


def _read_headings(path: Path) -> dict[str, int]:
    """The list headings of ``path`` (headings.txt), folded, each with its tier."""
    headings: dict[str, int] = {}
    tier = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("== "):
            tier = int(line[3:].partition(":")[0])
        elif line.strip() and not line.startswith("#"):
            headings[fold(line)] = tier
    return headings


# Tier 3: the lists a person calls "other news" (related, more, recommended); tier 2: lists
# of the site's latest or most read; tier 1 (SPONSORED_TIER): paid lists ("Around the web").
HEADINGS = _read_headings(Path(__file__).with_name("headings.txt"))
MARKERS = frozenset(fold(marker) for marker in _MARKERS)
_MARKER_STARTS = frozenset(marker.split()[0] for marker in MARKERS)
# A glance for a word that starts as a marker does, in any case: most lines have none, and
# is_marker need not look further (a test checks that every marker of _MARKERS starts so).
_MAY_BE_MARKER = re.compile(
    r"(?i)\b(?:ad|anno|anze|cont|gesp|inze|kome|paid|part|patr|prom|pubb|publ|rekl|spon|werb)"
)
# A glance for a marker's first word, capitalised or in capitals, anywhere in a line (glued
# on or not): the first letters of each (ASCII: "Publ" for "Publicité"). A test checks that
# every marker of _MARKERS starts so.
_MARKER_START_RE = re.compile(
    r"A[dD]|A[nN][nN][oO]|A[nN][zZ][eE]|C[oO][nN][tT]|G[eE][sS][pP]|I[nN][zZ][eE]|K[oO][mM][eE]"
    r"|P[aA][iI][dD]|P[aA][rR][tT]|P[aA][tT][rR]|P[rR][oO][mM]|P[uU][bB][bB]|P[uU][bB][lL]"
    r"|R[eE][kK][lL]|S[pP][oO][nN]|W[eE][rR][bB]"
)


# A separator before an age or date on a headline's line: a dash with white space around
# it, or a dot or bar, which copied text may glue to both sides ("NOS•2 uur geleden").
_SEPARATED = re.compile(r"\s[\-\u2013\u2014]\s|[·•|]")


def split_stamp(line: str) -> tuple[str, str] | None:
    """What stands before an age or date on the same line, parted from it by a separator,
    and the age or date: a headline (``"Markets shrug off the budget · 3h" -> ("Markets
    shrug off the budget", "3h")``) or a source (``"NOS · 2 uur geleden"``); None when the
    line does not end so (``"Ajax - PSV 2-1"``, ``"Storm - 28 min"``)."""
    last = next(reversed(list(_SEPARATED.finditer(line))), None)
    if last is None:
        return None
    head, stamp = line[: last.start()].strip(), line[last.end() :].strip()
    if not head or not is_stamp(stamp):
        return None
    return head, stamp


def source_stamp(line: str) -> str | None:
    """The age or date of a line that shows one beside a source or section, on either side
    of a separator: ``"NOS · 2 uur geleden"`` and ``"2 uur geleden · NOS"`` -> ``"2 uur
    geleden"``, glued on in copied text (``"Transport2h"`` -> ``"2h"``), or with no separator
    when a name of one or two words in capitals comes before an age said in full (``"News 2
    hours ago"``; not "What happened 50 years ago"); None for any other line. A source has
    three words at most ("NOS", "RTL Boulevard", "Yahoo Finance Video"); more make a
    headline."""
    split = split_stamp(line)
    if split is not None:
        return split[1] if word_count(split[0]) <= 3 else None
    glued = _glued_number(line) if " " not in line.strip() else 0
    if glued and parse_age(line[glued:]) is not None:
        return line[glued:]  # "Transport2h": a section and its age, glued
    first = _SEPARATED.search(line)
    if first is not None:  # "2 uur geleden · NOS"
        stamp, source = line[: first.start()].strip(), line[first.end() :].strip()
        return stamp if 1 <= word_count(source) <= 3 and is_stamp(stamp) else None
    return _named_age(line.split())


def _named_age(words: list[str]) -> str | None:
    """The age of ``"News 2 hours ago"`` (or ``"News2 hours ago"``, ``"De Stentor5 uur
    geleden"``, ``"北陸中央テレビ 47分前"``): a name of one or two words in capitals (or in a
    script without them), then an age said in full."""
    if not words:
        return None
    # An age said in full ends in its own words ("ago", "geleden", ...), or in one word with
    # its "ago" glued on ("47分前").
    whole = len(words[-1]) > 1 and words[-1].endswith("前")
    if not whole and words[-1].casefold() not in STAMP_LAST_WORDS:
        return None
    for at, word in enumerate(words[:2]):
        glued = _glued_number(word)
        if glued and word[:1].isupper():  # "News2 hours ago", as copied text glues it
            words = [*words[:at], word[:glued], word[glued:], *words[at + 1 :]]
            break
    for size in (1, 2):
        name, age = words[:size], " ".join(words[size:])
        if (
            len(words) > size + (0 if whole else 1)
            and all(_capitalised(word) for word in name)
            and parse_age(age) is not None
            and (whole or not parse_age(words[-1]))  # "ago", "geleden": not "News 2h"
        ):
            return age
    # An age of one word ("Politics Yesterday", "Lombardia ieri", "Sport zojuist"); not
    # "hier", which is "here" in Dutch and German ("Klik hier") as much as French for
    # yesterday.
    last = words[-1].casefold()
    if (
        2 <= len(words) <= 3
        and all(word[:1].isupper() for word in words[:-1])
        and last != "hier"
        and not _DIGIT.search(last)
        and parse_age(last) is not None
    ):
        return words[-1]
    return None


def _capitalised(word: str) -> bool:
    """Whether a word starts as a name does: with a capital, or with a letter of a script
    that has none ("연합뉴스", "北陸中央テレビ")."""
    first = word[:1]
    return first.isalpha() and not first.islower()


def name_stamp(line: str) -> tuple[str, str] | None:
    """A name of three or four words and an age said in full after it, with nothing between
    them: ``"Nieuwsblad van het Noorden 9 hours ago"`` -> ``("Nieuwsblad van het Noorden",
    "9 hours ago")``. Whether the name is a source or a short headline ("Storm Hits Coast")
    is for its list to say; "Storm hits the coast 2 hours ago" is no name."""
    words = line.split()
    if len(words) < 5 or words[-1].casefold() not in STAMP_LAST_WORDS:
        return None
    for size in (3, 4):
        name, age = words[:size], " ".join(words[size:])
        if (
            len(words) > size + 1
            and words[0][:1].isupper()
            and _a_name(name)
            and parse_age(age) is not None
            and not parse_age(words[-1])
        ):
            return " ".join(name), age
    return None


def heading_tier(line: str) -> int:
    """How surely a line names a related-news list: 3 ("Other news", "Related Stories"), 2
    ("Latest", "Most read"), 1 (paid: "Around the web"), 0 for anything else.

    A heading is short: the phrase itself, or the phrase with a few words around it
    (``"ABC News Top Stories" -> 2``, ``"More from Tech Insider" -> 3``).
    """
    text = fold(line)
    if not text or len(text) > 60:
        return 0
    return _heading_tier(text)


def is_whole_heading(line: str) -> bool:
    """True for a line that is a list heading and nothing more: ``"Other news"``, ``"Meest
    gelezen"``, ``"More from Tech Insider"``; not for a headline that holds a heading's
    words, which :func:`heading_tier` counts as one on a page: ``"Don't miss this presale"``,
    ``"Netflix-serie meest bekeken ooit"``. About one headline in 20,000 is such a one."""
    text = fold(line)
    if not text or len(text) > 60:
        return False
    return text in HEADINGS or _is_more_heading(text.split(), text)


@lru_cache(maxsize=65536)
def _heading_tier(text: str) -> int:
    if text in HEADINGS:
        return HEADINGS[text]
    words = text.split()
    if len(words) > 6 or parse_age(text) is not None:
        return 0
    if _is_more_heading(words, text):
        # "More from our partners": more, but paid.
        paid = any(
            HEADINGS.get(" ".join(words[start:]), 0) == SPONSORED_TIER
            for start in range(1, len(words) - 1)
        )
        return SPONSORED_TIER if paid else 3
    # "Latest in Gear", "Laatste uit de regio": a section's latest stories.
    if 3 <= len(words) <= 5 and words[0] in _LATEST and words[1] in _MORE_OF and not is_ui(text):
        return 2
    best = 0
    for size in range(min(len(words) - 1, 5), 0, -1):
        for start in range(len(words) - size + 1):
            tier = HEADINGS.get(" ".join(words[start : start + size]), 0)
            # A phrase of one word counts alone or with one more word ("Popular popular").
            if tier and (size > 1 or len(words) <= 2):
                best = max(best, tier)
        if best:
            return best
    return best


def _is_more_heading(words: list[str], text: str) -> bool:
    """A heading of five words or fewer that offers more (:func:`_is_more`), not a button."""
    return _is_more(words) and len(words) <= 5 and not is_ui(text)


def _is_more(words: list[str]) -> bool:
    """ "more from tech insider", "meer over formule 1", "more videos", "more news from
    abc", "more local news": a list of more; not a headline such as "meer doden in gaza"."""
    if len(words) < 2 or words[0] not in _MORE:
        return False
    if len(words) == 2 and words[1].isalpha():
        return True
    if len(words) == 3 and words[1].isalpha() and words[2] in _LIST_NOUNS:
        return True  # "more local news", "meer regionaal nieuws", "weitere lokale nachrichten"
    return words[1].rstrip(":") in _MORE_OF or (  # "mer om: stormen vera"
        words[1] in _LIST_NOUNS and len(words) > 2 and words[2].rstrip(":") in _MORE_OF
    )


def is_marker(line: str) -> bool:
    """True for an ad marker line: ``"Sponsored"``, ``"AdChoices"``, ``"IFC Markets Sponsored"``,
    ``"Advertentie"``; not for a headline that ends in a marker's word, which says more than a
    name does: ``"Fans furious over new Nike ad"``, ``"Bakker zoekt personeel via advertentie"``.
    """
    if not _MAY_BE_MARKER.search(line):
        return False
    if "AD" in _GLUED_SEPARATOR.sub(r" \1 ", line).split():
        return False  # in capitals, the Dutch paper: a source ("AD · 2 uur geleden")
    text = fold(line)
    if text in MARKERS:
        return True
    words = text.split()
    if not 1 < len(words) <= 6:
        return _marker_first(line)
    size = 1 if words[-1] in MARKERS else 2 if " ".join(words[-2:]) in MARKERS else 0
    if not size:
        return _marker_first(line)
    return _a_name(line.split()[:-size])


def _marker_first(line: str) -> bool:
    """A marker before its advertiser's name: ``"Sponsored by WarmHuis"``, ``"Ad • Coin
    Vault"``, ``"Gesponsord|WarmHuis"``, or with only a space between when the name is a
    name, every word of it capitalised (``"Gesponsord GlasNet Thuis"``; not ``"Advertentie
    Ikea blijkt misleidend"``)."""
    words = _GLUED_SEPARATOR.sub(r" \1 ", line).split()
    for size in (2, 1):
        marker = fold(" ".join(words[:size]))
        if marker not in MARKERS or len(marker.split()) < size or len(words) <= size:
            continue
        if marker.endswith((" by", " door", " von", " par", " por", " da")):  # "sponsored by"
            return 0 < len(words) - size <= 4 and _a_name(words[size:])
        if words[size] not in SEPARATORS:
            rest = words[size:]
            return (
                marker in _MARKERS_BEFORE_NAMES
                and len(rest) <= 3
                and all(word[:1].isupper() for word in rest)
            )
        rest = words[size + 1 :]
        return 0 < len(rest) <= 4 and _a_name(rest)
    return False


# Markers that stand before an advertiser's name with only a space between ("Gesponsord
# GlasNet Thuis"); not the English ones, which also start headlines in title case ("Ad
# Blocker Use Rises", "Promoted Tweets Return").
_MARKERS_BEFORE_NAMES = frozenset(
    ("gesponsord", "advertentie", "anzeige", "werbung", "gesponsert", "publicite", "reklama",
     "inzerce", "patrocinado", "publicidad", "publicidade", "pubblicita", "sponsorizzato",
     "annons", "annonse", "annonce", "reklame", "sponsorowane", "sponzorovane")
)  # fmt: skip


def _a_name(words: list[str]) -> bool:
    """Words that may be a name (an advertiser's, "Bank of America"), not a sentence: none is
    a lower-case word of more than three letters."""
    return not any(len(w) > 3 and w.isalpha() and w.islower() for w in words)


def is_name(text: str) -> bool:
    """Text that may be a name ("Nieuwsblad van het Noorden", "The New York Times"), not a
    sentence ("Ajax wint van PSV"): no lower-case word of more than three letters."""
    return _a_name(text.split())


# Separators that copied text glues to the words around them: "Ad•WarmHuis".
_GLUED_SEPARATOR = re.compile(r"([·•|])")


# A "read more" button's words, which over a list of links of its own head it (HTML only:
# see html.py; copied text shows the button after each teaser too).
_READ_MORE = frozenset(
    (
        "read more", "lees meer", "meer lezen", "mehr lesen", "weiterlesen", "lire plus",
        "lire la suite", "leer mas", "leia mais", "leggi di piu",
    )
)  # fmt: skip


def is_read_more(line: str) -> bool:
    """``"Read more"``, ``"READ MORE:"``, ``"Lees meer"``: a read-more button's words alone."""
    return fold(line) in _READ_MORE


def is_ui(line: str) -> bool:
    """True for a button or link that is not a headline: ``"Read more"``, ``"Lees meer »"``,
    ``"Go to MSN Home"``, ``"Share"``; a headline that only contains such words is not one.
    A blog's link to the post before or after, with its arrow, is one too: ``"← Title"``,
    ``"Title →"``."""
    if line.startswith("\u2190 ") or line.endswith(" \u2192"):
        return True
    words = fold(line).split()
    while words and not words[0][:1].isalnum() and not any(c.isalnum() for c in words[0]):
        words = words[1:]  # an arrow before the words: "← Older posts"
    if not words:
        return False
    if len(words) <= 6 and any(" ".join(words[:n]) in _UI_PHRASES for n in (1, 2, 3, 4)):
        return True
    label, colon, _ = line.partition(":")
    # "Tags: repair, batteries", a row of tags; "Older post: Title", a link to the next post
    if colon and fold(label) in _TAG_LABELS | _POST_LINKS:
        return True
    return len(words) <= 3 and words[0] in _UI_VERBS


# What a blog's link to the post before or after starts with: "Older post: Title".
_POST_LINKS = frozenset(
    ("older post", "newer post", "previous post", "next post", "previous article",
     "next article", "vorig bericht", "volgend bericht", "vorig artikel", "volgend artikel",
     "vorheriger beitrag", "nachster beitrag", "article precedent", "article suivant")
)  # fmt: skip
# What a row of an article's tags starts with: "Tags: ...", "Onderwerpen: ...".
_TAG_LABELS = frozenset(
    fold(label)
    for label in (
        "tags", "tagged", "tagged with", "topics", "related topics", "filed under", "categories",
        "category", "onderwerpen", "trefwoorden", "tags in dit artikel", "themen", "schlagworte",
        "schlagwörter", "mots-clés", "sujets", "thèmes", "temas", "etiquetas", "tagi", "tematy",
        "témata", "tagit", "emner", "ämnen", "argomenti",
    )
)  # fmt: skip


def ends_list(line: str) -> bool:
    """True for a line after which a page's list does not go on: a comment section, a
    newsletter sign-up, a copyright line, a footer's links or its credits (``"User
    comments"``, ``"© 2016 Microsoft"``, ``"About us Privacy"``, ``"Powered by WordPress"``)."""
    if "©" in line:
        return True
    text = fold(line)
    words = text.split()
    if len(words) > 6:
        return _COMMENTS_HEADING.match(text) is not None
    if len(words) >= 2 and all(word.strip("|·•-") in _FOOTER_WORDS for word in words):
        return True  # "About us Privacy", "Contact | Adverteren | Vacatures"
    # "Reacties" or "Comments (12)" opens the comments; "12 reacties", glued or not ("Den
    # Haag12 reacties"), or "1.1k comments" counts an item's comments.
    counted = (word in _END_WORDS and not (before[-1:].isdecimal() or _is_count(before))
               for before, word in zip(["", *words], words, strict=False))  # fmt: skip
    return (
        any(counted)
        or any(p in text for p in _END_PHRASES)
        or text.startswith(_CREDITS)
        or _COMMENTS_HEADING.match(text) is not None
    )


# A comments heading that names the article: "4 thoughts on “Title”", "12 responses to
# “Title”", "One reply on “Title”", "2 reacties op “Titel”", "Discuss: Title" (the title may
# be long); not a count ("Comments: 84").
_COMMENTS_HEADING = re.compile(
    r"(?:\d+|one|een|ein|eine|un|une) (?:thoughts?|responses?|repl(?:y|ies)|comments?|"
    r"reacties?|gedachten?|kommentare?|commentaires?) (?:on|to|op|over|zu|sur) "
    r"[\"'\u201c\u201e\u00ab]"
    r"|(?:discuss|comments?|reacties|kommentare|commentaires|comentarios): [^\W\d]"
)


def is_byline(line: str) -> bool:
    """``"By R. England, 52m ago"``, ``"Door Jan Jansen"``: an author line, not a headline."""
    words = line.split()
    return 2 <= len(words) <= 8 and words[0].casefold().rstrip(":") in _BYLINE_WORDS


def is_number(line: str) -> bool:
    """A rank, a count or a duration: ``"7"``, ``"2.4K"``, ``"28 min"``, ``"0:46"``."""
    words = line.casefold().split()
    if not words or len(words) > 4:
        return False
    first = words[0].lstrip("#(").rstrip(").%k")
    if first.replace(".", "").replace(",", "").replace(":", "").isdecimal():
        # "7", "2.4K", "0:46", "28 min", "1 h 20 min"
        return all(w.isdecimal() or w.rstrip(".") in _DURATION_UNITS for w in words[1:])
    return False


_DURATION_UNITS = frozenset(("min", "mins", "minutes", "minuten", "sec", "s", "h", "uur", "std"))
_WORD_RE = re.compile(r"[^\W\d_]{2,}")


def word_count(text: str) -> int:
    """Words of two letters or more: ``"Apple's iPhone 7 sales"`` -> 3; in scripts written
    without spaces, as many as their characters make (:func:`length_in_words`):
    ``"市政府宣布扩建地铁线"`` -> 5."""
    words = _WORD_RE.findall(text)
    if not _has_spaceless(text):
        return len(words)
    return sum(max(1, _spaceless_words(word)) for word in words)


def length_in_words(text: str) -> int:
    """How many words a text is long: its parts between spaces, and in scripts written
    without spaces one more for every two characters of Chinese or Japanese and every four
    of Thai, Lao, Myanmar or Khmer (whose vowels are characters of their own), about a
    word's length in each: ``"Live TV" -> 2``, ``"中美合作共赢" -> 4``."""
    count = len(text.split())
    if _has_spaceless(text):
        count += _spaceless_words(text)
    return count


# The scripts written without spaces between words: Thai, Lao, Myanmar and Khmer; kana and
# Chinese characters. Each class is compiled on first use: re takes a few milliseconds over a
# class of thousands of characters, which a run that meets no such script need not wait for.
@cache
def _spaceless() -> re.Pattern[str]:
    return re.compile(
        "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
    )


@cache
def _ideographic() -> re.Pattern[str]:
    return re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@cache
def _southeast_asian() -> re.Pattern[str]:
    return re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")


def _has_spaceless(text: str) -> bool:
    """Whether a text has a character of a script written without spaces (all of them are
    U+0E00 or above, which ``max`` finds in C)."""
    return not text.isascii() and max(text) >= "\u0e00" and _spaceless().search(text) is not None


def _spaceless_words(text: str) -> int:
    return len(_ideographic().findall(text)) // 2 + len(_southeast_asian().findall(text)) // 4


def script(text: str) -> str:
    """The writing system of a text's first letter: ``"Ajax wint" -> "LATIN"``; Chinese
    characters, Japanese kana and the full-width letters set among them are one, "CJK"
    (``"ロシア発" -> "CJK"``)."""
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            first = name.split(" ")[0] if name else ""
            return "CJK" if first in _CJK_NAMES else first
    return ""


_CJK_NAMES = frozenset(("CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH", "FULLWIDTH"))


def is_teaser(text: str) -> bool:
    """A sentence or paragraph under a headline: long, or ending in a full stop; not a
    headline in title case that ends in one ("My Calendar Had 31 Meetings. I Deleted 19.")."""
    words = length_in_words(text)
    if words > 28 or len(text) > 200:
        return True
    stripped = text.rstrip("\u201d\"\u2019' ")
    full_stop = stripped.endswith((".", "\u3002", "\u1362")) and not stripped.endswith("..")
    return words >= 4 and full_stop and not _title_case(text, share=0.75)


def is_headline(text: str, *, weak: bool = False) -> bool:
    """True for a line that reads as a headline: a few words, not a sentence, not a button,
    marker, age, date, heading, number or author line.

    ``weak`` accepts shorter lines ("Interview at-a-glance"): where an age stands next to
    a line, two words are enough.
    """
    if not text or is_teaser(text):
        return False
    words = word_count(text)
    if words < (1 if weak else 3):
        return False
    if not weak and length_in_words(text) < 3:
        return False
    return not (
        is_number(text)
        or _has_address(text)
        or _menu_row(text)
        or is_stamp(text)
        or is_marker(text)
        or is_ui(text)
        or is_byline(text)
        or ends_list(text)
        or heading_tier(text) > 0
    )


def _menu_row(text: str) -> bool:
    """Whether a line is a row of a site's links parted by bars, as a footer shows them
    ("Home | Video | World | Business"): four parts or more. A headline has a bar or two at
    most ("Title | Opinion | Site"). Or a breadcrumb, the path to a page from the home page,
    parted by guillemets ("Home » Beauty » Ten tips for the big day"): three parts or more."""
    return text.count(" | ") >= 3 or text.count(" \u00bb ") >= 2


def _has_address(text: str) -> bool:
    """Whether a line holds an e-mail address, as a byline's "Write to ... at
    name@site.com" does and a headline does not."""
    return "@" in text and any(
        len(parts := word.split("@")) == 2 and parts[0] and "." in parts[1].strip(".")
        for word in text.split()
    )


# Badges that also start names ("New York", "New Zealand", "Live Nation", "Breaking Bad",
# "Direct Line"): written capitalised and spaced, they are left, as a word of a headline.
_NAME_STARTS = frozenset(("new", "live", "plus", "direct", "breaking", "watch", "update"))


def strip_badge(text: str, *, sentence_case: bool = False) -> str:
    """A headline without a badge glued before it: ``"ŽIVĚ Policisté budou ..."`` ->
    ``"Policisté budou ..."``.

    A badge in capitals ("LIVE", "VIDEO") goes whenever a capital follows; a capitalised one
    ("Video Obama ...") only from a list written in sentence case, where a headline's second
    word would not have a capital ("Video Captures Moment ..." in a title-case list stays).
    One with a colon is the headline's own word, which the site wrote: ``"Photos: A creek
    comes back to life"`` stays whole.
    """
    first, _, rest = text.partition(" ")
    if first.endswith(":"):
        return text
    spaced = True
    if fold(first) not in _BADGES:
        # Glued on by copied text: "PremiumMan (34) charged ...".
        seam = next((k for k in _case_seams(first) if fold(first[:k]) in _BADGES), 0)
        first, rest = (first[:seam], f"{first[seam:]} {rest}".strip()) if seam else (first, rest)
        spaced = not seam
    if not rest or fold(first) not in _BADGES or word_count(rest) < 2:
        return text
    if not _opens_headline(rest[:1]):
        return text
    if first.isupper() and len(first) > 1:
        return rest
    # "New York ...", "Live Nation ...": a name's first word, unless glued on as a badge is.
    if sentence_case and first[:1].isupper() and not (spaced and fold(first) in _NAME_STARTS):
        return rest
    return text


def strip_glued_labels(texts: list[str]) -> list[str]:
    """Headlines without a label of two to four words that copied text glued before them,
    the same before two or more of a list's headlines (text for screen readers, a badge:
    ``"Artikel voor abonneesVrachtwagen kantelt ..."`` -> ``"Vrachtwagen kantelt ..."``),
    before headlines that start with different words. No headline runs a word of its own
    (:func:`_own_word`) into a capital so, but for a name with a capital inside, which runs on
    the same way each time ("Storing bij WhatsApp ...")."""
    found: list[str] = []
    for text in texts:
        label = ""
        if not text.isascii() or _ASCII_SEAM.search(text, 0, 60) or '"' in text[:60]:
            # Where a word runs into a capital, or into a quote: "abonnees“Ik dacht ...”".
            quotes = [
                k
                for k in range(1, min(len(text), 60))
                if text[k] in _OPEN_QUOTES[1:] and text[k - 1].islower()
            ]
            for k in sorted({*_case_seams(text[:60]), *quotes}):
                words = text[:k].split()
                if len(words) > 4:
                    break
                if len(words) >= 2 and _own_word(words[-1], text[k:]) and word_count(text[k:]) >= 2:
                    label = text[:k]
                    break
        found.append(label)
    starts: dict[str, set[str]] = {}
    for text, label in zip(texts, found, strict=True):
        if label:
            starts.setdefault(label, set()).add(text[len(label) :].split(maxsplit=1)[0])
    labels = [label for label, after in starts.items() if len(after) >= 2]
    if not labels:  # most lists
        return texts
    stripped = []
    for text in texts:
        # Also before a quote or a number: "Artikel voor abonnees“Ik dacht ...”".
        label = next((label for label in labels if text.startswith(label)), "")
        glued = _opens_headline(text[len(label) : len(label) + 1])
        stripped.append(text[len(label) :] if label and glued else text)
    return stripped


def trailing_stamps(texts: list[str]) -> list[tuple[str, str] | None]:
    """For each headline of a list that writes its age or date at the end of the headline's
    own line, with no separator (``"Ferry fares to rise 2h"``, ``"Ferry fares to rise (2 hours
    ago)"``, or glued on, as copied text has it when nothing parts the two:
    ``"Ferry fares to rise2 hours ago"``), the headline and the stamp; None for the others.

    A headline may well end in words that read as one ("Striker signs for 10m"), so this is
    a list's way only when three headlines or more, and at least half of them, end so; else
    every entry is None. A time of day is no stamp here: "Final starts at 9 pm" is a time."""
    return _mostly([_trailing_stamp(text) for text in texts])


def without_marker(text: str) -> str | None:
    """A headline without the ad marker copied text put at the end of its line, spaced or
    glued on, alone or with its advertiser's name before or after it (``"Five plants that
    survive any winter Sponsored"``, ``"... 19 hours agoSponsored"``, ``"... in een week
    Sponsored by Coin Vault"``, ``"... in een week Coin Vault Gesponsord"``); None when the
    line ends in none. The marker says the item is paid; a word such as "advertentie" ends a
    headline as any word does unless it is capitalised. A capitalised last word that is a
    marker is taken for one even where the headline could end in it: ``"Apple shows off its
    new macOS Ad"`` loses "Ad", as headlines seldom end in that word (none of the 152,661 in
    data/train.csv does). A marker in brackets ends a headline too: ``"Winter outfits with
    Basefield [Werbung]"``, ``"... (Anzeige)"``."""
    if len(text.split()) < 3 or not _MARKER_START_RE.search(text):
        return None
    if text[-1:] in ")]":
        opening = "(" if text[-1] == ")" else "["
        before, _, inner = text[:-1].rpartition(f" {opening}")
        if len(before.split()) >= 3 and is_marker(inner):
            return before.strip()
    found = []
    for start in _starts(text):
        rest, head = text[start:], text[:start].split()
        if not rest[:1].isupper() or len(head) < 3 or not is_marker(rest):
            continue
        if fold(rest.partition(" ")[0]) in _MARKER_STARTS:
            found.append(start)
            break
        # An advertiser's name before its marker ("... in een week Coin Vault Gesponsord"),
        # after a headline in sentence case: its last word is in lower case; or glued on,
        # in any case, after a word of its own (:func:`_own_word`: "weekCoin", "rugSlaapwel",
        # "StandingStridewell").
        word = head[-1]
        glued = text[start - 1] != " "
        if len(rest.split()) <= 5 and (_own_word(word, rest) if glued else not word[:1].isupper()):
            found.append(start)
    if not found:
        return None
    # Where the name is glued on, the seam is where it starts: "... for All-Day
    # StandingStridewell | Sponsored" is a title ending "Standing" and the name "Stridewell".
    # In a headline in sentence case a capital after a space starts the name, and a seam
    # inside its first word is the name's own ("... energierekening WarmHuis Gesponsord").
    first = found[0]
    seams = [start for start in found if text[start - 1] != " "]
    if text[first - 1] == " " and seams and not _title_case(text[:first]):
        word_end = text.find(" ", first)
        seams = [start for start in seams if start > word_end > 0]
    return text[: seams[0] if seams else first].strip()


def _title_case(text: str, share: float = 0.6) -> bool:
    """Whether most words of a headline (``share`` of them) start with a capital, as "This Is
    the Most Comfortable Bra" does and "Zo bespaar je op je energierekening" does not."""
    words = [word for word in text.split() if word[:1].isalpha()]
    return bool(words) and sum(1 for word in words if word[:1].isupper()) >= share * len(words)


def may_be_stamp(text: str) -> bool:
    """False, at a glance, for most texts that are no stamp, alone or beside a source: one
    holds a digit, or starts or ends with a word a stamp starts or ends with ("gisteren ·
    NOS", "NOS · yesterday")."""
    return may_hold_stamp(text) or _may_start_stamp(text)


def ends_in_stamp(text: str) -> bool:
    """True for a line that ends in an age or date, as one headline of a list that shows each
    age on its headline's line does (``"Ferry fares to rise 2h"``); see
    :func:`trailing_stamps`, which says whether it is the list's way."""
    return _trailing_stamp(text) is not None


def _mostly(found: list[_T | None]) -> list[_T | None]:
    """``found`` when three entries or more, and at least half, are not None (:func:`_most`);
    else Nones: what the edges of a list's lines show is the list's way only when most of
    them show it."""
    if not _most(sum(1 for entry in found if entry is not None), len(found)):
        return [None] * len(found)
    return found


def _most(hits: int, total: int) -> bool:
    """Whether ``hits`` of a list's ``total`` headlines are most of them: three or more, and
    at least half."""
    return hits >= 3 and hits * 2 >= total


def _trailing_stamp(text: str) -> tuple[str, str] | None:
    words = text.split()
    last = words[-1].casefold() if words else ""
    # Most headlines end in no stamp, nor in a word with one glued on ("anoontem").
    if not may_hold_stamp(" ".join(words[-4:])) and not last.endswith(_STAMP_LAST_ENDINGS):
        return None
    for size in _stamp_sizes(words):
        if len(words) < size + 1:
            continue
        head, tail = words[:-size], words[-size:]
        glued = _glued_number(tail[0]) or _glued_word(tail[0], tail[1:])
        if glued:  # "year6 hours ago", "junhohá 2 horas": the stamp starts inside the word
            head, tail = [*head, tail[0][:glued]], [tail[0][glued:], *tail[1:]]
        elif len(words) < size + 2:
            continue
        stamp = " ".join(tail)
        if parse_age(stamp) is not None or parse_date(stamp):
            return " ".join(head), stamp
    return None


def stamp_glued_before(line: str) -> tuple[str, str] | None:
    """An age, date or time and what copied text put after it on its line: glued on, where a
    word in lower case runs into one with a capital (``"2 hrs agoRead more"`` -> ``("2 hrs
    ago", "Read more")``, ``"gisterenBrand in Zwolle"``), or a button or ad marker after a
    space (``"2 hrs ago Read more"``). Only a stamp before the seam will do: "McLaren" and
    "YouTube" stay whole, and "2 uur geleden Brand in Zwolle" is left to the list."""
    if not _may_start_stamp(line):
        return None
    for k in _case_seams(line[:61]):  # glued: "2 hrs agoRead more"
        if is_stamp(line[:k]):
            return line[:k], line[k:].strip()
    words = line.split()
    for size in (1, 2, 3, 4):  # spaced: "2 hrs ago Read more"
        rest = " ".join(words[len(words) - size :])
        stamp = " ".join(words[: len(words) - size])
        if len(words) > size and (is_ui(rest) or is_marker(rest)) and is_stamp(stamp):
            return stamp, rest
    return None


def count_after(line: str) -> tuple[str, str] | None:
    """What stands before a count of comments at the end of a line, and the count, spaced or
    glued on as copied text has them: ``"NOS 2 uur geleden 3 reacties"`` -> ``("NOS 2 uur
    geleden", "3 reacties")``, ``"5 hours ago12 comments"`` -> ``("5 hours ago", "12
    comments")``; None for a line that ends in no count, or is only one."""
    if not _DIGIT.search(line):  # a count is a number: most lines have none
        return None
    words = line.rsplit(None, 2)
    if len(words) < 2 or fold(words[-1]) not in _COMMENT_WORDS:
        return None
    glued = _glued_number(words[-2])  # "geleden3": 7; "12": 0
    number = words[-2][glued:]
    head = " ".join([*words[:-2], words[-2][:glued]]).strip()
    if not _is_count(number) or not head:
        return None
    return head, f"{number} {words[-1]}"


def marker_glued_before(line: str) -> tuple[str, str] | None:
    """An ad marker line, or a headline that ends in one, and the button copied text put
    after it, glued on or spaced: ``"Ad • WarmHuisMeer informatie"`` -> ``("Ad • WarmHuis",
    "Meer informatie")``, ``"Munt stijgt Ad • Coin Vault Meer informatie"`` -> ``("Munt
    stijgt Ad • Coin Vault", "Meer informatie")``."""
    if not _MARKER_START_RE.search(line):
        return None
    for k in _starts(line):
        if is_ui(line[k:]) and (
            is_marker(marked := line[:k].strip()) or without_marker(marked) is not None
        ):
            return marked, line[k:]
    return None


def _starts(text: str) -> list[int]:
    """Where a part copied text put after another may start, in order: after a space, or at a
    case seam (:func:`_case_seams`) where it was glued on."""
    spaces = [k + 1 for k, c in enumerate(text) if c == " "]
    return sorted({*_case_seams(text), *spaces})


def _case_seams(text: str) -> list[int]:
    """Where a lower-case letter runs into a capital, as copied text glues two elements:
    ``"agoRead"`` -> ``[3]``."""
    if text.isascii():  # most headlines: the same found in C
        return [match.end() for match in _ASCII_SEAM.finditer(text)]
    return [k for k in range(1, len(text)) if text[k].isupper() and text[k - 1].islower()]


_ASCII_SEAM = re.compile(r"[a-z](?=[A-Z])")


def _may_start_stamp(line: str) -> bool:
    """False for most lines that start with no stamp, at a glance: a stamp starts with a
    digit, a bracket, or a word that stamps start with ("gisteren", "Updated", "July"), which
    copied text may have glued to what follows ("gisterenBrand")."""
    if line[:1].isdecimal() or line[:1] in "([":
        return True
    first = line.split(maxsplit=1)[0] if line.strip() else ""
    first = first[: min(_case_seams(first), default=len(first))]
    return first.casefold().rstrip(",:") in STAMP_FIRST_ANY


def sentence_stamp(line: str) -> tuple[str, str] | None:
    """A sentence and the age or date after it on its line, as copied text has a teaser and
    its age: ``"De dieren komen uit Polen. 5 uur geleden"`` -> ``("De dieren komen uit Polen.",
    "5 uur geleden")``. Only after a sentence's end: "What happened 50 years ago" is a
    headline."""
    words = line.split()
    if not words or not (_DIGIT.search(line) or words[-1].casefold() in STAMP_LAST_WORDS):
        return None
    for size in (4, 3, 2):
        if len(words) > size and words[-size - 1][-1:] in _SENTENCE_ENDS:
            stamp = " ".join(words[-size:])
            if parse_age(stamp) is not None or parse_date(stamp):
                return " ".join(words[:-size]), stamp
    return None


def glued_stamp(line: str) -> tuple[str, str] | None:
    """A headline and the age or date glued to its last word, as copied text has it when
    nothing parts the two: ``"Bridges to be inspected3 hours ago"`` -> ``("Bridges to be
    inspected", "3 hours ago")``. A stamp of one word must be a number and a unit letter glued
    to a word of three letters or more (``"festival17h"``): a headline may end in "Windows11",
    "F1" or "4K"."""
    if not _DIGIT.search(line):  # the glued-on stamp starts with a number
        return None
    words = line.split()
    glued = _glued_number(words[-1])
    short = words[-1][glued:]
    if glued >= 3 and short[:-1].isdecimal() and len(short) <= 3 and short[-1:] in "mhdw":
        return " ".join([*words[:-1], words[-1][:glued]]), short  # "festival17h"
    # The stamp's words, the first glued to the headline's last word.
    for size in _stamp_sizes(words)[:-1]:
        if len(words) < size + 1:
            continue
        rest = words[len(words) - size + 1 :]
        # "inspected3 hours ago", or a stamp that starts with a word: "junhohá 2 horas"
        glued = _glued_number(words[-size]) or _glued_word(words[-size], rest)
        if not glued:
            continue
        stamp = " ".join([words[-size][glued:], *rest])
        if parse_age(stamp) is not None or parse_date(stamp):
            return " ".join([*words[:-size], words[-size][:glued]]), stamp
    return None


def glued_word_stamp(line: str) -> tuple[str, str] | None:
    """A headline and an age of one word glued to its last word, for a page that glues its
    ages on (elsewhere a headline may end in a word that ends so): ``"Kermis breekt record
    met zoveel volkgisteren"`` -> ``("Kermis breekt record met zoveel volk", "gisteren")``."""
    words = line.split()
    glued = _glued_word(words[-1], []) if len(words) >= 2 else 0
    if not glued:
        return None
    return " ".join([*words[:-1], words[-1][:glued]]), words[-1][glued:]


def _stamp_sizes(words: list[str]) -> tuple[int, ...]:
    """How many words a stamp at the end of ``words`` may take, most first: five only for a
    date that ends in a year ("6 de dezembro de 2026")."""
    year = words[-1].isdecimal() and len(words[-1]) == 4 if words else False
    return (5, 4, 3, 2, 1) if year else (4, 3, 2, 1)


def _glued_word(word: str, rest: list[str]) -> int:
    """Where a stamp that starts with a word starts inside ``word``, glued on, with ``rest``
    after it (``"junhohá", ["2", "horas"]`` -> 5, ``"anoontem", []`` -> 3); 0 for none. What
    is left before it is a word of two letters or more. A stamp of one word has five letters
    or more: "player" and "cahier" end in no "ayer" or "hier" glued on."""
    folded = word.casefold()
    if not folded.endswith(_STAMP_FIRST_ENDINGS):
        return 0  # at a glance: the word ends in no word a stamp starts with
    if not rest and parse_age(word) is not None:
        return 0  # "eergisteren" is an age whole
    for k in range(2, len(word) - 1 if rest else len(word) - 4):
        if folded[k:] in STAMP_FIRST_ANY and word[k - 1].isalpha():
            stamp = " ".join((word[k:], *rest))
            if parse_age(stamp) is not None or parse_date(stamp):
                return k
    return 0


def _glued_number(word: str) -> int:
    """Where the last number glued to a word starts (``"year6"`` -> 4, ``"(video)2h"`` -> 7);
    0 for none."""
    for k in range(len(word) - 1, 0, -1):
        if word[k].isdecimal() and (word[k - 1].isalpha() or word[k - 1] in _CLOSING):
            return k
    return 0


def leading_stamps(texts: list[str]) -> list[tuple[str, str] | None]:
    """For each headline of a list that writes its time, age or date before the headline on
    its line (``"21:03 Veerpont vaart weer"``, ``"10:32Brandweer redt kat"``, ``"2 uur geleden
    Storm nadert"``), the stamp and the headline; None for the others. A list's way only when
    most of its lines start so, as :func:`trailing_stamps`."""
    return _mostly([_leading_stamp(text) for text in texts])


def _leading_stamp(text: str) -> tuple[str, str] | None:
    glued = _GLUED_CLOCK.match(text)
    if glued and is_clock(glued.group(1)):  # "10:32Brandweer"
        return glued.group(1), text[glued.end() :]
    words = text.split()
    # Most headlines start with no stamp: one needs a digit or starts with an age's words.
    if not _DIGIT.search(" ".join(words[:4])) and (
        not words or words[0].casefold().strip("()[]") not in STAMP_FIRST_WORDS
    ):
        return None
    for size in (4, 3, 2, 1):
        if len(words) >= size + 2 and is_stamp(stamp := " ".join(words[:size])):
            return stamp, " ".join(words[size:])
    # "12 min Omleiding ...", "1 uur Waarom ...": a number and a unit alone, which the
    # list's other lines show to be ages rather than lengths.
    if len(words) >= 4 and parse_short_age(stamp := " ".join(words[:2])) is not None:
        return stamp, " ".join(words[2:])
    return None


_CLOSING = ")]\"'\u2019\u201d"  # what may end a headline that a number is glued to
_SENTENCE_ENDS = ".!?" + _CLOSING
# A time glued to the word after it, as copied text has "<span>10:32</span><span>Title</span>".
_GLUED_CLOCK = re.compile(r"(\d{1,2}:\d{2})(?=[^\W\d_])")
# Counts of comments shown after a headline: "12 reacties", "148 comments".
_COMMENT_WORDS = frozenset(
    (
        "comment", "comments", "reactie", "reacties", "reply", "replies", "kommentar",
        "kommentare", "commentaire", "commentaires", "reactions", "komentare", "komentaru",
        # and of views, shown as comments are: "11.7K views"
        "views", "weergaven", "aufrufe", "vues",
    )
)  # fmt: skip


def trailing_counts(texts: list[str]) -> list[str | None]:
    """For each headline of a list that shows its number of comments at the end of its line,
    spaced or glued on as copied text has it (``"Stadhuis dicht na lekkage 12 reacties"``,
    ``"Stadhuis dicht na lekkage12 reacties"``), the headline without it; None for the
    others. A list's way only when most of its lines end so, as :func:`trailing_stamps`."""
    found: list[str | None] = []
    for text in texts:
        split = count_after(text)
        found.append(split[0] if split is not None and len(split[0].split()) >= 2 else None)
    return _mostly(found)


# What parts a source from the headline before it on its line: "Brug weer open - De Stentor".
_SOURCE_SEPARATORS = (" - ", " | ", " · ", " • ", " \u2013 ", " \u2014 ")
_SOURCE_SEPARATOR = re.compile(" [-|·•\u2013\u2014] ")  # any of them, found in C


def parted_sources(texts: list[str]) -> list[str | None]:
    """For each headline of a list that shows its source after it on its line, parted by a
    separator or in brackets (``"Brug bij Zwolle weer open - De Stentor"``, ``"Storm nadert |
    NOS"``, ``"Storm nadert (NOS)"``), the headline without it; None for the others. The
    source reads as a name of four words at most, the headline before it has three words or
    more. A list's way only when most of its lines end so, as :func:`trailing_stamps`: one
    headline may end in "- Ajax" or "(PvdA)"."""
    found: list[str | None] = []
    for text in texts:
        if text.endswith(")") and " (" in text:
            at = text.rindex(" (")
            name, before = text[at + 2 : -1], text[:at]
        elif _SOURCE_SEPARATOR.search(text):  # most headlines have no separator
            at, sep = max((text.rfind(sep), sep) for sep in _SOURCE_SEPARATORS)
            name, before = text[at + len(sep) :], text[:at]
        else:
            found.append(None)
            continue
        head = None
        if at > 0 and (
            len(name.split()) <= 4
            and len(before.split()) >= 3
            and any(char.isupper() for char in name)
            and is_name(name)
            and not is_stamp(name)
        ):
            head = before.strip()
        found.append(head)
    return _mostly(found)


def glued_sources(texts: list[str]) -> list[str | None]:
    """For each headline of a list that shows its source right after it, as copied text runs
    the two together when nothing parts them (``"Brug bij Zwolle weer dichtDe Stentor"``),
    the headline without it (:func:`glued_source`); None for the others. A list's way only
    when most of its lines end so, as :func:`trailing_stamps`: one headline may end in
    "PostNL" or "WhatsApp"."""
    found: list[str | None] = []
    misses = 0
    for text in texts:
        found.append(head := glued_source(text))
        misses += head is None
        if 2 * misses > len(texts):
            return [None] * len(texts)  # most cannot end so: the rest need no look
    return _mostly(found)


def glued_source(text: str) -> str | None:
    """The headline before a name of four words at most glued on at a case seam, after a
    word of its own (:func:`_own_word`); None for a line that ends in none."""
    for k in _case_seams(text):
        word, tail = text[:k].rsplit(None, 1)[-1], text[k:]
        if (
            _own_word(word, tail)
            and len(tail.strip()) >= 2
            and len(tail.split()) <= 4
            and is_name(tail)
        ):
            return text[:k] if len(text[:k].split()) >= 3 else None
    return None


def _own_word(word: str, name: str) -> bool:
    """Whether the letters before a case seam are a word of its own, with ``name`` glued on
    after it by copied text: four letters or more, the last three in lower case, two capitals
    at most ("dicht", "Eindhoven", "IJssel"), or three in lower case before a name that goes on
    in lower case ("dagDe Stentor"); not the start of a name written with a capital inside
    ("iPhone", "eBay", "McLaren", "macOS", "AAAa")."""
    return (
        (len(word) >= 4 or (len(word) == 3 and name[1:2].islower()))
        and word.isalpha()
        and word[-3:].islower()
        and sum(1 for c in word if c.isupper()) <= 2
    )


def is_comment_count(text: str) -> bool:
    """``"12 reacties"``, ``"3 comments"``, ``"11.7K views"``: how many comments (or views)
    an item has."""
    words = text.split()
    return len(words) == 2 and _is_count(words[0]) and fold(words[1]) in _COMMENT_WORDS


def _is_count(number: str) -> bool:
    """A count as lists show it: ``"12"``, ``"11.7K"``, ``"2,4k"``, ``"3M"``, and with its
    thousands grouped: ``"571,883"``, ``"12.408"``."""
    if number[-1:] in ("k", "K", "m", "M"):
        number = number[:-1]
        whole, _, part = number.replace(",", ".").partition(".")
        return whole.isdecimal() and (not part or part.isdecimal())
    first, *groups = number.replace(",", ".").split(".")
    return (
        first.isdecimal()
        and (not groups or len(first) <= 3)
        and all(len(group) == 3 and group.isdecimal() for group in groups)
    )


# Names of a site's sections, shown as a kicker before each headline: "Politics", "Sport".
_SECTIONS = frozenset(
    (
        "politics", "politiek", "politik", "politique", "business", "economy", "economie",
        "wirtschaft", "finance", "financien", "markets", "beurs", "sport", "sports", "voetbal",
        "lifestyle", "tech", "technology", "techniek", "digital", "science", "wetenschap",
        "wissen", "sciences", "health", "gezondheid", "gesundheit", "sante", "entertainment",
        "showbizz", "showbiz", "celebrity", "celebs", "media", "culture", "cultuur", "kultur",
        "arts", "kunst", "muziek", "royals", "opinion", "opinie", "meinung", "binnenland",
        "buitenland", "wereld", "welt", "monde", "international", "regio", "region", "regional",
        "local", "lokaal", "weather", "weer", "wetter", "meteo", "crime", "misdaad", "justitie",
        "112", "traffic", "verkeer", "travel", "reizen", "reise", "voyage", "food", "eten",
        "motoring", "wonen", "property", "education", "onderwijs", "climate", "klimaat",
        "nature", "natuur", "environment", "milieu", "panorama", "societe", "samenleving",
        "society",
        # the kind of piece, where a list shows that instead of the section
        "analysis", "analyse", "analisis", "interview", "entretien", "entrevista", "review",
        "recensie", "critique", "kritik", "explainer", "decryptage", "achtergrond",
        "hintergrund", "reportage", "reportaje", "editorial", "edito", "column", "commentary",
        "kommentar", "chronique", "cronica", "tribune", "temoignage", "temoignages", "portrait",
        "enquete", "podcast",
    )
)  # fmt: skip


_SECTION_STARTS = tuple(sorted(_SECTIONS))


def _kicker_seam(word: str, k: int) -> bool:
    """Where copied text glued a kicker to what follows: "PoliticsHospital", "Sport1.",
    "Sport»", "Sport“Ik ..."."""
    return word[k - 1].islower() and (_opens_headline(word[k]) or word[k] in _BULLETS)


def strip_kickers(texts: list[str]) -> list[str]:
    """Headlines without the section name a list shows before each, on the same line, as
    copied text has it: ``["Politics Opposition calls ...", "Sport Stadium funding cut ...",
    "Business: Markets shrug ..."]`` -> ``["Opposition calls ...", ...]``. A list's way only
    when most of its headlines start so, in sentence case, and only a known section name
    followed by a word that starts as a headline does ("Sport moet meer geld krijgen" keeps
    its first word)."""
    found: list[str | None] = []
    for text in texts:
        if not fold(text[:16]).startswith(_SECTION_STARTS):
            found.append(None)  # most headlines start with no section's name
            continue
        first, _, rest = text.partition(" ")
        seam = next((k for k in range(1, len(first)) if _kicker_seam(first, k)), 0)
        if seam:  # "PoliticsHospital cancels ...": copied text glued the two
            first, rest = first[:seam], f"{first[seam:]} {rest}".strip()
        start = rest.lstrip(_OPEN_QUOTES + " \u00a0\u202f")[:1]  # "« On passe ..."
        headline_start = start.isupper() or start.isdecimal() or start in _BULLETS
        kicker = fold(first.rstrip(":|")) in _SECTIONS and headline_start
        found.append(rest if kicker and word_count(rest) >= 2 else None)
    found = _mostly(found)
    # In a list in title case ("Crypto Millionaire Reveals ...") a kicker cannot be told.
    if not is_sentence_case([rest for rest in found if rest is not None]):
        return texts
    return [text if rest is None else rest for text, rest in zip(texts, found, strict=True)]


def common_suffix(texts: list[str]) -> str:
    """The words in brackets that most headlines of a list end with, the same on each: a link's
    hidden note such as ``" (opens in a new window)"``, copied with the text; "" for none."""
    ends = Counter(
        text[text.rindex(" (") :] for text in texts if text.endswith(")") and " (" in text
    )
    if not ends:
        return ""
    suffix, count = ends.most_common(1)[0]
    return suffix if _most(count, len(texts)) else ""


# Glyphs a list may put before each headline as text: "» ", "• ", "\u203a ", "- ".
_BULLETS = frozenset("•·‣◦▪■□◆◇▸▹►▶▷→⇒»*-\u203a\u2013\u2014")


def strip_bullets(texts: list[str]) -> list[str]:
    """A list's headlines without the bullets it shows before them (:func:`strip_bullet`); a
    dash only where most of them start with one, as a list's bullet: a dash before one
    headline opens a quote in Scandinavian and Slavic papers ("\u2013 Vi fikk beskjed om å sove
    i bilen")."""
    dashed = sum(1 for text in texts if text[:1] in _DASHES and text[1:2].isspace())
    dashes = _most(dashed, len(texts))
    return [strip_bullet(text, dashes=dashes) for text in texts]


_DASHES = frozenset("-\u2013\u2014")


def strip_bullet(text: str, *, dashes: bool = True) -> str:
    """A headline without the bullet or arrow a list shows before it as text: ``"» Ajax wint"``
    -> ``"Ajax wint"``, ``"▶Ajax wint"`` -> ``"Ajax wint"``; ``"…en toen ging het mis"`` and
    ``"-5 graden"`` keep theirs, and so does a dash (``"\u2013 Vi fikk ..."``) unless ``dashes``."""
    if len(text) > 2 and text[0] in _BULLETS and text[1].isspace():
        if text[0] in _DASHES and not dashes:
            return text
        return text[2:].lstrip()
    if len(text) > 2 and text[0] in _ICONS and text[1] not in _ICONS:  # "▶Watch: ...", glued
        return text[1:].lstrip()
    return text


# Bullets that are icons, never a headline's first character: a video's play button glued on
# by copied text ("▶'We can't float this'") goes too.
_ICONS = frozenset("•‣◦▪■□◆◇▸▹►▶▷")


# A rank before a headline of a numbered list: "1. ", "2) ", "3 ", or glued on: "4Storm".
_RANK = re.compile(r"(\d{1,3})(?!\d)[.)]?\s*(?=\S)")


def strip_ranks(texts: list[str]) -> list[str]:
    """Headlines without the ranks a numbered list shows before them, as text copied from a
    "Most read" list has them: ``["1. Ajax wint", "2. PSV verliest", "3. 1. FC Köln stijgt"]``
    -> ``["Ajax wint", "PSV verliest", "1. FC Köln stijgt"]``.

    Ranks count up by one, over three headlines or more and at least half of the list (an ad
    among them has none); a headline that starts with a number is no rank ("3 doden bij
    brand"), nor are numbers that do not count up."""
    ranked = [(k, match) for k, text in enumerate(texts) if (match := _RANK.match(text))]
    if not _most(len(ranked), len(texts)):
        return texts
    numbers = [int(match.group(1)) for _, match in ranked]
    if any(b != a + 1 for a, b in pairwise(numbers)):
        return texts
    stripped = list(texts)
    for k, match in ranked:
        stripped[k] = texts[k][match.end() :]
    return stripped


def is_sentence_case(texts: list[str]) -> bool:
    """True when most headlines keep their later words in lower case, as in "Obama urges UK to
    stay": then a capitalised first word followed by a capital is a label, not a headline."""
    votes = 0
    for text in texts:
        words = [w for w in text.split()[1:] if w[:1].isalpha()]
        if len(words) >= 3:
            lower = sum(1 for w in words if w[:1].islower())
            votes += 1 if lower * 2 > len(words) else -1
    return votes > 0
