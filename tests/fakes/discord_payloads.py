"""Discord objects for the fake (users, guilds, roles, channels, members) and their complete JSON payloads.

discord.py indexes many payload keys directly, and a missing key inside a gateway event kills the whole client
(the KeyError escapes ``poll_event``). So every builder here emits the full object Discord sends, not the minimum.
Ids are real-time snowflakes because discord.py derives ``created_at`` and ``Interaction.is_expired()`` from them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000

# Permission bits used by the fake (https://discord.com/developers/docs/topics/permissions).
CREATE_INSTANT_INVITE = 1 << 0
KICK_MEMBERS = 1 << 1
BAN_MEMBERS = 1 << 2
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
CONNECT = 1 << 20
SPEAK = 1 << 21
CHANGE_NICKNAME = 1 << 26
USE_APPLICATION_COMMANDS = 1 << 31
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = (1 << 51) - 1

DEFAULT_EVERYONE_PERMISSIONS = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | MENTION_EVERYONE
    | USE_EXTERNAL_EMOJIS
    | CONNECT
    | SPEAK
    | CHANGE_NICKNAME
    | USE_APPLICATION_COMMANDS
    | SEND_MESSAGES_IN_THREADS
)
DEFAULT_BOT_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY
# What Discord reports as app_permissions in a DM (no roles exist there).
DM_PERMISSIONS = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | ADD_REACTIONS
    | USE_EXTERNAL_EMOJIS
)

CHANNEL_TEXT = 0
CHANNEL_DM = 1

# Interaction contexts (where an interaction happened).
CONTEXT_GUILD = 0
CONTEXT_BOT_DM = 1
CONTEXT_PRIVATE_CHANNEL = 2


class SnowflakeFactory:
    """Unique, increasing snowflakes whose timestamp is now, so ``created_at`` is meaningful."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0
        self._counter = itertools.count()

    def next(self, *, ahead_ms: int = 0) -> int:
        with self._lock:
            ms = int(time.time() * 1000) - DISCORD_EPOCH_MS + ahead_ms
            candidate = (ms << 22) | (1 << 17) | (next(self._counter) & 0xFFF)
            if candidate <= self._last:
                candidate = self._last + 1
            self._last = candidate
            return candidate

    def for_shard(self, shard_id: int, shard_count: int) -> int:
        """A snowflake whose guild shard, ``(id >> 22) % shard_count``, is ``shard_id``."""
        for ahead in range(shard_count * 4 + 1):
            candidate = self.next(ahead_ms=ahead)
            if (candidate >> 22) % shard_count == shard_id:
                return candidate
        raise RuntimeError("no snowflake found for the shard")  # unreachable: the timestamp walks every residue


def iso_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


@dataclass
class FakeUser:
    """A Discord user (a person or a bot)."""

    id: int
    username: str
    global_name: str | None = None
    bot: bool = False

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "avatar_decoration_data": None,
            "banner": None,
            "accent_color": None,
            "public_flags": 0,
            "bot": self.bot,
            "system": False,
            "primary_guild": None,
            "collectibles": None,
        }

    def self_payload(self) -> dict[str, Any]:
        """The richer object GET /users/@me and READY carry for the current user."""
        data = self.payload()
        data.update(verified=True, mfa_enabled=False, flags=0, email=None, locale="en-US", premium_type=0)
        return data


@dataclass
class FakeRole:
    id: int
    guild_id: int
    name: str
    permissions: int
    position: int = 0
    managed: bool = False
    bot_id: int | None = None

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": False,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass
class FakeChannel:
    """A guild text channel or a DM channel."""

    id: int
    name: str
    type: int = CHANNEL_TEXT
    guild_id: int | None = None
    position: int = 0
    topic: str | None = None
    permission_overwrites: list[dict[str, Any]] = field(default_factory=list)
    recipients: list[FakeUser] = field(default_factory=list)
    # False for a user-install "private channel" (context 2): the bot is not in it and cannot post there.
    bot_member: bool = True
    last_message_id: int | None = None

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    @property
    def is_dm(self) -> bool:
        return self.guild_id is None

    def payload(self) -> dict[str, Any]:
        last = None if self.last_message_id is None else str(self.last_message_id)
        if self.is_dm:
            return {
                "id": str(self.id),
                "type": self.type,
                "last_message_id": last,
                "flags": 0,
                "recipients": [u.payload() for u in self.recipients],
            }
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [dict(o) for o in self.permission_overwrites],
            "topic": self.topic,
            "nsfw": False,
            "last_message_id": last,
            "rate_limit_per_user": 0,
            "parent_id": None,
            "default_auto_archive_duration": 1440,
            "default_thread_rate_limit_per_user": 0,
            "flags": 0,
        }


