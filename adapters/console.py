"""The terminal chat: the same commands, guide and checks as Slack and Discord, no token needed.

Interactive in a terminal (history and line editing with prompt_toolkit, colours with rich);
scriptable when piped: each input line gets its replies, and the chat ends with the input.
Buttons become numbered choices: type the number. `/status check` on its own line starts a paste:
everything up to two empty lines in a row (a `curl -i` head and body have one between them), a line
with just ".", or the end of the input is the exchange to check.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import TextIO

from bot.conversation import CONSOLE, CONSOLE_USER, Conversation, User, quiz_unavailable_reply
from bot.grammar import parse
from bot.quiz.game import Game
from bot.render.escape import terminal
from bot.render.terminal import write_reply
from bot.reply import Action, Reply

BANNER = (
    'statusbot: ask about HTTP status codes. Try 409, 4xx, "duplicate email", /status guide, '
    "/status check POST /users with invalid email -> 404, or /status help. Ctrl-D or 'quit' to leave."
)
QUIT = {"quit", "exit", "/quit", "/exit", ":q"}
PASTE_STARTERS = {"/status check", "/status review", "status check", "check"}
PASTE_END = "."
PROMPT, PASTE_PROMPT = "> ", "… "
PASTE_HINT = '(paste the response or log lines; end with two empty lines or a line with just ".")'
INTERRUPT_HINT = "(Ctrl-C again or Ctrl-D to leave)"
AS_USAGE = "/as NAME lets several people take turns at this keyboard"
NO_INPUT_HINT = (
    "statusbot: no input. Run statusbot in a terminal to chat, pipe lines into it "
    "(echo 409 | statusbot), or ask one question: statusbot ask 409\n"
)


def _interactive_lines(console: Console) -> Iterator[str]:
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
    interrupted = False
    while True:
        try:
            # replies printed by the quiz timer thread appear above the prompt, not inside the line being typed
            with patch_stdout(raw=True):
                line = session.prompt(console.prompt)
        except KeyboardInterrupt:
            # the first Ctrl-C cancels the line being typed, a second one in a row leaves
            if interrupted:
                return
            interrupted = True
            console.out.write(INTERRUPT_HINT + "\n")
            continue
        except EOFError:
            return
        interrupted = False
        yield line


def _piped_lines(stream: TextIO) -> Iterator[str]:
    for line in stream:
        yield line.rstrip("\r\n")


class Console:
    """One terminal conversation: remembers the last buttons so a number can press one."""

    def __init__(self, out: TextIO, *, colour: bool, interactive: bool = False) -> None:
        self.out = out
        self.colour = colour
        self.interactive = interactive
        self.resumed = False  # a game from before a restart is on screen: "close" ends it
        self.conversation = Conversation()
        self.buttons: tuple[Action, ...] = ()
        self.user: User = CONSOLE_USER
        self.prompt = PROMPT
        self.quiz_last = False  # the previous line was a /quiz command

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
            if reply.actions or reply.key:
                # a keyed reply is a quiz question or its reveal: once the next question is shown, numbers are
                # its choices (none in typed mode), never the previous reveal's "Learn more"
                self.buttons = reply.actions
        self.out.flush()

    def handle(self, line: str, more: Iterator[str]) -> None:
        """Answer one line; a lone `/status check` reads the pasted block that follows."""
        self.show(self.conversation.tick())
        text = line.strip()
        if self.resumed and text.lower() == "close":
            self.resumed = False
            self.show(self.conversation.quiz.after_restart(close=True).get(CONSOLE.channel, []))
            return
        quiz_last, self.quiz_last = self.quiz_last, False
        if text.lower() == "/as" or text.lower().startswith("/as "):
            self._switch_user(text[3:])
            return
        button = self._button(text)
        if button is not None:
            self.show(self.conversation.on_action(button.id, button.value, self.user))
            return
        if quiz_last and self.conversation.quiz_error and _answer_like(text):
            # an answer to a quiz that could not start: say so again rather than read "1" as the 1xx family
            self.quiz_last = True
            self.show([quiz_unavailable_reply(self.conversation.quiz_error)])
            return
        if not text.startswith("/") and self._typed_game():
            # during a typed-mode game a plain line is an answer; chatter that names no code gets nothing
            self.show(self.conversation.on_message(text, self.user))
            return
        if text.lower() in PASTE_STARTERS:
            text = "/status check\n" + self._paste(more)
        self.quiz_last = parse(text).command == "quiz"
        self.show(self.conversation.on_text(text, self.user))

    def handle_interruptible(self, line: str, more: Iterator[str]) -> None:
        """``handle``; in a terminal, Ctrl-C while a line is being answered cancels that line, not the chat."""
        try:
            self.handle(line, more)
        except KeyboardInterrupt:
            if not self.interactive:
                raise
            self.out.write(INTERRUPT_HINT + "\n")

    def _switch_user(self, argument: str) -> None:
        name = " ".join(terminal(argument).split())[:40]
        if not name:
            self.out.write(f"({AS_USAGE}; you are {self.user.name})\n\n")
            return
        self.user = User(name.lower(), name)
        self.out.write(f"(you are now {name})\n\n")

    def _paste(self, more: Iterator[str]) -> str:
        """The pasted block: up to two empty lines in a row, a lone ".", or the end of the input."""
        if self.interactive:
            self.out.write(PASTE_HINT + "\n")
        block: list[str] = []
        self.prompt = PASTE_PROMPT
        try:
            for pasted in more:
                if pasted.strip() == PASTE_END or (not pasted.strip() and block and not block[-1].strip()):
                    break
                block.append(pasted)
        finally:
            self.prompt = PROMPT
        return "\n".join(block).strip()

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
        """After a restart, a game left running in the console's database: in a terminal it goes on where it
        was; piped, nobody is there to play it, so it is closed with its scores kept."""
        if not quiz_database_exists():
            return
        try:
            posts = self.conversation.quiz.after_restart(close=not self.interactive)
        except Exception:  # the chat works without the quiz; /quiz says what is wrong
            return
        shown = posts.get(CONSOLE.channel, [])
        self.show(shown)
        self.resumed = bool(shown) and self.interactive and self._game() is not None
        if self.resumed:
            self.out.write("(type close to end this game now; its scores are kept)\n\n")

    def leave(self) -> None:
        """Leaving a terminal mid-game: the game ends now, scores kept, rather than wait for nobody."""
        if self._game() is not None:
            self.show(self.conversation.on_command("quiz", "stop", self.user, CONSOLE._replace(moderator=True)))

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
    console = Console(out, colour=out.isatty() and "NO_COLOR" not in os.environ, interactive=interactive)
    lines = _interactive_lines(console) if interactive else _piped_lines(stdin)
    if interactive:
        out.write(BANNER + "\n\n")
        console.start_timer()
    console.resume()
    heard = False
    try:
        for line in lines:
            if line.strip().lower() in QUIT:
                break
            if line.strip():
                heard = True
                console.handle_interruptible(line, lines)
    except KeyboardInterrupt:
        console.leave()
        raise
    if interactive:
        console.leave()
    else:
        console.finish_game()
        if not heard:
            sys.stderr.write(NO_INPUT_HINT)
    return 0


def _answer_like(text: str) -> bool:
    """A line that reads as a quiz answer: a choice number or letter."""
    return len(text) == 1 and (text in "123456789" or text.lower() in "abcde")


def quiz_database_exists() -> bool:
    """True when a quiz database is configured or already on disk (the console never creates one unasked)."""
    if os.environ.get("DATABASE_URL"):
        return True
    from bot.storage.database import database_url

    return os.path.exists(database_url().removeprefix("sqlite:///"))
