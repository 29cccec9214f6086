"""The catalogue is complete and consistent with the IANA registry, Python's HTTPStatus and the lesson."""

from __future__ import annotations

import csv
import re
from http import HTTPStatus

import pytest

from knowledge import knowledge
from tests.conftest import reference_file

KB = knowledge()


def _rows(name: str) -> list[dict[str, str]]:
    with reference_file(name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _bare(phrase: str) -> str:
    # registry annotations such as "(OBSOLETED)" or "(TEMPORARY - ...)" follow the reason phrase
    return phrase.split(" (")[0] if not phrase.startswith("(") else phrase


def _names(status) -> set[str]:
    return {n.lower() for n in (status.phrase, *status.aliases)}


@pytest.mark.parametrize("row", _rows("iana-status-codes.csv"), ids=lambda r: r["code"])
def test_every_registry_row_is_present_with_its_phrase_or_a_declared_alias(row):
    status = KB.registered(int(row["code"]))
    assert status is not None, f"{row['code']} missing"
    assert _bare(row["phrase"]).lower() in _names(status)


@pytest.mark.parametrize("member", list(HTTPStatus), ids=lambda m: str(m.value))
def test_every_python_httpstatus_member_is_present(member):
    meanings = KB.meanings(member.value)
    assert meanings, f"{member.value} missing"
    assert any(member.phrase.lower() in _names(s) for s in meanings), (
        f"{member.value}: Python's phrase {member.phrase!r} is neither our phrase nor an alias"
    )


@pytest.mark.parametrize("row", _rows("unofficial-status-codes.csv"), ids=lambda r: f"{r['code']}-{r['phrase']}")
def test_every_unofficial_row_is_a_meaning_with_its_origin(row):
    meanings = [s for s in KB.meanings(int(row["code"])) if not s.official]
    assert meanings, f"{row['code']} has no unofficial meaning"
    if row["phrase"] != "(unnamed)":
        assert any(row["phrase"].lower() in _names(s) for s in meanings)
    assert all(s.origin for s in meanings)


def test_unofficial_counts_match_the_reference():
    rows = _rows("unofficial-status-codes.csv")
    assert len([s for s in KB.catalogue.statuses if not s.official]) == len(rows)


def test_cacheable_flags_match_rfc9110_list():
    lines = reference_file("cacheable-by-default.txt").read_text().splitlines()
    expected = {int(line) for line in lines if line.strip() and not line.startswith("#")}
    actual = {s.code for s in KB.catalogue.statuses if s.cacheable and s.official}
    assert actual == expected


def test_protocol_flags():
    no_body = {s.code for s in KB.catalogue.statuses if s.no_body and s.official}
    assert {204, 205, 304} <= no_body and all(c < 200 or c in (204, 205, 304) for c in no_body)
    assert {s.code for s in KB.catalogue.statuses if s.redirect and s.official} == {300, 301, 302, 303, 307, 308}
    assert {429, 503}.issubset({s.code for s in KB.catalogue.statuses if s.retryable})
    assert KB.registered(418).unused and KB.registered(306).unused


def test_names_follow_rfc9110_and_keep_the_old_ones():
    assert KB.registered(422).phrase == "Unprocessable Content"
    assert "Unprocessable Entity" in KB.registered(422).aliases
    assert KB.registered(413).phrase == "Content Too Large"
    assert "Payload Too Large" in KB.registered(413).aliases
    assert KB.registered(418).name == "I'm a teapot"


@pytest.mark.parametrize("status", KB.catalogue.statuses, ids=lambda s: f"{s.code}-{s.phrase}")
def test_every_record_is_complete(status):
    assert status.summary and status.use_when and status.examples and status.spec
    assert status.spec_url.startswith("https://") and status.docs_url.startswith("https://")
    assert status.level in {"easy", "medium", "hard"}


def test_lesson_key_codes_and_example_exchanges_are_present():
    exchanges = {
        200: r"GET /users/123",
        201: r"Location: /users/456",
        204: r"DELETE /users/123",
        400: r"POST /users",
        401: r"GET /users",
        403: r"DELETE /users/123",
        404: r"GET /users/999999",
        409: r"POST /users",
        422: r"POST /users",
        429: r"Retry-After: 60",
        500: r"GET /users",
        503: r"Retry-After: 300",
    }
    for code, pattern in exchanges.items():
        text = "\n".join(f"{e.request}\n{e.response}" for e in KB.registered(code).examples)
        assert re.search(re.escape(pattern), text), f"{code}: lesson exchange {pattern!r} missing"


def test_the_five_mistakes_are_attached_to_their_codes():
    ids = {m.id for m in KB.catalogue.mistakes}
    assert ids == {1, 2, 3, 4, 5}
    assert any(m.id == 1 for m in KB.mistakes_of(200))
    assert any(m.id == 2 for m in KB.mistakes_of(404))
    assert any(m.id == 3 for m in KB.mistakes_of(401)) and any(m.id == 3 for m in KB.mistakes_of(403))
    assert any(m.id == 4 for m in KB.mistakes_of(500))
    assert any(m.id == 5 and m.missing_header == "Retry-After" for m in KB.mistakes_of(429))


def test_confusions_cover_the_classic_pairs():
    for a, b in [
        (401, 403),
        (400, 422),
        (409, 422),
        (404, 410),
        (301, 308),
        (302, 307),
        (302, 303),
        (502, 503),
        (502, 504),
        (503, 504),
        (200, 204),
        (500, 503),
    ]:
        assert KB.rule_between(a, b) is not None, f"no rule for {a}/{b}"


def test_constants_name_the_codes_in_frameworks():
    conflict = dict(KB.constants[409].names)
    assert conflict == {
        "python": "HTTPStatus.CONFLICT",
        "go": "http.StatusConflict",
        "spring": "HttpStatus.CONFLICT",
        "dotnet": "StatusCodes.Status409Conflict",
        "javascript": "StatusCodes.CONFLICT",
        "rails": ":conflict",
    }
    for member in HTTPStatus:
        assert dict(KB.constants[member.value].names)["python"] == f"HTTPStatus.{member.name}"


def test_lesson_families_with_key_codes():
    assert [f.label for f in KB.catalogue.families] == ["1xx", "2xx", "3xx", "4xx", "5xx"]
    assert KB.families["4xx"].key_codes == (400, 401, 403, 404)
