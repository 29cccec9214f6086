"""Running the real discord.py client of statusbot against the fake Discord, in the test's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import discord.http
from discord.gateway import DiscordWebSocket

from adapters.chat.limits import ChatLimits, LimitSettings
from adapters.discord.main import Settings, point_at
from adapters.discord.setup import create_client
from bot.storage.database import make_engine, migrate
from tests.adapters.processes import PROXIES, clean_env, stop
from tests.fakes.discord_api import CALLBACK_DEFERRED_MESSAGE, FakeDiscord, FakeGuild, InteractionRecord
from tests.fakes.discord_limits import FLAG_LOADING

ROOT = Path(__file__).resolve().parents[3]
STOP_GRACE = 15.0  # seconds a SIGTERMed process may take to finish what it was answering
PROXY_VARIABLES = (*PROXIES, "NO_PROXY")
# quick enough for a test, and still the production code paths: a clock tick every 0.1 s, countdowns every 1 s
FAST = {"clock_interval": 0.1, "countdown_every": 1.0}


@contextlib.asynccontextmanager
async def running_bot(
    fake: FakeDiscord,
    database: Path,
    *,
    message_content: bool = False,
    shard_ids: list[int] | None = None,
    shard_count: int | None = None,
    rate_limits: bool = False,
    **tuning: float,
) -> AsyncIterator[Any]:
    """statusbot's client connected to ``fake`` on the SQLite file ``database``; closed (and checked) on exit."""
    saved = discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    point_at(fake.api_base)
    engine = make_engine(f"sqlite:///{database}")
    migrate(engine)
    settings = Settings(fake.token, None, message_content, fake.api_base, shard_ids, shard_count)
    client = create_client(settings, engine=engine, **{**FAST, **tuning})
    client._connection.guild_ready_timeout = 0.05
    if not rate_limits:  # these tests send dozens of commands a second as one user (limits: tests/reliability)
        client.runtime.limits = ChatLimits(LimitSettings(enabled=False))
    task = asyncio.create_task(client.start(fake.token))
    try:
        await asyncio.sleep(0)
        ready = asyncio.create_task(client.wait_until_ready())
        await asyncio.wait({ready, task}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            ready.cancel()
            task.result()  # raises what stopped the client
        assert ready.done(), "the client did not become ready"
        client.test_task = task
        yield client
        assert not task.done(), "the client stopped while the test ran"
    finally:
        await client.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, 10)
        client.runtime.close()
        engine.dispose()
        discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved


class DiscordProcess:
    """A `statusbot discord` process started by :func:`discord_process`: the process, its log, and (once stopped)
    its exit status."""

    def __init__(self, process: subprocess.Popen[bytes], log: Path) -> None:
        self.process = process
        self.log = log
        self.code: int | None = None

    def output(self) -> str:
        """Everything the process wrote so far."""
        return self.log.read_text()


@contextlib.contextmanager
def discord_process(
    fake: FakeDiscord,
    guild: FakeGuild,
    workdir: Path,
    *,
    log_name: str = "bot.log",
    ready: bool = True,
    **settings: str,
) -> Iterator[DiscordProcess]:
    """`statusbot discord` (``python -m bot discord``) as a subprocess against ``fake``, on the SQLite database in
    ``workdir``, with ``settings`` added to a clean environment; its output is appended to ``workdir/log_name``.
    With ``ready`` it is connected and its commands are synced to ``guild`` before the test goes on. On the way
    out it is stopped with SIGTERM and killed if it has not ended after STOP_GRACE seconds (it never outlives
    the test); ``code`` is its exit status then."""
    env = clean_env(
        DISCORD_TOKEN=fake.token,
        DISCORD_API_URL=fake.api_base,
        DISCORD_GUILD_ID=str(guild.id),
        STATUSBOT_DB=str(workdir / "statusbot.sqlite3"),
        STATUSBOT_CACHE_DIR=str(workdir / "cache"),
        PYTHONPATH=str(ROOT),
        **settings,
    )
    log = workdir / log_name
    with log.open("a") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "discord"], cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    started = DiscordProcess(process, log)
    try:
        if ready:
            fake.wait_until_identified(timeout=30)
            fake.wait_for(lambda: fake.commands(guild), 10, what="commands synced to the guild")
        yield started
    finally:
        started.code = stop(process, STOP_GRACE)


def running(client: Any) -> bool:
    return not client.test_task.done()


async def answered(fake: FakeDiscord, record: InteractionRecord, timeout: float = 5.0) -> InteractionRecord:
    """The interaction once the bot has responded to it; a deferred ("thinking") answer once it was filled in
    or removed (a slow first scenario question on a loaded machine is deferred, as it should be)."""
    response = await fake.wait_for_response_async(record, timeout)
    if response.type == CALLBACK_DEFERRED_MESSAGE:
        await fake.wait_for_async(
            lambda: record.original is None or not record.original["flags"] & FLAG_LOADING, timeout, what="the answer"
        )
    return record


def embed(message: dict[str, Any] | None) -> dict[str, Any]:
    assert message is not None, "no message"
    assert message.get("embeds"), f"no embed in {message}"
    return message["embeds"][0]


def title(message: dict[str, Any] | None) -> str:
    """The first embed's title; "" for a message without one (a "thinking…" placeholder)."""
    assert message is not None, "no message"
    return str(message["embeds"][0].get("title")) if message.get("embeds") else ""


def buttons(message: dict[str, Any] | None) -> list[dict[str, Any]]:
    assert message is not None
    return [c for row in message.get("components") or [] for c in row.get("components") or []]


def button(message: dict[str, Any] | None, label: str) -> str:
    """The custom_id of the button labelled ``label`` (or starting with it)."""
    for component in buttons(message):
        if component.get("label", "").startswith(label) and "custom_id" in component:
            return str(component["custom_id"])
    raise AssertionError(f"no button {label!r} in {[c.get('label') for c in buttons(message)]}")


def text_of(message: dict[str, Any] | None) -> str:
    """Everything an embed says, for substring assertions."""
    card = embed(message)
    parts = [card.get("title") or "", card.get("description") or ""]
    parts += [f"{f['name']}\n{f['value']}" for f in card.get("fields") or []]
    parts.append((card.get("footer") or {}).get("text") or "")
    return "\n".join(parts)
