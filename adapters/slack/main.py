"""``statusbot slack``: settings checked, the database opened, then Socket Mode or the HTTP server runs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler, AsyncServerErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import Engine

from adapters.chat import metrics
from adapters.chat.logs import announce, quiet_libraries
from adapters.chat.ops import Address, OpsServer, drain, listen, read_address
from adapters.chat.quiz_clock import QuizClock
from adapters.chat.runtime import ChatRuntime, Sender
from adapters.chat.settings import SettingError, open_database, retention_days
from adapters.slack.app import SlackBot
from adapters.slack.sender import SlackSender
from adapters.slack.server import EVENTS_PATH, INSTALL_PATH, REDIRECT_PATH, web_app
from adapters.slack.settings import SlackSettings, read_settings
from bot.conversation import Conversation, default_quiz
from bot.platform import Platform
from bot.storage.message_keys import MessageKeys
from knowledge import knowledge

if TYPE_CHECKING:
    from adapters.slack.oauth import InstallationStore

log = logging.getLogger(__name__)
# exactly what the listeners use; slack/manifest.yml asks for the same
SCOPES = [
    "commands",
    "chat:write",
    "users:read",
    "app_mentions:read",
    "im:history",
    "channels:history",
    "groups:history",
]
TYPED_SCOPE = "channels:history"


class CountErrors(AsyncRetryHandler):
    """Never retries: last among a client's retry handlers, it sees each call's final outcome (the handlers before
    it stop at the first that retries), and counts the failures. A retry handler because bolt gives every request
    a fresh client carrying our client's handlers: the one place that sees every Web API call."""

    async def can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        body = response.body if response is not None else None
        refused = response is not None and (response.status_code >= 400 or (body or {}).get("ok") is False)
        if error is not None or refused:
            metrics.api_error("slack", request.url.rsplit("/", 1)[-1].partition("?")[0])
        return False


def web_client(settings: SlackSettings, token: str | None) -> AsyncWebClient:
    """A Web API client for one token; a 429 waits for its Retry-After, a 5xx is tried again; failures counted."""
    client = AsyncWebClient(token=token, base_url=settings.api_url)
    client.retry_handlers.extend(
        [AsyncRateLimitErrorRetryHandler(max_retry_count=3), AsyncServerErrorRetryHandler(), CountErrors()]
    )
    return client


async def check_token(client: AsyncWebClient, settings: SlackSettings) -> tuple[AuthorizeResult, list[str]]:
    """auth.test once at start: a rejected token or an unreachable Slack is one clear line."""
    try:
        response = await client.auth_test()
    except SlackApiError as error:
        raise SettingError(
            f"SLACK_BOT_TOKEN was rejected by Slack ({error.response.get('error')}): copy the Bot User OAuth Token "
            "(xoxb-…) from the app's OAuth & Permissions page"
        ) from None
    except Exception as error:
        reason = str(error) or type(error).__name__
        raise SettingError(f"could not reach Slack at SLACK_API_URL={settings.api_url} ({reason})") from None
    scopes = [s.strip() for s in str(response.headers.get("x-oauth-scopes", "")).split(",") if s.strip()]
    result = AuthorizeResult(
        enterprise_id=response.get("enterprise_id"),
        team_id=response.get("team_id"),
        team=response.get("team"),
        url=response.get("url"),
        bot_user_id=response.get("user_id"),
        bot_id=response.get("bot_id"),
        bot_token=client.token,
        bot_scopes=scopes,
    )
    return result, scopes


