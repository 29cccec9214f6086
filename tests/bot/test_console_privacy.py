"""Privacy in the console, through its real entry point: the same commands as in Slack and Discord."""

from __future__ import annotations

from tests.console_run import chat, run_console


def test_forget_me_asks_and_the_leaderboard_choice_is_kept_until_then(tmp_path):
    out = chat(
        "/as Ana",
        "/quiz leaderboard opt-out",
        "/quiz leaderboard optout",
        "/status forget-me",
        "2",
        "/status forget-me",
        "1",
        "/status forget-me",
        "1",
        STATUSBOT_DB=str(tmp_path / "quiz.sqlite3"),
    )
    assert out.count("You're off the leaderboards here") == 1
    assert out.count("You were already off the leaderboards here") == 1
    assert out.count("[1] Confirm\n[2] Cancel") == 3
    assert "Nothing was deleted\nEverything stays as it was." in out
    assert "Done: statusbot has forgotten you here\nDeleted 1 leaderboard opt-out." in out
    assert out.rstrip().endswith("statusbot keeps nothing about you here\nThere was nothing to delete.")


def test_a_malformed_retention_period_stops_the_console_naming_it(tmp_path):
    result = run_console("409", STATUSBOT_DB=str(tmp_path / "quiz.sqlite3"), STATUSBOT_RETENTION_DAYS="3 months")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        "statusbot: STATUSBOT_RETENTION_DAYS does not look right: it should be a whole number of days from 1 to "
        "36500 (default 90), not '3 months'\n"
    )
