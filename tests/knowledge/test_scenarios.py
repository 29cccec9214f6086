"""Scenario questions in plain words: the right code, the reason, the runner-up, and honest abstention."""

from __future__ import annotations

import pytest

from bot.evaluation import evaluate, read_questions, statusbot_answer
from knowledge import ask
from tests.conftest import TEST_DATA


def top(text: str) -> int | None:
    answer = ask(text)
    return answer.matches[0].status.code if answer.matches else None


@pytest.mark.parametrize(
    "text,expected",
    [
        ("what code for duplicate email?", {409}),
        ("dup email", {409}),
        ("user already exists??", {409}),
        ("token expired", {401}),
        ("too many requests", {429}),
        ("deploy in progress", {503}),
        ("emial allready taken", {409}),
        ("RATE LIMITED", {429}),
        (
            "the client sends a JSON body where the date field is in the wrong format but the JSON itself parses fine",
            {422, 400},
        ),
        ("api returns 403 when the token is missing, correct?", {401}),
        ("404 or 204 for an empty list?", {200}),
    ],
)
def test_issue_examples(text, expected):
    assert top(text) in expected


def test_an_answer_says_why_and_names_the_runner_up_with_its_rule():
    answer = ask("what code for duplicate email?")
    assert answer.kind == "scenario"
    best = answer.matches[0]
    assert best.status.code == 409 and best.reason
    assert answer.runner_up is not None and answer.runner_up.match.status.code == 422
    assert "422" in answer.runner_up.rule


def test_a_mentioned_wrong_code_becomes_the_runner_up_with_the_rule():
    answer = ask("api returns 403 when the token is missing, correct?")
    assert answer.matches[0].status.code == 401
    assert answer.runner_up is not None and answer.runner_up.match.status.code == 403


@pytest.mark.parametrize(
    "text",
    [
        "what's for lunch",
        "how do I center a div",
        "what status should my jira ticket have",
        "FTP error 530",
        "how do i mock a 404 in jest",
        "npm run build exited with status 1",
        "tell me about the status quo",
    ],
)
def test_off_topic_questions_get_an_honest_not_sure(text):
    answer = ask(text)
    assert not answer.matches
    assert answer.kind in ("scenario", "invalid")


# The lesson's scenarios, in our words: every example exchange, the decision table, the closing
# question and common mistakes 1-4 map to the code the lesson gives.
LESSON = [
    ("GET /users/123 returns the user's data", {200}),
    ("PUT /users/123 updates the user and returns it", {200}),
    ("POST /users created a new user", {201}),
    ("DELETE /users/123 succeeded", {204}),
    ("POST /users with invalid JSON", {400}),
    ("GET /users without an auth token", {401}),
    ("DELETE /users/123 as a non-admin user", {403}),
    ("GET /users/999999 which doesn't exist", {404}),
    ("POST /users with an email that already exists", {409}),
    ("POST /users with an email missing the @ symbol", {422, 400}),
    ("the 100th request within one minute", {429}),
    ("GET /users makes the database crash", {500}),
    ("any request while we're deploying", {503}),
    ("created a new resource", {201}),
    ("deleted successfully", {204}),
    ("missing auth token", {401}),
    ("not allowed to access this", {403}),
    ("resource not found", {404}),
    ("validation failed", {422, 400}),
    ("server crashed", {500}),
    ("a logged-in user tries to update another user's profile without permission", {403}),
    ('API returns 200 with {"success": false, "error": "User not found"}', {404}),
    ("POST /users with an invalid email returns 404", {422, 400}),
    ("a user without a token tries to delete a resource", {401}),
    ("a regular user tries to delete an admin resource", {403}),
    ("GET /users/invalid-id returns 500", {400}),
]


@pytest.mark.parametrize("text,expected", LESSON)
def test_lesson_scenarios(text, expected):
    assert top(text) in expected


def test_our_eval_set_meets_the_bar():
    questions = read_questions(TEST_DATA / "scenarios.jsonl")
    assert len(questions) >= 150
    score = evaluate(questions, statusbot_answer)
    assert score.top1 / score.answerable >= 0.85, f"top-1 {score.top1}/{score.answerable}"
    assert score.abstained_offtopic / score.offtopic >= 0.90, f"abstained {score.abstained_offtopic}/{score.offtopic}"
    sure = score.bands.get("sure", [0, 0])
    assert sure[0] and sure[1] / sure[0] >= 0.97, f"sure answers right {sure}"


def test_every_registered_code_has_enough_phrases():
    from knowledge import knowledge
    from knowledge.scenarios import engine

    kb = knowledge()
    coverage = engine(kb).coverage()
    key_codes = {200, 201, 204, 400, 401, 403, 404, 409, 422, 429, 500, 503}
    for status in kb.catalogue.statuses:
        if status.official:
            # names count once or twice in the coverage; the phrases must carry the rest
            needed = 20 if status.code in key_codes else 5
            assert coverage.get(status.code, 0) >= needed, f"{status.code} has {coverage.get(status.code, 0)}"


def test_eval_command_prints_the_report(capsys):
    from bot.cli import main

    assert main(["eval", str(TEST_DATA / "scenarios.jsonl")]) == 0
    out = capsys.readouterr().out
    for needle in (
        "top-1 accuracy",
        "top-3 accuracy",
        "correct abstention",
        "wrong abstention",
        "sure   ≥ 0.8",
        "likely 0.5–0.8",
        "unsure < 0.5",
        "naive baseline",
        "phrase coverage per code",
    ):
        assert needle in out


def test_eval_command_rejects_a_broken_file(tmp_path, capsys):
    from bot.cli import main

    path = tmp_path / "bad.jsonl"
    path.write_text('{"q": "dup email", "accept": [409]}\nnot json\n')
    assert main(["eval", str(path)]) == 2
    assert "bad.jsonl:2" in capsys.readouterr().out


def test_eval_reports_each_question_style(tmp_path, capsys):
    from bot.cli import main

    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"q": "user already exists", "accept": [409], "style": "long"}\n'
        '{"q": "dup email", "accept": [409], "style": "chat"}\n'
        '{"q": "vpn keeps dropping", "accept": [], "style": "chat"}\n'
    )
    assert main(["eval", str(path)]) == 0
    out = capsys.readouterr().out
    assert 'statusbot, style "chat" (2 questions)' in out
    assert 'statusbot, style "long" (1 question)' in out
    assert "    sure   ≥ 0.8     100.0 % of answers, 100.0 % right  (2/2)" in out
