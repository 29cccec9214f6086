"""A crash or a deploy in the middle of a quiz loses no answer: `statusbot slack` killed with SIGKILL mid-question
and started again, then stopped with SIGTERM and started again, on SQLite and on PostgreSQL; the same for
`statusbot discord` through its fake."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import pytest

from tests.adapters.discord.harness import button, discord_process, title
from tests.adapters.slack.conftest import SlackProcess, buttons, header
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.slack_api import FakeSlack
from tests.reliability.conftest import pg_url
from tests.reliability.game_db import consistent, engine_for, game_in

PLAYERS = [("U1", "ada"), ("U2", "bob"), ("U3", "cy"), ("U4", "dee")]
ACKNOWLEDGED = ("Answer recorded.", "Right! +")


def click_all(
    process: SlackProcess, fake: FakeSlack, message: Any, players: list[tuple[str, str]], channel: str
) -> int:
    """Each player clicks one answer (spread over the choices); each is acknowledged privately. How many sent."""
    choices = buttons(message.blocks)
    for n, (user_id, name) in enumerate(players):
        choice = choices[n % len(choices)]
        clicked = process.click(
            message.to_dict(), choice["action_id"], choice["value"], user_id=user_id, user_name=name, channel_id=channel
        )
        said = header(fake.wait_for_response(clicked)[0].body["blocks"])
        assert said.startswith(ACKNOWLEDGED), said
    return len(players)


def question(fake: FakeSlack, channel: str, number: int, total: int, timeout: float = 15) -> Any:
    wanted = f"Question {number} of {total}"
    return fake.wait_for(
        lambda: next((m for m in fake.messages(channel) if m.blocks and header(m.blocks) == wanted), None),
        timeout,
        what=wanted,
    )


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_slack_sigkill_then_sigterm_mid_game_loses_no_answer(
    fake: FakeSlack, tmp_path: Path, request: pytest.FixtureRequest, database: str
) -> None:
    if database == "sqlite":
        settings: dict[str, str] = {}
        engine = engine_for(sqlite_path=str(tmp_path / "statusbot.sqlite3"))
    else:
        schema = request.getfixturevalue("pg_schema")
        settings = {"DATABASE_URL": pg_url(schema)}
        engine = engine_for(schema=schema)
    channel = f"C-crash-{database}"
    sent = 0
    first = SlackProcess(fake, tmp_path, **settings)
    try:
        first.command("/quiz", "start questions:3 seconds:5", channel_id=channel, user_id="U1", user_name="ada")
        q1 = question(fake, channel, 1, 3)
        sent += click_all(first, fake, q1, PLAYERS, channel)
        first.process.send_signal(signal.SIGKILL)  # mid-question: Q1 is still open
        first.process.wait(5)
    finally:
        first.stop()
    assert len(game_in(engine, channel)["answers"]) == sent  # every acknowledged answer survived the kill

    second = SlackProcess(fake, tmp_path, **settings)
    try:
        # the restarted process closes Q1 on time, editing the message the killed one posted
        fake.wait_for(
            lambda: (m := fake.message(channel, q1.ts)) and header(m.blocks).startswith("Answer: "),
            15,
            what="Q1 revealed after the restart",
        )
        q2 = question(fake, channel, 2, 3)
        sent += click_all(second, fake, q2, PLAYERS[:3], channel)  # one player still to answer
        second.process.send_signal(signal.SIGTERM)
        assert second.process.wait(15) == 0
        assert "Traceback" not in second.log.read_text()
    finally:
        second.stop()
    assert len(game_in(engine, channel)["answers"]) == sent
    assert game_in(engine, channel)["game"]["status"] == "running"  # the open question outlived the shutdown

    third = SlackProcess(fake, tmp_path, **settings)
    try:
        sent += click_all(third, fake, q2, PLAYERS[3:], channel)  # everyone answered: Q2 closes at once
        question(fake, channel, 3, 3)
        third.command("/quiz", "stop", channel_id=channel, user_id="U1", user_name="ada")
        fake.wait_for(lambda: any(header(m.blocks).startswith("Game over") for m in fake.messages(channel)))
        assert third.running() and fake.rejected == []
    finally:
        third.stop()
    stored = game_in(engine, channel)
    engine.dispose()
    assert (len(stored["answers"]), sent) == (8, 8)  # answers recorded == answers sent
    assert stored["game"]["status"] == "finished"
    assert consistent(stored, slack=1) == []
    assert sorted(stored["results"]) == ["U1", "U2", "U3", "U4"]


def test_discord_sigkill_mid_game_loses_no_answer(tmp_path: Path) -> None:
    engine = engine_for(sqlite_path=str(tmp_path / "statusbot.sqlite3"))
    with FakeDiscord() as fake:
        guild = fake.add_guild("Acme", members=["ada", "bob", "cy"])
        channel = guild.channel("general")
        players = [guild.member(name) for name in ("ada", "bob", "cy")]
        with discord_process(fake, guild, tmp_path, STATUSBOT_RATE_LIMITS="off") as first:
            fake.slash(
                "quiz",
                {"questions": 2, "seconds": 5},
                subcommand="start",
                guild=guild,
                channel=channel,
                member=players[0],
            )
            q1 = fake.wait_for(
                lambda: next((m for m in fake.messages(channel) if title(m) == "Question 1 of 2"), None), 10
            )
            clicks = [fake.click(q1, button(q1, letter), member=p) for letter, p in zip("ABC", players, strict=True)]
            for record in clicks:
                fake.wait_for(lambda record=record: record.response, 10, what="the click's acknowledgement")
            first.process.send_signal(signal.SIGKILL)
            first.process.wait(5)
        assert len(game_in(engine, str(channel.id))["answers"]) == 3

        with discord_process(fake, guild, tmp_path, ready=False, STATUSBOT_RATE_LIMITS="off") as second:
            fake.wait_for(lambda: title(fake.message(q1["id"])).startswith("Answer: "), 30, what="Q1 revealed")
            q2 = fake.wait_for(
                lambda: next((m for m in fake.messages(channel) if title(m) == "Question 2 of 2"), None), 10
            )
            for letter, player in zip("ABC", players, strict=True):  # everyone answers: the game ends
                fake.click(q2, button(q2, letter), member=player)
            fake.wait_for(lambda: any(title(m).startswith("Game over") for m in fake.messages(channel)), 15)
            assert second.process.poll() is None and fake.rejected == [] and fake.mention_unsafe == []
        assert second.code == 0, second.output()
    stored = game_in(engine, str(channel.id))
    engine.dispose()
    assert len(stored["answers"]) == 6
    assert stored["game"]["status"] == "finished"
    assert consistent(stored, slack=1) == []