@dataclass
class FakeMember:
    user: FakeUser
    guild_id: int
    role_ids: list[int] = field(default_factory=list)
    joined_at: str = field(default_factory=iso_now)
    nick: str | None = None

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def mention(self) -> str:
        return self.user.mention

    def payload(self, *, with_user: bool = True, permissions: int | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "roles": [str(r) for r in self.role_ids],
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
            "avatar_decoration_data": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


@dataclass
class FakeGuild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, FakeRole] = field(default_factory=dict)
    channels: dict[int, FakeChannel] = field(default_factory=dict)
    members: dict[int, FakeMember] = field(default_factory=dict)
    features: list[str] = field(default_factory=list)
    preferred_locale: str = "en-US"
    joined_at: str = field(default_factory=iso_now)

    @property
    def everyone(self) -> FakeRole:
        return self.roles[self.id]

    def text_channels(self) -> list[FakeChannel]:
        return sorted((c for c in self.channels.values() if c.type == CHANNEL_TEXT), key=lambda c: c.position)

    def channel(self, name: str) -> FakeChannel:
        for channel in self.channels.values():
            if channel.name == name:
                return channel
        raise KeyError(f"guild {self.name!r} has no channel {name!r}")

    def member(self, name: str) -> FakeMember:
        for member in self.members.values():
            if name in (member.user.username, member.nick, member.user.global_name):
                return member
        raise KeyError(f"guild {self.name!r} has no member {name!r}")

    def role(self, name: str) -> FakeRole:
        for role in self.roles.values():
            if role.name == name:
                return role
        raise KeyError(f"guild {self.name!r} has no role {name!r}")

    def base_permissions(self, member: FakeMember) -> int:
        """Guild-wide permissions: @everyone plus the member's roles; owner and administrators get everything."""
        if member.id == self.owner_id:
            return ALL_PERMISSIONS
        perms = self.everyone.permissions
        for role_id in member.role_ids:
            role = self.roles.get(role_id)
            if role is not None:
                perms |= role.permissions
        return ALL_PERMISSIONS if perms & ADMINISTRATOR else perms

    def permissions_in(self, member: FakeMember, channel: FakeChannel | None) -> int:
        """Channel permissions after overwrites, in Discord's order: @everyone, roles (deny then allow), member."""
        perms = self.base_permissions(member)
        if perms == ALL_PERMISSIONS or channel is None:
            return perms
        overwrites = {(int(o["id"]), int(o["type"])): o for o in channel.permission_overwrites}
        everyone = overwrites.get((self.id, 0))
        if everyone:
            perms = (perms & ~int(everyone.get("deny", 0))) | int(everyone.get("allow", 0))
        allow = deny = 0
        for role_id in member.role_ids:
            overwrite = overwrites.get((role_id, 0))
            if overwrite:
                allow |= int(overwrite.get("allow", 0))
                deny |= int(overwrite.get("deny", 0))
        perms = (perms & ~deny) | allow
        own = overwrites.get((member.id, 1))
        if own:
            perms = (perms & ~int(own.get("deny", 0))) | int(own.get("allow", 0))
        if not perms & VIEW_CHANNEL:
            return 0
        return perms

    def create_payload(self, members: Iterable[FakeMember]) -> dict[str, Any]:
        """GUILD_CREATE data. ``members`` is what the session may see; member_count is always the true count."""
        text = self.text_channels()
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "icon_hash": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "widget_enabled": False,
            "widget_channel_id": None,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "nsfw": False,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": self.preferred_locale,
            "features": list(self.features),
            "application_id": None,
            "system_channel_id": str(text[0].id) if text else None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "max_presences": None,
            "max_members": 500000,
            "max_video_channel_users": 25,
            "max_stage_video_channel_users": 50,
            "incidents_data": None,
            "roles": [r.payload() for r in sorted(self.roles.values(), key=lambda r: r.position)],
            "emojis": [],
            "stickers": [],
            "soundboard_sounds": [],
            "joined_at": self.joined_at,
            "large": len(self.members) >= 250,
            "unavailable": False,
            "lazy": True,
            "member_count": len(self.members),
            "voice_states": [],
            "members": [m.payload() for m in members],
            "channels": [c.payload() for c in self.channels.values()],
            "threads": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "embedded_activities": [],
            "application_command_counts": {},
            "hub_type": None,
            "latest_onboarding_question_id": None,
            "home_header": None,
            "version": int(time.time() * 1000),
        }


