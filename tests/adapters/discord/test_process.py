"""`statusbot discord` as the README runs it: a real process against the fake Discord, stopped with SIGTERM."""

from __future__ import annotations

from tests.adapters.discord.harness import button, buttons, discord_process, embed, title
from tests.fakes.discord_api import FakeDiscord


def test_the_statusbot_discord_process_answers_shares_and_plays_a_game(tmp_path):
    with FakeDiscord() as fake:
        guild = fake.add_guild("Acme", members=["ada", "bob"])
        channel, ada, bob = guild.channel("general"), guild.member("ada"), guild.member("bob")
        with discord_process(fake, guild, tmp_path) as bot:
            asked = fake.slash("status", {"query": "409"}, guild=guild, channel=channel, member=ada)
            fake.wait_for(lambda: asked.original and asked.original.get("embeds"), 10, what="the answer")
            assert title(asked.original) == "409 Conflict"
            assert asked.ephemeral

            fake.click(asked.original, button(asked.original, "Share"), member=ada)
            shared = fake.wait_for(lambda: [m for m in fake.messages(channel) if not m["flags"] & 64], 10)
            assert embed(shared[0])["footer"]["text"].startswith("Shared by Ada")

            where = {"guild": guild, "channel": channel, "member": ada}
            fake.slash("quiz", {"questions": 1, "seconds": 5}, subcommand="start", **where)
            asked_at = fake.wait_for(
                lambda: next((m for m in fake.messages(channel) if title(m) == "Question 1 of 1"), None), 10
            )
            assert len(buttons(asked_at)) >= 2
            fake.click(asked_at, button(asked_at, "A."), member=ada)
            fake.click(asked_at, button(asked_at, "B."), member=bob)
            fake.wait_for(lambda: title(fake.message(asked_at["id"])).startswith("Answer: "), 15, what="the reveal")
            fake.wait_for(
                lambda: any(title(m).startswith("Game over") for m in fake.messages(channel) if m.get("embeds")), 10
            )
            assert bot.process.poll() is None
            assert fake.rejected == []
            assert fake.mention_unsafe == []
        output = bot.output()
        assert bot.code == 0, output
        assert "Traceback" not in output, output
