"""Whole /quiz games as the channel and each player see them: every reply's words, buttons, colours and keys.

A team's own pack (written here) and a fixed game id make the questions and the order of their choices
known, so each reply is pinned whole.
"""

from __future__ import annotations

import uuid
from unittest import mock

import pytest
from sqlalchemy import Engine

from bot.quiz.bank import Bank
from bot.quiz.chat import QUIZ_HELP, QuizChat, Where
from bot.quiz.game import Player
from bot.quiz.packs import load_pack
from bot.quiz.service import QuizService
from bot.quiz.typed import letter_named, tolerance
from bot.reply import Action, Field, Reply
from bot.storage.quiz_store import QuizStore
from knowledge import knowledge, situations
from tests.bot.quiz.test_game import FakeClock

KB = knowledge()
ANA, BEN, CAI = Player("u1", "Ana"), Player("u2", "Ben"), Player("u3", "Cai")
HERE = Where("W1", "C1")
GAME = "v1:0000000000000000"  # the button prefix of the game with the fixed id
KEY = "quiz:0000000000000000"
PACK = """title = "Ours"

[[question]]
prompt = "Our API answers a duplicate slug with?"
choices = ["409 Conflict", "400 Bad Request", "422 Unprocessable Content", "500 Internal Server Error"]
answer = "409 Conflict"
explanation = "House rule: a slug is unique."
level = "easy"
topic = "4xx"
learn = 409

[[question]]
prompt = "Which team owns the gateway?"
choices = ["Platform", "Payments", "Search"]
answer = "Platform"
explanation = "Platform runs every gateway."
level = "easy"
topic = "5xx"
"""


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Bank:
    path = tmp_path_factory.mktemp("packs") / "ours.toml"
    path.write_text(PACK, encoding="utf-8")
    return Bank(KB, situations(), load_pack(path))


def chat_on(sqlite_engine: Engine, bank: Bank, clock: FakeClock) -> QuizChat:
    """A process of the bot on the shared database."""
    return QuizChat(KB, bank, QuizService(QuizStore(sqlite_engine, clock, questions=bank.by_id.get), bank, KB, clock))


def start(chat: QuizChat, argument: str, by: Player = ANA, game: int = 1) -> list[Reply]:
    with mock.patch("bot.quiz.service.uuid.uuid4", return_value=uuid.UUID(int=game)):
        return chat.command("start", argument, by, HERE)


def told(title: str, text: str = "") -> Reply:
    """A reply only the player who acted sees."""
    return Reply(title=title, text=text, colour="grey", private=True)


def question_one(footer: str) -> Reply:
    return Reply(
        title="Question 1 of 2",
        text="Our API answers a duplicate slug with?",
        colour="blue",
        actions=(
            Action("statusbot.quiz.answer", "A. 400 Bad Request", f"{GAME}:0:0"),
            Action("statusbot.quiz.answer", "B. 500 Internal Server Error", f"{GAME}:0:1"),
            Action("statusbot.quiz.answer", "C. 422 Unprocessable Content", f"{GAME}:0:2"),
            Action("statusbot.quiz.answer", "D. 409 Conflict", f"{GAME}:0:3"),
        ),
        footer=footer,
        key=f"{KEY}:0",
    )


