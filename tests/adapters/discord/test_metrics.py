"""Operations on Discord: the real `statusbot discord` process with METRICS_PORT serves /healthz and /metrics
counting what users did, and SIGTERM in the middle of a game loses nothing. Each test runs its own process, so
the counters start at 0."""

from __future__ import annotations

import signal
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.adapters.discord.harness import button, discord_process, title
from tests.adapters.ops_client import health, ops_port, scrape_when
from tests.fakes.discord_api import FakeDiscord, FakeGuild, InteractionRecord

RIGHT_OR_RECORDED = ("Answer recorded.", "Right! +")


@contextmanager
def statusbot_discord(fake: FakeDiscord, guild: FakeGuild, workdir: Path, log_name: str) -> Iterator[tuple[Any, str]]:
    """`statusbot discord` with METRICS_PORT=0, ready for commands; (process, base URL of /healthz and /metrics).
    Stopped with SIGTERM on the way out if the test did not stop it."""
    with discord_process(
        fake,
        guild,
        workdir,
        log_name=log_name,
        ready=False,  # ready once /healthz says so, then the commands
        STATUSBOT_RATE_LIMITS="off",  # one user sends several commands a second here (limits: tests/reliability)
        METRICS_PORT="0",
        METRICS_HOST="127.0.0.1",
    ) as bot:
        base = f"http://127.0.0.1:{ops_port(bot.log)}"
        fake.wait_for(lambda: health(base) == (200, {"ok": True}), 30, what="/healthz ok once connected")
        fake.wait_for(lambda: fake.commands(guild), 10, what="commands synced to the guild")
        yield bot.process, base
    assert "Traceback" not in bot.output(), bot.output()


def filled(fake: FakeDiscord, record: InteractionRecord) -> str:
    """The title of the interaction's first answer, once it is there."""
    fake.wait_for(lambda: (record.original and record.original.get("embeds")) or record.followups, 10, what="answer")
    return title(record.original if record.original and record.original.get("embeds") else record.followups[0])


def test_metrics_count_what_users_did(tmp_path: Path) -> None:
    with FakeDiscord() as fake:
        guild = fake.add_guild("Acme", members=["ada"])
        channel, ada = guild.channel("general"), guild.member("ada")
        where = {"guild": guild, "channel": channel, "member": ada}
        with statusbot_discord(fake, guild, tmp_path, "bot.log") as (process, base):
            for query in ("409", "409", "what code for a duplicate email on signup?", "what's for lunch"):
                filled(fake, fake.slash("status", {"query": query}, **where))
            fake.slash("quiz", {"questions": 2, "seconds": 30}, subcommand="start", **where)
            fake.wait_for(lambda: any(title(m) == "Question 1 of 2" for m in fake.messages(channel)), 10)
            # Discord refuses the final standings (Missing Permissions): the game still ends, the error is counted
            fake.fail_next("POST", r"/channels/\d+/messages$", status=403, code=50013)
            filled(fake, fake.slash("quiz", {}, subcommand="stop", **where))

            page = scrape_when(
                base,
                lambda p: (
                    p.value("statusbot_interaction_seconds_count", platform="discord", interaction="command") >= 6
                ),
            )
            assert page.value("statusbot_answers_total", platform="discord", kind="code") == 2
            assert page.value("statusbot_answers_total", platform="discord", kind="scenario") == 2
            assert page.value("statusbot_answers_total", platform="discord", kind="header") == 0
            assert page.value("statusbot_abstentions_total", platform="discord") == 1
            assert page.value("statusbot_games_started_total", platform="discord") == 1
            assert page.value("statusbot_games_finished_total", platform="discord") == 1
            errors = page.value(
                "statusbot_api_errors_total", platform="discord", method="POST /channels/{channel_id}/messages"
            )
            assert errors == 1
            assert page.value("statusbot_interaction_seconds_count", platform="discord", interaction="command") == 6
            assert page.value("statusbot_interactions_in_flight", platform="discord") == 0
            process.send_signal(signal.SIGTERM)
            assert process.wait(15) == 0


def test_sigterm_in_the_middle_of_a_game_loses_nothing(tmp_path: Path) -> None:
    with FakeDiscord() as fake:
        guild = fake.add_guild("Acme", members=["ada", "bob"])
        channel, ada, bob = guild.channel("general"), guild.member("ada"), guild.member("bob")
        with statusbot_discord(fake, guild, tmp_path, "first.log") as (process, _):
            fake.slash(
                "quiz", {"questions": 2, "seconds": 30}, subcommand="start", guild=guild, channel=channel, member=ada
            )
            asked = fake.wait_for(
                lambda: next((m for m in fake.messages(channel) if title(m) == "Question 1 of 2"), None), 10
            )
            assert filled(fake, fake.click(asked, button(asked, "A."), member=ada)).startswith(RIGHT_OR_RECORDED)
            # Bob's click is stored, then its reply waits out a rate limit: SIGTERM arrives in between
            fake.fail_next("POST", r"/interactions/\d+/[^/]+/callback$", status=429, retry_after=1.0)
            last = fake.click(asked, button(asked, "B."), member=bob)
            fake.wait_for(lambda: any(r.status == 429 for r in fake.requests), 10, what="the rate-limited reply")
            process.send_signal(signal.SIGTERM)
            assert process.wait(15) == 0
            assert filled(fake, last).startswith(RIGHT_OR_RECORDED)  # the reply still went out
        with sqlite3.connect(tmp_path / "statusbot.sqlite3") as db:
            names = db.execute("SELECT player_name, number FROM quiz_answers ORDER BY player_name").fetchall()
        assert [(name.lower(), number) for name, number in names] == [("ada", 0), ("bob", 0)]

        # a new process on the same database: the game goes on, and the answers given before still count
        with statusbot_discord(fake, guild, tmp_path, "second.log"):
            again = fake.click(asked, button(asked, "A."), member=bob)
            assert filled(fake, again) == "You've already answered this one; your first answer counts."
            fake.slash("quiz", {}, subcommand="stop", guild=guild, channel=channel, member=ada)
            fake.wait_for(lambda: any(title(m).startswith("Game over") for m in fake.messages(channel)), 10)
        with sqlite3.connect(tmp_path / "statusbot.sqlite3") as db:
            assert db.execute("SELECT status, end_reason FROM quiz_games").fetchall() == [("finished", "stopped")]
