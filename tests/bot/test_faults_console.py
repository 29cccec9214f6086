"""Rough edges of the console: escaped echoes, pastes with a body, games left running, every shown example."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.console import BANNER, PASTE_HINT, PASTE_PROMPT, PROMPT, Console
from bot.conversation import Conversation
from bot.lesson import help_reply
from bot.quiz.chat import QuizChat
from bot.render.terminal import render_plain
from tests.conftest import no_house_rules
from tests.console_run import chat

ROOT = Path(__file__).resolve().parents[2]
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_as_echoes_its_name_escaped_and_explains_itself_without_one() -> None:
    out = chat("/as \x1b[31mX\x1b]0;T\x07", "/as", "/as \u202eevil")
    assert "\x1b" not in out and "\x07" not in out and not set(BIDI) & set(out)
    assert "(you are now X)\n" in out
    assert "(/as NAME lets several people take turns at this keyboard; you are X)\n" in out
    assert "(you are now evil)\n" in out
    assert "I don't know" not in out


def test_bidirectional_controls_never_reach_the_terminal() -> None:
    out = chat("/status check POST /users with \u202eliame dilavni\u202c → 404", "\u2066409\u2069 vs 401")
    assert "Situation\n  POST /users with liame dilavni\n" in out
    assert "409 Conflict vs 401 Unauthorized" in out
    assert not set(BIDI) & set(out)


def test_a_curl_i_paste_with_its_body_is_one_exchange() -> None:
    out = chat(
        "/status check",
        "HTTP/1.1 201 Created",
        "Content-Type: application/json",
        "",
        '{"id": 7}',
        "",
        "",
        "409",
    )
    assert "Add a Location header" in out
    assert "I can't read that" not in out  # the body was not answered as a question of its own
    assert "\n\n409 Conflict\nThe request clashes" in out  # the line after the paste is


def test_a_paste_also_ends_at_a_lone_dot() -> None:
    out = chat("/status check", "HTTP/1.1 429 Too Many Requests", ".", "409")
    assert "Add a Retry-After header" in out and "409 Conflict\n" in out


def test_a_paste_shows_a_continuation_prompt() -> None:
    out = io.StringIO()
    console = Console(out, colour=False, interactive=True)
    prompts: list[str] = []

    def lines() -> Iterator[str]:
        for line in ("HTTP/1.1 429 Too Many Requests", "", ""):
            prompts.append(console.prompt)
            yield line

    console.handle("/status check", lines())
    assert prompts == [PASTE_PROMPT] * 3 and console.prompt == PROMPT
    assert out.getvalue().startswith(PASTE_HINT + "\n")
    assert "Add a Retry-After header" in out.getvalue()


def test_clear_suggests_nothing_it_never_listed() -> None:
    out = chat("clear", "/status hlep", "/status lern")
    assert "learn?" not in out and "Did you mean /status help?" in out
    help_text = render_plain(help_reply())
    assert "(also: learn, families, basics)" in help_text


@pytest.fixture
def database(tmp_path: Path) -> dict[str, str]:
    return {"STATUSBOT_DB": str(tmp_path / "quiz.sqlite3")}


def start_game_and(database: dict[str, str], stop: signal.Signals) -> None:
    """Start a console game, wait for its first question, then end the process with ``stop``."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1", **database},
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(b"/quiz start questions:3 seconds:60\n")
    process.stdin.flush()
    while not process.stdout.readline().startswith(b"Question 1 of 3"):
        pass
    process.send_signal(stop)
    _, err = process.communicate(timeout=30)
    assert b"Traceback" not in err


def test_a_game_abandoned_by_a_killed_console_is_closed_not_played_by_nobody(database: dict[str, str]) -> None:
    start_game_and(database, signal.SIGKILL)
    env = {**os.environ, "NO_COLOR": "1", **database}
    result = subprocess.run(
        [sys.executable, "-m", "bot"], stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, timeout=30
    )
    assert result.stdout.startswith("The quiz bot restarted\nThis game has ended; its scores are kept.\n")
    assert "Question 2 of 3" not in result.stdout and "The quiz is back" not in result.stdout
    # closed for good: the next start finds nothing to resume
    assert chat("409", **database).startswith("409 Conflict\n")


def test_ctrl_c_during_a_game_ends_it_with_scores_kept(database: dict[str, str]) -> None:
    start_game_and(database, signal.SIGINT)
    assert chat("409", **database).startswith("409 Conflict\n")


def examples_shown() -> list[str]:
    """Every example line the banner, /status help and the README show, as it would be typed in the console."""
    banner = BANNER.split("Try ", 1)[1].split(", or ")[0]
    shown = [part.strip().strip('"') for part in banner.split(", ")]
    help_text = render_plain(help_reply())
    shown += [line.strip() for line in help_text.splitlines() if line.startswith("    /status")]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown += [f"/status {q.strip(chr(34))}" for q in re.findall(r"^\| `statusbot ask ([^`]+)`", readme, re.MULTILINE)]
    shown += [f"/status check {x}" for x in re.findall(r"reviews `([^`]+)`", readme)]
    shown += re.findall(r"^\$ printf '.*?(/status check [^\\']+)", readme, re.MULTILINE)
    return shown


# the README promises these two an honest non-answer
HONEST_NON_ANSWERS = {"/status what's for lunch", "/status 299"}
# answer quality, owned with the scenario engine (issue 10 item 16): kept visible until it is fixed
WEAK: set[str] = set()  # README examples the engine does not answer yet (none now)


@pytest.mark.parametrize(
    "example",
    [
        pytest.param(e, marks=pytest.mark.xfail(strict=True, reason="scenario answer")) if e in WEAK else e
        for e in examples_shown()
    ],
)
def test_every_example_the_bot_shows_gets_a_real_answer(example: str) -> None:
    talk = Conversation(quiz=no_quiz, rules=no_house_rules)
    out = "\n\n".join(render_plain(reply) for reply in talk.on_text(example))
    assert out.strip()
    for failure in ("I can't judge", "I couldn't find a status code", "I don't know", "Sorry, that went wrong"):
        assert failure not in out, out[:300]
    if example not in HONEST_NON_ANSWERS:
        assert not out.lower().startswith(("not sure", "i'm not sure")), out[:300]


def test_the_examples_include_the_banner_help_and_readme() -> None:
    examples = examples_shown()
    assert "/status check POST /users with invalid email -> 404" in examples  # the banner's
    assert "/status check HTTP/1.1 429 Too Many Requests" in examples  # help's
    assert "/status 419" in examples and "/status check GET /users/invalid-id -> 500" in examples  # the README's


def no_quiz() -> QuizChat:
    raise AssertionError("no example needs the quiz")


def test_quiz_join_outside_a_team_game_says_how_to_start_one(database: dict[str, str]) -> None:
    out = chat("/quiz join", "/quiz start questions:1", "/quiz join red", "/quiz stop", **database)
    assert "No game is running here. Start a team game with /quiz start teams:on.\n" in out
    assert "This game isn't a team game. Next time, start one with /quiz start teams:on.\n" in out
    assert "Which team?" not in out and "Red or" not in out
