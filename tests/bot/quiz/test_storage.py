"""Quiz storage on SQLite and PostgreSQL: games stored as they happen, restarts, leaderboards, migrations."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import column, delete, event, func, insert, select, table, update

from bot.quiz.bank import Bank
from bot.quiz.game import Player, Settings
from bot.quiz.service import QuizService
from bot.storage import schema as t
from bot.storage.database import current_revision, make_engine, migrate
from bot.storage.quiz_store import QuizStore, period_start
from knowledge import knowledge, situations
from tests.bot.quiz.test_game import FakeClock

KB = knowledge()
BANK = Bank(KB, situations())
ANA, BEN, CAI = Player("u1", "Ana"), Player("u2", "Ben"), Player("u3", "Cai")


def service(engine, clock) -> QuizService:
    return QuizService(QuizStore(engine, clock, questions=BANK.by_id.get), BANK, KB, clock)


def test_a_whole_game_is_stored_and_ranked(engine):
    clock = FakeClock()
    quiz = service(engine, clock)
    step = quiz.start("W1", "C1", ANA, Settings(questions=3, seconds=20))
    assert step.game is not None and [e.kind for e in step.events] == ["question"]
    assert quiz.start("W1", "C1", BEN, Settings()).refused.startswith("A game is already running")
    right = step.game.current.answer
    first = quiz.answer("C1", BEN, 0, (right + 1) % len(step.game.current.choices))
    assert first.outcome.status == "accepted" and not first.outcome.correct
    second = quiz.answer("C1", ANA, 0, right)
    assert second.outcome.correct and second.outcome.first
    assert quiz.answer("C1", ANA, 0, right).outcome.status == "duplicate"
    clock.advance(21)
    assert [e.kind for e in quiz.tick("C1").events] == ["reveal", "question"]
    right = quiz.current("C1").current.answer
    assert quiz.answer("C1", ANA, 1, right).outcome.correct
    step = quiz.answer("C1", BEN, 1, right)
    assert [e.kind for e in step.events] == ["reveal", "question"]  # everyone playing has answered
    clock.advance(25)
    assert [e.kind for e in quiz.tick("C1").events][-1] == "finished"
    board = quiz.leaderboard(channel="C1")
    assert [row.name for row in board] == ["Ana", "Ben"] and board[0].wins == 1 and board[1].games == 1
    with engine.connect() as c:
        assert c.execute(select(func.count()).select_from(t.answers)).scalar() == 4
        assert c.execute(select(func.count()).select_from(t.channel_games)).scalar() == 0


def test_a_restart_rebuilds_the_game_from_the_database(engine):
    clock = FakeClock()
    first_process = service(engine, clock)
    game = first_process.start("W1", "C2", ANA, Settings(questions=3, seconds=20)).game
    first_process.answer("C2", ANA, 0, game.current.answer)
    first_process.answer("C2", BEN, 0, (game.current.answer + 1) % len(game.current.choices))
    first_process.skip("C2", ANA)
    before = {pid: (s.points, s.streak) for pid, s in first_process.current("C2").standings.items()}
    del first_process  # the process dies; the engine's database stays
    restarted = service(engine, clock)
    from bot.quiz.chat import QuizChat

    posts = QuizChat(KB, BANK, restarted).after_restart()
    assert posts["C2"][0].title == "The quiz is back" and posts["C2"][1].title == "Question 2 of 3"
    assert posts["C2"][0].text == (
        "The game goes on where it was. /quiz stop ends it now and keeps the scores (its starter or a moderator)."
    )
    assert posts["C2"][1].text and posts["C2"][1].actions  # the rebuilt question keeps its words
    resumed = restarted.current("C2")
    assert resumed is not None and resumed.index == 1
    assert {pid: (s.points, s.streak) for pid, s in resumed.standings.items()} == before
    step = restarted.answer("C2", ANA, 1, resumed.current.answer)
    assert step.outcome.correct and resumed.standings["u1"].streak == 2


def test_restart_can_close_running_games_keeping_scores(engine):
    clock = FakeClock()
    quiz = service(engine, clock)
    game = quiz.start("W1", "C3", ANA, Settings(questions=3)).game
    quiz.answer("C3", BEN, 0, (game.current.answer + 1) % len(game.current.choices))  # Ben played and scored zero
    from bot.quiz.chat import QuizChat

    posts = QuizChat(KB, BANK, service(engine, clock)).after_restart(close=True)
    assert posts["C3"][0].title == "The quiz bot restarted"
    assert posts["C3"][-1].title.startswith("Game over")
    board = quiz.leaderboard(channel="C3")
    assert {row.name for row in board} == {"Ben"} and board[0].games == 1


def test_any_process_closes_an_expired_question(engine):
    clock = FakeClock()
    quiz = service(engine, clock)
    quiz.start("W1", "C4", ANA, Settings(questions=2, seconds=10))
    clock.advance(11)
    other = service(engine, clock)
    assert other.due() == ["C4"]
    assert [e.kind for e in other.tick("C4").events] == ["reveal", "question"]


def test_stop_and_skip_permissions(engine):
    clock = FakeClock()
    quiz = service(engine, clock)
    quiz.start("W1", "C5", ANA, Settings(questions=3))
    assert quiz.stop("C5", BEN).refused.startswith("Only the player who started")
    assert [e.kind for e in quiz.skip("C5", BEN, moderator=True).events] == ["reveal", "question"]
    assert [e.kind for e in quiz.stop("C5", ANA).events] == ["finished"]
    assert quiz.current("C5") is None


def test_leaderboard_periods(engine):
    clock = FakeClock()
    clock.now = 1_764_000_000.0  # Monday 24 Nov 2025, 16:00 UTC
    quiz = service(engine, clock)
    with engine.begin() as c:
        for game_id, when, points in (
            ("old", clock.now - 40 * 86400, 500),
            ("october", clock.now - 30 * 86400, 70),
            ("week", clock.now - 3600, 30),
        ):
            c.execute(
                insert(t.results).values(
                    game_id=game_id,
                    player_id="u1",
                    player_name="Ana",
                    workspace="W1",
                    channel="C6",
                    points=points,
                    correct=1,
                    answered=1,
                    best_streak=1,
                    won=True,
                    finished_at=when,
                )
            )
    assert quiz.leaderboard(workspace="W1", period="week")[0].points == 30
    assert quiz.leaderboard(workspace="W1", period="month")[0].points == 30  # 30 days ago is October
    assert quiz.leaderboard(workspace="W1", period="all")[0].points == 600
    assert period_start("week", clock.now) == 1_763_942_400.0


def test_migration_upgrades_a_populated_database_from_the_first_revision(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    migrate(engine, "0001")
    first = {
        "game_id": "g",
        "player_id": "u1",
        "player_name": "Ana",
        "workspace": "W",
        "channel": "C",
        "points": 120,
        "correct": 1,
        "answered": 1,
        "best_streak": 1,
        "won": True,
        "finished_at": 1.0,
    }
    with engine.begin() as c:
        # only the columns revision 0001 has
        c.execute(insert(table("quiz_results", *(column(name) for name in first))).values(**first))
    migrate(engine)
    assert current_revision(engine) == "0008"
    quiz = service(engine, FakeClock())
    assert quiz.leaderboard(channel="C")[0].points == 120
    quiz.store.save_box("W", "u1", "q1", 3)
    assert quiz.store.boxes("W", "u1") == {"q1": 3}


def test_the_countdown_and_the_reveal_edit_the_question_message(engine):
    from bot.quiz.chat import QuizChat, Where

    clock = FakeClock()
    quiz = service(engine, clock)
    chat = QuizChat(KB, BANK, quiz)
    where = Where("W1", "C7")
    [question] = chat.command("start", "questions:2 seconds:20", ANA, where)
    clock.advance(12)
    [countdown] = chat.countdown("C7")
    assert countdown.key == question.key and "8 s left" in countdown.footer
    clock.advance(9)
    reveal, following = chat.countdown("C7")
    assert reveal.key == question.key and reveal.title.startswith("Answer: ")
    assert following.key != question.key and following.title == "Question 2 of 2"


def test_a_click_after_the_deadline_posts_the_reveal_and_the_next_question(engine):
    from bot.quiz.chat import QuizChat, Where
    from bot.quiz.replies import answer_value

    clock = FakeClock()
    chat = QuizChat(KB, BANK, service(engine, clock))
    where = Where("W1", "C8")
    chat.command("start", "questions:3 seconds:10", ANA, where)
    game = chat.service.current("C8")
    clock.advance(11)
    replies = chat.click(answer_value(game, 0, 0), BEN, where)
    titles = [r.title for r in replies]
    assert "That question is closed." in titles
    assert any(t.startswith("Answer: ") for t in titles) and "Question 2 of 3" in titles


def test_a_skip_after_the_deadline_stores_both_deadlines(engine):
    clock = FakeClock()
    quiz = service(engine, clock)
    quiz.start("W1", "C9", ANA, Settings(questions=4, seconds=10))
    clock.advance(11)
    events = quiz.skip("C9", ANA).events  # closes question 1 by time, then skips question 2
    assert [e.kind for e in events] == ["reveal", "question", "reveal", "question"]
    fresh = service(engine, clock)
    game = fresh.current("C9")
    assert game is not None and game.index == 2 and game.phase == "asking"
    assert fresh.answer("C9", BEN, 2, game.current.answer).outcome.correct


def test_a_forged_button_value_changes_nothing(engine):
    from bot.quiz.chat import QuizChat, Where

    clock = FakeClock()
    chat = QuizChat(KB, BANK, service(engine, clock))
    where = Where("W1", "C10")
    chat.command("start", "questions:2", ANA, where)
    game_id = chat.service.current("C10").id
    for value in (f"v1:{game_id}:0:3000000000", f"v1:{game_id}:0:99", "v1:x:y:z", "v2:" + game_id + ":0:0"):
        chat.click(value, BEN, where)
    assert chat.service.current("C10").answers == {}
    fresh = service(engine, clock).current("C10")
    assert fresh.answers == {} and fresh.standings == {}


def test_team_games_wait_for_everyone_and_keep_teams_across_processes(engine):
    clock = FakeClock()
    quiz = service(engine, clock)
    game = quiz.start("W1", "C11", ANA, Settings(questions=3, seconds=20, teams=True)).game
    right = game.current.answer
    assert quiz.answer("C11", ANA, 0, right).events == []  # the first answer does not close question 1
    quiz.answer("C11", BEN, 0, right)
    live = {pid: s.team for pid, s in quiz.current("C11").standings.items()}
    rebuilt = service(engine, clock).current("C11")
    assert {pid: s.team for pid, s in rebuilt.standings.items()} == live and len(set(live.values())) == 2


def test_a_player_who_joined_a_team_still_plays_after_a_restart(engine):
    clock = FakeClock()
    quiz = service(engine, clock)
    game = quiz.start("W1", "C13", ANA, Settings(questions=3, seconds=20, teams=True)).game
    quiz.answer("C13", ANA, 0, game.current.answer)
    quiz.skip("C13", ANA)  # Ana has played, so she counts from question 2 on
    assert quiz.join("C13", CAI, "Blue").game.joined == {"u3"}
    restarted = service(engine, clock)  # a restart, or another process: the game is rebuilt from the database
    assert [s.player.name for s in restarted.current("C13").ranking()] == ["Ana", "Cai"]
    right = restarted.current("C13").current.answer
    assert restarted.answer("C13", ANA, 1, right).events == []  # Cai has not answered: question 2 stays open
    third = service(engine, clock)
    step = third.answer("C13", CAI, 1, right)
    assert step.outcome.status == "accepted" and step.outcome.correct
    assert [e.reason for e in step.events if e.kind == "reveal"] == ["everyone answered"]
    assert {pid: s.team for pid, s in third.current("C13").standings.items()} == {"u1": "Blue", "u3": "Blue"}


def test_stored_answer_times_are_the_times_answered(engine):
    clock = FakeClock()
    quiz = service(engine, clock)
    game = quiz.start("W1", "C12", ANA, Settings(questions=2, seconds=20)).game
    clock.advance(3)
    quiz.answer("C12", BEN, 0, game.current.answer)
    with engine.connect() as c:
        assert c.execute(select(t.answers.c.at)).scalar() == clock.now


def test_a_missed_practice_question_comes_back_three_questions_later_in_any_process(engine):
    from bot.quiz.chat import QuizChat, Where

    clock = FakeClock()
    processes = [QuizChat(KB, BANK, service(engine, clock)) for _ in range(2)]  # each click may land anywhere
    where = Where("W1", "C20")
    [reply] = processes[0].command("practice", "", ANA, where)
    asked = []
    # eight answers: asked[0] is in the last five asked from the fourth on, so only its queued return brings it back
    for n in range(8):
        question_id = reply.actions[0].value.split(":", 1)[1].split("|")[0]
        asked.append(question_id)
        miss = n in (0, 4)
        right = f"|{BANK.by_id[question_id].answer}"
        click = next(a for a in reply.actions if a.value.endswith(right) != miss)
        feedback, reply = processes[n % 2].practice_click(click.value, ANA, where)
        assert feedback.title.startswith("Not quite: ") == miss
        assert reply.title == "Practice" and reply.private
    assert asked[3] == asked[0] and asked[7] == asked[4]
    assert len(set(asked[:3])) == 3 and asked[0] not in asked[1:3]
    assert service(engine, clock).store.boxes("W1", "u1")[asked[0]] == 2  # missed (box 1), then right


def test_leaderboard_ties_go_to_the_lower_total_answer_time(engine):
    clock = FakeClock()
    quiz = service(engine, clock)
    game = quiz.start("W1", "C21", ANA, Settings(questions=1, seconds=20)).game
    wrong = (game.current.answer + 1) % len(game.current.choices)
    clock.advance(2)
    quiz.answer("C21", BEN, 0, wrong)
    clock.advance(8)
    step = quiz.answer("C21", ANA, 0, wrong)  # both scored 0; Ben answered in 2 s, Ana in 10 s
    assert [s.player.name for s in step.game.ranking()] == ["Ben", "Ana"]
    clock.advance(11)
    assert [e.kind for e in quiz.tick("C21").events] == ["reveal", "finished"]
    assert [row.name for row in quiz.leaderboard(channel="C21")] == ["Ben", "Ana"]


def test_a_typed_game_takes_the_letter_shown(engine):
    clock = FakeClock()
    quiz = service(engine, clock)
    game = quiz.start("W1", "C22", ANA, Settings(questions=2, mode="typed")).game
    letter = "ABCD"[game.current.answer]
    assert quiz.answer_text("C22", BEN, f"{letter.lower()}.").outcome.correct
    assert quiz.answer_text("C22", BEN, letter).outcome.status == "duplicate"
    assert quiz.answer_text("C22", CAI, "Z").outcome.status == "ignored"  # no choice is shown as Z


def test_settings_without_questions_say_what_to_change(engine):
    from bot.quiz.chat import QuizChat, Where

    chat = QuizChat(KB, BANK, service(engine, FakeClock()))
    [refusal] = chat.command("start", "level:hard topic:mistakes", ANA, Where("W1", "C23"))
    assert refusal.title == "No questions match those settings." and refusal.private
    assert refusal.text == (
        "Nothing matches level:hard topic:mistakes. Try level:easy|medium|mixed, or topic:2xx|3xx|4xx|5xx|all."
    )


def test_standings_count_revealed_questions_and_read_well(engine):
    from bot.quiz.chat import QuizChat, Where

    clock = FakeClock()
    chat = QuizChat(KB, BANK, service(engine, clock))
    where = Where("W1", "C24")
    you = Player("console", "you")
    chat.command("start", "questions:2", you, where)
    assert chat.command("score", "", you, where)[0].title == "Scores after 0 of 2 questions"
    game = chat.service.current("C24")
    chat.service.answer("C24", you, 0, game.current.answer)
    chat.command("skip", "", you, where)
    assert chat.command("score", "", you, where)[0].title == "Scores after 1 of 2 questions"
    final = chat.command("stop", "", you, where)[-1]
    assert final.title == "Game over: you win"
    [board] = chat.command("leaderboard", "", you, where)
    assert board.text.endswith(" pts · 1 game · 1 win")


def test_the_migrations_build_exactly_the_tables_the_code_declares(engine):
    """bot/storage/schema.py (what the code queries) and the migrations (what databases get) describe the same
    tables, columns and indexes, so a table or index added to one only is caught here on both engines."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as c:
        assert compare_metadata(MigrationContext.configure(c), t.metadata) == []


