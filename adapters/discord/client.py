"""The Discord client: a sharded gateway connection, the command tree, the quiz clock and typed answers."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.chat import metrics
from adapters.chat.quiz_clock import QuizClock
from adapters.chat.runtime import ChatRuntime, Sender
from adapters.discord.commands import build_tree
from adapters.discord.components import ActionButton
from adapters.discord.interactions import Handler, names_bot
from adapters.discord.sender import NO_MENTIONS, ChannelSender
from bot.platform import Platform
from bot.suggest import Suggester

log = logging.getLogger(__name__)


def intents(message_content: bool) -> discord.Intents:
    """No privileged intent, except Message Content when typed answers were asked for."""
    chosen = discord.Intents.default()
    chosen.members = False
    chosen.presences = False
    chosen.message_content = message_content
    return chosen


def counted(request: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """discord.py's one HTTP entry point, counting the calls that fail after its own retries (429s are waited out
    inside it), labelled by route template so no id or token reaches a label."""

    @functools.wraps(request)
    async def call(route: Route, **kwargs: Any) -> Any:
        try:
            return await request(route, **kwargs)
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError):
            metrics.api_error("discord", f"{route.method} {route.path}")
            raise

    return call


class StatusClient(discord.AutoShardedClient):
    """statusbot on Discord; every event goes through the shared chat runtime."""

    def __init__(
        self,
        runtime: ChatRuntime,
        platform: Platform,
        suggester: Suggester,
        *,
        guild_id: int | None = None,
        shard_ids: list[int] | None = None,
        shard_count: int | None = None,
        clock_interval: float = 1.0,
        countdown_every: float = 5.0,
        patience: float = 1.5,
    ) -> None:
        shards: dict[str, Any] = {"shard_ids": shard_ids} if shard_ids is not None else {}
        super().__init__(
            intents=intents(platform.channel_messages),
            shard_count=shard_count,
            allowed_mentions=NO_MENTIONS,
            **shards,
        )
        self.runtime = runtime
        self.platform = platform
        self.guild_id = guild_id
        self.handler = Handler(runtime, platform, self, patience=patience)
        self.tree = build_tree(self, self.handler, suggester)
        self.sender = ChannelSender(self)
        self.clock = QuizClock(
            runtime, self._sender_for, owns=self.owns, interval=clock_interval, countdown_every=countdown_every
        )
        self._clock_task: asyncio.Task[None] | None = None
        self.http.request = counted(self.http.request)  # type: ignore[method-assign,assignment]

    async def setup_hook(self) -> None:
        # buttons are routed by custom_id alone: clicks on messages from before a restart still work
        self.add_dynamic_items(ActionButton)
        await self.runtime.warm_up()
        metrics.watch(self.runtime.conversation)
        if self.shard_count is not None:
            # with a given shard count discord.py skips GET /gateway/bot and dials its built-in gateway URL;
            # ask the API (DISCORD_API_URL) instead, as it does for automatic sharding
            _, url, _ = await self.http.get_bot_gateway()
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        if self.guild_id is not None:
            guild = discord.Object(self.guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()

    async def on_ready(self) -> None:
        if self._clock_task is None:  # on_ready fires again after a reconnect
            self._clock_task = asyncio.create_task(self.clock.run(), name="statusbot-quiz-clock")
        log.info("statusbot is on Discord as %s (shards %s of %s)", self.user, self.shard_ids, self.shard_count)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        await self.handler.submitted(interaction)

    async def on_message(self, message: discord.Message) -> None:
        if message.guild is None:  # DMs carry their text without the Message Content intent
            await self.handler.direct(message)
        elif self.user is not None and names_bot(message.content, self.user.id):
            await self.handler.mentioned(message, self.user.id)  # so do messages that mention the bot
        elif self.platform.channel_messages:
            await self.handler.typed(message)

    def owns(self, workspace: str) -> bool:
        """Whether this process's shards receive the guild's events (so its clock looks after its games).
        Discord sends every DM to shard 0, so games in DMs belong to the process that runs it."""
        count = self.shard_count or 1
        mine = self.shard_ids if self.shard_ids is not None else range(count)
        if workspace == "dm":
            return 0 in mine
        return workspace.isdigit() and (int(workspace) >> 22) % count in mine

    async def _sender_for(self, workspace: str) -> Sender | None:
        return self.sender if self.is_ready() else None

    async def close(self) -> None:
        if self._clock_task is not None:
            self._clock_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._clock_task
        await super().close()

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        # an event handler's failure is logged; the client keeps running
        log.exception("the %s handler failed", event_method)
