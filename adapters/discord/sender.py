"""Channel posts and in-place edits for the shared chat runtime (the ``Sender`` protocol)."""

from __future__ import annotations

import discord

from adapters.chat.runtime import CannotPost
from adapters.discord import render
from bot.conversation import Place
from bot.reply import Reply

NO_MENTIONS = discord.AllowedMentions.none()
# Discord's answers when the bot may not write in a channel: Missing Access, Missing Permissions
REFUSALS = {50001, 50013}


def _refused(error: discord.HTTPException) -> bool:
    return isinstance(error, discord.Forbidden) or error.code in REFUSALS


class ChannelSender:
    """Posts Replies as embeds in a channel, as the bot, and edits them in place; mentions never ping."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def post(self, place: Place, reply: Reply) -> str | None:
        """The new message's id; CannotPost when Discord refuses the bot this channel."""
        channel = self.client.get_partial_messageable(int(place.channel))
        try:
            sent = await channel.send(allowed_mentions=NO_MENTIONS, **render.message(reply))
        except discord.HTTPException as error:
            if _refused(error):
                raise CannotPost(f"channel {place.channel}: {error.code}") from error
            raise
        return str(sent.id)

    async def edit(self, place: Place, message_id: str, reply: Reply) -> bool:
        """True when the message now shows the reply; False when it is gone (a new one should be posted)."""
        channel = self.client.get_partial_messageable(int(place.channel))
        try:
            await channel.get_partial_message(int(message_id)).edit(allowed_mentions=NO_MENTIONS, **render.edit(reply))
        except discord.NotFound:
            return False
        except discord.HTTPException as error:
            if _refused(error):
                raise CannotPost(f"channel {place.channel}: {error.code}") from error
            raise
        return True
