"""Lookup answers pinned to what a user reads: exact suggestions, the card a half-known comparison shows."""

from __future__ import annotations

import pytest

from bot.cards import answer_card
from bot.render.terminal import render_plain
from knowledge import ask, knowledge


def card(text: str) -> str:
    return render_plain(answer_card(knowledge(), ask(text)))


@pytest.mark.parametrize(
    "text,nearest",
    [
        ("430", ["429 Too Many Requests", "431 Request Header Fields Too Large", "428 Precondition Required"]),
        ("299", ["226 IM Used", "208 Already Reported", "207 Multi-Status"]),
    ],
)
def test_an_unassigned_code_suggests_its_nearest_registered_neighbours(text: str, nearest: list[str]) -> None:
    answer = ask(text)
    assert answer.kind == "unknown" and not answer.matches
    assert [int(line[:3]) for line in nearest] == list(answer.suggestions)
    shown = card(text)
    assert f"{text} is not a registered HTTP status code." in shown
    section = shown.split("Nearest registered codes\n", 1)[1]
    assert section.splitlines()[:3] == [f"  • {line}" for line in nearest]


def test_a_comparison_with_one_unknown_code_shows_the_known_codes_full_card() -> None:
    answer = ask("401 vs 430")
    assert answer.kind == "code" and [m.status.code for m in answer.matches] == [401]
    lines = card("401 vs 430").splitlines()
    assert lines[:3] == [
        "401 Unauthorized",
        "430 is not a status code I know.",
        "The request has no valid credentials: the caller must authenticate (or re-authenticate) first.",
    ]
    # The full card, not a one-column comparison: its sections are all there.
    for heading in ("When to use", "When not to", "Headers", "Common mistake: Confusing 401 and 403"):
        assert heading in lines


def test_a_comparison_of_two_known_codes_is_a_compare_answer_with_the_rule() -> None:
    answer = ask("401 vs 403")
    assert answer.kind == "compare" and [m.status.code for m in answer.matches] == [401, 403]
    shown = card("401 vs 403")
    assert "401 Unauthorized" in shown and "403 Forbidden" in shown
    assert "401 when the server doesn't know who is calling" in shown


@pytest.mark.parametrize(
    "text,message",
    [
        ("600", "600 is not an HTTP status code: valid codes are three-digit numbers from 100 to 599."),
        ("99", "99 is not an HTTP status code: valid codes are three-digit numbers from 100 to 599."),
        ("9xx", "There is no 9xx family: HTTP status codes run from 1xx to 5xx."),
        ("-1", "Negative numbers are not status codes: valid codes run from 100 to 599."),
        ("-5 ", "Negative numbers are not status codes: valid codes run from 100 to 599."),
    ],
)
def test_numbers_that_are_no_status_code_say_why(text: str, message: str) -> None:
    answer = ask(text)
    assert (answer.kind, answer.matches, answer.message) == ("invalid", (), message)
    assert card(text).splitlines()[:2] == ["I can't read that as a status-code question", message]


@pytest.mark.parametrize(
    "text,codes",
    [("4xx", [404, 400, 401, 403, 429, 409]), ("1xx", [101, 100, 103, 102, 104])],
)
def test_a_family_lists_its_codes_most_used_first(text: str, codes: list[int]) -> None:
    answer = ask(text)
    assert answer.kind == "family" and answer.family is not None and answer.family.label == text
    assert [m.status.code for m in answer.matches][: len(codes)] == codes
    assert all(m.confidence == 1.0 for m in answer.matches)


@pytest.mark.parametrize(
    "text,codes,rules",
    [
        ("compare 401, 403 and 404", [401, 403, 404], [(401, 403), (403, 404)]),
        ("401 vs 403 vs 401", [401, 403], [(401, 403)]),  # a code named twice is shown once, its rule once
    ],
)
def test_a_comparison_brings_each_rule_once(text: str, codes: list[int], rules: list[tuple[int, int]]) -> None:
    answer = ask(text)
    assert answer.kind == "compare" and [m.status.code for m in answer.matches] == codes
    assert [tuple(rule.codes) for rule in answer.rules] == rules
    assert answer.message == ""


def test_a_comparison_of_an_unknown_and_an_unofficial_code_is_the_known_ones_card() -> None:
    answer = ask("430 vs 440")
    assert answer.kind == "code" and [m.status.code for m in answer.matches] == [440]
    assert answer.message == "430 is not a status code I know."


@pytest.mark.parametrize("text", ["Retry-After: 120", "Retry-Afer header", "Retry-Afer", "retry after"])
def test_a_header_pasted_or_misspelt_names_the_codes_it_belongs_with(text: str) -> None:
    answer = ask(text)
    assert answer.kind == "header" and answer.header == "Retry-After"
    assert [m.status.code for m in answer.matches][:2] == [503, 429]
    assert all(m.reason for m in answer.matches)


