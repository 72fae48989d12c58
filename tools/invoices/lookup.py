"""Finding the deal a user means ("the Acme renewal deal") among won deals, by fuzzy name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Engine, select

from db.models import Company, Deal
from tools.invoices.companies import company_key

STOP_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "for",
        "of",
        "deal",
        "deals",
        "our",
        "their",
        "its",
        "please",
        "invoice",
        "invoices",
        "s",
    ]
)


@dataclass(frozen=True)
class DealChoice:
    deal_id: int
    label: str
    score: float
    stage: str


def _clean(text: str) -> str:
    text = re.sub(r"'s\b", " ", text.lower())
    words = re.sub(r"[^\w\s]", " ", text).split()
    return " ".join(w for w in words if w not in STOP_WORDS)


def find_deals(engine: Engine, text: str, limit: int = 5, scope=None) -> list[DealChoice]:
    """Deals whose company and name best match ``text``, won deals first; best first (only the deals of
    the accounts in ``scope``, the asker's data scope, when given)."""
    from rapidfuzz import fuzz, process

    from tools.scope import orm_tables, row_filter

    query = _clean(text)
    if not query:
        return []
    stmt = (
        select(Deal.id, Deal.name, Deal.stage, Company.name.label("company"))
        .outerjoin(Company, Company.id == Deal.company_id)
        .where(Deal.stage == "closed_won")
    )
    scoped = row_filter("deals", scope, orm_tables()) if scope is not None else None
    if scoped is not None:
        stmt = stmt.where(scoped)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    if not rows:
        return []
    labels = {r.id: f"{company_key(r.company)} {_clean(r.name or '')}" for r in rows}
    hits = process.extract(query, labels, scorer=fuzz.token_set_ratio, limit=limit * 4, score_cutoff=60)
    by_id = {r.id: r for r in rows}
    choices = []
    for _label, score, deal_id in hits:
        row = by_id[deal_id]
        # prefer names that contain every word the user typed
        partial = fuzz.partial_ratio(query, labels[deal_id])
        choices.append(
            DealChoice(
                deal_id,
                f"deal {deal_id}: {row.company or '-'} — {row.name}",
                (score + partial) / 2,
                row.stage,
            )
        )
    choices.sort(key=lambda c: (-c.score, -c.deal_id))
    return choices[:limit]
