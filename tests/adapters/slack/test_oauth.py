"""Any number of workspaces: installs through Slack's OAuth flow, kept in the process's database, removed on uninstall.

The real `statusbot slack` process runs with SLACK_CLIENT_ID / SLACK_CLIENT_SECRET / SLACK_STATE_SECRET and no
bot token; the fake Slack answers oauth.v2.access with a token per workspace (``fake.oauth_grants``).
"""

from __future__ import annotations

import html
import re
import secrets
import sqlite3
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.slack.main import SCOPES
from tests.adapters.slack.conftest import SECRET, SlackProcess, header, http_get, run_until_exit
from tests.fakes.slack_api import FakeSlack, OAuthGrant

CLIENT_ID = "123.456"
CLIENT_SECRET = "fedcba9876543210fedcba9876543210"
COOKIE = "slack-app-oauth-state"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("oauth")


@pytest.fixture(scope="module")
def slack(fake: FakeSlack, workdir: Path) -> Iterator[SlackProcess]:
    """`statusbot slack` installing into any number of workspaces."""
    process = SlackProcess(
        fake,
        workdir,
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
        SLACK_STATE_SECRET=secrets.token_urlsafe(24),
    )
    yield process
    process.stop()


def rows(workdir: Path, table: str, team: str) -> list[tuple[str, str]]:
    """(team_id, bot_token) of ``table``'s rows for ``team`` in the process's SQLite file."""
    with sqlite3.connect(workdir / "statusbot.sqlite3") as db:
        found = db.execute(f"SELECT team_id, bot_token FROM {table} WHERE team_id = ?", (team,)).fetchall()
    return [(str(t), str(b)) for t, b in found]


def installed(workdir: Path, team: str) -> bool:
    return bool(rows(workdir, "slack_installations", team)) and bool(rows(workdir, "slack_bots", team))


def gone(workdir: Path, team: str) -> bool:
    return not rows(workdir, "slack_installations", team) and not rows(workdir, "slack_bots", team)


def install_page(slack: SlackProcess) -> tuple[str, str]:
    """GET /slack/install; (the state in the "Add to Slack" link, the state cookie set)."""
    status, headers, page = http_get(f"{slack.url}/slack/install")
    assert status == 200, page
    link = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page)
    assert link, page
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(html.unescape(link.group(1))).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"] == [",".join(SCOPES)]
    cookies = [value for name, value in headers if name.lower() == "set-cookie" and value.startswith(f"{COOKIE}=")]
    assert len(cookies) == 1, headers
    return query["state"][0], cookies[0].split(";")[0].split("=", 1)[1]


def redirect(slack: SlackProcess, code: str, state: str, cookie: str | None) -> tuple[int, str]:
    """The browser coming back from Slack to /slack/oauth_redirect with ``code`` and ``state``."""
    query = urllib.parse.urlencode({"code": code, "state": state})
    status, _, page = http_get(
        f"{slack.url}/slack/oauth_redirect?{query}", {"Cookie": f"{COOKIE}={cookie}"} if cookie else None
    )
    return status, page


def install(slack: SlackProcess, fake: FakeSlack, code: str) -> str:
    """A whole install; the bot token Slack granted."""
    state, cookie = install_page(slack)
    assert cookie == state
    status, page = redirect(slack, code, state, cookie)
    assert status == 200, page
    granted = [c for c in fake.calls_to("oauth.v2.access") if c.args.get("code") == code]
    assert len(granted) == 1 and granted[0].ok
    return str(granted[0].response["access_token"])


def answers_409(slack: SlackProcess, team: str) -> bool:
    status, ack, _ = slack.command("/status", "409", team_id=team, channel_id=f"C-{team}")
    return status == 200 and isinstance(ack, dict) and header(ack.get("blocks") or [{}]) == "409 Conflict"


def quiz_posts_with(slack: SlackProcess, fake: FakeSlack, team: str) -> str | None:
    """Start (and stop) a quiz in the team's channel; the token its question was posted with."""
    channel = f"C-quiz-{team}"

    def here(args: dict[str, object]) -> bool:
        return args.get("channel") == channel

    before = len([c for c in fake.calls_to("chat.postMessage") if here(c.args)])
    status, _, _ = slack.command("/quiz", "start questions:1 seconds:30", team_id=team, channel_id=channel)
    assert status == 200
    posted = fake.wait_for_call("chat.postMessage", before + 1, where=here)[-1]
    assert header(posted.args["blocks"]) == "Question 1 of 1"
    slack.command("/quiz", "stop", team_id=team, channel_id=channel)
    return posted.token


