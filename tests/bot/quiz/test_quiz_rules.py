"""The quiz's rules at their edges, as players meet them: a game nobody wins, a restart that ends games, the
practice drill's replies and boxes, settings that match nothing, broken packs, and /quiz start options."""

from __future__ import annotations

import logging
import random
import uuid
from collections import Counter
from pathlib import Path
from unittest import mock

import pytest
from sqlalchemy import Engine

from bot.quiz.bank import Bank
from bot.quiz.game import Game, Outcome, Settings
from bot.quiz.options import OptionError, read_options, settings_from
from bot.quiz.packs import SHIPPED, broken_packs, load_pack, load_packs, pack_problem
from bot.quiz.practice import Practice
from bot.quiz.question import Question
from bot.quiz.service import QuizService
from bot.reply import Action, Field, Reply
from bot.storage.quiz_store import QuizStore
from knowledge import CatalogueError
from tests.bot.quiz.test_game import FakeClock
from tests.bot.quiz.test_quiz_replies import ANA, BEN, CAI, GAME, HERE, KB, PACK, bank, chat_on, start, told

__all__ = ["bank"]  # the fixture, shared with the replies' tests


def slug_question(answer: int = 0) -> Question:
    choices = ("409 Conflict", "400 Bad Request", "422 Unprocessable Content")
    codes = (409, 400, 422)
    order = [answer, *(i for i in range(3) if i != answer)]  # "409 Conflict" at position ``answer``
    placed = [0] * 3
    for position, source in zip(order, range(3), strict=True):
        placed[position] = source
    return Question(
        "q1",
        "pack",
        "Our API answers a duplicate slug with?",
        tuple(choices[i] for i in placed),
        answer,
        "House rule.",
        "easy",
        "4xx",
        tuple(codes[i] for i in placed),
    )


def game_of(*questions: Question, seconds: int = 20, teams: bool = False) -> tuple[Game, FakeClock]:
    clock = FakeClock()
    game = Game("g", "C", ANA, Settings(len(questions), seconds, teams=teams), list(questions), clock)
    game.start()
    return game, clock


# -- games ----------------------------------------------------------------------
def test_a_game_nobody_wins_ends_without_a_winner_fastest_or_streak(sqlite_engine: Engine, bank: Bank) -> None:
    clock = FakeClock()
    chat = chat_on(sqlite_engine, bank, clock)
    start(chat, "pack:ours questions:1")
    clock.advance(3)
    chat.click(f"{GAME}:0:0", BEN, HERE)  # 400 Bad Request: wrong
    assert chat.command("stop", "", ANA, HERE) == [
        Reply(
            title="Game over",
            text="Ended: stopped.",
            fields=(Field("Standings", "1. Ben: 0 pts (0/1 right)"),),
            colour="green",
        )
    ]


def test_a_question_nobody_got_right_says_so_at_the_reveal(sqlite_engine: Engine, bank: Bank) -> None:
    clock = FakeClock()
    chat = chat_on(sqlite_engine, bank, clock)
    start(chat, "pack:ours questions:2 seconds:20")
    chat.click(f"{GAME}:0:0", BEN, HERE)  # 400 Bad Request: wrong
    clock.advance(20)
    assert chat.tick("C1")[0] == Reply(
        title="Answer: 409 Conflict",
        text="House rule: a slug is unique.",
        fields=(Field("Who", "Nobody got it this time."),),
        colour="yellow",
        actions=(Action("statusbot.card", "Learn more", "v1:409"),),
        key="quiz:0000000000000000:0",
    )


def test_scores_before_anyone_answered(sqlite_engine: Engine, bank: Bank) -> None:
    chat = chat_on(sqlite_engine, bank, FakeClock())
    start(chat, "pack:ours questions:1")
    assert chat.command("score", "", ANA, HERE) == [
        Reply(
            title="Scores after 0 of 1 question",
            fields=(Field("Standings", "Nobody has answered yet."),),
            colour="green",
        )
    ]


def test_a_restart_that_closes_games_says_so_and_keeps_the_scores(sqlite_engine: Engine, bank: Bank) -> None:
    clock = FakeClock()
    chat = chat_on(sqlite_engine, bank, clock)
    start(chat, "pack:ours questions:2 seconds:20")
    clock.advance(3)
    chat.click(f"{GAME}:0:0", BEN, HERE)
    assert chat_on(sqlite_engine, bank, clock).after_restart(close=True) == {
        "C1": [
            Reply(title="The quiz bot restarted", text="This game has ended; its scores are kept."),
            Reply(
                title="Game over",
                text="Ended: the bot restarted.",
                fields=(Field("Standings", "1. Ben: 0 pts (0/1 right)"),),
                colour="green",
            ),
        ]
    }
    assert chat.command("leaderboard", "", ANA, HERE)[0].text == "1. Ben: 0 pts · 1 game · 0 wins"


