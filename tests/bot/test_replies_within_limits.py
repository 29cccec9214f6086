"""Arbitrary text through parser → handler → every renderer: no exception, output within every limit."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.conversation import SHARE_ACTION, Conversation, default_quiz
from bot.guide import GUIDE_ACTION, encode
from bot.quiz.chat import PRACTICE_ACTION
from bot.quiz.replies import ANSWER_ACTION, CARD_ACTION
from bot.render import escape
from bot.render.limits import DISCORD, SLACK, Limits, fit, truncate
from bot.render.terminal import render_plain
from bot.reply import Field, Reply
from bot.storage.database import make_engine, migrate
from knowledge import knowledge


def _conversation() -> Conversation:
    """A conversation whose quiz lives in a database of this module's own, never the user's."""
    engine = make_engine(f"sqlite:///{Path(tempfile.mkdtemp(prefix='statusbot-limits-')) / 'quiz.sqlite3'}")
    migrate(engine)
    return Conversation(quiz=lambda: default_quiz(knowledge(), engine))


CONVERSATION = _conversation()
FAILURE = "Sorry, that went wrong on my side"  # the conversation's last line of defence: a bug, never an answer
EXPIRED = "That button no longer works"
ACTION_IDS = [GUIDE_ACTION, SHARE_ACTION, CARD_ACTION, ANSWER_ACTION, PRACTICE_ACTION]
WORDS = [
    "/status",
    "/quiz",
    "check",
    "guide",
    "help",
    "409",
    "4xx",
    "→",
    "->",
    "vs",
    "@everyone",
    "<@U1>",
    "\n",
    "HTTP/1.1",
    "Retry-After:",
    "token",
    "expired",
    '{"error": "x"}',
    "😀",
    "\x1b[2J",
]
texts = st.one_of(st.text(max_size=400), st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join))


def within(reply: Reply, limits: Limits) -> None:
    assert 1 <= len(reply.title) <= limits.title
    assert len(reply.text) <= limits.text and len(reply.footer) <= limits.footer
    assert len(reply.fields) <= limits.fields
    for field in reply.fields:
        assert 1 <= len(field.name) <= limits.field_name and 1 <= len(field.value) <= limits.field_value
    total = (
        len(reply.title) + len(reply.text) + len(reply.footer) + sum(len(f.name) + len(f.value) for f in reply.fields)
    )
    assert total <= limits.total
    assert len(reply.actions) <= limits.buttons
    for action in reply.actions:
        assert len(action.label) <= limits.button_label and len(action.value) <= limits.button_value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_renders_within_every_platform_limit(text):
    replies = CONVERSATION.on_text(text)
    assert not text.strip() or replies  # every line with something in it gets an answer
    for reply in replies:
        assert reply.title != FAILURE, (text, reply.text)  # the handler's own reply, not the failure net's
        assert render_plain(reply).strip()
        for limits, escaping in ((SLACK, escape.slack), (DISCORD, escape.discord)):
            within(fit(reply, limits, escaping), limits)


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.text(max_size=60), st.sampled_from(ACTION_IDS)), st.text(max_size=60))
def test_any_button_click_gets_the_handlers_reply(action_id, value):
    replies = CONVERSATION.on_action(action_id, value)
    assert replies and all(render_plain(r).strip() for r in replies)
    assert all(reply.title != FAILURE for reply in replies), (action_id, value, replies[0].text)
    if action_id not in ACTION_IDS:
        assert [(r.title, r.private) for r in replies] == [(EXPIRED, True)]


def test_each_button_answers_with_what_it_carries():
    def titles(action_id: str, value: str) -> list[str]:
        return [reply.title for reply in CONVERSATION.on_action(action_id, value)]

    assert titles(CARD_ACTION, "card:409") == ["409 Conflict"]
    assert titles(CARD_ACTION, "card:999x") == [EXPIRED]
    assert titles(GUIDE_ACTION, encode(())) == ["Did the request succeed?"]
    assert titles(GUIDE_ACTION, "v2:0") == [EXPIRED]
    shared = CONVERSATION.on_action(SHARE_ACTION, "v1:a:409")
    assert [(r.title, r.private, r.footer) for r in shared] == [
        ("409 Conflict", False, "Shared by you · 4xx Client Error")
    ]
    assert titles(SHARE_ACTION, "v1:a:  ") == [EXPIRED]
    assert titles("statusbot.nothing", "v1:0") == [EXPIRED]


def test_a_huge_reply_is_cut_with_a_pointer():
    reply = Reply(title="x" * 999, text="y " * 5000, fields=tuple(Field(f"f{i}", "z " * 900) for i in range(60)))
    for limits in (SLACK, DISCORD):
        fitted = fit(reply, limits)
        within(fitted, limits)
        assert fitted.fields[-1].name == "More"


def test_escaping_that_lengthens_text_still_fits():
    long = "<&" * 3000
    reply = Reply(title=long, text=long, fields=(Field(long, long),), footer=long)
    for limits, escaping in ((SLACK, escape.slack), (DISCORD, escape.discord)):
        fitted = fit(reply, limits, escaping)
        within(fitted, limits)
        assert not fitted.text.rstrip("…").endswith(("&", "&l", "&lt", "&am", "&amp"))


def test_truncate_cuts_at_a_word_and_marks_it():
    assert truncate("alpha beta gamma", 12) == "alpha beta…"
    assert truncate("short", 10) == "short"


@given(st.text(max_size=200))
def test_escaped_text_never_mentions_or_links(text):
    for escaped in (escape.slack(text), escape.discord(text)):
        lowered = escaped.lower()
        assert "@everyone" not in lowered and "@here" not in lowered and "@channel" not in lowered
        assert "://" not in escaped
    assert "<@" not in escape.discord(text) and "<#" not in escape.discord(text)
    assert "<!" not in escape.slack(text) and "<@" not in escape.slack(text)


def test_escaping_catches_glued_and_short_forms():
    for text in ("@hereby", "@everyone1", "@here_", "@channelx", "see bit.ly/x or discord.gg/abc"):
        for escaped in (escape.slack(text), escape.discord(text)):
            assert "@here" not in escaped and "@everyone" not in escaped and "@channel" not in escaped
            assert "bit.ly" not in escaped and "discord.gg" not in escaped


def test_escaping_examples():
    assert escape.slack("<!channel> hi <@U123>") == "&lt;!channel&gt; hi &lt;@U123&gt;"
    assert "\\[click\\]" in escape.discord("[click](https://evil.example)")
    assert escape.terminal("\x1b[31mred\x07") == "red"
