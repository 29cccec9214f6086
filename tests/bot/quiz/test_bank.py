"""The question bank and custom packs."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from bot.quiz.bank import CLOSING, Bank
from bot.quiz.packs import load_pack, load_packs
from knowledge import CatalogueError, knowledge, situations

KB = knowledge()


@pytest.fixture(scope="module")
def bank() -> Bank:
    return Bank(KB, situations(), load_packs())


def test_every_kind_of_question_is_generated(bank):
    kinds = Counter(q.kind for q in bank.questions)
    for kind in ("situation", "meaning", "code", "family", "mistake", "which-mistake", "dilemma", "pack"):
        assert kinds[kind] > 0, kind
    assert any(q.prompt == CLOSING and q.correct.startswith("403") for q in bank.questions)
    dilemmas = {q.id for q in bank.questions if q.kind == "dilemma"}
    for pair in ("401-403", "400-422", "502-504", "301-308"):
        assert any(pair in qid for qid in dilemmas), pair


def test_choices_are_distinct_and_distractors_plausible(bank):
    for question in bank.questions:
        assert len(set(question.choices)) == len(question.choices), question.id
        assert 0 <= question.answer < len(question.choices)
        if question.kind in ("situation", "meaning") and question.codes:
            right = question.codes[question.answer]
            for code in question.codes:
                related = code // 100 == right // 100 or KB.rule_between(code, right) is not None
                assert related, (question.id, code)


def test_the_right_choice_lands_anywhere(bank):
    positions = Counter(q.answer for q in bank.draw(200, random.Random(1)))
    assert len(positions) == 4 and min(positions.values()) > 20


def test_levels_and_topics_filter(bank):
    easy = bank.pool(level="easy")
    assert easy and all(q.level == "easy" for q in easy)
    assert all(q.topic == "4xx" for q in bank.pool(topic="4xx"))
    assert all(q.topic == "mistakes" for q in bank.pool(topic="mistakes"))
    assert all(q.id.startswith("pack:rest-basics:") for q in bank.pool(pack="rest-basics"))


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
