"""Two processes on one PostgreSQL, 50 simultaneous correct answers: exactly one first-correct."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

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


@pytest.fixture(params=["sqlite", "postgresql"])
def engines(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Engine]]:
    """Engines on one migrated database, each with its own connections (as separate processes have)."""
    made: list[Engine] = []

    def new() -> Engine:
        if request.param == "sqlite":
            engine = make_engine(f"sqlite:///{tmp_path / 'quiz.sqlite3'}")
        else:
            engine = make_engine(PG_URL, schema=request.getfixturevalue("pg_schema"))
        made.append(engine)
        return engine

    migrate(new())
    yield new
    for engine in made:
        engine.dispose()


def test_simultaneous_starts_from_several_processes_never_exceed_the_game_cap(engines):
    """Eight starts at the same moment, each through its own store, in a workspace allowed three games:
    three games run, five starters read why not."""
    kb = knowledge()
    bank = Bank(kb, situations())
    services = [QuizService(QuizStore(engines(), questions=bank.by_id.get), bank, kb) for _ in range(8)]
    for service in services:
        service.games_per_workspace = 3
    gate = threading.Barrier(len(services))

    def start(n: int) -> str:
        gate.wait()
        step = services[n].start("W", f"C{n}", Player(f"U{n}", f"P{n}"), Settings(questions=2, seconds=60))
        return "started" if step.game is not None and not step.refused else f"{step.refused}: {step.hint}"

    with ThreadPoolExecutor(len(services)) as pool:
        outcomes = list(pool.map(start, range(len(services))))
    refusal = (
        "Too many games are running here: At most 3 quiz games can run at once in this workspace. "
        "Wait for one to end, or stop one with /quiz stop, then start again."
    )
    assert sorted(outcomes) == [refusal] * 5 + ["started"] * 3
    with services[0].store.engine.connect() as c:
        running = select(func.count()).select_from(t.games).where(t.games.c.status == "running")
        assert c.execute(running).scalar() == 3
    # another workspace has its own three; a channel that has a game is told so, not that the cap is reached
    assert services[0].start("V", "D0", Player("U9", "P9"), Settings(questions=2)).refused == ""
    busy = outcomes.index("started")
    assert services[0].start("W", f"C{busy}", Player("U9", "P9"), Settings(questions=2)).refused == (
        "A game is already running in this channel."
    )
