"""Quiz persistence: every state change a user can cause is one transaction on these tables.

A game is locked for the length of a transaction (the row lock on PostgreSQL, the write lock on
SQLite), read back into the pure :class:`Game` (from a per-process cache while its version is
unchanged, or brought up to date there when other processes only added answers), changed by the
domain, and written back. "First correct answer wins" is therefore one
transaction, whichever process handles the click.
"""

from __future__ import annotations

import calendar
import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    Boolean,
    Connection,
    Engine,
    bindparam,
    delete,
    exists,
    func,
    insert,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.exc import IntegrityError

from bot.quiz.game import Clock, Game, Outcome, Player, Settings
from bot.quiz.question import Question
from bot.storage import schema as t

# Statements on the answer path are built once: constructing them costs more than running them.
# the channel's running game in one round trip (every action starts here)
_CHANNEL_GAME = (
    select(t.games)
    .join(t.channel_games, t.channel_games.c.game_id == t.games.c.id)
    .where(t.channel_games.c.channel == bindparam("b_channel"))
)
_A = t.answers.c
# On PostgreSQL the locking read also brings the answers stored after ``b_after`` (the seq this process's copy of
# the game has): the usual reason a copy is behind, read in the same round trip. They are read in the snapshot
# taken before any wait for the lock, so they may lack the answer of the transaction waited for: the version
# count in QuizStore._caught_up notices that and reads them again. The answer times travel as JSON numbers, exact
# with PostgreSQL's default extra_float_digits (12 and later); with fewer digits the state check fails, and the game
# is rebuilt.
_NEW_ANSWERS = (
    select(
        func.json_agg(
            aggregate_order_by(
                func.json_build_array(
                    _A.seq, _A.number, _A.player_id, _A.player_name, _A.choice, _A.at, _A.first, _A.points
                ),
                _A.seq,
            )
        )
    )
    .where(_A.game_id == t.games.c.id, _A.seq > bindparam("b_after"))
    .scalar_subquery()
)
_CHANNEL_GAME_LOCKED = _CHANNEL_GAME.add_columns(_NEW_ANSWERS.label("new_answers")).with_for_update(of=t.games)
_RUNNING = select(t.channel_games.c.game_id).where(t.channel_games.c.channel == bindparam("b_channel"))
_GAME = select(t.games).where(t.games.c.id == bindparam("b_id"))
_GAME_LOCKED = _GAME.with_for_update()
_ANSWER_VALUES: dict[str, BindParameter[Any]] = {
    "game_id": bindparam("b_game"),
    "number": bindparam("b_number"),
    "player_id": bindparam("b_player"),
    "player_name": bindparam("b_name"),
    "choice": bindparam("b_choice"),
    "at": bindparam("b_at"),
    "correct": bindparam("b_correct"),
    "points": bindparam("b_points"),
}
_INSERT_ANSWER = insert(t.answers).values(**_ANSWER_VALUES, first=bindparam("b_first"))
# a game rebuilt from the database (after a restart, or when another process changed more than its answers)
_GAME_QUESTIONS = select(t.questions).where(t.questions.c.game_id == bindparam("b_game")).order_by(t.questions.c.number)
_GAME_TEAMS = select(t.teams.c.player_id, t.teams.c.team, t.teams.c.joined, t.teams.c.player_name).where(
    t.teams.c.game_id == bindparam("b_game")
)
_GAME_ANSWERS = select(t.answers).where(t.answers.c.game_id == bindparam("b_game")).order_by(t.answers.c.seq)
# the answers another process stored since this one last saw the game (see QuizStore._caught_up)
_ANSWERS_AFTER = (
    select(_A.seq, _A.number, _A.player_id, _A.player_name, _A.choice, _A.at, _A.first, _A.points)
    .where(_A.game_id == bindparam("b_game"), _A.seq > bindparam("b_after"))
    .order_by(_A.seq)
)
_RUNNING_IN_WORKSPACE = (
    select(func.count())
    .select_from(t.games)
    .where(t.games.c.workspace == bindparam("b_workspace"), t.games.c.status == "running")
)
_LOCK_WORKSPACE = text("SELECT pg_advisory_xact_lock(hashtext(:b_key))")
_CLAIM_FIRST = (
    update(t.questions)
    .where(
        t.questions.c.game_id == bindparam("b_game"),
        t.questions.c.number == bindparam("b_number"),
        t.questions.c.first_correct.is_(None),
    )
    .values(first_correct=bindparam("b_player"))
)
_SET_DEADLINE = (
    update(t.questions)
    .where(t.questions.c.game_id == bindparam("b_game"), t.questions.c.number == bindparam("b_number"))
    .values(deadline=bindparam("b_deadline"))
)
_SAVE_GAME = (
    update(t.games)
    .where(t.games.c.id == bindparam("b_game"))
    .values(
        current=bindparam("b_current"),
        asked_at=bindparam("b_asked_at"),
        deadline=bindparam("b_deadline"),
        version=bindparam("b_version"),
    )
)