@pytest.mark.parametrize("text,name", [("x-request-id", "x-request-id"), ("X-Trace-Id header?", "X-Trace-Id")])
def test_a_custom_header_is_no_status_question(text: str, name: str) -> None:
    answer = ask(text)
    assert answer.kind == "invalid"
    assert answer.message == (
        f"{name} is not a header any status code depends on. Ask about one "
        "(Retry-After, WWW-Authenticate, Location) or describe your situation in plain words."
    )


@pytest.mark.parametrize(
    "text,code,confidence",
    [("conflcit", 409, 0.8), ("goen", 410, 0.8), ("gone", 410, 1.0), ("teapot", 418, 0.9), ("Unauthorized", 401, 1.0)],
)
def test_names_typos_and_keywords_with_their_confidence(text: str, code: int, confidence: float) -> None:
    answer = ask(text)
    assert answer.kind == "name"
    assert [(m.status.code, m.confidence) for m in answer.matches] == [(code, confidence)]


@pytest.mark.parametrize("text", ["done", "ab"])
def test_an_ordinary_word_is_not_read_as_a_misspelt_name(text: str) -> None:
    answer = ask(text)
    assert answer.kind == "invalid" and answer.message.startswith(f"I don't know '{text}' as a status code")


@pytest.mark.parametrize(
    "text,code",
    [("HTTP/1.1 429 Too Many Requests", 429), ("http/2 503", 503), ("409 conflict", 409), ("418 im a teapot", 418)],
)
def test_a_status_line_or_a_code_with_its_name_is_that_code(text: str, code: int) -> None:
    answer = ask(text)
    assert answer.kind == "code" and [m.status.code for m in answer.matches] == [code]


def test_a_code_with_another_codes_name_is_a_question() -> None:
    assert ask("409 teapot").kind == "scenario"


@pytest.mark.parametrize(
    "text",
    ["409", "4xx", "430", "600", "9xx", "-1", "401 vs 403", "401 vs 430", "430 vs 432", "Retry-After: 120",
     "retry after header", "x-request-id", "conflcit", "teapot", "I'm a teapot", "HTTP/1.1 429 Slow Down"],
)  # fmt: skip
def test_every_answer_echoes_the_question_asked(text: str) -> None:
    """`statusbot ask --json` pairs each answer with its input through ``query``."""
    answer = ask(text)
    assert answer.query == text and answer.to_json()["query"] == text


def test_a_comparison_of_unknown_codes_names_each_of_them() -> None:
    both = ask("430 vs 432")
    assert (both.kind, both.suggestions) == ("unknown", (429, 431, 428))  # the first code's neighbours
    assert both.message == (
        "430 is not a registered HTTP status code. 430 is not a status code I know. 432 is not a status code I know."
    )
    one_known = ask("430 vs 432 vs 401")
    assert one_known.kind == "code" and [m.status.code for m in one_known.matches] == [401]
    assert one_known.message == "430 is not a status code I know. 432 is not a status code I know."


def test_a_comparison_of_four_codes_brings_the_rule_of_every_pair() -> None:
    answer = ask("compare 401, 404, 403 and 500")
    assert [m.status.code for m in answer.matches] == [401, 404, 403, 500]
    assert all(m.confidence == 1.0 for m in answer.matches)
    assert [tuple(rule.codes) for rule in answer.rules] == [(401, 403), (403, 404)]


@pytest.mark.parametrize("text,code", [("HTTP/1.1 429 Slow Down", 429), ("http/1.1 418 whatever", 418)])
def test_a_status_line_is_its_code_whatever_the_reason_phrase(text: str, code: int) -> None:
    answer = ask(text)
    assert answer.kind == "code" and [m.status.code for m in answer.matches] == [code]


@pytest.mark.parametrize(
    "text,kind",
    [
        ("Retry-After: a b c", "header"),  # a pasted header line, its value up to three words
        ("Retry-After: a b c d", "scenario"),  # longer: a sentence about the header
        ("-5 is bad", "invalid"),
        ("-5 is it bad", "scenario"),
        ("4xx", "family"),
        ("409 conflict error", "code"),
        ("409 the conflict", "code"),
        ("teapot's", "scenario"),
    ],
)
def test_where_a_lookup_ends_and_a_question_begins(text: str, kind: str) -> None:
    assert ask(text).kind == kind


@pytest.mark.parametrize(
    "text,header,first",
    [
        ("WWW-Authenticate: Bearer", "WWW-Authenticate", 401),
        ("location header", "Location", 201),
        ("Content-Typo", "Content-Type", 200),
        ("retry after header", "Retry-After", 503),
    ],
)
def test_headers_pasted_named_or_misspelt(text: str, header: str, first: int) -> None:
    answer = ask(text)
    assert (answer.kind, answer.header) == ("header", header)
    assert answer.matches[0].status.code == first and {m.confidence for m in answer.matches} == {1.0}


@pytest.mark.parametrize(
    "text,code", [("I'm a teapot", 418), ("im a teapot", 418), ("request timeout", 408), ("Request-Timeout", 408)]
)
def test_full_names_with_apostrophes_or_hyphens_are_exact(text: str, code: int) -> None:
    answer = ask(text)
    assert answer.kind == "name" and [(m.status.code, m.confidence) for m in answer.matches] == [(code, 1.0)]
