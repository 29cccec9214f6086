"""Checks a question must pass to be asked: no giveaway in the prompt, options in one format, tidy text.

The bank uses them to choose among candidate wordings, and the tests run them over every question.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# words of status names that say nothing about which code it is (most prompts mention a request)
GENERIC = frozenset(
    {"request", "requests", "content", "required", "not", "http", "status", "the", "for", "type", "error"}
    | {"server", "header", "fields", "version", "uri", "method", "other", "service", "after", "no", "too"}
)
_SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "able", "ies", "ied", "ed", "es", "ly", "s", "e")
_WORD = re.compile(r"[a-z]+")
_CODE_TITLE = re.compile(r"^[1-5]\d\d\b")
_PAIRS = (("(", ")"), ("[", "]"), ("{", "}"), ("“", "”"))
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NEGATIONS = ("un", "in")


def stem(word: str) -> str:
    """A crude stem: ``created``, ``creating`` and ``creation`` all become ``creat``."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _same_stem(a: str, b: str) -> bool:
    if a == b:
        return True
    # "modifi"/"modify", "forbid"/"forbidden": a long shared start is the same word
    return len(_common_prefix(a, b)) >= max(5, min(len(a), len(b)) - 1)


def _common_prefix(a: str, b: str) -> str:
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return a[:i]
    return a[: min(len(a), len(b))]


def name_words(names: Iterable[str]) -> set[str]:
    """The telling words of a code's names (its phrase and aliases)."""
    return {w for name in names for w in _WORD.findall(name.lower()) if w not in GENERIC}


def gives_away(prompt: str, names: Iterable[str], number: int = 0) -> str:
    """Why ``prompt`` gives the answer away (its number, or a word or stem of its name), else ''."""
    if number and re.search(rf"(?<!\d){number}(?!\d)", prompt):
        return f"names {number}"
    lowered = prompt.lower()
    for name in names:
        if re.search(rf"\b{re.escape(name.lower())}\b", lowered):
            return f"says {name!r}"
    # "HttpMediaTypeNotSupportedException" says media, type and supported
    words = set(_WORD.findall(_CAMEL.sub(" ", prompt).lower())) | set(_WORD.findall(lowered))
    for name_word in sorted(name_words(names)):  # sorted: the same reason in every process
        if len(name_word) < 4:
            if name_word in words:
                return f"says {name_word!r}"
            continue
        # "not supported" says "Unsupported", "not sufficient" says "Insufficient"
        roots = {stem(name_word)} | {stem(name_word[2:]) for p in _NEGATIONS if name_word.startswith(p)}
        for word in sorted(words):
            if len(word) >= 3 and any(_same_stem(root, stem(word)) for root in roots):
                return f"says {word!r}, like {name_word!r}"
    return ""


def option_shape(option: str) -> str:
    """The format of an answer option: a code title, an exchange, a header name, or plain words."""
    if " → " in option:
        return "exchange"
    if _CODE_TITLE.match(option):
        return "code"
    if re.fullmatch(r"[A-Z][A-Za-z]*(-[A-Z][A-Za-z]*)+|[A-Z][a-z]+|ETag", option):
        return "header"
    return "words"


def balanced(text: str) -> bool:
    """Brackets and curly quotes open and close in order."""
    stack: list[str] = []
    closers = {close: open_ for open_, close in _PAIRS}
    for char in text:
        if any(char == open_ for open_, _ in _PAIRS):
            stack.append(char)
        elif char in closers and (not stack or stack.pop() != closers[char]):
            return False
    return not stack
