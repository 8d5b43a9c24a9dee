"""Pages saved as one file with all they show -> the page's own HTML, its encoding and address.

Covers: telling such an archive by its first bytes, and taking the page out of it:
- MHTML (RFC 2557): what Chrome and Edge save as "Webpage, Single File" (``.mhtml``), and
  Internet Explorer, Word and Opera as ``.mht``: a MIME message whose first part (or the part
  its ``start`` parameter names) is the page, followed by its frames, style sheets and images;
- Safari's web archive (``.webarchive``): a binary property list whose ``WebMainResource``
  holds the page.
The page's frames, style sheets and images are left where they are. Does not cover: reading
the page (html.py) or telling the other formats (feeds/__init__.py).

``unpack(b"From: <Saved by Blink>\\r\\nContent-Type: multipart/related; ...", "mhtml", "a.mhtml")``
-> ``SavedPage(html=b"<!DOCTYPE html>...", encoding="utf-8", url="https://example.com/news")``
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:
    from email.message import Message

# An archive's header is read this far, at most, for its type.
_HEADER_BYTES = 16384
# Multiparts looked into for the page, at most, when the root is itself one.
_NESTING = 4
_PAGE_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class SavedPage:
    """The page inside an archive: its HTML as saved, the encoding the archive names for it
    (None where it names none) and the address it was saved from ("" where none is given)."""

    html: bytes
    encoding: str | None
    url: str


def archive_kind(head: bytes) -> str | None:
    """``"mhtml"`` or ``"webarchive"`` for the first bytes of such an archive, else None.

    ``archive_kind(b"bplist00...") -> "webarchive"``,
    ``archive_kind(b"MIME-Version: 1.0\\r\\nContent-Type: multipart/related; ...") -> "mhtml"``
    """
    if head.startswith(b"bplist00"):
        return "webarchive"
    if _mime_type(head) == "multipart/related":
        return "mhtml"
    return None


def _mime_type(head: bytes) -> str | None:
    """The Content-Type a MIME message's header gives (lower case, no parameters), or None
    where ``head`` starts with no such header: a line that is no ``Name: value`` (nor the
    continuation of one) comes before it, or a blank line ends the header first."""
    lines = head.lstrip(b"\r\n")[:_HEADER_BYTES].split(b"\n")[:-1]  # the last may be cut
    fields: list[tuple[bytes, bytes]] = []
    for line in lines:
        line = line.rstrip(b"\r")
        if not line:
            break
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] = (fields[-1][0], fields[-1][1] + line)  # a folded line
            continue
        name, colon, value = line.partition(b":")
        if not colon or not name or not all(33 <= c <= 126 for c in name):
            return None
        fields.append((name.lower(), value))
    types = [value for name, value in fields if name == b"content-type"]
    if not types:
        return None
    return types[0].partition(b";")[0].strip().decode("ascii", "replace").lower()


def unpack(data: bytes, kind: str, source: str) -> SavedPage:
    """The page inside the archive ``data`` of ``kind`` (see :func:`archive_kind`); an
    :class:`InputError` naming ``source`` when it holds none."""
    if kind == "webarchive":
        return _webarchive_page(data, source)
    return _mhtml_page(data, source)


def _mhtml_page(data: bytes, source: str) -> SavedPage:
    import binascii  # here, not above: a plain predict has no use for them
    import quopri

    # The parts are cut apart here, and only the page's is decoded: the email package would
    # parse every part, images and all, and nests a call for each multipart inside another.
    head, body = _split_header(data.lstrip(b"\r\n"))  # as archive_kind reads it
    header = _parse_header(head)
    start = header.get_param("start")
    wanted = start.strip().strip("<>") if isinstance(start, str) else ""
    found = _page_part(_parts(body, header.get_boundary()), wanted, _NESTING)
    if found is None:
        raise InputError(
            f"{source}: an MHTML archive with no HTML page in it (cut short, or not a saved web "
            "page); save the page again"
        )
    page, content = found
    encoding = str(page.get("Content-Transfer-Encoding", "")).strip().lower()
    try:
        if encoding == "quoted-printable":
            content = quopri.decodestring(content)
        elif encoding == "base64":
            content = binascii.a2b_base64(content)
    except (binascii.Error, ValueError):
        raise InputError(
            f"{source}: the page in this MHTML archive is damaged (its {encoding} cannot be "
            "decoded); save the page again"
        ) from None
    url = page.get("Content-Location") or header.get("Snapshot-Content-Location") or ""
    return SavedPage(content, page.get_content_charset(), str(url).strip())


def _page_part(
    parts: Iterator[tuple[bytes, bytes]], wanted: str, depth: int
) -> tuple[Message, bytes] | None:
    """The part that is the page: the HTML part whose Content-ID is ``wanted``, else the
    first HTML part (RFC 2557 has the first part be the page, and browsers save it so),
    looking into multiparts (a page with its alternatives) down to ``depth`` levels."""
    first = None
    for head, content in parts:
        kind = _mime_type(head) or ""
        if kind not in _PAGE_TYPES and not kind.startswith("multipart/"):
            continue  # an image, a style sheet: told without the email package's parsing
        header = _parse_header(head)
        part: tuple[Message, bytes] | None = (header, content)
        if kind.startswith("multipart/"):
            inner = _parts(content, header.get_boundary())
            part = _page_part(inner, "", depth - 1) if depth > 0 else None
        if part is not None and (not wanted or _content_id(header) == wanted):
            return part
        first = first or part
    return first


def _split_header(data: bytes) -> tuple[bytes, bytes]:
    """A MIME entity's header and its content: ``b"A: 1\\n\\nbody" -> (b"A: 1\\n", b"body")``."""
    ends = [at for at in (data.find(b"\r\n\r\n"), data.find(b"\n\n")) if at >= 0]
    if not ends:
        return data, b""
    end = min(ends)
    blank = b"\r\n\r\n" if data.startswith(b"\r\n\r\n", end) else b"\n\n"
    return data[:end] + b"\n", data[end + len(blank) :]


