"""Hostile or odd text in every option gets a valid reply that can neither mention, ping nor link."""

from __future__ import annotations

import pytest

from tests.adapters.discord.harness import answered, running
from tests.fakes.discord_limits import mention_risk

pytestmark = pytest.mark.asyncio

BAD = [
    "",
    "x" * 6000,
    "@everyone",
    "<@&123> <@456> <#789>",
    "[label](https://example.com)",
    "4\u200b0\u200b9 \u202eevil\u202c \u200f",
    "@here [x](http://bit.ly/y) ```\n@everyone",
]


def assert_safe(fake, record):
    messages = [m for m in (record.original, *record.followups) if m]
    assert messages, f"nothing answered interaction {record.id}"
    for message in messages:
        assert message.get("embeds") or message.get("content"), message
        assert mention_risk(message) == [], message["embeds"]
    assert record.rejected == []


async def test_every_option_survives_bad_input(bot, fake, world):
    where = {"guild": world.guild, "channel": world.channel, "member": world.ada}
    for text in BAD:
        status = await answered(fake, fake.slash("status", {"query": text}, **where))
        if status.modal:  # "" alone is help, never the box; a check box is submitted below
            raise AssertionError("a bad query opened the check box")
        await fake.wait_for_async(lambda record=status: record.original and record.original.get("embeds"))
        assert_safe(fake, status)

        suggested = await answered(fake, fake.autocomplete("status", "query", text, **where))
        assert len(suggested.choices) <= 25
        assert all(0 < len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in suggested.choices)

        box = await answered(fake, fake.slash("status", {"query": "check"}, **where))
        field = box.modal["components"][0]["components"][0]["custom_id"]
        submitted = await answered(fake, fake.submit_modal(box, {field: text[:4000] or "x"}))
        await fake.wait_for_async(lambda record=submitted: record.original and record.original.get("embeds"))
        assert_safe(fake, submitted)

        if text:
            posted = fake.user_message(world.channel, world.bob, text[:2000])
            checked = await answered(fake, fake.message_command("Check with statusbot", posted, member=world.ada))
            await fake.wait_for_async(lambda record=checked: record.original and record.original.get("embeds"))
            assert_safe(fake, checked)

        start = fake.slash("quiz", {"pack": text[:100] or " "}, subcommand="start", **where)
        await fake.wait_for_async(lambda record=start: record.original and record.original.get("embeds"))
        assert_safe(fake, start)
        assert start.ephemeral  # no such pack: no game
    assert running(bot)
