"""The one button: its ``custom_id`` is ``<action id>|<value>`` (docs/interactions.md), so a click is
routed from the id alone, by any process, long after the message was posted."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Protocol

import discord

if TYPE_CHECKING:
    from discord import Interaction


class ButtonHandler(Protocol):
    """What a click is handed to (the client's interaction handler)."""

    async def button(self, interaction: Interaction[Any], action_id: str, value: str) -> None:
        """Answer a click on the button for ``action_id`` with ``value``."""


class ActionButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"(?s)(?P<action>[a-z][a-z0-9_.]*)\|(?P<value>.*)",
):
    """A Reply action as a button; registered with the client, never stored per message."""

    def __init__(self, action_id: str, value: str, label: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.secondary, label=label or None, custom_id=f"{action_id}|{value}"
            )
        )
        self.action_id = action_id
        self.value = value

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ActionButton:
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(match["action"], match["value"], label or "")

    async def callback(self, interaction: Interaction[Any]) -> None:
        handler: ButtonHandler = interaction.client.handler
        await handler.button(interaction, self.action_id, self.value)
