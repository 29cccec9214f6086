"""Lookups that need no scenario reasoning: a number, a family, a name, a header, a comparison."""

from __future__ import annotations

import re
from typing import Any

from knowledge.answer import Answer, Match
from knowledge.index import Knowledge
from knowledge.text import words

# Words that wrap a lookup without changing what is asked ("what does 418 mean?", "explain 503").
LOOKUP_WORDS = frozenset(
    [
        "what",
        "whats",
        "what's",
        "does",
        "do",
        "is",
        "are",
        "was",
        "a",
        "an",
        "the",
        "mean",
        "means",
        "meaning",
        "meant",
        "explain",
        "explanation",
        "status",
        "statuses",
        "code",
        "codes",
        "http",
        "https",
        "error",
        "errors",
        "response",
        "responses",
        "reply",
        "tell",
        "me",
        "about",
        "define",
        "definition",
        "describe",
        "show",
        "info",
        "information",
        "on",
        "of",
        "for",
        "please",
        "pls",
        "plz",
        "lookup",
        "look",
        "up",
        "card",
        "number",
        "num",
        "hey",
        "hi",
        "bot",
        "statusbot",
        "can",
        "you",
        "give",
        "i'm",
        "im",
        "getting",
        "got",
        "get",
        "seeing",
        "see",
        "why",
        "am",
        "we",
        "our",
        "my",
        "an",
        "header",
        "headers",
        "family",
        "families",
        "class",
        "series",
        "range",
        "list",
        "all",
        "kind",
        "type",
        "category",
        "this",
        "that",
        "it",
    ]
)
# Extra words allowed around two or more numbers for a pure comparison ("difference between 502 and 504").
COMPARE_WORDS = LOOKUP_WORDS | frozenset(
    [
        "vs",
        "v",
        "versus",
        "or",
        "and",
        "difference",
        "differences",
        "different",
        "between",
        "compare",
        "compared",
        "comparison",
        "diff",
        "against",
        "which",
        "one",
        "ones",
        "should",
        "i",
        "use",
        "when",
        "to",
        "with",
        "than",
        "how",
        "differ",
        "distinguish",
        "tell",
        "apart",
    ]
)
_FAMILY = re.compile(r"^([0-9])(?:xx|\*\*|00s|xxs)?$")
_NEGATIVE = re.compile(r"(?:^|[\s(\[])[-−]\s?\d")
_HEADER_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+|[A-Za-z]+)\s*:\s*\S")
_STATUS_LINE = re.compile(r"^\s*HTTP/\d(?:\.\d)?\s+(\d{3})\b", re.IGNORECASE)
NAME_CUTOFF = 88.0
# a custom "X-..." header name alone ("x-request-id", "X-Trace-Id header?"): no status code depends on one
_BARE_HEADER = re.compile(r"^\s*(x-[a-z0-9]+(?:-[a-z0-9]+)*)\s*(?::|\s+header)?\s*\??\s*$", re.IGNORECASE)


def looks_like_header(query: str) -> bool:
    """Header-shaped input ('X-Request-Id', 'Retry-After:'), where a near miss is worth correcting."""
    return bool(re.search(r"\b[A-Za-z]+(?:-[A-Za-z0-9]+)+:?(?:\s|$)", query.strip()))


def family_answer(kb: Knowledge, query: str, digit: int) -> Answer:
    """The family of a first digit, with its codes most used first."""
    family = kb.families.get(f"{digit}xx")
    if family is None:
        return invalid(query, f"There is no {digit}xx family: HTTP status codes run from 1xx to 5xx.")
    members = kb.family_members(family.label)
    return Answer(
        kind="family",
        query=query,
        family=family,
        matches=tuple(Match(status, 1.0) for status in members),
    )


def code_answer(kb: Knowledge, query: str, code: int) -> Answer:
    """Every meaning of a number; unassigned and out-of-range numbers get a helpful explanation."""
    meanings = kb.meanings(code)
    if meanings:
        return Answer(kind="code", query=query, matches=tuple(Match(s, 1.0) for s in meanings))
    if 100 <= code <= 599:
        return Answer(
            kind="unknown",
            query=query,
            family=kb.family_of(code),
            suggestions=kb.nearest_registered(code),
            message=f"{code} is not a registered HTTP status code.",
        )
    return invalid(query, out_of_range(code))


