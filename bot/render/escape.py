"""Escaping of everything a reply shows, so echoed user text can never mention, ping or link.

Replies are plain text; the bot's own links travel separately in ``Reply.links``. Renderers pass
every text part through the function for their platform, which is why no part of a reply needs to
know whether a user typed it.
"""

from __future__ import annotations

import re

ZWSP = "\u200b"
_CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07?|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# bidirectional controls (LRE…RLO, LRI…PDI, the marks) can make an echo read backwards: "exe.txt" shown as "txt.exe"
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BROADCAST = re.compile(r"@(everyone|here|channel)", re.IGNORECASE)
# any "name.tld" (bit.ly/x, discord.gg/abc, example.com): a dot between letters could make a link
_DOTTED_HOST = re.compile(r"(?i)\b([a-z0-9-]+\.)(?=[a-z]{2,})")


def _unlink(text: str) -> str:
    """Break URL schemes and bare host names so no client turns them into links; drop bidirectional controls."""
    text = _BIDI.sub("", text)
    text = text.replace("://", f":{ZWSP}//")  # every scheme, even one glued to the word before it
    return _DOTTED_HOST.sub(lambda m: m.group(1) + ZWSP, text)


def slack(text: str) -> str:
    """Text safe inside Slack mrkdwn: no <!channel>, <@U123>, <url|label> or @here can form."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _unlink(_BROADCAST.sub(lambda m: f"@{ZWSP}{m.group(1)}", text))


def discord(text: str) -> str:
    """Text safe in a Discord message or embed: no @everyone, <@id>, <@&role>, <#channel> or [label](url)."""
    text = _BROADCAST.sub(lambda m: f"@{ZWSP}{m.group(1)}", text)
    text = text.replace("<", f"<{ZWSP}")
    # "](" kept apart too: the escaped \[label\](url) cannot link, and no other markdown reading finds one
    text = text.replace("[", "\\[").replace("]", "\\]").replace("](", "]" + ZWSP + "(")
    return _unlink(text)


def terminal(text: str) -> str:
    """Text safe to print: no control characters, escape sequences or bidirectional controls."""
    return _BIDI.sub("", _CONTROL.sub("", text))
