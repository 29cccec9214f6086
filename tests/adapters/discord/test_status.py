"""/status on Discord against the fake: every kind of answer, autocomplete, sharing, the guide, the check box,
the message command, DMs and user installs. Each test ends with no payload rejected and no unsafe mention."""

from __future__ import annotations

import pytest

from tests.adapters.discord.harness import answered, button, buttons, embed, running, text_of, title
from tests.fakes.discord_api import CALLBACK_DEFERRED_UPDATE, CALLBACK_MESSAGE, CALLBACK_MODAL, CALLBACK_UPDATE

pytestmark = pytest.mark.asyncio


async def ask(fake, world, query, member=None):
    options = {"query": query} if query is not None else {}
    record = fake.slash("status", options, guild=world.guild, channel=world.channel, member=member or world.ada)
    return await answered(fake, record)


async def test_409_is_a_private_orange_card_with_share_and_links(bot, fake, world):
    record = await ask(fake, world, "409")
    assert record.response.type == CALLBACK_MESSAGE
    assert record.ephemeral
    card = embed(record.original)
    assert card["title"] == "409 Conflict"
    assert card["color"] == 0xE67E22
    assert [b["label"] for b in buttons(record.original)] == ["Share in channel", "Spec", "Docs"]
    example = next(f for f in card["fields"] if f["name"].startswith("Example"))
    assert example["value"].startswith("```\nPOST /users")
    assert fake.messages(world.channel) == [record.original]  # nothing public
    assert running(bot)


@pytest.mark.parametrize(
    ("query", "expected", "colour"),
    [
        ("what code for duplicate email?", "409 Conflict", 0xE67E22),
        ("401 vs 403", "401 Unauthorized vs 403 Forbidden", 0xE67E22),
        ("4xx", "4xx Client Error", 0xE67E22),
        ("Retry-After", "Retry-After header", 0x99AAB5),
        ("mistakes", "Common status code mistakes", 0xE67E22),
        ("lesson", "HTTP status codes in five families", None),
        ("help", "What statusbot understands", 0x99AAB5),
        (None, "What statusbot understands", 0x99AAB5),
        ("204", "204 No Content", 0x2ECC71),
        ("503", "503 Service Unavailable", 0xE74C3C),
        ("check GET /users/invalid-id -> 500", "500 Internal Server Error doesn't fit; use 400 Bad Request", None),
    ],
)
async def test_every_kind_of_question(bot, fake, world, query, expected, colour):
    record = await ask(fake, world, query)
    assert record.ephemeral
    assert title(record.original) == expected
    if colour is not None:
        assert embed(record.original)["color"] == colour
    assert running(bot)


async def test_a_scenario_answer_names_the_runner_up(bot, fake, world):
    record = await ask(fake, world, "what code for duplicate email?")
    assert "422" in text_of(record.original)


async def test_autocomplete_suggests_codes_for_numbers_and_names_for_words(bot, fake, world):
    record = await answered(fake, fake.autocomplete("status", "query", "40", guild=world.guild, member=world.ada))
    names = [choice["name"] for choice in record.choices]
    assert names[:2] == ["400 Bad Request", "401 Unauthorized"]
    assert "404 Not Found" in names
    assert 0 < len(names) <= 25
    words = await answered(fake, fake.autocomplete("status", "query", "unauth", guild=world.guild, member=world.bob))
    assert words.choices[0] == {"name": "401 Unauthorized", "value": "401"}
    header = await answered(fake, fake.autocomplete("status", "query", "retry-af", guild=world.guild, member=world.bob))
    assert header.choices[0]["value"] == "Retry-After"
    many = await answered(fake, fake.autocomplete("status", "query", "e", guild=world.guild, member=world.bob))
    assert len(many.choices) == 25
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in many.choices)
    assert running(bot)


async def test_share_posts_the_same_card_for_everyone_saying_who_shared_it(bot, fake, world):
    record = await ask(fake, world, "409")
    click = await answered(fake, fake.click(record.original, button(record.original, "Share"), member=world.ada))
    assert click.response.type == CALLBACK_DEFERRED_UPDATE
    public = await fake.wait_for_async(
        lambda: [m for m in fake.messages(world.channel) if not m["flags"] & 64], what="the shared card"
    )
    assert title(public[0]) == "409 Conflict"
    assert embed(public[0])["footer"]["text"].startswith("Shared by Ada")
    assert [b["label"] for b in buttons(public[0])] == ["Spec", "Docs"]
    assert public[0]["allowed_mentions"] == {"parse": []}
    assert running(bot)


