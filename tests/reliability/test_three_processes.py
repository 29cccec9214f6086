"""Three `statusbot slack` HTTP processes on one PostgreSQL, a game's clicks sent round-robin and all at once (each
player twice, to two different processes): one first-correct per question, each answer counted once, and the
questions still close on time after the process that posted them is killed."""

from __future__ import annotations

import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.adapters.slack.conftest import NAMES, SlackProcess, buttons, header
from tests.fakes.slack_api import FakeSlack
from tests.reliability.conftest import pg_url
from tests.reliability.game_db import consistent, engine_for, game_in

PLAYERS = sorted(NAMES.items())  # eight players
DUPLICATE = "You've already answered this one; your first answer counts."


def answer_index(engine: Any, game_id: str, number: int) -> int:
    from sqlalchemy import text

    with engine.connect() as c:
        return int(
            c.execute(
                text("SELECT answer FROM quiz_questions WHERE game_id = :g AND number = :n"),
                {"g": game_id, "n": number},
            ).scalar_one()
        )


def storm(processes: list[SlackProcess], fake: FakeSlack, message: Any, right: int, channel: str) -> list[list[str]]:
    """Every player clicks the right answer twice, on two different processes, all at once; what each was told."""
    choice = buttons(message.blocks)[right]

    def click(n: int, target: SlackProcess, user: tuple[str, str]) -> str:
        name = target.click(
            message.to_dict(),
            choice["action_id"],
            choice["value"],
            user_id=user[0],
            user_name=user[1],
            channel_id=channel,
        )
        body = fake.wait_for_response(name, timeout=15)[0].body
        return header(body["blocks"]) + "\n" + str(body.get("text", ""))

    with ThreadPoolExecutor(len(PLAYERS) * 2) as pool:
        futures = [
            [pool.submit(click, n, processes[(n + k) % len(processes)], user) for k in (0, 1)]
            for n, user in enumerate(PLAYERS)
        ]
        return [[future.result() for future in pair] for pair in futures]


def test_three_processes_share_one_game_exactly(fake: FakeSlack, tmp_path: Path, pg_schema: str) -> None:
    url = pg_url(pg_schema)
    engine = engine_for(schema=pg_schema)
    channel = "C-three"
    with ThreadPoolExecutor(3) as starting:
        processes = list(starting.map(lambda n: SlackProcess(fake, tmp_path, DATABASE_URL=url), range(3)))
    try:
        processes[0].command("/quiz", "start questions:2 seconds:8", channel_id=channel, user_id="U1", user_name="ada")
        q1 = fake.wait_for(lambda: fake.messages(channel), what="question 1")[0]
        assert header(q1.blocks) == "Question 1 of 2"
        game_id = str(game_in(engine, channel)["game"]["id"])
        told = storm(processes, fake, q1, answer_index(engine, game_id, 0), channel)
        for pair in told:  # one answer counted, the other acknowledged as a duplicate
            assert sum(said.startswith("Right! +") for said in pair) == 1, pair
            assert sum(DUPLICATE in said for said in pair) == 1, pair
        stored = game_in(engine, channel)
        assert len([a for a in stored["answers"] if a["number"] == 0]) == len(PLAYERS)
        assert sum(bool(a["first"]) for a in stored["answers"] if a["number"] == 0) == 1
        assert stored["firsts"][0] == next(a["player_id"] for a in stored["answers"] if a["first"])

        processes[0].process.send_signal(signal.SIGKILL)  # the process that posted question 1 dies
        processes[0].process.wait(5)
        fake.wait_for(
            lambda: (m := fake.message(channel, q1.ts)) and header(m.blocks).startswith("Answer: "),
            15,
            what="question 1 closed by a surviving process",
        )
        q2 = fake.wait_for(
            lambda: next((m for m in fake.messages(channel) if header(m.blocks) == "Question 2 of 2"), None),
            15,
            what="question 2",
        )
        told = storm(processes[1:], fake, q2, answer_index(engine, game_id, 1), channel)
        for pair in told:
            assert sum(said.startswith("Right! +") for said in pair) == 1, pair
        fake.wait_for(lambda: any(header(m.blocks).startswith("Game over") for m in fake.messages(channel)), 15)
        assert all(p.running() for p in processes[1:]) and fake.rejected == []
    finally:
        for process in processes:
            process.stop()
    stored = game_in(engine, channel)
    engine.dispose()
    assert len(stored["answers"]) == 2 * len(PLAYERS)  # 32 clicks sent, 16 answers: each counted once
    assert [sum(bool(a["first"]) for a in stored["answers"] if a["number"] == n) for n in (0, 1)] == [1, 1]
    assert stored["game"]["status"] == "finished"
    assert consistent(stored, slack=1) == []
