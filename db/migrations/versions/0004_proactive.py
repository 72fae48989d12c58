"""The proactive bot's tables: change capture, alert state and outbox, schedules, workers.

Tables only: the capture triggers on the team's tables are installed by `crmbot watch install`
(never by a migration), and the downgrade removes them first, since they write into a table
it drops.

Revision ID: 0004_proactive
Revises: 0003_api_keys
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_proactive"
down_revision = "0003_api_keys"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    bind = op.get_bind()
    have = set(sa.inspect(bind).get_table_names())

    def create(name, *columns):
        if name not in have:
            op.create_table(name, *columns)

    create(
        "crmbot_changes",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("company_id", sa.BigInteger),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("row_id", sa.BigInteger),
        sa.Column("op", sa.String(1), nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
        sa.Column("claimed_by", sa.String(120)),
        sa.Column("lease_until", sa.DateTime),
    )
    if "crmbot_changes" not in have:
        op.create_index("ix_crmbot_changes_company_id", "crmbot_changes", ["company_id"])
    create(
        "crmbot_capture",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("installed_at", sa.DateTime, nullable=False),
        sa.Column("tables", sa.JSON, nullable=False),
    )
    create(
        "crmbot_capture_cursors",
        sa.Column("table_name", sa.String(40), primary_key=True),
        sa.Column("last_id", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    create(
        "crmbot_locks",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("holder", sa.String(120)),
        sa.Column("taken_at", sa.DateTime),
    )
    create(
        "crmbot_alert_state",
        sa.Column("company_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("band", sa.String(10)),
        sa.Column("churn_risk", sa.String(10)),
        sa.Column("health_score", sa.Float),
        sa.Column("peak_health", sa.Float),
        sa.Column("snoozed_until", sa.DateTime),
        sa.Column("snoozed_by", sa.Text),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    create(
        "crmbot_alerts",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("company_id", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("kinds", sa.JSON, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("claimed_by", sa.String(120)),
        sa.Column("lease_until", sa.DateTime),
        sa.Column("delivered", sa.JSON),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("sent_at", sa.DateTime),
        sa.Column("error", sa.Text),
    )
    if "crmbot_alerts" not in have:
        op.create_index("ix_crmbot_alerts_status", "crmbot_alerts", ["status"])
    create(
        "crmbot_schedules",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("cron", sa.String(120), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("channel", sa.String(80), nullable=False),
        sa.Column("condition", sa.String(200)),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("next_run_at", sa.DateTime, nullable=False),
        sa.Column("last_run_at", sa.DateTime),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.Text),
    )
    create(
        "crmbot_schedule_runs",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("schedule_id", sa.BigInteger, nullable=False),
        sa.Column("slot_at", sa.DateTime, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("claimed_by", sa.String(120)),
        sa.Column("lease_until", sa.DateTime),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime),
        sa.Column("message_ts", sa.String(40)),
        sa.Column("note", sa.Text),
        sa.UniqueConstraint("schedule_id", "slot_at", name="uq_crmbot_schedule_runs_schedule_id"),
    )
    create(
        "crmbot_workers",
        sa.Column("worker_id", sa.String(120), primary_key=True),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("heartbeat_at", sa.DateTime, nullable=False),
        sa.Column("stopped_at", sa.DateTime),
        sa.Column("stats", sa.JSON),
    )


def downgrade() -> None:
    from db.capture import uninstall

    bind = op.get_bind()
    uninstall(bind)
    have = set(sa.inspect(bind).get_table_names())
    for name in (
        "crmbot_workers",
        "crmbot_schedule_runs",
        "crmbot_schedules",
        "crmbot_alerts",
        "crmbot_alert_state",
        "crmbot_locks",
        "crmbot_capture_cursors",
        "crmbot_capture",
        "crmbot_changes",
    ):
        if name in have:
            op.drop_table(name)
