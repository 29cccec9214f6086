"""House rules on SQLite and PostgreSQL: /status rule add|list|remove, the answers, checks and quiz games they
change, and every bad input answered with a friendly line that changes nothing."""

from __future__ import annotations

import pytest

from bot.conversation import CONSOLE, CONSOLE_USER, Conversation, Place, User, default_quiz
from bot.quiz.bank import Bank
from bot.quiz.chat import QuizChat, Where
from bot.quiz.game import Settings
from bot.reply import Reply
from bot.storage.database import DatabaseUnusable
from bot.storage.house_rules import HouseRuleStore
from knowledge import HouseRule, knowledge, situations
from tests.bot.quiz.test_game import FakeClock
from tests.bot.quiz.test_storage import ANA, BEN, service

KB = knowledge()
BANK = Bank(KB, situations())
EVE = User("U2", "eve")
ADMIN = Place("T1", "C1", moderator=True)
MEMBER = Place("T1", "C1")


@pytest.fixture
def talk(engine) -> Conversation:
    return Conversation(KB, quiz=lambda: default_quiz(KB, engine))


def say(talk: Conversation, text: str, user: User = CONSOLE_USER, place: Place = CONSOLE) -> Reply:
    replies = talk.on_text(text, user, place)
    assert len(replies) == 1, replies
    return replies[0]


def listed(talk: Conversation, place: Place = CONSOLE) -> list[tuple[str, str]]:
    return [(field.name, field.value) for field in say(talk, "/status rule list", EVE, place).fields]


# -- the store -----------------------------------------------------------------------------------------------
def test_the_store_numbers_rules_in_the_order_added_per_workspace(engine):
    store = HouseRuleStore(engine)
    assert store.add("T1", HouseRule("validation error", 400), "U1", most=3).number == 1
    assert store.add("T1", HouseRule("duplicate email", 422), "U1", most=3).number == 2
    assert store.add("T2", HouseRule("validation error", 422), "U9", most=3).number == 1
    assert [(s.number, s.rule.situation, s.rule.code) for s in store.rules("T1")] == [
        (1, "validation error", 400),
        (2, "duplicate email", 422),
    ]
    again = store.add("T1", HouseRule("  Validation   ERROR. ", 409), "U2", most=3)
    assert again.outcome == "duplicate" and again.existing is not None and again.existing.number == 1
    assert store.add("T1", HouseRule("token expired", 401), "U1", most=3).outcome == "added"
    assert store.add("T1", HouseRule("rate limit", 429), "U1", most=3).outcome == "full"
    removed = store.remove("T1", 1)
    assert removed is not None and removed.rule == HouseRule("validation error", 400)
    assert [s.number for s in store.rules("T1")] == [1, 2]
    assert [s.rule.situation for s in store.rules("T1")] == ["duplicate email", "token expired"]
    assert store.remove("T1", 3) is None and store.remove("T1", 0) is None
    assert [s.rule.code for s in store.rules("T2")] == [422]


# -- /status rule ----------------------------------------------------------------------------------------------
def test_adding_listing_and_removing_in_the_console(talk):
    assert say(talk, "/status rule list").title == "No house rules yet"
    added = say(talk, "/status rule add validation error -> 400")
    assert added.title == "House rule 1 added"
    assert added.text.startswith("“validation error” → 400 Bad Request\n")
    assert say(talk, "/status rule add resources a user may not see → 404").title == "House rule 2 added"
    rules = say(talk, "/status rules")
    assert rules.title == "House rules (2)"
    assert rules.text == "Answers on these situations show the house rule first, the RFC default beside it."
    assert listed(talk) == [
        ("Rule 1", "“validation error” → 400 Bad Request"),
        ("Rule 2", "“resources a user may not see” → 404 Not Found"),
    ]
    gone = say(talk, "/status rule remove 1")
    assert gone.title == "House rule 1 removed"
    assert gone.text.startswith("“validation error” → 400 Bad Request\n")
    assert listed(talk) == [("Rule 1", "“resources a user may not see” → 404 Not Found")]


def test_only_admins_and_moderators_change_rules_and_anyone_lists_them(talk):
    refused = say(talk, "/status rule add validation error -> 400", EVE, MEMBER)
    assert refused.title == "Only admins and moderators can change house rules"
    assert refused.private
    assert say(talk, "/status rule add validation error -> 400", EVE, ADMIN).title == "House rule 1 added"
    assert say(talk, "/status rule remove 1", EVE, MEMBER).title == "Only admins and moderators can change house rules"
    assert listed(talk, MEMBER) == [("Rule 1", "“validation error” → 400 Bad Request")]
    # another user in the terminal is no admin there: only the console's own user is
    assert say(talk, "/status rule remove 1", EVE).title == "Only admins and moderators can change house rules"


