"""The statusbot command under bad settings, bad bytes, Ctrl-C and full disks: one clear line, never a traceback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

COMMAND = [sys.executable, "-m", "bot"]


def run(
    *args: str, cwd: Path | None = None, stdin: bytes = b"", **env_extra: str
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NO_COLOR": "1", **env_extra}
    return subprocess.run([*COMMAND, *args], input=stdin, capture_output=True, env=env, cwd=cwd, timeout=120)


@pytest.mark.parametrize(
    "content,line",
    [
        (b"STATUSBOT_DB=/tmp/x\nNAME=caf\xe9\n", "statusbot: .env line 2 is not valid UTF-8: save the file as UTF-8\n"),
        (b"# settings\n\nNO_COLOR=1\x00\n", "statusbot: .env line 3 contains a NUL byte, which no setting can hold\n"),
    ],
)
def test_an_unreadable_env_file_is_one_line_naming_the_line(tmp_path: Path, content: bytes, line: str) -> None:
    (tmp_path / ".env").write_bytes(content)
    for args in (["ask", "409"], []):
        result = run(*args, cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.decode() == line
        assert result.stdout == b""


def test_undecodable_bytes_give_valid_json_and_replacement_characters() -> None:
    result = subprocess.run(
        [*COMMAND, "ask", "--json", os.fsdecode(b"409 \xff")],
        capture_output=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.decode("utf-8"))  # strict UTF-8: a raw 0xFF would fail here
    assert data["query"] == "409 \ufffd"
    piped = run("ask", "--json", stdin=b"409 \xc0\xafabc\n")
    assert json.loads(piped.stdout.decode("utf-8"))["query"] == "409 \ufffd\ufffdabc"
    console = run(stdin=b"/as \xc0\xafabc\n")
    assert console.stdout.decode("utf-8") == "(you are now \ufffd\ufffdabc)\n\n"


def test_a_full_disk_is_one_line_and_status_1() -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "wb") as full:
        result = subprocess.run([*COMMAND, "ask", "409"], stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert result.returncode == 1
    assert result.stderr.decode() == "statusbot: cannot write the output: No space left on device\n"


@pytest.mark.parametrize("args", [["ask"], []], ids=["ask", "console"])
def test_ctrl_c_while_piped_exits_130_without_a_traceback(args: list[str]) -> None:
    env = {**os.environ, "NO_COLOR": "1", "STATUSBOT_DB": os.devnull + "/none"}
    process = subprocess.Popen(
        [*COMMAND, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(b"409\n")
    process.stdin.flush()
    assert process.stdout.readline().startswith(b"409 Conflict")  # it is up and waiting for more input
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err


def test_a_bare_question_is_asked() -> None:
    assert run("409").stdout.decode().startswith("409 Conflict\n")
    assert "409 Conflict" in run("what code for duplicate email?").stdout.decode()
    assert run("teapot").stdout.decode().startswith("418 I'm a teapot")
    misspelt = run("slak")  # a command with a typo is not taken for a question
    assert misspelt.returncode == 2 and "invalid choice: 'slak'" in misspelt.stderr.decode()


def test_piped_ask_skips_blank_lines_but_json_keeps_one_object_per_line() -> None:
    plain = run("ask", stdin=b"409\n\n   \n4xx\n").stdout.decode()
    assert plain.startswith("409 Conflict\n") and "\n4xx Client Error\n" in plain
    assert "I can't read that as a status-code question" not in plain
    lines = run("ask", "--json", stdin=b"409\n\n4xx\n").stdout.decode().splitlines()
    assert [json.loads(line)["kind"] for line in lines] == ["code", "invalid", "family"]


def test_an_empty_pipe_into_the_console_gets_a_hint() -> None:
    result = run()
    assert result.returncode == 0 and result.stdout == b""
    assert result.stderr.decode() == (
        "statusbot: no input. Run statusbot in a terminal to chat, pipe lines into it (echo 409 | statusbot), "
        "or ask one question: statusbot ask 409\n"
    )


def test_a_chat_command_given_to_ask_says_where_it_works() -> None:
    assert run("ask", "/status guide").stdout.decode() == (
        "/status guide is a chat command: run statusbot (the console), or use it in Slack or Discord.\n"
    )
    assert run("ask", "/status 409").stdout.decode().startswith("409 Conflict\n")
    assert run("ask", "/quiz \x1b[31mstart\x07\u202e").stdout.decode() == (
        "/quiz start is a chat command: run statusbot (the console), or use it in Slack or Discord.\n"
    )
    data = json.loads(run("ask", "--json", "/quiz start").stdout)
    assert data["kind"] == "invalid" and "chat command" in data["text"]
