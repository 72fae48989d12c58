"""Who sees what: a person's data scope, computed once from their role and the settings.

A scope is the set of CRM users whose accounts a person may see: everyone (``all``), the
users of their team (``team``) or themselves (``own``). An account is a company whose
``companies.owner_id`` is one of them; what hangs off it (deals, invoices, payments, tickets,
activities, contacts, insights, and the lines of its deals and invoices) follows it; a lead
follows its own ``leads.owner_id``. Users and products are not scoped (a rep's name is no
secret); people data (emails, phones, Slack ids) is a separate right, ``people``.

Every tool applies the scope before its SQL is built, with the row filters here: one
definition for the report compiler, the rewrite of people's own SQL (``guard_scope``), and the
look-ups of cards, lists and invoices.

Roles: admins see all; managers ``CRMBOT_MANAGER_SCOPE`` (all or team); everyone else
``CRMBOT_REP_SCOPE`` (all, team or own). A team scope for someone without a team is their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Table, and_, false, or_, select
from sqlalchemy.sql import ColumnElement

from tools.actor import Actor

Kind = Literal["all", "team", "own", "none"]

NOT_YOURS = "That account is not yours to see"

# how each contract table's rows belong to an account (or, for leads, to a person)
OWNED = ("companies", "leads")  # by their own owner_id
BY_COMPANY = (
    "contacts",
    "deals",
    "invoices",
    "payments",
    "activities",
    "support_tickets",
    "customer_insights",
)
BY_PARENT = {"deal_line_items": ("deal_id", "deals"), "invoice_lines": ("invoice_id", "invoices")}
SCOPED_TABLES = frozenset(OWNED + BY_COMPANY + tuple(BY_PARENT))


@dataclass(frozen=True)
class DataScope:
    """The users whose accounts a person sees (``kind`` all: everyone), and whether they read people data."""

    kind: Kind = "all"
    user_ids: frozenset[int] = frozenset()
    team: str | None = None
    people: bool = True  # may read people data (emails, phones, Slack ids)
    me: int | None = (
        None  # the asker's CRM user: without ``people``, they still read it on the records they own
    )

    @property
    def is_all(self) -> bool:
        return self.kind == "all"

    def sees_owner(self, owner_id: int | None) -> bool:
        """Whether an account (or lead) owned by ``owner_id`` is in this scope."""
        return self.is_all or (owner_id is not None and int(owner_id) in self.user_ids)

    def describe(self) -> str:
        """The scope in words, for answers: "the accounts you own"."""
        if self.kind == "team":
            return f"the accounts of the {self.team} team" if self.team else "your team's accounts"
        if self.kind == "own":
            return "the accounts you own"
        if self.kind == "none":
            return "no accounts (the CRM does not know who you are)"
        return "all accounts"

    def not_yours(self, name: str | None = None, what: str = "account") -> str:
        """The refusal for a record outside the scope: never "no data", which would look like a fact."""
        head = NOT_YOURS if what == "account" else f"That {what} is not yours to see"
        about = f" ({name})" if name else ""
        covers = self.describe() if what == "account" else self.describe().replace("accounts", f"{what}s")
        return f"{head}{about}: your data scope covers {covers}. Ask your manager or an admin."

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "user_ids": sorted(self.user_ids),
            "team": self.team,
            "people": self.people,
        }


EVERYTHING = DataScope()


def role_scope(actor: Actor, settings=None) -> Kind:
    """The scope kind a person's role gets under the settings (before their team is looked up)."""
    settings = settings or _settings()
    if actor.role == "admin":
        return "all"
    kind = settings.manager_scope if actor.role == "manager" else settings.rep_scope
    if kind != "all" and actor.user_id is None:
        return "none"
    if kind == "team" and not actor.team:
        return "own"
    return kind


def may_read_people(actor: Actor, settings=None) -> bool:
    settings = settings or _settings()
    return (actor.role or "").lower() in settings.people_roles


