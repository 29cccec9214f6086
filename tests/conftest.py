"""Shared test set-up: a home of its own for the whole run, a guard on the user's files, the reference data."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import uuid
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import hypothesis
import hypothesis.configuration
import pytest
from sqlalchemy import Engine, create_engine, text

if TYPE_CHECKING:
    from bot.storage.house_rules import HouseRuleStore


class HomeGuard:
    """Records every in-process access to the user's statusbot folders and every write anywhere in their home,
    and every child process started with an environment that would make statusbot use those folders.

    Tests run with HOME and XDG_* pointing at a temporary folder, so only a test that hard-codes a path, strips
    the environment or resolves the home some other way can reach the real one; this is what notices it.
    """

    WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
    # Events whose first argument is a path that is touched (read or written); the last group only writes.
    PATH_EVENTS = frozenset({"open", "sqlite3.connect", "os.listdir", "os.scandir", "os.chdir"})
    WRITE_EVENTS = frozenset(
        {"os.mkdir", "os.remove", "os.rmdir", "os.rename", "os.truncate", "os.chmod", "os.utime", "shutil.rmtree"}
    )

    SPAWN_EVENTS: ClassVar[dict[str, int]] = {"subprocess.Popen": 3, "os.posix_spawn": 2, "os.exec": 2}  # env index

    def __init__(self, home: str, private: list[str]) -> None:
        self.home = os.path.realpath(home)
        self.private = [os.path.realpath(folder) for folder in private]
        self.violations: list[str] = []
        self.spawned = False  # a child process was started (what it writes cannot be audited, only seen after)
        self.paused = False  # while the guard itself looks

    def child_folders(self, env: Mapping[str, str]) -> list[str]:
        """Where statusbot, run with ``env``, would keep its database and compiled cache (as the code resolves them)."""
        home = env.get("HOME") or self.home  # without HOME, the password database names the real one
        folders = []
        if not env.get("DATABASE_URL", "").strip():
            data = env.get("XDG_DATA_HOME") or os.path.join(home, ".local", "share")
            folders.append(env.get("STATUSBOT_DB") or os.path.join(data, "statusbot", "statusbot.sqlite3"))
        cache = env.get("STATUSBOT_CACHE_DIR")
        if cache is None:
            cache = os.path.join(env.get("XDG_CACHE_HOME") or os.path.join(home, ".cache"), "statusbot")
        if cache:  # empty: no cache at all
            folders.append(cache)
        return folders

    def _check_child(self, event: str, args: tuple[Any, ...]) -> None:
        self.spawned = True
        position = self.SPAWN_EVENTS[event]
        env = args[position] if len(args) > position else None
        if env is None:
            env = os.environ
        elif not isinstance(env, Mapping):
            return
        decoded = {os.fsdecode(k): os.fsdecode(v) for k, v in env.items()}
        for path in self.child_folders(decoded):
            resolved = os.path.realpath(os.path.abspath(path))
            if any(self._inside(resolved, folder) for folder in self.private):
                self.violations.append(f"{event} with an environment that uses {resolved}")

    @staticmethod
    def _inside(path: str, folder: str) -> bool:
        return path == folder or path.startswith(folder + os.sep)

    def check(self, event: str, args: tuple[Any, ...]) -> None:
        """Audit hook: note an access the tests must not make (never raises, so it cannot break the code under test)."""
        if event in self.SPAWN_EVENTS:
            self._check_child(event, args)
            return
        if self.paused or (event not in self.PATH_EVENTS and event not in self.WRITE_EVENTS):
            return
        if not args or not isinstance(args[0], str | bytes | os.PathLike):
            return
        try:
            path = os.path.abspath(os.fsdecode(args[0]))
        except (TypeError, ValueError):
            return
        if not self._inside(path, self.home):  # the cheap test first: almost every access is elsewhere
            return
        writes = event in self.WRITE_EVENTS or (event == "open" and self._opens_for_writing(args))
        if any(self._inside(path, folder) for folder in self.private):
            self.violations.append(f"{event} {path}")
        elif writes:
            self.violations.append(f"{event} (write) {path}")

    def _opens_for_writing(self, args: tuple[Any, ...]) -> bool:
        mode = args[1] if len(args) > 1 else None
        flags = args[2] if len(args) > 2 else 0
        if isinstance(mode, str):
            return any(letter in mode for letter in "wax+")
        return isinstance(flags, int) and bool(flags & self.WRITE_FLAGS)

    def snapshot(self) -> set[str]:
        """Every entry under the private folders (a subprocess cannot be audited; what it leaves behind can)."""
        found: set[str] = set()
        self.paused = True
        try:
            for folder in self.private:
                for parent, folders, files in os.walk(folder):
                    found.update(os.path.join(parent, name) for name in (*folders, *files))
        finally:
            self.paused = False
        return found


def _isolate_home() -> HomeGuard:
    """Point HOME, XDG_* and the statusbot defaults at a temporary folder for this run; guard the real ones."""
    real_home = os.path.expanduser("~")
    private = [
        os.path.join(os.environ.get("XDG_DATA_HOME") or os.path.join(real_home, ".local", "share"), "statusbot"),
        os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(real_home, ".cache"), "statusbot"),
        os.path.join(os.environ.get("XDG_CONFIG_HOME") or os.path.join(real_home, ".config"), "statusbot"),
        os.path.join(os.environ.get("XDG_STATE_HOME") or os.path.join(real_home, ".local", "state"), "statusbot"),
    ]
    guard = HomeGuard(real_home, private)
    home = tempfile.mkdtemp(prefix="statusbot-home-")
    os.environ["HOME"] = home
    for name, folder in (
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        os.environ[name] = os.path.join(home, folder)
    # Explicit settings win over the defaults above, but only when they point inside the temporary folders.
    for name, default in (
        ("STATUSBOT_DB", os.path.join(home, "statusbot.sqlite3")),
        ("STATUSBOT_CACHE_DIR", os.path.join(home, "cache")),
    ):
        configured = os.environ.get(name)
        if configured and guard._inside(os.path.realpath(configured), guard.home):
            os.environ[name] = default
        os.environ.setdefault(name, default)
    sys.addaudithook(guard.check)
    return guard


# At import, before any test module imports the code under test, so no cached path can predate it.
HOME_GUARD = _isolate_home()

# Property tests keep no example database, and hypothesis's own caches go to the temporary home, not into a
# .hypothesis folder of the checkout.
hypothesis.settings.register_profile("statusbot", database=None)
hypothesis.settings.load_profile("statusbot")
hypothesis.configuration.set_hypothesis_home_dir(os.path.join(os.environ["HOME"], ".hypothesis"))


def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave nothing behind: the run's temporary home goes with it."""
    shutil.rmtree(os.environ["HOME"], ignore_errors=True)


