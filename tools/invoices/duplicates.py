"""Duplicate invoices: the same invoice entered twice, told apart from legitimate look-alikes.

A second copy keeps the customer (possibly on a second company record: "Acme Inc" and
"ACME, Inc.", or the same web domain), keeps the amount (or is off by a cent, or rounded)
and is dated within days of the first; its number often carries a typo or two swapped
digits. Installments and monthly invoices look alike but are a month or more apart, and
invoices of different deals are different sales; void invoices never count.

How pairs are found without comparing every pair (blocking, sorted neighbourhood):
  1. per customer key (normalized company name, and separately web domain), invoices sorted
     by date, each compared with its neighbours up to ``WINDOW_DAYS`` later;
  2. across customers, per whole-currency-unit amount bucket sorted by date, so that a copy on
     an unrelated company record is still found when its number is nearly the same.
Every candidate pair is scored with vectorized rules (numpy; rapidfuzz's OSA distance for the
numbers, where a transposition counts as one edit) into 0..1 with reasons in words.

Checking one new invoice retrieves candidates with one indexed SQL range query on
(total, issue_date) (covering index ``ix_invoices_dup_check`` on
(total, issue_date, status, company_id, deal_id)): a copy must have nearly the same
amount and a date within ``WINDOW_DAYS``, so nothing else can match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from sqlalchemy import Connection, and_, select, union_all

from db.models import Company, Invoice
from tools.invoices.companies import company_key, domain_key
from tools.invoices.results import DuplicateMatch

WINDOW_DAYS = 14
CROSS_RECORD_DAYS = 3
THRESHOLD = 0.75
MAX_NEIGHBOURS = 500
ROUNDING_TOLERANCE_CENTS = 100  # "1,234.56" entered as "1,235" or "1,234"
RELATIVE_TOLERANCE = 0.005

WEIGHTS = {"amount": 0.35, "date": 0.25, "customer": 0.25, "number": 0.15}
DIFFERENT_DEAL_FACTOR = 0.5
SAME_DEAL_BONUS = 0.05

_DIGITS = re.compile(r"(\d+)$")


@dataclass
class InvoiceColumns:
    """Invoices as aligned arrays (one row per invoice), the shape the vectorized scoring wants."""

    ids: np.ndarray
    numbers: list[str]
    company_ids: np.ndarray  # -1 when unknown
    company_names: list[str]
    name_keys: np.ndarray  # integer codes of company_key(); -1 when empty
    domain_keys: np.ndarray  # integer codes of domain_key(); -1 when empty
    deal_ids: np.ndarray  # -1 when none
    days: np.ndarray  # issue date as a day ordinal
    cents: np.ndarray  # total in cents
    currencies: np.ndarray  # integer codes
    tails: np.ndarray  # the number's trailing digits as an integer (its place in the sequence); -1 if none

    def __len__(self) -> int:
        return len(self.ids)


def _codes(values: list[str]) -> np.ndarray:
    """Integer codes for strings; '' gets -1 so that empty keys never match each other."""
    table: dict[str, int] = {}
    out = np.fromiter((table.setdefault(v, len(table)) if v else -1 for v in values), dtype=np.int64)
    return out


def _cents(value) -> int:
    return int((Decimal(str(value)) * 100).to_integral_value())


def columns_from_rows(rows) -> InvoiceColumns:
    """Rows with id, number, company_id, company_name, domain, deal_id, issue_date, total, currency."""
    rows = list(rows)
    names = [r.company_name or "" for r in rows]
    return InvoiceColumns(
        ids=np.fromiter((r.id if r.id is not None else -1 for r in rows), dtype=np.int64, count=len(rows)),
        numbers=[r.number or "" for r in rows],
        company_ids=np.fromiter((r.company_id or -1 for r in rows), dtype=np.int64, count=len(rows)),
        company_names=names,
        name_keys=_codes([company_key(n) for n in names]),
        domain_keys=_codes([domain_key(r.domain) for r in rows]),
        deal_ids=np.fromiter((r.deal_id or -1 for r in rows), dtype=np.int64, count=len(rows)),
        days=np.fromiter((_day(r.issue_date) for r in rows), dtype=np.int64, count=len(rows)),
        cents=np.fromiter((_cents(r.total) for r in rows), dtype=np.int64, count=len(rows)),
        currencies=_codes([(r.currency or "USD").upper() for r in rows]),
        tails=np.fromiter((_number_tail(r.number or "") for r in rows), dtype=np.int64, count=len(rows)),
    )


def _day(value) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return value.toordinal()


def _invoice_query():
    return select(
        Invoice.id,
        Invoice.number,
        Invoice.company_id,
        Company.name.label("company_name"),
        Company.domain,
        Invoice.deal_id,
        Invoice.issue_date,
        Invoice.total,
        Invoice.currency,
    ).outerjoin(Company, Company.id == Invoice.company_id)


def load_invoices(conn: Connection) -> InvoiceColumns:
    """Every invoice that is not void, with its company's name and domain."""
    query = _invoice_query().where(Invoice.status != "void").order_by(Invoice.id)
    return columns_from_rows(conn.execute(query))


