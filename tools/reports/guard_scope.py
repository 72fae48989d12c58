"""The asker's data scope on SQL a person (or the language model) wrote: applied to the checked tree.

After the guard has checked a query (tools/reports/guard.py), every reference to a CRM table is
replaced by the asker's rows of it: ``FROM deals d`` becomes ``FROM (SELECT ... FROM deals WHERE
<the scope's condition>) AS d``, in subqueries and CTEs as much as at the top. The conditions are
the ones the report compiler uses (tools/scope.py ``row_filter``), rendered for the database's
dialect. Someone who may not read people data gets the people columns (semantic model
``tables.<t>.people``) refused in words when the query names them, and left out of what ``*`` gives.

It fails closed: a reference to a CRM table that is not inside one of the replacements after the
rewrite refuses the query.
"""

from __future__ import annotations

from collections.abc import Callable
from weakref import WeakKeyDictionary

from sqlglot import exp, parse_one
from sqlglot.optimizer.scope import Scope, traverse_scope

from tools.reports.guard import DIALECTS, GuardError
from tools.scope import SCOPED_TABLES, DataScope

MARK = "crmbot_scope"  # set on the subqueries this module puts in place
_TREES: WeakKeyDictionary = WeakKeyDictionary()  # per semantic model: (table, scope, dialect) -> SELECT


def scope_rewriter(scope: DataScope | None, dialect) -> Callable[[exp.Query], exp.Query] | None:
    """The rewrite for ``scope`` on a database of SQLAlchemy ``dialect``; None when nothing changes."""
    if scope is None or (scope.is_all and scope.people):
        return None
    if scope.kind == "none":

        def refuse(tree: exp.Query) -> exp.Query:
            from tools.reports.scoped import UNKNOWN_ASKER

            raise GuardError(UNKNOWN_ASKER)

        return refuse
    return lambda tree: apply_scope(tree, scope, dialect)


def apply_scope(tree: exp.Query, scope: DataScope, dialect) -> exp.Query:
    """``tree`` reading only ``scope``'s rows (and no people data unless ``scope.people``)."""
    from tools.reports import semantic

    model = semantic.model()
    by_physical = {t.name.lower(): name for name, t in model.sql_tables.items()}
    people = {} if scope.people else model.physical_people_columns
    if people:
        refuse_people_columns(tree, people)
    replaced: list[exp.Subquery] = []
    for table in real_table_sources(tree):
        contract = by_physical.get(table.name.lower())
        if contract is None or not _needs_replacing(contract, scope, people, table.name.lower()):
            continue
        alias = table.alias_or_name
        select = _scoped_tree(model, contract, scope, dialect.name)
        subquery = exp.Subquery(this=select.copy(), alias=exp.TableAlias(this=exp.to_identifier(alias)))
        subquery.meta[MARK] = True
        table.replace(subquery)
        replaced.append(subquery)
    _check_all_replaced(tree, scope, people, by_physical)
    return tree


def _needs_replacing(contract: str, scope: DataScope, people: dict, physical: str) -> bool:
    return (not scope.is_all and contract in SCOPED_TABLES) or physical in people


def real_table_sources(tree: exp.Expression) -> list[exp.Table]:
    """Every table node that reads a database table (not a CTE), once each."""
    found: dict[int, exp.Table] = {}
    for sc in _scopes(tree):
        for source in sc.sources.values():
            if isinstance(source, exp.Table):
                found[id(source)] = source
    return list(found.values())


def refuse_people_columns(tree: exp.Expression, people: dict[str, frozenset[str]]) -> None:
    """GuardError when the query names a people-data column of a table it reads."""
    for sc in _scopes(tree):
        for column in sc.columns:
            if isinstance(column.this, exp.Star):
                continue
            name = column.name.lower()
            for table in _tables_holding(sc, column):
                if name in people.get(table.name.lower(), ()):
                    raise GuardError(people_refusal(table.name, column.name))


def people_refusal(table: str, column: str) -> str:
    from crmbot.settings import get_settings

    roles = sorted(get_settings().people_roles)
    who = " and ".join(f"{r}s" for r in roles) if roles else "nobody"
    return (
        f"{table}.{column} is people data (emails, phones, Slack ids), which only {who} may read. "
        "Leave it out of your query; names and ids are fine."
    )


def _tables_holding(sc: Scope, column: exp.Column) -> list[exp.Table]:
    """The database tables a column may come from: its qualifier's, else any table of its scopes."""
    qualifier = column.table.lower()
    current: Scope | None = sc
    found = []
    while current is not None:
        for alias, source in current.sources.items():
            if isinstance(source, exp.Table) and (not qualifier or alias.lower() == qualifier):
                found.append(source)
        if qualifier and found:
            return found
        current = current.parent
    return found


def _check_all_replaced(tree: exp.Expression, scope: DataScope, people: dict, by_physical: dict) -> None:
    """Fail closed: every reference to a scoped (or people) table must now be inside a replacement."""
    cte_names = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    for table in tree.find_all(exp.Table):
        physical = table.name.lower()
        contract = by_physical.get(physical)
        if contract is None or not _needs_replacing(contract, scope, people, physical):
            continue
        if _inside_replacement(table):
            continue
        if physical in cte_names:
            raise GuardError(
                f"Your query names a CTE {table.name}, like the CRM table; please give the CTE another name "
                "so that I can apply your data scope."
            )
        raise GuardError("I could not apply your data scope to this query; please write it more simply.")


def _inside_replacement(node: exp.Expression) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, exp.Subquery) and parent.meta.get(MARK):
            return True
        parent = parent.parent
    return False


def _scopes(tree: exp.Expression) -> list[Scope]:
    try:
        return traverse_scope(tree)
    except Exception as exc:  # noqa: BLE001 - the guard has checked it already; be safe anyway
        raise GuardError(
            "I could not understand the query's structure well enough to apply your data scope."
        ) from exc


def _scoped_tree(model, contract: str, scope: DataScope, dialect_name: str) -> exp.Select:
    """The SELECT of one table's rows in a scope, as a sqlglot tree for the dialect (kept per model)."""
    key = (contract, scope.is_all, scope.user_ids, scope.people, dialect_name)
    trees = _TREES.setdefault(model, {})
    if key not in trees:
        if len(trees) > 256:
            trees.clear()
        trees[key] = _render(contract, scope, dialect_name)
    return trees[key]


def _render(contract: str, scope: DataScope, dialect_name: str) -> exp.Select:
    from sqlalchemy.dialects import postgresql, sqlite

    from tools.scope import scoped_select

    stmt = scoped_select(contract, scope, people=scope.people)
    sa_dialect = {"sqlite": sqlite.dialect(), "postgresql": postgresql.dialect()}.get(dialect_name)
    if sa_dialect is None:
        raise GuardError(f"I can't apply a data scope to SQL on a {dialect_name} database.")
    text = str(stmt.compile(dialect=sa_dialect, compile_kwargs={"literal_binds": True}))
    return parse_one(text, read=DIALECTS.get(dialect_name, dialect_name))
