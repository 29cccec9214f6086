"""How answers score: correctness, speed, the first correct answer, and streaks."""

from __future__ import annotations

CORRECT = 100
SPEED_MAX = 50  # for an instant answer, falling linearly to 0 at the deadline
FIRST_BONUS = 25
STREAK_STEP = 10  # per consecutive correct answer after the first
STREAK_MAX = 50


def points(*, correct: bool, elapsed: float, seconds: float, first: bool, streak: int) -> int:
    """Points for one answer; ``streak`` counts this answer when it is correct."""
    if not correct:
        return 0
    remaining = max(0.0, min(1.0, 1 - elapsed / seconds)) if seconds > 0 else 0.0
    bonus = min(STREAK_MAX, STREAK_STEP * max(0, streak - 1))
    return CORRECT + round(SPEED_MAX * remaining) + (FIRST_BONUS if first else 0) + bonus
