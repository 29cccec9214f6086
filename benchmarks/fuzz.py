"""Fuzzing: random and hostile text through the command grammar, lookups, the scenario engine, ``/status check``,
quiz answer reading and the Slack and Discord renderers.

Every input goes through every target; the run counts crashes (an exception, or the conversation's "went wrong on
my side" line), hangs (one input taking more than 100 ms, confirmed by a second try so a busy machine's hiccup is
not counted) and invalid replies (a Slack or Discord message its platform would refuse, or one that could ping,
mention or carry a link the bot did not write). Inputs are the hostile corpus (tests/data/hostile_inputs.jsonl),
valid commands, and mutations and splices of both; ``--engine atheris`` lets atheris's coverage feedback choose
them instead (when atheris is installed).

Run: python -m benchmarks.fuzz --budget 100000 [--seed 1] [--engine random|atheris]
Target: 0 crashes, 0 hangs, 0 invalid replies.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import logging
import os
import random
import re
import sys
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.reply import Reply

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "hostile_inputs.jsonl"
HANG_SECONDS = 0.1
FAILED = "Sorry, that went wrong on my side"
VALID = [
    "409",
    "4xx",
    "5",
    "unprocesable entity",
    "Retry-After",
    "401 vs 403",
    "418",
    "what code for duplicate email?",
    "api returns 403 when the token is missing, correct?",
    "guide",
    "help",
    "mistakes",
    "lesson",
    "check POST /users with invalid email -> 404",
    'check 200 {"success": false}',
    "check HTTP/1.1 429 Too Many Requests\nRetry-After: 30",
    '127.0.0.1 - - [05/Dec/2026:10:00:00 +0000] "GET /x HTTP/1.1" 500 12',
    "start questions:3 seconds:10 level:hard topic:4xx mode:typed teams:on",
    "conflict",
    "b.",
]
ALPHABET = (
    "0123456789 abcxyzXYZ<>@#!|&;:/\\[]()`*_~'\"\n\t-=>→.,?%{}^$"
    "\u200b\u200c\u200d\u202e\u202c\u2066\u2069\u200f\ufeff\uff10\uff14\uff19\u0303\u0664"
    "\x00\x07\x1b\x7f\ud800\udfff\U0001f4a5é中"
)
MARKERS = ("<!", "<@", "<#")  # Slack mention and link markup
LIVE_URL = re.compile(r"[A-Za-z0-9]://")  # a scheme left whole before "//": clients would link what follows


def corpus() -> list[str]:
    """The hostile corpus's texts, then the valid commands."""
    texts = [json.loads(line)["text"] for line in CORPUS.read_text().splitlines() if line.strip()]
    return texts + VALID


@dataclass
class Figures:
    """What a run found."""

    inputs: int = 0
    crashes: int = 0
    hangs: int = 0
    invalid: int = 0
    slowest: float = 0.0
    seconds: float = 0.0
    examples: list[str] = field(default_factory=list)  # the first failures of each kind, for the report

    def note(self, kind: str, text: str, detail: str) -> None:
        if sum(example.startswith(f"{kind}:") for example in self.examples) < 5:  # five of each kind at most
            self.examples.append(f"{kind}: {text[:80]!r}: {detail[-400:]}")


