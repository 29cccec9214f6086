"""Platform limits and the one way a Reply is cut to fit them: gracefully, never rejected.

The Slack and Discord renderers lay a Reply out in their own blocks and embeds; both first pass it
through :func:`fit` with their limits, so no message can exceed what the platform accepts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from bot.reply import Action, Field, Reply

ELLIPSIS = "…"
_PARTIAL_ENTITY = re.compile(r"&[#a-zA-Z0-9]{0,8}…$")


class Limits(NamedTuple):
    """The sizes one platform accepts, in characters unless said otherwise."""

    title: int
    text: int
    field_name: int
    field_value: int
    fields: int  # how many fields
    total: int  # title + text + all field names and values + footer
    footer: int
    button_label: int
    button_value: int
    buttons: int


# Slack Block Kit: header text 150, section text 3000 (a field renders as one section, name included),
# 50 blocks (header + text + fields + context + actions), button text 75 and value 2000, 25 elements.
SLACK = Limits(
    title=150,
    text=3000,
    field_name=150,
    field_value=2800,
    fields=40,
    total=12000,
    footer=1900,  # a context element holds 2000, with the family's emoji in front
    button_label=75,
    button_value=2000,
    buttons=25,
)
# Discord embeds: title 256, description 4096, 25 fields of 256/1024, footer 2048, 6000 in all;
# buttons: label 80, custom_id 100 (the value travels inside it), 5 rows of 5.
DISCORD = Limits(
    title=256,
    text=4096,
    field_name=256,
    field_value=1024,
    fields=25,
    total=6000,
    footer=2048,
    button_label=80,
    button_value=90,
    buttons=25,
)


def truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a line or word boundary, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return ELLIPSIS[:limit]
    cut = text[: limit - 1]
    for boundary in ("\n", " "):
        position = cut.rfind(boundary)
        if position >= limit // 2:
            cut = cut[:position]
            break
    return cut.rstrip() + ELLIPSIS


def _cut(text: str, limit: int) -> str:
    """Truncate escaped text without leaving half an entity (``&amp;``) at the end."""
    cut = truncate(text, limit)
    if cut != text:
        cut = _PARTIAL_ENTITY.sub(ELLIPSIS, cut)
    return cut


def _shown(text: str) -> str:
    """The text, or a middle dot when nothing visible is left of it."""
    return text if text.strip(" \t\n\u200b\ufeff") else "·"


def fit(reply: Reply, limits: Limits, escape: Callable[[str], str] = str) -> Reply:
    """The reply escaped for its platform and within ``limits``: parts truncated, surplus fields dropped
    with a pointer to the rest. Lengths are measured after escaping, which can make text longer."""
    title = _cut(escape(reply.title or "statusbot"), limits.title)
    footer = _cut(escape(reply.footer), limits.footer)
    more = Field(
        "More", "The full reference is behind the links." if reply.links else "Ask a narrower question for the rest."
    )
    reserve = len(more.name) + len(more.value)
    # title, text and footer share the total with the fields: the text gives way first
    text = _cut(escape(reply.text), max(0, min(limits.text, limits.total - len(title) - len(footer) - reserve)))
    budget = limits.total - len(title) - len(text) - len(footer)
    fields: list[Field] = []
    candidates = list(reply.fields)
    for index, field in enumerate(candidates):
        last = index == len(candidates) - 1
        # escaping can empty a part (bidirectional controls dropped): platforms refuse blank fields
        name = _cut(_shown(escape(field.name)), limits.field_name)
        value = _cut(_shown(escape(field.value)), limits.field_value)
        room = budget - len(name) - (0 if last else reserve)
        if (len(fields) >= limits.fields - 1 and not last) or room < 40:
            if budget >= reserve:
                fields.append(more)
            break
        value = _cut(value, room)
        fields.append(field._replace(name=name, value=value))
        budget -= len(name) + len(value)
    actions = tuple(
        Action(a.id, _cut(escape(a.label), limits.button_label), a.value[: limits.button_value])
        for a in reply.actions[: limits.buttons]
    )
    return reply._replace(title=title, text=text, footer=footer, fields=tuple(fields), actions=actions)
