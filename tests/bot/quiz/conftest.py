"""Databases for the storage tests: a SQLite file, and PostgreSQL on 127.0.0.1:5432 in a fresh schema."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from bot.storage.database import make_engine, migrate
from tests.conftest import PG_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """A migrated database of each kind."""
    if request.param == "sqlite":
        made = make_engine(f"sqlite:///{tmp_path / 'quiz.sqlite3'}")
    else:
        schema = request.getfixturevalue("pg_schema")
        made = make_engine(PG_URL, schema=schema)
    migrate(made)
    yield made
    made.dispose()
