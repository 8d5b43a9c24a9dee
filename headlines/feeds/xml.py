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

import logging
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any, TextIO

from ..errors import InputError
from ..files import numbers_shown
from ..records import Headline

# A root element's name, and the white space between the parts before it. Each pattern has
# one quantifier and nothing after it, so it cannot backtrack (tests/test_regex_audit.py).
_NAME_RE = re.compile(r"[A-Za-z_][\w.:-]*")
_SPACE_RE = re.compile(r"\s*")
# An HTML title's tags: a tag cannot hold "<", so each "<" starts one scan at most.
_TAG_RE = re.compile(r"<[^<>]*>")
# A named character reference; HTML's longest name has 31 characters (CounterClockwise...).
_ENTITY_RE = re.compile(r"&([A-Za-z][A-Za-z0-9]{0,31});")
# HTML's tags of text markup, which feeds put in titles and descriptions.
_TEXT_MARKUP = frozenset(
    (
        "a", "abbr", "b", "big", "br", "cite", "code", "del", "div", "em", "font", "i", "ins",
        "kbd", "mark", "p", "q", "s", "small", "span", "strike", "strong", "sub", "sup", "u",
    )
)  # fmt: skip
_LONGEST_NAME = 34  # "&", 32 characters of name, ";"
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
_UNDEFINED_ENTITY = 11  # expat's XML_ERROR_UNDEFINED_ENTITY

# Root element (local name) -> format, and each format's roots and record element.
_FORMATS = {"rss": "rss", "RDF": "rss", "feed": "atom"}

_ROOTS = {"rss": ("rss", "RDF"), "atom": ("feed",)}

RECORD = {"rss": "item", "atom": "entry"}

_NAMES = {"rss": "RSS", "atom": "Atom"}

# Where each format keeps an item's time, best first: Atom entries need only <updated>.
_PUBLISHED = {"rss": ("pubDate", "date"), "atom": ("published", "updated")}

_CHUNK = 1 << 16

log = logging.getLogger(__name__)


def sniff_xml(text: str, name: str) -> str | None:
    """``rss`` or ``atom`` for a feed's content, None when it is not XML at all.

    ``sniff_xml('<feed xmlns="http://www.w3.org/2005/Atom">', "a") -> "atom"``; XML or HTML
    with another root is an error that says so.
    """
    found = _root_element(text.lstrip("\ufeff"))
    if found is None:
        return None
    root, declared = found
    local_name = root.rpartition(":")[2]
    if local_name in _FORMATS:
        return _FORMATS[local_name]
    if declared:
        raise InputError(
            f"{name or '<text>'}: XML or HTML whose root is <{root}>, not an RSS "
            "(<rss>) or Atom (<feed>) feed; save pages as text, or pass --input-format list"
        )
    return None


def _root_element(text: str) -> tuple[str, bool] | None:
    """The name of the first element, after what may come before it in an XML document (white
    space, ``<?xml ...?>``, comments, a DOCTYPE with its internal subset), and whether an XML
    declaration or a DOCTYPE came first; None when the text does not start that way.

    ``_root_element('<?xml version="1.0"?>\\n<rss>') -> ("rss", True)``,
    ``_root_element("Storm hits coast") -> None``

    A scan from left to right that looks at each character a bounded number of times, so
    no input makes it slow (a regular expression for this backtracked exponentially).
    """
    at, declared = 0, False
    while True:
        at = _SPACE_RE.match(text, at).end()  # type: ignore[union-attr]  # \s* always matches
        # end: the index of the ">" that closes the part, or -1 when nothing does
        if text.startswith("<?", at):
            end = _after(text.find("?>", at + 2), 1)
            declared = declared or text[at + 2 : at + 5].lower() == "xml"
        elif text.startswith("<!--", at):
            end = _after(text.find("-->", at + 4), 2)
        elif text[at : at + 9].upper() == "<!DOCTYPE":
            end, declared = _doctype_end(text, at + 9), True
        elif text.startswith("<", at):
            name = _NAME_RE.match(text, at + 1)
            return None if name is None else (name.group(), declared)
        else:
            return None
        if end < 0:
            return None
        at = end + 1


def _after(found: int, length: int) -> int:
    return found + length if found >= 0 else -1


