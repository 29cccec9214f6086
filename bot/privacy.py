"""What people can do about their data: leave the leaderboards (and come back), and have the bot forget them.

``/quiz leaderboard opt-out`` and ``opt-in`` act at once; ``/status forget-me`` asks first, privately, with a
Confirm button whose value names who asked, so only their own click deletes (in any process). The deleting
itself is one function, :func:`bot.storage.privacy.forget`, which lists every table holding a person's data.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from bot.button_values import decode, encode
from bot.quiz.replies import plural
from bot.reply import Action, Reply, expired, note
from bot.storage.privacy import PERSONAL, Forgotten, Purged, forget, purge, set_listed
from bot.storage.retention import retention_days

if TYPE_CHECKING:
    from bot.quiz.chat import QuizChat

log = logging.getLogger(__name__)
FORGET_ACTION = "statusbot.forget"
CONFIRM, CANCEL = "yes", "no"
OPT_WORDS = {"opt-out": False, "optout": False, "opt out": False, "opt-in": True, "optin": True, "opt in": True}
# how platforms with typed options offer the choice (Discord's /quiz leaderboard privacy:…)
LISTING_CHOICES = ("opt-out", "opt-in")
LISTING_HELP = "opt-out: leave every leaderboard here (you still play); opt-in: come back"
# where a person's data is kept, in each platform's words
WHERE = {"slack": "in this workspace", "discord": "in this server"}


def where_words(platform: str) -> str:
    """'in this workspace' (Slack), 'in this server' (Discord), 'here' elsewhere."""
    return WHERE.get(platform, "here")


# -- leaderboards -------------------------------------------------------------------------------------------------
def listing_choice(argument: str) -> bool | None:
    """What ``/quiz leaderboard ARGUMENT`` asks: False to opt out, True to opt back in, None for a leaderboard."""
    return OPT_WORDS.get(" ".join(argument.lower().split()))


def set_listing(quiz: QuizChat, workspace: str, person: str, *, listed: bool, platform: str) -> Reply:
    """Put a person on or off every leaderboard of the workspace (all periods, channel and server), privately."""
    changed = set_listed(quiz.service.store.engine, workspace, person, listed=listed, now=time.time())
    where = where_words(platform)
    if listed:
        return note(
            f"You're back on the leaderboards {where}" if changed else f"You're on the leaderboards {where}",
            "Every game you finished counts again." if changed else "/quiz leaderboard opt-out takes you off them.",
        )
    return note(
        f"You're off the leaderboards {where}" if changed else f"You were already off the leaderboards {where}",
        "You play as before, and a game's own standings still show you; nobody sees you on /quiz leaderboard. "
        "/quiz leaderboard opt-in puts you back.",
    )


# -- forget-me ----------------------------------------------------------------------------------------------------
def forget_prompt(person: str, platform: str) -> Reply:
    """The private question before anything is deleted, with Confirm and Cancel buttons for this person only."""
    where = where_words(platform)
    return Reply(
        title=f"Delete everything statusbot keeps about you {where}?",
        text=(
            f"Your quiz answers, game results, team choices, practice progress, the questions you asked me that "
            f"were kept to be rated, and your leaderboard choice {where} are "
            "deleted for good, and you leave every leaderboard. Nobody else's scores change, and a game you're "
            "playing goes on without your answers so far."
        ),
        actions=(
            Action(FORGET_ACTION, "Confirm", encode(CONFIRM, person)),
            Action(FORGET_ACTION, "Cancel", encode(CANCEL, person)),
        ),
        colour="red",
        private=True,
    )


def forget_click(quiz: QuizChat, value: str, person: str, workspace: str, platform: str) -> Reply:
    """A click on the prompt's buttons: only the person who asked may answer it; Confirm deletes, Cancel doesn't."""
    choice, asked_by = decode(value, 2) or ("", "")
    if choice not in (CONFIRM, CANCEL) or not asked_by:
        return expired()
    if asked_by != person:
        return note(
            "That isn't your button", "Only the person who asked can answer it. /status forget-me asks for you."
        )
    if choice == CANCEL:
        return note("Nothing was deleted", "Everything stays as it was.", replace=True)
    store = quiz.service.store
    with quiz.lock, store.transaction() as c:  # the games it touches are rendered by this process after it commits
        forgotten = forget(c, workspace, person)
        for game_id in forgotten.running_games:
            store.rescore(c, game_id)
    return _forgotten_reply(forgotten, where_words(platform))


def forget_unavailable(reason: str) -> Reply:
    """Confirm was clicked while the database can't be opened: nothing was deleted, and why."""
    return note(f"Nothing was deleted: {reason}", "Try again once it is fixed: /status forget-me.")


def _forgotten_reply(forgotten: Forgotten, where: str) -> Reply:
    counts = [plural(forgotten.deleted[p.noun], p.noun) for p in PERSONAL if forgotten.deleted.get(p.noun)]
    if not counts:
        return note(f"statusbot keeps nothing about you {where}", "There was nothing to delete.", replace=True)
    return note(f"Done: statusbot has forgotten you {where}", f"Deleted {', '.join(counts)}.", replace=True)


# -- retention ----------------------------------------------------------------------------------------------------
def purge_expired(quiz: QuizChat, now: float | None = None) -> Purged:
    """Delete what STATUSBOT_RETENTION_DAYS says is too old (see :func:`bot.storage.privacy.purge`); logged when
    something went. Run when the quiz opens and then periodically (the chat adapters' quiz clock)."""
    days = retention_days()
    purged = purge(quiz.service.store.engine, days, time.time() if now is None else now)
    if purged.games or purged.rows:
        log.info(
            "retention (%d days): deleted the questions and answers of %d finished games, and %d other expired rows",
            days,
            purged.games,
            purged.rows,
        )
    return purged
