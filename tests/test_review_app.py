"""The review page's routes, driven in process with Starlette's TestClient."""

from __future__ import annotations

import csv
import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("starlette", reason="pip install 'headlines[review]'")

from starlette.testclient import TestClient

from headlines.dataset import Columns
from headlines.persistence import load_model
from headlines.review.app import TOKEN_HEADER, build_app
from headlines.review.queue import margins
from headlines.review.retraining import figures, is_held_out, retrain, trained_on_answers
from headlines.review.session import ReviewSession, open_review
from headlines.training import train


def start(files: dict[str, Path], model_path: Path, **options: object) -> ReviewSession:
    return open_review(
        [str(files["feed"])],
        load_model(model_path),
        train=files["train"],
        out=files["out"],
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture
def session(review_files: dict[str, Path], review_model_file: Path) -> ReviewSession:
    return start(review_files, review_model_file, retrain_every=0)


@pytest.fixture
def client(session: ReviewSession) -> Iterator[TestClient]:
    with TestClient(build_app(session, token="t0ken"), base_url="http://127.0.0.1") as c:
        c.headers[TOKEN_HEADER] = "t0ken"
        yield c


def shown(page: str) -> str:
    """The headline on the card of a page or fragment, as the browser shows it."""
    match = re.search(r'<h2 class="headline">(.*?)</h2>', page, re.S)
    assert match, page
    return html.unescape(match.group(1))


def card_id(page: str) -> str:
    match = re.search(r'data-card="(\d+)"', page)
    assert match, page
    return match.group(1)


def answers(path: Path) -> list[dict[str, str]]:
    if not path.exists():  # made at the first answer
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def answer(client: TestClient, label: str) -> str:
    page = client.get("/card").text
    response = client.post("/answer", data={"id": card_id(page), "label": label})
    assert response.status_code == 200, response.text
    return shown(page)


def test_the_page_shows_the_least_sure_headline_first(
    client: TestClient, review_files: dict[str, Path], review_model_file: Path
) -> None:
    model = load_model(review_model_file)
    trained = {row["headline"] for row in answers(review_files["train"])}
    texts = [t for t in review_files["feed"].read_text("utf-8").splitlines() if t not in trained]
    least_sure = texts[int(margins(model.predict_proba(texts)).argmin())]
    page = client.get("/")
    assert page.status_code == 200
    assert shown(page.text) == least_sure
    assert "<b>28</b> left" in page.text  # 30 lines: one is in train.csv, one a near-copy


def test_the_queue_asks_each_story_once_and_nothing_from_training(
    session: ReviewSession, review_files: dict[str, Path]
) -> None:
    asked = []
    while (card := session.current()) is not None:
        asked.append(card.text)
        session.skip(card.id)
    assert len(asked) == len(set(asked)) == 28
    assert "Apple growers count a record crop this autumn" not in asked  # in train.csv
    bus = [text for text in asked if text.startswith("New electric bus line")]
    assert bus == ["New electric bus line links the two stations"]  # "... today" is a copy


def test_the_card_shows_source_top_labels_and_reasons(client: TestClient) -> None:
    page = client.get("/").text
    assert "feed.txt</span>" in page
    assert page.count("<meter") == 3
    assert re.search(r'class="reasons">pushed to \w+ by', page)
    assert 'data-key="1"' in page and 'data-key="Enter"' in page


def test_each_answer_is_appended_at_once_in_order(
    client: TestClient, review_files: dict[str, Path], session: ReviewSession
) -> None:
    first = answer(client, "weather")
    assert [r["headline"] for r in answers(review_files["out"])] == [first]
    second = answer(client, "vehicle")
    rows = answers(review_files["out"])
    assert [(r["headline"], r["label"]) for r in rows] == [(first, "weather"), (second, "vehicle")]
    assert {r["source"] for r in rows} == {str(review_files["feed"])}
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", r["labelled_at"]) for r in rows
    )
    assert {r["model"] for r in rows} == {session.model_name}
    counts = client.get("/card").text
    assert "<b>2</b> labelled" in counts and "<b>26</b> left" in counts


