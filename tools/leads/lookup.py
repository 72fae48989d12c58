"""Finding the lead a person means: by id, by email, or by name (with "did you mean")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import Engine, func, or_, select

from db.models import Lead

SUGGESTIONS = 5
FUZZY_CUTOFF = 70


@dataclass
class LeadMatch:
    """The lead ids that match exactly, and close alternatives when none (or several) do."""

    lead_ids: list[int] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)

    @property
    def unique(self) -> int | None:
        return self.lead_ids[0] if len(self.lead_ids) == 1 else None


def describe(row, emails: bool = True) -> str:
    """'Jane Doe <jane@acme.io> at Acme (lead 123)': how a lead is offered as a choice (``emails``:
    False for someone who may not read people data)."""
    name = " ".join(p for p in (row.first_name, row.last_name) if p) or "(no name)"
    email = f" <{row.email}>" if row.email and emails else ""
    company = f" at {row.company_name}" if row.company_name else ""
    return f"{name}{email}{company} (lead {row.id})"


def _columns(owner_ids=None):
    stmt = select(Lead.id, Lead.first_name, Lead.last_name, Lead.email, Lead.company_name)
    return stmt if owner_ids is None else stmt.where(Lead.owner_id.in_(sorted(owner_ids)))


def find_lead(engine: Engine, query: str, *, owner_ids=None, emails: bool = True) -> LeadMatch:
    """Resolve ``query`` (an id, an email, a full name, or the lead's company) to lead ids, or suggest
    close ones.

    ``owner_ids`` (the asker's data scope) limits the suggestions, never the exact match: a lead named
    exactly is found, and the caller says it is not theirs to see. ``emails``: show them in choices."""
    query = query.strip().strip("\"'").strip()
    if not query:
        return LeadMatch()
    with engine.connect() as conn:
        if query.isdigit():
            row = conn.execute(_columns().where(Lead.id == int(query))).first()
            return LeadMatch([row.id]) if row else LeadMatch()
        if "@" in query:
            rows = conn.execute(
                _columns().where(func.lower(Lead.email) == query.lower()).order_by(Lead.id)
            ).all()
        else:
            full_name = func.lower(
                func.coalesce(Lead.first_name, "") + " " + func.coalesce(Lead.last_name, "")
            )
            rows = conn.execute(
                _columns().where(full_name == " ".join(query.lower().split())).order_by(Lead.id)
            ).all()
            at = re.fullmatch(r"(.+?)\s+(?:at|from|@)\s+(.+)", " ".join(query.lower().split()))
            if not rows and at:  # "Mariana Harris at Quartz Wealth": that person, at that company
                name, where = at.groups()
                like = where.replace("\\", "").replace("%", "").replace("_", "") + " %"
                rows = conn.execute(
                    _columns()
                    .where(
                        full_name == name,
                        or_(func.lower(Lead.company_name) == where, func.lower(Lead.company_name).like(like)),
                    )
                    .order_by(Lead.id)
                ).all()
            company = " ".join(query.lower().split())
            if not rows:  # "the Sapphire Medical lead": a lead named by its company
                rows = conn.execute(
                    _columns().where(func.lower(Lead.company_name) == company).order_by(Lead.id)
                ).all()
            if not rows and len(company) >= 4:  # "Nautilus Fabrication" for Nautilus Fabrication PLC
                like = company.replace("\\", "").replace("%", "").replace("_", "") + " %"
                rows = conn.execute(
                    _columns().where(func.lower(Lead.company_name).like(like)).order_by(Lead.id)
                ).all()
        if len(rows) == 1:
            return LeadMatch([rows[0].id])
        if rows:
            return LeadMatch([r.id for r in rows], [describe(r, emails) for r in rows[:SUGGESTIONS]])
        return LeadMatch([], _closest(conn, query, owner_ids, emails))


def _closest(conn, query: str, owner_ids=None, emails: bool = True) -> list[str]:
    """The leads whose name or email reads closest to ``query`` (rapidfuzz)."""
    from rapidfuzz import fuzz, process

    rows = conn.execute(_columns(owner_ids)).all()
    use_email = "@" in query
    keys = [
        (r.email or "").lower()
        if use_email
        else " ".join(p for p in (r.first_name, r.last_name) if p).lower()
        for r in rows
    ]
    found = process.extract(
        query.lower(), keys, scorer=fuzz.WRatio, limit=SUGGESTIONS, score_cutoff=FUZZY_CUTOFF
    )
    return [describe(rows[index], emails) for _, _, index in found]
