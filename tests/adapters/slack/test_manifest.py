"""The app manifests users paste ask for exactly what the listeners use: scopes, commands, shortcut, events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from adapters.slack.app import CHECK_MESSAGE
from adapters.slack.main import SCOPES

ROOT = Path(__file__).resolve().parents[3]
EVENTS = ["app_mention", "message.im", "message.channels", "message.groups", "app_home_opened"]
INSTALL_EVENTS = ["app_uninstalled", "tokens_revoked"]


def manifest(name: str) -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "slack" / name).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def urls(node: Any) -> list[str]:
    """Every URL anywhere in the manifest."""
    if isinstance(node, dict):
        return [u for value in node.values() for u in urls(value)]
    if isinstance(node, list):
        return [u for value in node for u in urls(value)]
    return [node] if isinstance(node, str) and node.startswith(("http://", "https://")) else []


@pytest.mark.parametrize(
    ("name", "socket_mode", "events"),
    [("manifest.yml", True, EVENTS), ("manifest-http.yml", False, EVENTS + INSTALL_EVENTS)],
)
def test_the_manifest_asks_for_exactly_what_is_used(name: str, socket_mode: bool, events: list[str]) -> None:
    app = manifest(name)
    assert app["oauth_config"]["scopes"]["bot"] == SCOPES
    assert "user" not in app["oauth_config"]["scopes"]
    assert [c["command"] for c in app["features"]["slash_commands"]] == ["/status", "/quiz"]
    assert all(c["should_escape"] is False for c in app["features"]["slash_commands"])  # the bot unwraps markup
    assert [(s["type"], s["callback_id"]) for s in app["features"]["shortcuts"]] == [("message", CHECK_MESSAGE)]
    assert CHECK_MESSAGE == "statusbot.check_message"
    assert sorted(app["settings"]["event_subscriptions"]["bot_events"]) == sorted(events)
    assert app["settings"]["interactivity"]["is_enabled"] is True
    assert app["settings"]["socket_mode_enabled"] is socket_mode
    assert app["features"]["app_home"]["home_tab_enabled"] is True  # app_home_opened publishes the Home tab
    assert app["features"]["app_home"]["messages_tab_enabled"] is True  # message.im: people DM the bot


def test_the_socket_mode_manifest_has_no_urls() -> None:
    assert urls(manifest("manifest.yml")) == []


def test_every_url_of_the_http_manifest_is_a_path_the_server_serves() -> None:
    app = manifest("manifest-http.yml")
    found = urls(app)
    assert found, "the HTTP manifest names its request URLs"
    assert all(u.endswith(("/slack/events", "/slack/oauth_redirect")) for u in found), found
    assert all(c["url"].endswith("/slack/events") for c in app["features"]["slash_commands"])
    assert app["settings"]["event_subscriptions"]["request_url"].endswith("/slack/events")
    assert app["settings"]["interactivity"]["request_url"].endswith("/slack/events")
    assert [u.rsplit("/", 2)[-2:] for u in app["oauth_config"]["redirect_urls"]] == [["slack", "oauth_redirect"]]
