"""Limits the SQL guard checks before and after parsing, so that no input can make it or the
database build something huge.

Before parsing (``check_text``): the text's size, control characters (a NUL byte ends the
statement early in PostgreSQL's driver, dropping the LIMIT after it), and the token count,
bracket depth and number of UNION parts, which bound the parser's time and recursion.
After parsing (``check_value_builders``): no recursive CTEs (a row can double its size on each
step) and only small, literal widths for the functions that make long text out of short
(LPAD/RPAD, PRINTF/FORMAT, CHAR(n) casts), and no value built from more than MAX_GROWTH inputs
(``||`` and CONCAT chains, lengthening REPLACE calls, and CTEs built on one another multiply).
The database caps every value's size as well (see ``tools.reports.execute``); these checks
refuse such queries up front, with words.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import zip_longest

from sqlglot import exp
from sqlglot.errors import TokenError
from sqlglot.optimizer.scope import Scope, traverse_scope

MAX_SQL_CHARS = 10_000  # a long hand-written report query is ~3,000 characters
MAX_TOKENS = 3_000
MAX_NESTING = 32  # brackets inside brackets; sqlglot's recursive parser fails near 48
MAX_SET_OPERATIONS = 50  # UNION / INTERSECT / EXCEPT parts
MAX_WIDTH = 1_000  # characters one LPAD/RPAD/PRINTF/FORMAT/CHAR(n) may produce
MAX_GROWTH = 100  # how many of its inputs one value may be built from (|| / CONCAT / REPLACE / CTEs)

_ALLOWED_CONTROLS = {"\t", "\n", "\r"}
_SET_TOKENS = {"UNION", "INTERSECT", "EXCEPT"}
# a printf / format directive: %[n$][flags][width][.precision]conversion
_DIRECTIVE = re.compile(
    r"%(?:\d+\$)?[-+ #0,!]*(?P<width>\*(?:\d+\$)?|\d+)?(?:\.(?P<precision>\*|\d+))?[a-zA-Z%]"
)
_WIDTH_FUNCTIONS = ("PRINTF", "FORMAT")


class LimitError(ValueError):
    """Input over one of the guard's limits; the guard turns it into a GuardError."""


def check_text(sql: str, dialect: str) -> None:
    """Size, characters, tokens, nesting and UNION parts of the raw text, before any parsing."""
    if len(sql) > MAX_SQL_CHARS:
        raise LimitError(
            f"That query is {len(sql):,} characters long; I check at most {MAX_SQL_CHARS:,}. "
            "Please write a shorter query."
        )
    bad = _first_control_character(sql)
    if bad is not None:
        raise LimitError(
            f"The query contains a control character ({bad}), which SQL text never needs. "
            "Please retype it without that character."
        )
    from sqlglot.dialects.dialect import Dialect

    try:
        tokens = Dialect.get_or_raise(dialect).tokenize(sql)
    except (TokenError, ValueError) as exc:
        raise LimitError(
            f"I could not read that SQL: {str(exc).splitlines()[0] if str(exc) else exc}"
        ) from exc
    if len(tokens) > MAX_TOKENS:
        raise LimitError(
            f"That query has {len(tokens):,} words and symbols; I check at most {MAX_TOKENS:,}. "
            "Please write a shorter query."
        )
    depth = deepest = set_operations = 0
    for token in tokens:
        kind = token.token_type.name
        if kind == "L_PAREN":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "R_PAREN":
            depth -= 1
        elif kind in _SET_TOKENS:
            set_operations += 1
    if deepest > MAX_NESTING:
        raise LimitError(
            f"That query nests brackets {deepest} deep; I allow at most {MAX_NESTING}. "
            "Please flatten it (a CTE with WITH helps)."
        )
    if set_operations + 1 > MAX_SET_OPERATIONS:
        raise LimitError(
            f"That query joins {set_operations + 1:,} SELECTs with UNION/INTERSECT/EXCEPT; "
            f"I allow at most {MAX_SET_OPERATIONS}."
        )


def check_value_builders(tree: exp.Expression) -> None:
    """No recursive CTE, small literal widths, and no value built from too many inputs."""
    _reject_recursive_ctes(tree)
    for node in tree.find_all(exp.Pad, exp.Func, exp.DataType):
        if isinstance(node, exp.Pad):
            _check_width_argument(node.args.get("expression"), "LPAD" if node.args.get("is_left") else "RPAD")
        elif isinstance(node, exp.DataType):
            _check_type_length(node)
        elif _function_name(node) in _WIDTH_FUNCTIONS:
            _check_format_call(node)
    _check_growth(tree)


