"""Slow answers are deferred in time, failures become a private line, shards look after their own guilds."""

from __future__ import annotations

import time

import pytest

from bot.conversation import Conversation
from tests.adapters.discord.harness import answered, running, running_bot, text_of, title
from tests.fakes.discord_api import CALLBACK_DEFERRED_MESSAGE, FakeDiscord

pytestmark = pytest.mark.asyncio
SCENARIO = "what code for duplicate email?"  # runs in the thread pool (plain lookups are answered in place)


async def test_a_slow_answer_is_deferred_then_delivered(bot, fake, world, monkeypatch):
    original = Conversation.on_command

    def slow(self, *args, **kwargs):
        time.sleep(2.0)  # longer than the adapter's patience: it must acknowledge first
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Conversation, "on_command", slow)
    record = fake.slash("status", {"query": SCENARIO}, guild=world.guild, channel=world.channel, member=world.ada)
    await answered(fake, record)
    assert record.response.type == CALLBACK_DEFERRED_MESSAGE
    assert title(record.original) == "409 Conflict"
    assert record.ephemeral
    assert running(bot)


async def test_a_failure_is_one_private_line_and_the_bot_goes_on(bot, fake, world, monkeypatch):
    def broken(self, *args, **kwargs):
        raise RuntimeError("the database is on fire")

    with monkeypatch.context() as patch:
        patch.setattr(Conversation, "on_command", broken)
        record = fake.slash("status", {"query": SCENARIO}, guild=world.guild, channel=world.channel, member=world.ada)
        await answered(fake, record)
    assert title(record.original) == "Sorry, that went wrong on my side"
    assert "quote reference" in text_of(record.original)
    assert record.ephemeral
    after = await answered(
        fake, fake.slash("status", {"query": "409"}, guild=world.guild, channel=world.channel, member=world.ada)
    )
    assert title(after.original) == "409 Conflict"
    assert running(bot)


async def test_a_process_runs_only_its_shards_and_their_games(tmp_path):
    with FakeDiscord(shard_count=2) as fake:
        near = fake.add_guild("Near", members=["ada"], shard=1)
        far = fake.add_guild("Far", members=["bob"], shard=0)
        async with running_bot(fake, tmp_path / "db.sqlite3", shard_ids=[1], shard_count=2) as client:
            assert fake.connected_shards() == [1]
            assert fake.identify_payloads[-1]["shard"] == [1, 2]
            assert client.owns(str(near.id)) and not client.owns(str(far.id))
            assert not client.owns("dm")  # DMs arrive on shard 0, which another process runs
            record = await answered(
                fake,
                fake.slash(
                    "status", {"query": "418"}, guild=near, channel=near.channel("general"), member=near.member("ada")
                ),
            )
            assert title(record.original) == "418 I'm a teapot (unused)"
            assert running(client)
        assert fake.rejected == []


async def test_a_check_box_opened_before_a_restart_is_answered_after_it(fake, world, tmp_path):
    where = {"guild": world.guild, "channel": world.channel, "member": world.ada}
    async with running_bot(fake, tmp_path / "db.sqlite3"):
        box = await answered(fake, fake.slash("status", {"query": "check"}, **where))
        field = box.modal["components"][0]["components"][0]["custom_id"]
    async with running_bot(fake, tmp_path / "db.sqlite3") as after:
        submitted = await answered(fake, fake.submit_modal(box, {field: "HTTP/1.1 429 Too Many Requests"}))
        assert submitted.ephemeral
        assert "429" in title(submitted.original)
        assert running(after)
    assert fake.rejected == []
