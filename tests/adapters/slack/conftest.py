"""The real `statusbot slack` process, started as the README says, against a fake Slack on 127.0.0.1."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import time
import urllib.parse
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.adapters.processes import PROXIES, clean_env, stop
from tests.fakes import slack_requests as req
from tests.fakes.blockkit import validate_message
from tests.fakes.slack_api import FakeSlack

SECRET = "0123456789abcdef0123456789abcdef"
TOKEN = "xoxb-1-test"
LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+)/slack/events")
# the scopes a team grants by installing from the manifest, read from the file users paste
MANIFEST_SCOPES = tuple(
    yaml.safe_load((Path(__file__).resolve().parents[3] / "slack" / "manifest.yml").read_text())["oauth_config"][
        "scopes"
    ]["bot"]
)
# the display names users.info gives; slash commands and clicks carry the same as their user name
NAMES = {"U1": "ada", "U2": "bob", "U3": "cy", "U4": "dee", "U5": "fay", "U6": "eve", "U7": "gus", "U9": "boss"}


def statusbot_command() -> list[str]:
    """The installed console script (what the README runs), else the module."""
    script = Path(sys.executable).parent / "statusbot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


class SlackProcess:
    """One `statusbot slack` HTTP process and the signed requests Slack would send it."""

    def __init__(self, fake: FakeSlack, workdir: Path, *, secret: str = SECRET, **settings: str) -> None:
        self.fake = fake
        self.secret = secret
        self.log = workdir / f"slack-{uuid.uuid4().hex[:6]}.log"
        env = clean_env(
            SLACK_SIGNING_SECRET=secret,
            SLACK_API_URL=fake.base_url,
            STATUSBOT_DB=str(workdir / "statusbot.sqlite3"),
            **settings,
        )
        env.setdefault("SLACK_BOT_TOKEN", TOKEN) if "SLACK_CLIENT_ID" not in settings else None
        # these tests send dozens of commands a second as one user: the abuse limits would refuse them
        # (the limits are tested in tests/reliability, with them on)
        env.setdefault("STATUSBOT_RATE_LIMITS", "off")
        self._stderr = open(self.log, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [*statusbot_command(), "slack", "--host", "127.0.0.1", "--port", "0"],
            cwd=workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
        )
        self.port = self._wait_listening()
        self.url = f"http://127.0.0.1:{self.port}"

    def _wait_listening(self, timeout: float = 30.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = LISTENING.search(self.log.read_text())
            if found:
                return int(found.group(1))
            if self.process.poll() is not None:
                raise AssertionError(f"statusbot slack exited {self.process.returncode}:\n{self.log.read_text()}")
            time.sleep(0.05)
        raise AssertionError(f"statusbot slack did not start:\n{self.log.read_text()}")

    def running(self) -> bool:
        """The process is still serving."""
        return self.process.poll() is None

    def stop(self) -> None:
        """SIGTERM, then wait (a clean shutdown)."""
        stop(self.process, 10)
        self._stderr.close()

    # -- requests ----------------------------------------------------------------------------------------------
    def send(self, body: bytes, headers: Mapping[str, str] | None = None) -> tuple[int, Any]:
        """POST a signed body to /slack/events; (status, parsed JSON or text)."""
        status, _, raw = req.post(f"{self.url}/slack/events", body, headers or req.sign(self.secret, body))
        text = raw.decode()
        try:
            return status, json.loads(text) if text else ""
        except json.JSONDecodeError:
            return status, text

    def command(self, command: str, text: str, *, name: str = "cmd", **fields: Any) -> tuple[int, Any, str]:
        """A slash command; (status, ack body, the response_url name its follow-ups arrive under)."""
        response_name = f"{name}-{uuid.uuid4().hex[:6]}"
        url = self.fake.response_url(response_name)
        status, body = self.send(req.slash_command(command, text, response_url=url, **fields))
        if isinstance(body, dict):  # Slack checks an answer given in the ack as it checks any message
            assert validate_message(body) == [], validate_message(body)
        return status, body, response_name

    def click(self, message: Mapping[str, Any], action_id: str, value: str, **fields: Any) -> str:
        """A button click on a message; the response_url name its private answers arrive under."""
        response_name = f"click-{uuid.uuid4().hex[:6]}"
        url = self.fake.response_url(response_name)
        status, body = self.send(req.block_action(action_id, value, message=message, response_url=url, **fields))
        assert status == 200, (status, body)
        return response_name

    def event(self, event: Mapping[str, Any], **fields: Any) -> int:
        """An Events API callback; its HTTP status."""
        status, _ = self.send(req.event(event, **fields))
        return status


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXIES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    """A fake Slack for the module's tests (each test uses its own channels)."""
    with FakeSlack() as running:
        running.bot_scopes = ",".join(MANIFEST_SCOPES)
        running.users = {uid: {"name": name, "profile": {"display_name": name}} for uid, name in NAMES.items()}
        yield running


