"""Pages saved as one file (MHTML, Safari's web archive) read as the page inside them.

Samples live in samples/archives/: ``NAME.mhtml`` or ``NAME.mht`` and ``NAME.expected``
(``age, headline, block, sponsored, link, published``, tab-separated, as samples/html/ has).
Every HTML sample, and the real pages of ../shared/real-pages where they lie beside the
checkout, is also packed here as each browser packs it and must read as it does unpacked.
"""

from __future__ import annotations

import base64
import plistlib
import quopri
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES, serve_folder, watchdog
from test_html import HTML, _expected
from typer.testing import CliRunner

from headlines.cli import app
from headlines.errors import InputError
from headlines.feeds import page_blocks, read_chunks, read_feed, read_feeds
from headlines.feeds.archives import archive_kind, unpack
from headlines.feeds.html import parse_html

ARCHIVES = sorted(p for p in (SAMPLES / "archives").iterdir() if p.suffix != ".expected")
REAL_PAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "real-pages" / "pages"
BOUNDARY = "----MultipartBoundary--q8Xv2Lw----"


def mhtml(
    html: bytes,
    *,
    transfer: str = "quoted-printable",
    charset: str | None = None,
    url: str | None = None,
    newline: bytes = b"\r\n",
    parts_before: list[tuple[str, bytes]] | None = None,
    start: str | None = None,
) -> bytes:
    """``html`` packed as Chrome packs a page (the page, then a style sheet and an image)."""
    encoded = (
        quopri.encodestring(html) if transfer == "quoted-printable" else base64.encodebytes(html)
    )
    page_type = f'text/html; charset="{charset}"' if charset else "text/html"
    located = [f"Content-Location: {url}"] if url else []
    header = ["From: <Saved by Blink>", *([f"Snapshot-Content-Location: {url}"] if url else [])]
    header += ["MIME-Version: 1.0", "Content-Type: multipart/related;", '\ttype="text/html";']
    header += [f'\tboundary="{BOUNDARY}"' + (f'; start="<{start}>"' if start else ""), "", ""]
    parts = [*(parts_before or [])]
    page = [f"Content-Type: {page_type}", "Content-ID: <page@mhtml.blink>"]
    parts.append(("\n".join([*page, f"Content-Transfer-Encoding: {transfer}", *located]), encoded))
    parts.append(("Content-Type: text/css\nContent-Transfer-Encoding: quoted-printable", b"p{}\n"))
    image = base64.encodebytes(bytes(range(256)))
    parts.append(("Content-Type: image/png\nContent-Transfer-Encoding: base64", image))
    lines = [line.encode() for line in header]
    for part_header, content in parts:
        lines += [f"--{BOUNDARY}".encode(), *(h.encode() for h in part_header.split("\n")), b""]
        lines += content.rstrip(b"\n").split(b"\n")
    lines.append(f"--{BOUNDARY}--".encode())
    return newline.join(lines) + newline


def webarchive(html: bytes, *, url: str | None = None, mime: str = "text/html") -> bytes:
    """``html`` packed as Safari packs a page."""
    main: dict[str, object] = {"WebResourceData": html, "WebResourceMIMEType": mime}
    main |= {"WebResourceTextEncodingName": "UTF-8", "WebResourceFrameName": ""}
    if url:
        main["WebResourceURL"] = url
    style = {"WebResourceData": b"p{}", "WebResourceMIMEType": "text/css"}
    archive = {"WebMainResource": main, "WebSubresources": [style]}
    return plistlib.dumps(archive, fmt=plistlib.FMT_BINARY)


def _rows(path: Path) -> list[tuple[object, ...]]:
    return [
        (h.age_minutes, h.text, h.extra["block"], h.extra["sponsored"], h.extra["link"],
         h.extra["published"])
        for h in read_feed(str(path))
    ]  # fmt: skip


@pytest.mark.parametrize("archive", ARCHIVES, ids=[p.name for p in ARCHIVES])
def test_archive_sample_gives_the_list_of_its_page(archive: Path) -> None:
    headlines = list(read_feed(str(archive)))
    assert _rows(archive) == _expected(archive)
    assert [h.position for h in headlines] == list(range(1, len(headlines) + 1))
    assert {h.source for h in headlines} == {str(archive)}