async def test_the_guide_edits_its_message_in_place_down_to_a_code(bot, fake, world):
    record = await ask(fake, world, "guide")
    assert title(record.original) == "Did the request succeed?"
    message = record.original
    for label, expected in (
        ("No, something went wrong", "Who caused the problem?"),
        ("The client", "What specifically happened?"),
        ("No or invalid credentials", "Use 401 Unauthorized"),
    ):
        click = await answered(fake, fake.click(message, button(message, label), member=world.ada))
        assert click.response.type == CALLBACK_UPDATE
        message = fake.message(record.original["id"])
        assert title(message) == expected
    assert len(fake.messages(world.channel)) == 1  # one message, edited at each step
    assert running(bot)


async def test_check_without_text_opens_a_box_and_reviews_what_is_pasted(bot, fake, world):
    record = await ask(fake, world, "check")
    assert record.response.type == CALLBACK_MODAL
    assert record.modal["title"] == "Check a response"
    box = record.modal["components"][0]["components"][0]
    assert box["style"] == 2  # a paragraph
    submitted = fake.submit_modal(record, {box["custom_id"]: "POST /users with invalid email → 404"})
    await answered(fake, submitted)
    reply = await fake.wait_for_async(lambda: submitted.original, what="the review")
    assert title(reply) == "404 Not Found doesn't fit; use 422 Unprocessable Content"
    assert submitted.ephemeral
    assert running(bot)


async def test_the_message_command_checks_any_message(bot, fake, world):
    posted = fake.user_message(world.channel, world.bob, "GET /users/invalid-id -> 500")
    record = await answered(fake, fake.message_command("Check with statusbot", posted, member=world.ada))
    assert record.ephemeral
    assert title(record.original) == "500 Internal Server Error doesn't fit; use 400 Bad Request"
    assert running(bot)


async def test_a_dm_answers_and_shares_in_the_dm(bot, fake, world):
    zoe = fake.add_user("zoe")
    record = await answered(fake, fake.slash("status", {"query": "418"}, user=zoe))
    assert title(record.original) == "418 I'm a teapot (unused)"
    await answered(fake, fake.click(record.original, button(record.original, "Share"), user=zoe))
    dm = fake.dm_channel(zoe)
    shared = await fake.wait_for_async(lambda: [m for m in fake.messages(dm) if not m["flags"] & 64])
    assert embed(shared[0])["footer"]["text"].startswith("Shared by Zoe")
    assert running(bot)


async def test_a_user_install_answers_and_shares_where_the_bot_is_not(bot, fake, world):
    zoe = fake.add_user("zoe")
    elsewhere = fake.private_channel(zoe)
    record = await answered(fake, fake.slash("status", {"query": "429"}, user=zoe, channel=elsewhere, context=2))
    assert title(record.original) == "429 Too Many Requests"
    click = await answered(fake, fake.click(record.original, button(record.original, "Share"), user=zoe))
    shared = await fake.wait_for_async(lambda: click.followups, what="the shared card")
    assert title(shared[0]) == "429 Too Many Requests"
    assert not shared[0]["flags"] & 64  # everyone in that DM sees it
    assert embed(shared[0])["footer"]["text"].startswith("Shared by Zoe")
    assert running(bot)


async def test_where_the_bot_may_not_post_a_share_still_shows_and_a_quiz_is_explained(bot, fake, world):
    muted = fake.add_channel(world.guild, "muted", overwrites=[{"id": world.guild.id, "type": 0, "deny": 1 << 11}])
    record = await answered(
        fake, fake.slash("status", {"query": "409"}, guild=world.guild, channel=muted, member=world.ada)
    )
    click = await answered(fake, fake.click(record.original, button(record.original, "Share"), member=world.ada))
    shared = await fake.wait_for_async(lambda: click.followups, what="the shared card")
    assert embed(shared[0])["footer"]["text"].startswith("Shared by Ada")
    assert not shared[0]["flags"] & 64
    start = fake.slash("quiz", {"seconds": 5}, subcommand="start", guild=world.guild, channel=muted, member=world.ada)
    told = await fake.wait_for_async(lambda: start.original and start.original.get("embeds") and start.original)
    assert title(told) == "I can't post in this channel"
    assert "Send Messages" in text_of(told)
    assert start.ephemeral
    assert running(bot)


