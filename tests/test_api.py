"""The HTTP API end to end: `crmbot serve --http` as a subprocess, called over HTTP with keys made
by `crmbot api-key create`, on a demo database whose insights were refreshed; Slack's events on
the same port, answered through a local mock Slack."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
from datetime import date
from urllib.parse import urlencode

import pytest
from sqlalchemy import text

from tests.api_server import SLACK_SECRET, TODAY, base_environment, crmbot_command, make_key, start_server
from tests.slack_mock import MockSlack
from tests.test_slack import sign

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def api(demo_db_path, tmp_path_factory):
    """One server for the module: a private copy of the demo, insights stored, keys per role."""
    from db.engine import get_engine
    from tools.insights.job import refresh

    folder = tmp_path_factory.mktemp("api")
    shutil.copy(demo_db_path, folder / "demo.db")
    db_url = f"sqlite:///{folder / 'demo.db'}"
    engine = get_engine(db_url)
    refresh(engine, date.fromisoformat(TODAY), models_dir=folder / "models")
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id, name, email, role, slack_user_id FROM users WHERE active ORDER BY id")
        ).all()
    users = {}
    for row in rows:
        users.setdefault(row.role, row)
    slack_users = {r.slack_user_id: {"email": r.email, "real_name": r.name} for r in rows if r.slack_user_id}
    with MockSlack(users=slack_users) as slack:
        env = base_environment(
            folder / "data",
            SLACK_BOT_TOKEN=slack.bot_token,
            SLACK_SIGNING_SECRET=SLACK_SECRET,
            SLACK_API_URL=slack.api_url,
            CRMBOT_API_RATE_LIMIT="10000/minute",
            CRMBOT_LOG_LEVEL="INFO",
        )
        keys = {role: make_key(db_url, user.email, env) for role, user in users.items()}
        server = start_server(db_url, env, folder / "serve.log")
        try:
            yield Api(server, slack, engine, db_url, users, keys, env)
        finally:
            # uvicorn shuts down gracefully, then re-raises SIGTERM: a clean stop for systemd and docker
            assert server.stop() in (0, -signal.SIGTERM), server.log()
            assert "Application shutdown complete" in server.log()
            engine.dispose()


class Api:
    def __init__(self, server, slack, engine, db_url, users, keys, env):
        self.server, self.slack, self.engine, self.db_url = server, slack, engine, db_url
        self.users, self.keys, self.env = users, keys, env

    def get(self, path, role="manager", **kw):
        return self.server.get(path, key=self.keys.get(role), **kw)

    def post(self, path, body=None, role="manager", **kw):
        return self.server.post(path, body, key=self.keys.get(role), **kw)

    def one(self, sql: str, **params):
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).first()


def assert_problem(response, status: int, words: str | None = None) -> dict:
    assert response.status == status, (response.status, response.body[:500])
    assert response.content_type.startswith(PROBLEM), response.content_type
    problem = response.json
    assert problem["status"] == status and problem["title"] and problem["detail"]
    if words:
        assert words.lower() in problem["detail"].lower(), problem["detail"]
    return problem


# --------------------------------------------------------------------------- health, docs, keys


def test_health_openapi_and_docs(api):
    health = api.server.get("/api/health")
    assert health.status == 200 and health.json["database"] == "ok" and health.json["slack"] is True
    schema = api.server.get("/openapi.json").json
    paths = set(schema["paths"])
    for path in (
        "/api/crm/contacts/{contact_id}/insights",
        "/api/crm/contacts/{contact_id}/insights/refresh",
        "/api/crm/companies/{company_id}/insights",
        "/api/crm/companies/{company_id}/insights/refresh",
        "/api/crm/companies/{company_id}/insights/panel",
        "/api/crm/leads/{lead_id}/score",
        "/api/crm/leads/score",
        "/api/crm/deals/{deal_id}/invoices",
        "/api/crm/invoices/{invoice_id}",
        "/api/crm/invoices/{invoice_id}/duplicates",
        "/api/crm/invoices/{invoice_id}/approve",
        "/api/crm/invoices/{invoice_id}/reject",
        "/api/crm/companies/{company_id}/payment-terms",
        "/api/crm/reports/ask",
        "/api/crm/reports/sql",
        "/api/health",
    ):
        assert path in paths, path
    assert "/slack/events" not in paths
    assert api.server.get("/docs").status == 200


def test_requests_without_a_valid_key_are_refused(api):
    no_key = api.server.get("/api/crm/companies/1/insights")
    assert_problem(no_key, 401, "Authorization: Bearer")
    assert no_key.headers["www-authenticate"].startswith("Bearer")
    assert_problem(
        api.server.get("/api/crm/companies/1/insights", key="crm_not-a-real-key"), 401, "not valid"
    )
    assert_problem(
        api.server.get("/api/crm/companies/1/insights", headers={"Authorization": "Basic dXNlcjpwYXNz"}), 401
    )
    # a key that worked stops working once revoked
    key = make_key(api.db_url, api.users["rep"].email, api.env, name="to revoke")
    assert api.server.get("/api/crm/leads/1/score", key=key).status == 200
    key_id = api.one("SELECT id FROM crmbot_api_keys WHERE name = 'to revoke'").id
    done = subprocess.run(
        [*crmbot_command(), "api-key", "revoke", str(key_id), "--db", api.db_url],
        env=api.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert_problem(api.server.get("/api/crm/leads/1/score", key=key), 401, "revoked")


def test_unknown_addresses_and_bad_input_are_problems(api):
    assert_problem(api.get("/api/crm/nothing-here"), 404)
    assert_problem(api.get("/api/crm/companies/abc/insights"), 422)
    problem = assert_problem(api.post("/api/crm/reports/ask", {"today": "2026-11-19"}), 422, "question")
    assert problem["errors"][0]["field"] == "question"
    assert_problem(api.post("/api/crm/reports/ask", b"{not json"), 422)


# --------------------------------------------------------------------------- insights


CONTRACT_FIELDS = (
    "health_score",
    "engagement_score",
    "payment_score",
    "support_score",
    "churn_risk",
    "churn_probability",
    "predicted_churn_date",
    "ltv",
    "predicted_ltv_12m",
    "computed_at",
)


def _stored_insight(api, company_id: int) -> dict:
    row = api.one("SELECT * FROM customer_insights WHERE company_id = :c", c=company_id)
    data = dict(row._mapping)
    for name in ("predicted_churn_date", "computed_at"):
        value = data[name]
        data[name] = value if isinstance(value, str) or value is None else value.isoformat()
    return data


def _same_contract_values(body: dict, stored: dict) -> None:
    for name in CONTRACT_FIELDS:
        got, want = body[name], stored[name]
        if isinstance(want, float):
            assert got == pytest.approx(want, abs=1e-9), name
        elif name == "computed_at":
            assert got.replace("T", " ")[:16] == str(want).replace("T", " ")[:16], name
        else:
            assert got == want, name


def test_company_and_contact_insights_carry_the_stored_contract_values(api):
    from bot.render import to_data
    from tools.insights.service import company_insight_by_id

    company_id = api.one(
        "SELECT company_id FROM customer_insights ORDER BY churn_probability DESC LIMIT 1"
    ).company_id
    response = api.get(f"/api/crm/companies/{company_id}/insights", role="rep")
    assert response.status == 200, response.body
    body = response.json
    _same_contract_values(body, _stored_insight(api, company_id))
    card = company_insight_by_id(api.engine, date.fromisoformat(TODAY), company_id)
    assert body["company_name"] == card.company_name and body["band"] == card.band
    assert [b["name"] for b in body["breakdown"]] == ["engagement", "payment", "support"]
    assert [r["text"] for r in body["reasons"]] == [r.text for r in card.reasons] and body["reasons"]
    assert [r["action"] for r in body["recommendations"]] == [r.action for r in card.recommendations]
    assert to_data(card)["answer"].startswith(body["company_name"])

    contact_id = api.one("SELECT id FROM contacts WHERE company_id = :c LIMIT 1", c=company_id).id
    by_contact = api.get(f"/api/crm/contacts/{contact_id}/insights", role="rep")
    assert by_contact.status == 200 and by_contact.json == body


def test_insights_of_unknown_or_non_customer_companies_are_404(api):
    assert_problem(api.get("/api/crm/companies/999999/insights"), 404, "no company 999999")
    assert_problem(api.get("/api/crm/contacts/999999/insights"), 404, "no contact 999999")
    prospect = api.one("SELECT id, name FROM companies WHERE lifecycle_stage = 'prospect' LIMIT 1")
    assert_problem(api.get(f"/api/crm/companies/{prospect.id}/insights"), 404, "is a prospect")


def test_refresh_recomputes_one_company_and_stores_it(api):
    company_id, other_id = (
        r.company_id
        for r in api.engine.connect().execute(text("SELECT company_id FROM customer_insights LIMIT 2"))
    )
    other_before = _stored_insight(api, other_id)
    with api.engine.begin() as conn:  # a stale stored value that a refresh must replace
        conn.execute(
            text("UPDATE customer_insights SET health_score = 1.0 WHERE company_id = :c"), {"c": company_id}
        )
    response = api.post(f"/api/crm/companies/{company_id}/insights/refresh", role="rep")
    assert response.status == 200, response.body
    stored = _stored_insight(api, company_id)
    assert stored["health_score"] != 1.0
    _same_contract_values(response.json, stored)
    assert response.json["computed_at"].startswith(TODAY) and not response.json["computed_now"]
    assert _stored_insight(api, other_id) == other_before  # nobody else's row was touched
    contact_id = api.one("SELECT id FROM contacts WHERE company_id = :c LIMIT 1", c=company_id).id
    assert api.post(f"/api/crm/contacts/{contact_id}/insights/refresh").status == 200
    prospect = api.one("SELECT id FROM companies WHERE lifecycle_stage = 'prospect' LIMIT 1").id
    assert_problem(api.post(f"/api/crm/companies/{prospect}/insights/refresh"), 404, "prospect")
    assert api.one("SELECT COUNT(*) AS n FROM customer_insights WHERE company_id = :c", c=prospect).n == 0


# --------------------------------------------------------------------------- leads


def test_lead_scores_read_and_stored(api):
    from tools.leads.cards import lead_cards
    from tools.leads.features import load_leads

    lead_id = api.one("SELECT id FROM leads WHERE status = 'new' ORDER BY id LIMIT 1").id
    response = api.get(f"/api/crm/leads/{lead_id}/score", role="rep")
    assert response.status == 200, response.body
    card = lead_cards(api.engine, load_leads(api.engine, lead_ids=[lead_id]), date.fromisoformat(TODAY))[0]
    assert response.json["score"] == card.score and 1 <= card.score <= 99
    assert response.json["reasons"] == [str(r) for r in card.reasons]
    assert_problem(api.get("/api/crm/leads/999999/score"), 404, "no lead")

    with api.engine.begin() as conn:
        conn.execute(text("UPDATE leads SET score = NULL, scored_at = NULL WHERE id = :i"), {"i": lead_id})
    scored = api.post("/api/crm/leads/score", {"ids": [lead_id, 999999]}, role="rep")
    assert scored.status == 200, scored.body
    assert scored.json["scored"] == 1 and scored.json["missing_ids"] == [999999]
    row = api.one("SELECT score, scored_at FROM leads WHERE id = :i", i=lead_id)
    assert row.score == scored.json["leads"][0]["score"] and row.scored_at is not None

    assert_problem(api.post("/api/crm/leads/score", {"all_open": True}, role="rep"), 403, "managers")
    assert_problem(api.post("/api/crm/leads/score", {"ids": [1], "all_open": True}), 422)
    assert_problem(api.post("/api/crm/leads/score", {}), 422)
    everyone = api.post("/api/crm/leads/score", {"all_open": True}, role="manager")
    assert everyone.status == 200, everyone.body
    open_leads = api.one("SELECT COUNT(*) AS n FROM leads WHERE status IN ('new', 'working', 'qualified')").n
    assert everyone.json["scored"] == open_leads > 0


# --------------------------------------------------------------------------- invoices


def _pending_invoice(api, creator_role: str = "rep") -> int:
    from crmbot.settings import get_settings

    limit = get_settings().invoice_admin_only_above
    with api.engine.begin() as conn:
        invoice_id = conn.execute(
            text(
                "SELECT id FROM invoices WHERE status = 'sent' AND total < :l AND issue_date IS NOT NULL "
                "AND id NOT IN (SELECT entity_id FROM crmbot_audit_log WHERE entity_id IS NOT NULL) "
                "ORDER BY id DESC LIMIT 1"
            ),
            {"l": limit},
        ).scalar()
        conn.execute(
            text(
                "UPDATE invoices SET status = 'pending_approval', created_by = :c, approved_by = NULL, "
                "approved_at = NULL WHERE id = :i"
            ),
            {"c": api.users[creator_role].id, "i": invoice_id},
        )
    return invoice_id


def test_approve_needs_the_version_seen_and_the_right_role(api):
    from tools.actor import Actor
    from tools.invoices import flow

    invoice_id = _pending_invoice(api)
    seen = api.get(f"/api/crm/invoices/{invoice_id}")
    assert seen.status == 200 and seen.json["status"] == "pending_approval"
    etag = seen.headers["etag"]
    assert etag == f'"{seen.json["version"]}"'
    path = f"/api/crm/invoices/{invoice_id}/approve"

    assert_problem(api.post(path), 428, "If-Match")
    assert_problem(api.post(path, headers={"If-Match": "yesterday"}), 422, "version")
    assert_problem(api.post(path, role="rep", headers={"If-Match": etag}), 403, "only managers")

    # someone edits the invoice after the approver looked: the approval of the old version is refused
    rep = api.users["rep"]
    edited = flow.edit(
        api.engine,
        invoice_id,
        Actor(rep.id, rep.name, "rep", "cli", "cli:rep"),
        None,
        {"payment_terms": "net_15" if seen.json["payment_terms"] != "net_15" else "net_30"},
    )
    assert edited.ok, edited.message
    stale = assert_problem(api.post(path, headers={"If-Match": etag}), 412, "changed")
    assert stale["current_version"] == edited.invoice.version and stale["status_now"] == "pending_approval"
    assert api.one("SELECT status FROM invoices WHERE id = :i", i=invoice_id).status == "pending_approval"

    fresh = api.get(f"/api/crm/invoices/{invoice_id}").headers["etag"]
    approved = api.post(path, headers={"If-Match": fresh})
    assert approved.status == 200, approved.body
    assert approved.json["invoice"]["status"] == "approved"
    row = api.one("SELECT status, approved_by FROM invoices WHERE id = :i", i=invoice_id)
    assert row.status == "approved" and row.approved_by == api.users["manager"].id
    audit = api.one(
        "SELECT source, actor_label, actor_user_id FROM crmbot_audit_log "
        "WHERE entity_id = :i AND action = 'approve'",
        i=invoice_id,
    )
    assert audit.source == "api" and audit.actor_label.startswith("api:crm_")
    assert audit.actor_user_id == api.users["manager"].id
    again = assert_problem(
        api.post(path, headers={"If-Match": approved.headers["etag"]}), 409, "already approved"
    )
    assert again["status_now"] == "approved"
    assert_problem(api.post("/api/crm/invoices/999999/approve", headers={"If-Match": '"0"'}), 404)


def test_a_creator_cannot_approve_and_a_rejection_keeps_its_reason(api):
    invoice_id = _pending_invoice(api, creator_role="manager")
    etag = api.get(f"/api/crm/invoices/{invoice_id}").headers["etag"]
    assert_problem(
        api.post(f"/api/crm/invoices/{invoice_id}/approve", headers={"If-Match": etag}), 403, "someone else"
    )
    rejected = api.post(
        f"/api/crm/invoices/{invoice_id}/reject", {"reason": "wrong seat count"}, headers={"If-Match": etag}
    )
    assert rejected.status == 200, rejected.body
    assert rejected.json["invoice"]["status"] == "void"
    assert rejected.json["invoice"]["rejected_reason"] == "wrong seat count"


def test_draft_from_a_won_deal(api):
    deal = api.one(
        "SELECT d.id, d.amount FROM deals d WHERE d.stage = 'closed_won' AND d.amount > 0 "
        "AND (SELECT COUNT(*) FROM invoices i WHERE i.deal_id = d.id) = 1 ORDER BY d.id DESC LIMIT 1"
    )
    with api.engine.begin() as conn:  # its one invoice voided: the deal is to invoice again
        conn.execute(text("UPDATE invoices SET status = 'void' WHERE deal_id = :d"), {"d": deal.id})
    drafted = api.post(f"/api/crm/deals/{deal.id}/invoices", {"parts": 2, "interval": "monthly"}, role="rep")
    assert drafted.status == 201, drafted.body
    invoices = drafted.json["invoices"]
    assert len(invoices) == 2 and {i["status"] for i in invoices} == {"pending_approval"}
    assert {i["created_by"] for i in invoices} == {api.users["rep"].id}
    assert drafted.json["terms"]["terms"] == invoices[0]["payment_terms"]
    stored = api.one(
        "SELECT COUNT(*) AS n FROM invoices WHERE deal_id = :d AND status = 'pending_approval'", d=deal.id
    )
    assert stored.n == 2

    assert_problem(
        api.post(f"/api/crm/deals/{deal.id}/invoices", {}, role="rep"), 409, "already fully invoiced"
    )
    open_deal = api.one("SELECT id FROM deals WHERE stage = 'proposal' LIMIT 1").id
    assert_problem(api.post(f"/api/crm/deals/{open_deal}/invoices", {}), 409, "closed_won")
    assert_problem(api.post("/api/crm/deals/999999/invoices", {}), 404, "no deal")
    assert_problem(api.post(f"/api/crm/deals/{deal.id}/invoices", {"parts": 0}), 422)
    assert_problem(api.post(f"/api/crm/deals/{deal.id}/invoices", {"terms": "net_999"}), 422)


def test_duplicates_and_payment_terms(api):
    from tools.invoices.terms import suggest_terms

    truth = api.one(
        "SELECT invoice_id, duplicate_of FROM crmbot_demo_duplicate_truth ORDER BY invoice_id LIMIT 1"
    )
    found = api.get(f"/api/crm/invoices/{truth.invoice_id}/duplicates")
    assert found.status == 200, found.body
    assert truth.duplicate_of in {d["duplicate_of"] for d in found.json}
    assert all(d["reasons"] for d in found.json)
    assert_problem(api.get("/api/crm/invoices/999999/duplicates"), 404)

    company_id = api.one("SELECT company_id FROM invoices WHERE status = 'paid' LIMIT 1").company_id
    terms = api.get(f"/api/crm/companies/{company_id}/payment-terms", role="rep")
    assert terms.status == 200, terms.body
    with api.engine.connect() as conn:
        expected = suggest_terms(conn, company_id, date.fromisoformat(TODAY), "net_30")
    assert terms.json["terms"] == expected.terms and terms.json["reason"] == expected.reason
    assert_problem(api.get("/api/crm/companies/999999/payment-terms"), 404)


# --------------------------------------------------------------------------- reports


def _cli_answer(api, question: str, email: str) -> dict:
    done = subprocess.run(
        [*crmbot_command(), "ask", "--json", "--db", api.db_url, "--today", TODAY, "--as", email, question],
        env=api.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_ask_returns_the_envelope_of_crmbot_ask_json(api):
    question = "bookings by rep this year"
    response = api.post("/api/crm/reports/ask", {"question": question}, role="rep")
    assert response.status == 200, response.body
    body = response.json
    cli = _cli_answer(api, question, api.users["rep"].email)
    for name in ("answer", "columns", "rows", "refused", "choices", "sql", "interpretation"):
        assert body[name] == cli[name], name
    assert body["question"] == question and body["refused"] is False and body["rows"]
    assert body["chart"] is None and isinstance(body["context"], str)

    refused = api.post("/api/crm/reports/ask", {"question": "delete all deals"}, role="rep")
    assert refused.status == 200 and refused.json["refused"] is True
    assert api.one("SELECT COUNT(*) AS n FROM deals").n > 0


def test_a_follow_up_uses_the_previous_answers_context(api):
    first = api.post("/api/crm/reports/ask", {"question": "bookings this year"}, role="manager").json
    assert first["context"] and len(first["rows"]) == 1
    follow = api.post(
        "/api/crm/reports/ask", {"question": "by region", "context": first["context"]}, role="manager"
    ).json
    assert follow["refused"] is False and "region" in follow["columns"] and len(follow["rows"]) > 1
    alone = api.post("/api/crm/reports/ask", {"question": "by region"}, role="manager").json
    assert alone["columns"] != follow["columns"] or alone["refused"]
    # a context is the key's own: another key, or an invented one, is refused
    assert_problem(
        api.post("/api/crm/reports/ask", {"question": "by region", "context": first["context"]}, role="rep"),
        422,
        "context",
    )
    assert_problem(api.post("/api/crm/reports/ask", {"question": "x", "context": "f" * 32}), 422, "context")


def test_sql_goes_through_the_guard(api):
    ok = api.post("/api/crm/reports/sql", {"sql": "SELECT COUNT(*) AS n FROM deals"}, role="rep")
    assert ok.status == 200 and ok.json["refused"] is False
    assert ok.json["rows"] == [[api.one("SELECT COUNT(*) AS n FROM deals").n]]
    before = api.one("SELECT COUNT(*) AS n FROM invoices").n
    hostile = api.post("/api/crm/reports/sql", {"sql": "DELETE FROM invoices"}, role="rep")
    assert hostile.status == 200 and hostile.json["refused"] is True and hostile.json["reason"]
    assert api.one("SELECT COUNT(*) AS n FROM invoices").n == before


# --------------------------------------------------------------------------- Slack on the same port


def _event_body(user: str, marker: str, event_id: str, ts: str) -> bytes:
    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": "T0MOCK",
            "api_app_id": "A0MOCK",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": {
                "type": "app_mention",
                "user": user,
                "text": f"<@UBOT> how many open tickets do we have {marker}",
                "ts": ts,
                "channel": "C0SALES",
            },
        }
    ).encode()


def test_slack_events_are_verified_and_answered_on_the_same_port(api):
    user = api.users["rep"].slack_user_id
    url = "/slack/events"
    marker = "SECRET-MARKER-7f3a"
    signed = _event_body(user, "", "EvApiSlack1", "1700009000.000100")
    assert api.server.post(url, signed, headers=sign(signed, secret=SLACK_SECRET)).status == 200
    posts = api.slack.wait_for("chat.postMessage", timeout=20)
    assert any(p.args.get("thread_ts") == "1700009000.000100" for p in posts)

    forged = _event_body(user, marker, "EvApiSlack2", "1700009000.000200")
    refused = [
        api.server.post(url, forged, headers=sign(forged, secret="wrong-secret")),
        api.server.post(url, forged, headers={}),
        api.server.post(url, forged, headers=sign(forged, ts=int(time.time()) - 3600, secret=SLACK_SECRET)),
        api.server.post(
            url,
            forged,
            headers={"X-Slack-Request-Timestamp": "not-a-number", "X-Slack-Signature": "v0=" + "0" * 64},
        ),
        # garbled bodies, unsigned: not JSON, a broken form, a form whose payload is not JSON
        api.server.post(url, b"\xff\xfe{" + marker.encode(), headers={"Content-Type": "application/json"}),
        api.server.post(
            url,
            f"payload={marker}%ZZ".encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        api.server.post(
            url,
            urlencode({"payload": "{" + marker}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
    ]
    for response in refused:
        assert_problem(response, 401, "signature")
    # signed but unreadable (only someone holding the secret can send these): 400, still no traceback
    statuses = {}
    for garbled in (b"[1, 2]", b"{", b'"text"', b"payload=%7B"):
        kind = "application/x-www-form-urlencoded" if garbled.startswith(b"payload") else "application/json"
        headers = {**sign(garbled, secret=SLACK_SECRET), "Content-Type": kind}
        statuses[garbled] = api.server.post(url, garbled, headers=headers).status
    assert set(statuses.values()) == {400}, statuses
    time.sleep(0.5)
    assert not any(marker in json.dumps(c.args) for c in api.slack.calls_to("chat.postMessage"))
    with api.engine.connect() as conn:
        keys = conn.execute(text("SELECT key FROM crmbot_processed_events")).scalars().all()
    assert "event:EvApiSlack1" in keys and not any("EvApiSlack2" in k for k in keys)
    log = api.server.log()
    assert "Traceback" not in log and marker not in log and "legacy-verification-token" not in log
    assert "refused a Slack request without a valid signature" in log  # logged, without its body
