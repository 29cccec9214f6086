"""The quiz's clock in a chat adapter: closes questions whose stored deadline has passed, edits countdowns.

Deadlines live in the database, so any process's clock can close any game (a question posted by a
process that has since died is still closed on time); the transaction in the quiz service makes sure
only one of them reveals it. Countdown edits are paced per channel to stay inside the platforms'
rate limits. Every ``purge_every`` seconds it also deletes what outlived STATUSBOT_RETENTION_DAYS (the quiz
did so when it opened, at start-up).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from adapters.chat.runtime import ChatRuntime, Sender
from bot.conversation import Place
from bot.privacy import purge_expired
from bot.quiz.chat import QuizChat
from bot.storage.quiz_store import RunningGame

log = logging.getLogger(__name__)
PURGE_EVERY = 3600.0  # the retention period is counted in days: an hour late is on time


class QuizClock:
    """Every ``interval`` seconds: close due questions and, every ``countdown_every`` seconds per channel,
    edit the running question's countdown in place."""

    def __init__(
        self,
        runtime: ChatRuntime,
        sender_for: Callable[[str], Awaitable[Sender | None]],
        *,
        owns: Callable[[str], bool] = lambda workspace: True,
        interval: float = 1.0,
        countdown_every: float = 5.0,
        clock: Callable[[], float] = time.time,
        purge_every: float = PURGE_EVERY,
    ) -> None:
        self.runtime = runtime
        self.sender_for = sender_for
        self.owns = owns
        self.interval = interval
        self.countdown_every = countdown_every
        self.clock = clock
        self._edited: dict[str, float] = {}
        self._parallel = asyncio.Semaphore(8)
        self.purge_every = purge_every
        self._purged_at = clock()  # the quiz purged when it opened

    async def run(self) -> None:
        """Tick until cancelled; a failing step is logged and the next one runs as usual."""
        while True:
            try:
                await self.step()
            except Exception:
                log.exception("the quiz clock's step failed; trying again")
            await asyncio.sleep(self.interval)

    async def step(self) -> None:
        """One pass over every running game this process looks after."""
        quiz = await self.runtime.blocking(lambda: self.runtime.conversation.quiz)
        if self.clock() - self._purged_at >= self.purge_every:
            self._purged_at = self.clock()
            await self.runtime.blocking(purge_expired, quiz)
        games = await self.runtime.blocking(quiz.service.store.running_games)
        mine = [game for game in games if self.owns(game.workspace)]
        live = {game.channel for game in mine}
        self._edited = {channel: at for channel, at in self._edited.items() if channel in live}
        await asyncio.gather(*(self._one(quiz, game) for game in mine))

    async def _one(self, quiz: QuizChat, game: RunningGame) -> None:
        async with self._parallel:
            try:
                sender = await self.sender_for(game.workspace)
                if sender is None:
                    return
                place = Place(game.workspace, game.channel)
                now = self.clock()
                if game.deadline <= now:
                    replies = await self.runtime.replies(lambda: quiz.tick(game.channel))
                    await self.runtime.publish(place, replies, sender)
                    self._edited[game.channel] = now
                    return
                last = max(game.asked_at, self._edited.get(game.channel, 0.0))
                if now - last < self.countdown_every or game.deadline - now < 2:
                    return
                self._edited[game.channel] = now
                replies = await self.runtime.replies(lambda: quiz.countdown(game.channel))
                # a lone keyed question is a countdown: edit it only if its message is known; anything else
                # (the question closed meanwhile) is shown in full
                countdown = len(replies) == 1 and bool(replies[0].key)
                await self.runtime.publish(place, replies, sender, edit_only=countdown)
            except Exception:
                log.exception("the quiz clock failed for channel %s", game.channel)
