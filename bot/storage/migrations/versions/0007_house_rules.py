"""House rules: a team's own status code for a situation, per workspace or guild.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "house_rules",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(100), nullable=False),
        sa.Column("situation", sa.String(200), nullable=False),
        sa.Column("situation_key", sa.String(200), nullable=False),
        sa.Column("code", sa.Integer, nullable=False),
        sa.Column("added_by", sa.String(100), nullable=False),
        sa.Column("added_at", sa.Float, nullable=False),
        sa.UniqueConstraint("workspace", "situation_key", name="uq_house_rules_situation"),
    )
    op.create_index("ix_house_rules_workspace", "house_rules", ["workspace"])


def downgrade() -> None:
    op.drop_index("ix_house_rules_workspace", "house_rules")
    op.drop_table("house_rules")
