"""The console through its real entry point: lines piped into `statusbot`, replies read from its output."""

from __future__ import annotations

import pytest

from knowledge import knowledge
from tests.console_run import chat


def guide_paths() -> dict[int, list[int]]:
    """Every outcome code of the guide and the 1-based choices that reach it."""
    steps = {step.id: step for step in knowledge().catalogue.guide}
    found: dict[int, list[int]] = {}

    def walk(step_id: str, path: list[int]) -> None:
        for number, choice in enumerate(steps[step_id].choices, start=1):
            if choice.code:
                found.setdefault(choice.code, [*path, number])
            else:
                walk(choice.next, [*path, number])

    walk("start", [])
    return found


def test_every_kind_of_question_in_one_session():
    out = chat(
        "409",
        "/status 4xx",
        "/STATUS   teapot",
        "/status Retry-After",
        "/status 401 vs 403",
        "what code for duplicate email?",
        "/status 299",
        "/status 600",
    )
    assert "409 Conflict" in out
    assert "4xx Client Error" in out
    assert "I'm a teapot" in out
    assert "Retry-After header" in out
    assert "401 Unauthorized vs 403 Forbidden" in out
    assert "Why: " in out
    assert "299 is not a registered HTTP status code" in out
    assert "valid codes are three-digit numbers from 100 to 599" in out


def test_the_guide_reaches_every_outcome():
    paths = guide_paths()
    assert {200, 201, 204, 401, 403, 404, 422, 500, 400, 409, 429, 503} <= set(paths)
    lines: list[str] = []
    for path in paths.values():
        lines += ["/status guide", *map(str, path)]
    out = chat(*lines)
    for code in paths:
        assert f"Use {code} " in out, code


def test_the_guide_goes_back():
    out = chat("/status guide", "2", "3")  # No → Back
    assert out.count("Did the request succeed?") == 2


@pytest.mark.parametrize(
    "exchange,expected",
    [
        ('/status check 200 {"success": false, "error": "User not found"}', "Common mistake 1"),
        ("/status check POST /users with invalid email → 404", "Common mistake 2"),
        ("/status check DELETE /users/123 as non-admin -> 401", "Common mistake 3"),
        ("/status check GET /users/invalid-id => 500", "Common mistake 4"),
        ("/status check HTTP/1.1 429 Too Many Requests", "Common mistake 5"),
    ],
)
def test_check_names_each_lesson_mistake(exchange, expected):
    assert expected in chat(exchange)


def test_check_reads_a_pasted_block_up_to_two_empty_lines():
    out = chat("/status check", "HTTP/1.1 201 Created", "Content-Type: application/json", "", "", "409")
    assert "Add a Location header" in out
    assert "409 Conflict" in out


def test_check_says_looks_right():
    assert "Looks right" in chat("/status check POST /users with existing email → 409")


def test_help_did_you_mean_and_lesson_content():
    out = chat("/status help", "/stauts 409", "/status hlep", "/status mistakes", "/status lesson")
    assert "What statusbot understands" in out and "/status guide" in out
    assert "I don't know the command “/stauts”" in out and "Did you mean /status?" in out
    assert "Did you mean /status help?" in out
    assert "Be specific" in out
    assert "five families" in out


def test_quit_ends_the_chat_and_echoed_text_is_harmless():
    out = chat("\x1b[31m@everyone\x07", "quit", "409")
    assert "\x1b" not in out and "\x07" not in out
    assert "409 Conflict" not in out


def test_an_unsure_answer_lists_candidates_and_offers_the_guide():
    out = chat("weird stuff happening with the order page", "1")
    assert "Not sure: a few codes could fit\n• 303 See Other — " in out
    assert "[1] Walk through the decision guide" in out
    assert "unsure · tell me more, or walk through the decision guide" in out
    assert "Did the request succeed?" in out  # the button starts the guide


def test_a_likely_answer_is_headed_best_match_with_the_runner_up_and_its_rule():
    out = chat("search came back empty")
    assert out.startswith("Best match: 200 OK\n")
    assert "Also consider " in out
    assert "likely · confidence 51%" in out
