"""Typed answers: "409", "conflict", "409 Conflict", "409." and the letter shown ("B") name a choice."""

from __future__ import annotations

import re

from knowledge import Knowledge
from knowledge.text import words

_CODE = re.compile(r"(?<!\d)([1-5]\d\d)(?!\d)")
_LETTER = re.compile(r"\(?([A-Za-z])[.)]?")


def letter_named(text: str, choices: int) -> int | None:
    """The choice a message names by the letter it is shown with ("B", "b.", "(b)"), if it is one."""
    found = _LETTER.fullmatch(text.strip())
    if found is None:
        return None
    index = ord(found.group(1).upper()) - ord("A")
    return index if index < choices else None


def tolerance(text: str) -> float:
    """The fuzzy-match cutoff: exact for short words, more forgiving as the answer grows."""
    length = len(text)
    if length <= 4:
        return 100.0
    if length <= 8:
        return 85.0
    return 78.0


def codes_named(kb: Knowledge, text: str) -> set[int]:
    """The status codes a chat message names, by number or by (misspelt) name."""
    numbers = {int(n) for n in _CODE.findall(text) if kb.primary(int(n)) is not None}
    if numbers:
        return numbers
    key = " ".join(words(text))
    if not key:
        return set()
    exact = kb.names.get(key)
    if exact:
        return {exact[0].code}
    from rapidfuzz import fuzz, process

    found = process.extractOne(key, kb.name_list, scorer=fuzz.ratio, score_cutoff=tolerance(key))
    return {kb.names[found[0]][0].code} if found else set()
