"""Lookups by number, family, name, header and comparison, as a user types them."""

from __future__ import annotations

import pytest

from knowledge import Answer, ask


def codes(answer: Answer) -> list[int]:
    return [m.status.code for m in answer.matches]


@pytest.mark.parametrize(
    "text", ["409", "409?", "what does 409 mean?", "explain 409", "HTTP 409", "409 conflict", " 409 "]
)
def test_a_number_is_a_code_lookup(text):
    answer = ask(text)
    assert answer.kind == "code" and codes(answer) == [409]


def test_unofficial_code_names_its_origin():
    answer = ask("499")
    assert answer.kind == "code"
    assert not answer.matches[0].status.official
    assert "nginx" in answer.matches[0].status.origin.lower()


@pytest.mark.parametrize("code", [419, 420, 451, 530])
def test_numbers_with_several_meanings_list_each_registered_first(code):
    answer = ask(str(code))
    assert answer.kind == "code" and len(answer.matches) >= 2
    statuses = [m.status for m in answer.matches]
    if code == 451:
        assert statuses[0].official and statuses[0].phrase == "Unavailable For Legal Reasons"
        assert any("Exchange" in s.origin for s in statuses[1:])
    else:
        assert all(s.origin for s in statuses)


def test_999_is_out_of_range_but_known():
    answer = ask("999")
    assert answer.kind == "code"
    assert not answer.matches[0].status.in_range
    assert "LinkedIn" in answer.matches[0].status.origin


@pytest.mark.parametrize(
    "text,label", [("4xx", "4xx"), ("4XX", "4xx"), ("5", "5xx"), ("2xx codes", "2xx"), ("what are 3xx", "3xx")]
)
def test_families(text, label):
    answer = ask(text)
    assert answer.kind == "family" and answer.family is not None and answer.family.label == label
    ranks = [m.status.rank for m in answer.matches if m.status.official]
    assert ranks == sorted(ranks, reverse=True)


def test_family_lists_most_used_first():
    from knowledge import knowledge

    most_used = max((s for s in knowledge().catalogue.statuses if s.family == "4xx"), key=lambda s: s.rank)
    assert codes(ask("4xx"))[0] == most_used.code


@pytest.mark.parametrize(
    "text,code",
    [
        ("conflict", 409),
        ("teapot", 418),
        ("unprocesable entity", 422),
        ("Unprocessable Entity", 422),
        ("payload too large", 413),
        ("request entity too large", 413),
        ("gateway timeout", 504),
        ("Not Found", 404),
        ("servce unavailable", 503),
    ],
)
def test_names_with_typos_and_old_names(text, code):
    answer = ask(text)
    assert answer.kind == "name" and codes(answer)[0] == code


@pytest.mark.parametrize(
    "text,header,expected",
    [
        ("Retry-After", "Retry-After", {429, 503}),
        ("WWW-Authenticate", "WWW-Authenticate", {401}),
        ("Location", "Location", {201, 301, 302, 303, 307, 308}),
        ("retry after", "Retry-After", {429, 503}),
    ],
)
def test_headers(text, header, expected):
    answer = ask(text)
    assert answer.kind == "header" and answer.header == header
    assert expected <= set(codes(answer))
    assert all(m.reason for m in answer.matches)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("401 vs 403", [401, 403]),
        ("401 or 403?", [401, 403]),
        ("difference between 502 and 504", [502, 504]),
        ("compare 301, 302 and 308", [301, 302, 308]),
        ("403 vs 401", [403, 401]),
    ],
)
def test_comparisons_keep_the_order_given_and_bring_the_rule(text, expected):
    answer = ask(text)
    assert answer.kind == "compare" and codes(answer) == expected
    # each rule shown decides between codes the user named
    assert answer.rules and all(set(rule.codes) <= set(expected) for rule in answer.rules)


def test_a_pair_without_a_curated_rule_still_compares():
    answer = ask("100 vs 511")
    assert answer.kind == "compare" and codes(answer) == [100, 511] and not answer.rules


@pytest.mark.parametrize(
    "text,family,nearest",
    [("299", "2xx", (226, 208, 207)), ("430", "4xx", (429, 431, 428)), ("309", "3xx", (308, 307, 306))],
)
def test_unassigned_codes_in_range_suggest_the_nearest_registered_ones(text, family, nearest):
    answer = ask(text)
    assert answer.kind == "unknown" and answer.family is not None and answer.family.label == family
    assert answer.suggestions == nearest


@pytest.mark.parametrize(
    "text", ["600", "99", "-1", "4000", "abc", "", "   ", "😀🔥", "\x00\x07\x1b[31m", "x" * 10_000, "6xx", "0"]
)
def test_nonsense_gets_a_friendly_invalid_answer(text):
    answer = ask(text)
    assert answer.kind == "invalid" and not answer.matches
    assert answer.message


@pytest.mark.parametrize(
    "text",
    ["api says 403 for a missing token, correct?", "404 or 204 for an empty list?", "how do I mock a 404 in jest"],
)
def test_sentences_that_mention_codes_go_to_the_scenario_engine(text):
    assert ask(text).kind == "scenario"
