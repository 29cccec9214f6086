"""The ``statusbot`` command: one-shot answers, evaluation, and (later) the chat adapters."""

from __future__ import annotations

import argparse
import io
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
    feedback = commands.add_parser(
        "feedback",
        help="what chat users rated: export it as eval lines, or report the misses",
        description="Rated answers and the questions the bot abstained on, kept per workspace or guild "
        "(DATABASE_URL or STATUSBOT_DB).",
    )
    feedback_commands = feedback.add_subparsers(dest="feedback", metavar="export|report", required=True)
    for name, what in (
        ("export", "write them as eval lines (statusbot eval reads them), one per distinct question"),
        ("report", "print the most-missed situations and the codes most often corrected"),
    ):
        action = feedback_commands.add_parser(name, help=what, description=what[:1].upper() + what[1:] + ".")
        action.add_argument("--since", metavar="DATE", help="only questions asked on or after DATE (2026-12-01, UTC)")
    commands.add_parser(
        "console",
        help="chat in the terminal (the default when no command is given)",
        description="The terminal chat: /status commands, the guide and checks, as in Slack and Discord.",
    )
    slack = commands.add_parser(
        "slack",
        help="run the Slack bot (Socket Mode with SLACK_APP_TOKEN, else HTTP)",
        description="Run the Slack bot. Settings: SLACK_BOT_TOKEN (xoxb-…), SLACK_APP_TOKEN (xapp-…, Socket Mode) or "
        "SLACK_SIGNING_SECRET (HTTP mode); SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET instead of "
        "SLACK_BOT_TOKEN for installs into any number of workspaces; DATABASE_URL or STATUSBOT_DB.",
    )
    slack.add_argument("--host", help="HTTP mode: the address to listen on (default HOST, else 0.0.0.0)")
    slack.add_argument("--port", help="HTTP mode: the port (default PORT, else 3000)")
    discord = commands.add_parser(
        "discord",
        help="run the Discord bot",
        description="Run the Discord bot. Settings: DISCORD_TOKEN; DISCORD_GUILD_ID (sync commands to one server), "
        "DISCORD_MESSAGE_CONTENT=1 (typed quiz answers); DATABASE_URL or STATUSBOT_DB.",
    )
    discord.add_argument("--shard-ids", help="comma-separated shard ids this process runs (default: all)")
    discord.add_argument("--shard-count", help="the total number of shards (with --shard-ids)")
    return parser


def answer_json(question: str) -> dict[str, Any]:
    """The documented JSON object for one question, including the rendered plain text."""
    from bot.cards import answer_card
    from bot.render.terminal import render_plain
    from knowledge import ask, knowledge

    answer = ask(_question(question))
    data = answer.to_json()
    data["text"] = render_plain(answer_card(knowledge(), answer))
    return data


def _print_answer(question: str, out: TextIO, colour: bool) -> None:
    from bot.cards import answer_card
    from bot.render.terminal import write_reply
    from knowledge import ask, knowledge

    write_reply(answer_card(knowledge(), ask(_question(question))), out, colour=colour)


def _question(text: str) -> str:
    """The question itself: ``/status 409`` asks about 409, as in a chat."""
    if text.lstrip().startswith("/"):
        from bot.grammar import parse

        return parse(text).argument
    return text


ASK_USAGE = (
    "usage: statusbot ask QUESTION [--json], e.g. statusbot ask 409; "
    "or pipe questions in, one per line (statusbot ask --help for more)\n"
)
COMMAND_HINT = "{question} is a chat command: run statusbot (the console), or use it in Slack or Discord."


def _ask(args: argparse.Namespace, out: TextIO) -> int:
    if not args.text and sys.stdin.isatty():
        # a question was forgotten: waiting silently for standard input would look like a hang
        sys.stderr.write(ASK_USAGE)
        return 2
    colour = out.isatty() and "NO_COLOR" not in os.environ
    questions = [" ".join(args.text)] if args.text else (line.rstrip("\r\n") for line in sys.stdin)
    for question in questions:
        if not question.strip() and not args.json:
            continue  # as in the console; JSON keeps one object per input line so scripts can pair them up
        hint = _command_hint(question)
        if args.json:
            data = answer_json(question) if hint is None else _hint_json(question, hint)
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
        elif hint is not None:
            out.write(hint + "\n")
        else:
            _print_answer(question, out, colour)
        out.flush()
    return 0


def _command_hint(question: str) -> str | None:
    """For ``ask "/status guide"``: that the command belongs to a chat; None for a question (``/status 409`` is one)."""
    if not question.lstrip().startswith("/"):
        return None
    from bot.grammar import parse
    from bot.render.escape import terminal

    command = parse(question)
    if command.command == "status" and command.action == "ask" and command.argument:
        return None
    return COMMAND_HINT.format(question=terminal(question.strip()[:60]))


def _hint_json(question: str, hint: str) -> dict[str, Any]:
    return {"kind": "invalid", "query": question, "matches": [], "text": hint}


def _run_platform(args: argparse.Namespace) -> int:
    """Start a chat adapter; a wrong setting is one line on stderr and exit status 2."""
    from adapters.chat.settings import SettingError

    try:
        from adapters.chat.logs import configure_logging  # LOG_LEVEL, LOG_FORMAT=json, secrets redacted

        configure_logging()
        if args.command == "slack":
            from adapters.slack.main import run_slack  # type: ignore[import-not-found,unused-ignore]

            return int(run_slack(args.host, args.port))
        from adapters.discord.main import run_discord  # type: ignore[import-not-found,unused-ignore]

        return int(run_discord(args.shard_ids, args.shard_count))
    except SettingError as error:
        sys.stderr.write(f"statusbot {args.command}: {error}\n")
        return 2
    except KeyboardInterrupt:
        return 130


