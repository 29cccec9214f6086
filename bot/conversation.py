"""The conversation: what a user typed or clicked becomes replies, the same on every platform."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import NamedTuple

from bot.cards import answer_card, status_card
from bot.grammar import Command, parse
from bot.guide import GUIDE_ACTION, decode, guide_reply
from bot.lesson import did_you_mean_action, help_reply, lesson_reply, mistakes_reply, unknown_command_reply
from bot.quiz.chat import PRACTICE_ACTION, QuizChat, Where
from bot.quiz.game import Player
from bot.quiz.replies import ANSWER_ACTION, CARD_ACTION
from bot.reply import Reply
from bot.review_card import USAGE, review_reply
from knowledge import Knowledge, ask, knowledge

log = logging.getLogger(__name__)


class User(NamedTuple):
    """Who is talking: an id stable on the platform, and a display name (never used to mention)."""

    id: str
    name: str


class Place(NamedTuple):
    """Where the conversation happens, and whether the speaker moderates there (the adapter knows)."""

    workspace: str = "local"
    channel: str = "console"
    moderator: bool = False


CONSOLE_USER = User("console", "you")
CONSOLE = Place()


def default_quiz(kb: Knowledge) -> QuizChat:
    """The quiz on the configured database (DATABASE_URL, else the SQLite file), migrated on start."""
    from bot.quiz.bank import Bank
    from bot.quiz.packs import load_packs
    from bot.quiz.service import QuizService
    from bot.storage.database import make_engine, migrate
    from bot.storage.quiz_store import QuizStore
    from knowledge import situations

    engine = make_engine()
    migrate(engine)
    bank = Bank(kb, situations(), load_packs())
    return QuizChat(kb, bank, QuizService(QuizStore(engine, questions=bank.by_id.get), bank, kb))


class Conversation:
    """Answers commands and button clicks with platform-neutral replies."""

    def __init__(
        self, kb: Knowledge | None = None, *, prefix: str = "/", quiz: Callable[[], QuizChat] | None = None
    ) -> None:
        self.kb = kb or knowledge()
        self.prefix = prefix
        self._quiz_factory = quiz or (lambda: default_quiz(self.kb))
        self._quiz: QuizChat | None = None
        self._actions: dict[str, Callable[[Command], Reply]] = {
            "ask": self._ask,
            "guide": lambda _: guide_reply(self.kb),
            "check": self._check,
            "mistakes": lambda _: mistakes_reply(self.kb),
            "lesson": lambda _: lesson_reply(self.kb),
            "help": lambda _: help_reply(self.prefix),
        }

    @property
    def quiz(self) -> QuizChat:
        """The quiz side, opened (and its database migrated) on first use."""
        if self._quiz is None:
            self._quiz = self._quiz_factory()
        return self._quiz

    def on_text(self, text: str, user: User = CONSOLE_USER, place: Place = CONSOLE) -> list[Reply]:
        """The replies to one line (or pasted block) a user sent."""
        return self._safely(lambda: self._dispatch(parse(text), user, place))

    def on_command(self, command: str, argument: str, user: User = CONSOLE_USER, place: Place = CONSOLE) -> list[Reply]:
        """The replies to a platform slash command (``/status`` or ``/quiz`` with its text)."""
        return self.on_text(f"/{command} {argument}", user, place)

    def on_message(self, text: str, user: User = CONSOLE_USER, place: Place = CONSOLE) -> list[Reply]:
        """A plain channel message: a typed answer when a typed-mode game runs there, else nothing."""
        return self._safely(lambda: self.quiz.typed(text, Player(*user), self._where(place)))

    def on_action(self, action_id: str, value: str, user: User = CONSOLE_USER, place: Place = CONSOLE) -> list[Reply]:
        """The replies to a button click: ``action_id`` names the handler, ``value`` carries its state."""

        def handle() -> list[Reply]:
            if action_id == GUIDE_ACTION:
                path = decode(value)
                if path is not None:
                    return [guide_reply(self.kb, path)]
            if action_id == CARD_ACTION:
                code = value.partition(":")[2]
                status = self.kb.primary(int(code)) if code.isdigit() else None
                if status is not None:
                    return [status_card(self.kb, status)._replace(private=True)]
            if action_id == ANSWER_ACTION:
                return self.quiz.click(value, Player(*user), self._where(place))
            if action_id == PRACTICE_ACTION:
                return self.quiz.practice_click(value, Player(*user), self._where(place))
            return [Reply(title="That button no longer works", text="Try the command again.", private=True)]

        return self._safely(handle)

    def tick(self, place: Place = CONSOLE) -> list[Reply]:
        """Close a question whose time is up in this channel (for schedulers and consoles)."""
        if self._quiz is None:
            return []
        return self._safely(lambda: self.quiz.tick(place.channel))

    @staticmethod
    def _where(place: Place) -> Where:
        return Where(place.workspace, place.channel)

    def _dispatch(self, command: Command, user: User, place: Place) -> list[Reply]:
        if command.action == "none":
            return []
        if command.action == "unknown":
            word = command.argument.split()[0] if command.argument.split() else command.argument
            return [unknown_command_reply(word, command.suggestion, self.prefix)]
        if command.command == "quiz":
            return self.quiz.command(
                command.action, command.argument, Player(*user), self._where(place), moderator=place.moderator
            )
        return [self._actions[command.action](command)]

    def _ask(self, command: Command) -> Reply:
        if not command.argument:
            return help_reply(self.prefix)
        answer = ask(command.argument)
        if answer.kind == "invalid" and len(command.argument.split()) == 1:
            suggestion = did_you_mean_action(command.argument)
            if suggestion:
                return Reply(
                    title=f"Did you mean {self.prefix}status {suggestion}?",
                    text=answer.message,
                    colour="grey",
                    private=True,
                )
        reply = answer_card(self.kb, answer)
        return reply._replace(private=reply.private or answer.kind == "invalid")

    def _check(self, command: Command) -> Reply:
        if not command.argument:
            return Reply(title="Check an exchange", text=USAGE, colour="grey", private=True)
        from knowledge.review import review

        return review_reply(self.kb, review(self.kb, command.argument))

    def _safely(self, handle: Callable[[], list[Reply]]) -> list[Reply]:
        try:
            return handle()
        except Exception:  # the last line of defence: a user's text must never take the bot down
            log.exception("statusbot failed to answer")
            return [Reply(title="Sorry, that went wrong on my side", text="Please try again.", private=True)]
