"""Questions of the generated bank pinned whole, as a player sees them: the prompt, the four choices in the
bank's order, the explanation shown after the reveal, and the level and topic the game filters on.

The bank is generated from the catalogue: when its data changes on purpose, these figures change with it.
"""

# ruff: noqa: E501 - the pinned questions are quoted whole, one string each
from __future__ import annotations

from collections import Counter

import pytest

from bot.quiz.bank import Bank
from bot.quiz.packs import load_packs
from bot.quiz.question import Question
from knowledge import Situation, knowledge, situations


@pytest.fixture(scope="module")
def bank() -> Bank:
    return Bank(knowledge(), situations(), load_packs())


def test_how_many_questions_of_each_kind(bank: Bank) -> None:
    assert Counter(q.kind for q in bank.questions) == Counter(
        {
            "situation": 143,
            "meaning": 40,
            "code": 49,
            "family": 5,
            "mistake": 5,
            "which-mistake": 4,
            "dilemma": 73,
            "pack": 4,
        }
    )
    assert len(bank.pool(typed=True)) == 260
    assert [len(bank.pool(level=level)) for level in ("easy", "medium", "hard")] == [131, 113, 75]
    assert [len(bank.pool(topic=topic)) for topic in ("2xx", "3xx", "4xx", "5xx", "mistakes")] == [60, 37, 147, 53, 9]


PINNED = [
    Question(
        id="lesson:409",
        kind="situation",
        prompt="POST /users (another account already uses this email)\nWhich status should the API send?",
        choices=("409 Conflict", "415 Unsupported Media Type", "429 Too Many Requests", "401 Unauthorized"),
        answer=0,
        explanation="409 Conflict: another account already uses this email.",
        level="easy",
        topic="4xx",
        codes=(409, 415, 429, 401),
        learn=409,
        situation="POST /users (another account already uses this email)",
    ),
    Question(
        id="lesson:200:2",
        kind="situation",
        prompt="PUT /users/123 (updating a user: the body carries the updated user data)\nWhich status should the API send?",
        choices=("200 OK", "205 Reset Content", "208 Already Reported", "403 Forbidden"),
        answer=0,
        explanation="200 OK: updating a user: the body carries the updated user data.",
        level="easy",
        topic="2xx",
        codes=(200, 205, 208, 403),
        learn=200,
        situation="PUT /users/123 (updating a user: the body carries the updated user data)",
    ),
    Question(
        id="lesson:closing",
        kind="situation",
        prompt="A user tries to update another user's profile. They are logged in, but they don't have permission. What should the API return?",
        choices=("403 Forbidden", "401 Unauthorized", "413 Content Too Large", "400 Bad Request"),
        answer=0,
        explanation="They are authenticated, so it isn't 401; they lack permission for someone else's profile: 403.",
        level="easy",
        topic="4xx",
        codes=(403, 401, 413, 400),
        learn=403,
        situation="A user tries to update another user's profile They are logged in, but they don't have permission",
    ),
    Question(
        id="situation:409:217d48b0",
        kind="situation",
        prompt="Situation: “a clinic tries to register a patient with a national id that already has a patient record”. Which status code fits?",
        choices=("409 Conflict", "401 Unauthorized", "405 Method Not Allowed", "429 Too Many Requests"),
        answer=0,
        explanation="409 Conflict: the resource already exists.",
        level="easy",
        topic="4xx",
        codes=(409, 401, 405, 429),
        learn=409,
        situation="a clinic tries to register a patient with a national id that already has a patient record",
    ),
    Question(
        id="meaning-to-code:409",
        kind="meaning",
        prompt="The request clashes with the current state of the resource, e.g. a duplicate or an edit based on stale data.\nWhich status code fits this description?",
        choices=("409 Conflict", "415 Unsupported Media Type", "404 Not Found", "413 Content Too Large"),
        answer=0,
        explanation="409 Conflict: Send it when the request is valid on its own but cannot be applied to the data as it is now: a unique value already taken, a version conflict, an action not possible in the resource's current state. Explain the conflict so the client can resolve it.",
        level="easy",
        topic="4xx",
        codes=(409, 415, 404, 413),
        learn=409,
    ),
    Question(
        id="code-to-meaning:409",
        kind="code",
        prompt="What does 409 mean?",
        choices=(
            "The request clashes with the current state of the resource, e.g. a duplicate or an edit based on stale data.",
            "The request body is bigger than the server is willing or able to process.",
            "The server refuses the request body because of its format (Content-Type) or content coding (Content-Encoding).",
            "Rate limiting: this client went over the number of requests it may make within a time window.",
        ),
        answer=0,
        explanation="409 Conflict: The request clashes with the current state of the resource, e.g. a duplicate or an edit based on stale data.",
        level="easy",
        topic="4xx",
        codes=(409, 413, 415, 429),
        learn=409,
    ),
    Question(
        id="family:4xx",
        kind="family",
        prompt="A response comes back with a 4xx code. What does that tell the client?",
        choices=(
            "The request itself was at fault; the client must change something before trying again.",
            "The client has one more step to take, usually following the URL in the Location header.",
            "The server, or something behind it, failed to handle a request that looked valid.",
            "The server did what the client asked.",
        ),
        answer=0,
        explanation="4xx Client Error: A 4xx puts the blame on the caller: malformed or invalid input, missing or insufficient credentials, a resource that does not exist, or a request that clashes with the resource's current state. Sending exactly the same request again will normally fail the same way, so the client (or its user) should fix the request first, guided by the explanation the server should put in the body. Exceptions are 408 and 429, which are worth retrying after a pause, and 409, which may succeed once the conflict is cleared up.",
        level="easy",
        topic="4xx",
        codes=(400, 300, 500, 200),
        learn=400,
    ),
    Question(
        id="mistake:2",
        kind="mistake",
        prompt="POST /users (the email is missing the @ symbol) → 404 Not Found\nThat answer is a common mistake. Which status should the API send?",
        choices=("422 Unprocessable Content", "413 Content Too Large", "401 Unauthorized", "429 Too Many Requests"),
        answer=0,
        explanation="404 says the thing at that URL does not exist, yet here the endpoint exists and simply received bad data, so the client is sent looking for the wrong problem. Input that fails validation should be answered with 422 Unprocessable Content (the body parses but the values are wrong, like an email without @) or 400 Bad Request (the request is malformed).",
        level="easy",
        topic="mistakes",
        codes=(422, 413, 401, 429),
        learn=422,
        situation="POST /users (the email is missing the @ symbol)",
    ),
    Question(
        id="mistake:5",
        kind="mistake",
        prompt="Which header should every 429 Too Many Requests response carry?",
        choices=("Retry-After", "Allow", "Content-Range", "Location"),
        answer=0,
        explanation="A 429 or 503 tells the client to back off but not for how long, so without a Retry-After header it can only guess: retry too soon and it piles more load on a struggling server, too late and users wait for nothing. Retry-After holds either a number of seconds (Retry-After: 60) or an HTTP date, so clients can schedule their next attempt precisely.",
        level="easy",
        topic="mistakes",
        codes=(),
        learn=429,
    ),
    Question(
        id="which-mistake:3",
        kind="which-mistake",
        prompt="Which of these exchanges is a common status code mistake?",
        choices=(
            "GET /users (no auth token was sent with the request) → 403 Forbidden",
            "GET /users (the database crashed while the list of users was being read: an unexpected failure on the server side) → 500 Internal Server Error",
            "DELETE /users/123 (deleting a user: it worked and there is nothing to return) → 204 No Content",
            "GET /account/settings (a visitor who is not signed in is sent to the login page for now; the settings URL stays valid) → 302 Found",
        ),
        answer=0,
        explanation="Confusing 401 and 403. Ask whether you know who is calling: no, 401 (with WWW-Authenticate); yes but not allowed, 403.",
        level="medium",
        topic="mistakes",
        codes=(403, 500, 204, 302),
        learn=401,
    ),
    Question(
        id="dilemma:401-403",
        kind="dilemma",
        prompt="When the caller is authenticated but lacks permission for this action, which status code fits instead of 401 Unauthorized?",
        choices=("403 Forbidden", "401 Unauthorized", "409 Conflict", "415 Unsupported Media Type"),
        answer=0,
        explanation="401 when the server doesn't know who is calling (credentials missing, expired or invalid); 403 when it knows who is calling and refuses anyway.",
        level="medium",
        topic="4xx",
        codes=(403, 401, 409, 415),
        learn=403,
        situation="the caller is authenticated but lacks permission for this action",
    ),
]


