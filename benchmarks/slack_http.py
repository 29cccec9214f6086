"""Slack HTTP mode: signed `/status 409` slash commands per second, next to a bare slack-bolt app that only acks.

Each app is served by its own child process on 127.0.0.1 with the same stack (slack-bolt AsyncApp behind an
aiohttp AppRunner/TCPSite): statusbot's is `adapters.slack.main.SlackRun` as `statusbot slack` runs it (replay
guard, quiz clock, a fresh SQLite database); the bare one has one `/status` listener that calls `ack()` and
nothing else. Neither calls the Web API per request: both authorize from one answer, and statusbot's start-up
auth.test is answered by a tiny aiohttp stub in this process. This process signs every request beforehand, then
keeps 50 in flight over loopback with aiohttp and times each. Rounds alternate between the two apps; the figures
are each app's median round (throughput) and every request of every round (latency). Targets: statusbot ≥ 80 %
of the bare app's throughput, p99 ≤ 50 ms.

Run: python -m benchmarks.slack_http [REQUESTS_PER_ROUND] [ROUNDS]   (default 2000 × 3)
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any, NamedTuple

from aiohttp import ClientSession, ClientTimeout, TCPConnector, web

SECRET = "0123456789abcdef0123456789abcdef"
TOKEN = "xoxb-1-benchmark"
CONCURRENCY = 50
WARM_UP = 300
LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+)/slack/events")
PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
_trigger = itertools.count(1)


# -- the two servers (each in a child process) ---------------------------------------------------------------------


async def serve_statusbot(api_url: str, database: str) -> None:
    """statusbot's HTTP mode, as `statusbot slack` runs it, until SIGTERM."""
    from adapters.slack.main import SlackRun
    from adapters.slack.settings import SlackSettings
    from bot.storage.database import make_engine, migrate

    engine = make_engine(f"sqlite:///{database}")
    migrate(engine)
    settings = SlackSettings(TOKEN, "", SECRET, "", "", "", api_url, "127.0.0.1", 0)
    try:
        await SlackRun(settings, engine).run(_stop_on_sigterm())
    finally:
        engine.dispose()