@pytest.fixture(autouse=True)
def _root_logging_restored() -> Iterator[None]:
    """Puts the root logger back after each test: ``statusbot slack``/``discord`` run in-process install a
    handler on the stream pytest captured for that test, which is closed once the test ends."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(autouse=True)
def _no_access_to_the_users_files(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fails the test that read or wrote the user's statusbot folders, wrote anywhere in their home, or started
    a process that would; also the one whose child processes left something in those folders.

    New files there are only blamed on a test that started a process, and fail it only on CI (``CI`` set): on a
    developer's machine a statusbot they run meanwhile can write there too, so there it is a warning. The
    environment check on child processes is exact everywhere.
    """
    before = HOME_GUARD.snapshot()
    earlier = list(HOME_GUARD.violations)  # anything from collection or set-up outside a test
    HOME_GUARD.violations.clear()
    HOME_GUARD.spawned = False
    yield
    during = list(HOME_GUARD.violations)
    HOME_GUARD.violations.clear()
    appeared = sorted(HOME_GUARD.snapshot() - before) if HOME_GUARD.spawned else []
    if appeared and not os.environ.get("CI"):
        warnings.warn(f"appeared in the user's statusbot folders meanwhile: {appeared[:5]}", stacklevel=1)
        appeared = []
    problems = [*(f"before this test: {line}" for line in earlier), *during, *(f"created {p}" for p in appeared)]
    if problems:
        pytest.fail(f"{request.node.nodeid} touched the user's files: " + "; ".join(sorted(set(problems))[:10]))


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


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite database of the test's own, disposed of afterwards."""
    from bot.storage.database import make_engine, migrate

    made = make_engine(f"sqlite:///{tmp_path / 'statusbot.sqlite3'}")
    migrate(made)
    yield made
    made.dispose()


def no_house_rules() -> HouseRuleStore:
    """A team without house rules, for conversations that must answer by the RFCs without opening the quiz."""
    from bot.storage.house_rules import HouseRuleStore

    return HouseRuleStore.in_memory()