@pytest.fixture(scope="module")
def slack(fake: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SlackProcess]:
    """`statusbot slack` in HTTP mode with one workspace's token, for the module's tests."""
    process = SlackProcess(fake, tmp_path_factory.mktemp("slack"))
    yield process
    process.stop()


def header(blocks: list[dict[str, Any]]) -> str:
    """The header block's text, what a user reads first."""
    return next(b["text"]["text"] for b in blocks if b["type"] == "header")


def texts(blocks: list[dict[str, Any]]) -> str:
    """All visible text of the blocks, joined."""
    out: list[str] = []
    for block in blocks:
        if "text" in block:
            out.append(block["text"]["text"])
        for element in block.get("elements", []):
            text = element.get("text")
            out.append(text["text"] if isinstance(text, dict) else str(text or ""))
    return "\n".join(out).replace("\u200b", "")  # zero-width spaces that break links are invisible


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every button of the blocks, in order."""
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def button(blocks: list[dict[str, Any]], label: str) -> dict[str, Any]:
    """The button whose label starts with ``label``."""
    found = [b for b in buttons(blocks) if b["text"]["text"].startswith(label)]
    assert found, f"no button {label!r} among {[b['text']['text'] for b in buttons(blocks)]}"
    return found[0]


# -- added for the OAuth, Socket Mode and settings checks ------------------------------------------------------------
CONNECTED = "statusbot slack: connected to Slack in Socket Mode"


def wait_for_line(process: subprocess.Popen[bytes], log: Path, pattern: str, timeout: float = 30.0) -> re.Match[str]:
    """Wait until the process's log has a line matching ``pattern``; fail with the log if it exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(pattern, log.read_text(), re.MULTILINE)
        if found:
            return found
        if process.poll() is not None:
            raise AssertionError(f"statusbot slack exited {process.returncode}:\n{log.read_text()}")
        time.sleep(0.05)
    raise AssertionError(f"no line matching {pattern!r} within {timeout} s:\n{log.read_text()}")


class SocketModeProcess(SlackProcess):
    """`statusbot slack` in Socket Mode (SLACK_APP_TOKEN set, no signing secret): ready once it says it connected.

    It serves no HTTP, so ``port`` is 0 and ``url`` means nothing; drive it with ``fake.socket_send``.
    """

    def __init__(self, fake: FakeSlack, workdir: Path, *, app_token: str = "xapp-1-A1-test", **settings: str) -> None:
        super().__init__(fake, workdir, secret="", SLACK_APP_TOKEN=app_token, **settings)

    def _wait_listening(self, timeout: float = 30.0) -> int:
        wait_for_line(self.process, self.log, "^" + re.escape(CONNECTED) + "$", timeout)
        return 0

    def stderr(self) -> str:
        """Everything the process wrote on stderr so far."""
        return self.log.read_text()


def http_get(url: str, headers: Mapping[str, str] | None = None) -> tuple[int, list[tuple[str, str]], str]:
    """GET over loopback without following redirects or using proxies; (status, header pairs, body text)."""
    parsed = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port, timeout=10)
    try:
        target = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        connection.request("GET", target, headers=dict(headers or {}))
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read().decode()
    finally:
        connection.close()


def run_until_exit(workdir: Path, *args: str, timeout: float = 20.0, **settings: str) -> tuple[int, str]:
    """Run `statusbot slack ARGS` with only ``settings`` (plus a database in ``workdir`` unless given) until it
    exits; (exit status, stderr). Fails if it is still running after ``timeout`` (a hang)."""
    settings.setdefault("STATUSBOT_DB", str(workdir / "statusbot.sqlite3"))
    env = clean_env(**settings)
    try:
        done = subprocess.run(
            [*statusbot_command(), "slack", *args],
            cwd=workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as error:
        raise AssertionError(f"statusbot slack still running after {timeout} s:\n{error.stderr}") from None
    return done.returncode, done.stderr
