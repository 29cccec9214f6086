"""The question bank, generated from the catalogue, its situation phrases, its confusions and the lesson.

Every question must have exactly one right choice and must not give it away. So distractors come
only from codes that are clearly wrong: never a code the catalogue pairs with the answer as easily
confused, nor one its "when not to use it" notes send people to instead (dilemmas are the exception:
they name the one tempting code, and their situation says why it is wrong). Each prompt carries the
fact that decides it, and a wording that names the answer, or a stem of its name, is not used.
"""

from __future__ import annotations

import random
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from bot.quiz.checks import gives_away
from bot.quiz.options import CHOICES as OPTION_VALUES
from bot.quiz.question import Question
from knowledge import Example, HouseRule, Knowledge, Mistake, Situation, Status, ruling

CHOICES = 4
TYPED_KINDS = ("situation", "meaning", "mistake", "dilemma", "pack")
CLOSING = (
    "A user tries to update another user's profile. They are logged in, but they don't have permission. "
    "What should the API return?"
)
HEADERS = ("Location", "WWW-Authenticate", "Allow", "ETag", "Content-Range", "Retry-After", "Vary")
_SENTENCE_END = re.compile(r"(?<!e\.g)(?<!i\.e)(?<!etc)\.\s")
_CLAUSES = re.compile(r": |; ")
_ANY_CODE = re.compile(r"(?<!\d)[1-5]\d\d(?!\d)")


def _rng(key: str) -> random.Random:
    # seeded by the question's id, so the bank is the same in every process
    return random.Random(zlib.crc32(key.encode()))


_QUESTION_START = frozenset(
    ["what", "which", "should", "how", "why", "is", "are", "do", "does", "can", "could", "would"]
)


def _asks(phrase: str) -> bool:
    """True for a phrase written as a question ("what do i return when…", "…allowed??")."""
    return "?" in phrase or phrase.split(maxsplit=1)[0].lower() in _QUESTION_START


def _quizzable(status: Status) -> bool:
    return status.official and not status.unused and not status.deprecated


def _topic(code: int) -> str:
    return f"{code // 100}xx"


def _names(status: Status) -> tuple[str, ...]:
    return (status.phrase, status.name, *status.aliases)


def _first_sentence(text: str) -> str:
    return _SENTENCE_END.split(text, maxsplit=1)[0].rstrip(".") + "."


def _clauses(note: str) -> list[str]:
    """The whole note, then each of its clauses: a clause may decide the question without the giveaway."""
    parts = [note, *(p for p in _CLAUSES.split(note) if len(p.split()) >= 4)]
    return list(dict.fromkeys(p.strip().rstrip(".") for p in parts))


def key_code(question: Question) -> int:
    """The code a question is about (what a game should not ask twice)."""
    return question.learn or (question.codes[question.answer] if question.codes else 0)


def reverse_pair(a: Question, b: Question) -> bool:
    """ "What does 409 mean?" and "Which code means …" for the same code: each answers the other."""
    return {a.kind, b.kind} == {"meaning", "code"} and key_code(a) == key_code(b)