def test_undo_removes_exactly_the_last_answer_and_shows_its_card_again(
    client: TestClient, review_files: dict[str, Path]
) -> None:
    answer(client, "weather")
    one = review_files["out"].read_bytes()
    second = answer(client, "fruit")
    undone = client.post("/undo")
    assert undone.status_code == 200
    assert review_files["out"].read_bytes() == one
    assert shown(undone.text) == second
    assert "<b>1</b> labelled" in undone.text


def test_undo_of_a_skip_shows_the_card_again_and_writes_nothing(
    client: TestClient, review_files: dict[str, Path]
) -> None:
    page = client.get("/").text
    client.post("/skip", data={"id": card_id(page)})
    assert "<b>1</b> skipped" in client.get("/card").text
    assert shown(client.post("/undo").text) == shown(page)
    assert not review_files["out"].exists()


def test_a_restarted_review_goes_on_where_it_stopped(
    review_files: dict[str, Path], review_model_file: Path
) -> None:
    first = start(review_files, review_model_file, retrain_every=0)
    order = []
    for label in ("weather", "fruit", "vehicle"):
        card = first.current()
        assert card is not None
        order.append(card.text)
        first.answer(card.id, label)
    following = first.current()
    assert following is not None
    with review_files["out"].open("ab") as fh:  # killed while writing the next answer
        fh.write(following.text.encode() + b",weat")
    again = start(review_files, review_model_file, retrain_every=0)
    assert [a.headline for a in again.answers.rows] == order  # the half line left out
    assert again.counts().labelled == 3
    card = again.current()
    assert card is not None and card.text == following.text
    assert again.undo()  # takes back the last answer written before the restart
    assert [r["headline"] for r in answers(review_files["out"])] == order[:2]  # half line too
    card = again.current()
    assert card is not None and card.text == order[2]


@pytest.mark.parametrize("headers", [{}, {TOKEN_HEADER: "wrong"}])
def test_a_change_without_the_run_token_is_refused(
    client: TestClient, review_files: dict[str, Path], headers: dict[str, str]
) -> None:
    page = client.get("/").text
    del client.headers[TOKEN_HEADER]
    for path, data in [("/answer", {"id": card_id(page), "label": "fruit"}), ("/undo", {})]:
        response = client.post(path, data=data, headers=headers)
        assert response.status_code == 403
        assert "token" in response.text
    assert answers(review_files["out"]) == []
    assert "t0ken" in page  # the page itself carries it, for its own requests


def test_another_host_name_is_refused(client: TestClient) -> None:
    # A page that rebinds its own name to 127.0.0.1 still sends its own Host header.
    assert client.get("/", headers={"Host": "attacker.example:8000"}).status_code == 400


def test_an_answer_to_a_card_no_longer_shown_changes_nothing(
    client: TestClient, review_files: dict[str, Path]
) -> None:
    page = client.get("/").text
    answer(client, "weather")
    again = client.post("/answer", data={"id": card_id(page), "label": "fruit"})
    assert again.status_code == 409
    assert "already answered" in again.text
    assert len(answers(review_files["out"])) == 1


def test_a_label_not_offered_is_refused(client: TestClient, review_files: dict[str, Path]) -> None:
    page = client.get("/").text
    response = client.post("/answer", data={"id": card_id(page), "label": "sport"})
    assert response.status_code == 400
    assert "unknown label 'sport'" in response.text
    assert answers(review_files["out"]) == []


def test_headlines_and_labels_are_shown_as_text(
    tmp_path: Path, review_files: dict[str, Path], review_model_file: Path
) -> None:
    hostile = '<script>alert("hi")</script> & <img src=x onerror=alert(1)>'
    review_files["feed"].write_text(hostile + "\n", encoding="utf-8")
    labels = ["fruit", "weather", "<b>vehicle</b>"]
    session = start(review_files, review_model_file, labels=labels, retrain_every=0)
    client = TestClient(build_app(session), base_url="http://127.0.0.1")
    page = client.get("/").text
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>vehicle" not in page
    assert "&lt;script&gt;alert(&#34;hi&#34;)&lt;/script&gt; &amp; &lt;img" in page
    assert shown(page) == hostile
    assert "script-src 'self'" in client.get("/").headers["content-security-policy"]