def test_resuming_after_a_restart_keeps_games_running_unless_asked_to_close(sqlite_engine: Engine, bank: Bank) -> None:
    clock = FakeClock()
    chat = chat_on(sqlite_engine, bank, clock)
    start(chat, "pack:ours questions:2 seconds:20")
    service = QuizService(QuizStore(sqlite_engine, clock, questions=bank.by_id.get), bank, KB, clock)
    [(channel, step)] = service.resume()
    assert channel == "C1" and step.events == [] and step.game is not None and step.game.phase == "asking"
    assert service.store.running() == ["C1"]


def test_stopping_a_finished_game_again_changes_nothing() -> None:
    game, _ = game_of(slug_question())
    assert [event.kind for event in game.stop(ANA) or []] == ["finished"]
    assert game.stop(ANA) == []
    assert game.stop(BEN) is None  # and nobody else may


def test_a_typed_code_not_offered_is_wrong_and_after_the_end_closed() -> None:
    game, clock = game_of(slug_question(answer=1))
    clock.advance(5)
    assert game.answer_codes(BEN, {500}) == Outcome("accepted", False, False, 0)  # not a choice: wrong, never B
    assert game.answer_codes(CAI, {409, 400}) == Outcome("accepted", False, False, 0)  # two codes: nothing
    assert game.answer_codes(ANA, {409}) == Outcome("accepted", True, True, 163)
    game.stop(ANA)
    assert game.answer_codes(ANA, {409}) == Outcome("closed")


def test_the_fastest_player_is_not_the_first_to_answer_and_may_be_instant() -> None:
    game, clock = game_of(slug_question(), slug_question()._replace(id="q2"))
    clock.advance(6)
    game.answer(BEN, 0)
    game.skip(ANA)
    clock.advance(2)
    game.answer(ANA, 0)
    fastest = game.fastest()
    assert fastest is not None and (fastest.player, fastest.fastest) == (ANA, 2.0)
    game.answer(CAI, 1)  # wrong: no time to beat
    game, clock = game_of(slug_question())
    clock.advance(0.5)
    game.answer(BEN, 0)
    clock.advance(-0.5)
    game.answer(CAI, 0)  # at once: 0.0 s
    fastest = game.fastest()
    assert fastest is not None and (fastest.player, fastest.fastest) == (CAI, 0.0)


def test_tied_teams_rank_by_the_sum_of_their_members_times() -> None:
    game, clock = game_of(slug_question(), teams=True)
    for player, team in ((ANA, "Red"), (CAI, "Red"), (BEN, "Blue")):
        game.join(player, team)
    clock.advance(3)
    game.answer(CAI, 1)
    clock.advance(1)
    game.answer(ANA, 1)
    clock.advance(1)
    game.answer(BEN, 1)
    # all wrong, so tied on 0 points: Blue took 5 s in all, Red 3 s + 4 s
    assert game.team_scores() == [("Blue", 0, 5.0), ("Red", 0, 7.0)]


# -- practice ----------------------------------------------------------------------
def test_a_practice_question_is_private_and_each_button_names_its_choice(sqlite_engine: Engine, bank: Bank) -> None:
    chat = chat_on(sqlite_engine, bank, FakeClock())
    with mock.patch("bot.quiz.chat.random.randrange", return_value=12345):
        [reply] = chat.command("practice", "", ANA, HERE)
    assert (reply.title, reply.colour, reply.private) == ("Practice", "blue", True)
    assert reply.footer == "Only you see this drill; the codes you miss come back sooner."
    question_id = reply.actions[0].value.removeprefix("v1:").split("|")[0]
    source = bank.by_id[question_id]
    assert reply.text == source.prompt
    assert sorted(action.label[3:] for action in reply.actions) == sorted(source.choices)
    for letter, action in zip("ABCD", reply.actions, strict=True):
        _, seed, index = action.value.split("|")
        assert action.id == "statusbot.quiz.practice" and seed == "12345"
        assert action.label == f"{letter}. {source.choices[int(index)]}"


