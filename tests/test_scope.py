"""Who sees what, on SQLite and PostgreSQL: a rep with CRMBOT_REP_SCOPE=own gets only their accounts'
rows (compared with SQL written here), is refused another rep's account in words and people data in
their own SQL; an admin sees everything; the audit trail lists every question with its user and SQL.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

TODAY = date(2026, 11, 19)
SEED, COMPANIES = 5, 150
runner = CliRunner()


@pytest.fixture(params=["sqlite", "postgresql"])
def crm(request, tmp_path, monkeypatch):
    """A refreshed demo CRM on each database, the settings of this module, and the audit trail's place."""
    from crmbot.settings import get_settings
    from db.demo import generate
    from db.engine import get_engine
    from tools.audit import forget_state
    from tools.insights.job import refresh

    url = (
        f"sqlite:///{tmp_path / 'crm.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    )
    engine = get_engine(url)
    generate(engine, seed=SEED, today=TODAY, companies=COMPANIES)
    refresh(engine, TODAY, models_dir=tmp_path / "models")
    monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path / "data"))
    if request.param == "postgresql":  # the trail in the CRM's own database (migration 0006_audit)
        monkeypatch.setenv("CRMBOT_AUDIT_DATABASE_URL", url)
    monkeypatch.setenv("CRMBOT_REP_SCOPE", "own")
    get_settings.cache_clear()
    forget_state()
    # the entity vocabulary is cached per URL, and PostgreSQL test schemas share one URL
    from tools.reports import entities

    entities.clear_cache()
    yield Crm(url, engine)
    get_settings.cache_clear()
    engine.dispose()


class Crm:
    def __init__(self, url, engine):
        self.url, self.engine = url, engine

    def rows(self, sql: str, **params) -> list[tuple]:
        with self.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]

    def actor(self, email: str):
        from bot.cli.common import cli_actor

        return cli_actor(email, self.engine)

    def ask(self, email: str, question: str, thread=None):
        from bot.conversation import Context
        from bot.router import handle

        ctx = Context(db_url=self.url, today=TODAY, actor=self.actor(email), thread=thread, place="terminal")
        return handle(question, ctx).result

    def sql(self, email: str | None, query: str) -> tuple[int, dict]:
        from bot.cli import app

        args = ["sql", "--db", self.url, "--json", query] + (["--as", email] if email else [])
        done = runner.invoke(app, args)
        return done.exit_code, json.loads(done.stdout)


def _money(rows):
    return sorted((name, round(float(v), 2)) for name, v in rows)


def _the_rep(crm: Crm):
    """The rep owning the most accounts at high churn risk (while others own some too)."""
    rows = crm.rows(
        "SELECT u.id, u.email, COUNT(*) FROM users u JOIN companies c ON c.owner_id = u.id "
        "JOIN customer_insights ci ON ci.company_id = c.id WHERE u.role = 'rep' AND ci.churn_risk = 'high' "
        "GROUP BY u.id, u.email ORDER BY COUNT(*) DESC, u.id"
    )
    assert len(rows) > 1, "the demo needs at-risk accounts of several reps"
    return rows[0][0], rows[0][1]


def _someone_elses_customer(crm: Crm, rep_id: int) -> str:
    rows = crm.rows(
        "SELECT name FROM companies c WHERE owner_id <> :r AND lifecycle_stage = 'customer' "
        "AND (SELECT COUNT(*) FROM companies d WHERE d.name = c.name) = 1 "
        "AND EXISTS (SELECT 1 FROM payments p WHERE p.company_id = c.id) ORDER BY id",
        r=rep_id,
    )
    return rows[0][0]


REVENUE_BY_CUSTOMER = (
    "SELECT c.name, SUM(p.amount) FROM payments p JOIN companies c ON c.id = p.company_id "
    "WHERE p.paid_at >= '2026-01-01' AND p.paid_at <= '2026-11-19' {owned} GROUP BY c.id, c.name"
)
OUTSTANDING_BY_CUSTOMER = (
    "SELECT c.name, SUM(i.total - COALESCE((SELECT SUM(p.amount) FROM payments p WHERE p.invoice_id = i.id), 0)) "
    "AS owed FROM invoices i JOIN companies c ON c.id = i.company_id WHERE i.status = 'sent' {owned} "
    "GROUP BY c.id, c.name ORDER BY owed DESC, c.id LIMIT 10"
)


