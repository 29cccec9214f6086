"""What both chat adapters do to replies and forms on their way out and back, whatever the platform.

- :func:`without_share`: a reply the channel sees already loses its "Share in channel" button.
- :func:`first_failure`: of the channel posts that failed, the asker hears about the first, once.
- :func:`pack_state` and :func:`unpack_state`: where a dialog was opened and the state it was opened with,
  carried through the platform (Slack's ``private_metadata``, Discord's modal ``custom_id``) so that whichever
  process receives the submission can answer it.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.conversation import SHARE_ACTION
from bot.reply import Reply

STATE_SEPARATOR = "|"


def without_share(reply: Reply) -> Reply:
    """The reply without its "Share in channel" button: where it is shown, everyone sees it already."""
    return reply._replace(actions=tuple(action for action in reply.actions if action.id != SHARE_ACTION))


def first_failure(missed: Iterable[Reply]) -> list[Reply]:
    """The private failure line to tell whoever acted: one, however many of their channel replies failed."""
    return list(missed)[:1]


def pack_state(*parts: str, state: str | None = None) -> str:
    """``part|part…|state``: what the submission must name (no "|" in those), then the state the form was opened
    with (any text); without a state, just the parts."""
    return STATE_SEPARATOR.join(parts if state is None else (*parts, state))


def unpack_state(packed: str, parts: int) -> tuple[list[str], str]:
    """The ``parts`` leading parts of a :func:`pack_state` value (empty when missing) and the state after them."""
    split = packed.split(STATE_SEPARATOR, parts)
    split += [""] * (parts + 1 - len(split))
    return split[:parts], split[parts]
