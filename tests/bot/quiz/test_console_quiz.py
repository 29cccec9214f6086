"""The quiz in the console through its real entry point, with real 5-second timers."""

from __future__ import annotations

from tests.bot.test_console import chat as console_chat


def chat(tmp_path, *lines: str) -> str:
    return console_chat(*lines, STATUSBOT_DB=str(tmp_path / "quiz.sqlite3"))


def test_two_players_take_turns_and_the_game_plays_out(tmp_path):
    out = chat(
        tmp_path, "/quiz start questions:2 seconds:5", "/as Ana", "a", "/as Ben", "b", "/as Ana", "/quiz leaderboard"
    )
    assert "Question 1 of 2" in out and "Question 2 of 2" in out
    assert out.count("Answer: ") == 2
    assert "Game over" in out and "Standings" in out
    assert "Ana" in out and "Ben" in out


def test_bad_options_and_permissions_change_nothing(tmp_path):
    out = chat(
        tmp_path,
        "/quiz start questions:99",
        "/quiz start seconds:3",
        "/quiz start level:insane",
        "/as Host",
        "/quiz start questions:1 seconds:5",
        "/as Eve",
        "/quiz stop",
        "/quiz start",
        "/as Host",
        "/quiz stop",
    )
    assert "questions must be a whole number from 1 to 50" in out
    assert "seconds must be a whole number from 5 to 120" in out
    assert "level must be one of easy, medium, hard, mixed" in out
    assert "Only the player who started the game or a moderator can do that" in out
    assert "A game is already running in this channel" in out
    assert "Ended: stopped" in out


def test_typed_mode_in_the_console(tmp_path):
    out = chat(tmp_path, "/quiz start questions:1 seconds:5 mode:typed", "just thinking out loud", "401 403 404 409")
    assert "s to type the code or its name, or the letter · one answer each" in out
    assert "Answer recorded." in out  # the message naming several codes used up the answer and scored nothing
    assert "Game over" in out


def test_odd_digits_and_chatter_never_crash_the_console(tmp_path):
    out = chat(tmp_path, "²", "/quiz start questions:1 seconds:5", "³")
    assert "Question 1 of 1" in out and "Game over" in out


def test_typed_mode_takes_the_letter_shown(tmp_path):
    out = chat(tmp_path, "/quiz start questions:1 seconds:5 mode:typed", "B")
    assert "Answer recorded." in out or "Right! +" in out
    assert "Game over" in out
