"""The console in a real (pseudo-)terminal: Ctrl-C cancels the line, a second one leaves, even mid-game."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest


class Terminal:
    """``statusbot`` on a pseudo-terminal, read until an expected text shows up."""

    def __init__(self, tmp_path: Path, *args: str) -> None:
        self.master, slave = pty.openpty()
        env = {
            **os.environ,
            "NO_COLOR": "1",
            "TERM": "xterm",
            "PROMPT_TOOLKIT_NO_CPR": "1",
            "STATUSBOT_CACHE_DIR": str(tmp_path / "cache"),
            "STATUSBOT_DB": str(tmp_path / "quiz.sqlite3"),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", *args], stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True
        )
        os.close(slave)
        self.seen = ""

    def expect(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            assert time.monotonic() < deadline, f"{text!r} never appeared in {self.seen[-2000:]!r}"
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.seen += os.read(self.master, 65536).decode("utf-8", "replace")
                except OSError:  # the terminal closed: the process ended
                    break
        assert text in self.seen, self.seen[-2000:]
        time.sleep(0.5)  # let the prompt come back before the next keys: typed too early they reach the tty raw

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> int:
        code = self.process.wait(timeout=30)
        os.close(self.master)
        return code


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pseudo-terminals")
def test_ctrl_c_cancels_the_line_and_a_second_one_leaves_even_mid_game(tmp_path: Path) -> None:
    terminal = Terminal(tmp_path)
    terminal.expect("Ctrl-D or 'quit' to leave.")
    terminal.send("/quiz start questions:3 seconds:60\r")
    terminal.expect("Question 1 of 3")
    terminal.send("half a line\x03")
    terminal.expect("(Ctrl-C again or Ctrl-D to leave)")
    terminal.send("409\r")  # still chatting: the game goes on and the question is answered
    terminal.expect("409 Conflict")
    terminal.send("\x03")
    terminal.expect("(Ctrl-C again or Ctrl-D to leave)")
    terminal.send("\x03")
    terminal.expect("Ended: stopped.")  # leaving ends the game, scores kept, instead of leaving it to nobody
    assert terminal.close() == 0
    assert "Traceback" not in terminal.seen and "KeyboardInterrupt" not in terminal.seen


def test_ask_without_a_question_in_a_terminal_shows_usage_instead_of_waiting(tmp_path: Path) -> None:
    terminal = Terminal(tmp_path, "ask")
    terminal.expect("usage: statusbot ask QUESTION [--json], e.g. statusbot ask 409;", timeout=30)
    assert terminal.close() == 2