def test_an_archive_after_blank_lines_is_read(tmp_path: Path) -> None:
    # Saved files may start with blank lines; the format is told from what follows them.
    archive = SAMPLES / "archives" / "chrome-single-file.mhtml"
    (tmp_path / "a.mhtml").write_bytes(b"\r\n\r\n\n" + archive.read_bytes())
    assert _rows(tmp_path / "a.mhtml") == _expected(archive)


def test_the_page_is_read_not_a_frame_saved_after_it() -> None:
    texts = [h.text for h in read_feed(str(SAMPLES / "archives" / "chrome-single-file.mhtml"))]
    assert texts and not any("frame" in text for text in texts)


def test_the_charset_of_the_page_part_decodes_it() -> None:
    # ISO 8859-2, which the page itself does not declare: as cp1252 "ł" would be "³".
    texts = [h.text for h in read_feed(str(SAMPLES / "archives" / "internet-explorer-archive.mht"))]
    assert texts[0] == "Pociągi z Wrocławia do Opola opóźnione przez awarię sieci"


PACKINGS = {
    "quoted-printable, CRLF": lambda html: mhtml(html),
    "base64, LF": lambda html: mhtml(html, transfer="base64", newline=b"\n"),
    "webarchive": lambda html: webarchive(html),
}


@pytest.mark.parametrize("packing", PACKINGS)
@pytest.mark.parametrize("page", HTML, ids=[p.stem for p in HTML])
def test_every_html_sample_reads_the_same_packed(page: Path, packing: str, tmp_path: Path) -> None:
    packed = tmp_path / ("page.webarchive" if packing == "webarchive" else "page.mhtml")
    packed.write_bytes(PACKINGS[packing](page.read_bytes()))
    assert _rows(packed) == _expected(page)


REAL = sorted(REAL_PAGES.glob("*.html")) if REAL_PAGES.is_dir() else []


@pytest.mark.skipif(not REAL, reason="../shared/real-pages lies beside a checkout")
@pytest.mark.parametrize("packing", PACKINGS)
def test_real_pages_read_the_same_packed(packing: str, tmp_path: Path) -> None:
    for page in REAL:
        packed = tmp_path / f"{page.stem}.archive"
        packed.write_bytes(PACKINGS[packing](page.read_bytes()))
        assert _rows(packed) == _rows(page), page.name


def test_links_are_made_absolute_from_the_address_the_page_was_saved_from(
    tmp_path: Path,
) -> None:
    html = (SAMPLES / "archives" / "chrome-single-file.mhtml").read_bytes()
    page = unpack(html, "mhtml", "x").html.replace(b'href="/', b'href="')
    for name, packed in [
        ("a.mhtml", mhtml(page, url="https://news.example/regio/artikel")),
        ("a.webarchive", webarchive(page, url="https://news.example/regio/artikel")),
    ]:
        (tmp_path / name).write_bytes(packed)
        links = [h.extra["link"] for h in read_feed(str(tmp_path / name))]
        assert links[0] == "https://news.example/regio/regio/boom/brugwerken-ringlaan", name


def test_the_part_the_start_parameter_names_is_the_page(tmp_path: Path) -> None:
    other = b"<html><body><h2>Meer nieuws</h2><ul>" + b"<li><a href='/x'>Niet deze</a></li>" * 4
    before = [("Content-Type: text/html\nContent-ID: <other@mhtml.blink>", other + b"</ul>")]
    page = HTML[0].read_bytes()
    packed = tmp_path / "a.mhtml"
    packed.write_bytes(mhtml(page, parts_before=before, start="page@mhtml.blink"))
    assert _rows(packed) == _expected(HTML[0])