def out_of_range(code: int) -> str:
    """Why a number is not a status code."""
    return f"{code} is not an HTTP status code: valid codes are three-digit numbers from 100 to 599."


def invalid(query: str, message: str) -> Answer:
    """An answer for input that cannot be read as a question about status codes."""
    return Answer(kind="invalid", query=query, message=message)


def compare_answer(kb: Knowledge, query: str, codes: list[int]) -> Answer:
    """Two or more codes side by side, with every curated rule that separates them."""
    known = [code for code in codes if kb.primary(code) is not None]
    unknown = [code for code in codes if code not in known]
    note = " ".join(f"{code} is not a status code I know." for code in unknown)
    if len(known) < 2:
        single = code_answer(kb, query, known[0] if known else codes[0])
        return single._replace(message=" ".join(part for part in (single.message, note) if part))
    rules = []
    for i, a in enumerate(known):
        for b in known[i + 1 :]:
            rule = kb.rule_between(a, b)
            if rule is not None and rule not in rules:
                rules.append(rule)
    return Answer(
        kind="compare",
        query=query,
        matches=tuple(Match(kb.primary(code), 1.0) for code in known),  # type: ignore[arg-type]
        rules=tuple(rules),
        message=note,
    )


def header_answer(kb: Knowledge, query: str, core: list[str], tokens: list[str]) -> Answer | None:
    """The codes a header belongs with, when the question is just a header name."""
    named = _HEADER_LINE.match(query) if ":" in query else None
    if named and len(query[named.end(1) :].split()) <= 3:  # a pasted header line: the name before the colon
        tokens = core = words(named.group(1))
    key = "".join(core).replace("'", "")
    if len(key) < 3:
        return None
    # the whole name first: "Content-Type" and "Content-Range" contain words a question would drop
    found = kb.headers.get("".join(tokens)) or kb.headers.get(key)
    if found is None and len(key) >= 6 and ("header" in tokens or looks_like_header(query)):
        tools = _fuzzy_tools()
        best = tools["extract_one"](key, list(kb.headers), scorer=tools["ratio"], score_cutoff=88)
        found = kb.headers[best[0]] if best else None
    if found is None:
        return None
    display, uses = found
    return Answer(
        kind="header",
        query=query,
        header=display,
        matches=tuple(Match(status, 1.0, reason=why) for status, why in uses),
    )


_FUZZY: dict[str, Any] = {}


def _fuzzy_tools() -> dict[str, Any]:
    """rapidfuzz's functions, imported on first use (a number lookup never needs them)."""
    if not _FUZZY:
        from rapidfuzz import fuzz, process
        from rapidfuzz.distance import OSA

        _FUZZY.update(extract=process.extract, extract_one=process.extractOne, ratio=fuzz.ratio, osa=OSA.distance)
    return _FUZZY


def _fuzzy_names(kb: Knowledge, key: str) -> list[tuple[str, float]]:
    """Names close to ``key``: a ratio for phrases, one slip (typo or swap) for single words."""
    tools = _fuzzy_tools()
    if len(key) >= 5:
        found = tools["extract"](
            key, kb.names_near_length(len(key)), scorer=tools["ratio"], score_cutoff=NAME_CUTOFF, limit=3
        )
        if found:
            return [(name, score) for name, score, _ in found]
    if len(key) >= 4 and " " not in key and key not in kb.plain_words:
        # one slip in a single word ("conflcit", "goen"), but never an ordinary word ("done", "sound")
        best = tools["extract_one"](key, kb.names_near_length(len(key)), scorer=tools["osa"], score_cutoff=1)
        if best is not None and " " not in best[0]:
            return [(best[0], 80.0)]
    return []


