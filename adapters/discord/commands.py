"""The application commands: ``/status``, the ``/quiz`` group and the "Check with statusbot" message command.

Each is declared from the one command grammar (names, summaries, option choices come from ``bot/``)
and turned back into the text the console accepts, so the conversation sees the same commands
everywhere. Lookups work in servers, DMs and user installs; quizzes in server channels only.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from adapters.discord.interactions import Handler
from bot.forms import CHECK_MESSAGE
from bot.grammar import QUIZ, STATUS
from bot.privacy import LISTING_CHOICES, LISTING_HELP
from bot.quiz.game import QUESTIONS_RANGE, SECONDS_RANGE, TEAM_NAMES
from bot.quiz.options import CHOICES, START_OPTIONS
from bot.suggest import Suggester

Interaction = discord.Interaction[Any]
DESCRIPTION_LIMIT = 100
EVERYWHERE = app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True)
ANY_INSTALL = app_commands.AppInstallationType(guild=True, user=True)
GUILDS = app_commands.AppCommandContext(guild=True)
GUILD_INSTALL = app_commands.AppInstallationType(guild=True)
LEADERBOARD_SCOPES = ("channel", "server")


def summary(action: str) -> str:
    """A /quiz action's summary, as the grammar declares it."""
    return next(a.summary for a in QUIZ.actions if a.name == action)[:DESCRIPTION_LIMIT]


def usage(action: str, option: str) -> str:
    """An option's bracket from the grammar's usage line ("[level:easy|medium|hard|mixed]")."""
    argument = next(a.argument for a in QUIZ.actions if a.name == action)
    return next((part for part in argument.split() if part.strip("[]<>").partition(":")[0] == option), option)


def choices(*values: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=value, value=value) for value in values]


def options_text(**options: object) -> str:
    """Typed options as the grammar's ``key:value`` words (booleans as on/off), unset ones left out."""
    words = []
    for key, value in options.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "on" if value else "off"
        words.append(f"{key}:{value}")
    return " ".join(words)


def build_tree(client: discord.Client, handler: Handler, suggester: Suggester) -> app_commands.CommandTree[Any]:
    """The command tree with every command registered; failures end in ``handler.command_error``."""
    tree: app_commands.CommandTree[Any] = app_commands.CommandTree(client)
    tree.on_error = handler.command_error  # type: ignore[method-assign]
    tree.add_command(_status(handler, suggester))
    tree.add_command(_quiz(handler))

    async def check_message(interaction: Interaction, message: discord.Message) -> None:
        await handler.command(interaction, "status", f"check {message.content}")

    tree.add_command(
        app_commands.ContextMenu(
            name=CHECK_MESSAGE, callback=check_message, allowed_contexts=EVERYWHERE, allowed_installs=ANY_INSTALL
        )
    )
    return tree


def _status(handler: Handler, suggester: Suggester) -> app_commands.Command[Any, ..., None]:
    ask = next(a for a in STATUS.actions if a.name == STATUS.default)

    @app_commands.command(name=STATUS.name, description=STATUS.summary)
    @app_commands.describe(query=ask.summary[:DESCRIPTION_LIMIT])
    async def status(interaction: Interaction, query: str = "") -> None:
        await handler.status(interaction, query)

    @status.autocomplete("query")
    async def complete(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        # answered on the event loop: the suggestions are an in-memory index (p99 ≤ 2 ms, see benchmarks)
        return [app_commands.Choice(name=s.name, value=s.value) for s in suggester.suggest(current)]

    status.allowed_contexts = EVERYWHERE
    status.allowed_installs = ANY_INSTALL
    return status


def _quiz(handler: Handler) -> app_commands.Group:
    quiz = app_commands.Group(
        name=QUIZ.name, description=QUIZ.summary, allowed_contexts=GUILDS, allowed_installs=GUILD_INSTALL
    )

    async def run(interaction: Interaction, action: str, text: str = "") -> None:
        await handler.command(interaction, "quiz", f"{action} {text}".strip())

    @quiz.command(name="start", description=summary("start"))
    @app_commands.describe(**{name: usage("start", name) for name in START_OPTIONS})
    @app_commands.choices(
        level=choices(*CHOICES["level"]), topic=choices(*CHOICES["topic"]), mode=choices(*CHOICES["mode"])
    )
    async def start(
        interaction: Interaction,
        questions: app_commands.Range[int, QUESTIONS_RANGE[0], QUESTIONS_RANGE[1]] | None = None,
        seconds: app_commands.Range[int, SECONDS_RANGE[0], SECONDS_RANGE[1]] | None = None,
        level: str | None = None,
        topic: str | None = None,
        mode: str | None = None,
        teams: bool | None = None,
        pack: str | None = None,
    ) -> None:
        text = options_text(
            questions=questions, seconds=seconds, level=level, topic=topic, mode=mode, teams=teams, pack=pack
        )
        await run(interaction, "start", text)

    @quiz.command(name="leaderboard", description=summary("leaderboard"))
    @app_commands.describe(
        period=usage("leaderboard", "period"), scope=usage("leaderboard", "scope"), privacy=LISTING_HELP
    )
    @app_commands.choices(
        period=choices(*CHOICES["period"]), scope=choices(*LEADERBOARD_SCOPES), privacy=choices(*LISTING_CHOICES)
    )
    async def leaderboard(
        interaction: Interaction, period: str | None = None, scope: str | None = None, privacy: str | None = None
    ) -> None:
        # /quiz leaderboard opt-out (or opt-in), as typed elsewhere; the board itself otherwise
        await run(interaction, "leaderboard", privacy or options_text(period=period, scope=scope))

    @quiz.command(name="join", description=summary("join"))
    @app_commands.describe(team=usage("join", "team"))
    @app_commands.choices(team=choices(*TEAM_NAMES))
    async def join(interaction: Interaction, team: str) -> None:
        await run(interaction, "join", team)

    for action in ("stop", "skip", "score", "practice"):
        quiz.add_command(_plain(action, run))
    return quiz


def _plain(action: str, run: Any) -> app_commands.Command[Any, ..., None]:
    """A /quiz subcommand without options."""

    async def callback(interaction: Interaction) -> None:
        await run(interaction, action)

    return app_commands.Command(name=action, description=summary(action), callback=callback)
