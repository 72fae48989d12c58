"""The API on PostgreSQL: `crmbot serve --http` against a PostgreSQL schema, keys, insights, a
follow-up question and an approval with If-Match, over HTTP."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from tests.api_server import TODAY, base_environment, make_key, start_server

pytestmark = pytest.mark.postgres


def test_the_api_on_postgresql(pg_url, tmp_path):
    from db.demo import generate
    from db.engine import get_engine
    from tools.insights.job import refresh

    engine = get_engine(pg_url)
    generate(engine, seed=11, today=date.fromisoformat(TODAY), companies=120)
    refresh(engine, date.fromisoformat(TODAY), models_dir=tmp_path / "models")
    with engine.begin() as conn:
        users = {
            r.role: r
            for r in conn.execute(text("SELECT id, email, role FROM users WHERE active ORDER BY id"))
        }
        company_id = conn.execute(
            text("SELECT company_id FROM customer_insights ORDER BY company_id LIMIT 1")
        ).scalar()
        stored = conn.execute(
            text("SELECT health_score, churn_probability, ltv FROM customer_insights WHERE company_id = :c"),
            {"c": company_id},
        ).one()
        invoice_id = conn.execute(
            text("SELECT id FROM invoices WHERE status = 'sent' ORDER BY id LIMIT 1")
        ).scalar()
        conn.execute(
            text(
                "UPDATE invoices SET status = 'pending_approval', created_by = :c, total = 100 WHERE id = :i"
            ),
            {"c": users["rep"].id, "i": invoice_id},
        )
    env = base_environment(tmp_path / "data")
    manager = make_key(pg_url, users["manager"].email, env)
    server = start_server(pg_url, env, tmp_path / "serve.log")
    try:
        insights = server.get(f"/api/crm/companies/{company_id}/insights", key=manager)
        assert insights.status == 200, insights.body
        body = insights.json
        assert body["health_score"] == pytest.approx(float(stored.health_score))
        assert body["churn_probability"] == pytest.approx(float(stored.churn_probability))
        assert body["ltv"] == pytest.approx(float(stored.ltv))

        first = server.post("/api/crm/reports/ask", {"question": "bookings this year"}, key=manager).json
        follow = server.post(
            "/api/crm/reports/ask", {"question": "by region", "context": first["context"]}, key=manager
        ).json
        assert "region" in follow["columns"] and not follow["refused"]

        seen = server.get(f"/api/crm/invoices/{invoice_id}", key=manager)
        path = f"/api/crm/invoices/{invoice_id}/approve"
        stale = server.post(path, key=manager, headers={"If-Match": f'"{seen.json["version"] + 1}"'})
        assert stale.status == 412, stale.body
        approved = server.post(path, key=manager, headers={"If-Match": seen.headers["etag"]})
        assert approved.status == 200 and approved.json["invoice"]["status"] == "approved"
    finally:
        server.stop()
    with engine.connect() as conn:
        assert (
            conn.execute(text("SELECT status FROM invoices WHERE id = :i"), {"i": invoice_id}).scalar()
            == "approved"
        )
        assert conn.execute(text("SELECT last_used_at FROM crmbot_api_keys")).scalar() is not None
    engine.dispose()
