"""A quiz game in one channel: a pure state machine driven by an injected clock.

No platform and no storage here: adapters turn clicks and messages into :meth:`Game.answer`, and a
scheduler (or the next interaction) calls :meth:`Game.tick` so a question closes at its deadline.
Everything a game knows is plain data, so storage can save it and a restarted process rebuild it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from bot.quiz.question import Question
from bot.quiz.scoring import points

Clock = Callable[[], float]
QUESTIONS_RANGE = (1, 50)
SECONDS_RANGE = (5, 120)
TEAM_NAMES = ("Red", "Blue")


class Settings(NamedTuple):
    """What /quiz start asked for."""

    questions: int = 10
    seconds: int = 20
    level: str = "mixed"
    topic: str = "all"
    mode: str = "buttons"
    teams: bool = False
    pack: str = ""


class Player(NamedTuple):
    """Who answers: a stable platform id and a display name (shown, never used to mention)."""

    id: str
    name: str


@dataclass
class Standing:
    """One player's totals in a game."""

    player: Player
    points: int = 0
    correct: int = 0
    answered: int = 0
    streak: int = 0
    best_streak: int = 0
    total_time: float = 0.0
    fastest: float | None = None
    team: str = ""


class Answer(NamedTuple):
    """One player's answer to the current question."""

    player: Player
    choice: int  # -1 for a typed guess that named no choice
    at: float
    correct: bool
    first: bool
    points: int


class Outcome(NamedTuple):
    """What became of an answer: accepted, duplicate, late, closed or ignored (chatter)."""

    status: str
    correct: bool = False
    first: bool = False
    points: int = 0


class Event(NamedTuple):
    """Something the channel should see: a question, a reveal, or the end of the game."""

    kind: str  # "question", "reveal", "finished"
    number: int = 0
    reason: str = ""


