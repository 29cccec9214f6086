"""Socket Mode: the real `statusbot slack` process with SLACK_APP_TOKEN connects out to the fake's WebSocket."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.adapters.slack.conftest import TOKEN, SocketModeProcess, button, buttons, header, texts
from tests.fakes import slack_requests as req
from tests.fakes.blockkit import validate_message
from tests.fakes.slack_api import FakeSlack

APP_TOKEN = "xapp-1-A1-socket"


@pytest.fixture(scope="module")
def bot(fake: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SocketModeProcess]:
    process = SocketModeProcess(fake, tmp_path_factory.mktemp("socket"), app_token=APP_TOKEN)
    yield process
    process.stop()


def test_it_connects_with_the_app_token_and_serves_no_http(bot: SocketModeProcess, fake: FakeSlack) -> None:
    assert fake.socket_connected() == 1
    opened = fake.calls_to("apps.connections.open")
    assert [c.token for c in opened] == [APP_TOKEN] and opened[0].ok
    assert TOKEN in [c.token for c in fake.calls_to("auth.test")]
    assert "listening on" not in bot.stderr()


def test_status_is_answered_in_the_ack_frame_and_share_posts_to_the_channel(
    bot: SocketModeProcess, fake: FakeSlack
) -> None:
    url = fake.response_url("socket-409")
    envelope = fake.socket_send(
        "slash_commands", req.slash_command_payload("/status", "409", channel_id="C-socket", response_url=url)
    )
    ack = fake.wait_for_socket_ack(envelope)
    assert ack.payload is not None
    assert ack.payload["response_type"] == "ephemeral"
    assert header(ack.payload["blocks"]) == "409 Conflict"
    assert validate_message(ack.payload) == []
    assert fake.messages("C-socket") == []  # private until shared
    share = button(ack.payload["blocks"], "Share in channel")
    click = req.block_action_payload(
        share["action_id"],
        share["value"],
        message={"ts": "1.1", "blocks": ack.payload["blocks"]},
        channel_id="C-socket",
        user_name="ada",
        response_url=fake.response_url("socket-share"),
    )
    clicked = fake.socket_send("interactive", click)
    assert fake.wait_for_socket_ack(clicked).payload is None  # an empty ack: the answer goes to the channel
    posted = fake.wait_for(lambda: fake.messages("C-socket"), what="the shared card")[0]
    assert header(posted.blocks or []) == "409 Conflict"
    assert "Shared by ada" in texts(posted.blocks or [])
    assert buttons(posted.blocks or []) == []
    assert fake.calls_to("chat.postMessage")[-1].token == TOKEN
    assert fake.rejected == [] and bot.running()


def test_sigterm_closes_the_connection_and_exits_cleanly(fake: FakeSlack, tmp_path: Path) -> None:
    before = fake.socket_connections
    process = SocketModeProcess(fake, tmp_path, app_token=APP_TOKEN)
    try:
        fake.socket_connected(count=before + 1)
        process.process.terminate()
        assert process.process.wait(10) == 0
        fake.wait_for(lambda: fake.socket_connections == before, what="the socket closed")
        assert "Traceback" not in process.stderr()
    finally:
        process.stop()
