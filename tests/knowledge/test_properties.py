"""Arbitrary text never breaks the lookup and always gets an answer."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cards import answer_card
from bot.render.terminal import render_plain
from knowledge import ask, knowledge

codes_and_words = st.one_of(
    st.text(max_size=300),
    st.integers(-10_000, 10_000).map(str),
    st.lists(
        st.sampled_from(
            [
                *("401", "vs", "or", "4xx", "retry-after", "teapot", "token", "expired", "🙂", "\n", "-", "5mb"),
                *("limit", "bytes=", "0-499", "-3", "v2", "1.x", "get", "only", "limit=x", "meanwhile", "cpu"),
            ]
        ),
        max_size=8,
    ).map(" ".join),
)


def numbers_in(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"\d+", text)}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(codes_and_words)
def test_any_text_gets_an_answer_that_agrees_with_the_question(text):
    answer = ask(text)
    rendered = render_plain(answer_card(knowledge(), answer))
    assert rendered.strip()
    codes = [match.status.code for match in answer.matches]
    confidences = [match.confidence for match in answer.matches]
    assert all(0.0 <= c <= 1.0 for c in confidences)
    if answer.kind in ("code", "compare"):
        # a lookup only ever shows codes the user typed, and its card starts with the first of them
        assert codes and set(codes) <= numbers_in(text), (text, codes)
        assert rendered.startswith(f"{codes[0]} ") or answer.kind == "compare" or len(codes) > 1
        assert answer.certainty == "sure"
    elif answer.kind == "family":
        assert answer.family is not None and codes
        assert all(answer.family.label == f"{code // 100}xx" for code in codes if 100 <= code <= 599)
        assert answer.certainty == "sure"
    elif answer.kind == "unknown":
        assert not codes
        typed = numbers_in(text)
        assert all(any(s // 100 == n // 100 for n in typed) for s in answer.suggestions), (text, answer.suggestions)
    elif answer.kind == "invalid":
        assert not codes and answer.certainty == "abstain"
    elif answer.kind == "scenario":
        # best first, as the JSON documents (the order of the rest: see test_pinned_scenarios)
        assert not confidences or confidences[0] == max(confidences)
        # the README's bands: sure from 0.8, likely from 0.5, unsure below; abstain with nothing to offer
        expected = (
            "abstain"
            if not codes
            else "sure"
            if confidences[0] >= 0.8
            else "likely"
            if confidences[0] >= 0.5
            else "unsure"
        )
        assert answer.certainty == expected
    else:
        assert answer.kind in ("name", "header") and codes
        assert answer.certainty == ("unsure" if answer.kind == "name" and len(codes) > 1 else "sure")
