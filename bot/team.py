"""Team settings (/status settings): per workspace or guild, changed by its admins and moderators.

The settings are declared once, as data: the reply that shows them, the parsing of a change and the "did you
mean" all come from :data:`SETTINGS`.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from bot.grammar import closest
from bot.quiz.options import OptionError, settings_from
from bot.reply import Field, Reply, note, quoted

CACHE_SECONDS = 30.0  # another process's change takes effect here within this long
ANYWHERE = "anywhere"
DEFAULTS_LONGEST = 120  # characters of default quiz options (every option set is far shorter)


class TeamSettings(NamedTuple):
    """What a workspace's admins chose; the defaults are how statusbot behaves without settings."""

    visibility: str = "private"  # /status answers: "private" (the asker, with a Share button) or "channel"
    feedback: bool = True  # rating buttons on situation answers; questions the bot could not answer kept
    quiz_channels: tuple[tuple[str, str], ...] = ()  # (channel id, name) where /quiz start may run; () anywhere
    quiz_starters: str = "everyone"  # who may start a game: "everyone" or "moderators"
    quiz_defaults: str = ""  # /quiz start options used when a start names none (given options win)

    def to_json(self) -> dict[str, Any]:
        """The stored form."""
        return {**self._asdict(), "quiz_channels": [list(pair) for pair in self.quiz_channels]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TeamSettings:
        """Settings from their stored form; anything missing or unreadable is the default."""
        defaults = cls()
        try:
            channels = tuple((str(c), str(n)) for c, n in data.get("quiz_channels", []))
        except (TypeError, ValueError):
            channels = ()
        visibility = data.get("visibility")
        starters = data.get("quiz_starters")
        return cls(
            visibility=visibility if visibility in ("private", "channel") else defaults.visibility,
            feedback=bool(data.get("feedback", defaults.feedback)),
            quiz_channels=channels,
            quiz_starters=starters if starters in ("everyone", "moderators") else defaults.quiz_starters,
            quiz_defaults=str(data.get("quiz_defaults") or ""),
        )

    def channels_text(self) -> str:
        """Where quizzes may run, in words."""
        if not self.quiz_channels:
            return "any channel"
        return ", ".join(f"#{name}" if name else id_ for id_, name in self.quiz_channels)


class Setting(NamedTuple):
    """One setting: its name as typed, what it does, and the values it takes."""

    name: str
    summary: str
    values: str


SETTINGS = (
    Setting("visibility", "who sees /status answers: the asker (with Share), or the channel", "private|channel"),
    Setting("feedback", "👍/👎 on answers to situations, and keeping questions I couldn't answer", "on|off"),
    Setting("quiz-channels", "where /quiz start may run: add or remove this channel", "add|remove|anywhere"),
    Setting("quiz-starters", "who may start a quiz game", "everyone|moderators"),
    Setting("quiz-defaults", "/quiz start options used when a start gives none", "questions:5 level:easy …|none"),
)
NAMES = {setting.name: setting for setting in SETTINGS}
_CHANGE = re.compile(r"^([A-Za-z_-]+)(?:\s*[:=]\s*|\s+)(.*)$", re.DOTALL)
ONLY_ADMINS = note(
    "Only admins and moderators can change statusbot's settings",
    "Ask one of them; they can use /status settings here.",
)


def _value_of(settings: TeamSettings, name: str) -> str:
    return {
        "visibility": settings.visibility,
        "feedback": "on" if settings.feedback else "off",
        "quiz-channels": settings.channels_text(),
        "quiz-starters": settings.quiz_starters,
        "quiz-defaults": settings.quiz_defaults or "none (10 questions, 20 s, mixed, all, buttons)",
    }[name]


def settings_reply(settings: TeamSettings, prefix: str = "/") -> Reply:
    """Every setting with its value and how to change it."""
    fields = tuple(
        Field(f"{s.name}: {_value_of(settings, s.name)}", f"{s.summary}\n{prefix}status settings {s.name} {s.values}")
        for s in SETTINGS
    )
    return Reply(
        title="statusbot settings here",
        text="They apply to this whole workspace or server.",
        fields=fields,
        colour="grey",
        private=True,
    )


def settings_unavailable(reason: str) -> Reply:
    """The database the settings live in can't be opened: which setting, and what it should be."""
    return note(f"Settings are unavailable: {reason}", "")


def change(
    settings: TeamSettings, argument: str, channel: str, channel_name: str, prefix: str = "/"
) -> tuple[TeamSettings | None, Reply]:
    """The settings after ``argument`` (``visibility channel``, ``quiz-channels add``…) and the reply saying so;
    (None, why) when the change cannot be made, which changes nothing."""
    found = _CHANGE.match(argument.strip())
    name, value = (found.group(1).lower(), found.group(2).strip()) if found else (argument.strip().lower(), "")
    setting = NAMES.get(name.replace("_", "-"))
    if setting is None:
        suggestion = closest(name, list(NAMES))
        title = f"Did you mean {suggestion}?" if suggestion else f"I don't know the setting {quoted(name[:40])}"
        return None, note(title, "Settings: " + ", ".join(NAMES) + f". {prefix}status settings lists them.")
    usage = f"{prefix}status settings {setting.name} {setting.values}"
    choices = setting.values.split("|")
    word = value.lower()
    changed: TeamSettings | None = None
    if setting.name == "visibility" and word in choices:
        changed = settings._replace(visibility=word)
    elif setting.name == "feedback" and word in choices:
        changed = settings._replace(feedback=word == "on")
    elif setting.name == "quiz-starters" and word in choices:
        changed = settings._replace(quiz_starters=word)
    elif setting.name == "quiz-channels" and word in choices:
        kept = tuple(pair for pair in settings.quiz_channels if pair[0] != channel)
        chosen = {"add": (*kept, (channel, channel_name)), "remove": kept, ANYWHERE: ()}[word]
        if word == "remove" and len(kept) == len(settings.quiz_channels):
            return None, note("This channel isn't on the list", f"Quizzes run in {settings.channels_text()}.")
        if word == "remove" and not chosen:
            return None, note(
                "That would leave no channel for quizzes",
                f"To let quizzes run in any channel: {prefix}status settings quiz-channels anywhere",
            )
        changed = settings._replace(quiz_channels=chosen)
    elif setting.name == "quiz-defaults" and value:
        if word == "none":
            changed = settings._replace(quiz_defaults="")
        elif len(value) > DEFAULTS_LONGEST:
            return None, note("Those quiz options are too long", usage)
        else:
            try:
                settings_from(value)
            except OptionError as error:
                return None, note("Those quiz options don't work", f"{error}\n{usage}")
            changed = settings._replace(quiz_defaults=" ".join(value.split()))
    if changed is None:
        typed = " ".join(value[:40].split())  # on the title's one line
        shown = f"{quoted(typed)} isn't a value for {setting.name}" if value else f"{setting.name} needs a value"
        return None, note(shown[:1].upper() + shown[1:], usage)
    title = f"Saved: {setting.name} is now {_value_of(changed, setting.name)}"
    return changed, note(title[:150], f"{prefix}status settings shows them all.")


def quiz_refusal(settings: TeamSettings, channel: str, moderator: bool, prefix: str = "/") -> Reply | None:
    """Why /quiz start may not run here for this user (None when it may), said kindly."""
    if settings.quiz_channels and channel not in {id_ for id_, _ in settings.quiz_channels}:
        return note(
            "Quizzes don't run in this channel",
            f"Here, games run in {settings.channels_text()}. See you there!",
        )
    if settings.quiz_starters == "moderators" and not moderator:
        return note(
            "Only moderators can start a game here",
            f"Ask one of them to run {prefix}quiz start; once it runs, anyone can play.",
        )
    return None


class SettingsCache:
    """Each workspace's settings, kept for :data:`CACHE_SECONDS` so an answer need not read the database."""

    def __init__(self, load: Callable[[str], TeamSettings], clock: Callable[[], float] = time.monotonic) -> None:
        self._load = load
        self._clock = clock
        self._seen: dict[str, tuple[float, TeamSettings]] = {}
        self._lock = threading.Lock()

    def peek(self, workspace: str) -> TeamSettings | None:
        """The settings if known and fresh, without touching the database."""
        seen = self._seen.get(workspace)
        if seen is None or self._clock() - seen[0] > CACHE_SECONDS:
            return None
        return seen[1]

    def get(self, workspace: str) -> TeamSettings:
        """The settings, read from the database when not fresh."""
        known = self.peek(workspace)
        if known is not None:
            return known
        loaded = self._load(workspace)
        self.put(workspace, loaded)
        return loaded

    def put(self, workspace: str, settings: TeamSettings) -> None:
        """Remember settings just read or changed."""
        with self._lock:
            self._seen[workspace] = (self._clock(), settings)
