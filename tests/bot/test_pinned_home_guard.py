"""The suite's guard on the user's files: tests run in a home of their own, and a stray access is noticed."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from bot.storage.database import database_url
from knowledge.cache import cache_dir
from tests.conftest import HOME_GUARD, HomeGuard


def test_tests_run_in_a_home_of_their_own() -> None:
    home = os.path.expanduser("~")
    assert os.path.realpath(home) != HOME_GUARD.home
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        assert os.environ[name].startswith(home + os.sep)
    for path in (database_url().removeprefix("sqlite:///"), cache_dir() or ""):
        assert path and not path.startswith(HOME_GUARD.home + os.sep)


def test_the_guard_notices_reads_of_statusbot_folders_and_writes_anywhere_in_the_home(tmp_path: Path) -> None:
    private = tmp_path / ".local" / "share" / "statusbot"
    private.mkdir(parents=True)
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    guard = HomeGuard(str(tmp_path), [str(private)])
    database = str(private / "statusbot.sqlite3")
    guard.check("open", (str(tmp_path / "notes.txt"), "r", os.O_RDONLY))  # reading elsewhere in the home: fine
    guard.check("open", ("/etc/hostname", "r", os.O_RDONLY))
    guard.check("os.mkdir", ("/tmp/elsewhere", 0o777, -1))
    assert guard.violations == []
    guard.check("sqlite3.connect", (database,))
    guard.check("os.listdir", (str(private),))
    guard.check("open", (str(tmp_path / ".bashrc"), "a", os.O_WRONLY))
    guard.check("open", (os.fsencode(tmp_path / "x.db"), None, os.O_RDWR | os.O_CREAT))
    guard.check("os.mkdir", (str(tmp_path / ".cache" / "statusbot"), 0o777, -1))
    assert guard.violations == [
        f"sqlite3.connect {database}",
        f"os.listdir {private}",
        f"open (write) {tmp_path / '.bashrc'}",
        f"open (write) {tmp_path / 'x.db'}",
        f"os.mkdir (write) {tmp_path / '.cache' / 'statusbot'}",
    ]


def test_the_guard_sees_what_a_subprocess_left_behind(tmp_path: Path) -> None:
    private = tmp_path / ".cache" / "statusbot"
    private.mkdir(parents=True)
    guard = HomeGuard(str(tmp_path), [str(private)])
    before = guard.snapshot()
    sqlite3.connect(private / "left.sqlite3").close()
    assert guard.snapshot() - before == {str(private / "left.sqlite3")}


def test_the_guard_notices_a_child_process_that_would_use_the_users_folders(tmp_path: Path) -> None:
    private = [str(tmp_path / ".local" / "share" / "statusbot"), str(tmp_path / ".cache" / "statusbot")]
    guard = HomeGuard(str(tmp_path), private)
    safe = {"HOME": str(tmp_path / "elsewhere")}
    guard.check("subprocess.Popen", ("python", ["python"], None, safe))
    guard.check("subprocess.Popen", ("python", ["python"], None, {"DATABASE_URL": "postgresql://x", **safe}))
    assert guard.violations == [] and guard.spawned
    guard.check("subprocess.Popen", ("statusbot", ["statusbot"], None, {}))  # no HOME: the real one
    guard.check("os.posix_spawn", ("statusbot", ["statusbot"], {**safe, "STATUSBOT_CACHE_DIR": private[1]}))
    assert guard.violations == [
        f"subprocess.Popen with an environment that uses {private[0]}/statusbot.sqlite3",
        f"subprocess.Popen with an environment that uses {private[1]}",
        f"os.posix_spawn with an environment that uses {private[1]}",
    ]
