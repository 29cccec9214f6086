"""The /quiz side of the conversation: commands, clicks and typed answers become replies."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Sequence
from typing import NamedTuple

from sqlalchemy import Connection

from bot.button_values import decode, encode
from bot.house_rules import house_explanation
from bot.quiz.bank import Bank
from bot.quiz.game import TEAM_NAMES, Event, Game, Player
from bot.quiz.options import OptionError, read_options, settings_from
from bot.quiz.practice import Practice
from bot.quiz.question import Question
from bot.quiz.replies import (
    ANSWER_ACTION,
    leaderboard_reply,
    question_reply,
    read_answer_value,
    reveal_reply,
    standings_reply,
)
from bot.quiz.service import QuizService, Step
from bot.reply import Action, Reply, note, quoted
from bot.storage.quiz_store import PracticeState
from knowledge import HouseRule, Knowledge

PRACTICE_ACTION = "statusbot.quiz.practice"
QUIZ_HELP = (
    "/quiz start [questions:N] [seconds:S] [level:easy|medium|hard|mixed] [topic:2xx|3xx|4xx|5xx|mistakes|all] "
    "[mode:buttons|typed] [teams:on] [pack:NAME]\n"
    "/quiz stop · /quiz skip · /quiz score · /quiz leaderboard [period:week|month|all] · /quiz join <team> · "
    "/quiz practice · /quiz leaderboard opt-out (or opt-in)"
)
RESUMED = "The game goes on where it was. /quiz stop ends it now and keeps the scores (its starter or a moderator)."
OUTCOME_TEXT = {
    "duplicate": "You've already answered this one; your first answer counts.",
    "late": "Time was up for that question.",
    "closed": "That question is closed.",
    "ignored": "",
}


class Where(NamedTuple):
    """Where a quiz action happens: the workspace or guild, and the channel."""

    workspace: str
    channel: str


# an answer or practice button whose value this process can't read (the quiz's replies are one line each)
STALE_ANSWER = note("That button no longer works.")


class QuizChat:
    """Turns /quiz commands, answer clicks and typed answers into replies, through the stored service."""

    def __init__(self, kb: Knowledge, bank: Bank, service: QuizService) -> None:
        self.kb = kb
        self.bank = bank
        self.service = service
        # one action at a time in this process: a game object is rendered after its transaction commits
        self.lock = threading.RLock()
        # told of every game event this process caused (a first question is a game's start): the chat adapters
        # count games with it (adapters/chat/metrics.py)
        self.happened: Callable[[Event], None] | None = None

    # -- events to replies -------------------------------------------------------
    def replies(self, step: Step) -> list[Reply]:
        """What the channel should see after a step: reveals, the next question, the final standings."""
        game = step.game
        if game is None:
            return []
        out = []
        for event in step.events:
            if self.happened is not None:
                self.happened(event)
            if event.kind == "question":
                out.append(question_reply(game, number=event.number - 1))
            elif event.kind == "reveal":
                asked = game.questions[event.number - 1]
                source = self.bank.by_id.get(asked.id)
                learn = (asked.codes[asked.answer] if self._house_ruled(asked) else source.learn) if source else 0
                out.append(reveal_reply(self.kb, game, event.number - 1, self._explanation(asked), learn))
            elif event.kind == "finished":
                out.append(standings_reply(game, final=True))
        return out

    def _house_ruled(self, question: Question) -> bool:
        """A house rule of the team made another code the answer than the bank's."""
        source = self.bank.by_id.get(question.id)
        if source is None or not question.codes or not source.codes:
            return False
        return question.codes[question.answer] != source.codes[source.answer]

    def _explanation(self, question: Question) -> str:
        """Why the answer is right: the bank's explanation, after the house rule when one decided it."""
        source = self.bank.by_id.get(question.id)
        if source is None:
            return ""
        if not self._house_ruled(question):
            return source.explanation
        ruled, default = question.codes[question.answer], source.codes[source.answer]
        return house_explanation(self.kb, ruled, default, source.explanation)

    def unknown_pack(self, pack: str) -> Reply | None:
        """The refusal of a pack no question comes from (None when ``pack`` is '' or one that does)."""
        packs = sorted({q.id.split(":")[1] for q in self.bank.questions if q.kind == "pack"})
        if not pack or pack in packs:
            return None
        known = ", ".join(packs) or "none yet"
        return note(f"There is no question pack named {quoted(pack)}", f"Packs: {known}.")

    # -- commands ------------------------------------------------------------------
    def command(
        self,
        action: str,
        argument: str,
        user: Player,
        where: Where,
        *,
        moderator: bool = False,
        rules: Sequence[HouseRule] = (),
    ) -> list[Reply]:
        """The replies to one /quiz command (``rules``: the workspace's house rules, for a game that starts)."""
        if action == "start":
            try:
                settings = settings_from(argument)
            except OptionError as error:
                return [note("That game can't start", f"{error}\n{QUIZ_HELP}")]
            unknown = self.unknown_pack(settings.pack)
            if unknown is not None:
                return [unknown]
            step = self.service.start(where.workspace, where.channel, user, settings, rules)
            if step.refused:
                return [*self.replies(step), note(step.refused, step.hint or self._where_it_stands(step.game))]
            return self.replies(step)
        if action in ("stop", "skip"):
            step = getattr(self.service, action)(where.channel, user, moderator=moderator)
            if step.refused:
                return [*self.replies(step), note(step.refused)]
            return self.replies(step)
        if action == "score":
            step = self.service.tick(where.channel)
            if step.game is None or step.game.phase == "finished":
                return (
                    [*self.replies(step), note("No game is running here.")]
                    if step.events
                    else [note("No game is running here.")]
                )
            return [*self.replies(step), standings_reply(step.game, final=False)]
        if action == "leaderboard":
            try:
                options = read_options(argument, ("period", "scope"))
            except OptionError as error:
                return [note("Which leaderboard?", str(error))]
            period = options.get("period", "all")
            if options.get("scope", "channel") == "channel":
                rows = self.service.leaderboard(channel=where.channel, period=period)
            else:
                rows = self.service.leaderboard(workspace=where.workspace, period=period)
            return [leaderboard_reply(rows, period)]
        if action == "join":
            team = argument.strip().split()[0].capitalize() if argument.strip() else ""
            if team not in TEAM_NAMES:
                return [note("Which team?", f"Try /quiz join {' or /quiz join '.join(TEAM_NAMES)}.")]
            step = self.service.join(where.channel, user, team)
            if step.refused or step.game is None or not step.game.settings.teams:
                return [*self.replies(step), note(step.refused or "This game isn't a team game.")]
            return [*self.replies(step), note(f"You're in team {step.game.teams.get(user.id, team)}.")]
        if action == "practice":
            return [self._practice_question(user, where, rules)]
        return [note("Quiz commands", QUIZ_HELP)]

    def _where_it_stands(self, game: Game | None) -> str:
        if game is None:
            return ""
        return f"Question {game.index + 1} of {len(game.questions)} is up; /quiz score shows the standings."

    # -- answers ---------------------------------------------------------------------
    def click(self, value: str, user: Player, where: Where) -> list[Reply]:
        """An answer button: acknowledged privately when refused, the channel sees what follows."""
        parsed = read_answer_value(value)
        if parsed is None:
            return [STALE_ANSWER]
        game_id, number, choice = parsed
        with self.lock:
            step = self.service.answer(where.channel, user, number, choice, game_id=game_id)
            return self._after_answer(step)

    def typed(self, text: str, user: Player, where: Where) -> list[Reply]:
        """A chat message during a typed-mode game; chatter that names no code, or no such game, gets nothing."""
        with self.lock:
            step = self.service.answer_text(where.channel, user, text)
            if step.game is None or (step.outcome is not None and step.outcome.status == "ignored"):
                return self.replies(step)
            return self._after_answer(step)

    def _after_answer(self, step: Step) -> list[Reply]:
        out = self.replies(step)
        outcome = step.outcome
        if step.refused:
            out.append(note(step.refused))
        elif outcome is not None and outcome.status == "accepted":
            out.insert(0, note("Answer recorded." if not outcome.correct else f"Right! +{outcome.points} points."))
        elif outcome is not None and OUTCOME_TEXT.get(outcome.status):
            out.insert(0, note(OUTCOME_TEXT[outcome.status]))
        return out

    def after_restart(self, *, close: bool = False) -> dict[str, list[Reply]]:
        """Per channel, what to post after a restart: the game going on where it was, or a notice that it ended."""
        posts: dict[str, list[Reply]] = {}
        for channel, step in self.service.resume(close=close):
            if step.game is None:
                continue
            if close:
                notice = Reply(title="The quiz bot restarted", text="This game has ended; its scores are kept.")
                posts[channel] = [notice, *self.replies(step)]
            else:
                resumed = self.replies(step) or [question_reply(step.game)]
                notice = Reply(title="The quiz is back", text=RESUMED)
                posts[channel] = [notice, *resumed]
        return posts

    def countdown(self, channel: str) -> list[Reply]:
        """The running question with its time left, to edit its message in place (not a new message)."""
        with self.lock:
            step = self.service.tick(channel)
            game = step.game
            if step.events or game is None or game.phase != "asking":
                return self.replies(step)
            return [question_reply(game, remaining=game.deadline - self.service.clock())]

    def tick(self, channel: str) -> list[Reply]:
        """Close the channel's question if its time is up (a scheduler or the next interaction calls this)."""
        with self.lock:
            step = self.service.tick(channel)
            return self.replies(step) if step.events else []

    # -- practice ----------------------------------------------------------------------
    def _practice_question(self, user: Player, where: Where, rules: Sequence[HouseRule]) -> Reply:
        with self.service.store.transaction() as c:
            drill, seed = self._drill(c, user, where)
            question = drill.next_question()
            self._keep(c, drill, user, where, {})
        return self._practice_reply(question, seed, rules)

    def _drill(self, c: Connection, user: Player, where: Where) -> tuple[Practice, int]:
        state = self.service.store.load_practice(c, where.workspace, user.id)
        seed = random.randrange(1 << 30)
        drill = Practice(
            self.bank.pool(),
            random.Random(seed),
            boxes=state.boxes,
            due=list(state.due),
            asked=state.asked,
            recent=list(state.recent),
        )
        return drill, seed

    def _keep(self, c: Connection, drill: Practice, user: Player, where: Where, changed: dict[str, int]) -> None:
        state = PracticeState(drill.boxes, drill.asked, tuple(drill.due), tuple(drill.recent))
        self.service.store.save_practice(c, where.workspace, user.id, state, changed)

    def _practice_reply(self, question: Question, seed: int, rules: Sequence[HouseRule]) -> Reply:
        # the choice travels as its place in the bank's order (under the team's house rules), not the shuffled one
        source = self.bank.under_house_rules(self.bank.by_id[question.id], rules)
        question = self.bank.under_house_rules(question, rules)
        return Reply(
            title="Practice",
            text=question.prompt,
            actions=tuple(
                Action(
                    PRACTICE_ACTION,
                    f"{chr(65 + i)}. {choice}",
                    encode(f"{question.id}|{seed}|{source.choices.index(choice)}"),
                )
                for i, choice in enumerate(question.choices)
            ),
            colour="blue",
            footer="Only you see this drill; the codes you miss come back sooner.",
            private=True,
        )

    def practice_click(self, value: str, user: Player, where: Where, rules: Sequence[HouseRule] = ()) -> list[Reply]:
        """A practice answer: right or wrong, the explanation, the box it moves to, and the next question (questions
        a house rule of the team covers take the rule's code as their answer)."""
        payload = decode(value, 1)
        parts = payload[0].split("|") if payload else []
        if len(parts) != 3 or parts[0] not in self.bank.by_id or not parts[2].isdigit():
            return [STALE_ANSWER]
        question = self.bank.under_house_rules(self.bank.by_id[parts[0]], rules)
        correct = int(parts[2]) == question.answer
        with self.service.store.transaction() as c:
            drill, seed = self._drill(c, user, where)
            box = drill.record(question, correct)
            following = drill.next_question()
            if following.id == question.id:  # never the same question twice in a row
                following = drill.next_question()
            self._keep(c, drill, user, where, {question.id: box})
        verdict = "Right!" if correct else f"Not quite: {question.correct}."
        feedback = note(verdict, f"{self._explanation(question)}\n(Box {box} of 5.)")
        return [feedback, self._practice_reply(following, seed, rules)]


__all__ = ["ANSWER_ACTION", "PRACTICE_ACTION", "QuizChat", "Where"]
