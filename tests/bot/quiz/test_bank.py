"""The question bank and custom packs: every question answerable, one right choice, no giveaway."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from bot.quiz.bank import CLOSING, Bank, key_code, reverse_pair
from bot.quiz.checks import balanced, gives_away, option_shape
from bot.quiz.packs import load_pack, load_packs
from bot.quiz.question import Question
from knowledge import CatalogueError, knowledge, situations

KB = knowledge()
LEVELS = ("easy", "medium", "hard", "mixed")
TOPICS = ("2xx", "3xx", "4xx", "5xx", "mistakes", "all")


@pytest.fixture(scope="module")
def bank() -> Bank:
    return Bank(KB, situations(), load_packs())


def near(code: int) -> set[int]:
    """Codes that could also be right where ``code`` is, by the catalogue's own data."""
    codes = {c for rule in KB.confusions_of(code) for c in rule.codes}
    codes |= {a.instead for s in KB.meanings(code) for a in s.not_for}
    codes |= {s.code for s in KB.catalogue.statuses for a in s.not_for if a.instead == code}
    return codes - {code}


def names(code: int) -> tuple[str, ...]:
    status = KB.primary(code)
    assert status is not None
    return (status.phrase, status.name, *status.aliases)


def answer_code(question: Question) -> int:
    if question.kind in ("code", "family", "which-mistake"):
        return 0  # answered by a meaning or an exchange, not by a code
    if question.codes:
        return question.codes[question.answer]
    match = re.match(r"([1-5]\d\d) ", question.correct)
    return int(match.group(1)) if match else 0


def test_every_kind_of_question_is_generated(bank):
    kinds = Counter(q.kind for q in bank.questions)
    for kind in ("situation", "meaning", "code", "family", "mistake", "which-mistake", "dilemma", "pack"):
        assert kinds[kind] >= 4, kind
    assert any(q.prompt == CLOSING and q.correct == "403 Forbidden" for q in bank.questions)
    assert kinds["dilemma"] >= 48


def test_every_question_has_exactly_one_right_choice_and_no_giveaway(bank):
    problems = []
    for q in bank.questions:
        code = answer_code(q)
        if len(set(q.choices)) != len(q.choices) or not 0 <= q.answer < len(q.choices) or len(q.choices) < 2:
            problems.append((q.id, "choices"))
        if code and q.codes and q.kind != "pack":  # a pack's own wording ("200 OK with an empty list") decides
            offered = set(q.codes) - {code}
            # a dilemma names the code people reach for and says why it is wrong; the closing question says
            # "they are logged in", which rules out 401
            allowed = set(map(int, re.findall(r"(?<!\d)[1-5]\d\d(?!\d)", q.prompt))) if q.kind == "dilemma" else set()
            allowed |= {401} if q.id == "lesson:closing" else set()
            if offered & near(code) - allowed:
                problems.append((q.id, "also right", sorted(offered & near(code))))
        if code and gives_away(q.prompt, names(code), code):
            problems.append((q.id, gives_away(q.prompt, names(code), code)))
        if q.kind == "mistake" and not q.codes and gives_away(q.prompt, (q.correct,)):
            problems.append((q.id, "header named"))
        if len({option_shape(c) for c in q.choices}) != 1:
            problems.append((q.id, "formats", [option_shape(c) for c in q.choices]))
        if not all(balanced(text) for text in (q.prompt, *q.choices)) or not q.prompt.rstrip().endswith("?"):
            problems.append((q.id, "unfinished text"))
    assert problems == []


def test_dilemmas_name_the_tempting_code_and_the_fact_that_rules_it_out(bank):
    dilemmas = [q for q in bank.questions if q.kind == "dilemma"]
    assert len({q.prompt for q in dilemmas}) == len(dilemmas)
    assert all(len(q.choices) == 4 for q in dilemmas)
    q = bank.by_id["dilemma:401-403"]
    assert q.prompt == (
        "When the caller is authenticated but lacks permission for this action, which status code fits instead "
        "of 401 Unauthorized?"
    )
    assert q.correct == "403 Forbidden" and q.choices[1] == "401 Unauthorized"
    assert "e.g." in " ".join(q.prompt for q in dilemmas)  # not cut at "e.g."


def test_no_two_questions_share_a_prompt(bank):
    prompts = Counter(q.prompt for q in bank.questions if q.kind not in ("code", "family", "which-mistake"))
    assert [p for p, n in prompts.items() if n > 1] == []


def test_lesson_questions_carry_the_fact_that_decides_them(bank):
    assert bank.by_id["lesson:409"].prompt == (
        "POST /users (another account already uses this email)\nWhich status should the API send?"
    )
    assert bank.by_id["lesson:401"].prompt.startswith("GET /users (no auth token was sent with the request)")
    assert bank.by_id["lesson:500"].prompt != bank.by_id["lesson:401"].prompt
    assert "for now" in bank.by_id["lesson:302"].prompt


