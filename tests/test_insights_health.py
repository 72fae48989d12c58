"""Health score on hand-built companies: weights, sub-scores, bands and caps (pure functions)."""

from __future__ import annotations

import numpy as np
import pytest

from tools.insights.config import InsightConfig
from tools.insights.health import bands, engagement_parts, health_score, payment_parts, support_parts

CONFIG = InsightConfig()


def test_weights_are_40_40_20():
    assert health_score([100.0], [0.0], [0.0])[0] == pytest.approx(40.0)
    assert health_score([0.0], [100.0], [0.0])[0] == pytest.approx(40.0)
    assert health_score([0.0], [0.0], [100.0])[0] == pytest.approx(20.0)
    assert health_score([100.0], [50.0], [0.0])[0] == pytest.approx(60.0)


def test_engaged_company_scores_full_marks_and_quiet_one_none():
    parts = engagement_parts(
        days_since_activity=[3.0, 120.0],
        activities_90=[12.0, 0.0],
        activities_prev_90=[10.0, 8.0],
        contacts_90=[4.0, 0.0],
        types_90=[3.0, 0.0],
        typical_activities_90=[10.0, 10.0],
        typical_contacts_90=[3.0, 3.0],
    )
    assert parts["score"] == pytest.approx([100.0, 0.0 + 0.20 * 100 * (1 / 9)])
    assert parts["recency"][1] == 0.0 and parts["trend"][1] == pytest.approx(100 / 9)


def test_engagement_is_relative_to_companies_of_similar_size():
    small = engagement_parts([5.0], [6.0], [6.0], [2.0], [3.0], [6.0], [2.0])
    large = engagement_parts([5.0], [6.0], [6.0], [2.0], [3.0], [24.0], [8.0])
    assert small["frequency"][0] == 100.0
    assert large["frequency"][0] == pytest.approx(25.0)
    assert large["score"][0] < small["score"][0]


def test_payment_parts():
    parts = payment_parts(
        invoices_due_365=[4.0, 4.0, 0.0],
        invoices_on_time_365=[4.0, 1.0, 0.0],
        amount_days_late_365=[0.0, 30.0 * 1000.0, 0.0],
        amount_due_365=[1000.0, 1000.0, 0.0],
        max_days_overdue=[0.0, 45.0, 0.0],
    )
    assert parts["score"][0] == 100.0 and parts["score"][2] == 100.0  # nothing due counts as fine
    assert parts["on_time"][1] == 25.0
    assert parts["lateness"][1] == pytest.approx(50.0)  # 30 days late on average, 60 = 0
    assert parts["overdue"][1] == pytest.approx(50.0)  # 45 days past due, 90 = 0
    assert parts["score"][1] == pytest.approx(0.4 * 25 + 0.3 * 50 + 0.3 * 50)


def test_support_missing_csat_and_resolution_drop_out():
    parts = support_parts(
        tickets_180=[0.0, 6.0],
        typical_tickets_180=[2.0, 2.0],
        urgent_high_90=[0.0, 2.0],
        open_over_week=[0.0, 0.0],
        resolution_hours=[np.nan, 24.0],
        csat=[np.nan, 3.0],
    )
    assert parts["score"][0] == 100.0
    assert parts["volume"][1] == 0.0  # 3x the typical volume
    assert parts["severity"][1] == 50.0
    expected = (0.25 * 0 + 0.25 * 50 + 0.20 * 100 + 0.15 * 100 + 0.15 * 50) / 1.0
    assert parts["score"][1] == pytest.approx(expected)


def _band(score, eng=90.0, pay=90.0, sup=90.0, overdue=0.0, config=CONFIG):
    result = bands([score], [eng], [pay], [sup], [overdue], config)
    return result.band[0], result.note[0]


def test_bands_by_cut_offs():
    assert _band(70.0)[0] == "green"
    assert _band(69.99)[0] == "yellow"
    assert _band(45.0)[0] == "yellow"
    assert _band(44.99)[0] == "red"
    strict = InsightConfig(health_green_min=85.0, health_yellow_min=60.0)
    assert _band(80.0, config=strict)[0] == "yellow"
    assert _band(59.0, config=strict)[0] == "red"


def test_weak_component_caps_band_at_yellow():
    band, note = _band(80.0, sup=20.0)
    assert band == "yellow" and "support" in note
    assert _band(80.0, sup=30.0)[0] == "green"  # the floor itself is not below the floor


def test_seriously_overdue_caps_band_at_red():
    band, note = _band(85.0, overdue=60.0)
    assert band == "red" and "past due" in note
    assert _band(85.0, overdue=59.0)[0] == "green"


def test_end_to_end_on_two_hand_built_companies():
    """A great account is green; the same account seriously overdue is red though its score stays high."""
    eng = engagement_parts(
        [2.0, 2.0], [10.0, 10.0], [10.0, 10.0], [3.0, 3.0], [3.0, 3.0], [10.0, 10.0], [3.0, 3.0]
    )
    pay = payment_parts([4.0, 4.0], [4.0, 3.0], [0.0, 0.0], [1000.0, 1000.0], [0.0, 75.0])
    sup = support_parts([1.0, 1.0], [2.0, 2.0], [0.0, 0.0], [0.0, 0.0], [10.0, 10.0], [5.0, 5.0])
    score = health_score(eng["score"], pay["score"], sup["score"])
    result = bands(score, eng["score"], pay["score"], sup["score"], [0.0, 75.0], CONFIG)
    assert score[0] == pytest.approx(100.0)
    assert score[1] > CONFIG.health_yellow_min
    assert list(result.band) == ["green", "red"]