def _feedback(args: argparse.Namespace, out: TextIO) -> int:
    """``statusbot feedback export|report``: a bad date or an unusable database is one line and exit status 2."""
    from bot.feedback import export, report, since_timestamp
    from bot.storage.database import DatabaseUnusable, open_database
    from bot.storage.team_store import TeamStore
    from knowledge import knowledge

    try:
        since = since_timestamp(args.since) if args.since else None
        missing = _missing_sqlite_file()
        if missing:  # reading a database must not create an empty one where a path was mistyped
            raise ValueError(f"STATUSBOT_DB names no database ({missing}): it should be the bot's SQLite file")
        rows = TeamStore(open_database()).rows(since=since)
    except (ValueError, DatabaseUnusable) as error:
        sys.stderr.write(f"statusbot feedback: {error}\n")
        return 2
    if args.feedback == "report":
        report(knowledge(), rows, out)
        return 0
    written, skipped = export(rows, out)
    left_out = f"; {skipped} 👎 without the expected code left out" if skipped else ""
    sys.stderr.write(f"statusbot feedback: {written} questions exported{left_out}\n")
    return 0


def _missing_sqlite_file() -> str:
    """The configured SQLite file when it does not exist ('' for PostgreSQL, or a file that is there)."""
    from sqlalchemy import make_url

    from bot.storage.database import database_url

    url = make_url(database_url())
    path = url.database or ""
    if url.get_backend_name() != "sqlite" or path in ("", ":memory:") or os.path.exists(path):
        return ""
    return path


class DotenvError(Exception):
    """A .env file that cannot be read; the message names the line."""


def load_dotenv_file() -> None:
    """Read settings from a .env file in the working directory, if there is one (environment wins)."""
    if not os.path.isfile(".env"):
        return
    from dotenv import load_dotenv

    with open(".env", "rb") as handle:
        data = handle.read()
    # checked line by line first, so the error names the line: dotenv would fail on the whole file
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if b"\0" in raw:
            raise DotenvError(f".env line {number} contains a NUL byte, which no setting can hold")
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            raise DotenvError(f".env line {number} is not valid UTF-8: save the file as UTF-8") from None
    load_dotenv(stream=io.StringIO(data.decode("utf-8")), override=False)


COMMANDS = {"ask", "eval", "feedback", "console", "slack", "discord"}


def _arguments(argv: Sequence[str] | None) -> list[str]:
    """The arguments with undecodable bytes as U+FFFD; a bare question (``statusbot 409``) means ``ask``."""
    given = list(sys.argv[1:] if argv is None else argv)
    # arguments the locale could not decode arrive as lone surrogates, which no UTF-8 output can carry
    given = [arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for arg in given]
    if given and given[0] not in COMMANDS and not given[0].startswith("-") and not _misspelt_command(given[0]):
        given.insert(0, "ask")
    return given


def _misspelt_command(word: str) -> bool:
    """``statusbot slak``: left to argparse, which names the commands, rather than asked as a question."""
    from bot.grammar import closest

    return word.isalpha() and bool(closest(word, sorted(COMMANDS), cutoff=0.75))


def _tolerant_streams() -> None:
    """Undecodable input becomes U+FFFD, and nothing unencodable can reach the output raw."""
    for stream in (sys.stdin, sys.stdout):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``statusbot`` console script."""
    parser = _parser()
    args = parser.parse_args(_arguments(argv))
    _tolerant_streams()
    from bot.storage.retention import SettingProblem
    from knowledge import CatalogueError

    try:
        load_dotenv_file()
        if args.command in (None, "console"):
            from adapters.console import run_console
            from bot.storage.retention import retention_days

            retention_days()  # a malformed setting stops start-up, as it does for the chat adapters
            return run_console()
        if args.command in ("slack", "discord"):
            return _run_platform(args)
        if args.command == "ask":
            return _ask(args, sys.stdout)
        if args.command == "eval":
            from bot.evaluation import run_eval

            return run_eval(args.file, sys.stdout, show_misses=args.misses)
        if args.command == "feedback":
            return _feedback(args, sys.stdout)
    except (DotenvError, SettingProblem) as error:
        sys.stderr.write(f"statusbot: {error}\n")
        return 2
    except CatalogueError as error:
        sys.stderr.write(f"statusbot: the catalogue data is invalid:\n  {error}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except OSError as error:
        if error.filename is not None or not _is_output_error(error):
            raise
        _silence_stdout()
        sys.stderr.write(f"statusbot: cannot write the output: {error.strerror or error}\n")
        return 1
    parser.error(f"unknown command {args.command}")
    return 2


def _is_output_error(error: OSError) -> bool:
    """An error from writing our output (a full disk, a closed terminal), not one naming a file."""
    import errno

    return error.errno in (errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG, errno.EPIPE)


def _silence_stdout() -> None:
    """Point stdout at /dev/null: Python's own flush at exit would otherwise fail again, with a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass  # not a real file (a test's capture): nothing will be flushed at exit


if __name__ == "__main__":
    sys.exit(main())