def test_a_page_with_its_alternatives_is_read_from_its_html(tmp_path: Path) -> None:
    page = HTML[0].read_bytes()
    inner = b"--alt\nContent-Type: text/plain\n\nplain text\n--alt\nContent-Type: text/html\n\n"
    inner += page + b"\n--alt--\n"
    packed = (
        b"MIME-Version: 1.0\nContent-Type: multipart/related; boundary=outer\n\n--outer\n"
        b"Content-Type: multipart/alternative; boundary=alt\n\n" + inner + b"--outer--\n"
    )
    (tmp_path / "a.mht").write_bytes(packed)
    assert _rows(tmp_path / "a.mht") == _expected(HTML[0])


def test_archives_are_told_by_their_bytes_not_their_name() -> None:
    assert archive_kind(mhtml(b"<p>x</p>")[:200]) == "mhtml"
    assert archive_kind(webarchive(b"<p>x</p>")) == "webarchive"
    folded = b"MIME-Version: 1.0\r\nContent-Type:\r\n multipart/related; boundary=b\r\n\r\n"
    assert archive_kind(folded) == "mhtml"
    for not_one in [
        b"Update: storm hits coast\nContent-Type: multipart/related heads for the exit\n",
        b"headline,label\nContent-Type: multipart/related,tech\n",
        b"MIME-Version: 1.0\nContent-Type: text/html\n\n<p>a mail</p>\n",
        b"Subject: x\n\nContent-Type: multipart/related; boundary=b\n",
        b"<!DOCTYPE html><html>Content-Type: multipart/related</html>",
    ]:
        assert archive_kind(not_one) is None, not_one


def test_a_folder_reads_archives_and_stdin_takes_one(runner: CliRunner, tmp_path: Path) -> None:
    page = HTML[0].read_bytes()
    (tmp_path / "saved").mkdir()
    (tmp_path / "saved" / "a.mhtml").write_bytes(mhtml(page))
    (tmp_path / "saved" / "b.webarchive").write_bytes(webarchive(page))
    (tmp_path / "saved" / "c.mht").write_bytes(mhtml(page, transfer="base64"))
    read = list(read_feeds([str(tmp_path / "saved")]))
    assert len(read) == 3 * len(_expected(HTML[0]))
    assert [h.source.rpartition("/")[2] for h in read[:: len(_expected(HTML[0]))]] == [
        "a.mhtml", "b.webarchive", "c.mht"
    ]  # fmt: skip
    result = runner.invoke(app, ["parse", "-", "--format", "csv"], input=mhtml(page))
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1 + len(_expected(HTML[0]))


def test_progress_counts_the_bytes_of_the_archive(tmp_path: Path) -> None:
    # A share of the input read: an archive's page is a fraction of its bytes.
    archive = SAMPLES / "archives" / "chrome-single-file.mhtml"
    counted: list[int] = []
    chunks = list(read_chunks([str(archive)], on_read=counted.append))
    assert sum(len(chunk) for chunk in chunks) == len(_expected(archive))
    assert sum(counted) == archive.stat().st_size


def test_the_candidate_lists_of_an_archive_are_its_pages() -> None:
    archive = SAMPLES / "archives" / "chrome-single-file.mhtml"
    blocks = page_blocks(str(archive))
    assert [b["heading"] for b in blocks if b["read"]] == ["Meer nieuws uit de regio"]


_DAMAGED = {
    "no page": (
        mhtml(b"")[: mhtml(b"").index(b"--" + BOUNDARY.encode())]
        + f"--{BOUNDARY}\r\nContent-Type: image/png\r\n\r\nxx\r\n--{BOUNDARY}--\r\n".encode(),
        "an MHTML archive with no HTML page in it (cut short, or not a saved web page); "
        "save the page again",
    ),
    "no boundary": (
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\n<p>x</p>\r\n",
        "an MHTML archive with no HTML page in it (cut short, or not a saved web page); "
        "save the page again",
    ),
    "cut in its header": (
        mhtml(b"<p>x</p>")[:100],
        "an MHTML archive with no HTML page in it (cut short, or not a saved web page); "
        "save the page again",
    ),
    "base64 that is not": (
        mhtml(b"<p>x</p>", transfer="base64").replace(b"PHA+eDwvcD4=", b"PHA+eDwvcD4"),
        "the page in this MHTML archive is damaged (its base64 cannot be decoded); "
        "save the page again",
    ),
    "page saved empty": (
        mhtml(b"\n\n"),
        "the page saved in it is empty; save it again",
    ),
    "web archive cut short": (
        webarchive(b"<p>x</p>")[:60],
        "a binary property list that cannot be read (cut short or damaged); save the page again",
    ),
    "property list of something else": (
        plistlib.dumps({"Bookmarks": [1, 2]}, fmt=plistlib.FMT_BINARY),
        "a binary property list, not a Safari web archive (no WebMainResource); "
        "pass a page saved from a browser",
    ),
    "web archive of an image": (
        webarchive(b"\x89PNG", mime="image/png"),
        "a Safari web archive of image/png, not of a page; pass a page saved from a browser",
    ),
}


