"""A process that fires many correct answers at one question at the same moment (for the concurrency test).

Usage: python -m tests.bot.quiz.answer_burst URL SCHEMA CHANNEL CHOICE FIRST COUNT START_AT
"""

from __future__ import annotations

import sys
import threading
import time

from bot.quiz.bank import Bank
from bot.quiz.game import Player
from bot.quiz.service import QuizService
from bot.storage.database import make_engine
from bot.storage.quiz_store import QuizStore
from knowledge import knowledge, situations


def main() -> None:
    url, schema, channel, choice, first, count, start_at = sys.argv[1:8]
    engine = make_engine(url, schema=schema)
    engine.pool._pool.maxsize = int(count)  # type: ignore[attr-defined]  # one connection per thread
    kb = knowledge()
    quiz = QuizService(QuizStore(engine), Bank(kb, situations()), kb)
    results: list[str] = []

    def answer(number: int) -> None:
        while time.time() < float(start_at):
            time.sleep(0.001)
        step = quiz.answer(channel, Player(f"p{number}", f"Player {number}"), 0, int(choice))
        results.append(step.outcome.status if step.outcome else step.refused)

    threads = [threading.Thread(target=answer, args=(n,)) for n in range(int(first), int(first) + int(count))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(" ".join(results))


if __name__ == "__main__":
    main()