def test_a_game_with_buttons_from_start_to_leaderboard(sqlite_engine: Engine, bank: Bank) -> None:
    clock = FakeClock()
    chat = chat_on(sqlite_engine, bank, clock)
    assert start(chat, "pack:ours questions:2 seconds:20") == [question_one("20 s to pick an answer · one answer each")]
    clock.advance(12)
    assert chat.countdown("C1") == [question_one("8 s left to pick an answer · one answer each")]
    assert chat.click(f"{GAME}:0:4", BEN, HERE) == []  # a forged fifth choice: nothing happens
    for forged in (f"{GAME}:0:1000", f"{GAME}:zero:0", f"{GAME}:0:1:2", "v2:0000000000000000:0:0"):
        assert chat.click(forged, BEN, HERE) == [told("That button no longer works.")]
    assert chat.click(f"{GAME}:0:0", BEN, HERE) == [told("Answer recorded.")]
    clock.advance(1)
    assert chat.click(f"{GAME}:0:3", ANA, HERE) == [told("Right! +143 points.")]
    clock.advance(1)
    assert chat.click(f"{GAME}:0:3", CAI, HERE) == [told("Right! +115 points.")]
    assert chat.click(f"{GAME}:0:1", ANA, HERE) == [told("You've already answered this one; your first answer counts.")]
    assert chat.command("score", "", BEN, HERE) == [
        Reply(
            title="Scores after 0 of 2 questions",
            fields=(
                Field(
                    "Standings", "1. Ana: 143 pts (1/1 right)\n2. Cai: 115 pts (1/1 right)\n3. Ben: 0 pts (0/1 right)"
                ),
            ),
            colour="green",
        )
    ]
    clock.advance(6)
    assert chat.tick("C1") == [
        Reply(
            title="Answer: 409 Conflict",
            text="House rule: a slug is unique.",
            fields=(Field("Who", "First: Ana. Also right: Cai."),),
            colour="yellow",
            actions=(Action("statusbot.card", "Learn more", "v1:409"),),
            key=f"{KEY}:0",
        ),
        Reply(
            title="Question 2 of 2",
            text="Which team owns the gateway?",
            colour="blue",
            actions=(
                Action("statusbot.quiz.answer", "A. Search", f"{GAME}:1:0"),
                Action("statusbot.quiz.answer", "B. Platform", f"{GAME}:1:1"),
                Action("statusbot.quiz.answer", "C. Payments", f"{GAME}:1:2"),
            ),
            footer="20 s to pick an answer · one answer each",
            key=f"{KEY}:1",
        ),
    ]
    assert chat.tick("C1") == []
    assert chat.click(f"{GAME}:0:3", BEN, HERE) == [told("That question is closed.")]
    clock.advance(2)
    assert chat.click(f"{GAME}:1:1", BEN, HERE) == [told("Right! +170 points.")]
    assert chat.click(f"{GAME}:1:2", ANA, HERE) == [told("Answer recorded.")]
    # everyone who played has answered: the reveal and the end follow the last answer
    assert chat.click(f"{GAME}:1:0", CAI, HERE) == [
        told("Answer recorded."),
        Reply(
            title="Answer: Platform",
            text="Platform runs every gateway.",
            fields=(Field("Who", "First: Ben."),),
            colour="green",
            key=f"{KEY}:1",
        ),
        Reply(
            title="Game over: Ben wins",
            text="Ended: out of questions.",
            fields=(
                Field(
                    "Standings", "1. Ben: 170 pts (1/2 right)\n2. Ana: 143 pts (1/2 right)\n3. Cai: 115 pts (1/2 right)"
                ),
                Field("Fastest", "Ben (2.0 s)"),
                Field("Longest streak", "Ben (1 in a row)"),
            ),
            colour="green",
        ),
    ]
    board = "1. Ben: 170 pts · 1 game · 1 win\n2. Ana: 143 pts · 1 game · 0 wins\n3. Cai: 115 pts · 1 game · 0 wins"
    assert chat.command("leaderboard", "", ANA, HERE) == [
        Reply(title="Leaderboard, all time", text=board, colour="green")
    ]
    assert chat.command("leaderboard", "period:week", ANA, HERE) == [
        Reply(title="Leaderboard, this week", text=board, colour="green")
    ]
    elsewhere = Where("W1", "C9")
    assert chat.command("leaderboard", "period:month scope:workspace", ANA, elsewhere) == [
        Reply(title="Leaderboard, this month", text=board, colour="green")
    ]
    assert chat.command("leaderboard", "scope:server", ANA, Where("W2", "C1")) == [
        Reply(title="Leaderboard, all time", text="No finished games yet.", colour="green")
    ]
    assert chat.command("leaderboard", "", ANA, elsewhere) == [
        Reply(title="Leaderboard, all time", text="No finished games yet.", colour="green")
    ]
    assert chat.command("leaderboard", "period:year", ANA, HERE) == [
        told("Which leaderboard?", "period must be one of week, month, all.")
    ]
    assert chat.click(f"{GAME}:1:1", CAI, HERE) == [told("No game is running here. Start one with /quiz start.")]
    assert chat.command("score", "", ANA, HERE) == [told("No game is running here.")]
    assert chat.tick("C1") == []


