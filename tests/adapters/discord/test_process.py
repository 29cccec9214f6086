"""`statusbot discord` as the README runs it: a real process against the fake Discord, stopped with SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.adapters.discord.harness import PROXY_VARIABLES, button, buttons, embed, title
from tests.fakes.discord_api import FakeDiscord

ROOT = Path(__file__).resolve().parents[3]


def test_the_statusbot_discord_process_answers_shares_and_plays_a_game(tmp_path):
    with FakeDiscord() as fake:
        guild = fake.add_guild("Acme", members=["ada", "bob"])
        channel, ada, bob = guild.channel("general"), guild.member("ada"), guild.member("bob")
        env = {name: value for name, value in os.environ.items() if name not in PROXY_VARIABLES}
        env.update(
            DISCORD_TOKEN=fake.token,
            DISCORD_API_URL=fake.api_base,
            DISCORD_GUILD_ID=str(guild.id),
            STATUSBOT_DB=str(tmp_path / "statusbot.sqlite3"),
            STATUSBOT_CACHE_DIR=str(tmp_path / "cache"),
            PYTHONPATH=str(ROOT),
        )
        env.pop("DATABASE_URL", None)
        log = (tmp_path / "bot.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "discord"], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            fake.wait_until_identified(timeout=30)
            fake.wait_for(lambda: fake.commands(guild), 10, what="commands synced to the guild")

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
            assert process.poll() is None
            assert fake.rejected == []
            assert fake.mention_unsafe == []
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                code = process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                raise
            log.close()
        output = (tmp_path / "bot.log").read_text()
        assert code == 0, output
        assert "Traceback" not in output, output
