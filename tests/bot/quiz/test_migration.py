"""A database the previous release (revision 0005) filled migrates forward with nothing lost, on SQLite and
PostgreSQL: every row is still there, and today's code reads it (the same leaderboard, the running game goes on)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, column, insert, select, table

from bot.privacy import set_listing
from bot.quiz.chat import QuizChat, Where
from bot.quiz.game import Player
from bot.storage import schema as t
from bot.storage.database import current_revision, head_revision, make_engine, migrate
from bot.storage.message_keys import MessageKeys, Posted
from tests.bot.quiz.test_game import FakeClock
from tests.bot.quiz.test_storage import BANK, KB, service
from tests.conftest import PG_URL

PREVIOUS_RELEASE = "0005"
NOW = 1_764_000_000.0  # Monday 24 Nov 2025, 16:00 UTC
SETTINGS = {"questions": 2, "seconds": 20, "level": "mixed", "topic": "all", "mode": "buttons", "pack": ""}
CHOICES = json.dumps(["409 Conflict", "404 Not Found", "400 Bad Request", "422 Unprocessable Content"])
CODES = json.dumps([409, 404, 400, 422])


def game(game_id: str, channel: str, status: str, **values: Any) -> dict[str, Any]:
    return {
        "id": game_id,
        "workspace": "T1",
        "channel": channel,
        "starter_id": "U1",
        "starter_name": "ada",
        "settings": json.dumps({**SETTINGS, "teams": game_id == "running"}),
        "status": status,
        "end_reason": "",
        "version": 3,
        **values,
    }


def question(game_id: str, number: int, deadline: float | None, first: str | None) -> dict[str, Any]:
    return {
        "game_id": game_id,
        "number": number,
        "question_id": f"stored:{number}",
        "choices": CHOICES,
        "answer": 0,
        "codes": CODES,
        "deadline": deadline,
        "first_correct": first,
    }


def answer(game_id: str, number: int, player: tuple[str, str], choice: int, at: float, points: int):
    return {  # no seq: the database numbers answers as they come
        "game_id": game_id,
        "number": number,
        "player_id": player[0],
        "player_name": player[1],
        "choice": choice,
        "at": at,
        "correct": choice == 0,
        "first": points > 125,
        "points": points,
    }


def result(player: tuple[str, str], points: int, won: bool, total_time: float) -> dict[str, Any]:
    return {
        "game_id": "done",
        "player_id": player[0],
        "player_name": player[1],
        "workspace": "T1",
        "channel": "C-done",
        "points": points,
        "correct": 2 if points > 200 else 1,
        "answered": 2,
        "best_streak": 2 if points > 200 else 1,
        "won": won,
        "finished_at": NOW - 3600,
        "total_time": total_time,
    }


ADA, BOB, CY = ("U1", "ada"), ("U2", "bob"), ("U3", "cy")
# What revision 0005's code wrote: a finished game (two questions, its answers and results), a running team game
# half-way through its first question, practice drills, and the message ids of posted questions.
OLD_ROWS: dict[str, list[dict[str, Any]]] = {
    "quiz_games": [
        game("done", "C-done", "finished", current=2, asked_at=NOW - 3640, deadline=NOW - 3620, started_at=NOW - 3700)
        | {"finished_at": NOW - 3600, "end_reason": "out of questions"},
        game("running", "C-run", "running", current=0, asked_at=NOW - 5, deadline=NOW + 15, started_at=NOW - 6)
        | {"finished_at": None},
    ],
    "quiz_channel_games": [{"channel": "C-run", "game_id": "running"}],
    "quiz_questions": [
        question("done", 0, NOW - 3680, "U1"),
        question("done", 1, NOW - 3620, "U2"),
        question("running", 0, NOW + 15, "U1"),
        question("running", 1, None, None),
    ],
    "quiz_answers": [
        answer("done", 0, ADA, 0, NOW - 3695, 168),
        answer("done", 0, BOB, 1, NOW - 3690, 0),
        answer("done", 1, BOB, 0, NOW - 3638, 170),
        answer("done", 1, ADA, 0, NOW - 3636, 150),
        answer("running", 0, ADA, 0, NOW, 163),
    ],
    "quiz_results": [result(ADA, 318, True, 9.0), result(BOB, 170, False, 12.0)],
    "quiz_teams": [
        {"game_id": "running", "player_id": "U1", "team": "Red", "joined": False, "player_name": "ada"},
        {"game_id": "running", "player_id": "U3", "team": "Blue", "joined": True, "player_name": "cy"},
    ],
    "quiz_practice": [
        {"workspace": "T1", "player_id": "U2", "question_id": "meaning:409", "box": 3},
        {"workspace": "T1", "player_id": "U2", "question_id": "meaning:404", "box": 1},
    ],
    "quiz_practice_state": [
        {"workspace": "T1", "player_id": "U2", "asked": 4, "due": '[[6, "meaning:404"]]', "recent": '["meaning:409"]'}
    ],
    "chat_messages": [
        {"platform": "slack", "key": "quiz:running:0", "channel": "C-run", "message_id": "171.5", "posted_at": NOW - 5}
    ],
}


@pytest.fixture(params=["sqlite", "postgresql"])
def previous_release(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """A database at the previous release's revision, filled as that release would have filled it."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'previous.sqlite3'}")
    else:
        engine = make_engine(PG_URL, schema=request.getfixturevalue("pg_schema"))
    migrate(engine, PREVIOUS_RELEASE)
    with engine.begin() as c:
        for name, rows in OLD_ROWS.items():  # only the columns that release has: no table object of today's
            c.execute(insert(table(name, *(column(key) for key in rows[0]))), rows)
    yield engine
    engine.dispose()


