"""Bugs the reliability work found (fuzzing, hostile input), each pinned by a test so it cannot come back."""

from __future__ import annotations

import time

import pytest

from bot.render import escape


def test_a_very_long_pack_name_is_an_unknown_pack_not_a_failure() -> None:
    from bot.quiz.packs import pack_problem

    assert pack_problem("9" * 400) == ""  # no broken pack file to report (once: OSError [Errno 36] File name too long)


def test_reading_quiz_options_is_fast_for_any_word() -> None:
    from bot.quiz.options import OptionError, settings_from

    started = time.perf_counter()
    with pytest.raises(OptionError):
        settings_from("A" * 4000)  # the longest a chat command gets past the limiter
    assert time.perf_counter() - started < 0.1  # once: about 0.3 s (0.9 s at 8,000 characters)


@pytest.mark.parametrize("render", [escape.slack, escape.discord])
def test_a_scheme_glued_to_a_word_is_broken_too(render: object) -> None:
    shown = render("９sshttps://evil.example/login")  # type: ignore[operator]
    assert shown == "９sshttps:\u200b//evil.\u200bexample/login"  # once: the scheme stayed whole


@pytest.mark.parametrize(
    "text",
    [
        "\u202c→9409\u200b49 Conflict](https://evil.example/409){\\x",
        "\u2066→1%<https:.example|click<@!12345678901234567 418",
    ],
)
def test_a_field_that_escaping_empties_still_shows_something(text: str) -> None:
    from bot.conversation import Conversation
    from bot.render.limits import DISCORD, fit
    from tests.fakes.discord_limits import validate_embeds

    for reply in Conversation().on_text(f"/status check {text}"):
        fitted = fit(reply, DISCORD, escape.discord)
        embed = {"title": fitted.title, "fields": [{"name": f.name, "value": f.value} for f in fitted.fields]}
        assert validate_embeds([embed]) == []  # once: a field of bidirectional controls only, blank after escaping
