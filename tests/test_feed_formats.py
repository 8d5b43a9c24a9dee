"""RSS, Atom, JSON lines and JSON: one test per sample under samples/feeds and samples/bad-feeds."""

from __future__ import annotations

import html
import io
import json
import logging
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from headlines import feeds
from headlines.errors import InputError
from headlines.feeds import Reading, detect_format, iso_time, parse_feed, read_feed
from headlines.feeds.xml import _TAG_RE, _markup
from headlines.files import PEEK_BYTES

SAMPLES = Path(__file__).parent / "samples"
FORMAT_OF_SUFFIX = {".rss": "rss", ".atom": "atom", ".jsonl": "jsonl", ".json": "json"}
FEEDS = sorted(p for p in (SAMPLES / "feeds").iterdir() if p.suffix in FORMAT_OF_SUFFIX)
BAD_FEEDS = sorted(p for p in (SAMPLES / "bad-feeds").iterdir() if p.suffix != ".error")


def _expected(sample: Path) -> list[dict[str, object]]:
    lines = sample.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _error(sample: Path) -> str:
    return sample.with_suffix(".error").read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("sample", FEEDS, ids=[p.name for p in FEEDS])
def test_sample_feed_gives_its_headlines_and_extra_fields_in_order(sample: Path) -> None:
    headlines = list(read_feed(str(sample)))
    assert [{"headline": h.text, **h.extra} for h in headlines] == _expected(sample)
    assert [h.position for h in headlines] == list(range(1, len(headlines) + 1))
    assert {h.source for h in headlines} == {str(sample)}


@pytest.mark.parametrize("sample", FEEDS, ids=[p.name for p in FEEDS])
def test_sample_feed_format_is_detected_from_content_not_name(sample: Path) -> None:
    assert detect_format(sample.read_text(encoding="utf-8")) == FORMAT_OF_SUFFIX[sample.suffix]


@pytest.mark.parametrize("sample", FEEDS, ids=[p.name for p in FEEDS])
def test_forcing_the_detected_format_reads_the_same(sample: Path) -> None:
    forced = read_feed(str(sample), Reading(input_format=FORMAT_OF_SUFFIX[sample.suffix]))
    assert list(forced) == list(read_feed(str(sample)))


@pytest.mark.parametrize("sample", BAD_FEEDS, ids=[p.name for p in BAD_FEEDS])
def test_bad_feed_is_one_line_error_naming_file_and_line(sample: Path) -> None:
    with pytest.raises(InputError) as err:
        list(read_feed(str(sample)))
    assert str(err.value) == _error(sample).replace("{path}", str(sample))


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ('[{"headline": "Storm op komst"}]', "json"),
        ('[\n  "Storm op komst",\n  "Ajax wint"\n]\n', "json"),
        ('{\n  "items": []\n}\n', "json"),
        ('{"headline": "Storm op komst"}\n{"headline": "Ajax wint"}\n', "jsonl"),
        # Whole documents on one line, as web APIs send them.
        ('["Storm op komst", "Ajax wint"]', "json"),
        ('{"status": "ok", "articles": [{"title": "Storm op komst"}]}\n', "json"),
        ('{"headline": "Storm op komst"}\n', "json"),
        ("[LIVE] Storm trekt over het land\nAjax wint van PSV\n", "list"),
        ('["Dit had niemand verwacht": dorp viert feest]\nAjax wint\n', "list"),
        ('["Dit had niemand verwacht": dorp viert feest]', "list"),
        ('["Wow"] Dorp viert feest\n', "list"),
        ("{Video} Storm trekt over het land", "list"),
    ],
)
def test_json_documents_are_told_from_json_lines_and_lists(text: str, fmt: str) -> None:
    assert detect_format(text) == fmt


def test_json_arrays_of_strings_and_objects_holding_one_array(
    caplog: pytest.LogCaptureFixture,
) -> None:
    strings = parse_feed('[" Storm op komst ", "", "Ajax wint"]', Reading(input_format="json"))
    assert [(h.text, h.position, h.extra) for h in strings] == [
        ("Storm op komst", 1, {}),
        ("Ajax wint", 2, {}),
    ]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == ["<text>: skipped 1 record(s) with a null or empty 'headline' (records 2)"]
    held = parse_feed(
        '{"count": 2, "articles": [{"title": "Storm op komst"}, {"title": "Ajax wint"}]}',
        Reading(input_format="json", text_column="title"),
    )
    assert [h.text for h in held] == ["Storm op komst", "Ajax wint"]


