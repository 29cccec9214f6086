"""bot.suggest, as /status autocomplete uses it: codes for numbers, names, headers and situations for words."""

from __future__ import annotations

import pytest

from bot.suggest import LIMIT, suggester


@pytest.fixture(scope="module")
def suggest():
    return suggester().suggest


def names(found):
    return [s.name for s in found]


def test_numbers_list_codes_in_order(suggest):
    assert names(suggest("40"))[:3] == ["400 Bad Request", "401 Unauthorized", "402 Payment Required"]
    assert names(suggest("4"))[0] == "4xx Client Error"
    assert suggest("409")[0] == ("409 Conflict", "409")


def test_words_find_names_headers_and_situations(suggest):
    assert suggest("unauth")[0] == ("401 Unauthorized", "401")
    assert suggest("teapot")[0] == ("418 I'm a teapot", "418")
    assert suggest("retry-af")[0].value == "Retry-After"
    assert any(" → 409 Conflict" in name for name in names(suggest("duplicate email")))
    assert suggest("gu")[0].value == "guide"


def test_a_sentence_gets_the_scenario_engines_answer_first(suggest):
    found = suggest("what code for duplicate email")
    assert found[0].name.startswith("409 Conflict")
    assert found[0].value == "what code for duplicate email"


def test_a_typo_still_finds_the_name(suggest):
    assert suggest("unprocesable entity")[0].value == "422"


def test_the_empty_query_offers_the_commands(suggest):
    assert [s.value for s in suggest("")][:5] == ["guide", "check", "mistakes", "lesson", "help"]


ODD = ["", "e", "a" * 6000, "@everyone", "<@&123>", "[l](https://example.com)", "\u200b\u202e"]


@pytest.mark.parametrize("text", ODD)
def test_choices_always_fit_discord(suggest, text):
    found = suggest(text)
    assert len(found) <= LIMIT
    assert all(0 < len(s.name) <= 100 and 0 < len(s.value) <= 100 for s in found)
    assert len({s.value.lower() for s in found}) == len(found)
