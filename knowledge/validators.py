"""Conditional requests in a question: the client's validator (an ETag or a date) against the resource's current one.

"If-None-Match v7 but the current etag is v9" asks for a copy that changed, so the whole new version is sent;
"If-Modified-Since 10 Mar, file last changed 2 Mar" has not changed, so the cached copy is still good. With
If-Match or If-Unmodified-Since the same comparison decides whether a write may go ahead. The scenario engine
states the outcome in words (language.toml's [numbers.say]) and lets the situation phrases decide.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from knowledge.text import words

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# a month's name or its usual short form, not any word starting like one ("separate", "marked", "junk")
_MONTH_NAMES = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?"
    r"|nov(?:ember)?|dec(?:ember)?"
)
_MONTH = rf"(?P<{{name}}>{_MONTH_NAMES})\.?"
_DAY = r"(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{name}>(?:19|20)\d\d)"
_TIME = r"(?:,?\s*(?:at\s+)?(?P<{name}>[0-2]?\d:[0-5]\d(?::[0-5]\d)?))?"
_DATES = re.compile(
    r"(?<![\w-])(?:"
    + rf"{_YEAR.format(name='iy')}-(?P<im>[01]?\d)-(?P<id>[0-3]?\d)(?:t|\s+)?{_TIME.format(name='it')}"  # 2026-03-01
    + rf"|{_DAY.format(name='d1')}\s+{_MONTH.format(name='m1')}(?:,?\s+{_YEAR.format(name='y1')})?"  # 1 mar 2026
    + _TIME.format(name="t1")
    + rf"|{_MONTH.format(name='m2')}\s+{_DAY.format(name='d2')}(?:,?\s+{_YEAR.format(name='y2')})?"  # march 9, 2026
    + _TIME.format(name="t2")
    + r")(?![\w-])"
)
# an entity tag or a version of the resource: "v7", '"abc123"', 'W/"x1"', "33a64df5", "rev 12" (a sentence's full
# stop may follow; "v1.2" is a software version, not a tag)
_END = r"(?!\w|\.\d)"
_TAGS = re.compile(
    r"(?P<weak>w/)?\"(?P<quoted>(?=[^\"\s]*\d)[^\"\s]{1,40})\""
    rf"|(?<![\w/.-])(?P<version>v\d+){_END}"
    rf"|(?<![\w/.-])(?P<hash>(?=[a-z]*\d)(?=\d*[a-z])[a-f0-9]{{6,40}}){_END}"
    r"|\b(?:rev|revision)\s?(?P<revision>\d+)\b"
)
_STATUS_CODE = re.compile(r"[1-5]\d\d")
_DIGIT = re.compile(r"\d")
# the words right before a date that make it the client's ("changed after 1 March", "since 3 May")
_CLIENTS = frozenset({"since", "after"})


class Conditions(NamedTuple):
    """The cues of a conditional request, each as whole words ("if none match"): reads that want the body only if it
    changed, writes that go ahead only if it did not, the validators' own names (a read when no write method is
    named), and the words that make the date after them the resource's last change ("edited on 9 March")."""

    fetch: tuple[tuple[str, ...], ...]
    write: tuple[tuple[str, ...], ...]
    validators: tuple[tuple[str, ...], ...]
    write_methods: frozenset[str]
    changed_words: frozenset[str] = frozenset()


class _Moment(NamedTuple):
    year: int | None
    day: tuple[int, int]  # month, day
    time: tuple[int, ...] | None


def outcome(text: str, conditions: Conditions) -> str:
    """How a conditional request the text describes turns out, or "" when it does not describe one whole:
    "stale" (a read of a changed resource), "current" (a read of an unchanged one), "failed" (a write refused),
    "holds" (a write that goes ahead)."""
    if not _DIGIT.search(text):  # every date and tag holds a digit
        return ""
    lowered = text.lower()
    writes = not conditions.write_methods.isdisjoint(words(lowered))
    headers = sorted(
        [(m.span(), "fetch") for m in _found(lowered, conditions.fetch)]
        + [(m.span(), "write") for m in _found(lowered, conditions.write)]
    )
    if headers:
        (start, _), kind = headers[0]
        # the header names out of the way, so "If-Modified-Since 3 May" does not read as a change on 3 May
        blanked = lowered
        for (begin, end), _ in headers:
            blanked = blanked[:begin] + " " * (end - begin) + blanked[end:]
        changed = None if kind == "fetch" and writes else _dates_changed(blanked, start, conditions.changed_words)
    else:
        named = _found(lowered, conditions.validators)
        if not named or writes:  # "a PUT changes the etag from v1 to v2" states a change, not a condition
            return ""
        kind = "fetch"
        changed = _dates_changed(lowered, len(lowered), conditions.changed_words)  # "last modified on" is theirs
    if changed is None:
        changed = _tags_changed(lowered, weak=kind == "fetch")
    if changed is None:
        return ""
    if kind == "fetch" and writes:
        # If-None-Match on a write: a tag that still matches makes the condition false, so the write is refused
        return "holds" if changed else "failed"
    if kind == "fetch":
        return "stale" if changed else "current"
    return "failed" if changed else "holds"


