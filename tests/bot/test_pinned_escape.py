"""The exact text each platform shows for echoed input that could mention, ping, link or read backwards."""

from __future__ import annotations

import pytest

from bot.render import escape

Z = "\u200b"


@pytest.mark.parametrize(
    "text,shown",
    [
        ("<@123>", f"<{Z}@123>"),
        ("<@!789>", f"<{Z}@!789>"),
        ("<@&456>", f"<{Z}@&456>"),
        ("<#1>", f"<{Z}#1>"),
        ("<t:1:R>", f"<{Z}t:1:R>"),
        ("@everyone", f"@{Z}everyone"),
        ("@HERE now", f"@{Z}HERE now"),
        ("[label](https://x.io)", f"\\[label\\]{Z}(https:{Z}//x.{Z}io)"),
        ("see discord.gg/abc", f"see discord.{Z}gg/abc"),
        ("a\u202eexe.txt", f"aexe.{Z}txt"),
        ("plain 409 text & more", "plain 409 text & more"),
    ],
)
def test_discord_shows(text: str, shown: str) -> None:
    assert escape.discord(text) == shown


@pytest.mark.parametrize(
    "text,shown",
    [
        ("<@U123>", "&lt;@U123&gt;"),
        ("<!channel> hi", "&lt;!channel&gt; hi"),
        ("<!subteam^S1>", "&lt;!subteam^S1&gt;"),
        ("<https://x.io|label>", f"&lt;https:{Z}//x.{Z}io|label&gt;"),
        ("@channel", f"@{Z}channel"),
        ("@here_", f"@{Z}here_"),
        ("a & b", "a &amp; b"),
        ("bit.ly/x", f"bit.{Z}ly/x"),
        ("\u2067rtl\u2069", "rtl"),
        ("plain 409 text", "plain 409 text"),
    ],
)
def test_slack_shows(text: str, shown: str) -> None:
    assert escape.slack(text) == shown


@pytest.mark.parametrize(
    "text,shown",
    [
        ("\x1b[31mred\x1b[0m", "red"),
        ("\x1b]0;title\x07after", "after"),
        ("bell\x07 tab\tnew\nline", "bell tab\tnew\nline"),
        ("a\u202eb\u200fc", "abc"),
        ("\x9bcsi", "csi"),
        ("<@123> [x](https://y.z) café", "<@123> [x](https://y.z) café"),
    ],
)
def test_terminal_shows(text: str, shown: str) -> None:
    assert escape.terminal(text) == shown