def load_scope(bind, actor: Actor, settings=None) -> DataScope:
    """The asker's scope: one look-up of their team's users when the scope is a team's.

    ``bind`` is an Engine or a Connection, or a function that gives one (called only for a team)."""
    settings = settings or _settings()
    kind = role_scope(actor, settings)
    people = may_read_people(actor, settings)
    me = int(actor.user_id) if actor.user_id is not None else None
    if kind == "all":
        return DataScope("all", people=people, me=me)
    if kind == "none":
        return DataScope("none", people=people, me=me)
    if kind == "own":
        return DataScope("own", frozenset({int(actor.user_id)}), people=people, me=me)
    from db.models import User

    query = select(User.id).where(User.team == actor.team)
    if callable(bind) and not hasattr(bind, "execute"):
        bind = bind()
    if hasattr(bind, "connect"):
        with bind.connect() as conn:
            ids = set(conn.execute(query).scalars())
    else:
        ids = set(bind.execute(query).scalars())
    ids.add(int(actor.user_id))
    return DataScope("team", frozenset(int(i) for i in ids), team=actor.team, people=people, me=me)


def _settings():
    from crmbot.settings import get_settings

    return get_settings()


# --------------------------------------------------------------------------- row filters


def contract_tables() -> Mapping[str, Table]:
    """The contract's tables under the names the semantic model maps them to."""
    from tools.reports import semantic

    return semantic.model().sql_tables


def orm_tables() -> Mapping[str, Table]:
    """The contract's tables under the contract's names (the tools that write through crmbot's models)."""
    from db.models import CONTRACT_TABLES, Base

    return {name: Base.metadata.tables[name] for name in CONTRACT_TABLES}


def row_filter(
    table: str, scope: DataScope, tables: Mapping[str, Table] | None = None
) -> ColumnElement | None:
    """The condition that keeps ``table``'s rows inside ``scope`` (None: no condition).

    The inner look-ups use aliases of their own and never correlate, so the condition is right
    whatever else the statement it joins already selects from.
    """
    if scope.is_all or table not in SCOPED_TABLES:
        return None
    if scope.kind == "none":
        return false()
    tables = tables if tables is not None else contract_tables()
    target = tables[table]
    ids = sorted(scope.user_ids)
    if table in OWNED:
        return target.c.owner_id.in_(ids)
    if table in BY_COMPANY:
        visible = visible_company_ids(scope, tables)
        if table == "payments":  # a payment without a company belongs to its invoice's
            invoices = tables["invoices"].alias("scope_invoices")
            via_invoice = select(invoices.c.id).where(invoices.c.company_id.in_(visible)).correlate(None)
            return or_(
                target.c.company_id.in_(visible),
                and_(target.c.company_id.is_(None), target.c.invoice_id.in_(via_invoice)),
            )
        return target.c.company_id.in_(visible)
    column, parent = BY_PARENT[table]
    parent_table = tables[parent].alias(f"scope_{parent}")
    parent_filter = _on_alias(parent, parent_table, scope, tables)
    return target.c[column].in_(select(parent_table.c.id).where(parent_filter).correlate(None))


def visible_company_ids(scope: DataScope, tables: Mapping[str, Table] | None = None):
    """SELECT of the ids of the companies in ``scope`` (a subquery for IN)."""
    tables = tables if tables is not None else contract_tables()
    companies = tables["companies"].alias("scope_companies")
    return select(companies.c.id).where(companies.c.owner_id.in_(sorted(scope.user_ids))).correlate(None)


def _on_alias(table: str, alias, scope: DataScope, tables: Mapping[str, Table]) -> ColumnElement:
    """``row_filter`` for an aliased parent table (the lines of deals and invoices)."""
    return alias.c.company_id.in_(visible_company_ids(scope, tables))


def scoped_select(
    table: str, scope: DataScope, *, people: bool = True, tables: Mapping[str, Table] | None = None
):
    """SELECT of ``table``'s rows in ``scope``, with every column, or without its people data."""
    from tools.reports import semantic

    tables = tables if tables is not None else contract_tables()
    target = tables[table]
    hidden = (
        set()
        if people
        else {ref.split(".", 1)[1] for ref in semantic.model().people_columns if ref.startswith(f"{table}.")}
    )
    columns = [c for c in target.columns if c.key not in hidden]
    stmt = select(*columns)
    condition = row_filter(table, scope, tables)
    return stmt.where(condition) if condition is not None else stmt