class Bank:
    """Every generated question, with the lookups a game needs to draw from it."""

    def __init__(self, kb: Knowledge, situations: Iterable[Situation], extra: Iterable[Question] = ()) -> None:
        self.kb = kb
        self.codes = [s.code for s in kb.catalogue.statuses if _quizzable(s)]
        self._near = self._near_codes()
        questions: list[Question] = []
        questions += self._lesson()
        questions += self._situations(situations)
        questions += self._meanings()
        questions += self._families()
        questions += self._mistakes()
        questions += self._dilemmas()
        questions += [_typed_pack(q) for q in extra]
        self.questions = tuple(questions)
        self.by_id = {q.id: q for q in self.questions}
        if len(self.by_id) != len(self.questions):  # stored games and drills name questions by id
            twice = sorted(qid for qid, n in Counter(q.id for q in self.questions).items() if n > 1)
            raise ValueError(f"quiz bank: two questions share the id {', '.join(twice)}")
        self._pools: dict[tuple[Any, ...], tuple[Question, ...]] = {}

    # -- what is wrong for sure ---------------------------------------------------
    def _near_codes(self) -> dict[int, set[int]]:
        near: dict[int, set[int]] = defaultdict(set)
        for rule in self.kb.catalogue.confusions:
            for code in rule.codes:
                near[code] |= set(rule.codes) - {code}
        for status in self.kb.catalogue.statuses:
            for alternative in status.not_for:
                near[status.code].add(alternative.instead)
                near[alternative.instead].add(status.code)
        return near

    def acceptable(self, code: int) -> set[int]:
        """Codes that may be right, or arguably right, wherever ``code`` is: never offered as wrong choices."""
        return {code} | self._near[code]

    def distractors(self, code: int, key: str, count: int = CHOICES - 1, avoid: Iterable[int] = ()) -> list[int]:
        """Clearly wrong codes: ``code``'s family's common ones first, then the other families' key codes."""
        excluded = self.acceptable(code) | set(avoid)
        family = [s.code for s in self.kb.family_members(_topic(code), official_only=True)][:10]
        others = [c for f in self.kb.catalogue.families for c in f.key_codes if f.label != _topic(code)]
        picked: list[int] = []
        rng = _rng(key)
        for pool in (family, others):
            candidates = [c for c in pool if c in self.codes and c not in excluded and c not in picked]
            rng.shuffle(candidates)
            picked += candidates[: count - len(picked)]
        return picked

    def _status(self, code: int) -> Status:
        status = self.kb.primary(code)
        assert status is not None, code
        return status

    def _names_a_code(self, text: str) -> bool:
        # "answer 400, never 500" decides by number; "user 123" is no status code
        return any(self.kb.primary(int(n)) is not None for n in _ANY_CODE.findall(text))

    def _clean(self, prompt: str, code: int) -> bool:
        return not gives_away(prompt, _names(self._status(code)), code)

    def _code_question(
        self,
        qid: str,
        kind: str,
        prompt: str,
        code: int,
        explanation: str,
        *,
        topic: str = "",
        level: str = "",
        tempting: tuple[int, ...] = (),
        avoid: Iterable[int] = (),
        situation: str = "",
    ) -> Question:
        """A question answered by ``code``; ``tempting`` codes are offered although the prompt rules them out."""
        wrong = self.distractors(code, qid, CHOICES - 1 - len(tempting), avoid=(*avoid, *tempting))
        codes = (code, *tempting, *wrong)
        return Question(
            id=qid,
            kind=kind,
            prompt=prompt,
            choices=tuple(self._status(c).title for c in codes),
            answer=0,
            explanation=explanation,
            level=level or self._status(code).level,
            topic=topic or _topic(code),
            codes=codes,
            learn=code,
            situation=situation,
        )

    # -- the lesson's examples ------------------------------------------------------
    def _lesson_statuses(self) -> list[Status]:
        return [s for s in self.kb.catalogue.statuses if s.official and s.level == "easy" and s.code >= 200]

    def _situation_of(self, example: Example, code: int) -> str:
        """``POST /users (another account already uses this email)``: the request and the fact that decides it."""
        request = example.request.splitlines()[0]
        for clause in _clauses(example.note):
            line = f"{request} ({clause})"
            if self._clean(line, code) and not self._names_a_code(clause):
                return line
        return ""

    def _lesson(self) -> list[Question]:
        questions = []
        for status in self._lesson_statuses():
            for n, example in enumerate(status.examples):
                situation = self._situation_of(example, status.code)
                if situation:
                    prompt = f"{situation}\nWhich status should the API send?"
                    why = f"{status.title}: {example.note}."
                    qid = f"lesson:{status.code}" + (f":{n + 1}" if n else "")
                    questions.append(
                        self._code_question(qid, "situation", prompt, status.code, why, situation=situation)
                    )
        why = "They are authenticated, so it isn't 401; they lack permission for someone else's profile: 403."
        closing = _SENTENCE_END.split(CLOSING)
        questions.append(
            self._code_question(
                "lesson:closing", "situation", CLOSING, 403, why, tempting=(401,), situation=" ".join(closing[:-1])
            )
        )
        return questions

    # -- situations, meanings, families --------------------------------------------------
    def _situations(self, situations: Iterable[Situation]) -> list[Question]:
        questions = []
        for situation in situations:
            status = self.kb.primary(situation.code)
            if status is None or not _quizzable(status) or situation.origin:
                continue
            # named by its reason, not its place among the situations: a game or practice drill stored before
            # someone adds a situation still finds its own question afterwards
            qid = f"situation:{situation.code}:{zlib.crc32(situation.reason.encode()):08x}"
            phrases = [p for p in situation.phrases if len(p.split()) >= 4]
            # a situation stated reads better in a prompt than a question someone asked about it
            phrases = [p for p in phrases if not _asks(p)] or phrases
            _rng(qid).shuffle(phrases)
            prompts = ((f"Situation: “{phrase}”. Which status code fits?", phrase) for phrase in phrases)
            prompt, phrase = next(((p, s) for p, s in prompts if self._clean(p, situation.code)), ("", ""))
            if prompt:
                why = f"{status.title}: {situation.reason}."
                questions.append(self._code_question(qid, "situation", prompt, situation.code, why, situation=phrase))
        return questions

    def _meanings(self) -> list[Question]:
        questions = []
        for code in self.codes:
            status = self._status(code)
            for text in (status.summary, _first_sentence(status.use_when)):
                prompt = f"{text}\nWhich status code fits this description?"
                if self._clean(prompt, code):
                    why = f"{status.title}: {status.use_when}"
                    questions.append(self._code_question(f"meaning-to-code:{code}", "meaning", prompt, code, why))
                    break
            options = [status, *(self._status(c) for c in self.distractors(code, f"code-to-meaning:{code}"))]
            if any(self._names_a_code(s.summary) for s in options):
                continue  # a summary naming a code would match the prompt's number, not its meaning
            questions.append(
                Question(
                    id=f"code-to-meaning:{code}",
                    kind="code",
                    prompt=f"What does {code} mean?",
                    choices=tuple(s.summary for s in options),
                    answer=0,
                    explanation=f"{status.title}: {status.summary}",
                    level=status.level,
                    topic=_topic(code),
                    codes=tuple(s.code for s in options),
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
                    topic=family.label,
                    codes=tuple(int(f.label[0]) * 100 for f in options),
                    learn=family.key_codes[0],
                )
            )
        return questions

    # -- the lesson's common mistakes -------------------------------------------------------
    def _mistake_situation(self, mistake: Mistake) -> str:
        """The mistake's situation, told by the lesson's own example of the right code."""
        right = self._status(mistake.right[0])
        first_line = mistake.example.splitlines()[0]
        examples = sorted(right.examples, key=lambda e: e.request.splitlines()[0] != first_line)
        return next(filter(None, (self._situation_of(e, right.code) for e in examples)), "")

    def _mistakes(self) -> list[Question]:
        questions = []
        for mistake in self.kb.catalogue.mistakes:
            if mistake.missing_header:
                questions.append(self._missing_header(mistake))
                continue
            situation = self._mistake_situation(mistake)
            if not situation:
                continue
            wrong = self._status(mistake.wrong).title
            prompt = f"{situation} → {wrong}\nThat answer is a common mistake. Which status should the API send?"
            questions.append(
                self._code_question(
                    f"mistake:{mistake.id}",
                    "mistake",
                    prompt,
                    mistake.right[0],
                    mistake.explanation,
                    topic="mistakes",
                    level="easy",
                    avoid=(*mistake.right, mistake.wrong),
                    situation=situation,
                )
            )
            questions.append(self._which_mistake(mistake, f"{situation} → {wrong}"))
        return questions

    def _which_mistake(self, mistake: Mistake, shown: str) -> Question:
        """Four exchanges in one format; only the mistake's status is wrong for its situation."""
        qid = f"which-mistake:{mistake.id}"
        avoid = {c for code in mistake.codes for c in self.acceptable(code)}
        fine = [
            (status.code, line)
            for status in self._lesson_statuses()
            if status.code not in avoid
            for line in (self._situation_of(e, status.code) for e in status.examples[:1])
            if line
        ]
        _rng(qid).shuffle(fine)
        picked: list[tuple[int, str]] = []
        for code, line in fine:
            if all(code != c for c, _ in picked) and len(picked) < CHOICES - 1:
                picked.append((code, line))
        return Question(
            id=qid,
            kind="which-mistake",
            prompt="Which of these exchanges is a common status code mistake?",
            choices=(shown, *(f"{line} → {self._status(code).title}" for code, line in picked)),
            answer=0,
            explanation=f"{mistake.title}. {mistake.tip}",
            level="medium",
            topic="mistakes",
            codes=(mistake.wrong, *(code for code, _ in picked)),
            learn=mistake.right[0],
        )

    def _missing_header(self, mistake: Mistake) -> Question:
        status = self._status(mistake.wrong)
        belongs = {h.name for h in status.headers}
        others = [h for h in HEADERS if h not in belongs and h != mistake.missing_header]
        _rng(f"mistake:{mistake.id}").shuffle(others)
        return Question(
            id=f"mistake:{mistake.id}",
            kind="mistake",
            prompt=f"Which header should every {status.title} response carry?",
            choices=(mistake.missing_header, *others[: CHOICES - 1]),
            answer=0,
            explanation=mistake.explanation,
            level="easy",
            topic="mistakes",
            learn=mistake.wrong,
        )

    # -- dilemmas: the code people reach for, and the fact that rules it out -----------------
    def _dilemmas(self) -> list[Question]:
        questions = []
        for status in self.kb.catalogue.statuses:
            if status.code not in self.codes:
                continue
            for alternative in status.not_for:
                answer = alternative.instead
                if answer not in self.codes or answer == status.code:
                    continue
                when = alternative.when.rstrip(".")
                prompt = f"When {when}, which status code fits instead of {status.title}?"
                if not self._clean(prompt, answer):
                    continue
                rule = self.kb.rule_between(status.code, answer)
                right = self._status(answer)
                hard = "hard" in (status.level, right.level)
                questions.append(
                    self._code_question(
                        f"dilemma:{status.code}-{answer}",
                        "dilemma",
                        prompt,
                        answer,
                        rule.rule if rule else f"{right.title}: {_first_sentence(right.use_when)}",
                        level="hard" if hard else "medium",
                        tempting=(status.code,),
                        avoid=self.acceptable(status.code),
                        situation=when,
                    )
                )
        return questions

    # -- house rules ----------------------------------------------------------------
    def under_house_rules(self, question: Question, rules: Sequence[HouseRule]) -> Question:
        """The question as a team plays it when one of its house rules covers the question's situation: the rule's
        code takes the RFC answer's place as the one right choice (a distractor it would repeat is replaced)."""
        found = ruling(self.kb, rules, question.situation) if question.situation and question.codes else None
        if found is None or question.codes[question.answer] == found.rule.code:
            return question
        code = found.rule.code
        codes = list(question.codes)
        if code in codes:
            spare = self.distractors(code, question.id, 1, avoid=(*codes, *self.acceptable(codes[question.answer])))
            codes[codes.index(code)] = spare[0] if spare else codes[question.answer]
        codes[question.answer] = code
        return question._replace(codes=tuple(codes), choices=tuple(self._status(c).title for c in codes))

    # -- drawing ----------------------------------------------------------------
    def pool(self, *, level: str = "mixed", topic: str = "all", pack: str = "", typed: bool = False) -> list[Question]:
        """The questions a game with these settings draws from (typed mode: those answered by a code)."""
        key = (level, topic, pack, typed)
        if key not in self._pools:
            self._pools[key] = tuple(self._select(level=level, topic=topic, pack=pack, typed=typed))
        return list(self._pools[key])

    def _select(self, *, level: str, topic: str, pack: str, typed: bool) -> Iterator[Question]:
        for q in self.questions:
            if (q.kind == "pack") != bool(pack) or (pack and not q.id.startswith(f"pack:{pack}:")):
                continue
            if typed and not (q.codes and q.kind in TYPED_KINDS):
                continue  # the answer must be a code the player can type
            if level not in ("mixed", q.level) or topic not in ("all", q.topic):
                continue
            yield q

    def why_empty(self, *, level: str = "mixed", topic: str = "all", pack: str = "", typed: bool = False) -> str:
        """What to change when no question matches: each setting's values that would give a game."""
        current = {"level": level, "topic": topic, "mode": "typed" if typed else "buttons"}

        def works(settings: dict[str, str]) -> bool:
            return bool(
                self.pool(
                    level=settings["level"], topic=settings["topic"], pack=pack, typed=settings["mode"] == "typed"
                )
            )

        hints = []
        for setting in current:
            options = OPTION_VALUES[setting]
            working = [v for v in options if v != current[setting] and works({**current, setting: v})]
            if working:
                hints.append(f"{setting}:{'|'.join(working)}")
        asked = " ".join(f"{k}:{v}" for k, v in current.items() if v not in ("mixed", "all", "buttons"))
        asked = " ".join(filter(None, (f"pack:{pack}" if pack else "", asked)))
        change = ", or ".join(hints) if hints else "another pack"
        return f"Nothing matches {asked or 'these settings'}. Try {change}."

    def draw(self, count: int, rng: random.Random, **settings: Any) -> list[Question]:
        """``count`` questions with shuffled choices (fewer if the pool is smaller).

        A game asks about each code at most once (more often only when the pool has too few codes),
        never asks the reverse of a question it already asked, and takes turns between kinds of question.
        """
        pool = list(self.pool(**settings))
        rng.shuffle(pool)
        by_kind: dict[str, list[Question]] = defaultdict(list)
        for question in pool:
            by_kind[question.kind].append(question)
        kinds = list(by_kind)
        rng.shuffle(kinds)
        picked: list[Question] = []
        uses: Counter[int] = Counter()
        for most in range(1, count + 1):
            # each code once; when the pool has too few codes, twice, then as evenly as it allows
            if len(picked) == count or not any(by_kind.values()):
                break
            progress = True
            while len(picked) < count and progress:
                progress = False
                for kind in kinds:
                    found = next((q for q in by_kind[kind] if self._fits(q, picked, uses, most)), None)
                    if found is not None and len(picked) < count:
                        by_kind[kind].remove(found)
                        picked.append(found)
                        uses[key_code(found)] += 1
                        progress = True
        rng.shuffle(picked)
        return [q.shuffled(rng) for q in picked]

    @staticmethod
    def _fits(question: Question, picked: list[Question], uses: Counter[int], most: int) -> bool:
        code = key_code(question)
        return (not code or uses[code] < most) and not any(reverse_pair(question, p) for p in picked)


def _typed_pack(question: Question) -> Question:
    """A pack question whose choices each start with a different code can be answered by typing the code."""
    numbers = [re.match(r"([1-5]\d\d)\b", choice) for choice in question.choices]
    codes = tuple(int(m.group(1)) for m in numbers if m)
    if question.codes or len(codes) != len(question.choices) or len(set(codes)) != len(codes):
        return question
    return question._replace(codes=codes)
