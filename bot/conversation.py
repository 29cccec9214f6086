"""The conversation: what a user typed or clicked becomes replies, the same on every platform."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import NamedTuple

from bot.cards import answer_card
from bot.grammar import Command, parse
from bot.guide import GUIDE_ACTION, decode, guide_reply
from bot.lesson import did_you_mean_action, help_reply, lesson_reply, mistakes_reply, unknown_command_reply
from bot.reply import Reply
from bot.review_card import USAGE, review_reply
from knowledge import Knowledge, ask, knowledge

log = logging.getLogger(__name__)


class User(NamedTuple):
    """Who is talking: an id stable on the platform, and a display name (never used to mention)."""

    id: str
    name: str


CONSOLE_USER = User("console", "you")


class Conversation:
    """Answers commands and button clicks with platform-neutral replies."""

    def __init__(self, kb: Knowledge | None = None, *, prefix: str = "/") -> None:
        self.kb = kb or knowledge()
        self.prefix = prefix
        self._actions: dict[str, Callable[[Command], Reply]] = {
            "ask": self._ask,
            "guide": lambda _: guide_reply(self.kb),
            "check": self._check,
            "mistakes": lambda _: mistakes_reply(self.kb),
            "lesson": lambda _: lesson_reply(self.kb),
            "help": lambda _: help_reply(self.prefix),
        }

    def on_text(self, text: str, user: User = CONSOLE_USER) -> list[Reply]:
        """The replies to one line (or pasted block) a user sent."""
        return self._safely(lambda: self._dispatch(parse(text)))

    def on_command(self, command: str, argument: str, user: User = CONSOLE_USER) -> list[Reply]:
        """The replies to a platform slash command (``/status`` with its text)."""
        return self.on_text(f"/{command} {argument}", user)

    def on_action(self, action_id: str, value: str, user: User = CONSOLE_USER) -> list[Reply]:
        """The replies to a button click: ``action_id`` names the handler, ``value`` carries its state."""

        def handle() -> list[Reply]:
            if action_id == GUIDE_ACTION:
                path = decode(value)
                if path is not None:
                    return [guide_reply(self.kb, path)]
            return [Reply(title="That button no longer works", text="Start again with /status guide.", private=True)]

        return self._safely(handle)

    def _dispatch(self, command: Command) -> list[Reply]:
        if command.action == "none":
            return []
        if command.action == "unknown":
            word = command.argument.split()[0] if command.argument.split() else command.argument
            return [unknown_command_reply(word, command.suggestion, self.prefix)]
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
