"""The renderer alone: a Reply as an embed and buttons Discord accepts, coloured by family, nothing pingable."""

from __future__ import annotations

import pytest

from adapters.discord import render
from bot.conversation import Conversation, Place, User
from bot.platform import Platform
from bot.reply import Action, Field, Link, Reply
from tests.fakes.discord_limits import mention_risk, validate_components, validate_embeds

BAD = [
    "",
    "x" * 6000,
    "@everyone look",
    "<@&123> and <@456> in <#789>",
    "[label](https://example.com)",
    "4\u200b0\u200b9 \u202eevil\u202c",
    "```\n@here\n```",
]


@pytest.fixture
def conversation():
    return Conversation(platform=Platform("discord", private_answers=True, channel_messages=False))


def payload(reply: Reply) -> dict:
    layout = render.view(reply)
    return {"embeds": [render.embed(reply).to_dict()], "components": layout.to_components() if layout else []}


def assert_valid(message: dict) -> None:
    assert validate_embeds(message["embeds"]) == []
    assert validate_components(message["components"]) == []
    assert mention_risk(message) == []


def test_a_card_is_an_embed_coloured_by_family_with_its_buttons(conversation):
    message = payload(conversation.on_command("status", "409")[0])
    embed = message["embeds"][0]
    assert embed["title"] == "409 Conflict"
    assert embed["color"] == 0xE67E22  # 4xx: orange
    buttons = [b for row in message["components"] for b in row["components"]]
    assert buttons[0]["label"] == "Share in channel"
    assert buttons[0]["custom_id"] == "statusbot.share|v1:a:409"
    assert [b["label"] for b in buttons[1:]] == ["Spec", "Docs"]
    assert buttons[1]["url"] == "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10"
    example = next(f for f in embed["fields"] if f["name"].startswith("Example"))
    assert example["value"].startswith("```\nPOST /users")
    assert example["value"].endswith("\n```")
    assert_valid(message)


@pytest.mark.parametrize(
    ("query", "colour"),
    [("100", 0x95A5A6), ("204", 0x2ECC71), ("301", 0x3498DB), ("503", 0xE74C3C), ("help", 0x99AAB5)],
)
def test_each_family_has_its_colour(conversation, query, colour):
    assert payload(conversation.on_command("status", query)[0])["embeds"][0]["color"] == colour


def test_a_code_field_cannot_be_closed_early_or_ping():
    reply = Reply(
        title="t", fields=(Field("Example", "GET /x ```\n@everyone <@&1> [a](https://example.com)`", code=True),)
    )
    value = payload(reply)["embeds"][0]["fields"][0]["value"]
    assert value.count("```") == 2
    assert value.startswith("```\n") and value.endswith("\n```")
    assert_valid(payload(reply))


@pytest.mark.parametrize("text", BAD)
@pytest.mark.parametrize("command", ["", "check ", "guide "])
def test_bad_input_still_renders_valid_and_safe(conversation, command, text):
    for reply in conversation.on_command("status", command + text):
        assert_valid(payload(reply))


def test_oversized_replies_are_cut_to_discords_limits():
    reply = Reply(
        title="T" * 400,
        text="word " * 2000,
        fields=tuple(Field(f"F{i}" * 100, "v " * 900, code=i % 2 == 0) for i in range(40)),
        footer="f" * 3000,
        actions=tuple(Action("statusbot.card", f"button {i}" * 20, f"v1:{i}") for i in range(30)),
        links=(Link("Spec", "https://www.rfc-editor.org/rfc/rfc9110"),),
    )
    message = payload(reply)
    assert_valid(message)
    assert sum(len(row["components"]) for row in message["components"]) == 25


def test_every_quiz_and_practice_button_fits_a_custom_id(conversation, tmp_path, monkeypatch):
    monkeypatch.setenv("STATUSBOT_DB", str(tmp_path / "db.sqlite3"))
    ada, place = User("1", "Ada"), Place("1", "2")
    replies = conversation.on_command("quiz", "start questions:3", ada, place)
    replies += conversation.on_command("quiz", "practice", ada, place)
    assert any(r.actions for r in replies)
    for reply in replies:
        assert_valid(payload(reply))


def test_a_button_whose_id_would_not_fit_is_left_out_rather_than_breaking_the_message():
    reply = Reply(title="t", actions=(Action("statusbot.card", "fits", "v1:409"), Action("x" * 60, "long", "v" * 60)))
    message = payload(reply)
    assert [b["label"] for row in message["components"] for b in row["components"]] == ["fits"]
    assert_valid(message)
