"""URLs as input: pages and feeds served from a local server on 127.0.0.1 (never the
internet), with redirects, gzip, a timeout, a size cap and one clear error per failure."""

from __future__ import annotations

import contextlib
import gzip
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import QuietFiles, serve_folder

from headlines.errors import InputError
from headlines.feeds import read_feed
from headlines.feeds.web import fetch

SAMPLES = Path(__file__).parent / "samples"
PAGE = SAMPLES / "html" / "related-list-with-times.html"


def _real_pages() -> Path | None:
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "real-pages" / "pages").is_dir():
            return parent / "shared" / "real-pages"
    return None


class _Handler(QuietFiles):
    """Files of the folder served, plus a few paths that misbehave on purpose."""

    def do_GET(self) -> None:
        if self.path == "/gzipped.html":
            body = gzip.compress(PAGE.read_bytes())
            self._send(200, body, {"Content-Encoding": "gzip"})
        elif self.path == "/moved":
            self._send(302, b"", {"Location": "/html/related-list-with-times.html"})
        elif self.path == "/loop":
            self._send(302, b"", {"Location": "/loop"})
        elif self.path == "/slow":
            time.sleep(2)
            self._send(200, b"too late", {})
        elif self.path == "/big":
            self._send(200, b"x" * 5000, {})
        else:
            super().do_GET()

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        # /slow answers after the client has given up: its closed socket is the point.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.send_response(status)
            for key, value in {"Content-Length": str(len(body)), **headers}.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)


def _serve(folder: Path) -> Iterator[str]:
    with serve_folder(folder, _Handler) as url:
        yield url


@pytest.fixture(scope="module")
def samples_url() -> Iterator[str]:
    yield from _serve(SAMPLES)


def test_a_page_by_url_reads_as_the_file_does_with_links_against_the_url(
    samples_url: str,
) -> None:
    url = f"{samples_url}/html/related-list-with-times.html"
    by_url = list(read_feed(url))
    by_file = list(read_feed(str(PAGE)))
    assert [(h.text, h.age_minutes, h.extra["block"]) for h in by_url] == [
        (h.text, h.age_minutes, h.extra["block"]) for h in by_file
    ]
    assert {h.source for h in by_url} == {url}
    # The page's <base> wins over the URL it came from, as in a browser.
    assert by_url[0].extra["link"] == "https://riverside.example/news/ferry-fares"


def test_redirects_and_gzip_are_followed(samples_url: str) -> None:
    expected = [h.text for h in read_feed(str(PAGE))]
    assert [h.text for h in read_feed(f"{samples_url}/moved")] == expected
    assert [h.text for h in read_feed(f"{samples_url}/gzipped.html")] == expected


def test_a_feed_by_url_with_a_query_is_read(samples_url: str) -> None:
    url = f"{samples_url}/feeds/science-desk.atom?lang=nl"
    assert [h.text for h in read_feed(url)] == [
        h.text for h in read_feed(str(SAMPLES / "feeds" / "science-desk.atom"))
    ]


@pytest.mark.parametrize(
    ("path", "options", "error"),
    [
        ("/missing.html", {}, "the server answered 404 File not found; check the address"),
        ("/loop", {}, "too many redirects (more than 5)"),
        ("/slow", {"timeout": 0.5}, "no answer in time; check the address or try again later"),
        ("/big", {"max_bytes": 1000}, "more than 0 MB, too big for a page or feed; save it and "
         "pass the file"),
    ],
)  # fmt: skip
def test_each_failure_is_one_clear_error(
    samples_url: str, path: str, options: dict[str, float], error: str
) -> None:
    with pytest.raises(InputError) as err:
        fetch(samples_url + path, **options)  # type: ignore[arg-type]
    assert str(err.value) == f"{samples_url}{path}: {error}"


def test_a_refused_connection_says_so() -> None:
    with _serve_closed() as url, pytest.raises(InputError) as err:
        fetch(url)
    assert str(err.value) == (
        f"{url}: could not connect (no such host, or the connection was refused)"
    )


class _serve_closed:
    """A port on 127.0.0.1 that nothing listens on."""

    def __enter__(self) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        port = server.server_address[1]
        server.server_close()
        return f"http://127.0.0.1:{port}/page.html"

    def __exit__(self, *exc: object) -> None:
        pass


REAL = _real_pages()


@pytest.mark.skipif(REAL is None, reason="../shared/real-pages lies beside a checkout")
def test_real_pages_read_the_same_by_url() -> None:
    assert REAL is not None
    for url in _serve(REAL):
        for page in sorted((REAL / "pages").glob("*.html")):
            by_url = [h.text for h in read_feed(f"{url}/pages/{page.name}")]
            assert by_url == [h.text for h in read_feed(str(page))], page.name


def test_parse_command_takes_a_url(samples_url: str) -> None:
    from typer.testing import CliRunner

    from headlines.cli import app

    url = f"{samples_url}/html/related-list-with-times.html"
    result = CliRunner().invoke(app, ["parse", url, "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith(f"{url},1,Ferry fares to rise by a fifth")
