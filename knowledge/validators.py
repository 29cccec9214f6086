"""Conditional requests in a question: the client's validator (an ETag or a date) against the resource's current one.

"If-None-Match v7 but the current etag is v9" asks for a copy that changed, so the whole new version is sent;
"If-Modified-Since 10 Mar, file last changed 2 Mar" has not changed, so the cached copy is still good. With
If-Match or If-Unmodified-Since the same comparison decides whether a write may go ahead. The scenario engine
states the outcome in words (language.toml's [numbers.say]) and lets the situation phrases decide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = rf"(?P<{{name}}>{'|'.join(MONTHS)})[a-z]*\.?"
_DAY = r"(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{name}>(?:19|20)\d\d)"
_DATES = re.compile(
    r"(?<![\w-])(?:"
    + rf"{_YEAR.format(name='iy')}-(?P<im>[01]?\d)-(?P<id>[0-3]?\d)"  # 2026-03-01
    + rf"|{_DAY.format(name='d1')}\s+{_MONTH.format(name='m1')}(?:,?\s+{_YEAR.format(name='y1')})?"  # 1 mar 2026
    + rf"|{_MONTH.format(name='m2')}\s+{_DAY.format(name='d2')}(?:,?\s+{_YEAR.format(name='y2')})?"  # march 9, 2026
    + r")(?![\w-])"
)
# an entity tag or a version of the resource: "v7", '"abc123"', "33a64df5", "rev 12"
_TAGS = re.compile(
    r"\"(?P<quoted>[^\"\s]{1,40})\""
    r"|(?<![\w/.-])(?P<version>v\d+(?:\.\d+)*)(?![\w.])"
    r"|(?<![\w/.-])(?P<hash>(?=[a-z]*\d)(?=\d*[a-z])[a-f0-9]{6,40})(?![\w.])"
    r"|\b(?:rev|revision)\s?(?P<revision>\d+)\b"
)


class Conditions(NamedTuple):
    """The cues of a conditional request, each as whole words ("if none match"): reads that want the body only if it
    changed, writes that go ahead only if it did not, and the validators' own names (a read unless a write method
    is named)."""

    fetch: tuple[tuple[str, ...], ...]
    write: tuple[tuple[str, ...], ...]
    validators: tuple[tuple[str, ...], ...]
    write_methods: frozenset[str]


def outcome(text: str, conditions: Conditions) -> str:
    """How a conditional request the text describes turns out, or "" when it does not describe one whole:
    "stale" (a read of a changed resource), "current" (a read of an unchanged one), "failed" (a write against a
    changed one), "holds" (a write against an unchanged one)."""
    lowered = text.lower()
    cues = sorted(
        [(m.start(), "fetch") for m in _found(lowered, conditions.fetch)]
        + [(m.start(), "write") for m in _found(lowered, conditions.write)]
    )
    # after a request header's name comes the client's date; after "last modified", the resource's
    clients_date = True
    if not cues:
        named = [m.start() for m in _found(lowered, conditions.validators)]
        if not named:
            return ""
        writes = not conditions.write_methods.isdisjoint(re.findall(r"[a-z]+", lowered))
        cues, clients_date = [(named[0], "write" if writes else "fetch")], False
    changed = _dates_changed(lowered, cues[0][0], clients_date)
    if changed is None:
        changed = _tags_changed(lowered)
    if changed is None:
        return ""
    if cues[0][1] == "fetch":
        return "stale" if changed else "current"
    return "failed" if changed else "holds"


def _found(text: str, cues: Iterable[tuple[str, ...]]) -> list[re.Match[str]]:
    found: list[re.Match[str]] = []
    for cue in cues:
        pattern = r"(?<![a-z0-9])" + r"[\s_:-]*".join(map(re.escape, cue)) + r"(?![a-z0-9])"
        found += re.finditer(pattern, text)
    return sorted(found, key=lambda match: match.start())


def _dates_changed(text: str, cue_at: int, clients_date: bool) -> bool | None:
    """Two dates: the first after the cue is the client's when ``clients_date`` (a header's value follows its name),
    else the resource's last change, and the other date is the other side's. True when the resource changed after
    the client's date; None without two dates."""
    dates = [(m.start(), day) for m in _DATES.finditer(text) if (day := _ordinal(m)) is not None]
    if len(dates) != 2:
        return None
    ordered = sorted(dates, key=lambda item: (item[0] < cue_at, abs(item[0] - cue_at)))
    if not clients_date:
        ordered.reverse()
    (_, (client_year, *client)), (_, (resource_year, *resource)) = ordered
    if client_year is not None and resource_year is not None and client_year != resource_year:
        return resource_year > client_year
    return resource > client  # the same year, or a year on one side only, which says nothing about the other's


def _ordinal(match: re.Match[str]) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of a date match; None when it is no calendar date ("45 march")."""
    found = match.groupdict()
    year: int | None
    if found["iy"]:
        year, month, day = int(found["iy"]), int(found["im"]), int(found["id"])
    else:
        year_text = found["y1"] or found["y2"]
        year = int(year_text) if year_text else None
        month, day = MONTHS.index(found["m1"] or found["m2"]) + 1, int(found["d1"] or found["d2"])
    return (year, month, day) if 1 <= month <= 12 and 1 <= day <= 31 else None


def _tags_changed(text: str) -> bool | None:
    """Two entity tags or versions: True when they differ; None without exactly two."""
    tags = ["".join(value for value in m.groups() if value) for m in _TAGS.finditer(text)]
    if len(tags) != 2:
        return None
    return tags[0] != tags[1]
