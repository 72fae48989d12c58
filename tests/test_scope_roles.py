"""Scopes beyond the rep's own: a manager's team, invoices (approval, pending lists, drafts), App Home,
and the HTTP API (403 in words). Money never moves outside the scope, and the refusal is in the trail."""

from __future__ import annotations

import shutil
import signal
from datetime import date

import pytest
from sqlalchemy import text

TODAY = date(2026, 11, 19)


@pytest.fixture
def team_scope(refreshed_db, tmp_path, monkeypatch):
    from crmbot.settings import get_settings
    from tools.audit import forget_state

    monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CRMBOT_MANAGER_SCOPE", "team")
    monkeypatch.setenv("CRMBOT_REP_SCOPE", "team")
    get_settings.cache_clear()
    forget_state()
    yield refreshed_db
    get_settings.cache_clear()
    forget_state()


def _engine(url):
    from db.engine import shared_engine

    return shared_engine(url)


def _manager(url):
    """A manager whose team owns companies, and the ids of the team's users."""
    with _engine(url).connect() as conn:
        row = conn.execute(
            text(
                "SELECT u.id, u.email, u.team FROM users u WHERE u.role = 'manager' AND EXISTS "
                "(SELECT 1 FROM companies c JOIN users o ON o.id = c.owner_id WHERE o.team = u.team) ORDER BY u.id"
            )
        ).first()
        team = {r[0] for r in conn.execute(text("SELECT id FROM users WHERE team = :t"), {"t": row.team})}
    return row, team


def test_a_manager_with_team_scope_sees_the_teams_accounts(team_scope):
    from bot.cli.common import cli_actor
    from bot.conversation import Context
    from bot.router import handle

    manager, team = _manager(team_scope)
    ctx = Context(db_url=team_scope, today=TODAY, actor=cli_actor(manager.email, _engine(team_scope)))
    result = handle("invoiced by customer this year", ctx).result
    assert not result.refused, result.reason
    ids = ", ".join(str(i) for i in sorted(team))
    with _engine(team_scope).connect() as conn:
        expected = conn.execute(
            text(
                "SELECT c.name, SUM(i.total) FROM invoices i JOIN companies c ON c.id = i.company_id "
                f"WHERE i.status IN ('sent', 'paid') AND i.issue_date >= '2026-01-01' AND i.issue_date <= '2026-11-19' "
                f"AND c.owner_id IN ({ids}) GROUP BY c.id, c.name"
            )
        ).all()
        everyone = conn.execute(text("SELECT COUNT(DISTINCT company_id) FROM invoices")).scalar()
    assert sorted((n, round(float(v), 2)) for n, v in result.rows) == sorted(
        (n, round(float(v), 2)) for n, v in expected
    )
    assert 0 < len(result.rows) < everyone
    assert f"the {manager.team} team" in result.answer


def _pending(url, outside: bool, team: set[int], creator: int) -> tuple[int, str]:
    """An invoice waiting for approval, of a company inside (or outside) the team's accounts."""
    ids = ", ".join(str(i) for i in sorted(team))
    where = "NOT IN" if outside else "IN"
    with _engine(url).begin() as conn:
        invoice_id, number = conn.execute(
            text(
                "SELECT i.id, i.number FROM invoices i JOIN companies c ON c.id = i.company_id "
                f"WHERE c.owner_id {where} ({ids}) AND i.status = 'sent' AND i.total < 20000 ORDER BY i.id LIMIT 1"
            )
        ).one()
        conn.execute(
            text("UPDATE invoices SET status = 'pending_approval', created_by = :c WHERE id = :i"),
            {"c": creator, "i": invoice_id},
        )
    return invoice_id, number


