"""Bugs the reliability work found outside its own files, each pinned by a test that fails today
(xfail strict: fixing the bug turns the run red until the marker is removed). The fixes are in docs/reliability.md."""

from __future__ import annotations

import time

import pytest

from bot.render import escape


@pytest.mark.xfail(strict=True, reason="bot/quiz/packs.py: pack_problem stats <name>.toml; a long name raises OSError")
def test_a_very_long_pack_name_is_an_unknown_pack_not_a_failure() -> None:
    from bot.quiz.packs import pack_problem

    assert isinstance(pack_problem("9" * 400), str)  # today: OSError [Errno 36] File name too long


@pytest.mark.xfail(strict=True, reason="bot/grammar.py: closest() runs difflib on the whole word, quadratic in length")
def test_reading_quiz_options_is_fast_for_any_word() -> None:
    from bot.quiz.options import OptionError, settings_from

    started = time.perf_counter()
    with pytest.raises(OptionError):
        settings_from("A" * 4000)  # the longest a chat command gets past the limiter
    assert time.perf_counter() - started < 0.1  # today: about 0.3 s (0.9 s at 8,000 characters)


@pytest.mark.xfail(strict=True, reason="bot/render/escape.py: _SCHEME needs a word boundary before the scheme")
@pytest.mark.parametrize("render", [escape.slack, escape.discord])
def test_a_scheme_glued_to_a_word_is_broken_too(render: object) -> None:
    shown = render("９sshttps://evil.example/login")  # type: ignore[operator]
    assert "https://" not in shown  # today: the scheme stays whole, and clients may link "https://evil.…"
