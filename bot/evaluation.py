"""``statusbot eval``: answer quality on a JSONL question file, next to a naive baseline."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, TextIO

from knowledge.answer import LIKELY_FROM, SURE_FROM, certainty_of

BANDS = (
    ("sure", f"≥ {SURE_FROM}"),
    ("likely", f"{LIKELY_FROM}–{SURE_FROM}"),
    ("unsure", f"< {LIKELY_FROM}"),
)
BASELINE_CUTOFF = 60.0


class Answered(NamedTuple):
    """What an answering system said: codes best first (empty: abstained), top confidence, certainty band."""

    codes: list[int]
    confidence: float
    certainty: str


@dataclass(frozen=True, slots=True)
class Question:
    """One evaluation question and the codes that count as right (empty: should abstain)."""

    text: str
    accept: tuple[int, ...]
    line: int
    style: str = ""


@dataclass
class Score:
    """Counts for one answering system over one question file."""

    answerable: int = 0
    top1: int = 0
    top3: int = 0
    offtopic: int = 0
    abstained_offtopic: int = 0
    wrong_abstentions: int = 0
    bands: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: Counter[int] = field(default_factory=Counter)
    wrong: list[tuple[Question, list[int]]] = field(default_factory=list)

    def add(self, question: Question, codes: list[int], certainty: str) -> None:
        """Record one answer: the ranked codes given (empty when abstaining) and its certainty band."""
        if not question.accept:
            self.offtopic += 1
            if not codes:
                self.abstained_offtopic += 1
            else:
                self.bands[certainty][0] += 1  # an answer to an off-topic question is a wrong answer
                self.wrong.append((question, codes))
            return
        self.answerable += 1
        if not codes:
            self.wrong_abstentions += 1
            self.misses[question.accept[0]] += 1
            self.wrong.append((question, codes))
            return
        right = codes[0] in question.accept
        self.top1 += right
        self.top3 += any(code in question.accept for code in codes[:3])
        self.bands[certainty][0] += 1
        self.bands[certainty][1] += right
        if not right:
            self.misses[question.accept[0]] += 1
            self.wrong.append((question, codes))


def read_questions(path: str | Path) -> list[Question]:
    """Questions from a JSONL file; a bad line raises ValueError naming the file and line."""
    questions = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                if not isinstance(data, dict) or not isinstance(data.get("accept", []), list):
                    raise TypeError("each line must be an object whose accept is a list of codes")
                accept = tuple(int(code) for code in data.get("accept", []))
                questions.append(Question(str(data["q"]), accept, number, str(data.get("style", ""))))
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f'{path}:{number}: expected {{"q": str, "accept": [int]}}: {error}') from error
    return questions


def statusbot_answer(question: str) -> Answered:
    """statusbot's ranked codes, top confidence and certainty for one question."""
    from knowledge import ask

    answer = ask(question)
    codes = list(dict.fromkeys(m.status.code for m in answer.matches))
    return Answered(codes, answer.matches[0].confidence if answer.matches else 0.0, answer.certainty)


def baseline_answerer() -> Callable[[str], Answered]:
    """The naive baseline: rapidfuzz WRatio over each http.HTTPStatus member's phrase and description."""
    from http import HTTPStatus

    from rapidfuzz import fuzz, process

    choices = {status.value: f"{status.phrase} {status.description}" for status in HTTPStatus}

    def answer(question: str) -> Answered:
        found = process.extract(question, choices, scorer=fuzz.WRatio, limit=3, score_cutoff=BASELINE_CUTOFF)
        confidence = found[0][1] / 100 if found else 0.0
        return Answered([int(key) for _, _, key in found], confidence, certainty_of(confidence))

    return answer


def evaluate(questions: Sequence[Question], answerer: Callable[[str], Answered]) -> Score:
    """Score one answering system over the questions."""
    score = Score()
    for question in questions:
        answered = answerer(question.text)
        score.add(question, answered.codes, answered.certainty)
    return score


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f} %" if whole else "    n/a"


def _summary(name: str, score: Score, out: TextIO) -> None:
    out.write(f"\n{name}\n")
    out.write(
        f"  top-1 accuracy (answerable)     {_pct(score.top1, score.answerable)}  ({score.top1}/{score.answerable})\n"
    )
    out.write(
        f"  top-3 accuracy (answerable)     {_pct(score.top3, score.answerable)}  ({score.top3}/{score.answerable})\n"
    )
    out.write(
        f"  correct abstention (off-topic)  {_pct(score.abstained_offtopic, score.offtopic)}"
        f"  ({score.abstained_offtopic}/{score.offtopic})\n"
    )
    out.write(
        f"  wrong abstention (answerable)   {_pct(score.wrong_abstentions, score.answerable)}"
        f"  ({score.wrong_abstentions}/{score.answerable})\n"
    )
    answered = sum(given for given, _ in score.bands.values())
    out.write("  by certainty band (share of answers, then accuracy):\n")
    for band, bounds in BANDS:
        given, right = score.bands.get(band, [0, 0])
        out.write(
            f"    {band:7}{bounds:9} {_pct(given, answered)} of answers, {_pct(right, given)} right"
            f"  ({right}/{given})\n"
        )


def phrase_coverage() -> dict[int, int]:
    """How many situation phrases each code has."""
    from knowledge import knowledge
    from knowledge.scenarios import engine

    return engine(knowledge()).coverage()


def run_eval(path: str, out: TextIO, *, show_misses: bool = False) -> int:
    """Print the evaluation report for a question file; returns the exit status."""
    try:
        questions = read_questions(path)
    except (OSError, ValueError) as error:
        out.write(f"statusbot eval: {error}\n")
        return 2
    answered = {question.text: statusbot_answer(question.text) for question in questions}
    ours = evaluate(questions, answered.__getitem__)
    baseline = evaluate(questions, baseline_answerer())
    out.write(f"{path}: {len(questions)} questions ({ours.answerable} answerable, {ours.offtopic} off-topic)\n")
    _summary("statusbot", ours, out)
    styles = sorted({question.style for question in questions if question.style})
    if len(styles) > 1 or (styles and any(not question.style for question in questions)):
        for style in styles:
            subset = [question for question in questions if question.style == style]
            counted = f"{len(subset)} question" + ("s" if len(subset) != 1 else "")
            _summary(f'statusbot, style "{style}" ({counted})', evaluate(subset, answered.__getitem__), out)
    _summary(f"naive baseline (rapidfuzz WRatio over http.HTTPStatus, cutoff {BASELINE_CUTOFF:.0f})", baseline, out)
    if ours.misses:
        out.write("\nstatusbot misses by expected code: ")
        out.write(", ".join(f"{code}×{n}" for code, n in sorted(ours.misses.items())) + "\n")
    coverage = phrase_coverage()
    out.write("\nphrase coverage per code: ")
    out.write(", ".join(f"{code}:{n}" for code, n in sorted(coverage.items())) + "\n")
    if show_misses:
        out.write("\nwrong answers:\n")
        for question, codes in ours.wrong:
            given = ",".join(map(str, codes[:3])) or "abstained"
            wanted = ",".join(map(str, question.accept)) or "abstain"
            out.write(f"  line {question.line}: {question.text!r}: gave {given}; wanted {wanted}\n")
    return 0
