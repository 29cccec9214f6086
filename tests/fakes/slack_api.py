"""A fake Slack: Web API, response_url endpoint and Socket Mode WebSocket, served on 127.0.0.1 for tests.

``FakeSlack`` runs an aiohttp server on its own thread and event loop, so sync tests, async tests (whose loop
runs the app under test) and a separate bot process can all talk to it. Point a client at it with
``WebClient(token="xoxb-test", base_url=fake.base_url)``.

Everything it receives is recorded under one lock and can be read from any thread; ``wait_for*`` poll that
state (use the ``*_async`` variants inside a coroutine: the blocking ones would freeze the loop the app under
test runs on). Every message payload and view is checked with ``tests.fakes.blockkit``; what Slack would refuse
is refused here too and listed in ``rejected``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import copy
import itertools
import json
import socket
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from aiohttp import WSCloseCode, WSMsgType, web

from tests.fakes.blockkit import validate_blocks, validate_message, validate_view

T = TypeVar("T")
Json = dict[str, Any]

# Methods that authenticate with client credentials instead of a token.
_CLIENT_CREDENTIAL_METHODS = frozenset({"oauth.v2.access", "oauth.v2.exchange", "oauth.access"})
# Fields slack_sdk sends JSON-encoded inside form posts.
_JSON_FIELDS = ("blocks", "view", "attachments", "metadata")
MAX_TEXT = 40_000
RESPONSE_URL_USES = 5  # Slack: up to 5 responses per response_url within 30 minutes


@dataclass(frozen=True)
class Call:
    """One Web API request as the fake saw it, and what it answered."""

    method: str
    args: Json
    headers: dict[str, str]
    time: float
    token: str | None
    status: int
    response: Json

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

    @property
    def error(self) -> str | None:
        return self.response.get("error")


@dataclass
class Message:
    """A message in a channel's history; ``edits`` counts chat.update and replace_original calls."""

    channel: str
    ts: str
    text: str | None
    blocks: list[Json] | None
    thread_ts: str | None = None
    user: str = ""
    bot_id: str | None = None
    edits: int = 0
    metadata: Json | None = None

    def to_dict(self) -> Json:
        """The message as Slack shows it in payloads (``message`` of block_actions, chat.postMessage's answer)."""
        out: Json = {"type": "message", "user": self.user, "ts": self.ts, "text": self.text or ""}
        if self.bot_id:
            out["bot_id"] = self.bot_id
        if self.blocks is not None:
            out["blocks"] = copy.deepcopy(self.blocks)
        if self.thread_ts:
            out["thread_ts"] = self.thread_ts
        if self.metadata is not None:
            out["metadata"] = copy.deepcopy(self.metadata)
        return out


@dataclass
class Ephemeral:
    """An ephemeral message shown to ``user`` only; ``source`` is "chat.postEphemeral" or "response_url"."""

    channel: str | None
    user: str | None
    ts: str
    text: str | None
    blocks: list[Json] | None
    source: str
    thread_ts: str | None = None


@dataclass(frozen=True)
class ResponsePost:
    """One POST to a response_url served by the fake."""

    name: str
    body: Any
    headers: dict[str, str]
    time: float
    status: int


@dataclass(frozen=True)
class SocketAck:
    """An acknowledgement frame a Socket Mode client sent back."""

    envelope_id: str
    payload: Json | None
    time: float
    raw: Json


@dataclass(frozen=True)
class OAuthGrant:
    """What an OAuth ``code`` installs: the workspace and the installing user."""

    team_id: str
    team_name: str = "Fake Team"
    user_id: str = "U1"
    bot_user_id: str = "U0BOT"
    scope: str = "commands,chat:write"


@dataclass(frozen=True)
class _TokenInfo:
    team_id: str
    team_name: str
    bot_user_id: str


@dataclass(frozen=True)
class _Binding:
    channel: str | None
    user: str | None
    message_ts: str | None


@dataclass
class _Failure:
    status: int
    error: str
    retry_after: int | None
    times: int


@dataclass
class _View:
    view: Json
    user: str | None = None