@dataclass
class Game:
    """One game: its questions, the current one, every answer and the standings."""

    id: str
    channel: str
    starter: Player
    settings: Settings
    questions: list[Question]
    clock: Clock
    index: int = -1
    phase: str = "waiting"  # waiting → asking → (revealed →) asking … → finished
    asked_at: float = 0.0
    deadline: float = 0.0
    answers: dict[str, Answer] = field(default_factory=dict)
    standings: dict[str, Standing] = field(default_factory=dict)
    teams: dict[str, str] = field(default_factory=dict)
    joined: set[str] = field(default_factory=set)  # chose a team themselves (auto-assigned players did not)
    history: list[list[Answer]] = field(default_factory=list)
    asked: dict[int, float] = field(default_factory=dict)  # question index → when it was asked
    end_reason: str = ""

    # -- flow -------------------------------------------------------------------
    @property
    def current(self) -> Question | None:
        """The question being asked, if any."""
        return self.questions[self.index] if self.phase == "asking" else None

    def start(self) -> list[Event]:
        """Ask the first question."""
        return self._next()

    def _next(self) -> list[Event]:
        if self.index + 1 >= len(self.questions):
            self.index += 1
            return self._finish("out of questions")
        self.ask(self.index + 1, self.clock())
        return [Event("question", self.index + 1)]

    def ask(self, index: int, at: float) -> None:
        """Put question ``index`` to the channel at time ``at`` (also used to rebuild a stored game)."""
        self.index = index
        self.phase = "asking"
        self.answers = {}
        self.asked_at = at
        self.asked[index] = at
        self.deadline = at + self.settings.seconds

    def tick(self) -> list[Event]:
        """Close the question when its time is up or everyone playing has answered, then go on."""
        if self.phase != "asking":
            return []
        # playing: answered an earlier question of this game, or joined a team
        playing = {a.player.id for answers in self.history for a in answers} | self.joined
        everyone = bool(playing) and playing <= set(self.answers)
        if self.clock() >= self.deadline or everyone:
            return self._reveal("time" if not everyone else "everyone answered")
        return []

    def close(self) -> None:
        """Close the current question: no more answers; a player who missed it loses their streak."""
        for standing in self.standings.values():
            answer = self.answers.get(standing.player.id)
            if answer is None or not answer.correct:
                standing.streak = 0
        self.history.append(list(self.answers.values()))
        self.phase = "revealed"

    def _reveal(self, reason: str) -> list[Event]:
        self.close()
        return [Event("reveal", self.index + 1, reason), *self._next()]

    def finish(self, reason: str) -> list[Event]:
        """End the game (also used to rebuild a stored one)."""
        return self._finish(reason)

    def _finish(self, reason: str) -> list[Event]:
        self.phase = "finished"
        self.end_reason = reason
        return [Event("finished", self.index + 1, reason)]

    def skip(self, by: Player, *, moderator: bool = False) -> list[Event] | None:
        """Reveal the current question now; None when ``by`` may not (only the starter or a moderator)."""
        if not self.may_control(by, moderator):
            return None
        return self._reveal("skipped") if self.phase == "asking" else []

    def stop(self, by: Player, *, moderator: bool = False) -> list[Event] | None:
        """End the game now, keeping every score; None when ``by`` may not."""
        if not self.may_control(by, moderator):
            return None
        if self.phase == "asking":
            self.history.append(list(self.answers.values()))
        return self._finish("stopped") if self.phase != "finished" else []

    def may_control(self, by: Player, moderator: bool) -> bool:
        """Only the player who started the game, or a moderator, may skip or stop it."""
        return moderator or by.id == self.starter.id

    # -- answers ----------------------------------------------------------------
    def join(self, player: Player, team: str) -> str:
        """Put a player in a team of their choice (team mode), returning the team they are in."""
        self.teams[player.id] = team
        self.joined.add(player.id)
        self._standing(player).team = team
        return team

    def _standing(self, player: Player) -> Standing:
        standing = self.standings.get(player.id)
        if standing is None:
            if self.settings.teams and player.id not in self.teams:
                # balanced teams: a newcomer joins the smaller one
                sizes = {team: list(self.teams.values()).count(team) for team in TEAM_NAMES}
                self.teams[player.id] = min(TEAM_NAMES, key=lambda team: (sizes[team], team))
            standing = self.standings[player.id] = Standing(player, team=self.teams.get(player.id, ""))
        return standing

    def answer_codes(self, player: Player, codes: set[int]) -> Outcome:
        """A typed answer: the codes a message names. None named is chatter; several named score nothing."""
        question = self.current
        if question is None:
            return Outcome("closed")
        if not codes:
            return Outcome("ignored")
        if len(codes) == 1:
            (code,) = codes
            choice = question.codes.index(code) if code in question.codes else -1
        else:
            choice = -1
        return self.answer(player, choice)

    def answer(self, player: Player, choice: int) -> Outcome:
        """Record a player's choice for the current question: once per player, before the deadline."""
        question = self.current
        if question is None:
            return Outcome("closed")
        now = self.clock()
        if now > self.deadline:
            return Outcome("late")
        if player.id in self.answers:
            return Outcome("duplicate")
        if not -1 <= choice < len(question.choices):
            return Outcome("ignored")  # a forged button value names no choice
        correct = choice == question.answer
        first = correct and not any(a.correct for a in self.answers.values())
        standing = self._standing(player)
        standing.answered += 1
        elapsed = max(0.0, now - self.asked_at)  # another process's clock may run a little behind
        standing.total_time += elapsed
        if correct:
            standing.correct += 1
            standing.streak += 1
            standing.best_streak = max(standing.best_streak, standing.streak)
            standing.fastest = elapsed if standing.fastest is None else min(standing.fastest, elapsed)
        else:
            standing.streak = 0
        gained = points(
            correct=correct, elapsed=elapsed, seconds=self.settings.seconds, first=first, streak=standing.streak
        )
        standing.points += gained
        self.answers[player.id] = Answer(player, choice, now, correct, first, gained)
        return Outcome("accepted", correct, first, gained)

    # -- results ----------------------------------------------------------------
    def ranking(self) -> list[Standing]:
        """Players by points, ties broken by total answer time (faster first)."""
        return sorted(self.standings.values(), key=lambda s: (-s.points, s.total_time, s.player.name))

    def team_scores(self) -> list[tuple[str, int, float]]:
        """Teams by the sum of their members' points, ties broken by total answer time."""
        totals: dict[str, list[float]] = {}
        for standing in self.standings.values():
            if standing.team:
                total = totals.setdefault(standing.team, [0, 0.0])
                total[0] += standing.points
                total[1] += standing.total_time
        return sorted(((team, int(p), t) for team, (p, t) in totals.items()), key=lambda x: (-x[1], x[2]))

    def winner(self) -> Standing | None:
        """The top player, if anyone scored."""
        ranking = self.ranking()
        return ranking[0] if ranking and ranking[0].points > 0 else None

    def fastest(self) -> Standing | None:
        """The player with the fastest correct answer."""
        timed = [s for s in self.standings.values() if s.fastest is not None]
        return min(timed, key=lambda s: s.fastest or 0.0) if timed else None

    def longest_streak(self) -> Standing | None:
        """The player with the longest run of correct answers."""
        streaks = [s for s in self.standings.values() if s.best_streak > 0]
        return max(streaks, key=lambda s: s.best_streak) if streaks else None
