"""The database: SQLite file by default, PostgreSQL when DATABASE_URL says so, migrated on start."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc, make_url, text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
CONNECT_TIMEOUT_S = 5
STATEMENT_TIMEOUT_MS = 15000
MIGRATION_LOCK = 4092025  # PostgreSQL advisory lock key for schema migrations
IDLE_PING_S = 1.0  # a pooled connection idle this long is checked before use (the server may have restarted)


class DatabaseUnusable(Exception):
    """The configured database cannot be opened or migrated; the message is the one line a user sees."""


def database_url() -> str:
    """DATABASE_URL, else a SQLite file at STATUSBOT_DB (default: statusbot.sqlite3 in the data folder)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url.replace("postgres://", "postgresql+psycopg://", 1).replace(
            "postgresql://", "postgresql+psycopg://", 1
        )
    path = os.environ.get("STATUSBOT_DB") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share"),
        "statusbot",
        "statusbot.sqlite3",
    )
    return f"sqlite:///{path}"


def open_database() -> Engine:
    """The configured database, migrated; an unusable one raises DatabaseUnusable naming the setting to fix."""
    name = "DATABASE_URL" if os.environ.get("DATABASE_URL", "").strip() else "STATUSBOT_DB"
    shape = (
        "a database URL such as postgresql://user@host:5432/statusbot"
        if name == "DATABASE_URL"
        else "a writable path for the SQLite file"
    )
    try:
        engine = make_engine(database_url())
        with engine.connect():  # reach the database before migrate() writes its lock file beside it
            pass
        migrate(engine)
    except Exception as error:  # every failure here is a setting to fix, named in one line
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        reason = re.sub(r"^\([\w.]+\)\s*", "", reason)  # SQLAlchemy's "(psycopg.errors.X)" prefix says nothing to users
        raise DatabaseUnusable(f"{name} is not usable ({reason[:200]}): it should be {shape}") from None
    return engine


def make_engine(url: str | None = None, *, schema: str | None = None) -> Engine:
    """An engine for ``url``; ``schema`` puts every table in that PostgreSQL schema (tests use one each)."""
    url = url or database_url()
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_setup(connection, _record):  # type: ignore[no-untyped-def]
            connection.isolation_level = None  # we issue BEGIN ourselves, so BEGIN IMMEDIATE works
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):  # type: ignore[no-untyped-def]
            # take the write lock at the start: a transaction that reads then writes cannot deadlock
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    # a server that accepts connections but never answers must not hang the bot: bounded connect and statements
    given = make_url(url).query.get("options", "")  # the URL's own options (a search_path, say) are kept
    own = given if isinstance(given, str) else " ".join(given)
    options = f"{own} -c statement_timeout={STATEMENT_TIMEOUT_MS}".strip()
    options += f" -csearch_path={schema}" if schema else ""
    connect_args: dict[str, object] = {"connect_timeout": CONNECT_TIMEOUT_S, "options": options}
    engine = create_engine(url, connect_args=connect_args, pool_timeout=CONNECT_TIMEOUT_S)
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use only when it sat idle (SQLAlchemy's pre-ping checks every checkout:
    one more round trip on every quiz answer). A connection in steady use is known to be alive; one that idled
    through a server restart is found dead here and replaced, so the first request after an outage works."""

    @event.listens_for(engine, "checkin")
    def _returned(_connection, record):  # type: ignore[no-untyped-def]
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(connection, record, _proxy):  # type: ignore[no-untyped-def]
        returned = record.info.get("returned_at")
        if returned is None or time.monotonic() - returned < IDLE_PING_S:
            return
        try:
            _ping(connection)
        except Exception as error:
            raise exc.DisconnectionError(str(error)) from error  # the pool connects afresh and tries again


def _ping(connection: Any) -> None:
    """One round trip on a driver connection, left outside a transaction as the pool hands it out."""
    cursor = connection.cursor()
    try:
        cursor.execute("SELECT 1")
    finally:
        cursor.close()
    connection.rollback()


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
                connection.commit()
        return
    import fcntl

    database = engine.url.database or ""
    lock_path = f"{database}.migrate-lock" if database and database != ":memory:" else None
    if lock_path is None:
        yield
        return
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` under a lock, so processes starting together are safe."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with _migration_lock(engine), engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None before the first migration)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The newest schema revision this code migrates to."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    if head is None:
        raise RuntimeError("the migrations have no head revision")
    return head
