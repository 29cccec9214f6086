"""What the store tells the chat adapters and the schedulers: posted messages, running games, due questions,
each player's practice per workspace, and which database the bot opens."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert

from bot.quiz.bank import Bank
from bot.quiz.game import Outcome, Player, Settings
from bot.quiz.service import QuizService
from bot.storage import schema as t
from bot.storage.database import DatabaseUnusable, database_url, make_engine, open_database
from bot.storage.message_keys import MessageKeys, Posted
from bot.storage.quiz_store import PracticeState, QuizStore, RunningGame, period_start
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
        ("postgres://bot@db/x?fallback=postgres://y", "postgresql+psycopg://bot@db/x?fallback=postgres://y"),
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
    assert message.startswith("DATABASE_URL is not usable (connection failed: ")  # no "(psycopg.…)" prefix
    assert "\n" not in message
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


# -- read back by another process ----------------------------------------------------------------------------------
def test_another_process_scores_typed_codes_against_the_choices_as_shown(engine: Engine) -> None:
    clock = FakeClock()
    first = service(engine, clock)
    game = first.start("W1", "C1", ANA, Settings(questions=2, seconds=20, mode="typed")).game
    assert game is not None and game.current is not None
    right_code = game.current.codes[game.current.answer]
    wrong_code = game.current.codes[(game.current.answer + 1) % len(game.current.codes)]
    clock.advance(4)
    other = service(engine, clock)
    assert other.answer_text("C1", ANA, str(right_code)).outcome == Outcome("accepted", True, True, 165)
    assert other.answer_text("C1", Player("u2", "Ben"), str(wrong_code)).outcome == Outcome("accepted")


def test_the_starter_still_controls_the_game_in_another_process(engine: Engine) -> None:
    clock = FakeClock()
    service(engine, clock).start("W1", "C1", ANA, Settings(questions=3, seconds=20))
    assert [e.kind for e in service(engine, clock).skip("C1", ANA).events] == ["reveal", "question"]
    assert [e.kind for e in service(engine, clock).stop("C1", ANA).events] == ["finished"]


def test_scores_read_back_count_the_questions_already_revealed(engine: Engine) -> None:
    clock = FakeClock()
    quiz = service(engine, clock)
    game = quiz.start("W1", "C1", ANA, Settings(questions=3, seconds=20)).game
    assert game is not None and game.current is not None
    quiz.answer("C1", ANA, 0, game.current.answer)
    clock.advance(21)
    quiz.tick("C1")
    rebuilt = service(engine, clock).current("C1")
    assert rebuilt is not None and len(rebuilt.history) == 1 and rebuilt.index == 1
    assert rebuilt.standings["u1"].streak == 1  # question 2 is still open
    clock.advance(21)
    service(engine, clock).tick("C1")  # question 2 closes unanswered: the streak restarts
    again = service(engine, clock).current("C1")
    assert again is not None and len(again.history) == 2 and again.standings["u1"].streak == 0


def test_an_answers_time_is_the_moment_it_was_scored(engine: Engine) -> None:
    ticks = iter(range(1000, 2000))

    def ticking() -> float:  # every reading of the clock is a second later
        return float(next(ticks))

    quiz = service(engine, ticking)  # type: ignore[arg-type]
    game = quiz.start("W1", "C1", ANA, Settings(questions=2, seconds=20)).game
    assert game is not None and game.current is not None
    step = quiz.answer("C1", ANA, 0, game.current.answer)
    assert step.game is not None
    live = step.game.standings["u1"]
    rebuilt = service(engine, ticking).current("C1")  # type: ignore[arg-type]
    assert rebuilt is not None
    again = rebuilt.standings["u1"]
    assert (again.points, again.total_time) == (live.points, live.total_time)


# -- leaderboards ---------------------------------------------------------------------------------------------------
def result(player: str, points: int, finished_at: float, workspace: str = "W1") -> dict[str, object]:
    return {
        "game_id": f"g-{player}-{finished_at}",
        "player_id": player,
        "player_name": player.upper(),
        "workspace": workspace,
        "channel": "C1",
        "points": points,
        "correct": 1,
        "answered": 1,
        "best_streak": 1,
        "won": False,
        "finished_at": finished_at,
        "total_time": 1.0,
    }


def test_a_leaderboard_shows_the_ten_best(engine: Engine) -> None:
    with engine.begin() as c:
        c.execute(insert(t.results), [result(f"p{n:02}", 100 + n, 5.0) for n in range(12)])
    board = QuizStore(engine, FakeClock()).leaderboard(channel="C1")
    assert [row.name for row in board] == [f"P{n:02}" for n in range(11, 1, -1)]


def test_periods_start_on_monday_and_on_the_first_of_the_month_utc(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "America/New_York")  # the periods are UTC wherever the bot runs
    time.tzset()
    try:
        now = 1_764_003_723.5  # Monday 24 Nov 2025, 17:02:03.5 UTC
        assert period_start("week", now) == 1_763_942_400.0  # Monday 00:00 UTC
        assert period_start("month", now) == 1_761_955_200.0  # 1 November 00:00 UTC
        assert period_start("all", now) == 0.0
        with engine.begin() as c:
            c.execute(
                insert(t.results),
                [result("monday", 10, 1_763_942_400.0), result("sunday", 20, 1_763_942_399.0), result("old", 5, 0.0)],
            )
        store = QuizStore(engine, FakeClock())
        assert [r.name for r in store.leaderboard(period="week", now=now)] == ["MONDAY"]
        assert [r.name for r in store.leaderboard(period="month", now=now)] == ["SUNDAY", "MONDAY"]
        assert [r.name for r in store.leaderboard(period="all", now=now)] == ["SUNDAY", "MONDAY", "OLD"]
    finally:
        monkeypatch.undo()
        time.tzset()
