"""Games, their questions and answers, channel locks and results.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quiz_games",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("workspace", sa.String(100), nullable=False, index=True),
        sa.Column("channel", sa.String(100), nullable=False, index=True),
        sa.Column("starter_id", sa.String(100), nullable=False),
        sa.Column("starter_name", sa.String(200), nullable=False),
        sa.Column("settings", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("current", sa.Integer, nullable=False),
        sa.Column("asked_at", sa.Float, nullable=False),
        sa.Column("deadline", sa.Float, nullable=False),
        sa.Column("started_at", sa.Float, nullable=False),
        sa.Column("finished_at", sa.Float),
        sa.Column("end_reason", sa.String(40), nullable=False, server_default=""),
        sa.Column("version", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "quiz_channel_games",
        sa.Column("channel", sa.String(100), primary_key=True),
        sa.Column("game_id", sa.String(40), nullable=False),
    )
    op.create_table(
        "quiz_questions",
        sa.Column("game_id", sa.String(40), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("question_id", sa.String(120), nullable=False),
        sa.Column("choices", sa.Text, nullable=False),
        sa.Column("answer", sa.Integer, nullable=False),
        sa.Column("codes", sa.Text, nullable=False),
        sa.Column("deadline", sa.Float),
        sa.Column("first_correct", sa.String(100)),
    )
    op.create_table(
        "quiz_answers",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("game_id", sa.String(40), nullable=False, index=True),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("player_id", sa.String(100), nullable=False),
        sa.Column("player_name", sa.String(200), nullable=False),
        sa.Column("choice", sa.Integer, nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        sa.Column("first", sa.Boolean, nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.UniqueConstraint("game_id", "number", "player_id", name="uq_quiz_answers_once"),
    )
    op.create_table(
        "quiz_results",
        sa.Column("game_id", sa.String(40), primary_key=True),
        sa.Column("player_id", sa.String(100), primary_key=True),
        sa.Column("player_name", sa.String(200), nullable=False),
        sa.Column("workspace", sa.String(100), nullable=False, index=True),
        sa.Column("channel", sa.String(100), nullable=False, index=True),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("correct", sa.Integer, nullable=False),
        sa.Column("answered", sa.Integer, nullable=False),
        sa.Column("best_streak", sa.Integer, nullable=False),
        sa.Column("won", sa.Boolean, nullable=False),
        sa.Column("finished_at", sa.Float, nullable=False),
    )


def downgrade() -> None:
    for table in ("quiz_results", "quiz_answers", "quiz_questions", "quiz_channel_games", "quiz_games"):
        op.drop_table(table)
