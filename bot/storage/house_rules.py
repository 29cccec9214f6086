"""House rules as stored: per workspace (Slack), guild (Discord) or console, in the order they were added.

Every change is one transaction, and on PostgreSQL a workspace's changes take turns (an advisory lock),
so two admins adding at once can neither pass the maximum nor add the same situation twice.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from sqlalchemy import Connection, Engine, delete, insert, select, text
from sqlalchemy.exc import IntegrityError

from bot.storage import schema as t
from knowledge import HouseRule

RULE_LOCKS = 0x6F75  # PostgreSQL advisory lock namespace (the workspace's checksum is the key)


class StoredRule(NamedTuple):
    """A rule as listed: its number in the list (from 1), what it says, and who added it."""

    number: int
    rule: HouseRule
    added_by: str


class Added(NamedTuple):
    """What adding did: ``added``, ``duplicate`` (``existing`` says which rule) or ``full``."""

    outcome: str
    number: int = 0
    existing: StoredRule | None = None


def situation_key(situation: str) -> str:
    """The situation folded for comparison: case, spacing and punctuation at the ends don't make a new rule."""
    return " ".join(situation.casefold().split()).strip(" .,;:!?\"'“”‘’`")


class HouseRuleStore:
    """The rules of every workspace on one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def in_memory(cls) -> HouseRuleStore:
        """A store of its own in an in-memory SQLite database, for one thread (tests and the fuzzer)."""
        from bot.storage.database import make_engine, migrate

        engine = make_engine("sqlite://")
        migrate(engine)
        return cls(engine)

    @contextmanager
    def _changing(self, workspace: str) -> Iterator[Connection]:
        with self.engine.begin() as c:
            if c.dialect.name == "postgresql":
                key = zlib.crc32(workspace.encode())
                c.execute(text("SELECT pg_advisory_xact_lock(:space, :key)"), {"space": RULE_LOCKS, "key": key - 2**31})
            yield c

    @staticmethod
    def _listed(c: Connection, workspace: str) -> list[tuple[int, StoredRule, str]]:
        r = t.house_rules
        rows = c.execute(
            select(r.c.id, r.c.situation, r.c.code, r.c.added_by, r.c.situation_key)
            .where(r.c.workspace == workspace)
            .order_by(r.c.id)
        ).all()
        return [
            (row.id, StoredRule(n, HouseRule(row.situation, row.code), row.added_by), row.situation_key)
            for n, row in enumerate(rows, start=1)
        ]

    def rules(self, workspace: str) -> list[StoredRule]:
        """The workspace's rules, numbered in the order they were added."""
        with self.engine.connect() as c:
            return [stored for _, stored, _ in self._listed(c, workspace)]

    def add(self, workspace: str, rule: HouseRule, added_by: str, *, most: int) -> Added:
        """Add a rule unless the workspace already has one for the situation or has ``most`` rules."""
        key = situation_key(rule.situation)
        try:
            with self._changing(workspace) as c:
                listed = self._listed(c, workspace)
                same = next((stored for _, stored, folded in listed if folded == key), None)
                if same is not None:
                    return Added("duplicate", existing=same)
                if len(listed) >= most:
                    return Added("full")
                c.execute(
                    insert(t.house_rules).values(
                        workspace=workspace,
                        situation=rule.situation,
                        situation_key=key,
                        code=rule.code,
                        added_by=added_by,
                        added_at=time.time(),
                    )
                )
                return Added("added", len(listed) + 1)
        except IntegrityError:  # another process added the same situation a moment ago
            return Added("duplicate", existing=next((s for s in self.rules(workspace) if _folded(s) == key), None))

    def remove(self, workspace: str, number: int) -> StoredRule | None:
        """Remove rule ``number`` (as listed); None when there is no such rule."""
        with self._changing(workspace) as c:
            listed = self._listed(c, workspace)
            if not 1 <= number <= len(listed):
                return None
            row_id, stored, _ = listed[number - 1]
            c.execute(delete(t.house_rules).where(t.house_rules.c.id == row_id))
            return stored


def _folded(stored: StoredRule) -> str:
    return situation_key(stored.rule.situation)
