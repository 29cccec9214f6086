"""The README's scoring and ranking rules, pinned with its literal numbers, on a hand-made game and a fake clock.

"A right answer scores 100, plus up to 50 for speed (falling linearly to 0 at the deadline), plus 25 for the
first right answer to the question, plus 10 for each right answer in a row after the first (at most 50).
A team's score is the sum of its members'. Ties go to the lower total answer time."
"""

from __future__ import annotations

import pytest

from bot.quiz.game import Game, Player, Settings
from bot.quiz.question import Question
from bot.quiz.replies import standings_reply
from bot.quiz.scoring import points

ANA, BEN = Player("u1", "Ana"), Player("u2", "Ben")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def questions(count: int) -> list[Question]:
    """Questions whose right choice is always the first: the tests are about scores, not content."""
    return [
        Question(f"q{i}", "code", f"Question {i}?", ("404 Not Found", "409 Conflict"), 0, "", "easy", "4xx", (404, 409))
        for i in range(count)
    ]


def game(count: int, clock: Clock, **settings: object) -> Game:
    return Game("g1", "C1", ANA, Settings(questions=count, seconds=20, **settings), questions(count), clock)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "elapsed,first,streak,expected",
    [
        (0.0, True, 1, 175),  # 100 + 50 for speed + 25 first
        (0.0, False, 1, 150),
        (10.0, False, 1, 125),  # half the time gone: half the speed points
        (5.0, False, 1, 138),  # 37.5 rounds to 38
        (19.0, False, 1, 103),
        (20.0, False, 1, 100),  # at the deadline: no speed points
        (25.0, False, 1, 100),
        (0.0, False, 2, 160),  # second right answer in a row: +10
        (0.0, False, 3, 170),
        (0.0, False, 6, 200),  # +50, the cap
        (0.0, False, 7, 200),
        (0.0, True, 12, 225),
        (20.0, True, 6, 175),
    ],
)
def test_a_right_answer_scores_as_the_readme_says(elapsed: float, first: bool, streak: int, expected: int) -> None:
    assert points(correct=True, elapsed=elapsed, seconds=20, first=first, streak=streak) == expected


@pytest.mark.parametrize("first,streak", [(True, 1), (False, 0), (True, 9)])
def test_a_wrong_answer_scores_nothing(first: bool, streak: int) -> None:
    assert points(correct=False, elapsed=0.0, seconds=20, first=first, streak=streak) == 0


def test_eight_instant_first_answers_in_a_row_reach_the_streak_cap() -> None:
    clock = Clock()
    played = game(8, clock)
    played.start()
    gained = []
    for _ in range(8):
        gained.append(played.answer(ANA, 0).points)
        clock.now += 20
        played.tick()
    assert gained == [175, 185, 195, 205, 215, 225, 225, 225]
    standing = played.standings[ANA.id]
    assert (standing.points, standing.correct, standing.best_streak) == (1650, 8, 8)
    shown = standings_reply(played, final=True)
    assert shown.title == "Game over: Ana wins"
    assert dict((f.name, f.value) for f in shown.fields)["Longest streak"] == "Ana (8 in a row)"


def test_a_wrong_or_missed_answer_restarts_the_streak() -> None:
    clock = Clock()
    played = game(5, clock)
    played.start()
    gained = []
    for choice in (0, 0, 1, None, 0):
        if choice is not None:
            gained.append(played.answer(ANA, choice).points)
        clock.now += 20
        played.tick()
    assert gained == [175, 185, 0, 175]  # after a wrong answer and a missed one, no streak bonus


def test_only_the_first_right_answer_gets_the_bonus() -> None:
    clock = Clock()
    played = game(1, clock)
    played.start()
    assert played.answer(BEN, 1).points == 0  # a wrong answer first does not take the bonus
    clock.now += 4
    first = played.answer(ANA, 0)
    assert (first.first, first.points) == (True, 100 + 40 + 25)


def tied_team_game() -> Game:
    """Ana (Red) and Ben (Blue) both finish on 175 points; Ben took 1 s in all, Ana 5 s."""
    clock = Clock()
    played = game(2, clock, teams=True)
    played.join(ANA, "Red")
    played.join(BEN, "Blue")
    played.start()
    assert played.answer(ANA, 0).points == 175
    clock.now += 1
    assert played.answer(BEN, 1).points == 0
    played.tick()  # everyone playing has answered: the next question at once
    assert played.answer(BEN, 0).points == 175
    clock.now += 5
    assert played.answer(ANA, 1).points == 0
    played.tick()
    assert played.phase == "finished"
    return played


def test_teams_tied_on_points_rank_the_faster_first() -> None:
    played = tied_team_game()
    assert [(team, score) for team, score, _ in played.team_scores()] == [("Blue", 175), ("Red", 175)]
    assert [s.player.name for s in played.ranking()] == ["Ben", "Ana"]
    fields = dict((f.name, f.value) for f in standings_reply(played, final=True).fields)
    assert fields["Teams"] == "Blue: 175 pts\nRed: 175 pts"
    assert fields["Standings"] == "1. Ben [Blue]: 175 pts (1/2 right)\n2. Ana [Red]: 175 pts (1/2 right)"


def test_a_teams_score_is_the_sum_of_its_members() -> None:
    clock = Clock()
    cai = Player("u3", "Cai")
    played = game(1, clock, teams=True)
    for player, team in ((ANA, "Red"), (cai, "Red"), (BEN, "Blue")):
        played.join(player, team)
    played.start()
    played.answer(ANA, 0)  # 175
    clock.now += 10
    played.answer(cai, 0)  # 100 + 25
    played.answer(BEN, 0)  # 100 + 25
    assert [(team, score) for team, score, _ in played.team_scores()] == [("Red", 300), ("Blue", 125)]


def test_speed_never_earns_more_than_fifty_even_from_a_clock_that_runs_behind() -> None:
    assert points(correct=True, elapsed=-5.0, seconds=20, first=True, streak=1) == 175