def test_practice_answers_say_right_or_not_and_the_box(sqlite_engine: Engine, bank: Bank) -> None:
    chat = chat_on(sqlite_engine, bank, FakeClock())
    right, following = chat.practice_click("v1:pack:ours:1|7|0", ANA, HERE)
    assert right == told("Right!", "House rule: a slug is unique.\n(Box 2 of 5.)")
    assert following.title == "Practice" and "pack:ours:1|" not in following.actions[0].value
    assert chat.practice_click("v1:pack:ours:1|7|0", ANA, HERE)[0].text.endswith("(Box 3 of 5.)")
    assert chat.practice_click("v1:pack:ours:1|7|1", ANA, HERE)[0] == told(
        "Not quite: 409 Conflict.", "House rule: a slug is unique.\n(Box 1 of 5.)"
    )
    for value in ("v1:pack:ours:1|7|x", "v2:pack:ours:1|7|0", "v1:pack:ours:9|7|0", "v1:pack:ours:1|0"):
        assert chat.practice_click(value, ANA, HERE) == [told("That button no longer works.")]


def test_the_drill_draws_mostly_from_low_boxes_so_mastered_questions_recede() -> None:
    pool = [slug_question()._replace(id=name) for name in ("mastered", "shaky", "new")]
    drawn = Counter(
        Practice(pool, random.Random(seed), boxes={"mastered": 5, "shaky": 2}).next_question().id
        for seed in range(3000)
    )
    # weights 1, 8 and 6 (a new question): about 7 %, 53 % and 40 %
    assert drawn["mastered"] < 300 and 1450 < drawn["shaky"] < 1750 and 1050 < drawn["new"] < 1350


# -- settings that match nothing ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "argument,hint",
    [
        ("pack:ours level:hard topic:2xx", "Nothing matches pack:ours level:hard topic:2xx. Try another pack."),
        ("pack:ours level:medium", "Nothing matches pack:ours level:medium. Try level:easy|mixed."),
        (
            "pack:ours topic:5xx mode:typed",
            "Nothing matches pack:ours topic:5xx mode:typed. Try topic:4xx|all, or mode:buttons.",
        ),
        (
            "level:hard topic:mistakes mode:typed",
            "Nothing matches level:hard topic:mistakes mode:typed. Try level:easy|mixed, or topic:2xx|3xx|4xx|5xx|all.",
        ),
    ],
)
def test_settings_that_match_nothing_say_what_to_change(
    sqlite_engine: Engine, bank: Bank, argument: str, hint: str
) -> None:
    with mock.patch("bot.quiz.service.uuid.uuid4", return_value=uuid.UUID(int=1)):
        replies = chat_on(sqlite_engine, bank, FakeClock()).command("start", argument, ANA, HERE)
    assert replies == [told("No questions match those settings.", hint)]


# -- packs ----------------------------------------------------------------------
def test_a_broken_pack_says_why_and_an_unusable_folder_names_itself(tmp_path: Path) -> None:
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "ours.toml").write_text(PACK, encoding="utf-8")
    (folder / "broken.toml").write_text(PACK.replace('answer = "Platform"', 'answer = "Nobody"'), encoding="utf-8")
    try:
        loaded = load_packs([SHIPPED, folder])
        assert sorted({q.id.rsplit(":", 1)[0] for q in loaded}) == ["pack:ours", "pack:rest-basics"]
        why = pack_problem("broken")
        assert why.startswith(f"{folder / 'broken.toml'}: question 2: field 'answer' must be one of the choices")
        assert broken_packs() == {"broken": why}
        assert pack_problem("ours") == "" and pack_problem("rest-basics") == "" and pack_problem("nope") == ""
        assert pack_problem("../etc/passwd") == "" and pack_problem("x" * 400) == ""
        missing = tmp_path / "missing"
        load_packs([SHIPPED, missing])
        assert pack_problem("ours") == f"QUIZ_PACKS_DIR is not a folder: {missing}"
        assert pack_problem("rest-basics") == ""
    finally:
        load_packs([SHIPPED])
    assert broken_packs() == {}


# -- /quiz start options ----------------------------------------------------------------------
def test_start_options_with_their_aliases_and_defaults() -> None:
    assert settings_from("") == Settings(10, 20, "mixed", "all", "buttons", False, "")
    assert settings_from("Q:5 TIME=30 level:EASY topic:4XX mode:Typed team:on pack:Ours") == Settings(
        5, 30, "easy", "4xx", "typed", True, "Ours"
    )
    assert settings_from("n:1 s:5 teams:off") == Settings(1, 5, "mixed", "all", "buttons", False, "")
    assert settings_from("questions:50 timer:120") == Settings(50, 120)


