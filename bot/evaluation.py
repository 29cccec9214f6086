"""``statusbot eval``: answer quality on a JSONL question file, next to a naive baseline."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

BANDS = ((0.8, 1.01, "≥ 0.8"), (0.5, 0.8, "0.5–0.8"), (0.0, 0.5, "< 0.5"))
BASELINE_CUTOFF = 60.0


@dataclass(frozen=True, slots=True)
class Question:
    """One evaluation question and the codes that count as right (empty: should abstain)."""

    text: str
    accept: tuple[int, ...]
    line: int


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

    def add(self, question: Question, codes: list[int], confidence: float) -> None:
        """Record one answer: the ranked codes given (empty when abstaining) and the top confidence."""
        if not question.accept:
            self.offtopic += 1
            if not codes:
                self.abstained_offtopic += 1
            else:
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
        for low, high, name in BANDS:
            if low <= confidence < high:
                self.bands[name][0] += 1
                self.bands[name][1] += right
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
                questions.append(Question(str(data["q"]), accept, number))
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f'{path}:{number}: expected {{"q": str, "accept": [int]}}: {error}') from error
    return questions


def statusbot_answer(question: str) -> tuple[list[int], float]:
    """statusbot's ranked codes and top confidence for one question."""
    from knowledge import ask

    answer = ask(question)
    codes = list(dict.fromkeys(m.status.code for m in answer.matches))
    return codes, (answer.matches[0].confidence if answer.matches else 0.0)


def baseline_answerer() -> Callable[[str], tuple[list[int], float]]:
    """The naive baseline: rapidfuzz WRatio over each http.HTTPStatus member's phrase and description."""
    from http import HTTPStatus

    from rapidfuzz import fuzz, process

    choices = {status.value: f"{status.phrase} {status.description}" for status in HTTPStatus}

    def answer(question: str) -> tuple[list[int], float]:
        found = process.extract(question, choices, scorer=fuzz.WRatio, limit=3, score_cutoff=BASELINE_CUTOFF)
        return [int(key) for _, _, key in found], (found[0][1] / 100 if found else 0.0)

    return answer


def evaluate(questions: Sequence[Question], answerer: Callable[[str], tuple[list[int], float]]) -> Score:
    """Score one answering system over the questions."""
    score = Score()
    for question in questions:
        codes, confidence = answerer(question.text)
        score.add(question, codes, confidence)
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
    out.write("  accuracy by confidence band:\n")
    for _, _, band in BANDS:
        given, right = score.bands.get(band, [0, 0])
        out.write(f"    {band:8} {_pct(right, given)}  ({right}/{given} answers)\n")


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
    ours = evaluate(questions, statusbot_answer)
    baseline = evaluate(questions, baseline_answerer())
    out.write(f"{path}: {len(questions)} questions ({ours.answerable} answerable, {ours.offtopic} off-topic)\n")
    _summary("statusbot", ours, out)
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
