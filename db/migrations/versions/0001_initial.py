"""The contract tables (only where missing) and crmbot's own tables.

On an empty database this creates everything. On a team's own CRM that already has the
contract tables, those tables are left exactly as they are (no ALTER, no data touched) and
only crmbot's own tables are added.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from alembic import op

from db.models import CONTRACT_TABLES, PROJECT_TABLES, Base

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    for name in CONTRACT_TABLES + PROJECT_TABLES:
        Base.metadata.tables[name].create(bind, checkfirst=True)


def downgrade() -> None:
    bind = op.get_bind()
    # Only crmbot's own tables: a downgrade never drops a team's CRM data.
    for name in reversed(PROJECT_TABLES):
        Base.metadata.tables[name].drop(bind, checkfirst=True)