class Targets:
    """Everything one input is run through; imports lazily so that atheris can instrument them first."""

    def __init__(self) -> None:
        from adapters.discord import render as discord_render
        from adapters.slack import render as slack_render
        from bot.cards import answer_card
        from bot.conversation import Conversation
        from bot.grammar import parse
        from bot.platform import Platform
        from bot.quiz.options import OptionError, settings_from
        from bot.quiz.typed import codes_named, letter_named
        from bot.review_card import review_reply
        from bot.storage.house_rules import HouseRuleStore
        from knowledge import ask, knowledge
        from knowledge.review import review
        from tests.fakes import blockkit, discord_limits

        self.kb = knowledge()
        kb = self.kb
        # no quiz: /quiz commands would need a database, and the quiz's option reading is fuzzed directly
        # house rules in a database of their own: "rule add …" inputs add rules that later inputs are matched against
        self.slack = Conversation(
            kb, platform=Platform("slack", private_answers=True), quiz=self._no_quiz, rules=HouseRuleStore.in_memory
        )
        self.parse = parse

        def answer(text: str) -> Reply:
            return answer_card(kb, ask(text))

        def checked(text: str) -> Reply:
            return review_reply(kb, review(kb, text))

        def typed(text: str) -> tuple[set[int], int | None]:
            return codes_named(kb, text), letter_named(text, 4)

        self.answer, self.review, self.typed = answer, checked, typed
        self.settings_from, self.option_error = settings_from, OptionError
        self.slack_render, self.discord_render = slack_render, discord_render
        self.blockkit, self.discord_limits = blockkit, discord_limits

    @staticmethod
    def _no_quiz() -> Any:
        raise RuntimeError("no quiz in the fuzzer")

    def run(self, text: str) -> list[str]:
        """Run ``text`` through every target; the problems of invalid replies (exceptions propagate: crashes)."""
        self.parse(text)
        self.parse("/status " + text)
        self.typed(text)
        with contextlib.suppress(self.option_error):  # the documented refusal of bad options
            self.settings_from(text)
        replies = [self.answer(text), self.review(text)]
        if not text.lstrip().startswith(("/quiz", "quiz")):
            replies += self.slack.on_command("status", text)
        problems: list[str] = []
        for reply in replies:
            if reply.title == FAILED:
                raise RuntimeError("the conversation answered with its failure line (see the log)")
            problems += self.slack_problems(reply) + self.discord_problems(reply)
        return problems

    def slack_problems(self, reply: Any) -> list[str]:
        message = self.slack_render.message(reply)
        problems = [f"slack: {p}" for p in self.blockkit.validate_message(message)]
        shown = _texts(message, skip=("value", "action_id", "url", "block_id"))
        for link in reply.links:  # the bot's own links are the only <url|label> allowed
            shown = shown.replace(f"<{link.url}|", "")
        problems += [f"slack: {marker!r} in {_around(shown, marker)!r}" for marker in MARKERS if marker in shown]
        if LIVE_URL.search(shown):
            problems.append(f"slack: a link in {_around(shown, '://')!r}")
        return problems

    def discord_problems(self, reply: Any) -> list[str]:
        kwargs = self.discord_render.message(reply)
        payload: dict[str, Any] = {"embeds": [kwargs["embed"].to_dict()], "allowed_mentions": {"parse": []}}
        if kwargs.get("view") is not None:
            payload["components"] = kwargs["view"].to_components()
        problems = [f"discord: {p}" for p in self.discord_limits.validate_message(payload)]
        problems += [f"discord: mention {m!r}" for m in self.discord_limits.mention_risk(payload)]
        shown = _texts(payload["embeds"], skip=("url", "type"))
        if LIVE_URL.search(shown) or re.search(r"\]\(", shown):
            problems.append(f"discord: a link in {_around(shown, '://')!r}")
        return problems


def _texts(data: Any, skip: tuple[str, ...]) -> str:
    """Every string in a JSON-like structure, except under the keys ``skip`` (not shown to anyone)."""
    if isinstance(data, str):
        return data
    if isinstance(data, dict):
        return "\n".join(_texts(v, skip) for k, v in data.items() if k not in skip)
    if isinstance(data, list):
        return "\n".join(_texts(v, skip) for v in data)
    return ""


def _around(text: str, marker: str) -> str:
    at = max(text.find(marker), 0)
    return text[max(at - 30, 0) : at + 30]


def mutations(seed: int) -> Iterator[str]:
    """An endless stream: the corpus first, then mutations, splices and repetitions of it."""
    rng = random.Random(seed)
    pool = corpus()
    yield from pool
    while True:
        text = rng.choice(pool)
        for _ in range(rng.randint(1, 6)):
            operation = rng.random()
            position = rng.randint(0, len(text))
            if operation < 0.3:
                text = text[:position] + "".join(rng.choices(ALPHABET, k=rng.randint(1, 8))) + text[position:]
            elif operation < 0.5 and text:
                text = text[:position] + text[position + rng.randint(1, 8) :]
            elif operation < 0.7:
                text = text[:position] + rng.choice(pool)[: rng.randint(1, 60)] + text[position:]
            elif operation < 0.8:
                text = rng.choice(["/status ", "/quiz ", "check ", "quiz start ", ""]) + text
            elif operation < 0.83:
                text = text * rng.randint(2, 40)  # long inputs, now and then
            else:
                text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40)))
        yield text[:12000]


