"""Which platform message a Reply key was posted as, shared by every process on the database.

A quiz question, its countdown and its reveal share one key; the adapter that posts the question
stores the message id here, and whichever process closes the question later edits that message.
"""

from __future__ import annotations

import time
from typing import NamedTuple

from sqlalchemy import Engine, delete, insert, select

from bot.storage import schema as t

KEEP_SECONDS = 30 * 24 * 3600  # a key older than this cannot be edited any more in practice


class Posted(NamedTuple):
    """Where a keyed reply was posted."""

    channel: str
    message_id: str


class MessageKeys:
    """Reply key → (channel, message id), per platform."""

    def __init__(self, engine: Engine, platform: str) -> None:
        self.engine = engine
        self.platform = platform

    def get(self, key: str) -> Posted | None:
        """The message a key was posted as, or None when this platform never posted it."""
        table = t.chat_messages
        with self.engine.connect() as c:
            row = c.execute(
                select(table.c.channel, table.c.message_id).where(table.c.platform == self.platform, table.c.key == key)
            ).first()
        return Posted(row.channel, row.message_id) if row else None

    def put(self, key: str, channel: str, message_id: str) -> None:
        """Remember (or replace) the message a key was posted as; old keys are swept on the way."""
        table = t.chat_messages
        now = time.time()
        with self.engine.begin() as c:
            c.execute(delete(table).where(table.c.platform == self.platform, table.c.key == key))
            c.execute(delete(table).where(table.c.posted_at < now - KEEP_SECONDS))
            c.execute(
                insert(table).values(
                    platform=self.platform, key=key, channel=channel, message_id=message_id, posted_at=now
                )
            )
