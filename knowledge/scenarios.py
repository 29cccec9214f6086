"""The scenario engine: a question in plain words → ranked status codes with confidence and reason.

Each curated situation phrase is a small document of stemmed terms and ordered word pairs,
weighted by how rare they are (IDF). A question is scored against the phrases sharing a term with
it (an inverted index keeps this to a few hundred candidates): how much of the phrase the question
contains and how much of the question the phrase explains, blended with rapidfuzz's token-set
similarity of the two. The best phrase per code, plus a little support from its other phrases,
ranks the codes. Off-topic cues scale the score down; below a threshold the engine abstains.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from typing import NamedTuple

from knowledge.answer import Answer, Match, RunnerUp
from knowledge.index import Knowledge
from knowledge.model import Situation, Status
from knowledge.scenario_language import Analyser, language_file, read_language
from knowledge.text import words

BIGRAM_WEIGHT = 0.6
UNKNOWN_WEIGHT = 3.0
RECALL_BIAS = 2.0  # beta squared of the F-score: a phrase fully present matters more than extra words
FUZZ_SHARE = 0.25
SUPPORT_SHARE = 0.12
SUPPORT_COUNT = 2
ABSTAIN_BELOW = 0.30
MAX_MATCHES = 5
RERANK = 30
COMMON_POSTINGS = 80
SEED_TERMS = 8
SYNONYM_SHARE = 0.6
OFF_DOMAIN_ABSTAIN_BELOW = 0.55
NB_SHARE = 0.15
NB_SMOOTHING = 0.1
NB_CODES = 6
STRONG_SCORE = 0.45
CLEAR_LEAD = 0.25


class Phrase(NamedTuple):
    """One indexed phrase."""

    situation: Situation
    status: Status
    terms: dict[str, float]
    total: float
    stems: str


class Scored(NamedTuple):
    """A code's score for one question, the phrase that earned it, and the phrase evidence alone."""

    status: Status
    score: float
    phrase: Phrase
    evidence: float


