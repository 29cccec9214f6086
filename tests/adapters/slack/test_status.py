"""/status in Slack, through the real `statusbot slack` process and slack-bolt, against a fake Slack."""

from __future__ import annotations

import time

import pytest

from tests.adapters.slack.conftest import SlackProcess, button, buttons, header, texts
from tests.fakes import slack_requests as req
from tests.fakes.slack_api import FakeSlack


@pytest.mark.parametrize(
    ("text", "title", "shown"),
    [
        ("409", "409 Conflict", "Share in channel"),
        ("what code for duplicate email?", "409 Conflict", "422"),
        ("401 vs 403", "401 Unauthorized vs 403 Forbidden", "403"),
        ("4xx", "4xx Client Error", "404"),
        ("Retry-After", "Retry-After", "429"),
        ("mistakes", "Common status code mistakes", "500"),
        ("lesson", "HTTP status codes in five families", "2xx"),
        ("help", "What statusbot understands", "/status guide"),
        ("", "What statusbot understands", "/quiz start"),
    ],
)
def test_every_status_kind_answers_privately_in_the_ack(
    slack: SlackProcess, fake: FakeSlack, text: str, title: str, shown: str
) -> None:
    status, ack, _ = slack.command("/status", text, channel_id="C-kinds")
    assert status == 200
    assert ack["response_type"] == "ephemeral"
    assert header(ack["blocks"]).startswith(title)
    assert shown in texts(ack["blocks"]) + " ".join(b["text"]["text"] for b in buttons(ack["blocks"]))
    assert ack["text"]  # the notification text is never empty
    assert fake.messages("C-kinds") == []  # nothing was posted for the channel to see
    assert fake.rejected == [] and slack.running()


def test_share_posts_the_same_card_for_everyone_saying_who_shared_it(slack: SlackProcess, fake: FakeSlack) -> None:
    _, ack, _ = slack.command("/status", "409", channel_id="C-share", user_name="ada")
    share = button(ack["blocks"], "Share in channel")
    slack.click({"ts": "1.1", "blocks": ack["blocks"]}, share["action_id"], share["value"], channel_id="C-share")
    posted = fake.wait_for(lambda: fake.messages("C-share"), what="the shared card")[0]
    assert header(posted.blocks) == "409 Conflict"
    assert "Shared by ada" in texts(posted.blocks)
    assert buttons(posted.blocks) == []  # a shared card has no share button of its own
    assert fake.rejected == []


def test_the_guide_edits_its_message_in_place_to_an_outcome(slack: SlackProcess, fake: FakeSlack) -> None:
    _, ack, _ = slack.command("/status", "guide", channel_id="C-guide")
    assert header(ack["blocks"]) == "Did the request succeed?"
    blocks = ack["blocks"]
    for label in ("No, something went wrong", "The client", "No or invalid credentials"):
        choice = button(blocks, label)
        name = slack.click({"ts": "1.2", "blocks": blocks}, choice["action_id"], choice["value"], channel_id="C-guide")
        posted = fake.wait_for_response(name)[0].body
        assert posted["replace_original"] is True  # the same message, edited
        blocks = posted["blocks"]
    assert header(blocks) == "Use 401 Unauthorized"
    assert "No, something went wrong → The client" in texts(blocks)
    assert fake.rejected == []


def test_check_reviews_inline(slack: SlackProcess) -> None:
    _, ack, _ = slack.command("/status", "check GET /users/invalid-id -> 500", channel_id="C-check")
    assert header(ack["blocks"]) == "500 Internal Server Error doesn't fit; use 400 Bad Request"
    assert "Common mistake 4" in texts(ack["blocks"])


def test_check_without_text_opens_a_dialog_whose_answer_replaces_it(slack: SlackProcess, fake: FakeSlack) -> None:
    status, ack, _ = slack.command("/status", "check", channel_id="C-modal")
    assert status == 200 and ack == ""
    opened = fake.wait_for_call("views.open")[-1].args["view"]
    assert opened["title"]["text"] == "Check a response"
    box = opened["blocks"][0]
    body = req.view_submission(
        opened["callback_id"],
        {box["block_id"]: {box["element"]["action_id"]: "HTTP/1.1 429 Too Many Requests\nContent-Type: text/plain"}},
        private_metadata=opened["private_metadata"],
    )
    status, answer = slack.send(body)
    assert status == 200
    assert answer["response_action"] == "update"
    assert header(answer["view"]["blocks"]) == "429 Too Many Requests fits, but the response is missing something"
    assert "Retry-After" in texts(answer["view"]["blocks"])
    assert fake.rejected == []