def test_a_json_document_on_one_line_is_read_whole_past_the_text_looked_at(
    tmp_path: Path,
) -> None:
    articles = [{"title": f"Kop {i} over het weer", "url": f"https://example.org/{i}"}
                for i in range(30_000)]  # fmt: skip
    path = tmp_path / "answer"  # no suffix: the format is told from the start of the text
    path.write_text(json.dumps({"status": "ok", "articles": articles}), "utf-8")
    assert path.stat().st_size > PEEK_BYTES  # what detection looks at ends inside the document
    headlines = list(read_feed(str(path), Reading(text_column="title")))
    assert len(headlines) == 30_000
    assert [(h.text, h.position, h.extra["url"]) for h in headlines[::10_000]] == [
        ("Kop 0 over het weer", 1, "https://example.org/0"),
        ("Kop 10000 over het weer", 10_001, "https://example.org/10000"),
        ("Kop 20000 over het weer", 20_001, "https://example.org/20000"),
    ]


def test_one_json_object_alone_is_one_record_or_an_error_naming_its_keys() -> None:
    alone = parse_feed('{"headline": "Storm op komst", "tags": ["weer"], "id": 7}')
    assert [(h.text, h.extra) for h in alone] == [("Storm op komst", {"tags": ["weer"], "id": 7})]
    with pytest.raises(InputError) as err:
        parse_feed('{"title": "Storm op komst"}')
    assert str(err.value).startswith(
        "<text>: a JSON object with no array of records (keys: title); a JSON file must be"
    )


def test_json_lines_in_a_file_named_json_are_read_as_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text('{"headline": "Storm op komst"}\n{"headline": "Ajax wint"}\n', "utf-8")
    assert [h.text for h in read_feed(str(path))] == ["Storm op komst", "Ajax wint"]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_classic_billion_laughs_is_refused_when_read_as_a_feed(fmt: str) -> None:
    bomb = SAMPLES / "bad-feeds" / "billion-laughs-classic.xml"
    with pytest.raises(InputError) as err:
        list(read_feed(str(bomb), Reading(input_format=fmt)))
    assert str(err.value).startswith(f"{bomb}: line 3: the feed declares the XML entity 'lol';")


def test_atom_forced_as_rss_names_the_format_to_pass() -> None:
    atom = SAMPLES / "feeds" / "science-desk.atom"
    with pytest.raises(InputError) as err:
        list(read_feed(str(atom), Reading(input_format="rss")))
    assert str(err.value) == (
        f"{atom}: an Atom feed (root <feed>), not RSS; pass --input-format atom"
    )


def test_jsonl_text_field_picks_another_field() -> None:
    text = '{"title": "Kermis in Hengelo", "id": 7}\n{"title": "Regen op komst", "id": 8}\n'
    headlines = parse_feed(text, Reading(text_column="title"))
    assert [(h.text, h.extra) for h in headlines] == [
        ("Kermis in Hengelo", {"id": 7}),
        ("Regen op komst", {"id": 8}),
    ]


@pytest.mark.parametrize(
    ("encoding", "declared"), [("cp1252", "windows-1252"), ("utf-16", "UTF-16"), ("utf-8", "UTF-8")]
)
def test_rss_in_other_encodings(tmp_path: Path, encoding: str, declared: str) -> None:
    title = "Café “De Zon” opent terras voor €5"
    doc = (
        f'<?xml version="1.0" encoding="{declared}"?>\n'
        f"<rss><channel><item><title>{title}</title></item></channel></rss>\n"
    )
    path = tmp_path / "feed.rss"
    path.write_bytes(doc.encode(encoding))
    assert [h.text for h in read_feed(str(path))] == [title]


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("Tue, 03 Jun 2025 09:30:00 +0200", "2025-06-03T09:30:00+02:00"),
        ("Tue, 03 Jun 2025 09:30:00 GMT", "2025-06-03T09:30:00+00:00"),
        ("2025-06-03T07:30:00Z", "2025-06-03T07:30:00+00:00"),
        ("2025-06-03", "2025-06-03T00:00:00"),
        ("gisteren", "gisteren"),
        ("", ""),
    ],
)
def test_iso_time(value: str, iso: str) -> None:
    assert iso_time(value) == iso


def test_xml_is_read_in_chunks_and_items_come_before_the_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(feeds.xml, "_CHUNK", 256)
    items = "".join(f"<item><title>Kop nummer {i}</title></item>\n" for i in range(200))
    stream = _CountingStream(f"<rss><channel>\n{items}</channel></rss>\n")
    records = feeds.xml.parse_xml(stream, "rss", "<test>")
    assert next(records).text == "Kop nummer 0"
    assert stream.reads < 5
    assert [h.text for h in records] == [f"Kop nummer {i}" for i in range(1, 200)]