class ScenarioEngine:
    """Answers plain-words questions from the curated situation phrases."""

    def __init__(self, kb: Knowledge, situations: tuple[Situation, ...], analyser: Analyser) -> None:
        self.kb = kb
        self.analyser = analyser
        vocabulary = {w for s in situations for text in (s.reason, *s.phrases) for w in words(text)}
        vocabulary |= {w for s in kb.catalogue.statuses for w in words(" ".join((s.phrase, *s.aliases)))}
        language = analyser.language
        # words we know the meaning of are never "corrected" into other words
        known = {w for group in language.synonyms for w in group} | language.domain | language.stopwords
        analyser.set_vocabulary(vocabulary | known)
        raw: list[tuple[Situation, Status, list[str]]] = []
        frequency: dict[str, int] = defaultdict(int)
        for situation in situations:
            status = self._status_for(situation)
            for text in (*situation.phrases, situation.reason):
                terms = list(dict.fromkeys(t for t, _ in analyser.terms(text, correct=False)[0]))
                if not terms:
                    continue
                raw.append((situation, status, terms))
                for term in terms:
                    frequency[term] += 1
        for status in kb.catalogue.statuses:
            if not status.official:
                continue  # unofficial names ("This is fine") are not descriptions of situations
            reason = f"the situation its name describes ({status.name})"
            situation = Situation(status.code, reason, (), status.origin)
            for text in dict.fromkeys((status.name, *status.aliases)):
                terms = list(dict.fromkeys(t for t, _ in analyser.terms(text, correct=False)[0]))
                if terms and not text.startswith("("):
                    raw.append((situation, status, terms))
                    for term in terms:
                        frequency[term] += 1
        count = len(raw)
        self.idf = {term: math.log(1 + count / df) for term, df in frequency.items()}
        self.phrases: list[Phrase] = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        for situation, status, terms in raw:
            weights = {t: self.weight(t) for t in terms}
            self.postings_add(len(self.phrases), terms)
            unigrams = " ".join(t for t in terms if "_" not in t)
            self.phrases.append(Phrase(situation, status, weights, sum(weights.values()), unigrams))
        self.denominators = [RECALL_BIAS * phrase.total for phrase in self.phrases]
        self.posting_sets = {term: frozenset(found) for term, found in self.postings.items()}
        # a naive-Bayes view that pools the evidence of all of a code's phrases: log P(term | code)
        counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for phrase in self.phrases:
            for term in phrase.terms:
                counts[id(phrase.status)][term] += 1
        self.log_likelihood: dict[int, tuple[dict[str, float], float]] = {}
        for key, terms_of in counts.items():
            size = sum(terms_of.values()) + NB_SMOOTHING * len(self.idf)
            table = {term: math.log((n + NB_SMOOTHING) / size) for term, n in terms_of.items()}
            self.log_likelihood[key] = (table, math.log(NB_SMOOTHING / size))

    def postings_add(self, index: int, terms: list[str]) -> None:
        """Register a phrase under each of its terms."""
        for term in terms:
            self.postings[term].append(index)

    def weight(self, term: str) -> float:
        """How much a term says: its IDF, less for word pairs, a fixed weight for unknown words."""
        idf = self.idf.get(term)
        if idf is None:
            return 0.0 if "_" in term else UNKNOWN_WEIGHT
        return idf * BIGRAM_WEIGHT if "_" in term else idf

    def _without_code_names(self, question: str) -> str:
        """The question without "204 No Content"-style mentions: a code named is not a situation described."""
        for found in _CODE_THEN_WORDS.finditer(question):
            code, following = int(found.group(1)), found.group(2).lower()
            for status in self.kb.meanings(code):
                for name in (status.phrase, *status.aliases):
                    if following.startswith(name.lower()):
                        start, end = found.start(2), found.start(2) + len(name)
                        return self._without_code_names(question[:start] + question[end:])
        return question

    def _status_for(self, situation: Situation) -> Status:
        meanings = self.kb.meanings(situation.code)
        if situation.origin:
            for status in meanings:
                if situation.origin.lower() in status.origin.lower():
                    return status
        return meanings[0]

    # -- ranking ----------------------------------------------------------------
    def rank(self, question: str) -> tuple[list[Scored], list[int]]:
        """Codes scored for the question, best first, and the status numbers it mentions."""
        terms, numbers = self.analyser.terms(self._without_code_names(question))
        query: dict[str, float] = {}
        for term, sure in terms:
            query[term] = max(query.get(term, 0.0), self.weight(term) * sure)
        query_total = sum(query.values())
        if query_total <= 0:
            return [], numbers
        for term, weight in list(query.items()):
            for other in self.analyser.expansions.get(term, ()):
                if other not in query and other in self.idf:
                    query[other] = min(weight, self.weight(other)) * SYNONYM_SHARE
        # The most telling terms find the candidate phrases; the others only add to candidates already found.
        overlap: dict[int, float] = {}
        postings = self.postings
        present = sorted(
            ((weight, term) for term, weight in query.items() if term in postings), reverse=True
        )
        later = []
        seeds = 0
        for weight, term in present:
            found = postings[term]
            if seeds >= SEED_TERMS or len(found) > COMMON_POSTINGS:
                later.append((term, weight))
                continue
            seeds += 1
            get = overlap.get
            for index in found:
                overlap[index] = get(index, 0.0) + weight
        if not overlap:
            return [], numbers
        posting_sets = self.posting_sets
        for term, weight in later:
            for index in overlap.keys() & posting_sets[term]:
                overlap[index] += weight
        phrases = self.phrases
        # the F-score with recall weighted RECALL_BIAS times: (1+b)PR/(bP+R) = (1+b)s/(bT+Q)
        denominators = self.denominators
        candidates = [(shared / (denominators[index] + query_total), index) for index, shared in overlap.items()]
        candidates.sort(reverse=True)
        from rapidfuzz import fuzz

        stems = " ".join(t for t, _ in terms if "_" not in t)
        best: dict[int, list[tuple[float, Phrase]]] = {}
        for f_score, index in candidates[:RERANK]:
            phrase = phrases[index]
            f_score *= 1 + RECALL_BIAS
            similarity = fuzz.token_set_ratio(stems, phrase.stems) / 100
            score = (1 - FUZZ_SHARE) * f_score + FUZZ_SHARE * similarity * f_score**0.5
            best.setdefault(id(phrase.status), []).append((score, phrase))
        for group in best.values():
            group.sort(key=lambda item: -item[0])
        keep = self.analyser.offtopic_factor(question)
        posterior = self._pooled(best, query) if NB_SHARE else {}
        results = []
        for group in best.values():
            top, phrase = group[0]
            support = sum(score for score, _ in group[1 : 1 + SUPPORT_COUNT])
            evidence = min(1.0, top + SUPPORT_SHARE * support) * keep
            total = (1 - NB_SHARE) * evidence + NB_SHARE * posterior.get(id(phrase.status), 0.0) * keep
            results.append(Scored(phrase.status, total, phrase, evidence))
        results.sort(key=lambda item: (-item.score, -item.status.rank))
        return results, numbers

    def _pooled(self, best: dict[int, list[tuple[float, Phrase]]], query: dict[str, float]) -> dict[int, float]:
        """Naive-Bayes posterior over the candidate codes, from every phrase of each code."""
        known = [(term, weight) for term, weight in query.items() if "_" not in term and term in self.idf]
        leaders = sorted(best, key=lambda key: -best[key][0][0])[:NB_CODES]
        logs = {}
        for key in leaders:
            table, unseen = self.log_likelihood[key]
            get = table.get
            logs[key] = sum(weight * get(term, unseen) for term, weight in known)
        top = max(logs.values())
        exps = {key: math.exp(value - top) for key, value in logs.items()}
        norm = sum(exps.values())
        return {key: value / norm for key, value in exps.items()}

    # -- answering --------------------------------------------------------------
    def answer(self, question: str) -> Answer:
        """The scenario answer: ranked matches with reasons and a runner-up, or an honest abstention."""
        ranked, numbers = self.rank(question)
        threshold = ABSTAIN_BELOW if self.analyser.on_domain(question) else OFF_DOMAIN_ABSTAIN_BELOW
        if not ranked or max(item.evidence for item in ranked) < threshold:
            return Answer(kind="scenario", query=question, message=_abstain_message(numbers))
        matches = tuple(
            Match(item.status, confidence(ranked, i), reason=item.phrase.situation.reason)
            for i, item in enumerate(ranked[:MAX_MATCHES])
        )
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


