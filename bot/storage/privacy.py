"""Privacy in storage: every table that holds a person's data, forgetting a person, leaderboard opt-outs,
and the retention purge. docs/privacy.md says the same in words; keep the two in step.

To store something new about a person, add its table to :data:`PERSONAL` (forget-me deletes it) and, when
it holds text people typed or per-question detail, to :data:`EXPIRING` (the retention purge deletes it).
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Connection, Engine, Table, delete, insert, or_, select, update

from bot.storage import schema as t
from bot.storage.team_store import KEEP_UNRATED_SECONDS, UNRATED

DAY = 86400.0
PURGE_BATCH = 500  # finished games per transaction: a long backlog never holds the write lock for long


class Personal(NamedTuple):
    """A table holding people's data: the column naming the person, and the one naming the workspace or guild
    ('' when the row's game says which: the table has a ``game_id``), and what one row is, for the reply."""

    table: Table
    person: str
    workspace: str
    noun: str


# Every table a person's data is kept in, keyed by workspace (or guild) and the person's platform id.
# forget() deletes their rows from each of these, in that workspace only.
PERSONAL: tuple[Personal, ...] = (
    Personal(t.answers, "player_id", "", "quiz answer"),
    Personal(t.results, "player_id", "workspace", "game result"),
    Personal(t.teams, "player_id", "", "team choice"),
    Personal(t.practice, "player_id", "workspace", "practice question"),
    Personal(t.practice_state, "player_id", "workspace", "practice drill"),
    Personal(t.leaderboard_optouts, "player_id", "workspace", "leaderboard opt-out"),
    Personal(t.feedback, "user_id", "workspace", "kept question"),
)


class Expiring(NamedTuple):
    """A table whose rows are deleted once older than the retention period: ``at`` is when a row was stored
    (seconds since the epoch)."""

    table: Table
    at: str


# Rows deleted once older than STATUSBOT_RETENTION_DAYS (besides finished games' per-question data, below).
EXPIRING: tuple[Expiring, ...] = (
    Expiring(t.chat_messages, "posted_at"),
    Expiring(t.feedback, "asked_at"),  # the questions people typed, rated or abstained on
)


# -- forget-me --------------------------------------------------------------------------------------------------
class Forgotten(NamedTuple):
    """What forget() did: rows deleted per kind (nouns in PERSONAL's order), and the running games it touched."""

    deleted: dict[str, int]
    running_games: list[str]


def forget(c: Connection, workspace: str, person: str) -> Forgotten:
    """Delete every row of ``person``'s data in ``workspace`` (each table of :data:`PERSONAL`), and remove their
    id from the rows they share with others: games they started and house rules they added no longer name them,
    and a question they were first to answer right has no first answer any more. Nobody else's rows change.
    Returns the running games they were in: the caller re-scores those (:meth:`QuizStore.rescore`), so each goes
    on without them."""
    games = t.games.c
    in_workspace = select(games.id).where(games.workspace == workspace)
    running = select(games.id).where(games.workspace == workspace, games.status == "running")
    if c.dialect.name == "postgresql":  # SQLite's write lock is already held from BEGIN IMMEDIATE
        # Every game this touches, and every running game of the workspace, before any other row and in the order
        # every click and the retention purge take them, so whoever comes second waits instead of deadlocking; and
        # an answer the person gives meanwhile cannot be deleted unseen.
        theirs = or_(
            games.status == "running",
            games.starter_id == person,
            games.id.in_(select(t.answers.c.game_id).where(t.answers.c.player_id == person)),
            games.id.in_(select(t.teams.c.game_id).where(t.teams.c.player_id == person)),
            games.id.in_(select(t.questions.c.game_id).where(t.questions.c.first_correct == person)),
        )
        c.execute(select(games.id).where(games.workspace == workspace, theirs).order_by(games.id).with_for_update())
    touched = set(
        c.execute(running.where(t.games.c.id.in_(select(t.answers.c.game_id).where(t.answers.c.player_id == person))))
        .scalars()
        .all()
    )
    touched |= set(
        c.execute(running.where(t.games.c.id.in_(select(t.teams.c.game_id).where(t.teams.c.player_id == person))))
        .scalars()
        .all()
    )
    touched |= set(c.execute(running.where(t.games.c.starter_id == person)).scalars().all())
    deleted: dict[str, int] = {}
    for holder in PERSONAL:
        columns = holder.table.c
        where = columns[holder.workspace] == workspace if holder.workspace else columns.game_id.in_(in_workspace)
        result = c.execute(delete(holder.table).where(columns[holder.person] == person, where))
        deleted[holder.noun] = deleted.get(holder.noun, 0) + max(result.rowcount, 0)
    c.execute(
        update(t.games)
        .where(games.workspace == workspace, games.starter_id == person)
        .values(starter_id="", starter_name="")
    )
    rules = t.house_rules.c  # the team's rules stay; who added one is no longer said
    c.execute(update(t.house_rules).where(rules.workspace == workspace, rules.added_by == person).values(added_by=""))
    questions = t.questions.c
    c.execute(
        update(t.questions)
        .where(questions.first_correct == person, questions.game_id.in_(in_workspace))
        .values(first_correct=None)
    )
    return Forgotten(deleted, sorted(touched))


# -- leaderboard opt-outs ---------------------------------------------------------------------------------------
def set_listed(engine: Engine, workspace: str, person: str, *, listed: bool, now: float) -> bool:
    """Put a person on (``listed``) or off the workspace's leaderboards; False when they already were."""
    o = t.leaderboard_optouts.c
    mine = (o.workspace == workspace, o.player_id == person)
    with engine.begin() as c:
        if listed:
            return c.execute(delete(t.leaderboard_optouts).where(*mine)).rowcount > 0
        if c.execute(select(o.since).where(*mine)).first() is not None:
            return False
        c.execute(insert(t.leaderboard_optouts).values(workspace=workspace, player_id=person, since=now))
        return True


# -- retention --------------------------------------------------------------------------------------------------
class Purged(NamedTuple):
    """What one purge deleted: finished games whose per-question data went, and expired rows of :data:`EXPIRING`."""

    games: int
    rows: int


def purge(engine: Engine, days: int, now: float) -> Purged:
    """Delete what is older than ``days``: the questions, answers and team choices of games that finished
    before then (each game's row and its players' results stay, so leaderboards are unchanged), and the rows of
    :data:`EXPIRING`. Cheap when there is nothing to do: indexed, and a purged game is marked so it is never
    looked at again."""
    cutoff = now - days * DAY
    rows = 0
    with engine.begin() as c:
        for expiring in EXPIRING:
            rows += max(c.execute(delete(expiring.table).where(expiring.table.c[expiring.at] < cutoff)).rowcount, 0)
        f = t.feedback.c  # answers nobody rated go sooner (abstentions are kept for the eval set)
        unrated = (f.verdict == UNRATED, f.answered != "[]", f.asked_at < now - KEEP_UNRATED_SECONDS)
        rows += max(c.execute(delete(t.feedback).where(*unrated)).rowcount, 0)
    games = 0
    g = t.games.c
    while True:
        with engine.begin() as c:
            old = select(g.id).where(g.status == "finished", g.finished_at < cutoff, g.purged_at.is_(None))
            # the games first, as forget-me takes them; one held elsewhere (forget-me, another process's purge) is
            # left for the next purge rather than waited for
            ids = list(c.execute(old.order_by(g.id).limit(PURGE_BATCH).with_for_update(skip_locked=True)).scalars())
            if not ids:
                break
            for table in (t.questions, t.answers, t.teams):
                c.execute(delete(table).where(table.c.game_id.in_(ids)))
            c.execute(update(t.games).where(g.id.in_(ids)).values(purged_at=now))
            games += len(ids)
        if len(ids) < PURGE_BATCH:
            break
    return Purged(games, rows)