def test_each_workspace_and_the_console_have_their_own_rules(talk):
    say(talk, "/status rule add validation error -> 400", EVE, ADMIN)
    assert say(talk, "/status rule list", EVE, Place("T2", "C1")).title == "No house rules yet"
    assert say(talk, "/status rule list").title == "No house rules yet"
    other = say(talk, "what code for a validation error?", EVE, Place("T2", "C9"))
    assert other.title == "422 Unprocessable Content (formerly Unprocessable Entity)"


@pytest.mark.parametrize(
    ("text", "title", "says"),
    [
        ("add validation error 400", "A house rule needs an arrow between the situation and the code", "rule list"),
        ("add -> 400", "Which situation is the rule for?", "Describe it before the arrow."),
        ("add 400 -> validation error", "The situation comes first, then the code", "For example: /status rule add"),
        ("add ?! → 400", "Which situation is the rule for?", "Describe it before the arrow."),
        ("add validation error ->", "Which code should the rule give?", "Put it after the arrow."),
        ("add validation error -> 999", "That code can't be a house rule", "999 isn't a registered status code"),
        ("add validation error -> 299", "That code can't be a house rule", "299 isn't a registered status code"),
        ("add validation error -> 418", "That code can't be a house rule", "418 is reserved as unused by RFC 9110"),
        ("add validation error -> 4xx", "That code can't be a house rule", "I can't read “4xx” as one status code"),
        ("add validation error -> 400 or 422", "That code can't be a house rule", "I can't read “400 or 422”"),
        ("add the of a -> 400", "I can't match questions to that situation", "Describe it in a few plain words"),
        ("add " + "very " * 30 + "bad -> 400", "That situation is too long for a house rule", "(it has 153)"),
        ("remove", "Which house rule?", "from 1 to 1"),
        ("remove 2", "Which house rule?", "There is no house rule “2”. Give the number"),
        ("remove first", "Which house rule?", "There is no house rule “first”. Give the number"),
        ("remove ²", "Which house rule?", "There is no house rule “²”. Give the number"),
        ("ad token expired -> 401", "Did you mean /status rule add?", "/status rule list"),
        ("add Validation Error! -> 422", "There is already a house rule for that situation", "/status rule remove 1"),
    ],
)
def test_bad_input_gets_a_friendly_line_and_changes_nothing(talk, text, title, says):
    say(talk, "/status rule add validation error -> 400")
    reply = say(talk, f"/status rule {text}")
    assert reply.title == title
    assert says in reply.text
    assert reply.private
    assert listed(talk) == [("Rule 1", "“validation error” → 400 Bad Request")]


def test_a_situation_is_kept_on_one_line_without_control_characters(talk):
    added = say(talk, "/status rule add validation\x00 error\n  on   signup -> 400")
    assert added.text.startswith("“validation error on signup” → 400 Bad Request\n")
    assert listed(talk) == [("Rule 1", "“validation error on signup” → 400 Bad Request")]


def test_a_name_works_as_the_code():
    assert say_fresh("/status rule add duplicate email -> unprocessable entity").text.startswith(
        "“duplicate email” → 422 Unprocessable Content\n"
    )


def say_fresh(text: str) -> Reply:
    from bot.storage.database import make_engine, migrate

    engine = make_engine("sqlite://")
    migrate(engine)
    return say(Conversation(KB, quiz=lambda: default_quiz(KB, engine)), text)


TWENTY_CODES = (400, 401, 403, 404, 409, 410, 412, 413, 415, 422, 429, 500, 502, 503, 504, 301, 302, 304, 201, 204)


def test_at_most_twenty_rules_per_team(talk):
    for n, code in enumerate(TWENTY_CODES, start=1):
        assert say(talk, f"/status rule add situation number {n} -> {code}").title == f"House rule {n} added"
    full = say(talk, "/status rule add one more situation -> 400")
    assert full.title == "This team already has 20 house rules, the most it can have"
    assert full.text == "Remove one first: /status rule list shows their numbers."
    assert say(talk, "/status rule list").title == "House rules (20)"


def test_a_rule_number_typed_in_fullwidth_digits_is_removed(talk):
    say(talk, "/status rule add validation error -> 400")
    say(talk, "/status rule add token expired -> 401")
    assert say(talk, "/status rule remove ２").title == "House rule 2 removed"
    assert listed(talk) == [("Rule 1", "“validation error” → 400 Bad Request")]


def test_an_empty_list_says_how_to_add_and_remove_says_there_is_nothing(talk):
    assert say(talk, "/status rule remove 1").title == "There are no house rules to remove"
    empty = say(talk, "/status rule")
    assert empty.title == "No house rules yet"
    assert "/status rule add <situation> -> <code>" in empty.text


