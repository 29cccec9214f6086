"""Teams per game, practice boxes per person, and a period index for leaderboards.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quiz_teams",
        sa.Column("game_id", sa.String(40), primary_key=True),
        sa.Column("player_id", sa.String(100), primary_key=True),
        sa.Column("team", sa.String(40), nullable=False),
    )
    op.create_table(
        "quiz_practice",
        sa.Column("workspace", sa.String(100), primary_key=True),
        sa.Column("player_id", sa.String(100), primary_key=True),
        sa.Column("question_id", sa.String(120), primary_key=True),
        sa.Column("box", sa.Integer, nullable=False),
    )
    op.create_index("ix_quiz_results_finished_at", "quiz_results", ["finished_at"])


def downgrade() -> None:
    op.drop_index("ix_quiz_results_finished_at", "quiz_results")
    op.drop_table("quiz_practice")
    op.drop_table("quiz_teams")
