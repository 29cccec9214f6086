"""Team settings and ratings in the conversation, on a shared (chat) platform: what each user is told, and that
bad input and a lost database change nothing and hold no answer up."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, create_engine

from bot.conversation import Conversation, Place, User, default_quiz
from bot.platform import Platform
from bot.quiz.chat import QuizChat
from knowledge import knowledge

SLACK = Platform("slack", private_answers=True, shared=True)
ADA, BOSS = User("U1", "ada"), User("U9", "boss")
HERE = Place("T1", "C1", False, "general")
AS_ADMIN = HERE._replace(moderator=True)


@pytest.fixture
def talk(sqlite_engine: Engine) -> Conversation:
    kb = knowledge()
    return Conversation(kb, platform=SLACK, quiz=lambda: default_quiz(kb, sqlite_engine))


def said(talk: Conversation, text: str, user: User = BOSS, place: Place = AS_ADMIN) -> tuple[str, str]:
    reply = talk.on_command("status", text, user, place)[0]
    return reply.title, reply.text


@pytest.mark.parametrize(
    ("change", "title", "text"),
    [
        ("colour blue", "I don't know the setting “colour”", "Settings: visibility, feedback, quiz-channels,"),
        ("feedbak off", "Did you mean feedback?", "Settings: visibility, feedback, quiz-channels,"),
        ("feedback", "Feedback needs a value", "/status settings feedback on|off"),
        ("feedback @everyone", "“@everyone” isn't a value for feedback", "/status settings feedback on|off"),
        ("quiz-channels remove", "This channel isn't on the list", "Quizzes run in any channel."),
        ("quiz-starters admins", "“admins” isn't a value for quiz-starters", "everyone|moderators"),
        ("quiz-defaults level:impossible", "Those quiz options don't work", "level must be one of easy,"),
        ("quiz-defaults chaos", "Those quiz options don't work", "I don't understand 'chaos'."),
        ("quiz-defaults pack:" + "x" * 200, "Those quiz options are too long", "/status settings quiz-defaults"),
    ],
)
def test_a_change_that_cannot_be_made_says_why_and_changes_nothing(
    talk: Conversation, change: str, title: str, text: str
) -> None:
    assert said(talk, f"settings {change}")[0] == title
    assert text in said(talk, f"settings {change}")[1]
    shown = talk.on_command("status", "settings", BOSS, AS_ADMIN)[0]
    assert [field.name for field in shown.fields] == [
        "visibility: private",
        "feedback: on",
        "quiz-channels: any channel",
        "quiz-starters: everyone",
        "quiz-defaults: none (10 questions, 20 s, mixed, all, buttons)",
    ]


def test_options_given_with_a_start_win_over_the_teams_defaults(talk: Conversation) -> None:
    assert said(talk, "settings quiz-defaults questions:2 seconds:60 level:easy")[0] == (
        "Saved: quiz-defaults is now questions:2 seconds:60 level:easy"
    )
    question = talk.on_command("quiz", "start questions:1", ADA, HERE)[0]
    assert question.title == "Question 1 of 1"  # questions:1 won
    assert "60 s to pick an answer" in question.footer + question.text  # seconds:60 kept


def test_settings_are_per_workspace(talk: Conversation) -> None:
    said(talk, "settings visibility channel")
    assert talk.on_command("status", "409", ADA, HERE)[0].private is False
    elsewhere = Place("T2", "C1")
    assert talk.on_command("status", "409", ADA, elsewhere)[0].private is True
    assert said(talk, "settings visibility private", ADA, elsewhere)[0] == (
        "Only admins and moderators can change statusbot's settings"
    )


def test_a_rating_button_that_was_tampered_with_or_forgotten_no_longer_works(talk: Conversation) -> None:
    answer = talk.on_command("status", "what code for duplicate email?", ADA, HERE)[0]
    up = next(action for action in answer.actions if action.label == "👍 Right")
    for value in ("v1:y:", "v1:y:abc", "v2:y:1", "v1:c:1:4222", "v1:x:1", "v1:y:99999", "v1:o:1:2", ""):
        assert talk.on_action(up.id, value, ADA, HERE)[0].title == "That button no longer works"
    forgotten = talk.on_action("statusbot.forget", f"v1:yes:{ADA.id}", ADA, HERE)[0]  # /status forget-me, confirmed
    assert forgotten.text == "Deleted 1 kept question."
    assert talk.on_action(up.id, up.value, ADA, HERE)[0].title == "That button no longer works"


def test_with_feedback_off_answers_have_no_rating_and_old_buttons_say_so(talk: Conversation) -> None:
    before = talk.on_command("status", "what code for duplicate email?", ADA, HERE)[0]
    said(talk, "settings feedback off")
    after = talk.on_command("status", "what code for duplicate email?", ADA, HERE)[0]
    assert [action.label for action in after.actions] == ["Share in channel"]
    up = next(action for action in before.actions if action.label == "👍 Right")
    assert talk.on_action(up.id, up.value, ADA, HERE)[0].title == "Ratings are off here"


def test_without_its_database_a_chat_answer_still_comes_without_rating() -> None:
    gone = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/statusbot", connect_args={"connect_timeout": 2})
    kb = knowledge()
    talk = Conversation(kb, platform=SLACK, quiz=lambda: default_quiz(kb, gone))
    answer = talk.on_command("status", "what code for duplicate email?", ADA, HERE)[0]
    assert answer.title == "409 Conflict"
    assert answer.private is True  # the default visibility
    assert [action.label for action in answer.actions] == ["Share in channel"]


def test_an_abstention_is_rated_too(talk: Conversation) -> None:
    answer = talk.on_command("status", "what's for lunch", ADA, HERE)[0]
    assert answer.title == "I'm not sure this is about choosing an HTTP status code"
    up, down = (next(a for a in answer.actions if a.label == label) for label in ("👍 Right", "👎 Wrong"))
    assert talk.on_action(up.id, up.value, ADA, HERE)[0].title == "Thanks! Noted that not answering was right."
    asked = talk.on_action(down.id, down.value, ADA, HERE)[0]
    assert [action.label for action in asked.actions] == ["Another code…"]  # no candidates, and a code was expected
    assert talk.on_form("statusbot.expected", "418", ADA, HERE, "0")[0].title == "That button no longer works"
    row = down.value.rpartition(":")[2]
    assert talk.on_form("statusbot.expected", "418.", ADA, HERE, row)[0].title == (
        "Thanks! Noted that 418 I'm a teapot was expected."
    )
    assert [(r.question, r.verdict, r.expected) for r in talk.team.rows()] == [("what's for lunch", "wrong", 418)]


def test_an_answer_a_house_rule_gives_is_not_rated_so_no_rating_names_the_rfc_code_it_did_not_show(
    talk: Conversation,
) -> None:
    assert said(talk, "rule add validation error -> 400")[0] == "House rule 1 added"
    ruled = talk.on_command("status", "what code for a validation error on signup", ADA, HERE)[0]
    assert ruled.title == "House rule: 400 Bad Request"
    assert [action.label for action in ruled.actions] == ["Share in channel"]  # no 👍 to say "422 was right"
    other = talk.on_command("status", "what code for duplicate email?", ADA, HERE)[0]
    assert [action.label for action in other.actions] == ["👍 Right", "👎 Wrong", "Share in channel"]
    up = other.actions[0]
    assert talk.on_action(up.id, up.value, ADA, HERE)[0].title == "Thanks! Noted that 409 Conflict was right."
    assert [(r.question, r.answered[:1]) for r in talk.team.rows()] == [("what code for duplicate email?", (409,))]


def test_default_quiz_options_naming_a_pack_that_does_not_exist_are_refused_so_starts_keep_working(
    talk: Conversation,
) -> None:
    assert said(talk, "settings quiz-defaults pack:nope") == (
        "There is no question pack named “nope”",
        "Packs: rest-basics.",
    )
    assert said(talk, "settings")[0] == "statusbot settings here"
    shown = talk.on_command("status", "settings", BOSS, AS_ADMIN)[0]
    assert shown.fields[-1].name == "quiz-defaults: none (10 questions, 20 s, mixed, all, buttons)"
    assert talk.on_command("quiz", "start questions:1", ADA, HERE)[0].title == "Question 1 of 1"
    assert said(talk, "settings quiz-defaults pack:rest-basics")[0] == "Saved: quiz-defaults is now pack:rest-basics"


def test_with_feedback_off_a_code_typed_into_a_box_opened_before_is_not_kept(talk: Conversation) -> None:
    answer = talk.on_command("status", "what code for duplicate email?", ADA, HERE)[0]
    down = next(action for action in answer.actions if action.label == "👎 Wrong")
    asked = talk.on_action(down.id, down.value, ADA, HERE)[0]
    another = next(action for action in asked.actions if action.label == "Another code…")
    form = talk.form_for_action(another.id, another.value)
    assert form is not None
    said(talk, "settings feedback off")
    assert talk.on_form(form[0].id, "422", ADA, HERE, form[1])[0].title == "Ratings are off here"
    assert [(r.verdict, r.expected) for r in talk.team.rows()] == [("wrong", None)]


@pytest.mark.parametrize("text", ["forget me", "Forget Me", "forget-me", "forgetme"])
def test_forget_me_in_plain_words_asks_to_delete_and_keeps_nothing_to_rate(talk: Conversation, text: str) -> None:
    prompt = talk.on_command("status", text, ADA, HERE)[0]
    assert prompt.title == "Delete everything statusbot keeps about you in this workspace?"
    assert [action.label for action in prompt.actions] == ["Confirm", "Cancel"]
    assert talk.team.rows() == []


def test_while_the_database_is_unusable_settings_and_forget_me_say_so_in_their_own_words() -> None:
    from bot.storage.database import DatabaseUnusable

    def unusable() -> QuizChat:
        raise DatabaseUnusable("STATUSBOT_DB is not usable (read-only)")

    talk = Conversation(knowledge(), platform=SLACK, quiz=unusable)
    assert said(talk, "settings feedback off")[0] == "Settings are unavailable: STATUSBOT_DB is not usable (read-only)"
    done = talk.on_action("statusbot.forget", f"v1:yes:{ADA.id}", ADA, HERE)[0]
    assert (done.title, done.private) == ("Nothing was deleted: STATUSBOT_DB is not usable (read-only)", True)


def test_forget_me_names_the_questions_it_kept_for_what_they_are_even_unrated(talk: Conversation) -> None:
    talk.on_command("status", "what's for lunch", ADA, HERE)  # kept (the bot abstained), never rated
    prompt = talk.on_command("status", "forget-me", ADA, HERE)[0]
    assert "the questions you asked me that were kept to be rated" in prompt.text
    done = talk.on_action("statusbot.forget", f"v1:yes:{ADA.id}", ADA, HERE)[0]
    assert done.text == "Deleted 1 kept question."
