"""Abuse limits: a spammer is told once to slow down and nobody else notices; games per workspace are capped;
oversized input is refused before anything reads it. Unit checks on a fake clock, then the real processes."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from adapters.chat.limits import PRUNE_AT, ChatLimits, LimitSettings, Rate
from adapters.chat.runtime import ChatRuntime
from bot.conversation import Conversation, Place, User
from tests.adapters.discord.harness import answered, running_bot, text_of, title
from tests.adapters.slack.conftest import SlackProcess, header
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.slack_api import FakeSlack

SLOW_DOWN = "Slow down, try again in 1 s"
SLOW_DOWN_TEXT = "You sent more requests than I answer in a row. That's 429 Too Many Requests, with Retry-After: 1."


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limits(clock: Clock, **settings: Any) -> ChatLimits:
    return ChatLimits(LimitSettings(**settings), clock=clock)


def test_a_spammer_is_told_once_then_ignored_and_others_are_unaffected() -> None:
    clock = Clock()
    chat = limits(clock)
    outcomes = [chat.command("U1", "T1", "C1", "409") for _ in range(25)]
    assert outcomes[:20] == [None] * 20
    refusal = outcomes[20]
    assert refusal is not None and len(refusal) == 1
    assert (refusal[0].title, refusal[0].text, refusal[0].private) == (SLOW_DOWN, SLOW_DOWN_TEXT, True)
    assert outcomes[21:] == [[], [], [], []]  # told once: no reply of ours adds to the flood
    assert chat.command("U2", "T1", "C1", "409") is None  # the channel's bucket was not drained by the refusals
    clock.now += 1.0
    assert chat.command("U1", "T1", "C1", "409") is None  # one token back after a second
    assert chat.refused == 5


def test_a_channel_has_its_own_limit_over_its_users() -> None:
    clock = Clock()
    chat = limits(clock, channel=Rate(burst=60, per_second=5.0))
    allowed = [chat.command(f"U{n}", "T1", "C1", "409") for n in range(61)]
    assert allowed[:60] == [None] * 60
    assert allowed[60] is not None and allowed[60][0].title == SLOW_DOWN
    assert chat.command("U99", "T1", "C2", "409") is None  # another channel is unaffected


def test_clicks_have_their_own_bucket_per_user() -> None:
    chat = limits(Clock())
    assert all(chat.click("U1", "T1", "v1:2:0") is None for _ in range(30))
    refused = chat.click("U1", "T1", "v1:2:0")
    assert refused is not None and refused[0].title == SLOW_DOWN
    assert chat.command("U1", "T1", "C1", "409") is None  # commands are counted apart from clicks


def test_oversized_input_is_refused_before_anything_reads_it() -> None:
    def never(*_: object) -> list[Any]:
        raise AssertionError("the conversation must not see oversized input")

    conversation = Conversation()
    conversation.on_command = never  # type: ignore[method-assign]
    conversation.instant = never  # type: ignore[method-assign]
    runtime = ChatRuntime(conversation, None, limits=limits(Clock()))
    huge = "A" * 10_000_000
    started = time.perf_counter()
    refused = runtime.instant("status", huge, User("U1", "ada"), Place("T1", "C1"))
    took = time.perf_counter() - started
    runtime.close()
    assert refused is not None
    assert refused[0].title == "That's too long for me"
    assert refused[0].text == (
        "Send at most 4,000 characters. To check a response, paste its status line and headers, not the body."
    )
    assert took < 0.01  # len() and a bucket: no parsing of the 10 MB
    assert limits(Clock()).message("U1", "T1", huge) is False  # a typed answer that long is dropped silently


def test_the_game_cap_counts_the_database_and_this_processs_own_starts() -> None:
    clock = Clock()
    chat = limits(clock, games_per_workspace=2)
    chat.games.update([("T1", "C1")], read_started=clock.now)
    assert chat.game_start("T1", "C2") is None
    refused = chat.game_start("T1", "C3")
    assert refused is not None
    assert refused[0].title == "Too many games are running here"
    assert refused[0].text == (
        "At most 2 quiz games can run at once in this workspace. "
        "Wait for one to end, or stop one with /quiz stop, then start again."
    )
    assert chat.game_start("T1", "C1") is None  # that channel has its game: the quiz itself will say so
    assert chat.game_start("T2", "C9") is None  # other workspaces have their own cap
    clock.now += 1
    chat.games.update([("T1", "C1")], read_started=clock.now)  # C2's game has ended meanwhile
    assert chat.game_start("T1", "C3") is None


def test_a_second_process_that_has_not_counted_yet_still_keeps_the_cap(tmp_path: Path) -> None:
    """Two processes on one database: the second has not read the running games yet (its count refreshes every
    second), so its limiter lets the start through, and the database refuses it."""
    import asyncio

    from bot.conversation import default_quiz
    from bot.storage.database import make_engine, migrate

    engine = make_engine(f"sqlite:///{tmp_path / 'quiz.sqlite3'}")
    migrate(engine)

    def process() -> ChatRuntime:
        conversation = Conversation(quiz=lambda: default_quiz(conversation.kb, engine))
        return ChatRuntime(conversation, None, limits=ChatLimits(LimitSettings(games_per_workspace=2)))

    first, second = process(), process()

    async def start(runtime: ChatRuntime, channel: str) -> list[str]:
        replies = await runtime.command("quiz", "start", User("U1", "Ann"), Place("T1", channel))
        return [f"{reply.title}: {reply.text}" for reply in replies if reply.private]

    try:
        assert asyncio.run(start(first, "C1")) == []
        assert asyncio.run(start(first, "C2")) == []
        assert asyncio.run(start(second, "C3")) == [
            "Too many games are running here: At most 2 quiz games can run at once in this workspace. "
            "Wait for one to end, or stop one with /quiz stop, then start again."
        ]
    finally:
        for runtime in (first, second):
            runtime.pool.shutdown()
        engine.dispose()


def test_memory_stays_bounded_when_users_come_and_go() -> None:
    clock = Clock()
    chat = limits(clock)
    for n in range(PRUNE_AT + 5_000):
        chat.command(f"U{n}", "T1", f"C{n}", "409")
        clock.now += 0.02  # 20 ms apart: early users' buckets are full again by the time the table is pruned
    assert len(chat.rates) <= PRUNE_AT * 2


def test_the_settings_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from adapters.chat.settings import SettingError

    monkeypatch.setenv("STATUSBOT_RATE_LIMITS", "off")
    monkeypatch.setenv("STATUSBOT_MAX_GAMES", "3")
    settings = LimitSettings.from_environment()
    assert (settings.enabled, settings.games_per_workspace) == (False, 3)
    monkeypatch.setenv("STATUSBOT_MAX_GAMES", "many")
    with pytest.raises(SettingError) as error:
        LimitSettings.from_environment()
    assert str(error.value) == "STATUSBOT_MAX_GAMES does not look right: it should be a whole number from 1, not 'many'"


def test_slack_a_spammer_gets_one_slow_down_and_the_others_and_the_game_cap_hold(
    fake: FakeSlack, tmp_path: Path
) -> None:
    slack = SlackProcess(fake, tmp_path, STATUSBOT_RATE_LIMITS="on", STATUSBOT_MAX_GAMES="2")
    try:
        seen = []
        for _ in range(25):
            status, body, _ = slack.command("/status", "409", channel_id="C-spam", user_id="U1", user_name="ada")
            assert status == 200
            seen.append(header(body["blocks"]) if body else "")
        assert seen.count(SLOW_DOWN) == 1
        first_refusal = seen.index(SLOW_DOWN)
        assert first_refusal >= 20
        assert set(seen) <= {"409 Conflict", SLOW_DOWN, ""}
        _, other, _ = slack.command("/status", "409", channel_id="C-spam", user_id="U2", user_name="bob")
        assert header(other["blocks"]) == "409 Conflict"

        _, long, _ = slack.command("/status", "check " + "x" * 5000, channel_id="C-spam", user_id="U3", user_name="cy")
        assert header(long["blocks"]) == "That's too long for me"

        for channel in ("C-game1", "C-game2"):
            slack.command("/quiz", "start questions:1 seconds:60", channel_id=channel, user_id="U4", user_name="dee")
            fake.wait_for(lambda channel=channel: fake.messages(channel), what=f"the question in {channel}")
        _, capped, _ = slack.command(
            "/quiz", "start questions:1 seconds:60", channel_id="C-game3", user_id="U4", user_name="dee"
        )
        assert header(capped["blocks"]) == "Too many games are running here"
        assert fake.messages("C-game3") == []
        for channel in ("C-game1", "C-game2"):
            slack.command("/quiz", "stop", channel_id=channel, user_id="U4", user_name="dee")
        assert slack.running() and fake.rejected == []
    finally:
        slack.stop()


@pytest.mark.asyncio
async def test_discord_a_spammer_gets_one_slow_down_and_others_are_unaffected(tmp_path: Path) -> None:
    with FakeDiscord() as fake:
        guild = fake.add_guild("Acme", members=["ada", "bob"])
        where = {"guild": guild, "channel": guild.channel("general")}
        async with running_bot(fake, tmp_path / "db.sqlite3", rate_limits=True):
            titles = []
            for _ in range(22):
                record = await answered(
                    fake, fake.slash("status", {"query": "409"}, member=guild.member("ada"), **where)
                )
                titles.append(title(record.original) if record.original else "")
            assert titles.count(SLOW_DOWN) == 1
            assert titles.index(SLOW_DOWN) >= 20
            assert set(titles) <= {"409 Conflict", SLOW_DOWN, ""}
            refused = next(r for r in fake.interactions() if r.original and title(r.original) == SLOW_DOWN)
            assert refused.ephemeral and SLOW_DOWN_TEXT in text_of(refused.original)
            other = await answered(fake, fake.slash("status", {"query": "409"}, member=guild.member("bob"), **where))
            assert title(other.original) == "409 Conflict"
        assert fake.rejected == [] and fake.mention_unsafe == []


@pytest.mark.asyncio
async def test_a_submitted_check_dialog_passes_the_same_limits() -> None:
    runtime = ChatRuntime(Conversation(), None, limits=limits(Clock()))
    try:
        refused = await runtime.form("statusbot.check", "x" * 5000, User("U1", "ada"), Place("T1", "C1"))
    finally:
        runtime.close()
    assert [(r.title, r.private) for r in refused] == [("That's too long for me", True)]
