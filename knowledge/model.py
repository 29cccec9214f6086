"""Immutable records of the catalogue: status meanings, families, confusions, mistakes, situations."""

from __future__ import annotations

from typing import NamedTuple

FAMILY_NAMES = ("1xx", "2xx", "3xx", "4xx", "5xx")


class Example(NamedTuple):
    """One example exchange: a request and the response it gets."""

    request: str
    response: str
    note: str = ""


class HeaderNote(NamedTuple):
    """A header that belongs with a code, and why."""

    name: str
    why: str


class Alternative(NamedTuple):
    """When not to send a code, and which one to send instead."""

    instead: int
    when: str


class Status(NamedTuple):
    """One meaning of a status number (most numbers have exactly one)."""

    code: int
    phrase: str
    aliases: tuple[str, ...]
    summary: str
    use_when: str
    not_for: tuple[Alternative, ...]
    headers: tuple[HeaderNote, ...]
    examples: tuple[Example, ...]
    spec: str
    spec_url: str
    docs_url: str
    rank: int
    level: str
    cacheable: bool
    retryable: bool
    no_body: bool
    redirect: bool
    unused: bool
    deprecated: bool
    note: str
    origin: str

    @property
    def official(self) -> bool:
        """True for a meaning registered with IANA; unofficial meanings name their origin."""
        return not self.origin

    @property
    def family(self) -> str:
        """The family label, e.g. ``4xx`` (``9xx`` for the out-of-range 999)."""
        return f"{self.code // 100}xx"

    @property
    def name(self) -> str:
        """The name people know it by: the phrase, or its best-known alias when the phrase is '(Unused)'."""
        if self.phrase.startswith("(") and self.aliases:
            return self.aliases[0]
        return self.phrase

    @property
    def in_range(self) -> bool:
        """RFC 9110 allows three-digit codes from 100 to 599 only."""
        return 100 <= self.code <= 599

    @property
    def title(self) -> str:
        """``409 Conflict``."""
        return f"{self.code} {self.name}"


class Family(NamedTuple):
    """One of the five classes of status codes."""

    label: str
    name: str
    summary: str
    meaning: str
    lesson: str
    key_codes: tuple[int, ...]


class Confusion(NamedTuple):
    """Codes people mix up and the rule that decides between them."""

    codes: tuple[int, ...]
    rule: str


class Mistake(NamedTuple):
    """A common mistake from the lesson, attached to the codes it concerns."""

    id: int
    title: str
    wrong: int
    right: tuple[int, ...]
    codes: tuple[int, ...]
    example: str
    explanation: str
    tip: str
    missing_header: str = ""


class Situation(NamedTuple):
    """Plain-words phrases describing one situation that calls for a code."""

    code: int
    reason: str
    phrases: tuple[str, ...]
    origin: str = ""


class Constants(NamedTuple):
    """The constants that name one status number in common frameworks."""

    code: int
    names: tuple[tuple[str, str], ...]
    unverified: tuple[str, ...] = ()


class GuideChoice(NamedTuple):
    """One answer to a guide question: it leads to another step or to an outcome code."""

    label: str
    next: str = ""
    code: int = 0


class GuideStep(NamedTuple):
    """One question of the decision guide."""

    id: str
    question: str
    hint: str
    choices: tuple[GuideChoice, ...]


class Catalogue(NamedTuple):
    """Everything the knowledge core knows, loaded once and never changed."""

    statuses: tuple[Status, ...]
    families: tuple[Family, ...]
    confusions: tuple[Confusion, ...]
    mistakes: tuple[Mistake, ...]
    constants: tuple[Constants, ...]
    overview: str
    best_practice: tuple[str, str]
    guide: tuple[GuideStep, ...] = ()
