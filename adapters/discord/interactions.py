"""Answering Discord interactions: in time, and each Reply where it belongs.

Every interaction gets exactly one first response within Discord's 3 seconds: the conversation is
given ``patience`` seconds, after which the interaction is deferred and answered by follow-ups.
Then private replies go to the user alone (ephemeral), a ``replace`` reply edits the clicked message,
and channel-visible ones go through the shared runtime's ``publish`` (keyed ones edit in place).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from adapters.chat.delivery import first_failure, pack_state, unpack_state, without_share
from adapters.chat.metrics import timer
from adapters.chat.runtime import CannotPost, ChatRuntime, tell_failure
from adapters.discord import render
from adapters.discord.sender import NO_MENTIONS, ChannelSender
from bot.conversation import Place, User
from bot.forms import FORMS, Form
from bot.grammar import parse
from bot.platform import Platform, cannot_post_here
from bot.reply import Reply

log = logging.getLogger(__name__)
Interaction = discord.Interaction[Any]
MODAL_TITLE_LIMIT = 45
PLACEHOLDER_LIMIT = 100
MODAL_KEPT = 900.0  # seconds discord.py keeps a sent box (a dismissed one never reports back)
LABEL_LIMIT = 45
TEXT_INPUT = 4
# the latency histogram's names for interactions, the same as Slack's
KINDS = {
    discord.InteractionType.application_command: "command",
    discord.InteractionType.component: "button",
    discord.InteractionType.modal_submit: "form",
}


def place_of(interaction: Interaction) -> Place:
    """The guild (or "dm"), the channel, and whether Discord says the user moderates there."""
    permissions = interaction.permissions
    moderator = interaction.guild_id is not None and (permissions.manage_messages or permissions.manage_guild)
    workspace = str(interaction.guild_id) if interaction.guild_id else "dm"
    name = str(getattr(interaction.channel, "name", "") or "")
    return Place(workspace, str(interaction.channel_id or "dm"), moderator, name)


def names_bot(content: str, bot_id: int) -> bool:
    """Whether a message's text mentions the bot (a reply to the bot's message lists it among the mentions
    without naming it: that is chatter or a typed answer, not a question)."""
    return re.search(rf"<@!?{bot_id}>", content) is not None


def user_of(interaction: Interaction) -> User:
    """The user's id and display name (a name to show, never a mention)."""
    return User(str(interaction.user.id), interaction.user.display_name)


class Exchange:
    """One interaction's responses: the first one exactly once, then follow-ups."""

    def __init__(self, interaction: Interaction) -> None:
        self.interaction = interaction
        self.clicked = interaction.type is discord.InteractionType.component
        self.placeholder = False  # a "thinking…" message that the next private reply fills

    @property
    def responded(self) -> bool:
        return self.interaction.response.is_done()

    async def defer(self) -> None:
        """Acknowledge now, answer later: silently for a click, "thinking" (private) otherwise."""
        if self.responded:
            return
        if self.clicked:
            await self.interaction.response.defer()
        else:
            await self.interaction.response.defer(ephemeral=True, thinking=True)
            self.placeholder = True

    async def replace(self, reply: Reply) -> None:
        """Show the reply in place of the message whose button was clicked."""
        if self.responded:
            await self.interaction.edit_original_response(allowed_mentions=NO_MENTIONS, **render.edit(reply))
        else:
            await self.interaction.response.edit_message(allowed_mentions=NO_MENTIONS, **render.edit(reply))

    async def private(self, reply: Reply) -> None:
        """Show the reply to this user alone."""
        if not self.responded:
            await self.interaction.response.send_message(
                ephemeral=True, allowed_mentions=NO_MENTIONS, **render.message(reply)
            )
            return
        await self.interaction.followup.send(ephemeral=True, allowed_mentions=NO_MENTIONS, **render.message(reply))
        self.placeholder = False

    async def finish(self) -> None:
        """Remove a "thinking" message that no private reply came to fill (the answer went to the channel)."""
        if self.placeholder:
            self.placeholder = False
            await self.interaction.delete_original_response()

    def on_public_message(self) -> bool:
        """Whether the clicked message is one a server channel sees (a private reply must not replace it)."""
        message = self.interaction.message
        return self.interaction.guild_id is not None and message is not None and not message.flags.ephemeral

    def may_post(self) -> bool:
        """Whether the bot itself can post in this channel: installed in this server (or in its own DM with
        the user) and allowed to send embeds here. Otherwise Discord would refuse the post."""
        interaction = self.interaction
        if interaction.guild_id is None:
            return interaction.context.dm_channel
        allowed = interaction.app_permissions
        return interaction.is_guild_integration() and allowed.send_messages and allowed.embed_links


