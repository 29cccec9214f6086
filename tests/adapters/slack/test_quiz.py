"""/quiz in Slack: a whole game with several players, permissions, typed answers, refusals, API failures."""

from __future__ import annotations

import re
from typing import Any

from tests.adapters.slack.conftest import SlackProcess, buttons, header, texts
from tests.fakes.slack_api import FakeSlack, Message

PLAYERS = [("U1", "ada"), ("U2", "bob"), ("U3", "cy"), ("U4", "dee")]


def question_messages(fake: FakeSlack, channel: str) -> list[Message]:
    return [m for m in fake.messages(channel) if m.blocks and header(m.blocks).startswith(("Question", "Answer"))]


def private_answers(fake: FakeSlack, name: str) -> list[str]:
    return [header(r.body["blocks"]) for r in fake.responses(name)]


def everyone_clicks(slack: SlackProcess, message: Message, channel: str) -> dict[str, str]:
    """Player i clicks choice i (when there is one); the label each clicked, by name."""
    picked = {}
    for (user_id, name), choice in zip(PLAYERS, buttons(message.blocks), strict=False):
        slack.click(
            message.to_dict(), choice["action_id"], choice["value"], user_id=user_id, user_name=name, channel_id=channel
        )
        picked[name] = choice["text"]["text"][3:]  # "A. 409 Conflict" → "409 Conflict"
    return picked


def first_right(reveal: list[dict[str, Any]]) -> str:
    found = re.search(r"First: (\w+)\.", texts(reveal))
    return found.group(1) if found else ""


def test_a_whole_game_with_several_players(slack: SlackProcess, fake: FakeSlack) -> None:
    channel = "C-game"
    status, ack, _ = slack.command("/quiz", "start questions:2 seconds:12", channel_id=channel, user_name="ada")
    assert status == 200 and ack == ""
    first = fake.wait_for(lambda: question_messages(fake, channel), what="question 1")[0]
    assert header(first.blocks) == "Question 1 of 2"
    assert "12 s to pick an answer · one answer each" in texts(first.blocks)
    picked = everyone_clicks(slack, first, channel)
    # a second click by the same player is acknowledged privately and ignored
    again = slack.click(
        first.to_dict(),
        buttons(first.blocks)[0]["action_id"],
        buttons(first.blocks)[0]["value"],
        user_id="U2",
        user_name="bob",
        channel_id=channel,
    )
    assert fake.wait_for_response(again)[0].body["response_type"] == "ephemeral"
    assert private_answers(fake, again) == ["You've already answered this one; your first answer counts."]
    # the countdown is edited into the question's own message, not posted anew. The clock edits it on a tick
    # at least 5 s after the question and at least 2 s before its deadline: a 12 s question leaves a 5 s window
    # for a tick (an 8 s one left 1 s, which a tick delayed on a loaded machine could miss).
    fake.wait_for(
        lambda: "s left to pick an answer" in texts(fake.message(channel, first.ts).blocks),
        timeout=12,
        what="countdown",
    )
    # at the deadline the same message shows the answer, and who got it first
    reveal = fake.wait_for(
        lambda: (m := fake.message(channel, first.ts)) and header(m.blocks).startswith("Answer: ") and m.blocks,
        timeout=12,
        what="reveal",
    )
    answer = header(reveal).removeprefix("Answer: ")
    # long choices are cut on the button (and the title): compare what both show
    shown = {name: label.rstrip("…") for name, label in picked.items()}
    right = [
        name
        for name, label in shown.items()
        if answer.rstrip("…").startswith(label) or label.startswith(answer.rstrip("…"))
    ]
    assert first_right(reveal) == (right[0] if right else ""), (answer, picked, texts(reveal))
    if not right:
        assert "Nobody got it this time." in texts(reveal)
    # a click on the closed question is refused privately
    late = slack.click(
        first.to_dict(),
        buttons(first.blocks)[0]["action_id"],
        buttons(first.blocks)[0]["value"],
        user_id="U1",
        channel_id=channel,
    )
    assert private_answers(fake, late)[0] in ("That question is closed.", "Time was up for that question.")
    second = fake.wait_for(
        lambda: [m for m in question_messages(fake, channel) if header(m.blocks) == "Question 2 of 2"],
        what="question 2",
    )[0]
    slack.command("/quiz", "score", channel_id=channel)
    scores = fake.wait_for(lambda: [m for m in fake.messages(channel) if header(m.blocks).startswith("Scores")])
    assert "Standings" in texts(scores[0].blocks)
    everyone_clicks(slack, second, channel)
    # everyone who played question 1 answered question 2: it closes at once, then the final standings
    final = fake.wait_for(
        lambda: [m for m in fake.messages(channel) if header(m.blocks).startswith("Game over")],
        timeout=15,
        what="standings",
    )[0]
    assert "Standings" in texts(final.blocks) and " pts (" in texts(final.blocks)
    assert len(question_messages(fake, channel)) == 2  # two questions, each one message edited in place
    slack.command("/quiz", "leaderboard", channel_id=channel)
    board = fake.wait_for(lambda: [m for m in fake.messages(channel) if header(m.blocks) == "Leaderboard, all time"])
    assert re.search(r"1\. \w+: \d+ pts · 1 games?", texts(board[0].blocks))
    assert fake.rejected == [] and slack.running()


