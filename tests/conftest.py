"""Shared test set-up: an isolated compiled cache, and where the reference data lives."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

# Each test run gets its own compiled cache so it never reads a stale one from the developer's home.
os.environ.setdefault("STATUSBOT_CACHE_DIR", tempfile.mkdtemp(prefix="statusbot-cache-"))

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = Path(__file__).resolve().parent / "data"
SHARED_REFERENCE = ROOT.parent / "shared" / "reference"


def reference_file(name: str) -> Path:
    """The shared reference file when ../shared/reference exists, else the copy under tests/data/."""
    shared = SHARED_REFERENCE / name
    return shared if shared.is_file() else TEST_DATA / name


# PostgreSQL on 127.0.0.1:5432 (trust auth, database test): each test that needs it gets its own schema
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
