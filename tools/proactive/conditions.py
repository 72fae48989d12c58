"""Conditions on a scheduled answer: ``value < 1000000`` posts only when it holds.

``value`` is the answer's figure: the last numeric column of a one-row answer. For an answer
with several rows (one per rep, per region...) the condition is checked on each row's figure
and holds when it holds for at least one row; the post then says for how many. Read with a
regular expression into (operator, number), never evaluated as code.
"""

from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass
from decimal import Decimal

from tools.proactive.cron import ScheduleError

OPERATORS = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "=": operator.eq,
    "==": operator.eq,
    "!=": operator.ne,
}
SUFFIXES = {"k": 1e3, "m": 1e6, "b": 1e9}
_CONDITION = re.compile(
    r"^\s*value\s*(?P<op><=|>=|==|!=|<|>|=)\s*(?P<num>[-+]?\$?[\d,]*\.?\d+(?:e[-+]?\d+)?)\s*(?P<suffix>[kmb])?\s*%?\s*$",
    re.I,
)


@dataclass(frozen=True)
class Condition:
    op: str
    number: float

    def __str__(self) -> str:
        return f"value {self.op} {self.number:,.10g}"

    def holds(self, value: float) -> bool:
        return OPERATORS[self.op](value, self.number)


def parse_condition(text: str) -> Condition:
    """``value < 1000000`` (also 1,000,000, $1m, 1e6) into a Condition, or a ScheduleError."""
    found = _CONDITION.match(text or "")
    if not found:
        raise ScheduleError(
            f"'{text}' is not a condition I can check. Write it as value, a comparison and a number, "
            'e.g. "value < 1000000" or "value >= 50k".'
        )
    number = float(found.group("num").replace(",", "").replace("$", ""))
    if found.group("suffix"):
        number *= SUFFIXES[found.group("suffix").lower()]
    return Condition(found.group("op"), number)


def _number(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        number = float(value)
        return number if math.isfinite(number) else None
    return None


@dataclass
class Check:
    holds: bool
    checked: bool  # False: the answer had no figure to compare
    matching_rows: int = 0
    rows: int = 0

    def words(self, condition: Condition) -> str:
        if not self.checked:
            return f"the condition {condition} could not be checked: the answer has no figure"
        if self.rows == 1:
            return f"condition {condition} holds" if self.holds else f"condition {condition} does not hold"
        return f"condition {condition} holds for {self.matching_rows} of {self.rows} rows"


def check(condition: Condition, columns: list, rows: list[list]) -> Check:
    """Whether ``condition`` holds on an answer's table (see the module's docstring)."""
    figures = []
    for row in rows:
        numbers = [n for n in (_number(v) for v in row) if n is not None]
        if numbers:
            figures.append(numbers[-1])
    if not figures:
        return Check(holds=False, checked=False)
    matching = sum(1 for f in figures if condition.holds(f))
    return Check(holds=matching > 0, checked=True, matching_rows=matching, rows=len(figures))
