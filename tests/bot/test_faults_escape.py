"""Bidirectional controls in echoed text are dropped on every platform, so nothing can read backwards."""

from __future__ import annotations

import pytest

from bot.render import escape
from bot.render.terminal import render_plain
from bot.reply import Field, Reply

BIDI = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
]


@pytest.mark.parametrize(
    "render", [escape.slack, escape.discord, escape.terminal], ids=["slack", "discord", "terminal"]
)
@pytest.mark.parametrize("control", BIDI, ids=[f"U+{ord(c):04X}" for c in BIDI])
def test_bidirectional_controls_are_dropped(render, control):
    shown = render(f"invoice{control}fdp.exe is {control}ready")
    assert control not in shown
    assert "invoice" in shown and "ready" in shown


def test_a_pack_question_with_an_override_renders_without_it():
    reply = Reply(title="Question 1 of 1", text="Which code\u202e?", fields=(Field("Choices", "A. 409\u2067"),))
    shown = render_plain(reply)
    assert not set(BIDI) & set(shown)
    assert shown.startswith("Question 1 of 1\nWhich code?\n")
