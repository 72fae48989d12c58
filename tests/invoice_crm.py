"""A tiny CRM for the invoice flow's tests (SQLite or PostgreSQL): users of each role, customers in
the US and the EU, won deals with discounted lines, and payment histories."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal


def seed_small_crm(engine, today: date = date(2026, 11, 19)) -> dict[str, int]:
    """A tiny CRM for the flow's tests (SQLite or PostgreSQL): users of each role, customers in
    the US and the EU, won deals with discounted lines, and payment histories; returns ids by name."""
    from sqlalchemy import insert

    from db.migrate import upgrade
    from db.models import Company, Deal, DealLineItem, Invoice, Payment, User

    upgrade(engine)
    at = f"{today.isoformat()} 09:00:00"
    stamp = date.fromisoformat(today.isoformat())
    users = [
        (1, "Ada Admin", "ada@example.org", "admin"),
        (2, "Dana Manager", "dana@example.org", "manager"),
        (3, "Max Manager", "max@example.org", "manager"),
        (4, "Rita Rep", "rita@example.org", "rep"),
        (5, "Ray Rep", "ray@example.org", "rep"),
    ]
    companies = [
        (1, "Acme Inc", "acme.com", "US"),
        (2, "Globex GmbH", "globex.de", "DE"),
        (3, "Initech Ltd", "initech.co.uk", "GB"),
        (4, "ACME, Inc.", None, "US"),
        (5, "Brasa Alimentos Ltda", "brasa.com.br", "BR"),  # tax-exempt: billed 0% so far
        (6, "Sabia Tecnologia S.A.", "sabia.com.br", "BR"),  # no history: the country's 17%
    ]
    from datetime import datetime

    now = datetime.fromisoformat(at)
    with engine.begin() as conn:
        conn.execute(
            insert(User),
            [
                {"id": i, "name": n, "email": e, "role": r, "active": True, "created_at": now}
                for i, n, e, r in users
            ],
        )
        conn.execute(
            insert(Company),
            [
                {
                    "id": i,
                    "name": n,
                    "domain": d,
                    "country": c,
                    "lifecycle_stage": "customer",
                    "created_at": now,
                }
                for i, n, d, c in companies
            ],
        )
        deals = [
            # id, name, company, owner, amount, stage
            (1, "Acme renewal 2026", 1, 4, "11541.65", "closed_won"),
            (2, "Globex expansion", 2, 4, "1000.00", "closed_won"),
            (3, "Initech pilot", 3, 5, "5000.00", "negotiation"),
            (4, "Acme enterprise", 1, 4, "120000.00", "closed_won"),
            (5, "Initech upgrade", 3, 5, "999.99", "closed_won"),
            (6, "Globex platform", 2, 5, "10000.01", "closed_won"),
            (7, "Brasa rollout", 5, 4, "9000.00", "closed_won"),
            (8, "Sabia pilot", 6, 4, "1000.00", "closed_won"),
        ]
        conn.execute(
            insert(Deal),
            [
                {"id": i, "name": n, "company_id": c, "owner_id": o, "amount": a, "currency": "USD", "stage": s,
                 "created_at": now, "closed_at": now if s == "closed_won" else None}
                for i, n, c, o, a, s in deals
            ],
        )  # fmt: skip
        conn.execute(
            insert(DealLineItem),
            [
                # 10 x 1,000.00 less 5% = 9,500.00 ; 7 x 333.33 less 12.5% = 2,041.646... -> 2,041.65
                {"deal_id": 1, "description": "Platform seats", "quantity": 10, "unit_price": "1000.00", "discount_pct": 5},
                {"deal_id": 1, "description": "Support", "quantity": 7, "unit_price": "333.33", "discount_pct": "12.5"},
                {"deal_id": 2, "description": "Add-on", "quantity": 1, "unit_price": "1000.00", "discount_pct": 0},
                {"deal_id": 4, "description": "Enterprise licence", "quantity": 1, "unit_price": "120000.00", "discount_pct": 0},
                {"deal_id": 5, "description": "Upgrade", "quantity": 1, "unit_price": "999.99", "discount_pct": 0},
                {"deal_id": 6, "description": "Platform", "quantity": 1, "unit_price": "10000.01", "discount_pct": 0},
                {"deal_id": 7, "description": "Rollout", "quantity": 3, "unit_price": "3000.00", "discount_pct": 0},
                {"deal_id": 8, "description": "Pilot", "quantity": 1, "unit_price": "1000.00", "discount_pct": 0},
            ],
        )  # fmt: skip
        # Globex (DE, 19%) pays early (5 invoices paid in ~7 days); Initech (GB, 20%) pays late and
        # owes now; Brasa (BR) was billed 0% on the first third of its rollout deal
        history = []
        for k in range(5):
            issue = stamp - timedelta(days=400 - 60 * k)
            history.append((100 + k, f"INV-2025-9{k:04d}", 2, None, issue, "paid", 7, "2000.00", "380.00"))
        for k in range(4):
            issue = stamp - timedelta(days=300 - 60 * k)
            history.append((200 + k, f"INV-2025-8{k:04d}", 3, None, issue, "paid", 75, "2000.00", "400.00"))
        history.append(
            (210, "INV-2026-00007", 3, None, stamp - timedelta(days=90), "sent", None, "2000.00", "400.00")
        )
        history.append(
            (220, "INV-2026-00005", 5, 7, stamp - timedelta(days=120), "paid", 20, "3000.00", "0.00")
        )
        conn.execute(
            insert(Invoice),
            [
                {"id": i, "number": num, "company_id": c, "deal_id": deal, "status": st, "issue_date": d,
                 "due_date": d + timedelta(days=30), "payment_terms": "net_30", "currency": "USD", "subtotal": sub,
                 "tax": tax, "total": str(Decimal(sub) + Decimal(tax)), "created_at": now}
                for i, num, c, deal, d, st, _, sub, tax in history
            ],
        )  # fmt: skip
        conn.execute(
            insert(Payment),
            [
                {"invoice_id": i, "company_id": c, "amount": str(Decimal(sub) + Decimal(tax)),
                 "paid_at": d + timedelta(days=late), "method": "bank_transfer"}
                for i, _, c, _deal, d, st, late, sub, tax in history
                if st == "paid"
            ],
        )  # fmt: skip
    return {
        "admin": 1,
        "dana": 2,
        "max": 3,
        "rita": 4,
        "ray": 5,
        "acme": 1,
        "globex": 2,
        "initech": 3,
        "acme_twin": 4,
        "brasa": 5,
        "sabia": 6,
    }