def test_only_the_starter_or_a_workspace_admin_can_stop_a_game(slack: SlackProcess, fake: FakeSlack) -> None:
    channel = "C-stop"
    slack.command("/quiz", "start questions:3 seconds:60", channel_id=channel, user_id="U1", user_name="ada")
    fake.wait_for(lambda: question_messages(fake, channel), what="question 1")
    _, refused, _ = slack.command("/quiz", "stop", channel_id=channel, user_id="U2", user_name="bob")
    assert header(refused["blocks"]) == "Only the player who started the game or a moderator can do that."
    fake.admins.add("U9")
    try:
        slack.command("/quiz", "stop", channel_id=channel, user_id="U9", user_name="boss")
        final = fake.wait_for(
            lambda: [m for m in fake.messages(channel) if header(m.blocks).startswith("Game over")],
            timeout=15,
            what="end",
        )[0]
    finally:
        fake.admins.discard("U9")
    assert "Ended: stopped" in texts(final.blocks)
    assert fake.rejected == []


def test_typed_answers_are_read_from_channel_messages(slack: SlackProcess, fake: FakeSlack) -> None:
    channel = "C-typed"
    slack.command("/quiz", "start questions:1 seconds:30 mode:typed", channel_id=channel, user_id="U1", user_name="ada")
    question = fake.wait_for(lambda: question_messages(fake, channel), what="typed question")[0]
    assert "type the code or its name" in texts(question.blocks)
    assert buttons(question.blocks) == []
    codes = re.findall(r"^[A-D]\. (\d{3})", texts(question.blocks), re.MULTILINE)
    chatter = {
        "type": "message",
        "channel_type": "channel",
        "channel": channel,
        "user": "U5",
        "text": "hmm, tricky",
        "ts": "9.0",
    }
    assert slack.event(chatter) == 200
    for (user_id, _), code in zip(PLAYERS, codes, strict=False):
        message = {
            "type": "message",
            "channel_type": "channel",
            "channel": channel,
            "user": user_id,
            "text": code,
            "ts": f"9.{user_id}",
        }
        assert slack.event(message) == 200
    fake.wait_for(lambda: len([e for e in fake.ephemerals(channel)]) >= len(codes), what="private acknowledgements")
    acknowledged = {header(e.blocks) for e in fake.ephemerals(channel)}
    assert acknowledged <= {"Answer recorded."} | {h for h in acknowledged if h.startswith("Right! +")}
    assert all(e.user != "U5" for e in fake.ephemerals(channel))  # chatter got no reply
    slack.command("/quiz", "skip", channel_id=channel, user_id="U1")
    final = fake.wait_for(
        lambda: [m for m in fake.messages(channel) if header(m.blocks).startswith("Game over")], timeout=15, what="end"
    )[0]
    assert "wins" in header(final.blocks)
    assert fake.rejected == []


def test_a_game_in_a_channel_the_bot_is_not_in_says_how_to_invite_it(slack: SlackProcess, fake: FakeSlack) -> None:
    fake.strict_membership = True
    fake.bot_channels = {"C-member"}
    try:
        _, ack, name = slack.command("/quiz", "start", channel_id="C-outside")
        told = fake.wait_for_response(name)[0].body
    finally:
        fake.strict_membership = False
        fake.bot_channels = set()
    assert told["response_type"] == "ephemeral"
    assert header(told["blocks"]) == "I can't post in this channel"
    assert "/invite @statusbot" in texts(told["blocks"])

    # the invisible game was ended (just after the user was told): a new one can start once the bot is invited
    def ended() -> bool:
        _, score, _ = slack.command("/quiz", "score", channel_id="C-outside")
        return isinstance(score, dict) and header(score["blocks"]) == "No game is running here."

    fake.wait_for(ended, what="the invisible game ended")
    _, ack, _ = slack.command("/quiz", "start questions:1", channel_id="C-outside")
    assert ack == ""
    fake.wait_for(lambda: question_messages(fake, "C-outside"), what="the game after the invite")
    slack.command("/quiz", "stop", channel_id="C-outside")
    fake.wait_for(lambda: [m for m in fake.messages("C-outside") if header(m.blocks).startswith("Game over")])


