"""Privacy on SQLite and PostgreSQL: forget-me deletes exactly one person's data in one workspace, a running game
goes on without them, leaderboard opt-outs, and the retention purge."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, insert, select

from bot.privacy import forget_click, forget_prompt, purge_expired, set_listing
from bot.quiz.chat import QuizChat, Where
from bot.quiz.game import Player, Settings
from bot.quiz.service import QuizService
from bot.storage import schema as t
from bot.storage.privacy import purge
from bot.storage.quiz_store import PracticeState
from bot.storage.retention import SettingProblem, retention_days
from tests.bot.quiz.test_game import FakeClock
from tests.bot.quiz.test_storage import BANK, KB, service

ANA, BEN, CAI = Player("u1", "Ana"), Player("u2", "Ben"), Player("u3", "Cai")
DAY = 86400


def chat(quiz: QuizService) -> QuizChat:
    return QuizChat(KB, BANK, quiz)


def play(quiz: QuizService, clock: FakeClock, workspace: str, channel: str, *players: Player, teams: bool = False):
    """A one-question game of 20 s in which each player answers right 10 s in, in turn; finished."""
    game = quiz.start(workspace, channel, players[0], Settings(questions=1, seconds=20, teams=teams)).game
    assert game is not None
    if teams:
        for player, team in zip(players, ("Red", "Blue", "Red"), strict=False):
            quiz.join(channel, player, team)
    clock.advance(10)
    for player in players:
        assert quiz.answer(channel, player, 0, game.current.answer).outcome.status == "accepted"
    clock.advance(11)
    quiz.tick(channel)
    assert quiz.current(channel) is None  # finished


def rows(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, for before/after comparisons."""
    with engine.connect() as c:
        return {
            table.name: sorted((dict(r) for r in c.execute(select(table)).mappings()), key=repr)
            for table in t.metadata.sorted_tables
        }


def of(snapshot: dict[str, list[dict[str, Any]]], player_id: str, workspace: str) -> list[tuple[str, dict[str, Any]]]:
    """The rows naming ``player_id`` (as player, starter or first right answer) in ``workspace``."""
    games = {g["id"] for g in snapshot["quiz_games"] if g["workspace"] == workspace}
    found = []
    for name, table_rows in snapshot.items():
        for row in table_rows:
            here = row["workspace"] == workspace if "workspace" in row else row.get("game_id") in games
            if here and player_id in (row.get("player_id"), row.get("starter_id"), row.get("first_correct")):
                found.append((name, row))
    return found


def test_forget_me_deletes_exactly_that_persons_data_in_that_workspace(engine):
    clock = FakeClock()
    quiz = service(engine, clock)
    play(quiz, clock, "W1", "C1", ANA, BEN)
    play(quiz, clock, "W1", "C1", BEN, ANA)
    play(quiz, clock, "W1", "C3", ANA, BEN, teams=True)
    play(quiz, clock, "W2", "C2", ANA, BEN)  # another workspace: untouched
    with quiz.store.transaction() as c:
        for workspace in ("W1", "W2"):
            for player in (ANA, BEN):
                quiz.store.save_practice(c, workspace, player.id, PracticeState({}, 1, (), ("q",)), {"q": 2})
    room = chat(quiz)
    set_listing(room, "W1", BEN.id, listed=False, platform="slack")
    set_listing(room, "W1", ANA.id, listed=False, platform="slack")
    set_listing(room, "W1", ANA.id, listed=True, platform="slack")
    set_listing(room, "W1", ANA.id, listed=False, platform="slack")
    set_listing(room, "W1", BEN.id, listed=True, platform="slack")
    assert [r.name for r in quiz.leaderboard(workspace="W1")] == ["Ben"]
    before = rows(engine)

    prompt = forget_prompt(ANA.id, "slack")
    assert prompt.title == "Delete everything statusbot keeps about you in this workspace?"
    assert prompt.private and [a.label for a in prompt.actions] == ["Confirm", "Cancel"]
    confirm = prompt.actions[0].value
    # somebody else's click on Ana's button does nothing
    assert forget_click(room, confirm, BEN.id, "W1", "slack").title == "That isn't your button"
    assert forget_click(room, prompt.actions[1].value, ANA.id, "W1", "slack").title == "Nothing was deleted"
    assert forget_click(room, "v1:yes:", ANA.id, "W1", "slack").title == "That button no longer works"
    assert rows(engine) == before

    done = forget_click(room, confirm, ANA.id, "W1", "slack")
    assert done.title == "Done: statusbot has forgotten you in this workspace"
    assert done.text == (
        "Deleted 3 quiz answers, 3 game results, 1 team choice, 1 practice question, 1 practice drill, "
        "1 leaderboard opt-out."
    )
    assert done.replace and done.private
    after = rows(engine)
    assert of(after, ANA.id, "W1") == []  # nothing in W1 names Ana any more
    assert len(of(before, ANA.id, "W1")) == 14  # 9 rows of hers, 2 games she started, 2 firsts, 1 opt-out
    assert of(after, ANA.id, "W2") == of(before, ANA.id, "W2") != []  # her W2 data is all there
    for workspace in ("W1", "W2"):  # Ben's rows are exactly as they were
        assert of(after, BEN.id, workspace) == of(before, BEN.id, workspace) != []
    # games Ana started are kept for the others' sake, without her name
    assert sorted(g["starter_name"] for g in after["quiz_games"] if g["workspace"] == "W1") == ["", "", "Ben"]
    assert [(r.name, r.points, r.games) for r in quiz.leaderboard(workspace="W1")] == [("Ben", 400, 3)]
    assert [(r.name, r.points) for r in quiz.leaderboard(workspace="W2")] == [("Ana", 150), ("Ben", 125)]
    again = forget_click(room, confirm, ANA.id, "W1", "slack")
    assert (again.title, again.text) == (
        "statusbot keeps nothing about you in this workspace",
        "There was nothing to delete.",
    )


