"""What a user reads for a fixed set of questions, kept as text in ``tests/data/golden/``.

``test_built_from_files.py`` compares a freshly built catalogue (and one read back from the compiled cache)
with these files, so a change to any card, suggestion, confidence shown or guide step fails a test until the
files are written again on purpose and the difference is read in review:

    python -m tests.knowledge.golden        # rewrite tests/data/golden/*.txt from the current code and data
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from bot.cards import answer_card
from bot.guide import GUIDE_ACTION, decode, guide_reply
from bot.lesson import lesson_reply, mistakes_reply
from bot.render.terminal import render_plain
from knowledge import Answer, Knowledge, ask, knowledge

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "golden"
DATA = GOLDEN.parent
# Unassigned numbers a user might try, next to every code of the registry and the unofficial list.
UNASSIGNED = ("105", "150", "199", "209", "250", "299", "309", "350", "419", "430", "452", "499", "512", "550", "599")
LOOKUPS = (
    "not found",
    "teapot",
    "conflcit",
    "too many requests",
    "payment required",
    "Retry-After",
    "www-authenticate",
    "location header",
    "4xx",
    "5xx",
    "2xx",
    "401 vs 403",
    "301 vs 308",
    "400 vs 422",
    "502 vs 504",
    "401 vs 430",
    "what is 418",
    "1000",
    "",
    "???",
    "http 200",
    "status code 409 meaning",
)
SCENARIO_FILES = ("scenarios.jsonl", "chat_fragments.jsonl", "incident_chatter.jsonl")


def codes() -> list[str]:
    """Every number in the reference lists (registered and unofficial) and the unassigned samples, ascending."""
    found = set(UNASSIGNED)
    for name in ("iana-status-codes.csv", "unofficial-status-codes.csv"):
        with open(DATA / name, encoding="utf-8") as file:
            found.update(line.split(",", 1)[0] for line in file.readlines()[1:] if line.strip())
    return sorted(found)


def questions(name: str) -> list[str]:
    """The questions of one of our eval files, in file order."""
    with open(DATA / name, encoding="utf-8") as file:
        return [json.loads(line)["q"] for line in file if line.strip()]


def scenario_line(answer: Answer) -> str:
    """One answer as a user sees its verdict: the certainty, each code with the confidence shown, the runner-up."""
    shown = ", ".join(f"{m.status.code} {m.confidence:.0%}" for m in answer.matches) or "-"
    line = f"{answer.kind} {answer.certainty}: {shown}"
    if answer.runner_up is not None:
        line += f" | runner-up {answer.runner_up.match.status.code} {answer.runner_up.match.confidence:.0%}"
    return line


def guide_pages(kb: Knowledge) -> Iterator[tuple[str, str]]:
    """Every page of the decision guide, reached by clicking forward from its start."""
    waiting: list[tuple[int, ...]] = [()]
    while waiting:
        path = waiting.pop(0)
        reply = guide_reply(kb, path)
        yield ",".join(map(str, path)) or "start", render_plain(reply)
        for action in reply.actions:
            step = decode(action.value) if action.id == GUIDE_ACTION else None
            if step is not None and len(step) > len(path):
                waiting.append(step)


def text_file(blocks: list[str]) -> str:
    """The blocks as one file, without spaces at line ends (editors strip them; they show nothing)."""
    return "".join(line.rstrip() + "\n" for block in blocks for line in block.splitlines())


def snapshots() -> dict[str, str]:
    """File name → its text, as the current code and data produce it."""
    kb = knowledge()
    cards = [f"=== {text}\n{render_plain(answer_card(kb, ask(text)))}" for text in (*codes(), *LOOKUPS)]
    pages = [f"=== guide {path}\n{text}" for path, text in guide_pages(kb)]
    pages += [f"=== lesson\n{render_plain(lesson_reply(kb))}", f"=== mistakes\n{render_plain(mistakes_reply(kb))}"]
    found = {"cards.txt": text_file(cards), "guide.txt": text_file(pages)}
    for name in SCENARIO_FILES:
        found[name.replace(".jsonl", ".txt")] = text_file([f"{q}\t{scenario_line(ask(q))}" for q in questions(name)])
    return found


def main() -> None:
    """Write the golden files from the current code and data."""
    GOLDEN.mkdir(exist_ok=True)
    for name, text in snapshots().items():
        (GOLDEN / name).write_text(text, encoding="utf-8")
        print(f"wrote {GOLDEN / name} ({text.count(chr(10))} lines)")


if __name__ == "__main__":
    main()