def test_no_route_serves_a_file_it_was_not_built_with(client: TestClient) -> None:
    assert client.get("/static/htmx.min.js").status_code == 200
    for path in ("/static/../app.py", "/static/%2e%2e%2fapp.py", "/static/review.py", "/etc"):
        assert client.get(path).status_code == 404


def test_retraining_reports_before_and_after_on_the_held_out_answers(
    session: ReviewSession, review_files: dict[str, Path], review_model_file: Path
) -> None:
    given = answer_all(session)
    assert session.start_retrain()
    state = session.wait_for_retrain(timeout=120)
    assert state.status == "done", state.error
    report = state.report
    assert report is not None
    held = [(t, label) for t, label in given if is_held_out(t)]
    assert report.held_out == len(held) > 0
    assert report.answers == len(given) - len(held)
    before = figures(load_model(review_model_file), [t for t, _ in held], [x for _, x in held])
    assert report.comparisons[0].before == before
    assert report.headlines == 28
    assert 0 <= report.changed <= 28
    assert not report.before_saw_answers  # the model never saw the answers file
    page = TestClient(build_app(session), base_url="http://127.0.0.1").get("/retrain").text
    assert f"{before.accuracy:.3f}" in page
    assert f"<b>{report.changed}</b> of 28 headlines" in page


