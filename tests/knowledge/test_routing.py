"""How a question is routed, as the answer shows it: pings dropped, empty and overlong questions refused with
the reason, a code named in full looked up when the situation around it says little."""

from __future__ import annotations

import pytest

from knowledge import ask
from knowledge.router import ACCEPTS
from knowledge.text import words


@pytest.mark.parametrize(
    "question,kind,query,codes",
    [
        ("@everyone what's 401", "code", "what's 401", [401]),
        ("<@U123ABC> 409", "code", "409", [409]),
        ("haproxy 504 Gateway Timeout", "code", "haproxy 504 Gateway Timeout", [504]),
        ("I'm getting a 502 from nginx", "code", "I'm getting a 502 from nginx", [502]),
        ("How to handle a 429 error in retrofit", "code", "How to handle a 429 error in retrofit", [429]),
        (
            "FastAPI returns 422 for my request, what does that mean?",
            "code",
            "FastAPI returns 422 for my request, what does that mean?",
            [422],
        ),
        (
            "got 502 Bad Gateway from the load balancer?",
            "scenario",
            "got 502 Bad Gateway from the load balancer?",
            [502],
        ),
    ],
)
def test_a_question_naming_a_code_gets_the_card_it_means(
    question: str, kind: str, query: str, codes: list[int]
) -> None:
    answer = ask(question)
    assert (answer.kind, answer.query, [m.status.code for m in answer.matches][: len(codes)]) == (kind, query, codes)


@pytest.mark.parametrize(
    "question,query,message",
    [
        ("   ", "", f"I didn't find a question there. {ACCEPTS}"),
        ("<#C123|general>", "", f"I didn't find a question there. {ACCEPTS}"),
        ("hey @here", "hey", f"I don't know 'hey' as a status code, name or header. {ACCEPTS}"),
        ("xyzzy", "xyzzy", f"I don't know 'xyzzy' as a status code, name or header. {ACCEPTS}"),
        ("x" * 2001, "x" * 200 + "…", f"That's 2,001 characters; I read questions of up to 2,000. {ACCEPTS}"),
    ],
)
def test_what_is_not_a_question_says_why(question: str, query: str, message: str) -> None:
    answer = ask(question)
    assert (answer.kind, answer.query, answer.matches, answer.message) == ("invalid", query, (), message)


def test_the_longest_question_read_is_two_thousand_characters() -> None:
    assert ask("conflict " + "x" * 1991).kind != "invalid"


def test_two_unknown_words_are_an_honest_not_sure() -> None:
    answer = ask("xyzzy plugh")
    assert (answer.kind, answer.matches) == ("scenario", ())
    assert answer.message.startswith("I answer questions about HTTP status codes")


def test_accepts_says_what_can_be_asked() -> None:
    assert ACCEPTS == (
        "Ask about a status code by number (409), family (4xx), name (conflict), header (Retry-After) "
        'or comparison (401 vs 403), or describe your situation ("duplicate email on signup").'
    )


@pytest.mark.parametrize(
    "question,kind,query",
    [
        ("４０９", "code", "409"),  # full-width digits, as some keyboards type them
        ("Ｃｏｎｆｌｉｃｔ", "name", "Conflict"),
        ("409\u200b", "code", "409"),  # a zero-width space pasted along
        ("ｃｏｎｆｌｉｃｔ  \t 409", "code", "conflict 409"),
    ],
)
def test_wide_letters_and_invisible_characters_read_as_plain_text(question: str, kind: str, query: str) -> None:
    answer = ask(question)
    assert (answer.kind, answer.query, answer.matches[0].status.code) == (kind, query, 409)


def test_apostrophes_inside_words_are_dropped_straight_or_curly() -> None:
    assert words("Don’t RETRY it's 409") == ["dont", "retry", "its", "409"]
