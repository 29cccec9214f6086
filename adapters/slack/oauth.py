"""Installations into any number of workspaces, kept in the project's database.

slack_sdk's SQLAlchemy installation and state stores do the storing; they are synchronous, so these
wrappers run them in the chat runtime's thread pool for the asynchronous app. OAuth states are also
signed with SLACK_STATE_SECRET, so a state that did not come from this app is refused before the
database is asked.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Any

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

from adapters.chat.runtime import ChatRuntime

log = logging.getLogger(__name__)
STATE_SECONDS = 600


class _OffTheLoop:
    """What both wrapped stores share: slack_sdk's store, the runtime's threads, the tables."""

    store: SQLAlchemyInstallationStore | SQLAlchemyOAuthStateStore
    runtime: ChatRuntime

    @property
    def logger(self) -> logging.Logger:
        return log

    def create_tables(self) -> None:
        """Create slack_sdk's tables where they are missing (slack_sdk owns their shape)."""
        self.store.metadata.create_all(self.store.engine, checkfirst=True)


class InstallationStore(_OffTheLoop, AsyncInstallationStore):
    """slack_sdk's SQLAlchemy installation store, run off the event loop."""

    def __init__(self, engine: Engine, client_id: str, runtime: ChatRuntime) -> None:
        self.store: SQLAlchemyInstallationStore = SQLAlchemyInstallationStore(
            client_id=client_id, engine=engine, logger=log
        )
        self.runtime = runtime

    async def async_save(self, installation: Installation) -> None:
        await self.runtime.blocking(self.store.save, installation)

    async def async_save_bot(self, bot: Bot) -> None:
        await self.runtime.blocking(self.store.save_bot, bot)

    async def async_find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        def find() -> Bot | None:
            return self.store.find_bot(
                enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install
            )

        return await self.runtime.blocking(find)

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        def find() -> Installation | None:
            return self.store.find_installation(
                enterprise_id=enterprise_id,
                team_id=team_id,
                user_id=user_id,
                is_enterprise_install=is_enterprise_install,
            )

        return await self.runtime.blocking(find)

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.runtime.blocking(lambda: self.store.delete_bot(enterprise_id=enterprise_id, team_id=team_id))

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        def delete() -> None:
            self.store.delete_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)

        await self.runtime.blocking(delete)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        await self.async_delete_installation(enterprise_id=enterprise_id, team_id=team_id)


class StateStore(_OffTheLoop, AsyncOAuthStateStore):
    """slack_sdk's SQLAlchemy state store, with states signed by the app's state secret."""

    def __init__(self, engine: Engine, secret: str, runtime: ChatRuntime) -> None:
        self.store: SQLAlchemyOAuthStateStore = SQLAlchemyOAuthStateStore(
            expiration_seconds=STATE_SECONDS, engine=engine, logger=log
        )
        self.secret = secret.encode()
        self.runtime = runtime

    def _sign(self, state: str) -> str:
        return hmac.new(self.secret, state.encode(), hashlib.sha256).hexdigest()[:32]

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = await self.runtime.blocking(self.store.issue)
        return f"{state}.{self._sign(state)}"

    async def async_consume(self, state: str) -> bool:
        value, _, signature = state.rpartition(".")
        if not value or not hmac.compare_digest(signature, self._sign(value)):
            return False
        return bool(await self.runtime.blocking(self.store.consume, value))
