"""What a typed line means, pinned: the command, the action and the argument a handler receives."""

from __future__ import annotations

import pytest

from bot.conversation import Conversation
from bot.grammar import Command, closest, normalise_argument, parse
from bot.quiz.chat import QuizChat
from bot.render.terminal import render_plain
from tests.conftest import no_house_rules


def no_quiz() -> QuizChat:
    raise AssertionError("these lines never reach the quiz")


@pytest.mark.parametrize(
    "text,command,action,argument",
    [
        (
            "status check POST /users with invalid email → 404",
            "status",
            "check",
            "POST /users with invalid email → 404",
        ),
        ("Status Check GET /x -> 500", "status", "check", "GET /x → 500"),
        ("/status check GET /x => 500", "status", "check", "GET /x → 500"),
        ("/status check", "status", "check", ""),
        ('/status "409"', "status", "ask", "409"),
        ("/STATUS guide", "status", "guide", ""),
        ("/status help", "status", "help", ""),
        ("/status help me pick a code", "status", "ask", "help me pick a code"),
        ("status 409", "status", "ask", "409"),
        ("409", "status", "ask", "409"),
        ("  what code for duplicate email?  ", "status", "ask", "what code for duplicate email?"),
        ("/quiz start questions:3", "quiz", "start", "questions:3"),
        ("/quiz stop", "quiz", "stop", ""),
        ("/status check GET /x\nHTTP/1.1 500\nX-A: b", "status", "check", "GET /x\nHTTP/1.1 500\nX-A: b"),
        ("status check GET /x\nHTTP/1.1 500", "status", "check", "GET /x\nHTTP/1.1 500"),
        ("\n\n/status check GET /x -> 500", "status", "check", "GET /x → 500"),
        ("/status\n409", "status", "ask", "409"),
        ('/status check ""', "status", "check", ""),
        ("/quiz leaderboard period:week", "quiz", "leaderboard", "period:week"),
        ("/quiz join Red", "quiz", "join", "Red"),
        ("/quiz stop now please", "quiz", "help", "stop now please"),
    ],
)
def test_a_line_means(text: str, command: str, action: str, argument: str) -> None:
    parsed = parse(text)
    assert (parsed.command, parsed.action, parsed.argument, parsed.raw) == (command, action, argument, text)


def test_an_unknown_command_suggests_the_closest() -> None:
    assert parse("/stauts 409") == Command("", "unknown", "/stauts 409", "/stauts 409", "status")
    assert parse("/qiuz start").suggestion == "quiz"
    assert parse("/zzzzzz").suggestion == ""


def test_without_an_implicit_command_plain_text_is_no_command() -> None:
    assert parse(" hello there ", implicit=None) == Command("", "none", "hello there", " hello there ")


def test_arguments_are_unquoted_and_arrows_unified() -> None:
    assert normalise_argument(' "GET /a -> 404" ') == "GET /a → 404"
    assert normalise_argument("“GET /a => 404”") == "GET /a → 404"
    assert normalise_argument("a→b") == "a → b"
    assert normalise_argument('"') == '"'


def test_closest() -> None:
    assert closest("gide", ["guide", "help"]) == "guide"
    assert closest("GIDE", ["guide", "help"]) == "guide"
    assert closest("xyz", ["guide", "help"]) == ""
    assert closest("gxde", ["guide"]) == "guide"
    assert closest("gxde", ["guide"], cutoff=0.9) == ""  # a caller's stricter cutoff is honoured


def test_status_check_typed_without_the_slash_is_reviewed_not_answered() -> None:
    replies = Conversation(quiz=no_quiz, rules=no_house_rules).on_text(
        "status check POST /users with invalid email → 404"
    )
    shown = render_plain(replies[0])
    assert shown.splitlines()[0] == "404 Not Found doesn't fit; use 422 Unprocessable Content"
    assert "Common mistake 2: Using 404 for validation errors" in shown
