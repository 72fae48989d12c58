"""Incremental insights: the last refresh's models, applied to a few companies, give the refresh's numbers."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from db.capture import install
from db.engine import get_engine
from db.models import CustomerInsight, InsightDetail, JobRun
from db.proactive_models import Change
from tests.proactive_fixtures import TODAY, make_it_unhealthy
from tools.insights.config import InsightConfig
from tools.insights.incremental import NoRefreshYet, load_refresh_models, score_companies
from tools.proactive import changes
from tools.proactive.drain import drain_once


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _stored(engine) -> dict[int, tuple]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                CustomerInsight.company_id,
                CustomerInsight.health_score,
                CustomerInsight.churn_probability,
                CustomerInsight.churn_risk,
                CustomerInsight.ltv,
                CustomerInsight.predicted_ltv_12m,
            )
        )
        return {r[0]: tuple(float(v) if not isinstance(v, str) else v for v in r[1:]) for r in rows}


def test_unchanged_companies_get_exactly_the_refresh_values(refreshed_db):
    engine = get_engine(refreshed_db)
    stored = _stored(engine)
    models = load_refresh_models(engine)
    assert models.churn_model is not None and models.ltv_params["method"] in ("bgnbd", "trailing_12m")
    ids = sorted(stored)
    with engine.connect() as conn:
        scored = score_companies(conn, models, ids, TODAY, InsightConfig())
    assert sorted(scored.table["company_id"]) == ids
    for row in scored.table.to_dict("records"):
        health, probability, risk, ltv, predicted = stored[row["company_id"]]
        assert row["health_score"] == pytest.approx(health, abs=0.006)
        assert row["churn_probability"] == pytest.approx(probability, abs=6e-5)
        assert row["churn_risk"] == risk
        assert row["ltv"] == pytest.approx(ltv, abs=0.006)
        assert row["predicted_ltv_12m"] == pytest.approx(predicted, abs=0.006)


def test_a_change_is_drained_into_new_insights_and_one_alert(refreshed_db):
    engine = get_engine(refreshed_db)
    install(engine)
    with engine.connect() as conn:
        company_id = conn.execute(
            text(
                "SELECT i.company_id FROM customer_insights i JOIN crmbot_insight_details d USING (company_id) "
                "WHERE d.band = 'green' AND i.churn_risk = 'low' ORDER BY i.company_id LIMIT 1"
            )
        ).scalar()
    before = _stored(engine)[company_id]
    make_it_unhealthy(engine, company_id)
    models, config = load_refresh_models(engine), InsightConfig()
    kwargs = dict(worker_id="w1", today=TODAY, computed_at=datetime(2026, 11, 19, 10))
    result = drain_once(engine, models, config, now=_now(), **kwargs)
    assert result.companies == [company_id] and result.written == 1 and len(result.alert_ids) == 1
    after = _stored(engine)[company_id]
    assert after[0] < before[0] - 15
    with engine.connect() as conn:
        band = conn.execute(select(InsightDetail.band).where(InsightDetail.company_id == company_id)).scalar()
        assert conn.execute(select(Change.id)).first() is None  # handled changes are gone
    assert band == "red"
    # the same company changes again without a change of state: no new alert
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO activities (company_id, type, occurred_at) VALUES (:c, 'note', :t)"),
            {"c": company_id, "t": datetime(2026, 11, 18)},
        )
    again = drain_once(engine, models, config, now=_now(), **kwargs)
    assert again.companies == [company_id] and again.alert_ids == []
    assert drain_once(engine, models, config, now=_now(), **kwargs).companies == []


def test_a_company_that_stops_being_a_customer_loses_its_insights(refreshed_db):
    engine = get_engine(refreshed_db)
    install(engine)
    company_id = min(_stored(engine))
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE companies SET lifecycle_stage = 'churned', churned_at = '2026-11-18' WHERE id = :c"),
            {"c": company_id},
        )
    drain_once(
        engine,
        load_refresh_models(engine),
        InsightConfig(),
        worker_id="w1",
        today=TODAY,
        now=_now(),
        computed_at=datetime(2026, 11, 19, 10),
    )
    assert company_id not in _stored(engine)


def test_a_company_is_worked_on_by_one_worker_at_a_time_and_a_dead_workers_lease_expires(refreshed_db):
    engine = get_engine(refreshed_db)
    install(engine)
    ids = sorted(_stored(engine))[:6]
    with engine.begin() as conn:
        for cid in ids:
            conn.execute(
                text("INSERT INTO activities (company_id, type, occurred_at) VALUES (:c, 'email', :t)"),
                {"c": cid, "t": datetime(2026, 11, 18)},
            )
    now = _now()
    claims = {}
    threads = [
        threading.Thread(target=lambda w=w: claims.__setitem__(w, changes.claim(engine, w, now, limit=4)))
        for w in ("w1", "w2", "w3")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    taken = [c for claim in claims.values() for c in claim.company_ids]
    assert sorted(taken) == ids  # every company claimed, none twice
    # a new change of a company w1 holds is not given to anyone else while w1's lease runs
    held = claims["w1"].company_ids[0] if claims["w1"] else claims["w2"].company_ids[0]
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO activities (company_id, type, occurred_at) VALUES (:c, 'call', :t)"),
            {"c": held, "t": datetime(2026, 11, 18)},
        )
    assert not changes.claim(engine, "w4", now)
    # ...until the lease runs out (the worker died): then everything it held is claimed again
    later = now + timedelta(seconds=changes.DEFAULT_LEASE_S + 1)
    again = changes.claim(engine, "w4", later, limit=10)
    assert sorted(again.company_ids) == ids


def test_no_refresh_yet_says_what_to_run(demo_db_copy):
    from db.migrate import upgrade

    engine = get_engine(demo_db_copy)
    upgrade(engine)
    with pytest.raises(NoRefreshYet, match="crmbot insights refresh"):
        load_refresh_models(engine)
    with engine.begin() as conn:  # a refresh recorded by an older crmbot kept no models
        conn.execute(
            JobRun.__table__.insert().values(
                job="insights_refresh",
                started_at=datetime(2026, 11, 19),
                as_of=TODAY,
                stats={"ltv": {"method": "bgnbd"}, "norms": []},
            )
        )
    with pytest.raises(NoRefreshYet, match="once more"):
        load_refresh_models(engine)
