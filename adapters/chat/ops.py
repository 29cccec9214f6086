"""What an operator asks a running chat adapter: ``GET /healthz`` and ``GET /metrics``, and a shutdown that lets the
interactions in flight finish.

Slack's HTTP mode serves both routes on its own server (:func:`routes`); Socket Mode and Discord have no HTTP
server, so :class:`OpsServer` serves them on ``METRICS_PORT`` when it is set.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import NamedTuple

from aiohttp import web

from adapters.chat import metrics
from adapters.chat.logs import announce
from adapters.chat.settings import SettingError, optional, port

log = logging.getLogger(__name__)
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
# container runtimes wait 10 s between SIGTERM and SIGKILL by default: finish what is running well within that
SHUTDOWN_GRACE = 8.0


class Address(NamedTuple):
    """Where the health and metrics server listens."""

    host: str
    port: int


def read_address() -> Address | None:
    """``METRICS_HOST`` (default 0.0.0.0) and ``METRICS_PORT``; None when no port is set (no extra server)."""
    value = optional("METRICS_PORT")
    if not value:
        return None
    return Address(optional("METRICS_HOST") or "0.0.0.0", port(value, "METRICS_PORT"))


def routes(ready: Callable[[], bool] = lambda: True) -> list[web.RouteDef]:
    """``/healthz`` (200 ``{"ok": true}``, or 503 ``{"ok": false}`` while ``ready`` says the bot cannot serve) and
    ``/metrics`` (Prometheus text format)."""

    async def health(_: web.Request) -> web.Response:
        ok = ready()
        return web.json_response({"ok": ok}, status=200 if ok else 503)

    async def scrape(_: web.Request) -> web.Response:
        body, content_type = metrics.exposition()
        return web.Response(body=body, headers={"Content-Type": content_type})

    return [web.get(HEALTH_PATH, health), web.get(METRICS_PATH, scrape)]


class OpsServer:
    """A small aiohttp server with :func:`routes` only; start it, then stop it when the bot stops."""

    def __init__(self, name: str, address: Address, ready: Callable[[], bool] = lambda: True) -> None:
        self.name = name  # the command, for the start-up line: "slack" or "discord"
        self.address = address
        self.ready = ready
        self.port: int | None = None  # the bound port once started (METRICS_PORT=0 picks a free one)
        self._runner: web.AppRunner | None = None

    async def start(self) -> int:
        """Listen, and say where on stderr; a port that cannot be used is one line naming METRICS_PORT."""
        application = web.Application()
        application.add_routes(routes(self.ready))
        self._runner, self.port = await listen(application, self.address, "choose another METRICS_PORT")
        announce(f"statusbot {self.name}: health and metrics on http://{self.address.host}:{self.port}{METRICS_PATH}")
        return self.port

    async def stop(self) -> None:
        """Stop listening (idempotent)."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()


async def listen(application: web.Application, address: Address, remedy: str) -> tuple[web.AppRunner, int]:
    """Serve ``application`` at ``address``: its runner (to clean up) and the port it bound (port 0 picks a free
    one). An address that cannot be used is one SettingError line ending in ``remedy`` (the setting to change)."""
    runner = web.AppRunner(application, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, address.host, address.port)
    try:
        await site.start()
    except OSError as error:
        await runner.cleanup()
        raise SettingError(f"cannot listen on {address.host}:{address.port} ({error.strerror}): {remedy}") from None
    return runner, address.port or int(runner.addresses[0][1])


async def drain(grace: float = SHUTDOWN_GRACE) -> None:
    """Wait up to ``grace`` seconds for the interactions being handled to deliver their replies (each one's state
    is stored in one transaction either way; this keeps the reply the user is waiting for)."""
    pending = metrics.in_flight() - {asyncio.current_task()}
    if not pending:
        return
    _, late = await asyncio.wait(pending, timeout=grace)
    if late:
        log.warning("stopping with %d interactions still running after %.0f s", len(late), grace)
