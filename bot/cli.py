"""The ``statusbot`` command: one-shot answers, evaluation, and (later) the chat adapters."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

DESCRIPTION = """\
statusbot: the HTTP status code assistant.

Ask about a code by number (409), family (4xx), name with typos (unprocesable entity),
header (Retry-After) or comparison (401 vs 403), or describe a situation in plain words
("what code for duplicate email?")."""

ASK_EPILOG = """\
examples:
  statusbot ask 409
  statusbot ask 4xx
  statusbot ask "payload too large"
  statusbot ask Retry-After
  statusbot ask "401 vs 403"
  statusbot ask "what code for duplicate email?"
  statusbot ask 409 --json
  printf '409\\n4xx\\n' | statusbot ask --json     # one JSON object per input line

JSON object: {"kind", "query", "matches": [{"code", "phrase", "confidence", "origin"?, "reason"?}],
"text", ...}. kind is one of code, family, name, header, compare, unknown, invalid, scenario."""


class _Version(argparse.Action):
    """Prints the installed version; reads package metadata only when asked (it is slow to import)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            own_version = version("statusbot")
        except PackageNotFoundError:
            own_version = "unknown"
        sys.stdout.write(f"statusbot {own_version}\n")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="statusbot", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    ask = commands.add_parser(
        "ask",
        help="answer one question (or one per line of standard input)",
        description="Answer a question about HTTP status codes.",
        epilog=ASK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ask.add_argument("text", nargs="*", help="the question; omit it to read one question per line from stdin")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    evaluate = commands.add_parser(
        "eval",
        help="measure answer quality on a JSONL question file",
        description='Each line: {"q": "...", "accept": [409, 422]}; an empty accept means the bot should abstain.',
    )
    evaluate.add_argument("file", help="the JSONL file of questions")
    evaluate.add_argument("--misses", action="store_true", help="list every question answered wrongly")
    commands.add_parser(
        "console",
        help="chat in the terminal (the default when no command is given)",
        description="The terminal chat: /status commands, the guide and checks, as in Slack and Discord.",
    )
    for platform in PLATFORMS:
        commands.add_parser(platform, help=f"run the {platform.capitalize()} adapter")
    return parser


def answer_json(question: str) -> dict[str, Any]:
    """The documented JSON object for one question, including the rendered plain text."""
    from bot.cards import answer_card
    from bot.render.terminal import render_plain
    from knowledge import ask, knowledge

    answer = ask(question)
    data = answer.to_json()
    data["text"] = render_plain(answer_card(knowledge(), answer))
    return data


def _print_answer(question: str, out: TextIO, colour: bool) -> None:
    from bot.cards import answer_card
    from bot.render.terminal import write_reply
    from knowledge import ask, knowledge

    write_reply(answer_card(knowledge(), ask(question)), out, colour=colour)


def _ask(args: argparse.Namespace, out: TextIO) -> int:
    colour = out.isatty() and "NO_COLOR" not in os.environ
    questions = [" ".join(args.text)] if args.text else (line.rstrip("\r\n") for line in sys.stdin)
    for question in questions:
        if args.json:
            out.write(json.dumps(answer_json(question), ensure_ascii=False) + "\n")
        else:
            _print_answer(question, out, colour)
        out.flush()
    return 0


PLATFORMS = {
    "slack": ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET or SLACK_APP_TOKEN"),
    "discord": ("DISCORD_TOKEN",),
}


def _platform_placeholder(platform: str) -> int:
    needs = " and ".join(PLATFORMS[platform])
    sys.stderr.write(
        f"statusbot {platform}: the {platform.capitalize()} adapter is not part of this version yet.\n"
        f"When it lands it will read {needs} from the environment (or a .env file).\n"
        "Meanwhile `statusbot` opens the same conversation in the terminal.\n"
    )
    return 2


def load_dotenv_file() -> None:
    """Read settings from a .env file in the working directory, if there is one (environment wins)."""
    if os.path.isfile(".env"):
        from dotenv import load_dotenv

        load_dotenv(".env", override=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``statusbot`` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    load_dotenv_file()
    from knowledge import CatalogueError

    try:
        if args.command in (None, "console"):
            from adapters.console import run_console

            return run_console()
        if args.command in PLATFORMS:
            return _platform_placeholder(args.command)
        if args.command == "ask":
            return _ask(args, sys.stdout)
        if args.command == "eval":
            from bot.evaluation import run_eval

            return run_eval(args.file, sys.stdout, show_misses=args.misses)
    except CatalogueError as error:
        sys.stderr.write(f"statusbot: the catalogue data is invalid:\n  {error}\n")
        return 2
    except BrokenPipeError:
        return 0
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
