"""A fake Discord (REST API + gateway) on 127.0.0.1 for end-to-end tests with the real discord.py client.

The server runs in its own thread and event loop, so it serves a bot running in the test's loop, in another thread
or in a subprocess alike. Point discord.py at it with::

    discord.http.Route.BASE = fake.api_base                      # REST, interaction callbacks, webhooks
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)  # plain Client, and every re-IDENTIFY

It enforces what Discord enforces and discord.py does not: payload limits (``discord_limits``), the 3 s first-response
deadline, one callback per interaction, callback types per interaction type, intents, exact ``application/json``
content types and complete rate-limit headers. Anything refused is recorded in ``rejected``; unknown routes in
``unhandled``; messages the bot sent that could ping without ``allowed_mentions: {"parse": []}`` in ``mention_unsafe``.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import copy
import json
import math
import re
import secrets
import socket
import threading
import time
import traceback
import uuid
import zlib
from collections.abc import Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import BodyPartReader, WSMsgType, web

from tests.fakes import discord_limits as limits
from tests.fakes.discord_payloads import (
    CHANNEL_DM,
    CHANNEL_TEXT,
    CONTEXT_BOT_DM,
    CONTEXT_GUILD,
    CONTEXT_PRIVATE_CHANNEL,
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    DM_PERMISSIONS,
    MANAGE_MESSAGES,
    MENTION_EVERYONE,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    SnowflakeFactory,
    attachment_payload,
    interaction_payload,
    iso_now,
    message_payload,
    resolved_channel_payload,
)

T = TypeVar("T")

API_VERSION = 10

# Gateway intents (https://discord.com/developers/docs/events/gateway#gateway-intents).
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT

# Application flags that say which privileged intents the developer portal grants.
_APP_FLAG_FOR_INTENT = {INTENT_GUILD_PRESENCES: 1 << 12, INTENT_GUILD_MEMBERS: 1 << 14, INTENT_MESSAGE_CONTENT: 1 << 18}

# Interaction types and callback types.
INTERACTION_COMMAND = 2
INTERACTION_COMPONENT = 3
INTERACTION_AUTOCOMPLETE = 4
INTERACTION_MODAL_SUBMIT = 5
CALLBACK_MESSAGE = 4
CALLBACK_DEFERRED_MESSAGE = 5
CALLBACK_DEFERRED_UPDATE = 6
CALLBACK_UPDATE = 7
CALLBACK_AUTOCOMPLETE = 8
CALLBACK_MODAL = 9
_CALLBACKS_FOR = {
    INTERACTION_COMMAND: {CALLBACK_MESSAGE, CALLBACK_DEFERRED_MESSAGE, CALLBACK_MODAL},
    INTERACTION_COMPONENT: {
        CALLBACK_MESSAGE,
        CALLBACK_DEFERRED_MESSAGE,
        CALLBACK_DEFERRED_UPDATE,
        CALLBACK_UPDATE,
        CALLBACK_MODAL,
    },
    INTERACTION_AUTOCOMPLETE: {CALLBACK_AUTOCOMPLETE},
    INTERACTION_MODAL_SUBMIT: {CALLBACK_MESSAGE, CALLBACK_DEFERRED_MESSAGE, CALLBACK_DEFERRED_UPDATE, CALLBACK_UPDATE},
}

# Message types.
MESSAGE_DEFAULT = 0
MESSAGE_REPLY = 19
MESSAGE_CHAT_INPUT_COMMAND = 20
MESSAGE_CONTEXT_MENU_COMMAND = 23

_MENTION_USER = re.compile(r"<@!?(\d+)>")
_MENTION_ROLE = re.compile(r"<@&(\d+)>")


class FakeDiscordError(AssertionError):
    """A test asked the fake for something real Discord would not do (unsynced command, unknown option, ...)."""


class _ApiError(Exception):
    """An error response; ``rejected`` says whether it goes into ``FakeDiscord.rejected``."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        *,
        errors: list[str] | None = None,
        interaction_id: int | None = None,
        rejected: bool = True,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors or []
        self.interaction_id = interaction_id
        self.rejected = rejected

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            # discord.py flattens nested {"key": {"_errors": [{"message": ...}]}} into its exception text.
            tree: dict[str, Any] = {}
            for error in self.errors:
                key, _, text = error.partition(": ")
                tree.setdefault(key, {"_errors": []})["_errors"].append({"code": "INVALID", "message": text or key})
            body["errors"] = tree
        return body


@dataclass(frozen=True)
class CallbackRecord:
    """An accepted interaction callback: its type (4 message, 5 deferred, 6, 7 update, 8 choices, 9 modal)."""

    type: int
    data: dict[str, Any] | None


@dataclass(frozen=True)
class Rejection:
    """A request the fake refused the way Discord would (validation, deadline, double response, permissions...)."""

    method: str
    path: str
    status: int
    code: int
    message: str
    errors: list[str]
    payload: Any
    interaction_id: int | None = None


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str
    query: dict[str, str]
    status: int
    body: Any


@dataclass(frozen=True)
class GatewayEvent:
    """A dispatch (op 0) queued for a shard's session; ``data`` is what that session received."""

    shard_id: int
    name: str
    seq: int
    data: dict[str, Any]


@dataclass
class _Failure:
    method: str
    pattern: re.Pattern[str]
    status: int
    retry_after: float
    global_: bool
    times: int
    via: bool
    code: int


@dataclass
class _Upload:
    field: str
    filename: str
    content_type: str | None
    data: bytes


@dataclass
class _Request:
    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    files: list[_Upload]
    # Message events to echo on the gateway once the handler's change is committed and logged.
    announce: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


@dataclass(eq=False)
class _Connection:
    ws: web.WebSocketResponse
    path: str
    query: dict[str, str]
    compressor: Any = None
    session: _Session | None = None
    send_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Set when the fake closes the socket, so the close is not taken for the client ending its session.
    server_closed: bool = False

    async def close(self, code: int, reason: bytes) -> None:
        self.server_closed = True
        await self.ws.close(code=code, message=reason)

    async def send(self, text: str) -> None:
        if self.ws.closed:
            return
        # Transport errors mean the client went away; its session keeps buffering for a RESUME.
        with contextlib.suppress(ConnectionError, RuntimeError):
            if self.compressor is not None:
                await self.ws.send_bytes(
                    self.compressor.compress(text.encode()) + self.compressor.flush(zlib.Z_SYNC_FLUSH)
                )
            else:
                await self.ws.send_str(text)


@dataclass(eq=False)
class _Session:
    id: str
    shard: tuple[int, int] | None
    intents: int
    seq: int = 0
    events: list[tuple[int, str]] = field(default_factory=list)
    conn: _Connection | None = None
    invalid: bool = False

    @property
    def shard_id(self) -> int:
        return 0 if self.shard is None else self.shard[0]

    def owns_guild(self, guild_id: int | None) -> bool:
        if self.shard is None:
            return True
        shard_id, count = self.shard
        if guild_id is None:
            return shard_id == 0  # DMs go to shard 0
        return (guild_id >> 22) % count == shard_id


@dataclass(eq=False)
class InteractionRecord:
    """One interaction the fake created and dispatched, and everything the bot did with it.

    ``responses`` holds accepted callbacks (at most one); ``original`` and ``followups`` are the current state of
    the messages (edits applied, ``None``/absent once deleted); ``rejected`` lists refused calls for it.
    """

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    guild_id: int | None
    channel_id: int
    user_id: int
    command: dict[str, Any] | None = None
    source: InteractionRecord | None = None
    created: float = 0.0
    responses: list[CallbackRecord] = field(default_factory=list)
    followup_ids: list[int] = field(default_factory=list)
    original_id: int | None = None
    modal_submitted: bool = False
    _fake: FakeDiscord | None = field(default=None, repr=False)

    @property
    def response(self) -> CallbackRecord | None:
        return self.responses[0] if self.responses else None

    @property
    def original(self) -> dict[str, Any] | None:
        if self._fake is None or self.original_id is None:
            return None
        return self._fake.message(self.original_id)

    @property
    def followups(self) -> list[dict[str, Any]]:
        if self._fake is None:
            return []
        found = (self._fake.message(mid) for mid in self.followup_ids)
        return [m for m in found if m is not None]

    @property
    def ephemeral(self) -> bool:
        """Whether the first response made an ephemeral message (flag 64)."""
        original = self.original
        return bool(original and original["flags"] & limits.FLAG_EPHEMERAL)

    @property
    def modal(self) -> dict[str, Any] | None:
        response = self.response
        return response.data if response and response.type == CALLBACK_MODAL else None

    @property
    def choices(self) -> list[dict[str, Any]] | None:
        response = self.response
        if response and response.type == CALLBACK_AUTOCOMPLETE:
            return list((response.data or {}).get("choices") or [])
        return None

    @property
    def rejected(self) -> list[Rejection]:
        if self._fake is None:
            return []
        return [r for r in self._fake.rejected if r.interaction_id == self.id]


_Handler = Callable[[_Request], tuple[int, Any]]


