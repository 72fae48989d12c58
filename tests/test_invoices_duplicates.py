"""Duplicate invoices: the scan on the demo's labelled duplicates and on an independent synthetic
book, each kind of copy, the look-alikes that must not be flagged, and the one-invoice check."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import insert, text

from db.engine import get_engine
from db.migrate import upgrade
from db.models import Invoice
from tests.invoice_book import build_book, write_book
from tests.invoice_crm import seed_small_crm
from tools.actor import Actor
from tools.invoices import duplicates as dup
from tools.invoices import flow
from tools.invoices.companies import company_key, domain_key


def precision_recall(matches, truth: dict[int, int]) -> tuple[float, float]:
    found = {m.invoice_id: m.duplicate_of for m in matches}
    right = sum(1 for k, v in found.items() if truth.get(k) == v)
    return right / max(1, len(found)), right / max(1, len(truth))


def test_demo_scan_precision_and_recall(demo_db_url):
    engine = get_engine(demo_db_url, read_only=True)
    with engine.connect() as conn:
        truth = dict(
            conn.execute(text("SELECT invoice_id, duplicate_of FROM crmbot_demo_duplicate_truth")).all()
        )
        matches, scanned = dup.scan_database(conn)
        installments = conn.execute(
            text(
                "SELECT id, deal_id FROM invoices WHERE deal_id IN "
                "(SELECT deal_id FROM invoices WHERE status != 'void' GROUP BY deal_id HAVING count(*) > 1)"
            )
        ).all()
    assert truth, "the demo plants duplicates"
    precision, recall = precision_recall(matches, truth)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)
    flagged = {m.invoice_id for m in matches} | {m.duplicate_of for m in matches}
    planted = set(truth) | set(truth.values())
    series = defaultdict(set)
    for invoice_id, deal_id in installments:
        if invoice_id not in planted:
            series[deal_id].add(invoice_id)
    assert len(series) > 10  # the demo has installment series and subscriptions to get wrong
    assert not any(ids & flagged for ids in series.values() if len(ids) > 1)


def test_unseen_synthetic_book(tmp_path):
    """A generator written apart from the demo's: other names, amounts, kinds and combinations."""
    engine = get_engine(f"sqlite:///{tmp_path / 'book.db'}")
    upgrade(engine)
    book = build_book(6000, seed=3)
    write_book(engine, book)
    with engine.connect() as conn:
        matches, scanned = dup.scan_database(conn)
    assert scanned == sum(1 for i in book.invoices if i.status != "void")
    precision, recall = precision_recall(matches, book.duplicates)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)
    voided = {i.id for i in book.invoices if i.status == "void"}
    assert voided and not voided & {m.invoice_id for m in matches}


# --------------------------------------------------------------------------- kinds of copies


def inv(id, number, total, day, company=1, name="Acme Inc", domain="acme.com", deal=None):
    return SimpleNamespace(
        id=id, number=number, company_id=company, company_name=name, domain=domain, deal_id=deal,
        issue_date=date(2026, 3, 1) + timedelta(days=day), total=Decimal(total), currency="USD",
    )  # fmt: skip


ORIGINAL = inv(1, "INV-2026-00123", "12345.67", 0, deal=7)


@pytest.mark.parametrize(
    "copy,reason",
    [
        (inv(2, "INV-2026-00124", "12345.67", 0, deal=7), "same amount"),
        (inv(2, "INV-2026-00132", "12345.67", 2), "two digits swapped"),
        (inv(2, "INV-2026-00723", "12345.67", 1), "one character differs"),
        (inv(2, "INV-2026-00123-A", "12345.67", 3), "suffix"),
        (inv(2, "INV-2026-00900", "12345.68", 1), "off by a cent"),
        (inv(2, "INV-2026-00900", "12346.00", 2), "rounded"),
        (inv(2, "INV-2026-00900", "12345.67", 5, deal=7), "5 days apart"),
        (
            inv(2, "INV-2026-00132", "12345.67", 1, company=9, name="ACME, Inc.", domain=None),
            "two company records",
        ),
        (
            inv(2, "INV-2026-00900", "12345.67", 1, company=9, name="Acme Incorporated", domain=None),
            "two company",
        ),
        (
            inv(2, "INV-2026-00900", "12345.67", 1, company=9, name="Acme Holdings", domain="www.acme.com"),
            "two",
        ),
    ],
)
def test_each_kind_of_copy_is_found(copy, reason):
    matches = dup.scan(dup.columns_from_rows([ORIGINAL, copy]))
    assert len(matches) == 1, reason
    match = matches[0]
    assert (match.invoice_id, match.duplicate_of) == (2, 1)
    assert 0 < match.score <= 1 and any(reason in r for r in match.reasons), match.reasons


