"""Posting and editing channel messages through the Web API (the Sender the chat runtime delivers with)."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.chat.runtime import CannotPost
from adapters.slack.render import message
from bot.conversation import Place
from bot.reply import Reply

# the channel exists but the bot may not post there: the user is told how to invite it
CANNOT_POST = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action", "ekm_access_denied"}
GONE = {"message_not_found", "cant_update_message", "edit_window_closed"}


class SlackSender:
    """Channel-visible replies as chat.postMessage and chat.update calls of one workspace's client."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def post(self, place: Place, reply: Reply) -> str | None:
        """Post the reply; its message timestamp."""
        try:
            response = await self.client.chat_postMessage(channel=place.channel, **message(reply))
        except SlackApiError as error:
            if error.response.get("error") in CANNOT_POST:
                raise CannotPost(str(error.response.get("error"))) from error
            raise
        ts = response.get("ts")
        return str(ts) if ts else None

    async def edit(self, place: Place, message_id: str, reply: Reply) -> bool:
        """Edit the message in place; False when Slack no longer has it."""
        try:
            await self.client.chat_update(channel=place.channel, ts=message_id, **message(reply))
        except SlackApiError as error:
            if error.response.get("error") in GONE:
                return False
            raise
        return True
