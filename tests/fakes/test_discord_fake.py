"""The Discord fake, proven with the real discord.py client (no adapter code of ours involved).

A small AutoShardedBot defined here logs in over HTTP, fetches /gateway/bot, connects to the fake's gateway, syncs
guild commands and answers slash commands, autocomplete, a persistent button, a modal and a message context menu.
Raw-HTTP tests pin the Discord semantics the fake enforces, and ``discord_limits`` is checked directly.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
import pytest_asyncio
import yarl
from discord import app_commands
from discord.ext import commands
from discord.gateway import DiscordWebSocket

from tests.fakes import discord_limits as limits
from tests.fakes.discord_api import INTENT_MESSAGE_CONTENT, FakeDiscord, FakeDiscordError
from tests.fakes.discord_payloads import FakeGuild, FakeMember

READY_TIMEOUT = 5.0


class ExplainView(discord.ui.View):
    """A persistent view: fixed custom_id, no timeout, registered with ``bot.add_view`` before any message exists."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Explain", custom_id="status:explain", style=discord.ButtonStyle.primary)
    async def explain(self, interaction: discord.Interaction, button: discord.ui.Button[ExplainView]) -> None:
        await interaction.response.edit_message(content="404 means the resource was not found.", view=None)


class ReportModal(discord.ui.Modal, title="Report a status"):
    code: discord.ui.TextInput[ReportModal] = discord.ui.TextInput(
        label="Status code", custom_id="report:code", min_length=3, max_length=3
    )
    note: discord.ui.TextInput[ReportModal] = discord.ui.TextInput(
        label="Where did you see it?", custom_id="report:note", style=discord.TextStyle.paragraph, required=False
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Thanks, noted {self.code.value}.", ephemeral=True)


class StatusBot(commands.AutoShardedBot):
    """A throwaway bot with one of each interaction kind, synced to one guild."""

    def __init__(self, guild_id: int, *, intents: discord.Intents | None = None) -> None:
        super().__init__(
            command_prefix="!",
            intents=intents or discord.Intents.default(),
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self._connection.guild_ready_timeout = 0.05  # on_ready 50 ms after the last GUILD_CREATE, not 2 s
        self.guild = discord.Object(guild_id)
        self.errors: list[Exception] = []
        self.seen: list[discord.Message] = []
        self._define_commands()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Skip discord.py's 5 s pause between IDENTIFYs (it only matters against the real gateway)."""

    async def setup_hook(self) -> None:
        self.add_view(ExplainView())
        await self.tree.sync(guild=self.guild)

    async def on_message(self, message: discord.Message) -> None:
        self.seen.append(message)

    def _define_commands(self) -> None:
        tree, guild = self.tree, self.guild

        @tree.error
        async def on_tree_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
            self.errors.append(getattr(error, "original", error))

        @tree.command(description="Look up a status code", guild=guild)
        @app_commands.describe(code="An HTTP status code")
        async def ping(interaction: discord.Interaction, code: str) -> None:
            await interaction.response.send_message(f"Pong {code}")

        @ping.autocomplete("code")
        async def ping_codes(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
            codes = [str(c) for c in range(100, 600, 5) if str(c).startswith(current)]
            return [app_commands.Choice(name=c, value=c) for c in codes][:25]

        @tree.command(description="Show the explain button", guild=guild)
        async def buttons(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("Need an explanation?", view=ExplainView())

        @tree.command(description="Report a status you saw", guild=guild)
        async def report(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(ReportModal())

        @tree.command(description="An embed over Discord's limits", guild=guild)
        async def oversized(interaction: discord.Interaction) -> None:
            try:
                await interaction.response.send_message(embed=discord.Embed(description="x" * 5000))
            except discord.HTTPException as exc:
                self.errors.append(exc)
                await interaction.response.send_message("That answer was too long.", ephemeral=True)

        @tree.command(description="Think, then answer", guild=guild)
        async def think(interaction: discord.Interaction) -> None:
            await interaction.response.defer(thinking=True, ephemeral=True)
            await interaction.followup.send("Done thinking.")

        @tree.command(description="Answer too late", guild=guild)
        async def slow(interaction: discord.Interaction) -> None:
            await asyncio.sleep(0.3)
            await interaction.response.send_message("Sorry for the wait.")

        @tree.command(description="Post to the channel", guild=guild)
        async def announce(interaction: discord.Interaction) -> None:
            await interaction.response.defer()
            assert isinstance(interaction.channel, discord.TextChannel)
            await interaction.channel.send("Announcement")
            await interaction.followup.send("Posted.")

        @tree.command(description="Repeat some text", guild=guild)
        async def echo(interaction: discord.Interaction, text: str, loud: bool = False) -> None:
            mentions = discord.AllowedMentions.all() if loud else discord.utils.MISSING
            await interaction.response.send_message(text, allowed_mentions=mentions)

        code = app_commands.Group(name="code", description="Status codes")

        @code.command(description="Show one status code")
        async def show(interaction: discord.Interaction, number: app_commands.Range[int, 100, 599]) -> None:
            await interaction.response.send_message(f"Code {number}")

        tree.add_command(code, guild=guild)

        @tree.command(description="Who is this?", guild=guild)
        async def whois(interaction: discord.Interaction, who: discord.Member) -> None:
            await interaction.response.send_message(f"{who.display_name} has {len(who.roles)} role(s)")

        @tree.context_menu(name="Explain status", guild=guild)
        async def explain_status(interaction: discord.Interaction, message: discord.Message) -> None:
            await interaction.response.send_message(f"Explaining message {message.id}", ephemeral=True)


@dataclass
class Running:
    fake: FakeDiscord
    guild: FakeGuild
    alice: FakeMember
    bot: StatusBot
    task: asyncio.Task[None]

    def assert_alive(self) -> None:
        assert not self.task.done(), self.task.exception()
        assert self.fake.unhandled == [] and self.fake.internal_errors == []


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    with FakeDiscord() as server:
        yield server


@pytest.fixture
def pointed(fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> FakeDiscord:
    """discord.py redirected to the fake; monkeypatch restores Route.BASE and DEFAULT_GATEWAY afterwards."""
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url))
    return fake


async def start(bot: discord.Client, token: str) -> asyncio.Task[None]:
    task = asyncio.create_task(bot.start(token))
    await asyncio.sleep(0)  # wait_until_ready() before start() has run raises "not properly initialised"
    await asyncio.wait_for(bot.wait_until_ready(), READY_TIMEOUT)
    return task


async def shut(bot: discord.Client, task: asyncio.Task[None]) -> None:
    await bot.close()
    await asyncio.wait_for(asyncio.gather(task, return_exceptions=True), READY_TIMEOUT)


@pytest_asyncio.fixture
async def running(pointed: FakeDiscord) -> AsyncIterator[Running]:
    guild = pointed.add_guild("status-lab", members=["alice"])
    bot = StatusBot(guild.id)
    task = await start(bot, pointed.token)
    try:
        yield Running(pointed, guild, guild.member("alice"), bot, task)
    finally:
        await shut(bot, task)


# ---------------------------------------------------------------------- the real client end to end


@pytest.mark.asyncio
async def test_bot_connects_through_gateway_bot_and_syncs_guild_commands(running: Running) -> None:
    fake = running.fake
    paths = [(r.method, r.path) for r in fake.requests]
    assert paths[:2] == [("GET", "/users/@me"), ("GET", "/oauth2/applications/@me")]
    assert ("GET", "/gateway/bot") in paths
    assert fake.identify_payloads[0]["shard"] == [0, 1]
    assert fake.connected_shards() == [0]
    synced = {c["name"]: c for c in fake.commands(running.guild)}
    names = {"ping", "buttons", "report", "oversized", "think", "slow", "announce", "echo", "code", "whois"}
    assert set(synced) == names | {"Explain status"}
    assert synced["ping"]["options"][0]["autocomplete"] is True
    assert running.bot.get_guild(running.guild.id) is not None
    assert fake.rejected == []
    running.assert_alive()


@pytest.mark.asyncio
async def test_slash_command_gets_its_reply(running: Running) -> None:
    fake = running.fake
    rec = fake.slash("ping", {"code": "404"}, guild=running.guild, member=running.alice)
    response = await fake.wait_for_response_async(rec)
    assert response.type == 4
    assert rec.original is not None and rec.original["content"] == "Pong 404"
    assert rec.original["allowed_mentions"] == {"parse": []}
    assert fake.messages(running.guild.channel("general"))[-1]["content"] == "Pong 404"
    assert fake.rejected == [] and fake.mention_unsafe == []
    running.assert_alive()


@pytest.mark.asyncio
async def test_autocomplete_returns_at_most_25_choices(running: Running) -> None:
    fake = running.fake
    rec = fake.autocomplete("ping", "code", "", guild=running.guild)
    response = await fake.wait_for_response_async(rec)
    assert response.type == 8
    assert rec.choices is not None and 0 < len(rec.choices) <= 25
    narrowed = fake.autocomplete("ping", "code", "40", guild=running.guild)
    await fake.wait_for_response_async(narrowed)
    assert [c["value"] for c in narrowed.choices or []] == ["400", "405"]
    assert fake.rejected == []
    running.assert_alive()


@pytest.mark.asyncio
async def test_persistent_button_click_edits_the_message(running: Running) -> None:
    fake = running.fake
    rec = fake.slash("buttons", guild=running.guild)
    await fake.wait_for_response_async(rec)
    message = rec.original
    assert message is not None and message["components"][0]["components"][0]["custom_id"] == "status:explain"

    click = fake.click(message, "status:explain", member=running.alice)
    response = await fake.wait_for_response_async(click)
    assert response.type == 7
    edited = fake.message(message["id"])
    assert edited is not None and edited["content"].startswith("404 means") and edited["components"] == []
    assert click.original == edited
    assert fake.rejected == []
    running.assert_alive()


@pytest.mark.asyncio
async def test_modal_round_trip(running: Running) -> None:
    fake = running.fake
    rec = fake.slash("report", guild=running.guild, member=running.alice)
    response = await fake.wait_for_response_async(rec)
    assert response.type == 9 and rec.modal is not None and rec.modal["title"] == "Report a status"
    with pytest.raises(FakeDiscordError, match="required"):
        fake.submit_modal(rec, {"report:note": "on a CDN"})
    submit = fake.submit_modal(rec, {"report:code": "418", "report:note": "teapot"})
    await fake.wait_for_response_async(submit)
    assert submit.original is not None and submit.original["content"] == "Thanks, noted 418."
    assert submit.ephemeral
    assert fake.rejected == []
    running.assert_alive()


@pytest.mark.asyncio
async def test_message_context_menu(running: Running) -> None:
    fake = running.fake
    said = fake.user_message(running.guild.channel("general"), running.alice, "got a 502 from the proxy")
    rec = fake.message_command("Explain status", said, member=running.alice)
    await fake.wait_for_response_async(rec)
    assert rec.original is not None and rec.original["content"] == f"Explaining message {said['id']}"
    assert fake.rejected == []
    running.assert_alive()


@pytest.mark.asyncio
async def test_oversized_embed_is_rejected_and_recorded(running: Running) -> None:
    fake = running.fake
    rec = fake.slash("oversized", guild=running.guild)
    await fake.wait_for_response_async(rec)
    assert [r.code for r in fake.rejected] == [50035]
    assert any("embeds[0].description" in e for e in fake.rejected[0].errors)
    assert rec.rejected == fake.rejected
    assert isinstance(running.bot.errors[0], discord.HTTPException) and running.bot.errors[0].code == 50035
    assert rec.original is not None and rec.original["content"] == "That answer was too long."
    running.assert_alive()


@pytest.mark.asyncio
async def test_defer_then_followup_fills_the_loading_message(running: Running) -> None:
    fake = running.fake
    rec = fake.slash("think", guild=running.guild)
    response = await fake.wait_for_response_async(rec)
    assert response.type == 5 and response.data == {"flags": 64}
    await fake.wait_for_async(lambda: rec.original and rec.original["content"])
    assert rec.original is not None
    assert rec.original["content"] == "Done thinking."
    assert rec.original["flags"] == 64  # ephemeral, and no longer loading (128)
    assert rec.followups == [] and rec.ephemeral
    assert fake.rejected == []
    running.assert_alive()


@pytest.mark.asyncio
async def test_late_first_response_is_unknown_interaction(running: Running) -> None:
    fake = running.fake
    fake.interaction_deadline = 0.1
    rec = fake.slash("slow", guild=running.guild)
    await fake.wait_for_async(lambda: running.bot.errors)
    assert rec.response is None
    assert [r.code for r in rec.rejected] == [10062]
    assert isinstance(running.bot.errors[0], discord.NotFound)
    running.assert_alive()


@pytest.mark.asyncio
async def test_429_with_via_is_retried_by_discord_py(running: Running) -> None:
    fake = running.fake
    fake.fail_next("POST", r"^/interactions/\d+/[^/]+/callback$", status=429, retry_after=0.2)
    fake.fail_next("POST", r"^/channels/\d+/messages$", status=429, retry_after=0.1, global_=True)
    rec = fake.slash("ping", {"code": "429"}, guild=running.guild)
    await fake.wait_for_response_async(rec)
    callbacks = [r.status for r in fake.requests if r.path.endswith("/callback")]
    assert callbacks == [429, 200]

    posted = fake.slash("announce", guild=running.guild)
    await fake.wait_for_async(lambda: posted.original and posted.original["content"] == "Posted.")
    sends = [r.status for r in fake.requests if r.method == "POST" and r.path.startswith("/channels/")]
    assert sends == [429, 200]
    # The deferral's loading message came first and the followup filled it; the channel post came after.
    contents = [m["content"] for m in fake.messages(running.guild.channel("general"))]
    assert contents[-2:] == ["Posted.", "Announcement"]
    assert posted.followups == []
    assert fake.rejected == []
    running.assert_alive()


@pytest.mark.asyncio
async def test_429_without_via_is_a_cloudflare_ban_for_discord_py(running: Running) -> None:
    fake = running.fake
    fake.fail_next("POST", r"^/channels/\d+/messages$", status=429, via=False)
    await fake.wait_for_response_async(fake.slash("announce", guild=running.guild))
    await fake.wait_for_async(lambda: running.bot.errors)
    assert isinstance(running.bot.errors[0], discord.HTTPException) and running.bot.errors[0].status == 429
    running.assert_alive()


@pytest.mark.asyncio
async def test_message_content_is_empty_without_the_intent(running: Running) -> None:
    fake, bot = running.fake, running.bot
    general = running.guild.channel("general")
    stored = fake.user_message(general, running.alice, "why do I get a 403?")
    await fake.wait_for_async(lambda: bot.seen)
    assert stored["content"] == "why do I get a 403?"
    assert bot.seen[0].content == "" and bot.seen[0].author.id == running.alice.id
    # A message that mentions the bot is readable without the intent, as on Discord.
    fake.user_message(general, running.alice, f"{fake.bot_user.mention} what is 418?")
    await fake.wait_for_async(lambda: len(bot.seen) == 2)
    assert bot.seen[1].content.endswith("what is 418?")
    running.assert_alive()


@pytest.mark.asyncio
async def test_user_text_echoed_with_pings_allowed_is_flagged(running: Running) -> None:
    fake = running.fake
    safe = fake.slash("echo", {"text": "@everyone look"}, guild=running.guild)
    await fake.wait_for_response_async(safe)
    assert fake.mention_unsafe == []
    loud = fake.slash("echo", {"text": "@everyone look", "loud": True}, guild=running.guild)
    await fake.wait_for_response_async(loud)
    assert [m["content"] for m in fake.mention_unsafe] == ["@everyone look"]
    running.assert_alive()


@pytest.mark.asyncio
async def test_resume_replays_events_missed_while_disconnected(running: Running) -> None:
    fake = running.fake
    resumed = asyncio.Event()

    async def on_resumed() -> None:
        resumed.set()

    running.bot.add_listener(on_resumed)
    fake.disconnect(0)
    rec = fake.slash("ping", {"code": "503"}, guild=running.guild)  # sent while the socket is down
    await asyncio.wait_for(resumed.wait(), READY_TIMEOUT)
    await fake.wait_for_response_async(rec)
    assert fake.resumes == 1 and len(fake.identify_payloads) == 1
    assert [path for path, _ in fake.gateway_connects] == ["/gateway", "/gateway-resume"]
    assert rec.original is not None and rec.original["content"] == "Pong 503"
    running.assert_alive()


@pytest.mark.asyncio
async def test_slash_for_unsynced_command_or_bad_option_fails_in_the_test(running: Running) -> None:
    fake = running.fake
    with pytest.raises(FakeDiscordError, match="not synced"):
        fake.slash("nope", guild=running.guild)
    with pytest.raises(FakeDiscordError, match="unknown option"):
        fake.slash("ping", {"status": "404"}, guild=running.guild)
    with pytest.raises(FakeDiscordError, match="must be a string"):
        fake.slash("ping", {"code": 404}, guild=running.guild)
    with pytest.raises(FakeDiscordError, match="required"):
        fake.slash("ping", guild=running.guild)
    with pytest.raises(FakeDiscordError, match="autocomplete"):
        fake.autocomplete("echo", "text", "x", guild=running.guild)
    running.assert_alive()


@pytest.mark.asyncio
async def test_subcommand_and_member_option(running: Running) -> None:
    fake = running.fake
    rec = fake.slash("code", {"number": 404}, subcommand="show", guild=running.guild)
    await fake.wait_for_response_async(rec)
    assert rec.payload["data"]["options"] == [
        {"name": "show", "type": 1, "options": [{"name": "number", "type": 4, "value": 404}]}
    ]
    assert rec.original is not None and rec.original["content"] == "Code 404"
    with pytest.raises(FakeDiscordError, match="min_value"):
        fake.slash("code", {"number": 600}, subcommand="show", guild=running.guild)
    with pytest.raises(FakeDiscordError, match="subcommand"):
        fake.slash("code", {"number": 404}, guild=running.guild)
    who = fake.slash("whois", {"who": running.alice}, guild=running.guild)
    await fake.wait_for_response_async(who)
    assert who.original is not None and who.original["content"] == "Alice has 1 role(s)"
    assert fake.rejected == []
    running.assert_alive()


@pytest.mark.asyncio
async def test_world_changes_and_raw_dispatch_reach_the_bot(running: Running) -> None:
    fake, bot = running.fake, running.bot
    role = fake.add_role(running.guild, "oncall", 1 << 13)
    channel = fake.add_channel(running.guild, "incidents")
    cached = bot.get_guild(running.guild.id)
    assert cached is not None
    await fake.wait_for_async(lambda: bot.get_channel(channel.id) and cached.get_role(role.id))
    renamed = {**fake.guild_payload(running.guild), "name": "renamed"}
    assert fake.dispatch("GUILD_UPDATE", renamed, guild_id=running.guild.id)
    await fake.wait_for_async(lambda: cached.name == "renamed")
    # GUILD_MEMBER_ADD needs the members intent, which this bot did not ask for: Discord (and the fake) skip it.
    fake.add_member(running.guild, "bob")
    assert [e.name for e in fake.events].count("GUILD_MEMBER_ADD") == 0
    running.assert_alive()


@pytest.mark.asyncio
async def test_invalidated_session_reidentifies_on_the_fake(running: Running) -> None:
    fake = running.fake
    fake.disconnect(0, invalidate=True)
    # RESUME gets op 9, so discord.py IDENTIFYs again through DEFAULT_GATEWAY (patched to the fake here).
    await fake.wait_for_async(lambda: len(fake.identify_payloads) == 2 and fake.connected_shards() == [0])
    rec = fake.slash("ping", {"code": "201"}, guild=running.guild)
    await fake.wait_for_response_async(rec)
    assert fake.resumes == 0
    assert [path for path, _ in fake.gateway_connects] == ["/gateway", "/gateway-resume", "/gateway"]
    running.assert_alive()


@pytest.mark.asyncio
async def test_bad_token_is_a_login_failure(pointed: FakeDiscord) -> None:
    bot = StatusBot(1)
    try:
        with pytest.raises(discord.LoginFailure):
            await bot.login("not-the-token")
    finally:
        await bot.close()
    assert [(r.path, r.status) for r in pointed.rejected] == [("/users/@me", 401)]


@pytest.mark.asyncio
async def test_ungranted_privileged_intent_closes_with_4014(pointed: FakeDiscord) -> None:
    guild = pointed.add_guild("status-lab")
    intents = discord.Intents.default()
    intents.message_content = True
    bot = StatusBot(guild.id, intents=intents)
    try:
        with pytest.raises(discord.PrivilegedIntentsRequired):
            await asyncio.wait_for(bot.start(pointed.token), READY_TIMEOUT)
    finally:
        await bot.close()


@pytest.mark.asyncio
async def test_granted_message_content_intent_shows_content(pointed: FakeDiscord) -> None:
    pointed.granted_intents = INTENT_MESSAGE_CONTENT
    guild = pointed.add_guild("status-lab", members=["alice"])
    intents = discord.Intents.default()
    intents.message_content = True
    bot = StatusBot(guild.id, intents=intents)
    task = await start(bot, pointed.token)
    try:
        pointed.user_message(guild.channel("general"), guild.member("alice"), "what is 410?")
        await pointed.wait_for_async(lambda: bot.seen)
        assert bot.seen[0].content == "what is 410?"
        assert not task.done()
    finally:
        await shut(bot, task)


@pytest.mark.asyncio
async def test_plain_client_with_zlib_frames_and_default_gateway(pointed: FakeDiscord) -> None:
    pointed.compress = True
    guild = pointed.add_guild("status-lab")
    client = discord.Client(intents=discord.Intents.default())
    client._connection.guild_ready_timeout = 0.05
    task = await start(client, pointed.token)
    try:
        assert client.get_guild(guild.id) is not None
        assert "shard" not in pointed.identify_payloads[0]
        assert pointed.gateway_connects[0][1] == {"v": "10", "encoding": "json", "compress": "zlib-stream"}
        assert ("GET", "/gateway/bot") not in [(r.method, r.path) for r in pointed.requests]
        assert not task.done()
    finally:
        await shut(client, task)


@pytest.mark.asyncio
async def test_two_shards_each_get_their_own_guilds(pointed: FakeDiscord) -> None:
    pointed.shard_count = 2
    first = pointed.add_guild("shard-zero", shard=0)
    second = pointed.add_guild("shard-one", shard=1)
    bot = StatusBot(second.id)
    task = await start(bot, pointed.token)
    try:
        assert pointed.connected_shards() == [0, 1]
        assert {g.id: g.shard_id for g in bot.guilds} == {first.id: 0, second.id: 1}
        rec = pointed.slash("ping", {"code": "200"}, guild=second)
        await pointed.wait_for_response_async(rec)
        assert [e.shard_id for e in pointed.events if e.name == "INTERACTION_CREATE"] == [1]
        assert not task.done()
    finally:
        await shut(bot, task)


BOT_SCRIPT = textwrap.dedent(
    """
    import os

    import discord
    import yarl
    from discord import app_commands
    from discord.gateway import DiscordWebSocket

    discord.http.Route.BASE = os.environ["DISCORD_API_URL"]


    class Client(discord.AutoShardedClient):
        def __init__(self) -> None:
            super().__init__(intents=discord.Intents.default(), allowed_mentions=discord.AllowedMentions.none())
            self.tree = app_commands.CommandTree(self)
            self._connection.guild_ready_timeout = 0.05

        async def setup_hook(self) -> None:
            # Keep re-IDENTIFYs (which use DEFAULT_GATEWAY) on the same server as /gateway/bot.
            _, url, _ = await self.http.get_bot_gateway()
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
            guild = discord.Object(int(os.environ["GUILD_ID"]))

            @self.tree.command(name="ping", description="Ping", guild=guild)
            async def ping(interaction: discord.Interaction) -> None:
                await interaction.response.send_message("pong from a subprocess")

            await self.tree.sync(guild=guild)


    Client().run(os.environ["DISCORD_TOKEN"], log_handler=None)
    """
)


def test_bot_in_a_subprocess(fake: FakeDiscord, tmp_path: Path) -> None:
    guild = fake.add_guild("status-lab", members=["alice"])
    script = tmp_path / "bot.py"
    script.write_text(BOT_SCRIPT)
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env |= {"DISCORD_API_URL": fake.api_base, "DISCORD_TOKEN": fake.token, "GUILD_ID": str(guild.id)}
    proc = subprocess.Popen([sys.executable, str(script)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        # READY, or the child's death (its output then says why) — whichever comes first.
        fake.wait_for(lambda: proc.poll() is not None or fake.connected_shards(), 20, what="the bot process to connect")
        started = proc.poll() is None
        if started:
            rec = fake.slash("ping", guild=guild)
            response = fake.wait_for_response(rec)
            survived = proc.poll() is None
    finally:
        proc.terminate()
        output = proc.communicate(timeout=10)[0].decode(errors="replace")
    assert started, output
    assert response.type == 4 and survived
    assert rec.original is not None and rec.original["content"] == "pong from a subprocess"
    assert fake.rejected == [] and fake.unhandled == []
    assert "Traceback" not in output, output


def test_route_base_and_gateway_are_restored_between_tests() -> None:
    assert discord.http.Route.BASE == "https://discord.com/api/v10"
    assert str(DiscordWebSocket.DEFAULT_GATEWAY) == "wss://gateway.discord.gg/"


# ---------------------------------------------------------------------- Discord semantics over raw HTTP


# A proxy from the environment must not see (or break) loopback calls; discord.py's aiohttp ignores it anyway.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def call(fake: FakeDiscord, method: str, path: str, body: Any = None, *, auth: bool = True) -> tuple[int, Any, Any]:
    """One HTTP request to the fake: (status, parsed JSON or None, headers)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(fake.api_base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if auth:
        request.add_header("Authorization", f"Bot {fake.token}")
    try:
        with DIRECT.open(request, timeout=5) as response:
            raw, status, headers = response.read(), response.status, response.headers
    except urllib.error.HTTPError as error:
        raw, status, headers = error.read(), error.code, error.headers
    return status, (json.loads(raw) if raw else None), headers


PING_COMMAND = {
    "name": "ping",
    "description": "Ping",
    "type": 1,
    "options": [{"type": 3, "name": "code", "description": "A code", "required": True, "autocomplete": True}],
}


@pytest.fixture
def synced(fake: FakeDiscord) -> FakeGuild:
    guild = fake.add_guild("status-lab", members=["alice"])
    status, body, _ = call(
        fake, "PUT", f"/applications/{fake.application_id}/guilds/{guild.id}/commands", [PING_COMMAND]
    )
    assert status == 200 and body[0]["id"] and body[0]["guild_id"] == str(guild.id)
    return guild


def respond(fake: FakeDiscord, rec: Any, body: dict[str, Any]) -> tuple[int, Any, Any]:
    return call(fake, "POST", f"/interactions/{rec.id}/{rec.token}/callback?with_response=1", body, auth=False)


def test_json_content_type_and_complete_ratelimit_headers(fake: FakeDiscord) -> None:
    status, body, headers = call(fake, "GET", "/users/@me")
    assert status == 200 and body["id"] == str(fake.application_id) and body["bot"] is True
    assert headers["Content-Type"] == "application/json"
    for name in ("X-RateLimit-Limit", "X-RateLimit-Reset", "X-RateLimit-Reset-After", "X-RateLimit-Bucket"):
        assert headers[name]
    assert int(headers["X-RateLimit-Remaining"]) > 0
    status, body, _ = call(fake, "GET", "/gateway/bot")
    assert body["url"] == fake.gateway_url and body["shards"] == 1 and body["session_start_limit"]["total"]


def test_unknown_route_and_bad_token(fake: FakeDiscord) -> None:
    assert call(fake, "GET", "/guilds/1/audit-logs")[:2] == (404, {"message": "404: Not Found", "code": 0})
    assert fake.unhandled == ["GET /guilds/1/audit-logs"]
    assert call(fake, "GET", "/users/@me", auth=False)[0] == 401


def test_command_limits_are_validated_on_sync(fake: FakeDiscord) -> None:
    guild = fake.add_guild("status-lab")
    bad = {**PING_COMMAND, "name": "Ping", "description": "d" * 101}
    status, body, _ = call(fake, "PUT", f"/applications/{fake.application_id}/guilds/{guild.id}/commands", [bad])
    assert status == 400 and body["code"] == 50035
    assert {"[0].name", "[0].description"} <= set(body["errors"])


def test_callback_rules(fake: FakeDiscord, synced: FakeGuild) -> None:
    rec = fake.slash("ping", {"code": "404"}, guild=synced, dispatch=False)
    # Followups need a first callback; UPDATE_MESSAGE is for components; autocomplete results for autocomplete.
    assert call(fake, "POST", f"/webhooks/{fake.application_id}/{rec.token}?wait=true", {"content": "x"})[0] == 404
    assert respond(fake, rec, {"type": 7, "data": {"content": "x"}})[0] == 400
    assert respond(fake, rec, {"type": 8, "data": {"choices": []}})[0] == 400
    assert respond(fake, rec, {"type": 4, "data": {"content": ""}})[1]["code"] == 50006
    status, body, _ = respond(fake, rec, {"type": 4, "data": {"content": "ok", "flags": 64}})
    assert status == 200 and body["interaction"]["response_message_ephemeral"] is True
    assert body["resource"]["message"]["content"] == "ok"
    assert respond(fake, rec, {"type": 4, "data": {"content": "again"}})[1]["code"] == 40060
    status, body, _ = call(fake, "POST", f"/webhooks/{fake.application_id}/{rec.token}?wait=true", {"content": "more"})
    assert status == 200 and rec.followups[0]["content"] == "more"
    status, body, _ = call(
        fake, "PATCH", f"/webhooks/{fake.application_id}/{rec.token}/messages/@original", {"content": "edited"}
    )
    assert status == 200 and rec.original is not None and rec.original["content"] == "edited"
    assert [r.code for r in fake.rejected] == [10015, 50035, 50035, 50006, 40060]


def test_deadline_and_autocomplete_limits(fake: FakeDiscord, synced: FakeGuild) -> None:
    fake.interaction_deadline = 0.0
    late = fake.slash("ping", {"code": "404"}, guild=synced, dispatch=False)
    assert respond(fake, late, {"type": 4, "data": {"content": "late"}})[1]["code"] == 10062
    fake.interaction_deadline = 3.0
    rec = fake.autocomplete("ping", "code", "4", guild=synced, dispatch=False)
    assert rec.payload["data"]["options"] == [{"name": "code", "type": 3, "value": "4", "focused": True}]
    choices = [{"name": str(n), "value": str(n)} for n in range(26)]
    assert respond(fake, rec, {"type": 8, "data": {"choices": choices}})[1]["code"] == 50035
    assert respond(fake, rec, {"type": 8, "data": {"choices": choices[:25]}})[0] == 200


def test_injected_429_and_5xx(fake: FakeDiscord) -> None:
    fake.fail_next("GET", r"^/users/@me$", status=429, retry_after=0.5)
    status, body, headers = call(fake, "GET", "/users/@me")
    assert status == 429 and body == {"message": "You are being rate limited.", "retry_after": 0.5, "global": False}
    assert headers["Via"] == "1.1 google" and headers["Content-Type"] == "application/json"
    fake.fail_next("*", r"^/users/@me$", status=502)
    assert call(fake, "GET", "/users/@me")[0] == 502
    assert call(fake, "GET", "/users/@me")[0] == 200


def test_interaction_payloads_are_complete(fake: FakeDiscord, synced: FakeGuild) -> None:
    rec = fake.slash("ping", {"code": "404"}, guild=synced, dispatch=False)
    payload = rec.payload
    for key in ("attachment_size_limit", "app_permissions", "entitlements", "authorizing_integration_owners"):
        assert key in payload
    assert payload["context"] == 0 and payload["data"]["guild_id"] == str(synced.id)
    assert {"user", "roles", "joined_at", "flags", "permissions"} <= set(payload["member"])
    assert payload["channel"]["type"] == 0 and payload["channel"]["id"] == payload["channel_id"]
    assert (int(payload["id"]) >> 22) > 0  # a real-time snowflake


def test_dm_and_user_install_contexts(fake: FakeDiscord) -> None:
    command = {**PING_COMMAND, "options": [], "integration_types": [0, 1], "contexts": [0, 1, 2]}
    assert call(fake, "PUT", f"/applications/{fake.application_id}/commands", [command])[0] == 200
    dm = fake.slash("ping", dispatch=False)
    assert dm.payload["context"] == 1 and "user" in dm.payload and "member" not in dm.payload
    assert dm.payload["channel"]["type"] == 1
    elsewhere = fake.slash("ping", context=2, dispatch=False)
    assert elsewhere.payload["authorizing_integration_owners"] == {"1": str(elsewhere.user_id)}
    guild_only = {**PING_COMMAND, "name": "guildonly", "options": []}
    assert call(fake, "PUT", f"/applications/{fake.application_id}/commands", [guild_only])[0] == 200
    with pytest.raises(FakeDiscordError, match="user-installable"):
        fake.slash("guildonly", context=2, dispatch=False)


def test_channel_messages_permissions_and_history(fake: FakeDiscord) -> None:
    guild = fake.add_guild("status-lab", members=["alice"])
    hidden = fake.add_channel(guild, "staff", overwrites=[{"id": guild.id, "type": 0, "deny": 1 << 10}])
    assert call(fake, "POST", f"/channels/{hidden.id}/messages", {"content": "hi"})[1]["code"] == 50001
    general = guild.channel("general")
    status, sent, _ = call(fake, "POST", f"/channels/{general.id}/messages", {"content": "hi <@1>"})
    assert status == 200 and sent["author"]["id"] == str(fake.application_id)
    assert [m["content"] for m in fake.mention_unsafe] == ["hi <@1>"]
    theirs = fake.user_message(general, guild.member("alice"), "mine")
    assert call(fake, "PATCH", f"/channels/{general.id}/messages/{theirs['id']}", {"content": "x"})[1]["code"] == 50005
    assert call(fake, "PATCH", f"/channels/{general.id}/messages/{sent['id']}", {"content": "edited"})[0] == 200
    # Over REST, other users' content is hidden without the message content intent; the bot's own is not.
    status, history, _ = call(fake, "GET", f"/channels/{general.id}/messages?limit=10")
    assert [m["content"] for m in history] == ["", "edited"]


@pytest.mark.asyncio
async def test_gateway_handshake_rules(fake: FakeDiscord) -> None:
    guild = fake.add_guild("status-lab", members=["alice"])
    query = "?v=10&encoding=json&compress=zlib-stream"
    good: dict[str, Any] = {"op": 2, "d": {"token": fake.token, "intents": 513, "properties": {}, "shard": [0, 1]}}
    async with aiohttp.ClientSession() as http:

        async def close_code(identify: dict[str, Any]) -> int:
            async with http.ws_connect(fake.gateway_url + query) as ws:
                await ws.receive_json(timeout=5)
                await ws.send_json(identify)
                msg = await ws.receive(timeout=5)
                assert msg.type is aiohttp.WSMsgType.CLOSE
                return int(msg.data)

        assert await close_code({"op": 2, "d": {**good["d"], "token": "bad"}}) == 4004
        assert await close_code({"op": 2, "d": {**good["d"], "intents": 513 | INTENT_MESSAGE_CONTENT}}) == 4014
        assert await close_code({"op": 2, "d": {**good["d"], "intents": 513 | 2}}) == 4014  # members
        async with http.ws_connect(fake.gateway_url + "?v=9&encoding=json") as ws:
            assert (await ws.receive(timeout=5)).data == 4012

        async with http.ws_connect(fake.gateway_url + query) as ws:
            # Text frames although zlib-stream was asked for: receive_json would fail on a binary frame.
            hello = await ws.receive_json(timeout=5)
            assert hello == {"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None}
            await ws.send_json({"op": 1, "d": None})
            assert (await ws.receive_json(timeout=5))["op"] == 11
            await ws.send_json({"op": 6, "d": {"token": fake.token, "session_id": "nope", "seq": 3}})
            assert await ws.receive_json(timeout=5) == {"op": 9, "d": False, "s": None, "t": None}

        async with http.ws_connect(fake.gateway_url + query) as ws:
            await ws.receive_json(timeout=5)
            await ws.send_json(good)
            ready = await ws.receive_json(timeout=5)
            create = await ws.receive_json(timeout=5)
    assert (ready["t"], ready["s"], create["t"], create["s"]) == ("READY", 1, "GUILD_CREATE", 2)
    assert ready["d"]["shard"] == [0, 1] and ready["d"]["resume_gateway_url"] == fake.resume_gateway_url
    assert ready["d"]["guilds"] == [{"id": str(guild.id), "unavailable": True}]
    # Without the members intent a session only sees itself, but member_count is the real count.
    assert [m["user"]["id"] for m in create["d"]["members"]] == [str(fake.application_id)]
    assert create["d"]["member_count"] == 3


def test_dm_channel_creation_and_sending(fake: FakeDiscord) -> None:
    user = fake.add_user("carol")
    status, channel, _ = call(fake, "POST", "/users/@me/channels", {"recipient_id": str(user.id)})
    assert status == 200 and channel["type"] == 1 and channel["recipients"][0]["id"] == str(user.id)
    assert channel["id"] == str(fake.dm_channel(user).id)
    assert call(fake, "POST", f"/channels/{channel['id']}/messages", {"content": "hello"})[0] == 200
    assert [m["content"] for m in fake.messages(int(channel["id"]))] == ["hello"]
    assert call(fake, "GET", f"/channels/{channel['id']}")[1]["type"] == 1


# ---------------------------------------------------------------------- limits


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ({"content": "x" * 2001}, "content"),
        ({"embeds": [{"title": "t"}] * 11}, "embeds: 11"),
        ({"embeds": [{"title": "t" * 257}]}, "title"),
        ({"embeds": [{"fields": [{"name": " ", "value": "v"}]}]}, "whitespace"),
        ({"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]}, "in total"),
        ({"embeds": [{"footer": {"text": "f" * 2049}}]}, "footer"),
        (
            {"components": [{"type": 1, "components": [{"type": 2, "style": 1, "label": "l" * 81, "custom_id": "a"}]}]},
            "label",
        ),
        (
            {
                "components": [
                    {"type": 1, "components": [{"type": 2, "style": 1, "label": "l", "custom_id": "c" * 101}]}
                ]
            },
            "custom_id",
        ),
        (
            {
                "components": [
                    {
                        "type": 1,
                        "components": [{"type": 2, "style": 5, "label": "l", "url": "https://x", "custom_id": "a"}],
                    }
                ]
            },
            "link button",
        ),
        (
            {
                "components": [
                    {
                        "type": 1,
                        "components": [{"type": 2, "style": 1, "label": "l", "custom_id": str(i)} for i in range(6)],
                    }
                ]
            },
            "per row",
        ),
        (
            {
                "components": [{"type": 1, "components": [{"type": 2, "style": 1, "label": "l", "custom_id": "same"}]}]
                * 2
            },
            "not unique",
        ),
        (
            {
                "components": [
                    {"type": 1, "components": [{"type": 2, "style": 1, "label": "l", "custom_id": str(i)}]}
                    for i in range(6)
                ]
            },
            "action rows",
        ),
        ({"content": ""}, "empty"),
    ],
)
def test_message_limits(payload: dict[str, Any], fragment: str) -> None:
    assert any(fragment in e for e in limits.validate_message(payload)), limits.validate_message(payload)


def test_valid_payloads_pass() -> None:
    button = {"type": 2, "style": 1, "label": "Explain", "custom_id": "status:explain"}
    assert limits.validate_message({"content": "ok", "components": [{"type": 1, "components": [button]}]}) == []
    assert limits.validate_autocomplete([{"name": "404", "value": "404"}]) == []
    row = {"type": 1, "components": [{"type": 4, "custom_id": "c", "style": 1, "label": "Code"}]}
    assert limits.validate_modal({"custom_id": "m", "title": "Report", "components": [row]}) == []
    assert limits.validate_commands([PING_COMMAND]) == []


def test_autocomplete_modal_and_command_limits() -> None:
    assert limits.validate_autocomplete([{"name": "n", "value": "v"}] * 26)
    assert limits.validate_autocomplete([{"name": "n" * 101, "value": "v"}])
    assert limits.validate_autocomplete([{"name": "n", "value": "v" * 101}])
    row = {"type": 1, "components": [{"type": 4, "custom_id": "c", "style": 1, "label": "L" * 46}]}
    assert any("label" in e for e in limits.validate_modal({"custom_id": "m", "title": "T" * 46, "components": [row]}))
    assert limits.validate_modal({"custom_id": "m", "title": "T", "components": [row] * 6})
    options = [{"type": 3, "name": f"o{i}", "description": "d"} for i in range(26)]
    assert limits.validate_commands([{**PING_COMMAND, "options": options}])
    choices = [{"name": str(i), "value": str(i)} for i in range(26)]
    option = {"type": 3, "name": "c", "description": "d", "choices": choices}
    assert limits.validate_commands([{**PING_COMMAND, "options": [option]}])
