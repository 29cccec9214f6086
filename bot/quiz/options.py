"""/quiz start options ("questions:5 seconds:30 level:easy"), read the same way on every platform."""

from __future__ import annotations

import re

from bot.quiz.game import QUESTIONS_RANGE, SECONDS_RANGE, Settings
from bot.quiz.question import LEVELS, TOPICS

CHOICES = {
    "level": (*LEVELS, "mixed"),
    "topic": (*TOPICS, "all"),
    "mode": ("buttons", "typed"),
    "teams": ("on", "off"),
    "period": ("week", "month", "all"),
    "scope": ("channel", "server", "workspace", "guild"),
}
NUMBERS = {"questions": QUESTIONS_RANGE, "seconds": SECONDS_RANGE}
ALIASES = {"q": "questions", "n": "questions", "s": "seconds", "time": "seconds", "timer": "seconds", "team": "teams"}
# a key starts a word and is taken whole (possessive): linear in the text, however long a word is
_PAIR = re.compile(r"(?<![a-zA-Z])([a-zA-Z]++)\s*[:=]\s*(\S+)")


class OptionError(ValueError):
    """An option a user typed that we cannot accept; the message says what would work."""


def read_options(text: str, allowed: tuple[str, ...]) -> dict[str, str]:
    """``key:value`` pairs from the text, checked against what each key accepts."""
    found: dict[str, str] = {}
    rest = _PAIR.sub(" ", text).strip()
    if rest:
        raise OptionError(f"I don't understand {rest[:40]!r}. Options look like questions:5 or level:easy.")
    for key, value in _PAIR.findall(text):
        key = ALIASES.get(key.lower(), key.lower())
        value = value if key == "pack" else value.lower()
        if key not in allowed:
            raise OptionError(f"Unknown option {key!r}; I know {', '.join(allowed)}.")
        if key in NUMBERS:
            low, high = NUMBERS[key]
            if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
                raise OptionError(f"{key} must be a whole number from {low} to {high}.")
        elif key in CHOICES and value not in CHOICES[key]:
            raise OptionError(f"{key} must be one of {', '.join(CHOICES[key])}.")
        found[key] = value
    return found


START_OPTIONS = ("questions", "seconds", "level", "topic", "mode", "teams", "pack")


def settings_from(text: str) -> Settings:
    """The settings /quiz start asked for (defaults: 10 questions, 20 s, mixed, all, buttons)."""
    options = read_options(text, START_OPTIONS)
    defaults = Settings()
    return Settings(
        questions=int(options.get("questions", defaults.questions)),
        seconds=int(options.get("seconds", defaults.seconds)),
        level=options.get("level", defaults.level),
        topic=options.get("topic", defaults.topic),
        mode=options.get("mode", defaults.mode),
        teams=options.get("teams", "off") == "on",
        pack=options.get("pack", ""),
    )
