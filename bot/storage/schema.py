"""The tables, as SQLAlchemy Core metadata (Alembic migrations create them; tests compare against them)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, Integer, MetaData, String, Table, Text, UniqueConstraint

metadata = MetaData()

games = Table(
    "quiz_games",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("workspace", String(100), nullable=False, index=True),
    Column("channel", String(100), nullable=False, index=True),
    Column("starter_id", String(100), nullable=False),
    Column("starter_name", String(200), nullable=False),
    Column("settings", Text, nullable=False),  # JSON
    Column("status", String(20), nullable=False),  # running, finished
    Column("current", Integer, nullable=False),  # index of the question being asked
    Column("asked_at", Float, nullable=False),
    Column("deadline", Float, nullable=False),
    Column("started_at", Float, nullable=False),
    Column("finished_at", Float, index=True),
    Column("end_reason", String(40), nullable=False, default=""),
    Column("version", Integer, nullable=False, default=0),
    # when the retention purge deleted this finished game's questions, answers and teams (bot/storage/privacy.py)
    Column("purged_at", Float),
)

# one running game per channel, across every process
channel_games = Table(
    "quiz_channel_games",
    metadata,
    Column("channel", String(100), primary_key=True),
    Column("game_id", String(40), nullable=False),
)

questions = Table(
    "quiz_questions",
    metadata,
    Column("game_id", String(40), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("question_id", String(120), nullable=False),
    Column("choices", Text, nullable=False),  # JSON list, in the order shown
    Column("answer", Integer, nullable=False),
    Column("codes", Text, nullable=False),  # JSON list
    Column("deadline", Float),  # set when the question is asked
    Column("first_correct", String(100)),  # decided in one transaction
)

answers = Table(
    "quiz_answers",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("game_id", String(40), nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("player_id", String(100), nullable=False, index=True),
    Column("player_name", String(200), nullable=False),
    Column("choice", Integer, nullable=False),
    Column("at", Float, nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("first", Boolean, nullable=False),
    Column("points", Integer, nullable=False),
    UniqueConstraint("game_id", "number", "player_id", name="uq_quiz_answers_once"),
)

teams = Table(
    "quiz_teams",
    metadata,
    Column("game_id", String(40), primary_key=True),
    Column("player_id", String(100), primary_key=True),
    Column("team", String(40), nullable=False),
    Column("joined", Boolean, nullable=False, default=False),  # chose it (else put there to balance)
    Column("player_name", String(200), nullable=False, default=""),  # shown before their first answer
)

results = Table(
    "quiz_results",
    metadata,
    Column("game_id", String(40), primary_key=True),
    Column("player_id", String(100), primary_key=True),
    Column("player_name", String(200), nullable=False),
    Column("workspace", String(100), nullable=False, index=True),
    Column("channel", String(100), nullable=False, index=True),
    Column("points", Integer, nullable=False),
    Column("correct", Integer, nullable=False),
    Column("answered", Integer, nullable=False),
    Column("best_streak", Integer, nullable=False),
    Column("won", Boolean, nullable=False),
    Column("finished_at", Float, nullable=False, index=True),  # leaderboards by period
    Column("total_time", Float, nullable=False, default=0.0),  # breaks equal points: faster first
)

practice = Table(
    "quiz_practice",
    metadata,
    Column("workspace", String(100), primary_key=True),
    Column("player_id", String(100), primary_key=True),
    Column("question_id", String(120), primary_key=True),
    Column("box", Integer, nullable=False),
)

# where a player's practice drill is: questions asked, missed ones due again, the last few asked
practice_state = Table(
    "quiz_practice_state",
    metadata,
    Column("workspace", String(100), primary_key=True),
    Column("player_id", String(100), primary_key=True),
    Column("asked", Integer, nullable=False),
    Column("due", Text, nullable=False),  # JSON list of [asked count when due, question id]
    Column("recent", Text, nullable=False),  # JSON list of question ids
)

# who asked to be left off the leaderboards of a workspace or guild (/quiz leaderboard opt-out)
leaderboard_optouts = Table(
    "quiz_leaderboard_optouts",
    metadata,
    Column("workspace", String(100), primary_key=True),
    Column("player_id", String(100), primary_key=True),
    Column("since", Float, nullable=False),
)

# the platform message each Reply key was posted as, so any process can edit it in place
chat_messages = Table(
    "chat_messages",
    metadata,
    Column("platform", String(20), primary_key=True),
    Column("key", String(120), primary_key=True),
    Column("channel", String(100), nullable=False),
    Column("message_id", String(100), nullable=False),
    Column("posted_at", Float, nullable=False, index=True),
)

# a workspace's or guild's team settings (/status settings), as JSON; no row: the defaults
team_settings = Table(
    "team_settings",
    metadata,
    Column("workspace", String(100), primary_key=True),
    Column("settings", Text, nullable=False),  # JSON
    Column("updated_at", Float, nullable=False),
)

# scenario answers kept for their ratings (👍/👎, the code expected) and the questions the bot abstained on
feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workspace", String(100), nullable=False, index=True),
    Column("user_id", String(100), nullable=False, index=True),  # the one column naming a person (forget-me)
    Column("question", Text, nullable=False),
    Column("answered", Text, nullable=False),  # JSON list of codes, best first; [] when the bot abstained
    Column("certainty", String(20), nullable=False),
    Column("verdict", String(20), nullable=False),  # unrated, right, wrong
    Column("expected", Integer),  # after a 👎: the code expected (0: no code fits, the bot should abstain)
    Column("asked_at", Float, nullable=False, index=True),
    Column("rated_at", Float),
)

# a team's own code for a situation (/status rule): per Slack workspace, Discord guild or console
house_rules = Table(
    "house_rules",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # the order rules were added in
    Column("workspace", String(100), nullable=False, index=True),
    Column("situation", String(200), nullable=False),  # as the user wrote it
    Column("situation_key", String(200), nullable=False),  # folded for spotting duplicates
    Column("code", Integer, nullable=False),
    Column("added_by", String(100), nullable=False),
    Column("added_at", Float, nullable=False),
    UniqueConstraint("workspace", "situation_key", name="uq_house_rules_situation"),
)
