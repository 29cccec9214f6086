"""The question bank, generated from the catalogue, its situation phrases, its confusions and the lesson."""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterable
from typing import Any

from bot.quiz.question import Question
from knowledge import Knowledge, Mistake, Situation, Status

CHOICES = 4
TYPED_KINDS = ("situation", "meaning", "mistake", "dilemma")
CLOSING = (
    "A user tries to update another user's profile. They are logged in, but they don't have permission. "
    "What should the API return?"
)


def _rng(key: str) -> random.Random:
    # seeded by the question's id, so the bank is the same in every process
    return random.Random(zlib.crc32(key.encode()))


def _quizzable(status: Status) -> bool:
    return status.official and not status.unused and not status.deprecated


def _topic(code: int) -> str:
    return f"{code // 100}xx"


class Bank:
    """Every generated question, with the lookups a game needs to draw from it."""

    def __init__(self, kb: Knowledge, situations: Iterable[Situation], extra: Iterable[Question] = ()) -> None:
        self.kb = kb
        self.codes = [s.code for s in kb.catalogue.statuses if _quizzable(s)]
        questions: list[Question] = []
        questions += self._lesson()
        questions += self._situations(situations)
        questions += self._meanings()
        questions += self._families()
        questions += self._mistakes()
        questions += self._dilemmas()
        questions += list(extra)
        self.questions = tuple(questions)
        self.by_id = {q.id: q for q in self.questions}

    # -- distractors ------------------------------------------------------------
    def distractors(self, code: int, key: str, count: int = CHOICES - 1) -> list[int]:
        """Plausible wrong codes: the ones people confuse it with first, then its family's common codes."""
        rng = _rng(key)
        confused = [c for rule in self.kb.confusions_of(code) for c in rule.codes if c != code and c in self.codes]
        family = [s.code for s in self.kb.family_members(_topic(code), official_only=True) if s.code in self.codes]
        picked: list[int] = []
        for pool in (list(dict.fromkeys(confused)), [c for c in family[:10] if c != code]):
            rng.shuffle(pool)
            for candidate in pool:
                if candidate not in picked and candidate != code and len(picked) < count:
                    picked.append(candidate)
        return picked

    def _code_question(
        self, qid: str, kind: str, prompt: str, code: int, explanation: str, *, topic: str = ""
    ) -> Question:
        wrong = self.distractors(code, qid)
        codes = (code, *wrong)
        status = self.kb.primary(code)
        assert status is not None
        return Question(
            id=qid,
            kind=kind,
            prompt=prompt,
            choices=tuple(self.kb.primary(c).title for c in codes),  # type: ignore[union-attr]
            answer=0,
            explanation=explanation,
            level=status.level,
            topic=topic or _topic(code),
            codes=codes,
            learn=code,
        )

    # -- generators -------------------------------------------------------------
    def _lesson(self) -> list[Question]:
        questions = []
        for status in self.kb.catalogue.statuses:
            if status.official and status.level == "easy" and status.code >= 200:
                example = status.examples[0]
                prompt = f"{example.request}\n→ which status?"
                why = f"{status.title}: {status.summary}"
                questions.append(self._code_question(f"lesson:{status.code}", "situation", prompt, status.code, why))
        questions.append(
            self._code_question(
                "lesson:closing",
                "situation",
                CLOSING,
                403,
                "They are authenticated, so it isn't 401; they lack permission for someone else's profile: 403.",
            )
        )
        return questions

    def _situations(self, situations: Iterable[Situation]) -> list[Question]:
        questions = []
        for number, situation in enumerate(situations):
            status = self.kb.primary(situation.code)
            if status is None or not _quizzable(status) or situation.origin:
                continue
            qid = f"situation:{situation.code}:{number}"
            phrase = _rng(qid).choice(situation.phrases)
            prompt = f"Situation: “{phrase}”. Which status code fits?"
            why = f"{status.title} — {situation.reason}."
            questions.append(self._code_question(qid, "situation", prompt, situation.code, why))
        return questions

    def _meanings(self) -> list[Question]:
        questions = []
        for code in self.codes:
            status = self.kb.primary(code)
            assert status is not None
            questions.append(
                self._code_question(
                    f"meaning-to-code:{code}",
                    "meaning",
                    f"Which status code means: {status.summary}",
                    code,
                    f"{status.title}: {status.use_when}",
                )
            )
            wrong = self.distractors(code, f"code-to-meaning:{code}")
            options = [status, *(self.kb.primary(c) for c in wrong)]
            questions.append(
                Question(
                    id=f"code-to-meaning:{code}",
                    kind="code",
                    prompt=f"What does {code} mean?",
                    choices=tuple(s.summary for s in options if s is not None),
                    answer=0,
                    explanation=f"{status.title}: {status.summary}",
                    level=status.level,
                    topic=_topic(code),
                    codes=tuple(s.code for s in options if s is not None),
                    learn=code,
                )
            )
        return questions

    def _families(self) -> list[Question]:
        questions = []
        families = self.kb.catalogue.families
        for family in families:
            others = [f for f in families if f is not family]
            _rng(family.label).shuffle(others)
            options = [family, *others[: CHOICES - 1]]
            questions.append(
                Question(
                    id=f"family:{family.label}",
                    kind="family",
                    prompt=f"A response comes back with a {family.label} code. What does that tell the client?",
                    choices=tuple(f.summary for f in options),
                    answer=0,
                    explanation=f"{family.label} {family.name}: {family.meaning}",
                    level="easy",
                    topic=family.label if family.label != "1xx" else "1xx",
                    codes=tuple(int(f.label[0]) * 100 for f in options),
                    learn=family.key_codes[0],
                )
            )
        return questions

    def _mistakes(self) -> list[Question]:
        questions = []
        mistakes = [m for m in self.kb.catalogue.mistakes if not m.missing_header]
        for mistake in self.kb.catalogue.mistakes:
            if mistake.missing_header:
                questions.append(self._missing_header(mistake))
                continue
            right = mistake.right[0]
            questions.append(
                self._code_question(
                    f"mistake:{mistake.id}",
                    "mistake",
                    f"Common mistake: “{mistake.title}”.\n{mistake.example}\nWhat should the response be?",
                    right,
                    f"{mistake.explanation}",
                    topic="mistakes",
                )._replace(level="easy")
            )
        fine = [s for s in self.kb.catalogue.statuses if s.official and s.level == "easy" and s.code >= 200]
        for mistake in mistakes:
            qid = f"which-mistake:{mistake.id}"
            rng = _rng(qid)
            correct_examples = rng.sample(fine, CHOICES - 1)
            wrong = mistake.example.replace("\n", " ")
            options = [wrong] + [
                f"{s.examples[0].request} → {s.examples[0].response.splitlines()[0]}" for s in correct_examples
            ]
            questions.append(
                Question(
                    id=qid,
                    kind="which-mistake",
                    prompt="Which of these exchanges is a common status code mistake?",
                    choices=tuple(o.replace("\n", " ") for o in options),
                    answer=0,
                    explanation=f"{mistake.title}. {mistake.tip}",
                    level="medium",
                    topic="mistakes",
                    codes=(mistake.wrong, *(s.code for s in correct_examples)),
                    learn=mistake.right[0],
                )
            )
        return questions

    def _missing_header(self, mistake: Mistake) -> Question:
        others = ["Location", "WWW-Authenticate", "Allow", "ETag", "Content-Range"]
        _rng(f"mistake:{mistake.id}").shuffle(others)
        return Question(
            id=f"mistake:{mistake.id}",
            kind="mistake",
            prompt=f"Common mistake: “{mistake.title}”. Which header should a {mistake.wrong} response carry?",
            choices=(mistake.missing_header, *others[: CHOICES - 1]),
            answer=0,
            explanation=mistake.explanation,
            level="easy",
            topic="mistakes",
            learn=mistake.wrong,
        )

    def _dilemmas(self) -> list[Question]:
        questions = []
        for rule in self.kb.catalogue.confusions:
            codes = [c for c in rule.codes if c in self.codes]
            if len(codes) < 2:
                continue
            qid = f"dilemma:{'-'.join(map(str, rule.codes))}"
            answer = _rng(qid).choice(codes)
            status = self.kb.primary(answer)
            assert status is not None
            options = [answer, *(c for c in codes if c != answer)]
            questions.append(
                Question(
                    id=qid,
                    kind="dilemma",
                    prompt=f"{' or '.join(str(c) for c in codes)}? {status.use_when.split('. ')[0].rstrip('.')}.",
                    choices=tuple(self.kb.primary(c).title for c in options),  # type: ignore[union-attr]
                    answer=0,
                    explanation=rule.rule,
                    level="medium" if status.level != "hard" else "hard",
                    topic=_topic(answer),
                    codes=tuple(options),
                    learn=answer,
                )
            )
        return questions

    # -- drawing ----------------------------------------------------------------
    def pool(self, *, level: str = "mixed", topic: str = "all", pack: str = "", typed: bool = False) -> list[Question]:
        """The questions a game with these settings draws from (typed mode: those answered by a code)."""
        chosen = [q for q in self.questions if (q.kind == "pack") == bool(pack)]
        if typed:
            # the answer must be a code the player can type, and the prompt must not give it away
            chosen = [q for q in chosen if q.codes and q.kind in TYPED_KINDS and str(q.codes[q.answer]) not in q.prompt]
        if pack:
            chosen = [q for q in chosen if q.id.startswith(f"pack:{pack}:")]
        if level != "mixed":
            chosen = [q for q in chosen if q.level == level]
        if topic != "all":
            chosen = [q for q in chosen if q.topic == topic]
        return chosen

    def draw(self, count: int, rng: random.Random, **settings: Any) -> list[Question]:
        """``count`` different questions with shuffled choices (fewer if the pool is smaller)."""
        pool = self.pool(**settings)
        picked = rng.sample(pool, min(count, len(pool)))
        return [q.shuffled(rng) for q in picked]