def test_a_rep_with_own_scope_sees_only_their_accounts_and_an_admin_sees_all(crm):
    from tools.leads.results import LeadList
    from tools.results import Message

    rep_id, rep = _the_rep(crm)
    admin = crm.rows("SELECT email FROM users WHERE role = 'admin' ORDER BY id")[0][0]
    owned = "AND c.owner_id = :r"

    # reports: their rows, exactly
    revenue = crm.ask(rep, "revenue by customer this year")
    assert not revenue.refused, revenue.reason
    expected = _money(crm.rows(REVENUE_BY_CUSTOMER.format(owned=owned), r=rep_id))
    assert expected and _money(revenue.rows) == expected
    assert "your data scope" in revenue.answer
    everyone = _money(crm.rows(REVENUE_BY_CUSTOMER.format(owned="")))
    assert len(everyone) > len(expected)

    owed = crm.ask(rep, "top 10 accounts by outstanding")  # (every account: "customers" are the current ones)
    assert not owed.refused, owed.reason
    expected = [
        (n, round(float(v), 2)) for n, v in crm.rows(OUTSTANDING_BY_CUSTOMER.format(owned=owned), r=rep_id)
    ]
    assert expected and [(n, round(float(v), 2)) for n, v in owed.rows] == expected

    at_risk = crm.ask(rep, "accounts at risk")
    assert not at_risk.refused, at_risk.reason
    theirs = crm.rows(
        "SELECT c.name FROM companies c JOIN customer_insights ci ON ci.company_id = c.id "
        "WHERE ci.churn_risk = 'high' AND c.owner_id = :r",
        r=rep_id,
    )
    assert sorted(r[0] for r in at_risk.rows) == sorted(r[0] for r in theirs)

    leads = crm.ask(rep, "top leads")
    assert isinstance(leads, LeadList) and leads.leads
    open_leads = {
        r[0]
        for r in crm.rows(
            "SELECT id FROM leads WHERE owner_id = :r AND status IN ('new', 'working', 'qualified') "
            "AND created_at < '2026-11-20'",
            r=rep_id,
        )
    }
    assert {c.lead_id for c in leads.leads} <= open_leads
    assert len(leads.leads) == min(10, len(open_leads))

    # their own SQL: every table reads only their rows
    for query, check in (
        ("SELECT id FROM companies ORDER BY id", "SELECT id FROM companies WHERE owner_id = :r ORDER BY id"),
        (
            "SELECT d.id, d.amount FROM deals d ORDER BY d.id",
            "SELECT d.id, d.amount FROM deals d JOIN companies c ON c.id = d.company_id "
            "WHERE c.owner_id = :r ORDER BY d.id",
        ),
        (
            "SELECT id, amount FROM payments WHERE amount > 0 ORDER BY id",
            "SELECT p.id, p.amount FROM payments p JOIN companies c ON c.id = p.company_id "
            "WHERE c.owner_id = :r AND p.amount > 0 ORDER BY p.id",
        ),
    ):
        code, data = crm.sql(rep, query)
        assert code == 0, data
        got = [tuple(round(float(v), 2) for v in row) for row in data["rows"]]
        want = [tuple(round(float(v), 2) for v in row) for row in crm.rows(check, r=rep_id)]
        assert want and got == want, query

    # another rep's account: refused in words, never "no data"
    other = _someone_elses_customer(crm, rep_id)
    for question in (f"how is {other} doing", f"revenue from {other} this year"):
        refused = crm.ask(rep, question)
        words = refused.text if isinstance(refused, Message) else refused.answer
        assert "not yours to see" in words and other in words, words

    # people data in their own SQL
    code, data = crm.sql(rep, "SELECT name, email FROM users")
    assert code == 1 and data["refused"] and "people data" in data["answer"]

    # an admin sees everything
    assert _money(crm.ask(admin, "revenue by customer this year").rows) == everyone
    code, data = crm.sql(admin, "SELECT COUNT(*) FROM companies")
    assert (
        data["rows"] == [[COMPANIES]]
        or data["rows"][0][0] == crm.rows("SELECT COUNT(*) FROM companies")[0][0]
    )
    code, data = crm.sql(admin, "SELECT email FROM users ORDER BY id")
    assert code == 0 and len(data["rows"]) == crm.rows("SELECT COUNT(*) FROM users")[0][0]
    card = crm.ask(admin, f"how is {other} doing")
    assert getattr(card, "company_name", None) == other

    # the audit trail: the questions, who asked them, the SQL that ran
    from bot.cli import app

    done = runner.invoke(app, ["audit", "--json", "--user", rep])
    assert done.exit_code == 0, done.output
    trail = json.loads(done.stdout)
    asked = {row["text"]: row for row in trail}
    for question in (
        "revenue by customer this year",
        "top 10 accounts by outstanding",
        "accounts at risk",
        "top leads",
    ):
        assert asked[question]["user_email"] == rep and asked[question]["place"] == "terminal"
    assert f"IN ({rep_id})" in asked["revenue by customer this year"]["sql"]
    assert asked["revenue by customer this year"]["rows"] == len(revenue.rows)
    assert asked["revenue by customer this year"]["scope"] == "own"
    sql_rows = [row for row in trail if row["text"].startswith("sql SELECT id FROM companies")]
    assert sql_rows and f"owner_id IN ({rep_id})" in sql_rows[0]["sql"]
    assert asked["sql SELECT name, email FROM users"]["refused"] is True
    assert asked[f"how is {other} doing"]["refused"] is True
    assert all(row["user_email"] == rep for row in trail)


