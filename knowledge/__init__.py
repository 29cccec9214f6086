"""The knowledge core: status codes, how to find them, and which one fits a situation.

Public API: :func:`ask` answers one question; :func:`knowledge` gives the loaded catalogue and
its indexes. Nothing here knows about chat platforms or storage.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from knowledge.answer import KINDS, Answer, Match, RunnerUp
from knowledge.fields import CatalogueError
from knowledge.house_rules import HouseRule, Ruling, ruling
from knowledge.index import Knowledge
from knowledge.model import (
    Catalogue,
    Confusion,
    Constants,
    Example,
    Family,
    GuideChoice,
    GuideStep,
    Mistake,
    Situation,
    Status,
)

__all__ = [
    "KINDS",
    "Answer",
    "Catalogue",
    "CatalogueError",
    "Confusion",
    "Constants",
    "Example",
    "Family",
    "GuideChoice",
    "GuideStep",
    "HouseRule",
    "Knowledge",
    "Match",
    "Mistake",
    "Ruling",
    "RunnerUp",
    "Situation",
    "Status",
    "ask",
    "knowledge",
    "ruling",
    "situations",
]

_loaded: Knowledge | None = None
_router: Callable[[Knowledge, str], Answer] | None = None


def knowledge() -> Knowledge:
    """The catalogue with its indexes, loaded and validated once per process."""
    global _loaded
    if _loaded is None:
        from knowledge.compiled import compiled_catalogue

        _loaded = Knowledge(compiled_catalogue())
    return _loaded


def situations() -> tuple[Situation, ...]:
    """The curated situation phrases of the scenario engine, validated."""
    from knowledge.compiled import code_origins, compiled_situations

    return compiled_situations(*code_origins(knowledge().catalogue.statuses))


@lru_cache(maxsize=4096)  # answers are immutable and a pure function of the question
def quick_lookup(question: str) -> Answer | None:
    """The answer when ``question`` plainly names a code, family, name, header or comparison, found in
    microseconds without the scenario engine; None when answering it needs more (then use :func:`ask`)."""
    from knowledge.lookup import direct_lookup
    from knowledge.text import MAX_QUESTION_CHARS, clean, has_meaning

    text = clean(question)
    # the same checks ask() makes before its direct lookup; anything unusual takes the full path
    if not text or "@" in text or "<" in text or len(text) > MAX_QUESTION_CHARS or not has_meaning(text):
        return None
    return direct_lookup(knowledge(), text)


def ask(question: str) -> Answer:
    """Answer one question: a lookup when it names a code, family, name, header or comparison, else a scenario."""
    global _router
    if _router is None:
        # imported on first use so that importing the package stays cheap
        from knowledge.router import route

        _router = route
    return _router(knowledge(), question)
