"""The scenario engine: a question in plain words → ranked status codes with confidence and reason.

Each curated situation phrase is a small document of stemmed terms and ordered word pairs,
weighted by how rare they are (IDF). A question is scored against the phrases sharing a term with
it (an inverted index keeps this to a few hundred candidates): how much of the phrase the question
contains and how much of the question the phrase explains, blended with rapidfuzz's token-set
similarity of the two. The best phrase per code, plus a little support from its other phrases,
ranks the codes. Off-topic cues and incident chatter scale the score down; below a threshold the
engine abstains.

Before matching, what a question implies is added to it as words the phrases use: the relationship
between its numbers ("6mb" against "caps at 5mb" is too large) and, for an incident remark that asks
what callers get meanwhile, the unavailability. A code whose subject the question never names (505
without a version) or a success code for something that failed hardly competes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from knowledge.answer import Answer, Match, RunnerUp
from knowledge.index import Knowledge
from knowledge.model import Status
from knowledge.scenario_index import PhraseIndex
from knowledge.scenario_language import Analyser, language_file, read_language
from knowledge.text import words

UNKNOWN_WEIGHT = 3.0
RECALL_BIAS = 2.0  # beta squared of the F-score: a phrase fully present matters more than extra words
FUZZ_SHARE = 0.25
SUPPORT_SHARE = 0.12
ABSTAIN_BELOW = 0.30
MAX_MATCHES = 5
RERANK = 16
SYNONYM_SHARE = 0.6
OFF_DOMAIN_ABSTAIN_BELOW = 0.35
OFF_DOMAIN_MOST = 0.75  # the highest confidence of a short guess: *likely*, never *sure*
SHORT_GUESS = 2  # familiar words at most in a question without a word of the domain
MIN_KNOWN = 2  # familiar words a question without a word of the domain needs to be answered at all
SINGLE_WORD_USES = 3  # phrases that must use a word for it to count as a question on its own
NB_SHARE = 0.15
NB_CODES = 4
HEADER_LIFT = 0.1
REPORTED_DISCOUNT = 0.9  # the code a question says a system returns now is usually the one in doubt
NB_TEMPERATURE = 0.1
NB_WINDOW = 0.1
ABSTAIN_HINT = (
    'I answer questions about HTTP status codes: describe what happened ("user already exists", '
    '"token expired") or ask about a code (409), a family (4xx) or a comparison (401 vs 403).'
)
STRONG_SCORE = 0.45
NUMBERS_SURE = 1.0  # how much the words stating a relationship between numbers count
HINT_SURE = 0.5  # how much the incident hint counts: the question's own words still decide
REQUIRED_MISSING = 0.3  # a code whose subject the question never names keeps this share of its score
FAILURE_AGAINST_SUCCESS = 0.6  # a success code for a question saying something failed
CLEAR_LEAD = 0.25


class Scored(NamedTuple):
    """A code's score for one question, why it matched, and the phrase evidence alone."""

    status: Status
    score: float
    reason: str
    evidence: float


_DIGIT = re.compile(r"\d")


class Ranking(NamedTuple):
    """Codes scored for a question, the status numbers it mentions, and how many of its words the phrases use."""

    scored: list[Scored]
    numbers: list[int]
    known: int


