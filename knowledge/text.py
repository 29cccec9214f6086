"""Text normalisation shared by the lookups and the scenario engine."""

from __future__ import annotations

import re
import unicodedata

MAX_QUESTION_CHARS = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
# zero-width spaces, joiners and the BOM, pasted inside a word ("dupli\u200bcate"): gone, not a space
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)*")


def clean(text: str) -> str:
    """Unicode-normalised text without control characters, whitespace collapsed."""
    if not (text.isascii() and text.isprintable()):
        text = _CONTROL.sub(" ", _ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text)))
    return _SPACE.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """Lower-case word tokens of letters and digits; apostrophes inside words are dropped ("don't" → "dont")."""
    return [w.replace("'", "").replace("’", "") for w in _WORD.findall(text.lower())]


def squash(text: str) -> str:
    """A name or header reduced to letters and digits, for exact comparisons ('Retry-After' → 'retryafter')."""
    return "".join(words(text))


_ALNUM = re.compile(r"[^\W_]")


def has_meaning(text: str) -> bool:
    """True when the text holds at least one letter or digit (not only emoji or punctuation)."""
    return _ALNUM.search(text) is not None
