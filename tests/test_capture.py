"""Change capture: triggers on SQLite and PostgreSQL, polling by id, and the team's tables left as they were."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from sqlalchemy import inspect, select, text
from typer.testing import CliRunner

from bot.cli import app
from db.capture import WATCHED, install, status, uninstall
from db.engine import get_engine
from db.proactive_models import Change
from tools.proactive.polling import poll


def _changes(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [
            (r.company_id, r.source, r.op)
            for r in conn.execute(select(Change.company_id, Change.source, Change.op).order_by(Change.id))
        ]


def _clear(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM crmbot_changes"))


def _schema(engine) -> dict:
    """What a team would notice: each watched table's columns, indexes and DDL (SQLite)."""
    insp = inspect(engine)
    out = {}
    for w in WATCHED:
        out[w.table] = (
            [(c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(w.table)],
            sorted(i["name"] for i in insp.get_indexes(w.table)),
        )
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            out["ddl"] = sorted(
                conn.execute(
                    text(
                        "SELECT name, sql FROM sqlite_master WHERE tbl_name IN ('payments','invoices','support_tickets','activities','deals','companies') AND type != 'trigger'"
                    )
                ).all()
            )
    return out


def _exercise(engine) -> dict:
    """One insert, update and delete on each watched table; returns the ids used."""
    with engine.connect() as conn:
        a, b = conn.execute(
            text("SELECT id FROM companies WHERE lifecycle_stage = 'customer' ORDER BY id LIMIT 2")
        ).scalars()
        invoice = conn.execute(
            text("SELECT id FROM invoices WHERE company_id = :c LIMIT 1"), {"c": a}
        ).scalar()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO support_tickets (company_id, subject, priority, status, created_at) VALUES (:c, 'x', 'high', 'open', :t)"
            ),
            {"c": a, "t": datetime(2026, 11, 18)},
        )
        # a payment recorded against an invoice only: the change names the invoice's company
        conn.execute(
            text(
                "INSERT INTO payments (invoice_id, amount, paid_at, method) VALUES (:i, 10, '2026-11-18', 'card')"
            ),
            {"i": invoice},
        )
        conn.execute(
            text(
                "INSERT INTO activities (company_id, type, occurred_at, subject) VALUES (:c, 'call', :t, 'capture test')"
            ),
            {"c": b, "t": datetime(2026, 11, 18, 9)},
        )
    return {"a": a, "b": b, "invoice": invoice}


def test_triggers_record_changed_companies_and_uninstall_leaves_tables_as_they_were(refreshed_db):
    engine = get_engine(refreshed_db)
    before = _schema(engine)
    mode, names = install(engine)
    assert mode == "triggers" and len(names) == 3 * len(WATCHED)
    ids = _exercise(engine)
    a, b = ids["a"], ids["b"]
    assert _changes(engine) == [(a, "support_tickets", "I"), (a, "payments", "I"), (b, "activities", "I")]
    _clear(engine)
    with engine.begin() as conn:  # moving an activity to another company changes both
        conn.execute(text("UPDATE activities SET company_id = :a WHERE subject = 'capture test'"), {"a": a})
        conn.execute(text("UPDATE companies SET industry = industry WHERE id = :b"), {"b": b})
        conn.execute(text("DELETE FROM support_tickets WHERE company_id = :a AND subject = 'x'"), {"a": a})
    assert sorted(_changes(engine)) == sorted(
        [(a, "activities", "U"), (b, "activities", "U"), (b, "companies", "U"), (a, "support_tickets", "D")]
    )
    assert status(engine).mode == "triggers"
    with engine.begin() as conn:
        dropped = uninstall(conn)
    assert len(dropped) == 3 * len(WATCHED)
    assert _schema(engine) == before
    _clear(engine)
    _exercise(engine)
    assert _changes(engine) == []  # nothing captured any more
    assert status(engine).mode == "off"