def test_a_typed_team_game_read_back_by_another_process(sqlite_engine: Engine, bank: Bank) -> None:
    clock = FakeClock()
    chat = chat_on(sqlite_engine, bank, clock)
    typed_question = Reply(
        title="Question 1 of 1",  # the pack's other question has no code to type
        text=(
            "Our API answers a duplicate slug with?\nA. 400 Bad Request\nB. 422 Unprocessable Content\n"
            "C. 500 Internal Server Error\nD. 409 Conflict"
        ),
        colour="blue",
        footer="30 s to type the code or its name, or the letter · one answer each",
        key=f"{KEY}:0",
    )
    assert start(chat, "pack:ours q:2 s:30 mode:typed teams:on", game=2) == [typed_question]
    assert start(chat, "", by=BEN, game=3) == [
        told("A game is already running in this channel.", "Question 1 of 1 is up; /quiz score shows the standings.")
    ]
    assert chat.command("join", "green", CAI, HERE) == [told("Which team?", "Try /quiz join Red or /quiz join Blue.")]
    assert chat.command("join", "red please", CAI, HERE) == [told("You're in team Red.")]
    only = "Only the player who started the game or a moderator can do that."
    assert chat.command("stop", "", BEN, HERE) == [told(only)]
    assert chat.command("skip", "", BEN, HERE) == [told(only)]
    clock.advance(10)
    assert chat.typed("hello there", BEN, HERE) == []  # chatter names no code: nothing to say
    assert chat.typed("418 teapot", BEN, HERE) == [told("Answer recorded.")]
    clock.advance(5)
    assert chat.typed("conflict", ANA, HERE) == [told("Right! +150 points.")]
    standings = Field(
        "Standings",
        "1. Ana [Blue]: 150 pts (1/1 right)\n2. Cai [Red]: 0 pts (0/0 right)\n3. Ben [Blue]: 0 pts (0/1 right)",
    )
    teams = Field("Teams", "Blue: 150 pts\nRed: 0 pts")
    other = chat_on(sqlite_engine, bank, clock)  # another process rebuilds the game from the database
    assert other.command("score", "", BEN, HERE) == [
        Reply(title="Scores after 0 of 1 question", fields=(standings, teams), colour="green")
    ]
    clock.advance(14.6)
    assert other.countdown("C1") == [
        typed_question._replace(footer="0 s left to type the code or its name, or the letter · one answer each")
    ]
    assert other.command("stop", "", BEN, HERE, moderator=True) == [
        Reply(
            title="Game over: Ana wins",
            text="Ended: stopped.",
            fields=(standings, teams, Field("Fastest", "Ana (15.0 s)"), Field("Longest streak", "Ana (1 in a row)")),
            colour="green",
        )
    ]
    assert other.typed("409", BEN, HERE) == []
    assert chat.command("join", "blue", CAI, HERE) == [told("No game is running here. Start one with /quiz start.")]


