"""The configurable health model: a settings file validated on load, used by the scores, shown to people."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from bot.cli import app
from crmbot.settings import Settings, get_settings
from tools.insights.config import HealthModelError, InsightConfig, load_health_model, with_health_model_file
from tools.insights.health import health_model_in_use, health_score


def _file(tmp_path, body: str):
    path = tmp_path / "health.yaml"
    path.write_text(body)
    return path


def test_a_valid_file_sets_weights_bands_caps_and_the_alert_drop(tmp_path):
    path = _file(
        tmp_path,
        "weights: {engagement: 50, payment: 30, support: 20}\n"
        "bands: {green_min: 75, yellow_min: 50}\n"
        "caps: {component_floor: 25, serious_overdue_days: 45}\n"
        "alerts: {health_drop: 10}\n",
    )
    config = InsightConfig.from_settings(Settings(CRMBOT_HEALTH_MODEL_FILE=str(path)))
    assert config.weights == pytest.approx({"engagement": 0.5, "payment": 0.3, "support": 0.2})
    assert (config.health_green_min, config.health_yellow_min) == (75, 50)
    assert (config.component_floor, config.serious_overdue_days, config.alert_health_drop) == (25, 45, 10)
    assert config.source == str(path)


def test_sections_left_out_keep_their_values(tmp_path):
    config = with_health_model_file(
        InsightConfig(health_green_min=80), _file(tmp_path, "caps: {component_floor: 20}\n")
    )
    assert config.health_green_min == 80 and config.weights["engagement"] == pytest.approx(0.4)
    assert config.component_floor == 20


@pytest.mark.parametrize(
    "body, says",
    [
        ("weights: {engagement: 50, payment: 40, support: 20}\n", "add up to 100 (they add up to 110)"),
        ("weights: {engagement: -10, payment: 90, support: 20}\n", "weights.engagement"),
        ("bands: {green_min: 40, yellow_min: 60}\n", "yellow_min (60) must be below green_min (40)"),
        ("caps: {serious_overdue_days: 0}\n", "caps.serious_overdue_days"),
        ("weight: {engagement: 40}\n", "weight: unknown setting"),
        ("weights: {engagement: forty, payment: 40, support: 20}\n", "weights.engagement"),
        ("weights: [40, 40, 20]\n", "weights"),
        ("weights: {engagement: 40\n", "not valid YAML"),
        ("- 1\n- 2\n", "must be a mapping"),
    ],
)
def test_a_wrong_file_is_refused_with_what_to_fix(tmp_path, body, says):
    with pytest.raises(HealthModelError) as err:
        load_health_model(_file(tmp_path, body))
    assert says in str(err.value) and str(tmp_path) in str(err.value)


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(HealthModelError, match="does not exist"):
        load_health_model(tmp_path / "nope.yaml")


def test_the_weights_change_the_score():
    default = health_score([100.0], [0.0], [50.0])
    engagement_heavy = health_score(
        [100.0], [0.0], [50.0], {"engagement": 0.7, "payment": 0.1, "support": 0.2}
    )
    assert default[0] == pytest.approx(50.0) and engagement_heavy[0] == pytest.approx(80.0)
    assert np.allclose(
        health_score([60.0], [60.0], [60.0], InsightConfig(weight_engagement=20, weight_payment=60).weights),
        60.0,
    )


def test_refresh_and_card_use_and_show_the_file(demo_db_copy, demo_today, tmp_path, monkeypatch):
    path = _file(tmp_path, "weights: {engagement: 20, payment: 60, support: 20}\n")
    monkeypatch.setenv("CRMBOT_HEALTH_MODEL_FILE", str(path))
    monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    runner = CliRunner()
    try:
        refreshed = runner.invoke(
            app, ["insights", "refresh", "--db", demo_db_copy, "--today", demo_today.isoformat(), "--json"]
        )
        assert refreshed.exit_code == 0, refreshed.output
        from sqlalchemy import select

        from db.engine import get_engine
        from db.models import Company, InsightDetail

        with get_engine(demo_db_copy).connect() as conn:
            name, details = conn.execute(
                select(Company.name, InsightDetail.details)
                .join(InsightDetail, InsightDetail.company_id == Company.id)
                .limit(1)
            ).one()
        parts = {k: v["score"] for k, v in details["components"].items()}
        expected = 0.2 * parts["engagement"] + 0.6 * parts["payment"] + 0.2 * parts["support"]
        assert details["health_score"] == pytest.approx(expected, abs=0.02)
        shown = runner.invoke(
            app, ["insights", "show", name, "--db", demo_db_copy, "--today", demo_today.isoformat()]
        )
        assert "Engagement (20%)" in shown.output and "Payment (60%)" in shown.output
        asked = runner.invoke(
            app,
            [
                "ask",
                "--db",
                demo_db_copy,
                "--today",
                demo_today.isoformat(),
                "how is the health score calculated?",
            ],
        )
        assert "engagement 20%, payment 60%, support 20%" in " ".join(asked.output.split())
        assert str(path) in asked.output.replace("\n", "")
    finally:
        get_settings.cache_clear()


def test_a_broken_file_stops_the_refresh_and_changes_nothing(demo_db_copy, demo_today, tmp_path, monkeypatch):
    monkeypatch.setenv(
        "CRMBOT_HEALTH_MODEL_FILE",
        str(_file(tmp_path, "weights: {engagement: 90, payment: 40, support: 20}\n")),
    )
    monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(
            app, ["insights", "refresh", "--db", demo_db_copy, "--today", demo_today.isoformat()]
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code != 0 and "must add up to 100" in result.output
    from sqlalchemy import func, select

    from db.engine import get_engine
    from db.models import CustomerInsight

    with get_engine(demo_db_copy).connect() as conn:
        assert conn.execute(select(func.count()).select_from(CustomerInsight)).scalar() == 0


def test_the_explanation_states_the_weights_and_sub_weights_in_use():
    model = health_model_in_use(InsightConfig())
    assert (
        model.weights == {"engagement": 40.0, "payment": 40.0, "support": 20.0} and model.source == "defaults"
    )
    assert model.parts["payment"] == {"on_time": 40.0, "lateness": 30.0, "overdue": 30.0}
    assert sum(model.parts["support"].values()) == pytest.approx(100.0)