# --------------------------------------------------------------------------- helpers


def _first_control_character(sql: str) -> str | None:
    for char in sql:
        if char in _ALLOWED_CONTROLS:
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cs") or char in "\u2028\u2029":
            return f"U+{ord(char):04X}"
    return None


def _reject_recursive_ctes(tree: exp.Expression) -> None:
    for with_ in tree.find_all(exp.With):
        if with_.args.get("recursive"):
            raise LimitError(
                "Recursive queries (WITH RECURSIVE) are not allowed in reports: they can grow without bound."
            )
    for cte in tree.find_all(exp.CTE):
        name = cte.alias_or_name.lower()
        if any(table.name.lower() == name for table in cte.this.find_all(exp.Table)):
            raise LimitError(
                f"The CTE {cte.alias_or_name} refers to itself, which makes it recursive; "
                "recursive queries are not allowed in reports."
            )


def _function_name(node: exp.Func) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.this).upper()
    return node.sql_name().upper()


def _literal_int(node: exp.Expression | None) -> int | None:
    """The integer a literal (or a negated literal) stands for, else None."""
    if isinstance(node, exp.Paren):
        return _literal_int(node.this)
    if isinstance(node, exp.Neg):
        inner = _literal_int(node.this)
        return None if inner is None else -inner
    if isinstance(node, exp.Literal) and not node.is_string:
        try:
            return int(float(node.name))
        except (ValueError, OverflowError):
            return None
    return None


def _check_width_argument(node: exp.Expression | None, function: str) -> None:
    width = _literal_int(node)
    if width is None:
        raise LimitError(
            f"The length of {function} must be written as a number (at most {MAX_WIDTH:,}), "
            "not computed, so that the result stays small."
        )
    if width > MAX_WIDTH:
        raise LimitError(
            f"{function} to {width:,} characters is too long; reports allow at most {MAX_WIDTH:,}."
        )


def _check_type_length(node: exp.DataType) -> None:
    for param in node.expressions:
        value = param.this if isinstance(param, exp.DataTypeParam) else param
        size = _literal_int(value)
        if size is not None and size > MAX_WIDTH:
            raise LimitError(
                f"A cast to {node.sql()} makes values of {size:,} characters; "
                f"reports allow at most {MAX_WIDTH:,}."
            )


def _check_format_call(node: exp.Func) -> None:
    """PRINTF / FORMAT: a literal format string whose widths and precisions are small numbers."""
    name = _function_name(node)
    if isinstance(node, exp.Anonymous):
        first = node.expressions[0] if node.expressions else None
    else:
        first = node.args.get("this")
    if not (isinstance(first, exp.Literal) and first.is_string):
        raise LimitError(f"The format of {name} must be written as a text literal, e.g. {name}('%.2f', x).")
    for directive in _DIRECTIVE.finditer(first.name):
        for part in ("width", "precision"):
            value = directive.group(part)
            if value is None:
                continue
            if value.startswith("*"):
                raise LimitError(
                    f"{name} widths taken from an argument ({directive.group(0)}) are not allowed; "
                    "write the width as a number."
                )
            if int(value) > MAX_WIDTH:
                raise LimitError(
                    f"{name} with a {part} of {int(value):,} ({directive.group(0)}) is too long; "
                    f"reports allow at most {MAX_WIDTH:,}."
                )


