"""crmbot_slack_inbox: Slack requests acknowledged but not answered yet (bot/slack/inbox.py).

Revision ID: 0002_slack_inbox
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_slack_inbox"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLE = "crmbot_slack_inbox"


def upgrade() -> None:
    bind = op.get_bind()
    if sa.inspect(bind).has_table(TABLE):  # a new database got it from 0001's create of every model
        return
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(80), nullable=False),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("owner", sa.String(200)),
        sa.Column("lease_until", sa.DateTime),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_crmbot_slack_inbox"),
    )
    op.create_index("ix_crmbot_slack_inbox_lease_until", TABLE, ["lease_until"])


def downgrade() -> None:
    op.drop_index("ix_crmbot_slack_inbox_lease_until", TABLE)
    op.drop_table(TABLE)
