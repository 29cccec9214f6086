"""Build the requests Slack sends to an app, sign them, and post them over real HTTP.

Two shapes of every payload: ``*_payload()`` returns the dict that Socket Mode puts in an envelope's
``payload`` (``slash_commands``: the form fields as strings; ``interactive``: the JSON payload; ``events_api``:
the ``event_callback`` envelope), and the function without the suffix returns the HTTP body bytes.

The sync ``post`` blocks its thread: never call it from the event loop that runs an ``AsyncApp`` (the app could
not answer); use ``post_async`` there.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import inspect
import itertools
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, Protocol

import aiohttp

# Connection refused at once: a handler that respond()s without a test-provided URL fails fast and offline.
UNSET_RESPONSE_URL = "http://127.0.0.1:9/unset-response-url"
DEPRECATED_TOKEN = "fake-verification-token"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

_counter = itertools.count(1)
P = ParamSpec("P")


class _HasToDict(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


def trigger_id() -> str:
    """A unique trigger id shaped like Slack's (``<digits>.<digits>.<hex>``)."""
    return f"{next(_counter)}.{int(time.time())}.{uuid.uuid4().hex}"


def _body_of(
    build: Callable[P, Mapping[str, Any]], encode: Callable[[Mapping[str, Any]], bytes], doc: str
) -> Callable[P, bytes]:
    """``build``'s signature, returning the encoded HTTP body instead of the payload dict."""

    @functools.wraps(build)
    def body(*args: P.args, **kwargs: P.kwargs) -> bytes:
        return encode(build(*args, **kwargs))

    body.__doc__ = f"{doc} Arguments as for ``{build.__name__}``."
    body.__name__ = body.__qualname__ = build.__name__.removesuffix("_payload")
    body.__signature__ = inspect.signature(build).replace(return_annotation=bytes)  # type: ignore[attr-defined]
    return body


def _action_ts() -> str:
    return f"{time.time():.6f}"


def sign(secret: str, body: bytes, timestamp: int | None = None, *, content_type: str | None = None) -> dict[str, str]:
    """Slack's v0 request signature headers for ``body`` (Content-Type guessed from the body unless given)."""
    ts = int(time.time()) if timestamp is None else timestamp
    base = b"v0:" + str(ts).encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if content_type is None:
        content_type = JSON if body.lstrip().startswith(b"{") else FORM
    return {
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": content_type,
    }


# -- slash commands ------------------------------------------------------------------------------------------------


def slash_command_payload(
    command: str,
    text: str,
    *,
    user_id: str = "U1",
    user_name: str = "ada",
    team_id: str = "T1",
    team_domain: str = "fake",
    channel_id: str = "C1",
    channel_name: str = "general",
    api_app_id: str = "A1",
    response_url: str = UNSET_RESPONSE_URL,
    trigger: str | None = None,
) -> dict[str, str]:
    """The fields of a slash command invocation, all strings as Slack sends them."""
    return {
        "token": DEPRECATED_TOKEN,
        "team_id": team_id,
        "team_domain": team_domain,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger or trigger_id(),
    }


def _urlencoded(fields: Mapping[str, Any]) -> bytes:
    return urllib.parse.urlencode(fields).encode()


slash_command = _body_of(slash_command_payload, _urlencoded, "Form-encoded body of a slash command.")


# -- interactivity -------------------------------------------------------------------------------------------------


def _message_dict(message: Mapping[str, Any] | _HasToDict | None) -> dict[str, Any] | None:
    if message is None:
        return None
    if isinstance(message, Mapping):
        return dict(message)
    return message.to_dict()


def _find_element(blocks: Any, action_id: str) -> tuple[str | None, dict[str, Any] | None]:
    """The block_id and element carrying ``action_id`` in a message's blocks, if present."""
    for block in blocks or []:
        candidates = list(block.get("elements", [])) if block.get("type") == "actions" else []
        if isinstance(block.get("accessory"), dict):
            candidates.append(block["accessory"])
        for element in candidates:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return block.get("block_id"), element
    return None, None