@pytest.mark.parametrize("question", PINNED, ids=[q.id for q in PINNED])
def test_a_generated_question_as_the_player_sees_it(bank: Bank, question: Question) -> None:
    assert bank.by_id[question.id] == question


def test_a_situation_added_to_the_data_leaves_every_other_questions_id_and_words_alone(bank: Bank) -> None:
    """Stored games and practice drills name questions by id: after someone adds a situation in front of the others
    and the bot restarts, each id must still be the same question."""
    before = {q.id: q for q in bank.questions if q.kind == "situation"}
    added = Situation(code=409, reason="a newly written situation", phrases=("two people book the same seat",))
    after = Bank(knowledge(), (added, *situations()), load_packs())
    kept = {q.id: q for q in after.questions if q.kind == "situation" and q.id in before}
    assert kept == before
    assert "situation:409:217d48b0" in kept  # the id a drill stored yesterday


def test_situation_prompts_state_the_situation_rather_than_ask_about_it(bank: Bank) -> None:
    prompts = [q.prompt for q in bank.questions if q.kind == "situation" and q.id.startswith("situation:")]
    assert len(prompts) == 119
    assert [p for p in prompts if "?”" in p or "“what " in p.lower() or "“should " in p.lower()] == []


def test_two_questions_with_one_id_stop_the_bank_from_loading() -> None:
    # two reasons whose crc32 is the same: a stored game could not tell their questions apart
    clash = [
        Situation(
            code=404, reason="cannot find the record fvgehvbpapev", phrases=("asked for an order that is not there",)
        ),
        Situation(
            code=404, reason="cannot find the record fanud oewcgi", phrases=("asked for an invoice that is not there",)
        ),
    ]
    with pytest.raises(ValueError) as error:
        Bank(knowledge(), clash, load_packs())
    assert str(error.value) == "quiz bank: two questions share the id situation:404:17fbea5e"
