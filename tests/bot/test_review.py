"""/status check: the lesson's five mistakes and a corpus of exchanges, as a user would paste them."""

from __future__ import annotations

import json
import re

import pytest

from bot.render.terminal import render_plain
from bot.review_card import review_reply
from knowledge import knowledge
from knowledge.review import read_exchange, review
from tests.conftest import TEST_DATA

KB = knowledge()
CORPUS = [json.loads(line) for line in (TEST_DATA / "exchanges.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize(
    "text,mistake,better",
    [
        ('200 OK\n{"success": false, "error": "User not found"}', 1, 404),
        ('200 {"success": false, "error": "User not found"}', 1, 404),
        ("POST /users with invalid email → 404", 2, 422),
        ("DELETE /users/123 as non-admin → 401", 3, 403),
        ("GET /users without auth token → 403", 3, 401),
        ("GET /users/invalid-id -> 500", 4, 400),
    ],
)
def test_lesson_mistakes_one_to_four(text, mistake, better):
    result = review(KB, text)
    assert result.verdict == "wrong"
    assert result.mistake is not None and result.mistake.id == mistake
    assert better in result.better


def test_lesson_mistake_five_missing_retry_after():
    result = review(KB, "HTTP/1.1 429 Too Many Requests\nContent-Type: text/plain")
    assert result.verdict == "incomplete"
    assert result.mistake is not None and result.mistake.id == 5
    assert any("Retry-After" in line for line in result.advice)


def test_the_lessons_own_exchanges_look_right():
    for text in (
        "POST /users with existing email → 409",
        "GET /users/999999 → 404",
        "DELETE /users/123 → 204",
        "POST /users with email missing @ symbol → 422",
        "GET /users without auth token → 401",
    ):
        assert review(KB, text).verdict == "right", text


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 30


def _case_id(exchange: str) -> str:
    """A test id a command line can name again (mutmut does): no brackets, newlines or arrows."""
    return re.sub(r"[^A-Za-z0-9 ./_-]+", "_", exchange[:40])


@pytest.mark.parametrize("case", CORPUS, ids=[_case_id(c["exchange"]) for c in CORPUS])
def test_corpus(case):
    result = review(KB, case["exchange"])
    expected = case["verdict"] if isinstance(case["verdict"], list) else [case["verdict"]]
    assert result.verdict in expected, (result.verdict, result.better, result.exchange)
    if "better" in case:
        assert result.better and result.better[0] in case["better"]
    if "mistake" in case:
        assert result.mistake is not None and result.mistake.id == case["mistake"]
    if "advice" in case:
        assert any(case["advice"] in line for line in result.advice), result.advice


def test_reading_a_curl_head():
    exchange = read_exchange('HTTP/1.1 201 Created\nLocation: /users/7\n\n{"id": 7}')
    assert exchange.claimed == 201 and ("Location", "/users/7") in exchange.headers and exchange.body == '{"id": 7}'


UNREADABLE = "I couldn't find a status code to check"


@pytest.mark.parametrize(
    "text,verdict,first_line",
    [
        ("", "unreadable", UNREADABLE),
        ("hello", "unreadable", UNREADABLE),
        ("→", "unreadable", UNREADABLE),
        ("HTTP/1.1", "unreadable", UNREADABLE),
        ("GET /x → 430", "unreadable", UNREADABLE),
        ("GET /x → 999", "wrong", "Don't send 999 Request denied"),
        ("200", "right", "Looks right: 200 OK"),
    ],
)
def test_odd_input_gets_the_verdict_a_user_expects(text, verdict, first_line):
    result = review(KB, text)
    assert result.verdict == verdict
    assert render_plain(review_reply(KB, result)).splitlines()[0] == first_line


def test_an_unknown_code_is_named_in_the_answer():
    result = review(KB, "GET /x → 430")
    assert render_plain(review_reply(KB, result)).splitlines()[1] == "430 is not a status code I know."


@pytest.mark.parametrize("code,phrase", [(204, "No Content"), (304, "Not Modified")])
@pytest.mark.parametrize("head", ["", "Content-Length: 0", "content-length:0", 'Content-Length: 0\nETag: "x"'])
def test_an_empty_bodied_response_with_content_length_zero_is_right(code, phrase, head):
    text = f"HTTP/1.1 {code} {phrase}\n{head}".rstrip("\n")
    result = review(KB, text)
    assert (result.verdict, result.advice) == ("right", ())
    assert render_plain(review_reply(KB, result)).splitlines()[0] == f"Looks right: {code} {phrase}"


def test_a_204_with_a_body_is_told_to_drop_it():
    result = review(KB, 'HTTP/1.1 204 No Content\nContent-Length: 12\n\n{"ok": true}')
    assert result.verdict == "incomplete"
    assert result.advice == ("A 204 response must not have a body; drop it (or use 200 if there is content to send).",)
    shown = render_plain(review_reply(KB, result))
    assert shown.splitlines()[0] == "204 No Content fits, but the response is missing something"
    assert "A 204 response must not have a body" in shown


@pytest.mark.parametrize("text", ["HTTP/1.1 418", "HTTP/1.1 499", "GET /x → 999"])
def test_codes_no_api_should_send_are_flagged(text):
    result = review(KB, text)
    assert result.verdict == "wrong" and not result.better and result.advice


def test_a_bare_method_and_path_is_not_enough_to_overrule(text="GET /health → 503"):
    assert review(KB, text).verdict in ("unsure", "right")


def test_a_failure_body_without_message_is_still_mistake_one():
    result = review(KB, '200 {"status": "fail"}')
    assert result.verdict == "wrong" and result.mistake is not None and result.mistake.id == 1


def test_pathological_pastes_answer_quickly():
    import time

    start = time.perf_counter()
    for text in ("200" + " " * 1980 + "x!", "200 " + "[" * 100_000, "200 OK " * 1500 + "→ 500"):
        review(KB, text)
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("depth", [950, 1_000, 5_000, 100_000])
def test_a_failure_body_nested_beyond_the_parser_is_still_judged(depth):
    nested = "[" * depth + "]" * depth
    result = review(KB, '200 {"success": false, "error": ' + nested + "}")
    assert result.verdict == "wrong" and result.mistake is not None and result.mistake.id == 1


def test_a_deep_body_without_an_error_is_not_invented_one():
    nested = "[" * 5_000 + "]" * 5_000
    assert review(KB, '200 {"data": ' + nested + "}").verdict == "right"
