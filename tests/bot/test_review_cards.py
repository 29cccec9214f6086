"""/status check cards pinned whole, as a user reads them: the verdict, the situation read, the better code, the
rule and the lesson mistake, the header advice and the links."""

# ruff: noqa: E501 - the cards are quoted line by line, whole
from __future__ import annotations

import pytest

from bot.render.terminal import render_plain
from bot.review_card import review_reply
from knowledge import knowledge
from knowledge.review import review

KB = knowledge()

CARDS = [
    pytest.param(
        "GET /orders/7 → 499",
        [
            "Don't send 499 Client Closed Request",
            "",
            "Situation",
            "  GET /orders/7",
            "",
            "Why not",
            "  499 Client Closed Request: it is not a registered status code",
            "",
            "Headers",
            "  • Don't send 499: it is not a registered status code.",
            "",
            "Spec: https://github.com/nginx/nginx/blob/master/src/http/ngx_http_request.h",
            "Docs: https://developers.cloudflare.com/support/troubleshooting/http-status-codes/4xx-client-error/error-499/",
        ],
        id="an unofficial code",
    ),
    pytest.param(
        "PUT /users/1 → 306",
        [
            "Don't send 306 Switch Proxy",
            "",
            "Situation",
            "  PUT /users/1",
            "",
            "Why not",
            "  306 Switch Proxy: RFC 9110 reserves it as unused",
            "",
            "Headers",
            "  • Don't send 306: RFC 9110 reserves it as unused.",
            "",
            "Spec: https://www.rfc-editor.org/rfc/rfc9110#section-15.4.7",
        ],
        id="a code reserved as unused",
    ),
    pytest.param(
        "```\n> GET /users/7 HTTP/1.1\n>\n< HTTP/1.1 404 Not Found\n< Content-Type: application/json\n```",
        [
            "Looks right: 404 Not Found",
            "",
            "Situation",
            "  GET /users/7",
            "",
            "Spec: https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
            "Docs: https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Status/404",
        ],
        id="a curl -v paste",
    ),
    pytest.param(
        "user already exists → returned a 400 maybe",
        [
            "400 Bad Request doesn't fit; use 409 Conflict",
            "",
            "Situation",
            "  user already exists",
            "",
            "Better: 409 Conflict",
            "  The situation reads as: the resource already exists.",
            "",
            "How to choose",
            "  400 when the request itself is malformed; 409 when a well-formed request can't be applied because of the target's current state, e.g. it would create a duplicate.",
            "",
            "Spec: https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10",
            "Docs: https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Status/409",
        ],
        id="a wrong code with the rule",
    ),
    pytest.param(
        "token expired -> 403",
        [
            "403 Forbidden doesn't fit; use 401 Unauthorized",
            "",
            "Situation",
            "  token expired",
            "",
            "Better: 401 Unauthorized",
            "  The situation reads as: token expired or revoked.",
            "",
            "Common mistake 3: Confusing 401 and 403",
            "  401 means the server cannot tell who is calling: the credentials are missing, expired or invalid, and sending valid ones may fix things. 403 means the server knows exactly who is calling and still says no, so logging in again will not help. A request with no token therefore gets 401, while a signed-in ordinary user trying to delete an admin-only resource gets 403.",
            "  Tip: Ask whether you know who is calling: no, 401 (with WWW-Authenticate); yes but not allowed, 403.",
            "",
            "How to choose",
            "  401 when the server doesn't know who is calling (credentials missing, expired or invalid); 403 when it knows who is calling and refuses anyway.",
            "",
            "Spec: https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
            "Docs: https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Status/401",
        ],
        id="a lesson mistake",
    ),
    pytest.param(
        'POST /orders → 201 Created\nContent-Type: application/json\n\n{"id": 7}',
        [
            "201 Created fits, but the response is missing something",
            "",
            "Situation",
            "  POST /orders",
            "",
            "Headers",
            "  • Add a Location header: a 201 should say where the new resource lives.",
            "",
            "Spec: https://www.rfc-editor.org/rfc/rfc9110#section-15.3.2",
            "Docs: https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Status/201",
        ],
        id="a right code missing a header",
    ),
    pytest.param(
        '200 {"success": false, "errors": ["email taken"]}',
        [
            "200 OK doesn't fit; use 409 Conflict",
            "",
            "Better: 409 Conflict",
            "  The situation reads as: the body reports an error.",
            "",
            "Common mistake 1: Returning 200 OK for errors",
            "  Wrapping a failure in a 200 response forces every client to dig through the body to find out whether the call worked, and caches, proxies, monitoring and retry logic will all record it as a success. The status code exists to say whether the request succeeded: a user that does not exist should come back as 404 Not Found, with any details in the body.",
            "  Tip: Let the status code carry the outcome and keep the body for details.",
            "",
            "Spec: https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10",
            "Docs: https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Status/409",
        ],
        id="an error body under 200",
    ),
]


@pytest.mark.parametrize("text,card", CARDS)
def test_a_checked_exchange_reads_exactly(text: str, card: list[str]) -> None:
    assert render_plain(review_reply(KB, review(KB, text))).splitlines() == card
