"""A page's text as a person copies it from the browser, made from its HTML the way
../shared/real-pages/SOURCES.md says its copied texts were: visible text, one line per block
element, nothing from <head>, scripts, styles, templates, SVG, frames, selects and buttons, or
elements with ``hidden`` or an inline ``display:none``.

Inline elements run on in one line. ``spaced=False`` glues their texts together where the
HTML has no white space between them, as a browser's copy does (``2 hrs ago`` and ``Read
more`` in two spans give ``2 hrs agoRead more``); ``spaced=True`` puts a space between them.

``copied_text("<ul><li><a>Storm</a> <span>2h</span></li></ul>") -> "Storm 2h"``
"""

from __future__ import annotations

from html.parser import HTMLParser

# Written out here, apart from the reader's own lists (headlines/feeds/html.py), so that the
# copied text is made as SOURCES.md says, not as the reader would have it.
BLOCKS = frozenset(
    (
        "address", "article", "aside", "blockquote", "body", "br", "dd", "details", "dialog", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section",
        "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul",
    )
)  # fmt: skip
SKIPPED = frozenset(
    (
        "button", "head", "iframe", "noscript", "script", "select", "style", "svg", "template",
    )
)  # fmt: skip
VOID = frozenset(
    (
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    )
)  # fmt: skip


class _Copier(HTMLParser):
    def __init__(self, spaced: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.spaced = spaced
        self.lines = [""]
        self.open: list[tuple[str, bool]] = []  # tag, and whether it hides what it holds
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.spaced and self.lines[-1] and not self.hidden:
            self.lines[-1] += " "
        if tag in VOID:
            if tag in BLOCKS and not self.hidden:
                self.lines.append("")
            return
        named = dict(attrs)
        style = (named.get("style") or "").replace(" ", "")
        hides = tag in SKIPPED or "hidden" in named or "display:none" in style
        self.open.append((tag, hides))
        self.hidden += hides
        if tag in BLOCKS and not self.hidden:
            self.lines.append("")

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            name, hides = self.open.pop()
            self.hidden -= hides
            if name in BLOCKS and not self.hidden:
                self.lines.append("")
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.lines[-1] += data


def copied_text(html: str, *, spaced: bool = False) -> str:
    copier = _Copier(spaced)
    copier.feed(html)
    lines = (" ".join(line.split()) for line in copier.lines)
    return "\n".join(line for line in lines if line) + "\n"
