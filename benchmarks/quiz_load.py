"""Quiz load: many channel games answered at once, every answer committed.

One process (the default): GAMES games × PLAYERS players × QUESTIONS questions on SQLite, answered in
turn. Prints answers per second, the latency from submit to commit (p50, p99; each answer timed on its
own, so queueing is excluded) and peak RSS. Targets: p99 ≤ 5 ms per answer, ≤ 150 MB.

Several processes (``--processes N``): N processes answer the same games at the same moment, on
SQLite and on PostgreSQL (``--db``), and a share of the answers (``--drop``) first drops the game from
the process's cache, so the rebuild-from-database path is measured too. Prints, per database, answers
per second, p50/p99/max, errors, and whether every question has exactly one first-correct answer.
Back to back (the default) measures saturation; ``--rate`` offers a steady load and measures latency
under it. Each process goes round the games in its own order; ``--lockstep`` makes them all answer the
same game at the same moment, the worst case for the game's row lock.
Target on PostgreSQL with 4 processes: p99 ≤ 10 ms, zero errors, exactly one first-correct.

Run: python -m benchmarks.quiz_load [GAMES] [PLAYERS] [QUESTIONS]
     python -m benchmarks.quiz_load --processes 4 [--db sqlite,postgresql] [--games 200] [--players 8]
       [--questions 3] [--drop 0.2] [--rate ANSWERS_PER_SECOND] [--lockstep]
PostgreSQL: DATABASE_URL, else postgresql+psycopg://postgres@127.0.0.1:5432/test (a schema made and dropped).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Engine, create_engine, event, select, text

from benchmarks.scenarios import machine_speed
from bot.quiz.bank import Bank
from bot.quiz.game import Player, Settings
from bot.quiz.service import QuizService
from bot.storage import schema as t
from bot.storage.database import database_url, make_engine, migrate
from bot.storage.quiz_store import QuizStore
from knowledge import knowledge, situations

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _service(engine: Engine) -> QuizService:
    kb = knowledge()
    bank = Bank(kb, situations())
    return QuizService(QuizStore(engine, questions=bank.by_id.get), bank, kb)


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


def single_process(games: int, players: int, questions: int) -> None:
    """The original figure: one process on SQLite, every game cached."""
    folder = Path(tempfile.mkdtemp(prefix="statusbot-load-"))
    engine = make_engine(f"sqlite:///{folder / 'load.sqlite3'}")
    migrate(engine)
    quiz = _service(engine)
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
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine speed {machine_speed():.0f} ns per probe loop (about 500 on a quiet machine)")
    print(f"{games} games × {players} players × {questions} questions on SQLite: {len(latencies)} answers committed")
    print(f"answers per second: {len(latencies) / elapsed:.0f}")
    print(
        f"submit to commit: p50 {_percentile(latencies, 0.5):.2f} ms, p99 {_percentile(latencies, 0.99):.2f} ms "
        "(target p99 ≤ 5 ms)"
    )
    print(f"peak RSS: {rss:.0f} MB (target ≤ 150 MB)")


# -- several processes ------------------------------------------------------------------
class Job(NamedTuple):
    """What one answering process does: its share of the players in every game."""

    url: str
    schema: str | None
    worker: int
    workers: int
    games: int
    players: int
    questions: int
    drop: float
    rate: float  # answers per second across all processes; 0: as fast as they go
    lockstep: bool  # every process answers the same game at the same moment (the worst case for its row lock)


class Report(NamedTuple):
    """What one answering process measured."""

    latencies: list[float]
    errors: list[str]
    seconds: float
    statements: int  # executed while answering (on PostgreSQL without BEGIN and COMMIT: psycopg sends those itself)
    cpu: float  # this process's CPU seconds while answering
    server_cpu: float | None  # the PostgreSQL backends' CPU seconds while answering (None: not readable here)


def _backend_cpu(pids: set[int]) -> float | None:
    """CPU seconds the PostgreSQL backends ``pids`` used so far, read from /proc (None when not on this host)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _answer(job: Job, barrier: Barrier, results: Any) -> None:
    """One process: for each question, answer it for its players in every game, all processes at once."""
    engine = make_engine(job.url, schema=job.schema)
    statements = [0]
    backends: set[int] = set()

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_: Any) -> None:
        statements[0] += 1

    @event.listens_for(engine, "connect")
    def _backend(connection: Any, _record: Any) -> None:
        if job.schema is not None:  # PostgreSQL: remember the server process, to read its CPU time
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backends.add(cursor.fetchone()[0])
            connection.rollback()

    quiz = _service(engine)
    rng = random.Random(job.worker)
    channels = [f"C{n}" for n in range(job.games)]
    if not job.lockstep:
        rng.shuffle(channels)  # each process goes round the channels in its own order, as players would
    mine = range(job.worker, job.players, job.workers)
    latencies: list[float] = []
    errors: list[str] = []
    busy = cpu = 0.0
    server_cpu: float | None = 0.0
    counted = 0
    for number in range(job.questions):
        rights = {}
        for channel in channels:  # not timed: which choice is right, so that many answers race to be first
            game = quiz.current(channel)
            assert game is not None and game.current is not None, channel
            rights[channel] = (game.id, game.current.answer)
        barrier.wait()
        server_before = _backend_cpu(backends)
        started = time.perf_counter()
        gap = job.workers / job.rate if job.rate else 0.0
        slot = started + gap * job.worker / job.workers  # processes take turns rather than fire together
        for p in mine:
            for channel in channels:
                if gap:  # paced: answers arrive at the given rate instead of back to back
                    slot += gap
                    time.sleep(max(0.0, slot - time.perf_counter()))
                game_id, right = rights[channel]
                choice = right if rng.random() < 0.5 else (right + 1) % 2
                if rng.random() < job.drop:
                    quiz.store.forget(game_id)  # as if another process had handled this game's last action
                before, cpu_before = statements[0], time.process_time()
                submitted = time.perf_counter()
                try:
                    step = quiz.answer(channel, Player(f"{channel}-p{p}", f"Player {p}"), number, choice)
                    status = step.outcome.status if step.outcome else step.refused
                except Exception as error:  # counted, not fatal: the figure is how many fail
                    status = f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"
                latencies.append(time.perf_counter() - submitted)
                cpu += time.process_time() - cpu_before
                counted += statements[0] - before
                if status != "accepted":
                    errors.append(status)
        busy += time.perf_counter() - started
        server_after = _backend_cpu(backends)
        if server_cpu is None or server_before is None or server_after is None:
            server_cpu = None
        else:
            server_cpu += server_after - server_before
        barrier.wait()
        if job.worker == 0:  # the first question waits for its timer: skip it, as the starter would
            for channel in channels:
                game = quiz.current(channel)
                if game is not None and game.index == number:
                    quiz.skip(channel, Player(f"{channel}-p0", "Player 0"))
        barrier.wait()
    results.put(Report(latencies, errors, busy, counted, cpu, server_cpu))
    engine.dispose()


