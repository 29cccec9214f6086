"""/quiz on Discord against the fake: a whole game with several players, refusals, stop rights, typed answers,
a restart in the middle of a game and a 429 on the way."""

from __future__ import annotations

import asyncio
import re
from types import SimpleNamespace

import discord.http
import pytest

from tests.adapters.discord.harness import answered, button, buttons, embed, running, running_bot, text_of, title
from tests.fakes.discord_api import CALLBACK_MESSAGE, INTENT_MESSAGE_CONTENT, FakeDiscord

pytestmark = pytest.mark.asyncio


def public(fake, channel):
    return [m for m in fake.messages(channel) if not m["flags"] & 64]


async def quiz(fake, world, subcommand, member, **options):
    record = fake.slash("quiz", options, subcommand=subcommand, guild=world.guild, channel=world.channel, member=member)
    return await answered(fake, record)


async def question(fake, world, number, total):
    wanted = f"Question {number} of {total}"
    return await fake.wait_for_async(
        lambda: next((m for m in public(fake, world.channel) if title(m) == wanted), None), 10, what=wanted
    )


async def revealed(fake, message_id, timeout=10.0):
    return await fake.wait_for_async(
        lambda: (m := fake.message(message_id)) and title(m).startswith("Answer: ") and m, timeout, what="the reveal"
    )


async def click(fake, message, label, member):
    record = await answered(fake, fake.click(message, button(message, label), member=member))
    await fake.wait_for_async(lambda: record.original or record.followups or record.response.type != CALLBACK_MESSAGE)
    return record


def said(record):
    message = record.original if record.response.type == CALLBACK_MESSAGE else (record.followups or [None])[0]
    return title(message)


async def test_a_whole_game_with_several_players(bot, fake, world):
    start = await quiz(fake, world, "start", world.ada, questions=2, seconds=5)
    assert start.response.type in (5, 6) or start.original is None or not start.ephemeral
    first = await question(fake, world, 1, 2)
    assert [b["label"][:2] for b in buttons(first)][:2] == ["A.", "B."]
    assert first["allowed_mentions"] == {"parse": []}
    ada = await click(fake, first, "A.", world.ada)
    assert ada.ephemeral
    assert said(ada) in ("Answer recorded.",) or said(ada).startswith("Right! +")
    again = await click(fake, first, "B.", world.ada)
    assert said(again) == "You've already answered this one; your first answer counts."
    bob = await click(fake, first, "B.", world.bob)
    assert said(bob) == "Answer recorded." or said(bob).startswith("Right! +")
    reveal = await revealed(fake, first["id"])  # the question's message, edited in place at its deadline
    assert [b["label"] for b in buttons(reveal)] == ["Learn more"]
    assert "Who" in text_of(reveal)
    second = await question(fake, world, 2, 2)
    await click(fake, second, "A.", world.ada)
    await click(fake, second, "B.", world.bob)  # everyone who played has answered: closes at once
    await revealed(fake, second["id"], timeout=3)
    over = await fake.wait_for_async(
        lambda: next((m for m in public(fake, world.channel) if title(m).startswith("Game over")), None),
        what="the final standings",
    )
    standings = text_of(over)
    assert "Ada" in standings and "Bob" in standings
    learn = await click(fake, reveal, "Learn more", world.cy)
    assert learn.ephemeral
    assert re.match(r"\d{3} ", said(learn))
    await quiz(fake, world, "leaderboard", world.cy, scope="server")
    board = await fake.wait_for_async(lambda: title(public(fake, world.channel)[-1]) == "Leaderboard, all time")
    assert "Ada" in text_of(public(fake, world.channel)[-1]) and board
    assert running(bot)


async def test_the_countdown_edits_the_question_in_place(bot, fake, world):
    await quiz(fake, world, "start", world.ada, questions=1, seconds=5)
    first = await question(fake, world, 1, 1)
    edits = await fake.wait_for_async(
        lambda: [r for r in fake.requests if r.method == "PATCH" and r.path.endswith(f"/messages/{first['id']}")],
        what="a countdown edit",
    )
    assert re.search(r"\d+ s left to pick an answer", embed(fake.message(first["id"]))["footer"]["text"]) or edits
    assert len(public(fake, world.channel)) == 1
    await quiz(fake, world, "stop", world.ada)
    assert running(bot)


