"""Synthetic invoices with planted duplicates and legitimate look-alikes, for tests and benchmarks.

Independent of the demo generator on purpose: the duplicate scan is checked on data whose
quirks it was not written against. Everything is seeded (``random.Random(seed)``).

Planted copies (the truth): exact re-entry under a new number, a typo or two swapped digits in
the number, the amount off by a cent or rounded to a whole unit, the date a few days off, and
the copy on a second company record of the same customer ("Acme Inc" / "ACME, Inc."), in
combinations. Look-alikes that must NOT be flagged: monthly subscriptions and quarterly
installments of one amount, popular price points shared by many customers, two orders of the
same price in one week for different deals, and void copies.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

WORDS = [
    "acme",
    "globex",
    "initech",
    "umbrella",
    "stark",
    "wayne",
    "wonka",
    "tyrell",
    "cyberdyne",
    "soylent",
    "hooli",
    "vandelay",
    "pied",
    "piper",
    "gringotts",
    "oscorp",
    "monarch",
    "nakatomi",
    "massive",
    "dynamic",
    "aperture",
    "black",
    "mesa",
    "blue",
    "sun",
    "rekall",
    "virtucon",
    "zorg",
    "primatech",
    "dunder",
    "mifflin",
    "sterling",
    "cooper",
    "bluth",
    "paper",
    "street",
    "nordic",
    "atlas",
    "zenith",
    "apex",
    "summit",
    "harbor",
    "cedar",
    "maple",
    "orbit",
    "quantum",
    "vertex",
    "nimbus",
    "falcon",
    "ember",
]
SUFFIXES = ("Inc", "LLC", "Ltd", "GmbH", "SA", "BV", "Corp", "PLC", "AG", "")
PRICE_POINTS = (1200.00, 2400.00, 4800.00, 9600.00, 499.00, 999.00, 12000.00)


@dataclass
class SyntheticCompany:
    id: int
    name: str
    domain: str | None
    country: str


@dataclass
class SyntheticInvoice:
    id: int
    number: str
    company_id: int
    deal_id: int | None
    status: str
    issue_date: date
    due_date: date
    total_cents: int
    currency: str = "USD"

    def row(self) -> tuple:
        total = f"{self.total_cents / 100:.2f}"
        return (
            self.id,
            self.number,
            self.company_id,
            self.deal_id,
            self.status,
            self.issue_date.isoformat(),
            self.due_date.isoformat(),
            "net_30",
            self.currency,
            total,
            "0.00",
            total,
            f"{self.issue_date.isoformat()} 09:00:00",
        )


@dataclass
class SyntheticBook:
    companies: list[SyntheticCompany]
    invoices: list[SyntheticInvoice]
    duplicates: dict[int, int] = field(default_factory=dict)  # copy id -> original id
    kinds: dict[int, str] = field(default_factory=dict)


def _name(rng: random.Random, index: int) -> tuple[str, str]:
    words = rng.sample(WORDS, rng.choice((2, 2, 3)))
    words.append(f"{index:x}")  # many companies share words; no two share a whole name by chance
    base = " ".join(w.capitalize() for w in words)
    suffix = rng.choice(SUFFIXES)
    return (f"{base} {suffix}".strip(), "".join(words))


def _variant(name: str, rng: random.Random) -> str:
    """How the same customer gets typed on a second record."""
    style = rng.randrange(4)
    if style == 0:
        return name.upper().replace(" INC", ", INC.").replace(" LLC", ", L.L.C.")
    if style == 1:
        return name.lower()
    if style == 2:
        return (
            name.replace(" Inc", " Incorporated").replace(" Ltd", " Limited").replace(" Corp", " Corporation")
        )
    return name + "."


def build_book(
    n_invoices: int, seed: int = 0, duplicate_rate: float = 0.02, start: date = date(2023, 1, 1)
) -> SyntheticBook:
    """About ``n_invoices`` invoices over three years with ~``duplicate_rate`` planted copies."""
    rng = random.Random(seed)
    n_companies = max(20, n_invoices // 25)
    companies: list[SyntheticCompany] = []
    seen_domains: set[str] = set()
    for cid in range(1, n_companies + 1):
        name, slug = _name(rng, cid)
        domain = f"{slug}{cid}.com" if rng.random() < 0.9 else None
        seen_domains.add(domain or "")
        companies.append(SyntheticCompany(cid, name, domain, rng.choice(("US", "DE", "GB", "FR", "CA"))))
    # second records of the same customer, used by some planted copies
    twins: dict[int, int] = {}
    for original in rng.sample(companies, max(1, n_companies // 20)):
        twin_id = len(companies) + 1
        same_domain = original.domain if rng.random() < 0.5 else None
        companies.append(
            SyntheticCompany(twin_id, _variant(original.name, rng), same_domain, original.country)
        )
        twins[original.id] = twin_id

    drafts: list[dict] = []
    deal_id = 0
    span = 3 * 365
    while len(drafts) < n_invoices:
        company = companies[rng.randrange(n_companies)]
        deal_id += 1
        kind = rng.random()
        first = start + timedelta(days=rng.randrange(span - 400))
        if kind < 0.25:  # monthly subscription: one amount, every month
            amount = rng.choice(PRICE_POINTS) if rng.random() < 0.5 else rng.randrange(20_000, 500_000)
            months = rng.randrange(3, 13)
            for m in range(months):
                drafts.append(
                    {
                        "company": company.id,
                        "deal": deal_id,
                        "day": first + timedelta(days=30 * m + rng.randrange(2)),
                        "cents": int(amount * 100) if isinstance(amount, float) else amount,
                    }
                )
        elif kind < 0.40:  # installments: one deal split in equal parts, quarterly
            parts = rng.choice((2, 3, 4, 6))
            total = rng.randrange(500_000, 20_000_000)
            share = total // parts
            for p in range(parts):
                cents = share if p < parts - 1 else total - share * (parts - 1)
                drafts.append(
                    {
                        "company": company.id,
                        "deal": deal_id,
                        "day": first + timedelta(days=91 * p),
                        "cents": cents,
                    }
                )
        elif kind < 0.47:  # two orders of the same price in one week, for different deals
            amount = int(rng.choice(PRICE_POINTS) * 100)
            drafts.append({"company": company.id, "deal": deal_id, "day": first, "cents": amount})
            deal_id += 1
            drafts.append(
                {
                    "company": company.id,
                    "deal": deal_id,
                    "day": first + timedelta(days=rng.randrange(0, 6)),
                    "cents": amount,
                }
            )
        else:  # one-off
            cents = (
                int(rng.choice(PRICE_POINTS) * 100)
                if rng.random() < 0.3
                else rng.randrange(10_000, 10_000_000)
            )
            drafts.append(
                {
                    "company": company.id,
                    "deal": deal_id if rng.random() < 0.8 else None,
                    "day": first,
                    "cents": cents,
                }
            )

    drafts.sort(key=lambda d: d["day"])
    invoices: list[SyntheticInvoice] = []
    sequence: dict[int, int] = {}

    def next_number(day: date) -> str:
        sequence[day.year] = sequence.get(day.year, 0) + 1
        return f"INV-{day.year}-{sequence[day.year]:05d}"

    for d in drafts:
        invoices.append(
            SyntheticInvoice(
                len(invoices) + 1,
                next_number(d["day"]),
                d["company"],
                d["deal"],
                "paid",
                d["day"],
                d["day"] + timedelta(days=30),
                d["cents"],
            )
        )

    book = SyntheticBook(companies, invoices)
    used_numbers = {inv.number for inv in invoices}
    n_copies = int(len(invoices) * duplicate_rate)
    for original in rng.sample(invoices[: len(invoices)], n_copies):
        copy, kind = _planted_copy(original, rng, twins, used_numbers, next_number)
        copy.id = len(book.invoices) + 1
        used_numbers.add(copy.number)
        book.invoices.append(copy)
        if rng.random() < 0.1:  # someone already voided this copy: not a finding
            copy.status = "void"
            continue
        book.duplicates[copy.id] = original.id
        book.kinds[copy.id] = kind
    return book


def _planted_copy(original: SyntheticInvoice, rng: random.Random, twins, used_numbers, next_number):
    kinds = []
    number = original.number
    if rng.random() < 0.5:
        digits = list(number)
        positions = [k for k, ch in enumerate(digits) if ch.isdigit() and k > 8]
        if rng.random() < 0.5:
            k = rng.choice(positions[:-1])
            digits[k], digits[k + 1] = digits[k + 1], digits[k]
            kinds.append("transposed_number")
        else:
            k = rng.choice(positions)
            digits[k] = str((int(digits[k]) + rng.randrange(1, 10)) % 10)
            kinds.append("number_typo")
        number = "".join(digits)
    if number == original.number or number in used_numbers:
        kinds = ["new_number"]
        while number in used_numbers:
            number = next_number(original.issue_date)
    cents = original.total_cents
    roll = rng.random()
    if roll < 0.2:
        cents += rng.choice((-1, 1))
        kinds.append("amount_cent")
    elif roll < 0.35 and cents % 100:
        cents = round(cents / 100) * 100
        kinds.append("amount_rounded")
    day = original.issue_date
    if rng.random() < 0.4:
        day += timedelta(days=rng.choice((-4, -3, -2, -1, 1, 2, 3, 4, 5)))
        kinds.append("date_shift")
    company_id = original.company_id
    if original.company_id in twins and rng.random() < 0.7:
        company_id = twins[original.company_id]
        kinds.append("second_company")
    deal = original.deal_id if rng.random() < 0.7 else None
    copy = SyntheticInvoice(0, number, company_id, deal, "sent", day, day + timedelta(days=30), cents)
    return copy, "+".join(kinds) or "exact"


INVOICE_COLUMNS = "id, number, company_id, deal_id, status, issue_date, due_date, payment_terms, currency, subtotal, tax, total, created_at"


def write_book(engine, book: SyntheticBook) -> None:
    """Insert companies, deals and invoices: executemany on the DB-API connection for SQLite (fast
    at a million rows), SQLAlchemy's bulk insert elsewhere (PostgreSQL)."""
    columns = [c.strip() for c in INVOICE_COLUMNS.split(",")]
    deals: dict[int, int] = {}
    for inv in book.invoices:
        if inv.deal_id is not None:
            deals.setdefault(inv.deal_id, inv.company_id)
    companies = [(c.id, c.name, c.domain, c.country) for c in book.companies]
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            cur.executemany(
                "INSERT INTO companies (id, name, domain, country, lifecycle_stage, created_at) "
                "VALUES (?, ?, ?, ?, 'customer', '2022-01-01 00:00:00')",
                companies,
            )
            cur.executemany(
                "INSERT INTO deals (id, name, company_id, amount, currency, stage, created_at) "
                "VALUES (?, ?, ?, 0, 'USD', 'closed_won', '2022-01-01 00:00:00')",
                [(deal_id, f"Deal {deal_id}", company_id) for deal_id, company_id in deals.items()],
            )
            cur.executemany(
                f"INSERT INTO invoices ({INVOICE_COLUMNS}) VALUES ({', '.join('?' * len(columns))})",
                [inv.row() for inv in book.invoices],
            )
            raw.commit()
        finally:
            raw.close()
        return
    from datetime import datetime

    from sqlalchemy import insert

    from db.models import Company, Deal, Invoice

    created = datetime(2022, 1, 1)
    with engine.begin() as conn:
        conn.execute(
            insert(Company),
            [
                {
                    "id": i,
                    "name": n,
                    "domain": d,
                    "country": c,
                    "lifecycle_stage": "customer",
                    "created_at": created,
                }
                for i, n, d, c in companies
            ],
        )
        conn.execute(
            insert(Deal),
            [
                {"id": deal_id, "name": f"Deal {deal_id}", "company_id": company_id, "amount": 0, "currency": "USD",
                 "stage": "closed_won", "created_at": created}
                for deal_id, company_id in deals.items()
            ],
        )  # fmt: skip
        rows = []
        for inv in book.invoices:
            row = dict(zip(columns, inv.row(), strict=True))
            row["issue_date"], row["due_date"] = inv.issue_date, inv.due_date
            row["created_at"] = datetime.fromisoformat(row["created_at"])
            rows.append(row)
        for start in range(0, len(rows), 20_000):
            conn.execute(insert(Invoice), rows[start : start + 20_000])
