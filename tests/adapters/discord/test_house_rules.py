"""House rules on Discord, with the real discord.py client against the fake: a moderator adds one, and it changes
an answer, a /status check verdict and a quiz question in that guild only; members may only list."""

from __future__ import annotations

import pytest

from tests.adapters.discord.harness import answered, button, buttons, running, text_of, title

pytestmark = pytest.mark.asyncio

EMAIL_MISTAKE = "POST /users (the email is missing the @ symbol) → 404 Not Found"


async def status(fake, world, query, member, guild=None, channel=None):
    record = fake.slash(
        "status", {"query": query}, guild=guild or world.guild, channel=channel or world.channel, member=member
    )
    return (await answered(fake, record)).original


async def test_a_moderators_rule_changes_answers_and_checks(bot, fake, world):
    before = await status(fake, world, "what code for a validation error on signup?", world.bob)
    assert title(before) == "422 Unprocessable Content (formerly Unprocessable Entity)"
    refused = await status(fake, world, "rule add validation error -> 400", world.bob)
    assert title(refused) == "Only admins and moderators can change house rules"
    added = await status(fake, world, "rule add validation error → 400", world.mo)  # Manage Messages
    assert title(added) == "House rule 1 added"
    assert "“validation error” → 400 Bad Request" in text_of(added)
    assert title(await status(fake, world, "rule remove 1", world.ada)) == (
        "Only admins and moderators can change house rules"
    )
    listed = await status(fake, world, "rule list", world.ada)
    assert title(listed) == "House rules (1)"
    assert "Rule 1\n“validation error” → 400 Bad Request" in text_of(listed)

    after = await status(fake, world, "what code for a validation error on signup?", world.bob)
    assert title(after) == "House rule: 400 Bad Request"
    shown = text_of(after)
    assert "Your team's rule 1: “validation error” → 400 Bad Request." in shown
    assert "RFC default: 422 Unprocessable Content (formerly Unprocessable Entity)\nWhy: a field value fails" in shown

    check = await status(fake, world, "check POST /users with invalid email → 422", world.bob)
    assert title(check) == "422 Unprocessable Content breaks house rule 1; use 400 Bad Request"
    fits = await status(fake, world, "check POST /users with invalid email -> 400", world.bob)
    assert title(fits) == "Looks right: 400 Bad Request (house rule 1)"

    other = fake.add_guild("Other", members=["zed"])
    elsewhere = await status(
        fake, world, "what code for a validation error on signup?", other.member("zed"), other, other.channel("general")
    )
    assert title(elsewhere) == "422 Unprocessable Content (formerly Unprocessable Entity)"

    # bad input: a friendly line, nothing changed; what a user typed is shown escaped
    assert title(await status(fake, world, "rule add validation error -> 299", world.mo)) == (
        "That code can't be a house rule"
    )
    pinged = await status(fake, world, "rule add @everyone [free](https://x.example) outage -> 503", world.mo)
    assert title(pinged) == "House rule 2 added"
    listed = await status(fake, world, "rule list", world.ada)
    assert "@\u200beveryone" in text_of(listed) and "](https" not in text_of(listed)
    assert running(bot)


async def test_a_quiz_question_on_the_rules_situation_takes_the_house_rule(bot, fake, world):
    await status(fake, world, "rule add validation error -> 400", world.mo)
    start = fake.slash(
        "quiz",
        {"questions": 5, "seconds": 60, "level": "easy", "topic": "mistakes"},
        subcommand="start",
        guild=world.guild,
        channel=world.channel,
        member=world.ada,
    )
    await answered(fake, start)

    def public(wanted):
        return next((m for m in fake.messages(world.channel) if not m["flags"] & 64 and title(m) == wanted), None)

    for number in range(1, 6):  # the five easy mistake questions, in a random order
        wanted = f"Question {number} of 5"
        asked = await fake.wait_for_async(lambda wanted=wanted: public(wanted), 10, what=wanted)
        if EMAIL_MISTAKE in (asked["embeds"][0].get("description") or ""):
            break
        skip = fake.slash("quiz", {}, subcommand="skip", guild=world.guild, channel=world.channel, member=world.ada)
        await answered(fake, skip)
    else:
        raise AssertionError("the game never asked about the email without @")
    labels = [b["label"][3:] for b in buttons(asked)]
    assert "400 Bad Request" in labels and "422 Unprocessable Content" not in labels
    letter = chr(65 + labels.index("400 Bad Request"))
    clicked = await answered(fake, fake.click(asked, button(asked, f"{letter}. 400 Bad Request"), member=world.bob))
    await fake.wait_for_async(lambda: clicked.original or clicked.followups, what="the private acknowledgement")
    said = clicked.original if clicked.original else clicked.followups[0]
    assert title(said).startswith("Right! +")
    skip = fake.slash("quiz", {}, subcommand="skip", guild=world.guild, channel=world.channel, member=world.ada)
    await answered(fake, skip)
    reveal = await fake.wait_for_async(
        lambda: (m := fake.message(asked["id"])) and title(m).startswith("Answer: ") and m, 10, what="the reveal"
    )
    assert title(reveal) == "Answer: 400 Bad Request"
    assert "House rule: 400 Bad Request. The RFC default is 422 Unprocessable Content:" in text_of(reveal)
    stop = fake.slash("quiz", {}, subcommand="stop", guild=world.guild, channel=world.channel, member=world.ada)
    await answered(fake, stop)
    assert running(bot)


async def test_a_moderator_may_change_rules_by_mentioning_the_bot_and_a_member_may_not(bot, fake, world):
    mine = lambda: [m for m in fake.messages(world.channel) if m["author"]["id"] == str(fake.bot_user.id)]  # noqa: E731
    fake.user_message(world.channel, world.bob, f"<@{fake.bot_user.id}> rule add validation error -> 400")
    refused = await fake.wait_for_async(mine, what="the refusal")
    assert [title(m) for m in refused] == ["Only admins and moderators can change house rules"]
    fake.user_message(world.channel, world.mo, f"<@{fake.bot_user.id}> rule add validation error -> 400")
    added = await fake.wait_for_async(lambda: mine() if len(mine()) == 2 else [], what="the rule added")
    assert title(added[1]) == "House rule 1 added"
    assert running(bot)
