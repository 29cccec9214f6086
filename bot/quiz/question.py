"""A quiz question: a prompt, labelled choices, the right one, and what to learn from it."""

from __future__ import annotations

import random
from typing import NamedTuple

LEVELS = ("easy", "medium", "hard")
TOPICS = ("2xx", "3xx", "4xx", "5xx", "mistakes")


class Question(NamedTuple):
    """One multiple-choice question; ``codes`` holds the status code behind each choice (0 when none)."""

    id: str
    kind: str
    prompt: str
    choices: tuple[str, ...]
    answer: int
    explanation: str
    level: str
    topic: str
    codes: tuple[int, ...] = ()
    learn: int = 0  # the code whose card "learn more" shows
    situation: str = ""  # the situation in plain words, when the answer is the code for it (house rules apply)

    @property
    def correct(self) -> str:
        """The right choice's label."""
        return self.choices[self.answer]

    def shuffled(self, rng: random.Random) -> Question:
        """The same question with its choices in a random order (the right one anywhere)."""
        order = list(range(len(self.choices)))
        rng.shuffle(order)
        codes = tuple(self.codes[i] for i in order) if self.codes else ()
        return self._replace(
            choices=tuple(self.choices[i] for i in order), codes=codes, answer=order.index(self.answer)
        )
