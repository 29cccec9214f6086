"""The slack-bolt app: Slack's commands, clicks, dialogs and events become conversation calls.

Listeners only translate. A slash command is answered in its acknowledgement when the conversation
replies within the ack budget (most do, in a millisecond); otherwise it is acknowledged at once and
answered through its response_url. Work after an acknowledgement runs inside ``runtime.guarded``,
so a failure reaches the user as a private line with a reference id, never as a lost ack.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
import time
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.chat.delivery import first_failure, pack_state, unpack_state, without_share
from adapters.chat.metrics import timed, timer
from adapters.chat.runtime import CannotPost, ChatRuntime, Sender
from adapters.slack.render import action_id_of, form_view, home_view, message, result_view
from adapters.slack.sender import SlackSender
from bot.conversation import Place, User
from bot.forms import FORMS
from bot.platform import cannot_post_here
from bot.reply import Reply

log = logging.getLogger(__name__)
ACK_WITHIN = 2.0  # Slack waits 3 s for an acknowledgement; answer in it when the reply is ready by then
PROFILE_SECONDS = 300  # how long a user's name and admin flag are trusted
ACTIONS = re.compile(r"^statusbot\.")
CHECK_MESSAGE = "statusbot.check_message"
_LINK = re.compile(r"<([^<>|]+)\|([^<>]*)>")
_BARE = re.compile(r"<([^<>|]+)>")
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")

Tell = Callable[[Reply], Awaitable[object]]


def incoming(text: str) -> str:
    """Slack's message markup as the plain text the user typed: links unwrapped, entities decoded."""
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _BARE.sub(lambda m: m.group(1), text)
    return html.unescape(text)


class Profiles:
    """Users' display names and whether they administer the workspace, from users.info, briefly cached."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], tuple[float, str, bool]] = {}

    async def get(self, client: AsyncWebClient, team: str, user_id: str, hint: str = "") -> tuple[str, bool]:
        """(display name, is admin or owner); the hint and no rights when Slack can't say."""
        cached = self._seen.get((team, user_id))
        if cached and time.monotonic() - cached[0] < PROFILE_SECONDS:
            return cached[1], cached[2]
        name, admin = hint or user_id, False
        try:
            user = (await client.users_info(user=user_id)).get("user") or {}
            profile = user.get("profile") or {}
            name = profile.get("display_name") or profile.get("real_name") or user.get("name") or name
            admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        except Exception:
            log.warning("users.info failed for %s; using %r without admin rights", user_id, name, exc_info=True)
        self._seen[(team, user_id)] = (time.monotonic(), name, admin)
        return name, admin


