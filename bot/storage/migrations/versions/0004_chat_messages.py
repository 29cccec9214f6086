"""Remember the platform message each Reply key was posted as (chat adapters edit it in place).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chat_messages",
        sa.Column("platform", sa.String(20), primary_key=True),
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("channel", sa.String(100), nullable=False),
        sa.Column("message_id", sa.String(100), nullable=False),
        sa.Column("posted_at", sa.Float, nullable=False),
    )
    op.create_index("ix_chat_messages_posted_at", "chat_messages", ["posted_at"])


def downgrade() -> None:
    op.drop_index("ix_chat_messages_posted_at", "chat_messages")
    op.drop_table("chat_messages")