# --------------------------------------------------------------------------- blocking


def _sorted_neighbour_pairs(keys: np.ndarray, days: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i, j) with the same key and dates at most ``window`` days apart, without all pairs.

    Sorting by (key, date) puts every such pair within a run of neighbours; offsets grow until
    no row has a partner that far down the list (then none has one further either).
    """
    rows = np.flatnonzero(keys >= 0)
    order = rows[np.lexsort((days[rows], keys[rows]))]
    sorted_keys, sorted_days = keys[order], days[order]
    left, right = [], []
    for offset in range(1, min(MAX_NEIGHBOURS, len(order)) + 1):
        near = (sorted_keys[offset:] == sorted_keys[:-offset]) & (
            sorted_days[offset:] - sorted_days[:-offset] <= window
        )
        if not near.any():
            break
        left.append(order[:-offset][near])
        right.append(order[offset:][near])
    if not left:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(left), np.concatenate(right)


def candidate_pairs(cols: InvoiceColumns, window: int = WINDOW_DAYS) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs worth scoring, each once, as (earlier-entered, later-entered)."""
    blocks = [
        (cols.name_keys, window),
        (cols.domain_keys, window),
        (cols.deal_ids, window),
        # across company records only close dates count (see score_pairs), so a narrow window
        (cols.currencies * 10**12 + (cols.cents + 50) // 100, CROSS_RECORD_DAYS),  # same whole amount
        (cols.currencies * 10**12 + cols.cents // 100, CROSS_RECORD_DAYS),  # ... or across a unit boundary
    ]
    lefts, rights = [], []
    for keys, days_apart in blocks:
        a, b = _sorted_neighbour_pairs(keys, cols.days, days_apart)
        lefts.append(a)
        rights.append(b)
    a, b = np.concatenate(lefts), np.concatenate(rights)
    first = np.where(cols.ids[a] <= cols.ids[b], a, b)
    second = np.where(cols.ids[a] <= cols.ids[b], b, a)
    unique = np.unique(first.astype(np.int64) * (len(cols) + 1) + second)
    return unique // (len(cols) + 1), unique % (len(cols) + 1)


# --------------------------------------------------------------------------- scoring


@dataclass
class PairScores:
    score: np.ndarray
    amount: np.ndarray
    date: np.ndarray
    customer: np.ndarray
    number: np.ndarray
    number_distance: np.ndarray
    different_deal: np.ndarray


def _number_tail(number: str) -> int:
    found = _DIGITS.search(number)
    return int(found.group(1)) if found else -1


def _with_suffix(a: str, b: str) -> bool:
    """'INV-2025-01777' and 'INV-2025-01777-A': the same number with a short suffix added."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return (
        bool(short)
        and long.startswith(short)
        and 0 < len(long) - len(short) <= 3
        and not long[len(short)].isdigit()
    )


def number_distances(left: list[str], right: list[str]) -> np.ndarray:
    """OSA edit distance (a swap of two neighbouring characters is one edit) per aligned pair."""
    if not left:
        return np.empty(0, np.int64)
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import cpdist

    return np.asarray(cpdist(left, right, scorer=OSA.distance, workers=1), dtype=np.int64)


def score_pairs(left: InvoiceColumns, i: np.ndarray, right: InvoiceColumns, j: np.ndarray) -> PairScores:
    """Duplicate likelihood in 0..1 for row pairs (left[i], right[j]), all at once."""
    cents_i, cents_j = left.cents[i], right.cents[j]
    diff = np.abs(cents_i - cents_j)
    biggest = np.maximum(np.maximum(np.abs(cents_i), np.abs(cents_j)), 1)
    whole = (cents_i % 100 == 0) | (cents_j % 100 == 0)
    same_currency = left.currencies[i] == right.currencies[j]
    round_amount = (cents_i % 10_000 == 0) & (diff == 0)  # 1,200.00: a shared price point, weaker evidence
    amount = (
        np.select(
            [
                (diff == 0) & ~round_amount,
                diff == 0,
                diff <= 1,
                (diff < ROUNDING_TOLERANCE_CENTS) & whole,
                diff / biggest <= RELATIVE_TOLERANCE,
            ],
            [1.0, 0.85, 0.95, 0.9, 0.5],
            0.0,
        )
        * same_currency
    )

    days_apart = np.abs(left.days[i] - right.days[j])
    when = np.select(
        [days_apart == 0, days_apart <= 2, days_apart <= 4, days_apart <= 7, days_apart <= WINDOW_DAYS],
        [1.0, 0.9, 0.75, 0.65, 0.3],
        0.0,
    )

    same_company = (left.company_ids[i] == right.company_ids[j]) & (left.company_ids[i] >= 0)
    same_name = (left.name_keys[i] == right.name_keys[j]) & (left.name_keys[i] >= 0)
    same_domain = (left.domain_keys[i] == right.domain_keys[j]) & (left.domain_keys[i] >= 0)
    same_deal = (left.deal_ids[i] >= 0) & (left.deal_ids[i] == right.deal_ids[j])  # a deal has one customer
    customer = np.select([same_company, same_name, same_domain, same_deal], [1.0, 0.95, 0.9, 0.9], 0.0)

    # string distances only where the cheap evidence already allows a match
    plausible = (
        (amount > 0) & (when > 0) & ((customer > 0) | ((amount >= 0.95) & (days_apart <= CROSS_RECORD_DAYS)))
    )
    distance = np.full(len(i), 99, dtype=np.int64)
    todo = np.flatnonzero(plausible)
    distance[todo] = number_distances([left.numbers[k] for k in i[todo]], [right.numbers[k] for k in j[todo]])
    gap = np.abs(left.tails[i] - right.tails[j])
    in_sequence = gap <= 2  # numbers handed out one after the other
    suffixed = np.zeros(len(i), dtype=bool)
    suffixed[todo] = [
        _with_suffix(left.numbers[a], right.numbers[b]) for a, b in zip(i[todo], j[todo], strict=True)
    ]
    number = np.select(
        [((distance <= 1) & ~in_sequence) | suffixed, distance <= 1, distance == 2], [1.0, 0.5, 0.4], 0.0
    )

    deal_i, deal_j = left.deal_ids[i], right.deal_ids[j]
    different_deal = (deal_i >= 0) & (deal_j >= 0) & (deal_i != deal_j)

    score = (
        WEIGHTS["amount"] * amount
        + WEIGHTS["date"] * when
        + WEIGHTS["customer"] * customer
        + WEIGHTS["number"] * number
        + SAME_DEAL_BONUS * same_deal
    )
    # On an unrelated company record only a mistyped copy of the number counts, not a neighbour
    # in the sequence (numbers handed out the same day to other customers are close too).
    retyped = (distance <= 1) & (gap >= 100) & (amount >= 0.95)
    related = (customer > 0) | (retyped & (days_apart <= CROSS_RECORD_DAYS))
    score = np.where(related & (amount > 0) & (when > 0), np.minimum(score, 1.0), 0.0)
    score = np.where(different_deal, score * DIFFERENT_DEAL_FACTOR, score)
    return PairScores(score, amount, when, customer, number, distance, different_deal)


def _money(cents: int) -> str:
    return f"{cents / 100:,.2f}"


def _is_transposition(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    diffs = [k for k in range(len(a)) if a[k] != b[k]]
    return (
        len(diffs) == 2
        and diffs[1] == diffs[0] + 1
        and a[diffs[0]] == b[diffs[1]]
        and a[diffs[1]] == b[diffs[0]]
    )


def reasons_for(
    left: InvoiceColumns, i: int, right: InvoiceColumns, j: int, scores: PairScores, k: int
) -> tuple[str, ...]:
    """The pair's evidence in words, strongest first."""
    out = []
    if left.company_ids[i] == right.company_ids[j] and left.company_ids[i] >= 0:
        out.append("same customer")
    elif scores.customer[k] > 0:
        out.append(
            f"same customer on two company records ({left.company_names[i]!r} and {right.company_names[j]!r})"
        )
    else:
        out.append("different company records")
    ci, cj = int(left.cents[i]), int(right.cents[j])
    if ci == cj:
        out.append(f"same amount ({_money(ci)})")
    elif abs(ci - cj) <= 1:
        out.append(f"amount off by a cent ({_money(ci)} vs {_money(cj)})")
    elif scores.amount[k] >= 0.9:
        out.append(f"amount looks rounded ({_money(ci)} vs {_money(cj)})")
    else:
        out.append(f"nearly the same amount ({_money(ci)} vs {_money(cj)})")
    days = abs(int(left.days[i]) - int(right.days[j]))
    out.append("same issue date" if days == 0 else f"issued {days} day{'s' if days > 1 else ''} apart")
    a, b = left.numbers[i], right.numbers[j]
    if scores.number[k] >= 1.0:
        if _with_suffix(a, b):
            kind = "the same number with a suffix"
        else:
            kind = "two digits swapped" if _is_transposition(a, b) else "one character differs"
        out.append(f"invoice numbers nearly identical ({a} / {b}: {kind})")
    if left.deal_ids[i] >= 0 and left.deal_ids[i] == right.deal_ids[j]:
        out.append("same deal")
    if scores.different_deal[k]:
        out.append("but for different deals")
    return tuple(out)


# --------------------------------------------------------------------------- the scan


def scan(cols: InvoiceColumns, threshold: float = THRESHOLD) -> list[DuplicateMatch]:
    """Every invoice that looks like a later copy of another, paired with the original it copies."""
    first, second = candidate_pairs(cols)
    scores = score_pairs(cols, first, cols, second)
    hits = np.flatnonzero(scores.score >= threshold)
    best: dict[int, int] = {}  # later row -> index into hits of its best match
    for k in hits[np.argsort(-scores.score[hits], kind="stable")]:
        best.setdefault(int(second[k]), int(k))
    original = {later: int(first[k]) for later, k in best.items()}

    def root(row: int) -> int:  # a copy of a copy is reported against the first invoice
        seen = set()
        while row in original and row not in seen:
            seen.add(row)
            row = original[row]
        return row

    matches = []
    for later, k in sorted(best.items(), key=lambda item: cols.ids[item[0]]):
        source = root(later)
        matches.append(
            DuplicateMatch(
                invoice_id=int(cols.ids[later]),
                duplicate_of=int(cols.ids[source]),
                score=float(scores.score[k]),
                reasons=reasons_for(cols, int(first[k]), cols, later, scores, int(k)),
                invoice_number=cols.numbers[later],
                duplicate_of_number=cols.numbers[source],
            )
        )
    return matches


def scan_database(conn: Connection, threshold: float = THRESHOLD) -> tuple[list[DuplicateMatch], int]:
    cols = load_invoices(conn)
    return scan(cols, threshold), len(cols)


# --------------------------------------------------------------------------- one invoice


@dataclass(frozen=True)
class InvoiceFacts:
    """What is known of an invoice being checked (a draft not yet saved has no id)."""

    number: str
    company_id: int | None
    deal_id: int | None
    issue_date: date
    total: Decimal
    currency: str = "USD"
    id: int | None = None
    company_name: str | None = None
    domain: str | None = None

    @classmethod
    def of_view(cls, view) -> InvoiceFacts:
        """The facts of a stored invoice (an InvoiceView), to check it against the others."""
        return cls(
            number=view.number,
            company_id=view.company_id,
            deal_id=view.deal_id,
            issue_date=view.issue_date,
            total=view.total,
            currency=view.currency,
            id=view.id,
        )


_COMPANY_KEYS: dict[tuple[str, int], tuple[str, str]] = {}
_COMPANY_KEYS_LIMIT = 1_000_000


def _company_keys(conn: Connection, company_ids: set[int]) -> dict[int, tuple[str, str]]:
    """(name key, domain key) per company id, remembered per database for the life of the process.

    A popular price brings thousands of candidate invoices of other customers; looking their
    companies up again for every draft would cost more than the whole check may take. A renamed
    company record is seen again after a restart (or ``forget_company_keys()``).
    """
    db = conn.engine.url.render_as_string(hide_password=True)
    missing = [c for c in company_ids if (db, c) not in _COMPANY_KEYS]
    if missing:
        if len(_COMPANY_KEYS) > _COMPANY_KEYS_LIMIT:
            _COMPANY_KEYS.clear()
        for start in range(0, len(missing), 5000):
            chunk = missing[start : start + 5000]
            for company in conn.execute(
                select(Company.id, Company.name, Company.domain).where(Company.id.in_(chunk))
            ):
                _COMPANY_KEYS[(db, company.id)] = (company_key(company.name), domain_key(company.domain))
    return {c: _COMPANY_KEYS.get((db, c), ("", "")) for c in company_ids}


def forget_company_keys() -> None:
    _COMPANY_KEYS.clear()


def _candidates(conn: Connection, facts: InvoiceFacts, exclude_ids: tuple[int, ...]) -> list:
    """Invoices that could be a copy: nearly the same total, dated within the window (one indexed
    range query), then narrowed in Python to the same customer (company, name, domain or deal)
    or, across records, to a mistyped number; only the survivors are fetched in full."""
    total = Decimal(str(facts.total))
    slack = max(Decimal(ROUNDING_TOLERANCE_CENTS) / 100, abs(total) * Decimal(str(RELATIVE_TOLERANCE)))
    window = timedelta(days=WINDOW_DAYS)
    # only columns of the covering index (total, issue_date, status, company_id, deal_id): no table reads
    columns = (Invoice.id, Invoice.company_id, Invoice.deal_id, Invoice.issue_date)
    in_window = and_(
        Invoice.issue_date >= facts.issue_date - window,
        Invoice.issue_date <= facts.issue_date + window,
        Invoice.status != "void",
    )
    # Three index ranges, so that a popular price (thousands of invoices of exactly 1,200.00) is
    # read only for its dates (equality on total, range on date), never walked in full.
    segments = (
        Invoice.total == total,
        and_(Invoice.total >= total - slack, Invoice.total < total),
        and_(Invoice.total > total, Invoice.total <= total + slack),
    )
    query = union_all(*(select(*columns).where(segment, in_window) for segment in segments))
    rows = [r for r in conn.execute(query) if r.id not in exclude_ids]
    if not rows:
        return []
    from rapidfuzz.distance import OSA

    other_companies = {r.company_id for r in rows if r.company_id and r.company_id != facts.company_id}
    my_name, my_domain = company_key(facts.company_name), domain_key(facts.domain)
    related_companies = {
        company_id
        for company_id, (name, domain) in _company_keys(conn, other_companies).items()
        if (my_name and name == my_name) or (my_domain and domain == my_domain)
    }
    keep = [
        r.id
        for r in rows
        if (facts.company_id and r.company_id == facts.company_id)
        or r.company_id in related_companies
        or (facts.deal_id and r.deal_id == facts.deal_id)
    ]
    if facts.id is not None:  # a saved invoice's number may be a retyped copy; a new draft's is fresh
        near = [r.id for r in rows if abs((r.issue_date - facts.issue_date).days) <= CROSS_RECORD_DAYS]
        if near:
            numbers = conn.execute(select(Invoice.id, Invoice.number).where(Invoice.id.in_(near))).all()
            keep += [
                i
                for i, n in numbers
                if OSA.distance(n or "", facts.number) <= 1 or _with_suffix(n or "", facts.number)
            ]
    if not keep:
        return []
    return conn.execute(_invoice_query().where(Invoice.id.in_(keep))).all()


def check_invoice(
    conn: Connection, facts: InvoiceFacts, exclude_ids: tuple[int, ...] = (), threshold: float = THRESHOLD
) -> list[DuplicateMatch]:
    """Existing invoices that ``facts`` looks like a copy of (or, if it is older, a copy of it)."""
    if facts.company_id and (facts.company_name is None or facts.domain is None):
        company = conn.execute(
            select(Company.name, Company.domain).where(Company.id == facts.company_id)
        ).first()
        if company:
            facts = InvoiceFacts(**{**facts.__dict__, "company_name": company.name, "domain": company.domain})
    exclude = tuple(exclude_ids) + ((facts.id,) if facts.id is not None else ())
    rows = _candidates(conn, facts, exclude)
    if not rows:
        return []
    mine = columns_from_rows([facts])
    theirs = columns_from_rows(rows)
    # name/domain codes must be comparable: recode both sides together
    both = columns_from_rows([facts, *rows])
    mine.name_keys, theirs.name_keys = both.name_keys[:1], both.name_keys[1:]
    mine.domain_keys, theirs.domain_keys = both.domain_keys[:1], both.domain_keys[1:]
    mine.currencies, theirs.currencies = both.currencies[:1], both.currencies[1:]
    j = np.arange(len(theirs))
    i = np.zeros(len(theirs), dtype=np.int64)
    scores = score_pairs(mine, i, theirs, j)
    matches = []
    for k in np.argsort(-scores.score, kind="stable"):
        if scores.score[k] < threshold:
            break
        other_id = int(theirs.ids[k])
        mine_is_later = facts.id is None or facts.id > other_id
        matches.append(
            DuplicateMatch(
                invoice_id=(facts.id if facts.id is not None else 0) if mine_is_later else other_id,
                duplicate_of=other_id if mine_is_later else (facts.id or 0),
                score=float(scores.score[k]),
                reasons=reasons_for(mine, 0, theirs, int(k), scores, int(k)),
                invoice_number=facts.number if mine_is_later else theirs.numbers[k],
                duplicate_of_number=theirs.numbers[k] if mine_is_later else facts.number,
            )
        )
    return matches
