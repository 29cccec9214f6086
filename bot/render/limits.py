"""Platform limits and the one way a Reply is cut to fit them: gracefully, never rejected.

The Slack and Discord renderers lay a Reply out in their own blocks and embeds; both first pass it
through :func:`fit` with their limits, so no message can exceed what the platform accepts.
"""

from __future__ import annotations

from typing import NamedTuple

from bot.reply import Action, Field, Reply

ELLIPSIS = "…"


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
    footer=2000,
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
TERMINAL = Limits(
    title=500,
    text=20000,
    field_name=200,
    field_value=20000,
    fields=100,
    total=100000,
    footer=500,
    button_label=200,
    button_value=2000,
    buttons=50,
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


def fit(reply: Reply, limits: Limits) -> Reply:
    """The reply within ``limits``: parts truncated, surplus fields dropped with a pointer to the rest."""
    title = truncate(reply.title or "statusbot", limits.title)
    text = truncate(reply.text, limits.text)
    footer = truncate(reply.footer, limits.footer)
    budget = limits.total - len(title) - len(text) - len(footer)
    more = Field(
        "More", "The full reference is behind the links." if reply.links else "Ask a narrower question for the rest."
    )
    fields: list[Field] = []
    candidates = list(reply.fields)
    for index, field in enumerate(candidates):
        name = truncate(field.name or "·", limits.field_name)
        value = truncate(field.value or "·", limits.field_value)
        reserve = len(more.name) + len(more.value) if index < len(candidates) - 1 else 0
        room_left = budget - len(name) - reserve
        if (len(fields) >= limits.fields - 1 and index < len(candidates) - 1) or room_left < 40:
            fields.append(more)
            break
        value = truncate(value, room_left)
        fields.append(field._replace(name=name, value=value))
        budget -= len(name) + len(value)
    actions = tuple(
        Action(a.id, truncate(a.label, limits.button_label), a.value[: limits.button_value])
        for a in reply.actions[: limits.buttons]
    )
    return reply._replace(title=title, text=text, footer=footer, fields=tuple(fields), actions=actions)