@pytest.mark.parametrize("case", _DAMAGED)
def test_a_damaged_archive_is_a_one_line_error(
    runner: CliRunner, fruit_model_file: Path, tmp_path: Path, case: str
) -> None:
    data, error = _DAMAGED[case]
    path = tmp_path / "page.mhtml"
    path.write_bytes(data)
    with pytest.raises(InputError):
        list(read_feed(str(path)))
    result = runner.invoke(app, ["predict", str(path), "-m", str(fruit_model_file)])
    assert (result.exit_code, result.stderr) == (2, f"error: {path}: {error}\n")
    assert result.stdout == ""


def test_hostile_archives_are_read_or_refused_in_time(tmp_path: Path) -> None:
    part = f"--{BOUNDARY}\r\nContent-Type: text/htmlx\r\n\r\nx\r\n".encode()
    header = f'Content-Type: multipart/related; boundary="{BOUNDARY}"\r\n\r\n'.encode()
    nested = b"Content-Type: multipart/related; boundary=b0\r\n\r\n" + b"".join(
        f"--b{i}\r\nContent-Type: multipart/related; boundary=b{i + 1}\r\n\r\n".encode()
        for i in range(20_000)
    )
    long_line = f"--{BOUNDARY}\r\nContent-Type: text/html\r\n"
    long_line += "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + "=3D" * 1_000_000
    for name, data in [
        ("parts", header + part * 200_000),
        ("nested", nested),
        ("long line", header + long_line.encode()),
        ("noise", b"bplist00" + bytes(range(256)) * 4000),
    ]:
        path = tmp_path / f"{name}.mhtml"
        path.write_bytes(data)
        with watchdog(20, f"reading an archive of {name}"):
            try:
                list(read_feed(str(path)))
            except InputError as exc:
                assert "\n" not in str(exc)


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]  # fmt: skip


def test_pages_chromium_saves_as_mhtml_read_as_the_pages_do(tmp_path: Path) -> None:
    """Every HTML sample, served on 127.0.0.1, opened in Chromium and saved by it as MHTML
    (what "Webpage, Single File" writes), reads as the sample does, links made absolute."""
    for sample, address, saved in _saved_by_chromium(HTML, tmp_path):
        rows = _rows(saved)
        # Chromium writes every link as it resolved it, from the page's address.
        read = parse_html(sample.read_text(encoding="utf-8"), sample.name, url=address)
        assert [row[4] for row in rows] == [h.extra["link"] for h in read], sample.name
        assert [row[:4] + row[5:] for row in rows] == [
            row[:4] + row[5:] for row in _expected(sample)
        ], sample.name


def test_a_page_in_windows_1252_saved_by_chromium_keeps_its_letters(tmp_path: Path) -> None:
    # Chromium saves a page in the encoding it came in, named only by the page's own meta.
    titles = ["Renée (34) wint “Gouden Pen” voor debuutroman",
              "Cafébaas sluit zaak na veertig jaar \u2013 \u2018het is genoeg\u2019",
              "Naïeve oplichter vraagt €500 van bejaarde vrouw"]  # fmt: skip
    saved = _a_list_saved_by_chromium(
        tmp_path, titles, "windows-1252", lambda items: f"<h2>Meer nieuws</h2><ul>{items}</ul>"
    )
    assert b"charset=3Dwindows-1252" in saved


