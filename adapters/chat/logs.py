"""Logging for the chat adapters: the libraries' chatter kept out of what an operator reads."""

from __future__ import annotations

import logging

# INFO from these is about the libraries themselves (migrations run, a retry handler chosen, slack-bolt
# noting that our own client and authorize replace its token): not what a bot operator needs to see
NOISY = ("alembic", "slack_sdk", "slack_bolt", "discord.client", "discord.gateway")


def quiet_libraries() -> None:
    """Show only warnings and errors from the libraries, and drop slack-bolt's notes about unused tokens."""
    for name in NOISY:
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))
    logging.getLogger("slack_bolt.AsyncApp").addFilter(lambda record: "`token`" not in record.getMessage())
