"""HTTP mode: the bolt app behind aiohttp (events, interactivity, OAuth install pages, health and metrics)."""

from __future__ import annotations

import itertools
import time

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from adapters.chat.ops import routes

EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


class ReplayGuard:
    """Refuses a signed request seen before: a captured request replayed within Slack's 5-minute window
    would otherwise pass the signature check (bolt checks the signature and the timestamp's age)."""

    def __init__(self, window: float = 310.0, limit: int = 200_000) -> None:
        self.window = window
        self.limit = limit  # signatures remembered at most (memory stays bounded under any load)
        self._seen: dict[str, float] = {}  # in arrival order, so the oldest come first

    def first_time(self, signature: str) -> bool:
        """True the first time a signature is seen within the window."""
        now = time.monotonic()
        seen = self._seen
        for oldest, at in list(itertools.islice(seen.items(), 64)):  # forget a few expired ones per request
            if at >= now - self.window and len(seen) < self.limit:
                break
            del seen[oldest]
        if not signature:
            return True  # unsigned requests are left to bolt, which refuses them
        if signature in seen:
            return False
        seen[signature] = now
        return True


def web_app(app: AsyncApp) -> web.Application:
    """The aiohttp application serving one bolt app."""
    replays = ReplayGuard()

    async def events(request: web.Request) -> web.Response:
        # checked before anything runs; a forged signature recorded here is refused by bolt anyway
        if not replays.first_time(request.headers.get("X-Slack-Signature", "")):
            return web.json_response({"error": "invalid request"}, status=401)
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    async def install(request: web.Request) -> web.Response:
        assert app.oauth_flow is not None
        return await to_aiohttp_response(await app.oauth_flow.handle_installation(await to_bolt_request(request)))

    async def redirect(request: web.Request) -> web.Response:
        assert app.oauth_flow is not None
        return await to_aiohttp_response(await app.oauth_flow.handle_callback(await to_bolt_request(request)))

    web_application = web.Application(client_max_size=1024 * 1024)
    web_application.add_routes([web.post(EVENTS_PATH, events), *routes()])  # /healthz and /metrics
    if app.oauth_flow is not None:
        web_application.add_routes([web.get(INSTALL_PATH, install), web.get(REDIRECT_PATH, redirect)])
    return web_application