async def test_a_click_after_the_deadline_is_refused(fake, world, tmp_path):
    # no clock: the question stays up past its deadline, as when a click races the reveal
    async with running_bot(fake, tmp_path / "db.sqlite3", clock_interval=3600) as client:
        await quiz(fake, world, "start", world.ada, questions=2, seconds=5)
        first = await question(fake, world, 1, 2)
        await click(fake, first, "A.", world.ada)
        await asyncio.sleep(5.2)
        late = await click(fake, first, "B.", world.bob)
        assert said(late) in ("Time was up for that question.", "That question is closed.")
        assert late.ephemeral
        await revealed(fake, first["id"], timeout=3)  # the late click closed it
        await question(fake, world, 2, 2)
        await quiz(fake, world, "stop", world.ada)
        assert running(client)
    assert fake.rejected == []


async def test_only_the_starter_or_a_moderator_may_stop(bot, fake, world):
    await quiz(fake, world, "start", world.ada, questions=3, seconds=30)
    await question(fake, world, 1, 3)
    refused = await quiz(fake, world, "stop", world.bob)
    assert title(refused.original) == "Only the player who started the game or a moderator can do that."
    assert refused.ephemeral
    skipped = await quiz(fake, world, "skip", world.mo)  # Manage Messages
    await question(fake, world, 2, 3)
    await fake.wait_for_async(lambda: skipped.original is None, what="no private refusal for the moderator")
    await quiz(fake, world, "stop", world.mo)
    over = await fake.wait_for_async(
        lambda: next((m for m in public(fake, world.channel) if title(m).startswith("Game over")), None)
    )
    assert "Ended:" in text_of(over)
    assert running(bot)


async def test_typed_mode_without_the_intent_explains_and_offers_buttons(bot, fake, world):
    record = await quiz(fake, world, "start", world.ada, mode="typed")
    assert title(record.original) == "Typed answers aren't available here"
    assert "DISCORD_MESSAGE_CONTENT=1" in text_of(record.original)
    assert "/quiz start mode:buttons" in text_of(record.original)
    assert record.ephemeral
    assert public(fake, world.channel) == []
    assert running(bot)


@pytest.fixture
def fake_with_content():
    with FakeDiscord(granted_intents=INTENT_MESSAGE_CONTENT) as server:
        yield server


async def test_typed_answers_with_the_message_content_intent(fake_with_content, tmp_path):
    fake = fake_with_content
    guild = fake.add_guild("Typers", members=["ada", "bob", "cy", "dee"])
    world = SimpleNamespace(guild=guild, channel=guild.channel("general"))
    people = [guild.member(name) for name in ("ada", "bob", "cy", "dee")]
    async with running_bot(fake, tmp_path / "db.sqlite3", message_content=True) as client:
        assert fake.session_intents() & INTENT_MESSAGE_CONTENT
        await quiz(fake, world, "start", people[0], questions=1, seconds=5, mode="typed", topic="4xx")
        asked = await question(fake, world, 1, 1)
        assert buttons(asked) == []
        choices = re.findall(r"^[A-D]\. (.+)$", embed(asked)["description"], re.MULTILINE)
        assert len(choices) >= 2
        fake.user_message(world.channel, people[0], "hello all, good luck")  # chatter: ignored
        typed = list(zip(people, choices, strict=False))
        for person, choice in typed:
            fake.user_message(world.channel, person, choice)
        reveal = await revealed(fake, asked["id"])
        right = title(reveal).removeprefix("Answer: ")
        winner = next(person for person, choice in typed if choice == right)
        assert f"First: {winner.user.global_name}." in text_of(reveal)
        assert running(client)
    assert fake.rejected == []
    assert fake.mention_unsafe == []


async def test_a_typed_answer_sent_as_a_reply_to_the_question_counts_as_an_answer(fake_with_content, tmp_path):
    """Discord puts the bot in a reply's mentions (the reply pings it), but the text names no one: it is an answer
    to the game, not a question for the bot."""
    fake = fake_with_content
    guild = fake.add_guild("Repliers", members=["ada", "bob", "cy", "dee"])
    world = SimpleNamespace(guild=guild, channel=guild.channel("general"))
    people = [guild.member(name) for name in ("ada", "bob", "cy", "dee")]
    async with running_bot(fake, tmp_path / "db.sqlite3", message_content=True) as client:
        await quiz(fake, world, "start", people[0], questions=1, seconds=5, mode="typed", topic="4xx")
        asked = await question(fake, world, 1, 1)
        choices = re.findall(r"^[A-D]\. (.+)$", embed(asked)["description"], re.MULTILINE)
        reference = {"message_id": asked["id"], "channel_id": str(world.channel.id), "guild_id": str(guild.id)}
        typed = list(zip(people, choices, strict=False))
        for person, choice in typed:
            fake.user_message(
                world.channel, person, choice, type=19, message_reference=reference, mentions=[fake.bot_user.payload()]
            )
        reveal = await revealed(fake, asked["id"])
        right = title(reveal).removeprefix("Answer: ")
        winner = next(person for person, choice in typed if choice == right)
        assert f"First: {winner.user.global_name}." in text_of(reveal)
        assert running(client)
    assert fake.rejected == []


