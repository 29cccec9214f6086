"""Team settings and feedback, per workspace or guild: one transaction per change, any process can serve any click.

Feedback rows name a person in one column only, ``user_id``: forget-me deletes them with the other tables of
``bot.storage.privacy.PERSONAL``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from sqlalchemy import Engine, insert, select, update

from bot.storage import schema as t

Clock = Callable[[], float]
KEEP_UNRATED_SECONDS = 30 * 24 * 3600  # an answer nobody rated (and the bot did not abstain on) is swept after this
UNRATED, RIGHT, WRONG = "unrated", "right", "wrong"


class FeedbackRow(NamedTuple):
    """One kept scenario answer: the question, the codes given (best first; none: abstained) and its rating."""

    id: int
    workspace: str
    user_id: str
    question: str
    answered: tuple[int, ...]
    certainty: str
    verdict: str
    expected: int | None
    asked_at: float


class TeamStore:
    """Team settings (a JSON object per workspace) and feedback rows."""

    def __init__(self, engine: Engine, clock: Clock = time.time) -> None:
        self.engine = engine
        self.clock = clock

    # -- settings -----------------------------------------------------------------------------------------
    def load_settings(self, workspace: str) -> dict[str, Any]:
        """The workspace's stored settings ({} when it never changed one)."""
        table = t.team_settings
        with self.engine.connect() as c:
            stored = c.execute(select(table.c.settings).where(table.c.workspace == workspace)).scalar()
        loaded = json.loads(stored) if stored else {}
        return loaded if isinstance(loaded, dict) else {}

    def save_settings(self, workspace: str, settings: dict[str, Any]) -> None:
        """Replace the workspace's settings (one statement: two admins saving at once both succeed, the later wins)."""
        from sqlalchemy.dialects import postgresql, sqlite

        table = t.team_settings
        values = {"settings": json.dumps(settings), "updated_at": self.clock()}
        with self.engine.begin() as c:
            dialect = postgresql if c.dialect.name == "postgresql" else sqlite
            upsert = dialect.insert(table).values(workspace=workspace, **values)
            c.execute(upsert.on_conflict_do_update(index_elements=[table.c.workspace], set_=values))

    # -- feedback -----------------------------------------------------------------------------------------
    def record(self, workspace: str, user_id: str, question: str, answered: list[int], certainty: str) -> int:
        """Keep a scenario answer until it is rated; its id travels in the rating buttons. Answers nobody rates
        are deleted by the retention purge (bot/storage/privacy.py) after :data:`KEEP_UNRATED_SECONDS`."""
        table = t.feedback
        now = self.clock()
        with self.engine.begin() as c:
            row_id = c.execute(
                insert(table)
                .values(
                    workspace=workspace,
                    user_id=user_id,
                    question=question,
                    answered=json.dumps(answered),
                    certainty=certainty,
                    verdict=UNRATED,
                    asked_at=now,
                )
                .returning(table.c.id)
            ).scalar_one()
        return int(row_id)

    def get(self, row_id: int) -> FeedbackRow | None:
        """One kept answer, or None (forgotten, swept, or never there)."""
        with self.engine.connect() as c:
            row = c.execute(select(t.feedback).where(t.feedback.c.id == row_id)).first()
        return _row(row._mapping) if row else None

    def rate(self, row_id: int, verdict: str, expected: int | None = None) -> None:
        """Rate a kept answer (a later rating replaces an earlier one)."""
        table = t.feedback
        with self.engine.begin() as c:
            c.execute(
                update(table)
                .where(table.c.id == row_id)
                .values(verdict=verdict, expected=expected, rated_at=self.clock())
            )

    def rows(self, *, since: float | None = None, workspace: str | None = None) -> list[FeedbackRow]:
        """Rated answers and abstentions (answers nobody rated are left out), oldest first."""
        table = t.feedback
        query = select(table).where((table.c.verdict != UNRATED) | (table.c.answered == "[]")).order_by(table.c.id)
        if since is not None:
            query = query.where(table.c.asked_at >= since)
        if workspace is not None:
            query = query.where(table.c.workspace == workspace)
        with self.engine.connect() as c:
            return [_row(row._mapping) for row in c.execute(query)]


def _row(data: Any) -> FeedbackRow:
    return FeedbackRow(
        id=int(data["id"]),
        workspace=str(data["workspace"]),
        user_id=str(data["user_id"]),
        question=str(data["question"]),
        answered=tuple(int(code) for code in json.loads(data["answered"])),
        certainty=str(data["certainty"]),
        verdict=str(data["verdict"]),
        expected=None if data["expected"] is None else int(data["expected"]),
        asked_at=float(data["asked_at"]),
    )
