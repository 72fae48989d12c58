"""Answers for the conversation: one company's insight card, and ranked lists of accounts at risk.

Both read what the last refresh wrote. When insights were never computed, they compute them on
the fly with the same code as the job (the churn model is the registered one, else the
rule-based estimate: a question never trains a model) and write nothing.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, case, func, select

from db.models import Company, CustomerInsight, InsightDetail, Invoice, ModelRegistry, Payment, User
from tools.insights.config import InsightConfig
from tools.insights.results import AtRiskAccount, AtRiskList
from tools.results import Message
from tools.scope import EVERYTHING, DataScope, company_problem

MATCH_CUTOFF = 60  # rapidfuzz WRatio score below which a name is not a candidate
STRONG_MATCH = 85  # a name this close is taken (if it is the only one) or offered as a choice
CLEAR_WIN = 8  # points by which the best strong name must beat the next to be taken without asking


def _normalized(name: str) -> str:
    import re

    words = re.sub(r"[^a-z0-9 ]+", " ", name.lower()).split()
    from crmbot.words import GENERIC_COMPANY_WORDS, LEGAL_FORMS

    return " ".join(w for w in words if w not in LEGAL_FORMS and w not in GENERIC_COMPANY_WORDS)


def find_company(engine: Engine, name: str) -> tuple[int, str, str] | Message:
    """(id, name, lifecycle stage) of the company called ``name``, or a "did you mean" Message."""
    from rapidfuzz import fuzz, process

    with engine.connect() as conn:
        rows = conn.execute(select(Company.id, Company.name, Company.lifecycle_stage)).fetchall()
    wanted = _normalized(name)
    if not rows or not wanted:
        return Message(f"I found no company called '{name}'.", kind="clarify")
    verbatim = [r for r in rows if r.name.strip().lower() == name.strip().lower()]
    if len(verbatim) == 1:  # the exact name (a choice picked from a question back) is that company
        return verbatim[0].id, verbatim[0].name, verbatim[0].lifecycle_stage
    exact = [r for r in rows if _normalized(r.name) == wanted]
    customers = [r for r in exact if r.lifecycle_stage == "customer"]
    if len(exact) == 1 or len(customers) == 1:
        row = customers[0] if customers else exact[0]
        return row.id, row.name, row.lifecycle_stage
    if len(exact) > 1:
        return _did_you_mean(name, [r.name for r in exact], ambiguous=True)
    choices = {r.id: _normalized(r.name) for r in rows}
    by_id = {r.id: r for r in rows}
    hits = process.extract(wanted, choices, scorer=fuzz.WRatio, limit=5, score_cutoff=MATCH_CUTOFF)
    strong = [h for h in hits if h[1] >= STRONG_MATCH]
    if len(strong) == 1 or (len(strong) > 1 and strong[0][1] - strong[1][1] >= CLEAR_WIN):
        row = by_id[strong[0][2]]
        return row.id, row.name, row.lifecycle_stage
    if strong:
        return _did_you_mean(name, [by_id[h[2]].name for h in strong], ambiguous=True)
    close = hits[:3] or process.extract(wanted, choices, scorer=fuzz.WRatio, limit=3)
    return _did_you_mean(name, [by_id[h[2]].name for h in close], ambiguous=False)


def _did_you_mean(name: str, names: list[str], *, ambiguous: bool) -> Message:
    unique = list(dict.fromkeys(names))
    if ambiguous:
        text = f"Several companies match '{name}'. Which one did you mean?"
    else:
        text = f"I found no company called '{name}'." + (" Did you mean one of these?" if unique else "")
    return Message(text, kind="clarify", choices=unique)


def active_churn_model(engine: Engine):
    """The registered active churn model, or None when there is none or its file is gone."""
    from pathlib import Path

    with engine.connect() as conn:
        path = conn.execute(
            select(ModelRegistry.path)
            .where(ModelRegistry.kind == "churn", ModelRegistry.active.is_(True))
            .order_by(ModelRegistry.trained_at.desc())
            .limit(1)
        ).scalar()
    if not path or not Path(path).exists():
        return None
    from tools.ml import TabularClassifier

    return TabularClassifier.load(path)


def _churn_model_for(engine: Engine, today: date, config: InsightConfig):
    """The model of the last refresh; None (the rule-based estimate) when there is none: a question
    never trains a model (that takes seconds to minutes; `crmbot insights refresh` does it)."""
    return active_churn_model(engine)


def compute_now(engine: Engine, today: date, config: InsightConfig, company_ids=None):
    """Score customers on the fly (a selection, or all), writing nothing."""
    from tools.insights.compute import population_norms, score_population

    model = _churn_model_for(engine, today, config)
    with engine.connect() as conn:
        norms = population_norms(conn, today) if company_ids is not None else None
        return score_population(conn, today, config, churn_model=model, company_ids=company_ids, norms=norms)


def _owner_names(engine: Engine) -> dict[int, str]:
    with engine.connect() as conn:
        return dict(conn.execute(select(User.id, User.name)).fetchall())


def company_insight(
    engine: Engine,
    today: date,
    name: str,
    config: InsightConfig | None = None,
    scope: DataScope | None = None,
):
    """The insight card for the company called ``name`` (or a Message: unknown, ambiguous, not a customer,
    or outside the asker's data ``scope``)."""
    config = config or InsightConfig.from_settings()
    found = find_company(engine, name)
    if isinstance(found, Message):
        return found
    problem = company_problem(engine, scope or EVERYTHING, found[0], found[1])
    if problem:
        return Message(problem, kind="refused")
    return _card(engine, today, *found, config)


def company_insight_by_id(
    engine: Engine,
    today: date,
    company_id: int,
    config: InsightConfig | None = None,
    scope: DataScope | None = None,
):
    """The insight card of company ``company_id`` (a Message when it is not a customer or outside the
    asker's data ``scope``; None: no such company)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(Company.id, Company.name, Company.lifecycle_stage).where(Company.id == company_id)
        ).first()
    if row is None:
        return None
    problem = company_problem(engine, scope or EVERYTHING, row.id, row.name)
    if problem:
        return Message(problem, kind="refused")
    return _card(
        engine, today, row.id, row.name, row.lifecycle_stage, config or InsightConfig.from_settings()
    )


def _card(engine: Engine, today: date, company_id: int, company_name: str, stage: str, config: InsightConfig):
    from tools.insights.compute import details_records, insight_from_details

    if stage != "customer":
        what = "a prospect" if stage == "prospect" else "a former customer (churned)"
        return Message(f"{company_name} is {what}: health and churn insights cover current customers only.")
    with engine.connect() as conn:
        row = conn.execute(
            select(InsightDetail.details, InsightDetail.computed_at, Company.owner_id)
            .join(Company, Company.id == InsightDetail.company_id)
            .where(InsightDetail.company_id == company_id)
        ).first()
    owners = _owner_names(engine)
    if row is not None:
        return insight_from_details(
            company_id, row.details, owners.get(row.owner_id), _stamp(row.computed_at)
        )
    scored = compute_now(engine, today, config, company_ids=[company_id])
    if scored.table.empty:
        return Message(f"I have no data to score {company_name} yet.")
    details = details_records(scored)[0]
    return insight_from_details(
        company_id, details, owners.get(details["owner_id"]), today.isoformat(), computed_now=True
    )


def _stamp(value) -> str:
    return value.isoformat(sep=" ", timespec="minutes") if hasattr(value, "isoformat") else str(value)


def at_risk_accounts(
    engine: Engine,
    today: date,
    *,
    owner_id: int | None = None,
    owner_name: str | None = None,
    region: str | None = None,
    limit: int = 10,
    config: InsightConfig | None = None,
    scope: DataScope | None = None,
) -> AtRiskList:
    """Customers at medium or high churn risk, most likely to churn first, in the scope asked (and
    within the asker's data ``scope``)."""
    scope = scope or EVERYTHING
    config = config or InsightConfig.from_settings()
    scope = "my accounts" if owner_id is not None else "Accounts"
    title = f"{scope.capitalize()} at risk of churning" + (f" in {region}" if region else "")
    c, ci, d = Company.__table__, CustomerInsight.__table__, InsightDetail.__table__
    query = (
        select(
            c.c.id,
            c.c.name,
            c.c.owner_id,
            c.c.region,
            ci.c.churn_probability,
            ci.c.churn_risk,
            ci.c.health_score,
            ci.c.predicted_ltv_12m,
            ci.c.computed_at,
            d.c.band,
            d.c.details,
        )
        .join(ci, ci.c.company_id == c.c.id)
        .outerjoin(d, d.c.company_id == c.c.id)
        .where(c.c.lifecycle_stage == "customer")
    )
    with engine.connect() as conn:
        rows = conn.execute(query).fetchall()
    owners = _owner_names(engine)
    note = None
    if rows:
        records = [
            dict(
                company_id=r.id,
                company_name=r.name,
                owner_id=r.owner_id,
                region=r.region,
                churn_probability=float(r.churn_probability or 0),
                churn_risk=r.churn_risk,
                health_score=float(r.health_score or 0),
                band=r.band or "",
                top_reason=((r.details or {}).get("churn", {}).get("reasons") or [{}])[0].get("text"),
                predicted_ltv_12m=float(r.predicted_ltv_12m or 0),
            )
            for r in rows
        ]
        computed_at = _stamp(max(r.computed_at for r in rows))
    else:
        records, computed_at = _records_computed_now(engine, today, config), today.isoformat()
        note = (
            "Insights were never refreshed: computed just now (run `crmbot insights refresh` to store them)."
        )
    total = len(records)
    chosen = [
        r
        for r in records
        if r["churn_risk"] in ("medium", "high")
        and (owner_id is None or r["owner_id"] == owner_id)
        and scope.sees_owner(r["owner_id"])
        and (region is None or (r["region"] or "").upper() == region.upper())
    ]
    chosen.sort(key=lambda r: -r["churn_probability"])
    accounts = [
        AtRiskAccount(
            r["company_id"],
            r["company_name"],
            owners.get(r["owner_id"]),
            r["churn_probability"],
            r["churn_risk"],
            r["health_score"],
            r["band"],
            r["top_reason"],
            r["predicted_ltv_12m"],
        )
        for r in chosen[:limit]
    ]
    if owner_id is None and owner_name:
        title = f"{owner_name}'s accounts at risk of churning"
    return AtRiskList(title, accounts, total, computed_at, note)


def _records_computed_now(engine: Engine, today: date, config: InsightConfig) -> list[dict]:
    scored = compute_now(engine, today, config)
    t = scored.table
    return [
        dict(
            company_id=int(row["company_id"]),
            company_name=row["company_name"],
            owner_id=None
            if row["owner_id"] != row["owner_id"] or row["owner_id"] is None
            else int(row["owner_id"]),
            region=row["region"],
            churn_probability=float(row["churn_probability"]),
            churn_risk=row["churn_risk"],
            health_score=float(row["health_score"]),
            band=row["band"],
            top_reason=reasons[0].text if reasons else None,
            predicted_ltv_12m=float(row["predicted_ltv_12m"]),
        )
        for row, reasons in zip(t.to_dict("records"), scored.reasons, strict=True)
    ]


STORED_COLUMNS = (
    "health_score",
    "engagement_score",
    "payment_score",
    "support_score",
    "churn_risk",
    "churn_probability",
    "predicted_churn_date",
    "ltv",
    "predicted_ltv_12m",
    "computed_at",
)


def stored_values(engine: Engine, card) -> dict:
    """The card's figures as the contract's customer_insights row stores them (what a report on that
    table shows); the card's own, rounded the way the refresh job stores them, when none is stored."""
    from datetime import datetime

    if not card.computed_now:
        columns = [getattr(CustomerInsight, name) for name in STORED_COLUMNS]
        with engine.connect() as conn:
            row = conn.execute(select(*columns).where(CustomerInsight.company_id == card.company_id)).first()
        if row is not None:
            return dict(row._mapping)
    scores = {c.name: c.score for c in card.components}
    return {
        "health_score": round(card.health_score, 2),
        "engagement_score": round(scores.get("engagement", 0.0), 2),
        "payment_score": round(scores.get("payment", 0.0), 2),
        "support_score": round(scores.get("support", 0.0), 2),
        "churn_risk": card.churn_risk,
        "churn_probability": round(card.churn_probability, 4),
        "predicted_churn_date": card.predicted_churn_date,
        "ltv": round(card.ltv, 2),
        "predicted_ltv_12m": round(card.predicted_ltv_12m, 2),
        "computed_at": datetime.fromisoformat(card.computed_at),
    }


def with_stored_values(engine: Engine, card):
    """The card, its figures those of the stored customer_insights row (one truth for every answer)."""
    stored = stored_values(engine, card)
    for name in ("health_score", "churn_risk", "churn_probability", "predicted_churn_date"):
        if stored.get(name) is not None:
            setattr(card, name, stored[name] if name != "health_score" else float(stored[name]))
    for name in ("ltv", "predicted_ltv_12m"):
        if stored.get(name) is not None:
            setattr(card, name, float(stored[name]))
    for component in card.components:
        value = stored.get(f"{component.name}_score")
        if value is not None:
            component.score = float(value)
    card.open_balance, card.open_invoices = open_balance(engine, card.company_id)
    return card


def open_balance(engine: Engine, company_id: int) -> tuple[float, int]:
    """What the company owes today: the unpaid part of its sent invoices, and how many have a balance (the
    contract's outstanding amount; "is Acme at risk, and do they owe us anything")."""
    paid = (
        select(func.coalesce(func.sum(Payment.amount), 0))
        .where(Payment.invoice_id == Invoice.id)
        .correlate(Invoice)
        .scalar_subquery()
    )
    owed = (Invoice.total - paid).label("owed")
    sent = select(owed).where(Invoice.company_id == company_id, Invoice.status == "sent").subquery()
    with engine.connect() as conn:
        total, count = conn.execute(
            select(
                func.coalesce(func.sum(sent.c.owed), 0),
                func.coalesce(func.sum(case((sent.c.owed > 0, 1))), 0),
            )
        ).one()
    return round(float(total), 2), int(count)