def test_a_running_game_goes_on_without_the_forgotten_player_in_every_process(engine):
    clock = FakeClock()
    quiz, other_process = service(engine, clock), service(engine, clock)
    room = chat(quiz)
    game = quiz.start("W1", "C5", ANA, Settings(questions=2, seconds=20)).game
    clock.advance(10)
    quiz.answer("C5", ANA, 0, game.current.answer)  # first right: 100 + 25 for speed + 25 for first
    quiz.answer("C5", BEN, 0, game.current.answer)  # 125
    clock.advance(11)
    quiz.tick("C5")
    assert other_process.current("C5").standings[BEN.id].points == 125  # cached there now
    done = forget_click(room, forget_prompt(ANA.id, "discord").actions[0].value, ANA.id, "W1", "discord")
    assert done.title == "Done: statusbot has forgotten you in this server"
    assert done.text == "Deleted 1 quiz answer."
    # Ben was the first right answer now: both processes see it, and the stored rows agree
    for process in (quiz, other_process):
        standings = chat(process).command("score", "", CAI, Where("W1", "C5"))[-1]
        assert standings.fields[0].value == "1. Ben: 150 pts (1/1 right)"
    with engine.connect() as c:
        assert c.execute(select(t.answers.c.player_id, t.answers.c.first, t.answers.c.points)).all() == [
            ("u2", True, 150)
        ]
        assert c.execute(select(t.questions.c.first_correct).order_by(t.questions.c.number)).scalars().all() == [
            "u2",
            None,
        ]
    # the forgotten starter no longer controls the game; it goes on and ends as usual, without her
    assert room.command("stop", "", ANA, Where("W1", "C5"))[-1].title == (
        "Only the player who started the game or a moderator can do that."
    )
    right = quiz.current("C5").current.answer
    assert other_process.answer("C5", BEN, 1, right).outcome.correct  # everyone playing answered: the game ends
    assert [(r.name, r.points, r.wins) for r in quiz.leaderboard(channel="C5")] == [("Ben", 150 + 185, 1)]


