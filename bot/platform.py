"""What the conversation needs to know about the platform it talks on, and the words for its limits.

Adapters describe their platform with a :class:`Platform`; the conversation decides what that means
for the user (private answers with a share button, typed quiz answers or not), so every word a user
reads still comes from ``bot/``.
"""

from __future__ import annotations

import uuid
from typing import NamedTuple

from bot.reply import Reply, note


class Platform(NamedTuple):
    """The chat platform's name and what it lets the bot do."""

    name: str = "console"
    private_answers: bool = False  # /status answers go to the asker alone, with a "Share in channel" button
    channel_messages: bool = True  # the bot reads plain channel messages (typed quiz answers)
    # many people share the bot (Slack, Discord): answers can be rated, and team settings take an admin or moderator;
    # otherwise (the console) the one person at the keyboard administers it
    shared: bool = False


CONSOLE_PLATFORM = Platform()

TYPED_MODE_HOW = {
    "slack": (
        "Typed answers need the bot to read channel messages: subscribe the app to the message.channels "
        "(and message.groups) events with the channels:history scope, as in slack/manifest.yml, and reinstall it."
    ),
    "discord": (
        "Typed answers need the Message Content intent: enable it for the bot in the Discord developer portal "
        "and start the bot with DISCORD_MESSAGE_CONTENT=1."
    ),
}
INVITE_HOW = {
    "slack": "Invite me first: type /invite @statusbot in this channel, then start the game again.",
    "discord": "I can't post in this channel: give my role the Send Messages and Embed Links permissions here.",
}


def new_reference() -> str:
    """A short id that ties what a user was told to the log line that explains it."""
    return uuid.uuid4().hex[:8]


def failure_reply(reference: str) -> Reply:
    """The private line a user sees when answering them failed on our side."""
    return note(
        "Sorry, that went wrong on my side", f"Please try again. If it keeps happening, quote reference {reference}."
    )


def storage_unreachable_reply(reference: str) -> Reply:
    """The private line while the database can't be reached: the bot goes on as soon as it is back."""
    return note(
        "Can't reach storage right now",
        f"Games and scores are safe; try again in a moment. If it keeps happening, quote reference {reference}.",
    )


def typed_mode_unavailable(platform: Platform) -> Reply:
    """Why a typed-answer game can't start here, and the button game instead."""
    how = TYPED_MODE_HOW.get(platform.name, "This chat can't read typed answers.")
    return note(
        "Typed answers aren't available here",
        f"{how}\nMeanwhile /quiz start mode:buttons plays the same game with answer buttons.",
    )


def cannot_post_here(platform: Platform) -> Reply:
    """The bot was refused posting in the channel (not a member, or no permission)."""
    return note("I can't post in this channel", INVITE_HOW.get(platform.name, "Add me to the channel first."))


def shared_by(reply: Reply, name: str) -> Reply:
    """A private answer made visible to the channel, saying who shared it (a name, never a mention)."""
    footer = f"Shared by {name}" + (f" · {reply.footer}" if reply.footer else "")
    return reply._replace(private=False, footer=footer, actions=())