def test_a_retrained_model_is_saved_only_when_asked(
    review_files: dict[str, Path], review_model_file: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.joblib"
    shutil.copy(review_model_file, mine)
    original = mine.read_bytes()
    session = start(review_files, review_model_file, model_file=mine, retrain_every=3)
    client = TestClient(build_app(session, token="k"), base_url="http://127.0.0.1")
    client.headers[TOKEN_HEADER] = "k"
    for label in ("weather", "fruit", "vehicle"):  # the third answer starts a retraining
        answer(client, label)
    state = session.wait_for_retrain(timeout=120)
    assert state.status == "done", state.error
    assert mine.read_bytes() == original  # not replaced until asked
    response = client.post("/use-model")
    assert response.status_code == 200
    assert f"saved to <code>{mine}</code>" in response.text
    assert load_model(mine).card.model_sha256.startswith(session.model_name)
    assert mine.read_bytes() != original


def test_a_before_that_saw_the_held_out_answers_is_flagged(
    review_files: dict[str, Path], tmp_path: Path
) -> None:
    # Answers go to the training file itself, and the model was trained on that file after
    # some answers were in it (as the default model is, after answers went to data/train.csv).
    first = open_review(
        [str(review_files["feed"])],
        load_model(_model_of(review_files["train"], tmp_path / "a.joblib")),
        train=review_files["train"],
        retrain_every=0,
    )
    given = answer_all(first)
    assert any(is_held_out(t) for t, _ in given)
    seen = load_model(_model_of(review_files["train"], tmp_path / "b.joblib"))
    assert trained_on_answers(seen, review_files["train"].resolve())
    assert not trained_on_answers(seen, review_files["out"])
    session = open_review(
        [str(review_files["feed"])], seen, train=review_files["train"], retrain_every=0
    )
    session.start_retrain()
    state = session.wait_for_retrain(timeout=120)
    assert state.status == "done", state.error
    assert state.report is not None and state.report.before_saw_answers
    page = TestClient(build_app(session), base_url="http://127.0.0.1").get("/retrain").text
    assert "so its &ldquo;before&rdquo; on them flatters it" in page
    # The retrained model left the held-out answers out: its next "before" is fair.
    session.use_retrained()
    assert not trained_on_answers(session.model, review_files["train"])


def _model_of(data: Path, path: Path) -> Path:
    train([data], path, cv=0)
    return path


def answer_all(session: ReviewSession) -> list[tuple[str, str]]:
    given = []
    while (card := session.current()) is not None:
        truth = next((k for k in WORDS if any(w in card.text.lower() for w in WORDS[k])), "vehicle")
        given.append((card.text, truth))
        session.answer(card.id, truth)
    return given


WORDS = {
    "fruit": ("berr", "apple", "pear", "plum", "grape", "melon", "mango", "kiwi", "banana"),
    "weather": ("storm", "rain", "fog", "snow", "heat", "sunny", "flood", "frost", "wind"),
}


def test_save_model_saves_every_retrained_model_and_uses_it(
    review_files: dict[str, Path], review_model_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "retrained.joblib"
    session = start(review_files, review_model_file, save_model_to=target, retrain_every=0)
    for label in ("weather", "fruit"):
        card = session.current()
        assert card is not None
        session.answer(card.id, label)
    session.start_retrain()
    state = session.wait_for_retrain(timeout=120)
    assert state.status == "done", state.error
    assert state.in_use and state.saved_to == str(target)
    saved = load_model(target)
    assert saved.card.model_sha256.startswith(session.model_name)
    assert saved.card.dropped["held_out_answers"] == state.report.held_out  # type: ignore[union-attr]


def test_asking_to_retrain_while_one_runs_retrains_again_after_it(
    session: ReviewSession,
) -> None:
    for label in ("weather", "fruit"):
        card = session.current()
        assert card is not None
        session.answer(card.id, label)
    assert session.start_retrain()
    first = session._thread
    card = session.current()
    assert card is not None
    session.answer(card.id, "vehicle")
    assert not session.start_retrain()  # one runs: this one follows it
    assert first is not None
    first.join(timeout=120)
    state = session.wait_for_retrain(timeout=120)
    assert session._thread is not first
    assert state.status == "done", state.error
    assert state.answers == 3


def test_a_retrained_model_keeps_the_calibration_shift_of_the_one_it_replaces(
    review_files: dict[str, Path], tmp_path: Path
) -> None:
    shifted = tmp_path / "shifted.joblib"
    train([review_files["train"]], shifted, cv=0, calibration_shift=1.7)
    new, _ = retrain(load_model(shifted), [review_files["train"]], [])
    assert new.card.calibration is not None
    assert new.card.calibration["shift"] == 1.7


def test_a_model_calibrated_on_whole_writers_is_retrained_so(
    review_files: dict[str, Path], tmp_path: Path
) -> None:
    lines = review_files["train"].read_text(encoding="utf-8").splitlines()
    grouped = tmp_path / "grouped.csv"
    grouped.write_text(
        "\n".join([lines[0] + ",brief"] + [f"{line},w{i % 4}" for i, line in enumerate(lines[1:])])
        + "\n",
        encoding="utf-8",
    )
    model = tmp_path / "grouped.joblib"
    train([grouped], model, cv=0, columns=Columns(group_column="brief"))
    before = load_model(model).card.calibration
    assert before is not None and "whole groups" in before["held_out"]
    new, _ = retrain(load_model(model), [grouped], [])
    assert new.card.calibration is not None
    assert new.card.calibration["held_out"] == before["held_out"]
    plain, _ = retrain(load_model(model), [review_files["train"]], [])  # no brief column
    assert plain.card.calibration is not None
    assert "whole groups" not in plain.card.calibration["held_out"]


def test_a_retrain_calibrated_on_a_held_out_tenth_learns_from_every_answer_it_keeps(
    session: ReviewSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Past calibration's cross-validation (60,000 rows; 20 here) a tenth of the rows is held
    # out to calibrate on and not learned from: never an answer the review keeps to learn.
    from headlines import calibration, training

    monkeypatch.setattr(calibration, "_CV_ROWS", 20)
    calls: list[tuple[object, object]] = []
    held_out_order = training.held_out_order

    def spy(labels: object, random_state: int = 0, learned: object = None) -> object:
        result = held_out_order(labels, random_state, learned)  # type: ignore[arg-type]
        calls.append((learned, result))
        return result

    monkeypatch.setattr(training, "held_out_order", spy)
    given = answer_all(session)
    assert session.start_retrain()
    state = session.wait_for_retrain(timeout=120)
    assert state.status == "done", state.error
    ((learned, result),) = calls
    assert isinstance(learned, np.ndarray) and isinstance(result, tuple)
    order, held = result
    assert learned.sum() == len([t for t, _ in given if not is_held_out(t)]) > 0
    assert held > 0 and not learned[order[-held:]].any()