class _Reject(Exception):
    """Raised by a method handler to answer ``{"ok": false, "error": ...}``."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.body: Json = {"ok": False, "error": error, **extra}


def _problems_body(error: str, problems: list[str]) -> Json:
    # Slack lists schema errors both ways, depending on the method.
    return {"error": error, "errors": problems, "response_metadata": {"messages": [f"[ERROR] {p}" for p in problems]}}


class FakeSlack:
    """Fake Slack on 127.0.0.1:<free port>; use as a context manager or call ``start()`` / ``stop()``.

    Settings tests may change at any time: ``invalid_tokens`` (revoked tokens), ``admins`` / ``owners`` (for
    users.info), ``users`` (extra users.info fields per id), ``bot_channels`` and ``strict_membership``
    (chat.postMessage/postEphemeral answer ``not_in_channel`` outside ``bot_channels`` when either is set; DMs
    and user ids are always allowed), ``channel_names``, ``oauth_grants`` (code -> OAuthGrant; unknown codes
    install into the default team) and ``latency`` (method -> seconds to wait before answering).
    """

    def __init__(
        self,
        *,
        team_id: str = "T1",
        team_name: str = "Fake Team",
        team_domain: str = "fake",
        bot_user_id: str = "U0BOT",
        bot_id: str = "B0BOT",
        app_id: str = "A1",
    ) -> None:
        self.team_id, self.team_name, self.team_domain = team_id, team_name, team_domain
        self.bot_user_id, self.bot_id, self.app_id = bot_user_id, bot_id, app_id

        self.invalid_tokens: set[str] = set()
        self.admins: set[str] = set()
        self.owners: set[str] = set()
        self.users: dict[str, Json] = {}
        self.bot_channels: set[str] = set()
        self.strict_membership = False
        self.channel_names: dict[str, str] = {}
        self.oauth_grants: dict[str, OAuthGrant] = {}
        self.latency: dict[str, float] = {}
        self.bot_scopes = "commands,chat:write"  # what auth.test reports the bot token was granted

        # One re-entrant lock guards all recorded state; the condition wakes waiters on every change.
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._version = 0
        self._calls: list[Call] = []
        self._messages: list[Message] = []
        self._ephemerals: list[Ephemeral] = []
        self._responses: list[ResponsePost] = []
        self._bindings: dict[str, _Binding] = {}
        self._rejected: list[tuple[str, list[str]]] = []
        self._warnings: list[tuple[str, str]] = []
        self._failures: dict[str, list[_Failure]] = {}
        self._tokens: dict[str, _TokenInfo] = {}
        self._used_codes: set[str] = set()
        self._views: dict[str, _View] = {}
        self._home_view_ids: dict[str, str] = {}
        self._socket_acks: list[SocketAck] = []
        self._socket_sent: list[Json] = []
        self._sockets: list[web.WebSocketResponse] = []
        self._ts_counter = itertools.count(1)
        self._id_counter = itertools.count(1)

        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._startup_error: BaseException | None = None
        self.port = 0

    # -- lifecycle ------------------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What a WebClient's ``base_url`` should be."""
        return f"{self.url}/api/"

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> FakeSlack:
        """Start serving; returns once the port is bound."""
        if self._thread is not None:
            raise RuntimeError("FakeSlack already started")
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), name="FakeSlack", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("FakeSlack did not start within 10 s")
        if self._startup_error is not None:
            self._thread.join()
            self._thread = None
            raise RuntimeError("FakeSlack failed to start") from self._startup_error
        return self

    def stop(self) -> None:
        """Close WebSockets and the server, stop the loop and join the thread. Idempotent.

        Close Socket Mode handlers first: slack_sdk reconnects when the server closes its socket.
        """
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(15)
        self._thread = None

    def _run(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._serve())
        except BaseException as error:  # reported to start()'s caller
            self._startup_error = error
            ready.set()
            loop.close()
            return
        ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self._shutdown())
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _serve(self) -> None:
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/response/{name:.*}", self._handle_response_url)
        app.router.add_get("/link{tail:.*}", self._handle_socket)
        app.on_shutdown.append(self._close_sockets)
        # A short shutdown timeout: a test that stops the fake mid-request must not wait a minute.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _close_sockets(self, _app: web.Application) -> None:
        with self._lock:
            sockets = list(self._sockets)
        for ws in sockets:
            with contextlib.suppress(TimeoutError, ConnectionError):
                await asyncio.wait_for(ws.close(code=WSCloseCode.GOING_AWAY, message=b"fake stopping"), 1.0)

    # -- recording helpers ----------------------------------------------------------------------------------------

    def _bump(self) -> None:
        """Record that state changed (caller holds the lock) and wake every waiter."""
        self._version += 1
        self._changed.notify_all()

    def _next_ts(self) -> str:
        micros = next(self._ts_counter) * 100
        return f"{1_700_000_000 + micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._id_counter):08X}"

    @property
    def calls(self) -> list[Call]:
        """Every Web API call so far, oldest first (a snapshot)."""
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        """The recorded calls to ``method``."""
        with self._lock:
            return [c for c in self._calls if c.method == method]

    def clear_calls(self) -> None:
        """Forget recorded calls, rejections, warnings, response_url posts and socket acks (not messages)."""
        with self._lock:
            self._calls.clear()
            self._rejected.clear()
            self._warnings.clear()
            self._responses.clear()
            self._socket_acks.clear()
            self._bump()

    @property
    def rejected(self) -> list[tuple[str, list[str]]]:
        """(method, problems) for every payload refused by Block Kit / message validation."""
        with self._lock:
            return list(self._rejected)

    @property
    def warnings(self) -> list[tuple[str, str]]:
        """(method, warning) for accepted payloads that deserve attention (e.g. blocks without ``text``)."""
        with self._lock:
            return list(self._warnings)

    def assert_no_problems(self) -> None:
        """Fail if any payload was rejected or warned about."""
        with self._lock:
            if self._rejected or self._warnings:
                raise AssertionError(f"Slack fake saw problems:\n{self.dump()}")

    def messages(self, channel: str | None = None) -> list[Message]:
        """Current messages (after updates and deletions) in ``channel`` or everywhere, in posting order."""
        with self._lock:
            return [copy.deepcopy(m) for m in self._messages if channel is None or m.channel == channel]

    def message(self, channel: str, ts: str) -> Message | None:
        """The current version of one message, or None if it does not exist (any more)."""
        with self._lock:
            found = self._find_message(channel, ts)
            return copy.deepcopy(found) if found else None

    def add_message(
        self,
        channel: str,
        text: str,
        *,
        user: str = "U1",
        blocks: list[Json] | None = None,
        thread_ts: str | None = None,
    ) -> Message:
        """Seed a message written by someone else (the bot may not update or delete it)."""
        with self._lock:
            msg = Message(channel, self._next_ts(), text, copy.deepcopy(blocks), thread_ts, user=user)
            self._messages.append(msg)
            self._bump()
            return copy.deepcopy(msg)

    def ephemerals(self, channel: str | None = None, user: str | None = None) -> list[Ephemeral]:
        """Ephemeral messages (chat.postEphemeral and ephemeral response_url answers), oldest first."""
        with self._lock:
            return [
                copy.deepcopy(e)
                for e in self._ephemerals
                if (channel is None or e.channel == channel) and (user is None or e.user == user)
            ]

    @property
    def views(self) -> dict[str, Json]:
        """Every view opened, pushed or published, by view id (current version)."""
        with self._lock:
            return {vid: copy.deepcopy(v.view) for vid, v in self._views.items()}

    def home_view(self, user_id: str) -> Json | None:
        """The Home tab last published for ``user_id``."""
        with self._lock:
            vid = self._home_view_ids.get(user_id)
            return copy.deepcopy(self._views[vid].view) if vid else None

    def response_url(
        self,
        name: str | None = None,
        *,
        channel: str | None = None,
        user: str | None = None,
        message_ts: str | None = None,
    ) -> str:
        """A response_url served by the fake; posts to it are recorded under ``name``.

        Bind it to a ``channel`` (and ``user`` / ``message_ts``) to make posts act like Slack's:
        ``in_channel`` adds a channel message, the default ephemeral response lands in ``ephemerals``,
        ``replace_original`` / ``delete_original`` change the bound message.
        """
        name = name or uuid.uuid4().hex
        with self._lock:
            self._bindings[name] = _Binding(channel, user, message_ts)
        return f"{self.url}/response/{name}"

    def responses(self, name: str | None = None) -> list[ResponsePost]:
        """Posts received on response URLs (all, or those for ``name``)."""
        with self._lock:
            return [r for r in self._responses if name is None or r.name == name]

    # -- error injection ------------------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls to ``method`` (or ``"response_url"``) fail.

        ``status=429`` defaults to ``error="ratelimited"``; ``retry_after`` adds a ``Retry-After`` header. Queued
        failures are used in order.
        """
        if error is None:
            error = "ratelimited" if status == 429 else "internal_error"
        with self._lock:
            self._failures.setdefault(method, []).append(_Failure(status, error, retry_after, times))

    def _take_failure(self, method: str) -> _Failure | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return failure

    # -- waiting --------------------------------------------------------------------------------------------------

    def wait_for(self, predicate: Callable[[], T | None], timeout: float = 5.0, *, what: str = "condition") -> T:
        """Block until ``predicate()`` is truthy and return its value; AssertionError with a dump on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                version = self._version
            result = predicate()
            if result:
                return result
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(self._timeout_report(what, timeout))
            with self._changed:
                if self._version == version:
                    # Bounded wait: a predicate may also depend on state the fake does not own.
                    self._changed.wait(min(remaining, 0.1))

    async def wait_for_async(
        self, predicate: Callable[[], T | None], timeout: float = 5.0, *, what: str = "condition"
    ) -> T:
        """``wait_for`` for coroutines: polls without blocking the running loop."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            if time.monotonic() >= deadline:
                raise AssertionError(self._timeout_report(what, timeout, in_coroutine=False))
            await asyncio.sleep(0.005)

    def _calls_matching(self, method: str, count: int, where: Callable[[Json], bool]) -> Callable[[], list[Call]]:
        def matching() -> list[Call]:
            found = [c for c in self.calls_to(method) if where(c.args)]
            return found if len(found) >= count else []

        return matching

    def wait_for_call(
        self, method: str, count: int = 1, timeout: float = 5.0, where: Callable[[Json], bool] = lambda args: True
    ) -> list[Call]:
        """Wait until ``count`` calls to ``method`` whose args satisfy ``where`` arrived; return all such calls."""
        return self.wait_for(self._calls_matching(method, count, where), timeout, what=f"{count} x {method}")

    async def wait_for_call_async(
        self, method: str, count: int = 1, timeout: float = 5.0, where: Callable[[Json], bool] = lambda args: True
    ) -> list[Call]:
        """``wait_for_call`` for coroutines."""
        return await self.wait_for_async(
            self._calls_matching(method, count, where), timeout, what=f"{count} x {method}"
        )

    def _responses_matching(self, name: str | None, count: int) -> Callable[[], list[ResponsePost]]:
        def matching() -> list[ResponsePost]:
            found = self.responses(name)
            return found if len(found) >= count else []

        return matching

    def wait_for_response(self, name: str | None = None, count: int = 1, timeout: float = 5.0) -> list[ResponsePost]:
        """Wait for ``count`` response_url posts (to ``name`` if given)."""
        return self.wait_for(self._responses_matching(name, count), timeout, what=f"{count} response_url post(s)")

    async def wait_for_response_async(
        self, name: str | None = None, count: int = 1, timeout: float = 5.0
    ) -> list[ResponsePost]:
        """``wait_for_response`` for coroutines."""
        return await self.wait_for_async(
            self._responses_matching(name, count), timeout, what=f"{count} response_url post(s)"
        )

    def _timeout_report(self, what: str, timeout: float, *, in_coroutine: bool | None = None) -> str:
        if in_coroutine is None:
            try:
                asyncio.get_running_loop()
                in_coroutine = True
            except RuntimeError:
                in_coroutine = False
        hint = (
            "\nHINT: called from a running event loop; an app on that loop could not run meanwhile. "
            "Use the *_async waiter."
            if in_coroutine
            else ""
        )
        return f"Timed out after {timeout:.1f}s waiting for {what}.{hint}\n{self.dump()}"

    def dump(self, last: int = 30) -> str:
        """A readable summary of what the fake saw (used in failure messages)."""
        with self._lock:
            lines = [f"Web API calls ({len(self._calls)}, last {last}):"]
            for c in self._calls[-last:]:
                args = {k: v for k, v in c.args.items() if k not in ("token", "blocks", "view")}
                extras = [k for k in ("blocks", "view") if k in c.args]
                outcome = "ok" if c.ok else f"error={c.error}"
                lines.append(
                    f"  {c.method} [{c.status} {outcome}] {_short(args)} {'+' + '+'.join(extras) if extras else ''}"
                )
            lines.append(f"response_url posts ({len(self._responses)}):")
            lines += [f"  {r.name} [{r.status}] {_short(r.body)}" for r in self._responses[-last:]]
            lines.append(f"messages ({len(self._messages)}):")
            lines += [f"  {m.channel} {m.ts} edits={m.edits} {_short(m.text)}" for m in self._messages[-last:]]
            lines.append(f"socket: {len(self._sockets)} connected, {len(self._socket_sent)} sent, acks:")
            lines += [f"  {a.envelope_id} {_short(a.payload)}" for a in self._socket_acks[-last:]]
            lines.append(f"rejected: {self._rejected}")
            lines.append(f"warnings: {self._warnings}")
            return "\n".join(lines)

    # -- Web API --------------------------------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _read_args(request)
        headers = dict(request.headers)
        token = _bearer(headers) or (args.get("token") if isinstance(args.get("token"), str) else None)
        delay = self.latency.get(method)
        if delay:
            await asyncio.sleep(delay)
        extra_headers: dict[str, str] = {}
        with self._lock:
            failure = self._take_failure(method)
            if failure is not None:
                status, body = failure.status, {"ok": False, "error": failure.error}
                if failure.retry_after is not None:
                    extra_headers["Retry-After"] = str(failure.retry_after)
            else:
                status = 200
                try:
                    body = self._dispatch(method, args, token, headers, extra_headers)
                except _Reject as reject:
                    body = reject.body
            self._calls.append(Call(method, args, headers, time.time(), token, status, body))
            self._bump()
        return web.json_response(body, status=status, headers=extra_headers)

    def _dispatch(
        self, method: str, args: Json, token: str | None, headers: Mapping[str, str], extra_headers: dict[str, str]
    ) -> Json:
        if method == "oauth.v2.access":
            return self._oauth_v2_access(args, headers)
        if method not in _CLIENT_CREDENTIAL_METHODS:
            self._check_token(method, token)
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return {"ok": True}
        body: Json = handler(args, token, extra_headers)
        return body

    def _check_token(self, method: str, token: str | None) -> None:
        if not token:
            raise _Reject("not_authed")
        if token in self.invalid_tokens:
            raise _Reject("invalid_auth")
        wanted = "xapp-" if method == "apps.connections.open" else "xoxb-"
        if not token.startswith(wanted):
            raise _Reject("not_allowed_token_type" if token.startswith(("xapp-", "xoxb-")) else "invalid_auth")

    def _token_info(self, token: str | None) -> _TokenInfo:
        return self._tokens.get(token or "") or _TokenInfo(self.team_id, self.team_name, self.bot_user_id)

    def _may_post(self, channel: str) -> bool:
        if not (self.strict_membership or self.bot_channels):
            return True
        # DMs and user ids (which open the app's DM) never need membership.
        return channel in self.bot_channels or channel.startswith(("D", "U", "W"))

    def _check_message(self, method: str, args: Mapping[str, Any], *, require_content: bool = True) -> None:
        """Refuse what Slack refuses (``_Reject``); record a warning for blocks without fallback text."""
        blocks = args.get("blocks")
        if isinstance(blocks, str):
            self._rejected.append((method, [f"blocks is not valid JSON: {blocks[:80]!r}"]))
            raise _Reject("invalid_blocks_format")
        if blocks is not None:
            problems = validate_blocks(blocks)
            if problems:
                self._rejected.append((method, problems))
                raise _Reject(**_problems_body("invalid_blocks", problems))
        text = args.get("text")
        if isinstance(text, str) and len(text) > MAX_TEXT:
            self._rejected.append((method, [f"text is {len(text)} characters; max {MAX_TEXT}"]))
            raise _Reject("msg_too_long")
        has_text = isinstance(text, str) and bool(text.strip())
        if require_content and not has_text and not blocks and not args.get("attachments"):
            self._rejected.append((method, ["neither text nor blocks"]))
            raise _Reject("no_text")
        if blocks and not has_text:
            self._warnings.append((method, "blocks without top-level text: notifications and screen readers get none"))

    def _find_message(self, channel: str, ts: str) -> Message | None:
        return next((m for m in self._messages if m.channel == channel and m.ts == ts), None)

    def _m_auth_test(self, args: Json, token: str | None, extra_headers: dict[str, str]) -> Json:
        info = self._token_info(token)
        # bolt's single-team authorization reads granted scopes from this header.
        extra_headers["x-oauth-scopes"] = self.bot_scopes
        return {
            "ok": True,
            "url": f"https://{self.team_domain}.slack.com/",
            "team": info.team_name,
            "user": "statusbot",
            "team_id": info.team_id,
            "user_id": info.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _m_chat_postMessage(self, args: Json, token: str | None, extra_headers: dict[str, str]) -> Json:
        channel = args.get("channel")
        if not isinstance(channel, str) or not channel:
            raise _Reject("channel_not_found")
        if not self._may_post(channel):
            raise _Reject("not_in_channel")
        self._check_message("chat.postMessage", args)
        info = self._token_info(token)
        msg = Message(
            channel,
            self._next_ts(),
            args.get("text"),
            copy.deepcopy(args.get("blocks")),
            args.get("thread_ts") or None,
            user=info.bot_user_id,
            bot_id=self.bot_id,
            metadata=copy.deepcopy(args.get("metadata")),
        )
        self._messages.append(msg)
        return {"ok": True, "channel": channel, "ts": msg.ts, "message": msg.to_dict()}

    def _m_chat_update(self, args: Json, token: str | None, extra_headers: dict[str, str]) -> Json:
        channel, ts = args.get("channel"), args.get("ts")
        msg = self._find_message(str(channel), str(ts))
        if msg is None:
            raise _Reject("message_not_found")
        if msg.user != self._token_info(token).bot_user_id:
            raise _Reject("cant_update_message")
        if not any(k in args for k in ("text", "blocks", "attachments")):
            self._rejected.append(("chat.update", ["neither text nor blocks"]))
            raise _Reject("no_text")
        self._check_message("chat.update", args, require_content=False)
        if "text" in args:
            msg.text = args["text"]
        # Slack keeps the old blocks when none are given; an empty list removes them.
        if "blocks" in args:
            msg.blocks = copy.deepcopy(args["blocks"])
        msg.edits += 1
        return {"ok": True, "channel": msg.channel, "ts": msg.ts, "text": msg.text or "", "message": msg.to_dict()}

    def _m_chat_delete(self, args: Json, token: str | None, extra_headers: dict[str, str]) -> Json:
        msg = self._find_message(str(args.get("channel")), str(args.get("ts")))
        if msg is None:
            raise _Reject("message_not_found")
        if msg.user != self._token_info(token).bot_user_id:
            raise _Reject("cant_delete_message")
        self._messages.remove(msg)
        return {"ok": True, "channel": msg.channel, "ts": msg.ts}

    def _m_chat_postEphemeral(self, args: Json, token: str | None, extra_headers: dict[str, str]) -> Json:
        channel, user = args.get("channel"), args.get("user")
        if not isinstance(channel, str) or not channel:
            raise _Reject("channel_not_found")
        if not user:
            raise _Reject("user_not_found")
        if not self._may_post(channel):
            raise _Reject("not_in_channel")
        self._check_message("chat.postEphemeral", args)
        ts = self._next_ts()
        self._ephemerals.append(
            Ephemeral(
                channel,
                str(user),
                ts,
                args.get("text"),
                copy.deepcopy(args.get("blocks")),
                "chat.postEphemeral",
                args.get("thread_ts") or None,
            )
        )
        return {"ok": True, "message_ts": ts}

    def _check_view(self, method: str, args: Json, *, kind: str | None) -> Json:
        view = args.get("view")
        if isinstance(view, str):
            self._rejected.append((method, [f"view is not valid JSON: {view[:80]!r}"]))
            raise _Reject(**_problems_body("invalid_arguments", ["view is not valid JSON"]))
        if view is None:
            self._rejected.append((method, ["missing required field: view"]))
            raise _Reject(**_problems_body("invalid_arguments", ["missing required field: view"]))
        problems = validate_view(view)
        if not problems and kind is not None and view.get("type") != kind:
            problems = [f"view.type: must be {kind!r} for {method}"]
        if problems:
            self._rejected.append((method, problems))
            raise _Reject(**_problems_body("invalid_arguments", problems))
        return dict(view)

    def _store_view(
        self, view: Json, token: str | None, *, view_id: str | None = None, root: str | None = None
    ) -> Json:
        info = self._token_info(token)
        view_id = view_id or self._next_id("V")
        stored = {
            **copy.deepcopy(view),
            "id": view_id,
            "team_id": info.team_id,
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{uuid.uuid4().hex[:8]}",
            "root_view_id": root or view_id,
            "previous_view_id": None,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
        }
        stored.setdefault("private_metadata", "")
        stored.setdefault("callback_id", "")
        stored.setdefault("external_id", "")
        return stored

    def _trigger(self, method: str, args: Json) -> None:
        if not args.get("trigger_id") and not args.get("interactivity_pointer"):
            self._rejected.append((method, ["missing required field: trigger_id"]))
            raise _Reject(**_problems_body("invalid_arguments", ["missing required field: trigger_id"]))

    def _m_views_open(self, args: Json, token: str | None, extra_headers: dict[str, str]) -> Json:
        self._trigger("views.open", args)
        stored = self._store_view(self._check_view("views.open", args, kind="modal"), token)
        self._views[stored["id"]] = _View(stored)
        return {"ok": True, "view": copy.deepcopy(stored)}

    def _m_views_push(self, args: Json, token: str | None, extra_headers: dict[str, str]) -> Json:
        self._trigger("views.push", args)
        stored = self._store_view(self._check_view("views.push", args, kind="modal"), token)
        self._views[stored["id"]] = _View(stored)
        return {"ok": True, "view": copy.deepcopy(stored)}

    def _m_views_publish(self, args: Json, token: str | None, extra_headers: dict[str, str]) -> Json:
        user = args.get("user_id")
        if not user:
            raise _Reject(**_problems_body("invalid_arguments", ["missing required field: user_id"]))
        view = self._check_view("views.publish", args, kind="home")
        # A user's Home tab keeps its view id across publishes.
        stored = self._store_view(view, token, view_id=self._home_view_ids.get(str(user)))
        self._views[stored["id"]] = _View(stored, str(user))
        self._home_view_ids[str(user)] = stored["id"]
        return {"ok": True, "view": copy.deepcopy(stored)}

    def _m_views_update(self, args: Json, token: str | None, extra_headers: dict[str, str]) -> Json:
        view_id, external_id = args.get("view_id"), args.get("external_id")
        current = self._views.get(str(view_id)) if view_id else None
        if current is None and external_id:
            current = next((v for v in self._views.values() if v.view.get("external_id") == external_id), None)
        if current is None:
            raise _Reject("not_found")
        if args.get("hash") and args["hash"] != current.view["hash"]:
            raise _Reject("hash_conflict")
        view = self._check_view("views.update", args, kind=None)
        stored = self._store_view(view, token, view_id=current.view["id"], root=current.view["root_view_id"])
        current.view = stored
        return {"ok": True, "view": copy.deepcopy(stored)}

    def _m_users_info(self, args: Json, token: str | None, extra_headers: dict[str, str]) -> Json:
        user = args.get("user")
        if not isinstance(user, str) or not user:
            raise _Reject("user_not_found")
        info = self._token_info(token)
        name = user.lower()
        profile = {"display_name": name, "real_name": f"User {user}", "team": info.team_id}
        record: Json = {
            "id": user,
            "team_id": info.team_id,
            "name": name,
            "real_name": f"User {user}",
            "deleted": False,
            "is_bot": user == info.bot_user_id,
            "is_app_user": False,
            # Slack marks owners as admins too.
            "is_admin": user in self.admins or user in self.owners,
            "is_owner": user in self.owners,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "tz": "Europe/London",
            "tz_offset": 0,
            "profile": profile,
        }
        record.update(copy.deepcopy(self.users.get(user, {})))
        return {"ok": True, "user": record}

    def _m_conversations_info(self, args: Json, token: str | None, extra_headers: dict[str, str]) -> Json:
        channel = args.get("channel")
        if not isinstance(channel, str) or not channel:
            raise _Reject("channel_not_found")
        return {
            "ok": True,
            "channel": {
                "id": channel,
                "name": self.channel_names.get(channel, channel.lower()),
                "is_channel": channel.startswith("C"),
                "is_group": channel.startswith("G"),
                "is_im": channel.startswith("D"),
                "is_private": channel.startswith(("G", "D")),
                "is_archived": False,
                "is_member": self._may_post(channel) if (self.strict_membership or self.bot_channels) else True,
                "context_team_id": self._token_info(token).team_id,
                "created": 1_600_000_000,
            },
        }

    def _oauth_v2_access(self, args: Json, headers: Mapping[str, str]) -> Json:
        client_id, client_secret = _basic_auth(headers)
        client_id = client_id or args.get("client_id")
        client_secret = client_secret or args.get("client_secret")
        if not client_id:
            raise _Reject("invalid_client_id")
        if not client_secret:
            raise _Reject("bad_client_secret")
        code = args.get("code")
        if not isinstance(code, str) or not code or code in self._used_codes:
            raise _Reject("invalid_code")
        self._used_codes.add(code)  # codes are single-use on Slack too
        grant = self.oauth_grants.get(code) or OAuthGrant(self.team_id, self.team_name, bot_user_id=self.bot_user_id)
        token = f"xoxb-{grant.team_id}-{next(self._id_counter)}-{uuid.uuid4().hex[:24]}"
        self._tokens[token] = _TokenInfo(grant.team_id, grant.team_name, grant.bot_user_id)
        return {
            "ok": True,
            "app_id": self.app_id,
            "authed_user": {"id": grant.user_id},
            "scope": grant.scope,
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": grant.bot_user_id,
            "team": {"id": grant.team_id, "name": grant.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _m_apps_uninstall(self, args: Json, token: str | None, extra_headers: dict[str, str]) -> Json:
        if token:
            self.invalid_tokens.add(token)
        return {"ok": True}

    def _m_auth_revoke(self, args: Json, token: str | None, extra_headers: dict[str, str]) -> Json:
        if token:
            self.invalid_tokens.add(token)
        return {"ok": True, "revoked": True}

    def _m_apps_connections_open(self, args: Json, token: str | None, extra_headers: dict[str, str]) -> Json:
        return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link?ticket={uuid.uuid4()}"}

    # -- response_url ---------------------------------------------------------------------------------------------

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        raw = await request.read()
        headers = dict(request.headers)
        delay = self.latency.get("response_url")
        if delay:
            await asyncio.sleep(delay)
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        with self._lock:
            status, answer = self._response_url_post(name, body)
            self._responses.append(ResponsePost(name, body, headers, time.time(), status))
            self._bump()
        return web.json_response(answer, status=status)

    def _response_url_post(self, name: str, body: Any) -> tuple[int, Json]:
        failure = self._take_failure("response_url")
        if failure is not None:
            return failure.status, {"ok": False, "error": failure.error}
        if not isinstance(body, dict):
            self._rejected.append(("response_url", ["body is not a JSON object"]))
            return 400, {"ok": False, "error": "invalid_payload"}
        uses = sum(1 for r in self._responses if r.name == name) + 1
        if uses > RESPONSE_URL_USES:
            self._warnings.append(("response_url", f"{name}: used {uses} times; Slack allows {RESPONSE_URL_USES}"))
        binding = self._bindings.get(name, _Binding(None, None, None))
        original = (
            self._find_message(binding.channel, binding.message_ts) if binding.channel and binding.message_ts else None
        )
        if body.get("delete_original"):
            if original is not None:
                self._messages.remove(original)
            return 200, {"ok": True}
        try:
            self._check_message("response_url", body)
        except _Reject as reject:
            # Slack answers response_url mistakes with HTTP 4xx; respond() does not raise on them.
            return 400, reject.body
        if body.get("replace_original") and original is not None:
            original.text, original.blocks = body.get("text"), copy.deepcopy(body.get("blocks"))
            original.edits += 1
        elif body.get("response_type") == "in_channel" and binding.channel:
            self._messages.append(
                Message(
                    binding.channel,
                    self._next_ts(),
                    body.get("text"),
                    copy.deepcopy(body.get("blocks")),
                    body.get("thread_ts"),
                    user=self.bot_user_id,
                    bot_id=self.bot_id,
                )
            )
        elif body.get("response_type") != "in_channel":
            self._ephemerals.append(
                Ephemeral(
                    binding.channel,
                    binding.user,
                    self._next_ts(),
                    body.get("text"),
                    copy.deepcopy(body.get("blocks")),
                    "response_url",
                )
            )
        return 200, {"ok": True}

    # -- Socket Mode ----------------------------------------------------------------------------------------------

    async def _handle_socket(self, request: web.Request) -> web.WebSocketResponse:
        # autoping answers slack_sdk's pings, which it uses to detect stale connections.
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": self.socket_connections + 1,
                "debug_info": {"host": "fake-slack", "build_number": 1, "approximate_connection_time": 18060},
                "connection_info": {"app_id": self.app_id},
            }
        )
        # Registered only once greeted, so socket_send never overtakes the hello.
        with self._lock:
            self._sockets.append(ws)
            self._bump()
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    self._record_socket_frame(msg.data)
        finally:
            with self._lock:
                self._sockets.remove(ws)
                self._bump()
        return ws

    def _record_socket_frame(self, data: str) -> None:
        try:
            frame = json.loads(data)
        except ValueError:
            frame = None
        if not isinstance(frame, dict) or "envelope_id" not in frame:
            with self._lock:
                self._warnings.append(("socket", f"unexpected frame from the client: {data[:200]!r}"))
                self._bump()
            return
        payload = frame.get("payload")
        with self._lock:
            sent = next((e for e in self._socket_sent if e["envelope_id"] == frame["envelope_id"]), None)
            if isinstance(payload, dict):
                problems = _ack_problems(sent["type"] if sent else None, payload)
                if problems:
                    self._rejected.append(("socket_ack", problems))
            self._socket_acks.append(SocketAck(frame["envelope_id"], payload, time.time(), frame))
            self._bump()

    @property
    def socket_connections(self) -> int:
        """How many Socket Mode clients are connected now."""
        with self._lock:
            return len(self._sockets)

    @property
    def socket_acks(self) -> list[SocketAck]:
        """Acknowledgement frames received, oldest first."""
        with self._lock:
            return list(self._socket_acks)

    @property
    def socket_sent(self) -> list[Json]:
        """Envelopes sent with ``socket_send``."""
        with self._lock:
            return copy.deepcopy(self._socket_sent)

    def socket_connected(self, timeout: float = 5.0, count: int = 1) -> int:
        """Wait until ``count`` Socket Mode clients are connected (and greeted); return how many are."""
        return self.wait_for(
            lambda: self.socket_connections >= count and self.socket_connections,
            timeout,
            what=f"{count} Socket Mode connection(s)",
        )

    async def socket_connected_async(self, timeout: float = 5.0, count: int = 1) -> int:
        """``socket_connected`` for coroutines."""
        return await self.wait_for_async(
            lambda: self.socket_connections >= count and self.socket_connections,
            timeout,
            what=f"{count} Socket Mode connection(s)",
        )

    def _ack_for(self, envelope_id: str) -> Callable[[], SocketAck | None]:
        def find() -> SocketAck | None:
            with self._lock:
                return next((a for a in self._socket_acks if a.envelope_id == envelope_id), None)

        return find

    def wait_for_socket_ack(self, envelope_id: str, timeout: float = 5.0) -> SocketAck:
        """Wait for the client's ack of ``envelope_id``. Bolt sends none when no listener acked (non-200)."""
        return self.wait_for(self._ack_for(envelope_id), timeout, what=f"socket ack of {envelope_id}")

    async def wait_for_socket_ack_async(self, envelope_id: str, timeout: float = 5.0) -> SocketAck:
        """``wait_for_socket_ack`` for coroutines."""
        return await self.wait_for_async(self._ack_for(envelope_id), timeout, what=f"socket ack of {envelope_id}")

    def socket_send(
        self,
        type: str,
        payload: Mapping[str, Any],
        accepts_response_payload: bool = True,
        *,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> str:
        """Push an envelope (``slash_commands``, ``interactive`` or ``events_api``) and return its envelope_id.

        Like Slack, one envelope goes to one connection: the newest. Safe to call from any thread but the fake's.
        """
        envelope_id = str(uuid.uuid4())
        envelope: Json = {
            "envelope_id": envelope_id,
            "type": type,
            "payload": copy.deepcopy(dict(payload)),
            "accepts_response_payload": accepts_response_payload,
            "retry_attempt": retry_attempt,
            "retry_reason": retry_reason,
        }
        with self._lock:
            self._socket_sent.append(envelope)  # before sending, so the ack always finds its envelope
        self._send_to_socket(envelope)
        return envelope_id

    def socket_disconnect(self, reason: str = "refresh_requested") -> None:
        """Send Slack's ``disconnect`` message; slack_sdk then reconnects through apps.connections.open."""
        self._send_to_socket({"type": "disconnect", "reason": reason, "debug_info": {"host": "fake-slack"}})

    def _send_to_socket(self, message: Json) -> None:
        if self._loop is None:
            raise RuntimeError("FakeSlack is not running")

        async def send() -> bool:
            with self._lock:
                open_sockets = [ws for ws in self._sockets if not ws.closed]
            if not open_sockets:
                return False
            await open_sockets[-1].send_json(message)
            return True

        if not asyncio.run_coroutine_threadsafe(send(), self._loop).result(timeout=5):
            raise AssertionError(f"no Socket Mode client connected to send {message.get('type')!r} to\n{self.dump()}")


# -- module helpers ---------------------------------------------------------------------------------------------------


def _short(value: Any, limit: int = 160) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bearer(headers: Mapping[str, str]) -> str | None:
    auth = headers.get("Authorization", "")
    if not auth.lower().startswith("bearer "):
        return None
    return auth[7:].strip() or None


def _basic_auth(headers: Mapping[str, str]) -> tuple[str | None, str | None]:
    auth = headers.get("Authorization", "")
    if not auth.lower().startswith("basic "):
        return None, None
    try:
        user, _, password = base64.b64decode(auth[6:].strip()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    return user or None, password or None


async def _read_args(request: web.Request) -> Json:
    """Query parameters merged with a JSON, form or multipart body; JSON-in-form fields decoded."""
    args: Json = dict(request.query)
    if request.content_type == "application/json":
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = {"__invalid_json__": raw.decode(errors="replace")}
        if isinstance(body, dict):
            args.update(body)
    elif request.can_read_body:
        form = await request.post()
        for key, field_value in form.items():
            # Uploads are recorded by name only; no method the bot uses sends files.
            args[key] = (
                field_value if isinstance(field_value, str) else f"<file {getattr(field_value, 'filename', '?')}>"
            )
    for key in _JSON_FIELDS:
        value = args.get(key)
        if isinstance(value, str):
            # Malformed JSON stays a string: the method handler reports it.
            with contextlib.suppress(ValueError):
                args[key] = json.loads(value)
    return args


def _ack_problems(envelope_type: str | None, payload: Mapping[str, Any]) -> list[str]:
    """Problems with a Socket Mode ack payload (a slash command answer, or a view_submission response_action)."""
    action = payload.get("response_action")
    if action in ("update", "push"):
        return validate_view(payload.get("view"))
    if action is not None or envelope_type == "events_api":
        return []
    return validate_message(payload, require_content=False)
