"""Ratings and team settings on Discord against the fake: rating and correcting an answer (buttons and the box),
/status settings for moderators only, and the settings taking effect on answers and quiz games."""

from __future__ import annotations

import pytest

from tests.adapters.discord.harness import answered, button, buttons, embed, running, text_of, title
from tests.fakes.discord_api import CALLBACK_MODAL

pytestmark = pytest.mark.asyncio


async def status(fake, world, query, member, channel=None):
    record = fake.slash("status", {"query": query}, guild=world.guild, channel=channel or world.channel, member=member)
    return await answered(fake, record)


async def click(fake, message, label, member):
    return await answered(fake, fake.click(message, button(message, label), member=member))


def labels(message):
    return [b["label"] for b in buttons(message)]


def public(fake, channel):
    return [m for m in fake.messages(channel) if not m["flags"] & 64]


async def test_an_answer_is_rated_and_corrected_with_a_button_or_a_typed_code(bot, fake, world):
    answer = await status(fake, world, "what code for duplicate email?", world.ada)
    assert title(answer.original) == "409 Conflict"
    assert labels(answer.original)[:3] == ["👍 Right", "👎 Wrong", "Share in channel"]

    wrong = await click(fake, answer.original, "👎 Wrong", world.ada)
    assert wrong.ephemeral
    assert title(wrong.original) == "Thanks. Which code did you expect?"
    assert labels(wrong.original) == ["422 Unprocessable Content", "202 Accepted", "Another code…", "No code fits"]
    picked = await click(fake, wrong.original, "422", world.ada)
    assert title(picked.original) == "Thanks! Noted that 422 Unprocessable Content was expected."

    other = fake.click(wrong.original, button(wrong.original, "Another code…"), member=world.ada)
    await fake.wait_for_response_async(other)
    assert other.response.type == CALLBACK_MODAL
    assert other.modal["title"] == "The right code"
    box = other.modal["components"][0]["components"][0]
    assert box["style"] == 1  # one line
    typo = fake.submit_modal(other, {box["custom_id"]: "4o9"})
    await answered(fake, typo)
    said = await fake.wait_for_async(lambda: typo.original, what="the refusal")
    assert title(said) == "I can't read “4o9” as a status code"
    again = fake.click(wrong.original, button(wrong.original, "Another code…"), member=world.ada)
    await fake.wait_for_response_async(again)
    box = again.modal["components"][0]["components"][0]
    typed = fake.submit_modal(again, {box["custom_id"]: "410"})
    await answered(fake, typed)
    said = await fake.wait_for_async(lambda: typed.original, what="the thanks")
    assert title(said) == "Thanks! Noted that 410 Gone was expected."

    # only the asker rates their answer
    bob = await click(fake, answer.original, "👍 Right", world.bob)
    assert title(bob.original) == "Only the person who asked can rate this answer"
    right = await click(fake, answer.original, "👍 Right", world.ada)
    assert title(right.original) == "Thanks! Noted that 409 Conflict was right."
    assert public(fake, world.channel) == []  # all of it private
    assert running(bot)


async def test_settings_are_for_moderators_and_change_who_sees_answers(bot, fake, world):
    refused = await status(fake, world, "settings visibility channel", world.ada)
    assert title(refused.original) == "Only admins and moderators can change statusbot's settings"
    assert (await status(fake, world, "409", world.ada)).ephemeral

    shown = await status(fake, world, "settings", world.mo)
    assert title(shown.original) == "statusbot settings here"
    assert "feedback: on" in text_of(shown.original)
    saved = await status(fake, world, "settings visibility channel", world.mo)
    assert title(saved.original) == "Saved: visibility is now channel"
    off = await status(fake, world, "settings feedback off", world.mo)
    assert title(off.original) == "Saved: feedback is now off"

    await status(fake, world, "what code for duplicate email?", world.ada)
    posted = await fake.wait_for_async(lambda: public(fake, world.channel), what="the answer in the channel")
    assert title(posted[0]) == "409 Conflict"
    assert "👍 Right" not in labels(posted[0])  # feedback is off here now
    assert "Share in channel" not in labels(posted[0])
    assert embed(posted[0])["color"] == 0xE67E22
    assert running(bot)


async def test_quiz_settings_take_effect(bot, fake, world):
    quiz_room = fake.add_channel(world.guild, "trivia")
    for change, expected in (
        ("quiz-channels add", "Saved: quiz-channels is now #trivia"),
        ("quiz-starters moderators", "Saved: quiz-starters is now moderators"),
        ("quiz-defaults questions:2 seconds:60", "Saved: quiz-defaults is now questions:2 seconds:60"),
    ):
        saved = await status(fake, world, f"settings {change}", world.mo, channel=quiz_room)
        assert title(saved.original) == expected

    async def start(member, channel, **options):
        record = fake.slash("quiz", options, subcommand="start", guild=world.guild, channel=channel, member=member)
        return await answered(fake, record)

    elsewhere = await start(world.mo, world.channel)
    assert title(elsewhere.original) == "Quizzes don't run in this channel"
    assert "Here, games run in #trivia." in text_of(elsewhere.original)
    player = await start(world.ada, quiz_room)
    assert title(player.original) == "Only moderators can start a game here"
    assert public(fake, quiz_room) == [] and public(fake, world.channel) == []

    await start(world.mo, quiz_room)
    first = await fake.wait_for_async(lambda: public(fake, quiz_room), 10, what="the first question")
    assert title(first[0]) == "Question 1 of 2"  # the default options
    assert "60 s" in text_of(first[0])
    stop = fake.slash("quiz", {}, subcommand="stop", guild=world.guild, channel=quiz_room, member=world.mo)
    await answered(fake, stop)
    await fake.wait_for_async(
        lambda: [m for m in public(fake, quiz_room) if title(m).startswith("Game over")], 10, what="the end"
    )
    assert running(bot)