def test_typed_answers_by_letter_and_by_a_code_not_offered(sqlite_engine: Engine, bank: Bank) -> None:
    clock = FakeClock()
    chat = chat_on(sqlite_engine, bank, clock)
    start(chat, "pack:ours mode:typed seconds:20", game=2)
    clock.advance(4)
    assert chat.typed("(b)", BEN, HERE) == [told("Answer recorded.")]  # B. 422 Unprocessable Content
    assert chat.typed("d.", CAI, HERE) == [told("Right! +165 points.")]
    assert chat.typed("E", ANA, HERE) == []  # no choice is shown as E, and it names no code
    assert chat.typed("418", ANA, HERE) == [told("Answer recorded.")]
    game = chat_on(sqlite_engine, bank, clock).service.current("C1")
    assert game is not None
    assert {pid: (s.points, s.correct, s.answered) for pid, s in game.standings.items()} == {
        "u2": (0, 0, 1),
        "u3": (165, 1, 1),
        "u1": (0, 0, 1),
    }


def test_a_button_game_ignores_typed_text(sqlite_engine: Engine, bank: Bank) -> None:
    chat = chat_on(sqlite_engine, bank, FakeClock())
    start(chat, "pack:ours")
    assert chat.typed("409", BEN, HERE) == []
    assert chat.typed("d", BEN, HERE) == []


def test_start_refusals_say_what_would_work(sqlite_engine: Engine, bank: Bank) -> None:
    chat = chat_on(sqlite_engine, bank, FakeClock())
    assert chat.command("start", "questions:0", BEN, HERE) == [
        told("That game can't start", f"questions must be a whole number from 1 to 50.\n{QUIZ_HELP}")
    ]
    assert chat.command("start", "pack:Nope", BEN, HERE) == [
        told("There is no question pack named “Nope”", "Packs: ours.")
    ]
    assert chat.command("help", "", BEN, HERE) == [told("Quiz commands", QUIZ_HELP)]
    assert QUIZ_HELP == (
        "/quiz start [questions:N] [seconds:S] [level:easy|medium|hard|mixed] [topic:2xx|3xx|4xx|5xx|mistakes|all] "
        "[mode:buttons|typed] [teams:on] [pack:NAME]\n"
        "/quiz stop · /quiz skip · /quiz score · /quiz leaderboard [period:week|month|all] · /quiz join <team> · "
        "/quiz practice · /quiz leaderboard opt-out (or opt-in)"
    )


def test_a_letter_names_one_of_the_choices_shown() -> None:
    assert [letter_named(text, 4) for text in ("a", "B", "(c)", "d.", "D)", "e", "ab", "4")] == [
        0,
        1,
        2,
        3,
        3,
        None,
        None,
        None,
    ]
    assert letter_named("c", 3) == 2 and letter_named("d", 3) is None


def test_longer_typed_names_forgive_more_misspellings() -> None:
    assert [tolerance("x" * n) for n in (1, 4, 5, 8, 9, 30)] == [100.0, 100.0, 85.0, 85.0, 78.0, 78.0]


def test_a_game_goes_on_after_a_restart_whose_packs_no_longer_have_its_questions(
    sqlite_engine: Engine, bank: Bank
) -> None:
    clock = FakeClock()
    start(chat_on(sqlite_engine, bank, clock), "pack:ours questions:2 seconds:20")
    without = Bank(KB, situations())  # the pack was removed before the restart
    chat = chat_on(sqlite_engine, without, clock)
    clock.advance(5)
    assert chat.countdown("C1") == [question_one("15 s left to pick an answer · one answer each")._replace(text="")]
    assert chat.click(f"{GAME}:0:3", ANA, HERE) == [told("Right! +163 points.")]
    clock.advance(15)
    assert chat.tick("C1")[0] == Reply(
        title="Answer: 409 Conflict", fields=(Field("Who", "First: Ana."),), colour="green", key=f"{KEY}:0"
    )


def test_a_typed_game_goes_on_after_a_restart_whose_packs_no_longer_have_its_questions(
    sqlite_engine: Engine, bank: Bank
) -> None:
    clock = FakeClock()
    start(chat_on(sqlite_engine, bank, clock), "pack:ours mode:typed seconds:20", game=2)
    chat = chat_on(sqlite_engine, Bank(KB, situations()), clock)
    clock.advance(5)
    assert chat.typed("409", BEN, HERE) == [told("Right! +163 points.")]
