"""A pooled PostgreSQL connection that died while idle (a server restart, a proxy timeout) is replaced before
it is used: the next request after an outage works instead of failing once."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text

from bot.storage import database
from bot.storage.database import make_engine
from tests.conftest import PG_URL


def test_a_connection_that_died_while_idle_is_replaced_before_use(
    pg_schema: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "IDLE_PING_S", 0.05)
    engine = make_engine(PG_URL, schema=pg_schema)
    admin = create_engine(PG_URL)
    try:
        with engine.connect() as c:
            first = c.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with admin.connect() as c:  # the server drops the pooled connection, as a restart would
            assert c.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first}).scalar_one() is True
        time.sleep(0.2)
        with engine.connect() as c:
            second = c.execute(text("SELECT pg_backend_pid()")).scalar_one()
        assert second != first
    finally:
        engine.dispose()
        admin.dispose()


def test_only_a_connection_that_sat_idle_is_pinged(pg_schema: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under load every checkout follows the last within the idle time: no extra round trip per request."""
    pings: list[object] = []
    real_ping = database._ping
    monkeypatch.setattr(database, "_ping", lambda connection: (pings.append(connection), real_ping(connection)))
    monkeypatch.setattr(database, "IDLE_PING_S", 0.3)
    engine = make_engine(PG_URL, schema=pg_schema)
    try:
        for _ in range(5):
            with engine.connect() as c:
                c.execute(text("SELECT 1"))
        assert pings == []
        time.sleep(0.4)
        with engine.connect() as c:
            c.execute(text("SELECT 1"))
        assert len(pings) == 1
    finally:
        engine.dispose()