def _check_growth(tree: exp.Expression) -> None:
    """Each value is built from at most MAX_GROWTH inputs (a column, a literal, a padded text...).

    ``a || b`` is built from two, ``REPLACE(x, 'a', 'aaaa')`` from four times x's, a CTE's
    column from what its expression was built from. Scopes come innermost first, so a CTE's
    outputs are known before the query that reads them.
    """
    try:
        scopes = traverse_scope(tree)
    except Exception:  # noqa: BLE001 - a malformed query is refused by the column check with words
        return
    outputs: dict[int, list[float]] = {}  # id(query node) -> growth of each output column
    for scope in scopes:
        node = scope.expression
        if isinstance(node, exp.SetOperation):
            left, right = outputs.get(id(node.left), []), outputs.get(id(node.right), [])
            outputs[id(node)] = [max(a, b) for a, b in zip_longest(left, right, fillvalue=1.0)]
            continue
        if not isinstance(node, exp.Select):
            continue
        outputs[id(node)] = [_growth(select, scope, outputs) for select in node.selects]
        worst = max(outputs[id(node)], default=1.0)
        for clause in ("where", "having", "order", "group"):
            if node.args.get(clause) is not None:
                worst = max(worst, _growth(node.args[clause], scope, outputs))
        if worst > MAX_GROWTH:
            raise LimitError(
                f"This query builds a value from {worst:,.0f} pieces (|| and CONCAT chains, lengthening "
                f"REPLACE calls and CTEs built on one another multiply); reports allow at most {MAX_GROWTH}."
            )


def _growth(expression: exp.Expression, scope: Scope, outputs: dict[int, list[float]]) -> float:
    """How many inputs ``expression`` is built from, computed bottom-up without recursion."""
    nodes = list(expression.walk(bfs=False, prune=lambda n: n is not expression and isinstance(n, exp.Query)))
    value: dict[int, float] = {}
    for node in reversed(nodes):  # children before their parents
        children = [value.get(id(child), 0.0) for child in node.iter_expressions()]
        if isinstance(node, exp.Subquery) or isinstance(node, exp.Query) and node is not expression:
            query = node.this if isinstance(node, exp.Subquery) else node
            value[id(node)] = max(outputs.get(id(query), [1.0]), default=1.0)
        elif isinstance(node, exp.Column):
            value[id(node)] = _column_growth(node, scope, outputs)
        elif isinstance(node, exp.Star):
            value[id(node)] = _star_growth(scope, outputs)
        elif isinstance(node, exp.Null):
            value[id(node)] = 0.0
        elif (
            isinstance(node, (exp.Literal, exp.Pad))
            or isinstance(node, exp.Func)
            and _is_width_function(node)
        ):
            value[id(node)] = max(1.0, sum(children)) if not isinstance(node, exp.Literal) else 1.0
        elif isinstance(node, (exp.DPipe, exp.Concat, exp.ConcatWs)):
            value[id(node)] = sum(children)
        elif isinstance(node, exp.Replace):
            value[id(node)] = value.get(id(node.this), 1.0) * _replace_factor(node)
        else:
            value[id(node)] = max(children, default=0.0)
    return value.get(id(expression), 1.0)


def _is_width_function(node: exp.Func) -> bool:
    return _function_name(node) in _WIDTH_FUNCTIONS


def _column_growth(column: exp.Column, scope: Scope, outputs: dict[int, list[float]]) -> float:
    """A base table's column counts 1; a CTE's or subquery's column what it was built from."""
    if isinstance(column.this, exp.Star):
        return _star_growth(scope, outputs)
    name = column.name.lower()
    sources = [scope.sources.get(column.table)] if column.table else list(scope.selected_sources.values())
    for source in sources:
        if isinstance(source, tuple):
            source = source[1]
        if isinstance(source, Scope) and isinstance(source.expression, exp.Query):
            names = [n.lower() for n in source.expression.named_selects]
            if name in names:
                growth = outputs.get(id(source.expression), [])
                index = names.index(name)
                return growth[index] if index < len(growth) else 1.0
    return 1.0


def _star_growth(scope: Scope, outputs: dict[int, list[float]]) -> float:
    worst = 1.0
    for source in scope.sources.values():
        if isinstance(source, Scope) and isinstance(source.expression, exp.Query):
            worst = max(worst, *outputs.get(id(source.expression), [1.0]))
    return worst


def _replace_factor(node: exp.Replace) -> float:
    """How many times longer one REPLACE can make its text (its replacement must be a literal)."""
    pattern, replacement = node.args.get("expression"), node.args.get("replacement")
    if replacement is None:
        return 1.0  # REPLACE(x, pattern) removes text
    if not (isinstance(replacement, exp.Literal) and replacement.is_string):
        raise LimitError("The replacement text of REPLACE must be written as a text literal.")
    if isinstance(pattern, exp.Literal) and pattern.is_string:
        return max(1.0, len(replacement.name) / len(pattern.name)) if pattern.name else 1.0
    return max(1.0, float(len(replacement.name)))
