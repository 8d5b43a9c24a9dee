"""Every sniffer and reader answers on long runs of the characters that make parsers slow.

White space, ``<``, quotes and ``-`` are what comment, declaration, quoting and indentation
syntax is made of; a pattern or loop that backtracks over them takes time exponential or
quadratic in the run's length. The inputs here are a few hundred thousand characters: work
linear in that is a fraction of a second, and anything worse does not finish, which the
watchdog turns into a failure.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from conftest import watchdog
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from headlines.errors import InputError
from headlines.feeds import FORMATS, Reading, detect_format, parse_feed, read_feed
from headlines.feeds.xml import sniff_xml
from headlines.files import csv_delimiter, split_lines
from headlines.persistence import load_model

RUNS = [" ", "\t", "\n", "\r\n", "<", '"', "'", "-", "<!--", "<?", "<!DOCTYPE", "[", "]", "&"]
RUNS += [",", ";", "<a ", "x", "Storm hits coast\n", "2 hrs ago\n", "OTHER NEWS\n"]
RUNS += ["{", '{"headline": ', "9"]  # JSON: nesting and long numbers
LONGEST_RUN = 60_000
WATCHDOG_SECONDS = 20

long_runs = st.lists(
    st.tuples(st.sampled_from(RUNS), st.integers(1, LONGEST_RUN)), min_size=1, max_size=5
).map(lambda runs: "".join(piece * (count // len(piece) or 1) for piece, count in runs))

# No shrinking: each step of it would wait for the watchdog, and a run of one character
# says all there is to say.
_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example],
)
# The case that hung: a page that starts with indented lines.
INDENTED = " " * 30 + "Storm hits coast\n"


@_SETTINGS
@given(long_runs)
@example(INDENTED)
def test_sniffers_answer_on_long_runs(text: str) -> None:
    with watchdog(WATCHDOG_SECONDS, f"sniffing {len(text):,} characters"):
        for sniff in (
            lambda: sniff_xml(text, "x"),
            lambda: detect_format(text),
            lambda: csv_delimiter(split_lines(text, 1)[0], "headline"),
        ):
            with contextlib.suppress(InputError):
                sniff()


@_SETTINGS
@given(long_runs, st.sampled_from(FORMATS))
@example(INDENTED, "auto")
def test_readers_answer_on_long_runs(text: str, input_format: str) -> None:
    with watchdog(WATCHDOG_SECONDS, f"reading {len(text):,} characters as {input_format}"):
        try:
            parse_feed(text, Reading(input_format=input_format))
        except InputError as exc:
            assert "\n" not in str(exc)


@_SETTINGS
@given(long_runs)
@example(INDENTED)
def test_a_file_of_long_runs_is_read_or_refused(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.txt"
        path.write_text(text, encoding="utf-8")
        with watchdog(WATCHDOG_SECONDS, f"reading a file of {len(text):,} characters"):
            try:
                list(read_feed(str(path)))
            except InputError as exc:
                assert "\n" not in str(exc)


def test_an_html_title_of_many_tag_starts_is_read() -> None:
    title = "&lt;" * 200_000 + "Storm"
    feed = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        f'<title type="html">{title}</title></entry></feed>'
    )
    with watchdog(WATCHDOG_SECONDS, "an Atom title of 200,000 '<'"):
        (headline,) = parse_feed(feed)
    assert headline.text == "<" * 200_000 + "Storm"


def test_a_headline_of_megabytes_is_labelled_and_explained(fruit_model_file: Path) -> None:
    """A CSV field may hold 16 MiB. Labelling a 2 MB line with its reasons took 30 s as one
    word and 100 s as words, and a gigabyte: a text's features come from its start."""
    model = load_model(fruit_model_file)
    texts = ["appel" * 400_000, "appel bus peer trein " * 100_000]
    with watchdog(WATCHDOG_SECONDS, "labelling two lines of 2 MB with reasons"):
        order, _, reasons = model.score_top(texts, 1, explain=3)
    assert len(order) == 2 and reasons is not None and all(reasons)
