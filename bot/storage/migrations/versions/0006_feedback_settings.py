"""Team settings per workspace or guild, and feedback on scenario answers (ratings, corrections, abstentions).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "team_settings",
        sa.Column("workspace", sa.String(100), primary_key=True),
        sa.Column("settings", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(100), nullable=False),
        sa.Column("user_id", sa.String(100), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answered", sa.Text, nullable=False),
        sa.Column("certainty", sa.String(20), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("expected", sa.Integer),
        sa.Column("asked_at", sa.Float, nullable=False),
        sa.Column("rated_at", sa.Float),
    )
    op.create_index("ix_feedback_workspace", "feedback", ["workspace"])
    op.create_index("ix_feedback_user_id", "feedback", ["user_id"])
    op.create_index("ix_feedback_asked_at", "feedback", ["asked_at"])


def downgrade() -> None:
    op.drop_index("ix_feedback_asked_at", "feedback")
    op.drop_index("ix_feedback_user_id", "feedback")
    op.drop_index("ix_feedback_workspace", "feedback")
    op.drop_table("feedback")
    op.drop_table("team_settings")
