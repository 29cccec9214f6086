"""Quiz load: 1,000 simultaneous channel games with 20 players each, one process, SQLite, every answer committed.

Prints answers handled per second, the latency from submit to commit (p50, p99; each answer is timed
on its own, so queueing is excluded), and peak RSS. Targets: p99 ≤ 5 ms per answer, ≤ 150 MB.

Run: python -m benchmarks.quiz_load [GAMES] [PLAYERS] [QUESTIONS]
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.scenarios import machine_speed
from bot.quiz.bank import Bank
from bot.quiz.game import Player, Settings
from bot.quiz.service import QuizService
from bot.storage.database import make_engine, migrate
from bot.storage.quiz_store import QuizStore
from knowledge import knowledge, situations


def main() -> None:
    games, players, questions = (int(a) for a in [*sys.argv[1:], "1000", "20", "3"][:3])
    folder = Path(tempfile.mkdtemp(prefix="statusbot-load-"))
    engine = make_engine(f"sqlite:///{folder / 'load.sqlite3'}")
    migrate(engine)
    kb = knowledge()
    bank = Bank(kb, situations())
    quiz = QuizService(QuizStore(engine), bank, kb)
    rng = random.Random(409)
    channels = [f"C{n}" for n in range(games)]
    for channel in channels:
        quiz.start("W", channel, Player(f"{channel}-p0", "Starter"), Settings(questions=questions, seconds=120))
    latencies: list[float] = []
    started = time.perf_counter()
    for number in range(questions):
        for p in range(players):
            for channel in channels:
                player = Player(f"{channel}-p{p}", f"Player {p}")
                submitted = time.perf_counter()
                step = quiz.answer(channel, player, number, rng.randrange(2))  # every question has 2+ choices
                latencies.append(time.perf_counter() - submitted)
                assert step.outcome is not None and step.outcome.status == "accepted", step
        for channel in channels:
            current = quiz.current(channel)
            if current is not None and current.index == number:  # the first question waits for its timer
                quiz.skip(channel, Player(f"{channel}-p0", "Starter"))
    elapsed = time.perf_counter() - started
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[int(len(latencies) * 0.99)] * 1000
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine speed {machine_speed():.0f} ns per probe loop (about 500 on a quiet machine)")
    print(f"{games} games × {players} players × {questions} questions on SQLite: {len(latencies)} answers committed")
    print(f"answers per second: {len(latencies) / elapsed:.0f}")
    print(f"submit to commit: p50 {p50:.2f} ms, p99 {p99:.2f} ms (target p99 ≤ 5 ms)")
    print(f"peak RSS: {rss:.0f} MB (target ≤ 150 MB)")


if __name__ == "__main__":
    main()
