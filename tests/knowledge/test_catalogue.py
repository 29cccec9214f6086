"""The catalogue is complete and consistent with the IANA registry, Python's HTTPStatus and the lesson."""

from __future__ import annotations

import csv
import re
from http import HTTPStatus

import pytest

from knowledge import knowledge
from tests.conftest import ROOT, reference_file

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


# -- corrections checked against their sources (issue 10, items 17-22) ---------------------------------


def _status(code: int, origin_word: str = ""):
    return next(s for s in KB.meanings(code) if origin_word.lower() in s.origin.lower() or not origin_word)


def _all_text(status) -> str:
    parts = [status.summary, status.use_when, status.note, status.spec]
    parts += [a.when for a in status.not_for] + [h.why for h in status.headers]
    parts += [f"{e.request}\n{e.response}\n{e.note}" for e in status.examples]
    return "\n".join(parts)


SPRING_7_REMOVED = {305: "USE_PROXY", 419: "INSUFFICIENT_SPACE_ON_RESOURCE", 420: "METHOD_FAILURE"}
SPRING_7_ADDED = {413: "CONTENT_TOO_LARGE", 421: "MISDIRECTED_REQUEST", 422: "UNPROCESSABLE_CONTENT"}


def test_spring_constants_are_spring_7():
    for code, name in SPRING_7_REMOVED.items():
        assert dict(KB.constants[code].names).get("spring") != f"HttpStatus.{name}", code
    for code, name in SPRING_7_ADDED.items():
        assert dict(KB.constants[code].names)["spring"] == f"HttpStatus.{name}", code
    assert "HttpStatus.DESTINATION_LOCKED" not in {v for c in KB.constants.values() for _, v in c.names}
    assert dict(KB.constants[103].names)["spring"] == "HttpStatus.EARLY_HINTS"
    assert "spring" not in KB.constants[103].unverified and "spring" not in KB.constants[422].unverified


@pytest.mark.parametrize(
    "row",
    [r for r in _rows("unofficial-status-codes.csv") if "removed in 7.0" in r["origin"]],
    ids=lambda r: r["code"],
)
def test_spring_meanings_say_the_constant_is_gone_in_7(row):
    status = _status(int(row["code"]), "spring")
    text = _all_text(status)
    assert "removed in Spring 7.0" in text
    assert "survives" not in text and "still in Spring" not in text


def test_cloudflare_524_timeout_is_120_seconds_everywhere():
    assert "(120 s by default)" in KB.rule_between(504, 524).rule
    assert "100 s" not in KB.rule_between(504, 524).rule


def test_422_history_names_rfc_2518_first():
    note = KB.primary(422).note
    assert "RFC 2518 §10.3 (1999)" in note and "RFC 4918 §11.2" in note
    assert note.index("2518") < note.index("4918")


def test_418_and_306_constant_notes_follow_their_sources():
    text = (ROOT / "knowledge" / "data" / "constants.toml").read_text(encoding="utf-8")
    assert "Rack 3 dropped" not in text
    assert "Rack added 418 in a 1.6 beta and removed it before 1.6.0" in text
    assert "(the RFC 2616 name)" not in text and 'RFC 2616 itself only calls it "306 (Unused)"' in text
    assert "rails" not in dict(KB.constants[418].names)


def test_tornado_599_message_has_no_http_prefix():
    example = _status(599, "tornado").examples[0]
    assert example.response == "tornado.simple_httpclient.HTTPTimeoutError: Timeout while connecting"


def test_softer_wording_follows_the_rfcs():
    assert "should not send it (RFC 6585: SHOULD NOT)" in KB.primary(511).use_when
    assert "must not send" not in KB.primary(511).use_when
    for code in (429, 503):
        status = KB.primary(code)
        retry = next(h for h in status.headers if h.name == "Retry-After")
        assert "optional in RFC" in retry.why and "recommended" in retry.why
        assert "Always" not in status.use_when
    assert "does not exist" in KB.rule_between(403, 404).rule
    assert "(or none at all)" not in KB.rule_between(500, 502).rule and "504" in KB.rule_between(500, 502).rule
    assert "too many or overlapping" in KB.primary(416).summary + KB.primary(416).use_when
    assert "RFC 7725 §3 makes 451 cacheable by default" in KB.primary(451).note