def _action(action_id: str, value: str, block_id: str, element: dict[str, Any] | None) -> dict[str, Any]:
    """One entry of ``actions``: buttons carry ``value``, selects and overflows ``selected_option``."""
    kind = (element or {}).get("type", "button")
    action: dict[str, Any] = {"type": kind, "action_id": action_id, "block_id": block_id, "action_ts": _action_ts()}
    if kind == "button":
        action["value"] = value
        action["text"] = (element or {}).get("text", {"type": "plain_text", "text": value, "emoji": True})
        if element and "style" in element:
            action["style"] = element["style"]
    elif kind in ("static_select", "overflow", "radio_buttons"):
        options = [o for o in (element or {}).get("options", []) if o.get("value") == value]
        action["selected_option"] = (
            options[0] if options else {"text": {"type": "plain_text", "text": value}, "value": value}
        )
    else:
        action["value"] = value
    return action


def block_action_payload(
    action_id: str,
    value: str,
    *,
    user_id: str = "U1",
    user_name: str = "ada",
    team_id: str = "T1",
    channel_id: str = "C1",
    channel_name: str = "general",
    message: Mapping[str, Any] | _HasToDict | None = None,
    response_url: str = UNSET_RESPONSE_URL,
    container_is_ephemeral: bool = False,
    block_id: str | None = None,
    api_app_id: str = "A1",
) -> dict[str, Any]:
    """A ``block_actions`` payload for a click on ``action_id`` in ``message`` (dict with ts/text/blocks).

    The element's type, text and block_id are taken from the message's blocks when it carries ``action_id``.
    Ephemeral containers get no ``message`` field, as on Slack.
    """
    msg = _message_dict(message) or {"type": "message", "ts": "1700000000.000100", "text": "", "blocks": []}
    msg.setdefault("type", "message")
    found_block_id, element = _find_element(msg.get("blocks"), action_id)
    block = block_id or found_block_id or uuid.uuid4().hex[:5]
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": api_app_id,
        "token": DEPRECATED_TOKEN,
        "container": {
            "type": "message",
            "message_ts": msg["ts"],
            "channel_id": channel_id,
            "is_ephemeral": container_is_ephemeral,
        },
        "trigger_id": trigger_id(),
        "team": {"id": team_id, "domain": "fake"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": channel_name},
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [_action(action_id, value, block, element)],
    }
    if not container_is_ephemeral:
        payload["message"] = msg
    return payload


def _form_payload(payload: Mapping[str, Any]) -> bytes:
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()


block_action = _body_of(block_action_payload, _form_payload, "Form body ``payload=<json>`` of a block action.")