def test_a_kept_game_catches_up_with_answers_from_another_process_as_a_rebuild_would(engine):
    clock = FakeClock()
    one, two = service(engine, clock), service(engine, clock)
    game = one.start("W1", "C9", ANA, Settings(questions=3, seconds=20)).game
    right, wrong = game.current.answer, (game.current.answer + 1) % len(game.current.choices)
    one.answer("C9", ANA, 0, wrong)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    for player, choice in ((BEN, right), (CAI, right)):
        clock.advance(3.3)
        two.answer("C9", player, 0, choice)  # the other process stores an answer: the kept game is a version behind
        statements.clear()
        assert one.answer("C9", player, 0, choice).outcome.status == "duplicate"
        # no rebuild: on PostgreSQL the new answers come with the locked game row, on SQLite one query more
        assert sum(s.startswith("SELECT") for s in statements) == (1 if engine.dialect.name == "postgresql" else 2)
        kept = one.current("C9")
        assert kept == service(engine, clock).current("C9")  # exactly what a fresh process rebuilds
    assert kept.answers[BEN.id].first and not kept.answers[CAI.id].first


def test_answers_stored_while_this_process_waited_for_the_game_are_not_missed(engine):
    clock = FakeClock()
    one, two = service(engine, clock), service(engine, clock)
    game = one.start("W1", "C9", ANA, Settings(questions=3, seconds=20)).game
    right = game.current.answer
    one.answer("C9", ANA, 0, (right + 1) % len(game.current.choices))
    stored = threading.Event()
    record = two.store.record_answer

    def record_then_wait(*args, **kwargs):  # two holds the game's lock a while after storing its answer
        claimed = record(*args, **kwargs)
        stored.set()
        time.sleep(0.5)
        return claimed

    two.store.record_answer = record_then_wait
    racing = threading.Thread(target=two.answer, args=("C9", BEN, 0, right))
    racing.start()
    assert stored.wait(10)
    clock.advance(1.7)
    step = one.answer("C9", CAI, 0, right)  # waits for two's lock: BEN's answer was first
    racing.join()
    assert (step.outcome.status, step.outcome.first) == ("accepted", False)
    assert one.current("C9") == service(engine, clock).current("C9")


