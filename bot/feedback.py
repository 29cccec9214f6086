"""Feedback on answers to situations: 👍/👎 buttons, the code a 👎 expected, and what maintainers get from them
(``statusbot feedback export`` in the eval file format, ``statusbot feedback report``).

A kept answer's row id travels in the buttons (docs/interactions.md), so any process can take the click.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TextIO

from bot.button_values import decode, encode
from bot.cards import label
from bot.forms import EXPECTED_FORM, Form
from bot.render.escape import terminal
from bot.reply import Action, Reply, expired, note, quoted
from bot.storage.team_store import RIGHT, UNRATED, WRONG, FeedbackRow, TeamStore
from knowledge import Answer, Knowledge

FEEDBACK_ACTION = "statusbot.feedback"
CANDIDATES = 3  # the other codes of the answer offered after a 👎
REPORT_TOP = 10
KINDS = {"y", "n", "c", "o"}  # 👍, 👎, the code expected, "Another code…"
ROW_ID_DIGITS = 18  # a row id fits a 64-bit integer
NO_CODE = 0  # "no code fits": the bot should not have answered
_CODE = re.compile(r"\s*(\d{3})\s*\.?\s*")


EXPIRED = expired()
NOT_YOURS = note("Only the person who asked can rate this answer")
FEEDBACK_OFF = note("Ratings are off here", "An admin turned feedback off with /status settings.")


def codes_of(answer: Answer) -> list[int]:
    """The codes an answer gave, best first, each once (empty when it abstained)."""
    return list(dict.fromkeys(match.status.code for match in answer.matches))


def kept_question(question: str) -> str:
    """A question as kept to be rated: without control characters or bidirectional controls (PostgreSQL refuses
    NUL, and a maintainer's terminal must not run escape sequences a user typed into the report or the export)."""
    return terminal(question)


def rating_actions(row_id: int) -> tuple[Action, ...]:
    """The two buttons under a kept answer."""
    return (
        Action(FEEDBACK_ACTION, "👍 Right", encode("y", row_id)),
        Action(FEEDBACK_ACTION, "👎 Wrong", encode("n", row_id)),
    )


def _read(value: str) -> tuple[str, int, int | None] | None:
    """(kind, row id, code) from a button value; None when unreadable."""
    parts = decode(value)
    if parts is None or len(parts) not in (2, 3) or parts[0] not in KINDS:
        return None
    row_id = _row_id(parts[1])
    if row_id is None:
        return None
    code = None
    if len(parts) == 3:
        if parts[0] != "c" or not (parts[2].isascii() and parts[2].isdigit() and len(parts[2]) <= 3):
            return None
        code = int(parts[2])
    elif parts[0] == "c":
        return None
    return parts[0], row_id, code


def _row_id(text: str) -> int | None:
    """A row id as a button or a box carries it; None when it is not one."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= ROW_ID_DIGITS else None


def form_for(value: str) -> tuple[Form, str] | None:
    """The "Another code…" button opens a box to type the code into; its state is the row id."""
    read = _read(value)
    if read is None or read[0] != "o":
        return None
    return EXPECTED_FORM, str(read[1])


class Feedback:
    """Ratings on one database: clicks and the typed code become stored feedback and private thanks."""

    def __init__(self, kb: Knowledge, store: TeamStore, rated: Callable[[str], None] | None = None) -> None:
        self.kb = kb
        self.store = store
        self.rated = rated  # told "right", "wrong" or "corrected" after each rating is stored (metrics)

    def _rate(self, row_id: int, verdict: str, expected: int | None = None) -> None:
        self.store.rate(row_id, verdict, expected)
        if self.rated is not None:
            self.rated("corrected" if expected is not None else verdict)

    def click(self, value: str, user_id: str) -> Reply:
        """👍, 👎, or the code a 👎 expected (a candidate button, or "no code fits")."""
        read = _read(value)
        if read is None or read[0] == "o":
            return EXPIRED
        kind, row_id, code = read
        row = self._own(row_id, user_id)
        if isinstance(row, Reply):
            return row
        if kind == "y":
            self._rate(row_id, RIGHT)
            if not row.answered:
                return note("Thanks! Noted that not answering was right.")
            return note(f"Thanks! Noted that {label(self.kb, row.answered[0])} was right.")
        if kind == "n":
            self._rate(row_id, WRONG)
            return self._which(row)
        assert code is not None
        return self._expected(row, code)

    def typed(self, state: str, text: str, user_id: str) -> Reply:
        """The code typed into the box the "Another code…" button opened."""
        row_id = _row_id(state)
        row = EXPIRED if row_id is None else self._own(row_id, user_id)
        if isinstance(row, Reply):
            return row
        found = _CODE.fullmatch(text)
        code = int(found.group(1)) if found else None
        if code is None or self.kb.primary(code) is None:
            shown = " ".join(text.split())[:40]
            title = f"I can't read {quoted(shown)} as a status code" if shown else "No code given"
            return note(title, "Type the number, such as 422.")
        return self._expected(row, code)

    def _own(self, row_id: int, user_id: str) -> FeedbackRow | Reply:
        """The kept answer if this user asked it, else what to tell them."""
        row = self.store.get(row_id)
        if row is None:
            return EXPIRED
        return row if row.user_id == user_id else NOT_YOURS

    def _expected(self, row: FeedbackRow, code: int) -> Reply:
        if code != NO_CODE and self.kb.primary(code) is None:
            return EXPIRED
        self._rate(row.id, WRONG, code)
        if code == NO_CODE:
            return note("Thanks! Noted that no status code fits that question.")
        return note(f"Thanks! Noted that {label(self.kb, code)} was expected.")

    def _which(self, row: FeedbackRow) -> Reply:
        candidates = [code for code in row.answered[1:] if self.kb.primary(code) is not None][:CANDIDATES]
        actions = [Action(FEEDBACK_ACTION, label(self.kb, code), encode("c", row.id, code)) for code in candidates]
        actions.append(Action(FEEDBACK_ACTION, "Another code…", encode("o", row.id)))
        if row.answered:
            actions.append(Action(FEEDBACK_ACTION, "No code fits", encode("c", row.id, NO_CODE)))
        return Reply(
            title="Thanks. Which code did you expect?",
            text="Pick one, or type it with Another code…",
            colour="grey",
            actions=tuple(actions),
            private=True,
        )


# -- what maintainers get ------------------------------------------------------------------------------------------
def accepted(row: FeedbackRow) -> tuple[int, ...] | None:
    """The codes a row says are right (empty: the bot should abstain); None when it doesn't say (a 👎 with no code)."""
    if row.verdict == RIGHT:
        return row.answered[:1]
    if row.verdict == WRONG:
        if row.expected is None:
            return None
        return () if row.expected == NO_CODE else (row.expected,)
    if row.verdict == UNRATED and not row.answered:
        return ()  # abstained and nobody said otherwise
    return None


def _key(question: str) -> str:
    return " ".join(question.casefold().split())


def export(rows: Iterable[FeedbackRow], out: TextIO) -> tuple[int, int]:
    """Eval lines (``{"q", "accept", "source", "answered"}``), one per distinct question; a question rated
    several times accepts every code its ratings name. (lines written, rows left out: a 👎 without a code)."""
    merged: dict[str, tuple[str, set[int], set[str], list[int]]] = {}
    skipped = 0
    for row in rows:
        codes = accepted(row)
        if codes is None:
            skipped += 1
            continue
        source = "abstained" if row.verdict == UNRATED else f"rated {row.verdict}"
        shown = kept_question(row.question)  # rows kept before questions were cleaned
        question, accept, sources, answered = merged.setdefault(_key(shown), (shown, set(), set(), []))
        accept.update(codes)
        sources.add(source)
        if not answered:
            answered.extend(row.answered[:3])
    for question, accept, sources, answered in merged.values():
        line = {"q": question, "accept": sorted(accept), "source": "feedback: " + ", ".join(sorted(sources))}
        line["answered"] = answered
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return len(merged), skipped


def report(kb: Knowledge, rows: list[FeedbackRow], out: TextIO) -> None:
    """The most-missed situations (abstained, or rated 👎) and the codes most often corrected."""
    rated = [row for row in rows if row.verdict != UNRATED]
    right = sum(row.verdict == RIGHT for row in rated)
    abstained = sum(not row.answered for row in rows)
    out.write(f"{len(rows)} kept: {len(rated)} rated ({right} 👍, {len(rated) - right} 👎), {abstained} abstained on\n")
    missed: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for row in rows:
        if row.verdict == WRONG or (row.verdict == UNRATED and not row.answered):
            question = kept_question(row.question)  # rows kept before questions were cleaned
            missed[_key(question)] += 1
            shown.setdefault(_key(question), question)
    out.write("\nmost-missed situations:\n")
    if not missed:
        out.write("  none\n")
    for key, count in missed.most_common(REPORT_TOP):
        out.write(f"  {count}× {' '.join(shown[key].split())[:100]}\n")
    corrections: Counter[tuple[int, int]] = Counter()
    for row in rows:
        if row.verdict == WRONG and row.expected is not None:
            corrections[(row.answered[0] if row.answered else NO_CODE, row.expected)] += 1
    out.write("\ncodes most often corrected (given → expected):\n")
    if not corrections:
        out.write("  none\n")
    for (given, expected), count in corrections.most_common(REPORT_TOP):
        before = label(kb, given) if given != NO_CODE else "no answer"
        after = label(kb, expected) if expected != NO_CODE else "no code fits"
        out.write(f"  {count}× {before} → {after}\n")


def since_timestamp(text: str) -> float:
    """The start of a day (``2026-12-01``, UTC) as a timestamp; ValueError saying what a date looks like."""
    try:
        day = datetime.strptime(text.strip(), "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise ValueError(f"--since wants a date such as 2026-12-01, not {text[:40]!r}") from None
    return day.timestamp()