@pytest.mark.parametrize(
    "text,message",
    [
        ("questions:51", "questions must be a whole number from 1 to 50."),
        ("questions:0", "questions must be a whole number from 1 to 50."),
        ("seconds:4", "seconds must be a whole number from 5 to 120."),
        ("seconds:121", "seconds must be a whole number from 5 to 120."),
        ("seconds:٣٠", "seconds must be a whole number from 5 to 120."),
        ("seconds:ten", "seconds must be a whole number from 5 to 120."),
        ("level:extreme", "level must be one of easy, medium, hard, mixed."),
        ("mode:voice", "mode must be one of buttons, typed."),
        (
            "colour:red",
            "Unknown option 'colour'; I know questions, seconds, level, topic, mode, teams, pack.",
        ),
        (
            "questions:5 please hurry up and start the game now",
            "I don't understand 'please hurry up and start the game now'. Options look like questions:5 or level:easy.",
        ),
        (
            "x" * 60,
            f"I don't understand '{'x' * 40}'. Options look like questions:5 or level:easy.",
        ),
    ],
)
def test_a_start_option_that_cannot_work_says_what_would(text: str, message: str) -> None:
    with pytest.raises(OptionError) as raised:
        settings_from(text)
    assert str(raised.value) == message


def test_leaderboard_options_take_only_period_and_scope() -> None:
    assert read_options("period:WEEK scope:server", ("period", "scope")) == {"period": "week", "scope": "server"}
    with pytest.raises(OptionError) as raised:
        read_options("questions:5", ("period", "scope"))
    assert str(raised.value) == "Unknown option 'questions'; I know period, scope."


# -- a team's pack file -------------------------------------------------------------------------------------------
HEAD = 'title = "X"\n[[question]]\nprompt = "p"\nexplanation = "e"\nlevel = "easy"\ntopic = "4xx"\n'
TWO = 'choices = ["a", "b"]\nanswer = "a"\n'