def _parse_header(head: bytes) -> Message:
    from email.parser import BytesHeaderParser
    from email.policy import compat32

    return BytesHeaderParser(policy=compat32).parsebytes(head)


def _parts(body: bytes, boundary: str | None) -> Iterator[tuple[bytes, bytes]]:
    """The parts of a multipart entity's content, in order, each as its header and content
    (see :func:`_split_header`); none where the boundary is missing or never comes."""
    if not boundary:
        return
    delimiter = b"--" + boundary.encode("ascii", "replace")
    at = _delimiter_at(body, delimiter, 0)
    while at >= 0:
        after = at + len(delimiter)
        if body.startswith(b"--", after):
            return  # the closing delimiter
        line_end = body.find(b"\n", after)
        if line_end < 0:
            return
        following = _delimiter_at(body, delimiter, line_end)
        end = len(body) if following < 0 else following
        # The line break before a delimiter belongs to the delimiter (RFC 2046, 5.1.1).
        content = body[line_end + 1 : end]
        content = content[:-2] if content.endswith(b"\r\n") else content.removesuffix(b"\n")
        yield _split_header(content)
        at = following


def _delimiter_at(body: bytes, delimiter: bytes, start: int) -> int:
    """Where the next line that is ``delimiter`` (followed by white space, a line break, the
    closing "--" or the end) starts, from ``start`` on; -1 where none does."""
    at = start
    while True:
        if at == 0 and body.startswith(delimiter):
            found = 0
        else:
            found = body.find(b"\n" + delimiter, at) + 1
            if not found:
                return -1
        follows = body[found + len(delimiter) : found + len(delimiter) + 2]
        if follows[:1] in (b"", b"\r", b"\n", b" ", b"\t") or follows == b"--":
            return found
        at = found + len(delimiter)


def _content_id(part: Message) -> str:
    return str(part.get("Content-ID", "")).strip().strip("<>")


def _webarchive_page(data: bytes, source: str) -> SavedPage:
    import plistlib

    try:
        archive = plistlib.loads(data, fmt=plistlib.FMT_BINARY)
    except (plistlib.InvalidFileException, ValueError, TypeError, KeyError, IndexError,
            OverflowError, RecursionError, MemoryError):  # fmt: skip
        raise InputError(
            f"{source}: a binary property list that cannot be read (cut short or damaged); "
            "save the page again"
        ) from None
    main = archive.get("WebMainResource") if isinstance(archive, dict) else None
    if not isinstance(main, dict) or not isinstance(main.get("WebResourceData"), bytes):
        raise InputError(
            f"{source}: a binary property list, not a Safari web archive (no WebMainResource); "
            "pass a page saved from a browser"
        )
    kind = str(main.get("WebResourceMIMEType") or "text/html").lower()
    if kind not in _PAGE_TYPES:
        raise InputError(
            f"{source}: a Safari web archive of {kind}, not of a page; "
            "pass a page saved from a browser"
        )
    encoding = main.get("WebResourceTextEncodingName")
    url = main.get("WebResourceURL")
    return SavedPage(
        main["WebResourceData"],
        encoding if isinstance(encoding, str) and encoding else None,
        url.strip() if isinstance(url, str) else "",
    )
