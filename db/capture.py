"""Change capture on the team's tables: triggers (SQLite, PostgreSQL) or a poller's cursors.

Triggers add one row to ``crmbot_changes`` per changed row of the tables that feed insights,
with the company it belongs to (a payment without a company takes its invoice's); on
PostgreSQL they also ``NOTIFY crmbot_changes`` so that a worker wakes at once. They are named
``crmbot_capture_*`` and removing them leaves the team's tables exactly as they were.

Where triggers are not allowed (no TRIGGER privilege, a read replica's rules, a managed
database), polling mode keeps one cursor per table: the highest id already seen. It sees new
rows only, not updates or deletes; the nightly full refresh catches those.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from db.proactive_models import CaptureCursor, CaptureState, Change

NOTIFY_CHANNEL = "crmbot_changes"
TRIGGER_PREFIX = "crmbot_capture_"
PG_FUNCTION = "crmbot_capture_change"


@dataclass(frozen=True)
class Watched:
    table: str
    company_column: str  # the column that names the company ("id" for companies itself)
    via_invoice: bool = False  # a row without a company takes its invoice's (payments)


WATCHED = (
    Watched("payments", "company_id", via_invoice=True),
    Watched("invoices", "company_id"),
    Watched("support_tickets", "company_id"),
    Watched("activities", "company_id"),
    Watched("deals", "company_id"),
    Watched("companies", "id"),
)
MODES = ("triggers", "polling")


class CaptureError(Exception):
    """Change capture could not be installed, in words a person can act on."""


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# ------------------------------------------------------------------ SQLite


def _sqlite_company(w: Watched, row: str) -> str:
    company = f"{row}.{w.company_column}"
    if w.via_invoice:
        return f"COALESCE({company}, (SELECT company_id FROM invoices WHERE id = {row}.invoice_id))"
    return company


def _sqlite_triggers(w: Watched) -> list[str]:
    now = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    cols = "INSERT INTO crmbot_changes (company_id, source, row_id, op, changed_at)"
    new, old = _sqlite_company(w, "NEW"), _sqlite_company(w, "OLD")
    insert_new = f"{cols} SELECT {new}, '{w.table}', NEW.id, '{{op}}', {now} WHERE {new} IS NOT NULL;"
    insert_old = f"{cols} SELECT {old}, '{w.table}', OLD.id, '{{op}}', {now} WHERE {old} IS NOT NULL"
    name = f"{TRIGGER_PREFIX}{w.table}"
    return [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {w.table} BEGIN {insert_new.format(op='I')} END",
        f"CREATE TRIGGER {name}_update AFTER UPDATE ON {w.table} BEGIN {insert_new.format(op='U')} "
        f"{insert_old.format(op='U')} AND {old} IS NOT {new}; END",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {w.table} BEGIN {insert_old.format(op='D')}; END",
    ]


def _sqlite_trigger_names(conn: Connection) -> list[str]:
    return list(
        conn.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE :p"),
            {"p": f"{TRIGGER_PREFIX}%"},
        ).scalars()
    )


# ------------------------------------------------------------------ PostgreSQL


def _pg_function(schema: str) -> str:
    changes, invoices = f'"{schema}".crmbot_changes', f'"{schema}".invoices'
    return f"""