# On PostgreSQL an answer is one statement: the first-correct claim (only when the game says it may be first),
# the answer with the claim's result as its first flag, and the game's new version; it returns (first, seq).
_CLAIM = _CLAIM_FIRST.where(bindparam("b_first", type_=Boolean)).returning(literal_column("1")).cte("claim")
_CLAIMED = exists(select(literal_column("1")).select_from(_CLAIM))
_STORE_ANSWER = insert(t.answers).values(**_ANSWER_VALUES, first=_CLAIMED).returning(t.answers.c.seq).cte("answer")
_RECORD_ANSWER = select(_CLAIMED, select(_STORE_ANSWER.c.seq).scalar_subquery()).add_cte(_SAVE_GAME.cte("game"))


class LeaderRow(NamedTuple):
    """One line of a leaderboard."""

    name: str
    points: int
    games: int
    wins: int


class PracticeState(NamedTuple):
    """A player's practice drill between clicks (any process may handle the next one)."""

    boxes: dict[str, int]
    asked: int = 0
    due: tuple[tuple[int, str], ...] = ()  # (asked count when due, question id)
    recent: tuple[str, ...] = ()


class TooManyGames(Exception):
    """The workspace already runs as many games as it may (``cap``)."""

    def __init__(self, cap: int) -> None:
        super().__init__(f"at most {cap} games may run at once in a workspace")
        self.cap = cap


class RunningGame(NamedTuple):
    """A running game's place, and when its current question was asked and closes."""

    workspace: str
    channel: str
    asked_at: float
    deadline: float


class _Cached(NamedTuple):
    """A game as this process last saw it: at ``version``, with its answers up to ``seq`` and its row's ``state``."""

    version: int
    # the highest answer seq it includes: later answers have higher ones (SQLite may reuse the seq of a deleted
    # answer, but a deletion bumps the version without an answer, so such a game is rebuilt, never caught up)
    seq: int
    state: tuple[Any, ...]  # the game row's current, asked_at, deadline and status at that version
    game: Game


class _NewAnswer(NamedTuple):
    """An answer another process stored, as :meth:`QuizStore._caught_up` replays it."""

    seq: int
    number: int
    player_id: str
    player_name: str
    choice: int
    at: float
    first: bool
    points: int


def _new_answer(values: Sequence[Any]) -> _NewAnswer:
    seq, number, player_id, player_name, choice, at, first, points = values
    return _NewAnswer(seq, number, player_id, player_name, choice, float(at), first, points)  # JSON may give an int


_NO_COPY = 2**31 - 1  # a seq past every answer: nothing is read along with the row of a game not kept here


def _replayed(game: Game, player: Player, choice: int, at: float) -> Outcome:
    """The game's verdict on a stored answer, scored at the moment it was given (speed points depend on it)."""
    real_clock = game.clock
    game.clock = lambda: at
    try:
        return game.answer(player, choice)
    finally:
        game.clock = real_clock


def _state(row: Any) -> tuple[Any, ...]:
    return row["current"], row["asked_at"], row["deadline"], row["status"]


def _running_state(game: Game) -> tuple[Any, ...]:
    """What the game row holds for a running game (as :func:`_state` reads it back)."""
    return game.index, game.asked_at, game.deadline, "running"


