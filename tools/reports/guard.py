"""The SQL guard: only one read-only SELECT over the contract's tables may pass.

SQL written by an LLM or typed by a manager is parsed with sqlglot and checked as a tree,
never as text: exactly one statement, a query at the root, nothing that writes or changes
the schema anywhere (CTEs and subqueries included), only the data contract's tables and
columns, only functions on an allow-list, and a row limit. What passes is re-generated
from the tree (comments dropped), so what runs is exactly what was checked.

Every refusal is a ``GuardError`` whose message tells the user what to change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Mapping

from sqlglot import exp, parse
from sqlglot.errors import ParseError, TokenError
from sqlglot.optimizer.scope import Scope, traverse_scope

logging.getLogger("sqlglot").setLevel(logging.ERROR)  # its parse-fallback warnings are our refusals

DEFAULT_ROW_LIMIT = 5000

DIALECTS = {"sqlite": "sqlite", "postgresql": "postgres", "postgres": "postgres"}

# Nodes that write, change the schema, run commands or change the session: refused anywhere.
FORBIDDEN_NODES: tuple[type[exp.Expression], ...] = tuple(
    getattr(exp, name)
    for name in (
        "Insert",
        "Update",
        "Delete",
        "Merge",
        "Create",
        "Drop",
        "Alter",
        "TruncateTable",
        "Command",
        "Pragma",
        "Set",
        "Attach",
        "Detach",
        "Transaction",
        "Commit",
        "Rollback",
        "Grant",
        "Revoke",
        "Copy",
        "Into",
        "Use",
        "Describe",
        "Kill",
        "LoadData",
        "Analyze",
        "Cache",
        "Uncache",
        "Refresh",
        "Show",
        "Lock",
        "Comment",
        "Execute",
        "Declare",
        "Summarize",
        "Placeholder",
        "Parameter",
        "SessionParameter",
    )
    if hasattr(exp, name)
)

# Functions a report may call: aggregates, windows, math, text, dates and conditionals, in the
# spellings sqlglot gives them for SQLite and PostgreSQL. Anything else (pg_sleep, pg_read_file,
# lo_import, dblink, set_config, load_extension, readfile, randomblob...) is refused.
ALLOWED_FUNCTIONS = frozenset(
    [
        "AND",
        "OR",
        "XOR",
        "NOT",
        "EXISTS",
        "CASE",
        "IF",
        "IIF",
        "CAST",
        "TRY_CAST",
        "COALESCE",
        "IFNULL",
        "NULLIF",
        "NVL",
        "GREATEST",
        "LEAST",
        "COUNT",
        "COUNT_IF",
        "COUNTIF",
        "SUM",
        "TOTAL",
        "AVG",
        "MIN",
        "MAX",
        "GROUP_CONCAT",
        "STRING_AGG",
        "ARRAY_AGG",
        "STDDEV",
        "STDDEV_POP",
        "STDDEV_SAMP",
        "VARIANCE",
        "VARIANCE_POP",
        "VAR_POP",
        "VAR_SAMP",
        "CORR",
        "COVAR_POP",
        "COVAR_SAMP",
        "PERCENTILE_CONT",
        "PERCENTILE_DISC",
        "MEDIAN",
        "MODE",
        "LOGICAL_AND",
        "LOGICAL_OR",
        "BOOL_AND",
        "BOOL_OR",
        "EVERY",
        "ROW_NUMBER",
        "RANK",
        "DENSE_RANK",
        "PERCENT_RANK",
        "CUME_DIST",
        "NTILE",
        "LAG",
        "LEAD",
        "FIRST_VALUE",
        "LAST_VALUE",
        "NTH_VALUE",
        "ABS",
        "ROUND",
        "CEIL",
        "CEILING",
        "FLOOR",
        "SIGN",
        "SQRT",
        "POWER",
        "POW",
        "EXP",
        "LN",
        "LOG",
        "LOG10",
        "LOG2",
        "MOD",
        "DIV",
        "SAFE_DIVIDE",
        "TRUNC",
        "RAND",
        "RANDOM",
        "PI",
        "LOWER",
        "UPPER",
        "LENGTH",
        "CHAR_LENGTH",
        "CHARACTER_LENGTH",
        "TRIM",
        "LTRIM",
        "RTRIM",
        "SUBSTRING",
        "SUBSTR",
        "REPLACE",
        "CONCAT",
        "CONCAT_WS",
        "STR_POSITION",
        "INSTR",
        "STRPOS",
        "LEFT",
        "RIGHT",
        "PAD",
        "LPAD",
        "RPAD",
        "INITCAP",
        "SPLIT_PART",
        "PRINTF",
        "FORMAT",
        "REVERSE",
        "TYPEOF",
        "DATE",
        "TIME",
        "DATETIME",
        "JULIANDAY",
        "STRFTIME",
        "UNIXEPOCH",
        "TIME_TO_STR",
        "STR_TO_TIME",
        "STR_TO_DATE",
        "TS_OR_DS_TO_DATE",
        "TS_OR_DS_TO_TIMESTAMP",
        "TIMESTAMP_TRUNC",
        "DATE_TRUNC",
        "DATETIME_TRUNC",
        "DATE_PART",
        "EXTRACT",
        "TO_CHAR",
        "TO_DATE",
        "TO_TIMESTAMP",
        "AGE",
        "MAKE_DATE",
        "DATE_ADD",
        "DATE_SUB",
        "DATE_DIFF",
        "DATEDIFF",
        "TS_OR_DS_ADD",
        "TS_OR_DS_DIFF",
        "CURRENT_DATE",
        "CURRENT_TIMESTAMP",
        "CURRENT_TIME",
        "NOW",
        "TIME_STR_TO_TIME",
        "TIME_STR_TO_DATE",
        "UNIX_TO_TIME",
        "TIME_TO_UNIX",
        "STR_TO_UNIX",
        "DAY",
        "MONTH",
        "YEAR",
        "QUARTER",
        "WEEK",
        "DAY_OF_WEEK",
        "DAY_OF_YEAR",
        "WEEK_OF_YEAR",
        "LAST_DAY",
        "DATE_FROM_PARTS",
        "DATE_STR_TO_DATE",
        "DATE_TO_DATE_STR",
    ]
)

SYSTEM_PREFIXES = ("sqlite_", "pg_", "information_schema", "mysql", "sys", "crmbot_")


class GuardError(ValueError):
    """SQL the guard will not run; the message says why and what to do instead."""


def check(
    sql: str,
    dialect: str = "sqlite",
    *,
    row_limit: int = DEFAULT_ROW_LIMIT,
    allowed: Mapping[str, Collection[str]] | None = None,
    rewrite: Callable[[exp.Query], exp.Query] | None = None,
) -> str:
    """The SQL to run (re-generated for ``dialect``, LIMIT at most ``row_limit``), or GuardError.

    ``rewrite`` changes the checked tree before the LIMIT (the asker's data scope: guard_scope)."""
    if allowed is None:
        from tools.reports import semantic

        allowed = semantic.model().allowed_columns
    dialect = DIALECTS.get(dialect, dialect)
    tables = {t.lower(): {c.lower() for c in cols} for t, cols in allowed.items()}
    try:
        check_input_limits(sql, dialect)
        tree = parse_single(sql, dialect)
        reject_forbidden_nodes(tree)
        reject_functions(tree)
        check_value_limits(tree)
        check_tables_and_columns(tree, tables)
        if rewrite is not None:
            tree = rewrite(tree)
        limit_rows(tree, row_limit)
        return tree.sql(dialect=dialect, comments=False)
    except RecursionError as exc:
        raise GuardError("That query is nested too deeply for me to check; please flatten it.") from exc


def check_input_limits(sql: str, dialect: str) -> None:
    """The text's size, characters and nesting, before it is parsed (see guard_limits)."""
    from tools.reports.guard_limits import LimitError, check_text

    if not isinstance(sql, str) or not sql.strip():
        raise GuardError("There is no SQL to run: please write one SELECT query.")
    try:
        check_text(sql, dialect)
    except LimitError as exc:
        raise GuardError(str(exc)) from exc


def check_value_limits(tree: exp.Expression) -> None:
    """No recursive CTE, and small literal widths for functions that build long text."""
    from tools.reports.guard_limits import LimitError, check_value_builders

    try:
        check_value_builders(tree)
    except LimitError as exc:
        raise GuardError(str(exc)) from exc


def parse_single(sql: str, dialect: str) -> exp.Query:
    """Exactly one statement, and a query (SELECT, UNION, INTERSECT, EXCEPT, WITH ... SELECT)."""
    if not isinstance(sql, str) or not sql.strip():
        raise GuardError("There is no SQL to run: please write one SELECT query.")
    try:
        # a trailing comment after the last ";" comes back as an empty Semicolon statement
        statements = [
            s for s in parse(sql, read=dialect) if s is not None and not isinstance(s, exp.Semicolon)
        ]
    except (ParseError, TokenError) as exc:
        raise GuardError(f"I could not read that SQL: {_first_line(exc)}") from exc
    if not statements:
        raise GuardError("There is no SQL to run: please write one SELECT query.")
    if len(statements) > 1:
        raise GuardError(f"That is {len(statements)} statements; I run exactly one SELECT query at a time.")
    tree = statements[0]
    if isinstance(tree, FORBIDDEN_NODES):
        raise GuardError(
            f"Only SELECT queries can run here, not {_statement_kind(tree)}; reports never change data."
        )
    if not isinstance(tree, exp.Query):
        raise GuardError("Only SELECT queries can run here, and that is not one.")
    return tree


def reject_forbidden_nodes(tree: exp.Expression) -> None:
    """No write, schema change, command or session change anywhere in the tree."""
    node = tree.find(*FORBIDDEN_NODES)
    if node is None:
        return
    if isinstance(node, exp.Into):
        raise GuardError("SELECT ... INTO creates a table; reports only read. Remove the INTO clause.")
    if isinstance(node, (exp.Placeholder, exp.Parameter, exp.SessionParameter)):
        raise GuardError(f"Parameters such as {node.sql()} are not supported; write the value itself.")
    if isinstance(node, exp.Lock):
        raise GuardError("Locking clauses (FOR UPDATE / FOR SHARE) are not allowed in reports.")
    raise GuardError(
        f"The query contains {_statement_kind(node)}, which changes data or settings; "
        "only plain SELECT queries can run here."
    )


def reject_functions(tree: exp.Expression) -> None:
    """Only functions on the allow-list; named refusals for the well-known dangerous ones."""
    for func in tree.find_all(exp.Func):
        name = function_name(func)
        if name.upper() not in ALLOWED_FUNCTIONS:
            raise GuardError(
                f"The function {name} is not allowed in reports. "
                "Use aggregates (SUM, COUNT, AVG...), date, text and math functions only."
            )


def function_name(func: exp.Func) -> str:
    if isinstance(func, exp.Anonymous):
        return str(func.this)
    return func.sql_name()


def check_tables_and_columns(tree: exp.Expression, tables: Mapping[str, set[str]]) -> None:
    """Every table is a contract table (or a CTE/alias of this query); every column exists."""
    cte_names = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    for table in tree.find_all(exp.Table):
        _check_table_node(table, tables, cte_names)
    try:
        scopes = traverse_scope(tree)
    except Exception as exc:  # noqa: BLE001 - sqlglot's scope errors are about malformed queries
        raise GuardError(f"I could not understand the query's structure: {_first_line(exc)}") from exc
    for scope in scopes:
        for source in scope.sources.values():
            if isinstance(source, exp.Table):
                _check_table_name(source.name.lower(), tables, cte_names=set())
        for column in _own_columns(scope):
            _check_column(column, scope, tables)


def limit_rows(tree: exp.Query, row_limit: int) -> None:
    """Apply LIMIT row_limit, or lower an existing literal LIMIT that is larger."""
    limit = tree.args.get("limit")
    current = None
    if isinstance(limit, exp.Limit) and isinstance(limit.expression, exp.Literal):
        try:
            current = int(limit.expression.name)
        except ValueError:
            current = None
    if current is not None and 0 <= current <= row_limit:
        return
    tree.set("limit", exp.Limit(expression=exp.Literal.number(row_limit)))


# --------------------------------------------------------------------------- helpers


def _check_table_node(table: exp.Table, tables: Mapping[str, set[str]], cte_names: set[str]) -> None:
    if not isinstance(table.this, exp.Identifier):
        name = function_name(table.this) if isinstance(table.this, exp.Func) else table.this.sql()
        raise GuardError(f"Table functions such as {name} are not allowed; select from the CRM tables.")
    qualified = [part.name for part in (table.args.get("catalog"), table.args.get("db")) if part]
    if qualified:
        full = ".".join([*qualified, table.name])
        if any(_is_system(q.lower()) for q in qualified):
            raise GuardError(f"System catalogs ({full}) are not available to reports.")
        raise GuardError(f"Use the table name alone, without a schema: {table.name} rather than {full}.")
    _check_table_name(table.name.lower(), tables, cte_names)


def _check_table_name(name: str, tables: Mapping[str, set[str]], cte_names: set[str]) -> None:
    if name in tables or name in cte_names:
        return
    if _is_system(name) and not name.startswith("crmbot_"):
        raise GuardError(f"System catalogs ({name}) are not available to reports.")
    raise GuardError(
        f"Unknown table {name}{_did_you_mean(name, tables)}. Tables: {', '.join(sorted(tables))}."
    )


def _is_system(name: str) -> bool:
    return name.startswith(SYSTEM_PREFIXES)


def _own_columns(scope: Scope) -> Iterable[exp.Column]:
    """The columns written in this scope itself (scope.columns also lists correlated inner ones)."""
    for column in scope.columns:
        if column.find_ancestor(exp.Select, exp.SetOperation) is scope.expression:
            yield column


def _check_column(column: exp.Column, scope: Scope, tables: Mapping[str, set[str]]) -> None:
    name = column.name.lower()
    if isinstance(column.this, exp.Star):
        name = "*"
    qualifier = column.table.lower()
    if qualifier:
        source = _find_source(scope, qualifier)
        if source is None:
            raise GuardError(f"Unknown table or alias {column.table} in {column.sql()}.")
        known, open_ended = _source_columns(source, tables)
        if name == "*" or open_ended or name in known:
            return
        table_label = source.name.lower() if isinstance(source, exp.Table) else qualifier
        raise GuardError(f"Unknown column {table_label}.{column.name}{_did_you_mean(name, known)}.")
    if name in _output_names_usable_by(column, scope):
        return
    candidates: set[str] = set()
    current: Scope | None = scope
    while current is not None:
        holders = []
        for alias, (_node, source) in current.selected_sources.items():
            known, open_ended = _source_columns(source, tables)
            if open_ended:
                return
            if name in known:
                holders.append(alias)
            candidates |= known
        if len(holders) > 1:
            spelled = " or ".join(f"{alias}.{column.name}" for alias in holders)
            raise GuardError(f"Column {column.name} is in more than one table here: write {spelled}.")
        if holders:
            return
        current = current.parent
    if name in candidates:
        return
    raise GuardError(f"Unknown column {column.name}{_did_you_mean(name, candidates)}.")


def _find_source(scope: Scope, qualifier: str):
    current: Scope | None = scope
    while current is not None:
        for alias, source in current.sources.items():
            if alias.lower() == qualifier:
                return source
        current = current.parent
    return None


def _source_columns(source, tables: Mapping[str, set[str]]) -> tuple[set[str], bool]:
    """(known column names, open-ended?) of a table or a sub-scope (CTE, derived table)."""
    if isinstance(source, exp.Table):
        return set(tables.get(source.name.lower(), ())), False
    if isinstance(source, Scope):
        node = source.expression
        holder = node.parent
        alias = holder.args.get("alias") if isinstance(holder, (exp.CTE, exp.Subquery)) else None
        if isinstance(alias, exp.TableAlias) and alias.columns:
            return {c.name.lower() for c in alias.columns}, False
        if not isinstance(node, exp.Query):
            return set(), True  # VALUES, UNNEST...: let the database check
        selects = node.selects
        star = any(
            isinstance(s, exp.Star) or isinstance(s.unalias(), exp.Column) and s.name == "*" for s in selects
        )
        return {n.lower() for n in node.named_selects}, star
    return set(), True


def _output_names_usable_by(column: exp.Column, scope: Scope) -> set[str]:
    """Output names a column may refer to: a SELECT's aliases outside its select list (ORDER BY,
    GROUP BY, HAVING), or a UNION's output columns in its ORDER BY."""
    node = scope.expression
    if isinstance(node, exp.SetOperation):
        return {n.lower() for n in node.named_selects}
    if not isinstance(node, exp.Select):
        return set()
    select_list = {id(s) for s in node.selects}
    ancestor = column
    while ancestor is not None and ancestor is not node:
        if id(ancestor) in select_list:
            return set()
        ancestor = ancestor.parent
    return {s.alias.lower() for s in node.selects if isinstance(s, exp.Alias)}


def _did_you_mean(name: str, choices: Iterable[str]) -> str:
    from rapidfuzz import fuzz, process

    options = [c for c in choices if c and c != "*"]
    if not options:
        return ""
    best = process.extractOne(name, options, scorer=fuzz.WRatio, score_cutoff=60)
    return f" (did you mean {best[0]}?)" if best else ""


def _statement_kind(node: exp.Expression) -> str:
    if isinstance(node, exp.Command):
        return f"a {str(node.this).upper()} command"
    kind = type(node).__name__
    words = {"TruncateTable": "TRUNCATE", "Into": "SELECT INTO", "Set": "SET"}
    return f"a {words.get(kind, kind.upper())} statement"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    # sqlglot underlines the bad token with ANSI codes; keep the words only
    line = text[0] if text else type(exc).__name__
    return line.replace("\x1b[4m", "").replace("\x1b[0m", "")
