"""Decides what kind of question a text is and sends it to the lookup or the scenario engine."""

from __future__ import annotations

import re

from knowledge.answer import Answer
from knowledge.index import Knowledge
from knowledge.lookup import code_answer, direct_lookup, invalid
from knowledge.text import MAX_QUESTION_CHARS, clean, has_meaning

ACCEPTS = (
    "Ask about a status code by number (409), family (4xx), name (conflict), header (Retry-After) "
    'or comparison (401 vs 403), or describe your situation ("duplicate email on signup").'
)


WEAK = 0.8  # a scenario answer this unsure yields to a code the question names in full
ON_TOPIC = 0.75
_MENTION = re.compile(
    r"(?<![\w@])@(?:everyone|here|channel)\b|<[@#!][^>]{0,80}>", re.IGNORECASE
)  # an off-topic cue this mild (e.g. "npm") still lets a named code be looked up


def route(kb: Knowledge, question: str) -> Answer:
    """The answer to ``question``; never raises for any text."""
    text = clean(question)
    if "@" in text or "<" in text:
        text = _MENTION.sub(" ", text).strip()  # "@everyone what's 401": the ping is not the question
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
    on_topic = len(mentioned) == 1 and scenarios.analyser.offtopic_factor(reading) >= ON_TOPIC
    if on_topic and scenarios.analyser.asks_meaning(reading):
        # "FastAPI returns 422 for my request, what does that mean?" asks about the code itself
        return code_answer(kb, text, mentioned.pop())
    answer = scenarios.answer(text)
    tokens = reading.tokens
    titled = {int(t) for i, t in enumerate(tokens) if t.isdigit() and int(t) in mentioned and kb.name_after(tokens, i)}
    named = titled | {n for n in scenarios.analyser.code_mentions(reading.tokens) if kb.primary(n) is not None}
    if not answer.matches and on_topic and len(named) == 1:
        # "How to handle a 429 error in retrofit": no situation we know, one code named, nothing off-topic
        return code_answer(kb, text, named.pop())
    doubtful = "?" in text or scenarios.analyser.doubts(reading)
    reported = scenarios.analyser.reported(reading.tokens)
    if on_topic and len(named) == 1 and answer.matches and not doubtful and not (named & reported - titled):
        code = next(iter(named))
        weak = answer.matches[0].confidence < WEAK and answer.matches[0].status.code != code
        if weak:
            # "haproxy 504 Gateway Timeout", "I'm getting a 502 from nginx": the code the question names says
            # more than the few words around it
            return code_answer(kb, text, code)
    if not answer.matches and len(reading.tokens) <= 1:
        # one unknown word is not a question we can answer or abstain on meaningfully
        return invalid(text, f"I don't know {text!r} as a status code, name or header. {ACCEPTS}")
    return answer
