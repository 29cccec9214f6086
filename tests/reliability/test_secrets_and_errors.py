"""Secrets never reach a log line or a reply; a failure shown to a user carries a reference that names its log
line; LOG_FORMAT=json gives one JSON object per line. Checked on the real `statusbot slack` and `statusbot
discord` processes, with DEBUG logging and every line they wrote."""

from __future__ import annotations

import io
import json
import logging
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from adapters.chat.logs import configure_logging
from tests.adapters.discord.harness import discord_process, title
from tests.adapters.slack.conftest import SlackProcess, buttons, header, texts
from tests.conftest import PG_URL
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.slack_api import FakeSlack
from tests.reliability.conftest import pg_url

TOKEN = "xoxb-4242-sekrit-bot-token"
SECRET = "fedcba9876543210fedcba9876543210"
DB_PASSWORD = "hunter2-db-password"  # trust authentication ignores it; it must still never be logged
STARTUP_LINE = "statusbot slack: listening on "  # the adapter's own start-up line (printed, not logged)


def json_lines(output: str) -> list[dict[str, object]]:
    """Every log line as its JSON object (the start-up line excepted); fails on a line that is not one."""
    entries = []
    for line in output.splitlines():
        if line.startswith(STARTUP_LINE):
            continue
        entry = json.loads(line)
        assert isinstance(entry, dict) and {"time", "level", "logger", "message"} <= entry.keys(), line
        entries.append(entry)
    return entries


def test_slack_logs_are_json_without_secrets_and_references_match(
    fake: FakeSlack, tmp_path: Path, pg_schema: str
) -> None:
    url = pg_url(pg_schema).replace("postgres@", f"postgres:{DB_PASSWORD}@")
    slack = SlackProcess(
        fake,
        tmp_path,
        secret=SECRET,
        SLACK_BOT_TOKEN=TOKEN,
        DATABASE_URL=url,
        LOG_FORMAT="json",
        LOG_LEVEL="DEBUG",
    )
    try:
        _, answer, _ = slack.command("/status", "409", channel_id="C-log", user_id="U1")
        assert header(answer["blocks"]) == "409 Conflict"
        slack.command("/status", "what code for duplicate email?", channel_id="C-log", user_id="U1")
        slack.command("/quiz", "start questions:1 seconds:30", channel_id="C-log", user_id="U1", user_name="ada")
        question = fake.wait_for(lambda: fake.messages("C-log"), what="the question")[0]
        choice = buttons(question.blocks)[0]
        slack.click(question.to_dict(), choice["action_id"], choice["value"], user_id="U2", channel_id="C-log")
        slack.command("/quiz", "stop", channel_id="C-log", user_id="U1", user_name="ada")
        fake.wait_for(lambda: any(header(m.blocks).startswith("Game over") for m in fake.messages("C-log")))
        # the storage breaks under the bot: the next game cannot be stored
        admin = create_engine(PG_URL)
        with admin.begin() as connection:
            connection.execute(text(f'DROP TABLE "{pg_schema}".quiz_channel_games CASCADE'))
        admin.dispose()
        _, failed, name = slack.command("/quiz", "start", channel_id="C-log2", user_id="U1", user_name="ada")
        said = failed or fake.wait_for_response(name)[0].body
        assert header(said["blocks"]) == "Sorry, that went wrong on my side"
        told = texts(said["blocks"])
        reference = re.search(r"quote reference ([0-9a-f]{8})\.", told)
        assert reference, told
        assert "Traceback" not in told and "quiz_channel_games" not in told
    finally:
        slack.stop()
    output = slack.log.read_text()
    entries = json_lines(output)
    matching = [e for e in entries if e.get("reference") == reference.group(1)]
    assert len(matching) == 1, output[-3000:]
    assert matching[0]["level"] == "ERROR"
    assert "Traceback" in str(matching[0]["exception"])  # the whole story is in the log, not in the chat
    for secret in (TOKEN, SECRET, DB_PASSWORD):
        assert secret not in output
        assert all(secret not in json.dumps(r.body) for r in fake.responses())
        assert all(secret not in (m.text or "") + json.dumps(m.blocks) for m in fake.messages())


def test_discord_logs_are_json_without_the_token(tmp_path: Path) -> None:
    with FakeDiscord() as fake:
        guild = fake.add_guild("Acme", members=["ada"])
        with discord_process(fake, guild, tmp_path, LOG_FORMAT="json", LOG_LEVEL="DEBUG") as bot:
            asked = fake.slash(
                "status",
                {"query": "409"},
                guild=guild,
                channel=guild.channel("general"),
                member=guild.member("ada"),
            )
            fake.wait_for(lambda: asked.original and asked.original.get("embeds"), 10, what="the answer")
            assert title(asked.original) == "409 Conflict"
        output = bot.output()
        assert bot.code == 0, output
        entries = json_lines(output)
        assert any(e["logger"].startswith("discord") for e in entries)  # the library's own lines are JSON too
        assert fake.token not in output
        assert fake.token.split(".")[2] not in output  # not even its HMAC part


def test_a_token_that_reaches_a_log_call_is_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("LOG_FORMAT", "json")
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging()
        stream = io.StringIO()
        root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
        logging.getLogger("statusbot.test").error(
            "calling with %s, secret %s, url %s", TOKEN, SECRET, f"postgresql://u:{DB_PASSWORD}@h/db"
        )
        line = json.loads(stream.getvalue())
        assert line["message"] == "calling with [redacted], secret [redacted], url postgresql://u:[redacted]@h/db"
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])


def test_a_malformed_log_format_is_one_line(tmp_path: Path) -> None:
    from tests.adapters.slack.conftest import run_until_exit

    code, stderr = run_until_exit(tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, LOG_FORMAT="xml")
    assert (code, stderr) == (
        2,
        "statusbot slack: LOG_FORMAT does not look right: it should be text or json, not 'xml'\n",
    )


def test_with_log_format_json_every_line_is_json(fake: FakeSlack, tmp_path: Path) -> None:
    slack = SlackProcess(fake, tmp_path, LOG_FORMAT="json")
    slack.stop()
    for line in slack.log.read_text().splitlines():
        json.loads(line)  # the start-up line too
