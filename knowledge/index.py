"""Indexes over the catalogue: by number, family, name and header, and the curated confusions."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from itertools import combinations

from knowledge.model import Catalogue, Confusion, Family, Mistake, Status
from knowledge.text import squash, words


class Knowledge:
    """The loaded catalogue with the lookup tables every answer needs."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        by_code: dict[int, list[Status]] = defaultdict(list)
        for status in catalogue.statuses:
            by_code[status.code].append(status)
        # the registered meaning first, then the others by how often people meet them
        self._by_code = {
            code: tuple(sorted(group, key=lambda s: (not s.official, -s.rank, s.phrase)))
            for code, group in by_code.items()
        }
        self.families = {family.label: family for family in catalogue.families}
        self._pair_rules: dict[frozenset[int], Confusion] = {}
        self._confusions_of: dict[int, list[Confusion]] = defaultdict(list)
        for confusion in catalogue.confusions:
            for a, b in combinations(confusion.codes, 2):
                self._pair_rules.setdefault(frozenset((a, b)), confusion)
            for code in confusion.codes:
                self._confusions_of[code].append(confusion)
        self.constants = {entry.code: entry for entry in catalogue.constants}
        self._mistakes_of: dict[int, list[Mistake]] = defaultdict(list)
        for mistake in catalogue.mistakes:
            for code in mistake.codes:
                self._mistakes_of[code].append(mistake)

    # -- numbers and families -------------------------------------------------
    def meanings(self, code: int) -> tuple[Status, ...]:
        """Every meaning of a number, the registered one first."""
        return self._by_code.get(code, ())

    def registered(self, code: int) -> Status | None:
        """The IANA-registered meaning of a number, if there is one."""
        found = self._by_code.get(code, ())
        return found[0] if found and found[0].official else None

    def primary(self, code: int) -> Status | None:
        """The meaning to show first for a number."""
        found = self._by_code.get(code, ())
        return found[0] if found else None

    @cached_property
    def codes(self) -> tuple[int, ...]:
        """Every number the catalogue knows, ascending."""
        return tuple(sorted(self._by_code))

    def family_members(self, label: str, *, official_only: bool = False) -> tuple[Status, ...]:
        """A family's meanings, most used first."""
        members = [
            status
            for status in self.catalogue.statuses
            if status.family == label and (status.official or not official_only)
        ]
        return tuple(sorted(members, key=lambda s: (-s.rank, s.code)))

    def nearest_registered(self, code: int, count: int = 3) -> tuple[int, ...]:
        """Registered codes of the same family closest to ``code``."""
        same_family = [c for c in self.codes if c // 100 == code // 100 and self.registered(c)]
        return tuple(sorted(same_family, key=lambda c: (abs(c - code), c))[:count])

    # -- names ------------------------------------------------------------------
    @cached_property
    def names(self) -> dict[str, tuple[Status, ...]]:
        """Every phrase and alias, lower-cased with single spaces, to the meanings it names."""
        table: dict[str, list[Status]] = defaultdict(list)
        for status in self.catalogue.statuses:
            for name in (status.phrase, *status.aliases):
                key = " ".join(words(name)).replace("'", "")
                if key and status not in table[key]:
                    table[key].append(status)
        return {key: tuple(value) for key, value in table.items()}

    @cached_property
    def name_list(self) -> list[str]:
        """The keys of :attr:`names`, as a list for fuzzy matching."""
        return list(self.names)

    def names_near_length(self, length: int) -> list[str]:
        """Names whose length allows a close fuzzy match with a key of ``length`` characters."""
        return self._names_by_length.get(length, self.name_list)

    @cached_property
    def _names_by_length(self) -> dict[int, list[str]]:
        # a ratio of 85 or one edit needs lengths within about a third of each other
        return {
            length: [name for name in self.name_list if 0.7 * length - 1 <= len(name) <= 1.4 * length + 1]
            for length in range(1, 80)
        }

    @cached_property
    def _titles(self) -> dict[int, list[tuple[str, ...]]]:
        titles: dict[int, list[tuple[str, ...]]] = defaultdict(list)
        for status in self.catalogue.statuses:
            for name in (status.phrase, *status.aliases):
                titles[status.code].append(tuple(words(name)))
        return {code: sorted(set(found), key=len, reverse=True) for code, found in titles.items()}

    def name_after(self, tokens: list[str], index: int) -> int:
        """How many tokens after the number at ``index`` spell one of its code's names ("409 conflict"), or 0."""
        if not tokens[index].isdigit():
            return 0
        for title in self._titles.get(int(tokens[index]), ()):
            if title and tuple(tokens[index + 1 : index + 1 + len(title)]) == title:
                return len(title)
        return 0

    def without_names(self, tokens: list[str]) -> list[str]:
        """Tokens without the names that follow their codes ("507 insufficient storage" → "507")."""
        kept: list[str] = []
        i = 0
        while i < len(tokens):
            kept.append(tokens[i])
            i += 1 + self.name_after(tokens, i)
        return kept

    @cached_property
    def plain_words(self) -> frozenset[str]:
        """Ordinary words of the names ("not", "found") that a one-letter slip must not turn into a code."""
        everyday = "done one none sound round bound fund gun sun bone tone cone lone zone okay ok"
        return frozenset(w for key in self.names for w in key.split()) | frozenset(everyday.split())

    @cached_property
    def name_keywords(self) -> dict[str, Status]:
        """Distinctive words that single out one meaning on their own ('teapot' → 418)."""
        owners: dict[str, set[Status]] = defaultdict(set)
        for key, statuses in self.names.items():
            official = [s for s in statuses if s.official]
            for word in key.split():
                if len(word) >= 5 and official:
                    owners[word].update(official)
        # a word of an unofficial name makes it ambiguous too ("expired": 419 Page Expired)
        for key, statuses in self.names.items():
            for word in key.split():
                if any(not s.official for s in statuses) and word in owners:
                    owners[word].add(statuses[0])
        return {word: next(iter(group)) for word, group in owners.items() if len(group) == 1}

    # -- headers ----------------------------------------------------------------
    @cached_property
    def headers(self) -> dict[str, tuple[str, tuple[tuple[Status, str], ...]]]:
        """Squashed header name → (display name, the meanings it belongs with and why)."""
        table: dict[str, tuple[str, list[tuple[Status, str]]]] = {}
        for status in sorted(self.catalogue.statuses, key=lambda s: (not s.official, -s.rank, s.code)):
            for note in status.headers:
                key = squash(note.name)
                table.setdefault(key, (note.name, []))[1].append((status, note.why))
        return {key: (display, tuple(uses)) for key, (display, uses) in table.items()}

    # -- confusions and mistakes ------------------------------------------------
    def rule_between(self, a: int, b: int) -> Confusion | None:
        """The curated rule deciding between two codes, if there is one."""
        return self._pair_rules.get(frozenset((a, b)))

    def confusions_of(self, code: int) -> tuple[Confusion, ...]:
        """Every curated confusion involving ``code``."""
        return tuple(self._confusions_of.get(code, ()))

    def mistakes_of(self, code: int) -> tuple[Mistake, ...]:
        """The lesson's common mistakes that concern ``code``."""
        return tuple(self._mistakes_of.get(code, ()))

    def family_of(self, code: int) -> Family | None:
        """The family a number belongs to (None outside 1xx-5xx)."""
        return self.families.get(f"{code // 100}xx")