# --------------------------------------------------------------------------- single records


def company_problem(bind, scope: DataScope, company_id: int | None, name: str | None = None) -> str | None:
    """None when company ``company_id`` is in ``scope``; else the refusal in words."""
    if scope.is_all:
        return None
    if company_id is None:
        return scope.not_yours(name)
    from db.models import Company

    query = select(Company.owner_id, Company.name).where(Company.id == company_id)
    row = _first(bind, query)
    if row is None or not scope.sees_owner(row.owner_id):
        return scope.not_yours(name or (row.name if row is not None else None))
    return None


def actor_company_problem(bind, actor: Actor, company_id: int | None, name: str | None = None) -> str | None:
    """``company_problem`` for ``actor``'s scope (looked up only when their role is scoped)."""
    if role_scope(actor) == "all":
        return None
    return company_problem(bind, load_scope(bind, actor), company_id, name)


def lead_problem(bind, scope: DataScope, lead_id: int) -> str | None:
    if scope.is_all:
        return None
    from db.models import Lead

    row = _first(bind, select(Lead.owner_id).where(Lead.id == lead_id))
    if row is None or not scope.sees_owner(row.owner_id):
        return scope.not_yours(f"lead {lead_id}", what="lead")
    return None


def invoice_company(bind, invoice_id: int) -> int | None:
    from db.models import Invoice

    row = _first(bind, select(Invoice.company_id).where(Invoice.id == invoice_id))
    return row.company_id if row is not None else None


def deal_company(bind, deal_id: int) -> int | None:
    from db.models import Deal

    row = _first(bind, select(Deal.company_id).where(Deal.id == deal_id))
    return row.company_id if row is not None else None


def visible_companies(bind, scope: DataScope, company_ids) -> set[int]:
    """Which of ``company_ids`` are in ``scope``."""
    ids = {int(i) for i in company_ids if i is not None}
    if scope.is_all or not ids:
        return ids
    from db.models import Company

    query = select(Company.id).where(
        Company.id.in_(sorted(ids)), Company.owner_id.in_(sorted(scope.user_ids))
    )
    if hasattr(bind, "connect"):
        with bind.connect() as conn:
            return set(conn.execute(query).scalars())
    return set(bind.execute(query).scalars())


def visible_names(bind, scope: DataScope, names: list[str]) -> list[str]:
    """The company names among ``names`` that name at least one company in ``scope``, in order."""
    if scope.is_all or not names:
        return list(names)
    from db.models import Company

    query = select(Company.name).where(
        Company.name.in_(list(names)), Company.owner_id.in_(sorted(scope.user_ids))
    )
    if hasattr(bind, "connect"):
        with bind.connect() as conn:
            seen = set(conn.execute(query).scalars())
    else:
        seen = set(bind.execute(query).scalars())
    return [n for n in names if n in seen]


def visible_duplicate_pairs(engine, scope: DataScope, matches: list) -> list:
    """Only the duplicate pairs (``invoice_id``, ``duplicate_of``) whose two invoices are both in ``scope``."""
    if scope.is_all or not matches:
        return matches
    from db.models import Invoice

    ids = sorted({i for m in matches for i in (m.invoice_id, m.duplicate_of)})
    with engine.connect() as conn:
        company_of = dict(
            conn.execute(select(Invoice.id, Invoice.company_id).where(Invoice.id.in_(ids))).all()
        )
    seen = visible_companies(engine, scope, company_of.values())
    return [
        m for m in matches if company_of.get(m.invoice_id) in seen and company_of.get(m.duplicate_of) in seen
    ]


def _first(bind, query):
    if hasattr(bind, "connect"):
        with bind.connect() as conn:
            return conn.execute(query).first()
    return bind.execute(query).first()