_CODE_THEN_WORDS = re.compile(r"\b([1-5]\d\d)\s+([A-Za-z].*)")


def _ramp(value: float, knee: float, full: float) -> float:
    """0 → 0, ``knee`` → 0.8, ``full`` and above → 1.0, linear in between."""
    if value <= knee:
        return max(0.0, 0.8 * value / knee)
    return min(1.0, 0.8 + 0.2 * (value - knee) / (full - knee))


def confidence(ranked: list[Scored], position: int) -> float:
    """A 0-1 confidence from the phrase evidence for a code and its lead over the best other code.

    Calibrated on our evaluation sets: 0.8 or more means evidence of at least STRONG_SCORE and a
    lead of at least CLEAR_LEAD, where about 97 % of answers are right.
    """
    evidence = ranked[position].evidence
    strength = _ramp(evidence, STRONG_SCORE, STRONG_SCORE + 0.25)
    rival = max((item.evidence for i, item in enumerate(ranked) if i != position), default=0.0)
    if position > 0:
        return round(0.5 * strength * ranked[position].score / max(ranked[0].score, 1e-9), 3)
    return round(min(strength, _ramp(evidence - rival, CLEAR_LEAD, CLEAR_LEAD + 0.15)), 3)


def _abstain_message(numbers: list[int]) -> str:
    hint = (
        'I answer questions about HTTP status codes: describe what happened ("user already exists", '
        '"token expired") or ask about a code (409), a family (4xx) or a comparison (401 vs 403).'
    )
    return hint


_engines: dict[int, ScenarioEngine] = {}


def engine(kb: Knowledge) -> ScenarioEngine:
    """The scenario engine for a loaded catalogue, built once."""
    found = _engines.get(id(kb))
    if found is None:
        from knowledge.catalogue_loader import parse_toml
        from knowledge.compiled import compiled_situations

        path = language_file()
        analyser = Analyser(read_language(parse_toml(path), str(path)))
        situations = compiled_situations({s.code for s in kb.catalogue.statuses})
        found = ScenarioEngine(kb, situations, analyser)
        _engines[id(kb)] = found
    return found