def test_web_api_failures_lose_neither_the_game_nor_the_scores(slack: SlackProcess, fake: FakeSlack) -> None:
    channel = "C-flaky"
    fake.fail_next("chat.postMessage", status=429, retry_after=1)
    slack.command("/quiz", "start questions:2 seconds:6", channel_id=channel, user_id="U1", user_name="ada")
    first = fake.wait_for(lambda: question_messages(fake, channel), timeout=8, what="question 1 after a 429")[0]
    assert [c.error for c in fake.calls_to("chat.postMessage") if c.args.get("channel") == channel][:1] == [
        "ratelimited"
    ]
    everyone_clicks(slack, first, channel)
    fake.fail_next("chat.update", error="internal_error", times=3)
    second = fake.wait_for(
        lambda: [m for m in question_messages(fake, channel) if header(m.blocks) == "Question 2 of 2"],
        timeout=12,
        what="question 2",
    )[0]
    everyone_clicks(slack, second, channel)
    final = fake.wait_for(
        lambda: [m for m in fake.messages(channel) if header(m.blocks).startswith("Game over")], timeout=15, what="end"
    )[0]
    # a reveal whose edit failed is posted anew: both answers are shown, whatever the failures hit
    assert len([m for m in fake.messages(channel) if header(m.blocks).startswith("Answer: ")]) == 2
    standings = texts(final.blocks)
    assert all(f"{name} [" in standings or f"{name}:" in standings for _, name in PLAYERS[: len(buttons(first.blocks))])
    assert fake.rejected == [] and slack.running()


def test_without_channel_history_a_typed_game_says_how_to_enable_it(fake: FakeSlack, tmp_path) -> None:
    scopes = fake.bot_scopes
    fake.bot_scopes = "commands,chat:write,users:read"
    try:
        limited = SlackProcess(fake, tmp_path)
    finally:
        fake.bot_scopes = scopes
    try:
        _, ack, _ = limited.command("/quiz", "start mode:typed", channel_id="C-notyped")
        assert header(ack["blocks"]) == "Typed answers aren't available here"
        assert "message.channels" in texts(ack["blocks"]) and "/quiz start mode:buttons" in texts(ack["blocks"])
        assert fake.messages("C-notyped") == []
    finally:
        limited.stop()


def test_practice_is_a_private_drill_that_brings_the_next_question(slack: SlackProcess, fake: FakeSlack) -> None:
    _, ack, _ = slack.command("/quiz", "practice", channel_id="C-drill", user_id="U6", user_name="eve")
    assert ack["response_type"] == "ephemeral"
    assert header(ack["blocks"]) == "Practice"
    assert "Only you see this drill" in texts(ack["blocks"])
    choice = buttons(ack["blocks"])[0]
    name = slack.click(
        {"ts": "3.3", "blocks": ack["blocks"]}, choice["action_id"], choice["value"], user_id="U6", channel_id="C-drill"
    )
    feedback, following = [r.body for r in fake.wait_for_response(name, count=2)]
    assert header(feedback["blocks"]) == "Right!" or header(feedback["blocks"]).startswith("Not quite: ")
    assert "(Box " in texts(feedback["blocks"])
    assert header(following["blocks"]) == "Practice" and buttons(following["blocks"])
    assert {feedback["response_type"], following["response_type"]} == {"ephemeral"}
    assert fake.messages("C-drill") == []


def test_team_games_let_players_choose_a_team(slack: SlackProcess, fake: FakeSlack) -> None:
    channel = "C-teams"
    slack.command("/quiz", "start questions:1 seconds:30 teams:on", channel_id=channel, user_id="U1", user_name="ada")
    question = fake.wait_for(lambda: question_messages(fake, channel), what="team question")[0]
    _, joined, _ = slack.command("/quiz", "join red", channel_id=channel, user_id="U2", user_name="bob")
    assert header(joined["blocks"]) == "You're in team Red."
    _, refused, _ = slack.command("/quiz", "join purple", channel_id=channel, user_id="U3", user_name="cy")
    assert header(refused["blocks"]) == "Which team?"
    choice = buttons(question.blocks)[0]
    slack.click(
        question.to_dict(), choice["action_id"], choice["value"], user_id="U2", user_name="bob", channel_id=channel
    )
    slack.command("/quiz", "stop", channel_id=channel, user_id="U1", user_name="ada")
    final = fake.wait_for(
        lambda: [m for m in fake.messages(channel) if header(m.blocks).startswith("Game over")], timeout=15, what="end"
    )[0]
    assert "bob [Red]" in texts(final.blocks) and "Teams" in texts(final.blocks)


def test_a_post_slack_fails_to_take_is_told_privately_with_a_reference(slack: SlackProcess, fake: FakeSlack) -> None:
    channel = "C-refused"
    fake.fail_next("chat.postMessage", error="internal_error")
    _, _, name = slack.command("/quiz", "start questions:1 seconds:30", channel_id=channel, user_id="U1")
    told = fake.wait_for_response(name)[0].body
    assert told["response_type"] == "ephemeral"
    assert header(told["blocks"]) == "Sorry, that went wrong on my side"
    assert re.search(r"quote reference [0-9a-f]{8}\.", texts(told["blocks"]))
    slack.command("/quiz", "stop", channel_id=channel, user_id="U1")
    fake.wait_for(lambda: [m for m in fake.messages(channel) if header(m.blocks).startswith("Game over")])
    assert slack.running() and fake.rejected == []
