"""Lead features: title rules, email and size facts, and no leakage from the future."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import insert

from db.engine import get_engine
from db.migrate import upgrade
from db.models import Activity, Company, Contact, Deal, Lead, User
from tools.leads.features import (
    department_of,
    email_domains,
    load_context,
    load_leads,
    normalize_company_name,
    scoring_features,
    seniority_of,
    size_bands,
    training_features,
)


@pytest.mark.parametrize(
    ("title", "seniority", "department"),
    [
        ("Chief Financial Officer", "c_level", "finance"),
        ("Founder & CEO", "c_level", "executive"),
        ("VP of Sales", "vp", "sales"),
        ("SVP, Marketing", "vp", "marketing"),
        ("Head of IT", "head", "engineering_it"),
        ("Director of Operations", "director", "operations"),
        ("Engineering Manager", "manager", "engineering_it"),
        ("Senior Data Engineer", "senior_ic", "engineering_it"),
        ("Accountant", "ic", "finance"),
        ("Research Assistant", "intern", "general"),
        ("Marketing Intern", "intern", "marketing"),
        ("", "unknown", "unknown"),
        (None, "unknown", "unknown"),
    ],
)
def test_title_rules(title, seniority, department):
    assert seniority_of(title) == seniority
    assert department_of(title) == department


def test_company_names_and_domains():
    assert normalize_company_name("Acme, Inc.") == normalize_company_name("ACME") == "acme"
    assert normalize_company_name("Blue Fin GmbH") == "bluefin"
    assert normalize_company_name(None) is None
    domains = email_domains(pd.Series(["Jane@Acme.IO", "bob@www.beta.com", None, "no-at-sign"]))
    assert domains.iloc[0] == "acme.io" and domains.iloc[1] == "beta.com"
    assert pd.isna(domains.iloc[2]) and pd.isna(domains.iloc[3])


def test_size_bands():
    bands = size_bands(np.array([3, 10, 11, 250, 4000, 60_000, np.nan]))
    assert list(bands) == ["1-10", "1-10", "11-50", "201-1000", "1001-5000", "5000+", None]


@pytest.fixture
def tiny_crm(tmp_path):
    """Acme becomes a customer on 2026-03-01; one lead arrives before, one after."""
    engine = get_engine(f"sqlite:///{tmp_path / 'tiny.db'}")
    upgrade(engine)
    t = datetime
    with engine.begin() as conn:
        conn.execute(
            insert(User), [dict(id=1, name="Ann Rep", email="ann@x.io", role="rep", created_at=t(2024, 1, 1))]
        )
        conn.execute(
            insert(Company),
            [
                dict(id=1, name="Acme Inc", domain="acme.io", lifecycle_stage="customer", created_at=t(2025, 6, 1),
                     customer_since=date(2026, 3, 1)),
                dict(id=2, name="Zeta Corp", domain="zeta.com", lifecycle_stage="customer", created_at=t(2024, 1, 1),
                     customer_since=date(2024, 2, 1)),
            ],
        )  # fmt: skip
        conn.execute(
            insert(Deal),
            [
                dict(
                    id=1,
                    name="Acme deal",
                    company_id=1,
                    amount=1000,
                    stage="negotiation",
                    created_at=t(2026, 2, 1),
                )
            ],
        )
        conn.execute(
            insert(Contact),
            [dict(id=1, company_id=1, first_name="Jo", email="jo@acme.io", created_at=t(2025, 7, 1))],
        )
        conn.execute(
            insert(Activity),
            [
                dict(id=1, company_id=1, contact_id=1, type="call", occurred_at=t(2026, 1, 10)),
                dict(id=2, company_id=1, contact_id=1, type="meeting", occurred_at=t(2026, 4, 10)),
            ],
        )
        lead = dict(source="website", status="converted", title="VP of Sales", employee_count=120)
        conn.execute(
            insert(Lead),
            [
                dict(lead, id=1, email="jo@acme.io", company_name="Acme", created_at=t(2026, 2, 15)),
                dict(lead, id=2, email="kim@acme.io", company_name="Acme", created_at=t(2026, 5, 1)),
                # company_id points at a customer, but nothing else ties the lead to it
                dict(lead, id=3, email="lee@gmail.com", company_name="Other Co", created_at=t(2026, 5, 1),
                     company_id=2),
                dict(lead, id=4, email="max@gmail.com", company_name="ACME, Inc.", created_at=t(2026, 5, 1),
                     status="new"),
            ],
        )  # fmt: skip
    return engine


def test_training_features_only_see_what_was_known_at_creation(tiny_crm):
    leads = load_leads(tiny_crm)
    features = training_features(leads, load_context(tiny_crm)).set_index(leads["id"])
    before, after, by_company_id, by_name = (features.loc[i] for i in (1, 2, 3, 4))
    assert before["known_company"] and not before["company_is_customer"]  # customer only from March
    assert (
        before["company_open_deals"] == 1 and before["contact_activities"] == 1
    )  # the April meeting is later
    assert after["company_is_customer"] and after["company_open_deals"] == 1
    assert not by_company_id["known_company"]  # company_id is set at conversion: the outcome, not a feature
    assert by_name["known_company"] and by_name["free_mail"]  # free mail, matched by company name


def test_scoring_features_are_as_of_today(tiny_crm):
    leads = load_leads(tiny_crm, lead_ids=[1])
    features = scoring_features(leads, load_context(tiny_crm), date(2026, 6, 1)).iloc[0]
    assert features["company_is_customer"] and features["contact_activities"] == 2
    assert features["age_days"] == (date(2026, 6, 1) - date(2026, 2, 15)).days
    assert features["seniority"] == "vp" and features["size_band"] == "51-200"
