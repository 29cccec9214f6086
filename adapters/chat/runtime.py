"""The conversation as chat adapters run it: off the event loop, never raising, keyed replies edited in place."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

from adapters.chat.limits import ChatLimits
from bot.conversation import Conversation, Place, User
from bot.grammar import parse
from bot.platform import failure_reply, new_reference
from bot.reply import Reply
from bot.storage.message_keys import MessageKeys

log = logging.getLogger(__name__)
T = TypeVar("T")
SWITCH_INTERVAL = 0.0005
GAMES_EVERY = 1.0  # seconds between reads of the running games, for the cap on games per workspace


class CannotPost(Exception):
    """The platform refused a post in the channel: the bot is not a member, or may not write there."""


class Sender(Protocol):
    """How an adapter shows a channel-visible reply on its platform."""

    async def post(self, place: Place, reply: Reply) -> str | None:
        """Post a new message; its platform id (None when it could not be posted)."""

    async def edit(self, place: Place, message_id: str, reply: Reply) -> bool:
        """Edit a message in place; False when it is gone and a new one should be posted."""


class ChatRuntime:
    """One per adapter process: runs the synchronous conversation in a thread pool and delivers replies."""

    def __init__(
        self,
        conversation: Conversation,
        keys: MessageKeys | None,
        *,
        workers: int = 8,
        limits: ChatLimits | None = None,
    ) -> None:
        self.conversation = conversation
        self.keys = keys
        # every request passes the abuse limits before the conversation sees it (see adapters/chat/limits.py)
        self.limits = limits or ChatLimits()
        # the limiter's count is a fast first refusal; the store enforces the cap exactly (across processes)
        conversation.games_per_workspace = self.limits.settings.games_per_workspace
        self._games_watch: asyncio.Task[None] | None = None
        # the conversation and the database are synchronous: one slow call must not hold the event loop
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="statusbot")
        # a busy event loop keeps the GIL for the whole switch interval (5 ms by default): every hop to the pool
        # and back would wait that long under load, so hand it over sooner
        sys.setswitchinterval(SWITCH_INTERVAL)

    async def blocking(self, call: Callable[..., T], *args: object) -> T:
        """Run a synchronous call in the pool without blocking the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self.pool, call, *args)

    async def warm_up(self) -> None:
        """Load the quiz and the scenario engine before the first user needs them; start counting games."""
        await self.blocking(self.conversation.warm_up)
        if self._games_watch is None:
            self._games_watch = asyncio.create_task(self._watch_games(), name="statusbot-game-count")

    async def _watch_games(self) -> None:
        """Keep the limiter's count of running games per workspace fresh (read in the pool, never on the loop,
        so a slow database cannot stall the commands that consult the count)."""
        failing = False
        while True:
            try:
                began = self.limits.clock()
                games = await self.blocking(self._running_games)
                self.limits.games.update(games, began)
                failing = False
            except Exception:
                if not failing:  # once per outage, not once a second
                    log.warning("could not count the running games; the game cap uses the last count", exc_info=True)
                failing = True
            await asyncio.sleep(GAMES_EVERY)

    def _running_games(self) -> list[tuple[str, str]]:
        return [(game.workspace, game.channel) for game in self.conversation.quiz.service.store.running_games()]

    async def replies(self, call: Callable[[], list[Reply]]) -> list[Reply]:
        """The replies of a conversation call, or the private failure line if it raised."""
        try:
            return await self.blocking(call)
        except Exception:
            return [failure(log, "the conversation failed")]

    async def command(self, command: str, argument: str, user: User, place: Place) -> list[Reply]:
        """A slash command (``status`` or ``quiz``) with its text; a plain lookup is answered at once (it touches
        neither the database nor the scenario engine, and a hop to the thread pool would cost more than it)."""
        instant = self.instant(command, argument, user, place)
        if instant is not None:
            return instant
        return await self.replies(lambda: self.conversation.on_command(command, argument, user, place))

    def instant(self, command: str, argument: str, user: User, place: Place) -> list[Reply] | None:
        """The replies to a slash command when it is a plain lookup (microseconds, no database, no scenario
        engine); None when it must run in the thread pool (use :meth:`command`). A request over the abuse limits
        gets its refusal here (or nothing, once the user was told), so every adapter's commands pass them."""
        refused = self._limited(command, argument, user, place)
        if refused is not None:
            return refused
        try:
            return self.conversation.instant(command, argument, user, place)
        except Exception:
            return [failure(log, "the conversation failed")]

    async def text(self, text: str, user: User, place: Place) -> list[Reply]:
        """A direct message or a mention: the same grammar, without the slash."""
        refused = self._limited("", text, user, place)
        if refused is not None:
            return refused
        return await self.replies(lambda: self.conversation.on_text(text, user, place))

    async def action(self, action_id: str, value: str, user: User, place: Place) -> list[Reply]:
        """A button click."""
        refused = self.limits.click(user.id, place.workspace, value)
        if refused is not None:
            return refused
        return await self.replies(lambda: self.conversation.on_action(action_id, value, user, place))

    async def form(self, form_id: str, text: str, user: User, place: Place, state: str = "") -> list[Reply]:
        """A submitted form (the check dialog's pasted text, the code a 👎 expected) with the state it was opened
        with."""
        refused = self.limits.command(user.id, place.workspace, place.channel, text)
        if refused is not None:
            return refused
        return await self.replies(lambda: self.conversation.on_form(form_id, text, user, place, state))

    async def message(self, text: str, user: User, place: Place) -> list[Reply]:
        """A plain channel message (a typed quiz answer, or nothing); over the limits, silently nothing."""
        if not self.limits.message(user.id, place.workspace, text):
            return []
        return await self.replies(lambda: self.conversation.on_message(text, user, place))

    async def publish(
        self, place: Place, replies: Iterable[Reply], sender: Sender, *, edit_only: bool = False
    ) -> list[Reply]:
        """Show channel-visible replies in order: a keyed one edits the message its key was posted as (or posts
        and remembers it), others are posted. ``edit_only`` skips keyed replies nobody posted yet (countdowns:
        another process may be posting that message right now). A reply the platform fails to take is logged
        and the next one still goes out, so a failed edit never hides the next question; only
        :class:`CannotPost` (the bot may not write in the channel) stops the delivery. Returns a private
        failure line (its reference in the log) for each reply that could not be shown, for whoever acted."""
        missed: list[Reply] = []
        for reply in replies:
            if reply.private:
                continue
            try:
                await self._publish_one(place, reply, sender, edit_only=edit_only)
            except CannotPost:
                raise
            except Exception:
                missed.append(failure(log, f"could not show {reply.title!r} in {place.channel}"))
        return missed

    async def _publish_one(self, place: Place, reply: Reply, sender: Sender, *, edit_only: bool) -> None:
        if not reply.key or self.keys is None:
            if not edit_only:
                await sender.post(place, reply)
            return
        known = await self.blocking(self.keys.get, reply.key)
        if known is not None:
            try:
                if await sender.edit(place._replace(channel=known.channel), known.message_id, reply):
                    return
            except CannotPost:
                raise
            except Exception:
                if edit_only:
                    raise
                log.warning("editing %r failed; posting it anew", reply.title, exc_info=True)
        if edit_only:
            return
        message_id = await sender.post(place, reply)
        if message_id:
            await self.blocking(self.keys.put, reply.key, place.channel, message_id)

    async def guarded(self, work: Awaitable[object], tell: Callable[[Reply], Awaitable[object]]) -> None:
        """Run an adapter's work after the platform was answered; a failure reaches the user as a private
        line with a reference id (and the log), never as a traceback or a silent loss."""
        try:
            await work
        except Exception:
            await tell_failure(tell, "answering failed")

    def _limited(self, command: str, text: str, user: User, place: Place) -> list[Reply] | None:
        """The refusal of a command (``command`` '' for typed text) over the limits; None when it may go ahead."""
        refused = self.limits.command(user.id, place.workspace, place.channel, text)
        if refused is not None:
            return refused
        if command in ("quiz", ""):  # parsed only now, after the size check, and only where a game may start
            parsed = parse(f"/{command} {text}" if command else text)
            if parsed.command == "quiz" and parsed.action == "start":
                return self.limits.game_start(place.workspace, place.channel)
        return None

    def close(self) -> None:
        """Stop counting games and the thread pool (pending calls finish first)."""
        if self._games_watch is not None:
            self._games_watch.cancel()
        self.pool.shutdown(wait=True, cancel_futures=True)


def failure(logger: logging.Logger, what: str) -> Reply:
    """Log the current exception under a new reference id and return the private line naming it."""
    reference = new_reference()
    logger.exception("%s (reference %s)", what, reference)
    return failure_reply(reference)


async def tell_failure(tell: Callable[[Reply], Awaitable[object]], what: str, logger: logging.Logger = log) -> None:
    """Inside an ``except``: log the exception under a reference id and tell the user the private line naming it;
    a failure to tell them is logged too, never raised."""
    reply = failure(logger, what)
    try:
        await tell(reply)
    except Exception:
        logger.exception("could not tell the user about the failure either")