def test_workspaces_install_answer_and_uninstall(slack: SlackProcess, fake: FakeSlack, workdir: Path) -> None:
    # the first workspace installs
    first = install(slack, fake, "code-T1")
    assert rows(workdir, "slack_installations", "T1") == [("T1", first)]
    assert rows(workdir, "slack_bots", "T1") == [("T1", first)]
    assert answers_409(slack, "T1")
    assert quiz_posts_with(slack, fake, "T1") == first
    # a second one installs too, and both work with their own token
    fake.oauth_grants["code-T2"] = OAuthGrant("T2", "Second Team", user_id="U9", bot_user_id="U0BOT2")
    second = install(slack, fake, "code-T2")
    assert second != first
    assert rows(workdir, "slack_bots", "T2") == [("T2", second)]
    assert answers_409(slack, "T2") and answers_409(slack, "T1")
    assert quiz_posts_with(slack, fake, "T2") == second
    assert quiz_posts_with(slack, fake, "T1") == first
    # the second revokes its tokens: its rows go, the first's stay
    revoked = {"type": "tokens_revoked", "tokens": {"oauth": ["U9"], "bot": ["U0BOT2"]}, "event_ts": "1.1"}
    assert slack.event(revoked, team_id="T2", bot_user_id="U0BOT2") == 200
    fake.wait_for(lambda: gone(workdir, "T2"), what="T2's rows deleted after tokens_revoked")
    assert installed(workdir, "T1")
    # it installs again, then uninstalls the app: its rows go again, the first workspace still works
    fake.oauth_grants["code-T2-again"] = OAuthGrant("T2", "Second Team", user_id="U9", bot_user_id="U0BOT2")
    install(slack, fake, "code-T2-again")
    assert installed(workdir, "T2") and answers_409(slack, "T2")
    assert slack.event({"type": "app_uninstalled", "event_ts": "1.2"}, team_id="T2", bot_user_id="U0BOT2") == 200
    fake.wait_for(lambda: gone(workdir, "T2"), what="T2's rows deleted after app_uninstalled")
    assert not answers_409(slack, "T2")  # nobody in T2 is answered with a token that no longer exists
    assert installed(workdir, "T1") and answers_409(slack, "T1")
    assert fake.rejected == [] and slack.running()


def test_a_forged_or_unsigned_state_installs_nothing(slack: SlackProcess, fake: FakeSlack, workdir: Path) -> None:
    fake.oauth_grants["code-T3"] = OAuthGrant("T3", "Third Team")
    state, _ = install_page(slack)
    value, _, signature = state.rpartition(".")
    assert value and len(signature) == 32
    forged = f"{value}.{'0' * 32}"
    # the browser carries the forged state in its cookie too, so only the signature can tell
    assert redirect(slack, "code-T3", forged, forged)[0] == 401
    assert redirect(slack, "code-T3", value, value)[0] == 401  # the store's own value, unsigned
    assert redirect(slack, "code-T3", state, None)[0] == 400  # no state cookie: another browser
    assert [c for c in fake.calls_to("oauth.v2.access") if c.args.get("code") == "code-T3"] == []
    assert gone(workdir, "T3")


@pytest.mark.parametrize(
    ("settings", "line"),
    [
        (
            {"SLACK_STATE_SECRET": "a-random-state-secret"},
            "statusbot slack: SLACK_CLIENT_SECRET is not set: it should be the app's Client Secret (32 hex digits)",
        ),
        (
            {"SLACK_CLIENT_SECRET": CLIENT_SECRET},
            "statusbot slack: SLACK_STATE_SECRET is not set: it should be a random string of at least 16 characters",
        ),
        (
            {"SLACK_CLIENT_SECRET": CLIENT_SECRET, "SLACK_STATE_SECRET": "short"},
            "statusbot slack: SLACK_STATE_SECRET does not look right: it should be a random string of at least 16 "
            "characters",
        ),
    ],
)
def test_missing_oauth_settings_are_one_line(tmp_path: Path, settings: dict[str, str], line: str) -> None:
    status, stderr = run_until_exit(tmp_path, SLACK_CLIENT_ID=CLIENT_ID, SLACK_SIGNING_SECRET=SECRET, **settings)
    assert status == 2
    assert stderr.splitlines() == [line]