def test_other_words_after_rule_are_a_question(talk):
    reply = say(talk, "/status rules of thumb for duplicate email signup")
    assert reply.title == "409 Conflict"


# -- what a rule changes ---------------------------------------------------------------------------------------
def test_an_answer_shows_the_house_rule_first_and_the_rfc_default_beside_it(talk):
    before = say(talk, "what code for a validation error on signup?")
    assert before.title == "422 Unprocessable Content (formerly Unprocessable Entity)"
    say(talk, "/status rule add validation error -> 400")
    after = say(talk, "what code for a validation error on signup?")
    assert after.title == "House rule: 400 Bad Request"
    assert after.text.startswith("Your team's rule 1: “validation error” → 400 Bad Request.\n")
    assert after.fields[0].name == "RFC default: 422 Unprocessable Content (formerly Unprocessable Entity)"
    assert after.fields[0].value.startswith("Why: a field value fails validation. ")
    assert after.footer == "house rule 1 · /status rule list"
    assert say(talk, "409").title == "409 Conflict"  # a lookup is never a situation
    assert say(talk, "token expired").title == "401 Unauthorized"


def test_a_rule_agreeing_with_the_rfc_says_so(talk):
    say(talk, "/status rule add hide a private resource -> 404")
    reply = say(talk, "hide a private resource from users who may not see it")
    assert reply.title == "House rule: 404 Not Found"
    assert reply.fields[0].value.endswith("Your house rule agrees.")


def test_check_judges_against_the_house_rule(talk):
    before = say(talk, "/status check POST /users with invalid email -> 422")
    assert before.title == "Looks right: 422 Unprocessable Content"
    say(talk, "/status rule add validation error -> 400")
    wrong = say(talk, "/status check POST /users with invalid email -> 422")
    assert wrong.title == "422 Unprocessable Content breaks house rule 1; use 400 Bad Request"
    assert [f.name for f in wrong.fields][:3] == [
        "Situation",
        "House rule 1",
        "RFC default: 422 Unprocessable Content (formerly Unprocessable Entity)",
    ]
    assert wrong.fields[1].value == "“validation error” → 400 Bad Request"
    right = say(talk, "/status check POST /users with invalid email → 400")
    assert right.title == "Looks right: 400 Bad Request (house rule 1)"


def test_without_a_database_answers_go_on_and_rules_say_why():
    def broken() -> QuizChat:
        raise DatabaseUnusable("STATUSBOT_DB is not usable (disk I/O error): it should be a writable path")

    talk = Conversation(KB, quiz=broken)
    assert say(talk, "what code for a validation error?").title.startswith("422 Unprocessable Content")
    assert say(talk, "/status rule list").title == (
        "House rules are unavailable: STATUSBOT_DB is not usable (disk I/O error): it should be a writable path"
    )


# -- quiz games ------------------------------------------------------------------------------------------------
def test_a_house_rule_becomes_the_right_choice_and_a_repeated_distractor_is_replaced():
    question = BANK.by_id["lesson:403"]
    assert question.codes[question.answer] == 403 and 400 in question.codes
    ruled = BANK.under_house_rules(question, [HouseRule("user is logged in but lacks permission", 400)])
    assert ruled.correct == "400 Bad Request"
    assert ruled.choices.count("400 Bad Request") == 1 and "403 Forbidden" not in ruled.choices
    assert len(set(ruled.choices)) == 4
    assert BANK.under_house_rules(question, [HouseRule("duplicate email", 422)]) == question


def test_a_game_accepts_the_house_rule_and_says_so_at_the_reveal(engine):
    clock = FakeClock()
    quiz = service(engine, clock)
    rules = [HouseRule("validation error", 400)]
    step = quiz.start("W1", "C1", ANA, Settings(questions=5, seconds=20, level="easy", topic="mistakes"), rules)
    assert step.game is not None
    numbers = [n for n, q in enumerate(step.game.questions) if q.id == "mistake:2"]
    assert len(numbers) == 1  # the five easy mistake questions are all asked
    number = numbers[0]
    ruled = step.game.questions[number]
    assert ruled.correct == "400 Bad Request" and "422 Unprocessable Content" not in ruled.choices
    chat = QuizChat(KB, BANK, quiz)
    for _ in range(number):
        chat.command("skip", "", ANA, Where("W1", "C1"))
    # a process that never saw the game (a restart) reads the same question from the database
    fresh = service(engine, clock)
    asked = fresh.current("C1")
    assert asked is not None and asked.index == number and asked.current.correct == "400 Bad Request"
    right = fresh.answer("C1", BEN, number, asked.current.choices.index("400 Bad Request"))
    assert right.outcome is not None and right.outcome.correct
    revealed = QuizChat(KB, BANK, fresh).command("skip", "", ANA, Where("W1", "C1"))
    reveal = next(r for r in revealed if r.title.startswith("Answer: "))
    assert reveal.title == "Answer: 400 Bad Request"
    assert reveal.text.startswith("House rule: 400 Bad Request. The RFC default is 422 Unprocessable Content:\n")
    assert reveal.actions[0].value == "v1:400"  # "learn more" shows the team's code


