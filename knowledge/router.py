"""Decides what kind of question a text is and sends it to the lookup or the scenario engine."""

from __future__ import annotations

from knowledge.answer import Answer
from knowledge.index import Knowledge
from knowledge.lookup import code_answer, direct_lookup, invalid
from knowledge.text import MAX_QUESTION_CHARS, clean, has_meaning

ACCEPTS = (
    "Ask about a status code by number (409), family (4xx), name (conflict), header (Retry-After) "
    'or comparison (401 vs 403), or describe your situation ("duplicate email on signup").'
)


def route(kb: Knowledge, question: str) -> Answer:
    """The answer to ``question``; never raises for any text."""
    text = clean(question)
    if not text or not has_meaning(text):
        return invalid(text[:200], f"I didn't find a question there. {ACCEPTS}")
    if len(text) > MAX_QUESTION_CHARS:
        return invalid(
            text[:200] + "…",
            f"That's {len(text):,} characters; I read questions of up to {MAX_QUESTION_CHARS:,}. {ACCEPTS}",
        )
    direct = direct_lookup(kb, text)
    if direct is not None:
        return direct
    from knowledge.scenarios import engine

    scenarios = engine(kb)
    reading = scenarios.analyser.read(text)
    mentioned = {n for n in scenarios.analyser.code_numbers(reading.tokens) if kb.primary(n) is not None}
    on_topic = len(mentioned) == 1 and scenarios.analyser.offtopic_factor(reading) == 1.0
    if on_topic and scenarios.analyser.asks_meaning(reading):
        # "FastAPI returns 422 for my request, what does that mean?" asks about the code itself
        return code_answer(kb, text, mentioned.pop())
    answer = scenarios.answer(text)
    if not answer.matches and on_topic:
        # "How to handle 429 in retrofit": no situation we know, one code, nothing off-topic → that code
        return code_answer(kb, text, mentioned.pop())
    if not answer.matches and len(reading.tokens) <= 1:
        # one unknown word is not a question we can answer or abstain on meaningfully
        return invalid(text, f"I don't know {text!r} as a status code, name or header. {ACCEPTS}")
    return answer
