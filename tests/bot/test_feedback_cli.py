"""`statusbot feedback export|report` as a maintainer runs them: real processes on a database of their own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot.storage.database import make_engine, migrate
from bot.storage.team_store import TeamStore
from tests.adapters.processes import clean_env


def run(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in the database's folder (so no .env of the checkout is read), with only its own settings."""
    env = clean_env(PYTHONIOENCODING="utf-8", STATUSBOT_DB=str(database))
    return subprocess.run(
        [sys.executable, "-m", "bot", "feedback", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=database.parent,
    )


def test_export_since_a_date_and_the_report(tmp_path: Path) -> None:
    database = tmp_path / "statusbot.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    migrate(engine)
    old = TeamStore(engine, clock=lambda: 1_764_547_200.0)  # 2025-12-01 00:00 UTC
    old.rate(old.record("T1", "U1", "an old question", [409], "sure"), "wrong", 422)
    new = TeamStore(engine, clock=lambda: 1_764_892_800.0)  # 2025-12-05
    new.rate(new.record("T1", "U2", "user already exists", [400], "likely"), "wrong", 409)
    new.rate(new.record("T2", "U3", "User already  exists", [400], "likely"), "wrong", 409)
    new.record("T2", "U3", "the coffee machine is broken", [], "abstain")
    engine.dispose()

    recent = run(database, "export", "--since", "2025-12-02")
    assert recent.returncode == 0, recent.stderr
    assert [json.loads(line) for line in recent.stdout.splitlines()] == [
        {"q": "user already exists", "accept": [409], "source": "feedback: rated wrong", "answered": [400]},
        {"q": "the coffee machine is broken", "accept": [], "source": "feedback: abstained", "answered": []},
    ]
    assert recent.stderr == "statusbot feedback: 2 questions exported\n"
    assert len(run(database, "export").stdout.splitlines()) == 3

    report = run(database, "report")
    assert report.returncode == 0, report.stderr
    assert report.stdout.splitlines()[0] == "4 kept: 3 rated (0 👍, 3 👎), 1 abstained on"
    assert "  2× user already exists\n" in report.stdout
    assert "  2× 400 Bad Request → 409 Conflict\n  1× 409 Conflict → 422 Unprocessable Content\n" in report.stdout


def test_a_bad_date_or_no_action_is_one_line_and_status_2(tmp_path: Path) -> None:
    database = tmp_path / "statusbot.sqlite3"
    bad = run(database, "export", "--since", "last week")
    assert bad.returncode == 2
    assert bad.stderr == "statusbot feedback: --since wants a date such as 2026-12-01, not 'last week'\n"
    assert bad.stdout == ""
    missing = run(database)
    assert missing.returncode == 2 and "export" in missing.stderr and "Traceback" not in missing.stderr


def test_report_and_export_never_print_escape_sequences_a_user_typed(tmp_path: Path) -> None:
    database = tmp_path / "statusbot.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    migrate(engine)
    store = TeamStore(engine)  # a row kept before questions were cleaned, as typed in Slack
    store.record("T1", "U1", "\x1b]0;owned\x07lunch \x1b[2J\x9b\u202etime", [], "abstain")
    engine.dispose()
    report = run(database, "report")
    assert "  1× lunch time\n" in report.stdout
    exported = run(database, "export")
    assert json.loads(exported.stdout) == {
        "q": "lunch time",
        "accept": [],
        "source": "feedback: abstained",
        "answered": [],
    }
    assert "\x9b" not in exported.stdout and "\u202e" not in exported.stdout


def test_a_mistyped_database_path_is_one_line_and_creates_nothing(tmp_path: Path) -> None:
    typo = tmp_path / "statusbot.sqlite"
    for action in ("export", "report"):
        result = run(typo, action)
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr == (
            f"statusbot feedback: STATUSBOT_DB names no database ({typo}): it should be the bot's SQLite file\n"
        )
    assert list(tmp_path.iterdir()) == []