async def serve_bare() -> None:
    """A slack-bolt AsyncApp whose only listener acks /status, on the same aiohttp stack, until SIGTERM."""
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncAck, AsyncApp
    from slack_bolt.authorization import AuthorizeResult

    authorized = AuthorizeResult(enterprise_id=None, team_id="T1", bot_user_id="U0BOT", bot_id="B0BOT", bot_token=TOKEN)

    async def authorize(**_: Any) -> AuthorizeResult:
        return authorized

    app = AsyncApp(signing_secret=SECRET, authorize=authorize, process_before_response=False)

    @app.command("/status")
    async def ack_only(ack: AsyncAck) -> None:
        await ack()

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    web_application = web.Application()
    web_application.add_routes([web.post("/slack/events", events)])
    runner = web.AppRunner(web_application, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    sys.stderr.write(f"bare bolt: listening on http://127.0.0.1:{port}/slack/events\n")
    sys.stderr.flush()
    try:
        await _stop_on_sigterm().wait()
    finally:
        await runner.cleanup()


def _stop_on_sigterm() -> asyncio.Event:
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    return stop


def child_main(kind: str, api_url: str, database: str) -> None:
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    asyncio.run(serve_statusbot(api_url, database) if kind == "statusbot" else serve_bare())


# -- the Web API stub this process serves --------------------------------------------------------------------------


async def api_stub() -> tuple[web.AppRunner, str]:
    """auth.test for statusbot's start-up check; any other method answers ok."""
    from adapters.slack.main import SCOPES

    async def method(request: web.Request) -> web.Response:
        if request.match_info["method"] == "auth.test":
            body = {"ok": True, "url": "https://bench.slack.com/", "team": "Bench", "user": "statusbot"}
            body |= {"team_id": "T1", "user_id": "U0BOT", "bot_id": "B0BOT", "is_enterprise_install": False}
            return web.json_response(body, headers={"x-oauth-scopes": ",".join(SCOPES)})
        return web.json_response({"ok": True})

    application = web.Application()
    application.add_routes([web.post("/api/{method}", method)])
    runner = web.AppRunner(application, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/api/"


# -- the load ------------------------------------------------------------------------------------------------------


class Signed(NamedTuple):
    body: bytes
    headers: dict[str, str]


def signed_status_409(api_url: str) -> Signed:
    """A `/status 409` slash command as Slack signs it (a unique trigger id, so no two are alike)."""
    n = next(_trigger)
    fields = {
        "token": "deprecated",
        "team_id": "T1",
        "team_domain": "bench",
        "channel_id": "C1",
        "channel_name": "general",
        "user_id": f"U{n % 97}",
        "user_name": "ada",
        "command": "/status",
        "text": "409",
        "api_app_id": "A1",
        "is_enterprise_install": "false",
        "response_url": f"{api_url.removesuffix('/api/')}/response/{n}",
        "trigger_id": f"{n}.{int(time.time())}.{n:032x}",
    }
    body = urllib.parse.urlencode(fields).encode()
    timestamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": f"v0={digest}",
    }
    return Signed(body, headers)


class Round(NamedTuple):
    per_second: float
    latencies_ms: list[float]
    failures: int


async def load(url: str, requests: list[Signed], expect: str) -> Round:
    """Send ``requests`` with CONCURRENCY in flight; a response that is not 200 with ``expect`` is a failure."""
    latencies: list[float] = []
    failures = 0
    pending = iter(requests)
    connector = TCPConnector(limit=CONCURRENCY)
    async with ClientSession(connector=connector, timeout=ClientTimeout(total=30)) as session:

        async def worker() -> None:
            nonlocal failures
            for request in pending:
                start = time.perf_counter()
                async with session.post(url, data=request.body, headers=request.headers) as response:
                    text = await response.text()
                latencies.append((time.perf_counter() - start) * 1000)
                if response.status != 200 or expect not in text:
                    failures += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        elapsed = time.perf_counter() - started
    return Round(len(requests) / elapsed, latencies, failures)


def start_child(kind: str, api_url: str, database: str) -> tuple[subprocess.Popen[str], str]:
    """A server child; (the process, its /slack/events URL)."""
    # one signed user sends thousands of commands a second here: the per-user limits would refuse them
    env = {k: v for k, v in os.environ.items() if k not in PROXIES} | {"STATUSBOT_RATE_LIMITS": "off"}
    child = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.slack_http", "--serve", kind, api_url, database],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stderr is not None
    seen: list[str] = []
    for line in child.stderr:
        seen.append(line)
        found = LISTENING.search(line)
        if found:
            # keep reading what it writes later, so a full pipe can never block the server being measured
            threading.Thread(target=child.stderr.read, daemon=True).start()
            return child, f"http://127.0.0.1:{found.group(1)}/slack/events"
    raise SystemExit(f"{kind} server did not start:\n{''.join(seen)}")


def stop_child(child: subprocess.Popen[str]) -> None:
    child.send_signal(signal.SIGTERM)
    try:
        child.wait(10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


async def benchmark(per_round: int, rounds: int) -> None:
    stub, api_url = await api_stub()
    folder = Path(tempfile.mkdtemp(prefix="statusbot-slack-bench-"))
    # started from threads: this loop must stay free to answer statusbot's start-up auth.test
    children = {
        "statusbot": await asyncio.to_thread(start_child, "statusbot", api_url, str(folder / "bench.sqlite3")),
        "bare bolt": await asyncio.to_thread(start_child, "bare", api_url, str(folder / "unused.sqlite3")),
    }
    expect = {"statusbot": "409 Conflict", "bare bolt": ""}
    results: dict[str, list[Round]] = {name: [] for name in children}
    try:
        for name, (_, url) in children.items():  # warm up: imports, the catalogue, the thread pool, connections
            await load(url, [signed_status_409(api_url) for _ in range(WARM_UP)], expect[name])
        for _ in range(rounds):
            for name, (_, url) in children.items():
                requests = [signed_status_409(api_url) for _ in range(per_round)]
                results[name].append(await load(url, requests, expect[name]))
    finally:
        for child, _ in children.values():
            stop_child(child)
        await stub.cleanup()
    summary: dict[str, float] = {}
    for name, runs in results.items():
        per_second = statistics.median(r.per_second for r in runs)
        p50, p99 = _percentiles([t for r in runs for t in r.latencies_ms])
        failures = sum(r.failures for r in runs)
        summary[name] = per_second
        print(
            f"{name:>9}: {per_second:7.0f} requests/s (median of {rounds} rounds: "
            f"{', '.join(f'{r.per_second:.0f}' for r in runs)}), latency p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
            f"{failures} failed"
        )
        if name == "statusbot":
            print(f"           p99 {p99:.1f} ms (target ≤ 50 ms)")
    ratio = summary["statusbot"] / summary["bare bolt"]
    print(f"statusbot / bare bolt throughput: {ratio:.0%} (target ≥ 80 %)")


def main() -> None:
    from benchmarks.scenarios import machine_speed

    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        child_main(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    per_round, rounds = (int(a) for a in [*sys.argv[1:], "2000", "3"][:2])
    print(
        f"machine speed {machine_speed():.0f} ns per probe loop (about 500 on a quiet machine); "
        f"{os.cpu_count()} CPUs; {per_round} signed /status 409 per round × {rounds} rounds, "
        f"{CONCURRENCY} in flight, over loopback"
    )
    asyncio.run(benchmark(per_round, rounds))


if __name__ == "__main__":
    main()
