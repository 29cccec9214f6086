"""House rules in the knowledge core: which questions a team's rule covers, and /status check judged by it."""

from __future__ import annotations

import pytest

from knowledge import HouseRule, knowledge, ruling
from knowledge.house_rules import describes_something, rfc_default
from knowledge.review import review

KB = knowledge()
VALIDATION = HouseRule("validation error", 400)
HIDDEN = HouseRule("resources a user may not see", 404)
DUPLICATE = HouseRule("duplicate email", 422)
RULES = (VALIDATION, HIDDEN, DUPLICATE)


@pytest.mark.parametrize(
    ("question", "number", "code", "default"),
    [
        ("what code for a validation error on signup", 1, 400, 422),  # the rule's words, in a longer question
        ("invalid email format", 1, 400, 422),  # other words, the same curated situation
        ("POST /users with invalid email", 1, 400, 422),
        ("what code for duplicate email?", 3, 422, 409),
        ("email already registered", 3, 422, 409),  # the engine files it under "already exists" too
        ("hide a private resource from users who may not see it", 2, 404, 404),  # the rule agrees with the RFC
        # some of the rule's words, and a situation the engine reads in the rule almost as strongly as its first
        ("user lacks permission to view the resource", 2, 404, 403),
        ("user is not allowed to see this invoice", 2, 404, 403),
    ],
)
def test_a_question_on_the_rules_situation_falls_under_it(question, number, code, default):
    found = ruling(KB, RULES, question)
    assert found is not None
    assert (found.number, found.rule.code) == (number, code)
    assert found.default is not None and found.default.status.code == default


@pytest.mark.parametrize(
    "question",
    [
        "token expired",
        "edit conflict version mismatch",
        "server error",
        "rate limit exceeded",
        "what is 409",
        "",
        "DELETE /users/123 as non-admin",  # a permission the rule's words don't speak of
        "malformed json body",
    ],
)
def test_other_situations_keep_the_rfc_answer(question):
    assert ruling(KB, RULES, question) is None


def test_no_rules_no_ruling():
    assert ruling(KB, (), "what code for a validation error") is None


def test_the_rule_covering_more_of_the_question_wins_then_the_earlier():
    broad, exact = HouseRule("email", 400), HouseRule("duplicate email", 422)
    assert ruling(KB, (broad, exact), "duplicate email on signup").number == 2  # type: ignore[union-attr]
    twin = HouseRule("Duplicate email!", 409)
    assert ruling(KB, (exact, twin), "duplicate email").number == 1  # type: ignore[union-attr]


def test_the_rfc_default_of_a_situation_and_its_reason():
    found = rfc_default(KB, "validation error")
    assert found is not None
    assert (found.status.code, found.reason) == (422, "a field value fails validation")
    assert rfc_default(KB, "zzzz qqqq") is None


def test_a_situation_needs_words_the_engine_can_match():
    assert describes_something(KB, "validation error")
    assert not describes_something(KB, "the of a")
    assert not describes_something(KB, "!!!")


def test_check_follows_the_house_rule_over_the_rfc():
    wrong = review(KB, "POST /users with invalid email → 422", RULES)
    assert wrong.verdict == "wrong" and wrong.better == (400,)
    assert wrong.house is not None and wrong.house.number == 1
    assert wrong.rule == "" and wrong.mistake is None  # the RFC's advice would contradict the team's rule
    right = review(KB, "POST /users with invalid email → 400", RULES)
    assert right.verdict == "right" and right.better == ()
    assert right.house is not None and right.house.default is not None
    assert right.house.default.status.code == 422


def test_check_keeps_the_lessons_mistake_when_it_agrees_with_the_rule():
    found = review(KB, "POST /users with invalid email → 404", RULES)
    assert found.verdict == "wrong" and found.better == (400,)
    assert found.mistake is not None and found.mistake.id == 2  # "Using 404 for validation errors"


def test_check_without_a_covering_rule_is_the_rfc_verdict():
    assert review(KB, "POST /users with invalid email → 422").verdict == "right"
    other = review(KB, "GET /users without auth token → 403", RULES)
    assert other.house is None and other.verdict == "wrong" and other.better == (401,)


def test_a_missing_header_still_counts_under_a_house_rule():
    rule = HouseRule("too many requests from one client", 429)
    found = review(KB, "HTTP/1.1 429 Too Many Requests\nContent-Type: text/plain", (rule,))
    assert found.verdict == "incomplete"  # no situation to match: the header rule alone speaks
    assert found.house is None
