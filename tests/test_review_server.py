"""``headlines review`` as a user runs it: a real server, killed and started again."""

from __future__ import annotations

import csv
import html
import re
import signal
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import review_server
from typer.testing import CliRunner

from headlines.cli import app

pytest.importorskip("uvicorn", reason="pip install 'headlines[review]'")


# Straight to the server, whatever proxy the environment names.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Page:
    """The review page over HTTP, as htmx would send its requests."""

    def __init__(self, url: str) -> None:
        self.url = url
        page = self.get("")
        match = re.search(r'"X-Review-Token": "([^"]+)"', page)
        assert match, page
        self.token = match.group(1)

    def get(self, path: str) -> str:
        with OPENER.open(self.url + path, timeout=10) as response:
            return str(response.read().decode("utf-8"))

    def post(self, path: str, **form: str) -> str:
        request = urllib.request.Request(
            self.url + path,
            data=urllib.parse.urlencode(form).encode(),
            headers={"X-Review-Token": self.token},
        )
        with OPENER.open(request, timeout=10) as response:
            return str(response.read().decode("utf-8"))

    def card(self) -> tuple[str, str]:
        """The id and the headline of the card shown."""
        page = self.get("card")
        match = re.search(r'data-card="(\d+)".*?<h2 class="headline">(.*?)</h2>', page, re.S)
        assert match, page
        return match.group(1), html.unescape(match.group(2))


def review_args(files: dict[str, Path], model: Path, *more: str) -> list[str]:
    """The arguments of ``headlines review`` on the review samples."""
    return [
        str(files["feed"]),
        *("--model", str(model), "--train", str(files["train"]), "--out", str(files["out"])),
        *more,
    ]


def rows(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [(row["headline"], row["label"]) for row in csv.DictReader(fh)]


def test_answers_survive_a_killed_server_and_the_review_goes_on(
    review_files: dict[str, Path], review_model_file: Path
) -> None:
    args = review_args(review_files, review_model_file, "--retrain-every", "0")
    given = []
    with review_server(*args) as (url, process):
        assert url.startswith("http://127.0.0.1:")
        page = Page(url)
        for label in ("weather", "fruit", "vehicle", "fruit"):
            card_id, headline = page.card()
            page.post("answer", id=card_id, label=label)
            given.append((headline, label))
        next_id, next_headline = page.card()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    assert rows(review_files["out"]) == given
    with review_server(*args) as (url, _):
        page = Page(url)
        assert page.card() == (next_id, next_headline)
        assert "<b>4</b> labelled" in page.get("card")
        page.post("undo")
        assert page.card()[1] == given[-1][0]
        page.post("answer", id=page.card()[0], label="weather")
        given[-1] = (given[-1][0], "weather")
    assert rows(review_files["out"]) == given


def test_serving_on_another_address_warns(runner: CliRunner, default_data: Path) -> None:
    result = runner.invoke(app, ["review", "x.txt", "--host", "0.0.0.0", "--port", "70000"])
    assert result.exit_code == 2
    assert result.stderr.startswith("warning: --host 0.0.0.0: anyone who can reach")
    assert "error: --port 70000: use a port from 1 to 65535" in result.stderr


def test_a_port_in_use_is_a_one_line_error(
    runner: CliRunner, review_files: dict[str, Path], review_model_file: Path
) -> None:
    args = review_args(review_files, review_model_file)
    with review_server(*args) as (url, _):
        port = url.rsplit(":", 1)[1].strip("/")
        result = runner.invoke(app, ["review", *args, "--port", port])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: --port {port}: cannot listen on 127.0.0.1:{port}")
    assert result.stderr.count("\n") == 1


def test_ctrl_c_stops_the_server_and_says_where_the_answers_are(
    review_files: dict[str, Path], review_model_file: Path
) -> None:
    with review_server(*review_args(review_files, review_model_file)) as (url, process):
        page = Page(url)
        card_id, headline = page.card()
        page.post("answer", id=card_id, label="weather")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
        errors = process.stderr.read() if process.stderr else ""
    assert f"labelled 1, skipped 0, 27 left; answers are in {review_files['out']}" in errors
    assert rows(review_files["out"]) == [(headline, "weather")]