class Fuzzer:
    """Runs inputs through the targets, timing each and counting what went wrong."""

    def __init__(self, targets: Targets) -> None:
        self.targets = targets
        self.figures = Figures()

    def one(self, text: str) -> None:
        figures = self.figures
        figures.inputs += 1
        started = time.perf_counter()
        try:
            problems = self.targets.run(text)
        except Exception:
            figures.crashes += 1
            figures.note("crash", text, traceback.format_exc())
            return
        took = time.perf_counter() - started
        if took > HANG_SECONDS:
            again = time.perf_counter()
            self.targets.run(text)  # a second try: a busy machine's pause is not the input's fault
            took = min(took, time.perf_counter() - again)
            if took > HANG_SECONDS:
                figures.hangs += 1
                figures.note("hang", text, f"{took * 1000:.0f} ms")
        figures.slowest = max(figures.slowest, took)
        if problems:
            figures.invalid += 1
            figures.note("invalid", text, "; ".join(problems[:3]))


def run(budget: int, seed: int = 1) -> Figures:
    """``budget`` inputs from the mutation engine; the figures."""
    fuzzer = Fuzzer(Targets())
    fuzzer.targets.run("what code for duplicate email?")  # load the scenario engine before timing anything
    started = time.perf_counter()
    for count, text in zip(range(1, budget + 1), mutations(seed), strict=False):
        fuzzer.one(text)
        if count % 10_000 == 0:  # long runs say how far they got, on stderr
            f = fuzzer.figures
            sys.stderr.write(f"{count:,} inputs: {f.crashes} crashes, {f.hangs} hangs, {f.invalid} invalid\n")
    fuzzer.figures.seconds = time.perf_counter() - started
    return fuzzer.figures


def run_atheris(budget: int) -> Figures:
    """``budget`` inputs chosen by atheris from coverage of the instrumented statusbot packages."""
    atheris: Any = importlib.import_module("atheris")
    with atheris.instrument_imports(include=["knowledge", "bot", "adapters"]):
        targets = Targets()
    fuzzer = Fuzzer(targets)
    targets.run("what code for duplicate email?")
    pool = corpus()

    def one_input(data: bytes) -> None:
        provider = atheris.FuzzedDataProvider(data)
        # a third of the inputs start from the corpus, so the hostile shapes are always in play
        prefix = pool[provider.ConsumeIntInRange(0, len(pool) - 1)] if provider.ConsumeBool() else ""
        fuzzer.one(prefix + provider.ConsumeUnicode(provider.remaining_bytes()))
        if fuzzer.figures.inputs >= budget:
            # libFuzzer ends the process itself (C exit, no Python clean-up): report first, then leave the same way
            figures = fuzzer.figures
            figures.seconds = time.perf_counter() - started
            sys.stdout.write(report(figures, "atheris") + "\n")
            sys.stdout.flush()
            os._exit(1 if figures.crashes or figures.hangs or figures.invalid else 0)

    started = time.perf_counter()
    atheris.Setup([sys.argv[0], "-max_len=4096", "-len_control=0", "-rss_limit_mb=4096"], one_input)
    atheris.Fuzz()  # returns only through one_input's exit
    return fuzzer.figures


def report(figures: Figures, engine: str) -> str:
    """The figures as the lines the benchmark prints."""
    lines = [
        f"engine: {engine}",
        f"inputs tried: {figures.inputs:,} in {figures.seconds:.1f} s "
        f"({figures.inputs / max(figures.seconds, 1e-9):,.0f}/s)",
        f"crashes: {figures.crashes}",
        f"hangs (> {HANG_SECONDS * 1000:.0f} ms for one input): {figures.hangs}",
        f"invalid replies (platform limit broken or escaping failed): {figures.invalid}",
        f"slowest input: {figures.slowest * 1000:.1f} ms",
    ]
    return "\n".join(lines + [f"  {example}" for example in figures.examples])


def main(argv: list[str] | None = None) -> int:
    """Command line entry; exit status 1 when anything was found."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, default=10_000, help="inputs to try (default 10,000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random engine")
    parser.add_argument("--engine", choices=("random", "atheris"), default="random")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.CRITICAL)  # a crash is counted and shown here, not logged by the bot too
    if args.engine == "atheris":
        try:
            importlib.import_module("atheris")
        except ImportError:
            sys.stderr.write("atheris is not installed (pip install atheris); use --engine random\n")
            return 2
        figures = run_atheris(args.budget)
    else:
        figures = run(args.budget, args.seed)
    sys.stdout.write(report(figures, args.engine) + "\n")
    return 1 if figures.crashes or figures.hangs or figures.invalid else 0


if __name__ == "__main__":
    sys.exit(main())
