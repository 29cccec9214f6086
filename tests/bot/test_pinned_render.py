"""What the renderers produce, pinned: the exact plain text, the exact cuts, what a platform gets past its limits."""

from __future__ import annotations

import io

import pytest

from bot.render import escape
from bot.render.limits import DISCORD, ELLIPSIS, SLACK, Limits, fit, truncate
from bot.render.terminal import render_plain, segments, write_reply
from bot.reply import Action, Field, Link, Reply

CARD = Reply(
    title="409 Conflict",
    text="The request clashes.\nSecond line.",
    fields=(Field("When to use", "a unique value taken\nstale version"), Field("Example", "POST /users", code=True)),
    colour="yellow",
    links=(Link("Spec", "https://www.rfc-editor.org/rfc/rfc9110"),),
    actions=(Action("a", "Share in channel", "v1"), Action("b", "Learn more", "v2")),
    footer="4xx Client Error",
)
PLAIN = """409 Conflict
The request clashes.
Second line.

When to use
  a unique value taken
  stale version

Example
  POST /users

Spec: https://www.rfc-editor.org/rfc/rfc9110

[1] Share in channel
[2] Learn more
4xx Client Error"""
TINY = Limits(
    title=10,
    text=50,
    field_name=8,
    field_value=60,
    fields=3,
    total=400,
    footer=12,
    button_label=6,
    button_value=4,
    buttons=2,
)


def test_a_reply_renders_as_plain_text_exactly() -> None:
    assert render_plain(CARD) == PLAIN


def test_plain_rendering_leaves_out_empty_parts() -> None:
    assert render_plain(Reply(title="Just a title")) == "Just a title"
    assert render_plain(Reply(title="T", text="body")) == "T\nbody"
    assert render_plain(Reply(title="T", footer="foot")) == "T\nfoot"


def test_segments_carry_the_families_colour_and_styles() -> None:
    styled = segments(CARD)
    assert [style for _, style in styled] == [
        "bold yellow", "", "", "bold", "", "bold", "dim", "", "bold", "underline", "", "bold", "bold", "dim"
    ]  # fmt: skip
    assert styled[0] == ("409 Conflict", "bold yellow")
    assert ("\nWhen to use\n", "bold") in styled and ("  POST /users\n", "dim") in styled
    assert ("  a unique value taken\n  stale version\n", "") in styled
    assert ("Spec: ", "bold") in styled and ("https://www.rfc-editor.org/rfc/rfc9110\n", "underline") in styled
    assert ("[2] Learn more\n", "bold") in styled and styled[-1] == ("4xx Client Error\n", "dim")
    assert segments(Reply(title="x", colour="purple"))[0] == ("x", "bold white")
    assert segments(Reply(title="x", colour="grey"))[0] == ("x", "bold white")


def test_terminal_rendering_drops_control_sequences_everywhere() -> None:
    hostile = "\x1b[2J\u202e"
    reply = Reply(
        title=f"t{hostile}",
        text=f"x{hostile}",
        fields=(Field(f"n{hostile}", f"v{hostile}"),),
        actions=(Action("i", f"l{hostile}", "v"),),
        footer=f"f{hostile}",
    )
    assert render_plain(reply) == "t\nx\n\nn\n  v\n\n[1] l\nf"


def test_piped_output_is_the_plain_text_and_a_terminal_gets_colour() -> None:
    piped = io.StringIO()
    write_reply(CARD, piped, colour=False)
    assert piped.getvalue() == PLAIN + "\n"
    coloured = io.StringIO()
    write_reply(Reply(title="T\x1b[2J", text="body", fields=(Field("F", "v"),), footer="foot"), coloured, colour=True)
    out = coloured.getvalue()
    assert "\x1b[2J" not in out and "T" in out and "body" in out and "foot" in out and "  v" in out