class SlackBot:
    """Registers the listeners on a bolt app and delivers the conversation's replies in Slack."""

    def __init__(self, app: AsyncApp, runtime: ChatRuntime) -> None:
        self.app = app
        self.runtime = runtime
        self.platform = runtime.conversation.platform
        self.profiles = Profiles()
        self.bot_user_ids: set[str] = set()
        app.command("/status")(self.on_command)
        app.command("/quiz")(self.on_command)
        app.action(ACTIONS)(self.on_action)
        app.view(re.compile(r"^statusbot\."))(self.on_form)
        app.shortcut(CHECK_MESSAGE)(self.on_check_message)
        app.event("app_mention")(self.on_mention)
        app.event("message")(self.on_message)
        app.event("app_home_opened")(self.on_home)
        app.error(self.on_error)

    # -- delivery --------------------------------------------------------------------
    async def deliver(self, replies: list[Reply], place: Place, sender: Sender, tell: Tell) -> bool:
        """Private replies to the user, the rest to the channel (keyed ones edited in place); False when
        the bot may not post in the channel, which the user is told with how to invite it. A reply the
        channel could not be shown is said to the user once, with its reference."""
        missed: list[Reply] = []
        for reply in replies:
            if reply.private:
                await tell(reply)
                continue
            try:
                missed += await self.runtime.publish(place, [reply], sender)
            except CannotPost:
                if not reply.key:  # an answer (not a quiz message the bot must edit later) still reaches the asker
                    await tell(reply._replace(private=True, replace=False))
                await tell(cannot_post_here(self.platform))
                return False
        for line in first_failure(missed):
            await tell(line)
        return True

    @staticmethod
    def responder(respond: Any) -> Tell:
        """Private replies through an interaction's response_url (``replace`` edits the clicked message)."""

        async def tell(reply: Reply) -> None:
            if reply.replace:
                await respond(**message(reply), replace_original=True)
            else:
                await respond(**message(reply), response_type="ephemeral", replace_original=False)

        return tell

    @staticmethod
    def ephemeral(client: AsyncWebClient, channel: str, user_id: str) -> Tell:
        """Private replies to an event: a DM is private already; in a channel, only the user sees them."""

        async def tell(reply: Reply) -> None:
            if channel.startswith("D"):  # the DM is the asker's own: a "Share in channel" button would post it again
                await client.chat_postMessage(channel=channel, **message(without_share(reply)))
            else:
                await client.chat_postEphemeral(channel=channel, user=user_id, **message(reply))

        return tell

    # -- slash commands -----------------------------------------------------------------
    @timed("slack", "command")
    async def on_command(self, ack: Any, body: dict[str, Any], context: Any) -> None:
        """/status and /quiz: answered in the acknowledgement when ready in time, else through response_url."""
        # respond and client come from the context only when needed: most commands are answered in the ack
        name = str(body.get("command", "/status")).lstrip("/")
        text = incoming(str(body.get("text") or ""))
        team, channel, user_id = str(body.get("team_id", "")), str(body.get("channel_id", "")), str(body["user_id"])
        hint = str(body.get("user_name") or user_id)
        where = str(body.get("channel_name") or "")
        # a plain lookup is ready at once (no database, no scenario engine): the acknowledgement carries it
        ready = self.runtime.instant(name, text, User(user_id, hint), Place(team, channel))
        if ready is not None:
            await self._acknowledge(ack, ready, name, Place(team, channel), User(user_id, hint), context)
            return
        form = self.runtime.conversation.form_for(name, text)
        if form is not None:
            await ack()
            view = form_view(form, metadata=pack_state(channel))
            opened = context.client.views_open(trigger_id=body["trigger_id"], view=view)
            await self.runtime.guarded(opened, self.responder(context.respond))
            return
        moderator = False
        if self.runtime.conversation.needs_moderator(name, text):
            hint, moderator = await self.profiles.get(context.client, team, user_id, hint)
        place, user = Place(team, channel, moderator, where), User(user_id, hint)
        # the thread pool answers; the acknowledgement carries the answer when it is ready in time
        work = asyncio.ensure_future(
            self.runtime.replies(partial(self.runtime.conversation.on_command, name, text, user, place))
        )
        done, _ = await asyncio.wait({work}, timeout=ACK_WITHIN)
        if done:
            await self._acknowledge(ack, work.result(), name, place, user, context)
            return
        await ack()
        await self._acknowledge(None, await work, name, place, user, context)

    async def _acknowledge(
        self, ack: Any, replies: list[Reply], name: str, place: Place, user: User, context: Any
    ) -> None:
        """The first private reply in the acknowledgement (when there still is one to give), the rest after it."""
        rest = replies
        if ack is not None:
            if replies and replies[0].private and not replies[0].replace:
                await ack(**message(replies[0]), response_type="ephemeral")
                rest = replies[1:]
            else:
                await ack()
        if rest:
            tell = self.responder(context.respond)
            await self.runtime.guarded(self._after_command(name, rest, place, user, context.client, tell), tell)

    async def _after_command(
        self, name: str, replies: list[Reply], place: Place, user: User, client: AsyncWebClient, tell: Tell
    ) -> None:
        shown = await self.deliver(replies, place, SlackSender(client), tell)
        if not shown and name == "quiz":
            # a game nobody can see must not run: end it as its starter (nothing was scored)
            await self.runtime.command("quiz", "stop", user, place)

    # -- buttons, dialogs, shortcuts -------------------------------------------------------
    @timed("slack", "button")
    async def on_action(self, ack: Any, body: dict[str, Any], respond: Any, client: AsyncWebClient) -> None:
        """A button: the conversation decides; private answers go back through response_url."""
        await ack()
        action = (body.get("actions") or [{}])[0]
        user = body.get("user") or {}
        user_id = str(user.get("id", ""))
        team = str((body.get("team") or {}).get("id") or user.get("team_id") or "")
        channel = str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or "")
        tell = self.responder(respond)
        action_id, value = action_id_of(str(action.get("action_id", ""))), str(action.get("value", ""))
        form = self.runtime.conversation.form_for_action(action_id, value)
        if form is not None:  # a box to type into ("Another code…"), opened before the trigger expires (3 s)
            # its state comes back in the metadata
            view = form_view(form[0], metadata=pack_state(channel, state=form[1]))
            await self.runtime.guarded(client.views_open(trigger_id=body["trigger_id"], view=view), tell)
            return
        # the same name for a player whether they click, type or use a command: users.info's, cached
        hint, _ = await self.profiles.get(
            client, team, user_id, str(user.get("name") or user.get("username") or user_id)
        )
        place = Place(team, channel)
        replies = await self.runtime.action(action_id, value, User(user_id, hint), place)
        await self.runtime.guarded(self.deliver(replies, place, SlackSender(client), tell), tell)

    @timed("slack", "form")
    async def on_form(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        """A submitted dialog: the answer replaces the dialog's content."""
        form = FORMS.get(str(view.get("callback_id", "")))
        values = (view.get("state") or {}).get("values") or {}
        text = str(((values.get("form") or {}).get("text") or {}).get("value") or "")
        user = body.get("user") or {}
        user_id = str(user.get("id", ""))
        # the metadata is the channel, and after a "|" the state the form was opened with
        (channel,), state = unpack_state(str(view.get("private_metadata") or ""), 1)
        place = Place(str(user.get("team_id") or (body.get("team") or {}).get("id") or ""), channel)
        if form is None:
            await ack()
            return
        call = self.runtime.form(form.id, text, User(user_id, str(user.get("name") or user_id)), place, state)
        replies = await asyncio.wait_for(call, timeout=ACK_WITHIN)
        await ack(response_action="update", view=result_view(form, replies))

    @timed("slack", "shortcut")
    async def on_check_message(self, ack: Any, body: dict[str, Any], respond: Any, client: AsyncWebClient) -> None:
        """The "Check this response" message shortcut: reviews the message's text, privately."""
        await ack()
        text = incoming(str((body.get("message") or {}).get("text") or ""))
        user = body.get("user") or {}
        user_id = str(user.get("id", ""))
        place = Place(str((body.get("team") or {}).get("id") or ""), str((body.get("channel") or {}).get("id") or ""))
        tell = self.responder(respond)
        hint = str(user.get("name") or user.get("username") or user_id)
        replies = await self.runtime.command(
            "status", f"check\n{text}" if text.strip() else "check", User(user_id, hint), place
        )
        await self.runtime.guarded(self.deliver(replies, place, SlackSender(client), tell), tell)

    # -- events ---------------------------------------------------------------------------
    @timed("slack", "mention")
    async def on_mention(self, event: dict[str, Any], client: AsyncWebClient, context: Any) -> None:
        """@statusbot in a channel: the same grammar as /status, answered to the one who asked."""
        text = incoming(_MENTION.sub(" ", str(event.get("text") or ""))).strip()
        await self._on_text(text, event, client, context)

    async def on_message(self, event: dict[str, Any], client: AsyncWebClient, context: Any) -> None:
        """A direct message is a question; a channel message during a typed game is an answer."""
        if event.get("subtype") or event.get("bot_id") or not event.get("user"):
            return  # edits, joins and bots' messages (our own included) are not for us
        with timer("slack", "message"):  # timed only past the filter: not every bot post and edit
            await self._on_message(event, client, context)

    async def _on_message(self, event: dict[str, Any], client: AsyncWebClient, context: Any) -> None:
        raw = str(event.get("text") or "")
        if event.get("channel_type") == "im":
            await self._on_text(incoming(raw).strip(), event, client, context)
            return
        if _MENTION.search(raw) and context.get("bot_user_id") and f"<@{context['bot_user_id']}" in raw:
            return  # the app_mention event answers it
        channel, user_id = str(event.get("channel", "")), str(event["user"])
        team = str(event.get("team") or context.get("team_id") or "")
        tell = self.ephemeral(client, channel, user_id)

        async def answer() -> None:
            name, _ = await self.profiles.get(client, team, user_id)
            place = Place(team, channel)
            replies = await self.runtime.message(incoming(raw), User(user_id, name), place)
            await self.deliver(replies, place, SlackSender(client), tell)

        await self.runtime.guarded(answer(), tell)

    async def _on_text(self, text: str, event: dict[str, Any], client: AsyncWebClient, context: Any) -> None:
        channel, user_id = str(event.get("channel", "")), str(event.get("user", ""))
        team = str(event.get("team") or context.get("team_id") or "")
        tell = self.ephemeral(client, channel, user_id)

        async def answer() -> None:
            name, admin = await self.profiles.get(client, team, user_id)
            place = Place(team, channel, admin)
            replies = await self.runtime.text(text, User(user_id, name), place)
            await self.deliver(replies, place, SlackSender(client), tell)

        await self.runtime.guarded(answer(), tell)

    @timed("slack", "home")
    async def on_home(self, event: dict[str, Any], client: AsyncWebClient, context: Any) -> None:
        """The App Home tab: help and the workspace leaderboard."""
        if event.get("tab", "home") != "home":
            return
        place = Place(str(context.get("team_id") or event.get("team") or ""), "home")
        replies = await self.runtime.replies(lambda: self.runtime.conversation.home(place))
        await client.views_publish(user_id=str(event.get("user", "")), view=home_view(replies))

    async def on_error(self, error: Exception, body: dict[str, Any]) -> None:
        """Errors bolt caught in a listener: logged (users were told by the guarded work)."""
        log.error("listener failed: %s", error, exc_info=error)
