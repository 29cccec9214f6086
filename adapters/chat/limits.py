"""Abuse limits for the chat adapters: token buckets per user and per channel, a cap on games per workspace,
and a size limit checked before anything reads the text.

The buckets live in the memory of one process: behind a load balancer each process keeps its own, so a
user's real allowance is the per-process one times the number of processes. That is enough for the
purpose (one person spamming must not degrade the bot for everyone else); an exact, shared limit would
need a round trip to the database for every command. The game cap counts the running games in the
database (refreshed every second, plus the starts this process let through since) to refuse most starts
cheaply; the store checks it exactly when it saves a game (``QuizStore.create``), across processes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from adapters.chat.settings import SettingError
from bot.limits import slow_down_reply, too_long_reply, too_many_games_reply
from bot.reply import Reply

OFF = ("0", "off", "false", "no")


class Rate(NamedTuple):
    """A bucket's size (a burst allowed at once) and how many requests per second refill it."""

    burst: float
    per_second: float


# a person typing fast sends a command every few seconds; a script sends hundreds
USER_RATE = Rate(burst=20, per_second=1.0)
# several people in one channel, each within their own limit, still share the channel's
CHANNEL_RATE = Rate(burst=60, per_second=5.0)
# clicks come faster than commands (the guide, quiz answers), and each one is cheap
CLICK_RATE = Rate(burst=30, per_second=3.0)


@dataclass(frozen=True)
class LimitSettings:
    """How much one user, one channel and one workspace may ask for."""

    user: Rate = USER_RATE
    channel: Rate = CHANNEL_RATE
    clicks: Rate = CLICK_RATE
    games_per_workspace: int = 10
    max_input: int = 4000  # characters of a command or message: a pasted response head and its headers fit
    max_value: int = 2000  # characters of a button value (Slack's own limit; Discord's is 100)
    enabled: bool = True

    @classmethod
    def from_environment(cls) -> LimitSettings:
        """``STATUSBOT_RATE_LIMITS=off`` turns the rate limits off (load benchmarks); ``STATUSBOT_MAX_GAMES``
        sets the game cap. A malformed value is a SettingError naming the variable."""
        enabled = os.environ.get("STATUSBOT_RATE_LIMITS", "").strip().lower() not in OFF
        games = os.environ.get("STATUSBOT_MAX_GAMES", "").strip()
        if games and not (games.isascii() and games.isdigit() and int(games) > 0):
            raise SettingError(
                f"STATUSBOT_MAX_GAMES does not look right: it should be a whole number from 1, not {games!r}"
            )
        return cls(enabled=enabled, games_per_workspace=int(games) if games else cls.games_per_workspace)


class Bucket:
    """A token bucket: ``take`` spends one token, or says how long until one is there."""

    __slots__ = ("level", "rate", "stamp", "warned")

    def __init__(self, rate: Rate, now: float) -> None:
        self.rate = rate
        self.level = rate.burst
        self.stamp = now
        self.warned = False  # told to slow down since the bucket last had a token

    def refill(self, now: float) -> None:
        self.level = min(self.rate.burst, self.level + (now - self.stamp) * self.rate.per_second)
        self.stamp = now

    def wait(self, now: float) -> float:
        """Seconds until a token is there (0: one is there now)."""
        self.refill(now)
        return 0.0 if self.level >= 1 else (1 - self.level) / self.rate.per_second

    def spend(self) -> None:
        self.level -= 1
        self.warned = False

    def full(self, now: float) -> bool:
        return self.level + (now - self.stamp) * self.rate.per_second >= self.rate.burst


class Verdict(NamedTuple):
    """A limiter's decision: go ahead (``wait`` 0), or wait; ``tell`` is True the first time only."""

    wait: float
    tell: bool


GO = Verdict(0.0, False)
PRUNE_AT = 10_000  # buckets kept before the full ones (people who stopped) are forgotten