async def test_quizzes_are_not_offered_in_dms(bot, fake, world):
    zoe = fake.add_user("zoe")
    with pytest.raises(AssertionError):
        fake.slash("quiz", {}, subcommand="score", user=zoe)
    assert running(bot)


async def test_a_direct_message_is_answered_in_the_dm(bot, fake, world):
    zoe = fake.add_user("zoe")
    dm = fake.dm_channel(zoe)
    fake.user_message(dm, zoe, "what code for duplicate email?")
    answer = await fake.wait_for_async(
        lambda: [m for m in fake.messages(dm) if m["author"]["id"] == str(fake.bot_user.id)], what="the answer"
    )
    assert title(answer[0]) == "409 Conflict"
    assert answer[0]["allowed_mentions"] == {"parse": []}
    fake.user_message(dm, zoe, "guide")
    guide = await fake.wait_for_async(lambda: [m for m in fake.messages(dm) if title(m) == "Did the request succeed?"])
    click = await answered(fake, fake.click(guide[0], button(guide[0], "No, something went wrong"), user=zoe))
    assert click.response.type == CALLBACK_UPDATE
    assert title(fake.message(guide[0]["id"])) == "Who caused the problem?"
    assert running(bot)


async def test_a_mention_in_a_server_channel_is_answered_there(bot, fake, world):
    """Without the Message Content intent the bot still reads messages that mention it."""
    mine = lambda: [m for m in fake.messages(world.channel) if m["author"]["id"] == str(fake.bot_user.id)]  # noqa: E731
    fake.user_message(world.channel, world.bob, "<@999> what code for duplicate email?")  # someone else
    fake.user_message(world.channel, world.ada, f"<@{fake.bot_user.id}> what code for duplicate email?")
    answer = await fake.wait_for_async(mine, what="the answer in the channel")
    assert [title(m) for m in answer] == ["409 Conflict"]
    assert answer[0]["allowed_mentions"] == {"parse": []}
    fake.user_message(world.channel, world.ada, f"<@!{fake.bot_user.id}>   ")  # a bare mention asks nothing
    fake.user_message(world.channel, world.ada, f"hey <@{fake.bot_user.id}> 404 @everyone")
    both = await fake.wait_for_async(lambda: mine() if len(mine()) == 2 else [], what="the second answer")
    assert title(both[1]) == "404 Not Found"
    assert running(bot)


async def test_a_post_discord_refuses_is_explained_privately(bot, fake, world):
    record = await ask(fake, world, "409")
    fake.fail_next("POST", r"/channels/\d+/messages$", status=403, code=50013)
    click = await answered(fake, fake.click(record.original, button(record.original, "Share"), member=world.ada))
    told = await fake.wait_for_async(lambda: click.followups, what="the private explanation")
    assert title(told[0]) == "I can't post in this channel"
    assert told[0]["flags"] & 64
    assert running(bot)


async def test_an_answer_to_a_mention_or_a_dm_is_already_shared_so_it_has_no_share_button(bot, fake, world):
    mine = lambda: [m for m in fake.messages(world.channel) if m["author"]["id"] == str(fake.bot_user.id)]  # noqa: E731
    fake.user_message(world.channel, world.ada, f"<@{fake.bot_user.id}> what code for duplicate email?")
    answer = await fake.wait_for_async(mine, what="the answer in the channel")
    assert title(answer[0]) == "409 Conflict"
    labels = [b["label"] for b in buttons(answer[0])]
    assert "👍 Right" in labels and "Share in channel" not in labels
    zoe = fake.add_user("zoe")
    dm = fake.dm_channel(zoe)
    fake.user_message(dm, zoe, "409")
    answer = await fake.wait_for_async(
        lambda: [m for m in fake.messages(dm) if m["author"]["id"] == str(fake.bot_user.id)], what="the DM answer"
    )
    assert title(answer[0]) == "409 Conflict" and "Share in channel" not in [b["label"] for b in buttons(answer[0])]
    assert running(bot)
