"""Invoices: the tax decided when crmbot drafts an invoice, kept beside its version.

crmbot_invoice_state gets ``tax_rate`` and ``tax_source`` (where the rate came from: the
customer's history, the country table or the default), so that an edit re-taxes an invoice at
the rate it was drafted with. Added only where missing: a database made after this revision
already has them from the model. The duplicate check's indexes on a team's own invoices table
are not a revision: ``crmbot db upgrade`` checks them every time (db/indexes.py).

Revision ID: 0005_invoices
Revises: 0004_proactive
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_invoices"
down_revision = "0004_proactive"
branch_labels = None
depends_on = None

TABLE = "crmbot_invoice_state"
COLUMNS = (
    sa.Column("tax_rate", sa.Numeric(7, 4), nullable=True),
    sa.Column("tax_source", sa.Text(), nullable=True),
)


def _existing() -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(TABLE)}


def upgrade() -> None:
    have = _existing()
    for column in COLUMNS:
        if column.name not in have:
            op.add_column(TABLE, column.copy())


def downgrade() -> None:
    have = _existing()
    with op.batch_alter_table(TABLE) as batch:
        for column in COLUMNS:
            if column.name in have:
                batch.drop_column(column.name)
