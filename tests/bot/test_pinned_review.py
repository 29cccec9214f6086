"""/status check pinned to the exact advice a user reads about a response head's headers and body."""

from __future__ import annotations

import pytest

from bot.render.terminal import render_plain
from bot.review_card import review_reply
from knowledge import knowledge
from knowledge.review import error_message, read_exchange, review

KB = knowledge()
RETRY = "tell the client when it may try again (recommended by lesson mistake 5; the RFCs say MAY)."


@pytest.mark.parametrize(
    "head,advice",
    [
        ("HTTP/1.1 503 Service Unavailable", f"Add a Retry-After header: {RETRY}"),
        ("HTTP/1.1 429 Too Many Requests\nContent-Type: text/plain", f"Add a Retry-After header: {RETRY}"),
        ("HTTP/1.1 201 Created", "Add a Location header: a 201 should say where the new resource lives."),
        (
            "HTTP/1.1 301 Moved Permanently",
            "Add a Location header: a redirect without Location leaves the client nowhere to go.",
        ),
        (
            "HTTP/1.1 308 Permanent Redirect",
            "Add a Location header: a redirect without Location leaves the client nowhere to go.",
        ),
        (
            "HTTP/1.1 401 Unauthorized",
            "Add a WWW-Authenticate header: a 401 must say how to authenticate (RFC 9110).",
        ),
        (
            "HTTP/1.1 304 Not Modified\n\n<html>",
            "A 304 response must not have a body; drop it (or use 200 if there is content to send).",
        ),
    ],
)
def test_a_head_missing_what_belongs_with_its_code_is_told_exactly_what(head: str, advice: str) -> None:
    result = review(KB, head)
    assert (result.verdict, result.advice) == ("incomplete", (advice,))
    assert advice in render_plain(review_reply(KB, result))


@pytest.mark.parametrize(
    "head",
    [
        "HTTP/1.1 503 Service Unavailable\nRetry-After: 120",
        "HTTP/1.1 429 Too Many Requests\nretry-after: 30",
        "HTTP/1.1 201 Created\nLocation: /users/7",
        "HTTP/1.1 302 Found\nlocation: https://example.com/x",
        'HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm="api"',
        "HTTP/1.1 405 Method Not Allowed\nAllow: GET, HEAD",
        "HTTP/1.1 200 OK\nContent-Type: application/json\n\n{}",
    ],
)
def test_a_complete_head_looks_right(head: str) -> None:
    result = review(KB, head)
    assert (result.verdict, result.advice, result.better) == ("right", (), ())
    assert render_plain(review_reply(KB, result)).splitlines()[0].startswith("Looks right: ")


def test_a_405_without_allow_is_told_in_good_english() -> None:
    result = review(KB, "HTTP/1.1 405 Method Not Allowed")
    assert result.advice == ("Add an Allow header: a 405 must list the methods the resource supports (RFC 9110).",)


@pytest.mark.parametrize(
    "exchange,better,reason",
    [
        ("DELETE /users/1 → 200", 204, "the delete succeeded with nothing to return"),
        (
            '127.0.0.1 - - [05/Dec/2026:10:00:00 +0000] "GET /users/abc HTTP/1.1" 500 12',
            404,
            "the record does not exist",
        ),
    ],
)
def test_a_wrong_code_names_the_better_one_and_why(exchange: str, better: int, reason: str) -> None:
    result = review(KB, exchange)
    assert (result.verdict, result.better[:1], result.reason) == ("wrong", (better,), reason)


def test_a_bare_health_check_outage_is_unsure_but_reminds_of_retry_after() -> None:
    result = review(KB, "GET /health → 503")
    assert result.verdict == "unsure"
    assert result.advice == (f"Remember the Retry-After header: {RETRY}",)


@pytest.mark.parametrize(
    "text,situation,claimed,headers,body,has_head,from_log",
    [
        ("GET /users/abc -> 500", "GET /users/abc", 500, (), "", False, False),
        ("POST /users with invalid email returns 404", "POST /users with invalid email", 404, (), "", False, False),
        (
            '10.0.0.1 - - [25/Nov/2026:10:00:00 +0000] "GET /users/abc HTTP/1.1" 500 12 "-" "curl"',
            "GET /users/abc",
            500,
            (),
            "",
            False,
            True,
        ),
        (
            'HTTP/1.1 201 Created\nLocation: /u/7\nX-A: b\n\n{"id": 7}',
            "",
            201,
            (("Location", "/u/7"), ("X-A", "b")),
            '{"id": 7}',
            True,
            False,
        ),
        ('< HTTP/1.1 304 Not Modified\n< ETag: "abc"', "", 304, (("ETag", '"abc"'),), "", True, False),
        ("`HTTP/2 429`", "", 429, (), "", True, False),
        ('200 {"success": false}', "", 200, (), '{"success": false}', False, False),
    ],
)
def test_what_a_paste_is_read_as(
    text: str,
    situation: str,
    claimed: int,
    headers: tuple[tuple[str, str], ...],
    body: str,
    has_head: bool,
    from_log: bool,
) -> None:
    exchange = read_exchange(text)
    assert (exchange.situation, exchange.claimed, exchange.headers, exchange.body) == (
        situation,
        claimed,
        headers,
        body,
    )
    assert (exchange.has_head, exchange.from_log) == (has_head, from_log)


@pytest.mark.parametrize(
    "body,message",
    [
        ('{"success": false, "error": "User not found"}', "User not found"),
        ('{"ok": false, "errors": [{"field": "email"}]}', '[{"field": "email"}]'),
        ('{"status": "fail", "message": "nope"}', "nope"),
        ('{"status": "fail", "detail": "x"}', "x"),
        ('{"status": "error"}', ""),  # a failure without a message: the situation alone decides
        ('{"success": false}', ""),
        ('{"error": "x"}', "x"),
        ('{"success": true, "error": "odd"}', "odd"),
        ('not json "error": "boom" success: false', "boom"),
        ('{"data": 1}', None),
        ("[1,2]", None),
        ('"message": "hi"', None),
        ('{"message": "created"}', None),
    ],
)
def test_the_error_a_success_body_reports(body: str, message: str | None) -> None:
    assert error_message(body) == message


def test_keeping_the_method_on_a_temporary_redirect_is_307_not_302() -> None:
    """302 is only a close reading of a temporary redirect in general; once the method must be kept, 307 wins
    and 302 is wrong (a browser turns a redirected POST into a GET)."""
    card = render_plain(review_reply(knowledge(), review(knowledge(), "temporary redirect keep the method -> 302")))
    assert card.startswith("302 Found doesn't fit; use 307 Temporary Redirect\n")
    assert "Both are temporary: 302 lets clients turn a POST into a GET" in card


def test_a_lesson_mistake_that_warns_against_the_advised_code_is_not_shown() -> None:
    """An empty search result is 200; lesson mistake 1 ("Returning 200 OK for errors") would contradict that."""
    card = render_plain(review_reply(knowledge(), review(knowledge(), "GET /users?role=admin matches nobody -> 404")))
    assert card.startswith("404 Not Found doesn't fit; use 200 OK\n")
    assert "Common mistake" not in card
    both_ways = render_plain(review_reply(knowledge(), review(knowledge(), "DELETE /users/123 as non-admin -> 401")))
    assert "Common mistake 3: Confusing 401 and 403" in both_ways