class ScenarioEngine:
    """Answers plain-words questions from the curated situation phrases."""

    def __init__(self, kb: Knowledge, index: PhraseIndex, analyser: Analyser) -> None:
        self.kb = kb
        self.index = index
        self.analyser = analyser
        self.statuses = kb.catalogue.statuses
        language = analyser.language
        # words we know the meaning of are never "corrected" into other words
        cues = (*language.chatter, *language.chatter_asks, *(cue for cue, _ in language.offtopic))
        known = {w for group in language.synonyms for w in group} | language.domain | language.stopwords
        known |= {w for cue in cues for w in cue} | language.ordinary
        self._uses = {term: len(index.postings[column]) for term, column in index.term_ids.items() if "_" not in term}
        analyser.set_vocabulary(index.vocabulary | known, self._uses)
        positions = {status: i for i, status in enumerate(self.statuses)}
        primaries = {code: kb.primary(code) for code in kb.codes}
        self._position = {code: positions[status] for code, status in primaries.items() if status is not None}
        self._rows_of = {i: np.flatnonzero(index.row_status == i) for i in range(len(self.statuses))}

    def weight(self, term: str) -> float:
        """How much a query term says: the index weight, or a fixed weight for an unknown word."""
        column = self.index.term_ids.get(term)
        if column is None:
            return 0.0 if "_" in term else UNKNOWN_WEIGHT
        return float(self.index.term_weights[column])

    def coverage(self) -> dict[int, int]:
        """How many indexed phrases argue for each code."""
        counts: dict[int, int] = defaultdict(int)
        for status_index in self.index.row_status:
            counts[self.statuses[status_index].code] += 1
        return dict(counts)

    def _without_code_names(self, question: str) -> str:
        """The question without "204 No Content"-style mentions: a code named is not a situation described."""
        if not _DIGIT.search(question):
            return question
        tokens = words(question)
        kept = self.kb.without_names(tokens)
        return question if len(kept) == len(tokens) else " ".join(kept)

    # -- ranking ----------------------------------------------------------------
    def _query(self, terms: list[tuple[str, float]]) -> dict[str, float]:
        query: dict[str, float] = {}
        for term, sure in terms:
            query[term] = max(query.get(term, 0.0), self.weight(term) * sure)
        return query

    def rank(self, question: str) -> tuple[list[Scored], list[int]]:
        """Codes scored for the question, best first, and the status numbers it mentions."""
        ranking = self._rank(question)
        return ranking.scored, ranking.numbers

    def _rank(self, question: str) -> Ranking:
        terms, numbers = self.analyser.terms(self._without_code_names(question))
        # what the question implies, as words the phrases use: the numbers' relationship ("6mb" against
        # "caps at 5mb"), and an incident's unavailability when it asks what callers get meanwhile
        implied = (
            (self.analyser.relationship(question), NUMBERS_SURE),
            (self.analyser.incident_hint(self.analyser.read(question)), HINT_SURE),
        )
        for said, sure in implied:
            if said:
                terms += [(term, sure) for term, _ in self.analyser.terms(said, correct=False)[0]]
        query = self._query(terms)
        query_total = sum(query.values())
        content = {t for t, _ in terms if "_" not in t}
        known = len(content & self.index.term_ids.keys())
        if len(content) == 1 and self._uses.get(next(iter(content)), 0) >= SINGLE_WORD_USES:
            known = MIN_KNOWN  # "expired" alone is a fair question; "abc" (a sample value in two phrases) is not
        if query_total <= 0:
            return Ranking([], numbers, known)
        index = self.index
        for term, weight in list(query.items()):
            for other in self.analyser.expansions.get(term, ()):
                if other not in query and other in index.term_ids:
                    query[other] = min(weight, self.weight(other)) * SYNONYM_SHARE
        columns = [(index.term_ids[t], w) for t, w in query.items() if t in index.term_ids]
        if not columns:
            return Ranking([], numbers, known)
        # shared weight of every phrase with the question, in one pass over the postings
        lists = [index.postings[column] for column, _ in columns]
        rows = np.concatenate(lists)
        shares = np.repeat([w for _, w in columns], [len(found) for found in lists])
        overlap = np.bincount(rows, weights=shares, minlength=len(index.row_totals))
        # the F-score with recall weighted RECALL_BIAS times: (1+b)PR/(bP+R) = (1+b)s/(bT+Q)
        f_scores = (1 + RECALL_BIAS) * overlap / (RECALL_BIAS * index.row_totals + query_total) * index.row_factor
        touched = np.flatnonzero(overlap)
        if len(touched) > RERANK:
            touched = touched[np.argpartition(f_scores[touched], -RERANK)[-RERANK:]]
        top = touched
        from rapidfuzz import fuzz

        # blend in rapidfuzz's token-set similarity of the stems (word order and leftovers)
        stems = " ".join(t for t, _ in terms if "_" not in t)
        ratio, row_stems = fuzz.token_set_ratio, index.row_stems
        similarity = np.array([ratio(stems, row_stems[row]) for row in top.tolist()]) / 100
        chosen = f_scores[top]
        scores = (1 - FUZZ_SHARE) * chosen + FUZZ_SHARE * similarity * np.sqrt(chosen)
        order = np.argsort(-scores, kind="stable")
        best: dict[int, list[tuple[float, str]]] = {}
        first_row: dict[int, int] = {}
        for score, status_index, row in zip(
            scores[order].tolist(), index.row_status[top][order].tolist(), top[order].tolist(), strict=True
        ):
            best.setdefault(status_index, []).append((score, index.row_reason[row]))
            first_row.setdefault(status_index, row)
        reading = self.analyser.read(question)
        keep = self.analyser.offtopic_factor(reading)
        used = {t for t, _ in terms if "_" not in t}
        failed = not used.isdisjoint(self.analyser.failure)
        reported = self.analyser.reported(reading.tokens)
        lifted = self.analyser.named_headers(question)
        self._admit_header_codes(lifted, best, f_scores)
        unigrams = [(index.term_ids[t], w) for t, w in query.items() if "_" not in t and t in index.term_ids]
        pooled = self._pooled(best, unigrams)
        results = []
        for status_index, group in best.items():
            top_score, reason = group[0]
            support = group[1][0] + (group[2][0] if len(group) > 2 else 0.0) if len(group) > 1 else 0.0
            code = self.statuses[status_index].code
            lift = HEADER_LIFT if code in lifted else 0.0
            evidence = min(1.0, top_score + SUPPORT_SHARE * support + lift) * keep
            evidence *= self._fit(code, first_row.get(status_index), used, failed)
            results.append(Scored(self.statuses[status_index], evidence, reason, evidence))
        # the pooled view decides between close candidates only: it never overturns a clear lead
        leader = max((item.evidence for item in results), default=0.0)
        results = [
            item._replace(
                score=(1 - NB_SHARE) * item.evidence
                + NB_SHARE * pooled.get(self._position[item.status.code], 0.0) * keep
            )
            if item.evidence >= leader - NB_WINDOW and item.status.official and item.status.code not in reported
            else item._replace(score=(1 - NB_SHARE) * item.evidence)
            for item in results
        ]
        if reported:
            # a code the question says a system returns now is the one in doubt: no tie-break in its favour
            results = [
                item._replace(score=item.score * REPORTED_DISCOUNT) if item.status.code in reported else item
                for item in results
            ]
        results.sort(key=lambda item: (-item.score, -item.status.rank))
        return Ranking(results, numbers, known)

    def _fit(self, code: int, row: int | None, stems: set[str], failed: bool) -> float:
        """How well a code can fit at all: its required subject named, and no success claimed for a failure.

        505 is about protocol versions: "doesn't support DELETE" never makes it a candidate. And
        "CORS preflight failed" is not the 204 of a preflight that worked.
        """
        fit = 1.0
        required = self.analyser.required.get(code)
        if required and stems.isdisjoint(required):
            fit *= REQUIRED_MISSING
        if (
            failed
            and code < 300
            and (row is None or self.analyser.failure.isdisjoint(self.index.row_stems[row].split()))
        ):
            fit *= FAILURE_AGAINST_SUCCESS
        return fit

    def _admit_header_codes(
        self, codes: set[int], best: dict[int, list[tuple[float, str]]], f_scores: npt.NDArray[np.float64]
    ) -> None:
        """A code a named header points at competes even when none of its phrases made the short list."""
        for code in codes:
            status_index = self._position.get(code)
            if status_index is None or status_index in best:
                continue
            own_rows = self._rows_of[status_index]
            if len(own_rows):
                row = int(own_rows[np.argmax(f_scores[own_rows])])
                if f_scores[row] > 0:
                    best[status_index] = [(float(f_scores[row]), self.index.row_reason[row])]

    def _pooled(self, best: dict[int, list[tuple[float, str]]], unigrams: list[tuple[int, float]]) -> dict[int, float]:
        """Naive-Bayes posterior over the leading candidate codes, from every phrase of each code."""
        leaders = list(best)[:NB_CODES]  # best is filled in order of score
        if not NB_SHARE or len(leaders) < 2 or not unigrams:
            return {}
        index = self.index
        cols = [column for column, _ in unigrams]
        logs = (np.array([w for _, w in unigrams], dtype=np.float32) @ index.log_likelihood[cols])[leaders]
        # per unit of query weight and softened: a likelihood ratio, not a winner-takes-all vote
        logs = logs / (NB_TEMPERATURE * sum(w for _, w in unigrams))
        exps = np.exp(logs - logs.max())
        posterior = exps / exps.sum()
        return dict(zip(leaders, posterior.tolist(), strict=True))

    # -- answering --------------------------------------------------------------
    def answer(self, question: str) -> Answer:
        """The scenario answer: ranked matches with reasons and a runner-up, or an honest abstention."""
        ranked, numbers, known = self._rank(question)
        on_domain = self.analyser.on_domain(self.analyser.read(question))
        threshold = ABSTAIN_BELOW if on_domain else OFF_DOMAIN_ABSTAIN_BELOW
        # without a word of the domain, one familiar word ("how many calories") is a coincidence
        if not ranked or max(item.evidence for item in ranked) < threshold or (not on_domain and known < MIN_KNOWN):
            return Answer(kind="scenario", query=question, message=ABSTAIN_HINT)
        first = confidence(ranked, 0)
        if not on_domain and known <= SHORT_GUESS:
            # two familiar words and none of HTTP or APIs: even a clear match is a guess at what was meant
            first = min(first, OFF_DOMAIN_MOST)
        # listed in the order of the confidence shown (the score also weighs the pooled view): the first
        # stays first, since the others never reach its confidence
        shown = [
            Match(item.status, confidence(ranked, i, first) if i else first, reason=item.reason)
            for i, item in enumerate(ranked)
        ]
        matches = tuple(sorted(shown, key=lambda match: -match.confidence)[:MAX_MATCHES])
        return Answer(
            kind="scenario",
            query=question,
            matches=matches,
            runner_up=self._runner_up(matches, numbers),
        )

    def _runner_up(self, matches: tuple[Match, ...], numbers: list[int]) -> RunnerUp | None:
        top = matches[0].status.code
        mentioned = [n for n in numbers if n != top and self.kb.primary(n) is not None]
        candidates = [*mentioned, *(m.status.code for m in matches[1:])]
        candidates += [c for rule in self.kb.confusions_of(top) for c in rule.codes if c != top]
        for code in dict.fromkeys(candidates):
            rule = self.kb.rule_between(top, code)
            status = self.kb.primary(code)
            if rule is not None and status is not None:
                found = next((m for m in matches if m.status.code == code), None)
                return RunnerUp(found or Match(status, 0.0), rule.rule)
        return None