def test_a_game_without_rules_keeps_the_rfc_answer(engine):
    quiz = service(engine, FakeClock())
    step = quiz.start("W1", "C2", ANA, Settings(questions=5, seconds=20, level="easy", topic="mistakes"))
    assert step.game is not None
    question = next(q for q in step.game.questions if q.id == "mistake:2")
    assert question.correct == "422 Unprocessable Content"


def test_a_practice_answer_follows_the_house_rule(talk):
    from bot.quiz.chat import PRACTICE_ACTION

    # the first choice of "mistake:2" in the bank's order: 422 by the RFCs, 400 under the team's rule
    click = "v1:mistake:2|7|0"
    before = talk.on_action(PRACTICE_ACTION, click)[0]
    assert before.title == "Right!"
    assert before.text.startswith("404 says the thing at that URL does not exist")
    say(talk, "/status rule add validation error -> 400")
    after = talk.on_action(PRACTICE_ACTION, click)[0]
    assert after.title == "Right!"
    assert after.text.startswith("House rule: 400 Bad Request. The RFC default is 422 Unprocessable Content:\n404 says")


def test_twenty_long_rules_full_of_markup_are_all_listed_within_both_platforms_limits(talk):
    from adapters.discord import render as discord_render
    from adapters.slack import render as slack_render
    from tests.fakes import blockkit, discord_limits

    for n, code in enumerate(TWENTY_CODES, start=1):
        situation = (f"rule {n:02} " + "<&>[x](y)@everyone " * 5)[:100]  # most of it escaped when shown
        assert say(talk, f"/status rule add {situation} -> {code}").title == f"House rule {n} added"
    reply = say(talk, "/status rule list")
    slack = slack_render.message(reply)
    assert blockkit.validate_message(slack) == []
    shown = " ".join(block["text"]["text"] for block in slack["blocks"] if "text" in block)
    assert all(f"*Rule {n}*\n“rule {n:02} &lt;&amp;&gt;" in shown for n in range(1, 21))
    assert "<&>" not in shown and "@everyone" not in shown
    assert "” → 204 No Content" in shown  # the last rule, whole
    embed = discord_render.message(reply)["embed"].to_dict()
    assert discord_limits.validate_message({"embeds": [embed], "allowed_mentions": {"parse": []}}) == []
    assert [field["name"] for field in embed["fields"]] == [f"Rule {n}" for n in range(1, 21)]
    assert embed["fields"][0]["value"].endswith("” → 400 Bad Request")
    assert embed["fields"][19]["value"].endswith("” → 204 No Content")


def test_a_rule_added_in_one_process_applies_at_once_in_another(engine):
    first = Conversation(KB, quiz=lambda: default_quiz(KB, engine))
    second = Conversation(KB, quiz=lambda: default_quiz(KB, engine))
    assert say(second, "what code for a validation error?", EVE, MEMBER).title.startswith("422 ")
    assert say(first, "/status rule add validation error -> 400", EVE, ADMIN).title == "House rule 1 added"
    assert say(second, "what code for a validation error?", EVE, MEMBER).title == "House rule: 400 Bad Request"
    assert say(second, "/status rule remove 1", EVE, ADMIN).title == "House rule 1 removed"
    assert say(first, "what code for a validation error?", EVE, MEMBER).title.startswith("422 ")


def test_a_zero_width_character_pasted_inside_a_word_does_not_split_it(talk):
    added = say(talk, "/status rule add vali\u200bdation er\u2060ror -> 400")
    assert added.text.splitlines()[0] == "“validation error” → 400 Bad Request"
    assert say(talk, "/status what code for a validation\ufeff error on signup").title == "House rule: 400 Bad Request"
    assert say(talk, "/status what code for dupli\u200bcate em\u200dail?").title == "409 Conflict"


@pytest.mark.parametrize(
    "text", ["/status rul add validation error -> 400", "/status rulez remove 1", "/status rle list"]
)
def test_a_misspelt_rule_command_says_what_was_meant_instead_of_answering_it_as_a_question(talk, text):
    assert say(talk, text).title == f"Did you mean /status rule {text.split()[2]}?"
    assert say(talk, "/status rule list").title == "No house rules yet"


def test_a_question_starting_with_a_word_like_rule_is_still_a_question(talk):
    assert say(talk, "/status role missing for the user").title != "Did you mean /status rule add?"