def test_a_list_in_a_web_components_shadow_root_saved_by_chromium(tmp_path: Path) -> None:
    # A list a script puts in a shadow root is no part of the page's HTML; Chromium saves it
    # as <template shadowmode="open"> inside the element, and it is read from there.
    titles = ["Veerpont in Millingen vaart weer na storing",
              "Gemeente Nijmegen wil meer groen op de Grote Markt",
              "Fietser gewond na botsing met scooter in Lent"]  # fmt: skip

    def component(items: str) -> str:
        script = (
            "customElements.define('meer-nieuws', class extends HTMLElement {"
            " connectedCallback() { this.attachShadow({mode: 'open'}).innerHTML ="
            f' "<h2>Meer nieuws</h2><ul>{items}</ul>"; }} }});'
        )
        return f"<meer-nieuws></meer-nieuws><script>{script}</script>"

    assert b"shadowmode" in _a_list_saved_by_chromium(tmp_path, titles, "utf-8", component)


def _a_list_saved_by_chromium(
    folder: Path, titles: list[str], encoding: str, body: Callable[[str], str]
) -> bytes:
    """A page whose list (``titles``, aged 2, 3, 4 hours) ``body`` lays out, in ``encoding``,
    saved by Chromium: its list must read as shown. The saved file's bytes."""
    items = "".join(f"<li><a href='/{i}'>{t}</a><span>{i + 2} uur geleden</span></li>"
                    for i, t in enumerate(titles))  # fmt: skip
    (folder / "site").mkdir()
    page = folder / "site" / "page.html"
    html = f"<!DOCTYPE html><html><head><meta charset='{encoding}'><title>Nieuws</title></head>"
    html += f"<body><h1>Veerpont vaart weer</h1><p>De pont vaart weer.</p>{body(items)}</body>"
    page.write_bytes(f"{html}</html>".encode(encoding))
    ((_, _, saved),) = _saved_by_chromium([page], folder)
    assert [(h.text, h.age_minutes) for h in read_feed(str(saved))] == [
        (title, (i + 2) * 60) for i, title in enumerate(titles)
    ]
    return saved.read_bytes()


@pytest.mark.skipif(not REAL, reason="../shared/real-pages lies beside a checkout")
def test_real_pages_chromium_saves_as_mhtml_give_their_lists(tmp_path: Path) -> None:
    """The real pages, opened in Chromium with their scripts run (nothing from elsewhere
    loads) and saved by it, give the headlines a person picks out of each."""
    for page, _, saved in _saved_by_chromium(REAL, tmp_path):
        wanted = page.with_name(f"{page.stem}.expected.txt").read_text(encoding="utf-8")
        assert [h.text for h in read_feed(str(saved))] == wanted.splitlines(), page.name


def _saved_by_chromium(pages: list[Path], folder: Path) -> Iterator[tuple[Path, str, Path]]:
    """Each page (all in one folder) served on 127.0.0.1, opened in Chromium and saved by it
    as MHTML in ``folder``: the page, its address and the saved file."""
    if not CHROMIUM.exists():
        pytest.skip(f"needs Chromium at {CHROMIUM}: apt-get install -y chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs Playwright")
    with serve_folder(pages[0].parent) as address, sync_api.sync_playwright() as playwright:
        site = f"{address}/"
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page()
            tab.set_default_timeout(60_000)  # generous: CI machines can be loaded
            # Nothing leaves the machine: only the test's own server is asked.
            tab.route("**/*", lambda route: _local_only(route, site))
            devtools = tab.context.new_cdp_session(tab)
            for page in pages:
                tab.goto(site + page.name)
                snapshot = devtools.send("Page.captureSnapshot", {"format": "mhtml"})["data"]
                assert snapshot.startswith("From: <Saved by Blink>")
                saved = folder / f"{page.stem}.mhtml"
                saved.write_text(snapshot, encoding="utf-8", newline="")
                yield page, site + page.name, saved
        finally:
            browser.close()


def _local_only(route: Any, site: str) -> None:
    if route.request.url.startswith(site):
        route.continue_()
    else:
        route.abort()