def name_answer(kb: Knowledge, query: str, core: list[str], tokens: list[str]) -> Answer | None:
    """The meanings whose name the question is, forgiving typos and old names."""
    full = " ".join(tokens).replace("'", "")
    short = " ".join(core).replace("'", "")
    keys = [full] if short in ("", full) else [full, short]
    for key in keys:
        exact = kb.names.get(key)
        if exact:
            return Answer(kind="name", query=query, matches=_registered_first(tuple(Match(s, 1.0) for s in exact)))
    if len(core) == 1 and core[0] in kb.name_keywords:
        return Answer(kind="name", query=query, matches=(Match(kb.name_keywords[core[0]], 0.9),))
    for key in keys:
        matches: list[Match] = []
        for name, score in _fuzzy_names(kb, key):
            for status in kb.names[name]:
                if all(m.status is not status for m in matches):
                    matches.append(Match(status, round(score / 100, 3)))
        if matches:
            return Answer(kind="name", query=query, matches=_registered_first(tuple(matches)))
    return None


def _registered_first(matches: tuple[Match, ...]) -> tuple[Match, ...]:
    """A registered code wins a name tie: AWS's 561 "Unauthorized" never hides 401 Unauthorized."""
    best = max(match.confidence for match in matches)
    if any(m.status.official and m.confidence == best for m in matches):
        return tuple(m for m in matches if m.status.official or m.confidence < best)
    return matches


def direct_lookup(kb: Knowledge, query: str) -> Answer | None:
    """A lookup answer when the question is a bare number, family, comparison, header or name; else None."""
    status_line = _STATUS_LINE.match(query) if query[:4].lower() == "http" else None
    if status_line:  # "HTTP/1.1 429 Too Many Requests": the code of a status line
        return code_answer(kb, query, int(status_line.group(1)))
    header_line = _HEADER_LINE.match(query) if ":" in query else None
    if header_line and len(query[header_line.end(1) :].split()) <= 3:  # "Retry-After: 120", not a sentence
        pasted = header_answer(kb, query, [], [])
        if pasted is not None:
            return pasted
    tokens = words(query)
    core = [t for t in tokens if t not in LOOKUP_WORDS]
    numbers = [t for t in core if t.isdigit()]
    if len(tokens) <= 3 and _NEGATIVE.search(query) and not re.search(r"\d\s*[-−]\s*\d", query):
        return invalid(query, "Negative numbers are not status codes: valid codes run from 100 to 599.")
    if len(core) == 1:
        token = core[0]
        family = _FAMILY.match(token)
        if family and (token != family.group(1) or len(tokens) <= 3):
            return family_answer(kb, query, int(family.group(1)))
        if token.isdigit():
            return code_answer(kb, query, int(token))
    if len(numbers) == 1 and len(core) > 1:
        # "409 conflict", "HTTP 418 I'm a teapot": a number with (part of) its own name
        rest = " ".join(t for t in core if t != numbers[0])
        titles = [" ".join(words(n)) for s in kb.meanings(int(numbers[0])) for n in (s.phrase, *s.aliases)]
        names = {w for title in titles for w in title.split()}
        close = any(_fuzzy_tools()["ratio"](rest, title) >= NAME_CUTOFF - 8 for title in titles)
        if rest and (set(rest.split()) <= names | {"im"} or close):
            return code_answer(kb, query, int(numbers[0]))
    if len(numbers) >= 2 and all(t in COMPARE_WORDS or t.isdigit() for t in kb.without_names(tokens)):
        distinct = list(dict.fromkeys(int(n) for n in numbers))
        if len(distinct) >= 2:
            return compare_answer(kb, query, distinct)
    if numbers or len(tokens) > 12:
        return None
    found = header_answer(kb, query, core, tokens) or name_answer(kb, query, core, tokens)
    bare = _BARE_HEADER.match(query) if found is None else None
    if bare:
        # "x-request-id": a header no status code depends on is not a situation to guess a code for
        return invalid(
            query,
            f"{bare.group(1)} is not a header any status code depends on. Ask about one "
            "(Retry-After, WWW-Authenticate, Location) or describe your situation in plain words.",
        )
    return found
