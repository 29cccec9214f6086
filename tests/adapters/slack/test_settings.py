"""`statusbot slack` with a wrong setting: one line on stderr naming the variable, exit status 2, no traceback.

Every case runs the real console script with a clean environment (no proxies, no Slack settings from the
developer's shell) and must exit within 20 s: a wrong setting never hangs.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.adapters.slack.conftest import SECRET, TOKEN, SlackProcess, http_get, run_until_exit
from tests.fakes.slack_api import FakeSlack

BOT_TOKEN_SHAPE = "a bot token from the app's OAuth & Permissions page"
SIGNING_SHAPE = (
    "the signing secret from the app's Basic Information page (32 hex digits), or set SLACK_APP_TOKEN (xapp-…) "
    "for Socket Mode"
)
# failures found before the database is opened: nothing else can have written to stderr yet
BEFORE_THE_DATABASE = [
    pytest.param(
        {"SLACK_SIGNING_SECRET": SECRET},
        [],
        f"statusbot slack: SLACK_BOT_TOKEN is not set: it should be {BOT_TOKEN_SHAPE} (xoxb-…); or set "
        "SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET to install into any number of workspaces",
        id="no-tokens-at-all",
    ),
    pytest.param(
        {},
        [],
        f"statusbot slack: SLACK_SIGNING_SECRET is not set: it should be {SIGNING_SHAPE}",
        id="nothing-set",
    ),
    pytest.param(
        {"SLACK_BOT_TOKEN": "abc", "SLACK_SIGNING_SECRET": SECRET},
        [],
        f"statusbot slack: SLACK_BOT_TOKEN does not look right: it should be {BOT_TOKEN_SHAPE}, starting with xoxb-",
        id="malformed-bot-token",
    ),
    pytest.param(
        {"SLACK_BOT_TOKEN": "xoxb 1 2", "SLACK_SIGNING_SECRET": SECRET},
        [],
        f"statusbot slack: SLACK_BOT_TOKEN does not look right: it should be {BOT_TOKEN_SHAPE}, starting with xoxb-",
        id="bot-token-with-blanks",
    ),
    pytest.param(
        {"SLACK_APP_TOKEN": "xoxb-1-app", "SLACK_BOT_TOKEN": TOKEN},
        [],
        "statusbot slack: SLACK_APP_TOKEN does not look right: it should be an app-level token with "
        "connections:write, starting with xapp-",
        id="app-token-of-the-wrong-kind",
    ),
    pytest.param(
        {"SLACK_APP_TOKEN": "xapp-1-A1-test"},
        [],
        f"statusbot slack: SLACK_BOT_TOKEN is not set: it should be {BOT_TOKEN_SHAPE} (xoxb-…)",
        id="socket-mode-without-bot-token",
    ),
    pytest.param(
        {"SLACK_BOT_TOKEN": TOKEN},
        [],
        f"statusbot slack: SLACK_SIGNING_SECRET is not set: it should be {SIGNING_SHAPE}",
        id="http-mode-without-signing-secret",
    ),
    pytest.param(
        {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": "not-hex-but-long-enough"},
        [],
        f"statusbot slack: SLACK_SIGNING_SECRET does not look right: it should be {SIGNING_SHAPE}",
        id="signing-secret-not-hex",
    ),
    pytest.param(
        {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": "not-a-url"},
        [],
        "statusbot slack: SLACK_API_URL does not look right: it should be an http(s) URL such as "
        "https://slack.com/api/",
        id="api-url-not-a-url",
    ),
    pytest.param(
        {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "PORT": "99999"},
        [],
        "statusbot slack: PORT does not look right: it should be a port number from 1 to 65535, not '99999'",
        id="PORT-out-of-range",
    ),
    pytest.param(
        {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET},
        ["--port", "http"],
        "statusbot slack: --port does not look right: it should be a port number from 1 to 65535, not 'http'",
        id="--port-not-a-number",
    ),
    pytest.param(
        {"SLACK_CLIENT_ID": "123", "SLACK_SIGNING_SECRET": SECRET},
        [],
        "statusbot slack: SLACK_CLIENT_ID does not look right: it should be the app's Client ID, digits.digits",
        id="client-id-malformed",
    ),
    pytest.param(
        {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "DATABASE_URL": "garbage"},
        [],
        "statusbot slack: DATABASE_URL is not usable (Could not parse SQLAlchemy URL from given URL string): "
        "it should be a database URL such as postgresql://user@host:5432/statusbot",
        id="DATABASE_URL-garbage",
    ),
]


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.parametrize(("settings", "args", "line"), BEFORE_THE_DATABASE)
def test_a_wrong_setting_is_one_line_and_exit_status_2(
    tmp_path: Path, settings: dict[str, str], args: list[str], line: str
) -> None:
    status, stderr = run_until_exit(tmp_path, *args, **settings)
    assert status == 2, stderr
    assert one_line(stderr) == line
    assert "Traceback" not in stderr


def test_an_unusable_sqlite_path_names_STATUSBOT_DB(tmp_path: Path) -> None:
    regular_file = tmp_path / "a-file"
    regular_file.write_text("not a directory\n")
    status, stderr = run_until_exit(
        tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, STATUSBOT_DB=str(regular_file / "bot.sqlite3")
    )
    assert status == 2, stderr
    line = one_line(stderr)
    assert line.startswith("statusbot slack: STATUSBOT_DB is not usable (")
    assert line.endswith("): it should be a writable path for the SQLite file")
    assert "Traceback" not in stderr


# -- failures found once the database is open and Slack is asked ----------------------------------------------------


@pytest.fixture(scope="module")
def busy_port() -> Iterator[int]:
    """A port something else already listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield int(taken.getsockname()[1])


