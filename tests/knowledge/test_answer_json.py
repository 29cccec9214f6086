"""`statusbot ask --json` answers pinned whole: the fields a script reads, their names and their values."""

# ruff: noqa: E501 - the answers are quoted whole
from __future__ import annotations

from typing import Any

import pytest

from knowledge import ask

ANSWERS: list[tuple[str, dict[str, Any]]] = [
    (
        "430",
        {
            "kind": "unknown",
            "query": "430",
            "matches": [],
            "certainty": "sure",
            "suggestions": [429, 431, 428],
            "family": "4xx",
            "message": "430 is not a registered HTTP status code.",
        },
    ),
    (
        "600",
        {
            "kind": "invalid",
            "query": "600",
            "matches": [],
            "certainty": "abstain",
            "message": "600 is not an HTTP status code: valid codes are three-digit numbers from 100 to 599.",
        },
    ),
    (
        "409",
        {
            "kind": "code",
            "query": "409",
            "matches": [{"code": 409, "phrase": "Conflict", "confidence": 1.0}],
            "certainty": "sure",
        },
    ),
    (
        "499",
        {
            "kind": "code",
            "query": "499",
            "matches": [{"code": 499, "phrase": "Client Closed Request", "confidence": 1.0, "origin": "nginx"}],
            "certainty": "sure",
        },
    ),
    (
        "conflcit",
        {
            "kind": "name",
            "query": "conflcit",
            "matches": [{"code": 409, "phrase": "Conflict", "confidence": 0.8}],
            "certainty": "sure",
        },
    ),
    (
        "401 vs 403",
        {
            "kind": "compare",
            "query": "401 vs 403",
            "matches": [
                {"code": 401, "phrase": "Unauthorized", "confidence": 1.0},
                {"code": 403, "phrase": "Forbidden", "confidence": 1.0},
            ],
            "certainty": "sure",
            "rules": [
                {
                    "codes": [401, 403],
                    "rule": "401 when the server doesn't know who is calling (credentials missing, expired or invalid); 403 when it knows who is calling and refuses anyway.",
                }
            ],
        },
    ),
    (
        "Retry-After",
        {
            "kind": "header",
            "query": "Retry-After",
            "matches": [
                {
                    "code": 503,
                    "phrase": "Service Unavailable",
                    "confidence": 1.0,
                    "reason": "tells the client how long to wait (seconds, or an HTTP date) before trying again; optional in RFC 9110, recommended by the lesson every time",
                },
                {
                    "code": 429,
                    "phrase": "Too Many Requests",
                    "confidence": 1.0,
                    "reason": "seconds (or an HTTP date) until the client may try again, e.g. Retry-After: 60; optional in RFC 6585, recommended",
                },
                {
                    "code": 202,
                    "phrase": "Accepted",
                    "confidence": 1.0,
                    "reason": "optional hint of how many seconds to wait before polling the status URL",
                },
                {
                    "code": 413,
                    "phrase": "Content Too Large",
                    "confidence": 1.0,
                    "reason": "only when the condition is temporary: tells the client when it may try again",
                },
            ],
            "certainty": "sure",
            "header": "Retry-After",
        },
    ),
    (
        "what code for duplicate email?",
        {
            "kind": "scenario",
            "query": "what code for duplicate email?",
            "matches": [
                {"code": 409, "phrase": "Conflict", "confidence": 1.0, "reason": "the resource already exists"},
                {
                    "code": 422,
                    "phrase": "Unprocessable Content",
                    "confidence": 0.056,
                    "reason": "a field value fails validation",
                },
                {"code": 202, "phrase": "Accepted", "confidence": 0.041, "reason": "accepted for processing later"},
            ],
            "certainty": "sure",
            "runner_up": {
                "code": 422,
                "phrase": "Unprocessable Content",
                "confidence": 0.056,
                "reason": "a field value fails validation",
                "rule": "409 when valid data clashes with the resource's current state (duplicate email, stale version); 422 when the data itself is invalid whatever is stored.",
            },
        },
    ),
    (
        "the weather today",
        {
            "kind": "scenario",
            "query": "the weather today",
            "matches": [],
            "certainty": "abstain",
            "message": 'I answer questions about HTTP status codes: describe what happened ("user already exists", "token expired") or ask about a code (409), a family (4xx) or a comparison (401 vs 403).',
        },
    ),
    (
        "4xx",
        {
            "kind": "family",
            "query": "4xx",
            "matches": [
                {"code": 404, "phrase": "Not Found", "confidence": 1.0},
                {"code": 400, "phrase": "Bad Request", "confidence": 1.0},
                {"code": 401, "phrase": "Unauthorized", "confidence": 1.0},
                {"code": 403, "phrase": "Forbidden", "confidence": 1.0},
                {"code": 429, "phrase": "Too Many Requests", "confidence": 1.0},
                {"code": 409, "phrase": "Conflict", "confidence": 1.0},
                {"code": 422, "phrase": "Unprocessable Content", "confidence": 1.0},
                {"code": 405, "phrase": "Method Not Allowed", "confidence": 1.0},
                {"code": 413, "phrase": "Content Too Large", "confidence": 1.0},
                {"code": 415, "phrase": "Unsupported Media Type", "confidence": 1.0},
                {"code": 499, "phrase": "Client Closed Request", "confidence": 1.0, "origin": "nginx"},
                {"code": 406, "phrase": "Not Acceptable", "confidence": 1.0},
                {"code": 408, "phrase": "Request Timeout", "confidence": 1.0},
                {"code": 412, "phrase": "Precondition Failed", "confidence": 1.0},
                {"code": 410, "phrase": "Gone", "confidence": 1.0},
                {"code": 418, "phrase": "I'm a teapot", "confidence": 1.0},
                {"code": 419, "phrase": "Page Expired", "confidence": 1.0, "origin": "Laravel"},
                {"code": 402, "phrase": "Payment Required", "confidence": 1.0},
                {"code": 414, "phrase": "URI Too Long", "confidence": 1.0},
                {"code": 428, "phrase": "Precondition Required", "confidence": 1.0},
                {"code": 444, "phrase": "Connection Closed Without Response", "confidence": 1.0, "origin": "nginx"},
                {"code": 451, "phrase": "Unavailable For Legal Reasons", "confidence": 1.0},
                {"code": 416, "phrase": "Range Not Satisfiable", "confidence": 1.0},
                {"code": 407, "phrase": "Proxy Authentication Required", "confidence": 1.0},
                {"code": 420, "phrase": "Enhance Your Calm", "confidence": 1.0, "origin": "Twitter API v1"},
                {"code": 431, "phrase": "Request Header Fields Too Large", "confidence": 1.0},
                {
                    "code": 460,
                    "phrase": "Client Closed Connection (ALB)",
                    "confidence": 1.0,
                    "origin": "AWS Application Load Balancer",
                },
                {"code": 411, "phrase": "Length Required", "confidence": 1.0},
                {"code": 423, "phrase": "Locked", "confidence": 1.0},
                {"code": 426, "phrase": "Upgrade Required", "confidence": 1.0},
                {"code": 494, "phrase": "Request Header Or Cookie Too Large", "confidence": 1.0, "origin": "nginx"},
                {"code": 495, "phrase": "The SSL certificate error", "confidence": 1.0, "origin": "nginx"},
                {"code": 496, "phrase": "No required SSL certificate was sent", "confidence": 1.0, "origin": "nginx"},
                {
                    "code": 497,
                    "phrase": "The plain HTTP request was sent to HTTPS port",
                    "confidence": 1.0,
                    "origin": "nginx",
                },
                {"code": 417, "phrase": "Expectation Failed", "confidence": 1.0},
                {"code": 419, "phrase": "Authentication Timeout", "confidence": 1.0, "origin": "ASP.NET Core"},
                {"code": 421, "phrase": "Misdirected Request", "confidence": 1.0},
                {"code": 424, "phrase": "Failed Dependency", "confidence": 1.0},
                {"code": 425, "phrase": "Too Early", "confidence": 1.0},
                {
                    "code": 440,
                    "phrase": "Login Timeout",
                    "confidence": 1.0,
                    "origin": "Microsoft Exchange Outlook Web Access (IIS)",
                },
                {
                    "code": 463,
                    "phrase": "Too Many Forwarded Addresses (ALB)",
                    "confidence": 1.0,
                    "origin": "AWS Application Load Balancer",
                },
                {
                    "code": 464,
                    "phrase": "Incompatible Protocol Version (ALB)",
                    "confidence": 1.0,
                    "origin": "AWS Application Load Balancer",
                },
                {
                    "code": 449,
                    "phrase": "Retry With",
                    "confidence": 1.0,
                    "origin": "Microsoft WebDAV extension [MS-WDV] (IIS)",
                },
                {
                    "code": 450,
                    "phrase": "Blocked by Windows Parental Controls",
                    "confidence": 1.0,
                    "origin": "Microsoft Windows Parental Controls",
                },
                {"code": 451, "phrase": "Redirect", "confidence": 1.0, "origin": "Microsoft Exchange ActiveSync"},
                {
                    "code": 419,
                    "phrase": "Insufficient Space On Resource",
                    "confidence": 1.0,
                    "origin": "Spring Framework (deprecated constant)",
                },
                {
                    "code": 420,
                    "phrase": "Method Failure",
                    "confidence": 1.0,
                    "origin": "Spring Framework (deprecated constant)",
                },
            ],
            "certainty": "sure",
            "family": "4xx",
        },
    ),
    (
        "hello 40x",
        {
            "kind": "scenario",
            "query": "hello 40x",
            "matches": [],
            "certainty": "abstain",
            "message": 'I answer questions about HTTP status codes: describe what happened ("user already exists", "token expired") or ask about a code (409), a family (4xx) or a comparison (401 vs 403).',
        },
    ),
]


@pytest.mark.parametrize("question,answer", ANSWERS, ids=[q for q, _ in ANSWERS])
def test_the_json_answer_a_script_reads(question: str, answer: dict[str, Any]) -> None:
    assert ask(question).to_json() == answer