@pytest.mark.parametrize(
    "text,limit,cut",
    [
        ("alpha beta gamma", 12, "alpha beta…"),
        ("alpha beta gamma", 16, "alpha beta gamma"),
        ("alpha beta gamma", 15, "alpha beta…"),
        ("alpha\nbeta gamma delta", 17, "alpha\nbeta…"),  # the line break is too early: the last space
        ("first line here\nsecond", 20, "first line here…"),
        ("abcdefghijklmnop", 8, "abcdefg…"),  # no boundary in the second half: a hard cut
        ("abc defghijklmnop", 10, "abc defgh…"),  # the only space is in the first half
        ("word   \nnext words", 9, "word…"),
        ("abc", 1, ELLIPSIS),
        ("abc", 0, ""),
        ("", 0, ""),
    ],
)
def test_truncate_cuts_at_a_boundary_and_marks_it(text: str, limit: int, cut: str) -> None:
    assert truncate(text, limit) == cut
    assert len(truncate(text, limit)) <= limit


def test_fit_within_tiny_limits_cuts_each_part_and_points_to_the_rest() -> None:
    reply = Reply(
        title="A rather long title",
        text="word " * 30,
        fields=tuple(Field(f"Field number {i}", "value " * 5) for i in range(6)),
        links=(Link("Spec", "https://x.example"),),
        actions=(Action("a", "Share in channel", "v1:long"), Action("b", "Two", "v2"), Action("c", "Three", "v3")),
        footer="a footer that is long",
    )
    fitted = fit(reply, TINY)
    assert fitted.title == "A rather…"
    assert fitted.footer == "a footer…"
    assert fitted.text == "word " * 8 + "word…"  # 50 characters at most, cut at a word
    assert [f.name for f in fitted.fields] == ["Field…", "Field…", "More"]
    assert fitted.fields[0].value == "value " * 5
    assert fitted.fields[-1].value == "The full reference is behind the links."
    assert fitted.actions == (Action("a", "Share…", "v1:l"), Action("b", "Two", "v2"))


def test_without_links_the_pointer_asks_for_a_narrower_question() -> None:
    reply = Reply(title="t", fields=tuple(Field(f"f{i}", "v") for i in range(30)))
    fitted = fit(reply, DISCORD)
    assert len(fitted.fields) == DISCORD.fields
    assert fitted.fields[-1] == Field("More", "Ask a narrower question for the rest.")
    assert [f.name for f in fitted.fields[:-1]] == [f"f{i}" for i in range(24)]


def test_a_reply_that_fits_is_unchanged_and_blank_parts_get_placeholders() -> None:
    assert fit(CARD, SLACK) == CARD
    blank = fit(Reply(title="", fields=(Field("", ""),)), SLACK)
    assert blank.title == "statusbot" and blank.fields == (Field("·", "·"),)


def test_the_last_field_may_use_the_room_a_pointer_would_need() -> None:
    limits = TINY._replace(total=130, fields=5, field_value=200)
    reply = Reply(title="t", fields=(Field("one", "x" * 40), Field("two", "y " * 30)))
    fitted = fit(reply, limits)
    assert [f.name for f in fitted.fields] == ["one", "two"]
    assert sum(len(f.name) + len(f.value) for f in fitted.fields) + 1 <= 130


def test_escaped_text_is_cut_without_half_an_entity() -> None:
    fitted = fit(Reply(title="t", text="a" * 46 + " <&>"), TINY, escape.slack)
    assert fitted.text == "a" * 46 + "…"
    fitted = fit(Reply(title="<<<<<<<<<<"), TINY, escape.slack)
    assert fitted.title == "&lt;&lt;…"


def test_slack_and_discord_escape_before_measuring() -> None:
    fitted = fit(Reply(title="<@U1>", text="@everyone", footer="<!here>"), SLACK, escape.slack)
    assert (fitted.title, fitted.text, fitted.footer) == ("&lt;@U1&gt;", "@\u200beveryone", "&lt;!here&gt;")
    fitted = fit(Reply(title="<@1>", fields=(Field("[x](y)", "<@&2>"),)), DISCORD, escape.discord)
    assert fitted.title == "<\u200b@1>" and fitted.fields == (Field("\\[x\\]\u200b(y)", "<\u200b@&2>"),)


