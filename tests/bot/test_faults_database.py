"""An unusable quiz database: the console and /status keep working, /quiz says in one line what to fix."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import PG_MISSING
from tests.console_run import run_console

SQLITE_SHAPE = "): it should be a writable path for the SQLite file"
URL_SHAPE = "): it should be a database URL such as postgresql://user@host:5432/statusbot"


def chat(*lines: str, timeout: float = 60, **env_extra: str) -> subprocess.CompletedProcess[str]:
    """The console with only the database settings the test gives."""
    return run_console(*lines, timeout=timeout, without=("DATABASE_URL", "STATUSBOT_DB"), **env_extra)


def assert_quiz_unavailable(result: subprocess.CompletedProcess[str], setting: str, shape: str) -> None:
    """/quiz and the answer typed after it get the one line; /status still answers; stderr stays empty."""
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    unavailable = [line for line in lines if line.startswith(f"The quiz is unavailable: {setting} is not usable (")]
    assert len(unavailable) == 3, result.stdout  # /quiz start, the typed "1", /quiz stop: one line each
    assert all(line.endswith(shape) for line in unavailable)
    assert "1xx Informational" not in result.stdout and "Sorry, that went wrong" not in result.stdout
    assert "409 Conflict" in lines


QUIZ_LINES = ("/quiz start", "1", "/status 409", "/quiz stop")


def sqlite_cases(tmp_path: Path) -> dict[str, Callable[[], Path]]:
    def under_a_file() -> Path:
        (tmp_path / "file").write_text("not a folder")
        return tmp_path / "file" / "x.sqlite3"

    def junk() -> Path:
        path = tmp_path / "junk.sqlite3"
        path.write_bytes(b"this is not a database\n" * 200)
        return path

    def truncated() -> Path:
        path = tmp_path / "truncated.sqlite3"
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE t (x TEXT)")
            connection.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
        connection.close()
        path.write_bytes(path.read_bytes()[:5000])
        return path

    def directory() -> Path:
        (tmp_path / "folder.sqlite3").mkdir()
        return tmp_path / "folder.sqlite3"

    return {"under-a-file": under_a_file, "junk": junk, "truncated": truncated, "directory": directory}


@pytest.mark.parametrize("case", ["under-a-file", "junk", "truncated", "directory"])
def test_an_unusable_sqlite_file_is_one_line_and_left_untouched(tmp_path: Path, case: str) -> None:
    path = sqlite_cases(tmp_path)[case]()
    before = {p: (p.read_bytes() if p.is_file() else None) for p in tmp_path.rglob("*")}
    result = chat(*QUIZ_LINES, STATUSBOT_DB=str(path))
    assert_quiz_unavailable(result, "STATUSBOT_DB", SQLITE_SHAPE)
    after = {p: (p.read_bytes() if p.is_file() else None) for p in tmp_path.rglob("*")}
    assert after == before  # nothing written to a database that failed to open


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_folder_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "quiz.sqlite3"
    assert chat("/quiz start questions:1", "/quiz stop", STATUSBOT_DB=str(path)).returncode == 0
    for leftover in folder.iterdir():
        if leftover != path:
            leftover.unlink()
    folder.chmod(0o555)
    try:
        assert_quiz_unavailable(chat(*QUIZ_LINES, STATUSBOT_DB=str(path)), "STATUSBOT_DB", SQLITE_SHAPE)
    finally:
        folder.chmod(0o755)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    "url",
    [
        "garbage",
        "mysql://user@127.0.0.1/statusbot",
        "ftp://example.invalid/x",
        "postgresql://user@127.0.0.1:{closed}/statusbot",
    ],
    ids=["garbage", "unsupported-driver", "unknown-scheme", "unreachable"],
)
def test_an_unusable_database_url_is_one_line(url: str) -> None:
    result = chat(*QUIZ_LINES, DATABASE_URL=url.format(closed=closed_port()))
    assert_quiz_unavailable(result, "DATABASE_URL", URL_SHAPE)


@pytest.mark.skipif(bool(PG_MISSING), reason=PG_MISSING or "")
@pytest.mark.parametrize(
    "url",
    ["postgresql://no_such_role@127.0.0.1:5432/test", "postgresql://postgres@127.0.0.1:5432/no_such_database"],
    ids=["missing-role", "missing-database"],
)
def test_a_missing_role_or_database_is_one_line(url: str) -> None:
    assert_quiz_unavailable(chat(*QUIZ_LINES, DATABASE_URL=url), "DATABASE_URL", URL_SHAPE)


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP server on 127.0.0.1 that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


def test_a_server_that_never_answers_is_one_line_within_seconds(silent_server: int) -> None:
    started = time.monotonic()
    result = chat(*QUIZ_LINES, DATABASE_URL=f"postgresql://user@127.0.0.1:{silent_server}/statusbot", timeout=60)
    assert time.monotonic() - started < 20
    assert_quiz_unavailable(result, "DATABASE_URL", URL_SHAPE)
    assert "The quiz is unavailable: DATABASE_URL is not usable (connection timeout expired)" in result.stdout


@pytest.mark.skipif(bool(PG_MISSING), reason=PG_MISSING or "")
def test_a_statement_the_server_never_finishes_is_cancelled(monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from bot.storage import database
    from tests.conftest import PG_URL

    monkeypatch.setattr(database, "STATEMENT_TIMEOUT_MS", 300)
    engine = database.make_engine(PG_URL)
    started = time.monotonic()
    with pytest.raises(OperationalError, match="statement timeout"), engine.connect() as connection:
        connection.execute(text("SELECT pg_sleep(30)"))
    assert time.monotonic() - started < 5
    engine.dispose()
