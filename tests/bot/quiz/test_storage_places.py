"""What the store tells the chat adapters and the schedulers: posted messages, running games, due questions,
each player's practice per workspace, and which database the bot opens."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert

from bot.quiz.bank import Bank
from bot.quiz.game import Player, Settings
from bot.quiz.service import QuizService
from bot.storage import schema as t
from bot.storage.database import DatabaseUnusable, database_url, make_engine, open_database
from bot.storage.message_keys import MessageKeys, Posted
from bot.storage.quiz_store import PracticeState, QuizStore, RunningGame
from knowledge import knowledge, situations
from tests.bot.quiz.test_game import FakeClock

KB = knowledge()
BANK = Bank(KB, situations())
ANA = Player("u1", "Ana")
DAY = 24 * 3600


def service(engine: Engine, clock: FakeClock) -> QuizService:
    return QuizService(QuizStore(engine, clock, questions=BANK.by_id.get), BANK, KB, clock)


# -- the messages a question, its countdown and its reveal edit ---------------------------------------------------
def test_a_posted_message_is_found_by_its_key_on_its_platform_only(engine: Engine) -> None:
    slack, discord = MessageKeys(engine, "slack"), MessageKeys(engine, "discord")
    slack.put("quiz:g1:0", "C1", "1700000000.000100")
    assert slack.get("quiz:g1:0") == Posted("C1", "1700000000.000100")
    assert slack.get("quiz:g1:1") is None
    assert discord.get("quiz:g1:0") is None
    discord.put("quiz:g1:0", "900", "1234")
    assert slack.get("quiz:g1:0") == Posted("C1", "1700000000.000100")
    assert discord.get("quiz:g1:0") == Posted("900", "1234")


def test_posting_a_key_again_replaces_the_message(engine: Engine) -> None:
    keys = MessageKeys(engine, "slack")
    keys.put("quiz:g1:0", "C1", "1.1")
    keys.put("quiz:g1:0", "C2", "2.2")
    assert keys.get("quiz:g1:0") == Posted("C2", "2.2")


def test_keys_older_than_thirty_days_are_swept_and_younger_ones_kept(engine: Engine) -> None:
    now = time.time()
    with engine.begin() as c:
        for key, age in (("old", 31 * DAY), ("recent", 29 * DAY)):
            c.execute(
                insert(t.chat_messages).values(
                    platform="slack", key=key, channel="C1", message_id=key, posted_at=now - age
                )
            )
    keys = MessageKeys(engine, "slack")
    keys.put("new", "C1", "3.3")
    assert keys.get("old") is None
    assert keys.get("recent") == Posted("C1", "recent")
    assert keys.get("new") == Posted("C1", "3.3")


# -- running games, for the schedulers ------------------------------------------------------------------------------
def test_running_games_say_where_they_are_and_when_their_question_closes(engine: Engine) -> None:
    clock = FakeClock()
    quiz = service(engine, clock)
    quiz.start("W1", "C1", ANA, Settings(questions=2, seconds=20))
    clock.advance(5)
    quiz.start("W2", "C2", ANA, Settings(questions=2, seconds=30))
    quiz.start("W2", "C3", ANA, Settings(questions=1, seconds=10))
    quiz.stop("C3", ANA)
    assert sorted(quiz.store.running_games()) == [
        RunningGame("W1", "C1", 1000.0, 1020.0),
        RunningGame("W2", "C2", 1005.0, 1035.0),
    ]
    assert sorted(quiz.store.running()) == ["C1", "C2"]


def test_a_question_is_due_at_its_deadline_and_a_finished_game_never_is(engine: Engine) -> None:
    clock = FakeClock()
    quiz = service(engine, clock)
    quiz.start("W1", "C1", ANA, Settings(questions=2, seconds=20))
    quiz.start("W1", "C2", ANA, Settings(questions=2, seconds=20))
    quiz.stop("C2", ANA)
    assert quiz.store.due(1019.5) == []
    assert quiz.store.due(1020.0) == ["C1"]
    clock.advance(20)
    assert quiz.due() == ["C1"]


# -- practice, per player and workspace -----------------------------------------------------------------------------
def test_a_players_practice_in_one_workspace_leaves_the_other_workspace_alone(engine: Engine) -> None:
    store = QuizStore(engine, FakeClock())
    first = PracticeState({"q1": 2}, asked=4, due=((6, "q1"),), recent=("q1", "q2"))
    second = PracticeState({"q9": 1}, asked=1, due=(), recent=("q9",))
    with store.transaction() as c:
        store.save_practice(c, "W1", "u1", first, {"q1": 2})
        store.save_practice(c, "W2", "u1", second, {"q9": 1})
        store.save_practice(c, "W1", "u2", PracticeState({}, asked=7), {})
    with store.transaction() as c:
        assert store.load_practice(c, "W1", "u1") == first
        assert store.load_practice(c, "W2", "u1") == second
        assert store.load_practice(c, "W1", "u2") == PracticeState({}, 7, (), ())
        assert store.load_practice(c, "W3", "u1") == PracticeState({}, 0, (), ())
    store.save_box("W1", "u1", "q1", 3)
    assert store.boxes("W1", "u1") == {"q1": 3}
    assert store.boxes("W2", "u1") == {"q9": 1}


# -- which database --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "given,used",
    [
        ("postgres://bot@db:5432/statusbot", "postgresql+psycopg://bot@db:5432/statusbot"),
        ("postgresql://bot@db:5432/statusbot", "postgresql+psycopg://bot@db:5432/statusbot"),
        (" postgresql+psycopg://bot@db/x ", "postgresql+psycopg://bot@db/x"),
        ("postgresql://bot@db/postgresql://x", "postgresql+psycopg://bot@db/postgresql://x"),
        ("sqlite:////srv/quiz.sqlite3", "sqlite:////srv/quiz.sqlite3"),
    ],
)
def test_database_url_is_used_with_the_driver_statusbot_ships(
    monkeypatch: pytest.MonkeyPatch, given: str, used: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", given)
    monkeypatch.setenv("STATUSBOT_DB", "/srv/ignored.sqlite3")
    assert database_url() == used


def test_without_database_url_the_sqlite_file_is_statusbot_db_then_the_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", "  ")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("STATUSBOT_DB", str(tmp_path / "mine.sqlite3"))
    assert database_url() == f"sqlite:///{tmp_path}/mine.sqlite3"
    monkeypatch.delenv("STATUSBOT_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert database_url() == f"sqlite:///{tmp_path}/data/statusbot/statusbot.sqlite3"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert database_url() == f"sqlite:///{tmp_path}/home/.local/share/statusbot/statusbot.sqlite3"


def test_open_database_makes_the_folder_and_migrates(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("STATUSBOT_DB", str(tmp_path / "new" / "quiz.sqlite3"))
    engine = open_database()
    try:
        assert QuizStore(engine).leaderboard() == []
    finally:
        engine.dispose()
    assert (tmp_path / "new" / "quiz.sqlite3").is_file()


def test_an_unusable_sqlite_file_names_the_setting_in_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("STATUSBOT_DB", str(tmp_path / "file" / "quiz.sqlite3"))
    with pytest.raises(DatabaseUnusable) as raised:
        open_database()
    message = str(raised.value)
    assert message.startswith("STATUSBOT_DB is not usable (")
    assert message.endswith("): it should be a writable path for the SQLite file")
    assert "\n" not in message


def test_an_unusable_database_url_names_database_url_without_the_driver_prefix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(DatabaseUnusable) as raised:
        open_database()
    message = str(raised.value)
    assert message.startswith("DATABASE_URL is not usable (")
    assert "(psycopg." not in message and "\n" not in message
    assert message.endswith("): it should be a database URL such as postgresql://user@host:5432/statusbot")


def test_an_sqlite_engine_in_memory_makes_no_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    engine = make_engine("sqlite:///:memory:")
    engine.dispose()
    assert list(tmp_path.iterdir()) == []


def test_forgetting_a_game_this_process_never_read_is_harmless(engine: Engine) -> None:
    store = QuizStore(engine, FakeClock())
    store.forget("")
    store.forget("no-such-game")


def test_changing_team_in_one_game_keeps_the_team_chosen_in_another(engine: Engine) -> None:
    clock = FakeClock()
    quiz = service(engine, clock)
    for channel in ("C1", "C2"):
        quiz.start("W1", channel, ANA, Settings(questions=2, seconds=20, teams=True))
        quiz.join(channel, ANA, "Red")
    quiz.join("C1", ANA, "Blue")
    other = service(engine, clock)  # another process reads both games from the database
    first, second = other.current("C1"), other.current("C2")
    assert first is not None and second is not None
    assert (first.teams, second.teams) == ({"u1": "Blue"}, {"u1": "Red"})


def test_only_the_starter_skips_unless_a_moderator_is_named(engine: Engine) -> None:
    quiz = service(engine, FakeClock())
    quiz.start("W1", "C1", ANA, Settings(questions=2))
    ben = Player("u2", "Ben")
    assert quiz.skip("C1", ben).refused == "Only the player who started the game or a moderator can do that."
    assert [e.kind for e in quiz.skip("C1", ben, moderator=True).events] == ["reveal", "question"]


def test_a_team_players_first_answer_leaves_the_question_open_in_any_process(engine: Engine) -> None:
    clock = FakeClock()
    quiz = service(engine, clock)
    game = quiz.start("W1", "C1", ANA, Settings(questions=2, seconds=20, teams=True)).game
    assert game is not None and game.current is not None
    right = game.current.answer
    assert quiz.answer("C1", ANA, 0, right).events == []  # put in a team, not chosen: nobody else known yet
    other = service(engine, clock)
    assert other.tick("C1").events == []
    rebuilt = other.current("C1")
    assert rebuilt is not None and rebuilt.joined == set() and rebuilt.teams == {"u1": "Blue"}