def test_opting_out_hides_a_player_from_every_leaderboard_of_that_workspace_only(engine):
    clock = FakeClock()
    clock.now = 1_764_000_000.0  # Monday 24 Nov 2025
    quiz = service(engine, clock)
    room = chat(quiz)
    play(quiz, clock, "W1", "C1", ANA, BEN)
    play(quiz, clock, "W2", "C2", ANA)

    def boards(workspace: str, channel: str) -> set[tuple[str, ...]]:
        seen = set()
        for period in ("week", "month", "all"):
            seen.add(tuple(r.name for r in quiz.leaderboard(channel=channel, period=period)))
            seen.add(tuple(r.name for r in quiz.leaderboard(workspace=workspace, period=period)))
        return seen

    assert boards("W1", "C1") == {("Ana", "Ben")}
    out = set_listing(room, "W1", ANA.id, listed=False, platform="slack")
    assert out.title == "You're off the leaderboards in this workspace" and out.private
    assert set_listing(room, "W1", ANA.id, listed=False, platform="slack").title == (
        "You were already off the leaderboards in this workspace"
    )
    assert boards("W1", "C1") == {("Ben",)}
    assert boards("W2", "C2") == {("Ana",)}
    # her game play still works, and counts in the game's own standings
    play(quiz, clock, "W1", "C1", ANA, BEN)
    assert boards("W1", "C1") == {("Ben",)}
    back = set_listing(room, "W1", ANA.id, listed=True, platform="console")
    assert (back.title, back.text) == ("You're back on the leaderboards here", "Every game you finished counts again.")
    assert [(r.name, r.points, r.games) for r in quiz.leaderboard(workspace="W1")] == [
        ("Ana", 300, 2),
        ("Ben", 250, 2),
    ]
    assert set_listing(room, "W1", ANA.id, listed=True, platform="console").title == "You're on the leaderboards here"


def test_the_retention_purge_deletes_old_per_question_data_and_keeps_scores(engine):
    clock = FakeClock()
    quiz = service(engine, clock)
    play(quiz, clock, "W1", "C1", ANA, BEN, teams=True)  # will be old
    clock.advance(100 * DAY)
    play(quiz, clock, "W1", "C2", ANA)  # recent
    running = quiz.start("W1", "C3", BEN, Settings(questions=2, seconds=20)).game
    quiz.answer("C3", BEN, 0, running.current.answer)
    with engine.begin() as c:
        c.execute(
            insert(t.chat_messages),
            [
                {
                    "platform": "slack",
                    "key": "old",
                    "channel": "C1",
                    "message_id": "1",
                    "posted_at": clock.now - 91 * DAY,
                },
                {"platform": "slack", "key": "new", "channel": "C2", "message_id": "2", "posted_at": clock.now - DAY},
            ],
        )
    board = [(r.name, r.points) for r in quiz.leaderboard(workspace="W1")]
    assert purge(engine, 90, clock.now) == (1, 1)
    with engine.connect() as c:
        games = {row.channel: row.id for row in c.execute(select(t.games.c.channel, t.games.c.id))}
        for table in (t.questions, t.answers, t.teams):
            kept = set(c.execute(select(table.c.game_id)).scalars())
            assert games["C1"] not in kept, table.name
        assert {games["C2"], games["C3"]} <= set(c.execute(select(t.questions.c.game_id)).scalars())
        assert set(c.execute(select(t.answers.c.game_id)).scalars()) == {games["C2"], games["C3"]}
        assert list(c.execute(select(t.chat_messages.c.key)).scalars()) == ["new"]
        assert len(c.execute(select(t.results)).all()) == 3  # every player's score of every finished game
    assert [(r.name, r.points) for r in quiz.leaderboard(workspace="W1")] == board
    assert purge(engine, 90, clock.now) == (0, 0)  # nothing twice
    assert quiz.answer("C3", CAI, 0, running.current.answer).outcome.status == "accepted"  # the running game goes on
    clock.advance(91 * DAY)
    assert purge_expired(chat(quiz), clock.now).games == 1  # the default period, 90 days


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.5", "٣", "36501", "90 days"])
def test_a_malformed_retention_period_is_named(value):
    with pytest.raises(SettingProblem) as error:
        retention_days({"STATUSBOT_RETENTION_DAYS": value})
    assert str(error.value) == (
        "STATUSBOT_RETENTION_DAYS does not look right: it should be a whole number of days from 1 to 36500 "
        f"(default 90), not {value!r}"
    )


def test_the_retention_period_defaults_to_90_days():
    assert retention_days({}) == 90
    assert retention_days({"STATUSBOT_RETENTION_DAYS": " 30 "}) == 30


