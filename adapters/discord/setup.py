"""Wiring: the conversation, the shared runtime and the client, from settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.chat.runtime import ChatRuntime
from adapters.chat.settings import open_database
from adapters.discord.client import StatusClient
from bot.conversation import Conversation, default_quiz
from bot.platform import Platform
from bot.storage.message_keys import MessageKeys
from bot.suggest import suggester
from knowledge import knowledge

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from adapters.discord.main import Settings


def create_client(settings: Settings, *, engine: Engine | None = None, **tuning: float) -> StatusClient:
    """The client on ``engine`` (else the configured database, migrated); ``tuning`` sets the quiz clock's
    ``clock_interval`` and ``countdown_every`` and the interaction ``patience`` (tests make them short)."""
    engine = engine or open_database()
    kb = knowledge()
    platform = Platform("discord", private_answers=True, channel_messages=settings.message_content, shared=True)
    conversation = Conversation(kb, platform=platform, quiz=lambda: default_quiz(kb, engine))
    runtime = ChatRuntime(conversation, MessageKeys(engine, "discord"))
    return StatusClient(
        runtime,
        platform,
        suggester(),
        guild_id=settings.guild_id,
        shard_ids=settings.shard_ids,
        shard_count=settings.shard_count,
        **tuning,
    )