class RateLimiter:
    """Token buckets by key; a request must find a token in every bucket it names."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._buckets: dict[tuple[str, ...], Bucket] = {}

    def check(self, keys: Iterable[tuple[tuple[str, ...], Rate]]) -> Verdict:
        """Spend a token from each bucket if all have one; else the longest wait, spending nothing (so a
        refused spammer does not drain the channel's bucket for the others)."""
        now = self.clock()
        buckets = [self._bucket(key, rate, now) for key, rate in keys]
        waits = [(bucket.wait(now), bucket) for bucket in buckets]
        longest, blocking = max(waits, key=lambda pair: pair[0], default=(0.0, None))
        if blocking is None or longest == 0:
            for bucket in buckets:
                bucket.spend()
            return GO
        tell = not blocking.warned
        blocking.warned = True
        return Verdict(longest, tell)

    def _bucket(self, key: tuple[str, ...], rate: Rate, now: float) -> Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= PRUNE_AT:
                self._buckets = {k: b for k, b in self._buckets.items() if not b.full(now)}
            bucket = self._buckets[key] = Bucket(rate, now)
        return bucket

    def __len__(self) -> int:
        return len(self._buckets)


@dataclass
class GameCount:
    """Running games per workspace as last read from the database, plus the starts let through since."""

    channels: dict[str, set[str]] = field(default_factory=dict)  # workspace → channels with a running game
    read_at: float = float("-inf")
    started: list[tuple[float, str, str]] = field(default_factory=list)  # (when, workspace, channel)

    def update(self, games: Iterable[tuple[str, str]], read_started: float) -> None:
        """A fresh read (begun at ``read_started``): starts let through after it began are kept on top."""
        channels: dict[str, set[str]] = {}
        for workspace, channel in games:
            channels.setdefault(workspace, set()).add(channel)
        self.channels = channels
        self.read_at = read_started
        self.started = [start for start in self.started if start[0] >= read_started]

    def running(self, workspace: str) -> set[str]:
        """The channels of ``workspace`` with a game, as far as this process knows."""
        known = set(self.channels.get(workspace, set()))
        known.update(channel for _, space, channel in self.started if space == workspace)
        return known

    def start(self, now: float, workspace: str, channel: str) -> None:
        self.started.append((now, workspace, channel))


class ChatLimits:
    """What ChatRuntime asks before handing a request to the conversation: None means go ahead, a list is
    the answer instead (the private refusal, or nothing when the user was already told to slow down)."""

    def __init__(self, settings: LimitSettings | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings or LimitSettings.from_environment()
        self.clock = clock
        self.rates = RateLimiter(clock)
        self.games = GameCount()
        self.refused = 0  # requests refused so far (for the logs and the tests)

    def command(self, user_id: str, workspace: str, channel: str, text: str) -> list[Reply] | None:
        """A slash command, a direct message or a mention."""
        s = self.settings
        refused = self._rate(((("user", workspace, user_id), s.user), (("channel", workspace, channel), s.channel)))
        if refused is not None:
            return refused
        if len(text) > s.max_input:  # before any parsing: len() is all a 10 MB string costs here
            self.refused += 1
            return [too_long_reply(s.max_input)]
        return None

    def click(self, user_id: str, workspace: str, value: str) -> list[Reply] | None:
        """A button click (per user only: a quiz question gets a burst of clicks from many players at once)."""
        refused = self._rate(((("click", workspace, user_id), self.settings.clicks),))
        if refused is not None:
            return refused
        if len(value) > self.settings.max_value:
            self.refused += 1
            return [too_long_reply(self.settings.max_value)]
        return None

    def message(self, user_id: str, workspace: str, text: str) -> bool:
        """A plain channel message (a typed answer or chatter): False drops it silently, since answering
        chatter with "slow down" would be spam of our own."""
        if len(text) > self.settings.max_input:
            return False
        return self._rate(((("user", workspace, user_id), self.settings.user),)) is None

    def game_start(self, workspace: str, channel: str) -> list[Reply] | None:
        """``/quiz start``: refused when the workspace runs its cap of games already (a start in a channel
        that has a game goes ahead, and the quiz says the game is running)."""
        running = self.games.running(workspace)
        cap = self.settings.games_per_workspace
        if channel not in running and len(running) >= cap:
            self.refused += 1
            return [too_many_games_reply(cap)]
        self.games.start(self.clock(), workspace, channel)
        return None

    def _rate(self, keys: Iterable[tuple[tuple[str, ...], Rate]]) -> list[Reply] | None:
        if not self.settings.enabled:
            return None
        verdict = self.rates.check(keys)
        if verdict.wait == 0:
            return None
        self.refused += 1
        return [slow_down_reply(verdict.wait)] if verdict.tell else []
