"""Saved HTML pages -> the headlines of their related-news list, with links, ages and ads.

Covers: reading a page as the browser shows it (selectolax's HTML5 parser; no scripts,
styles, hidden elements or inactive tabs), finding its candidate lists from the structure
(runs of at least three sibling items that each hold one headline, a link or a heading),
naming each by the heading above it, and reading each item's headline, link (absolute),
age or date and whether it is paid. Does not cover: choosing among the lists and making
records (blocks.py), copied text pages (pages.py).

Why selectolax (lexbor): it builds the tree a browser builds (HTML5 parsing rules, so a page
without a doctype or with broken nesting reads as it looks), and walking all of a page's
nodes from Python is about twice as fast as with lxml; html5lib builds the same tree a
hundred times slower.

``parse_html('<h2>Related</h2><ul><li><a href="/a">Ajax wint van PSV</a></li>...')``
-> ``[Headline("Ajax wint van PSV", ..., extra={"block": "Related", "link": "/a", ...})]``
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urljoin

from ..errors import InputError
from ..records import Headline
from .blocks import Block, Item, ListChoice, choose, tidy, to_headlines
from .stamps import SEPARATORS, is_stamp, parse_age, parse_date, parse_short_age
from .text import clean
from .words import (
    SPONSORED_TIER,
    ends_list,
    heading_tier,
    is_comment_count,
    is_headline,
    is_marker,
    is_read_more,
    is_teaser,
    is_ui,
    may_be_stamp,
    source_stamp,
    split_stamp,
    word_count,
)
from .xml import iso_time

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

# Elements whose text is not shown, or not part of the page's reading text.
_SKIP = frozenset(
    (
        "head",
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "iframe",
        "select",
        "button",
        "input",
        "textarea",
        "object",
        "embed",
        "canvas",
        "video",
        "audio",
        "map",
        "math",
        "title",
    )
)
_BLOCK = frozenset(
    (
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "ul",
        "summary",
        "legend",
        "caption",
        "center",
        "option",
        "br",
    )
)
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_NAV = frozenset(("nav", "header", "footer"))
_NAMED_NAV = tuple(f"{sep}{name}" for name in _NAV for sep in "-_")
# Class names that hide an element by a convention every CSS framework shares (Bootstrap,
# WordPress, Tailwind): the text is for screen readers, or not shown at all.
_HIDDEN_CLASSES = frozenset(
    (
        "hidden",
        "hide",
        "d-none",
        "is-hidden",
        "u-hidden",
        "invisible",
        "sr-only",
        "sr-only-focusable",
        "visually-hidden",
        "visuallyhidden",
        "screen-reader-text",
        "screen-reader-only",
        "off-screen",
        "offscreen",
        "a11y-hidden",
        "element-invisible",
    )
)
# The same for screen readers, named after a plug-in or a part of the page:
# "sharing-screen-reader-text", "menu-sr-only".
_READER_ONLY = re.compile(r"-(?:screen-reader-text|sr-only|visually-?hidden)(?=\s|$)")
# The classes the networks' own embed code gives a post it shows in a page.
_EMBEDS = frozenset(("instagram-media", "twitter-tweet", "twitter-video", "tiktok-embed"))
_NOT_READ = _HIDDEN_CLASSES | _EMBEDS
_ACTIVE_CLASSES = frozenset(("active", "selected", "current", "is-active", "is-selected"))
# Containers of the two big paid-recommendation networks: every item in them is promoted.
_AD_NETWORKS = ("taboola", "outbrain")
_MAX_DEPTH = 500  # deeper nesting is read as flat text
# A web component's shadow root, as a browser writes it when it saves the page (Chromium's
# MHTML: <template shadowmode="open">) or a server sends it (declarative shadow DOM): shown,
# unlike other templates. Roots inside roots are opened this deep.
_SHADOW_ROOTS = "template[shadowmode], template[shadowrootmode]"
_SHADOW_DEPTH = 8


@dataclass(eq=False, slots=True)
class _El:
    """An element as the reader sees it: its tag, the attributes it needs, and the range of
    text lines it holds."""

    tag: str
    parent: _El | None
    href: str = ""
    rel: str = ""
    datetime: str = ""
    ident: str = ""
    classes: str = ""
    label: str = ""  # aria-label: the name a part of the page has for a screen reader
    first: int = 0
    last: int = 0
    children: list[_El] = field(default_factory=list)
    block: bool = False  # laid out as a block: on lines of its own


@dataclass(slots=True)
class _Line:
    """One line of text as the browser shows it, the element that holds it, and its pieces:
    each piece of text with the inline elements it sits in (from outer to inner)."""

    text: str
    owner: _El
    pieces: list[tuple[str, tuple[_El, ...]]]
    broken: bool = False  # ended by a <br>: the text may go on in the next line


class _Page:
    """A parsed page: its elements, its lines and where relative links point."""

    def __init__(self, html: str, url: str = "") -> None:
        # Imported here: detecting a feed's format needs this module, parsing HTML the parser.
        from selectolax.lexbor import LexborHTMLParser

        tree = LexborHTMLParser(html)
        if "shadowmode" in html or "shadowrootmode" in html:
            _open_shadow_roots(tree.root, _SHADOW_DEPTH)
        self.lines: list[_Line] = []
        self.base = url or _saved_from(html)
        # The page's own address, which a browser that saves a page writes into its in-page
        # links ("#panel2" saved as "https://site/page#panel2").
        self.address = urldefrag(self.base).url
        self.tab_headings: dict[str, str] = {}
        self.hidden_ids: set[str] = set()
        base = tree.css_first("base[href]")
        if base is not None:
            self.base = urljoin(self.base, base.attributes.get("href") or "")
        elif not self.base:
            canonical = tree.css_first("link[rel=canonical][href]")
            if canonical is not None:
                self.base = canonical.attributes.get("href") or ""
        self._find_tabs(tree)
        root = tree.root
        self.root = _El("html", None)
        if root is not None:
            self._walk(root)

    def _find_tabs(self, tree: LexborHTMLParser) -> None:
        """Tabs: a row of in-page links (``href="#panel2"``) that show one panel at a time.
        The panels are siblings and the row of links stands beside them (skip links such as
        "Skip to content" are not tabs). The panels of all but the active link are hidden;
        the active panel is named by its link's text."""
        targets_by_id = {node.attributes.get("id"): node for node in tree.css("[id]")}
        groups: dict[int, list[tuple[LexborNode, str]]] = {}
        for link in tree.css('a[href*="#"]'):
            target = self.in_page(link.attributes.get("href") or "")
            holder = link.parent.parent if link.parent is not None else None
            if target in targets_by_id and holder is not None and not is_ui(link.text()):
                groups.setdefault(holder.mem_id, []).append((link, target))
        for links in groups.values():
            panels = [targets_by_id[target] for _, target in links]
            parents = {panel.parent.mem_id for panel in panels if panel.parent is not None}
            if len({panel.mem_id for panel in panels}) < 2 or len(parents) != 1:
                continue
            parent = panels[0].parent
            if parent is None or parent.tag in ("body", "html") or not _inside(links[0][0], parent):
                continue
            active = next((i for i, (link, _) in enumerate(links) if _is_active(link)), 0)
            for i, (link, target) in enumerate(links):
                if i == active:
                    self.tab_headings[target] = " ".join(link.text(deep=True).split())
                else:
                    self.hidden_ids.add(target)

    def _walk(self, root: LexborNode) -> None:
        """Turn the visible part of the tree into elements and lines, in document order."""
        pieces: list[tuple[str, tuple[_El, ...]]] = []
        owner_stack: list[_El] = [self.root]
        inline: list[_El] = []
        # Inline elements entered since the last text: their lines start where their first
        # text goes, not where they were entered. A link around a title block enters on the
        # line still open with the item before it ("12 min geleden"), which is not its line.
        untexted: list[_El] = []

        def flush() -> None:
            if pieces:
                text = clean("".join(p for p, _ in pieces))
                if text:
                    self.lines.append(_Line(text, owner_stack[-1], list(pieces)))
                pieces.clear()

        # An explicit stack instead of recursion, as pages nest deep: (node, its parent, True)
        # to enter a node, (node, its element, False) to leave it. The parent is the element
        # the node is in, block or inline (a block inside an inline element, as a web
        # component's tag around a list, holds what is in it).
        stack: list[tuple[LexborNode, _El, bool]] = [(root, self.root, True)]
        while stack:
            node, el, entering = stack.pop()
            if not entering:
                if el.block:
                    flush()
                    owner_stack.pop()
                else:
                    inline.pop()
                pending = any(text.strip() for text, _ in pieces)
                el.last = len(self.lines) + (1 if pending else 0)
                if untexted and untexted[-1] is el:  # an inline element without text: no lines
                    untexted.pop()
                    el.first = el.last
                continue
            tag = node.tag
            if tag == "-text":
                text = node.text_content or ""
                if text:
                    pieces.append((text, tuple(inline)))
                    if untexted and text.strip():
                        for waiting in untexted:
                            waiting.first = len(self.lines)
                        untexted.clear()
                continue
            if tag is None or tag.startswith(("-", "_")) or tag in _SKIP:
                continue
            attrs = node.attributes
            if self._hidden(tag, attrs):
                continue
            parent = el
            if tag == "a" and (
                "href" not in attrs
                or (attrs["href"] or "").strip().lower().startswith(_NO_PAGE)
                or ((rel := attrs.get("rel")) and not _SERIES.isdisjoint(rel.lower().split()))
            ):
                # An <a> without an address is no link but a placeholder (HTML's own term):
                # a tab's label or a button that a script makes work. One that writes an
                # e-mail or calls a number leads to no page, so it holds no headline either
                # ("mail [at] site de" in a post). One to the previous or next page of a
                # series (rel="prev", "next": a blog's neighbouring posts, a list's next page)
                # is the page's own navigation, not a list's headline. Their words are text.
                tag = "span"
            elif attrs.get("role") == "heading" and tag not in _HEADINGS:
                # <div role="heading" aria-level="3">Related coverage</div> is a heading to a
                # screen reader, and so to the reader here.
                level = (attrs.get("aria-level") or "").strip()
                tag = f"h{level}" if level in ("1", "2", "3", "4", "5", "6") else "h2"
            el = _El(
                tag,
                parent,
                href=attrs.get("href") or "" if tag == "a" else "",
                rel=attrs.get("rel") or "",
                datetime=attrs.get("datetime") or "" if tag == "time" else "",
                ident=attrs.get("id") or "",
                classes=attrs.get("class") or "",
                label=attrs.get("aria-label") or "" if tag not in _LABELLED_CONTROLS else "",
            )
            parent.children.append(el)
            deep = len(owner_stack) + len(inline) + 1 >= _MAX_DEPTH  # this one included
            children = [] if deep else list(node.iter(include_text=True))
            # A link around blocks (a card: picture, kicker, title, source) is laid out as a
            # block of its own: the next card's kicker does not join this one's source.
            el.block = tag in _BLOCK or (
                tag == "a" and any(c.tag in _BLOCK and c.tag != "br" for c in children)
            )
            if el.block:
                lines_before = len(self.lines)
                flush()
                if tag == "br" and len(self.lines) > lines_before:
                    self.lines[-1].broken = True
                owner_stack.append(el)
            else:
                inline.append(el)
                untexted.append(el)  # a block starts on a line of its own: it needs no wait
            el.first = len(self.lines)
            stack.append((node, el, False))
            stack.extend((c, el, True) for c in reversed(children))
        flush()
        self.root.last = len(self.lines)

    def _hidden(self, tag: str, attrs: dict[str, str | None]) -> bool:
        """Whether an element is not read: hidden, text for screen readers only, or a post
        of a social network embedded in the page, whose lines ("View this post on
        Instagram", "A post shared by ...") are no headlines."""
        if "hidden" in attrs or attrs.get("aria-hidden") == "true":
            return True
        style = (attrs.get("style") or "").replace(" ", "").lower()
        if "display:none" in style or "visibility:hidden" in style:
            return True
        ident = attrs.get("id")
        if ident and ident in self.hidden_ids:
            return True
        classes = attrs.get("class") or ""
        return not _NOT_READ.isdisjoint(classes.split()) or (
            "-" in classes and _READER_ONLY.search(classes) is not None
        )

    def link(self, href: str) -> str:
        """An absolute link, resolved against the page's URL or ``<base>``; "" for a link to
        a place on the page itself."""
        href = href.strip()
        if not href or href.startswith(("javascript:", "#", "mailto:")) or self.in_page(href):
            return ""
        return urljoin(self.base, href) if self.base else href

    def in_page(self, href: str) -> str:
        """The id a link to a place on this page points to ("" for any other link):
        ``"#panel2"``, or ``"https://site/page#panel2"`` on the page saved from there."""
        if href.startswith("#"):
            return href[1:]
        if "#" not in href or not self.address:
            return ""
        address, fragment = urldefrag(urljoin(self.address, href))
        return fragment if address == self.address else ""