def two_processes_after_two_right_answers(engine, clock):
    """Two processes on one game of three 20-s questions; Ana and Ben answered question 1 right through the first."""
    one, two = service(engine, clock), service(engine, clock)
    game = one.start("W1", "C9", ANA, Settings(questions=3, seconds=20)).game
    right = game.current.answer
    one.answer("C9", ANA, 0, right)
    one.answer("C9", BEN, 0, right)
    return one, two, game, right


def test_a_kept_game_is_rebuilt_when_something_other_than_answers_changed(engine):
    clock = FakeClock()
    one, two, game, right = two_processes_after_two_right_answers(engine, clock)
    with two.store.transaction() as c:  # BEN's answer deleted and the game re-scored (as forget-me does)
        c.execute(delete(t.answers).where(t.answers.c.player_id == BEN.id))
        two.store.rescore(c, game.id)
    two.answer("C9", CAI, 0, right)  # one new answer, two new versions
    kept = one.current("C9")
    assert set(kept.answers) == {ANA.id, CAI.id} and kept == service(engine, clock).current("C9")


def test_a_first_right_answer_whose_claim_is_taken_stores_nothing(engine):
    clock = FakeClock()
    quiz = service(engine, clock)
    game = quiz.start("W1", "C9", ANA, Settings(questions=3, seconds=20)).game
    with engine.begin() as c:  # a rival's claim this process's copy of the game does not know about
        c.execute(update(t.questions).where(t.questions.c.game_id == game.id).values(first_correct="rival"))
    with pytest.raises(RuntimeError, match="already claimed"):
        quiz.answer("C9", BEN, 0, game.current.answer)
    with engine.connect() as c:
        assert c.execute(select(func.count()).select_from(t.answers)).scalar() == 0
        assert c.execute(select(t.games.c.version).where(t.games.c.id == game.id)).scalar() == 1
    assert quiz.answer("C9", CAI, 0, (game.current.answer + 1) % len(game.current.choices)).outcome.status == "accepted"


