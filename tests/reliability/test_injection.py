"""Every hostile input of tests/data/hostile_inputs.jsonl, through every command on Slack (the real process) and
on Discord (the real client), both against their fakes: every reply valid for its platform, no mention or
broadcast can fire, and no link appears that the bot did not write."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.adapters.discord.harness import answered, running_bot
from tests.adapters.slack.conftest import SlackProcess
from tests.fakes.blockkit import validate_message
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.discord_limits import mention_risk
from tests.fakes.slack_api import FakeSlack
from tests.reliability.hostile import discord_problems, hostile_inputs, slack_problems

INPUTS = hostile_inputs()
SLACK_COMMANDS = [
    ("/status", "{}"),
    ("/status", "check {}"),
    ("/quiz", "{}"),
    ("/quiz", "join {}"),
    ("/quiz", "start pack:{}"),
]


def as_slack_sends(text: str) -> str:
    """Slack's payloads are UTF-8: a lone surrogate cannot travel, and arrives as U+FFFD."""
    return text.encode("utf-8", "replace").decode("utf-8").replace("?", "\ufffd") if not text.isascii() else text


def test_the_corpus_covers_the_issues_list() -> None:
    texts = "\n".join(text for _, text in INPUTS)
    for needle in (
        "@everyone",
        "@here",
        "<!channel>",
        "<!here",
        "<@U123>",
        "<@&123>",
        "<#C1>",
        "<https://evil.example|click me>",
        "[click](https://evil.example)",
        "```",
        "\u200b",
        "\u202e",
        "\ud800",
        "\uff14\uff10\uff19",
    ):
        assert needle in texts, needle
    assert any(len(text) >= 10_000 for _, text in INPUTS)


def test_slack_every_command_answers_hostile_input_safely(fake: FakeSlack, tmp_path: Path) -> None:
    slack = SlackProcess(fake, tmp_path)
    sent = 0
    seen: list[tuple[str, Any]] = []
    asked: list[tuple[str, str, str]] = []  # (input, command, where its answer arrives) when not in the ack
    try:
        for name, raw in INPUTS:
            text = as_slack_sends(raw)
            for command, template in SLACK_COMMANDS:
                status, body, response = slack.command(
                    command, template.format(text), channel_id="C-hostile", user_id="U1", user_name="ada"
                )
                assert status == 200, (name, command)
                sent += 1
                if body:
                    seen.append((f"{name}: {command} ack", body))
                else:
                    asked.append((name, command, response))
            for event in (
                {"type": "message", "channel": "D-hostile", "channel_type": "im", "user": "U2", "text": text},
                {"type": "app_mention", "channel": "C-hostile", "user": "U2", "text": f"<@U0BOT> {text}"},
            ):
                assert slack.event({**event, "ts": f"{time.time():.6f}"}) == 200
                sent += 1
            slack.click(
                {"ts": "1.0", "blocks": [], "text": ""},
                "statusbot.share#0",
                f"v1:a:{text[:60]}",
                user_id="U3",
                channel_id="C-hostile",
            )
            sent += 1
        # the events and clicks are answered after their acknowledgement: wait until the fake stops hearing back
        quiet_since, count = time.monotonic(), -1
        while time.monotonic() - quiet_since < 1.5:
            now = len(fake.calls) + len(fake.responses())
            if now != count:
                quiet_since, count = time.monotonic(), now
            time.sleep(0.1)
        assert slack.running()
    finally:
        slack.stop()
    seen += [(f"response {r.name}", r.body) for r in fake.responses() if isinstance(r.body, dict)]
    seen += [(f"message {m.channel}", {"text": m.text, "blocks": m.blocks}) for m in fake.messages()]
    seen += [(f"ephemeral {e.channel}", {"text": e.text, "blocks": e.blocks}) for e in fake.ephemerals()]
    problems = [(where, p) for where, payload in seen for p in slack_problems(payload)]
    assert problems == []
    invalid = [(where, validate_message(payload)) for where, payload in seen if validate_message(payload)]
    assert invalid == []
    assert fake.rejected == []
    assert sent == len(INPUTS) * (len(SLACK_COMMANDS) + 3)
    # every command was answered: in its acknowledgement, or on its own response URL
    assert [(name, command) for name, command, response in asked if not fake.responses(response)] == []


def bot_messages(fake: FakeDiscord, channel: Any) -> list[dict[str, Any]]:
    """The bot's own messages in a channel (the users' hostile ones are there too)."""
    return [m for m in fake.messages(channel) if str(m["author"]["id"]) == str(fake.bot_user.id)]


@pytest.mark.asyncio
async def test_discord_every_command_answers_hostile_input_safely(tmp_path: Path) -> None:
    with FakeDiscord() as fake:
        guild = fake.add_guild("Acme", members=["ada", "bob"])
        channel, ada, bob = guild.channel("general"), guild.member("ada"), guild.member("bob")
        where = {"guild": guild, "channel": channel, "member": ada}
        records = []
        async with running_bot(fake, tmp_path / "db.sqlite3"):
            for _, text in INPUTS:
                option = text[:6000]  # Discord's own limit for a string option
                records.append(await answered(fake, fake.slash("status", {"query": option}, **where)))
                records.append(await answered(fake, fake.slash("status", {"query": f"check {option}"[:6000]}, **where)))
                records.append(
                    await answered(fake, fake.slash("quiz", {"pack": text[:100] or " "}, subcommand="start", **where))
                )
                posted = fake.user_message(channel, bob, text[:2000] or "x")
                records.append(await answered(fake, fake.message_command("Check with statusbot", posted, member=ada)))
                dm = fake.dm_channel(bob.user)
                fake.user_message(dm, bob.user, text[:2000] or "x")
            await fake.wait_for_async(lambda: all(r.original or r.followups for r in records), 10, what="every answer")
            dm = fake.dm_channel(bob.user)
            await fake.wait_for_async(lambda: len(bot_messages(fake, dm)) >= len(INPUTS), 20, what="every DM answered")
            for record in records:
                if record.original is not None and record.original.get("embeds") == [] and not record.followups:
                    await fake.wait_for_async(lambda r=record: r.original and r.original.get("embeds"), 10)
        messages = [m for r in records for m in (r.original, *r.followups) if m]
        messages += bot_messages(fake, fake.dm_channel(bob.user))
        assert len(messages) >= len(records)
        assert [p for m in messages for p in discord_problems(m)] == []
        assert [m for m in messages if mention_risk(m)] == []
        assert fake.rejected == [] and fake.mention_unsafe == [] and fake.unhandled == []
