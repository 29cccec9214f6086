"""The Slack fake against real slack_sdk / slack_bolt code over loopback."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond, AsyncSay
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook import WebhookClient

from tests.fakes import slack_requests as sr
from tests.fakes.blockkit import validate_blocks, validate_message, validate_view
from tests.fakes.slack_api import FakeSlack, OAuthGrant

SECRET = "fake-signing-secret"
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    # AsyncWebClient ignores NO_PROXY: a proxy variable would send loopback traffic away.
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake.base_url)


def section(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def button(action_id: str, text: str = "Go", value: str = "v", **extra: Any) -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": text},
        "value": value,
        **extra,
    }


def actions(*elements: dict[str, Any], block_id: str = "answers") -> dict[str, Any]:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}


# -- Web API with the real WebClient -------------------------------------------------------------------------------


def test_post_and_update_round_trip(fake: FakeSlack, client: WebClient) -> None:
    auth = client.auth_test()
    assert (auth["team_id"], auth["user_id"], auth["bot_id"]) == ("T1", "U0BOT", "B0BOT")

    posted = client.chat_postMessage(channel="C1", text="409 Conflict", blocks=[section("*409*")])
    assert posted["channel"] == "C1" and posted["message"]["text"] == "409 Conflict"
    second = client.chat_postMessage(channel="C1", text="again")
    assert float(second["ts"]) > float(posted["ts"])

    updated = client.chat_update(channel="C1", ts=posted["ts"], text="410 Gone", blocks=[section("*410*")])
    assert updated["ts"] == posted["ts"]

    first, _ = fake.messages("C1")
    assert (first.text, first.edits, first.user) == ("410 Gone", 1, "U0BOT")
    assert first.blocks == [section("*410*")]
    assert [c.method for c in fake.calls] == ["auth.test", "chat.postMessage", "chat.postMessage", "chat.update"]
    assert fake.calls_to("chat.update")[0].args["text"] == "410 Gone"

    with pytest.raises(SlackApiError) as missing:
        client.chat_update(channel="C2", ts=posted["ts"], text="x")
    assert missing.value.response["error"] == "message_not_found"

    client.chat_delete(channel="C1", ts=posted["ts"])
    assert [m.text for m in fake.messages("C1")] == ["again"]
    fake.assert_no_problems()


def test_form_encoded_posts_with_json_string_blocks(fake: FakeSlack, client: WebClient) -> None:
    client.api_call("chat.postMessage", data={"channel": "C1", "text": "t", "blocks": json.dumps([section("form")])})
    assert fake.messages("C1")[0].blocks == [section("form")]
    assert fake.calls[-1].headers["Content-Type"].startswith("application/x-www-form-urlencoded")

    with pytest.raises(SlackApiError) as broken:
        client.api_call("chat.postMessage", data={"channel": "C1", "text": "t", "blocks": "[{not json"})
    assert broken.value.response["error"] == "invalid_blocks_format"


def test_tokens(fake: FakeSlack, client: WebClient) -> None:
    for token, error in (("xoxp-user", "invalid_auth"), ("xapp-1-app", "not_allowed_token_type")):
        with pytest.raises(SlackApiError) as refused:
            WebClient(token=token, base_url=fake.base_url).chat_postMessage(channel="C1", text="x")
        assert refused.value.response["error"] == error
    opened = WebClient(base_url=fake.base_url).apps_connections_open(app_token="xapp-1-app")
    assert opened["url"].startswith(f"ws://127.0.0.1:{fake.port}/link?ticket=")

    fake.invalid_tokens.add("xoxb-test")
    with pytest.raises(SlackApiError) as revoked:
        client.auth_test()
    assert revoked.value.response["error"] == "invalid_auth"


def test_rate_limit_is_retried_after_retry_after(fake: FakeSlack) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=1)
    retrying = WebClient(
        token="xoxb-test", base_url=fake.base_url, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)]
    )
    started = time.monotonic()
    retrying.chat_postMessage(channel="C1", text="quiz question")
    assert time.monotonic() - started >= 1.0  # slack_sdk slept Retry-After (+ jitter) before trying again
    first, second = fake.calls_to("chat.postMessage")
    assert (first.status, first.error, second.status, second.ok) == (429, "ratelimited", 200, True)
    assert len(fake.messages("C1")) == 1  # the retried post was not lost, nor doubled


def test_injected_errors_without_retry(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=30)
    fake.fail_next("chat.postMessage", error="channel_not_found", times=2)
    with pytest.raises(SlackApiError) as limited:
        client.chat_postMessage(channel="C1", text="x")
    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "30"
    for _ in range(2):
        with pytest.raises(SlackApiError, match="channel_not_found"):
            client.chat_postMessage(channel="C1", text="x")
    assert client.chat_postMessage(channel="C1", text="x")["ok"]


def test_membership(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C2", text="open by default")
    fake.bot_channels.add("C1")
    with pytest.raises(SlackApiError, match="not_in_channel"):
        client.chat_postMessage(channel="C2", text="x")
    client.chat_postMessage(channel="C1", text="member")
    client.chat_postMessage(channel="D1", text="direct messages need no membership")
    assert client.conversations_info(channel="C2")["channel"]["is_member"] is False


def test_message_payloads_are_validated(fake: FakeSlack, client: WebClient) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        (
            {"blocks": [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}], "text": "t"},
            "invalid_blocks",
        ),
        ({"text": "x" * 40_001}, "msg_too_long"),
        ({"text": ""}, "no_text"),
    ]
    for kwargs, error in cases:
        with pytest.raises(SlackApiError) as refused:
            # api_call skips slack_sdk's client-side text warning: the fake's own check is under test.
            client.api_call("chat.postMessage", json={"channel": "C1", **kwargs})
        assert refused.value.response["error"] == error
    assert refused.value.response.status_code == 200
    assert [method for method, _ in fake.rejected] == ["chat.postMessage"] * 3
    assert "151 characters; max 150" in fake.rejected[0][1][0]
    assert fake.messages() == []

    with pytest.warns(UserWarning, match="top-level `text`"):
        client.chat_postMessage(channel="C1", blocks=[section("no fallback")])
    assert fake.warnings[0][0] == "chat.postMessage"
    with pytest.raises(AssertionError, match="without top-level text"):
        fake.assert_no_problems()


def test_views_users_and_ephemerals(fake: FakeSlack, client: WebClient) -> None:
    modal = {"type": "modal", "callback_id": "ask", "title": {"type": "plain_text", "text": "Ask"}, "blocks": []}
    view = client.views_open(trigger_id="1.2.abc", view=modal)["view"]
    assert view["id"].startswith("V") and view["callback_id"] == "ask"
    client.views_update(view_id=view["id"], view={**modal, "blocks": [section("more")]})
    assert fake.views[view["id"]]["blocks"] == [section("more")]
    with pytest.raises(SlackApiError) as too_long:
        client.views_open(trigger_id="1.2.abc", view={**modal, "title": {"type": "plain_text", "text": "x" * 25}})
    assert too_long.value.response["error"] == "invalid_arguments"
    assert "view.title.text: is 25 characters; max 24" in too_long.value.response["errors"]

    home = client.views_publish(user_id="U1", view={"type": "home", "blocks": [section("home")]})["view"]
    again = client.views_publish(user_id="U1", view={"type": "home", "blocks": [section("home 2")]})["view"]
    assert home["id"] == again["id"] and fake.home_view("U1")["blocks"] == [section("home 2")]  # type: ignore[index]

    fake.admins.add("U9")
    assert client.users_info(user="U9")["user"]["is_admin"] is True
    assert client.users_info(user="U1")["user"]["is_admin"] is False

    assert client.chat_postEphemeral(channel="C1", user="U1", text="only you")["message_ts"]
    assert [e.text for e in fake.ephemerals(user="U1")] == ["only you"]


def test_oauth_install_flow(fake: FakeSlack) -> None:
    fake.oauth_grants["code-9"] = OAuthGrant("T9", "Other Team", user_id="U7", bot_user_id="U0BOT9")
    anonymous = WebClient(base_url=fake.base_url)
    access = anonymous.oauth_v2_access(client_id="111.222", client_secret="s3cret", code="code-9")
    assert access["access_token"].startswith("xoxb-T9-")
    assert access["team"] == {"id": "T9", "name": "Other Team"} and access["enterprise"] is None
    assert (access["authed_user"]["id"], access["bot_user_id"], access["token_type"]) == ("U7", "U0BOT9", "bot")
    assert access["is_enterprise_install"] is False

    installed = WebClient(token=access["access_token"], base_url=fake.base_url)
    assert (installed.auth_test()["team_id"], installed.auth_test()["user_id"]) == ("T9", "U0BOT9")
    with pytest.raises(SlackApiError, match="invalid_code"):
        anonymous.oauth_v2_access(client_id="111.222", client_secret="s3cret", code="code-9")

    installed.apps_uninstall(client_id="111.222", client_secret="s3cret")
    with pytest.raises(SlackApiError, match="invalid_auth"):
        installed.auth_test()


def test_response_url_posts(fake: FakeSlack, client: WebClient) -> None:
    original = client.chat_postMessage(channel="C1", text="question", blocks=[actions(button("answer"))])
    command_url = fake.response_url("cmd", channel="C1", user="U1")
    click_url = fake.response_url("click", channel="C1", user="U1", message_ts=original["ts"])

    assert WebhookClient(command_url).send(text="just you").status_code == 200
    WebhookClient(command_url).send(text="everyone", response_type="in_channel")
    WebhookClient(click_url).send(text="answered", replace_original=True)
    refused = WebhookClient(command_url).send(text="t", blocks=[{"type": "sectoin"}])

    assert refused.status_code == 400 and fake.rejected[-1][0] == "response_url"
    assert [r.body["text"] for r in fake.responses("cmd")] == ["just you", "everyone", "t"]
    assert [e.text for e in fake.ephemerals("C1", "U1")] == ["just you"]
    assert [(m.text, m.blocks, m.edits) for m in fake.messages("C1")] == [("answered", None, 1), ("everyone", None, 0)]
    WebhookClient(click_url).send_dict({"delete_original": True})
    assert [m.text for m in fake.messages("C1")] == ["everyone"]

    status, _, body = sr.post(command_url, b"not json", {"Content-Type": "application/json"})
    assert (status, json.loads(body)["error"]) == (400, "invalid_payload")


def test_wait_for_timeout_explains(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="hello")
    assert fake.wait_for_call("chat.postMessage", where=lambda args: args["channel"] == "C1")
    with pytest.raises(AssertionError) as timed_out:
        fake.wait_for_call("chat.update", timeout=0.05)
    assert "1 x chat.update" in str(timed_out.value) and "chat.postMessage [200 ok]" in str(timed_out.value)


def test_stop_leaves_nothing_running() -> None:
    slack = FakeSlack().start()
    port, thread = slack.port, slack._thread
    slack.stop()
    slack.stop()  # idempotent
    assert thread is not None and not thread.is_alive()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


# -- request builders ----------------------------------------------------------------------------------------------


def test_signatures_verify_with_slack_sdk() -> None:
    body = sr.slash_command("/status", "409")
    headers = sr.sign(SECRET, body)
    verifier = SignatureVerifier(SECRET)
    assert verifier.is_valid_request(body, headers)
    assert headers["Content-Type"] == sr.FORM
    assert sr.sign(SECRET, sr.event(sr.app_mention("hi")))["Content-Type"] == sr.JSON
    assert not verifier.is_valid_request(body, sr.sign(SECRET, body, int(time.time()) - 360))


def test_block_action_payload_takes_element_from_message() -> None:
    select = {
        "type": "static_select",
        "action_id": "pick",
        "options": [{"text": {"type": "plain_text", "text": "Four-oh-nine"}, "value": "409"}],
    }
    message = {"ts": "1.2", "text": "q", "blocks": [actions(button("answer_0", "A"), select, block_id="quiz")]}
    clicked = sr.block_action_payload("answer_0", "v", message=message)["actions"][0]
    assert (clicked["type"], clicked["block_id"], clicked["text"]["text"]) == ("button", "quiz", "A")
    picked = sr.block_action_payload("pick", "409", message=message)["actions"][0]
    assert picked["selected_option"]["value"] == "409"
    ephemeral = sr.block_action_payload("answer_0", "v", message=message, container_is_ephemeral=True)
    assert "message" not in ephemeral and ephemeral["container"]["message_ts"] == "1.2"


# -- slack_bolt over HTTP and Socket Mode --------------------------------------------------------------------------


def build_bolt_app(fake: FakeSlack, **app_kwargs: Any) -> AsyncApp:
    app = AsyncApp(client=AsyncWebClient(token="xoxb-test", base_url=fake.base_url), **app_kwargs)

    @app.command("/status")
    async def status(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        await ack(text=f"status {command['text']}", blocks=[section(f"*{command['text']}*")])
        await respond(text="follow-up", replace_original=False)

    @app.action("answer")
    async def answer(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, say: AsyncSay) -> None:
        await ack()
        await client.chat_update(
            channel=body["channel"]["id"], ts=body["message"]["ts"], text=f"picked {body['actions'][0]['value']}"
        )

    return app


@pytest_asyncio.fixture
async def bolt_http(fake: FakeSlack) -> AsyncIterator[str]:
    app = build_bolt_app(fake, signing_secret=SECRET)
    runner = web.AppRunner(app.server(path="/slack/events").web_app, access_log=None)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/slack/events"
    finally:
        await runner.cleanup()


@pytest.mark.asyncio
async def test_async_app_over_http(fake: FakeSlack, bolt_http: str) -> None:
    body = sr.slash_command("/status", "409", response_url=fake.response_url("cmd", channel="C1", user="U1"))
    status, headers, answer = await sr.post_async(bolt_http, body, sr.sign(SECRET, body))
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    ack = json.loads(answer)
    assert ack["text"] == "status 409" and validate_message(ack) == []
    (follow_up,) = await fake.wait_for_response_async("cmd")
    assert follow_up.body["text"] == "follow-up"

    posted = await AsyncWebClient(token="xoxb-test", base_url=fake.base_url).chat_postMessage(
        channel="C1", text="question", blocks=[actions(button("answer", value="409"))]
    )
    message = fake.message("C1", posted["ts"])
    assert message is not None
    click = sr.block_action("answer", "409", message=message)
    status, _, answer = await sr.post_async(bolt_http, click, sr.sign(SECRET, click))
    assert (status, answer) == (200, b"")
    await fake.wait_for_call_async("chat.update")
    assert fake.messages("C1")[0].text == "picked 409"

    forged = sr.sign("not-the-secret", body)
    status, _, answer = await sr.post_async(bolt_http, body, forged)
    assert status == 401 and json.loads(answer) == {"error": "invalid request"}
    assert [c.method for c in fake.calls] == ["auth.test", "chat.postMessage", "chat.update"]
    fake.assert_no_problems()


@pytest.mark.asyncio
async def test_async_app_over_socket_mode(fake: FakeSlack) -> None:
    app = build_bolt_app(fake)
    handler = AsyncSocketModeHandler(app, app_token="xapp-1-test")
    await handler.connect_async()
    try:
        await fake.socket_connected_async()
        url = fake.response_url("cmd")
        envelope = fake.socket_send("slash_commands", sr.slash_command_payload("/status", "404", response_url=url))
        ack = await fake.wait_for_socket_ack_async(envelope)
        assert ack.payload is not None and ack.payload["text"] == "status 404"
        await fake.wait_for_response_async("cmd")

        message = fake.add_message("C1", "q", user="U0BOT", blocks=[actions(button("answer"))])
        clicked = fake.socket_send("interactive", sr.block_action_payload("answer", "418", message=message))
        assert (await fake.wait_for_socket_ack_async(clicked)).payload is None
        await fake.wait_for_call_async("chat.update")
        assert fake.messages("C1")[0].text == "picked 418"
        assert len(fake.calls_to("apps.connections.open")) == 1
    finally:
        await handler.close_async()
    await fake.wait_for_async(lambda: fake.socket_connections == 0, what="socket closed")
    fake.assert_no_problems()


# -- Block Kit validator -------------------------------------------------------------------------------------------


def header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": text}}


def modal(**overrides: Any) -> dict[str, Any]:
    return {"type": "modal", "title": {"type": "plain_text", "text": "Quiz"}, "blocks": [], **overrides}


def text_input(**element: Any) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": "q",
        "label": {"type": "plain_text", "text": "Question"},
        "element": {"type": "plain_text_input", "action_id": "q", **element},
    }


def select(n_options: int, *, text: str = "opt", value: str = "v") -> dict[str, Any]:
    options = [{"text": {"type": "plain_text", "text": text}, "value": f"{value}{i}"} for i in range(n_options)]
    return {"type": "static_select", "action_id": "s", "options": options}


CONFIRM = {
    "title": {"type": "plain_text", "text": "Sure?"},
    "text": {"type": "mrkdwn", "text": "Really"},
    "confirm": {"type": "plain_text", "text": "Yes"},
    "deny": {"type": "plain_text", "text": "No"},
}


VALID_MESSAGE: list[dict[str, Any]] = [
    header("409 Conflict"),
    section("The request conflicts.", block_id="s1", accessory=button("more", url="https://example.com")),
    {"type": "section", "fields": [{"type": "mrkdwn", "text": "*Class*"}, {"type": "plain_text", "text": "4xx"}]},
    {"type": "divider"},
    actions(
        button("a0", "A", style="primary", confirm=CONFIRM),
        select(3),
        {"type": "overflow", "action_id": "o", "options": select(2)["options"]},
    ),
    {
        "type": "context",
        "elements": [
            {"type": "mrkdwn", "text": "ctx"},
            {"type": "image", "image_url": "https://x/i.png", "alt_text": "i"},
        ],
    },
    {"type": "image", "image_url": "https://x/i.png", "alt_text": "diagram"},
    {"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": "hi"}]}]},
    {"type": "markdown", "text": "**bold**"},
    text_input(multiline=True, max_length=3000, placeholder={"type": "plain_text", "text": "Ask"}),
]


def test_valid_payloads_pass() -> None:
    assert validate_blocks(VALID_MESSAGE) == []
    assert validate_view(modal(blocks=[text_input()], submit={"type": "plain_text", "text": "Ask"})) == []
    assert validate_view({"type": "home", "blocks": [section("x")] * 100}) == []


def msg(*blocks: dict[str, Any]) -> list[dict[str, Any]]:
    return list(blocks)


BLOCK_CASES: list[tuple[str, list[dict[str, Any]], str]] = [
    ("51 blocks", [{"type": "divider"}] * 51, "51 blocks; max 50"),
    ("header 151", msg(header("x" * 151)), "151 characters; max 150"),
    ("header mrkdwn", msg({"type": "header", "text": {"type": "mrkdwn", "text": "x"}}), "must be plain_text"),
    ("section 3001", msg(section("x" * 3001)), "3001 characters; max 3000"),
    ("empty section text", msg(section("")), "0 characters; min 1"),
    ("blank section text", msg(section("   ")), "only whitespace"),
    ("section without text", msg({"type": "section"}), "needs 'text' or 'fields'"),
    ("11 fields", msg({"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}), "11 fields; max 10"),
    ("field 2001", msg({"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}), "max 2000"),
    ("bad text type", msg({"type": "section", "text": {"type": "markdown", "text": "x"}}), "plain_text or mrkdwn"),
    ("button text 76", msg(actions(button("a", "x" * 76))), "76 characters; max 75"),
    ("button value 2001", msg(actions(button("a", value="v" * 2001))), "2001 characters; max 2000"),
    ("button url 3001", msg(actions(button("a", url="u" * 3001))), "3001 characters; max 3000"),
    ("button style", msg(actions(button("a", style="default"))), "'primary' or 'danger'"),
    ("action_id 256", msg(actions(button("a" * 256))), "256 characters; max 255"),
    ("duplicate action_id", msg(actions(button("a")), actions(button("a"), block_id="b2")), "duplicate action_id 'a'"),
    ("block_id 256", msg(section("x", block_id="b" * 256)), "256 characters; max 255"),
    ("duplicate block_id", msg(section("x", block_id="b"), section("y", block_id="b")), "duplicate block_id 'b'"),
    ("unknown block type", msg({"type": "sectoin", "text": {"type": "mrkdwn", "text": "x"}}), "unknown block type"),
    ("unknown key", msg({**actions(button("a")), "text": "typo"}), "unknown key 'text'"),
    ("26 elements", msg(actions(*[button(f"a{i}") for i in range(26)])), "26 elements; max 25"),
    ("empty actions", msg(actions()), "0 elements; min 1"),
    ("11 context elements", msg({"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}), "max 10"),
    ("context 2001", msg({"type": "context", "elements": [{"type": "mrkdwn", "text": "c" * 2001}]}), "max 2000"),
    ("101 options", msg(actions(select(101))), "101 options; max 100"),
    ("option text 76", msg(actions(select(1, text="o" * 76))), "76 characters; max 75"),
    ("option value 151", msg(actions(select(1, value="v" * 151))), "max 150"),
    (
        "6 overflow options",
        msg(actions({"type": "overflow", "action_id": "o", "options": select(6)["options"]})),
        "max 5",
    ),
    (
        "confirm title 101",
        msg(actions(button("a", confirm={**CONFIRM, "title": {"type": "plain_text", "text": "t" * 101}}))),
        "max 100",
    ),
    (
        "confirm text 301",
        msg(actions(button("a", confirm={**CONFIRM, "text": {"type": "mrkdwn", "text": "t" * 301}}))),
        "max 300",
    ),
    (
        "confirm deny 31",
        msg(actions(button("a", confirm={**CONFIRM, "deny": {"type": "plain_text", "text": "d" * 31}}))),
        "max 30",
    ),
    ("input label 2001", msg({**text_input(), "label": {"type": "plain_text", "text": "l" * 2001}}), "max 2000"),
    ("input max_length 3001", msg(text_input(max_length=3001)), "must be an integer 1..3000"),
    ("input placeholder 151", msg(text_input(placeholder={"type": "plain_text", "text": "p" * 151})), "max 150"),
    ("input multiline str", msg(text_input(multiline="yes")), "must be a boolean"),
    ("input optional str", msg({**text_input(), "optional": "true"}), "must be a boolean"),
    ("input element type", msg({**text_input(), "element": button("a")}), "not allowed here"),
    (
        "image without alt_text",
        msg({"type": "image", "image_url": "https://x/i.png"}),
        "missing required key 'alt_text'",
    ),
]


@pytest.mark.parametrize(("blocks", "expected"), [c[1:] for c in BLOCK_CASES], ids=[c[0] for c in BLOCK_CASES])
def test_validator_catches(blocks: list[dict[str, Any]], expected: str) -> None:
    problems = validate_blocks(blocks)
    assert any(expected in p for p in problems), problems


VIEW_CASES: list[tuple[str, dict[str, Any], str]] = [
    (
        "modal title 25",
        modal(title={"type": "plain_text", "text": "t" * 25}),
        "view.title.text: is 25 characters; max 24",
    ),
    ("submit 25", modal(submit={"type": "plain_text", "text": "s" * 25}), "view.submit.text: is 25"),
    ("close 25", modal(close={"type": "plain_text", "text": "c" * 25}), "view.close.text: is 25"),
    ("callback_id 256", modal(callback_id="c" * 256), "view.callback_id: is 256"),
    ("private_metadata 3001", modal(private_metadata="m" * 3001), "view.private_metadata: is 3001"),
    ("101 modal blocks", modal(blocks=[{"type": "divider"}] * 101), "101 blocks; max 100 for a modal"),
    ("101 home blocks", {"type": "home", "blocks": [{"type": "divider"}] * 101}, "101 blocks; max 100 for a home"),
    ("input without submit", modal(blocks=[text_input()]), "needs a 'submit' button"),
    ("unknown view type", {"type": "dialog", "blocks": []}, "must be 'modal' or 'home'"),
    (
        "home with title",
        {"type": "home", "blocks": [], "title": {"type": "plain_text", "text": "x"}},
        "unknown key 'title'",
    ),
]


@pytest.mark.parametrize(("view", "expected"), [c[1:] for c in VIEW_CASES], ids=[c[0] for c in VIEW_CASES])
def test_view_validator_catches(view: dict[str, Any], expected: str) -> None:
    problems = validate_view(view)
    assert any(expected in p for p in problems), problems


def test_action_ids_may_repeat_across_blocks_when_asked() -> None:
    blocks = [actions(button("a")), actions(button("a"), block_id="b2")]
    assert validate_blocks(blocks, unique_action_ids_per="block") == []
    assert validate_blocks([actions(button("a"), button("a"))], unique_action_ids_per="block")
