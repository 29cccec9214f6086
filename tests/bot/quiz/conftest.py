"""Databases for the storage tests: a SQLite file, and PostgreSQL on 127.0.0.1:5432 in a fresh schema."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from bot.storage.database import make_engine, migrate

PG_URL = os.environ.get("STATUSBOT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def postgres_available() -> str:
    """'' when the PostgreSQL server answers, else why not."""
    try:
        probe = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with probe.connect() as connection:
            connection.execute(text("SELECT 1"))
        probe.dispose()
        return ""
    except Exception as error:  # any failure means: no server here
        return f"no PostgreSQL server at {PG_URL.split('@')[-1]} ({type(error).__name__})"


PG_MISSING = postgres_available()
# CI sets this: there the PostgreSQL tests must run, not skip
PG_REQUIRED = os.environ.get("STATUSBOT_REQUIRE_PG") == "1"


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema, dropped afterwards."""
    if PG_MISSING:
        if PG_REQUIRED:
            pytest.fail(f"STATUSBOT_REQUIRE_PG is set but {PG_MISSING}")
        pytest.skip(PG_MISSING)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


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