def coloured(reply: Reply, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What a colour terminal receives, line by line (trailing padding dropped: it is invisible)."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("NO_COLOR", raising=False)
    stream = io.StringIO()
    write_reply(reply, stream, colour=True)
    return [line.rstrip(" ") for line in stream.getvalue().split("\n")]


def test_a_terminal_shows_the_family_colour_bold_headings_and_dim_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    reply = Reply(
        title="409 Conflict",
        text="Clash.",
        fields=(Field("When", "taken"), Field("Example", "POST /u", code=True)),
        colour="yellow",
        links=(Link("Spec", "https://x.io"),),
        actions=(Action("a", "Share", "v"),),
        footer="4xx",
    )
    assert coloured(reply, monkeypatch) == [
        "\x1b[1;33m409 Conflict\x1b[0m",
        "Clash.",
        "",
        "\x1b[1mWhen\x1b[0m",
        "  taken",
        "",
        "\x1b[1mExample\x1b[0m",
        "  \x1b[2mPOST /u\x1b[0m",
        "",
        "\x1b[1mSpec: \x1b[0m\x1b[4mhttps://x.io\x1b[0m",
        "",
        "\x1b[1m[1] Share\x1b[0m",
        "\x1b[2m4xx\x1b[0m",
        "",
    ]


@pytest.mark.parametrize("colour,code", [("red", "31"), ("green", "32"), ("blue", "34"), ("nope", "37")])
def test_a_terminal_title_takes_its_familys_colour_else_white(
    colour: str, code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert coloured(Reply(title="T\x1b[2J\u202e", colour=colour), monkeypatch) == [f"\x1b[1;{code}mT\x1b[0m", ""]


def test_a_terminal_gets_no_control_sequence_from_any_part(monkeypatch: pytest.MonkeyPatch) -> None:
    hostile = "\x1b]0;pwned\x07\u202e"
    reply = Reply(
        title=f"t{hostile}",
        text=f"x{hostile}",
        fields=(Field(f"n{hostile}", f"v{hostile}"),),
        actions=(Action("i", f"l{hostile}", "v"),),
        footer=f"f{hostile}",
    )
    shown = "\n".join(coloured(reply, monkeypatch))
    assert "pwned" not in shown and "\u202e" not in shown and "\x07" not in shown
    assert "\x1b]" not in shown


@pytest.mark.parametrize(
    "text,limit,cut",
    [
        ("abc", 2, "a…"),
        ("abc defgh", 6, "abc…"),  # a space exactly halfway is still a boundary
        ("abc defghij", 7, "abc…"),
    ],
)
def test_truncate_at_its_edges(text: str, limit: int, cut: str) -> None:
    assert truncate(text, limit) == cut


def test_plain_text_keeps_what_the_reply_ends_with() -> None:
    assert render_plain(Reply(title="T", footer="FOX")) == "T\nFOX"
    assert render_plain(Reply(title="T", text="x  ")) == "T\nx  "


BOX = TINY._replace(field_value=200, fields=5, total=200)


def test_text_gives_way_entirely_when_title_and_footer_take_the_room() -> None:
    assert fit(Reply(title="t", text="hello"), BOX._replace(total=30)).text == ""


def test_the_last_field_gets_the_room_no_pointer_needs() -> None:
    # 200 in all: "t" (1), field a (1 + 100): 98 left, and the last field needs no room for a "More" pointer
    fitted = fit(Reply(title="t", fields=(Field("a", "x" * 100), Field("b", "y" * 97))), BOX)
    assert [(f.name, f.value) for f in fitted.fields] == [("a", "x" * 100), ("b", "y" * 97)]


def test_a_last_field_with_forty_characters_of_room_is_kept() -> None:
    fitted = fit(Reply(title="t", fields=(Field("a", "x" * 158), Field("b", "y" * 60))), BOX)
    assert [(f.name, f.value) for f in fitted.fields] == [("a", "x" * 156 + "…"), ("b", "y" * 39 + "…")]
