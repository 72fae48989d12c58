"""Lead features, training and set-based score writes on PostgreSQL (skips without TEST_DATABASE_URL)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import text

from db.engine import get_engine
from tools.leads.cards import ranked_leads
from tools.leads.model import train
from tools.leads.scoring import score_open_leads

TODAY = date(2026, 11, 19)


def test_train_and_score_on_postgresql(pg_url, tmp_path):
    from db.demo import generate

    engine = get_engine(pg_url)
    generate(engine, seed=7, today=TODAY, companies=300)
    report = train(engine, TODAY, now=datetime(2026, 11, 19, 8), model_dir=tmp_path)
    assert report.trained and report.ceiling_auc is not None and 0.5 < report.auc <= 1
    run = score_open_leads(engine, TODAY, now=datetime(2026, 11, 19, 9))
    assert run.model_version == report.version and run.scored > 0
    with engine.connect() as conn:
        scored = conn.execute(text("SELECT count(*) FROM leads WHERE scored_at IS NOT NULL")).scalar_one()
    assert scored == run.scored
    top = ranked_leads(engine, TODAY, title="top", limit=5)
    assert len(top.leads) == 5 and all(card.stored for card in top.leads)
    engine.dispose()
