"""The chat adapters' quiz clock also runs the retention purge: at most once per period, cheaply."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from adapters.chat.quiz_clock import QuizClock
from adapters.chat.runtime import ChatRuntime, Sender
from bot.conversation import Conversation, default_quiz
from bot.storage import schema as t
from bot.storage.database import make_engine, migrate
from tests.bot.quiz.test_game import FakeClock
from tests.bot.quiz.test_privacy import ANA, play
from tests.bot.quiz.test_storage import KB, service

DAY = 86400


async def nobody(_: str) -> Sender | None:
    return None


@pytest.mark.asyncio
async def test_the_quiz_clock_purges_expired_data_once_an_hour(tmp_path, monkeypatch):
    monkeypatch.setenv("STATUSBOT_RETENTION_DAYS", "7")
    engine = make_engine(f"sqlite:///{tmp_path / 'quiz.sqlite3'}")
    migrate(engine)
    runtime = ChatRuntime(Conversation(KB, quiz=lambda: default_quiz(KB, engine)), None)
    clock = FakeClock()
    quiz_clock = QuizClock(runtime, nobody, clock=clock)
    try:
        await quiz_clock.step()  # the quiz opens (and purges: nothing yet)
        past = FakeClock()
        past.now = time.time() - 8 * DAY
        play(service(engine, past), past, "W1", "C1", ANA)  # a game that finished 8 days ago

        def answers() -> list[str]:
            with engine.connect() as c:
                return list(c.execute(select(t.answers.c.player_id)).scalars())

        clock.advance(3599)
        await quiz_clock.step()
        assert answers() == ["u1"]  # not an hour since the last purge
        clock.advance(1)
        await quiz_clock.step()
        assert answers() == []
    finally:
        runtime.close()
        engine.dispose()