def _open_shadow_roots(scope: LexborNode | None, depth: int) -> None:
    """Put the content of each shadow root below ``scope`` in the tree, where its template
    stands, as a ``<div>``: a template's content is no part of the tree the parser gives.
    All of them are parsed at once (a parser each took 0.1 ms a root)."""
    templates = scope.css(_SHADOW_ROOTS) if scope is not None else []
    if not templates:
        return
    from selectolax.lexbor import LexborHTMLParser

    contents = (template.template_fragments()[0].html or "" for template in templates)
    parsed = LexborHTMLParser("".join(f"<div data-shadow-root>{c}</div>" for c in contents))
    roots = [node for node in parsed.body.iter() if node.tag == "div"] if parsed.body else []
    if len(roots) != len(templates):
        return  # serialized fragments are whole, so never; were one not, none is opened
    if depth > 0:
        _open_shadow_roots(parsed.body, depth - 1)  # before they move: templates stay behind
    for template, root in zip(templates, roots, strict=True):
        template.insert_before(root)
        template.decompose()


def _is_active(link: LexborNode) -> bool:
    for node in (link, link.parent):
        if node is None:
            continue
        if node.attributes.get("aria-selected") == "true":
            return True
        if not _ACTIVE_CLASSES.isdisjoint((node.attributes.get("class") or "").split()):
            return True
    return False


