"""The scenario engine's index: situation phrases as weighted terms, built once and cached.

Rows are phrases, columns are terms (stems and ordered word pairs). The index keeps, per term, the
rows that use it (postings) and its weight; per row, its total weight and the status it argues
for; per status, log P(term | status) over all of its phrases, for the pooled naive-Bayes view.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from knowledge.model import Situation, Status
from knowledge.scenario_language import Analyser
from knowledge.text import words

BIGRAM_WEIGHT = 0.6
NB_SMOOTHING = 0.1
# a code's name describes its situation only roughly ("Request Timeout" is not any request timing out)
NAME_FACTOR = 0.6

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]


class PhraseIndex(NamedTuple):
    """Everything the scenario engine looks up per question, as plain data and arrays."""

    term_ids: dict[str, int]
    term_weights: FloatArray
    postings: list[IntArray]
    row_totals: FloatArray
    row_status: IntArray
    row_reason: list[str]
    row_stems: list[str]
    row_factor: FloatArray  # 1 for curated phrases, less for a code's bare name
    log_likelihood: npt.NDArray[np.float32]  # terms × statuses: log P(term | status)
    vocabulary: frozenset[str]


def status_for(situation: Situation, meanings: tuple[Status, ...]) -> Status:
    """The meaning a situation argues for: the one its origin names, else the registered one."""
    if situation.origin:
        for status in meanings:
            if situation.origin.lower() in status.origin.lower():
                return status
    return meanings[0]


def term_weight(term: str, idf: float) -> float:
    """A term's weight: its IDF, less for a word pair."""
    return idf * BIGRAM_WEIGHT if "_" in term else idf


def build_index(statuses: tuple[Status, ...], situations: tuple[Situation, ...], analyser: Analyser) -> PhraseIndex:
    """Index every situation phrase and reason, plus the registered names as plain descriptions."""
    position = {status: i for i, status in enumerate(statuses)}
    by_code: dict[int, list[Status]] = defaultdict(list)
    for status in statuses:
        by_code[status.code].append(status)
    for group in by_code.values():
        group.sort(key=lambda s: (not s.official, -s.rank))
    rows: list[tuple[int, str, list[str]]] = []
    factors: list[float] = []

    def add(status: Status, reason: str, text: str, factor: float = 1.0) -> None:
        terms = list(dict.fromkeys(t for t, _ in analyser.terms(text, correct=False)[0]))
        if terms:
            rows.append((position[status], reason, terms))
            factors.append(factor)

    for situation in situations:
        status = status_for(situation, tuple(by_code[situation.code]))
        for text in (*situation.phrases, situation.reason):
            add(status, situation.reason, text)
    for status in statuses:
        # unofficial names ("This is fine") are not descriptions of situations
        if status.official and not status.phrase.startswith("("):
            for name in dict.fromkeys((status.name, *status.aliases)):
                add(status, f"the situation its name describes ({status.name})", name, NAME_FACTOR)

    frequency: dict[str, int] = defaultdict(int)
    for _, _, terms in rows:
        for term in terms:
            frequency[term] += 1
    term_ids = {term: i for i, term in enumerate(sorted(frequency))}
    weights = np.array([term_weight(t, math.log(1 + len(rows) / frequency[t])) for t in term_ids])
    postings_lists: list[list[int]] = [[] for _ in term_ids]
    totals = np.zeros(len(rows))
    counts = np.zeros((len(statuses), len(term_ids)), dtype=np.float32)
    for row, (status_index, _, terms) in enumerate(rows):
        for term in terms:
            column = term_ids[term]
            postings_lists[column].append(row)
            totals[row] += weights[column]
            counts[status_index, column] += 1
    sizes = counts.sum(axis=1, keepdims=True) + NB_SMOOTHING * len(term_ids)
    vocabulary = {w for s in situations for text in (s.reason, *s.phrases) for w in words(text)}
    vocabulary |= {w for s in statuses for w in words(" ".join((s.phrase, *s.aliases)))}
    return PhraseIndex(
        term_ids=term_ids,
        term_weights=weights,
        postings=[np.array(found, dtype=np.int32) for found in postings_lists],
        row_totals=totals,
        row_status=np.array([status for status, _, _ in rows], dtype=np.int32),
        row_reason=[reason for _, reason, _ in rows],
        row_stems=[" ".join(t for t in terms if "_" not in t) for _, _, terms in rows],
        row_factor=np.array(factors),
        # terms × statuses, so the rows of a question's terms are contiguous
        log_likelihood=np.ascontiguousarray(np.log((counts + NB_SMOOTHING) / sizes).T.astype(np.float32)),
        vocabulary=frozenset(vocabulary),
    )
