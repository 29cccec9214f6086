"""Two processes on one PostgreSQL, 50 simultaneous correct answers: exactly one first-correct."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from sqlalchemy import func, select

from bot.quiz.bank import Bank
from bot.quiz.game import Player, Settings
from bot.quiz.service import QuizService
from bot.storage import schema as t
from bot.storage.database import make_engine, migrate
from bot.storage.quiz_store import QuizStore
from knowledge import knowledge, situations
from tests.bot.quiz.conftest import PG_URL


def test_fifty_simultaneous_correct_answers_from_two_processes(pg_schema):
    engine = make_engine(PG_URL, schema=pg_schema)
    migrate(engine)
    kb = knowledge()
    bank = Bank(kb, situations())
    quiz = QuizService(QuizStore(engine, questions=bank.by_id.get), bank, kb)
    game = quiz.start("W", "race", Player("host", "Host"), Settings(questions=2, seconds=120)).game
    right = game.current.answer
    start_at = time.time() + 4
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    bursts = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.bot.quiz.answer_burst",
                PG_URL,
                pg_schema,
                "race",
                str(right),
                str(first),
                "25",
                str(start_at),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for first in (0, 25)
    ]
    outputs = [burst.communicate(timeout=120) for burst in bursts]
    for burst, (out, err) in zip(bursts, outputs, strict=True):
        assert burst.returncode == 0, err
        assert out.split() == ["accepted"] * 25, out
    with engine.connect() as c:
        rows = c.execute(select(t.answers.c.player_id, t.answers.c.first).where(t.answers.c.game_id == game.id)).all()
        claimed = c.execute(
            select(t.questions.c.first_correct).where(t.questions.c.game_id == game.id, t.questions.c.number == 0)
        ).scalar()
        assert c.execute(select(func.count()).select_from(t.answers)).scalar() == 50
    assert len({player for player, _ in rows}) == 50
    firsts = [player for player, first in rows if first]
    assert len(firsts) == 1 and firsts[0] == claimed
    engine.dispose()
