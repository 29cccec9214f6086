"""Whole quiz games on a fake clock: timeouts, reveals, scoring, streaks, permissions, teams, typed mode."""

from __future__ import annotations

import random

import pytest

from bot.quiz.bank import Bank
from bot.quiz.game import Game, Player, Settings
from bot.quiz.practice import Practice
from bot.quiz.question import Question
from bot.quiz.scoring import CORRECT, FIRST_BONUS, SPEED_MAX, STREAK_STEP
from bot.quiz.typed import codes_named
from knowledge import knowledge, situations

KB = knowledge()
ANA, BEN, CAI = Player("u1", "Ana"), Player("u2", "Ben"), Player("u3", "Cai")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="module")
def bank() -> Bank:
    return Bank(KB, situations())


def make_game(bank: Bank, clock: FakeClock, **settings) -> Game:
    chosen = Settings(**settings)
    questions = bank.draw(chosen.questions, random.Random(7), level=chosen.level, topic=chosen.topic)
    return Game("g1", "C1", ANA, chosen, questions, clock)


def wrong(question: Question) -> int:
    return (question.answer + 1) % len(question.choices)


def test_a_question_closes_at_its_deadline_and_the_next_one_follows(bank):
    clock = FakeClock()
    game = make_game(bank, clock, questions=2, seconds=20)
    assert [e.kind for e in game.start()] == ["question"]
    clock.advance(19)
    assert game.tick() == []
    clock.advance(1)
    events = game.tick()
    assert [e.kind for e in events] == ["reveal", "question"] and events[0].reason == "time"
    clock.advance(20)
    assert [e.kind for e in game.tick()] == ["reveal", "finished"]
    assert game.end_reason == "out of questions"


def test_scoring_speed_first_correct_and_streaks(bank):
    clock = FakeClock()
    game = make_game(bank, clock, questions=3, seconds=20)
    game.start()
    first = game.answer(ANA, game.current.answer)  # instantly
    assert first.correct and first.first and first.points == CORRECT + SPEED_MAX + FIRST_BONUS
    clock.advance(10)
    second = game.answer(BEN, game.current.answer)
    assert second.correct and not second.first and second.points == CORRECT + SPEED_MAX // 2
    assert game.tick() == []  # nobody is known to be playing during the first question
    clock.advance(10)
    assert game.tick()[0].reason == "time"
    outcome = game.answer(ANA, game.current.answer)
    assert outcome.points == CORRECT + SPEED_MAX + FIRST_BONUS + STREAK_STEP  # streak of two
    game.answer(BEN, wrong(game.current))
    assert game.tick()[0].reason == "everyone answered"
    assert game.standings["u2"].streak == 0 and game.standings["u1"].best_streak == 2


def test_one_answer_per_player_and_none_after_the_deadline(bank):
    clock = FakeClock()
    game = make_game(bank, clock, questions=2, seconds=10)
    game.start()
    game.answer(ANA, game.current.answer)
    assert game.answer(ANA, wrong(game.current)).status == "duplicate"
    assert game.standings["u1"].points > 0 and game.standings["u1"].answered == 1
    clock.advance(10)
    game.tick()
    clock.advance(10.5)
    assert game.answer(BEN, game.current.answer).status == "late"


def test_only_the_starter_or_a_moderator_stops_or_skips(bank):
    clock = FakeClock()
    game = make_game(bank, clock, questions=3)
    game.start()
    assert game.skip(BEN) is None and game.stop(BEN) is None
    assert [e.kind for e in game.skip(BEN, moderator=True)] == ["reveal", "question"]
    game.answer(BEN, wrong(game.current))
    assert [e.kind for e in game.stop(ANA)] == ["finished"]
    assert game.end_reason == "stopped"
    # a player who answered and scored zero still played
    assert game.standings["u2"].answered == 1 and game.standings["u2"].points == 0


def test_ranking_breaks_ties_by_total_time(bank):
    clock = FakeClock()
    game = make_game(bank, clock, questions=1, seconds=20)
    game.start()
    game.answer(ANA, wrong(game.current))
    clock.advance(5)
    game.answer(BEN, wrong(game.current))
    assert [s.player.name for s in game.ranking()] == ["Ana", "Ben"]


def test_team_mode_balances_and_sums(bank):
    clock = FakeClock()
    game = make_game(bank, clock, questions=1, teams=True)
    game.start()
    game.join(CAI, "Blue")
    for player in (ANA, BEN):
        game.answer(player, game.current.answer)
    game.answer(CAI, game.current.answer)
    assert game.teams == {"u3": "Blue", "u1": "Red", "u2": "Blue"}
    scores = dict((team, points) for team, points, _ in game.team_scores())
    assert sum(scores.values()) == sum(s.points for s in game.standings.values())


def test_typed_mode_rules(bank):
    clock = FakeClock()
    game = make_game(bank, clock, questions=1, mode="typed")
    game.start()
    question = game.current
    right_code = question.codes[question.answer]
    right_name = KB.primary(right_code).name
    assert game.answer_codes(BEN, codes_named(KB, "hmm tough one")).status == "ignored"
    several = game.answer_codes(CAI, codes_named(KB, "401 403 404 409"))
    assert several.status == "accepted" and several.points == 0
    first = game.answer_codes(ANA, codes_named(KB, f"{right_code}."))
    assert first.correct and first.first
    named = game.answer_codes(BEN, codes_named(KB, right_name.lower()))
    assert named.correct and not named.first


@pytest.mark.parametrize(
    "text,code",
    [
        ("409", 409),
        ("conflict", 409),
        ("409 Conflict", 409),
        ("409.", 409),
        ("confilct", 409),
        ("unprocesable entity", 422),
        ("gone", 410),
    ],
)
def test_typed_answers_name_codes(text, code):
    assert codes_named(KB, text) == {code}


def test_practice_brings_back_a_missed_question_and_lets_mastered_ones_recede(bank):
    pool = bank.pool(level="easy")
    practice = Practice(pool, random.Random(3))
    missed = practice.next_question()
    practice.record(missed, correct=False)
    seen = [practice.next_question() for _ in range(4)]
    assert missed.id in [q.id for q in seen]
    mastered = seen[0]
    for _ in range(5):
        practice.record(mastered, correct=True)
    assert practice.boxes[mastered.id] == 5
    later = [practice.next_question().id for _ in range(60)]
    assert later.count(mastered.id) <= 3


def test_practice_stored_boxes_alone_bring_a_missed_question_back(bank):
    # each click builds a new drill from the stored boxes, as the platforms do
    pool = bank.pool(level="medium")
    missed = pool[0]
    boxes = {missed.id: 1}
    comebacks = 0
    for seed in range(40):
        comebacks += Practice(pool, random.Random(seed), boxes=dict(boxes)).next_question().id == missed.id
    assert comebacks >= 12  # about half the draws while it sits in box 1
