"""The platform-neutral reply: what the bot says, before any platform renders it."""

from __future__ import annotations

from typing import NamedTuple

# Colour names by family; each renderer maps them to what its platform can show.
FAMILY_COLOURS = {"1xx": "blue", "2xx": "green", "3xx": "cyan", "4xx": "yellow", "5xx": "red"}


class Field(NamedTuple):
    """A titled section of a reply; ``code`` marks preformatted text such as an example exchange."""

    name: str
    value: str
    code: bool = False
    inline: bool = False


class Link(NamedTuple):
    """A link the bot wrote itself (never one derived from user input)."""

    label: str
    url: str


class Action(NamedTuple):
    """A button: ``id`` names the handler, ``value`` carries the state it needs."""

    id: str
    label: str
    value: str


class Reply(NamedTuple):
    """One message: title, text, fields, colour, links and actions, private or visible to the channel."""

    title: str
    text: str = ""
    fields: tuple[Field, ...] = ()
    colour: str = "grey"
    links: tuple[Link, ...] = ()
    actions: tuple[Action, ...] = ()
    footer: str = ""
    private: bool = False
    key: str = ""  # replies with the same key edit one message in place (a quiz question and its countdown)
    replace: bool = False  # replaces the message whose button was pressed (the next step of the guide)


def quoted(text: str) -> str:
    """A user's words inside a message, in curly quotes as typed (never repr(): users see no Python escapes)."""
    return f"“{text}”"


def note(title: str, text: str = "", *, replace: bool = False) -> Reply:
    """A private grey note only the person who acted sees: a refusal, a confirmation, what to try instead."""
    return Reply(title=title, text=text, colour="grey", private=True, replace=replace)


def expired(what: str = "button") -> Reply:
    """A button or form the bot can no longer act on (an old message, an unknown value): ask again."""
    return note(f"That {what} no longer works", "Try the command again.")


def colour_of(code: int) -> str:
    """The colour name of a status code's family."""
    return FAMILY_COLOURS.get(f"{code // 100}xx", "grey")
