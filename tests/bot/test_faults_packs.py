"""A broken quiz pack, or an unusable QUIZ_PACKS_DIR, costs that pack only: the rest of the quiz plays."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.quiz.packs import load_packs
from tests.console_run import run_console as chat

GOOD = (
    'title = "Ours"\n\n[[question]]\nprompt = "Our API answers a duplicate slug with?"\n'
    'choices = ["409 Conflict", "400 Bad Request"]\nanswer = "409 Conflict"\nexplanation = "House rule."\n'
    'level = "easy"\ntopic = "4xx"\n'
)
BROKEN = GOOD + GOOD.split("\n\n", 1)[1].replace('answer = "409 Conflict"', 'answer = "418"')


@pytest.fixture
def packs(tmp_path: Path) -> Path:
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "ours.toml").write_text(GOOD, encoding="utf-8")
    (folder / "broken.toml").write_text(BROKEN, encoding="utf-8")
    return folder


def test_a_broken_pack_is_skipped_and_says_why_when_asked_for(packs: Path, tmp_path: Path) -> None:
    result = chat(
        "/quiz start pack:broken",
        "/quiz start questions:1 pack:ours",
        "/quiz stop",
        "/quiz start questions:1",
        "/quiz stop",
        QUIZ_PACKS_DIR=str(packs),
        STATUSBOT_DB=str(tmp_path / "quiz.sqlite3"),
    )
    why = (
        f"{packs / 'broken.toml'}: question 2: field 'answer' must be one of the choices, got '418' "
        "(the question starting on line 10)"
    )
    assert result.stdout.startswith(f"That question pack can't be played\n{why}\n")
    assert "Our API answers a duplicate slug with?" in result.stdout
    assert result.stdout.count("Question 1 of 1") == 2 and result.stdout.count("Ended: stopped.") == 2
    assert result.stderr == f"quiz pack skipped: {why}\n"  # logged once, however often it is asked for


@pytest.mark.parametrize("kind", ["missing", "a-file"])
def test_an_unusable_packs_folder_leaves_the_built_in_quiz(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "packs"
    if kind == "a-file":
        folder.write_text("not a folder")
    result = chat(
        "/quiz start questions:1",
        "/quiz stop",
        "/quiz start pack:ours",
        "/quiz start questions:1 pack:rest-basics",
        "/quiz stop",
        QUIZ_PACKS_DIR=str(folder),
        STATUSBOT_DB=str(tmp_path / "quiz.sqlite3"),
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert result.stdout.count("Question 1 of 1") == 2 and result.stdout.count("Ended: stopped.") == 2
    assert f"That question pack can't be played\nQUIZ_PACKS_DIR is not a folder: {folder}\n" in result.stdout


def test_a_broken_pack_is_logged_once_per_process(packs: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.quiz.packs"):
        first = load_packs([packs])
        again = load_packs([packs])
    assert [q.id for q in first] == [q.id for q in again] == ["pack:ours:1"]
    assert len(caplog.records) == 1 and "broken.toml: question 2" in caplog.records[0].getMessage()
