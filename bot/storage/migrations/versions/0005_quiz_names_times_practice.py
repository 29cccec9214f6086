"""Quiz: names of players who joined a team, answer time in results, practice state shared by processes.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("quiz_teams") as batch:
        batch.add_column(sa.Column("player_name", sa.String(200), nullable=False, server_default=""))
    with op.batch_alter_table("quiz_results") as batch:
        batch.add_column(sa.Column("total_time", sa.Float, nullable=False, server_default="0"))
    op.create_table(
        "quiz_practice_state",
        sa.Column("workspace", sa.String(100), primary_key=True),
        sa.Column("player_id", sa.String(100), primary_key=True),
        sa.Column("asked", sa.Integer, nullable=False),
        sa.Column("due", sa.Text, nullable=False),
        sa.Column("recent", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("quiz_practice_state")
    with op.batch_alter_table("quiz_results") as batch:
        batch.drop_column("total_time")
    with op.batch_alter_table("quiz_teams") as batch:
        batch.drop_column("player_name")