def test_invoices_outside_the_scope_cannot_be_seen_listed_or_approved(team_scope):
    from bot.cli.common import cli_actor
    from bot.conversation import Context
    from bot.router import handle
    from tools.audit import entries
    from tools.home import home_summary
    from tools.invoices import flow

    manager, team = _manager(team_scope)
    engine = _engine(team_scope)
    with engine.connect() as conn:
        rep = conn.execute(text("SELECT id FROM users WHERE role = 'rep' ORDER BY id")).scalar()
    inside, inside_number = _pending(team_scope, False, team, rep)
    outside, outside_number = _pending(team_scope, True, team, rep)
    actor = cli_actor(manager.email, engine)

    listed = {v.id for v in flow.pending_approvals(engine, actor)}
    assert inside in listed and outside not in listed
    home = home_summary(engine, actor, TODAY, limit=50)
    assert inside_number in [p[0] for p in home.pending_approvals]
    assert outside_number not in [p[0] for p in home.pending_approvals]

    refused = flow.approve(engine, outside, actor)
    assert not refused.ok and "not yours to see" in refused.message and refused.invoice is None
    with engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM invoices WHERE id = :i"), {"i": outside}).scalar() == (
            "pending_approval"
        )
    assert flow.approve(engine, inside, actor).ok

    ctx = Context(db_url=team_scope, today=TODAY, actor=actor)
    shown = handle(f"show invoice {outside_number}", ctx).result
    assert "not yours to see" in shown.text
    trail = entries(user=manager.email)
    actions = {row["text"]: row for row in trail if row["kind"] == "action"}
    assert actions[f"approve invoice {outside}"]["refused"] is True
    assert actions[f"approve {inside_number}"]["refused"] is False
    assert any(row["text"] == f"show invoice {outside_number}" and row["refused"] for row in trail)


def test_the_api_refuses_what_is_outside_the_scope_in_words(refreshed_db_path, tmp_path):
    from tests.api_server import base_environment, make_key, start_server

    shutil.copy(refreshed_db_path, tmp_path / "crm.db")
    db_url = f"sqlite:///{tmp_path / 'crm.db'}"
    with _engine(db_url).connect() as conn:
        rep_id, email = conn.execute(
            text(
                "SELECT u.id, u.email FROM users u JOIN companies c ON c.owner_id = u.id "
                "WHERE u.role = 'rep' AND c.lifecycle_stage = 'customer' ORDER BY u.id"
            )
        ).first()
        mine, theirs = (
            conn.execute(
                text(
                    f"SELECT id FROM companies WHERE owner_id {op} :r AND lifecycle_stage = 'customer' ORDER BY id"
                ),
                {"r": rep_id},
            ).scalar()
            for op in ("=", "<>")
        )
    env = base_environment(tmp_path / "data", CRMBOT_REP_SCOPE="own", CRMBOT_API_RATE_LIMIT="1000/minute")
    key = make_key(db_url, email, env)
    server = start_server(db_url, env, tmp_path / "serve.log")
    try:
        assert server.get(f"/api/crm/companies/{mine}/insights", key=key).status == 200
        denied = server.get(f"/api/crm/companies/{theirs}/insights", key=key)
        assert denied.status == 403 and "not yours to see" in denied.json["detail"]
        sql = server.post("/api/crm/reports/sql", {"sql": "SELECT email FROM users"}, key=key)
        assert sql.status == 200 and sql.json["refused"] and "people data" in sql.json["answer"]
        counted = server.post("/api/crm/reports/sql", {"sql": "SELECT COUNT(*) AS n FROM companies"}, key=key)
        with _engine(db_url).connect() as conn:
            own = conn.execute(
                text("SELECT COUNT(*) FROM companies WHERE owner_id = :r"), {"r": rep_id}
            ).scalar()
        assert counted.json["rows"] == [[own]]
    finally:
        assert server.stop() in (0, -signal.SIGTERM), server.log()
    from tools.audit import entries, forget_state

    forget_state()
    trail = entries(url=f"sqlite:///{(tmp_path / 'data' / 'audit.db').resolve()}")
    assert trail and all(row["place"].startswith("api key ") and row["user_email"] == email for row in trail)
    assert {row["text"] for row in trail} >= {
        "sql SELECT email FROM users",
        "sql SELECT COUNT(*) AS n FROM companies",
    }
