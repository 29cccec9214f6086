"""House rules: a team's own code for a situation, and which questions a rule speaks to.

A rule is plain data (its situation in words and the team's code); where rules are kept is not this
package's business. A question matches a rule when the two are about the same situation, read by
the scenario engine in one of three ways:

* the question's words cover most of the rule's words (weighted as the engine weighs them, synonyms
  included): "validation error" covers "what code for a validation error on signup"; or
* the question resolves to the curated situation the rule resolves to (the same code for the same
  reason): "validation error" also covers "invalid email format", which the engine files under "a field
  value fails validation"; or
* the question shares some of the rule's words and resolves to another curated situation the engine
  reads in the rule almost as strongly: "resources a user may not see" reads as hiding that a resource
  exists (404) and, nearly as well, as lacking permission (403), so it covers "user lacks permission to
  view the resource".

Several matching rules: the best covered wins, then the more specific (more words, rarer ones), then
the earlier one.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from knowledge.answer import Match
from knowledge.index import Knowledge

COVERED = 0.6  # the share of the rule's (weighted) words a question must contain
SITUATION_EVIDENCE = 0.3  # how sure the engine must be of a reading for two texts to share a situation
STRONG_EVIDENCE = 0.5  # a further reading of the rule this sure counts as one of its situations…
SHARED_WORDS = 0.3  # …for a question that also has this share of the rule's words


class HouseRule(NamedTuple):
    """A team's own choice: ``code`` whenever the situation ``situation`` describes comes up."""

    situation: str
    code: int


class Ruling(NamedTuple):
    """The rule a question falls under (``number`` counts from 1, in the order given), and what the RFC
    default would have been: the scenario engine's best code for the question, with its reason (None when
    the engine finds none)."""

    number: int
    rule: HouseRule
    default: Match | None


class _Reading(NamedTuple):
    words: dict[str, float]  # content stems and their weights
    covers: frozenset[str]  # the stems plus their synonyms
    situation: tuple[int, str] | None  # (code, reason) of the curated situation it resolves to
    best: Match | None
    also: frozenset[tuple[int, str]]  # further curated situations read almost as strongly


@lru_cache(maxsize=4096)  # rules and quiz situations repeat; readings are pure functions of the text
def _read(kb: Knowledge, text: str) -> _Reading:
    from knowledge.scenarios import engine

    scenarios = engine(kb)
    analyser = scenarios.analyser
    stems = {term for term, _ in analyser.terms(text)[0] if "_" not in term}
    weights = {stem: scenarios.weight(stem) for stem in stems}
    covers = stems | {other for stem in stems for other in analyser.expansions.get(stem, ())}
    ranked, _ = scenarios.rank(text)
    top = ranked[0] if ranked else None
    if top is None or top.evidence < SITUATION_EVIDENCE:
        return _Reading(weights, frozenset(covers), None, None, frozenset())
    best = Match(top.status, round(top.evidence, 3), top.reason)
    also = frozenset((item.status.code, item.reason) for item in ranked[1:] if item.evidence >= STRONG_EVIDENCE)
    return _Reading(weights, frozenset(covers), (top.status.code, top.reason), best, also)


def describes_something(kb: Knowledge, situation: str) -> bool:
    """Whether a rule's situation has words the engine can match (not only stop words or punctuation)."""
    return bool(_read(kb, situation).words)


def rfc_default(kb: Knowledge, situation: str) -> Match | None:
    """The code the scenario engine gives the situation on its own, with its reason; None when it has none."""
    return _read(kb, situation).best


def coverage(kb: Knowledge, rule: HouseRule, question: str) -> float:
    """How well ``question`` falls under ``rule``: the share of the rule's words it covers when that is enough,
    plus one when it resolves to one of the rule's curated situations (0 when it falls outside the rule)."""
    own, asked = _read(kb, rule.situation), _read(kb, question)
    total = sum(own.words.values())
    if not total:
        return 0.0
    share = sum(weight for stem, weight in own.words.items() if stem in asked.covers) / total
    same = own.situation is not None and own.situation == asked.situation
    near = share >= SHARED_WORDS and asked.situation in own.also
    return (share if share >= COVERED else 0.0) + (1.0 if same or near else 0.0)


def ruling(kb: Knowledge, rules: Sequence[HouseRule], question: str) -> Ruling | None:
    """The house rule ``question`` falls under, if any (see the module's notes)."""
    if not rules or not question.strip():
        return None
    # the best covered; between equals, the more specific rule (more words, rarer ones), then the earlier
    scored = [
        (coverage(kb, rule, question), sum(_read(kb, rule.situation).words.values()), -number)
        for number, rule in enumerate(rules, start=1)
    ]
    best = max(scored)
    if best[0] <= 0:
        return None
    number = -best[2]
    return Ruling(number, rules[number - 1], _read(kb, question).best)