def test_old_audit_rows_go_after_the_retention_period(tmp_path, monkeypatch):
    from bot.cli import app
    from crmbot.settings import get_settings
    from tools.actor import Actor
    from tools.audit import AuditRecord, entries, forget_state, record

    monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CRMBOT_AUDIT_RETENTION_DAYS", "30")
    get_settings.cache_clear()
    forget_state()
    try:
        actor = Actor(
            user_id=3, name="Dana", role="admin", email="dana@example.com", source="slack", label="slack:U1"
        )
        now = datetime.utcnow()
        for days, words in ((45, "an old question"), (31, "a month old"), (29, "still kept"), (0, "today")):
            entry = AuditRecord.of_actor(
                actor, kind="question", text=words, occurred_at=now - timedelta(days=days)
            )
            assert record(entry)
        # the writers prune now and then (the first write did), `crmbot audit` always does first
        assert {row["text"] for row in entries()} >= {"a month old", "still kept", "today"}
        done = runner.invoke(app, ["audit", "--json"])
        assert done.exit_code == 0, done.output
        kept = [row["text"] for row in json.loads(done.stdout)]
        assert kept == ["today", "still kept"]
        assert json.loads(done.stdout)[0]["slack_user_id"] == "U1"
    finally:
        get_settings.cache_clear()
        forget_state()


def test_default_settings_answer_everyone_as_before(demo_db_url, tmp_path, monkeypatch):
    """Without a scope setting a rep's answer is the admin's, and its SQL has no scope clause."""
    from bot.conversation import Context
    from bot.router import handle
    from crmbot.settings import get_settings
    from db.engine import get_engine

    monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path))
    for name in ("CRMBOT_REP_SCOPE", "CRMBOT_MANAGER_SCOPE", "CRMBOT_CHANNEL_ANSWERS"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    from bot.cli.common import cli_actor

    engine = get_engine(demo_db_url)
    try:
        with engine.connect() as conn:
            rep, admin = (
                conn.execute(text(f"SELECT email FROM users WHERE role = '{role}' ORDER BY id")).scalar()
                for role in ("rep", "admin")
            )
        answers = {}
        for who in (rep, admin):
            ctx = Context(db_url=demo_db_url, today=TODAY, actor=cli_actor(who, engine))
            answers[who] = handle("revenue by customer this year", ctx).result
        assert answers[rep].rows == answers[admin].rows and answers[rep].sql == answers[admin].sql
        assert "scope_" not in answers[rep].sql and "data scope" not in answers[rep].answer
    finally:
        engine.dispose()
        get_settings.cache_clear()
