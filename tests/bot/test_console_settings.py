"""Team settings in the console: the one person at the keyboard administers it, and the quiz settings apply."""

from __future__ import annotations

from pathlib import Path

from tests.console_run import chat


def test_the_console_user_changes_settings_and_the_quiz_uses_them(tmp_path: Path) -> None:
    out = chat(
        "/status settings",
        "/status settings quiz-defaults questions:1 seconds:5",
        "/status settings quiz-starters moderators",
        "/status settings quiz-defaults questions:500",
        "/quiz start",
        "/quiz stop",
        STATUSBOT_DB=str(tmp_path / "statusbot.sqlite3"),
    )
    assert "quiz-starters: everyone" in out  # the settings as they were
    assert "Saved: quiz-defaults is now questions:1 seconds:5" in out
    assert "Saved: quiz-starters is now moderators" in out
    assert "Those quiz options don't work\nquestions must be a whole number from 1 to 50." in out
    assert "Only moderators can start a game here" not in out  # the console user is its own admin
    assert "Question 1 of 1" in out and "5 s to pick an answer" in out  # the defaults, not 10 questions of 20 s


def test_settings_are_kept_between_consoles_and_the_last_quiz_channel_stays(tmp_path: Path) -> None:
    database = str(tmp_path / "statusbot.sqlite3")
    chat("/status settings quiz-channels add", "/status settings quiz-channels remove", STATUSBOT_DB=database)
    out = chat("/status settings", STATUSBOT_DB=database)
    assert "quiz-channels: console" in out  # removing the only channel was refused, so it stayed
