"""Privacy on Discord, with the real discord.py client against the fake: leaderboard opt-out and back in, and
forget-me deleting exactly one person's data in one server."""

from __future__ import annotations

import pytest

from bot.cli import main
from tests.adapters.discord.harness import answered, button, buttons, running, text_of, title
from tests.adapters.discord.test_quiz import click, public, question, quiz
from tests.fakes.discord_api import CALLBACK_UPDATE


async def game_over(fake, world, *players):
    """A one-question game of 5 s, each player clicking an answer; until its final standings are posted."""
    await quiz(fake, world, "start", players[0], questions=1, seconds=5)
    first = await question(fake, world, 1, 1)
    for player, label in zip(players, ("A.", "B.", "C."), strict=False):
        await click(fake, first, label, player)
    await fake.wait_for_async(
        lambda: any(title(m).startswith("Game over") for m in public(fake, world.channel)), 15, what="game over"
    )


async def board(fake, world):
    """The server's all-time leaderboard as the channel sees it, one line a player."""
    before = len(public(fake, world.channel))
    await quiz(fake, world, "leaderboard", world.cy, scope="server")
    posted = await fake.wait_for_async(lambda: public(fake, world.channel)[before:], what="the leaderboard")
    assert title(posted[0]) == "Leaderboard, all time"
    return [line for line in text_of(posted[0]).splitlines() if line[:1].isdigit()]


def names(lines):
    return sorted(line.split(". ", 1)[1].split(":")[0] for line in lines)


@pytest.mark.asyncio
async def test_opting_out_of_the_leaderboards_and_back_in(bot, fake, world):
    await game_over(fake, world, world.ada, world.bob)
    assert names(await board(fake, world)) == ["Ada", "Bob"]
    out = await quiz(fake, world, "leaderboard", world.ada, privacy="opt-out")
    assert out.ephemeral and title(out.original) == "You're off the leaderboards in this server"
    assert names(await board(fake, world)) == ["Bob"]
    again = await quiz(fake, world, "leaderboard", world.ada, privacy="opt-out")
    assert title(again.original) == "You were already off the leaderboards in this server"
    back = await quiz(fake, world, "leaderboard", world.ada, privacy="opt-in")
    assert back.ephemeral and title(back.original) == "You're back on the leaderboards in this server"
    assert names(await board(fake, world)) == ["Ada", "Bob"]
    assert running(bot)


@pytest.mark.asyncio
async def test_forget_me_deletes_exactly_that_persons_data_in_that_server(bot, fake, world):
    other = fake.add_guild("Elsewhere")
    ada_elsewhere = fake.add_member(other, world.ada.user)  # the same person in another server
    cy_elsewhere = fake.add_member(other, world.cy.user)
    elsewhere = type(world)(
        guild=other, channel=other.channel("general"), ada=ada_elsewhere, cy=cy_elsewhere, bob=None, mo=None
    )
    await game_over(fake, elsewhere, ada_elsewhere)
    await game_over(fake, world, world.ada, world.bob)
    bob_before = [line.split(". ", 1)[1] for line in await board(fake, world) if "Bob" in line]
    elsewhere_before = await board(fake, elsewhere)
    assert names(elsewhere_before) == ["Ada"]

    asked = await answered(fake, fake.slash("status", {"query": "forget-me"}, channel=world.channel, member=world.ada))
    assert asked.ephemeral and title(asked.original) == "Delete everything statusbot keeps about you in this server?"
    assert [b["label"] for b in buttons(asked.original)] == ["Confirm", "Cancel"]
    confirm = button(asked.original, "Confirm")
    # somebody else's click on it deletes nothing
    other_click = await answered(fake, fake.click(asked.original, confirm, member=world.bob))
    await fake.wait_for_async(lambda: other_click.original or other_click.followups, what="the refusal")
    refusal = other_click.original or other_click.followups[0]
    assert title(refusal) == "That isn't your button" and refusal["flags"] & 64
    assert names(await board(fake, world)) == ["Ada", "Bob"]

    done = await answered(fake, fake.click(asked.original, confirm, member=world.ada))
    assert done.response.type == CALLBACK_UPDATE  # the private question becomes the answer
    message = fake.message(asked.original["id"])
    assert title(message) == "Done: statusbot has forgotten you in this server"
    assert "Deleted 1 quiz answer, 1 game result." in text_of(message)
    assert buttons(message) == []
    # Bob is where he was with the same points; Ada's other server still has her
    assert await board(fake, world) == [f"1. {bob_before[0]}"]
    assert await board(fake, elsewhere) == elsewhere_before
    assert running(bot)


def test_a_malformed_retention_period_stops_start_up_naming_it(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env from the developer's checkout
    monkeypatch.setenv("DISCORD_TOKEN", "MTAxMDEwMTAxMDEwMTAxMDEw.GabcDe.abcdefghijklmnopqrstuvwxyz012345")
    monkeypatch.setenv("STATUSBOT_RETENTION_DAYS", "1e3")
    assert main(["discord"]) == 2
    assert capsys.readouterr().err == (
        "statusbot discord: STATUSBOT_RETENTION_DAYS does not look right: it should be a whole number of days from 1 "
        "to 36500 (default 90), not '1e3'\n"
    )


@pytest.mark.asyncio
async def test_forget_me_asked_by_mentioning_the_bot_answers_the_click_privately(bot, fake, world):
    await game_over(fake, world, world.ada, world.bob)
    fake.user_message(world.channel, world.ada, f"<@{fake.bot_user.id}> forget-me")
    asking = "Delete everything statusbot keeps about you in this server?"  # in the channel: a message has no private
    prompt = await fake.wait_for_async(
        lambda: next((m for m in public(fake, world.channel) if title(m) == asking), None), what="the question"
    )
    done = await answered(fake, fake.click(prompt, button(prompt, "Confirm"), member=world.ada))
    await fake.wait_for_async(lambda: done.original or done.followups, what="the answer")
    told = done.original or done.followups[0]
    assert title(told) == "Done: statusbot has forgotten you in this server"
    assert told["flags"] & 64  # only Ada sees what was deleted
    assert title(fake.message(prompt["id"])) == asking
    assert running(bot)
