"""A Reply as a Discord embed with its buttons, fitted to Discord's limits; builds no words of its own."""

from __future__ import annotations

import logging
from typing import Any

import discord

from adapters.discord.components import ActionButton
from bot.render import escape
from bot.render.limits import DISCORD, truncate
from bot.render.limits import fit as fit_reply
from bot.reply import Field, Reply

# Reply colour names (bot.reply.FAMILY_COLOURS) as embed colours: 1xx grey, 2xx green, 3xx blue,
# 4xx orange, 5xx red; "grey" is everything that is not a status code.
COLOURS = {
    "blue": 0x95A5A6,
    "green": 0x2ECC71,
    "cyan": 0x3498DB,
    "yellow": 0xE67E22,
    "red": 0xE74C3C,
    "grey": 0x99AAB5,
}
FENCE = "```"
BUTTONS_PER_ROW = 5
MAX_BUTTONS = 25
LINK_URL_LIMIT = 512
CUSTOM_ID_LIMIT = 100
log = logging.getLogger(__name__)


def code_block(value: str, room: int) -> str:
    """User-influenced text as a code block within ``room`` characters: no backtick run can close the fence.

    The text is escaped as any other (no mention or link can form) but shows its brackets without the
    backslashes a code block would print; "](" stays apart so no masked link can form either."""
    text = escape.discord(value).replace("\\[", "[").replace("\\]", "]")
    text = text.replace("`", "`" + escape.ZWSP)
    return f"{FENCE}\n{truncate(text, max(1, room - 2 * len(FENCE) - 2))}\n{FENCE}"


def _fields(original: tuple[Field, ...], fitted: tuple[Field, ...]) -> list[Field]:
    # fit() keeps the fields in order and may end with its own "More" field (never a code field)
    out = []
    for index, field in enumerate(fitted):
        source = original[index] if index < len(original) else None
        if field.code and source is not None and source.code:
            field = field._replace(value=code_block(source.value, len(field.value)))
        out.append(field)
    return out


def fit(reply: Reply) -> Reply:
    """The reply escaped for Discord and cut to its limits (lengths measured after escaping)."""
    return fit_reply(reply, DISCORD, escape.discord)


def embed(reply: Reply, fitted: Reply | None = None) -> discord.Embed:
    """The Reply's embed: title, text, fields (code ones fenced), footer, colour by family."""
    fitted = fitted or fit(reply)
    card = discord.Embed(
        title=fitted.title,
        description=fitted.text or None,
        colour=COLOURS.get(reply.colour, COLOURS["grey"]),
    )
    for field in _fields(reply.fields, fitted.fields):
        card.add_field(name=field.name, value=field.value, inline=field.inline)
    if fitted.footer:
        card.set_footer(text=fitted.footer)
    return card


def view(reply: Reply, fitted: Reply | None = None) -> discord.ui.View | None:
    """One button per action (routed by custom_id, so they outlive the process), then the bot's links."""
    fitted = fitted or fit(reply)
    buttons: list[discord.ui.Item[Any]] = []
    seen: set[str] = set()
    for action in fitted.actions:
        button = ActionButton(action.id, action.value, action.label)
        custom_id = button.item.custom_id or ""
        if len(custom_id) > CUSTOM_ID_LIMIT:  # Discord would refuse the whole message
            log.warning("button %r dropped: its custom_id has %d characters", action.label, len(custom_id))
            continue
        if custom_id in seen:  # Discord refuses a message whose custom_ids repeat
            continue
        seen.add(custom_id)
        buttons.append(button)
    for link in reply.links:
        if len(link.url) <= LINK_URL_LIMIT and link.url.startswith(("https://", "http://")):
            label = truncate(link.label, DISCORD.button_label) or link.url[: DISCORD.button_label]
            buttons.append(discord.ui.Button(style=discord.ButtonStyle.link, label=label, url=link.url))
    if not buttons:
        return None
    layout = discord.ui.View(timeout=None)
    for index, item in enumerate(buttons[:MAX_BUTTONS]):
        item.row = index // BUTTONS_PER_ROW
        layout.add_item(item)
    return layout


def message(reply: Reply) -> dict[str, Any]:
    """Keyword arguments for sending the reply: its embed, and its buttons when it has any."""
    fitted = fit(reply)
    layout = view(reply, fitted)
    card = embed(reply, fitted)
    return {"embed": card, "view": layout} if layout else {"embed": card}


def edit(reply: Reply) -> dict[str, Any]:
    """Keyword arguments for showing the reply in place of another: its buttons replace the old ones (or none)."""
    return {"content": None, "view": None, **message(reply)}
