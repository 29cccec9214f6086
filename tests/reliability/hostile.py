"""The hostile corpus (tests/data/hostile_inputs.jsonl) and the checks every reply to it must pass."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "hostile_inputs.jsonl"
# the hosts of the links the bot writes itself: those in the catalogue
BOT_HOSTS = frozenset(
    re.findall(
        r"https?://([A-Za-z0-9.-]+)", "\n".join(p.read_text() for p in (ROOT / "knowledge" / "data").rglob("*.toml"))
    )
)
LIVE_URL = re.compile(r"[A-Za-z0-9]://")  # a scheme left whole: clients would link what follows
SLACK_MARKUP = re.compile(r"<([^<>|]*)(?:\|[^<>]*)?>")


def hostile_inputs() -> list[tuple[str, str]]:
    """(name, text) of every corpus line."""
    lines = [json.loads(line) for line in CORPUS.read_text().splitlines() if line.strip()]
    return [(line["name"], line["text"]) for line in lines]


def shown_texts(data: Any, skip: tuple[str, ...] = ("value", "action_id", "block_id", "url", "custom_id")) -> str:
    """Every string a user could read in a message payload (ids and button values are not shown)."""
    if isinstance(data, str):
        return data
    if isinstance(data, dict):
        return "\n".join(shown_texts(v, skip) for k, v in data.items() if k not in skip)
    if isinstance(data, list):
        return "\n".join(shown_texts(v, skip) for v in data)
    return ""


def mrkdwn_texts(data: Any) -> str:
    """The strings Slack reads as markup: mrkdwn text objects and the message's own ``text`` (notifications).
    plain_text objects (headers, button labels) are shown literally and can neither mention nor link."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(payload := data)
    if isinstance(payload, dict) and isinstance(payload.get("text"), str):
        found.append(payload["text"])
    return "\n".join(found)


def slack_problems(payload: Any) -> list[str]:
    """Mentions, broadcasts or links in a Slack message that the bot did not write; [] when safe."""
    everything = shown_texts(payload)
    shown = mrkdwn_texts(payload)
    problems = []
    for markup in SLACK_MARKUP.finditer(shown):
        target = markup.group(1)
        host = re.match(r"https?://([A-Za-z0-9.-]+)", target)
        if not host or host.group(1) not in BOT_HOSTS:
            problems.append(f"markup {markup.group(0)[:60]!r}")
    outside = SLACK_MARKUP.sub("", shown)
    problems += (
        [f"a live URL near {outside[max(outside.find('://') - 20, 0) :][:50]!r}"] if LIVE_URL.search(outside) else []
    )
    problems += ["evil.example is linkable"] if "evil.example" in everything else []
    return problems


def discord_problems(message: dict[str, Any]) -> list[str]:
    """Links in a Discord message's embeds that the bot did not write (its links are link buttons); [] when safe."""
    shown = shown_texts(message.get("embeds") or []) + "\n" + str(message.get("content") or "")
    problems = [f"a live URL near {shown[max(shown.find('://') - 20, 0) :][:50]!r}"] if LIVE_URL.search(shown) else []
    problems += ["evil.example is linkable"] if "evil.example" in shown else []
    problems += ["a masked link"] if re.search(r"\]\(", shown) else []
    return problems
