"""Reading a game straight from the database the bot processes share, to compare with what users sent."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, text

from tests.conftest import PG_URL


def engine_for(sqlite_path: str | None = None, schema: str | None = None) -> Engine:
    """The SQLite file, or the PostgreSQL schema, the processes use."""
    if sqlite_path is not None:
        return create_engine(f"sqlite:///{sqlite_path}")
    return create_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})


def game_in(engine: Engine, channel: str) -> dict[str, Any]:
    """The (latest) game of a channel: its row, its answers and its results."""
    with engine.connect() as c:
        game = (
            c.execute(
                text("SELECT * FROM quiz_games WHERE channel = :c ORDER BY started_at DESC LIMIT 1"), {"c": channel}
            )
            .mappings()
            .one()
        )
        answers = (
            c.execute(
                text("SELECT number, player_id, choice, correct, first, points FROM quiz_answers WHERE game_id = :g"),
                {"g": game["id"]},
            )
            .mappings()
            .all()
        )
        results = (
            c.execute(
                text("SELECT player_id, points, answered FROM quiz_results WHERE game_id = :g"), {"g": game["id"]}
            )
            .mappings()
            .all()
        )
        firsts = (
            c.execute(text("SELECT number, first_correct FROM quiz_questions WHERE game_id = :g"), {"g": game["id"]})
            .mappings()
            .all()
        )
    return {
        "game": dict(game),
        "answers": [dict(a) for a in answers],
        "results": {r["player_id"]: dict(r) for r in results},
        "firsts": {f["number"]: f["first_correct"] for f in firsts},
    }


def consistent(stored: dict[str, Any], slack: int = 0) -> list[str]:
    """Problems between a finished game's answers and its results (the leaderboard's source); [] when none.
    ``slack`` points per answer are tolerated: a game rebuilt after a restart re-scores answers from their stored
    time, which is read a moment after the time they were scored with (see test_rescoring_after_a_restart)."""
    problems = []
    points: dict[str, int] = {}
    answered: dict[str, int] = {}
    for answer in stored["answers"]:
        points[answer["player_id"]] = points.get(answer["player_id"], 0) + answer["points"]
        answered[answer["player_id"]] = answered.get(answer["player_id"], 0) + 1
    for player, total in points.items():
        result = stored["results"].get(player)
        if result is None:
            problems.append(f"{player} answered but has no result")
        elif result["answered"] != answered[player] or abs(result["points"] - total) > slack * answered[player]:
            problems.append(
                f"{player}: result {result['points']}/{result['answered']}, answers {total}/{answered[player]}"
            )
    per_question: dict[int, int] = {}
    for answer in stored["answers"]:
        per_question[answer["number"]] = per_question.get(answer["number"], 0) + int(bool(answer["first"]))
    problems += [f"question {n} has {count} first-correct answers" for n, count in per_question.items() if count > 1]
    return problems
