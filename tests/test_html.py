"""Saved HTML pages: one test per sample under samples/html, detection, encodings, errors,
a property test that the list survives reordering the markup around it, and the real pages
of ../shared/real-pages when they are there."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headlines.errors import InputError
from headlines.feeds import Reading, detect_format, parse_feed, read_feed
from headlines.feeds.html import html_blocks, html_charset, parse_html

SAMPLES = Path(__file__).parent / "samples"
HTML = sorted((SAMPLES / "html").glob("*.html"))


def _expected(page: Path) -> list[tuple[int | None, str, str, bool, str, str]]:
    rows = []
    for line in page.with_suffix(".expected").read_text(encoding="utf-8").splitlines():
        age, text, block, sponsored, link, published = line.split("\t")
        rows.append((int(age) if age else None, text, block, sponsored == "true", link, published))
    return rows


@pytest.mark.parametrize("page", HTML, ids=[p.stem for p in HTML])
def test_html_sample_gives_its_list_with_block_link_ad_and_time(page: Path) -> None:
    headlines = list(read_feed(str(page)))
    assert [
        (
            h.age_minutes,
            h.text,
            h.extra["block"],
            h.extra["sponsored"],
            h.extra["link"],
            h.extra["published"],
        )
        for h in headlines
    ] == _expected(page)
    assert [h.position for h in headlines] == list(range(1, len(headlines) + 1))


# Tags of elements a browser lays out as blocks: white space beside them is not shown.
_BLOCK_TAG = re.compile(
    r"<(/?)(div|p|li|ul|ol|section|article|aside|header|footer|nav|main|h[1-6]|table|tbody|"
    r"thead|tr|td|th|figure|figcaption|body|dl|dt|dd|blockquote)\b[^>]*>",
    re.IGNORECASE,
)


def _indented(html: str) -> str:
    """The page as an editor or a server's template writes it: each block-level tag on a
    line of its own, indented by its depth. A browser shows it as before."""
    out, depth, last = [], 0, 0
    for tag in _BLOCK_TAG.finditer(html):
        closing = tag.group(1) == "/"
        depth = max(0, depth - 1) if closing else depth
        out += [html[last : tag.start()], "\n", "  " * depth, tag.group(0), "\n"]
        out.append("  " * (depth + (not closing)))
        depth += not closing
        last = tag.end()
    return "".join([*out, html[last:]])


def _read(html: str) -> list[tuple[str, int | None, object, object]]:
    return [(h.text, h.age_minutes, h.extra["block"], h.extra["link"]) for h in parse_feed(html)]


@pytest.mark.parametrize("page", HTML, ids=[p.stem for p in HTML])
def test_html_sample_reads_the_same_indented(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    assert _indented(html) != html
    assert _read(_indented(html)) == _read(html)


def test_random_card_pages_read_the_same_indented() -> None:
    rng = random.Random(7)
    for number in range(60):
        html, _ = _card_page(rng)
        assert _read(_indented(html)) == _read(html), f"card page {number}"


def test_a_themes_classes_on_the_body_do_not_make_every_list_a_menu() -> None:
    # Themes name the whole page in <body>'s classes ("has-sticky-header"); a header, footer
    # or navigation bar named by class is one only below <body>.
    pages = [page.read_text(encoding="utf-8") for page in HTML]
    plain = [html for html in pages if html.count("<body>") == 1]
    assert len(plain) >= 20
    for html in plain:
        themed = html.replace("<body>", '<body class="home has-sticky-header site-footer">')
        assert _read(themed) == _read(html)


@pytest.mark.parametrize("address", ["mailto:info@nordheide.example", "tel:+4941001234"])
def test_a_link_that_opens_no_page_is_no_title(address: str) -> None:
    # A post whose own title is too short to be one still holds a link to write or call; it
    # was taken for the post's title ("info [at] nordheide de!").
    sample = (SAMPLES / "html" / "blog-posts-then-older-entries.html").read_text(encoding="utf-8")
    short = sample.replace(">Herbstfest bricht den Besucherrekord<", ">Herbstfest 2026<")
    writes = short.replace('href="mailto:', f'href="{address}" data-was="')
    texts = [text for text, *_ in _read(writes)]
    assert texts == [text for text, *_ in _read(sample)][1:]
    assert not any("[at]" in text for text in texts)


@pytest.mark.parametrize("page", HTML, ids=[p.stem for p in HTML])
def test_html_sample_is_detected_as_html_by_content(page: Path) -> None:
    assert detect_format(page.read_text(encoding="utf-8")) == "html"


def test_html_is_detected_by_name_too() -> None:
    assert detect_format("<div><p>no doctype, no html element</p></div>", name="a.htm") == "html"


def test_a_page_forced_as_page_is_read_as_html_when_it_is_html() -> None:
    page = HTML[0]
    assert list(read_feed(str(page), Reading(input_format="page"))) == list(read_feed(str(page)))


@pytest.mark.parametrize("saved", ["with a comment", "from an address"])
def test_in_page_links_a_browser_saved_whole_still_make_tabs(saved: str) -> None:
    # Chrome writes "#tab-latest" as "https://site/page#tab-latest" when it saves a page,
    # and notes the address in a comment (a saved .html) or beside the page (MHTML).
    sample = SAMPLES / "html" / "tabs-and-slides.html"
    address = "https://nieuws.example/binnenland/brug.html"
    html = sample.read_text(encoding="utf-8").replace('href="#', f'href="{address}#')
    assert html.count(f"{address}#") == 3  # the skip link and the two tabs
    if saved == "with a comment":
        doctype, _, rest = html.partition("\n")
        html = f"{doctype}\n<!-- saved from url=({len(address):04d}){address} -->\n{rest}"
        headlines = parse_html(html, "brug.html")
    else:
        headlines = parse_html(html, "brug.mhtml", url=address)
    assert [(h.age_minutes, h.text, h.extra["block"], h.extra["link"]) for h in headlines] == [
        (age, text, block, urljoin(address, link) if link else "")
        for age, text, block, _, link, _ in _expected(sample)
    ]


@pytest.mark.parametrize("wrapper", ["span", "font", "b", "news-list", "app-related-articles"])
def test_a_list_inside_an_inline_element_reads_once(wrapper: str) -> None:
    # A web component's tag (or a span) around a list is inline; the list inside it was read
    # as flat children of it, each headline two or three times.
    items = "".join(
        f'<li><a href="/{i}">{title}</a><span>{i + 2} uur geleden</span></li>'
        for i, title in enumerate(["Veerpont in Millingen vaart weer na storing",
                                   "Gemeente Nijmegen wil meer groen op de Grote Markt",
                                   "Fietser gewond na botsing met scooter in Lent"])
    )  # fmt: skip
    html = (
        "<html><body><h1>Brug over de Waal weer open</h1><p>De brug is na drie maanden weer"
        f" open.</p><{wrapper}><div><h2>Meer nieuws</h2><ul>{items}</ul></div></{wrapper}>"
        "</body></html>"
    )
    assert [(h.text, h.age_minutes) for h in parse_html(html, "p.html")] == [
        ("Veerpont in Millingen vaart weer na storing", 120),
        ("Gemeente Nijmegen wil meer groen op de Grote Markt", 180),
        ("Fietser gewond na botsing met scooter in Lent", 240),
    ]


def test_html_page_without_a_list_is_an_error_that_names_the_fix(tmp_path: Path) -> None:
    page = tmp_path / "article.html"
    page.write_text(
        "<!DOCTYPE html><html><body><h1>Een titel</h1><p>Alleen een artikel.</p>"
        "<ul><li><a href='/'>Home</a></li><li><a href='/s'>Sport</a></li></ul></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        list(read_feed(str(page)))
    assert str(err.value).startswith(f"{page}: an HTML page, but no list of headlines was found")
    assert "pass --list-heading TEXT" in str(err.value)
    assert f"'headlines parse --blocks {page}'" in str(err.value)


_ONE_POST = """<!DOCTYPE html><html><body>
<div id="main"><h1>Nieuws</h1>
<div class="newsentry"><p class="date"><a href="/2026/05/31/clubavond/">31 mei 2026</a></p>
<h2 class="newsheading">Clubavond verhuist naar het oude postkantoor</h2>
<div class="newstext"><p>Vanaf juni zijn we elke eerste vrijdag in het oude postkantoor.</p></div>
</div>
<div class="prevpost"><a href="/2026/05/17/stammtisch/" rel="prev">&larr; Eerste stamtafel staat
vast in de Schmiede</a></div>
<div class="nextpost"><a href="/2026/06/22/verkiezingen/" rel="next">Ledenvergadering kiest een
nieuw bestuur &rarr;</a></div>
</div>
{more}
<div id="footer"><p><a href="https://studio-noord.example">Developed by Studio Noord</a></p></div>
</body></html>"""


def test_a_single_post_with_links_to_its_neighbours_has_no_list() -> None:
    # rel="prev" and rel="next" link the pages before and after this one in a series: a
    # blog's neighbouring posts are its navigation, not a list with the post's own title.
    with pytest.raises(InputError, match="no list of headlines was found"):
        parse_html(_ONE_POST.format(more=""), "post.html")
    related = "".join(
        f'<li><a href="/2026/{i}/">{title}</a></li>'
        for i, title in enumerate(
            [
                "Jeugdteam wint het toernooi in Kampen",
                "Gemeente belooft nieuwe lantaarns langs de dijk",
                "Bakkerij aan de Markt sluit na zestig jaar",
            ]
        )
    )
    more = f"<div class='related'><h3>Lees ook</h3><ul>{related}</ul></div>"
    assert [h.text for h in parse_html(_ONE_POST.format(more=more), "post.html")] == [
        "Jeugdteam wint het toernooi in Kampen",
        "Gemeente belooft nieuwe lantaarns langs de dijk",
        "Bakkerij aan de Markt sluit na zestig jaar",
    ]


def test_links_to_writers_pages_are_bylines_not_headlines() -> None:
    # A writer's name in a heading, linked to the writer's page, reads like a short headline.
    writers = [("author", "Nathalie de Groot"), ("writer", "Pieter van Dam"),
               ("auteur", "Sanne Bakker"), ("autor", "Jonas Weber")]  # fmt: skip
    box = "".join(f'<div><h5><a href="/{kind}/{i}/">{name}</a></h5><h6>10 januari 2026</h6></div>'
                  for i, (kind, name) in enumerate(writers))  # fmt: skip
    page = f"<html><body><h1>Onze schrijvers</h1><div class='writers'>{box}</div></body></html>"
    with pytest.raises(InputError, match="no list of headlines was found"):
        parse_html(page, "writers.html")
    # The same names linked to stories are a list.
    stories = box.replace('href="/author/', 'href="/story/').replace('href="/writer/', 'href="/s/')
    stories = stories.replace('href="/auteur/', 'href="/a/').replace('href="/autor/', 'href="/b/')
    assert [h.text for h in parse_html(stories, "stories.html")] == [n for _, n in writers]


# "News {n} of the day and the week" in Russian, written as escapes to keep the file ASCII.
_RUSSIAN = (
    "\u041d\u043e\u0432\u043e\u0441\u0442\u0438 {n} \u0434\u043d\u044f "
    "\u0438 \u043d\u0435\u0434\u0435\u043b\u0438"
)


def test_the_charset_a_page_declares_is_used(tmp_path: Path) -> None:
    items = "".join(f"<li><a href='/{n}'>{_RUSSIAN.format(n=n)}</a></li>" for n in range(3))
    html = (
        "<html><head><meta charset='windows-1251'></head><body><h2>Other news</h2>"
        f"<ul>{items}</ul></body></html>"
    )
    page = tmp_path / "page.html"
    page.write_bytes(html.encode("cp1251"))
    assert html_charset(page.read_bytes()) == "windows-1251"
    assert next(h.text for h in read_feed(str(page))) == _RUSSIAN.format(n=0)


_ODD_CHARACTERS = [
    "Café in Utrecht wint prijs voor beste appeltaart",
    "\u201cDit had niemand verwacht\u201d: zanger stopt ermee na dertig jaar",
    "Storm raast over het noorden \u2013 treinen rijden niet",
]


@pytest.mark.parametrize(
    ("declared", "saved_as", "padding"),
    [
        # Browsers read Latin-1 and ASCII as Windows-1252, whose curly quotes and dashes
        # Latin-1 reads as control characters.
        ("iso-8859-1", "cp1252", 0),
        ("us-ascii", "cp1252", 0),
        # Fetched by a script and written out as UTF-8 under the old declaration.
        ("iso-8859-15", "utf-8", 0),
        ("windows-1252", "utf-8", 0),
        ("us-ascii", "utf-8", 0),
        ("iso-8859-15", "utf-8", 2 << 20),  # its first byte past ASCII comes after 2 MB
        # A <meta> that says UTF-16 is in an ASCII-based file: browsers read UTF-8.
        ("utf-16", "utf-8", 0),
        ("utf-8", "utf-8", 0),
    ],
)
def test_a_page_is_read_as_a_browser_reads_it(
    tmp_path: Path, declared: str, saved_as: str, padding: int
) -> None:
    items = "".join(f"<li><a href='/{n}'>{t}</a></li>" for n, t in enumerate(_ODD_CHARACTERS))
    html = (
        f"<html><head><meta charset='{declared}'><title>Nieuws</title></head><body>"
        f"<!-- {'x' * padding} --><h2>Ander nieuws</h2><ul>{items}</ul></body></html>"
    )
    page = tmp_path / "page.html"
    page.write_bytes(html.encode(saved_as))
    assert [h.text for h in read_feed(str(page))] == _ODD_CHARACTERS


def test_a_legacy_page_stays_legacy_when_its_bytes_are_no_utf8(tmp_path: Path) -> None:
    titles = ["Fietsen huren vanaf €5 per dag", "Café op de Grote Markt sluit", "Weerbericht"]
    items = "".join(f"<li><a href='/{n}'>{t} van het jaar</a></li>" for n, t in enumerate(titles))
    html = (
        "<html><head><meta charset='iso-8859-15'></head><body><h2>Ander nieuws</h2>"
        f"<ul>{items}</ul></body></html>"
    )
    page = tmp_path / "page.html"
    page.write_bytes(html.encode("iso-8859-15"))
    assert [h.text for h in read_feed(str(page))] == [f"{t} van het jaar" for t in titles]


def test_scripts_styles_and_hidden_elements_are_not_text() -> None:
    items = "".join(
        f"<li><a href='/{n}'>Visible headline number {n} for the list</a></li>" for n in range(3)
    )
    html = (
        "<!DOCTYPE html><html><head><style>li{}</style></head><body><h2>Related</h2><ul>"
        f"{items}<li hidden><a href='/h'>Hidden headline that is not shown</a></li>"
        "<li aria-hidden='true'><a href='/a'>Headline hidden from readers too</a></li>"
        "<script>document.write('<li>Written by a script at run time</li>')</script>"
        "</ul></body></html>"
    )
    assert [h.text for h in parse_feed(html)] == [
        f"Visible headline number {n} for the list" for n in range(3)
    ]


# The parts of a page around its related-news list, in any order: the list must not move.
_NAV = "<nav><ul>" + "".join(f"<li><a href='/{w}'>{w}</a></li>" for w in ["ab", "cd", "ef", "gh"])
_NAV += "</ul></nav>"
_ARTICLE = (
    "<article><h1>Raad kiest voor nieuwe brug</h1><p>"
    + "De gemeenteraad koos dinsdag na lang debat voor een nieuwe brug over de rivier. " * 4
    + "</p></article>"
)
_MOST_READ = (
    "<aside><h2>Meest gelezen</h2><ol>"
    + "".join(
        f"<li><a href='/m{n}'>Veel gelezen bericht nummer {n} van vandaag</a></li>"
        for n in range(3)
    )
    + "</ol></aside>"
)
_FOOTER = "<footer><a href='/privacy'>Privacy</a> <a href='/contact'>Contact</a></footer>"
_AD = "<div class='ad'><span>Advertentie</span><a href='https://ads.example'>Koop nu</a></div>"

_headline_words = st.lists(
    st.sampled_from(
        [
            "trein",
            "brug",
            "raad",
            "kabinet",
            "boeren",
            "storm",
            "museum",
            "haven",
            "school",
            "markt",
            "fiets",
            "stad",
        ]
    ),
    min_size=4,
    max_size=9,
)


@settings(deadline=None, max_examples=60)
@given(
    st.lists(_headline_words, min_size=3, max_size=8),
    st.permutations([_NAV, _ARTICLE, _MOST_READ, _FOOTER, _AD]),
    st.integers(0, 5),
)
def test_html_list_survives_reordering_of_unrelated_markup(
    words: list[list[str]], around: list[str], at: int
) -> None:
    headlines = [" ".join(w).capitalize() + f" {n}" for n, w in enumerate(words)]
    items = "".join(
        f"<li><a href='/n/{n}'>{text}</a><span>{n + 1} uur geleden</span></li>"
        for n, text in enumerate(headlines)
    )
    related = f"<section><h2>Ander nieuws</h2><ul>{items}</ul></section>"
    parts = [*around]
    parts.insert(min(at, len(parts)), related)
    html = "<!DOCTYPE html><html><body>" + "".join(parts) + "</body></html>"
    parsed = parse_feed(html, source="page.html")
    assert [(h.text, h.age_minutes, h.extra["block"]) for h in parsed] == [
        (text, (n + 1) * 60, "Ander nieuws") for n, text in enumerate(headlines)
    ]
    assert [h.extra["link"] for h in parsed] == [f"/n/{n}" for n in range(len(headlines))]


def test_blocks_lists_every_candidate_in_page_order() -> None:
    blocks = html_blocks((SAMPLES / "html" / "related-list-with-times.html").read_text())
    assert [b.heading for b in blocks] == ["Related stories", "Most read"]


def _real_pages() -> Path | None:
    for parent in Path(__file__).resolve().parents:
        found = parent / "shared" / "real-pages"
        if (found / "check.py").is_file():
            return found
    return None


REAL = _real_pages()


@pytest.mark.skipif(REAL is None, reason="../shared/real-pages lies beside a checkout")
def test_real_pages_and_feeds_all_read_right() -> None:
    assert REAL is not None
    binary = Path(sys.executable).parent / "headlines"
    result = subprocess.run(
        [sys.executable, str(REAL / "check.py")],
        capture_output=True,
        text=True,
        env={**os.environ, "HEADLINES": str(binary)},
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(16 pages fully right)" in result.stdout
    assert "(8 feeds fully right)" in result.stdout


# Random cards: a title with what portals show beside or over it (a source of one to four
# words, an age, a count of comments), in blocks or inline, minified or not, and an ad marked
# before or after its advertiser. The headlines, ages and ads are known, so every reading is
# checked against them. (Copied text cannot part a source inline after its title: only the
# stylesheet does. These are read from HTML.)
_CARD_SUBJECTS = ["Gemeente Zwolle", "Het kabinet", "De brandweer", "Rijkswaterstaat",
                  "Een bakker uit Delft", "De schaatsbond", "Een boer in Drenthe"]  # fmt: skip
_CARD_VERBS = ["schrapt", "kiest", "waarschuwt voor", "opent", "sluit", "onderzoekt"]
_CARD_OBJECTS = ["subsidie voor dorpshuizen", "een nieuwe voorzitter voor de bond",
                 "zware windstoten in het noorden", "een tweede brug over de IJssel",
                 "plannen voor de zorg in de regio", "de kerstmarkt op het plein"]  # fmt: skip
_CARD_SOURCES = ["NOS", "AD", "RTL Nieuws", "De Stentor", "Omroep West", "Het Dagblad",
                 "Nieuwsblad van het Noorden", "The New York Times"]  # fmt: skip
_CARD_ADS = [("Deze slimme thermostaat bespaart je honderden euro", "WarmHuis"),
             ("Zo kies je de beste matras voor je rug", "Slaapwel")]  # fmt: skip


def _card_page(rng: random.Random) -> tuple[str, list[tuple[str, int | None, bool]]]:
    card = rng.choice(["li", "divs in link", "heading and meta", "inline meta", "article"])
    source = rng.choice(["none", "over", "after", "after with age"])
    dated = source == "after with age" or rng.random() < 0.6
    counts = rng.random() < 0.3
    ad = rng.choice(["none", "Gesponsord after", "Gesponsord before", "Sponsored by", "Ad •"])
    count = rng.randint(4, 8)
    ad_at = rng.randrange(1, count) if ad != "none" else -1
    cards, truth, used = [], [], set()
    for number in range(count):
        href = f"/n/{number}"
        if number == ad_at:
            title, brand = rng.choice(_CARD_ADS)
            mark = {
                "Gesponsord after": f"{brand} Gesponsord", "Sponsored by": f"Sponsored by {brand}",
                "Gesponsord before": f"Gesponsord · {brand}", "Ad •": f"Ad • {brand}",
            }[ad]  # fmt: skip
            meta, over = f"<span class='sponsor'>{mark}</span>", ""
            truth.append((title, None, True))
        else:
            while (title := f"{rng.choice(_CARD_SUBJECTS)} {rng.choice(_CARD_VERBS)} "
                            f"{rng.choice(_CARD_OBJECTS)}") in used:  # fmt: skip
                pass
            used.add(title)
            hours = rng.randint(2, 23)
            age = f"{hours} uur geleden" if dated else ""
            name = rng.choice(_CARD_SOURCES)
            over = f"<div class='source'>{name}</div>" if source == "over" else ""
            meta = ""
            if source == "after with age":
                meta = f"<span class='meta'>{name} · {age}</span>"
            else:
                meta += f"<span class='source'>{name}</span>" if source == "after" else ""
                meta += f"<span class='age'>{age}</span>" if age else ""
            meta += f"<span class='comments'>{hours * 3} reacties</span>" if counts else ""
            truth.append((title, hours * 60 if dated else None, False))
        cards.append({
            "li": f"<li>{over}<a href='{href}'>{title}</a><div class='meta'>{meta}</div></li>",
            "divs in link": f"<div class='card'><a href='{href}'>{over}<div class='title'>{title}"
                            f"</div><div class='meta'>{meta}</div></a></div>",
            "heading and meta": f"<div class='card'>{over}<h3><a href='{href}'>{title}</a></h3>"
                                f"<div class='meta'>{meta}</div></div>",
            "inline meta": f"<div class='card'>{over}<a href='{href}'><span class='title'>{title}"
                           f"</span></a><span class='meta'>{meta}</span></div>",
            "article": f"<article>{over}<h2><a href='{href}'>{title}</a></h2><footer>{meta}"
                       "</footer></article>",
        }[card])  # fmt: skip
    join = rng.choice(["", "\n"])
    rows = join.join(cards)
    rows = f"<ul>{rows}</ul>" if card == "li" else f"<div class='cards'>{rows}</div>"
    html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>De Post</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/nieuws'>Nieuws</a></nav><article><h1>Veerdienst"
        " naar Texel vaart vaker</h1><p>De veerdienst naar het eiland gaat in het voorjaar elk"
        " half uur varen, meldt de rederij, omdat het aantal reizigers in twee jaar met een"
        f" derde is gegroeid.</p></article><section><h2>Meer nieuws</h2>{join}{rows}{join}"
        "</section><footer><p>&copy; 2026 De Post</p></footer></body></html>"
    )
    return html, truth


@pytest.mark.parametrize("seed", range(3))
def test_random_cards_read_right_with_sources_counts_and_ads_beside_titles(seed: int) -> None:
    rng = random.Random(seed)
    for number in range(40):
        html, truth = _card_page(rng)
        got = [(h.text, h.age_minutes, h.extra["sponsored"]) for h in parse_feed(html)]
        assert got == truth, f"card page {number} of seed {seed}"
