"""RSS and Atom feeds -> one headline per item, with its link and published time.

Covers: telling RSS from Atom by the root element, and streaming the items of either. Does
not cover: other formats (the other modules of this package).

    <item><title>PSV wint</title><link>https://example.org/1</link>
      <pubDate>Tue, 03 Jun 2025 09:30:00 +0200</pubDate></item>
    -> Headline("PSV wint", extra={"link": "https://example.org/1",
                                   "published": "2025-06-03T09:30:00+02:00"})

XML is parsed with defusedxml: a feed that declares entities (the "billion laughs" bomb) or
refers to external ones is refused, never expanded or fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any, TextIO

from ..errors import InputError
from ..records import Headline

# What comes before an XML document's root element: white space, <?xml ...?>, comments and a
# DOCTYPE (with its internal subset); the group is the root element's name.
_ROOT_RE = re.compile(
    r"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)*<([A-Za-z_][\w.:-]*)",
    re.DOTALL,
)

# Root element (local name) -> format, and each format's roots and record element.
_FORMATS = {"rss": "rss", "RDF": "rss", "feed": "atom"}

_ROOTS = {"rss": ("rss", "RDF"), "atom": ("feed",)}

RECORD = {"rss": "item", "atom": "entry"}

_NAMES = {"rss": "RSS", "atom": "Atom"}

# Where each format keeps an item's time, best first: Atom entries need only <updated>.
_PUBLISHED = {"rss": ("pubDate", "date"), "atom": ("published", "updated")}

_CHUNK = 1 << 16


def sniff_xml(text: str, name: str) -> str | None:
    """``rss`` or ``atom`` for a feed's content, None when it is not XML at all.

    ``sniff_xml('<feed xmlns="http://www.w3.org/2005/Atom">', "a") -> "atom"``; XML or HTML
    with another root is an error that says so.
    """
    root = _ROOT_RE.match(text.lstrip("\ufeff"))
    if root is None:
        return None
    local_name = root.group(1).rpartition(":")[2]
    if local_name in _FORMATS:
        return _FORMATS[local_name]
    if re.search(r"<\?xml|<!DOCTYPE", root.group(0), re.IGNORECASE):
        raise InputError(
            f"{name or '<text>'}: XML or HTML whose root is <{root.group(1)}>, not an RSS "
            "(<rss>) or Atom (<feed>) feed; save pages as text, or pass --input-format list"
        )
    return None


def parse_xml(stream: TextIO, fmt: str, source: str) -> Iterator[Headline]:
    """Stream the items of an RSS or Atom feed; the parser is fed in chunks as they are read."""
    # The XML parser is imported when a feed needs it: reading a list or a page never does.
    from xml.etree.ElementTree import ParseError
    from xml.parsers.expat import ErrorString

    from defusedxml import DefusedXmlException, EntitiesForbidden
    from defusedxml.ElementTree import DefusedXMLParser

    target = _FeedTarget(fmt, source)
    parser = DefusedXMLParser(target=target)
    position = 0
    while True:
        chunk = stream.read(_CHUNK)
        try:
            if chunk:
                parser.feed(chunk)
            else:
                parser.close()
        except ParseError as exc:
            line, column = exc.position
            raise InputError(
                f"{source}: line {line}, column {column + 1}: not well-formed XML "
                f"({ErrorString(exc.code)}); the file may be cut off or damaged: save or "
                "download the feed again"
            ) from None
        except DefusedXmlException as exc:
            line = parser.parser.CurrentLineNumber
            what = (
                f"declares the XML entity '{exc.name}'"
                if isinstance(exc, EntitiesForbidden)
                else f"uses unsafe XML ({type(exc).__name__})"
            )
            raise InputError(
                f"{source}: line {line}: the feed {what}; entities are refused because they "
                "can expand without bound or read other files (remove the <!DOCTYPE> block)"
            ) from None
        for title, extra in target.take():
            position += 1
            yield Headline(title, source, position, extra=extra)
        if not chunk:
            return


class _FeedTarget:
    """Receives the XML parser's events and collects one (title, extra) per item or entry.

    Only direct children of an item count, so a nested ``<media:title>`` or an Atom entry's
    ``<source><title>`` is not taken for the headline. Elements match by local name, so
    namespaced and RSS 1.0 feeds read the same.
    """

    def __init__(self, fmt: str, source: str) -> None:
        self._fmt = fmt
        self._source = source
        self._record = RECORD[fmt]
        self._depth = 0
        self._item_depth = 0  # depth of the open item, 0 when outside one
        self._item: dict[str, str] = {}
        self._field: str | None = None
        self._title_type = "text"
        self._text: list[str] = []
        self._done: list[tuple[str, dict[str, Any]]] = []

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self._depth += 1
        name = tag.rpartition("}")[2]
        if self._depth == 1 and name not in _ROOTS[self._fmt]:
            self._wrong_root(name)
        if name == self._record and not self._item_depth:
            self._item_depth, self._item, self._title_type = self._depth, {}, "text"
        elif self._item_depth and self._depth == self._item_depth + 1:
            if name == "link" and "href" in attrib:  # Atom: the first alternate link
                if attrib.get("rel", "alternate") == "alternate":
                    self._item.setdefault("link", attrib["href"].strip())
            else:
                self._field, self._text = name, []
                if name == "title":
                    self._title_type = attrib.get("type", "text")

    def data(self, text: str) -> None:
        if self._field is not None:
            self._text.append(text)

    def end(self, tag: str) -> None:
        if self._field is not None and self._depth == self._item_depth + 1:
            self._item.setdefault(self._field, "".join(self._text))
            self._field = None
        elif self._depth == self._item_depth:
            self._item_depth = 0
            self._finish(self._item)
        self._depth -= 1

    def close(self) -> None:
        return None

    def take(self) -> list[tuple[str, dict[str, Any]]]:
        done, self._done = self._done, []
        return done

    def _wrong_root(self, name: str) -> None:
        found = _FORMATS.get(name)
        if found is not None:
            raise InputError(
                f"{self._source}: an {_NAMES[found]} feed (root <{name}>), not "
                f"{_NAMES[self._fmt]}; pass --input-format {found}"
            )
        raise InputError(
            f"{self._source}: the root element <{name}> is not that of an "
            f"{_NAMES[self._fmt]} feed; pass --input-format auto to detect the format"
        )

    def _finish(self, item: dict[str, str]) -> None:
        import html

        title = item.get("title", "")
        if self._title_type == "html":  # Atom: the title is escaped markup
            title = html.unescape(re.sub(r"<[^>]*>", "", title))
        elif self._fmt == "rss":  # RSS feeds often escape their titles twice (&amp;amp;)
            title = html.unescape(title)
        title = " ".join(title.split())
        if not title:
            return
        extra: dict[str, Any] = {"link": item.get("link", "").strip()}
        published = next((item[k] for k in _PUBLISHED[self._fmt] if item.get(k)), "")
        extra["published"] = iso_time(published)
        self._done.append((title, extra))


def iso_time(value: str) -> str:
    """An RSS (RFC 822) or Atom (RFC 3339) time as ISO 8601; other text is returned unchanged.

    ``"Tue, 03 Jun 2025 09:30:00 +0200" -> "2025-06-03T09:30:00+02:00"``,
    ``"2025-06-03T07:30:00Z" -> "2025-06-03T07:30:00+00:00"``, ``"gisteren" -> "gisteren"``
    """
    from email.utils import parsedate_to_datetime

    value = value.strip()
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(value).isoformat()
    except ValueError:
        return value
