"""Channel posts and in-place edits for the shared chat runtime (the ``Sender`` protocol)."""

from __future__ import annotations

import logging

import discord

from adapters.discord import render
from bot.conversation import Place
from bot.reply import Reply

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()
# Discord's answers when the bot may not post in a channel: Missing Access, Missing Permissions
REFUSALS = {50001, 50013}


class ChannelSender:
    """Posts Replies as embeds in a channel and edits them in place; remembers being refused."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client
        self.refused = False  # the channel would not take our post: the user is told privately

    async def post(self, place: Place, reply: Reply) -> str | None:
        """The new message's id, or None when Discord refused the post (noted in ``refused``)."""
        channel = self.client.get_partial_messageable(int(place.channel))
        try:
            sent = await channel.send(allowed_mentions=NO_MENTIONS, **render.message(reply))
        except discord.Forbidden as error:
            self.refused = True
            log.info("may not post in channel %s (%s)", place.channel, error.code)
            return None
        except discord.HTTPException as error:
            if error.code in REFUSALS:
                self.refused = True
                return None
            raise
        return str(sent.id)

    async def edit(self, place: Place, message_id: str, reply: Reply) -> bool:
        """True when the message now shows the reply; False when it is gone (a new one should be posted)."""
        channel = self.client.get_partial_messageable(int(place.channel))
        try:
            await channel.get_partial_message(int(message_id)).edit(allowed_mentions=NO_MENTIONS, **render.edit(reply))
        except (discord.NotFound, discord.Forbidden):
            return False
        return True
