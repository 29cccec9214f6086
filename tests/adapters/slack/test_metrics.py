"""Operations in Slack: /metrics counts what users did, /healthz answers, and SIGTERM in the middle of a game
loses nothing. Each test runs its own `statusbot slack` process, so the counters start at 0."""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

from tests.adapters.ops_client import Scrape, health, ops_port, scrape_when
from tests.adapters.slack.conftest import (
    SECRET,
    TOKEN,
    SlackProcess,
    SocketModeProcess,
    buttons,
    header,
    run_until_exit,
)
from tests.fakes import slack_requests as req
from tests.fakes.slack_api import FakeSlack, Message


def question(fake: FakeSlack, channel: str, title: str) -> Message:
    return fake.wait_for(
        lambda: next((m for m in fake.messages(channel) if m.blocks and header(m.blocks) == title), None),
        what=title,
    )


def test_metrics_count_what_users_did(fake: FakeSlack, tmp_path: Path) -> None:
    slack = SlackProcess(fake, tmp_path)
    try:
        assert health(slack.url) == (200, {"ok": True})
        before = Scrape(slack.url)
        assert before.value("statusbot_answers_total", platform="slack", kind="code") == 0
        assert before.value("statusbot_games_started_total", platform="slack") == 0

        for text in ("409", "409", "what code for a duplicate email on signup?", "what's for lunch"):
            status, _, _ = slack.command("/status", text, channel_id="C-metrics")
            assert status == 200
        fake.fail_next("users.info", error="user_not_found")  # the first /quiz looks its user up
        slack.command("/quiz", "start questions:2 seconds:30", channel_id="C-metrics", user_id="U5", user_name="fay")
        question(fake, "C-metrics", "Question 1 of 2")
        slack.command("/quiz", "stop", channel_id="C-metrics", user_id="U5", user_name="fay")
        fake.wait_for(
            lambda: any(m.blocks and header(m.blocks).startswith("Game over") for m in fake.messages("C-metrics")),
            what="the final standings",
        )

        page = scrape_when(
            slack.url,
            lambda p: p.value("statusbot_interaction_seconds_count", platform="slack", interaction="command") >= 6,
        )
        assert page.value("statusbot_answers_total", platform="slack", kind="code") == 2
        assert page.value("statusbot_answers_total", platform="slack", kind="scenario") == 2
        assert page.value("statusbot_answers_total", platform="slack", kind="family") == 0
        assert page.value("statusbot_abstentions_total", platform="slack") == 1
        assert page.value("statusbot_games_started_total", platform="slack") == 1
        assert page.value("statusbot_games_finished_total", platform="slack") == 1
        assert page.value("statusbot_api_errors_total", platform="slack", method="users.info") == 1
        assert page.value("statusbot_interaction_seconds_count", platform="slack", interaction="command") == 6
        assert (
            page.value("statusbot_interaction_seconds_bucket", platform="slack", interaction="command", le="+Inf") == 6
        )
        assert page.value("statusbot_interactions_in_flight", platform="slack") == 0
        assert page.value("process_open_fds") > 0  # the process collector is there too
    finally:
        slack.stop()
    assert slack.process.returncode == 0


def test_socket_mode_serves_health_and_metrics_on_metrics_port(fake: FakeSlack, tmp_path: Path) -> None:
    before = fake.socket_connections
    bot = SocketModeProcess(fake, tmp_path, METRICS_PORT="0", METRICS_HOST="127.0.0.1")
    try:
        base = f"http://127.0.0.1:{ops_port(bot.log)}"
        assert health(base) == (200, {"ok": True})
        url = fake.response_url("socket-metrics")
        envelope = fake.socket_send("slash_commands", req.slash_command_payload("/status", "4xx", response_url=url))
        assert fake.wait_for_socket_ack(envelope).payload is not None
        page = scrape_when(
            base, lambda p: p.value("statusbot_interaction_seconds_count", platform="slack", interaction="command") >= 1
        )
        assert page.value("statusbot_answers_total", platform="slack", kind="family") == 1
        assert page.value("statusbot_answers_total", platform="slack", kind="code") == 0
        bot.process.send_signal(signal.SIGTERM)
        assert bot.process.wait(15) == 0
        fake.wait_for(lambda: fake.socket_connections == before, what="the socket closed")
        assert "Traceback" not in bot.stderr()
    finally:
        bot.stop()


def test_sigterm_in_the_middle_of_a_game_loses_nothing(fake: FakeSlack, tmp_path: Path) -> None:
    channel = "C-sigterm"
    first = SlackProcess(fake, tmp_path)
    try:
        first.command("/quiz", "start questions:2 seconds:30", channel_id=channel, user_id="U1", user_name="ada")
        asked = question(fake, channel, "Question 1 of 2")
        choices = buttons(asked.blocks)
        first.click(asked.to_dict(), choices[0]["action_id"], choices[0]["value"], user_id="U1", channel_id=channel)
        # the last click is acknowledged, then SIGTERM arrives while it is still answering: looking its player up
        # waits out a rate limit first
        fake.fail_next("users.info", status=429, retry_after=1)
        last = first.click(
            asked.to_dict(), choices[1]["action_id"], choices[1]["value"], user_id="U2", channel_id=channel
        )
        first.process.send_signal(signal.SIGTERM)
        assert first.process.wait(15) == 0
        # the reply the player was waiting for went out before the process stopped
        said = header(fake.wait_for_response(last)[0].body["blocks"])
        assert said == "Answer recorded." or said.startswith("Right! +")
    finally:
        first.stop()
    assert "Traceback" not in first.log.read_text()
    with sqlite3.connect(tmp_path / "statusbot.sqlite3") as db:
        stored = db.execute("SELECT player_id, number FROM quiz_answers ORDER BY player_id").fetchall()
        assert stored == [("U1", 0), ("U2", 0)]

    second = SlackProcess(fake, tmp_path)  # a new process on the same database picks the game up
    try:
        again = second.click(
            asked.to_dict(), choices[0]["action_id"], choices[0]["value"], user_id="U2", channel_id=channel
        )
        assert [header(r.body["blocks"]) for r in fake.wait_for_response(again)] == [
            "You've already answered this one; your first answer counts."
        ]
        second.command("/quiz", "stop", channel_id=channel, user_id="U1", user_name="ada")
        fake.wait_for(
            lambda: any(m.blocks and header(m.blocks).startswith("Game over") for m in fake.messages(channel)),
            what="the final standings",
        )
    finally:
        second.stop()
    with sqlite3.connect(tmp_path / "statusbot.sqlite3") as db:
        assert db.execute("SELECT status, end_reason FROM quiz_games").fetchall() == [("finished", "stopped")]


def test_a_malformed_metrics_port_is_one_line(tmp_path: Path) -> None:
    status, stderr = run_until_exit(
        tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, METRICS_PORT="9464x", timeout=10
    )
    assert status == 2
    assert stderr.splitlines()[-1] == (
        "statusbot slack: METRICS_PORT does not look right: it should be a port number from 1 to 65535, not '9464x'"
    )
    assert "Traceback" not in stderr