@contextmanager
def _database(kind: str) -> Iterator[tuple[str, str | None]]:
    """A fresh database of ``kind``: a SQLite file, or a PostgreSQL schema dropped afterwards."""
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="statusbot-load-"))
        yield f"sqlite:///{folder / 'load.sqlite3'}", None
        return
    url = database_url() if os.environ.get("DATABASE_URL") else PG_DEFAULT
    schema = f"load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield url, schema
    finally:
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _firsts_ok(engine: Engine) -> tuple[int, int]:
    """(questions answered correctly, of those: exactly one first-correct answer, the player the question names)."""
    a, q = t.answers.c, t.questions.c
    with engine.connect() as c:
        firsts: dict[tuple[str, int], list[str]] = {}
        correct: set[tuple[str, int]] = set()
        for game, number, player, right, first in c.execute(
            select(a.game_id, a.number, a.player_id, a.correct, a.first)
        ):
            if right:
                correct.add((game, number))
            if first:
                firsts.setdefault((game, number), []).append(player)
        claimed = {(g, n): p for g, n, p in c.execute(select(q.game_id, q.number, q.first_correct))}
    good = sum(1 for key in correct if len(firsts.get(key, [])) == 1 and firsts[key][0] == claimed.get(key))
    return len(correct), good


def several_processes(
    kind: str, processes: int, games: int, players: int, questions: int, drop: float, rate: float, lockstep: bool
) -> None:
    """N processes answering the same games concurrently on one database of ``kind``."""
    with _database(kind) as (url, schema):
        engine = make_engine(url, schema=schema)
        migrate(engine)
        quiz = _service(engine)
        for n in range(games):
            quiz.start("W", f"C{n}", Player(f"C{n}-p0", "Player 0"), Settings(questions=questions, seconds=120))
        context = multiprocessing.get_context("spawn")
        barrier, results = context.Barrier(processes), context.Queue()
        jobs = [
            Job(url, schema, w, processes, games, players, questions, drop, rate, lockstep) for w in range(processes)
        ]
        workers = [context.Process(target=_answer, args=(job, barrier, results)) for job in jobs]
        for worker in workers:
            worker.start()
        reports: list[Report] = [results.get(timeout=900) for _ in workers]
        for worker in workers:
            worker.join()
        with_correct, good = _firsts_ok(engine)
        engine.dispose()
    latencies = sorted(x for r in reports for x in r.latencies)
    errors = [e for r in reports for e in r.errors]
    seconds = max(r.seconds for r in reports)
    print(
        f"{kind}, {processes} processes, {games} games × {players} players × {questions} questions, "
        f"{drop:.0%} of answers rebuild the game from the database"
        + (f", {rate:.0f} answers/s offered" if rate else ", answers back to back")
        + (", all processes on the same game at once:" if lockstep else ":")
    )
    print(f"  answers: {len(latencies)}, per second: {len(latencies) / seconds:.0f}")
    print(
        f"  submit to commit: p50 {_percentile(latencies, 0.5):.2f} ms, p99 {_percentile(latencies, 0.99):.2f} ms, "
        f"max {latencies[-1] * 1000:.1f} ms"
    )
    print(f"  errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    answers = len(latencies)
    server = [r.server_cpu for r in reports]
    print(
        f"  per answer: {sum(r.statements for r in reports) / answers:.2f} statements"
        + (" (+ BEGIN, COMMIT)" if kind == "postgresql" else " (BEGIN IMMEDIATE included)")
        + ", "
        f"client CPU {sum(r.cpu for r in reports) / answers * 1000:.3f} ms"
        + (
            f", PostgreSQL backend CPU {sum(x for x in server if x is not None) / answers * 1000:.3f} ms"
            if all(x is not None for x in server) and kind == "postgresql"
            else ""
        )
    )
    print(f"  exactly one first-correct: {good} of {with_correct} questions answered correctly")


# the options of the several-process mode, and their values when not given
SEVERAL = {"db": "sqlite,postgresql", "games": 200, "players": 8, "questions": 3, "drop": 0.2, "rate": 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, help="one process: GAMES PLAYERS QUESTIONS (1000 20 3)")
    parser.add_argument("--processes", type=int, default=0, help="several processes answering at once")
    # not given: left out of the namespace, so a mode they do not apply to can name them
    several = parser.add_argument_group("with --processes")
    several.add_argument("--db", help="engines, comma-separated (sqlite,postgresql)", default=argparse.SUPPRESS)
    several.add_argument("--games", type=int, default=argparse.SUPPRESS)
    several.add_argument("--players", type=int, default=argparse.SUPPRESS)
    several.add_argument("--questions", type=int, default=argparse.SUPPRESS)
    several.add_argument(
        "--drop", type=float, help="share of answers that rebuild the game first (0.2)", default=argparse.SUPPRESS
    )
    several.add_argument(
        "--rate", type=float, help="answers per second offered (0: back to back)", default=argparse.SUPPRESS
    )
    several.add_argument(
        "--lockstep", action="store_true", help="every process answers the same game at once", default=argparse.SUPPRESS
    )
    args = vars(parser.parse_args())
    processes: int = args.pop("processes")
    sizes: list[int] = args.pop("sizes")
    if processes < 0 or any(size <= 0 for size in sizes):
        parser.error("--processes and the sizes must be positive")
    if not processes:
        if args:
            given = ", ".join(f"--{name}" for name in args)
            parser.error(f"{given}: only with --processes N (one process runs on SQLite)")
        if len(sizes) > 3:
            parser.error("at most three sizes: GAMES PLAYERS QUESTIONS")
        games, players, questions = [*sizes, *(1000, 20, 3)[len(sizes) :]]
        single_process(games, players, questions)
        return
    if sizes:
        parser.error("with --processes, give the sizes as --games, --players and --questions")
    chosen = {**SEVERAL, "lockstep": False, **args}
    print(f"machine speed {machine_speed():.0f} ns per probe loop (about 500 on a quiet machine)")
    for kind in chosen["db"].split(","):
        several_processes(
            kind,
            processes,
            chosen["games"],
            chosen["players"],
            chosen["questions"],
            chosen["drop"],
            chosen["rate"],
            chosen["lockstep"],
        )


if __name__ == "__main__":
    main()