def _doctype_end(text: str, at: int) -> int:
    """The index of the ``>`` that ends a DOCTYPE whose name starts at ``at``, or -1.

    An internal subset (``[...]``) may hold ``>``, so it ends at the first ``]`` followed by
    white space and ``>``.
    """
    close, subset = text.find(">", at), text.find("[", at)
    if subset < 0 or 0 <= close < subset:
        return close
    end = text.find("]", subset)
    while end >= 0:
        after = _SPACE_RE.match(text, end + 1).end()  # type: ignore[union-attr]
        if text.startswith(">", after):
            return after
        end = text.find("]", end + 1)
    return -1


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
    # XML allows nothing before <?xml ...?>, but saved feeds often start with blank lines:
    # they are left out, and counted, so that errors name the lines of the file.
    chunk, lead_lines, lead_columns = _skip_blank(stream)
    entities = _HtmlEntities()
    while True:
        try:
            parser.feed(entities(chunk, last=not chunk))
            if not chunk:
                parser.close()
        except ParseError as exc:
            line, column = exc.position
            line, column = line + lead_lines, column + (lead_columns if line == 1 else 0)
            where = f"{source}: line {line}, column {column + 1}"
            if exc.code == _UNDEFINED_ENTITY and entities.unknown:
                raise InputError(
                    f"{where}: the entity &{entities.unknown}; is defined neither by XML nor "
                    "by HTML; write the character itself, or &amp; for an '&'"
                ) from None
            why = (
                "the file may be cut off: save or download the feed again"
                if not chunk
                else "the feed is damaged: save or download it again"
            )
            raise InputError(
                f"{where}: not well-formed XML ({ErrorString(exc.code)}); {why}"
            ) from None
        except DefusedXmlException as exc:
            line = parser.parser.CurrentLineNumber + lead_lines
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
            if target.untitled:
                count = len(target.untitled)
                noun = RECORD[fmt] + ("s" if count > 1 else "")
                shown = numbers_shown(target.untitled)
                log.warning(
                    "%s: skipped %d %s without a title (%s %s)", source, count, noun, noun, shown
                )
            return
        chunk = stream.read(_CHUNK)


class _HtmlEntities:
    """Rewrites HTML's named character references, which XML does not define and feeds use
    anyway (``Caf&eacute;``, ``&nbsp;``), as the numeric ones XML reads (``Caf&#233;``).

    Fed the text chunk by chunk, it holds back a reference a chunk cuts in two until the
    next. XML's own five (``&amp;`` ...) are left as they are; ``unknown`` is the first name
    neither defines, for the error expat gives on it.
    """

    def __init__(self) -> None:
        from html.entities import html5

        self.names = html5
        self.held = ""
        self.unknown: str | None = None

    def __call__(self, chunk: str, *, last: bool) -> str:
        text, self.held = self.held + chunk, ""
        cut = text.rfind("&")
        if not last and cut >= 0 and ";" not in text[cut:] and len(text) - cut <= _LONGEST_NAME:
            text, self.held = text[:cut], text[cut:]
        return _ENTITY_RE.sub(self._numeric, text)

    def _numeric(self, match: re.Match[str]) -> str:
        name = match.group(1)
        chars = None if name in _XML_ENTITIES else self.names.get(name + ";")
        if chars is None:
            if name not in _XML_ENTITIES and self.unknown is None:
                self.unknown = name
            return match.group()
        return "".join(f"&#{ord(char)};" for char in chars)


def _skip_blank(stream: TextIO) -> tuple[str, int, int]:
    """The first text of a stream that is not white space (empty at its end), and how many
    lines, and columns of its last line, the white space before it took."""
    lines = columns = 0
    while True:
        chunk = stream.read(_CHUNK)
        text = chunk.lstrip()
        lead = chunk[: len(chunk) - len(text)]
        if "\n" in lead:
            lines, columns = lines + lead.count("\n"), len(lead) - lead.rfind("\n") - 1
        else:
            columns += len(lead)
        if text or not chunk:
            return text, lines, columns


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
        self.items = 0  # items read so far
        self.untitled: list[int] = []  # the numbers of the items without a title

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

        self.items += 1
        title = item.get("title", "")
        if self._title_type == "html":  # Atom: the title is escaped markup
            title = html.unescape(_TAG_RE.sub("", title))
        elif self._fmt == "rss":
            # RSS feeds often escape their titles twice (&amp;amp;), and some put markup in
            # them (<![CDATA[... <b>millions</b> ...]]>), which readers show as text.
            title = _TAG_RE.sub(_markup, html.unescape(title))
        title = " ".join(title.split())
        if not title:  # RSS allows an item with a description and no title: no headline
            self.untitled.append(self.items)
            return
        extra: dict[str, Any] = {"link": item.get("link", "").strip()}
        published = next((item[k] for k in _PUBLISHED[self._fmt] if item.get(k)), "")
        extra["published"] = iso_time(published)
        publisher = " ".join(item.get("source", "").split()) if self._fmt == "rss" else ""
        if publisher:
            # A news aggregator names the item's publisher in <source> and puts it after the
            # title too ("Storm op komst - NOS"): the title without it is the headline, and
            # the publisher a column of its own.
            extra["publisher"] = publisher
            for separator in (" - ", " \u2013 ", " \u2014 ", " | "):
                if title.endswith(separator + publisher) and len(title) > len(
                    separator + publisher
                ):
                    title = title[: -len(separator + publisher)].rstrip()
                    break
        self._done.append((title, extra))


def _markup(tag: re.Match[str]) -> str:
    """Nothing for a tag of HTML's text markup (``<b>``, ``</em>``, ``<br/>``, ``<a href=..>``);
    anything else stays, for a title may say ``Inflation < 2% and > 1%`` or ``The <dialog>
    element``."""
    text = tag.group()
    name = text[1:-1].lstrip("/").split(maxsplit=1)[0].rstrip("/").lower() if len(text) > 2 else ""
    if name not in _TEXT_MARKUP:
        return text
    return " " if name in ("br", "p", "div") else ""  # a line break parts two words


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
