"""A Reply as Block Kit: header, text, fields, links, buttons and a context line; always within Slack's limits.

Everything shown passes through ``fit(reply, SLACK, escape.slack)`` first, so text a user typed can
never mention, ping or link, and no block exceeds what Slack accepts.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

from bot.forms import Form
from bot.render import escape
from bot.render.limits import SLACK, fit, truncate
from bot.reply import Reply

Block = dict[str, Any]
# the family colour, shown as an emoji on the context line (Block Kit has no message colour)
EMOJI = {
    "blue": ":large_blue_circle:",
    "green": ":large_green_circle:",
    "cyan": ":large_purple_circle:",
    "yellow": ":large_orange_circle:",
    "red": ":red_circle:",
    "grey": ":white_circle:",
}
ACTION_SEPARATOR = "#"  # action_id = "<action id>#<position>": Slack wants them unique within a message
FALLBACK_TEXT = 300  # the notification text; the blocks carry the whole reply
MODAL_TITLE = 24
VIEW_BLOCKS = 100


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def _unescaped(text: str) -> str:
    """plain_text shows entities literally and never links or mentions, so it gets the text without them."""
    return html.unescape(text)


def _fence(value: str) -> str:
    # a user's backticks must not close the code block early
    return "```" + value.replace("```", "`\u200b``") + "```"


def blocks(reply: Reply, *, buttons: bool = True) -> list[Block]:
    """The reply as Block Kit blocks (call on a reply that has already been fitted)."""
    out: list[Block] = [{"type": "header", "text": _plain(_unescaped(reply.title))}]
    if reply.text.strip():
        out.append({"type": "section", "text": _mrkdwn(reply.text)})
    for field in reply.fields:
        value = _fence(field.value) if field.code else field.value
        out.append({"type": "section", "text": _mrkdwn(f"*{field.name}*\n{value}")})
    if reply.links:
        links = " · ".join(f"<{link.url}|{link.label}>" for link in reply.links)
        out.append({"type": "context", "elements": [_mrkdwn(f":book: {links}")]})
    if buttons and reply.actions:
        out.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": _plain(_unescaped(action.label)),
                        "action_id": f"{action.id}{ACTION_SEPARATOR}{position}",
                        "value": action.value,
                    }
                    for position, action in enumerate(reply.actions)
                ],
            }
        )
    footer = f"{EMOJI.get(reply.colour, EMOJI['grey'])} {reply.footer}".strip()
    out.append({"type": "context", "elements": [_mrkdwn(footer)]})
    return out


def message(reply: Reply) -> dict[str, Any]:
    """``text`` and ``blocks`` for chat.postMessage, chat.update, chat.postEphemeral or a response_url."""
    return dict(_message(reply))  # a fresh dict each time: callers add their own keys


@lru_cache(maxsize=1024)
def _message(reply: Reply) -> dict[str, Any]:
    # Replies are immutable and the popular ones (409, 4xx) repeat: escaping them once saves most of the work
    fitted = fit(reply, SLACK, escape.slack)
    summary = fitted.title + (f": {fitted.text}" if fitted.text else "")
    return {"text": truncate(summary, FALLBACK_TEXT), "blocks": blocks(fitted)}


def action_id_of(slack_action_id: str) -> str:
    """The Reply action id behind a button's Slack action_id."""
    return slack_action_id.rpartition(ACTION_SEPARATOR)[0] or slack_action_id


def form_view(form: Form, *, metadata: str) -> dict[str, Any]:
    """A modal with one multi-line box; ``metadata`` (the channel) comes back with the submission."""
    return {
        "type": "modal",
        "callback_id": form.id,
        "title": _plain(truncate(form.title, MODAL_TITLE)),
        "submit": _plain(truncate(form.submit, MODAL_TITLE)),
        "close": _plain("Cancel"),
        "private_metadata": metadata[:3000],
        "blocks": [
            {
                "type": "input",
                "block_id": "form",
                "label": _plain(form.label),
                "element": {
                    "type": "plain_text_input",
                    "action_id": "text",
                    "multiline": form.multiline,
                    "max_length": 3000,
                    "placeholder": _plain(form.placeholder[:150]),
                },
            }
        ],
    }


def result_view(form: Form, replies: list[Reply]) -> dict[str, Any]:
    """The modal updated to show the answers to its submission (buttons don't belong in a dialog)."""
    body: list[Block] = []
    for reply in replies:
        body.extend(blocks(fit(reply, SLACK, escape.slack), buttons=False))
    return {
        "type": "modal",
        "title": _plain(truncate(form.result_title, MODAL_TITLE)),
        "close": _plain("Done"),
        "blocks": body[:VIEW_BLOCKS],
    }


def home_view(replies: list[Reply]) -> dict[str, Any]:
    """The App Home tab: the replies one after another, divided."""
    body: list[Block] = []
    for reply in replies:
        if body:
            body.append({"type": "divider"})
        body.extend(blocks(fit(reply, SLACK, escape.slack), buttons=False))
    return {"type": "home", "blocks": body[:VIEW_BLOCKS]}
