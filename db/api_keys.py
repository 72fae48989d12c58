"""The API keys table (crmbot_api_keys): one row per key, the key itself stored only as a hash.

A Core table on a MetaData of its own, not a model on ``db.models.Base``: PROJECT_TABLES is
derived from that metadata and revision 0001 creates every table in it, while this table
belongs to its own revision (db/migrations/versions/0003_api_keys.py).
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table

metadata = MetaData()

api_keys = Table(
    "crmbot_api_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    # users.id of the CRM user the key acts as; declared here for the join, enforced by the migration
    Column("user_id", Integer, nullable=False),
    Column("name", String(100), nullable=False),
    Column("prefix", String(16), nullable=False),  # shown in `crmbot api-key list`, never enough to use
    Column("key_hash", String(64), nullable=False),  # sha256 hex of the whole key
    Column("created_at", DateTime, nullable=False),
    Column("last_used_at", DateTime),
    Column("revoked_at", DateTime),
)

API_KEYS_TABLE = api_keys.name
