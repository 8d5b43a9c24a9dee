"""Pages and feeds named by an http(s) URL -> their bytes, read like a file.

Covers: fetching one URL with urllib3 (a kept client: connection pooling, TLS with the
system's certificates, redirects, gzip and deflate), with a timeout, a size cap and one clear
error per failure. Does not cover: what the bytes are (the other modules of this package).

``fetch("https://example.org/news.html")`` -> ``Fetched(body=b"<!DOCTYPE html>...",
url="https://example.org/news.html")``
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._version import __version__
from ..errors import InputError

# urllib3 is imported by a URL's fetch: it brings TLS with it, which reading a file never needs
# and which would cost every command's start.
if TYPE_CHECKING:
    import urllib3

TIMEOUT_SECONDS = 20.0
MAX_BYTES = 20 * 1024 * 1024  # a saved page is a few MB; more is not a page
MAX_REDIRECTS = 5
_CHUNK = 1 << 16
_AGENT = f"headlines/{__version__} (+news headline labeller)"


@dataclass(frozen=True, slots=True)
class Fetched:
    """What a URL gave: its bytes and the URL they came from after redirects."""

    body: bytes
    url: str


def is_url(name: str) -> bool:
    """``"https://example.org/a"`` -> True; a file name or ``-`` -> False."""
    return name.lower().startswith(("http://", "https://"))


def fetch(url: str, *, timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_BYTES) -> Fetched:
    """The body of ``url``, decompressed; an InputError that names the URL and what went wrong
    when it cannot be had (no answer, a refused connection, an HTTP error, too many
    redirects, a body over ``max_bytes``)."""
    import urllib3

    pool = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=timeout, read=timeout),
        retries=urllib3.Retry(total=MAX_REDIRECTS, connect=0, read=0, redirect=MAX_REDIRECTS),
        headers={"User-Agent": _AGENT, "Accept-Encoding": "gzip, deflate"},
    )
    try:
        return _get(pool, url, max_bytes)
    finally:
        pool.clear()  # close the connection: one URL, one request


def _get(pool: urllib3.PoolManager, url: str, max_bytes: int) -> Fetched:
    import urllib3

    try:
        response = pool.request("GET", url, preload_content=False, redirect=True)
    except urllib3.exceptions.MaxRetryError as exc:
        raise InputError(f"{url}: {_why(exc.reason)}") from None
    except urllib3.exceptions.HTTPError as exc:
        raise InputError(f"{url}: {_why(exc)}") from None
    try:
        if response.status >= 400:
            raise InputError(
                f"{url}: the server answered {response.status} {response.reason or ''}".rstrip()
                + "; check the address"
            )
        declared = response.headers.get("Content-Length", "")
        if declared.isdecimal() and int(declared) > max_bytes:
            raise InputError(_too_big(url, max_bytes))
        body = bytearray()
        try:
            for chunk in response.stream(_CHUNK, decode_content=True):
                body.extend(chunk)
                if len(body) > max_bytes:
                    raise InputError(_too_big(url, max_bytes))
        except urllib3.exceptions.HTTPError as exc:
            raise InputError(f"{url}: {_why(exc)}") from None
        final = response.geturl() or url
        return Fetched(bytes(body), final)
    finally:
        response.release_conn()
        response.close()


def _too_big(url: str, max_bytes: int) -> str:
    return (
        f"{url}: more than {max_bytes // (1024 * 1024)} MB, too big for a page or feed; "
        "save it and pass the file"
    )


def _why(exc: BaseException | None) -> str:
    """A failure in a few words: ``"no answer in time; ..."``, ``"could not connect ..."``."""
    import urllib3

    errors = urllib3.exceptions
    # A refused connection is a kind of connect timeout to urllib3: ask for it first.
    if isinstance(exc, errors.NewConnectionError | errors.NameResolutionError):
        return "could not connect (no such host, or the connection was refused)"
    if isinstance(exc, errors.TimeoutError):
        return "no answer in time; check the address or try again later"
    if isinstance(exc, errors.SSLError):
        return "the secure connection failed (certificate or TLS); check the address"
    if isinstance(exc, errors.ResponseError):
        return f"too many redirects (more than {MAX_REDIRECTS})"
    if isinstance(exc, errors.DecodeError):
        return "the compressed body could not be read"
    return f"could not be read ({type(exc).__name__})"
