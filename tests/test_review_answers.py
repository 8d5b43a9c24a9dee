"""The answers file: whole lines appended and taken back, nothing of the user's lost."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from headlines.dataset import load_dataset
from headlines.errors import HeadlinesError, InputError
from headlines.review.answers import Answer, AnswerLog

ANSWER = Answer("PSV wint", "sport", "a.txt", "2026-12-06T10:00:00+00:00", "0123456789ab")


def test_a_missing_file_is_made_with_the_columns(tmp_path: Path) -> None:
    log = AnswerLog(tmp_path / "answers.csv")
    log.append(ANSWER)
    assert (tmp_path / "answers.csv").read_text(encoding="utf-8") == (
        "headline,label,source,labelled_at,model\n"
        "PSV wint,sport,a.txt,2026-12-06T10:00:00+00:00,0123456789ab\n"
    )
    assert log.rows == [ANSWER]


def test_a_training_file_gets_the_columns_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "train.csv"
    path.write_text("headline;label\nRegen op komst;weather\nKabinet valt;politics", "utf-8")
    AnswerLog(path).append(ANSWER)
    assert path.read_text(encoding="utf-8") == (
        "headline;label;source;labelled_at;model\n"
        "Regen op komst;weather\n"
        "Kabinet valt;politics\n"  # the user's last line had no line end: it is kept
        "PSV wint;sport;a.txt;2026-12-06T10:00:00+00:00;0123456789ab\n"
    )
    data = load_dataset([path])
    assert data.texts == ["Regen op komst", "Kabinet valt", "PSV wint"]
    assert data.labels == ["weather", "politics", "sport"]


def test_undo_takes_back_exactly_the_last_answer(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    log = AnswerLog(path)
    second = Answer("Regen, hagel en wind", "weather", "b.txt", "2026-12-06T10:01:00+00:00", "m")
    log.append(ANSWER)
    before = path.read_bytes()
    log.append(second)
    assert log.remove_last(second) == second
    assert path.read_bytes() == before
    assert log.rows == [ANSWER]


def test_undo_never_removes_a_row_review_did_not_write(tmp_path: Path) -> None:
    path = tmp_path / "train.csv"
    path.write_text("headline,label\nRegen op komst,weather\n", "utf-8")
    log = AnswerLog(path)
    before = path.read_bytes()
    with pytest.raises(InputError, match="not the answer to undo"):
        log.remove_last()
    assert path.read_bytes() == before


def test_a_half_written_answer_is_left_out_and_removed_at_the_next_answer(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "answers.csv"
    AnswerLog(path).append(ANSWER)
    whole = path.read_bytes()
    with path.open("ab") as fh:
        fh.write(b"Gemeente verlengt proef,poli")  # a crash in the middle of a line
    with caplog.at_level(logging.WARNING):
        log = AnswerLog(path)
    assert log.rows == [ANSWER]
    assert "removing a half-written last line" in caplog.text
    assert "Gemeente verlengt proef,poli" in caplog.text
    second = Answer("Regen op komst", "weather", "b.txt", "t", "m")
    log.append(second)
    assert path.read_bytes() == whole + b"Regen op komst,weather,b.txt,t,m\n"


def test_a_file_only_looked_at_is_not_changed(tmp_path: Path) -> None:
    path = tmp_path / "train.csv"
    path.write_bytes(b"headline,label\nRegen op komst,weather")
    assert AnswerLog(path).rows == [Answer("Regen op komst", "weather")]
    assert path.read_bytes() == b"headline,label\nRegen op komst,weather"
    AnswerLog(tmp_path / "new.csv")
    assert not (tmp_path / "new.csv").exists()


def test_an_answer_without_its_line_end_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    AnswerLog(path).append(ANSWER)
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    log = AnswerLog(path)
    assert log.rows == [ANSWER]
    log.append(Answer("Regen op komst", "weather", "b.txt", "t", "m"))
    assert path.read_bytes().endswith(b"0123456789ab\nRegen op komst,weather,b.txt,t,m\n")


def test_line_breaks_in_a_headline_do_not_break_the_line(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    log = AnswerLog(path)
    log.append(Answer('Twee "regels"\nin een kop', "sport", "a.txt", "t", "m"))
    assert path.read_text(encoding="utf-8").splitlines()[1] == (
        '"Twee ""regels"" in een kop",sport,a.txt,t,m'
    )
    assert AnswerLog(path).rows[0].headline == 'Twee "regels" in een kop'


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"title,topic\nPSV wint,sport\n", "no column 'headline'"),
        ("headline,label\nCaf\u00e9 sluit,business\n".encode("cp1252"), "is not UTF-8 text"),
    ],
)
def test_a_file_review_cannot_append_to_is_a_clear_error(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "answers.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        AnswerLog(path)
    assert path.read_bytes() == content


def test_a_failed_append_leaves_no_half_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "answers.csv"
    log = AnswerLog(path)
    log.append(ANSWER)
    before = path.read_bytes()
    real_write = os.write

    def short_write(fd: int, data: bytes) -> int:
        return real_write(fd, data[:7])  # the disk filled up after seven bytes

    monkeypatch.setattr("headlines.review.answers.os.write", short_write)
    with pytest.raises(HeadlinesError, match="cannot save the answer"):
        log.append(ANSWER)
    assert path.read_bytes() == before
    assert log.rows == [ANSWER]