@pytest.mark.parametrize(
    "body,message",
    [
        (HEAD.replace('"X"', '"' + "t" * 81 + '"') + TWO, "top level: field 'title' is 81 characters long; at most 80"),
        (
            HEAD.replace('"X"', '"X"\ndescription = "' + "d" * 301 + '"') + TWO,
            "top level: field 'description' is 301 characters long; at most 300",
        ),
        (HEAD.replace('title = "X"\n', "") + TWO, "top level: field 'title' is missing"),
        (
            HEAD + 'choices = ["a", "b", "c", "d", "e", "f"]\nanswer = "a"\n',
            "question 1: field 'choices' must be 2 to 5 different answers (the question starting on line 2)",
        ),
        (
            HEAD + 'choices = ["a", "a"]\nanswer = "a"\n',
            "question 1: field 'choices' must be 2 to 5 different answers (the question starting on line 2)",
        ),
        (HEAD + 'answer = "a"\n', "question 1: field 'choices' is missing (the question starting on line 2)"),
        (
            HEAD + TWO + "learn = 600\n",
            "question 1: field 'learn' must be between 100 and 599, got 600 (the question starting on line 2)",
        ),
        (
            HEAD + TWO + "learn = 99\n",
            "question 1: field 'learn' must be between 100 and 599, got 99 (the question starting on line 2)",
        ),
        (
            HEAD.replace('"p"', '"' + "p" * 501 + '"') + TWO,
            "question 1: field 'prompt' is 501 characters long; at most 500 (the question starting on line 2)",
        ),
        (
            HEAD.replace('"e"', '"' + "e" * 701 + '"') + TWO,
            "question 1: field 'explanation' is 701 characters long; at most 700 (the question starting on line 2)",
        ),
        (
            HEAD + 'choices = ["' + "a" * 201 + '", "b"]\nanswer = "' + "a" * 201 + '"\n',
            "question 1: field 'answer' is 201 characters long; at most 200 (the question starting on line 2)",
        ),
        (
            HEAD + TWO + "\n\n" + HEAD.split("\n", 1)[1] + 'choices = ["a", "b"]\nanswer = "c"\n',
            "question 2: field 'answer' must be one of the choices, got 'c' (the question starting on line 11)",
        ),
    ],
)
def test_a_pack_beyond_its_limits_names_the_field_and_the_line(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "team.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(CatalogueError) as raised:
        load_pack(path)
    assert str(raised.value) == f"{path}: {message}"


def test_a_pack_at_its_limits_loads(tmp_path: Path) -> None:
    path = tmp_path / "team.toml"
    path.write_text(
        HEAD.replace('"X"', '"' + "t" * 80 + '"\ndescription = "' + "d" * 300 + '"')
        .replace('"p"', '"' + "p" * 500 + '"')
        .replace('"e"', '"' + "e" * 700 + '"')
        .replace('"4xx"', '"1xx"')
        + 'choices = ["a", "b", "c", "d", "e"]\nanswer = "e"\nlearn = 100\n',
        encoding="utf-8",
    )
    [question] = load_pack(path)
    assert (question.id, question.answer, question.learn, question.topic) == ("pack:team:1", 4, 100, "1xx")
    assert (len(question.prompt), len(question.explanation), question.choices) == (500, 700, tuple("abcde"))


def test_only_pack_questions_with_one_distinct_code_per_choice_play_typed(tmp_path: Path) -> None:
    question = 'prompt = "{}?"\nexplanation = "e"\nlevel = "easy"\ntopic = "4xx"\nchoices = [{}]\nanswer = "{}"\n'
    body = 'title = "Typed"\n' + "".join(
        "\n[[question]]\n" + question.format(prompt, ", ".join(f'"{c}"' for c in choices), choices[0])
        for prompt, choices in (
            ("all codes", ("409 Conflict", "400 Bad Request", "422")),
            ("one without", ("409 Conflict", "A conflict", "400 Bad Request")),
            ("a code twice", ("409 Conflict", "409 with a body", "400 Bad Request")),
            ("no codes", ("Platform", "Payments")),
        )
    )
    path = tmp_path / "typed.toml"
    path.write_text(body, encoding="utf-8")
    bank = Bank(KB, [], load_pack(path))
    assert [q.prompt for q in bank.pool(pack="typed", typed=True)] == ["all codes?"]
    assert [q.codes for q in bank.pool(pack="typed")] == [(409, 400, 422), (), (), ()]


def test_every_pack_in_a_folder_loads_and_a_skipped_one_is_logged_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "a.toml").write_text(HEAD + TWO, encoding="utf-8")
    (folder / "b.toml").write_text(HEAD + TWO, encoding="utf-8")
    (folder / "c.toml").write_text(HEAD, encoding="utf-8")
    try:
        with caplog.at_level(logging.WARNING, logger="bot.quiz.packs"):
            loaded = load_packs([tmp_path / "missing", folder])
            load_packs([tmp_path / "missing", folder])
        assert [q.id for q in loaded] == ["pack:a:1", "pack:b:1"]
        assert [r.getMessage() for r in caplog.records] == [
            f"quiz pack skipped: QUIZ_PACKS_DIR is not a folder: {tmp_path / 'missing'}",
            f"quiz pack skipped: {folder / 'c.toml'}: question 1: field 'choices' is missing "
            "(the question starting on line 2)",
        ]
    finally:
        load_packs([SHIPPED])


# -- a game's answers ---------------------------------------------------------------------------------------------
def test_ties_break_on_the_total_time_over_every_question() -> None:
    game, clock = game_of(slug_question(), slug_question()._replace(id="q2"))
    clock.advance(1)
    game.answer(ANA, 1)
    clock.advance(7)
    game.answer(BEN, 1)
    game.skip(ANA)
    clock.advance(5)
    game.answer(BEN, 1)
    clock.advance(5)
    game.answer(ANA, 1)
    # all wrong: Ana took 1 + 10 s, Ben 8 + 5 s
    assert [(s.player.name, s.total_time) for s in game.ranking()] == [("Ana", 11.0), ("Ben", 13.0)]


def test_a_wrong_answer_restarts_the_streak_bonus_and_the_fastest_stays_the_fastest() -> None:
    questions = [slug_question()._replace(id=f"q{n}") for n in range(4)]
    game, clock = game_of(*questions)
    scored = []
    for step, choice in ((2, 0), (6, 0), (1, 1), (4, 0)):
        clock.advance(step)
        scored.append(game.answer(ANA, choice).points)
        game.skip(ANA)  # the next question is asked now
    # 100 + speed + 25 first; the second right answer in a row adds 10; the wrong one restarts the run
    assert scored == [170, 170, 0, 165]
    standing = game.standings["u1"]
    assert (standing.fastest, standing.best_streak, standing.streak) == (2.0, 2, 1)


def test_an_answer_after_the_game_ended_is_closed() -> None:
    game, _ = game_of(slug_question())
    game.stop(ANA)
    assert game.answer(BEN, 0) == Outcome("closed")
