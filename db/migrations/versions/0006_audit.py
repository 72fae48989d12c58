"""The audit trail: every question and action (crmbot_audit_trail), for `crmbot audit`.

Where CRMBOT_AUDIT_DATABASE_URL names the CRM database itself, this is where the table comes
from on a database crmbot may not create tables in at run time. Tables only, nothing of the
team's is touched; the downgrade drops the trail.

Revision ID: 0006_audit
Revises: 0005_invoices
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_audit"
down_revision = "0005_invoices"
branch_labels = None
depends_on = None

TABLE = "crmbot_audit_trail"
BigId = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table(TABLE):
        return
    op.create_table(
        TABLE,
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("occurred_at", sa.DateTime, nullable=False),
        sa.Column("user_id", sa.Integer),
        sa.Column("user_email", sa.Text),
        sa.Column("user_name", sa.Text),
        sa.Column("role", sa.String(20)),
        sa.Column("slack_user_id", sa.String(40)),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("place", sa.Text),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("answer_kind", sa.String(40)),
        sa.Column("sql", sa.Text),
        sa.Column("rows", sa.Integer),
        sa.Column("duration_ms", sa.Float),
        sa.Column("refused", sa.Boolean, nullable=False),
        sa.Column("scope", sa.String(40)),
        sa.Column("error_id", sa.String(16)),
        sa.PrimaryKeyConstraint("id", name="pk_crmbot_audit_trail"),
    )
    op.create_index("ix_crmbot_audit_trail_occurred_at", TABLE, ["occurred_at"])
    op.create_index("ix_crmbot_audit_trail_user_id", TABLE, ["user_id"])


def downgrade() -> None:
    if sa.inspect(op.get_bind()).has_table(TABLE):
        op.drop_table(TABLE)