class FollowupSender:
    """Channel-visible replies as public follow-ups of the interaction, where the bot cannot post itself
    (a user install in a server or DM without the bot); they can be edited for the token's 15 minutes."""

    def __init__(self, exchange: Exchange) -> None:
        self.exchange = exchange

    async def post(self, place: Place, reply: Reply) -> str | None:
        await self.exchange.finish()  # a "thinking" placeholder is private: the public reply must not fill it
        sent = await self.exchange.interaction.followup.send(
            wait=True, allowed_mentions=NO_MENTIONS, **render.message(reply)
        )
        return str(sent.id)

    async def edit(self, place: Place, message_id: str, reply: Reply) -> bool:
        try:
            await self.exchange.interaction.followup.edit_message(
                int(message_id), allowed_mentions=NO_MENTIONS, **render.edit(reply)
            )
        except discord.NotFound:
            return False
        return True


class Handler:
    """Turns interactions and typed answers into conversation calls and delivers the replies."""

    def __init__(self, runtime: ChatRuntime, platform: Platform, client: discord.Client, *, patience: float = 1.5):
        self.runtime = runtime
        self.platform = platform
        self.client = client
        self.patience = patience  # seconds the conversation may take before the interaction is deferred

    # -- events ------------------------------------------------------------------------------
    async def status(self, interaction: Interaction, query: str) -> None:
        """``/status query:…``; ``check`` with nothing to check opens a box to paste into."""
        form = self.runtime.conversation.form_for("status", query)
        if form is not None:  # known at once: the dialog is the interaction's first response
            box = FormModal(form, pack_state(form.id, str(interaction.id)))
            await self._guarded(interaction, interaction.response.send_modal(box))
            return
        await self.command(interaction, "status", query)

    async def command(self, interaction: Interaction, command: str, text: str) -> None:
        """A slash command with its text, in the console's grammar."""
        user, place = user_of(interaction), place_of(interaction)
        if command == "quiz" and parse(f"/quiz {text}").action == "start" and not Exchange(interaction).may_post():
            # a game nobody could see would hold the channel until it timed out: say why instead

            async def refuse() -> list[Reply]:
                return [cannot_post_here(self.platform)]

            await self.answer(interaction, refuse, place)
            return
        await self.answer(interaction, lambda: self.runtime.command(command, text, user, place), place)

    async def button(self, interaction: Interaction, action_id: str, value: str) -> None:
        """A click on one of our buttons; one that opens a box ("Another code…") gets the box as its response."""
        form = self.runtime.conversation.form_for_action(action_id, value)
        if form is not None:  # the state rides in the box's custom_id, for whichever process receives it
            box = FormModal(form[0], pack_state(form[0].id, str(interaction.id), state=form[1]))
            await self._guarded(interaction, interaction.response.send_modal(box))
            return
        user, place = user_of(interaction), place_of(interaction)
        await self.answer(interaction, lambda: self.runtime.action(action_id, value, user, place), place)

    async def typed(self, message: discord.Message) -> None:
        """A guild channel message: a typed quiz answer, or nothing. Only the channel can see the outcome."""
        if message.author.bot or message.guild is None or message.webhook_id or not message.content:
            return
        place = Place(str(message.guild.id), str(message.channel.id))
        user = User(str(message.author.id), message.author.display_name)
        await self._post(place, self.runtime.message(message.content, user, place))

    async def direct(self, message: discord.Message) -> None:
        """A direct message to the bot: the same grammar without the slash, answered in the DM (which is
        private already, so private replies are posted there too)."""
        if message.author.bot or message.guild is not None or not message.content.strip():
            return
        place = Place("dm", str(message.channel.id))
        user = User(str(message.author.id), message.author.display_name)
        await self._post(place, self.runtime.text(message.content, user, place), everything=True)

    async def mentioned(self, message: discord.Message, bot_id: int) -> None:
        """@statusbot in a server channel: the same grammar without the slash, answered in the channel (a
        message, unlike a slash command, has no private reply)."""
        text = re.sub(rf"<@!?{bot_id}>", " ", message.content).strip()
        if message.author.bot or message.guild is None or not text:
            return
        moderator = False  # as for a slash command: Manage Messages or Manage Server in this channel
        if isinstance(message.author, discord.Member) and not isinstance(message.channel, discord.abc.PrivateChannel):
            permissions = message.channel.permissions_for(message.author)
            moderator = permissions.manage_messages or permissions.manage_guild
        name = str(getattr(message.channel, "name", "") or "")
        place = Place(str(message.guild.id), str(message.channel.id), moderator, name)
        user = User(str(message.author.id), message.author.display_name)
        shown = await self._post(place, self.runtime.text(text, user, place), everything=True)
        if not shown and parse(text).command == "quiz" and parse(text).action == "start":
            # a game nobody can see would hold the channel until it timed out: end it as its starter
            await self.runtime.command("quiz", "stop", user, place)

    async def _post(self, place: Place, work: Awaitable[list[Reply]], *, everything: bool = False) -> bool:
        """No interaction to answer privately: what the channel may see is posted, failures are logged. False when
        Discord refused the bot the channel."""
        try:
            with timer("discord", "message"):
                replies = await work
                # all of it in the channel (or the DM) already: a "Share in channel" button would only repeat it
                shown = [_shown(reply) for reply in replies] if everything else replies
                await self.runtime.publish(place, shown, ChannelSender(self.client))
        except CannotPost:
            log.warning("may not post in channel %s; the answer to a message there is dropped", place.channel)
            return False
        except Exception:
            log.exception("answering a message in channel %s failed", place.channel)
        return True

    async def command_error(self, interaction: Interaction, error: Exception) -> None:
        """The command tree's (and the modal's) last resort: a private line with a reference, never a traceback."""
        try:
            raise error
        except Exception:  # re-raised only so that the log line carries its traceback
            await tell_failure(lambda reply: self._tell(Exchange(interaction), reply), "an interaction failed", log)

    # -- answering ---------------------------------------------------------------------------
    async def answer(self, interaction: Interaction, work: Callable[[], Awaitable[list[Reply]]], place: Place) -> None:
        """Run the conversation call, acknowledge in time and deliver every reply; failures become a private line."""
        exchange = Exchange(interaction)

        async def run() -> None:
            replies = await self._in_time(exchange, work())
            await self.deliver(exchange, replies, place)

        with timer("discord", KINDS.get(interaction.type, "command")):
            await self.runtime.guarded(run(), lambda reply: self._tell(exchange, reply))

    async def _in_time(self, exchange: Exchange, work: Awaitable[list[Reply]]) -> list[Reply]:
        task = asyncio.ensure_future(work)
        try:
            return await asyncio.wait_for(asyncio.shield(task), self.patience)
        except TimeoutError:
            await exchange.defer()
            return await task

    async def deliver(self, exchange: Exchange, replies: list[Reply], place: Place) -> None:
        """First the interaction's own response, then the channel, then the private follow-ups."""
        replacement = next((r for r in replies if exchange.clicked and r.replace), None)
        if replacement is not None and replacement.private and exchange.on_public_message():
            replacement = None  # asked by a mention, answered in the channel: what follows is for the clicker alone
        private = [r for r in replies if r.private and r is not replacement]
        public = [r for r in replies if not r.private and r is not replacement]
        if replacement is not None:
            await exchange.replace(replacement)
        elif private and not exchange.responded:
            await exchange.private(private.pop(0))
        else:
            await exchange.defer()
        try:
            if public and exchange.may_post():
                private += first_failure(await self.runtime.publish(place, public, ChannelSender(self.client)))
            elif public and not any(reply.key for reply in public):
                private += first_failure(await self.runtime.publish(place, public, FollowupSender(exchange)))
            elif public:  # keyed messages (a quiz) are edited later by the clock, which only the bot itself can do
                raise CannotPost(f"channel {place.channel}")
        except CannotPost:
            private.append(cannot_post_here(self.platform))
        for reply in private:
            await exchange.private(reply)
        await exchange.finish()

    async def submitted(self, interaction: Interaction) -> None:
        """A dialog sent back, by whichever process receives it (the one that opened it may have restarted)."""
        data: dict[str, Any] = dict(interaction.data or {})
        # <form id>|<interaction id that opened it>|<state>
        (form_id, _), state = unpack_state(str(data.get("custom_id")), 2)
        if interaction.type is discord.InteractionType.modal_submit and form_id in FORMS:
            text = _typed_text(data.get("components") or [])
            user, place = user_of(interaction), place_of(interaction)
            await self.answer(interaction, lambda: self.runtime.form(form_id, text, user, place, state), place)

    async def _guarded(self, interaction: Interaction, work: Awaitable[object]) -> None:
        await self.runtime.guarded(work, lambda reply: self._tell(Exchange(interaction), reply))

    @staticmethod
    async def _tell(exchange: Exchange, reply: Reply) -> None:
        await exchange.private(reply)
        await exchange.finish()


