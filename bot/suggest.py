"""Suggestions while a user types a question (Discord's autocomplete): codes, names, headers, situations.

Built once into an index of word prefixes, so a keystroke costs a few set intersections, well
inside the 2 ms target (``python -m benchmarks.discord_autocomplete``). Platform-neutral: each
suggestion is the text to show and the question it stands for.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from bot.grammar import STATUS
from knowledge import Knowledge, Situation, ask
from knowledge.text import words

LIMIT = 25  # Discord shows at most 25 choices
SIZE = 100  # a choice's name and value hold at most 100 characters
READ = 200  # the part of what was typed that is looked at (an option may hold 6,000 characters)
MAX_WORDS = 8
SENTENCE = 3  # from this many words on, what was typed is also asked as a situation
CONFIDENT = 0.5


class Suggestion(NamedTuple):
    """What to show, and the question it asks when picked."""

    name: str
    value: str


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SIZE else text[: SIZE - 1].rstrip() + "…"


class Suggester:
    """Every code, family, header, command and situation phrase, searchable by word prefixes."""

    def __init__(self, kb: Knowledge, situations: Sequence[Situation] = ()) -> None:
        self._entries: list[Suggestion] = []
        self._by_number: list[int] = []  # sort key when the question is a number: the code itself
        self._prefixes: dict[str, set[int]] = defaultdict(set)
        for action in STATUS.actions:
            if action.name != STATUS.default:
                self._add(f"{action.name}: {action.summary}", action.name, (action.name, *action.aliases), 0)
        for label, family in sorted(kb.families.items()):
            self._add(f"{label} {family.name}", label, (label, *words(family.name)), int(label[0]) * 100 - 1)
        # most used first: a word that starts many names ranks the familiar codes above the rare ones
        for status in sorted(kb.catalogue.statuses, key=lambda s: (-s.rank, s.code, not s.official)):
            names = " ".join((status.phrase, *status.aliases))
            self._add(f"{status.code} {status.name}", str(status.code), (str(status.code), *words(names)), status.code)
        for display, uses in kb.headers.values():
            codes = ", ".join(dict.fromkeys(str(status.code) for status, _ in uses[:6]))
            self._add(f"{display}: {codes}", display, words(display), 1000)
        for situation in situations:
            meaning = kb.primary(situation.code)
            name = f"{situation.code} {meaning.name}" if meaning else str(situation.code)
            for phrase in situation.phrases:
                self._add(f"{phrase} → {name}", phrase, words(phrase), 1000)
        self._prefixes = dict(self._prefixes)
        self._opening = [i for i in range(len(self._entries)) if self._by_number[i] < 1000][:LIMIT]

    def _add(self, name: str, value: str, keys: Iterable[str], number: int) -> None:
        index = len(self._entries)
        self._entries.append(Suggestion(_clip(name), _clip(value)))
        self._by_number.append(number)
        for key in keys:
            for end in range(1, len(key) + 1):
                self._prefixes[key[:end]].add(index)

    def suggest(self, text: str, limit: int = LIMIT) -> list[Suggestion]:
        """Up to ``limit`` suggestions for what was typed so far, best first, without repeats."""
        typed = words(text[:READ])[:MAX_WORDS]
        if not typed:
            return [self._entries[i] for i in self._opening[:limit]]
        out = self._asked(text[:READ]) if len(typed) >= SENTENCE else []
        # every known word must match (rarest first); a word found nowhere, such as a typo, is passed over
        found: set[int] | None = None
        for word in sorted(typed, key=lambda w: len(self._prefixes.get(w, ()))):
            matches = self._prefixes.get(word)
            if matches:
                found = set(matches) if found is None else found & matches
        if not found:
            return out or self._asked(text[:READ])  # a name with a typo ("unprocesable")
        if all(word.isdigit() for word in typed):  # "40": the codes in numeric order, 400 first
            best = heapq.nsmallest(limit, found, key=lambda i: (self._by_number[i], i))
        else:
            best = heapq.nsmallest(limit, found)
        seen = {entry.value.lower() for entry in out}
        for index in best:
            entry = self._entries[index]
            if entry.value.lower() not in seen:
                seen.add(entry.value.lower())
                out.append(entry)
        return out[:limit]

    @staticmethod
    def _asked(text: str) -> list[Suggestion]:
        """What the bot would answer: a situation's best code (picking it asks the sentence itself), or the
        codes a name with a typo stands for."""
        answer = ask(text)
        if answer.kind == "scenario":
            if not answer.matches or answer.matches[0].confidence < CONFIDENT:
                return []
            best = answer.matches[0]
            reason = f" ({best.reason})" if best.reason else ""
            return [Suggestion(_clip(f"{best.status.code} {best.status.name}{reason}"), _clip(text))]
        return [
            Suggestion(_clip(f"{m.status.code} {m.status.name}"), str(m.status.code)) for m in answer.matches[:LIMIT]
        ]


_default: Suggester | None = None


def suggester() -> Suggester:
    """The suggester over the loaded catalogue and the scenario engine's situation phrases, built once."""
    global _default
    if _default is None:
        from knowledge import knowledge, situations

        _default = Suggester(knowledge(), situations())
    return _default