class _CountingStream(io.StringIO):
    reads = 0

    def read(self, size: int | None = -1) -> str:
        self.reads += 1
        return super().read(size)


# Any text a feed can hold: XML 1.0 has no control characters, surrogates or non-characters.
HEADLINE = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cn")), min_size=1, max_size=40
).filter(lambda text: bool(text.split()))


@given(st.lists(HEADLINE, max_size=12))
def test_rss_never_drops_or_reorders_a_headline(titles: list[str]) -> None:
    items = "".join(f"<item><title>{escape(t)}</title></item>" for t in titles)
    headlines = parse_feed(f"<rss><channel>{items}</channel></rss>")
    # RSS titles are often escaped twice, so entities left in them are read as text too, and
    # so is the markup that gives (a title "<b>" is no headline).
    expected = [" ".join(_TAG_RE.sub(_markup, html.unescape(t)).split()) for t in titles]
    assert [h.text for h in headlines] == [t for t in expected if t]
    assert [h.position for h in headlines] == list(range(1, len(headlines) + 1))


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("<![CDATA[Jams cost the region <b>millions</b> a year]]>",
         "Jams cost the region millions a year"),
        ("Jams cost &lt;em&gt;millions&lt;/em&gt;", "Jams cost millions"),
        ("<![CDATA[Ferry fares rise<br/>from June]]>", "Ferry fares rise from June"),
        ('<![CDATA[<a href="/x">Quay</a> to be rebuilt]]>', "Quay to be rebuilt"),
        ("Inflation &lt; 2% and &gt; 1%", "Inflation < 2% and > 1%"),
        ("The &lt;dialog&gt; element lands in every browser",
         "The <dialog> element lands in every browser"),
    ],
)  # fmt: skip
def test_rss_title_markup_is_read_as_text(title: str, text: str) -> None:
    # Readers show an RSS title's text markup as text; what is no such tag stays.
    feed = f"<rss><channel><item><title>{title}</title></item></channel></rss>"
    assert [h.text for h in parse_feed(feed)] == [text]


def test_items_without_a_title_are_skipped_with_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    items = "".join(
        f"<item><title>Kop {i}</title></item>"
        if i % 3
        else "<item><description>Tekst.</description></item>"
        for i in range(7)
    )
    headlines = parse_feed(f"<rss><channel>{items}</channel></rss>")
    assert [h.text for h in headlines] == ["Kop 1", "Kop 2", "Kop 4", "Kop 5"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == ["<text>: skipped 3 items without a title (items 1, 4, 7)"]


@given(st.lists(HEADLINE, max_size=12))
def test_atom_never_drops_or_reorders_a_headline(titles: list[str]) -> None:
    entries = "".join(f"<entry><title>{escape(t)}</title></entry>" for t in titles)
    headlines = parse_feed(f'<feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>')
    assert [h.text for h in headlines] == [" ".join(t.split()) for t in titles]


@given(st.lists(st.text(min_size=1).filter(str.strip), max_size=12))
def test_jsonl_never_drops_or_reorders_a_headline(titles: list[str]) -> None:
    text = "".join(json.dumps({"headline": t, "n": i}) + "\n" for i, t in enumerate(titles))
    headlines = parse_feed(text, Reading(input_format="jsonl"))
    assert [(h.text, h.extra) for h in headlines] == [
        (t.strip(), {"n": i}) for i, t in enumerate(titles)
    ]


@pytest.mark.parametrize("cut", range(-9, 2))
def test_an_html_entity_that_a_read_cuts_in_two_is_read_whole(tmp_path: Path, cut: int) -> None:
    from headlines.feeds.xml import _CHUNK

    head = '<rss version="2.0"><channel><item><title>'
    padding = "x" * (_CHUNK - len(head) + cut - len("Caf"))  # "&eacute;" starts cut from the end
    feed = tmp_path / "feed.rss"
    feed.write_text(
        f"{head}{padding}Caf&eacute; sluit</title></item></channel></rss>", encoding="utf-8"
    )
    (headline,) = read_feed(str(feed))
    assert headline.text == f"{padding}Café sluit"


def test_a_json_line_with_a_null_headline_is_skipped_and_said(
    caplog: pytest.LogCaptureFixture,
) -> None:
    text = '{"headline": null, "id": 1}\n{"headline": "Peren", "id": 2}\n{"headline": " "}\n'
    headlines = parse_feed(text, source="a.jsonl")
    assert [(h.text, h.position, h.extra) for h in headlines] == [("Peren", 1, {"id": 2})]
    assert caplog.messages == [
        "a.jsonl: skipped 2 line(s) with a null or empty 'headline' (lines 1, 3)"
    ]