def stored(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """The previous release's columns of every row it wrote, as they read now."""
    with engine.connect() as c:
        found = {}
        for name, rows in OLD_ROWS.items():
            today = t.metadata.tables[name]  # typed as today's code reads them (booleans as booleans)
            query = select(*(today.c[key] for key in rows[0]))
            found[name] = [dict(row) for row in c.execute(query).mappings()]
        return found


def canonical(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    return {name: sorted(json.dumps(row, sort_keys=True) for row in table_rows) for name, table_rows in rows.items()}


def test_a_database_of_the_previous_release_migrates_forward_with_nothing_lost(previous_release):
    engine = previous_release
    assert current_revision(engine) == PREVIOUS_RELEASE
    assert canonical(stored(engine)) == canonical(OLD_ROWS)
    migrate(engine)  # what the new release does when it starts
    assert current_revision(engine) == head_revision()
    assert canonical(stored(engine)) == canonical(OLD_ROWS)  # every row, every value

    clock = FakeClock()
    clock.now = NOW
    quiz = service(engine, clock)
    chat = QuizChat(KB, BANK, quiz)
    # the leaderboard shows the same points
    board = chat.command("leaderboard", "scope:server", Player("U9", "boss"), Where("T1", "C-done"))[0]
    assert board.text == "1. ada: 318 pts · 1 game · 1 win\n2. bob: 170 pts · 1 game · 0 wins"
    # the running game goes on where it was: ada's stored answer scores as it did, cy is still in team Blue
    score = chat.command("score", "", Player("U9", "boss"), Where("T1", "C-run"))[-1]
    assert score.title == "Scores after 0 of 2 questions"
    assert score.fields[0].value == "1. ada [Red]: 163 pts (1/1 right)\n2. cy [Blue]: 0 pts (0/0 right)"
    step = quiz.answer("C-run", Player("U3", "cy"), 0, 0)  # everyone playing has answered now: revealed
    assert step.outcome is not None and step.outcome.points == 138
    assert [event.kind for event in step.events] == ["reveal", "question"]
    # practice drills and posted messages are where they were
    assert quiz.store.boxes("T1", "U2") == {"meaning:409": 3, "meaning:404": 1}
    with quiz.store.transaction() as c:
        drill = quiz.store.load_practice(c, "T1", "U2")
    assert (drill.asked, drill.due, drill.recent) == (4, ((6, "meaning:404"),), ("meaning:409",))
    assert MessageKeys(engine, "slack").get("quiz:running:0") == Posted("C-run", "171.5")
    # and what is new works on the old rows: bob leaves the leaderboards
    set_listing(chat, "T1", "U2", listed=False, platform="slack")
    board = chat.command("leaderboard", "scope:server", Player("U9", "boss"), Where("T1", "C-done"))[0]
    assert board.text == "1. ada: 318 pts · 1 game · 1 win"
