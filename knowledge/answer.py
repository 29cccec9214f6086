"""What a question gets back: the kind of answer and the ranked statuses that answer it."""

from __future__ import annotations

from typing import Any, NamedTuple

from knowledge.model import Confusion, Family, Status

KINDS = ("code", "family", "name", "header", "compare", "unknown", "invalid", "scenario")
# Bands of the calibrated top confidence, checked on the eval sets: at least 97 % of *sure* answers
# are right; *likely* is usually right but has a runner-up worth reading; below, only candidates.
SURE_FROM = 0.8
LIKELY_FROM = 0.5


def certainty_of(confidence: float) -> str:
    """The band a scenario answer's top confidence falls in."""
    if confidence >= SURE_FROM:
        return "sure"
    return "likely" if confidence >= LIKELY_FROM else "unsure"


class Match(NamedTuple):
    """One status meaning that answers a question, with how sure we are and why."""

    status: Status
    confidence: float
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        """The JSON form documented for ``statusbot ask --json``."""
        data: dict[str, Any] = {
            "code": self.status.code,
            "phrase": self.status.name,
            "confidence": round(self.confidence, 3),
        }
        if self.status.origin:
            data["origin"] = self.status.origin
        if self.reason:
            data["reason"] = self.reason
        return data


class RunnerUp(NamedTuple):
    """The second code worth considering, and the rule that decides between it and the first."""

    match: Match
    rule: str


class Answer(NamedTuple):
    """The knowledge core's answer to one question; platform-neutral, rendered by the bot."""

    kind: str
    query: str
    matches: tuple[Match, ...] = ()
    message: str = ""
    suggestions: tuple[int, ...] = ()
    family: Family | None = None
    header: str = ""
    rules: tuple[Confusion, ...] = ()
    runner_up: RunnerUp | None = None

    @property
    def best(self) -> Match | None:
        """The first match, if any."""
        return self.matches[0] if self.matches else None

    @property
    def certainty(self) -> str:
        """How far to trust the answer: a scenario is banded by its top confidence; a lookup is *sure*,
        except a name several codes answer equally well ("Several names match"), which is *unsure*."""
        if self.kind == "invalid" or (self.kind == "scenario" and not self.matches):
            return "abstain"
        if self.kind == "scenario":
            return certainty_of(self.matches[0].confidence)
        if self.kind == "name" and len(self.matches) > 1:
            return "unsure"
        return "sure"

    def to_json(self) -> dict[str, Any]:
        """Machine-readable form, without the rendered text (the bot adds ``text``)."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "query": self.query,
            "matches": [match.to_json() for match in self.matches],
            "certainty": self.certainty,
        }
        if self.suggestions:
            data["suggestions"] = list(self.suggestions)
        if self.family is not None:
            data["family"] = self.family.label
        if self.header:
            data["header"] = self.header
        if self.rules:
            data["rules"] = [{"codes": list(rule.codes), "rule": rule.rule} for rule in self.rules]
        if self.runner_up is not None:
            data["runner_up"] = {**self.runner_up.match.to_json(), "rule": self.runner_up.rule}
        if self.message:
            data["message"] = self.message
        return data
