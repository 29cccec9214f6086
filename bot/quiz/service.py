"""The quiz as the bot runs it: games stored as they happen, one transaction per user action."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection

from bot.limits import TOO_MANY_GAMES, too_many_games_text
from bot.quiz.bank import Bank
from bot.quiz.game import Clock, Event, Game, Outcome, Player, Settings
from bot.quiz.typed import codes_named, letter_named
from bot.storage.quiz_store import LeaderRow, QuizStore, TooManyGames
from knowledge import HouseRule, Knowledge


class Step(NamedTuple):
    """What an action did: the game after it, what the channel should see, and the answer's fate."""

    game: Game | None
    events: list[Event]
    outcome: Outcome | None = None
    refused: str = ""  # why nothing happened, for a private reply
    hint: str = ""  # what to do instead


def _fingerprint(game: Game) -> tuple[object, ...]:
    # the teams themselves, not their number: a player who switches teams changes the game too
    return game.index, game.phase, game.deadline, len(game.answers), sorted(game.teams.items()), len(game.joined)


class QuizService:
    """Starts, advances and ends games; any process can handle any action on the same database."""

    def __init__(self, store: QuizStore, bank: Bank, kb: Knowledge, clock: Clock = time.time) -> None:
        self.store = store
        self.bank = bank
        self.kb = kb
        self.clock = clock
        # games one workspace may run at once (the chat adapters set it; the console has one channel)
        self.games_per_workspace: int | None = None

    def start(
        self, workspace: str, channel: str, starter: Player, settings: Settings, rules: Sequence[HouseRule] = ()
    ) -> Step:
        """A new game in the channel, or a refusal naming the game already running there; questions a house rule
        of the workspace covers take the rule's code as their answer."""
        game_id = uuid.uuid4().hex[:16]
        chosen: dict[str, Any] = {
            "level": settings.level,
            "topic": settings.topic,
            "pack": settings.pack,
            "typed": settings.mode == "typed",
        }
        drawn = self.bank.draw(settings.questions, random.Random(game_id), **chosen)
        questions = [self.bank.under_house_rules(question, rules) for question in drawn]
        if not questions:
            return Step(None, [], refused="No questions match those settings.", hint=self.bank.why_empty(**chosen))
        game = Game(game_id, channel, starter, settings, questions, self.clock)
        events = game.start()
        try:
            created = self.store.create(game, workspace, cap=self.games_per_workspace)
        except TooManyGames as full:
            return Step(None, [], refused=TOO_MANY_GAMES, hint=too_many_games_text(full.cap))
        if created is None:
            step = self.tick(channel)
            return step._replace(refused="A game is already running in this channel.")
        return Step(game, events)

    def current(self, channel: str) -> Game | None:
        """The channel's running game as stored (no question is closed here: use :meth:`tick` for that)."""
        with self.store.transaction() as c:
            loaded = self.store.load_running(c, channel, lock=False)
            return loaded[0] if loaded else None

    def _act(self, channel: str, action: Callable[[Game, Connection, dict[str, Any]], list[Event] | None]) -> Step:
        game_id = ""
        try:
            with self.store.transaction() as c:
                loaded = self.store.load_running(c, channel)
                if loaded is None:
                    return Step(None, [], refused="No game is running here. Start one with /quiz start.")
                game, row = loaded
                game_id = game.id
                before = _fingerprint(game)
                events = game.tick()
                if game.phase == "finished":
                    self.store.save(c, game, row)
                    return Step(game, events, refused="That game has just ended.")
                done = action(game, c, row)
                if done is None:
                    if events:
                        self.store.save(c, game, row)
                    refusal = "Only the player who started the game or a moderator can do that."
                    return Step(game, events, refused=refusal)
                events += done
                events += game.tick()
                if events or _fingerprint(game) != before:
                    self.store.save(c, game, row)
                return Step(game, events)
        except Exception:
            # the transaction rolled back: this process's copy of the game may hold changes it lost
            self.store.forget(game_id)
            raise

    def answer(self, channel: str, player: Player, number: int, choice: int, *, game_id: str = "") -> Step:
        """A button click on question ``number`` (of game ``game_id``); a stale click is refused."""
        outcome: list[Outcome] = []

        def act(game: Game, c: Connection, row: dict[str, Any]) -> list[Event]:
            if (game_id and game.id != game_id) or game.index != number or game.phase != "asking":
                outcome.append(Outcome("closed"))
                return []
            outcome.append(self._record(c, row, game, player, game.answer(player, choice), choice))
            return []

        step = self._act(channel, act)
        return step._replace(outcome=outcome[0] if outcome else None)

    def answer_text(self, channel: str, player: Player, text: str) -> Step:
        """A typed answer in typed mode: "409", "conflict", both, or the letter shown; chatter is ignored."""
        codes = codes_named(self.kb, text)  # matched before the game is locked
        outcome: list[Outcome] = []

        def act(game: Game, c: Connection, row: dict[str, Any]) -> list[Event]:
            question = game.current
            if game.settings.mode != "typed" or question is None:
                outcome.append(Outcome("ignored"))
                return []
            letter = letter_named(text, len(question.choices))
            if letter is not None:  # the letter a choice is shown with
                outcome.append(self._record(c, row, game, player, game.answer(player, letter), letter))
                return []
            choice = question.codes.index(next(iter(codes))) if len(codes) == 1 and codes <= set(question.codes) else -1
            outcome.append(self._record(c, row, game, player, game.answer_codes(player, codes), choice))
            return []

        step = self._act(channel, act)
        return step._replace(outcome=outcome[0] if outcome else None)

    def _record(
        self, c: Connection, row: dict[str, Any], game: Game, player: Player, outcome: Outcome, choice: int
    ) -> Outcome:
        if outcome.status != "accepted":
            return outcome
        claimed = self.store.record_answer(c, row, game, player, choice, outcome.correct, outcome.first, outcome.points)
        if outcome.first and not claimed:
            raise RuntimeError("first-correct already claimed: this process's game was stale")
        if game.settings.teams:
            joined = player.id in game.joined
            self.store.record_team(c, game, player, game.teams[player.id], joined=joined)
        return outcome

    def join(self, channel: str, player: Player, team: str) -> Step:
        """Choose a team in a team game."""

        def act(game: Game, c: Connection, row: dict[str, Any]) -> list[Event]:
            if game.settings.teams:
                self.store.record_team(c, game, player, game.join(player, team), joined=True)
            return []

        return self._act(channel, act)

    def tick(self, channel: str) -> Step:
        """Close the current question if its time is up."""
        return self._act(channel, lambda game, c, row: [])

    def skip(self, channel: str, by: Player, *, moderator: bool = False) -> Step:
        """Reveal now (the starter or a moderator only)."""
        return self._act(channel, lambda game, c, row: game.skip(by, moderator=moderator))

    def stop(self, channel: str, by: Player, *, moderator: bool = False) -> Step:
        """End the game now, keeping its scores (the starter or a moderator only)."""
        return self._act(channel, lambda game, c, row: game.stop(by, moderator=moderator))

    def due(self) -> list[str]:
        """Channels whose question deadline has passed (for a scheduler, or any process at start)."""
        return self.store.due(self.clock())

    def resume(self, *, close: bool = False) -> list[tuple[str, Step]]:
        """After a restart: bring every running game up to date, or close them all keeping their scores."""
        steps = []
        for channel in self.store.running():
            if close:
                steps.append((channel, self._act(channel, lambda game, c, row: game.finish("the bot restarted"))))
            else:
                steps.append((channel, self.tick(channel)))
        return steps

    def leaderboard(
        self, *, channel: str | None = None, workspace: str | None = None, period: str = "all"
    ) -> list[LeaderRow]:
        """The channel's or workspace's best players over the period."""
        return self.store.leaderboard(channel=channel, workspace=workspace, period=period, now=self.clock())