def _state_values(values: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Slack's ``state.values``; a plain string leaf is shorthand for a plain_text_input's value."""
    out: dict[str, dict[str, Any]] = {}
    for block_id, actions in values.items():
        out[block_id] = {
            action_id: {"type": "plain_text_input", "value": v} if isinstance(v, str) or v is None else dict(v)
            for action_id, v in actions.items()
        }
    return out


def view_submission_payload(
    callback_id: str,
    values: Mapping[str, Mapping[str, Any]],
    *,
    user_id: str = "U1",
    user_name: str = "ada",
    team_id: str = "T1",
    private_metadata: str = "",
    view: Mapping[str, Any] | None = None,
    api_app_id: str = "A1",
) -> dict[str, Any]:
    """A ``view_submission`` payload; ``values`` is ``{block_id: {action_id: "text" | state dict}}``.

    ``view`` (e.g. the one the fake recorded from views.open) supplies id, title, blocks and so on.
    """
    base = dict(view or {})
    view_id = base.get("id") or f"V{next(_counter):08d}"
    submitted = {
        "id": view_id,
        "team_id": team_id,
        "type": "modal",
        "title": base.get("title", {"type": "plain_text", "text": "Modal"}),
        "blocks": base.get("blocks", []),
        "close": base.get("close"),
        "submit": base.get("submit", {"type": "plain_text", "text": "Submit"}),
        "private_metadata": private_metadata or base.get("private_metadata", ""),
        "callback_id": callback_id,
        "state": {"values": _state_values(values)},
        "hash": base.get("hash", f"{int(time.time())}.{uuid.uuid4().hex[:8]}"),
        "clear_on_close": base.get("clear_on_close", False),
        "notify_on_close": base.get("notify_on_close", False),
        "root_view_id": base.get("root_view_id", view_id),
        "previous_view_id": base.get("previous_view_id"),
        "app_id": api_app_id,
        "external_id": base.get("external_id", ""),
        "app_installed_team_id": team_id,
        "bot_id": base.get("bot_id", "B0BOT"),
    }
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "fake"},
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": api_app_id,
        "token": DEPRECATED_TOKEN,
        "trigger_id": trigger_id(),
        "view": submitted,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


view_submission = _body_of(view_submission_payload, _form_payload, "Form body of a view submission.")


def message_shortcut_payload(
    callback_id: str,
    message_text: str,
    *,
    user_id: str = "U1",
    user_name: str = "ada",
    team_id: str = "T1",
    channel_id: str = "C1",
    channel_name: str = "general",
    response_url: str = UNSET_RESPONSE_URL,
    message_ts: str = "1700000000.000100",
    message_user: str = "U2",
) -> dict[str, Any]:
    """A ``message_action`` payload: the message shortcut ``callback_id`` used on a message by ``message_user``."""
    return {
        "type": "message_action",
        "token": DEPRECATED_TOKEN,
        "action_ts": _action_ts(),
        "team": {"id": team_id, "domain": "fake"},
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "channel": {"id": channel_id, "name": channel_name},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id(),
        "response_url": response_url,
        "message_ts": message_ts,
        "message": {"type": "message", "user": message_user, "ts": message_ts, "text": message_text},
    }


message_shortcut = _body_of(message_shortcut_payload, _form_payload, "Form body of a message shortcut.")


# -- Events API ----------------------------------------------------------------------------------------------------


def event_payload(
    event_dict: Mapping[str, Any], *, team_id: str = "T1", api_app_id: str = "A1", bot_user_id: str = "U0BOT"
) -> dict[str, Any]:
    """An ``event_callback`` envelope around ``event_dict`` (unique event_id, current event_time)."""
    n = next(_counter)
    return {
        "token": DEPRECATED_TOKEN,
        "team_id": team_id,
        "context_team_id": team_id,
        "api_app_id": api_app_id,
        "event": dict(event_dict),
        "type": "event_callback",
        "event_id": f"Ev{n:010d}",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-fake-{n}",
    }


def _json_body(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload).encode()


event = _body_of(event_payload, _json_body, "JSON body of an Events API ``event_callback``.")


def url_verification(challenge: str = "fake-challenge") -> bytes:
    """JSON body of the Events API ``url_verification`` handshake."""
    return json.dumps({"token": DEPRECATED_TOKEN, "challenge": challenge, "type": "url_verification"}).encode()


def app_mention(text: str, *, user_id: str = "U1", channel_id: str = "C1", ts: str | None = None) -> dict[str, Any]:
    """An ``app_mention`` event dict (wrap it with ``event`` / ``event_payload``)."""
    event_ts = ts or _action_ts()
    return {
        "type": "app_mention",
        "user": user_id,
        "text": text,
        "ts": event_ts,
        "channel": channel_id,
        "event_ts": event_ts,
    }


def app_home_opened(user_id: str = "U1", *, tab: str = "home", channel_id: str = "D1") -> dict[str, Any]:
    """An ``app_home_opened`` event dict."""
    return {"type": "app_home_opened", "user": user_id, "channel": channel_id, "tab": tab, "event_ts": _action_ts()}


# -- posting -------------------------------------------------------------------------------------------------------

# An empty ProxyHandler: *_PROXY variables must never divert loopback test traffic.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def post(
    url: str, body: bytes, headers: Mapping[str, str], *, timeout: float = 10.0
) -> tuple[int, dict[str, str], bytes]:
    """POST ``body`` and return (status, headers, body); HTTP error statuses are returned, not raised."""
    request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers.items()), error.read()


async def post_async(
    url: str, body: bytes, headers: Mapping[str, str], *, timeout: float = 10.0
) -> tuple[int, dict[str, str], bytes]:
    """``post`` for coroutines: does not block the loop an AsyncApp under test runs on."""
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    # trust_env=False (the default, stated for the reader): proxies from the environment are ignored.
    async with (
        aiohttp.ClientSession(timeout=client_timeout, trust_env=False) as session,
        session.post(url, data=body, headers=dict(headers)) as response,
    ):
        return response.status, dict(response.headers.items()), await response.read()
