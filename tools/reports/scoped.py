"""Reports under a data scope: accounts named outside it are refused in words, and answers say whose
accounts they count.

The rows themselves are filtered by the compiler (``build``: the asker's scope on the base table);
what this module adds is what a filter alone cannot say: that an account the question names is not
the asker's to see (a zero for it would look like a fact), and the scope in the answer's words.
"""

from __future__ import annotations

from sqlalchemy import Engine, select

from tools.reports.query import Query
from tools.scope import DataScope

# dimensions whose values name accounts (companies.name); a lead's company_name is free text
ACCOUNT_DIMENSIONS = ("customer",)
UNKNOWN_ASKER = (
    "I don't know which CRM user you are, so I can't tell which accounts you may see. "
    "Ask as a CRM user (in Slack, or with --as EMAIL)."
)


def outside_scope(query: Query, engine: Engine, scope: DataScope) -> str | None:
    """The refusal when ``query`` names an account outside ``scope``; None when it names none."""
    from tools.reports import semantic

    if scope.is_all:
        return None
    if scope.kind == "none":
        return UNKNOWN_ASKER
    model = semantic.model()
    base = model.base_of(query.metric)
    names = sorted(
        {
            value
            for flt in query.filters
            if flt.dimension in ACCOUNT_DIMENSIONS and not flt.negate
            for value in flt.values
        }
    )
    if not names or model.dimension_for("customer", base) is None:
        return None
    if model.dimension_column("customer", base) != "companies.name":
        return None
    companies = model.sql_tables["companies"]
    with engine.connect() as conn:
        rows = conn.execute(
            select(companies.c.name, companies.c.owner_id).where(companies.c.name.in_(names))
        ).all()
    owners: dict[str, list] = {}
    for row in rows:
        owners.setdefault(row.name, []).append(row.owner_id)
    for name in names:
        found = owners.get(name)
        if found and not any(scope.sees_owner(owner) for owner in found):
            return scope.not_yours(name)
    return None


def scope_words(scope: DataScope | None) -> str | None:
    """ "only the accounts you own (your data scope)", or None when the asker sees everything."""
    if scope is None or scope.is_all:
        return None
    return f"only {scope.describe()} (your data scope)"