def after_the_database(fake: FakeSlack, tmp_path: Path, case: str, busy_port: int) -> tuple[int, str, str]:
    """Run one case that fails after the database is migrated; (status, stderr, the expected line's start)."""
    base = {"SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.base_url}
    if case == "rejected-token":
        fake.invalid_tokens.add("xoxb-1-revoked")
        status, stderr = run_until_exit(tmp_path, "--port", "0", SLACK_BOT_TOKEN="xoxb-1-revoked", **base)
        return (
            status,
            stderr,
            "statusbot slack: SLACK_BOT_TOKEN was rejected by Slack (invalid_auth): copy the Bot User OAuth Token "
            "(xoxb-…) from the app's OAuth & Permissions page",
        )
    if case == "unreachable":
        base["SLACK_API_URL"] = "http://127.0.0.1:9/api/"
        status, stderr = run_until_exit(tmp_path, "--port", "0", SLACK_BOT_TOKEN=TOKEN, **base)
        return status, stderr, "statusbot slack: could not reach Slack at SLACK_API_URL=http://127.0.0.1:9/api/ ("
    assert case == "port-in-use"
    status, stderr = run_until_exit(
        tmp_path, "--host", "127.0.0.1", "--port", str(busy_port), SLACK_BOT_TOKEN=TOKEN, **base
    )
    return status, stderr, f"statusbot slack: cannot listen on 127.0.0.1:{busy_port} ("


LATE_CASES = ["rejected-token", "unreachable", "port-in-use"]


@pytest.mark.parametrize("case", LATE_CASES)
def test_a_failure_after_start_up_ends_with_its_one_line(
    fake: FakeSlack, tmp_path: Path, busy_port: int, case: str
) -> None:
    status, stderr, start = after_the_database(fake, tmp_path, case, busy_port)
    assert status == 2, stderr
    ours = [line for line in stderr.splitlines() if line.startswith("statusbot slack:")]
    assert len(ours) == 1 and ours[0].startswith(start), stderr
    assert stderr.splitlines()[-1] == ours[0]
    assert "Traceback" not in stderr
    if case == "port-in-use":
        assert "address already in use" in ours[0].lower()
        assert ours[0].endswith("): choose another --port (or PORT)")


def test_a_failure_after_start_up_is_the_only_line(fake: FakeSlack, tmp_path: Path, busy_port: int) -> None:
    status, stderr, start = after_the_database(fake, tmp_path, "unreachable", busy_port)
    assert status == 2
    assert one_line(stderr).startswith(start)


def test_a_rejected_app_token_is_one_line(fake: FakeSlack, tmp_path: Path) -> None:
    fake.invalid_tokens.add("xapp-1-revoked")
    status, stderr = run_until_exit(
        tmp_path,
        timeout=8,  # long enough to start and be refused; slack_sdk's own connect() would retry forever
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_APP_TOKEN="xapp-1-revoked",
        SLACK_API_URL=fake.base_url,
    )
    assert status == 2, stderr
    ours = [line for line in stderr.splitlines() if line.startswith("statusbot slack:")]
    assert ours == [
        "statusbot slack: SLACK_APP_TOKEN was rejected by Slack (invalid_auth): create an app-level token with "
        "connections:write on the app's Basic Information page"
    ]
    assert stderr.splitlines()[-1] == ours[0]
    assert "Traceback" not in stderr


def test_healthz_answers_ok(fake: FakeSlack, tmp_path: Path) -> None:
    process = SlackProcess(fake, tmp_path)
    try:
        status, headers, body = http_get(f"{process.url}/healthz")
        assert status == 200
        assert dict(headers)["Content-Type"].startswith("application/json")
        assert json.loads(body) == {"ok": True}
        assert http_get(f"{process.url}/slack/install")[0] == 404  # no OAuth pages with a single token
    finally:
        process.stop()