class SlackRun:
    """One ``statusbot slack`` process: the bolt app, the quiz clock and the chosen transport."""

    def __init__(self, settings: SlackSettings, engine: Engine, ops: Address | None = None) -> None:
        self.settings = settings
        self.ops = OpsServer("slack", ops) if ops is not None else None  # /healthz and /metrics on METRICS_PORT
        self.engine = engine
        self.client = web_client(settings, settings.bot_token or None)
        self._clients: dict[str, AsyncWebClient] = {}
        self.installations: InstallationStore | None = None
        self.port: int | None = None  # the port HTTP mode listens on, once it does

    async def build(self) -> tuple[AsyncApp, ChatRuntime]:
        """The app and its runtime; checks the token first in single-workspace mode."""
        settings = self.settings
        options: dict[str, Any] = {"client": self.client, "process_before_response": False}
        typed = True
        if not settings.oauth:
            authorized, scopes = await check_token(self.client, settings)
            typed = not scopes or TYPED_SCOPE in scopes

            async def authorize(**_: Any) -> AuthorizeResult:
                return authorized

            options["authorize"] = authorize
        if settings.socket_mode:
            options["request_verification_enabled"] = False
        else:
            options["signing_secret"] = settings.signing_secret
        kb = knowledge()
        conversation = Conversation(
            kb,
            platform=Platform("slack", private_answers=True, channel_messages=typed, shared=True),
            quiz=lambda: default_quiz(kb, self.engine),
        )
        runtime = ChatRuntime(conversation, MessageKeys(self.engine, "slack"))
        if settings.oauth:
            from adapters.slack.oauth import InstallationStore, StateStore  # only multi-workspace installs need it

            self.installations = InstallationStore(self.engine, settings.client_id, runtime)
            states = StateStore(self.engine, settings.state_secret, runtime)
            await runtime.blocking(self.installations.create_tables)
            await runtime.blocking(states.create_tables)
            options["installation_store"] = self.installations
            oauth = AsyncOAuthSettings(
                client_id=settings.client_id,
                client_secret=settings.client_secret,
                scopes=SCOPES,
                installation_store=self.installations,
                state_store=states,
                install_path=INSTALL_PATH,
                redirect_uri_path=REDIRECT_PATH,
            )
            # the installation is still read per request (an uninstall takes effect at once), but the auth.test
            # bolt makes for its token is remembered instead of repeated on every command and click
            oauth.authorize = AsyncInstallationStoreAuthorize(
                logger=log,
                client_id=settings.client_id,
                client_secret=settings.client_secret,
                installation_store=self.installations,
                cache_enabled=True,
            )
            options["oauth_settings"] = oauth
        app = AsyncApp(**options)
        if settings.oauth:
            app.enable_token_revocation_listeners()
        SlackBot(app, runtime)
        return app, runtime

    async def sender_for(self, workspace: str) -> Sender | None:
        """The sender of a workspace: the one token, or the bot token its installation stored."""
        if self.installations is None:
            return SlackSender(self.client)
        client = self._clients.get(workspace)
        if client is None:
            bot = await self.installations.async_find_bot(enterprise_id=None, team_id=workspace)
            if bot is None or not bot.bot_token:
                return None
            client = self._clients[workspace] = web_client(self.settings, bot.bot_token)
        return SlackSender(client)

    async def run(self, stop: asyncio.Event) -> None:
        """Serve until ``stop`` is set."""
        app, runtime = await self.build()
        await runtime.warm_up()
        metrics.watch(runtime.conversation)
        clock = asyncio.create_task(QuizClock(runtime, self.sender_for).run())
        try:
            if self.ops is not None:
                await self.ops.start()
            await self._transport(app)(stop)
            # no new requests come in now; the listeners still running get to deliver their replies
            await drain()
        finally:
            if self.ops is not None:
                await self.ops.stop()
            clock.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await clock
            runtime.close()

    def _transport(self, app: AsyncApp) -> Callable[[asyncio.Event], Awaitable[None]]:
        return self._socket_mode(app) if self.settings.socket_mode else self._http(app)

    def _socket_mode(self, app: AsyncApp) -> Callable[[asyncio.Event], Awaitable[None]]:
        async def serve(stop: asyncio.Event) -> None:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            try:  # asked once here: slack_sdk's connect() retries a refused token every 10 s, forever
                opened = await self.client.apps_connections_open(app_token=self.settings.app_token)
            except SlackApiError as error:
                raise SettingError(
                    f"SLACK_APP_TOKEN was rejected by Slack ({error.response.get('error')}): create an app-level "
                    "token with connections:write on the app's Basic Information page"
                ) from None
            handler = AsyncSocketModeHandler(app, self.settings.app_token, web_client=self.client)
            handler.client.wss_uri = str(opened["url"])
            await handler.connect_async()  # type: ignore[no-untyped-call]
            announce("statusbot slack: connected to Slack in Socket Mode")
            try:
                await stop.wait()
            finally:
                await handler.close_async()  # type: ignore[no-untyped-call]

        return serve

    def _http(self, app: AsyncApp) -> Callable[[asyncio.Event], Awaitable[None]]:
        async def serve(stop: asyncio.Event) -> None:
            address = Address(self.settings.host, self.settings.port)
            runner, self.port = await listen(web_app(app), address, "choose another --port (or PORT)")
            announce(f"statusbot slack: listening on http://{self.settings.host}:{self.port}{EVENTS_PATH}")
            try:
                await stop.wait()
            finally:
                await runner.cleanup()

        return serve


def run_slack(host: str | None = None, port: str | None = None) -> int:
    """Entry point of ``statusbot slack``; a wrong setting raises SettingError before anything runs."""
    quiet_libraries()
    settings = read_settings(host, port)
    retention_days()  # checked before anything runs: the quiz purges by it
    ops = read_address()
    engine = open_database()

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await SlackRun(settings, engine, ops).run(stop)

    try:
        asyncio.run(main())
    finally:
        engine.dispose()
    return 0
