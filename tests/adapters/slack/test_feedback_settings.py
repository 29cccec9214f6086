"""Ratings and team settings in Slack, through the real `statusbot slack` process against the fake Slack.

Each test uses a workspace of its own (team id), since settings and admin rights are per workspace."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from tests.adapters.ops_client import Scrape
from tests.adapters.processes import clean_env
from tests.adapters.slack.conftest import SlackProcess, button, buttons, header, statusbot_command, texts
from tests.fakes import slack_requests as req
from tests.fakes.slack_api import FakeSlack

DUPLICATE = "what code for duplicate email?"


def labels(blocks: list[dict[str, Any]]) -> list[str]:
    return [b["text"]["text"] for b in buttons(blocks)]


def private_reply(fake: FakeSlack, name: str) -> dict[str, Any]:
    body = fake.wait_for_response(name)[0].body
    assert body["response_type"] == "ephemeral"
    return dict(body)


def test_a_situation_answer_is_rated_and_corrected_and_exports_as_an_eval_line(
    slack: SlackProcess, fake: FakeSlack
) -> None:
    where = {"team_id": "T-rate", "channel_id": "C-rate"}
    _, ack, _ = slack.command("/status", DUPLICATE, user_id="U1", user_name="ada", **where)
    assert header(ack["blocks"]) == "409 Conflict"
    assert labels(ack["blocks"]) == ["👍 Right", "👎 Wrong", "Share in channel"]
    message = {"ts": "1.1", "blocks": ack["blocks"]}

    wrong = button(ack["blocks"], "👎 Wrong")
    # someone else can't rate ada's answer
    name = slack.click(message, wrong["action_id"], wrong["value"], user_id="U2", user_name="bob", **where)
    assert header(private_reply(fake, name)["blocks"]) == "Only the person who asked can rate this answer"

    name = slack.click(message, wrong["action_id"], wrong["value"], user_id="U1", **where)
    asked = private_reply(fake, name)["blocks"]
    assert header(asked) == "Thanks. Which code did you expect?"
    assert labels(asked) == ["422 Unprocessable Content", "202 Accepted", "Another code…", "No code fits"]
    pick = button(asked, "422 Unprocessable Content")
    name = slack.click({"ts": "1.2", "blocks": asked}, pick["action_id"], pick["value"], user_id="U1", **where)
    assert header(private_reply(fake, name)["blocks"]) == "Thanks! Noted that 422 Unprocessable Content was expected."

    # "Another code…" opens a one-line box; what is typed there is checked before it is kept
    other = button(asked, "Another code…")
    fake.clear_calls()
    slack.click({"ts": "1.2", "blocks": asked}, other["action_id"], other["value"], user_id="U1", **where)
    opened = fake.wait_for_call("views.open")[-1].args["view"]
    assert opened["title"]["text"] == "The right code"
    box = opened["blocks"][0]
    assert box["element"]["multiline"] is False

    def submit(typed: str) -> list[dict[str, Any]]:
        body = req.view_submission(
            opened["callback_id"],
            {box["block_id"]: {box["element"]["action_id"]: typed}},
            private_metadata=opened["private_metadata"],
            user_id="U1",
            team_id="T-rate",
        )
        status, answer = slack.send(body)
        assert status == 200 and answer["response_action"] == "update"
        return list(answer["view"]["blocks"])

    assert header(submit("four-o-nine")) == "I can't read “four-o-nine” as a status code"
    assert header(submit("410")) == "Thanks! Noted that 410 Gone was expected."

    # a question the bot abstains on is kept too, and a 👍 on another answer says so
    _, lunch, _ = slack.command("/status", "what's for lunch", user_id="U1", **where)
    assert header(lunch["blocks"]) == "I'm not sure this is about choosing an HTTP status code"
    _, lookup, _ = slack.command("/status", "user already exists when signing up", user_id="U1", **where)
    right = button(lookup["blocks"], "👍 Right")
    name = slack.click({"ts": "1.3", "blocks": lookup["blocks"]}, right["action_id"], right["value"], **where)
    assert header(private_reply(fake, name)["blocks"]) == "Thanks! Noted that 409 Conflict was right."
    assert fake.rejected == [] and slack.running()
    ratings = Scrape(slack.url)  # bob's refused click and the unreadable code are not ratings
    assert ratings.value("statusbot_ratings_total", platform="slack", verdict="right") == 1
    assert ratings.value("statusbot_ratings_total", platform="slack", verdict="wrong") == 1
    assert ratings.value("statusbot_ratings_total", platform="slack", verdict="corrected") == 2

    # the maintainer's side: the same database, exported, loads in statusbot eval
    workdir = slack.log.parent
    env = clean_env(STATUSBOT_DB=str(workdir / "statusbot.sqlite3"))
    exported = subprocess.run(
        [*statusbot_command(), "feedback", "export"], cwd=workdir, env=env, capture_output=True, text=True, timeout=60
    )
    assert exported.returncode == 0, exported.stderr
    lines = {json.loads(line)["q"]: json.loads(line)["accept"] for line in exported.stdout.splitlines()}
    assert lines[DUPLICATE] == [410]  # the later correction replaced the earlier one
    assert lines["what's for lunch"] == []
    assert lines["user already exists when signing up"] == [409]
    (workdir / "feedback.jsonl").write_text(exported.stdout, encoding="utf-8")
    evaluated = subprocess.run(
        [*statusbot_command(), "eval", "feedback.jsonl"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert evaluated.returncode == 0, evaluated.stderr
    assert "top-1 accuracy (answerable)" in evaluated.stdout
    report = subprocess.run(
        [*statusbot_command(), "feedback", "report"], cwd=workdir, env=env, capture_output=True, text=True, timeout=60
    )
    assert "1× 409 Conflict → 410 Gone" in report.stdout
    assert "1× what's for lunch" in report.stdout


def test_settings_are_for_admins_and_change_who_sees_answers(slack: SlackProcess, fake: FakeSlack) -> None:
    where = {"team_id": "T-vis", "channel_id": "C-vis"}
    _, refused, _ = slack.command("/status", "settings visibility channel", user_id="U2", user_name="bob", **where)
    assert header(refused["blocks"]) == "Only admins and moderators can change statusbot's settings"
    _, before, _ = slack.command("/status", "409", user_id="U2", **where)
    assert before["response_type"] == "ephemeral"  # nothing changed

    fake.admins.add("U9")
    try:
        _, shown, _ = slack.command("/status", "settings", user_id="U9", user_name="boss", **where)
        assert header(shown["blocks"]) == "statusbot settings here"
        assert "visibility: private" in texts(shown["blocks"])
        _, typo, _ = slack.command("/status", "settings visibilty channel", user_id="U9", **where)
        assert header(typo["blocks"]) == "Did you mean visibility?"
        _, bad, _ = slack.command("/status", "settings visibility loud", user_id="U9", **where)
        assert header(bad["blocks"]) == "“loud” isn't a value for visibility"
        _, saved, _ = slack.command("/status", "settings visibility channel", user_id="U9", **where)
        assert header(saved["blocks"]) == "Saved: visibility is now channel"
    finally:
        fake.admins.discard("U9")

    _, ack, _ = slack.command("/status", "409", user_id="U2", user_name="bob", **where)
    assert ack == ""  # nothing private: the answer goes to the channel
    posted = fake.wait_for(lambda: fake.messages("C-vis"), what="the answer in the channel")[0]
    assert header(posted.blocks) == "409 Conflict"
    assert "Share in channel" not in labels(posted.blocks)
    assert fake.rejected == []


def test_quiz_settings_take_effect(slack: SlackProcess, fake: FakeSlack) -> None:
    team = {"team_id": "T-quiz"}
    fake.admins.add("U9")
    try:
        for change, saved in (
            ("quiz-channels add", "Saved: quiz-channels is now #trivia"),
            ("quiz-defaults questions:2 seconds:60", "Saved: quiz-defaults is now questions:2 seconds:60"),
            ("quiz-starters moderators", "Saved: quiz-starters is now moderators"),
        ):
            _, ack, _ = slack.command(
                "/status", f"settings {change}", user_id="U9", channel_id="C-trivia", channel_name="trivia", **team
            )
            assert header(ack["blocks"]) == saved

        _, elsewhere, _ = slack.command("/quiz", "start", user_id="U9", channel_id="C-lobby", **team)
        assert header(elsewhere["blocks"]) == "Quizzes don't run in this channel"
        assert "Here, games run in #trivia." in texts(elsewhere["blocks"])
        _, player, _ = slack.command("/quiz", "start", user_id="U3", user_name="cy", channel_id="C-trivia", **team)
        assert header(player["blocks"]) == "Only moderators can start a game here"
        assert fake.messages("C-lobby") == [] and fake.messages("C-trivia") == []

        slack.command("/quiz", "start", user_id="U9", channel_id="C-trivia", **team)
        first = fake.wait_for(lambda: fake.messages("C-trivia"), what="the first question")[0]
        assert header(first.blocks) == "Question 1 of 2"  # the team's default options
        assert "60 s" in texts(first.blocks)
        slack.command("/quiz", "stop", user_id="U9", channel_id="C-trivia", **team)
        fake.wait_for(
            lambda: [m for m in fake.messages("C-trivia") if header(m.blocks).startswith("Game over")], what="the end"
        )
    finally:
        fake.admins.discard("U9")
    assert fake.rejected == [] and slack.running()


def test_with_visibility_channel_an_answer_in_a_channel_the_bot_is_not_in_still_reaches_the_asker(
    slack: SlackProcess, fake: FakeSlack
) -> None:
    where = {"team_id": "T-out", "channel_id": "C-outside"}
    fake.admins.add("U9")
    try:
        _, saved, _ = slack.command("/status", "settings visibility channel", user_id="U9", **where)
        assert header(saved["blocks"]) == "Saved: visibility is now channel"
    finally:
        fake.admins.discard("U9")
    fake.strict_membership = True
    fake.bot_channels = {"C-member"}
    try:
        _, ack, name = slack.command("/status", "409", user_id="U2", user_name="bob", **where)
        assert ack == ""  # meant for the channel
        told = [post.body for post in fake.wait_for_response(name, count=2)]
    finally:
        fake.strict_membership = False
        fake.bot_channels = set()
    assert [header(body["blocks"]) for body in told] == ["409 Conflict", "I can't post in this channel"]
    assert all(body["response_type"] == "ephemeral" for body in told)
    assert fake.messages("C-outside") == []
    assert fake.rejected == [] and slack.running()
