"""A second, independent invoice generator: a CRM that someone else's tools wrote.

Written from how billing goes wrong in practice, not from the duplicate check's rules, and with
habits the first generator (tests/invoice_book.py) and the demo do not have:

* two numbering schemes in one book: ``INV-10792`` (one global sequence) until a cut-over,
  ``2026/0042`` (per year) after it, and credit notes as ``CN-0042``;
* drafts without dates: invoices not yet issued have no issue or due date (NULL);
* instalments drafted all at once when a deal closes, every part with the same description (no
  "part k of n"), the parts not yet due still undated drafts;
* weekly and monthly subscriptions, some without a deal;
* credit notes as negative invoices, often followed by the corrected invoice under a new number;
* several currencies (USD, EUR, GBP, BRL, JPY), a customer billed the same figure in two of them;
* repeat orders of catalogue prices by one customer within days, each its own deal;
* customers registered with a free-mail domain, and second company records typed differently;
* tax as the customer is really billed: Brazilian customers mostly tax-exempt, EU customers
  abroad under reverse charge (0%), others at their country's rate.

Planted duplicates (the truth, copy id -> original id) come from four ways copies happen: a
record imported twice (a suffix on the number), an invoice re-typed by hand (a digit wrong or two
swapped, a cent off or rounded, a few days off, sometimes on the other company record or without
the deal), a draft created twice (a double click: the next number in the sequence, no dates), and
an invoice sent again under a fresh number days later. About one copy in ten was voided since.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

SYLLABLES = [
    "ka",
    "vo",
    "ro",
    "te",
    "lu",
    "mi",
    "sa",
    "no",
    "ri",
    "be",
    "da",
    "ze",
    "fa",
    "gu",
    "ho",
    "ki",
    "la",
    "ne",
    "po",
    "qu",
    "si",
    "ta",
    "vi",
    "wo",
    "xa",
    "yu",
    "zo",
    "ar",
    "el",
    "ond",
    "um",
    "ix",
]
TRADES = (
    "Logistics", "Foods", "Systems", "Bau", "Textil", "Analytics", "Pharma", "Retail", "Energia",
    "Mobility", "Labs", "Media", "Metals", "Agro", "Clinics", "Freight", "Robotics", "Water",
)  # fmt: skip
LEGAL = {
    "US": ("Inc.", "LLC", "Corp.", "Co."),
    "DE": ("GmbH", "AG", "GmbH & Co. KG"),
    "FR": ("SAS", "SARL", "S.A."),
    "NL": ("B.V.", "N.V."),
    "GB": ("Ltd", "PLC", "Limited"),
    "BR": ("Ltda.", "S.A.", "EIRELI"),
    "JP": ("K.K.", "Co., Ltd."),
}
CURRENCY = {"US": "USD", "DE": "EUR", "FR": "EUR", "NL": "EUR", "GB": "GBP", "BR": "BRL", "JP": "JPY"}
COUNTRY_RATE = {"US": "0", "DE": "0.19", "FR": "0.20", "NL": "0.21", "GB": "0.20", "BR": "0.17", "JP": "0.10"}
EU = {"DE", "FR", "NL"}
FREE_MAIL = ("gmail.com", "outlook.com", "yahoo.com")
CATALOGUE = ("499.00", "1200.00", "249.00", "2400.00", "89.90", "4990.00")
CUTOVER = date(2025, 7, 1)  # the numbering scheme changes here
START, TODAY = date(2024, 1, 8), date(2026, 11, 19)
CENT = Decimal("0.01")


@dataclass
class Ledger:
    companies: list[dict] = field(default_factory=list)
    deals: list[dict] = field(default_factory=list)
    invoices: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)
    duplicates: dict[int, int] = field(default_factory=dict)  # copy id -> original id
    copy_kinds: dict[int, str] = field(default_factory=dict)
    # look-alikes that must never be flagged, by kind: lists of invoice-id groups
    look_alikes: dict[str, list[list[int]]] = field(default_factory=dict)
    voided_copies: list[int] = field(default_factory=list)


class _Numbers:
    """The book's invoice numbers, taken in the order invoices are created: one global sequence
    before the cut-over (``INV-10792``), one per year after it (``2026/0042``); ``CN-0042`` for
    credit notes."""

    def __init__(self) -> None:
        self.global_seq = 10_000
        self.per_year: dict[int, int] = {}
        self.credit_seq = 0
        self.used: set[str] = set()

    def _take(self, number: str) -> str:
        self.used.add(number)
        return number

    def next(self, when: date) -> str:
        while True:  # a mistyped copy may have taken a number the sequence reaches later
            if when < CUTOVER:
                self.global_seq += 1
                number = f"INV-{self.global_seq}"
            else:
                self.per_year[when.year] = self.per_year.get(when.year, 0) + 1
                number = f"{when.year}/{self.per_year[when.year]:04d}"
            if number not in self.used:
                return self._take(number)

    def credit(self) -> str:
        self.credit_seq += 1
        return self._take(f"CN-{self.credit_seq:04d}")

    def suffixed(self, number: str) -> str:
        for suffix in ("-1", "/A", "-2", " copy", "-B"):
            if number + suffix not in self.used:
                return self._take(number + suffix)
        raise ValueError(number)

    def typo(self, number: str, rng: random.Random) -> str:
        """The running part of the number mistyped: a digit wrong, or two neighbours swapped."""
        tail = [k for k, ch in enumerate(number) if ch.isdigit()][-4:]
        for _ in range(30):
            chars = list(number)
            if rng.random() < 0.5:
                k = rng.choice(tail[:-1])
                chars[k], chars[k + 1] = chars[k + 1], chars[k]
            else:
                k = rng.choice(tail)
                chars[k] = str((int(chars[k]) + rng.randrange(1, 10)) % 10)
            text = "".join(chars)
            if text != number and text not in self.used:
                return self._take(text)
        return self.suffixed(number)


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT)


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.ledger = Ledger()
        self.numbers = _Numbers()
        self.tax_profile: dict[int, Decimal] = {}
        self.twin_of: dict[int, int] = {}
        self.company: dict[int, dict] = {}
        self.copies: list[tuple[dict, dict, str]] = []  # (copy, original, how it happened)
        self.voided: list[dict] = []
        self.groups: dict[str, list[list[dict]]] = {}  # look-alikes by kind

    # ------------------------------------------------------------------ customers

    def _word(self) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.choice((2, 3)))).capitalize()

    def companies(self, n: int) -> None:
        rng = self.rng
        names: set[str] = set()
        for cid in range(1, n + 1):
            country = rng.choices(list(LEGAL), weights=(30, 15, 8, 6, 12, 20, 9))[0]
            while True:
                core = f"{self._word()} {rng.choice(TRADES)}"
                if core.lower() not in names:
                    names.add(core.lower())
                    break
            domain_roll = rng.random()
            if domain_roll < 0.12:
                domain = rng.choice(FREE_MAIL)  # a small customer registered with its mail domain
            elif domain_roll < 0.2:
                domain = None
            else:
                domain = core.lower().replace(" ", "-") + rng.choice((".com", ".io", ".net"))
            self.ledger.companies.append(
                {
                    "id": cid,
                    "name": f"{core} {rng.choice(LEGAL[country])}",
                    "domain": domain,
                    "country": country,
                    "lifecycle_stage": "customer",
                    "created_at": datetime(2023, 6, 1),
                }
            )
            if country == "BR":
                rate = Decimal("0") if rng.random() < 0.6 else Decimal(COUNTRY_RATE["BR"])
            elif country in EU and rng.random() < 0.3:
                rate = Decimal("0")  # reverse charge: billed from another EU country
            else:
                rate = Decimal(COUNTRY_RATE[country])
            self.tax_profile[cid] = rate
        for original in rng.sample(self.ledger.companies[:], max(2, n // 25)):
            twin_id = len(self.ledger.companies) + 1
            name = original["name"]
            style = rng.randrange(4)
            if style == 0:
                name = name.upper().replace(".", "")
            elif style == 1:
                name = name.rsplit(" ", 1)[0] if " " in name else name  # legal form left out
            elif style == 2:
                name = f"{name} (Billing)"
            else:
                name = name.replace(" ", "  ").lower()
            domain = original["domain"]
            if domain and rng.random() < 0.5:
                domain = f"https://www.{domain}/" if domain not in FREE_MAIL else domain
            elif rng.random() < 0.5:
                domain = None
            self.ledger.companies.append({**original, "id": twin_id, "name": name, "domain": domain})
            self.tax_profile[twin_id] = self.tax_profile[original["id"]]
            self.twin_of[original["id"]] = twin_id
        self.company = {c["id"]: c for c in self.ledger.companies}

    # ------------------------------------------------------------------ invoices

    def _currency(self, company: dict) -> str:
        return "USD" if self.rng.random() < 0.15 else CURRENCY[company["country"]]

    def _deal(self, company: dict, amount: Decimal, currency: str, closed: date) -> int:
        deal_id = len(self.ledger.deals) + 1
        self.ledger.deals.append(
            {
                "id": deal_id,
                "name": f"{company['name'].split(' ')[0]} {self.rng.choice(('order', 'renewal', 'project', 'expansion'))}",
                "company_id": company["id"],
                "amount": amount,
                "currency": currency,
                "stage": "closed_won",
                "created_at": datetime.combine(closed - timedelta(days=40), datetime.min.time()),
                "closed_at": datetime.combine(closed, datetime.min.time()),
            }
        )
        return deal_id

    def _invoice(
        self,
        company: dict,
        subtotal: Decimal,
        currency: str,
        issued: date | None,
        deal_id: int | None,
        description: str,
        created: date,
        numbering: tuple = ("next",),
        status: str | None = None,
        tax: Decimal | None = None,
        created_at: datetime | None = None,
    ) -> dict:
        """An invoice row; its id and number are given at the end, in the order of creation."""
        rng = self.rng
        if tax is None:
            tax = _money(subtotal * self.tax_profile[company["id"]])
        if status is None:
            if issued is None:
                status = rng.choice(("draft", "pending_approval"))
            elif (TODAY - issued).days > 75:
                status = "paid" if rng.random() < 0.93 else "sent"
            else:
                status = rng.choice(("sent", "sent", "paid", "approved"))
        terms = rng.choice(("net_30", "net_30", "net_15", "net_45", None))
        row = {
            "id": None,
            "number": None,
            "_numbering": numbering,
            "company_id": company["id"],
            "deal_id": deal_id,
            "status": status,
            "issue_date": issued,
            "due_date": issued + timedelta(days=int((terms or "net_30")[4:] or 0)) if issued else None,
            "payment_terms": terms,
            "currency": currency,
            "subtotal": subtotal,
            "tax": tax,
            "total": subtotal + tax,
            "created_at": created_at
            or datetime.combine(created, datetime.min.time()) + timedelta(minutes=rng.randrange(600)),
            "_description": description,
        }
        self.ledger.invoices.append(row)
        self.ledger.lines.append(
            {
                "invoice_id": row,
                "description": description,
                "quantity": Decimal("1.00"),
                "unit_price": subtotal,
                "amount": subtotal,
            }
        )
        return row

    def _day(self) -> date:
        return START + timedelta(days=self.rng.randrange((TODAY - START).days - 20))

    def _price(self, low: int, high: int) -> Decimal:
        value = self.rng.randrange(low, high)
        if self.rng.random() < 0.3:
            value -= value % 1000  # a round figure
        return _money(Decimal(value) / 100)

    def sale(self, company: dict) -> None:
        """One ordinary sale: one invoice, or an undated draft when the deal closed lately."""
        currency = self._currency(company)
        day = self._day()
        amount = self._price(20_000, 4_000_000)
        deal = self._deal(company, amount, currency, day) if self.rng.random() < 0.85 else None
        recent = (TODAY - day).days < 25
        issued = None if recent and self.rng.random() < 0.6 else day
        what = self.rng.choice(TRADES) + " services"
        first = self._invoice(company, amount, currency, issued, deal, what, day)
        if issued is None and deal is not None and self.rng.random() < 0.1:
            # a double click in the team's billing tool: the same draft twice, the next number
            again = self._invoice(
                company, amount, currency, None, deal, what, day, status=first["status"],
                created_at=first["created_at"] + timedelta(seconds=2),
            )  # fmt: skip
            self.copies.append((again, first, "created_twice"))

    def instalments(self, company: dict) -> None:
        rng = self.rng
        currency = self._currency(company)
        parts = rng.choice((2, 3, 4, 4, 6, 12))
        every = 1 if parts == 12 else rng.choice((1, 3))
        amount = self._price(300_000, 30_000_000)
        closed = self._day()
        deal = self._deal(company, amount, currency, closed)
        share = (amount / parts).quantize(CENT)
        rate = self.tax_profile[company["id"]]
        total_tax = _money(amount * rate)
        description = rng.choice(("Implementation project", "Annual licence", "Platform rollout"))
        ids = []
        for part in range(parts):
            subtotal = share if part < parts - 1 else amount - share * (parts - 1)
            tax = (
                _money(subtotal * rate)
                if part < parts - 1
                else total_tax - _money(share * rate) * (parts - 1)
            )
            month = closed.month - 1 + part * every
            due = date(closed.year + month // 12, month % 12 + 1, min(closed.day, 28))
            issued = due if due <= TODAY - timedelta(days=3) else None  # future parts: undated drafts
            ids.append(self._invoice(company, subtotal, currency, issued, deal, description, closed, tax=tax))
        self.groups.setdefault("instalments", []).append(ids)

    def subscription(self, company: dict) -> None:
        rng = self.rng
        currency = self._currency(company)
        weekly = rng.random() < 0.3
        step = 7 if weekly else 0
        periods = rng.randrange(4, 14) if weekly else rng.randrange(4, 24)
        amount = _money(Decimal(rng.choice(CATALOGUE))) if rng.random() < 0.4 else self._price(5_000, 300_000)
        first = self._day()
        with_deal = rng.random() < 0.6
        deal = self._deal(company, amount * periods, currency, first) if with_deal else None
        ids = []
        for k in range(periods):
            if weekly:
                day = first + timedelta(days=step * k)
            else:
                month = first.month - 1 + k
                day = date(first.year + month // 12, month % 12 + 1, min(first.day, 28))
            if day > TODAY - timedelta(days=2):
                break
            ids.append(self._invoice(company, amount, currency, day, deal, "Subscription", day))
        if len(ids) > 1:
            self.groups.setdefault("weekly" if weekly else "monthly", []).append(ids)

    def repeat_orders(self, company: dict) -> None:
        price = _money(Decimal(self.rng.choice(CATALOGUE)))
        currency = self._currency(company)
        day = self._day()
        ids = []
        for _ in range(self.rng.choice((2, 2, 3))):
            deal = self._deal(company, price, currency, day)
            ids.append(self._invoice(company, price, currency, day, deal, "Catalogue order", day))
            day += timedelta(days=self.rng.randrange(1, 9))
        self.groups.setdefault("repeat_orders", []).append(ids)

    def two_currencies(self, company: dict) -> None:
        """A group billed the same figure in its home currency and in USD, as two deals."""
        amount = self._price(100_000, 2_000_000)
        day = self._day()
        home = CURRENCY[company["country"]]
        other = "EUR" if home == "USD" else "USD"
        ids = []
        for currency in (home, other):
            deal = self._deal(company, amount, currency, day)
            ids.append(self._invoice(company, amount, currency, day, deal, "Regional licence", day))
        self.groups.setdefault("currencies", []).append(ids)

    def credit_and_reissue(self, company: dict) -> None:
        rng = self.rng
        currency = self._currency(company)
        day = self._day()
        amount = self._price(50_000, 5_000_000)
        deal = self._deal(company, amount, currency, day)
        first = self._invoice(company, amount, currency, day, deal, "Consulting", day, status="sent")
        later = day + timedelta(days=rng.randrange(1, 8))
        credit = self._invoice(
            company, -amount, currency, later, deal, "Credit note", later,
            numbering=("credit",), status="sent", tax=-first["tax"],
        )  # fmt: skip
        again_day = later + timedelta(days=rng.randrange(0, 3))
        again = self._invoice(company, amount, currency, again_day, deal, "Consulting", again_day)
        self.groups.setdefault("credit_and_reissue", []).append([first, credit, again])

    def batch_run(self) -> None:
        """A monthly billing run: many customers, one price, one day, consecutive numbers."""
        day = self._day()
        price = _money(Decimal(self.rng.choice(CATALOGUE)))
        ids = []
        originals = [c for c in self.ledger.companies if c["id"] not in self.twin_of.values()]
        for company in self.rng.sample(originals, 6):  # one record per customer
            ids.append(self._invoice(company, price, "USD", day, None, "Support plan", day))
        self.groups.setdefault("batch_run", []).append(ids)

    # ------------------------------------------------------------------ copies

    def copy(self, original: dict) -> None:
        """A duplicate of ``original``, made one of the ways copies happen."""
        rng = self.rng
        company = self.company[original["company_id"]]
        issued, deal = original["issue_date"], original["deal_id"]
        subtotal, tax = original["subtotal"], original["tax"]
        roll = rng.random()
        if roll < 0.3:  # imported twice: a suffix on the number, everything else the same
            kind, numbering = "imported_twice", ("suffix", original)
            created_at = original["created_at"] + timedelta(days=rng.randrange(0, 30), hours=3)
        elif roll < 0.7 or issued is None:  # re-typed by hand from the PDF
            kind, numbering = "retyped", ("typo", original)
            created_at = original["created_at"] + timedelta(days=rng.randrange(1, 40), hours=5)
            if original["company_id"] in self.twin_of and rng.random() < 0.5:
                company, kind = self.company[self.twin_of[original["company_id"]]], kind + "+other_record"
            if deal is not None and rng.random() < 0.5:
                deal, kind = None, kind + "+no_deal"
            change = rng.random()
            if change < 0.15:
                subtotal, kind = subtotal + rng.choice((CENT, -CENT)), kind + "+cent"
            elif change < 0.3 and subtotal % 1:
                subtotal, kind = subtotal.quantize(Decimal("1")), kind + "+rounded"
            if subtotal != original["subtotal"]:
                tax = _money(subtotal * original["tax"] / original["subtotal"])
            if issued is not None and rng.random() < 0.5:
                issued, kind = issued + timedelta(days=rng.choice((-3, -2, -1, 1, 2, 3, 4))), kind + "+days"
        else:  # "we never got it": sent again under a fresh number days later
            kind, numbering = "sent_again", ("next",)
            issued = issued + timedelta(days=rng.randrange(1, 9))
            created_at = datetime.combine(issued, datetime.min.time()) + timedelta(hours=9)
        row = self._invoice(
            company, subtotal, original["currency"], issued, deal, original["_description"],
            issued or original["created_at"].date(), numbering=numbering, tax=tax, created_at=created_at,
        )  # fmt: skip
        if rng.random() < 0.1:  # someone noticed and voided it: not a finding
            row["status"] = "void"
            self.voided.append(row)
        else:
            self.copies.append((row, original, kind))

    # ------------------------------------------------------------------ ids and numbers

    def finish(self) -> Ledger:
        """Ids and numbers in the order the invoices were created, then the truth by id."""
        ledger = self.ledger
        ledger.invoices.sort(key=lambda row: row["created_at"])
        for new_id, row in enumerate(ledger.invoices, 1):
            row["id"] = new_id
        for row in ledger.invoices:
            how = row.pop("_numbering")
            if how[0] == "credit":
                row["number"] = self.numbers.credit()
            elif how[0] == "suffix":
                row["number"] = self.numbers.suffixed(how[1]["number"])
            elif how[0] == "typo":
                row["number"] = self.numbers.typo(how[1]["number"], self.rng)
            else:
                row["number"] = self.numbers.next(row["issue_date"] or row["created_at"].date())
            row.pop("_description")
        for line in ledger.lines:
            line["invoice_id"] = line["invoice_id"]["id"]
        for copy, original, kind in self.copies:
            ledger.duplicates[copy["id"]] = original["id"]
            ledger.copy_kinds[copy["id"]] = kind
        ledger.voided_copies = [row["id"] for row in self.voided]
        ledger.look_alikes = {
            kind: [[row["id"] for row in group] for group in groups] for kind, groups in self.groups.items()
        }
        return ledger


def build_ledger(n_invoices: int, seed: int = 0, copy_rate: float = 0.025) -> Ledger:
    """About ``n_invoices`` invoices over three years, ~``copy_rate`` of them planted copies."""
    builder = _Builder(seed)
    builder.companies(max(30, n_invoices // 12))
    rng = builder.rng
    customers = builder.ledger.companies[:]
    makers = [
        (builder.sale, 52),
        (builder.instalments, 12),
        (builder.subscription, 12),
        (builder.repeat_orders, 8),
        (builder.two_currencies, 4),
        (builder.credit_and_reissue, 6),
    ]
    target = int(n_invoices * (1 - copy_rate))
    while len(builder.ledger.invoices) < target:
        if rng.random() < 0.01:
            builder.batch_run()
            continue
        make = rng.choices([m for m, _ in makers], weights=[w for _, w in makers])[0]
        make(rng.choice(customers))
    copied = {id(copy) for copy, _, _ in builder.copies}
    eligible = [
        inv
        for inv in builder.ledger.invoices
        if inv["status"] != "void" and inv["total"] > 0 and id(inv) not in copied
    ]
    for original in rng.sample(eligible, int(n_invoices * copy_rate) - len(builder.copies)):
        builder.copy(original)
    return builder.finish()


def write_ledger(engine, ledger: Ledger) -> None:
    """Insert the ledger (SQLite or PostgreSQL) into a database that has the contract tables."""
    from sqlalchemy import insert

    from db.models import Company, Deal, Invoice, InvoiceLine

    with engine.begin() as conn:
        for model, rows in (
            (Company, ledger.companies),
            (Deal, ledger.deals),
            (Invoice, ledger.invoices),
            (InvoiceLine, ledger.lines),
        ):
            for start in range(0, len(rows), 20_000):
                conn.execute(insert(model), rows[start : start + 20_000])