@pytest.mark.parametrize(
    "look_alike",
    [
        inv(2, "INV-2026-00124", "12345.67", 31, deal=7),  # next month's invoice of a subscription
        inv(2, "INV-2026-00124", "12345.67", 91, deal=7),  # the next quarterly installment
        inv(2, "INV-2026-00124", "12345.67", 2, deal=8),  # another deal at the same price
        inv(
            2, "INV-2026-00132", "12345.67", 1, company=5, name="Globex GmbH", domain="globex.de"
        ),  # other customer
        inv(2, "INV-2026-00900", "13345.67", 0),  # another amount
        inv(2, "INV-2026-00900", "12345.67", 40),  # same amount, weeks later, no link
    ],
)
def test_look_alikes_are_not_flagged(look_alike):
    assert dup.scan(dup.columns_from_rows([ORIGINAL, look_alike])) == []


def test_copy_of_a_copy_points_at_the_first():
    rows = [ORIGINAL, inv(2, "INV-2026-00132", "12345.67", 1), inv(3, "INV-2026-00213", "12345.67", 2)]
    assert {(m.invoice_id, m.duplicate_of) for m in dup.scan(dup.columns_from_rows(rows))} == {(2, 1), (3, 1)}


def test_company_and_domain_keys():
    assert company_key("Acme Inc") == company_key("ACME, Inc.") == company_key("Acme Incorporated") == "acme"
    assert company_key("Zentrix Fleet (Billing)") == company_key("Zentrix Fleet Ltda") == "zentrix fleet"
    assert company_key("Müller GmbH") == company_key("MULLER gmbh") == "muller"
    assert company_key("Acme") != company_key("Acme Analytics")
    assert domain_key("https://www.Acme.com/about") == "acme.com" and domain_key("gmail.com") == ""


# --------------------------------------------------------------------------- before a draft is saved


def test_draft_warns_about_a_copy_on_a_second_company_record(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'crm.db'}")
    seed_small_crm(engine)
    with engine.begin() as conn:  # the same renewal, already typed in by hand on "ACME, Inc."
        conn.execute(
            insert(Invoice).values(
                number="INV-2026-00003", company_id=4, status="sent", issue_date=date(2026, 11, 17),
                due_date=date(2026, 12, 17), payment_terms="net_30", currency="USD", subtotal="11541.65",
                tax="0", total="11541.65", created_at=datetime(2026, 11, 17, 9),
            )
        )  # fmt: skip
    rita = Actor(4, "Rita Rep", "rep")
    result = flow.draft_from_deal(engine, 1, rita, date(2026, 11, 19))
    assert result.ok and result.invoice.status == "pending_approval"  # a warning, not a block
    assert [d.duplicate_of_number for d in result.duplicates] == ["INV-2026-00003"]
    assert "Warning" in result.message and "INV-2026-00003" in result.message
    engine.dispose()


