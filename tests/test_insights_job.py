"""The insights job and the conversation on the demo database (real SQLite, the session's demo)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, text, update

from db.engine import get_engine
from db.models import Activity, Company, CustomerInsight, InsightDetail, JobRun, ModelRegistry, Payment
from tools.insights.config import InsightConfig


@pytest.fixture(scope="module")
def refreshed(demo_db_path, demo_today, tmp_path_factory):
    """One refresh on a private copy of the demo, shared by the tests of this module."""
    import shutil

    from tools.insights.job import refresh

    folder = tmp_path_factory.mktemp("insights")
    target = folder / "demo.db"
    shutil.copy(demo_db_path, target)
    for suffix in ("-wal", "-shm"):
        if Path(f"{demo_db_path}{suffix}").exists():
            shutil.copy(f"{demo_db_path}{suffix}", f"{target}{suffix}")
    url = f"sqlite:///{target}"
    engine = get_engine(url)
    summary = refresh(engine, demo_today, config=InsightConfig(), models_dir=folder / "models")
    return url, engine, summary


def test_refresh_writes_every_customer_and_records_the_run(refreshed):
    _, engine, summary = refreshed
    with engine.connect() as conn:
        customers = conn.execute(select(func.count()).where(Company.lifecycle_stage == "customer")).scalar()
        insights = conn.execute(select(func.count()).select_from(CustomerInsight)).scalar()
        details = conn.execute(select(func.count()).select_from(InsightDetail)).scalar()
        run = conn.execute(select(JobRun.job, JobRun.as_of, JobRun.stats).order_by(JobRun.id.desc())).first()
        model = conn.execute(
            select(ModelRegistry.kind, ModelRegistry.path, ModelRegistry.metrics).where(
                ModelRegistry.active.is_(True)
            )
        ).one()
        bad = conn.execute(
            select(func.count()).where(
                (CustomerInsight.health_score < 0)
                | (CustomerInsight.health_score > 100)
                | CustomerInsight.churn_risk.not_in(("low", "medium", "high"))
            )
        ).scalar()
    assert customers == insights == details == summary.companies > 100
    assert bad == 0
    assert run.job == "insights_refresh" and run.as_of == summary.as_of and run.stats["companies"] == insights
    assert model.kind == "churn" and Path(model.path).exists()
    assert model.metrics["holdout_auc_model"] == summary.model_auc


def test_model_beats_rules_on_time_based_holdout(refreshed):
    _, _, summary = refreshed
    assert summary.churn_method == "model"
    assert summary.model_auc is not None and summary.rules_auc is not None
    print(f"holdout AUC model {summary.model_auc:.3f} vs rules {summary.rules_auc:.3f}")
    assert summary.model_auc > summary.rules_auc
    assert summary.model_auc > 0.7


def _truth_and_reasons(engine):
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT t.drivers, i.churn_risk, d.details FROM crmbot_demo_churn_truth t "
                "JOIN customer_insights i ON i.company_id = t.company_id "
                "JOIN crmbot_insight_details d ON d.company_id = t.company_id"
            )
        ).fetchall()
    import json

    return [(drivers, risk, json.loads(d) if isinstance(d, str) else d) for drivers, risk, d in rows]


def test_planted_churn_signals_show_up_among_top_reasons(refreshed):
    _, engine, _ = refreshed
    rows = _truth_and_reasons(engine)
    flagged = [(drivers, d) for drivers, risk, d in rows if drivers.startswith("at risk") and risk != "low"]
    assert len(flagged) >= 5

    def share(driver_words, category):
        with_driver = [d for drivers, d in flagged if driver_words in drivers]
        hits = [d for d in with_driver if any(r["category"] == category for r in d["churn"]["reasons"])]
        return len(hits) / max(len(with_driver), 1), len(with_driver)

    engagement, n = share("engagement falling", "engagement")
    assert n >= 5 and engagement >= 0.8
    support, n_support = share("urgent tickets", "support")
    assert n_support == 0 or support >= 0.5
    # payment trouble planted but not yet visible (nothing fell due since) cannot be a reason: count the visible
    visible_late = [
        d
        for drivers, risk, d in rows
        if "late or missing payments" in drivers
        and drivers.startswith("at risk")
        and (
            d["components"]["payment"]["facts"]["invoices_late_30_365"] >= 1
            or d["components"]["payment"]["facts"]["max_days_overdue"] >= 30
            or d["components"]["payment"]["facts"]["invoices_on_time_365"]
            <= 0.5 * d["components"]["payment"]["facts"]["invoices_due_365"] - 1
        )
    ]
    shown = [d for d in visible_late if any(r["category"] == "payment" for r in d["churn"]["reasons"])]
    assert len(visible_late) >= 2 and len(shown) / len(visible_late) >= 0.5
    # and the at-risk accounts the model flags really are riskier than the rest
    risky = sum(1 for drivers, risk, _ in rows if drivers.startswith("at risk") and risk == "high")
    calm = sum(1 for drivers, risk, _ in rows if drivers.startswith("active") and risk == "high")
    at_risk_total = sum(1 for drivers, _, _ in rows if drivers.startswith("at risk"))
    active_total = sum(1 for drivers, _, _ in rows if drivers.startswith("active"))
    assert risky / at_risk_total > 3 * calm / active_total


def test_reasons_are_sentences_with_facts(refreshed):
    _, engine, _ = refreshed
    rows = _truth_and_reasons(engine)
    texts = [r["text"] for _, risk, d in rows if risk == "high" for r in d["churn"]["reasons"]]
    assert texts and all(any(ch.isdigit() for ch in t) for t in texts)


def test_ltv_to_date_is_payments_collected(refreshed, demo_today):
    _, engine, summary = refreshed
    with engine.connect() as conn:
        cid, ltv, predicted = conn.execute(
            select(CustomerInsight.company_id, CustomerInsight.ltv, CustomerInsight.predicted_ltv_12m)
            .order_by(CustomerInsight.ltv.desc())
            .limit(1)
        ).one()
        paid = conn.execute(
            select(func.sum(Payment.amount)).where(Payment.company_id == cid, Payment.paid_at <= demo_today)
        ).scalar()
    assert float(ltv) == pytest.approx(float(paid), abs=0.01)
    assert float(predicted) >= 0
    assert summary.ltv_method in ("bgnbd", "trailing_12m")


def test_alerts_compare_with_the_previous_run_before_overwriting(refreshed, demo_today):
    from tools.insights.compute import score_population
    from tools.insights.job import write_insights
    from tools.insights.service import active_churn_model

    _, engine, _ = refreshed
    config = InsightConfig()
    with engine.connect() as conn:
        high = (
            conn.execute(select(CustomerInsight.company_id).where(CustomerInsight.churn_risk == "high"))
            .scalars()
            .first()
        )
        healthy = (
            conn.execute(
                select(CustomerInsight.company_id)
                .where(CustomerInsight.health_score < 80)
                .order_by(CustomerInsight.company_id)
            )
            .scalars()
            .first()
        )
    with engine.begin() as conn:  # pretend the previous run saw them in better shape
        conn.execute(
            update(CustomerInsight).where(CustomerInsight.company_id == high).values(churn_risk="low")
        )
        conn.execute(
            update(CustomerInsight)
            .where(CustomerInsight.company_id == healthy)
            .values(health_score=CustomerInsight.health_score + 20)
        )
    with engine.connect() as conn:
        scored = score_population(conn, demo_today, config, churn_model=active_churn_model(engine))
    alerts = write_insights(engine, scored, datetime.combine(demo_today, datetime.min.time()), config)
    kinds = {(a.company_id, a.kind) for a in alerts}
    assert (high, "high_risk") in kinds
    assert (healthy, "health_drop") in kinds or healthy == high
    assert len(alerts) == len(kinds)  # nothing else changed since the first run

    with engine.connect() as conn:  # the rows were replaced by this run's values
        assert (
            conn.execute(
                select(CustomerInsight.churn_risk).where(CustomerInsight.company_id == high)
            ).scalar()
            == "high"
        )


def test_notify_posts_to_owner_and_channel_or_logs(caplog):
    from bot.notify import deliver
    from crmbot.settings import Settings
    from tests.slack_mock import MockSlack
    from tools.insights.results import Alert

    alert = Alert(1, "Acme", 2, "U123", "high_risk", "Acme is now at high churn risk (61%)")
    with caplog.at_level(logging.WARNING):
        assert deliver([alert], Settings(SLACK_BOT_TOKEN=None, CRMBOT_ALERT_CHANNEL="C1")) == 0
    assert "Acme is now at high churn risk" in caplog.text
    from tests.slack_workspace import BOT_USER_ID, Channel

    owner = {"U123": {"email": "owner@example.com", "real_name": "Owner"}}
    with MockSlack(users=owner, channels=[Channel("C1", "alerts", "public", {BOT_USER_ID})]) as slack:
        settings = Settings(
            SLACK_BOT_TOKEN=slack.bot_token, SLACK_API_URL=slack.api_url, CRMBOT_ALERT_CHANNEL="C1"
        )
        assert deliver([alert], settings) == 2
        channels = sorted(c.args["channel"] for c in slack.calls_to("chat.postMessage"))
        assert slack.refusals() == []
    assert channels == ["C1", "U123"]


def test_facts_are_point_in_time(demo_db_copy, demo_today):
    """Data dated after the snapshot date cannot change the snapshot's facts."""
    from tools.insights.facts import load_facts

    engine = get_engine(demo_db_copy)
    snapshot = demo_today - timedelta(days=200)
    with engine.connect() as conn:
        before = load_facts(conn, [snapshot], history=True)
    cid = int(before["company_id"].iloc[0])
    with engine.begin() as conn:
        conn.execute(
            insert(Activity).values(
                company_id=cid,
                type="meeting",
                occurred_at=datetime.combine(snapshot, datetime.min.time()) + timedelta(hours=9),
            )
        )
        conn.execute(
            insert(Payment).values(company_id=cid, amount=1000, paid_at=snapshot + timedelta(days=1))
        )
    with engine.connect() as conn:
        after = load_facts(conn, [snapshot], history=True)
    assert before.drop(columns=["tenure_days"]).equals(after.drop(columns=["tenure_days"]))