def interaction_channel_payload(channel: FakeChannel, permissions: int | None) -> dict[str, Any]:
    """The ``channel`` object of an interaction: the channel plus the invoking user's permissions in it."""
    data = channel.payload()
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def resolved_channel_payload(channel: FakeChannel, permissions: int) -> dict[str, Any]:
    """A channel as it appears in ``data.resolved.channels`` (a partial channel with permissions)."""
    return {
        "id": str(channel.id),
        "name": channel.name,
        "type": channel.type,
        "permissions": str(permissions),
        "parent_id": None,
        "topic": channel.topic,
        "position": channel.position,
        "nsfw": False,
        "rate_limit_per_user": 0,
        "last_message_id": None,
        "flags": 0,
    }


def message_payload(
    *,
    id: int,
    channel: FakeChannel,
    author: FakeUser,
    member: FakeMember | None = None,
    content: str = "",
    embeds: list[dict[str, Any]] | None = None,
    components: list[dict[str, Any]] | None = None,
    attachments: list[dict[str, Any]] | None = None,
    flags: int = 0,
    type: int = 0,
    mentions: list[dict[str, Any]] | None = None,
    mention_roles: list[str] | None = None,
    mention_everyone: bool = False,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A complete message object as Discord returns it (GET, MESSAGE_CREATE, interaction resources)."""
    data: dict[str, Any] = {
        "id": str(id),
        "channel_id": str(channel.id),
        "author": author.payload(),
        "content": content,
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": mention_everyone,
        "mentions": mentions or [],
        "mention_roles": mention_roles or [],
        "mention_channels": [],
        "attachments": attachments or [],
        "embeds": [_complete_embed(e) for e in embeds or []],
        "reactions": [],
        "pinned": False,
        "type": type,
        "flags": flags,
        "components": components or [],
        "sticker_items": [],
        "position": None,
    }
    if channel.guild_id is not None:
        data["guild_id"] = str(channel.guild_id)
        if member is not None:
            data["member"] = member.payload(with_user=False)
    if extra:
        data.update(extra)
    return data


def _complete_embed(embed: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(embed)
    out.setdefault("type", "rich")
    return out


def interaction_payload(
    *,
    id: int,
    application_id: int,
    type: int,
    token: str,
    data: dict[str, Any] | None,
    channel: FakeChannel,
    channel_permissions: int | None,
    app_permissions: int,
    context: int,
    authorizing_integration_owners: dict[str, str],
    guild: FakeGuild | None = None,
    member: FakeMember | None = None,
    user: FakeUser | None = None,
    message: dict[str, Any] | None = None,
    locale: str = "en-US",
) -> dict[str, Any]:
    """A complete INTERACTION_CREATE payload: a guild one carries ``member`` (with permissions), a DM one ``user``."""
    payload: dict[str, Any] = {
        "id": str(id),
        "application_id": str(application_id),
        "type": type,
        "token": token,
        "version": 1,
        "channel": interaction_channel_payload(channel, channel_permissions),
        "channel_id": str(channel.id),
        "app_permissions": str(app_permissions),
        "locale": locale,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "authorizing_integration_owners": authorizing_integration_owners,
        "context": context,
        "attachment_size_limit": 10 * 1024 * 1024,
    }
    if data is not None:
        payload["data"] = data
    if guild is not None:
        if member is None:
            raise ValueError("a guild interaction needs a member")
        payload["guild_id"] = str(guild.id)
        payload["guild"] = {"id": str(guild.id), "locale": guild.preferred_locale, "features": list(guild.features)}
        payload["guild_locale"] = guild.preferred_locale
        payload["member"] = member.payload(permissions=guild.permissions_in(member, channel))
    else:
        if user is None:
            raise ValueError("a DM interaction needs a user")
        payload["user"] = user.payload()
    if message is not None:
        payload["message"] = message
    return payload


def attachment_payload(*, id: int, filename: str, size: int, url: str, content_type: str | None) -> dict[str, Any]:
    return {
        "id": str(id),
        "filename": filename,
        "size": size,
        "url": url,
        "proxy_url": url,
        "content_type": content_type,
        "height": None,
        "width": None,
        "ephemeral": False,
        "flags": 0,
    }