def test_the_message_shortcut_checks_any_message(slack: SlackProcess, fake: FakeSlack) -> None:
    url = fake.response_url("shortcut")
    body = req.message_shortcut("statusbot.check_message", "POST /users with invalid email -&gt; 404", response_url=url)
    status, _ = slack.send(body)
    assert status == 200
    answer = fake.wait_for_response("shortcut")[0].body
    assert answer["response_type"] == "ephemeral"
    assert header(answer["blocks"]) == "404 Not Found doesn't fit; use 422 Unprocessable Content"


def test_direct_messages_and_mentions_use_the_same_grammar(slack: SlackProcess, fake: FakeSlack) -> None:
    dm = {"type": "message", "channel_type": "im", "user": "U7", "text": "401 vs 403", "channel": "D7", "ts": "5.1"}
    assert slack.event(dm) == 200
    answer = fake.wait_for(lambda: fake.messages("D7"), what="the DM answer")[0]
    assert header(answer.blocks) == "401 Unauthorized vs 403 Forbidden"
    assert "Share in channel" not in texts(answer.blocks)  # a DM has nobody else to share it with
    assert slack.event(req.app_mention("<@U0BOT> what code for duplicate email?", channel_id="C-mention")) == 200
    private = fake.wait_for(lambda: fake.ephemerals("C-mention"), what="the mention's private answer")[0]
    assert header(private.blocks) == "409 Conflict"
    assert fake.messages("C-mention") == []
    assert fake.rejected == []


def test_app_home_shows_help_and_the_workspace_leaderboard(slack: SlackProcess, fake: FakeSlack) -> None:
    assert slack.event(req.app_home_opened("U8")) == 200
    view = fake.wait_for(lambda: fake.home_view("U8"), what="the home tab")
    assert view["type"] == "home"
    shown = texts(view["blocks"])
    assert "What statusbot understands" in shown and "Leaderboard, all time" in shown
    assert fake.rejected == []


@pytest.mark.parametrize(
    "text",
    [
        "@everyone <!channel> <@U123> hi",
        "<https://evil.example|click> me",
        "[label](https://example.com)",
        "x" * 6000,
        "\u202eevil\u200b\u200d",
    ],
)
def test_hostile_input_gets_a_valid_reply_that_cannot_ping_or_link(
    slack: SlackProcess, fake: FakeSlack, text: str
) -> None:
    status, ack, _ = slack.command("/status", text, channel_id="C-hostile")
    assert status == 200
    shown = texts(ack["blocks"]) + ack["text"]
    for unsafe in ("<!channel>", "<@U123>", "<https://evil", "@everyone", "https://example.com", "evil.example"):
        assert unsafe not in shown
    assert fake.rejected == [] and slack.running()


def test_forged_stale_and_replayed_requests_are_refused_and_change_nothing(
    slack: SlackProcess, fake: FakeSlack
) -> None:
    url = fake.response_url("forged")
    body = req.slash_command("/quiz", "start", channel_id="C-forged", response_url=url)
    assert slack.send(body, req.sign("f" * 32, body))[0] == 401
    assert slack.send(body, req.sign(slack.secret, body, timestamp=int(time.time()) - 400))[0] == 401
    signed = req.sign(slack.secret, body)
    assert slack.send(body, signed)[0] == 200
    assert slack.send(body, signed)[0] == 401  # the same signed request again
    fake.wait_for(lambda: fake.messages("C-forged"), what="the one game's question")
    slack.command("/quiz", "stop", channel_id="C-forged")
    fake.wait_for(lambda: [m for m in fake.messages("C-forged") if header(m.blocks).startswith("Game over")])
    assert len(fake.messages("C-forged")) == 2  # one question, one final standings: the replay started nothing


def test_an_unknown_subcommand_gets_a_private_did_you_mean(slack: SlackProcess) -> None:
    _, ack, _ = slack.command("/quiz", "strat questions:3", channel_id="C-typo")
    assert ack["response_type"] == "ephemeral"
    assert header(ack["blocks"]) == "Did you mean /quiz start?"
    _, ack, _ = slack.command("/status", "giude", channel_id="C-typo")
    assert header(ack["blocks"]) == "Did you mean /status guide?"
