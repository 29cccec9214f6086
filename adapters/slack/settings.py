"""Slack settings from the environment: Socket Mode with an app token, else HTTP; one workspace or OAuth installs."""

from __future__ import annotations

from typing import NamedTuple

from adapters.chat.settings import SettingError, optional, port, secret, token, url

SLACK_API = "https://slack.com/api/"
BOT_TOKEN = "a bot token from the app's OAuth & Permissions page"


class SlackSettings(NamedTuple):
    """Everything ``statusbot slack`` needs to start."""

    bot_token: str  # '' when workspaces install the app through OAuth
    app_token: str  # Socket Mode when set
    signing_secret: str  # HTTP mode
    client_id: str
    client_secret: str
    state_secret: str
    api_url: str
    host: str
    port: int

    @property
    def socket_mode(self) -> bool:
        """Connect out over a WebSocket instead of serving HTTP."""
        return bool(self.app_token)

    @property
    def oauth(self) -> bool:
        """Install into any number of workspaces, tokens kept in the database."""
        return bool(self.client_id)


def read_settings(host: str | None = None, port_text: str | None = None) -> SlackSettings:
    """The settings, or a SettingError naming the first wrong variable and what it should look like."""
    app_token = token("SLACK_APP_TOKEN", "xapp-", what="an app-level token with connections:write", required=False)
    api_url = url("SLACK_API_URL", SLACK_API)
    listen_port = port(port_text or optional("PORT") or "3000", "--port" if port_text else "PORT")
    listen_host = host or optional("HOST") or "0.0.0.0"
    if app_token:
        bot_token = token("SLACK_BOT_TOKEN", "xoxb-", what=BOT_TOKEN)
        return SlackSettings(bot_token, app_token, "", "", "", "", api_url, listen_host, listen_port)
    signing_secret = secret(
        "SLACK_SIGNING_SECRET",
        what="the signing secret from the app's Basic Information page (32 hex digits), or set SLACK_APP_TOKEN "
        "(xapp-…) for Socket Mode",
    )
    client_id = secret(
        "SLACK_CLIENT_ID", what="the app's Client ID, digits.digits", pattern=r"\d+\.\d+", required=False
    )
    if not client_id:
        if not optional("SLACK_BOT_TOKEN"):
            raise SettingError(
                f"SLACK_BOT_TOKEN is not set: it should be {BOT_TOKEN} (xoxb-…); or set SLACK_CLIENT_ID, "
                "SLACK_CLIENT_SECRET and SLACK_STATE_SECRET to install into any number of workspaces"
            )
        bot_token = token("SLACK_BOT_TOKEN", "xoxb-", what=BOT_TOKEN)
        return SlackSettings(bot_token, "", signing_secret, "", "", "", api_url, listen_host, listen_port)
    client_secret = secret("SLACK_CLIENT_SECRET", what="the app's Client Secret (32 hex digits)")
    state_secret = secret("SLACK_STATE_SECRET", what="a random string of at least 16 characters", pattern=r"\S{16,}")
    return SlackSettings(
        "", "", signing_secret, client_id, client_secret, state_secret, api_url, listen_host, listen_port
    )
