"""``statusbot discord``: settings from the environment, then the client until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import re
import signal
from typing import NamedTuple

from adapters.chat.ops import Address, OpsServer, drain, read_address
from adapters.chat.settings import SettingError, optional, retention_days, url

log = logging.getLogger(__name__)
DEFAULT_API = "https://discord.com/api/v10"
# a bot token is three dot-separated base64url parts: the bot's id, a timestamp, an HMAC
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}")
TRUE, FALSE = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")


class Settings(NamedTuple):
    """Everything ``statusbot discord`` reads from its environment and arguments."""

    token: str
    guild_id: int | None
    message_content: bool
    api_url: str
    shard_ids: list[int] | None
    shard_count: int | None


def read_settings(shard_ids: str | None = None, shard_count: str | None = None) -> Settings:
    """The settings, or a SettingError naming the first wrong one."""
    token = optional("DISCORD_TOKEN")
    if not token:
        raise SettingError("DISCORD_TOKEN is not set: it should be the bot token from the Discord developer portal")
    if not TOKEN.fullmatch(token):
        raise SettingError(
            "DISCORD_TOKEN does not look right: it should be the bot token from the Discord developer portal "
            "(three dot-separated parts)"
        )
    guild = optional("DISCORD_GUILD_ID")
    if guild and not (guild.isascii() and guild.isdigit() and 15 <= len(guild) <= 21):
        raise SettingError(
            "DISCORD_GUILD_ID does not look right: it should be a server id, a number such as 123456789012345678"
        )
    content = optional("DISCORD_MESSAGE_CONTENT").lower()
    if content not in TRUE + FALSE:
        raise SettingError("DISCORD_MESSAGE_CONTENT does not look right: it should be 1 or 0")
    ids, count = _shards(shard_ids, shard_count)
    return Settings(
        token=token,
        guild_id=int(guild) if guild else None,
        message_content=content in TRUE,
        api_url=url("DISCORD_API_URL", DEFAULT_API).rstrip("/"),
        shard_ids=ids,
        shard_count=count,
    )


def _shards(shard_ids: str | None, shard_count: str | None) -> tuple[list[int] | None, int | None]:
    count = None
    if shard_count is not None:
        if not (shard_count.isascii() and shard_count.isdigit() and int(shard_count) > 0):
            raise SettingError(
                f"--shard-count does not look right: it should be a whole number from 1, not {shard_count!r}"
            )
        count = int(shard_count)
    if shard_ids is None:
        return None, count
    if count is None:
        raise SettingError("--shard-ids needs --shard-count: the total number of shards across all processes")
    parts = [part.strip() for part in shard_ids.split(",")]
    if not all(part.isascii() and part.isdigit() and int(part) < count for part in parts):
        raise SettingError(
            f"--shard-ids does not look right: it should be comma-separated shard ids below {count}, such as 0,1"
        )
    return sorted({int(part) for part in parts}), count


def run_discord(shard_ids: str | None = None, shard_count: str | None = None) -> int:
    """Run the bot until it is stopped; wrong settings raise SettingError (one line)."""
    settings = read_settings(shard_ids, shard_count)
    retention_days()  # checked before anything runs: the quiz purges by it
    return asyncio.run(serve(settings, read_address()))


def point_at(api_url: str) -> None:
    """Send every HTTP call (and so the gateway lookup) to ``api_url`` (a test server, or Discord itself)."""
    import discord.http

    discord.http.Route.BASE = api_url


async def serve(settings: Settings, ops: Address | None = None) -> int:
    """Open the database, connect, and run until SIGINT/SIGTERM; refusals by Discord become one line. With ``ops``
    (METRICS_PORT), ``/healthz`` and ``/metrics`` are served there."""
    import discord

    from adapters.discord.setup import create_client

    point_at(settings.api_url)
    client = create_client(settings)
    server = OpsServer("discord", ops, lambda: client.is_ready() and not client.is_closed()) if ops else None
    stopping: list[asyncio.Task[None]] = []  # referenced until done: the loop keeps only weak references

    async def shut_down() -> None:
        # the interactions being answered finish first: closing the client closes the session they answer with
        await drain()
        await client.close()

    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, lambda: stopping.append(asyncio.ensure_future(shut_down())))
    try:
        if server is not None:
            await server.start()
        async with client:
            await client.start(settings.token)
    except discord.LoginFailure:
        raise SettingError("DISCORD_TOKEN was rejected by Discord") from None
    except discord.PrivilegedIntentsRequired:
        raise SettingError(
            "DISCORD_MESSAGE_CONTENT=1 needs the Message Content intent: enable it for the bot in the Discord "
            "developer portal, or unset DISCORD_MESSAGE_CONTENT"
        ) from None
    finally:
        if server is not None:
            await server.stop()
        client.runtime.close()
    return 0
