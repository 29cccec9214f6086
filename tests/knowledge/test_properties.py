"""Arbitrary text never breaks the lookup and always gets an answer."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cards import answer_card
from bot.render.terminal import render_plain
from knowledge import KINDS, ask, knowledge

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


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(codes_and_words)
def test_any_text_gets_a_non_empty_answer(text):
    answer = ask(text)
    assert answer.kind in KINDS
    rendered = render_plain(answer_card(knowledge(), answer))
    assert rendered.strip()
    for match in answer.matches:
        assert 0.0 <= match.confidence <= 1.0
    assert answer.certainty in ("sure", "likely", "unsure", "abstain")
