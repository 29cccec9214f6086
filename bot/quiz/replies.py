"""What the channel sees of a quiz: questions with buttons, reveals, standings, leaderboards."""

from __future__ import annotations

from bot.button_values import decode, encode
from bot.quiz.game import Game, Standing
from bot.reply import Action, Field, Reply, colour_of
from bot.storage.quiz_store import LeaderRow
from knowledge import Knowledge

ANSWER_ACTION = "statusbot.quiz.answer"
CARD_ACTION = "statusbot.card"


def plural(count: int, noun: str) -> str:
    """``1 game``, ``2 games``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def answer_value(game: Game, number: int, choice: int) -> str:
    """Button value: ``v1:<game id>:<question index>:<choice index>`` (the right answer never travels)."""
    return encode(game.id, number, choice)


def read_answer_value(value: str) -> tuple[str, int, int] | None:
    """(game id, question index, choice index) from a button value, or None when it isn't one of ours."""
    parts = decode(value)
    if parts is None or len(parts) != 3 or not all(p.isascii() and p.isdigit() and len(p) < 4 for p in parts[1:]):
        return None
    return parts[0], int(parts[1]), int(parts[2])


def card_value(code: int) -> str:
    """Button value of "Learn more": ``v1:<code>``."""
    return encode(code)


def read_card_value(value: str) -> int | None:
    """The status code a "Learn more" button names, or None when it names none. Whatever comes before the colon is
    accepted: a code is a code in any version (the oldest buttons carry ``card:<code>``)."""
    code = value.partition(":")[2]
    return int(code) if code.isdigit() else None


def message_key(game: Game, number: int) -> str:
    """The key of a question's message: its countdown and its reveal edit that one message in place."""
    return f"quiz:{game.id}:{number}"


def question_reply(game: Game, remaining: float | None = None, *, number: int | None = None) -> Reply:
    """Question ``number`` (the current one by default), with a button per choice or a hint to type the answer."""
    number = game.index if number is None else number
    question = game.questions[number]
    typed = game.settings.mode == "typed"
    actions = (
        ()
        if typed
        else tuple(
            Action(ANSWER_ACTION, f"{chr(65 + i)}. {choice}", answer_value(game, number, i))
            for i, choice in enumerate(question.choices)
        )
    )
    text = question.prompt
    if typed:
        text += "\n" + "\n".join(f"{chr(65 + i)}. {choice}" for i, choice in enumerate(question.choices))
    how = "type the code or its name, or the letter" if typed else "pick an answer"
    seconds = game.settings.seconds if remaining is None else max(0, round(remaining))
    left = f"{seconds} s to {how}" if remaining is None else f"{seconds} s left to {how}"
    return Reply(
        title=f"Question {number + 1} of {len(game.questions)}",
        text=text,
        actions=actions,
        colour="blue",
        footer=f"{left} · one answer each",
        key=message_key(game, number),
    )


def reveal_reply(kb: Knowledge, game: Game, number: int, explanation: str, learn: int) -> Reply:
    """The right answer, why, and who got it first (names only, never mentions)."""
    question = game.questions[number]
    answers = game.history[number] if number < len(game.history) else []
    first = next((a.player.name for a in answers if a.first), "")
    right = [a.player.name for a in answers if a.correct]
    who = f"First: {first}. " if first else "Nobody got it this time. "
    if len(right) > 1:
        who += f"Also right: {', '.join(n for n in right if n != first)}."
    actions = (Action(CARD_ACTION, "Learn more", card_value(learn)),) if learn else ()
    return Reply(
        title=f"Answer: {question.correct}",
        text=explanation,
        fields=(Field("Who", who.strip()),),
        actions=actions,
        colour=colour_of(learn) if learn else "green",
        key=message_key(game, number),
    )


def _line(rank: int, standing: Standing) -> str:
    team = f" [{standing.team}]" if standing.team else ""
    return f"{rank}. {standing.player.name}{team}: {standing.points} pts ({standing.correct}/{standing.answered} right)"


def standings_reply(game: Game, *, final: bool) -> Reply:
    """The standings, with the fastest player and the longest streak at the end."""
    ranking = game.ranking()
    lines = [_line(i, s) for i, s in enumerate(ranking, start=1)] or ["Nobody has answered yet."]
    fields = [Field("Standings", "\n".join(lines[:20]))]
    teams = game.team_scores()
    if teams:
        fields.append(Field("Teams", "\n".join(f"{team}: {points} pts" for team, points, _ in teams)))
    if final:
        fastest, streak = game.fastest(), game.longest_streak()
        if fastest is not None and fastest.fastest is not None:
            fields.append(Field("Fastest", f"{fastest.player.name} ({fastest.fastest:.1f} s)"))
        if streak is not None:
            fields.append(Field("Longest streak", f"{streak.player.name} ({streak.best_streak} in a row)"))
    winner = game.winner()
    # questions revealed so far: the one still open has no scores yet
    title = "Game over" if final else f"Scores after {len(game.history)} of {plural(len(game.questions), 'question')}"
    if final and winner is not None:
        name = winner.player.name
        title += f": {name} {'win' if name.lower() == 'you' else 'wins'}"  # the console's player is "you"
    return Reply(title=title, text=f"Ended: {game.end_reason}." if final else "", fields=tuple(fields), colour="green")


def leaderboard_reply(rows: list[LeaderRow], period: str) -> Reply:
    """The channel's leaderboard for a period."""
    label = {"week": "this week", "month": "this month", "all": "all time"}[period]
    lines = [
        f"{i}. {r.name}: {r.points} pts · {plural(r.games, 'game')} · {plural(r.wins, 'win')}"
        for i, r in enumerate(rows, start=1)
    ]
    return Reply(title=f"Leaderboard, {label}", text="\n".join(lines) or "No finished games yet.", colour="green")