def test_polling_picks_up_new_rows_once_with_two_pollers(refreshed_db):
    engine = get_engine(refreshed_db)
    mode, _ = install(engine, "polling")
    assert mode == "polling" and status(engine).mode == "polling"
    ids = _exercise(engine)
    now = datetime(2026, 11, 19, 12)
    found = []
    threads = [threading.Thread(target=lambda w=w: found.append(poll(engine, w, now))) for w in ("w1", "w2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(found) == [0, 3]  # one poller took the rows, the other found nothing new
    assert sorted(_changes(engine)) == sorted(
        [(ids["a"], "support_tickets", "P"), (ids["a"], "payments", "P"), (ids["b"], "activities", "P")]
    )
    assert poll(engine, "w1", now) == 0


def test_watch_commands(refreshed_db):
    runner = CliRunner()
    result = runner.invoke(app, ["watch", "install", "--db", refreshed_db])
    assert result.exit_code == 0 and "18 triggers" in result.output, result.output
    result = runner.invoke(app, ["watch", "status", "--db", refreshed_db])
    assert "Change capture: triggers" in result.output and "Waiting: 0 changes" in result.output
    result = runner.invoke(app, ["watch", "install", "--db", refreshed_db, "--mode", "sometimes"])
    assert result.exit_code != 0 and "Unknown capture mode" in result.output
    assert status(get_engine(refreshed_db)).mode == "triggers"  # a bad mode changed nothing
    result = runner.invoke(app, ["watch", "uninstall", "--db", refreshed_db])
    assert result.exit_code == 0 and "18 triggers dropped" in result.output


def test_watch_needs_the_new_tables(tmp_path):
    from db.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(get_engine(url), "0001")
    result = CliRunner().invoke(app, ["watch", "install", "--db", url])
    assert result.exit_code != 0 and "crmbot db upgrade" in result.output


@pytest.mark.postgres
def test_postgres_triggers_notify_and_uninstall_cleanly(pg_url):
    import psycopg

    from db.demo import generate

    engine = get_engine(pg_url)
    generate(engine, seed=3, today=datetime(2026, 11, 19).date(), companies=50)
    before = _schema(engine)
    assert install(engine)[0] == "triggers"
    listener = psycopg.connect(
        pg_url.replace("postgresql+psycopg", "postgresql").split("?")[0], autocommit=True
    )
    try:
        listener.execute("LISTEN crmbot_changes")
        ids = _exercise(engine)
        heard = {n.payload for n in listener.notifies(timeout=2.0, stop_after=2)}
    finally:
        listener.close()
    assert heard == {str(ids["a"]), str(ids["b"])}
    assert sorted(_changes(engine)) == sorted(
        [(ids["a"], "support_tickets", "I"), (ids["a"], "payments", "I"), (ids["b"], "activities", "I")]
    )
    with engine.begin() as conn:
        uninstall(conn)
        left = conn.execute(
            text("SELECT COUNT(*) FROM pg_proc WHERE proname = 'crmbot_capture_change'")
        ).scalar()
    assert left == 0 and _schema(engine) == before
    engine.dispose()


@pytest.mark.postgres
def test_postgres_falls_back_to_polling_where_triggers_are_refused(pg_url):
    """A role that may read and write the tables but not add triggers: auto mode polls instead."""
    import uuid

    from sqlalchemy.engine import make_url

    from db.demo import generate

    engine = get_engine(pg_url)
    generate(engine, seed=3, today=datetime(2026, 11, 19).date(), companies=50)
    from db.migrate import upgrade

    upgrade(engine)
    role = f"crmbot_t_{uuid.uuid4().hex[:8]}"
    with engine.begin() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar()
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        conn.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"'))
        conn.execute(
            text(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"')
        )
        conn.execute(text(f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{role}"'))
    limited = get_engine(make_url(pg_url).set(username=role).render_as_string(hide_password=False))
    try:
        mode, _ = install(limited)
        assert mode == "polling"
        ids = _exercise(limited)
        assert poll(limited, "w1", datetime(2026, 11, 19, 12)) == 3
        assert {c[0] for c in _changes(limited)} == {ids["a"], ids["b"]}
    finally:
        limited.dispose()
        with engine.begin() as conn:
            conn.execute(text(f'DROP OWNED BY "{role}"'))
            conn.execute(text(f'DROP ROLE "{role}"'))
        engine.dispose()


def test_downgrading_removes_the_triggers_before_their_table(refreshed_db):
    from alembic import command

    from db.migrate import alembic_config
    from db.proactive_models import PROACTIVE_TABLES

    engine = get_engine(refreshed_db)
    install(engine)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    with engine.connect() as conn:
        triggers = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars().all()
    assert triggers == [] and not set(PROACTIVE_TABLES) & set(inspect(engine).get_table_names())
    _exercise(engine)  # the team's tables work as before: no trigger writes into a table that is gone
