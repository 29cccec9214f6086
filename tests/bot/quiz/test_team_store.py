"""Team settings and feedback rows on SQLite and PostgreSQL: kept, rated, listed, swept and forgotten."""

from __future__ import annotations

import io
import json

from sqlalchemy import Engine

from bot.evaluation import read_questions
from bot.feedback import export
from bot.storage.privacy import forget
from bot.storage.team_store import KEEP_UNRATED_SECONDS, TeamStore
from bot.team import TeamSettings


class Clock:
    def __init__(self, now: float = 1_764_892_800.0) -> None:  # 2025-12-05 00:00 UTC
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_settings_are_kept_per_workspace(engine: Engine) -> None:
    store = TeamStore(engine)
    assert store.load_settings("T1") == {}
    chosen = TeamSettings(visibility="channel", feedback=False, quiz_channels=(("C9", "quiz"),))
    store.save_settings("T1", chosen.to_json())
    store.save_settings("T1", chosen._replace(quiz_starters="moderators").to_json())
    back = TeamSettings.from_json(store.load_settings("T1"))
    assert back == TeamSettings("channel", False, (("C9", "quiz"),), "moderators", "")
    assert store.load_settings("T2") == {}


def test_unreadable_stored_settings_fall_back_to_the_defaults() -> None:
    assert TeamSettings.from_json({"visibility": "loud", "quiz_channels": 5, "quiz_starters": None}) == TeamSettings()


def test_ratings_are_listed_and_unrated_answers_are_not(engine: Engine) -> None:
    clock = Clock()
    store = TeamStore(engine, clock)
    right = store.record("T1", "U1", "what code for duplicate email?", [409, 422], "sure")
    wrong = store.record("T1", "U2", "user already exists on signup", [400, 409], "likely")
    store.record("T1", "U1", "unrated question", [404], "sure")
    abstained = store.record("T2", "U3", "the wifi is slow today", [], "abstain")
    store.rate(right, "right")
    store.rate(wrong, "wrong", 409)
    rows = store.rows()
    assert [(r.question, r.verdict, r.expected, r.answered) for r in rows] == [
        ("what code for duplicate email?", "right", None, (409, 422)),
        ("user already exists on signup", "wrong", 409, (400, 409)),
        ("the wifi is slow today", "unrated", None, ()),
    ]
    assert [r.id for r in store.rows(workspace="T2")] == [abstained]
    out = io.StringIO()
    assert export(rows, out) == (3, 0)
    assert [json.loads(line)["accept"] for line in out.getvalue().splitlines()] == [[409], [409], []]


def test_since_leaves_out_older_questions(engine: Engine) -> None:
    clock = Clock()
    store = TeamStore(engine, clock)
    store.rate(store.record("T1", "U1", "old one", [409], "sure"), "wrong", 422)
    clock.now += 60
    store.rate(store.record("T1", "U1", "new one", [201], "sure"), "right")
    assert [r.question for r in store.rows(since=clock.now - 10)] == ["new one"]
    assert [r.question for r in store.rows(since=clock.now - 61)] == ["old one", "new one"]


def test_forget_me_deletes_one_persons_feedback_in_one_workspace_only(engine: Engine) -> None:
    store = TeamStore(engine)
    for workspace, user in (("T1", "U1"), ("T1", "U1"), ("T1", "U2"), ("T2", "U1")):
        store.rate(store.record(workspace, user, f"question of {user} in {workspace}", [409], "sure"), "right")
    with engine.begin() as c:
        assert forget(c, "T1", "U1").deleted["kept question"] == 2
    assert [r.question for r in store.rows()] == ["question of U2 in T1", "question of U1 in T2"]


def test_an_export_loads_in_statusbot_eval(tmp_path, engine: Engine) -> None:
    store = TeamStore(engine)
    store.rate(store.record("T1", "U1", "Duplicate email on signup", [409], "sure"), "right")
    store.rate(store.record("T1", "U2", "duplicate  EMAIL on signup", [409], "sure"), "wrong", 422)
    store.rate(store.record("T1", "U2", "what's for lunch", [418], "unsure"), "wrong", 0)
    store.rate(store.record("T1", "U2", "a 👎 nobody finished", [500], "sure"), "wrong")
    path = tmp_path / "feedback.jsonl"
    with path.open("w", encoding="utf-8") as out:
        assert export(store.rows(), out) == (2, 1)
    questions = read_questions(path)
    assert [(q.text, q.accept) for q in questions] == [
        ("Duplicate email on signup", (409, 422)),
        ("what's for lunch", ()),
    ]


def test_the_retention_purge_deletes_answers_nobody_rated_in_30_days_even_when_nobody_asks_again(
    engine: Engine,
) -> None:
    from bot.storage.privacy import purge

    clock = Clock()
    store = TeamStore(engine, clock)
    unrated = store.record("T1", "U1", "what code for duplicate email?", [409], "sure")
    abstained = store.record("T1", "U1", "the wifi is slow today", [], "abstain")
    rated = store.record("T1", "U1", "user already exists", [409], "sure")
    store.rate(rated, "right")
    clock.now += KEEP_UNRATED_SECONDS + 1  # docs/privacy.md: "unrated answers 30 days"
    assert purge(engine, 90, clock.now).rows == 1
    assert store.get(unrated) is None
    assert store.get(abstained) is not None and store.get(rated) is not None  # kept for the retention period


def test_a_question_with_control_characters_is_kept_for_rating_without_them(engine: Engine) -> None:
    from bot.conversation import Conversation, Place, User, default_quiz
    from bot.platform import Platform
    from knowledge import knowledge

    kb = knowledge()
    talk = Conversation(kb, platform=Platform("slack", True, shared=True), quiz=lambda: default_quiz(kb, engine))
    asked = "what code for \x1b[2Jdup\x00licate \u202eemail?"  # a terminal escape, NUL (PostgreSQL), a bidi control
    answer = talk.on_command("status", asked, User("U1", "ada"), Place("T1", "C1"))[0]
    assert answer.title == "Best match: 409 Conflict"
    assert [action.label for action in answer.actions] == ["👍 Right", "👎 Wrong", "Share in channel"]
    up = answer.actions[0]
    assert talk.on_action(up.id, up.value, User("U1", "ada"), Place("T1", "C1"))[0].title == (
        "Thanks! Noted that 409 Conflict was right."
    )
    assert [row.question for row in talk.team.rows()] == ["what code for duplicate email?"]  # as a maintainer reads it


def test_two_admins_saving_settings_at_the_same_moment_both_succeed(engine: Engine) -> None:
    import threading

    from sqlalchemy import insert

    from bot.storage import schema as t

    store = TeamStore(engine)
    done: list[object] = []
    with engine.begin() as first:  # one admin's save, not committed yet
        first.execute(insert(t.team_settings).values(workspace="T1", settings="{}", updated_at=0.0))
        other = threading.Thread(
            target=lambda: done.append(_outcome(lambda: store.save_settings("T1", {"visibility": "channel"}))),
        )
        other.start()
        other.join(1.0)  # the second save waits for the first (PostgreSQL: the key; SQLite: the write lock)
    other.join(10.0)
    assert done == [None]  # no error: the later save wins
    assert TeamSettings.from_json(store.load_settings("T1")).visibility == "channel"


def _outcome(call: object) -> object:
    try:
        call()  # type: ignore[operator]
    except Exception as error:
        return error
    return None
