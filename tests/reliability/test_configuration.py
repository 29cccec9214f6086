"""Configuration faults: an unusable database is one line naming the setting at start-up (never a traceback, never
a change to the file); a broken compiled cache is rebuilt silently; a database that goes away while the bot runs is
survived, and the bot recovers when it returns."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.adapters.processes import clean_env
from tests.adapters.slack.conftest import SECRET, SlackProcess, header, run_until_exit, statusbot_command
from tests.conftest import PG_MISSING, PG_URL
from tests.fakes.slack_api import FakeSlack

TOKEN = "xoxb-1-test"
DISCORD_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abcdefghijklmnopqrstuvwxyz12"
SQLITE_CORRUPT = b"this is not a database, and it must stay exactly as it is\n" * 20


def run_discord_until_exit(workdir: Path, **settings: str) -> tuple[int, str]:
    env = clean_env(DISCORD_TOKEN=DISCORD_TOKEN, DISCORD_API_URL="http://127.0.0.1:9/api/v10", **settings)
    done = subprocess.run(
        [*statusbot_command(), "discord"],
        cwd=workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )
    return done.returncode, done.stderr


def database_cases(tmp_path: Path) -> dict[str, tuple[dict[str, str], str]]:
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(SQLITE_CORRUPT)
    folder = tmp_path / "a-folder"
    folder.mkdir()
    cases = {
        "refused": ({"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/statusbot"}, "DATABASE_URL is not usable ("),
        "corrupt-sqlite": ({"STATUSBOT_DB": str(corrupt)}, "STATUSBOT_DB is not usable ("),
        "sqlite-is-a-folder": ({"STATUSBOT_DB": str(folder)}, "STATUSBOT_DB is not usable ("),
        "unwritable-sqlite": ({"STATUSBOT_DB": "/proc/statusbot/bot.sqlite3"}, "STATUSBOT_DB is not usable ("),
    }
    if not PG_MISSING:
        server = PG_URL.split("@")[-1].rsplit("/", 1)[0]
        cases["no-such-database"] = (
            {"DATABASE_URL": f"postgresql://postgres@{server}/statusbot_no_such_db"},
            "DATABASE_URL is not usable (",
        )
    return cases


@pytest.mark.parametrize("platform", ["slack", "discord"])
def test_an_unusable_database_is_one_line_naming_the_setting(tmp_path: Path, platform: str) -> None:
    cases = database_cases(tmp_path)

    def start(settings: dict[str, str]) -> tuple[int, str]:
        if platform == "slack":
            return run_until_exit(tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, **settings)
        return run_discord_until_exit(tmp_path, **settings)

    with ThreadPoolExecutor(len(cases)) as pool:  # one process per case, side by side
        outcomes = dict(zip(cases, pool.map(start, [settings for settings, _ in cases.values()]), strict=True))
    for name, (code, stderr) in outcomes.items():
        start_of_line = cases[name][1]
        lines = stderr.splitlines()
        assert code == 2, (name, stderr)
        assert len(lines) == 1 and lines[0].startswith(f"statusbot {platform}: {start_of_line}"), (name, stderr)
        assert "Traceback" not in stderr
    assert (tmp_path / "corrupt.sqlite3").read_bytes() == SQLITE_CORRUPT  # never "repaired" over someone's data


def ask(workdir: Path, cache: str) -> subprocess.CompletedProcess[str]:
    env = clean_env(STATUSBOT_CACHE_DIR=cache, STATUSBOT_DB=str(workdir / "db.sqlite3"))
    return subprocess.run(
        [*statusbot_command(), "ask", "409"], cwd=workdir, env=env, capture_output=True, text=True, timeout=60
    )


def test_an_unusable_or_corrupt_cache_is_rebuilt_or_skipped_silently(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "cache-file"
    not_a_folder.write_text("a file where the cache folder should be")
    done = ask(tmp_path, str(not_a_folder))
    assert (done.returncode, done.stderr, done.stdout.splitlines()[0]) == (0, "", "409 Conflict")
    assert not_a_folder.read_text() == "a file where the cache folder should be"

    cache = tmp_path / "cache"
    assert ask(tmp_path, str(cache)).returncode == 0
    files = [path for path in cache.rglob("*") if path.is_file()]
    assert files
    for path in files:
        path.write_bytes(b"\x00junk{" * 10)
    done = ask(tmp_path, str(cache))
    assert (done.returncode, done.stderr, done.stdout.splitlines()[0]) == (0, "", "409 Conflict")
    assert any(path.read_bytes() != b"\x00junk{" * 10 for path in cache.rglob("*") if path.is_file())


class Outage:
    """A TCP relay on 127.0.0.1 in front of PostgreSQL that the test can cut (every connection, and new ones
    refused) and restore: the database "goes away" without touching the shared server."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(32)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self._sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        for s in self._sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()
        self._sockets.clear()


def outage_for(pg_schema: str) -> tuple[Outage, str]:
    host_port = PG_URL.split("@")[-1].split("/")[0]
    host, _, port = host_port.partition(":")
    outage = Outage((host, int(port or 5432)))
    database = PG_URL.rsplit("/", 1)[-1]
    return outage, f"postgresql://postgres@127.0.0.1:{outage.port}/{database}?options=-csearch_path%3D{pg_schema}"


def quiz(slack: SlackProcess, fake: FakeSlack, text: str, channel: str = "C-outage", wait: float = 20) -> str:
    """What the first reply to ``/quiz TEXT`` says (in the acknowledgement, or through response_url)."""
    _, body, name = slack.command("/quiz", text, channel_id=channel, user_id="U1", user_name="ada")
    said = body or fake.wait_for_response(name, timeout=wait)[0].body
    return header(said["blocks"])


def test_the_database_going_away_is_survived_and_recovered_from(
    fake: FakeSlack, tmp_path: Path, pg_schema: str
) -> None:
    outage, url = outage_for(pg_schema)
    slack = SlackProcess(fake, tmp_path, DATABASE_URL=url)
    try:
        assert quiz(slack, fake, "score") == "No game is running here."
        outage.cut()
        _, lookup, _ = slack.command("/status", "409", channel_id="C-outage", user_id="U3")
        assert header(lookup["blocks"]) == "409 Conflict"  # what needs no database goes on as usual
        status, _, _ = slack.command("/quiz", "start questions:1 seconds:30", channel_id="C-outage", user_id="U1")
        assert status == 200
        time.sleep(2)  # the quiz clock meets the outage too (it logs, and tries again a second later)
        outage.restore()
        slack.command("/quiz", "start questions:1 seconds:30", channel_id="C-back", user_id="U1", user_name="ada")
        question = fake.wait_for(lambda: fake.messages("C-back"), 20, what="a game, once the database is back")
        assert header(question[0].blocks) == "Question 1 of 1"
        slack.command("/quiz", "stop", channel_id="C-back", user_id="U1", user_name="ada")
        assert slack.running()
    finally:
        outage.cut()
        slack.stop()


def test_the_database_going_away_is_said_in_words() -> None:
    from sqlalchemy import create_engine

    from bot.conversation import Conversation, Place, User, default_quiz
    from bot.platform import Platform
    from knowledge import knowledge

    gone = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/statusbot", connect_args={"connect_timeout": 2})
    kb = knowledge()
    talk = Conversation(kb, platform=Platform("slack", private_answers=True), quiz=lambda: default_quiz(kb, gone))
    said = talk.on_command("quiz", "start", User("U1", "ada"), Place("T1", "C1"))
    assert "storage" in said[0].title.lower()  # once: "Sorry, that went wrong on my side"
