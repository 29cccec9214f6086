"""The words for the bot's own limits: too many requests, too many games, too long a message.

The chat adapters enforce the limits (``adapters/chat/limits.py``); what the user reads comes from
here, like every other word the bot says.
"""

from __future__ import annotations

import math

from bot.reply import Reply, note


def slow_down_reply(seconds: float) -> Reply:
    """The one private line a user gets when they send more than their share: the bot practising its 429."""
    wait = max(1, math.ceil(seconds))
    return note(
        f"Slow down, try again in {wait} s",
        f"You sent more requests than I answer in a row. That's 429 Too Many Requests, with Retry-After: {wait}.",
    )


TOO_MANY_GAMES = "Too many games are running here"


def too_many_games_text(cap: int) -> str:
    """What to do when ``/quiz start`` finds the workspace (or server) running as many games as allowed."""
    return (
        f"At most {cap} quiz games can run at once in this workspace. "
        "Wait for one to end, or stop one with /quiz stop, then start again."
    )


def too_many_games_reply(cap: int) -> Reply:
    """Why ``/quiz start`` was refused: the workspace (or server) already runs as many games as allowed."""
    return note(TOO_MANY_GAMES, too_many_games_text(cap))


def too_long_reply(limit: int) -> Reply:
    """Why a message was refused before it was read: longer than anything the bot needs."""
    return note(
        "That's too long for me",
        f"Send at most {limit:,} characters. To check a response, paste its status line and headers, not the body.",
    )