def _shown(reply: Reply) -> Reply:
    """A reply posted where the asker's channel sees it, without the button that would share it again."""
    return without_share(reply._replace(private=False))


def _typed_text(components: list[Any]) -> str:
    """What was typed into a submitted modal's text inputs (in rows, or in labels), joined."""
    found: list[str] = []
    for component in components:
        if component.get("type") == TEXT_INPUT:
            found.append(str(component.get("value") or ""))
        inner = [component["component"]] if isinstance(component.get("component"), dict) else []
        found.append(_typed_text([*(component.get("components") or []), *inner]))
    return "\n".join(text for text in found if text)


class FormModal(discord.ui.Modal):
    """A form (bot/forms.py) as a dialog with one paragraph box, for pasting a response head or a log excerpt.

    Its submission is answered by :meth:`Handler.submitted` from the raw interaction, not by this object, so a
    dialog opened before a restart still works; this object only draws it."""

    def __init__(self, form: Form, custom_id: str) -> None:
        # one id per opened dialog: discord.py keeps sent modals by id until they time out
        super().__init__(title=form.title[:MODAL_TITLE_LIMIT], custom_id=custom_id, timeout=MODAL_KEPT)
        self.add_item(
            discord.ui.TextInput(
                label=form.label[:LABEL_LIMIT],
                style=discord.TextStyle.paragraph if form.multiline else discord.TextStyle.short,
                placeholder=form.placeholder[:PLACEHOLDER_LIMIT],
                max_length=4000,
            )
        )

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        return False  # answered by Handler.submitted, once, from whichever process receives it