def _one_line_heading(el: _El, before: int) -> bool:
    """A heading element of one line that stands before line ``before``: a list's heading
    (``<h2>Read Next</h2>``), not a card of it."""
    return el.tag in _HEADINGS and el.last - el.first == 1 and el.last <= before


def _inside(node: LexborNode, ancestor: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id == ancestor.mem_id:
            return True
        parent = parent.parent
    return False


def _saved_from(html: str) -> str:
    """The URL a browser notes in a page it saves: ``<!-- saved from url=(0022)https://... -->``."""
    start = html.find("saved from url=(", 0, 4096)
    if start < 0:
        return ""
    rest = html[start + len("saved from url=(") :]
    words = rest.partition(")")[2].split()
    return words[0].removesuffix("-->") if words else ""


def _ancestors(el: _El | None) -> list[_El]:
    found = []
    while el is not None:
        found.append(el)
        el = el.parent
    return found


def _in_tag(line: _Line, tags: frozenset[str]) -> _El | None:
    """The innermost element of one of ``tags`` around a line, or None."""
    chain = next((chain for text, chain in line.pieces if text.strip()), ())
    for el in reversed(chain):
        if el.tag in tags:
            return el
    return next((el for el in _ancestors(line.owner) if el.tag in tags), None)


def _to_author(link: _El | None) -> bool:
    """Whether a link goes to a writer's page ("/author/jane-doe/", "/writer/...", "/auteur/"):
    its words are a byline, however they read ("Nathanael Johnson")."""
    return link is not None and _AUTHOR_PATH.search(link.href) is not None


_AUTHOR_PATH = re.compile(r"/(?:author|authors|writer|writers|auteur|auteurs|autor|autoren)/")


def _link_of(line: _Line) -> _El | None:
    """The link around a line: around its first text, or else around at least half of its
    text, as a link after a label ("Politics <a>...</a> · 2h")."""
    found = _in_tag(line, _LINKS)
    if found is not None or len(line.pieces) < 2:
        return found
    held: dict[int, int] = {}
    links: dict[int, _El] = {}
    for text, chain in line.pieces:
        link = next((el for el in reversed(chain) if el.tag == "a"), None)
        if link is not None:
            held[id(link)] = held.get(id(link), 0) + len(text.strip())
            links[id(link)] = link
    most = max(held, key=held.__getitem__, default=None)
    if most is None or 2 * held[most] < len(line.text):
        return None
    return links[most]


_LINKS = frozenset(("a",))
# Addresses of links that open no page: an e-mail to write, a number to call.
_NO_PAGE = ("mailto:", "tel:")
# Elements whose aria-label names what they do ("Share", "Next slide"), not a list.
_LABELLED_CONTROLS = frozenset(("a", "button", "input", "select", "textarea", "img", "svg"))
# Link types of the pages before and after this one in a series (HTML's rel="prev", "next").
_SERIES = frozenset(("prev", "previous", "next"))


class _Reader:
    """Finds the candidate lists of a page and reads their items."""

    def __init__(self, page: _Page) -> None:
        self.page = page
        lines = page.lines
        self.heads = [_in_tag(line, _HEADINGS) is not None for line in lines]
        self.links = [_link_of(line) for line in lines]
        # A title line: a headline in a heading element or a link; or one that starts with a
        # headline in bold and goes on with its teaser ("<a><b>Title</b> A teaser.</a>").
        self.leads = {
            i: lead
            for i, line in enumerate(lines)
            if (self.heads[i] or self.links[i] is not None) and (lead := _lead_title(line))
        }
        self.titles = [
            (
                (self.heads[i] or self.links[i] is not None)
                and word_count(text := _without_aside(line)) >= 2
                and is_headline(text, weak=True)
                and not _to_author(self.links[i])
            )
            or i in self.leads
            for i, line in enumerate(lines)
        ]
        self.title_count = [0, *accumulate(int(t) for t in self.titles)]
        # The same, with the title lines of one link counted once (see _holds_item).
        counted, link = [], None
        for title, at in zip(self.titles, self.links, strict=True):
            counted.append(title and (at is None or at is not link))
            link = at if title else link
        self.link_count = [0, *accumulate(counted)]
        # Lines of prose: long, and ending a sentence.
        prose = [len(t := line.text) > 80 and t[-1] in _SENTENCE_ENDS for line in lines]
        self.prose_count = [0, *accumulate(prose)]
        self.item_lines: set[int] = set()

    def titles_in(self, el: _El) -> int:
        return self.title_count[el.last] - self.title_count[el.first]

    def _holds_item(self, el: _El) -> bool:
        """Whether an element can be one item of a list: it holds a headline, or two (a
        headline and a link to its section or source), or a card whose one link holds its
        title, its section and its writer, each in an element of its own."""
        titles = self.titles_in(el)
        return 1 <= titles <= 2 or (
            titles > 2 and self.link_count[el.last] - self.link_count[el.first] == 1
        )

    def blocks(self) -> list[Block]:
        found: list[tuple[_El, list[_El]]] = []
        stack = [self.page.root]
        while stack:
            el = stack.pop()
            stack.extend(el.children)
            if len(el.children) < 3 or self.titles_in(el) < 3:
                continue
            with_text = [c for c in el.children if c.last > c.first]
            items = [c for c in with_text if self._holds_item(c)]
            if any(self.prose_count[c.last] - self.prose_count[c.first] > 6 for c in items):
                continue  # the parts of an article (its text, its tags, its share links)
            absorbed = 0  # age lines taken into items beside their titles
            if len(items) >= 3 and len(items) < len(with_text):
                flat = self._flat_items(el, with_text)
                if flat:
                    items = flat
                    absorbed = sum(len(item.children) - 1 for item in flat)
            if len(items) >= 3 and len(items) * 2 >= len(with_text) - absorbed and _alike(items):
                found.append((el, self._without_heading(self._lead_card(el, self._cells(items)))))
        found.sort(key=lambda pair: pair[1][0].first)
        self.item_lines = {
            i for _, items in found for item in items for i in range(item.first, item.last)
        }
        blocks = [self._block(el, items) for el, items in found]
        self._link_following(blocks)
        return blocks

    def _lead_card(self, el: _El, items: list[_El]) -> list[_El]:
        """A list's items with the one card shown before the list in the element that holds
        both (``<div><article class="big">...</article><ul>...</ul></div>``, a lead story over
        the list): two to four lines, one of them a headline, the link of a card that is no
        heading (a kicker, a teaser or an age beside it). A link alone is more often a button
        or a topic's page ("Bekijk al het sportnieuws"), and one after a list a button to more
        of it."""
        parent = el.parent
        if parent is None:
            return items
        # The list's own heading may stand in the same element, above the card.
        others = [
            c
            for c in parent.children
            if c is not el and c.last > c.first and not _one_line_heading(c, items[0].first)
        ]
        if len(others) != 1:
            return items
        card = others[0]
        lines = range(card.first, card.last)
        # Its title: its one headline, or its one heading element among lines that may read
        # as headlines too ("By Wes Tolliver • 45 minutes ago").
        heads = [i for i in lines if self.heads[i]]
        if self.titles_in(card) == 1:
            title = next(i for i in lines if self.titles[i])
        elif len(heads) == 1 and self.titles[heads[0]]:
            title = heads[0]
        else:
            return items
        if card.last > items[0].first or not 2 <= len(lines) <= 4 or card.tag in _HEADINGS:
            return items
        return items if self.links[title] is None else [card, *items]

    def _cells(self, items: list[_El]) -> list[_El]:
        """The items of a grid laid out in rows of two (``<tr><td><a>...</a></td><td><a>...
        </a></td></tr>``, a row of two columns): each row's two cells, when every row holds
        two headlines, each the link of a cell of the same kind as the other's; else
        ``items`` as they are (a headline and a link to its section, or its source)."""
        cells: list[_El] = []
        for item in items:
            held = [c for c in item.children if self.titles_in(c) == 1]
            if self.titles_in(item) != 2 or len(held) != 2:
                return items
            first, second = held
            lines = [next(i for i in range(c.first, c.last) if self.titles[i]) for c in held]
            links = [self.links[i] for i in lines]
            if (
                (first.tag, first.classes) != (second.tag, second.classes)
                or None in links
                or links[0] is links[1]
                or self.page.lines[lines[0]].text == self.page.lines[lines[1]].text
            ):
                return items
            cells += held
        return cells

    def _without_heading(self, items: list[_El]) -> list[_El]:
        """A list's own heading among its items (``<section><h2>Meest recent</h2><article>
        ...``), which reads as a title when its words are not known as a list heading: the
        first child, a heading element when no other item is one like it, with no link or
        with a link to a section too short to read as a headline ("<h3><a>Work Life</a>")."""
        first = items[0]
        if (
            len(items) > 3
            and first.tag in _HEADINGS
            and (
                self.links[first.first] is None
                or not is_headline(self.page.lines[first.first].text)
            )
            and all(item.tag != first.tag for item in items[1:])
        ):
            return items[1:]
        return items

    def _flat_items(self, el: _El, children: list[_El]) -> list[_El]:
        """Items of a list without an element per item: titles and their ages or dates as
        siblings (``<h3>title</h3><span>2 hours ago</span><h3>title</h3>...``), each title
        taken with the age line after it, or before it when the list starts with one, and an
        ad marker after it ("Sponsored")."""
        kinds = [
            "title"
            if self._holds_item(c)
            else "stamp"
            if c.last - c.first == 1 and _stamp_line(self.page.lines[c.first].text)
            else "marker"
            if c.last - c.first == 1 and is_marker(self.page.lines[c.first].text)
            else "other"
            for c in children
        ]
        stamps, titles = kinds.count("stamp"), kinds.count("title")
        if stamps < 3 or abs(stamps - titles) > 1 or "other" in kinds[1:]:
            return []
        ages_first = next(k for k in kinds if k != "other") == "stamp"
        items: list[_El] = []
        waiting: list[_El] = []  # an age line before its title
        for child, kind in zip(children, kinds, strict=True):
            if kind == "title":
                items.append(_El("div", el, first=child.first, last=child.last, children=[child]))
                if waiting:
                    items[-1].first = waiting[0].first
                    items[-1].children[:0] = waiting
                    waiting = []
            elif kind == "stamp" and ages_first:
                waiting = [child]
            elif kind in ("stamp", "marker") and items and items[-1].last == child.first:
                items[-1].children.append(child)  # its age, or the ad marker that ends it
                items[-1].last = child.last
        return items

    def _block(self, el: _El, items: list[_El]) -> Block:
        heading, tier, has_heading = self._heading(el, items[0].first, items[-1].last)
        labels = [_item_labels(self.page.lines, item) for item in items]
        titles = self._titles(items, labels)
        read = [
            self._item(item, title, shown)
            for item, title, shown in zip(items, titles, labels, strict=True)
        ]
        _strip_badges([self.page.lines[i] for i in titles], read)
        tidy(read, copied=False)
        names = _names_around(el)
        paid = tier == SPONSORED_TIER or any(name.startswith(_AD_NETWORKS) for name in names)
        for item in read:
            item.sponsored = item.sponsored or paid
        # A row of three links or more on an item's line ("Home | Video | World") is a menu's.
        rows = sum(_links_on(self.page.lines[i]) >= 3 for i in titles)
        # In a navigation bar, header or footer, as a tag or by name, as pages named them
        # before HTML had <header>, <footer> and <nav> (<div id="footer">, "site-header").
        nav = (
            rows * 2 > len(items)
            or any(a.tag in _NAV for a in _ancestors(el))
            or any(name in _NAV or name.endswith(_NAMED_NAV) for name in names)
        )
        return Block(
            heading,
            read,
            line=items[0].first + 1,
            tier=tier,
            has_heading=has_heading,
            nav=nav,
            comments=any(_names_comments(name) for name in names),
            end=items[-1].last,
        )

    def _heading(self, el: _El, first: int, end: int) -> tuple[str, int, bool]:
        """The heading shown above a list (or, failing that, a list heading just after it,
        such as a "More stories" button): text, tier, and whether there is one."""
        for a in _ancestors(el)[:4]:
            if a.ident in self.page.tab_headings:
                text = self.page.tab_headings[a.ident]
                return text, heading_tier(text), True
        lines = self.page.lines
        for i in range(first - 1, max(first - 5, -1), -1):
            if i in self.item_lines:  # the last headline of the list before
                break
            text = lines[i].text
            tier, part = max((heading_tier(part), part) for part in _parts(lines[i]))
            if tier == SPONSORED_TIER and (named := _own_name(el, above=tier)) is not None:
                # An ad slot's "Anzeige" over a list whose element calls itself "Mehr zum
                # Thema": the list's own name says what it is.
                return named
            if tier:
                return part, tier, True
            # "Read more" in an element of its own right over a list of links is its heading
            # ("<div>Read more</div><ul>...</ul>" between a story's paragraphs), where
            # elsewhere the words are a button under a teaser.
            if i == first - 1 and is_read_more(text) and self.links[i] is None:
                return text, 3, True
            if self.heads[i] and ends_list(text):
                break  # a comment form's "Leave a Reply" heads no list after it
            if self.heads[i] and len(text.split()) <= 8:
                return text, 0, True
            if len(text.split()) > 8:
                break
        parent = el.parent or el
        for i in range(end, min(end + 3, parent.last)):
            if self.heads[i]:  # a heading element after a list heads the next one
                break
            tier = heading_tier(lines[i].text)
            if tier:
                return lines[i].text, tier, True
        # No heading shown: the name the list has for a screen reader (<section
        # aria-label="Related coverage">), else a name of its part of the page that says
        # it is the related list (<ul class="related-module__list">), as a related list's
        # own words would ("Related").
        if (named := _own_name(el)) is not None:
            return named
        if any(_names_related(a) for a in _ancestors(el)[:3]):
            return "", 3, False
        return "", 0, False

    def _titles(self, items: list[_El], labels: list[Counter[str]]) -> list[int]:
        """The title line of each item: the one in a heading element, else the first that
        reads as a headline, passing over a line that stands where the list's items show a
        few words (four or fewer for half of them: a source, "RTL Nieuws" over its title in
        the same kind of element) when the item has another."""
        lines = self.page.lines
        candidates = [
            self._title_lines(item, shown) for item, shown in zip(items, labels, strict=True)
        ]
        words: dict[tuple[int, str, str], list[int]] = {}
        for item in items:
            for i in range(item.first, item.last):
                words.setdefault(self._slot(item, i), []).append(word_count(lines[i].text))
        short = {
            slot
            for slot, counts in words.items()
            if len(counts) >= 3 and sorted(counts)[len(counts) // 2] <= 4  # the median
        }
        # Where an item has two headings (a kicker "Dot Earth" over its title), the title's
        # is the kind of heading element the most items have, the longer on a tie.
        kinds: Counter[tuple[str, str]] = Counter()
        lengths: Counter[tuple[str, str]] = Counter()
        for found in candidates:
            for kind in {self._kind(i) for i in found if self.heads[i]}:
                kinds[kind] += 1
            for i in found:
                if self.heads[i]:
                    lengths[self._kind(i)] += word_count(lines[i].text)
        chosen = []
        for item, found in zip(items, candidates, strict=True):
            # A title broken by <br> is no source, however short its first line.
            long = [i for i in found if self._slot(item, i) not in short or lines[i].broken]
            heads = [i for i in found if self.heads[i]]
            if len(heads) > 1:
                heads.sort(key=lambda i: (-kinds[self._kind(i)], -lengths[self._kind(i)]))
            chosen.append(heads[0] if heads else (long or found)[0])
        return chosen

    def _kind(self, line: int) -> tuple[str, str]:
        """The kind of element that holds a line: its tag and class names."""
        owner = self.page.lines[line].owner
        return owner.tag, owner.classes

    def _title_lines(self, el: _El, shown: Counter[str]) -> list[int]:
        """The lines of an item that may be its title; a brand or source shown twice in an
        item (over the picture and under the title, ``shown``: :func:`_item_labels`) labels
        it and is left out."""
        lines = self.page.lines
        titles = [i for i in range(el.first, el.last) if self.titles[i]]
        return [i for i in titles if shown[lines[i].text] < 2] or titles

    def _slot(self, el: _El, line: int) -> tuple[int, str, str]:
        """Where a line stands in its item and the kind of element that holds it."""
        return line - el.first, *self._kind(line)

    def _item(self, el: _El, title: int, labels: Counter[str]) -> Item:
        lines = self.page.lines
        indexes = range(el.first, el.last)
        item = Item(self.leads.get(title) or _title_text(lines[title], labels))
        # A title broken by <br> goes on in the next line that its link or heading holds,
        # when that line goes on the sentence (a lower-case word), not a teaser after it.
        anchor = self.links[title]
        heading = lines[title].owner if anchor is None and self.heads[title] else None
        more: list[str] = []
        end = title + 1
        while end < el.last and lines[end - 1].broken and (anchor or heading) is not None:
            if anchor is not None and self.links[end] is not anchor:
                break
            if heading is not None and lines[end].owner is not heading:
                break
            pieces = lines[end].pieces
            text = "".join(p for p, chain in pieces if anchor is None or anchor in chain).strip()
            if not text[:1].islower():
                break
            more.append(text)
            end += 1
        if more:
            item.text = " ".join(" ".join([item.text, *more]).split())
        for i in indexes:
            shown = _parts(lines[i])
            if i == title:  # what stands beside the title in its line, in elements of its own
                shown = [part for part in shown if part not in item.text and part != shown[0]]
            if item.age is None and not item.published:
                for part in shown:
                    part = _stamp_beside(part) or part  # "NOS · 2 uur geleden"
                    item.age = parse_age(part)
                    item.published = "" if item.age is not None else parse_date(part) or ""
                    if item.age is not None or item.published:
                        break
            if any(is_marker(part) for part in shown):
                item.sponsored = True
        if item.age is None and not item.published:  # "12 min", "1 uur" in a <time>
            ages = (parse_short_age(text) for text in _timed(lines, indexes))
            item.age = next((age for age in ages if age is not None), None)
        anchor = self.links[title]
        hrefs = [anchor] if anchor is not None else []
        for sub in _descendants(el):
            if sub.tag == "time" and sub.datetime and not item.published:
                item.published = iso_time(sub.datetime)
            if sub.tag == "a":
                hrefs.append(sub)
                if "sponsored" in sub.rel.lower():
                    item.sponsored = True
        item.link = next((self.page.link(a.href) for a in hrefs if self.page.link(a.href)), "")
        return item

    def _link_following(self, blocks: list[Block]) -> None:
        """A list goes on into the next one when only a heading stands between them and both
        look alike (ages or not), as a "More on this story" list followed by a section's list.
        Lists of the site's latest or most read stories (tier 2) and a site's menus (the
        footer's "About us") are not read on into, and only a related list (tier 3), or a part
        of one without a heading, goes on under a heading of another: a sidebar's boxes ("Top
        stories", "Special reports", "Watch and listen") are each a list of its own."""
        titled = [i for i, t in enumerate(self.titles) if t and not self.heads[i]]
        starts = [b.line - 1 for b in blocks]  # in page order
        for i, block in reversed(list(enumerate(blocks))):
            k = bisect_left(starts, block.end, lo=i + 1)
            if k >= len(blocks):
                continue
            nxt = blocks[k]
            gap = bisect_left(titled, nxt.line - 1) - bisect_left(titled, block.end)
            between = nxt.line - 1 - block.end
            # Without a heading, only the next part of the same list (a slider's next slide).
            if (
                not gap
                and not nxt.menu
                and nxt.dated == block.dated
                and nxt.tier in (0, 3)
                and (
                    between <= 3 and (block.tier == 3 or not block.has_heading)
                    if nxt.tier == 3 or nxt.has_heading
                    else between == 0
                )
            ):
                block.merged = [nxt, *nxt.merged]


def _timed(lines: list[_Line], indexes: range) -> list[str]:
    """The texts of an item's lines that its page marks as times: in a ``<time>`` element or
    one whose class names a time ("item-datetime", "teaser__time", "timestamp")."""
    found = []
    for i in indexes:
        for text, chain in lines[i].pieces:
            if text.strip() and any(
                el.tag == "time" or any(_names_time(name) for name in el.classes.lower().split())
                for el in chain
            ):
                found.append(" ".join(text.split()))
    return found


def _names_time(name: str) -> bool:
    """Whether a class name names when an item was published ("item-datetime",
    "teaser__time", "timestamp"), not how long it takes ("reading-time", "video-time",
    "runtime": "4 min" there is a length, not an age)."""
    return "time" in name and not any(
        word.startswith(_LENGTH_WORDS) for word in re.split(r"[^a-z]+", name)
    )


_LENGTH_WORDS = ("read", "video", "duration", "run", "length", "play", "listen", "audio", "watch")


def _own_name(el: _El, above: int = 0) -> tuple[str, int, bool] | None:
    """The heading a list's own element names for a screen reader (``<section
    aria-label="Mehr zum Thema">``), with its tier, when that tier is above ``above``."""
    for a in _ancestors(el)[:4]:
        if a.label and (tier := heading_tier(a.label)) > above:
            return a.label, tier, True
    return None


def _names_related(el: _El) -> bool:
    """Whether an element's id or class names call it the related list: "related-module",
    "js_related-list", "c-related-list", "relatedArticles"; not "unrelated"."""
    names = f"{el.ident} {el.classes}".lower()
    at = names.find("related")
    while at >= 0:
        if not names[max(at - 2, 0) : at].endswith("un"):
            return True
        at = names.find("related", at + 1)
    return False


def _names_comments(name: str) -> bool:
    """Whether an id or class name (lower case) names a comment section or a comment in it:
    "comments", "comment-list", "comment-2058243", "wp_comments", "recentcomments",
    "js_replies"; not a state of a post ("comments-open", "has-comments") nor a count
    ("comment-count", "reply-count"), and not a list of the most commented stories."""
    parts = name.replace("_", "-").split("-")
    return not _COMMENT_STATES.intersection(parts) and not _COMMENTS.isdisjoint(parts)


_COMMENTS = frozenset(
    (
        "comment", "comments", "commentlist", "commentslist", "recentcomments", "latestcomments",
        "kommentar", "kommentare", "reacties", "commentaires", "comentarios", "reply", "replies",
    )
)  # fmt: skip
_COMMENT_STATES = frozenset(("has", "no", "open", "closed", "count", "counts", "number"))


def _names_around(el: _El) -> list[str]:
    """The ids and class names, in lower case, of an element and the elements around it up
    to <body>: the names of a page's parts ("footer", "taboola-feed"). Not those of <html> or
    <body>, which name the whole page (a theme's "has-sticky-header")."""
    return [
        name.lower()
        for a in _ancestors(el)
        if a.tag not in ("html", "body")
        for name in (a.ident, *a.classes.split())
        if name
    ]


def _links_on(line: _Line) -> int:
    """How many links a line shows."""
    return len({id(el) for _, chain in line.pieces for el in chain if el.tag == "a"})


def _alike(items: list[_El]) -> bool:
    """Whether a list's items are mostly elements of one kind, as a list's are; the parts of
    a page (its menu, its article, its footer) are each another."""
    return Counter(item.tag for item in items).most_common(1)[0][1] * 2 >= len(items)


def _item_labels(lines: list[_Line], el: _El) -> Counter[str]:
    """How often each inline part of an item's lines is shown in it (a whole line when it has
    one part): a brand or source shown twice labels the item."""
    return Counter(
        part for i in range(el.first, el.last) for part in _parts(lines[i])[1:] or [lines[i].text]
    )


def _parts(line: _Line) -> list[str]:
    """A line, then its inline parts when it has several: "News 2 hours ago" from two spans
    gives "News" and "2 hours ago"."""
    parts: dict[int, list[str]] = {}
    for text, chain in line.pieces:
        parts.setdefault(id(chain[-1]) if chain else 0, []).append(text)
    found = [" ".join("".join(texts).split()) for texts in parts.values()]
    return [line.text, *(part for part in found if part and part != line.text)]


def _descendants(el: _El) -> list[_El]:
    """The elements inside ``el``, in page order."""
    found, stack = [], list(reversed(el.children))
    while stack:
        sub = stack.pop()
        found.append(sub)
        stack.extend(reversed(sub.children))
    return found


def _stamp_line(text: str) -> bool:
    """An age or date line, alone or beside its source ("Coast Courier · 2h")."""
    return is_stamp(text) or source_stamp(text) is not None


def _aside(line: _Line) -> set[int]:
    """The pieces of a line (by ``id``) that are set aside from its title: an age or a date,
    alone or with its source, a count of comments or an advertiser's marker, each told by the
    innermost element that holds it. None in a line of one element."""
    aside: set[int] = set()
    if len(line.pieces) < 2:
        return aside
    inner: dict[int, list[tuple[str, tuple[_El, ...]]]] = {}
    for piece in line.pieces:
        inner.setdefault(id(piece[1][-1]) if piece[1] else id(piece), []).append(piece)
    if len(inner) < 2:
        return aside
    for held in inner.values():
        if _sets_aside("".join(p for p, _ in held).strip()):
            aside.update(id(piece) for piece in held)
    return aside


@lru_cache(maxsize=65536)
def _sets_aside(text: str) -> bool:
    """:func:`_aside` of one element's text; the same ages, sources and markers come back
    on every item of a list."""
    stamp = may_be_stamp(text) and (is_stamp(text) or _stamp_beside(text) is not None)
    return stamp or is_marker(text) or is_comment_count(text)


def _without_aside(line: _Line) -> str:
    """A line's text without what :func:`_aside` sets aside: what may be a title."""
    aside = _aside(line)
    if not aside:
        return line.text
    return " ".join("".join(p[0] for p in line.pieces if id(p) not in aside).split())


def _stamp_beside(text: str) -> str | None:
    """The age or date of a line or element beside an item's title that shows one after a
    source or a note, however long (``"Nieuwsblad van het Noorden · 3 hours ago"``), or
    before a source (:func:`source_stamp`)."""
    split = split_stamp(text)
    return split[1] if split is not None else source_stamp(text)


def _lead_title(line: _Line) -> str:
    """The headline a line starts with in an element of its own, when the rest of the line is
    its teaser: ``<a><strong>Ferry fares rise</strong> The operator blames fuel.</a>`` ->
    "Ferry fares rise"; "" for any other line (most lines are a headline or a teaser)."""
    if not line.pieces or not is_teaser(line.text) or len(line.text) > _LEAD_LINE:
        return ""
    # The first piece shown: white space that indents the source before it is not.
    chain = next((c for p, c in line.pieces if not p.isspace()), line.pieces[0][1])
    if not chain or chain[-1].tag not in _LEAD_TAGS:
        return ""
    lead = chain[-1]
    inside = " ".join("".join(p for p, c in line.pieces if lead in c).split())
    rest = " ".join("".join(p for p, c in line.pieces if lead not in c).split())
    if word_count(inside) < 3 or not is_headline(inside) or not is_teaser(rest):
        return ""
    return inside


_LEAD_TAGS = frozenset(("strong", "b", "em", "span"))
_LEAD_LINE = 400  # characters: a title and its teaser, not a paragraph of article text
_SENTENCE_ENDS = frozenset('.!?"\u201d\u2019\u3002')  # the last mark of a line of prose


def _title_text(line: _Line, labels: Counter[str] | None = None) -> str:
    """A title line without the labels beside it: "Video" before a headline, a brand after it.

    Looks for one inline element that holds most of the line, the rest being four words at
    most (a source) or a label the item shows twice (``labels``), and keeps only its text;
    again inside that element. An age or a date, alone or with its source, a count of
    comments and an advertiser's marker are set aside (:func:`_aside`): they neither count
    as what the title must hold most of nor as a label ("Business <a>...</a> - 3 hours ago",
    "<a>...</a><span><span>Omroep West</span><span>12 hours ago</span></span>",
    "<a>...</a><span>Coin Vault Sponsored</span>")."""
    labels = labels or Counter()
    aside = _aside(line)

    def length(pieces: list[tuple[str, tuple[_El, ...]]]) -> int:
        # As shown: the spaces and line breaks that indent the source count as one space.
        return len(" ".join("".join(p[0] for p in pieces if id(p) not in aside).split()))

    pieces = line.pieces
    depth = 0
    while True:
        groups: dict[int, list[tuple[str, tuple[_El, ...]]]] = {}
        for piece in pieces:
            if len(piece[1]) > depth:
                groups.setdefault(id(piece[1][depth]), []).append(piece)
        # The one element in a link, when the others are not: the title, even when a source
        # beside it is longer ("<a>Ajax wint de derby</a><span>Nieuwsblad van het Noorden").
        linked = [g for g in groups.values() if any(el.tag == "a" for el in g[0][1][: depth + 1])]
        by_link = len(linked) == 1 < len(groups)
        best = linked[0] if by_link else max(groups.values(), key=length, default=[])
        inside = " ".join("".join(p for p, _ in best).split())
        chosen = {id(piece) for piece in best}
        others = [pc for pc in pieces if id(pc) not in chosen and id(pc) not in aside]
        rest = " ".join("".join(p for p, _ in others).split())
        # Words beside the element, in the text of the one that holds both, are the title
        # going on ("<a><span>Munt stijgt 480%:</span> 'Instappen kan nog'</a>"), unless the
        # element is the line's one link: a source beside a title has an element of its own.
        loose = not by_link and any(len(c) == depth and p.strip() for p, c in others)
        if (
            not best
            or loose
            or (len(inside) < 0.6 * length(pieces) and not by_link)
            or (by_link and word_count(inside) < word_count(rest))
            or (_words_shown(rest) > 4 and labels[rest] < 2)
            or word_count(inside) < 2
        ):
            break
        pieces = best
        depth += 1
    return _without_kicker(pieces, depth)


def _is_kicker(text: str) -> bool:
    """A kicker as Spanish and Latin American papers write one before a title, ending in a full
    stop: one to three words of letters, capitalised ("Boletas.", "En Neuquén."); not an
    abbreviation ("U.S.", "St."): the word before the stop has three letters or more."""
    words = text.split()
    if not 1 <= len(words) <= 3 or not text.endswith(".") or not text[:1].isupper():
        return False
    *before, last = words
    return last[:-1].isalpha() and len(last) > 3 and all(word.isalpha() for word in before)


def _without_kicker(pieces: list[tuple[str, tuple[_El, ...]]], depth: int) -> str:
    """A title's text without a kicker in an element of its own before it in the same link:
    ``<a><span>Boletas. </span>Cuánto subirá la luz</a>`` -> ``"Cuánto subirá la luz"``."""
    text = " ".join("".join(p for p, _ in pieces).split())
    shown = [(p, c) for p, c in pieces if p.strip()]
    if len(shown) < 2 or len(shown[0][1]) <= depth:
        return text
    kicker = shown[0][1][depth]
    inside = " ".join("".join(p for p, c in shown if kicker in c).split())
    rest = " ".join("".join(p for p, c in pieces if kicker not in c).split())
    if _is_kicker(inside) and is_headline(rest):
        return rest
    return text


def _strip_badges(lines: list[_Line], items: list[Item]) -> None:
    """Items without a badge that two or more of them show in an element of its own at the
    end of their titles' text ("Que deviennent les GM&S ? <span class="label">Abonnés</span>",
    "... <span>Accès libre</span>"): three words at most, the same words each time, and a
    headline left before it. A source in an element beside the title is already set aside
    (:func:`_title_text`); this is a label inside the title's own element."""
    tails = [_own_tail(line) for line in lines]
    shown = Counter(tail for tail in tails if tail)
    for item, tail in zip(items, tails, strict=True):
        if not tail or shown[tail] < 2 or not item.text.endswith(tail):
            continue
        head = item.text[: -len(tail)].rstrip()
        if is_headline(head, weak=True) and word_count(head) >= 2:
            item.text = head


def _own_tail(line: _Line) -> str:
    """The text of the last element of a line when it stands in an element of its own after
    the rest of the line's text, of three words at most ("Abonnés"); "" for any other line."""
    pieces = [(text, chain) for text, chain in line.pieces if text.strip()]
    if len(pieces) < 2:
        return ""
    last = pieces[-1][1][-1] if pieces[-1][1] else None
    if last is None or any(last in chain for _, chain in pieces[:-1]):
        return ""
    tail = " ".join(pieces[-1][0].split())
    return tail if 0 < _words_shown(tail) <= 3 else ""


def _words_shown(text: str) -> int:
    """The words of a text, not counting the bars and dots that part them ("AP | 0:56")."""
    return sum(1 for word in text.split() if not all(c in _SEPARATORS for c in word))


_SEPARATORS = SEPARATORS | {"/"}  # and a slash: "Video / 0:56"


def html_blocks(html: str, *, url: str = "") -> list[Block]:
    """The candidate lists of an HTML page, in page order."""
    return _Reader(_Page(html, url)).blocks()


def parse_html(
    html: str, source: str, *, url: str = "", choice: ListChoice | None = None
) -> list[Headline]:
    """The headlines of a page's related-news list (see the module docstring)."""
    blocks = html_blocks(html, url=url)
    chosen = choose(blocks, choice or ListChoice(), source, "an HTML page")
    return to_headlines(chosen, source)


def looks_like_html(text: str) -> bool:
    """True for content that starts as an HTML page: a doctype, ``<html>``, ``<head>`` or
    ``<body>`` before any other text (comments and a BOM aside)."""
    start = text.lstrip("\ufeff \t\r\n")
    while start.startswith("<!--"):
        end = start.find("-->")
        if end < 0:
            return False
        start = start[end + 3 :].lstrip()
    head = start[:15].lower()
    return head.startswith(("<!doctype html", "<html", "<head", "<body", "<meta", "<title"))


def html_charset(head: bytes) -> str | None:
    """The encoding an HTML page declares in its first bytes (``<meta charset="...">`` or
    ``content="text/html; charset=..."``), None when it declares none."""
    text = head[:4096].decode("ascii", errors="ignore").lower()
    at = text.find("charset=")
    if at < 0:
        return None
    value = text[at + len("charset=") :].lstrip("\"' ")
    name = ""
    for char in value:
        if not (char.isalnum() or char in "-_:."):
            break
        name += char
    return name or None


def _check_html(html: str, source: str) -> None:
    if not html.strip():
        raise InputError(f"{source}: is empty; pass a saved page")