def _found(text: str, cues: tuple[tuple[str, ...], ...]) -> list[re.Match[str]]:
    """Where the cues occur as whole words, hyphens or colons allowed between them ("if-none-match:"); the cue
    sets elsewhere answer only whether a cue is there, and the dates here need where."""
    return list(_cue_pattern(cues).finditer(text))


@lru_cache(maxsize=16)
def _cue_pattern(cues: tuple[tuple[str, ...], ...]) -> re.Pattern[str]:
    # longest first, so "if modified since" wins over a shorter cue starting the same way
    spelled = sorted((r"[\s_:-]*".join(map(re.escape, cue)) for cue in cues), key=len, reverse=True)
    return re.compile(rf"(?<![a-z0-9])(?:{'|'.join(spelled)})(?![a-z0-9])")


def _dates_changed(text: str, header_at: int, changed_words: frozenset[str]) -> bool | None:
    """Two dates, the client's and the resource's last change: True when the resource changed after the client's
    date; None without exactly two dates, or when only one says its year.

    A date right after "since" or "after" is the client's; one a few words after "edited", "changed"… is the
    resource's. Failing both, the first date after the header's name is the client's (its value follows it).
    """
    dates = [(m.start(), moment) for m in _DATES.finditer(text) if (moment := _moment(m)) is not None]
    if len(dates) != 2:
        return None
    roles = [_role(text[:at], changed_words) for at, _ in dates]
    if "client" in roles or "resource" in roles:
        first_is_clients = roles[0] == "client" or (roles[0] == "" and roles[1] == "resource")
        if roles[0] == roles[1]:
            return None  # both the client's, or both the resource's: nothing to compare
        client, resource = (dates[0][1], dates[1][1]) if first_is_clients else (dates[1][1], dates[0][1])
    else:
        ordered = sorted(dates, key=lambda item: (item[0] < header_at, abs(item[0] - header_at)))
        client, resource = ordered[0][1], ordered[1][1]
    return _later(resource, client)


def _role(before: str, changed_words: frozenset[str]) -> str:
    """Whose date follows ``before``: "client", "resource", or "" when the words do not say."""
    last = words(before[-60:])[-5:]
    if not _CLIENTS.isdisjoint(last[-2:]):
        return "client"
    return "resource" if not changed_words.isdisjoint(last) else ""


def _later(resource: _Moment, client: _Moment) -> bool | None:
    if (resource.year is None) != (client.year is None):
        return None  # "10 dec 2023" against "2 jan": which year the second means is a guess
    if (resource.year, resource.day) != (client.year, client.day):
        return (resource.year or 0, resource.day) > (client.year or 0, client.day)
    if resource.time is not None and client.time is not None:
        return resource.time > client.time
    return False  # the same day, and no times to tell them apart


def _moment(match: re.Match[str]) -> _Moment | None:
    """The date (and time, when written) of a match; None when it is no calendar date ("45 march")."""
    found = match.groupdict()
    year: int | None
    if found["iy"]:
        year, month, day = int(found["iy"]), int(found["im"]), int(found["id"])
    else:
        year_text = found["y1"] or found["y2"]
        year = int(year_text) if year_text else None
        month, day = MONTHS.index((found["m1"] or found["m2"])[:3]) + 1, int(found["d1"] or found["d2"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    clock = found["it"] or found["t1"] or found["t2"]
    time = tuple(int(part) for part in clock.split(":")) if clock else None
    return _Moment(year, (month, day), time)


def _tags_changed(text: str, *, weak: bool) -> bool | None:
    """Two entity tags or versions: True when they differ; None without exactly two. A read compares weakly
    (W/"x1" equals "x1"), a write strongly (RFC 9110, 13.1.1 and 13.1.2)."""
    tags = []
    for match in _TAGS.finditer(text):
        value = next(v for v in match.group("quoted", "version", "hash", "revision") if v)
        if match.group("quoted") and _STATUS_CODE.fullmatch(value):
            continue  # 'expect "304"' names a status code
        tags.append(value if weak or not match.group("weak") else f"w/{value}")
    if len(tags) != 2:
        return None
    return tags[0] != tags[1]