async def test_message_content_refused_by_discord_is_one_line(tmp_path, monkeypatch):
    from adapters.chat.settings import SettingError
    from adapters.discord.main import Settings, serve

    saved = discord.http.Route.BASE
    with FakeDiscord(granted_intents=0) as fake:
        settings = Settings(fake.token, None, True, fake.api_base, None, None)
        try:
            with pytest.raises(SettingError, match="DISCORD_MESSAGE_CONTENT"):
                await asyncio.wait_for(serve(settings), 20)
            rejected = settings._replace(token=fake.token[:-4] + "AAAA", message_content=False)
            with pytest.raises(SettingError, match=r"^DISCORD_TOKEN was rejected by Discord$"):
                await asyncio.wait_for(serve(rejected), 20)
        finally:
            discord.http.Route.BASE = saved


async def test_a_restart_in_the_middle_of_a_game(fake, world, tmp_path):
    database = tmp_path / "shared.sqlite3"
    async with running_bot(fake, database, clock_interval=3600) as before:
        await quiz(fake, world, "start", world.ada, questions=2, seconds=5)
        first = await question(fake, world, 1, 2)
        await click(fake, first, "A.", world.ada)
        assert running(before)
    # a new process on the same database: the old message's buttons work, and its clock closes the question
    async with running_bot(fake, database) as after:
        bob = await click(fake, first, "B.", world.bob)
        assert said(bob) == "Answer recorded." or said(bob).startswith("Right! +")
        reveal = await revealed(fake, first["id"])
        assert "Who" in text_of(reveal)
        second = await question(fake, world, 2, 2)
        await click(fake, second, "A.", world.ada)
        await click(fake, second, "B.", world.bob)
        await fake.wait_for_async(lambda: any(title(m).startswith("Game over") for m in public(fake, world.channel)))
        assert running(after)
    assert fake.rejected == []
    assert fake.mention_unsafe == []


async def test_a_429_is_retried_without_losing_the_game(bot, fake, world):
    fake.fail_next("POST", r"/channels/\d+/messages$", status=429, retry_after=0.3)
    await quiz(fake, world, "start", world.ada, questions=1, seconds=5)
    first = await question(fake, world, 1, 1)
    await click(fake, first, "A.", world.ada)
    fake.fail_next("PATCH", r"/channels/\d+/messages/\d+$", status=429, retry_after=0.3, times=2)
    await revealed(fake, first["id"])
    await fake.wait_for_async(lambda: any(title(m).startswith("Game over") for m in public(fake, world.channel)))
    assert [r.status for r in fake.requests].count(429) == 3
    assert running(bot)


async def test_practice_is_a_private_drill_and_teams_can_be_joined(bot, fake, world):
    drill = await quiz(fake, world, "practice", world.cy)
    assert drill.ephemeral
    assert title(drill.original) == "Practice"
    answer = await click(fake, drill.original, "A.", world.cy)
    assert answer.ephemeral
    assert said(answer) == "Right!" or said(answer).startswith("Not quite: ")
    await fake.wait_for_async(lambda: len(answer.followups) >= 1 and title(answer.followups[-1]) == "Practice")
    assert public(fake, world.channel) == []

    await quiz(fake, world, "start", world.ada, questions=2, seconds=30, teams=True)
    await question(fake, world, 1, 2)
    joined = await quiz(fake, world, "join", world.bob, team="Red")
    assert title(joined.original) == "You're in team Red."
    score = await quiz(fake, world, "score", world.bob)
    standings = await fake.wait_for_async(
        lambda: next((m for m in public(fake, world.channel) if title(m).startswith("Scores after")), None)
    )
    assert standings and score.response is not None
    await quiz(fake, world, "stop", world.ada)
    assert running(bot)


async def test_a_game_started_by_mention_where_the_bot_may_not_post_is_ended_not_left_running(bot, fake, world):
    fake.fail_next("POST", r"/channels/\d+/messages$", status=403, code=50013)  # Missing Permissions
    fake.user_message(world.channel, world.ada, f"<@{fake.bot_user.id}> quiz start questions:1 seconds:60")
    service = bot.runtime.conversation.quiz.service
    await fake.wait_for_async(lambda: all(f.times == 0 for f in fake._failures), what="the refused post")
    # nobody could see that game: it is ended rather than holding the channel for a minute a question
    await fake.wait_for_async(lambda: service.current(str(world.channel.id)) is None, what="the game ended")
    await quiz(fake, world, "start", world.bob, questions=1, seconds=5)  # once the bot may post again
    assert title(await question(fake, world, 1, 1)) == "Question 1 of 1"
    assert running(bot)
