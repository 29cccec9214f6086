"""What storage guarantees a player, pinned: a retried answer after a rollback counts once, and only once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.quiz.bank import Bank
from bot.quiz.game import Player, Settings
from bot.quiz.service import QuizService
from bot.storage import schema as t
from bot.storage.database import make_engine, migrate
from bot.storage.quiz_store import QuizStore
from knowledge import knowledge, situations
from tests.conftest import PG_URL

KB = knowledge()
BANK = Bank(KB, situations())
ANA, BEN = Player("u1", "Ana"), Player("u2", "Ben")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database migrated the way a user's is, of each kind."""
    if request.param == "sqlite":
        made = make_engine(f"sqlite:///{tmp_path / 'quiz.sqlite3'}")
    else:
        made = make_engine(PG_URL, schema=request.getfixturevalue("pg_schema"))
    migrate(made)
    yield made
    made.dispose()


def stored_answers(engine: Engine) -> list[tuple[str, int, int]]:
    with engine.connect() as c:
        rows = c.execute(select(t.answers.c.player_id, t.answers.c.number, t.answers.c.points)).all()
    return sorted((row[0], row[1], row[2]) for row in rows)


def failing_once(real: Any) -> Any:
    """``real``, except that its first call fails the way a dropped connection or a lock timeout does."""
    calls: list[int] = []

    def call(*args: Any, **kwargs: Any) -> Any:
        if not calls:
            calls.append(1)
            raise OperationalError("UPDATE quiz_games …", {}, Exception("database is locked"))
        return real(*args, **kwargs)

    return call


@pytest.mark.parametrize("failing", ["record_answer", "save"])
def test_an_answer_lost_in_a_rollback_counts_when_retried(db: Engine, failing: str) -> None:
    clock = Clock()
    store = QuizStore(db, clock, questions=BANK.by_id.get)
    quiz = QuizService(store, BANK, KB, clock)
    game = quiz.start("W1", "C1", ANA, Settings(questions=2, seconds=20)).game
    assert game is not None and game.current is not None
    right = game.current.answer
    setattr(store, failing, failing_once(getattr(store, failing)))
    with pytest.raises(OperationalError):
        quiz.answer("C1", BEN, 0, right)
    assert stored_answers(db) == []  # rolled back: nothing of it was kept
    retried = quiz.answer("C1", BEN, 0, right)
    assert retried.outcome is not None
    assert (retried.outcome.status, retried.outcome.correct, retried.outcome.first) == ("accepted", True, True)
    assert retried.outcome.points == 175  # instant, first, right: 100 + 50 + 25
    assert stored_answers(db) == [("u2", 0, 175)]
    again = quiz.answer("C1", BEN, 0, right)
    assert again.outcome is not None and again.outcome.status == "duplicate"
    assert stored_answers(db) == [("u2", 0, 175)]


def test_the_database_itself_refuses_a_second_answer_to_one_question(db: Engine) -> None:
    """Two processes with stale copies of a game could both accept a click; the database keeps one."""
    row = {
        "game_id": "g1",
        "number": 0,
        "player_id": "u1",
        "player_name": "Ana",
        "choice": 0,
        "at": 1000.0,
        "correct": True,
        "first": True,
        "points": 175,
    }
    with db.begin() as c:
        c.execute(insert(t.answers).values(**row))
    with pytest.raises(IntegrityError), db.begin() as c:
        c.execute(insert(t.answers).values(**{**row, "choice": 1, "points": 0, "at": 1001.0}))
    with db.begin() as c:
        c.execute(insert(t.answers).values(**{**row, "number": 1}))  # the next question is another answer
        c.execute(insert(t.answers).values(**{**row, "player_id": "u2", "player_name": "Ben"}))
        assert c.execute(select(func.count()).select_from(t.answers)).scalar() == 3
