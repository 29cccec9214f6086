"""Privacy: leaderboard opt-outs, and what the retention purge needs to stay cheap.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quiz_leaderboard_optouts",
        sa.Column("workspace", sa.String(100), primary_key=True),
        sa.Column("player_id", sa.String(100), primary_key=True),
        sa.Column("since", sa.Float, nullable=False),
    )
    with op.batch_alter_table("quiz_games") as batch:
        batch.add_column(sa.Column("purged_at", sa.Float, nullable=True))
    op.create_index("ix_quiz_games_finished_at", "quiz_games", ["finished_at"])
    # forget-me finds a person's answers without reading every answer ever given
    op.create_index("ix_quiz_answers_player_id", "quiz_answers", ["player_id"])


def downgrade() -> None:
    op.drop_index("ix_quiz_answers_player_id", "quiz_answers")
    op.drop_index("ix_quiz_games_finished_at", "quiz_games")
    with op.batch_alter_table("quiz_games") as batch:
        batch.drop_column("purged_at")
    op.drop_table("quiz_leaderboard_optouts")
