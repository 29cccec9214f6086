"""The one command grammar: what a user types after /status means the same on every platform.

Commands are declared once, as data; parsing, help and "did you mean" are all derived from the
declaration, so they cannot drift apart.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple


class Action(NamedTuple):
    """One thing a command can do (``/status guide``); the default action takes free text."""

    name: str
    aliases: tuple[str, ...]
    summary: str
    argument: str = ""
    examples: tuple[str, ...] = ()


class CommandSpec(NamedTuple):
    """A slash command and its actions; text that names no action goes to ``default``."""

    name: str
    aliases: tuple[str, ...]
    summary: str
    actions: tuple[Action, ...]
    default: str


STATUS = CommandSpec(
    name="status",
    aliases=("http", "code"),
    summary="Ask about HTTP status codes",
    default="ask",
    actions=(
        Action(
            "ask",
            (),
            "a code, family, name, header, comparison, or your situation in plain words",
            "<question>",
            ("409", "4xx", "unprocesable entity", "Retry-After", "401 vs 403", "what code for duplicate email?"),
        ),
        Action("guide", ("decide", "flow", "wizard"), "walk the decision flow to the right code, step by step"),
        Action(
            "check",
            ("review", "lint"),
            "review an exchange, a response head or a log line",
            "<exchange>",
            (
                "POST /users with invalid email → 404",
                '200 {"success": false, "error": "User not found"}',
                "HTTP/1.1 429 Too Many Requests",
            ),
        ),
        Action("mistakes", ("mistake", "pitfalls"), "the five common status code mistakes and how to avoid them"),
        Action("lesson", ("learn", "families", "basics"), "the five families and the codes worth knowing first"),
        Action("help", ("?", "commands", "usage"), "what you can ask"),
        Action("forget-me", ("forgetme", "forget"), "delete everything statusbot keeps about you here (asks first)"),
        Action(
            "settings",
            ("setting", "config"),
            "this workspace's settings: answer visibility, feedback, where and how quizzes run (admins, moderators)",
            "[<setting> <value>]",
        ),
        Action(
            "rule",
            ("rules",),
            "your team's house rules: its own code for a situation (add and remove: admins and moderators)",
            "add <situation> -> <code> | list | remove <number>",
            ("add validation error -> 400", "list", "remove 1"),
        ),
    ),
)
QUIZ = CommandSpec(
    name="quiz",
    aliases=("game", "trivia"),
    summary="Play status code quiz rounds",
    default="help",
    actions=(
        Action(
            "start",
            ("begin", "new", "play"),
            "start a game in this channel",
            "[questions:N] [seconds:S] [level:easy|medium|hard|mixed] [topic:2xx|3xx|4xx|5xx|mistakes|all] "
            "[mode:buttons|typed] [teams:on] [pack:NAME]",
            ("questions:5 seconds:30", "level:easy topic:4xx", "mode:typed teams:on"),
        ),
        Action("stop", ("end", "quit"), "end the game (the player who started it or a moderator)"),
        Action("skip", ("next",), "reveal the answer now (the player who started it or a moderator)"),
        Action("score", ("scores", "standings"), "the current game's standings"),
        Action(
            "leaderboard",
            ("top", "board", "ranking"),
            "the best players of this channel, or of the whole server",
            "[period:week|month|all] [scope:channel|server]",
            ("period:week scope:server", "opt-out", "opt-in"),  # opt-out: off every leaderboard here; opt-in: back
        ),
        Action("join", ("team",), "join a team in a team game", "<team>"),
        Action("practice", ("drill", "train"), "a private drill on the codes you miss most"),
        Action("help", ("?", "usage"), "how to play"),
    ),
)
GRAMMAR: tuple[CommandSpec, ...] = (STATUS, QUIZ)
ARROWS = re.compile(r"(?<!\s)\s*(?:→|⟶|⇒|-{1,2}>|={1,2}>|—>)\s*")
FIRST_WORD = re.compile(r"^(\S+)(?:\s+|$)")
CLOSEST_LONGEST = 40
QUOTES = "\"'“”‘’`"
# words that may follow an action taking no argument and still mean it: "/status forget me"
STANDALONE_TAILS = {"forget-me": "me"}


class Command(NamedTuple):
    """A parsed line: which command and action, and the rest of the text as its argument."""

    command: str
    action: str
    argument: str
    raw: str
    suggestion: str = ""  # for an unknown command: the closest one


def _lookup(word: str, table: dict[str, str]) -> str | None:
    return table.get(word.lower())


COMMAND_NAMES = {alias: spec.name for spec in GRAMMAR for alias in (spec.name, *spec.aliases)}
ACTION_NAMES = {
    spec.name: {alias: action.name for action in spec.actions for alias in (action.name, *action.aliases)}
    for spec in GRAMMAR
}


def spec_of(command: str) -> CommandSpec:
    """The declaration of a command."""
    return next(spec for spec in GRAMMAR if spec.name == command)


def closest(word: str, choices: list[str], cutoff: float = 0.6) -> str:
    """The choice closest to a misspelt word, or '' when none is close."""
    if len(word) > CLOSEST_LONGEST:
        return ""  # difflib is quadratic in the word's length, and no command name is anywhere near this long
    from difflib import get_close_matches

    found = get_close_matches(word.lower(), choices, n=1, cutoff=cutoff)
    return found[0] if found else ""


def normalise_argument(text: str) -> str:
    """Trim, unquote and unify arrows (→, ->, =>) without touching line breaks inside the text."""
    text = text.strip()
    if len(text) >= 2 and text[0] in QUOTES and text[-1] in QUOTES:
        text = text[1:-1].strip()
    return ARROWS.sub(" → ", text)


@lru_cache(maxsize=4096)  # a pure function of the text, and chat repeats itself ("409", "help", "quiz score")
def parse(text: str, *, implicit: str | None = "status") -> Command:
    """Read one line (or a pasted block) as a command; plain text is the ``implicit`` command's default."""
    raw = text
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    head, _, tail = first.strip().partition(" ")
    if head.startswith("/"):
        name = _lookup(head[1:], COMMAND_NAMES)
        if name is None:
            return Command("", "unknown", normalise_argument(stripped), raw, closest(head[1:], list(COMMAND_NAMES)))
        body = (tail + ("\n" + rest if rest else "")).strip()
    elif implicit is not None:
        named = _lookup(head, COMMAND_NAMES)
        # "status check ..." typed without the slash still names the command
        name = named or implicit
        body = (tail + ("\n" + rest if rest else "")).strip() if named else stripped.strip()
    else:
        return Command("", "none", stripped.strip(), raw)
    first_word = FIRST_WORD.match(body)
    action = _lookup(first_word.group(1), ACTION_NAMES[name]) if first_word else None
    if action is not None and first_word is not None:
        argument = body[first_word.end() :]
        spec = spec_of(name)
        takes_text = any(a.name == action and (a.argument or a.examples) for a in spec.actions)
        # "/status help me pick a code" is a question, not /status help: an action without arguments
        # is only meant when it stands alone
        if takes_text or not argument.strip() or spec.default == action:
            return Command(name, action, normalise_argument(argument), raw)
        if argument.strip().lower() == STANDALONE_TAILS.get(action):
            return Command(name, action, "", raw)
    return Command(name, spec_of(name).default, normalise_argument(body), raw)
