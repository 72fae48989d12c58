"""API keys for the HTTP API: crmbot_api_keys (hashed keys, each acting as one CRM user).

Revision ID: 0003_api_keys
Revises: 0002_slack_inbox
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_api_keys"
down_revision = "0002_slack_inbox"
branch_labels = None
depends_on = None

TABLE = "crmbot_api_keys"


def upgrade() -> None:
    bind = op.get_bind()
    if TABLE in sa.inspect(bind).get_table_names():
        return
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_used_at", sa.DateTime),
        sa.Column("revoked_at", sa.DateTime),
    )
    op.create_index("ux_crmbot_api_keys_key_hash", TABLE, ["key_hash"], unique=True)
    op.create_index("ix_crmbot_api_keys_user_id", TABLE, ["user_id"])


def downgrade() -> None:
    op.drop_table(TABLE)