CREATE OR REPLACE FUNCTION "{schema}".{PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    new_company bigint;
    old_company bigint;
    stamp timestamp := clock_timestamp() AT TIME ZONE 'UTC';
BEGIN
    IF TG_OP <> 'DELETE' THEN
        new_company := (to_jsonb(NEW) ->> TG_ARGV[0])::bigint;
        IF new_company IS NULL AND TG_ARGV[1] = 'via_invoice' THEN
            SELECT company_id INTO new_company FROM {invoices}
            WHERE id = (to_jsonb(NEW) ->> 'invoice_id')::bigint;
        END IF;
        IF new_company IS NOT NULL THEN
            INSERT INTO {changes} (company_id, source, row_id, op, changed_at)
            VALUES (new_company, TG_TABLE_NAME, (to_jsonb(NEW) ->> 'id')::bigint, left(TG_OP, 1), stamp);
        END IF;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        old_company := (to_jsonb(OLD) ->> TG_ARGV[0])::bigint;
        IF old_company IS NULL AND TG_ARGV[1] = 'via_invoice' THEN
            SELECT company_id INTO old_company FROM {invoices}
            WHERE id = (to_jsonb(OLD) ->> 'invoice_id')::bigint;
        END IF;
        IF old_company IS NOT NULL AND old_company IS DISTINCT FROM new_company THEN
            INSERT INTO {changes} (company_id, source, row_id, op, changed_at)
            VALUES (old_company, TG_TABLE_NAME, (to_jsonb(OLD) ->> 'id')::bigint, left(TG_OP, 1), stamp);
        END IF;
    END IF;
    IF coalesce(new_company, old_company) IS NOT NULL THEN
        PERFORM pg_notify('{NOTIFY_CHANNEL}', coalesce(new_company, old_company)::text);
    END IF;
    RETURN NULL;
END
$fn$"""


def _pg_trigger(schema: str, w: Watched) -> str:
    how = "via_invoice" if w.via_invoice else "direct"
    return (
        f'CREATE TRIGGER {TRIGGER_PREFIX}{w.table} AFTER INSERT OR UPDATE OR DELETE ON "{schema}".{w.table} '
        f"FOR EACH ROW EXECUTE FUNCTION \"{schema}\".{PG_FUNCTION}('{w.company_column}', '{how}')"
    )


def _pg_triggers(conn: Connection) -> list[tuple[str, str]]:
    """(trigger, table) of crmbot's capture triggers in the current schema."""
    rows = conn.execute(
        text(
            "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE NOT t.tgisinternal AND t.tgname LIKE :p AND n.nspname = current_schema()"
        ),
        {"p": f"{TRIGGER_PREFIX}%"},
    )
    return [(r[0], r[1]) for r in rows]


# ------------------------------------------------------------------ install / uninstall


def installed_triggers(conn: Connection) -> list[str]:
    if conn.dialect.name == "sqlite":
        return _sqlite_trigger_names(conn)
    if conn.dialect.name == "postgresql":
        return [name for name, _ in _pg_triggers(conn)]
    return []


def install_triggers(conn: Connection) -> list[str]:
    """Create (or re-create) the capture triggers; returns their names. Runs in the caller's transaction."""
    uninstall(conn)
    dialect = conn.dialect.name
    if dialect == "sqlite":
        for w in WATCHED:
            for ddl in _sqlite_triggers(w):
                conn.exec_driver_sql(ddl)
    elif dialect == "postgresql":
        schema = conn.execute(text("SELECT current_schema()")).scalar()
        conn.exec_driver_sql(_pg_function(schema))
        for w in WATCHED:
            conn.exec_driver_sql(_pg_trigger(schema, w))
    else:
        raise CaptureError(f"Triggers are not supported on {dialect}: use polling mode (--mode polling).")
    return installed_triggers(conn)


def install_polling(conn: Connection, now: datetime | None = None) -> dict[str, int]:
    """Start each table's cursor at its current highest id: only rows added from now on are changes."""
    now = now or _utcnow()
    cursors = {}
    for w in WATCHED:
        last = conn.execute(text(f"SELECT MAX(id) FROM {w.table}")).scalar() or 0
        conn.execute(CaptureCursor.__table__.delete().where(CaptureCursor.table_name == w.table))
        conn.execute(
            CaptureCursor.__table__.insert().values(table_name=w.table, last_id=last, updated_at=now)
        )
        cursors[w.table] = int(last)
    return cursors


def install(engine: Engine, mode: str = "auto", now: datetime | None = None) -> tuple[str, list[str]]:
    """Install change capture; ``auto`` tries triggers and falls back to polling when they are refused.

    Returns (mode installed, what was installed). Nothing is left half-installed on failure.
    """
    if mode not in (*MODES, "auto"):
        raise CaptureError(f"Unknown capture mode '{mode}': use triggers, polling or auto.")
    now = now or _utcnow()
    if mode in ("triggers", "auto"):
        try:
            with engine.begin() as conn:
                names = install_triggers(conn)
                conn.execute(CaptureCursor.__table__.delete())
                _record_mode(conn, "triggers", now)
            return "triggers", names
        except (DBAPIError, CaptureError) as exc:
            if mode == "triggers":
                raise CaptureError(f"The database refused the capture triggers: {_reason(exc)}") from exc
    with engine.begin() as conn:
        uninstall(conn)
        cursors = install_polling(conn, now)
        _record_mode(conn, "polling", now)
    return "polling", [f"{t} after id {i}" for t, i in cursors.items()]


def _reason(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).strip().splitlines()[0]


def _record_mode(conn: Connection, mode: str, now: datetime) -> None:
    conn.execute(CaptureState.__table__.delete())
    conn.execute(
        CaptureState.__table__.insert().values(
            id=1, mode=mode, installed_at=now, tables=[w.table for w in WATCHED]
        )
    )


def uninstall(conn: Connection) -> list[str]:
    """Drop crmbot's capture triggers (and the PostgreSQL function); the team's tables are untouched."""
    dialect = conn.dialect.name
    dropped = []
    if dialect == "sqlite":
        for name in _sqlite_trigger_names(conn):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
            dropped.append(name)
    elif dialect == "postgresql":
        for name, table in _pg_triggers(conn):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            dropped.append(name)
        conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")
    if "crmbot_capture" in _tables(conn):
        conn.execute(CaptureState.__table__.delete())
        conn.execute(CaptureCursor.__table__.delete())
    return dropped


def _tables(conn: Connection) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(conn).get_table_names())


@dataclass
class CaptureStatus:
    mode: str  # triggers, polling, off
    installed_at: datetime | None
    triggers: list[str]
    pending_changes: int
    pending_companies: int


def status(engine: Engine) -> CaptureStatus:
    with engine.connect() as conn:
        row = conn.execute(select(CaptureState.mode, CaptureState.installed_at)).first()
        pending = conn.execute(
            select(func.count(Change.id), func.count(func.distinct(Change.company_id)))
        ).one()
        triggers = installed_triggers(conn)
    mode = row.mode if row else "off"
    if mode == "triggers" and not triggers:
        mode = "off"  # someone dropped them by hand
    return CaptureStatus(mode, row.installed_at if row else None, triggers, int(pending[0]), int(pending[1]))


def capture_mode(conn: Connection) -> str:
    row = conn.execute(select(CaptureState.mode)).scalar()
    return row or "off"