def test_an_answer_that_closes_the_question_elsewhere_is_not_replayed_onto_the_old_question(engine):
    clock = FakeClock()
    one, two, _, right = two_processes_after_two_right_answers(engine, clock)
    clock.advance(21)
    one.tick("C9")  # question 2 is up: Ana and Ben are playing
    right = one.current("C9").current.answer
    one.answer("C9", ANA, 1, right)
    # the other process stores Ben's answer: everyone playing answered, so the same step asks question 3
    step = two.answer("C9", BEN, 1, right)
    assert [e.kind for e in step.events] == ["reveal", "question"]
    kept = one.current("C9")
    assert kept.index == 2 and kept == service(engine, clock).current("C9")
    assert one.answer("C9", CAI, 1, right).outcome.status == "closed"
    assert one.answer("C9", CAI, 2, kept.current.answer).outcome.correct


def test_a_player_who_switches_teams_in_another_process_plays_for_the_new_team(engine):
    clock = FakeClock()
    one, two = service(engine, clock), service(engine, clock)
    game = one.start("W1", "C10", ANA, Settings(questions=3, seconds=20, teams=True)).game
    one.join("C10", BEN, "Red")
    assert one.current("C10").teams[BEN.id] == "Red"
    two.join("C10", BEN, "Blue")
    assert one.current("C10").teams[BEN.id] == "Blue"
    one.answer("C10", BEN, 0, game.current.answer)
    with engine.connect() as c:
        assert c.execute(select(t.teams.c.team).where(t.teams.c.player_id == BEN.id)).scalar_one() == "Blue"


def test_a_click_still_counts_when_another_thread_drops_the_kept_game_mid_transaction(engine):
    clock = FakeClock()
    quiz = service(engine, clock)
    game = quiz.start("W1", "C11", ANA, Settings(questions=3, seconds=20)).game
    store, record = quiz.store, quiz.store.record_answer

    def meanwhile(*args, **kwargs):
        store._cache.clear()  # what a lock-free read in another thread may do to this process's copies
        return record(*args, **kwargs)

    store.record_answer = meanwhile
    assert quiz.answer("C11", BEN, 0, game.current.answer).outcome.first
    store.record_answer = record
    assert service(engine, clock).current("C11").answers[BEN.id].first
    assert quiz.answer("C11", ANA, 0, game.current.answer).outcome.status == "accepted"
