"""House rules in Slack, through the real `statusbot slack` process: a workspace admin adds one, and it changes an
answer, a /status check verdict and a quiz question for that workspace only; members may only list."""

from __future__ import annotations

from typing import Any

from tests.adapters.slack.conftest import SlackProcess, button, buttons, header, texts
from tests.fakes.slack_api import FakeSlack

EMAIL_MISTAKE = "POST /users (the email is missing the @ symbol) → 404 Not Found"


def status(slack: SlackProcess, fake: FakeSlack, text: str, **fields: Any) -> list[dict[str, Any]]:
    """The blocks of a /status answer: in the acknowledgement, or through response_url when it took longer."""
    code, ack, name = slack.command("/status", text, **fields)
    assert code == 200
    if isinstance(ack, dict):
        return list(ack["blocks"])
    return list(fake.wait_for_response(name)[0].body["blocks"])


def test_an_admins_rule_changes_answers_and_checks_and_members_only_list(slack: SlackProcess, fake: FakeSlack) -> None:
    boss = {"user_id": "U9", "user_name": "boss", "channel_id": "C-rules"}
    bob = {"user_id": "U2", "user_name": "bob", "channel_id": "C-rules"}
    before = status(slack, fake, "what code for a validation error on signup?", **bob)
    assert header(before) == "422 Unprocessable Content (formerly Unprocessable Entity)"
    refused = status(slack, fake, "rule add validation error -> 400", **bob)
    assert header(refused) == "Only admins and moderators can change house rules"
    fake.admins.add("U9")
    try:
        added = status(slack, fake, "rule add validation error -> 400", **boss)
        assert header(added) == "House rule 1 added"
        assert "“validation error” → 400 Bad Request" in texts(added)
        removing = status(slack, fake, "rule remove 1", **bob)
        assert header(removing) == "Only admins and moderators can change house rules"
    finally:
        fake.admins.discard("U9")
    listed = status(slack, fake, "rule list", **bob)
    assert header(listed) == "House rules (1)"
    assert "Rule 1*\n“validation error” → 400 Bad Request" in texts(listed)

    after = status(slack, fake, "what code for a validation error on signup?", **bob)
    assert header(after) == "House rule: 400 Bad Request"
    shown = texts(after)
    assert "Your team's rule 1: “validation error” → 400 Bad Request." in shown
    assert "RFC default: 422 Unprocessable Content (formerly Unprocessable Entity)" in shown
    assert "Why: a field value fails validation." in shown

    check = status(slack, fake, "check POST /users with invalid email → 422", **bob)
    assert header(check) == "422 Unprocessable Content breaks house rule 1; use 400 Bad Request"
    assert "“validation error” → 400 Bad Request" in texts(check)
    fits = status(slack, fake, "check POST /users with invalid email -> 400", **bob)
    assert header(fits) == "Looks right: 400 Bad Request (house rule 1)"

    # another workspace keeps the RFC answers
    elsewhere = {"user_id": "U2", "user_name": "bob", "channel_id": "C-rules", "team_id": "T2"}
    assert header(status(slack, fake, "rule list", **elsewhere)) == "No house rules yet"
    other = status(slack, fake, "what code for a validation error on signup?", **elsewhere)
    assert header(other) == "422 Unprocessable Content (formerly Unprocessable Entity)"
    assert fake.rejected == [] and slack.running()


def test_bad_rules_are_refused_and_user_text_is_escaped(slack: SlackProcess, fake: FakeSlack) -> None:
    boss = {"user_id": "U9", "user_name": "boss", "channel_id": "C-rules-bad", "team_id": "T3"}
    fake.admins.add("U9")
    try:
        assert header(status(slack, fake, "rule add validation error 400", **boss)) == (
            "A house rule needs an arrow between the situation and the code"
        )
        assert header(status(slack, fake, "rule add validation error -> 999", **boss)) == (
            "That code can't be a house rule"
        )
        added = status(slack, fake, "rule add <!channel> @here ping storm <@U1> -> 429", **boss)
        assert header(added) == "House rule 1 added"
    finally:
        fake.admins.discard("U9")
    listed = status(slack, fake, "rule list", user_id="U2", channel_id="C-rules-bad", team_id="T3")
    raw = " ".join(block["text"]["text"] for block in listed if "text" in block)
    assert "<!channel>" not in raw and "<@U1>" not in raw and "@here" not in raw
    assert "@\u200bhere" in raw  # shown, but it can't notify anyone
    assert "Rule 1*\n“!channel @here ping storm @U1” → 429 Too Many Requests" in texts(listed)
    assert fake.rejected == [] and slack.running()


def test_a_quiz_question_on_the_rules_situation_takes_the_house_rule(slack: SlackProcess, fake: FakeSlack) -> None:
    channel, team = "C-rules-quiz", "T4"
    fake.admins.add("U9")
    try:
        status(slack, fake, "rule add validation error -> 400", user_id="U9", channel_id=channel, team_id=team)
    finally:
        fake.admins.discard("U9")
    ada = {"user_id": "U1", "user_name": "ada", "channel_id": channel, "team_id": team}
    slack.command("/quiz", "start questions:5 seconds:60 level:easy topic:mistakes", **ada)
    for number in range(1, 6):  # the five easy mistake questions, in a random order
        wanted = f"Question {number} of 5"
        asked = fake.wait_for(
            lambda wanted=wanted: [m for m in fake.messages(channel) if m.blocks and header(m.blocks) == wanted],
            what=wanted,
        )[0]
        if EMAIL_MISTAKE in texts(asked.blocks):
            break
        slack.command("/quiz", "skip", **ada)
    else:
        raise AssertionError("the game never asked about the email without @")
    labels = [b["text"]["text"][3:] for b in buttons(asked.blocks)]
    assert "400 Bad Request" in labels and "422 Unprocessable Content" not in labels
    choice = button(asked.blocks, f"{chr(65 + labels.index('400 Bad Request'))}. 400 Bad Request")
    clicked = slack.click(asked.to_dict(), choice["action_id"], choice["value"], user_id="U2", channel_id=channel)
    said = header(fake.wait_for_response(clicked)[0].body["blocks"])
    assert said.startswith("Right! +")
    slack.command("/quiz", "skip", **ada)
    reveal = fake.wait_for(
        lambda: (m := fake.message(channel, asked.ts)) and header(m.blocks).startswith("Answer: ") and m.blocks,
        what="the reveal",
    )
    assert header(reveal) == "Answer: 400 Bad Request"
    assert "House rule: 400 Bad Request. The RFC default is 422 Unprocessable Content:" in texts(reveal)
    assert "First: bob." in texts(reveal)
    slack.command("/quiz", "stop", **ada)
    assert fake.rejected == [] and slack.running()