def test_rule_based_estimate_when_history_is_thin(demo_db_copy, demo_today, tmp_path):
    from tools.insights.job import refresh

    engine = get_engine(demo_db_copy)
    thin = InsightConfig(min_churned_companies=10_000)
    summary = refresh(engine, demo_today, config=thin, models_dir=tmp_path)
    assert summary.churn_method == "rules" and summary.model_auc is None
    assert any("Rule-based estimate" in n for n in summary.notes)
    with engine.connect() as conn:
        details = conn.execute(select(InsightDetail.details)).scalars().first()
        assert conn.execute(select(func.count()).select_from(ModelRegistry)).scalar() == 0
    assert details["churn"]["method"] == "rules"


def test_cli_refresh_and_show(refreshed, demo_today, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from bot.cli import app

    url, engine, _ = refreshed
    monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path))
    from crmbot.settings import get_settings

    get_settings.cache_clear()
    runner = CliRunner()
    result = runner.invoke(
        app, ["insights", "refresh", "--db", url, "--today", demo_today.isoformat(), "--notify"]
    )
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "Insights refreshed for" in result.output and "holdout AUC" in result.output
    with engine.connect() as conn:
        name = conn.execute(
            select(Company.name).join(CustomerInsight, CustomerInsight.company_id == Company.id).limit(1)
        ).scalar()
    shown = runner.invoke(app, ["insights", "show", name, "--db", url, "--today", demo_today.isoformat()])
    assert shown.exit_code == 0 and name in shown.output and "Health:" in shown.output


def test_refresh_needs_project_tables(tmp_path):
    from typer.testing import CliRunner

    from bot.cli import app
    from db.models import CONTRACT_MODELS

    url = f"sqlite:///{tmp_path / 'bare.db'}"
    engine = get_engine(url)
    for model in CONTRACT_MODELS:
        model.__table__.create(engine)
    result = CliRunner().invoke(app, ["insights", "refresh", "--db", url, "--today", "2026-11-19"])
    assert result.exit_code != 0 and "crmbot db upgrade" in result.output