class FakeDiscord:
    """Discord's REST API and gateway, faked on 127.0.0.1 in a background thread.

    ``granted_intents`` are the privileged intents the developer portal grants (members 1<<1, presences 1<<8,
    message content 1<<15); IDENTIFY asking for others is closed with 4014. ``shard_count`` is what
    GET /gateway/bot recommends. ``integration_types`` is the app's default install contexts (0 guild, 1 user).

    Records (all lists, appended in order): ``rejected`` (refused requests, with Discord's error code),
    ``unhandled`` ("METHOD /path" of unknown routes), ``requests`` (every API call with status and body),
    ``mention_unsafe`` (bot messages that could ping), ``events`` (gateway dispatches per shard),
    ``identify_payloads``, ``gateway_connects``, ``deleted_messages``, ``internal_errors`` (bugs in the fake);
    ``resumes`` counts RESUMEs.

    Interaction builders (``slash``, ``autocomplete``, ``click``, ``select``, ``submit_modal``,
    ``message_command``, ``user_command``) dispatch INTERACTION_CREATE to the owning shard; with
    ``dispatch=False`` they only build and register the record, for feeding ``record.payload`` to
    ``bot._connection.parse_interaction_create`` in a test without a gateway. Waiting: ``wait_for*`` block (bot in
    another thread or process), ``wait_for*_async`` yield (bot in the test's own loop).
    """

    def __init__(
        self,
        *,
        granted_intents: int = 0,
        shard_count: int = 1,
        interaction_deadline: float = 3.0,
        token_lifetime: float = 15 * 60,
        heartbeat_interval_ms: int = 41250,
        compress: bool = False,
        integration_types: Iterable[int] = (0,),
        bot_name: str = "statusbot",
    ) -> None:
        self.granted_intents = granted_intents
        self.shard_count = shard_count
        self.interaction_deadline = interaction_deadline
        self.token_lifetime = token_lifetime
        self.heartbeat_interval_ms = heartbeat_interval_ms
        # When True and the client asked for compress=zlib-stream, frames go out zlib-compressed (binary).
        self.compress = compress
        self.integration_types = list(integration_types)

        self._ids = SnowflakeFactory()
        self.application_id = self._ids.next()
        self.bot_user = FakeUser(self.application_id, bot_name, bot=True)
        self.owner_user = FakeUser(self._ids.next(), "app-owner")
        encoded_id = base64.b64encode(str(self.application_id).encode()).decode().rstrip("=")
        self.token = f"{encoded_id}.{secrets.token_urlsafe(4)}.{secrets.token_urlsafe(27)}"
        self.verify_key = secrets.token_hex(32)

        self._lock = threading.RLock()
        self.rejected: list[Rejection] = []
        self.unhandled: list[str] = []
        self.requests: list[RequestRecord] = []
        self.mention_unsafe: list[dict[str, Any]] = []
        self.events: list[GatewayEvent] = []
        self.presence_updates: list[dict[str, Any]] = []
        self.identify_payloads: list[dict[str, Any]] = []
        self.gateway_connects: list[tuple[str, dict[str, str]]] = []  # (path, query) of every WebSocket
        self.resumes = 0
        self.internal_errors: list[str] = []  # tracebacks of bugs in the fake itself (also put into rejected)
        self._failures: list[_Failure] = []

        self._users: dict[int, FakeUser] = {self.bot_user.id: self.bot_user, self.owner_user.id: self.owner_user}
        self._guilds: dict[int, FakeGuild] = {}
        self._channels: dict[int, FakeChannel] = {}
        self._dm_channels: dict[int, FakeChannel] = {}
        self._messages: dict[int, dict[str, Any]] = {}
        self._channel_messages: dict[int, list[int]] = {}
        self.deleted_messages: list[dict[str, Any]] = []
        self._files: dict[int, bytes] = {}
        self._global_commands: list[dict[str, Any]] = []
        self._guild_commands: dict[int, list[dict[str, Any]]] = {}
        self._command_ids: dict[tuple[int | None, str, int], int] = {}
        self._interactions: dict[int, InteractionRecord] = {}
        self._by_token: dict[str, InteractionRecord] = {}
        self._default_user: FakeUser | None = None
        self._session_starts = 1000

        self._sessions: dict[int, _Session] = {}  # shard id -> current session
        self._all_sessions: dict[str, _Session] = {}
        self._connections: list[_Connection] = []

        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._started = threading.Event()
        self._start_error: BaseException | None = None
        self.port = 0
        self._routes = self._build_routes()

    # ------------------------------------------------------------------ lifecycle

    @property
    def api_base(self) -> str:
        """The value for ``discord.http.Route.BASE`` (and the adapter's DISCORD_API_URL)."""
        return f"http://127.0.0.1:{self.port}/api/v{API_VERSION}"

    @property
    def gateway_url(self) -> str:
        """The gateway URL (also returned by GET /gateway and /gateway/bot); wrap in ``yarl.URL`` for discord.py."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def resume_gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway-resume"

    def start(self) -> FakeDiscord:
        if self._thread is not None:
            raise RuntimeError("FakeDiscord already started")
        self._thread = threading.Thread(target=self._serve, name="fake-discord", daemon=True)
        self._thread.start()
        if not self._started.wait(10):
            raise RuntimeError("FakeDiscord did not start within 10 s")
        if self._start_error is not None:
            raise RuntimeError("FakeDiscord failed to start") from self._start_error
        return self

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        if loop.is_running():
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(10)
            loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        self._thread = None

    def __enter__(self) -> FakeDiscord:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._startup())
        except BaseException as exc:
            self._start_error = exc
            self._started.set()
            loop.close()
            return
        self._started.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _startup(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway_entry)
        app.router.add_get("/gateway-resume", self._gateway_entry)
        app.router.add_get("/attachments/{channel}/{attachment}/{filename}", self._serve_attachment)
        app.router.add_route("*", f"/api/v{API_VERSION}/{{tail:.*}}", self._http_entry)
        app.router.add_route("*", "/{tail:.*}", self._http_unknown)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def _shutdown(self) -> None:
        for conn in list(self._connections):
            with contextlib.suppress(Exception):
                await conn.close(1001, b"fake shutting down")
        if self._runner is not None:
            await self._runner.cleanup()

    def _run(self, coro: Coroutine[Any, Any, T], timeout: float = 10.0) -> T:
        """Run a coroutine on the fake's loop from any other thread (never blocks the caller's own loop)."""
        if self._loop is None or not self._loop.is_running():
            coro.close()
            raise RuntimeError("FakeDiscord is not running; use it as a context manager or call start()")
        if threading.current_thread() is self._thread:
            coro.close()
            raise RuntimeError("FakeDiscord helpers cannot be called from the fake's own thread")
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    # ------------------------------------------------------------------ waiting

    def wait_for(self, predicate: Callable[[], T | None], timeout: float = 5.0, *, what: str = "condition") -> T:
        """Poll ``predicate()`` (under the fake's lock) until truthy and return its value; TimeoutError otherwise.

        Blocking: use it when the bot runs in another thread or process. In an async test with the bot in the same
        loop, use ``await wait_for_async(...)`` instead (this method refuses to block a running loop).
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            raise RuntimeError("wait_for would block the running event loop; use `await fake.wait_for_async(...)`")
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what} not met within {timeout} s{self._rejections_hint()}")
            time.sleep(0.005)

    async def wait_for_async(
        self, predicate: Callable[[], T | None], timeout: float = 5.0, *, what: str = "condition"
    ) -> T:
        """``wait_for`` for async tests: yields to the loop between polls so a bot in the same loop can run."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what} not met within {timeout} s{self._rejections_hint()}")
            await asyncio.sleep(0.005)

    def wait_for_response(self, record: InteractionRecord, timeout: float = 5.0) -> CallbackRecord:
        """Block until the bot's callback to ``record`` was accepted; return it."""
        return self.wait_for(lambda: record.response, timeout, what=f"a response to interaction {record.id}")

    async def wait_for_response_async(self, record: InteractionRecord, timeout: float = 5.0) -> CallbackRecord:
        return await self.wait_for_async(
            lambda: record.response, timeout, what=f"a response to interaction {record.id}"
        )

    def wait_until_identified(self, n: int = 1, timeout: float = 5.0) -> list[int]:
        """Block until at least ``n`` shards have an open, READY session; return their shard ids."""
        return self.wait_for(lambda: self._shards_if_at_least(n), timeout, what=f"{n} identified shard(s)")

    async def wait_until_identified_async(self, n: int = 1, timeout: float = 5.0) -> list[int]:
        return await self.wait_for_async(lambda: self._shards_if_at_least(n), timeout, what=f"{n} identified shard(s)")

    def _shards_if_at_least(self, n: int) -> list[int] | None:
        shards = self.connected_shards()
        return shards if len(shards) >= n else None

    def _rejections_hint(self) -> str:
        with self._lock:
            if not self.rejected:
                return ""
            return "; rejected so far: " + "; ".join(
                f"{r.method} {r.path} -> {r.code} {r.errors}" for r in self.rejected
            )

    # ------------------------------------------------------------------ read access

    def message(self, message_id: int | str) -> dict[str, Any] | None:
        """The current state of a stored message (a copy), or None if unknown or deleted."""
        with self._lock:
            found = self._messages.get(int(message_id))
            return copy.deepcopy(found) if found is not None else None

    def messages(self, channel: FakeChannel | int) -> list[dict[str, Any]]:
        """All live messages in a channel, oldest first (copies; ephemeral interaction replies included)."""
        channel_id = channel.id if isinstance(channel, FakeChannel) else int(channel)
        with self._lock:
            return [copy.deepcopy(self._messages[m]) for m in self._channel_messages.get(channel_id, [])]

    def interaction(self, interaction_id: int | str) -> InteractionRecord:
        with self._lock:
            return self._interactions[int(interaction_id)]

    def interactions(self) -> list[InteractionRecord]:
        with self._lock:
            return list(self._interactions.values())

    def commands(self, guild: FakeGuild | int | None = None) -> list[dict[str, Any]]:
        """The commands the bot synced: global ones, or one guild's."""
        with self._lock:
            if guild is None:
                return copy.deepcopy(self._global_commands)
            guild_id = guild.id if isinstance(guild, FakeGuild) else int(guild)
            return copy.deepcopy(self._guild_commands.get(guild_id, []))

    def guild_payload(self, guild: FakeGuild) -> dict[str, Any]:
        """Complete GUILD_CREATE data with every member, e.g. for ``bot._connection.parse_guild_create`` without a
        gateway (feed interactions built with ``dispatch=False`` to ``parse_interaction_create`` likewise)."""
        with self._lock:
            return guild.create_payload(list(guild.members.values()))

    def connected_shards(self) -> list[int]:
        with self._lock:
            return sorted(
                s.shard_id
                for s in self._sessions.values()
                if s.conn is not None and not s.conn.ws.closed and not s.invalid
            )

    def session_intents(self, shard_id: int = 0) -> int:
        """The intents the shard's current session identified with."""
        with self._lock:
            return self._sessions[shard_id].intents

    def user(self, user_id: int) -> FakeUser:
        with self._lock:
            return self._users[user_id]

    # ------------------------------------------------------------------ world building

    def add_user(self, name: str, *, bot: bool = False) -> FakeUser:
        """A user who is not necessarily in any guild (DMs, user-install contexts)."""
        user = FakeUser(self._ids.next(), name, global_name=name.title(), bot=bot)
        with self._lock:
            self._users[user.id] = user
        return user

    def add_guild(
        self,
        name: str,
        *,
        members: Iterable[str | FakeUser] = (),
        shard: int | None = None,
        bot_permissions: int = DEFAULT_BOT_PERMISSIONS,
        everyone_permissions: int = DEFAULT_EVERYONE_PERMISSIONS,
    ) -> FakeGuild:
        """A guild with an owner, @everyone, the bot (with a managed role), a #general channel and ``members``.

        ``shard`` picks an id that lands on that shard of ``shard_count``. Dispatched as GUILD_CREATE if the owning
        shard is connected (a guild join).
        """
        guild_id = self._ids.for_shard(shard, self.shard_count) if shard is not None else self._ids.next()
        owner = self.add_user(f"{name}-owner")
        guild = FakeGuild(id=guild_id, name=name, owner_id=owner.id)
        guild.roles[guild_id] = FakeRole(guild_id, guild_id, "@everyone", everyone_permissions, position=0)
        bot_role = FakeRole(
            self._ids.next(), guild_id, self.bot_user.username, bot_permissions, 1, True, self.bot_user.id
        )
        guild.roles[bot_role.id] = bot_role
        guild.members[owner.id] = FakeMember(owner, guild_id)
        guild.members[self.bot_user.id] = FakeMember(self.bot_user, guild_id, [bot_role.id])
        general = FakeChannel(self._ids.next(), "general", CHANNEL_TEXT, guild_id, position=0)
        guild.channels[general.id] = general
        with self._lock:
            self._guilds[guild_id] = guild
            self._channels[general.id] = general
        for member in members:
            self.add_member(guild, member, _announce=False)
        self._announce(
            "GUILD_CREATE", guild_id, lambda session: guild.create_payload(self._visible_members(guild, session))
        )
        return guild

    def add_member(
        self,
        guild: FakeGuild,
        user: str | FakeUser,
        *,
        permissions: int | None = None,
        roles: Iterable[FakeRole] = (),
        _announce: bool = True,
    ) -> FakeMember:
        """Add a member; ``permissions`` gives them a role of their own with exactly those extra permissions."""
        person = self.add_user(user) if isinstance(user, str) else user
        with self._lock:
            self._users[person.id] = person
            member = FakeMember(person, guild.id, [r.id for r in roles])
            if permissions is not None:
                role = FakeRole(self._ids.next(), guild.id, f"{person.username}-role", permissions, len(guild.roles))
                guild.roles[role.id] = role
                member.role_ids.append(role.id)
            guild.members[person.id] = member
        if _announce:
            self._announce(
                "GUILD_MEMBER_ADD",
                guild.id,
                lambda _: {**member.payload(), "guild_id": str(guild.id)},
                intent=INTENT_GUILD_MEMBERS,
            )
        return member

    def add_role(self, guild: FakeGuild, name: str, permissions: int) -> FakeRole:
        with self._lock:
            role = FakeRole(self._ids.next(), guild.id, name, permissions, len(guild.roles))
            guild.roles[role.id] = role
        self._announce(
            "GUILD_ROLE_CREATE", guild.id, lambda _: {"guild_id": str(guild.id), "role": role.payload()}, INTENT_GUILDS
        )
        return role

    def add_channel(
        self,
        guild: FakeGuild,
        name: str,
        *,
        overwrites: Iterable[Mapping[str, Any]] = (),
        topic: str | None = None,
    ) -> FakeChannel:
        """A text channel; ``overwrites`` are {"id", "type" (0 role, 1 member), "allow", "deny"} dicts."""
        with self._lock:
            channel = FakeChannel(
                self._ids.next(),
                name,
                CHANNEL_TEXT,
                guild.id,
                position=len(guild.channels),
                topic=topic,
                permission_overwrites=[
                    {
                        "id": str(o["id"]),
                        "type": o["type"],
                        "allow": str(o.get("allow", 0)),
                        "deny": str(o.get("deny", 0)),
                    }
                    for o in overwrites
                ],
            )
            guild.channels[channel.id] = channel
            self._channels[channel.id] = channel
        self._announce("CHANNEL_CREATE", guild.id, lambda _: channel.payload(), INTENT_GUILDS)
        return channel

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        """The DM channel between ``user`` and the bot (created on first use, as POST /users/@me/channels does)."""
        with self._lock:
            self._users.setdefault(user.id, user)
            channel = self._dm_channels.get(user.id)
            if channel is None:
                channel = FakeChannel(self._ids.next(), "", CHANNEL_DM, None, recipients=[user])
                self._dm_channels[user.id] = channel
                self._channels[channel.id] = channel
            return channel

    def private_channel(self, user: FakeUser) -> FakeChannel:
        """A DM between ``user`` and someone else, where only a user-installed app can be invoked (context 2)."""
        friend = self.add_user(f"{user.username}-friend")
        channel = FakeChannel(self._ids.next(), "", CHANNEL_DM, None, recipients=[user, friend], bot_member=False)
        with self._lock:
            self._channels[channel.id] = channel
        return channel

    def _visible_members(self, guild: FakeGuild, session: _Session | None) -> list[FakeMember]:
        # Without GUILD_MEMBERS a session only learns about itself in GUILD_CREATE.
        if session is not None and session.intents & INTENT_GUILD_MEMBERS:
            return list(guild.members.values())
        return [guild.members[self.bot_user.id]]

    # ------------------------------------------------------------------ error injection

    def fail_next(
        self,
        method: str,
        path_regex: str,
        *,
        status: int = 429,
        retry_after: float = 0.2,
        global_: bool = False,
        times: int = 1,
        via: bool = True,
        code: int = 0,
    ) -> None:
        """Answer the next ``times`` matching requests with ``status`` instead of handling them.

        ``method`` is an HTTP method or "*"; ``path_regex`` is searched in the path after ``/api/v10``. A 429
        carries ``{message, retry_after, global}`` and, unless ``via=False``, ``Via: 1.1 google`` (without it
        discord.py takes the 429 for a Cloudflare ban and raises instead of retrying).
        """
        with self._lock:
            self._failures.append(
                _Failure(method.upper(), re.compile(path_regex), status, retry_after, global_, times, via, code)
            )

    def _take_failure(self, method: str, path: str) -> _Failure | None:
        with self._lock:
            for failure in self._failures:
                if failure.times > 0 and failure.method in ("*", method) and failure.pattern.search(path):
                    failure.times -= 1
                    return failure
            return None

    # ------------------------------------------------------------------ gateway control (test side)

    def dispatch(
        self, event: str, data: dict[str, Any], *, guild_id: int | None = None, shard_id: int | None = None
    ) -> bool:
        """Send a dispatch event to the shard owning ``guild_id`` (default: data["guild_id"]; DMs go to shard 0).

        Returns False when the session's intents filter the event out. Raises if no session exists.
        """
        if guild_id is None and "guild_id" in data:
            guild_id = int(data["guild_id"])
        return self._run(self._emit(event, guild_id, lambda _: data, shard_id=shard_id, required=True))

    def disconnect(self, shard_id: int = 0, *, code: int = 4000, invalidate: bool = False) -> None:
        """Close a shard's socket. 4000 makes discord.py RESUME; ``invalidate`` answers that RESUME with op 9."""

        async def close() -> None:
            with self._lock:
                session = self._sessions.get(shard_id)
                if session is None:
                    raise FakeDiscordError(f"shard {shard_id} has no session")
                session.invalid = session.invalid or invalidate
                conn = session.conn
            if conn is not None:
                await conn.close(code, b"fake disconnect")

        self._run(close())

    def request_reconnect(self, shard_id: int = 0) -> None:
        """Send op 7 RECONNECT; discord.py closes and RESUMEs."""
        self._run(self._send_op(shard_id, {"op": 7, "d": None, "s": None, "t": None}))

    def invalidate_session(self, shard_id: int = 0, *, resumable: bool = False) -> None:
        """Send op 9 INVALID_SESSION. discord.py then re-IDENTIFYs via DEFAULT_GATEWAY after its 5 s identify wait
        (override ``before_identify_hook`` in tests)."""
        with self._lock:
            if not resumable and shard_id in self._sessions:
                self._sessions[shard_id].invalid = True
        self._run(self._send_op(shard_id, {"op": 9, "d": resumable, "s": None, "t": None}))

    async def _send_op(self, shard_id: int, payload: dict[str, Any]) -> None:
        with self._lock:
            session = self._sessions.get(shard_id)
            conn = session.conn if session else None
        if conn is None:
            raise FakeDiscordError(f"shard {shard_id} is not connected")
        async with conn.send_lock:
            await conn.send(json.dumps(payload))

    def _announce(
        self, event: str, guild_id: int | None, make: Callable[[_Session], dict[str, Any]], intent: int = INTENT_GUILDS
    ) -> None:
        """Dispatch a world change if a session owns it; silently nothing before the bot connects."""
        if self._loop is None or not self._loop.is_running():
            return
        self._run(self._emit(event, guild_id, make, intent=intent))

    async def _emit(
        self,
        event: str,
        guild_id: int | None,
        make: Callable[[_Session], dict[str, Any]],
        *,
        intent: int | None = None,
        shard_id: int | None = None,
        required: bool = False,
        before_send: Callable[[], None] | None = None,
    ) -> bool:
        with self._lock:
            if shard_id is not None:
                session = self._sessions.get(shard_id)
            else:
                session = next((s for s in self._sessions.values() if s.owns_guild(guild_id) and not s.invalid), None)
            if session is None or session.invalid:
                if required:
                    raise FakeDiscordError(
                        f"no gateway session owns guild {guild_id} (connected shards: {self.connected_shards()}); "
                        "start the bot and wait_until_identified() first"
                    )
                return False
            if intent is not None and not session.intents & intent:
                return False
            if before_send is not None:
                before_send()
            data = make(session)
            text = self._queue_event(session, event, data)
            conn = session.conn
        if conn is not None:
            async with conn.send_lock:
                # The session may have moved to a newer connection while we waited; RESUME replays for that one.
                if session.conn is conn:
                    await conn.send(text)
        return True

    def _queue_event(self, session: _Session, event: str, data: dict[str, Any]) -> str:
        """Give an event the session's next sequence number and keep it for RESUME replay (caller holds the lock)."""
        session.seq += 1
        text = json.dumps({"op": 0, "t": event, "s": session.seq, "d": data})
        session.events.append((session.seq, text))
        self.events.append(GatewayEvent(session.shard_id, event, session.seq, data))
        return text

    # ------------------------------------------------------------------ gateway server

    async def _gateway_entry(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(autoping=True, heartbeat=None, max_msg_size=0)
        await ws.prepare(request)
        conn = _Connection(ws=ws, path=request.path, query=dict(request.query))
        with self._lock:
            self._connections.append(conn)
            self.gateway_connects.append((conn.path, dict(conn.query)))
        try:
            if conn.query.get("v") != str(API_VERSION):
                await conn.close(4012, b"Invalid API version")
                return ws
            if conn.query.get("encoding", "json") != "json":
                await conn.close(4002, b"Decode error")
                return ws
            if self.compress and conn.query.get("compress") == "zlib-stream":
                conn.compressor = zlib.compressobj()
            await conn.send(
                json.dumps({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}, "s": None, "t": None})
            )
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    try:
                        await self._on_gateway_message(conn, msg.data)
                    except Exception:
                        with self._lock:
                            self.internal_errors.append(traceback.format_exc())
                        raise
                elif msg.type is WSMsgType.BINARY:
                    await conn.close(4002, b"Decode error")
                else:
                    break
        finally:
            self._on_gateway_closed(conn)
        return ws

    def _on_gateway_closed(self, conn: _Connection) -> None:
        with self._lock:
            if conn in self._connections:
                self._connections.remove(conn)
            session = conn.session
            if session is not None and session.conn is conn:
                session.conn = None
                # A client closing with 1000/1001 ends its session on Discord; other codes leave it resumable.
                if not conn.server_closed and conn.ws.close_code in (1000, 1001):
                    session.invalid = True

    async def _on_gateway_message(self, conn: _Connection, raw: str) -> None:
        try:
            payload = json.loads(raw)
            op = payload["op"]
        except (ValueError, KeyError, TypeError):
            await conn.close(4002, b"Decode error")
            return
        data = payload.get("d")
        if op == 1:
            async with conn.send_lock:
                await conn.send(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
        elif op == 2:
            await self._identify(conn, data or {})
        elif op == 3:
            with self._lock:
                self.presence_updates.append(data)
        elif op == 4:
            pass  # voice state updates: no voice in this fake
        elif op == 6:
            await self._resume(conn, data or {})
        elif op == 8:
            await self._request_members(conn, data or {})
        else:
            await conn.close(4001, b"Unknown opcode")

    async def _identify(self, conn: _Connection, data: dict[str, Any]) -> None:
        if conn.session is not None:
            await conn.close(4005, b"Already authenticated")
            return
        if data.get("token") != self.token:
            await conn.close(4004, b"Authentication failed")
            return
        intents = data.get("intents")
        if not isinstance(intents, int) or intents < 0:
            await conn.close(4013, b"Invalid intent(s)")
            return
        if intents & PRIVILEGED_INTENTS & ~self.granted_intents:
            await conn.close(4014, b"Disallowed intent(s)")
            return
        shard_raw = data.get("shard")
        shard: tuple[int, int] | None = None
        if shard_raw is not None:
            if not (isinstance(shard_raw, list) and len(shard_raw) == 2 and 0 <= shard_raw[0] < shard_raw[1]):
                await conn.close(4010, b"Invalid shard")
                return
            shard = (int(shard_raw[0]), int(shard_raw[1]))
        session = _Session(id=uuid.uuid4().hex, shard=shard, intents=intents)
        async with conn.send_lock:
            with self._lock:
                self.identify_payloads.append({k: v for k, v in data.items() if k != "token"})
                self._session_starts -= 1
                guilds = [g for g in self._guilds.values() if session.owns_guild(g.id)]
                ready: dict[str, Any] = {
                    "v": API_VERSION,
                    "user": self.bot_user.self_payload(),
                    "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
                    "session_id": session.id,
                    "session_type": "normal",
                    "resume_gateway_url": self.resume_gateway_url,
                    "application": {"id": str(self.application_id), "flags": self._application_flags()},
                    "private_channels": [],
                    "relationships": [],
                    "presences": [],
                    "guild_join_requests": [],
                    "geo_ordered_rtc_regions": [],
                    "user_settings": {},
                    "_trace": ["fake-discord"],
                }
                if shard is not None:
                    ready["shard"] = list(shard)
                texts = [self._queue_event(session, "READY", ready)]
                texts += [
                    self._queue_event(session, "GUILD_CREATE", g.create_payload(self._visible_members(g, session)))
                    for g in guilds
                ]
                old = self._sessions.get(session.shard_id)
                if old is not None:
                    old.invalid = True
                self._sessions[session.shard_id] = session
                self._all_sessions[session.id] = session
                session.conn = conn
                conn.session = session
            for text in texts:
                await conn.send(text)

    async def _resume(self, conn: _Connection, data: dict[str, Any]) -> None:
        if data.get("token") != self.token:
            await conn.close(4004, b"Authentication failed")
            return
        with self._lock:
            session = self._all_sessions.get(str(data.get("session_id")))
            usable = session is not None and not session.invalid and self._sessions.get(session.shard_id) is session
        if session is None or not usable:
            async with conn.send_lock:
                await conn.send(json.dumps({"op": 9, "d": False, "s": None, "t": None}))
            return
        seq = data.get("seq") or 0
        async with conn.send_lock:
            with self._lock:
                replay = [text for s, text in session.events if s > seq]
                replay.append(self._queue_event(session, "RESUMED", {}))
                session.conn = conn
                conn.session = session
                self.resumes += 1
            for text in replay:
                await conn.send(text)

    async def _request_members(self, conn: _Connection, data: dict[str, Any]) -> None:
        session = conn.session
        if session is None:
            await conn.close(4003, b"Not authenticated")
            return
        with self._lock:
            guild = self._guilds.get(int(data.get("guild_id", 0)))
            if guild is None:
                return
            members = self._visible_members(guild, session)
            chunk = {
                "guild_id": str(guild.id),
                "members": [m.payload() for m in members],
                "chunk_index": 0,
                "chunk_count": 1,
                "not_found": [],
                "presences": [],
            }
            if "nonce" in data:
                chunk["nonce"] = data["nonce"]
            text = self._queue_event(session, "GUILD_MEMBERS_CHUNK", chunk)
        async with conn.send_lock:
            await conn.send(text)

    def _application_flags(self) -> int:
        return sum(flag for intent, flag in _APP_FLAG_FOR_INTENT.items() if self.granted_intents & intent)

    # ------------------------------------------------------------------ HTTP server plumbing

    def _build_routes(self) -> list[tuple[frozenset[str], re.Pattern[str], bool, str, _Handler]]:
        app = r"(?P<app>\d+)"
        token = r"(?P<token>[^/]+)"
        table: list[tuple[str, str, bool, _Handler]] = [
            ("GET", r"/users/@me", True, self._h_me),
            ("GET", r"/oauth2/applications/@me", True, self._h_app_info),
            ("GET", r"/gateway/bot", True, self._h_gateway_bot),
            ("GET", r"/gateway", False, self._h_gateway),
            ("GET PUT", rf"/applications/{app}/commands", True, self._h_commands),
            ("GET PUT", rf"/applications/{app}/guilds/(?P<guild>\d+)/commands", True, self._h_commands),
            ("POST", rf"/interactions/(?P<iid>\d+)/{token}/callback", False, self._h_callback),
            ("POST", rf"/webhooks/{app}/{token}", False, self._h_followup),
            (
                "GET PATCH DELETE",
                rf"/webhooks/{app}/{token}/messages/(?P<mid>@original|\d+)",
                False,
                self._h_webhook_msg,
            ),
            ("GET POST", r"/channels/(?P<cid>\d+)/messages", True, self._h_channel_messages),
            ("GET PATCH DELETE", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)", True, self._h_channel_message),
            ("GET", r"/channels/(?P<cid>\d+)", True, self._h_channel),
            ("POST", r"/channels/(?P<cid>\d+)/typing", True, self._h_typing),
            ("POST", r"/users/@me/channels", True, self._h_create_dm),
        ]
        return [
            (frozenset(methods.split()), re.compile(pattern), auth, pattern, handler)
            for methods, pattern, auth, handler in table
        ]

    def _ratelimit_headers(self, bucket: str, *, remaining: int = 49) -> dict[str, str]:
        # discord.py needs all of them or none (KeyError on X-Ratelimit-Reset otherwise); Remaining > 0 avoids its
        # pre-emptive sleeps.
        return {
            "X-RateLimit-Limit": "50",
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": f"{time.time() + 1.0:.3f}",
            "X-RateLimit-Reset-After": "1.000",
            "X-RateLimit-Bucket": bucket,
        }

    def _json_response(self, status: int, body: Any, headers: Mapping[str, str]) -> web.Response:
        if body is None or status == 204:
            return web.Response(status=204, headers=dict(headers))
        # Exactly "application/json": discord.py compares the header verbatim and treats "; charset=..." as text.
        all_headers = {**headers, "Content-Type": "application/json"}
        return web.Response(status=status, body=json.dumps(body).encode(), headers=all_headers)

    async def _read_body(self, request: web.Request) -> tuple[Any, list[_Upload]]:
        files: list[_Upload] = []
        if request.content_type.startswith("multipart/"):
            body: Any = None
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                if not isinstance(part, BodyPartReader):
                    continue
                if part.name == "payload_json":
                    body = json.loads(await part.text())
                else:
                    files.append(
                        _Upload(
                            part.name or "",
                            part.filename or "file",
                            part.headers.get("Content-Type"),
                            await part.read(),
                        )
                    )
            return body, files
        raw = await request.read()
        if not raw:
            return None, files
        return json.loads(raw), files

    async def _http_unknown(self, request: web.Request) -> web.Response:
        with self._lock:
            self.unhandled.append(f"{request.method} {request.path}")
        return self._json_response(404, {"message": "404: Not Found", "code": 0}, {})

    async def _http_entry(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        method = request.method
        query = dict(request.query)
        bucket = "unknown"
        payload: Any = None
        try:
            try:
                payload, files = await self._read_body(request)
            except ValueError as exc:
                raise _ApiError(400, 50109, "The request body contains invalid JSON.", errors=[f"body: {exc}"]) from exc
            failure = self._take_failure(method, path)
            if failure is not None:
                status, body, headers = self._failure_response(failure)
                self._log_request(method, path, query, status, payload)
                return self._json_response(status, body, headers)
            for methods, pattern, auth, template, handler in self._routes:
                match = pattern.fullmatch(path)
                if match is None:
                    continue
                bucket = hex(zlib.crc32(template.encode()))[2:]
                if method not in methods:
                    with self._lock:
                        self.unhandled.append(f"{method} {path}")
                    raise _ApiError(405, 0, "405: Method Not Allowed", rejected=False)
                if auth and request.headers.get("Authorization") != f"Bot {self.token}":
                    raise _ApiError(401, 0, "401: Unauthorized")
                req = _Request(method, path, match.groupdict(), query, payload, files)
                # One locked section for the change and its log entry, so a test woken by the change (say, a
                # recorded response) also finds the request in ``requests``.
                with self._lock:
                    status, body = handler(req)
                    self._log_request(method, path, query, status, payload)
                await self._announce_messages(req.announce)
                return self._json_response(status, body, self._ratelimit_headers(bucket))
            with self._lock:
                self.unhandled.append(f"{method} {path}")
            raise _ApiError(404, 0, "404: Not Found", rejected=False)
        except _ApiError as error:
            with self._lock:
                if error.rejected:
                    self.rejected.append(
                        Rejection(
                            method,
                            path,
                            error.status,
                            error.code,
                            error.message,
                            error.errors,
                            payload,
                            error.interaction_id,
                        )
                    )
                self._log_request(method, path, query, error.status, payload)
            return self._json_response(error.status, error.body(), self._ratelimit_headers(bucket))
        except Exception as exc:
            # A bug in the fake: fail fast and loudly (a 500 would make discord.py retry with 1 s, 3 s... sleeps).
            with self._lock:
                self.internal_errors.append(traceback.format_exc())
                self.rejected.append(Rejection(method, path, 400, -1, f"fake internal error: {exc!r}", [], payload))
                self._log_request(method, path, query, 400, payload)
            return self._json_response(400, {"message": f"fake internal error: {exc!r}", "code": -1}, {})

    def _failure_response(self, failure: _Failure) -> tuple[int, dict[str, Any], dict[str, str]]:
        headers: dict[str, str] = {}
        if failure.via:
            headers["Via"] = "1.1 google"
        if failure.status == 429:
            body = {
                "message": "You are being rate limited.",
                "retry_after": failure.retry_after,
                "global": failure.global_,
            }
            headers["Retry-After"] = str(max(1, math.ceil(failure.retry_after)))
            if failure.global_:
                headers["X-RateLimit-Global"] = "true"
                headers["X-RateLimit-Scope"] = "global"
            else:
                headers.update(self._ratelimit_headers("injected", remaining=0))
                headers["X-RateLimit-Reset-After"] = f"{failure.retry_after:.3f}"
                headers["X-RateLimit-Scope"] = "user"
            return 429, body, headers
        return failure.status, {"message": f"{failure.status}: injected failure", "code": failure.code}, headers

    def _log_request(self, method: str, path: str, query: dict[str, str], status: int, body: Any) -> None:
        with self._lock:
            self.requests.append(RequestRecord(method, path, query, status, body))

    async def _serve_attachment(self, request: web.Request) -> web.Response:
        with self._lock:
            data = self._files.get(int(request.match_info["attachment"]))
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="application/octet-stream")

    # ------------------------------------------------------------------ HTTP: identity, gateway, commands

    def _h_me(self, req: _Request) -> tuple[int, Any]:
        return 200, self.bot_user.self_payload()

    def _h_app_info(self, req: _Request) -> tuple[int, Any]:
        return 200, {
            "id": str(self.application_id),
            "name": self.bot_user.username,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "hook": True,
            "bot_public": True,
            "bot_require_code_grant": False,
            "bot": self.bot_user.payload(),
            "owner": self.owner_user.payload(),
            "team": None,
            "verify_key": self.verify_key,
            "flags": self._application_flags(),
            "rpc_origins": [],
            "redirect_uris": [],
            "tags": [],
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "approximate_guild_count": len(self._guilds),
            "approximate_user_install_count": 0,
            "install_params": {"scopes": ["bot", "applications.commands"], "permissions": "0"},
            "integration_types_config": {str(t): {} for t in self.integration_types},
        }

    def _h_gateway_bot(self, req: _Request) -> tuple[int, Any]:
        return 200, {
            "url": self.gateway_url,
            "shards": self.shard_count,
            "session_start_limit": {
                "total": 1000,
                "remaining": self._session_starts,
                "reset_after": 14_400_000,
                "max_concurrency": 1,
            },
        }

    def _h_gateway(self, req: _Request) -> tuple[int, Any]:
        return 200, {"url": self.gateway_url}

    def _h_commands(self, req: _Request) -> tuple[int, Any]:
        if int(req.params["app"]) != self.application_id:
            raise _ApiError(403, 50001, "Missing Access")
        guild_id = int(req.params["guild"]) if req.params.get("guild") else None
        with self._lock:
            if guild_id is not None:
                guild = self._guilds.get(guild_id)
                if guild is None or self.bot_user.id not in guild.members:
                    raise _ApiError(403, 50001, "Missing Access")
            if req.method == "GET":
                stored = self._global_commands if guild_id is None else self._guild_commands.get(guild_id, [])
                return 200, copy.deepcopy(stored)
            errors = limits.validate_commands(req.body)
            if errors:
                raise _ApiError(400, 50035, "Invalid Form Body", errors=errors)
            synced = [self._complete_command(c, guild_id) for c in req.body]
            if guild_id is None:
                self._global_commands = synced
            else:
                self._guild_commands[guild_id] = synced
            return 200, copy.deepcopy(synced)

    def _complete_command(self, command: Mapping[str, Any], guild_id: int | None) -> dict[str, Any]:
        kind = command.get("type", 1)
        # Discord keeps a command's id across bulk overwrites when its name and type stay the same.
        key = (guild_id, command["name"], kind)
        command_id = self._command_ids.setdefault(key, self._ids.next())
        out = copy.deepcopy(dict(command))
        out.update(
            id=str(command_id),
            application_id=str(self.application_id),
            version=str(self._ids.next()),
            type=kind,
            description=command.get("description") or "",
        )
        out.setdefault("default_member_permissions", None)
        out.setdefault("nsfw", False)
        if guild_id is not None:
            out["guild_id"] = str(guild_id)
        return out

    # ------------------------------------------------------------------ HTTP: interactions and webhooks

    def _h_callback(self, req: _Request) -> tuple[int, Any]:
        iid = int(req.params["iid"])
        with self._lock:
            rec = self._interactions.get(iid)
            if rec is None or rec.token != req.params["token"]:
                raise _ApiError(404, 10062, "Unknown interaction", interaction_id=iid)
            if rec.responses:
                raise _ApiError(400, 40060, "Interaction has already been acknowledged.", interaction_id=iid)
            age = time.monotonic() - rec.created
            if age > self.interaction_deadline:
                raise _ApiError(
                    404,
                    10062,
                    "Unknown interaction",
                    errors=[f"deadline: first response came {age:.2f} s after the interaction"],
                    interaction_id=iid,
                )
            body = req.body if isinstance(req.body, dict) else {}
            rtype: Any = body.get("type")
            data = body.get("data")
            error = self._callback_errors(rec, rtype, data, req.files)
            if error is not None:
                raise error
            rtype = int(rtype)  # checked against the allowed callback types above
            message = self._apply_callback(rec, rtype, data or {}, req.files, req.announce)
            rec.responses.append(CallbackRecord(rtype, copy.deepcopy(data)))
            result: dict[str, Any] = {"id": str(rec.id), "type": rec.type}
            if message is not None:
                result.update(
                    response_message_id=message["id"],
                    response_message_loading=bool(message["flags"] & limits.FLAG_LOADING),
                    response_message_ephemeral=bool(message["flags"] & limits.FLAG_EPHEMERAL),
                )
            response: dict[str, Any] = {"interaction": result}
            if message is not None and rtype in (CALLBACK_MESSAGE, CALLBACK_DEFERRED_MESSAGE, CALLBACK_UPDATE):
                response["resource"] = {"type": rtype, "message": self._wire(message)}
        # discord.py always asks for the InteractionCallbackResponse; without with_response Discord answers 204.
        return (200, response) if req.query.get("with_response") in ("1", "true", "True") else (204, None)

    @staticmethod
    def _message_error(
        body: Mapping[str, Any],
        files: list[_Upload],
        *,
        partial: bool = False,
        ephemeral_allowed: bool = True,
        interaction_id: int | None = None,
    ) -> _ApiError | None:
        """The error Discord gives for a message body: 50006 when it would be empty, 50035 for broken limits."""
        errors = limits.validate_message(body, partial=partial, ephemeral_allowed=ephemeral_allowed)
        if files:
            errors = [e for e in errors if "empty message" not in e]
        if not errors:
            return None
        if all("empty message" in e for e in errors):
            return _ApiError(400, 50006, "Cannot send an empty message", errors=errors, interaction_id=interaction_id)
        return _ApiError(400, 50035, "Invalid Form Body", errors=errors, interaction_id=interaction_id)

    def _callback_errors(self, rec: InteractionRecord, rtype: Any, data: Any, files: list[_Upload]) -> _ApiError | None:
        def invalid(*errors: str) -> _ApiError:
            return _ApiError(400, 50035, "Invalid Form Body", errors=list(errors), interaction_id=rec.id)

        allowed = _CALLBACKS_FOR.get(rec.type, set())
        if rtype not in allowed:
            return invalid(
                f"type: callback type {rtype!r} is not valid for interaction type {rec.type} ({sorted(allowed)})"
            )
        if rtype in (CALLBACK_UPDATE, CALLBACK_DEFERRED_UPDATE):
            if "message" not in rec.payload:
                return invalid(f"type: callback type {rtype} needs an interaction that came from a message component")
            if int(rec.payload["message"]["id"]) not in self._messages:
                return _ApiError(404, 10008, "Unknown Message", interaction_id=rec.id)
        if data is not None and not isinstance(data, dict):
            return invalid("data: must be an object")
        data = data or {}
        if rtype == CALLBACK_MESSAGE:
            return self._message_error(data, files, interaction_id=rec.id)
        if rtype == CALLBACK_UPDATE:
            error = self._message_error(data, files, partial=True, interaction_id=rec.id)
            target = self._messages[int(rec.payload["message"]["id"])]
            if error is None and not files:
                merged = {**target, **{k: v for k, v in data.items() if k in ("content", "embeds", "components")}}
                if limits.is_empty_message(merged):
                    return _ApiError(400, 50006, "Cannot send an empty message", interaction_id=rec.id)
            return error
        if rtype == CALLBACK_DEFERRED_MESSAGE and (data.get("flags") or 0) & ~limits.FLAG_EPHEMERAL:
            return invalid("data.flags: only EPHEMERAL (64) may be set when deferring")
        if rtype == CALLBACK_AUTOCOMPLETE:
            errors = limits.validate_autocomplete(data.get("choices"))
            return invalid(*errors) if errors else None
        if rtype == CALLBACK_MODAL:
            errors = limits.validate_modal(data)
            return invalid(*errors) if errors else None
        return None

    def _apply_callback(
        self,
        rec: InteractionRecord,
        rtype: int,
        data: dict[str, Any],
        files: list[_Upload],
        announce: list[tuple[str, dict[str, Any]]],
    ) -> dict[str, Any] | None:
        """Create or change the messages a callback implies (caller holds the lock); returns the response message."""
        if rtype in (CALLBACK_MESSAGE, CALLBACK_DEFERRED_MESSAGE):
            flags = (data.get("flags") or 0) & limits.SETTABLE_FLAGS
            body = data if rtype == CALLBACK_MESSAGE else {}
            if rtype == CALLBACK_DEFERRED_MESSAGE:
                flags = (flags & limits.FLAG_EPHEMERAL) | limits.FLAG_LOADING
            message = self._new_message(
                self._channels[rec.channel_id], self.bot_user, body, files, flags=flags, interaction=rec
            )
            rec.original_id = int(message["id"])
            if not flags & limits.FLAG_EPHEMERAL:
                announce.append(("MESSAGE_CREATE", message))
            return message
        if rtype in (CALLBACK_UPDATE, CALLBACK_DEFERRED_UPDATE):
            message = self._messages[int(rec.payload["message"]["id"])]  # existence checked in _callback_errors
            rec.original_id = int(message["id"])
            if rtype == CALLBACK_UPDATE:
                self._edit_message(message, data, files)
                if not message["flags"] & limits.FLAG_EPHEMERAL:
                    announce.append(("MESSAGE_UPDATE", message))
            return message
        return None

    def _webhook_record(self, req: _Request) -> InteractionRecord:
        """The interaction behind a webhook token; followups and @original need an accepted first callback."""
        rec = self._by_token.get(req.params["token"])
        if rec is None or int(req.params["app"]) != self.application_id:
            raise _ApiError(404, 10015, "Unknown Webhook")
        if time.monotonic() - rec.created > self.token_lifetime:
            raise _ApiError(401, 50027, "Invalid Webhook Token", interaction_id=rec.id)
        if not rec.responses:
            raise _ApiError(
                404,
                10015,
                "Unknown Webhook",
                errors=["interaction: no accepted callback yet (respond or defer first)"],
                interaction_id=rec.id,
            )
        if rec.responses[0].type == CALLBACK_AUTOCOMPLETE:
            raise _ApiError(404, 10015, "Unknown Webhook", interaction_id=rec.id)
        return rec

    def _h_followup(self, req: _Request) -> tuple[int, Any]:
        announce = req.announce
        with self._lock:
            rec = self._webhook_record(req)
            body = req.body if isinstance(req.body, dict) else {}
            error = self._message_error(body, req.files, interaction_id=rec.id)
            if error is not None:
                raise error
            original = self._messages.get(rec.original_id) if rec.original_id is not None else None
            if (
                rec.responses[0].type == CALLBACK_DEFERRED_MESSAGE
                and original is not None
                and original["flags"] & limits.FLAG_LOADING
            ):
                # The first followup after a deferral replaces the "thinking..." message.
                self._edit_message(original, body, req.files)
                message = original
                if not message["flags"] & limits.FLAG_EPHEMERAL:
                    announce.append(("MESSAGE_UPDATE", message))
            else:
                flags = (body.get("flags") or 0) & limits.SETTABLE_FLAGS
                message = self._new_message(
                    self._channels[rec.channel_id], self.bot_user, body, req.files, flags=flags, interaction=rec
                )
                rec.followup_ids.append(int(message["id"]))
                if not flags & limits.FLAG_EPHEMERAL:
                    announce.append(("MESSAGE_CREATE", message))
            wire = self._wire(message)
        return (200, wire) if req.query.get("wait") in ("1", "true", "True") else (204, None)

    def _h_webhook_msg(self, req: _Request) -> tuple[int, Any]:
        announce = req.announce
        with self._lock:
            rec = self._webhook_record(req)
            if req.params["mid"] == "@original":
                message_id = rec.original_id
            else:
                message_id = int(req.params["mid"])
                if message_id != rec.original_id and message_id not in rec.followup_ids:
                    message_id = None
            message = self._messages.get(message_id) if message_id is not None else None
            if message is None:
                raise _ApiError(404, 10008, "Unknown Message", interaction_id=rec.id)
            if req.method == "GET":
                return 200, self._wire(message)
            if req.method == "DELETE":
                self._delete_message(message, announce)
                result: tuple[int, Any] = (204, None)
            else:
                body = req.body if isinstance(req.body, dict) else {}
                self._check_edit(message, body, req.files, interaction_id=rec.id)
                self._edit_message(message, body, req.files)
                if not message["flags"] & limits.FLAG_EPHEMERAL:
                    announce.append(("MESSAGE_UPDATE", message))
                result = (200, self._wire(message))
        return result

    # ------------------------------------------------------------------ HTTP: channels and DMs

    def _channel_for_bot(self, channel_id: int) -> FakeChannel:
        channel = self._channels.get(channel_id)
        if channel is None:
            raise _ApiError(404, 10003, "Unknown Channel")
        if not channel.bot_member:
            raise _ApiError(403, 50001, "Missing Access")
        return channel

    def _bot_permissions(self, channel: FakeChannel) -> int:
        if channel.guild_id is None:
            return DM_PERMISSIONS
        guild = self._guilds[channel.guild_id]
        return guild.permissions_in(guild.members[self.bot_user.id], channel)

    def _h_channel(self, req: _Request) -> tuple[int, Any]:
        with self._lock:
            channel = self._channel_for_bot(int(req.params["cid"]))
            if not self._bot_permissions(channel) & VIEW_CHANNEL:
                raise _ApiError(403, 50001, "Missing Access")
            return 200, channel.payload()

    def _h_typing(self, req: _Request) -> tuple[int, Any]:
        with self._lock:
            self._channel_for_bot(int(req.params["cid"]))
        return 204, None

    def _h_channel_messages(self, req: _Request) -> tuple[int, Any]:
        announce = req.announce
        with self._lock:
            channel = self._channel_for_bot(int(req.params["cid"]))
            perms = self._bot_permissions(channel)
            if not perms & VIEW_CHANNEL:
                raise _ApiError(403, 50001, "Missing Access")
            if req.method == "GET":
                ids = list(self._channel_messages.get(channel.id, []))
                if "before" in req.query:
                    ids = [i for i in ids if i < int(req.query["before"])]
                if "after" in req.query:
                    ids = [i for i in ids if i > int(req.query["after"])]
                limit = int(req.query.get("limit", 50))
                newest_first = list(reversed(ids))[:limit]
                return 200, [self._rest_view(self._messages[i]) for i in newest_first]
            if not perms & SEND_MESSAGES:
                raise _ApiError(403, 50013, "Missing Permissions")
            body = req.body if isinstance(req.body, dict) else {}
            error = self._message_error(body, req.files, ephemeral_allowed=False)
            if error is not None:
                raise error
            reference = body.get("message_reference")
            if reference and int(reference.get("message_id", 0)) not in self._messages:
                if reference.get("fail_if_not_exists", True):
                    raise _ApiError(400, 50035, "Invalid Form Body", errors=["message_reference: Unknown message"])
                reference = None
            flags = (body.get("flags") or 0) & limits.SETTABLE_FLAGS
            message = self._new_message(channel, self.bot_user, body, req.files, flags=flags, reference=reference)
            announce.append(("MESSAGE_CREATE", message))
            wire = self._wire(message)
        return 200, wire

    def _h_channel_message(self, req: _Request) -> tuple[int, Any]:
        announce = req.announce
        with self._lock:
            channel = self._channel_for_bot(int(req.params["cid"]))
            message = self._messages.get(int(req.params["mid"]))
            if message is None or int(message["channel_id"]) != channel.id:
                raise _ApiError(404, 10008, "Unknown Message")
            own = int(message["author"]["id"]) == self.bot_user.id
            if req.method == "GET":
                return 200, self._rest_view(message)
            if req.method == "DELETE":
                if not own and not self._bot_permissions(channel) & MANAGE_MESSAGES:
                    raise _ApiError(403, 50013, "Missing Permissions")
                self._delete_message(message, announce)
                result: tuple[int, Any] = (204, None)
            else:
                if not own:
                    raise _ApiError(403, 50005, "Cannot edit a message authored by another user")
                body = req.body if isinstance(req.body, dict) else {}
                self._check_edit(message, body, req.files, ephemeral_allowed=False)
                self._edit_message(message, body, req.files)
                announce.append(("MESSAGE_UPDATE", message))
                result = (200, self._wire(message))
        return result

    def _h_create_dm(self, req: _Request) -> tuple[int, Any]:
        body = req.body if isinstance(req.body, dict) else {}
        try:
            user = self._users[int(body.get("recipient_id", 0))]
        except (KeyError, ValueError) as exc:
            raise _ApiError(400, 50035, "Invalid Form Body", errors=["recipient_id: Unknown user"]) from exc
        return 200, self.dm_channel(user).payload()

    # ------------------------------------------------------------------ message storage (caller holds the lock)

    def _wire(self, message: Mapping[str, Any]) -> dict[str, Any]:
        """A stored message as Discord sends it (without the fake's bookkeeping)."""
        return {k: copy.deepcopy(v) for k, v in message.items() if k != "allowed_mentions"}

    def _content_visible(self, message: Mapping[str, Any], intents: int) -> bool:
        # Discord's message-content rule: the intent, or the bot's own message, a DM, or a message mentioning it.
        return bool(
            intents & INTENT_MESSAGE_CONTENT
            or int(message["author"]["id"]) == self.bot_user.id
            or "guild_id" not in message
            or any(int(m["id"]) == self.bot_user.id for m in message.get("mentions", []))
        )

    def _redacted(self, message: Mapping[str, Any], intents: int) -> dict[str, Any]:
        wire = self._wire(message)
        if not self._content_visible(message, intents):
            wire.update(content="", embeds=[], attachments=[], components=[])
            wire.pop("poll", None)
        return wire

    def _rest_view(self, message: Mapping[str, Any]) -> dict[str, Any]:
        # Over REST, what counts is the intent granted in the portal, not what a session identified with.
        return self._redacted(message, self.granted_intents)

    def _mentions(self, content: str, guild: FakeGuild | None, allowed: Any) -> tuple[list[Any], list[str], bool]:
        if limits.mentions_suppressed(allowed):
            return [], [], False
        users = []
        for raw in dict.fromkeys(_MENTION_USER.findall(content)):
            user = self._users.get(int(raw))
            if user is not None:
                entry = user.payload()
                if guild is not None and user.id in guild.members:
                    entry["member"] = guild.members[user.id].payload(with_user=False)
                users.append(entry)
        roles = [r for r in dict.fromkeys(_MENTION_ROLE.findall(content)) if guild and int(r) in guild.roles]
        return users, roles, "@everyone" in content or "@here" in content

    def _uploads_to_attachments(
        self, channel: FakeChannel, body: Mapping[str, Any], files: list[_Upload]
    ) -> list[dict[str, Any]]:
        attachments = []
        for index, upload in enumerate(files):
            attachment_id = self._ids.next()
            self._files[attachment_id] = upload.data
            filename = upload.filename
            for meta in body.get("attachments") or []:
                if str(meta.get("id")) == str(index) and meta.get("filename"):
                    filename = meta["filename"]
            url = f"http://127.0.0.1:{self.port}/attachments/{channel.id}/{attachment_id}/{filename}"
            attachments.append(
                attachment_payload(
                    id=attachment_id,
                    filename=filename,
                    size=len(upload.data),
                    url=url,
                    content_type=upload.content_type,
                )
            )
        return attachments

    def _new_message(
        self,
        channel: FakeChannel,
        author: FakeUser,
        body: Mapping[str, Any],
        files: list[_Upload],
        *,
        flags: int = 0,
        interaction: InteractionRecord | None = None,
        reference: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        guild = self._guilds.get(channel.guild_id) if channel.guild_id is not None else None
        content = body.get("content") or ""
        allowed = body.get("allowed_mentions")
        mentions, mention_roles, everyone = self._mentions(content, guild, allowed)
        if interaction is None:
            kind = MESSAGE_REPLY if reference else MESSAGE_DEFAULT
        elif interaction.type == INTERACTION_COMMAND and interaction.original_id is None:
            command_type = (interaction.payload.get("data") or {}).get("type", 1)
            kind = MESSAGE_CHAT_INPUT_COMMAND if command_type == 1 else MESSAGE_CONTEXT_MENU_COMMAND
        else:
            kind = MESSAGE_DEFAULT
        message_id = self._ids.next()
        extra: dict[str, Any] = {}
        if interaction is not None:
            extra["webhook_id"] = str(self.application_id)
            extra["application_id"] = str(self.application_id)
            extra["interaction_metadata"] = {
                "id": str(interaction.id),
                "type": interaction.type,
                "user": self._users[interaction.user_id].payload(),
                "authorizing_integration_owners": interaction.payload["authorizing_integration_owners"],
            }
        if reference:
            extra["message_reference"] = {
                "type": 0,
                "message_id": str(reference["message_id"]),
                "channel_id": str(channel.id),
                **({"guild_id": str(guild.id)} if guild else {}),
            }
        member = guild.members.get(author.id) if guild is not None else None
        message = message_payload(
            id=message_id,
            channel=channel,
            author=author,
            member=member,
            content=content,
            embeds=body.get("embeds"),
            components=body.get("components"),
            attachments=self._uploads_to_attachments(channel, body, files),
            flags=flags,
            type=kind,
            mentions=mentions,
            mention_roles=mention_roles,
            mention_everyone=everyone,
            extra=extra,
        )
        message["allowed_mentions"] = copy.deepcopy(allowed)
        self._messages[message_id] = message
        self._channel_messages.setdefault(channel.id, []).append(message_id)
        channel.last_message_id = message_id
        if author.id == self.bot_user.id:
            self._check_mentions(message, allowed)
        return message

    def _check_edit(
        self,
        message: Mapping[str, Any],
        patch: Mapping[str, Any],
        files: list[_Upload],
        *,
        ephemeral_allowed: bool = True,
        interaction_id: int | None = None,
    ) -> None:
        """Raise the error Discord gives for an edit: broken limits, or a message the edit would leave empty."""
        error = self._message_error(
            patch, files, partial=True, ephemeral_allowed=ephemeral_allowed, interaction_id=interaction_id
        )
        if error is not None:
            raise error
        merged = {**message, **{k: v for k, v in patch.items() if k in ("content", "embeds", "components")}}
        if limits.is_empty_message(merged) and not files:
            raise _ApiError(400, 50006, "Cannot send an empty message", interaction_id=interaction_id)

    def _edit_message(self, message: dict[str, Any], patch: Mapping[str, Any], files: list[_Upload]) -> None:
        channel = self._channels[int(message["channel_id"])]
        for key, empty in (("content", ""), ("embeds", []), ("components", [])):
            if key in patch:
                message[key] = copy.deepcopy(patch[key]) if patch[key] is not None else empty
        message["embeds"] = [{**e, "type": e.get("type", "rich")} for e in message["embeds"]]
        if patch.get("allowed_mentions") is not None:
            message["allowed_mentions"] = copy.deepcopy(patch["allowed_mentions"])
        if patch.get("flags") is not None:
            suppress = limits.FLAG_SUPPRESS_EMBEDS
            message["flags"] = (message["flags"] & ~suppress) | (patch["flags"] & suppress)
        if "attachments" in patch or files:
            keep = {str(a.get("id")) for a in patch.get("attachments") or []}
            kept = [a for a in message["attachments"] if a["id"] in keep]
            message["attachments"] = kept + self._uploads_to_attachments(channel, patch, files)
        message["flags"] &= ~limits.FLAG_LOADING
        message["edited_timestamp"] = iso_now()
        guild = self._guilds.get(channel.guild_id) if channel.guild_id is not None else None
        message["mentions"], message["mention_roles"], message["mention_everyone"] = self._mentions(
            message["content"], guild, message.get("allowed_mentions")
        )
        # Edits only ping for what they change, so only a patch touching text is judged.
        if any(k in patch for k in ("content", "embeds")):
            self._check_mentions(message, patch.get("allowed_mentions"))

    def _check_mentions(self, message: dict[str, Any], allowed: Any) -> None:
        if limits.mention_risk(message) and not limits.mentions_suppressed(allowed):
            self.mention_unsafe.append(copy.deepcopy(message))

    def _delete_message(self, message: dict[str, Any], announce: list[tuple[str, dict[str, Any]]]) -> None:
        message_id = int(message["id"])
        del self._messages[message_id]
        self._channel_messages[int(message["channel_id"])].remove(message_id)
        self.deleted_messages.append(copy.deepcopy(message))
        if not message["flags"] & limits.FLAG_EPHEMERAL:
            announce.append(("MESSAGE_DELETE", message))

    async def _announce_messages(self, announce: list[tuple[str, dict[str, Any]]]) -> None:
        """Echo message changes to the owning shard, as Discord does for the bot's own messages too."""
        for event, message in announce:
            if not self._channels[int(message["channel_id"])].bot_member:
                continue  # a user-install reply in someone else's DM: the bot gets no events from there
            guild_id = int(message["guild_id"]) if "guild_id" in message else None
            intent = INTENT_GUILD_MESSAGES if guild_id is not None else INTENT_DIRECT_MESSAGES
            if event == "MESSAGE_DELETE":
                slim = {"id": message["id"], "channel_id": message["channel_id"]}
                if guild_id is not None:
                    slim["guild_id"] = str(guild_id)

                def deleted(_session: _Session, slim: dict[str, Any] = slim) -> dict[str, Any]:
                    return slim

                await self._emit(event, guild_id, deleted, intent=intent)
            else:

                def view(session: _Session, message: dict[str, Any] = message) -> dict[str, Any]:
                    return self._redacted(message, session.intents)

                await self._emit(event, guild_id, view, intent=intent)

    # ------------------------------------------------------------------ users talking to the bot

    def user_message(
        self, channel: FakeChannel, author: FakeMember | FakeUser, content: str, **fields: Any
    ) -> dict[str, Any]:
        """A message from a user, dispatched as MESSAGE_CREATE (content emptied unless the session may see it).

        Returns the stored message with its full content. ``fields`` go into the message (e.g. ``embeds=[...]``).
        """
        user = author.user if isinstance(author, FakeMember) else author
        with self._lock:
            guild = self._guilds.get(channel.guild_id) if channel.guild_id is not None else None
            if guild is not None and user.id not in guild.members:
                raise FakeDiscordError(f"{user.username} is not a member of {guild.name}")
            message_id = self._ids.next()
            mentions, roles, everyone = self._mentions(content, guild, None)
            if guild is not None and not guild.base_permissions(guild.members[user.id]) & MENTION_EVERYONE:
                everyone = False
            message = message_payload(
                id=message_id,
                channel=channel,
                author=user,
                member=guild.members[user.id] if guild else None,
                content=content,
                mentions=mentions,
                mention_roles=roles,
                mention_everyone=everyone,
                extra=fields,
            )
            message["allowed_mentions"] = None
            self._messages[message_id] = message
            self._channel_messages.setdefault(channel.id, []).append(message_id)
            channel.last_message_id = message_id
        self._run(self._announce_messages([("MESSAGE_CREATE", message)]))
        return copy.deepcopy(message)

    # ------------------------------------------------------------------ interactions (test side)

    def _default_actor(self) -> FakeUser:
        with self._lock:
            if self._default_user is None:
                self._default_user = self.add_user("tester")
            return self._default_user

    def _resolve_actor(
        self,
        *,
        guild: FakeGuild | None,
        channel: FakeChannel | None,
        member: FakeMember | FakeUser | None,
        user: FakeUser | None,
        context: int | None,
    ) -> tuple[FakeGuild | None, FakeChannel, FakeMember | None, FakeUser, int]:
        """Where an interaction happens and who triggers it, defaulting like a user clicking around would."""
        if guild is None and channel is not None and channel.guild_id is not None:
            guild = self._guilds[channel.guild_id]
        if guild is None and isinstance(member, FakeMember):
            guild = self._guilds[member.guild_id]
        if guild is not None:
            if context not in (None, CONTEXT_GUILD):
                raise FakeDiscordError("a guild interaction has context 0")
            with self._lock:
                if channel is None:
                    channel = guild.text_channels()[0]
                if channel.guild_id != guild.id:
                    raise FakeDiscordError(f"channel {channel.name!r} is not in guild {guild.name!r}")
                if member is None and user is not None:
                    member = user
                if member is None:
                    humans = [m for m in guild.members.values() if not m.user.bot and m.id != guild.owner_id]
                    member = humans[0] if humans else guild.members[guild.owner_id]
                if isinstance(member, FakeUser):
                    if member.id not in guild.members:
                        raise FakeDiscordError(f"{member.username} is not a member of {guild.name}")
                    member = guild.members[member.id]
            return guild, channel, member, member.user, CONTEXT_GUILD
        person = user or (member if isinstance(member, FakeUser) else None) or self._default_actor()
        if context is None:
            context = CONTEXT_BOT_DM if channel is None or channel.bot_member else CONTEXT_PRIVATE_CHANNEL
        if channel is None:
            channel = self.dm_channel(person) if context == CONTEXT_BOT_DM else self.private_channel(person)
        return None, channel, None, person, context

    def _owners(self, guild: FakeGuild | None, user: FakeUser, context: int) -> dict[str, str]:
        if context == CONTEXT_GUILD and guild is not None:
            return {"0": str(guild.id)}
        if context == CONTEXT_BOT_DM:
            return {"0": "0"}
        return {"1": str(user.id)}

    def _find_command(
        self, name: str, kind: int, guild: FakeGuild | None, member: FakeMember | None, context: int
    ) -> dict[str, Any]:
        with self._lock:
            candidates = []
            if guild is not None:
                candidates += [(c, True) for c in self._guild_commands.get(guild.id, [])]
            candidates += [(c, False) for c in self._global_commands]
            for command, is_guild in candidates:
                if command["name"] != name or command.get("type", 1) != kind:
                    continue
                if not is_guild:
                    self._check_global_visibility(command, context)
                if guild is not None and member is not None:
                    required = command.get("default_member_permissions")
                    if required is not None and guild.base_permissions(member) & int(required) != int(required):
                        raise FakeDiscordError(
                            f"{member.user.username} lacks default_member_permissions={required} for /{name}: "
                            "Discord would not show them the command"
                        )
                return command
            synced = sorted({c["name"] for c, _ in candidates})
            where = f"guild {guild.name!r} or globally" if guild else "globally"
            raise FakeDiscordError(f"command {name!r} (type {kind}) was not synced {where}; synced: {synced}")

    def _check_global_visibility(self, command: Mapping[str, Any], context: int) -> None:
        installs = command.get("integration_types") or self.integration_types
        if context == CONTEXT_PRIVATE_CHANNEL and 1 not in installs:
            raise FakeDiscordError(
                f"command {command['name']!r} is not user-installable (integration_types {installs})"
            )
        contexts = command.get("contexts")
        if contexts is None:
            contexts = [CONTEXT_GUILD, CONTEXT_BOT_DM] if command.get("dm_permission", True) else [CONTEXT_GUILD]
            if 1 in installs:
                contexts.append(CONTEXT_PRIVATE_CHANNEL)
        if context not in contexts:
            raise FakeDiscordError(f"command {command['name']!r} is not available in context {context} ({contexts})")

    def _command_level(
        self, command: Mapping[str, Any], group: str | None, subcommand: str | None
    ) -> tuple[list[dict[str, Any]], Callable[[list[dict[str, Any]]], list[dict[str, Any]]]]:
        """The option definitions at the chosen (group, subcommand) level, and a wrapper nesting filled options."""
        options: list[dict[str, Any]] = list(command.get("options") or [])
        has_subcommands = any(o["type"] in (1, 2) for o in options)
        if not has_subcommands:
            if group or subcommand:
                raise FakeDiscordError(f"/{command['name']} has no subcommands")
            return options, lambda filled: filled
        if subcommand is None:
            raise FakeDiscordError(f"/{command['name']} needs subcommand= (and group= for nested ones)")
        level = options
        group_def = None
        if group is not None:
            group_def = next((o for o in level if o["type"] == 2 and o["name"] == group), None)
            if group_def is None:
                raise FakeDiscordError(f"/{command['name']} has no subcommand group {group!r}")
            level = list(group_def.get("options") or [])
        sub_def = next((o for o in level if o["type"] == 1 and o["name"] == subcommand), None)
        if sub_def is None:
            raise FakeDiscordError(f"/{command['name']} {group or ''} has no subcommand {subcommand!r}")

        def wrap(filled: list[dict[str, Any]]) -> list[dict[str, Any]]:
            nested = [{"name": subcommand, "type": 1, "options": filled}]
            return [{"name": group, "type": 2, "options": nested}] if group is not None else nested

        return list(sub_def.get("options") or []), wrap

    def _coerce_option(
        self,
        definition: Mapping[str, Any],
        value: Any,
        resolved: dict[str, dict[str, Any]],
        guild: FakeGuild | None,
        channel: FakeChannel,
    ) -> Any:
        """A typed option value as Discord sends it; ids of users, roles and channels also fill ``resolved``."""
        name, kind = definition["name"], definition["type"]

        def fail(why: str) -> FakeDiscordError:
            return FakeDiscordError(f"option {name!r} (type {kind}): {why}, got {value!r}")

        if kind == 3:
            if not isinstance(value, str):
                raise fail("must be a string")
            if len(value) < definition.get("min_length", 0) or len(value) > definition.get("max_length", 6000):
                raise fail("length outside min_length/max_length")
        elif kind == 4:
            if isinstance(value, bool) or not isinstance(value, int) or abs(value) > 2**53:
                raise fail("must be an integer")
        elif kind == 10:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise fail("must be a number")
        elif kind == 5:
            if not isinstance(value, bool):
                raise fail("must be a boolean")
        elif kind in (6, 9) and isinstance(value, FakeUser | FakeMember):
            person = value.user if isinstance(value, FakeMember) else value
            resolved.setdefault("users", {})[str(person.id)] = person.payload()
            if guild is not None and person.id in guild.members:
                target = guild.members[person.id]
                resolved.setdefault("members", {})[str(person.id)] = target.payload(
                    with_user=False, permissions=guild.permissions_in(target, channel)
                )
            return str(person.id)
        elif kind in (8, 9) and isinstance(value, FakeRole):
            resolved.setdefault("roles", {})[str(value.id)] = value.payload()
            return str(value.id)
        elif kind == 7 and isinstance(value, FakeChannel):
            types = definition.get("channel_types")
            if types and value.type not in types:
                raise fail(f"channel type not in {types}")
            perms = guild.permissions_in(guild.members[self.bot_user.id], value) if guild else DM_PERMISSIONS
            resolved.setdefault("channels", {})[str(value.id)] = resolved_channel_payload(value, perms)
            return str(value.id)
        elif kind == 11 and isinstance(value, Mapping):
            attachment_id = self._ids.next()
            data = bytes(value.get("content", b""))
            self._files[attachment_id] = data
            filename = str(value.get("filename", "file.txt"))
            url = f"http://127.0.0.1:{self.port}/attachments/{channel.id}/{attachment_id}/{filename}"
            resolved.setdefault("attachments", {})[str(attachment_id)] = attachment_payload(
                id=attachment_id, filename=filename, size=len(data), url=url, content_type=value.get("content_type")
            )
            return str(attachment_id)
        else:
            raise fail("unsupported value for this option type (pass FakeUser/FakeMember/FakeRole/FakeChannel/dict)")
        if kind in (4, 10):
            low, high = definition.get("min_value"), definition.get("max_value")
            if (low is not None and value < low) or (high is not None and value > high):
                raise fail(f"outside min_value/max_value {low}..{high}")
        choices = definition.get("choices")
        if choices and value not in [c["value"] for c in choices]:
            raise fail(f"not one of the choices {[c['value'] for c in choices]}")
        return value

    def _fill_options(
        self,
        definitions: list[dict[str, Any]],
        given: Mapping[str, Any] | Iterable[Any] | None,
        *,
        guild: FakeGuild | None,
        channel: FakeChannel,
        focused: tuple[str, str] | None = None,
    ) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
        """Options as Discord sends them, checked against the synced definitions (raw option dicts pass as-is)."""
        by_name = {d["name"]: d for d in definitions}
        resolved: dict[str, dict[str, Any]] = {}
        filled: list[dict[str, Any]] = []
        if given is None:
            pairs: list[tuple[str, Any]] = []
        elif isinstance(given, Mapping):
            pairs = list(given.items())
        else:
            pairs = []
            for item in given:
                if isinstance(item, Mapping):
                    if item.get("name") not in by_name:
                        raise FakeDiscordError(f"unknown option {item.get('name')!r}; synced: {sorted(by_name)}")
                    filled.append(dict(item))
                else:
                    pairs.append((item[0], item[1]))
        for name, value in pairs:
            definition = by_name.get(name)
            if definition is None:
                raise FakeDiscordError(f"unknown option {name!r}; synced: {sorted(by_name)}")
            if focused is not None and name == focused[0]:
                continue
            filled.append(
                {
                    "name": name,
                    "type": definition["type"],
                    "value": self._coerce_option(definition, value, resolved, guild, channel),
                }
            )
        if focused is not None:
            definition = by_name.get(focused[0])
            if definition is None:
                raise FakeDiscordError(f"unknown option {focused[0]!r}; synced: {sorted(by_name)}")
            if not definition.get("autocomplete"):
                raise FakeDiscordError(f"option {focused[0]!r} was not synced with autocomplete=true")
            # The focused value is whatever the user has typed so far, always a string.
            filled.append({"name": focused[0], "type": definition["type"], "value": focused[1], "focused": True})
        else:
            names = {o["name"] for o in filled}
            missing = [d["name"] for d in definitions if d.get("required") and d["name"] not in names]
            if missing:
                raise FakeDiscordError(f"required options missing: {missing}")
        return filled, resolved

    def _make_record(
        self,
        *,
        type: int,
        data: dict[str, Any],
        guild: FakeGuild | None,
        channel: FakeChannel,
        member: FakeMember | None,
        user: FakeUser,
        context: int,
        message: dict[str, Any] | None = None,
        command: dict[str, Any] | None = None,
        source: InteractionRecord | None = None,
        locale: str = "en-US",
        dispatch: bool = True,
    ) -> InteractionRecord:
        interaction_id = self._ids.next()
        token = "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)
        with self._lock:
            if guild is not None:
                app_permissions = guild.permissions_in(guild.members[self.bot_user.id], channel)
            else:
                app_permissions = DM_PERMISSIONS
            payload = interaction_payload(
                id=interaction_id,
                application_id=self.application_id,
                type=type,
                token=token,
                data=data,
                channel=channel,
                channel_permissions=guild.permissions_in(member, channel) if guild and member else DM_PERMISSIONS,
                app_permissions=app_permissions,
                context=context,
                authorizing_integration_owners=self._owners(guild, user, context),
                guild=guild,
                member=member,
                user=user,
                message=message,
                locale=locale,
            )
            record = InteractionRecord(
                id=interaction_id,
                token=token,
                type=type,
                payload=payload,
                guild_id=guild.id if guild else None,
                channel_id=channel.id,
                user_id=user.id,
                command=command,
                source=source,
                _fake=self,
            )
            self._interactions[interaction_id] = record
            self._by_token[token] = record

        def start_clock() -> None:
            # The 3 s deadline runs from when Discord sends the event.
            record.created = time.monotonic()

        if not dispatch:
            start_clock()
            return record
        self._run(
            self._emit(
                "INTERACTION_CREATE",
                record.guild_id,
                lambda _: copy.deepcopy(payload),
                required=True,
                before_send=start_clock,
            )
        )
        return record

    def slash(
        self,
        name: str,
        options: Mapping[str, Any] | Iterable[Any] | None = None,
        *,
        guild: FakeGuild | None = None,
        channel: FakeChannel | None = None,
        member: FakeMember | FakeUser | None = None,
        user: FakeUser | None = None,
        subcommand: str | None = None,
        group: str | None = None,
        context: int | None = None,
        locale: str = "en-US",
        dispatch: bool = True,
    ) -> InteractionRecord:
        """A user runs ``/name`` (type 2, data.type 1) with ``options`` {name: value} (or raw option dicts).

        The command must have been synced where the user is; values are checked against its option types.
        Without ``guild``/``channel``/``member`` it happens in the bot's DM (context 1); ``context=2`` is a
        user-install invocation in someone else's DM.
        """
        guild, channel, member, person, context = self._resolve_actor(
            guild=guild, channel=channel, member=member, user=user, context=context
        )
        command = self._find_command(name, 1, guild, member, context)
        definitions, wrap = self._command_level(command, group, subcommand)
        filled, resolved = self._fill_options(definitions, options, guild=guild, channel=channel)
        data = self._command_data(command, options=wrap(filled), resolved=resolved)
        return self._make_record(
            type=INTERACTION_COMMAND,
            data=data,
            guild=guild,
            channel=channel,
            member=member,
            user=person,
            context=context,
            command=command,
            locale=locale,
            dispatch=dispatch,
        )

    def autocomplete(
        self,
        name: str,
        focused_option: str,
        value: str,
        *,
        options: Mapping[str, Any] | Iterable[Any] | None = None,
        guild: FakeGuild | None = None,
        channel: FakeChannel | None = None,
        member: FakeMember | FakeUser | None = None,
        user: FakeUser | None = None,
        subcommand: str | None = None,
        group: str | None = None,
        context: int | None = None,
        dispatch: bool = True,
    ) -> InteractionRecord:
        """A user types ``value`` into ``focused_option`` of ``/name`` (type 4); other ``options`` already filled."""
        guild, channel, member, person, context = self._resolve_actor(
            guild=guild, channel=channel, member=member, user=user, context=context
        )
        command = self._find_command(name, 1, guild, member, context)
        definitions, wrap = self._command_level(command, group, subcommand)
        filled, resolved = self._fill_options(
            definitions, options, guild=guild, channel=channel, focused=(focused_option, value)
        )
        data = self._command_data(command, options=wrap(filled), resolved=resolved)
        return self._make_record(
            type=INTERACTION_AUTOCOMPLETE,
            data=data,
            guild=guild,
            channel=channel,
            member=member,
            user=person,
            context=context,
            command=command,
            dispatch=dispatch,
        )

    def _command_data(
        self, command: Mapping[str, Any], *, options: list[dict[str, Any]] | None = None, **extra: Any
    ) -> dict[str, Any]:
        data: dict[str, Any] = {"id": command["id"], "name": command["name"], "type": command.get("type", 1)}
        if options:
            data["options"] = options
        if extra.get("resolved"):
            data["resolved"] = extra["resolved"]
        if extra.get("target_id"):
            data["target_id"] = extra["target_id"]
        if "guild_id" in command:
            # Without it discord.py looks among global commands and silently drops a guild command's interaction.
            data["guild_id"] = command["guild_id"]
        return data

    def message_command(
        self,
        name: str,
        target_message: Mapping[str, Any] | int,
        *,
        member: FakeMember | FakeUser | None = None,
        user: FakeUser | None = None,
        dispatch: bool = True,
    ) -> InteractionRecord:
        """A user runs the message context menu ``name`` on a stored message (type 2, data.type 3)."""
        message = self._stored_message(target_message)
        channel = self._channels[int(message["channel_id"])]
        guild, channel, member, person, context = self._resolve_actor(
            guild=None, channel=channel, member=member, user=user, context=None
        )
        command = self._find_command(name, 3, guild, member, context)
        data = self._command_data(
            command, resolved={"messages": {message["id"]: self._wire(message)}}, target_id=message["id"]
        )
        return self._make_record(
            type=INTERACTION_COMMAND,
            data=data,
            guild=guild,
            channel=channel,
            member=member,
            user=person,
            context=context,
            command=command,
            dispatch=dispatch,
        )

    def user_command(
        self,
        name: str,
        target: FakeMember | FakeUser,
        *,
        guild: FakeGuild | None = None,
        channel: FakeChannel | None = None,
        member: FakeMember | FakeUser | None = None,
        user: FakeUser | None = None,
        dispatch: bool = True,
    ) -> InteractionRecord:
        """A user runs the user context menu ``name`` on ``target`` (type 2, data.type 2)."""
        guild, channel, member, person, context = self._resolve_actor(
            guild=guild, channel=channel, member=member, user=user, context=None
        )
        command = self._find_command(name, 2, guild, member, context)
        target_user = target.user if isinstance(target, FakeMember) else target
        resolved: dict[str, dict[str, Any]] = {}
        self._coerce_option({"name": "target", "type": 6}, target_user, resolved, guild, channel)
        data = self._command_data(command, resolved=resolved, target_id=str(target_user.id))
        return self._make_record(
            type=INTERACTION_COMMAND,
            data=data,
            guild=guild,
            channel=channel,
            member=member,
            user=person,
            context=context,
            command=command,
            dispatch=dispatch,
        )

    def _stored_message(self, message: Mapping[str, Any] | int | str) -> dict[str, Any]:
        message_id = int(message["id"]) if isinstance(message, Mapping) else int(message)
        with self._lock:
            stored = self._messages.get(message_id)
            if stored is None:
                raise FakeDiscordError(f"message {message_id} does not exist (deleted or never sent)")
            return copy.deepcopy(stored)

    def _component_actor(
        self, message: Mapping[str, Any], member: FakeMember | FakeUser | None, user: FakeUser | None
    ) -> tuple[FakeGuild | None, FakeChannel, FakeMember | None, FakeUser, int]:
        channel = self._channels[int(message["channel_id"])]
        if channel.guild_id is None and user is None and member is None:
            user = channel.recipients[0]
        return self._resolve_actor(guild=None, channel=channel, member=member, user=user, context=None)

    def click(
        self,
        message: Mapping[str, Any] | int,
        custom_id: str,
        *,
        member: FakeMember | FakeUser | None = None,
        user: FakeUser | None = None,
        dispatch: bool = True,
    ) -> InteractionRecord:
        """A user clicks the button ``custom_id`` on a stored message (type 3, with the full current message)."""
        stored = self._stored_message(message)
        component = self._find_component(stored, custom_id)
        if component.get("type") != 2:
            raise FakeDiscordError(f"{custom_id!r} is a type {component.get('type')} component, not a button")
        if component.get("disabled"):
            raise FakeDiscordError(f"button {custom_id!r} is disabled")
        data = {"custom_id": custom_id, "component_type": 2}
        return self._component_interaction(stored, data, component, member, user, dispatch)

    def select(
        self,
        message: Mapping[str, Any] | int,
        custom_id: str,
        values: list[str],
        *,
        member: FakeMember | FakeUser | None = None,
        user: FakeUser | None = None,
        dispatch: bool = True,
    ) -> InteractionRecord:
        """A user picks ``values`` in the string select ``custom_id`` on a stored message (type 3)."""
        stored = self._stored_message(message)
        component = self._find_component(stored, custom_id)
        if component.get("type") != 3:
            raise FakeDiscordError(f"{custom_id!r} is not a string select")
        known = [o["value"] for o in component.get("options") or []]
        low, high = component.get("min_values", 1), component.get("max_values", 1)
        if any(v not in known for v in values) or not low <= len(values) <= high:
            raise FakeDiscordError(f"select {custom_id!r}: {values} not {low}..{high} of {known}")
        data = {"custom_id": custom_id, "component_type": 3, "values": list(values)}
        return self._component_interaction(stored, data, component, member, user, dispatch)

    def _component_interaction(
        self,
        stored: dict[str, Any],
        data: dict[str, Any],
        component: Mapping[str, Any],
        member: FakeMember | FakeUser | None,
        user: FakeUser | None,
        dispatch: bool,
    ) -> InteractionRecord:
        if "id" in component:
            data["id"] = component["id"]
        guild, channel, member, person, context = self._component_actor(stored, member, user)
        return self._make_record(
            type=INTERACTION_COMPONENT,
            data=data,
            guild=guild,
            channel=channel,
            member=member,
            user=person,
            context=context,
            message=self._wire(stored),
            dispatch=dispatch,
        )

    @staticmethod
    def _find_component(message: Mapping[str, Any], custom_id: str) -> dict[str, Any]:
        stack: list[dict[str, Any]] = list(message.get("components") or [])
        while stack:
            component = stack.pop(0)
            if component.get("custom_id") == custom_id:
                return component
            stack += component.get("components") or []
            stack += [component[k] for k in ("accessory", "component") if isinstance(component.get(k), dict)]
        raise FakeDiscordError(f"message {message['id']} has no component {custom_id!r}")

    def submit_modal(
        self,
        record: InteractionRecord,
        values: Mapping[str, str],
        *,
        member: FakeMember | FakeUser | None = None,
        user: FakeUser | None = None,
        dispatch: bool = True,
    ) -> InteractionRecord:
        """The user fills the modal the bot answered ``record`` with and submits it (type 5).

        ``values`` maps text input custom_ids to text; required inputs and min/max lengths are enforced.
        """
        with self._lock:
            modal = record.modal
            if modal is None:
                raise FakeDiscordError(f"interaction {record.id} was not answered with a modal")
            if record.modal_submitted:
                raise FakeDiscordError(f"the modal of interaction {record.id} was already submitted")
            inputs = {i["custom_id"]: i for i in limits.modal_text_inputs(modal.get("components") or [])}
            unknown = set(values) - set(inputs)
            if unknown:
                raise FakeDiscordError(f"modal has no text inputs {sorted(unknown)}; it has {sorted(inputs)}")
            for custom_id, text_input in inputs.items():
                text = values.get(custom_id, "")
                if text_input.get("required", True) and not text:
                    raise FakeDiscordError(f"text input {custom_id!r} is required")
                if text and not text_input.get("min_length", 0) <= len(text) <= text_input.get("max_length", 4000):
                    raise FakeDiscordError(f"text input {custom_id!r}: length {len(text)} outside min/max_length")
            components = []
            for component in modal.get("components") or []:
                if component.get("type") == 1:
                    row = [
                        {"type": 4, "custom_id": c["custom_id"], "value": values.get(c["custom_id"], "")}
                        for c in component.get("components") or []
                    ]
                    components.append({"type": 1, "components": row})
                elif component.get("type") == 18 and component["component"].get("type") == 4:
                    inner = component["component"]
                    submitted = {
                        "type": 4,
                        "custom_id": inner["custom_id"],
                        "value": values.get(inner["custom_id"], ""),
                    }
                    components.append({"type": 18, "component": submitted})
            record.modal_submitted = True
            source_payload = record.payload
        guild = self._guilds.get(record.guild_id) if record.guild_id is not None else None
        channel = self._channels[record.channel_id]
        if guild is not None:
            actor: FakeMember | FakeUser | None = member or guild.members[record.user_id]
            guild, channel, member_, person, context = self._resolve_actor(
                guild=guild, channel=channel, member=actor, user=None, context=None
            )
        else:
            member_, person, context = None, user or self._users[record.user_id], int(source_payload["context"])
        return self._make_record(
            type=INTERACTION_MODAL_SUBMIT,
            data={"custom_id": modal["custom_id"], "components": components},
            guild=guild,
            channel=channel,
            member=member_,
            user=person,
            context=context,
            message=source_payload.get("message"),
            source=record,
            dispatch=dispatch,
        )
