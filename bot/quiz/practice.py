"""Private practice: a Leitner drill per person, weighted toward what that person gets wrong.

Each question sits in a box from 1 (keep asking) to 5 (mastered). A wrong answer sends it back to box
1 and queues it again a few questions later; a right answer moves it up one box. New questions are
drawn mostly from the low boxes, so mastered ones recede. Storage keeps the whole drill (boxes, queue,
count, recent questions) between clicks, since any process may handle the next one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bot.quiz.question import Question

BOXES = 5
RETRY_AFTER = 3  # a missed question comes back this many questions later
RECENT = 5  # not asked again within this many questions, unless it is due
BOX_WEIGHTS = {1: 16, 2: 8, 3: 4, 4: 2, 5: 1}
UNSEEN_WEIGHT = 6
MISSED_FIRST = 0.5


@dataclass
class Practice:
    """One person's drill over a pool of questions; ``boxes`` is what storage keeps between sessions."""

    pool: list[Question]
    rng: random.Random
    boxes: dict[str, int] = field(default_factory=dict)
    due: list[tuple[int, str]] = field(default_factory=list)  # (asked count when due, question id)
    asked: int = 0
    recent: list[str] = field(default_factory=list)

    def next_question(self) -> Question:
        """The next question: a missed one that is due, else a weighted draw that avoids repeats."""
        self.asked += 1
        by_id = {q.id: q for q in self.pool}
        for position, (when, qid) in enumerate(self.due):
            if when <= self.asked and qid in by_id:
                del self.due[position]
                return self._ask(by_id[qid])
        fresh = [q for q in self.pool if q.id not in self.recent[-RECENT:]] or self.pool
        missed = [q for q in fresh if self.boxes.get(q.id) == 1]
        if missed and self.rng.random() < MISSED_FIRST:
            # an older miss (its queued return already asked) still comes back often
            return self._ask(self.rng.choice(missed))
        weights = [BOX_WEIGHTS.get(self.boxes[q.id], 1) if q.id in self.boxes else UNSEEN_WEIGHT for q in fresh]
        return self._ask(self.rng.choices(fresh, weights=weights, k=1)[0])

    def _ask(self, question: Question) -> Question:
        self.recent = [*self.recent, question.id][-RECENT:]
        return question.shuffled(self.rng)

    def record(self, question: Question, correct: bool) -> int:
        """Move the question between boxes after an answer; returns its new box."""
        if correct:
            box = min(BOXES, self.boxes.get(question.id, 1) + 1)
        else:
            box = 1
            self.due.append((self.asked + RETRY_AFTER, question.id))
        self.boxes[question.id] = box
        return box
