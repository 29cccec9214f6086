"""The one terminal renderer: plain text when piped, colours (via rich) in a terminal."""

from __future__ import annotations

from typing import TextIO

from bot.render.escape import terminal
from bot.reply import Reply

# rich colour per family colour name
RICH_COLOURS = {"blue": "blue", "green": "green", "cyan": "cyan", "yellow": "yellow", "red": "red", "grey": "white"}
INDENT = "  "


def segments(reply: Reply) -> list[tuple[str, str]]:
    """The reply as (text, style) pieces; styles are rich style names, '' for plain."""
    reply = _safe(reply)
    colour = RICH_COLOURS.get(reply.colour, "white")
    out: list[tuple[str, str]] = [(reply.title, f"bold {colour}"), ("\n", "")]
    if reply.text:
        out.append((reply.text + "\n", ""))
    for field in reply.fields:
        out.append(("\n" + field.name + "\n", "bold"))
        body = "\n".join(INDENT + line for line in field.value.splitlines())
        out.append((body + "\n", "dim" if field.code else ""))
    if reply.links:
        out.append(("\n", ""))
        for link in reply.links:
            out.append((f"{link.label}: ", "bold"))
            out.append((link.url + "\n", "underline"))
    if reply.actions:
        out.append(("\n", ""))
        for number, action in enumerate(reply.actions, start=1):
            out.append((f"[{number}] {action.label}\n", "bold"))
    if reply.footer:
        out.append((reply.footer + "\n", "dim"))
    return out


def render_plain(reply: Reply) -> str:
    """The reply as plain text, no colour codes."""
    return "".join(text for text, _ in segments(reply)).rstrip("\n")


def _safe(reply: Reply) -> Reply:
    return reply._replace(
        title=terminal(reply.title),
        text=terminal(reply.text),
        fields=tuple(f._replace(name=terminal(f.name), value=terminal(f.value)) for f in reply.fields),
        footer=terminal(reply.footer),
        actions=tuple(a._replace(label=terminal(a.label)) for a in reply.actions),
    )


def write_reply(reply: Reply, stream: TextIO, *, colour: bool) -> None:
    """Write the reply to a terminal (coloured, wrapped lines keep their indent) or a pipe (plain)."""
    if not colour:
        stream.write(render_plain(reply) + "\n")
        return
    from rich.console import Console, Group
    from rich.padding import Padding
    from rich.text import Text

    reply = _safe(reply)
    tint = RICH_COLOURS.get(reply.colour, "white")
    parts: list[Text | Padding] = [Text(reply.title, style=f"bold {tint}")]
    if reply.text:
        parts.append(Text(reply.text))
    for field in reply.fields:
        parts.append(Text("\n" + field.name, style="bold"))
        parts.append(Padding(Text(field.value, style="dim" if field.code else ""), (0, 0, 0, len(INDENT))))
    if reply.links:
        parts.append(Text(""))
        parts.extend(Text.assemble((f"{link.label}: ", "bold"), (link.url, "underline")) for link in reply.links)
    if reply.actions:
        parts.append(Text(""))
        parts.extend(Text(f"[{n}] {a.label}", style="bold") for n, a in enumerate(reply.actions, start=1))
    if reply.footer:
        parts.append(Text(reply.footer, style="dim"))
    Console(file=stream, highlight=False).print(Group(*parts))
