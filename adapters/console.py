"""The terminal chat: the same commands, guide and checks as Slack and Discord, no token needed.

Interactive in a terminal (history and line editing with prompt_toolkit, colours with rich);
scriptable when piped: each input line gets its replies, and the chat ends with the input.
Buttons become numbered choices: type the number. `/status check` on its own line starts a paste:
everything up to the next empty line is the exchange to check.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import TextIO

from bot.conversation import CONSOLE, CONSOLE_USER, Conversation, User
from bot.quiz.game import Game
from bot.render.terminal import write_reply
from bot.reply import Action, Reply

BANNER = (
    'statusbot: ask about HTTP status codes. Try 409, 4xx, "duplicate email", /status guide, '
    "/status check POST /users -> 404, or /status help. Ctrl-D or 'quit' to leave."
)
QUIT = {"quit", "exit", "/quit", "/exit", ":q"}
PASTE_STARTERS = {"/status check", "/status review", "status check", "check"}


def _interactive_lines() -> Iterator[str]:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory, InMemoryHistory
    from prompt_toolkit.patch_stdout import patch_stdout

    from knowledge.cache import cache_dir

    folder = cache_dir()
    history: InMemoryHistory | FileHistory = InMemoryHistory()
    if folder:
        try:
            os.makedirs(folder, exist_ok=True)
            history = FileHistory(os.path.join(folder, "console-history"))
        except OSError:
            pass
    session: PromptSession[str] = PromptSession(history=history)
    while True:
        try:
            # replies printed by the quiz timer thread appear above the prompt, not inside the line being typed
            with patch_stdout(raw=True):
                yield session.prompt("> ")
        except KeyboardInterrupt:
            continue
        except EOFError:
            return


def _piped_lines(stream: TextIO) -> Iterator[str]:
    for line in stream:
        yield line.rstrip("\r\n")


class Console:
    """One terminal conversation: remembers the last buttons so a number can press one."""

    def __init__(self, out: TextIO, *, colour: bool) -> None:
        self.out = out
        self.colour = colour
        self.conversation = Conversation()
        self.buttons: tuple[Action, ...] = ()
        self.user: User = CONSOLE_USER

    def start_timer(self) -> None:
        """In a terminal, close quiz questions when their time is up, even while nobody types."""
        import threading
        import time

        def run() -> None:
            while True:
                time.sleep(1.0)
                if self.conversation._quiz is not None:
                    self.show(self.conversation.tick())

        threading.Thread(target=run, name="quiz-timer", daemon=True).start()

    def show(self, replies: list[Reply]) -> None:
        """Print replies and remember the buttons of the last one that had any."""
        for reply in replies:
            write_reply(reply, self.out, colour=self.colour)
            self.out.write("\n")
            if reply.actions:
                self.buttons = reply.actions
        self.out.flush()

    def handle(self, line: str, more: Iterator[str]) -> None:
        """Answer one line; a lone `/status check` reads the pasted block that follows."""
        self.show(self.conversation.tick())
        text = line.strip()
        if text.lower().startswith("/as "):
            name = text[4:].strip()[:40] or "you"
            self.user = User(name.lower(), name)
            self.out.write(f"(you are now {name})\n\n")
            return
        button = self._button(text)
        if button is not None:
            self.show(self.conversation.on_action(button.id, button.value, self.user))
            return
        if not text.startswith("/") and self._typed_game():
            # during a typed-mode game a plain line is an answer; chatter that names no code gets nothing
            self.show(self.conversation.on_message(text, self.user))
            return
        if text.lower() in PASTE_STARTERS:
            block = []
            for pasted in more:
                if not pasted.strip():
                    break
                block.append(pasted)
            text = "/status check\n" + "\n".join(block)
        self.show(self.conversation.on_text(text, self.user))

    def _button(self, text: str) -> Action | None:
        """The button a typed number (1, 2, …) or, for quiz choices, letter (a, b, …) presses."""
        if text.isascii() and text.isdigit() and len(text) < 4:
            number = int(text)
        elif len(text) == 1 and text.isalpha() and any(b.label[:2] == f"{text.upper()}." for b in self.buttons):
            number = ord(text.upper()) - 64
        else:
            return None
        return self.buttons[number - 1] if 1 <= number <= len(self.buttons) else None

    def _game(self) -> Game | None:
        quiz = self.conversation._quiz
        if quiz is None:
            return None
        try:
            return quiz.service.current(CONSOLE.channel)
        except Exception:  # a locked or unreachable database must not end the chat
            return None

    def _typed_game(self) -> bool:
        game = self._game()
        return game is not None and game.settings.mode == "typed"

    def resume(self) -> None:
        """After a restart, a game left running in the console's database goes on where it was."""
        if not quiz_database_exists():
            return
        try:
            self.show(self.conversation.quiz.after_restart().get(CONSOLE.channel, []))
        except Exception:  # the chat works without the quiz
            return

    def finish_game(self, *, limit: float = 300.0) -> None:
        """At the end of piped input, let a running game play out its timers (bounded)."""
        import time

        waited = 0.0
        while waited < limit:
            game = self._game()
            if game is None:
                return
            pause = max(0.05, min(game.deadline - time.time() + 0.05, limit - waited))
            time.sleep(pause)
            waited += pause
            self.show(self.conversation.tick())


def run_console(stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    """Run the chat until the input ends or the user quits."""
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    interactive = stdin.isatty() and out.isatty()
    console = Console(out, colour=out.isatty() and "NO_COLOR" not in os.environ)
    lines = _interactive_lines() if interactive else _piped_lines(stdin)
    if interactive:
        out.write(BANNER + "\n\n")
        console.start_timer()
    console.resume()
    for line in lines:
        if line.strip().lower() in QUIT:
            break
        if line.strip():
            console.handle(line, lines)
    if not interactive:
        console.finish_game()
    return 0


def quiz_database_exists() -> bool:
    """True when a quiz database is configured or already on disk (the console never creates one unasked)."""
    if os.environ.get("DATABASE_URL"):
        return True
    from bot.storage.database import database_url

    return os.path.exists(database_url().removeprefix("sqlite:///"))
