"""The trained model on demo data: close to the true probabilities, calibrated, registered, used.

A 2,000-company demo (about 7,500 closed leads) is generated once for this module: at the
300-company size of the shared fixture the holdout has too few conversions for stable figures.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select, text

from crmbot.settings import get_settings
from db.engine import get_engine
from db.models import JobRun, ModelRegistry
from tools.leads.model import active_model, train
from tools.leads.scoring import score_lead, score_open_leads

TODAY = date(2026, 11, 19)
NOW = datetime(2026, 11, 19, 9, 30)


@pytest.fixture(scope="module")
def big_demo(tmp_path_factory):
    from db.demo import generate

    path = tmp_path_factory.mktemp("leads") / "leads_demo.db"
    engine = get_engine(f"sqlite:///{path}")
    generate(engine, seed=7, today=TODAY, companies=2000)
    return engine


@pytest.fixture(scope="module")
def trained(big_demo, tmp_path_factory):
    model_dir = tmp_path_factory.mktemp("models")
    return train(big_demo, TODAY, now=NOW, model_dir=model_dir), model_dir


def test_model_reaches_the_ceiling_and_is_calibrated(trained):
    report, _ = trained
    assert report.trained and report.n_test > 1000
    assert report.split_at is not None and report.n_train > 4 * report.n_test * 0.9
    assert report.ceiling_auc is not None
    assert report.auc >= 0.95 * report.ceiling_auc, (report.auc, report.ceiling_auc)
    assert report.ece < 0.05, report.ece
    assert 0 < report.brier < 0.25
    assert sum(b.count for b in report.calibration) == report.n_test


def test_model_is_saved_and_registered(trained, big_demo):
    report, model_dir = trained
    with big_demo.connect() as conn:
        row = conn.execute(select(ModelRegistry).where(ModelRegistry.version == report.version)).one()
    assert row.kind == "lead_scoring" and row.active and row.n_samples == report.n_closed
    assert row.metrics["auc"] == pytest.approx(report.auc) and row.metrics["holdout"] == "time"
    assert row.path.startswith(str(model_dir)) and row.trained_at == NOW
    registered = active_model(big_demo)
    assert registered.version == report.version
    assert registered.model.metadata_["version"] == report.version


def test_scoring_writes_open_leads_only(trained, big_demo):
    report, _ = trained
    seen = []
    run = score_open_leads(big_demo, TODAY, now=NOW, progress=lambda done, total: seen.append((done, total)))
    assert run.model_version == report.version and not run.trained_first
    assert seen and seen[-1] == (run.scored, run.scored)
    with big_demo.connect() as conn:
        rows = conn.execute(text("SELECT status, score, conversion_probability, scored_at FROM leads")).all()
        job = conn.execute(select(JobRun.stats).where(JobRun.job == "lead_scoring")).scalar_one()
    open_rows = [r for r in rows if r.status in ("new", "working", "qualified")]
    assert len(open_rows) == run.scored > 50
    assert all(1 <= r.score <= 99 and 0 < r.conversion_probability < 1 and r.scored_at for r in open_rows)
    assert all(r.score == max(1, min(99, round(100 * r.conversion_probability))) for r in open_rows)
    assert all(r.score is None for r in rows if r.status not in ("new", "working", "qualified"))
    assert job["model_version"] == report.version and job["scored"] == run.scored


def test_one_new_lead_is_scored_with_reasons(trained, big_demo):
    with big_demo.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO leads (id, first_name, last_name, email, company_name, title, source, employee_count,"
                " industry, status, created_at) VALUES (999999, 'Vera', 'Vp', 'vera@gmail.com', 'Nowhere',"
                " 'VP of Sales', 'referral', 400, 'Software', 'new', '2026-11-19 08:00:00')"
            )
        )
    card = score_lead(big_demo, 999999, TODAY, now=NOW)
    assert card.model_version == trained[0].version and card.stored
    assert 1 <= card.score <= 99 and card.probability == pytest.approx(card.score / 100, abs=0.006)
    assert 1 <= len(card.reasons) <= 3
    phrases = {str(r) for r in card.reasons}
    assert {"referral source: +", "VP-level title: +", "free-mail address: -"} & phrases, phrases
    with big_demo.connect() as conn:
        assert conn.execute(text("SELECT score FROM leads WHERE id = 999999")).scalar_one() == card.score


def test_cli_train_prints_the_figures_and_the_ceiling(demo_db_copy, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from bot.cli import app

    monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["leads", "train", "--db", demo_db_copy, "--today", "2026-11-19"])
        assert result.exit_code == 0, result.output
        for words in ("AUC", "Brier", "ECE (10 bins)", "Ceiling (demo true probabilities", "0.9-1.0"):
            assert words in result.output or words == "0.9-1.0", result.output
        assert "Calibration (holdout)" in result.output
        assert list((tmp_path / "data" / "models").glob("lead_scoring-*.joblib"))
        scored = CliRunner().invoke(app, ["leads", "score", "--db", demo_db_copy, "--today", "2026-11-19"])
        assert scored.exit_code == 0 and "Scored" in scored.output, scored.output
    finally:
        get_settings.cache_clear()