def test_duplicates_command_prints_json(demo_db_url):
    from typer.testing import CliRunner

    from bot.cli import app

    out = CliRunner().invoke(app, ["invoices", "duplicates", "--db", demo_db_url, "--json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert rows and set(rows[0]) == {"invoice_id", "duplicate_of", "score", "reasons"}
    assert all(r["invoice_id"] > r["duplicate_of"] and 0 < r["score"] <= 1 and r["reasons"] for r in rows)


# --------------------------------------------------------------------------- look-alikes and unknown dates


def row(id, number, total, day, company=1, deal=None, currency="USD", deal_amount=None, due=None, **kw):
    """An invoice row for columns_from_rows; ``day`` None means not issued yet (no date)."""
    issue = None if day is None else date(2026, 3, 1) + timedelta(days=day)
    return SimpleNamespace(
        id=id, number=number, company_id=company, company_name=kw.get("name", "Acme Inc"),
        domain=kw.get("domain", "acme.com"), deal_id=deal, issue_date=issue, total=Decimal(total),
        subtotal=Decimal(total), currency=currency, deal_amount=deal_amount, deal_currency=currency,
        due_date=None if due is None else date(2026, 3, 1) + timedelta(days=due),
    )  # fmt: skip


def flags(rows) -> set[tuple[int, int]]:
    return {(m.invoice_id, m.duplicate_of) for m in dup.scan(dup.columns_from_rows(rows))}


def test_an_unknown_date_is_not_the_same_date():
    """Four undated instalments of one deal, same amount, numbers in sequence: a series."""
    parts = [row(k, f"2026/00{40 + k}", "2500.00", None, deal=9, deal_amount="10000.00") for k in range(1, 5)]
    assert flags(parts) == set()
    # the same without a deal amount to go by: still no date evidence, so no flag either
    assert flags([row(k, f"2026/00{40 + k}", "2500.00", None, deal=9) for k in range(1, 5)]) == set()


def test_instalments_whatever_their_numbering_or_description_but_not_beyond_the_deal():
    parts = [row(k, f"INV-{10790 + k}", "2500.00", None, deal=9, deal_amount="10000.00") for k in range(1, 5)]
    twice = row(5, "INV-10795", "2500.00", None, deal=9, deal_amount="10000.00")  # a fifth: one too many
    found = dup.scan(dup.columns_from_rows([*parts, twice]))
    assert [m.invoice_id for m in found] == [5]  # exactly the excess, the latest
    reasons = " ".join(found[0].reasons)
    assert "same issue date" not in reasons and "not issued yet" in reasons.replace("neither is", "not")
    assert "invoiced beyond its amount" in reasons


def test_a_retyped_copy_of_an_undated_draft_is_found_and_said_so():
    original = row(1, "2026/0500", "17818.86", None, deal=7, deal_amount="40000.00")
    copy = row(2, "2026/0580", "17818.86", None)
    found = dup.scan(dup.columns_from_rows([original, copy]))
    assert [(m.invoice_id, m.duplicate_of) for m in found] == [(2, 1)]
    assert any("issued yet" in r for r in found[0].reasons)


def test_subscriptions_are_consecutive_periods_not_copies():
    weekly = [row(k, f"INV-{100 + k * 7}", "499.00", 7 * k) for k in range(6)]
    assert flags(weekly) == set()
    monthly = [row(k, f"INV-{100 + k}", "1922.61", 30 * k) for k in range(6)]
    assert flags(monthly) == set()
    # a copy sent again two days after one week's invoice is found, and next week's is not blamed
    copy = row(9, "INV-999", "499.00", 7 * 2 + 2)
    assert flags([*weekly, copy]) == {(9, 2)}


def test_a_credit_note_and_the_invoice_issued_again_are_not_copies():
    first = row(1, "INV-2001", "8860.00", 0, deal=3, deal_amount="8860.00")
    credit = row(2, "CN-0042", "-8860.00", 1, deal=3, deal_amount="8860.00")
    again = row(3, "INV-2007", "8860.00", 1, deal=3, deal_amount="8860.00")
    assert flags([first, credit, again]) == set()
    # without the credit note the second is a copy
    assert flags([first, again]) == {(3, 1)}


def test_other_currency_or_sign_is_never_a_copy():
    assert flags([row(1, "INV-1", "5000.00", 0), row(2, "INV-2", "5000.00", 0, currency="EUR")]) == set()
    assert flags([row(1, "INV-1", "5000.00", 0), row(2, "CN-1", "-5000.00", 0)]) == set()


def test_void_invoices_never_count(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'void.db'}")
    seed_small_crm(engine)
    with engine.begin() as conn:
        for number, status in (("MAN-1", "sent"), ("MAN-1-A", "void")):
            conn.execute(
                insert(Invoice).values(
                    number=number, company_id=1, status=status, issue_date=date(2026, 11, 2), currency="USD",
                    subtotal="777.77", tax="0", total="777.77", created_at=datetime(2026, 11, 2),
                )
            )  # fmt: skip
    with engine.connect() as conn:
        matches, _ = dup.scan_database(conn)
    assert not any("MAN-1-A" in (m.invoice_number, m.duplicate_of_number) for m in matches)
    engine.dispose()


def test_checking_an_undated_draft_does_not_fail_and_uses_the_deal(tmp_path):
    """A team's pending drafts have no issue date: the one-invoice check treats it as unknown."""
    engine = get_engine(f"sqlite:///{tmp_path / 'undated.db'}")
    seed_small_crm(engine)
    with engine.begin() as conn:
        for number in ("DR-1", "DR-2"):  # the same draft made twice from deal 2 (1,000.00 before tax)
            conn.execute(
                insert(Invoice).values(
                    number=number, company_id=2, deal_id=2, status="pending_approval", currency="USD",
                    subtotal="1000.00", tax="190.00", total="1190.00", created_at=datetime(2026, 11, 18),
                )
            )  # fmt: skip
        second = conn.execute(text("SELECT id FROM invoices WHERE number = 'DR-2'")).scalar()
    with engine.connect() as conn:
        facts = dup.InvoiceFacts(
            number="DR-2", company_id=2, deal_id=2, issue_date=None, total=Decimal("1190.00"),
            subtotal=Decimal("1000.00"), id=second,
        )  # fmt: skip
        found = dup.check_invoice(conn, facts)
    assert [m.duplicate_of_number for m in found] == ["DR-1"]
    assert "invoiced beyond its amount" in " ".join(found[0].reasons)
    engine.dispose()