def _ramp(value: float, knee: float, full: float) -> float:
    """0 → 0, ``knee`` → 0.8, ``full`` and above → 1.0, linear in between."""
    if value <= knee:
        return max(0.0, 0.8 * value / knee)
    return min(1.0, 0.8 + 0.2 * (value - knee) / (full - knee))


def confidence(ranked: list[Scored], position: int, first: float = 1.0) -> float:
    """A 0-1 confidence from the phrase evidence for a code and its lead over the best other code.

    Calibrated on our evaluation sets: 0.8 or more means evidence of at least STRONG_SCORE and a
    lead of at least CLEAR_LEAD, where about 97 % of answers are right. A narrow lead still leaves
    the first answer above the others.
    """
    evidence = ranked[position].evidence
    strength = _ramp(evidence, STRONG_SCORE, STRONG_SCORE + 0.25)
    if position > 0:
        # ``first`` is the top answer's confidence: the others never reach it
        return round(min(0.9 * first, 0.5 * strength * ranked[position].score / max(ranked[0].score, 1e-9)), 3)
    rival = max((item.evidence for item in ranked[1:]), default=0.0)
    lead = max(0.0, evidence - rival)
    separation = 0.35 + 0.45 * min(1.0, lead / CLEAR_LEAD) + 0.2 * min(1.0, max(0.0, lead - CLEAR_LEAD) / 0.15)
    return round(min(strength, separation), 3)


_engines: dict[int, ScenarioEngine] = {}


def engine(kb: Knowledge) -> ScenarioEngine:
    """The scenario engine for a loaded catalogue, built once."""
    found = _engines.get(id(kb))
    if found is None:
        from knowledge.catalogue_loader import display_path, parse_toml
        from knowledge.compiled import compiled_index

        path = language_file()
        analyser = Analyser(read_language(parse_toml(path), display_path(path)))
        found = ScenarioEngine(kb, compiled_index(kb.catalogue.statuses, analyser), analyser)
        _engines[id(kb)] = found
    return found