def test_forget_me_removes_the_admins_id_from_the_house_rules_they_added_and_keeps_the_teams_rules(engine):
    from bot.conversation import Conversation, Place, User, default_quiz
    from bot.platform import Platform
    from bot.storage.house_rules import HouseRuleStore

    talk = Conversation(KB, platform=Platform("slack", True, shared=True), quiz=lambda: default_quiz(KB, engine))
    boss, admin = User("U9", "boss"), Place("T1", "C1", moderator=True)
    assert talk.on_command("status", "rule add validation error -> 400", boss, admin)[0].title == "House rule 1 added"
    talk.on_command("status", "rule add duplicate email -> 409", boss, Place("T2", "C2", moderator=True))
    done = talk.on_action("statusbot.forget", "v1:yes:U9", boss, admin)[0]
    assert done.title == "statusbot keeps nothing about you in this workspace"  # the rules are the team's
    listed = talk.on_command("status", "rule list", boss, admin)[0]
    assert [field.value for field in listed.fields] == ["“validation error” → 400 Bad Request"]
    rules = HouseRuleStore(engine)
    assert [stored.added_by for stored in rules.rules("T1")] == [""]
    assert [stored.added_by for stored in rules.rules("T2")] == ["U9"]  # another workspace: untouched


def test_forget_me_waits_for_an_answer_being_stored_and_deletes_it_too(engine):
    """A click in flight holds its game; forget-me takes every running game of the workspace first, so it waits
    for the click, then finds and deletes that answer too, and the game is re-scored without it."""
    import threading

    from bot.storage.privacy import forget

    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time: the race needs PostgreSQL's row locks")
    clock = FakeClock()
    quiz = service(engine, clock)
    game = quiz.start("W1", "C1", ANA, Settings(questions=2, seconds=20)).game
    forgotten: list[Any] = []
    with engine.connect() as click:  # another process's click on the game, not committed yet
        click.begin()
        click.execute(select(t.games.c.id).where(t.games.c.id == game.id).with_for_update())

        def forget_ben() -> None:
            with engine.begin() as c:
                forgotten.append(forget(c, "W1", BEN.id))

        worker = threading.Thread(target=forget_ben)
        worker.start()
        worker.join(0.5)
        assert worker.is_alive()  # waiting for the click's game
        row = {"game_id": game.id, "number": 0, "player_id": BEN.id, "player_name": "Ben", "choice": 0}
        click.execute(insert(t.answers).values(**row, at=clock(), correct=False, first=False, points=0))
        click.commit()
    worker.join(10)
    assert forgotten[0].deleted["quiz answer"] == 1 and forgotten[0].running_games == [game.id]
    with engine.connect() as c:
        assert c.execute(select(t.answers.c.player_id).where(t.answers.c.player_id == BEN.id)).all() == []


def test_forget_me_and_the_retention_purge_never_deadlock_over_an_old_game(engine):
    """Both take the games they touch before any other row. While something else holds an old game Ben started and
    answered first in, forget-me waits for it without holding Ben's rows, and the purge leaves that game for its
    next run instead of waiting; released, forget-me finishes and the next purge takes the game."""
    import threading

    from bot.storage.privacy import forget

    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time: the race needs PostgreSQL's row locks")
    clock = FakeClock()
    quiz = service(engine, clock)
    play(quiz, clock, "W1", "C1", BEN, ANA)
    clock.advance(100 * DAY)
    with engine.connect() as c:
        game_id = c.execute(select(t.games.c.id)).scalar_one()
    done: dict[str, Any] = {}

    def run(name: str, work: Any) -> threading.Thread:
        def target() -> None:
            try:
                done[name] = work()
            except Exception as error:  # a deadlock shows here as the database's error
                done[name] = error

        thread = threading.Thread(target=target)
        thread.start()
        return thread

    def forget_ben() -> Any:
        with engine.begin() as c:
            return forget(c, "W1", BEN.id)

    with engine.connect() as holder:  # another process's purge or forget-me, holding the old game
        holder.begin()
        holder.execute(select(t.games.c.id).where(t.games.c.id == game_id).with_for_update())
        forgetting = run("forget", forget_ben)
        forgetting.join(0.5)
        assert forgetting.is_alive()  # waiting for the game
        purging = run("purge", lambda: purge(engine, 90, clock.now))
        purging.join(10)
        assert done.get("purge") == (0, 0)  # the held game is left for the next purge, and nothing waited on Ben's rows
        holder.commit()
    forgetting.join(10)
    assert done["forget"].deleted["quiz answer"] == 1 and done["forget"].deleted["game result"] == 1
    assert purge(engine, 90, clock.now) == (1, 0)
    with engine.connect() as c:
        assert c.execute(select(t.games.c.starter_id)).scalars().all() == [""]
        assert c.execute(select(t.results.c.player_id)).scalars().all() == ["u1"]  # Ana's score stays
        assert c.execute(select(t.answers)).all() == [] and c.execute(select(t.questions)).all() == []
