"""The statusbot command as a user runs it: real processes, real output."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bot.cli import main

COMMAND = [sys.executable, "-m", "bot"]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([*COMMAND, *args], input=stdin, capture_output=True, text=True, env=env, timeout=60)


def test_ask_json_gives_the_documented_object():
    result = run("ask", "409", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["kind"] == "code"
    assert data["matches"] == [{"code": 409, "phrase": "Conflict", "confidence": 1.0}]
    assert "409 Conflict" in data["text"] and "When to use" in data["text"]


def test_ask_json_from_stdin_writes_one_object_per_line_in_order():
    questions = ["409", "4xx", "teapot", "", "401 vs 403", "what code for duplicate email?", "😀"]
    result = run("ask", "--json", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(questions)
    kinds = [json.loads(line)["kind"] for line in lines]
    assert kinds == ["code", "family", "name", "invalid", "compare", "scenario", "invalid"]
    assert [json.loads(line)["query"] for line in lines][:3] == ["409", "4xx", "teapot"]


def test_plain_answer_when_piped_has_no_colour_codes():
    result = run("ask", "422")
    assert result.returncode == 0
    assert "422 Unprocessable Content (formerly Unprocessable Entity)" in result.stdout
    assert "\x1b[" not in result.stdout


def test_teapot_card_says_unused():
    result = run("ask", "418")
    assert "I'm a teapot" in result.stdout and "unused" in result.stdout.lower()


def test_unofficial_card_warns():
    result = run("ask", "499")
    assert "nginx" in result.stdout and "don't send it from your own API" in result.stdout


def test_ask_json_never_imports_chat_sdks():
    probe = (
        "import sys, io, contextlib\n"
        "from bot.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['ask', '409', '--json'])\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('slack_bolt', 'slack_sdk', 'discord')]\n"
        "print(loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


@pytest.mark.parametrize("args", [["--help"], ["ask", "--help"], ["eval", "--help"]])
def test_help_explains(args, capsys):
    with pytest.raises(SystemExit) as stop:
        main(args)
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "usage: statusbot" in out


def test_version():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("statusbot ")


def test_bad_input_never_gives_a_traceback():
    for text in ["-1", "\x07\x1b[2J", "x" * 10_000, "600", "${jndi:ldap://x}", "<@U123> @everyone"]:
        result = run("ask", "--", text)
        assert result.returncode == 0
        assert "Traceback" not in result.stderr and result.stdout.strip()


def test_ask_json_carries_the_certainty_band():
    questions = [
        "409",
        "what code for duplicate email?",
        "search came back empty",
        "weird stuff happening with the order page",
        "what's for lunch",
    ]
    result = run("ask", "--json", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["certainty"] for a in answers] == ["sure", "sure", "likely", "unsure", "abstain"]
    likely, unsure, abstained = answers[2:]
    assert likely["text"].startswith("Best match: 200 OK\n")
    assert unsure["text"].startswith("Not sure: a few codes could fit\n• 303 See Other — ")
    assert "[1] Walk through the decision guide" in unsure["text"]
    assert "[1] Walk through the decision guide" in abstained["text"]