class QuizStore:
    """Reads and writes games; keeps rebuilt games per process while nobody else changed them, and brings a kept
    game up to date when the only change since is answers another process stored."""

    def __init__(
        self, engine: Engine, clock: Clock = time.time, questions: Callable[[str], Question | None] | None = None
    ) -> None:
        self.engine = engine
        self.clock = clock
        self._question = questions or (lambda _: None)  # the bank's full question by id (prompt, explanation…)
        self._cache: dict[str, _Cached] = {}
        self._channels: dict[str, str] = {}  # channel → the id of the game kept from it

    def forget(self, game_id: str) -> None:
        """Drop a game from this process's cache (after a rollback, the database is the truth)."""
        self._cache.pop(game_id, None)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction; on SQLite it holds the write lock from the start."""
        with self.engine.begin() as connection:
            yield connection

    # -- games --------------------------------------------------------------------
    def create(self, game: Game, workspace: str, *, cap: int | None = None) -> Game | None:
        """Store a new game and ask its first question; None when the channel already has a running game.
        With ``cap``, raises :class:`TooManyGames` when the workspace already runs that many games: counted in
        the same transaction, and starts in one workspace take turns, so processes starting games at the same
        moment cannot exceed it together."""
        with self.transaction() as c:
            if cap is not None:
                if c.dialect.name == "postgresql":
                    # SQLite's write lock already serialises the starts; PostgreSQL needs one per workspace
                    c.execute(_LOCK_WORKSPACE, {"b_key": f"statusbot-games:{workspace}"})
                running = c.execute(_RUNNING_IN_WORKSPACE, {"b_workspace": workspace}).scalar_one()
                if running >= cap and c.execute(_RUNNING, {"b_channel": game.channel}).scalar() is None:
                    raise TooManyGames(cap)
            try:
                with c.begin_nested():
                    c.execute(insert(t.channel_games).values(channel=game.channel, game_id=game.id))
            except IntegrityError:
                return None
            c.execute(
                insert(t.games).values(
                    id=game.id,
                    workspace=workspace,
                    channel=game.channel,
                    starter_id=game.starter.id,
                    starter_name=game.starter.name,
                    settings=json.dumps(game.settings._asdict()),
                    status="running",
                    current=game.index,
                    asked_at=game.asked_at,
                    deadline=game.deadline,
                    started_at=self.clock(),
                    end_reason="",
                    version=1,
                )
            )
            c.execute(
                insert(t.questions),
                [
                    {
                        "game_id": game.id,
                        "number": n,
                        "question_id": q.id,
                        "choices": json.dumps(list(q.choices)),
                        "answer": q.answer,
                        "codes": json.dumps(list(q.codes)),
                        "deadline": game.deadline if n == game.index else None,
                    }
                    for n, q in enumerate(game.questions)
                ],
            )
        self._cache[game.id] = _Cached(1, 0, _running_state(game), game)
        self._channels[game.channel] = game.id
        return game

    def load_running(self, c: Connection, channel: str, *, lock: bool = True) -> tuple[Game, dict[str, Any]] | None:
        """The channel's running game, locked for this transaction, from the cache when its version is current.
        The row comes back as a dict that :meth:`record_answer` and :meth:`save` of the same transaction share
        (it carries the seq of the newest answer the game includes, and what record_answer already wrote)."""
        if not lock:
            return self._read(c, c.execute(_CHANNEL_GAME, {"b_channel": channel}).mappings().first())
        if c.dialect.name != "postgresql":  # the transaction already holds SQLite's write lock
            return self._locked(c, c.execute(_CHANNEL_GAME, {"b_channel": channel}).mappings().first())
        kept = self._cache.get(self._channels.get(channel, ""))
        after = kept.seq if kept is not None else _NO_COPY
        row = c.execute(_CHANNEL_GAME_LOCKED, {"b_channel": channel, "b_after": after}).mappings().first()
        return self._locked(c, row, after, (row["new_answers"] or []) if row is not None else [])

    def _read(self, c: Connection, row: Any) -> tuple[Game, dict[str, Any]] | None:
        """The game of ``row`` read without its lock: the kept game when current, else a rebuilt one (a kept game
        is only changed in place by a transaction that holds its lock, see :meth:`_locked`)."""
        if row is None:
            return None
        cached = self._cache.get(row["id"])
        if cached is None or cached.version != row["version"]:
            cached = self._rebuilt(c, row)
        return cached.game, {**row, "seq": cached.seq}

    def _locked(
        self, c: Connection, row: Any, after: int = _NO_COPY, read_along: Sequence[Any] = ()
    ) -> tuple[Game, dict[str, Any]] | None:
        """The game of ``row``, locked by this transaction: the kept game, brought up to date when other processes
        only added answers, else rebuilt. ``read_along``: the answers after seq ``after``, read with the row."""
        if row is None:
            return None
        game_id = row["id"]
        old = self._channels.get(row["channel"])
        if old is not None and old != game_id:
            self._cache.pop(old, None)  # the channel's previous game, finished by another process
        # out of the cache while it is brought up to date: a failure half way must not leave a half-updated game
        cached = self._cache.pop(game_id, None)
        if cached is not None and cached.version != row["version"]:
            known = [_new_answer(values) for values in read_along] if after == cached.seq else None
            cached = self._caught_up(c, cached, row, known)
        if cached is None:
            cached = self._rebuilt(c, row)
        self._cache[game_id] = cached
        return cached.game, {**row, "seq": cached.seq}

    def _rebuilt(self, c: Connection, row: Any) -> _Cached:
        """The game of ``row`` rebuilt from the database, and kept."""
        game, seq = self._rebuild(c, dict(row))
        cached = _Cached(row["version"], seq, _state(row), game)
        self._cache[row["id"]] = cached
        self._channels[row["channel"]] = row["id"]
        return cached

    def _caught_up(self, c: Connection, cached: _Cached, row: Any, known: list[_NewAnswer] | None) -> _Cached | None:
        """The kept game with the answers other processes stored since, or None when anything else may have
        changed (then the game is rebuilt). Every stored change bumps the version once, and a change that
        stores an answer stores exactly one; so when the row's question, times and status are as they were and
        there are exactly as many new answers as new versions, those answers were the only changes. Replaying
        them, in order and at the moments they were scored, is what a rebuild would do to the same game; one
        that scores differently than stored is rebuilt instead. Team games are always rebuilt (an answer there
        may also store the player's team, a change the answers alone do not show). ``known``: the new answers if
        read along with the row."""
        game = cached.game
        versions = row["version"] - cached.version
        if game.settings.teams or versions <= 0 or _state(row) != cached.state:  # the state ends in "running"
            return None
        new = known
        if new is None or len(new) != versions:  # not read along, or read before the wait for the row's lock
            new = [_new_answer(r) for r in c.execute(_ANSWERS_AFTER, {"b_game": game.id, "b_after": cached.seq})]
            if len(new) != versions:
                return None
        for answer in new:
            if answer.number != game.index:
                return None
            outcome = _replayed(game, Player(answer.player_id, answer.player_name), answer.choice, answer.at)
            if outcome.status != "accepted" or (outcome.first, outcome.points) != (answer.first, answer.points):
                return None
        return _Cached(row["version"], new[-1].seq, cached.state, game)  # new holds one answer per version step

    def _stored_question(self, row: Any) -> Question:
        """A stored question with the choices in the order shown; the bank supplies its words."""
        source = self._question(row["question_id"])
        choices, codes = tuple(json.loads(row["choices"])), tuple(json.loads(row["codes"]))
        if source is None:
            return Question(row["question_id"], "stored", "", choices, row["answer"], "", "", "", codes)
        return source._replace(choices=choices, answer=row["answer"], codes=codes)

    def _rebuild(self, c: Connection, row: dict[str, Any]) -> tuple[Game, int]:
        """The game as stored, and the highest seq of its answers (0: none yet)."""
        settings = Settings(**json.loads(row["settings"]))
        question_rows = c.execute(_GAME_QUESTIONS, {"b_game": row["id"]}).mappings().all()
        questions = [self._stored_question(r) for r in question_rows]
        deadlines = {r["number"]: r["deadline"] for r in question_rows}
        game = Game(
            row["id"], row["channel"], Player(row["starter_id"], row["starter_name"]), settings, questions, self.clock
        )
        team_names: dict[str, str] = {}
        for player_id, team, joined, name in c.execute(_GAME_TEAMS, {"b_game": row["id"]}):
            game.teams[player_id] = team
            if joined:
                # chose a team with /quiz join: playing from then on, even before a first answer
                game.joined.add(player_id)
                team_names[player_id] = name or player_id
        answers = c.execute(_GAME_ANSWERS, {"b_game": row["id"]}).mappings().all()
        running = row["status"] == "running"
        for number in range(len(questions)):
            deadline = deadlines.get(number)
            if deadline is None:
                break  # never asked
            game.ask(number, deadline - settings.seconds)
            for answer in answers:
                if answer["number"] == number:
                    _replayed(game, Player(answer["player_id"], answer["player_name"]), answer["choice"], answer["at"])
            if number < row["current"] or not running:
                game.close()
        game.index = row["current"]
        names = {**team_names, **{a["player_id"]: a["player_name"] for a in answers}}
        for player_id in game.joined:
            game.join(Player(player_id, names[player_id]), game.teams[player_id])
        if not running:
            game.finish(row["end_reason"])
        return game, max((answer["seq"] for answer in answers), default=0)

    def save(self, c: Connection, game: Game, row: dict[str, Any]) -> None:
        """Write the game's state back: current question and deadline, status, results when it ended."""
        version = row["version"] + 1
        finished = game.phase == "finished"
        values: dict[str, Any] = {
            "current": game.index,
            "asked_at": game.asked_at,
            "deadline": game.deadline,
            "version": version,
        }
        if finished and row["status"] != "finished":
            now = self.clock()
            values.update(status="finished", finished_at=now, end_reason=game.end_reason)
            c.execute(delete(t.channel_games).where(t.channel_games.c.game_id == game.id))
            winner = game.winner()
            if game.standings:
                c.execute(
                    insert(t.results),
                    [
                        {
                            "game_id": game.id,
                            "player_id": s.player.id,
                            "player_name": s.player.name,
                            "workspace": row["workspace"],
                            "channel": game.channel,
                            "points": s.points,
                            "correct": s.correct,
                            "answered": s.answered,
                            "best_streak": s.best_streak,
                            "won": winner is not None and s.player.id == winner.player.id,
                            "finished_at": now,
                            "total_time": s.total_time,
                        }
                        for s in game.standings.values()
                    ],
                )
        # every question asked since the last save gets its deadline (a skip can ask two in one go)
        for number, asked_at in game.asked.items():
            if number > row["current"]:
                deadline = asked_at + game.settings.seconds
                c.execute(_SET_DEADLINE, {"b_game": game.id, "b_number": number, "b_deadline": deadline})
        if finished and row["status"] != "finished":
            c.execute(update(t.games).where(t.games.c.id == game.id).values(**values))
        elif row.get("written") != (version, _running_state(game)):
            # (record_answer already wrote this version with these values: the usual answer needs no more)
            c.execute(
                _SAVE_GAME,
                {
                    "b_game": game.id,
                    "b_current": game.index,
                    "b_asked_at": game.asked_at,
                    "b_deadline": game.deadline,
                    "b_version": version,
                },
            )
        if finished:
            self._cache.pop(game.id, None)
        else:
            self._cache[game.id] = _Cached(version, row["seq"], _running_state(game), game)

    def rescore(self, c: Connection, game_id: str) -> None:
        """Re-derive a running game from the answers it still has (after forget-me deleted a player's): each
        stored answer's points and first flag, and each question's first right answer, as the game now scores
        them; the version goes up, so every process rebuilds it before its next action."""
        row = c.execute(_GAME_LOCKED if c.dialect.name == "postgresql" else _GAME, {"b_id": game_id}).mappings().first()
        if row is None or row["status"] != "running":
            return
        self.forget(game_id)
        game, _ = self._rebuild(c, dict(row))
        by_number = dict(enumerate(game.history))
        if game.phase == "asking":
            by_number[game.index] = list(game.answers.values())
        a, q = t.answers.c, t.questions.c
        for number, given in by_number.items():
            for answer in given:
                mine = (a.game_id == game_id, a.number == number, a.player_id == answer.player.id)
                c.execute(update(t.answers).where(*mine).values(first=answer.first, points=answer.points))
            first = next((answer.player.id for answer in given if answer.first), None)
            c.execute(update(t.questions).where(q.game_id == game_id, q.number == number).values(first_correct=first))
        c.execute(update(t.games).where(t.games.c.id == game_id).values(version=row["version"] + 1))

    def record_answer(
        self,
        c: Connection,
        row: dict[str, Any],
        game: Game,
        player: Player,
        choice: int,
        correct: bool,
        first: bool,
        points: int,
    ) -> bool:
        """Store one answer of the game loaded in this transaction (``row``, as load_running gave it), with the
        game's next version, so that :meth:`save` has nothing left to write unless the answer closed the question;
        the question's first correct answer is claimed here, once. Returns whether it was: False for a ``first``
        answer means a rival got there first."""
        version = row["version"] + 1
        values = {
            "b_game": game.id,
            "b_number": game.index,
            "b_player": player.id,
            "b_name": player.name,
            "b_choice": choice,
            # the moment the game scored it: a rebuilt game re-scores speed from this, so it must be the same one
            "b_at": game.answers[player.id].at if player.id in game.answers else game.clock(),
            "b_correct": correct,
            "b_first": first,
            "b_points": points,
            "b_current": game.index,
            "b_asked_at": game.asked_at,
            "b_deadline": game.deadline,
            "b_version": version,
        }
        if c.dialect.name == "postgresql":
            first, seq = c.execute(_RECORD_ANSWER, values).one()  # one round trip instead of three
        else:
            if first:
                values["b_first"] = first = c.execute(_CLAIM_FIRST, values).rowcount == 1
            # the row id, not RETURNING, which SQLite only has from 3.35
            inserted = c.execute(_INSERT_ANSWER, values).inserted_primary_key
            assert inserted is not None  # a single-row INSERT always has one
            seq = inserted[0]
            c.execute(_SAVE_GAME, values)
        # for save(): the game now includes this answer, and this version with this state is written
        row["seq"], row["written"] = seq, (version, _running_state(game))
        return bool(first)

    def record_team(self, c: Connection, game: Game, player: Player, team: str, *, joined: bool) -> None:
        """Store (or change) a player's team, and whether they chose it."""
        c.execute(delete(t.teams).where(t.teams.c.game_id == game.id, t.teams.c.player_id == player.id))
        c.execute(
            insert(t.teams).values(
                game_id=game.id, player_id=player.id, player_name=player.name, team=team, joined=joined
            )
        )

    def due(self, now: float) -> list[str]:
        """Channels whose running game's current question is past its deadline."""
        with self.engine.connect() as c:
            query = select(t.games.c.channel).where(t.games.c.status == "running", t.games.c.deadline <= now)
            return list(c.execute(query).scalars())

    def running_games(self) -> list[RunningGame]:
        """Where every running game is and when its question closes, for the schedulers of chat adapters."""
        with self.engine.connect() as c:
            g = t.games.c
            query = select(g.workspace, g.channel, g.asked_at, g.deadline).where(g.status == "running")
            return [RunningGame(row.workspace, row.channel, row.asked_at, row.deadline) for row in c.execute(query)]

    def running(self) -> list[str]:
        """Channels with a running game (after a restart: resume them, or close them)."""
        with self.engine.connect() as c:
            return list(c.execute(select(t.games.c.channel).where(t.games.c.status == "running")).scalars())

    # -- leaderboards ---------------------------------------------------------------
    def leaderboard(
        self,
        *,
        channel: str | None = None,
        workspace: str | None = None,
        period: str = "all",
        now: float | None = None,
        limit: int = 10,
    ) -> list[LeaderRow]:
        """Players by points over ISO weeks, calendar months (UTC) or all time, in a channel or a workspace."""
        since = period_start(period, now if now is not None else self.clock())
        query = (
            select(
                t.results.c.player_id,
                func.max(t.results.c.player_name),
                func.sum(t.results.c.points),
                func.count(),
                func.sum(func.cast(t.results.c.won, t.results.c.points.type)),
            )
            .where(t.results.c.finished_at >= since)
            .group_by(t.results.c.player_id)
            # equal points: the lower total answer time first, as in a game's own standings
            .order_by(
                func.sum(t.results.c.points).desc(),
                func.sum(t.results.c.total_time),
                func.max(t.results.c.player_name),
            )
            .limit(limit)
        )
        # people who opted out of this workspace's leaderboards are on none of them (their games still count)
        opted_out = select(t.leaderboard_optouts.c.player_id).where(
            t.leaderboard_optouts.c.workspace == t.results.c.workspace,
            t.leaderboard_optouts.c.player_id == t.results.c.player_id,
        )
        query = query.where(~opted_out.exists())
        if channel is not None:
            query = query.where(t.results.c.channel == channel)
        if workspace is not None:
            query = query.where(t.results.c.workspace == workspace)
        with self.engine.connect() as c:
            return [
                LeaderRow(name, int(points), int(games), int(wins or 0))
                for _, name, points, games, wins in c.execute(query)
            ]

    # -- practice ---------------------------------------------------------------------
    def boxes(self, workspace: str, player_id: str) -> dict[str, int]:
        """A player's practice boxes."""
        with self.engine.connect() as c:
            return self.load_practice(c, workspace, player_id).boxes

    def save_box(self, workspace: str, player_id: str, question_id: str, box: int) -> None:
        """Remember which box a practice question is in."""
        with self.transaction() as c:
            self._save_boxes(c, workspace, player_id, {question_id: box})

    def load_practice(self, c: Connection, workspace: str, player_id: str) -> PracticeState:
        """Where a player's drill is: boxes, questions asked, missed ones due again, the last few asked."""
        p, s = t.practice.c, t.practice_state.c
        rows = c.execute(select(p.question_id, p.box).where(p.workspace == workspace, p.player_id == player_id))
        boxes = {question_id: box for question_id, box in rows}
        row = c.execute(
            select(s.asked, s.due, s.recent).where(s.workspace == workspace, s.player_id == player_id)
        ).first()
        if row is None:
            return PracticeState(boxes)
        due = tuple((int(when), str(qid)) for when, qid in json.loads(row.due))
        return PracticeState(boxes, row.asked, due, tuple(json.loads(row.recent)))

    def save_practice(
        self, c: Connection, workspace: str, player_id: str, state: PracticeState, changed: dict[str, int]
    ) -> None:
        """Store a drill's position and the boxes that ``changed``, so the next click in any process goes on."""
        self._save_boxes(c, workspace, player_id, changed)
        s = t.practice_state.c
        c.execute(delete(t.practice_state).where(s.workspace == workspace, s.player_id == player_id))
        c.execute(
            insert(t.practice_state).values(
                workspace=workspace,
                player_id=player_id,
                asked=state.asked,
                due=json.dumps([list(item) for item in state.due]),
                recent=json.dumps(list(state.recent)),
            )
        )

    def _save_boxes(self, c: Connection, workspace: str, player_id: str, boxes: dict[str, int]) -> None:
        p = t.practice.c
        for question_id, box in boxes.items():
            mine = (p.workspace == workspace, p.player_id == player_id, p.question_id == question_id)
            c.execute(delete(t.practice).where(*mine))
            c.execute(
                insert(t.practice).values(workspace=workspace, player_id=player_id, question_id=question_id, box=box)
            )


def period_start(period: str, now: float) -> float:
    """Start of the ISO week (Monday 00:00 UTC), calendar month, or 0 for all time."""
    moment = datetime.fromtimestamp(now, UTC)
    if period == "week":
        monday = (moment - timedelta(days=moment.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
        return monday.timestamp()
    if period == "month":
        return calendar.timegm(moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0).timetuple())
    return 0.0