def test_the_issues_giveaways_are_caught():
    assert gives_away("Situation: “bad gateway”. Which status code fits?", names(502), 502)
    assert gives_away("Situation: “method not implemented”.", names(501), 501)
    assert gives_away("the document locked by another user", names(423), 423)
    assert gives_away("the upload created a new file", names(201), 201)
    assert gives_away("lots of request timeouts", names(408), 408)
    assert gives_away("Leaving out retry information", ("Retry-After",))
    assert gives_away("Confusing 401 and 403", names(401), 401)
    assert not gives_away("GET /users (no auth token was sent with the request)", names(401), 401)
    # a framework's exception name spells the code's name; "not supported" is "unsupported" said another way
    assert gives_away("Spring HttpMediaTypeNotSupportedException", names(415), 415) == "says 'media', like 'media'"
    assert gives_away("the upload's format is not supported", names(415), 415) == (
        "says 'supported', like 'unsupported'"
    )
    assert gives_away("not enough space left on the volume", names(507), 507) == ""


def test_the_wrong_nginx_phrase_and_two_right_answers_are_gone(bank):
    prompts = " ".join(q.prompt for q in bank.questions)
    assert "$request_uri" not in prompts
    mistake = bank.by_id["mistake:2"]
    assert mistake.correct == "422 Unprocessable Content" and "400 Bad Request" not in mistake.choices
    assert "404 Not Found" not in bank.by_id["mistake:4"].choices


def test_which_mistake_options_share_one_format(bank):
    q = bank.by_id["which-mistake:3"]
    assert q.correct == "GET /users (no auth token was sent with the request) → 403 Forbidden"
    assert all(" (" in c and " → " in c for c in q.choices)


def test_the_right_choice_lands_anywhere(bank):
    positions = Counter(q.answer for _ in range(20) for q in bank.draw(10, random.Random(_)))
    assert len(positions) == 4 and min(positions.values()) > 20


def test_levels_and_topics_filter(bank):
    easy = bank.pool(level="easy")
    assert easy and all(q.level == "easy" for q in easy)
    assert all(q.topic == "4xx" for q in bank.pool(topic="4xx"))
    assert all(q.topic == "mistakes" for q in bank.pool(topic="mistakes"))
    assert all(q.id.startswith("pack:rest-basics:") for q in bank.pool(pack="rest-basics"))


def test_a_thousand_games_per_level_and_topic_ask_each_code_once(bank):
    rng = random.Random(409)
    for level in LEVELS:
        for topic in TOPICS:
            pool = bank.pool(level=level, topic=topic)
            if not pool:
                continue  # no hard questions on mistakes: the game says what to change instead
            distinct = len({key_code(q) for q in pool})
            pairs = sum(reverse_pair(a, b) for a in pool for b in pool) // 2  # only one of each can be asked
            for _ in range(1000):
                game = bank.draw(10, rng, level=level, topic=topic)
                uses = Counter(key_code(q) for q in game)
                assert max(uses.values()) <= -(-len(game) // distinct), (level, topic, uses)
                assert not any(reverse_pair(a, b) for a in game for b in game if a is not b)
                assert len(game) == min(10, len(pool) - pairs)


def test_a_default_game_spreads_over_kinds_of_question(bank):
    kinds = [len({q.kind for q in bank.draw(10, random.Random(n))}) for n in range(200)]
    assert min(kinds) >= 4


def test_empty_settings_say_what_to_change(bank):
    assert bank.pool(level="hard", topic="mistakes") == []
    assert bank.why_empty(level="hard", topic="mistakes") == (
        "Nothing matches level:hard topic:mistakes. Try level:easy|medium|mixed, or topic:2xx|3xx|4xx|5xx|all."
    )


def test_the_example_pack_plays_typed(bank):
    typed = bank.pool(pack="rest-basics", typed=True)
    assert len(typed) == 4 and typed[0].codes == (201, 200, 202, 204)


def test_a_team_pack_from_quiz_packs_dir(tmp_path, monkeypatch):
    (tmp_path / "ours.toml").write_text(
        'title = "Ours"\n[[question]]\nprompt = "Our API answers a duplicate slug with?"\n'
        'choices = ["409 Conflict", "400 Bad Request"]\nanswer = "409 Conflict"\nexplanation = "House rule."\n'
        'level = "easy"\ntopic = "4xx"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("QUIZ_PACKS_DIR", str(tmp_path))
    assert any(q.id == "pack:ours:1" for q in load_packs())


PACK = 'title = "X"\n[[question]]\nprompt = "p"\nexplanation = "e"\nlevel = "easy"\n'


@pytest.mark.parametrize(
    "body,message",
    [
        (PACK + 'choices = ["a", "b"]\nanswer = "c"\ntopic = "4xx"\n', r"question 1: field 'answer' must be one of"),
        (PACK + 'choices = ["a", "b"]\nanswer = "a"\ntopic = "6xx"\n', r"question 1: field 'topic' must be one of"),
        (PACK + 'choices = ["a"]\nanswer = "a"\ntopic = "4xx"\n', r"question 1: field 'choices' needs at least 2"),
        (
            PACK + 'choices = ["a", "b"]\nanswer = "a"\ntopic = "4xx"\ncolour = 1\n',
            r"question 1: unknown field 'colour'",
        ),
    ],
)
def test_a_broken_pack_names_file_question_and_field(tmp_path, body, message):
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"bad\.toml: " + message):
        load_pack(path)


def test_typed_mode_never_gives_the_answer_away(bank):
    typed = bank.pool(typed=True)
    assert typed
    for question in typed:
        assert question.codes and str(question.codes[question.answer]) not in question.prompt
