"""The shape of a semantic model file, as pydantic models: what each key means and may hold.

A model file (the default ``semantic.yaml`` beside this module, or a team's overlay) is
validated against these; an error names the file, the key and what is wrong. Everything is
spelled with the data contract's names (``deals.amount``); ``tables`` maps them to a team's
physical names, which only the SQL layer sees.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

NAME = r"^[a-z][a-z0-9_]*$"
COLUMN_REF = r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$"

Aggregate = Literal[
    "sum",  # SUM(column)
    "count",  # COUNT(column)
    "count_distinct",  # COUNT(DISTINCT column)
    "avg",
    "min",
    "max",
    "rate",  # share of rows whose column equals rate_value
    "outstanding",  # SUM(invoice total minus what payments paid on it)
    "days_between",  # AVG whole days from column to end_column
    "hours_between",  # AVG fractional hours from column to end_column
    "ratio",  # numerator metric / denominator metric (times multiplier)
    "dso",  # outstanding as of today / invoiced over the last `window_days` * window_days
]
# split by product: line_amount (each line's net amount), count_distinct (deals), rate_distinct, or
# column (the metric's own aggregate over its column, already one row per line item: seats, discount)
LineItemAggregate = Literal["line_amount", "count_distinct", "rate_distinct", "column"]
Format = Literal["money", "count", "rate", "days", "hours", "score", "number", "text", "date"]
ConditionOp = Literal[
    "eq", "ne", "gt", "ge", "lt", "le", "in", "not_in", "not_null", "is_null", "lt_today", "ge_today"
]
Expression = Literal["aging_bucket", "converted_lead_source", "deal_type"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(Strict):
    """A row filter that is part of a metric's definition: ``column op value``."""

    column: str = Field(pattern=COLUMN_REF)
    op: ConditionOp
    value: Any = None

    @model_validator(mode="after")
    def _value_fits_op(self):
        if self.op in ("in", "not_in") and not isinstance(self.value, list | tuple):
            raise ValueError(f"op '{self.op}' needs a list as value")
        if self.op in ("eq", "ne", "gt", "ge", "lt", "le") and (
            self.value is None or isinstance(self.value, list | tuple)
        ):
            raise ValueError(f"op '{self.op}' needs one value")
        return self


class Metric(Strict):
    """A measure people ask for, defined as an aggregate over one base table."""

    name: str = Field(pattern=NAME)
    label: str
    base: str | None = Field(None, pattern=NAME)  # the table whose rows are aggregated (ratio: from parts)
    aggregate: Aggregate
    column: str | None = Field(None, pattern=COLUMN_REF)
    end_column: str | None = Field(None, pattern=COLUMN_REF)  # days_between / hours_between: until
    format: Format
    time_column: str | None = Field(None, pattern=COLUMN_REF)
    conditions: tuple[Condition, ...] = ()
    rate_value: Any = None  # rate: the value of `column` that counts as a success
    numerator: str | None = None  # ratio: metric names
    denominator: str | None = None
    multiplier: float = 1.0
    window_days: int = 90  # dso
    line_item_aggregate: LineItemAggregate | None = None  # deal metrics split by product
    amount_metric: str | None = None  # a count's money ("how many deals won" -> "worth": bookings)
    count_metric: str | None = None  # an amount's count ("how many overdue": overdue invoices)
    snapshot: bool = False  # a state as of now (outstanding, customers): a follow-up keeps no period
    # the table whose owner is this measure's rep, team and "my" when not the base's own (last contacted: the
    # account's owner, not whoever logged the activity)
    owned_through: str | None = Field(None, pattern=NAME)
    forward_looking: bool = False  # "this quarter" means the whole quarter (dates ahead)
    synonyms: tuple[str, ...] = ()
    description: str = ""  # the glossary text: what the word means, in words

    @model_validator(mode="after")
    def _parts_fit_aggregate(self):
        agg = self.aggregate
        if agg == "ratio":
            if not (self.numerator and self.denominator):
                raise ValueError("aggregate 'ratio' needs numerator and denominator (metric names)")
        elif self.base is None:
            raise ValueError(f"aggregate '{agg}' needs a base table")
        if agg in ("sum", "count", "count_distinct", "avg", "min", "max", "rate") and not self.column:
            raise ValueError(f"aggregate '{agg}' needs a column")
        if agg == "rate" and self.rate_value is None:
            raise ValueError("aggregate 'rate' needs rate_value (the value that counts as a success)")
        if agg in ("days_between", "hours_between") and not (self.column and self.end_column):
            raise ValueError(f"aggregate '{agg}' needs column (from) and end_column (to)")
        return self

    @field_validator("synonyms")
    @classmethod
    def _lower(cls, value):
        return tuple(" ".join(s.lower().split()) for s in value)


class Dimension(Strict):
    """Something to group or filter by: a column, per base table, reached through the joins."""

    name: str = Field(pattern=NAME)
    label: str
    column: str | None = Field(None, pattern=COLUMN_REF)  # the same column from each of `bases`
    bases: tuple[str, ...] = ()
    columns: dict[str, str] = Field(default_factory=dict)  # base table -> column
    key_column: str | None = Field(None, pattern=COLUMN_REF)  # group also by this (names may repeat)
    key_columns: dict[str, str] = Field(default_factory=dict)
    expression: Expression | None = None  # a computed value instead of a column (aging buckets)
    synonyms: tuple[str, ...] = ()
    vocabulary: tuple[str, ...] | None = None  # fixed values; None: the contract's, if the column has one
    default_metric: str | None = None  # what a question naming only this dimension measures ("AR aging")
    values_imply_metric: bool = True  # a value alone implies it too ("who is at risk"; not "with prices")
    side_by_side: bool = False  # two values named together are compared, not added up ("calls and emails")
    conditions: tuple[Condition, ...] = ()  # rows it applies to (aging: open invoices only)
    description: str = ""

    @model_validator(mode="after")
    def _has_columns(self):
        if not self.columns and not (self.column and self.bases):
            raise ValueError("give `columns` (base table -> column) or `column` with `bases`")
        for ref in self.columns.values():
            if not re.match(COLUMN_REF, ref):
                raise ValueError(f"'{ref}' is not a column reference like table.column")
        return self

    @field_validator("synonyms")
    @classmethod
    def _lower(cls, value):
        return tuple(" ".join(s.lower().split()) for s in value)

    def per_base(self) -> dict[str, str]:
        return dict(self.columns) or {base: self.column for base in self.bases}

    def keys_per_base(self) -> dict[str, str]:
        if self.key_columns:
            return dict(self.key_columns)
        if self.key_column:
            # only where the name is read from the key's own table: a lead's company is the name it was given
            # (leads.company_name), not an account it must join (most leads have none until converted)
            table = self.key_column.split(".")[0]
            return {
                base: self.key_column for base, col in self.per_base().items() if col.split(".")[0] == table
            }
        return {}


class ListColumn(Strict):
    column: str = Field(pattern=COLUMN_REF)  # for an expression: the column it is computed from
    label: str
    format: Format | Literal["date", "datetime"] | None = None
    expression: Literal["invoice_balance"] | None = None  # computed: total minus what payments paid
    then: str | None = Field(None, pattern=COLUMN_REF)  # shown after ``column``, a space between (full names)


class OpenFilter(Strict):
    """What "open" means for a table's records: a dimension's values."""

    dimension: str
    values: tuple[str, ...]


class RecordList(Strict):
    """How the records of a base table are listed ("show the overdue invoices")."""

    label: str  # plural noun: "deals", "support tickets"
    amount: str | None = Field(None, pattern=COLUMN_REF)  # the money a bare amount compares ("over 50k")
    order: str | None = Field(None, pattern=COLUMN_REF)  # what "top N" ranks records by
    age: str | None = Field(None, pattern=COLUMN_REF)  # when a record began: what "oldest"/"newest" order by
    status: str | None = None  # the dimension "status" means for this table
    reason: str | None = Field(None, pattern=COLUMN_REF)  # what "why" asks for in a list ("and why")
    rank_dimension: str | None = None  # "lowest health scores, bottom 5": ranked per this (customer)
    open: OpenFilter | None = None  # what "open" means ("open deals": the open stages)
    rank_open: bool = False  # "top 5 leads": the open ones, unless a status is named
    bare_list: bool = False  # "my open deals", "deals lost to price": a qualified noun phrase lists them
    # "overdue invoices on my accounts?", "high prio tickets in 'open' status": a worklist, qualified and with no
    # period, lists them; with one ("urgent tickets this month") it counts them
    worklist: bool = False
    # the statuses of records done with (paid or void invoices, closed tickets): no worklist, so named alone they
    # are counted ("paid invoices?")
    done: tuple[str, ...] = ()
    columns: tuple[ListColumn, ...]


class ValueAlias(Strict):
    dimension: str
    value: str
    aliases: tuple[str, ...] = ()


class Combination(Strict):
    """Two measures named together that mean a third ("deals" + "won" = deals won)."""

    parts: tuple[str, str]
    metric: str


class GlossaryEntry(Strict):
    """A word people use that is not a metric ("aging", "last contacted"), explained in words."""

    name: str = Field(pattern=NAME)
    synonyms: tuple[str, ...] = ()
    description: str


class NamedCondition(Strict):
    """A condition on records that people say in words ("past their expected close date")."""

    name: str = Field(pattern=NAME)
    base: str
    kind: Literal["before_today", "partly_paid", "has_records"]
    column: str = Field(pattern=COLUMN_REF)
    days: int | None = None
    # kind has_records: the accounts (base companies) that have records this measure counts ("customers who have
    # anything past due": overdue_invoices); any base that reaches companies can use it
    records: str | None = None
    # kind has_records: conditions on those records besides the measure's own ("with an open ticket": status open)
    where: tuple[Condition, ...] = ()
    phrases: tuple[str, ...]
    # the records it can apply to, as a measure (deals past their expected close date are open deals):
    # a question with the base's plain count or sum uses this measure (or its amount) instead
    metric: str | None = None
    description: str = ""


class TableMap(Strict):
    """A contract table under a team's own physical name (and some columns renamed), and which of its
    columns are people data (emails, phones, Slack ids): only the roles in CRMBOT_PEOPLE_DATA_ROLES read
    those, in their own SQL, the language model's and report lists."""

    table: str | None = None
    schema_name: str | None = Field(None, alias="schema")
    columns: dict[str, str] = Field(default_factory=dict)  # contract column -> physical column
    people: tuple[str, ...] = ()  # contract columns holding people data

    @property
    def renames(self) -> bool:
        """Whether this entry maps anything to another physical name (``people`` alone does not)."""
        return bool(self.table or self.schema_name or self.columns)


class Words(Strict):
    abbreviations: dict[str, tuple[str, ...]] = Field(default_factory=dict)  # full word -> short forms
    markers: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    filler: tuple[str, ...] = ()
    time: tuple[str, ...] = ()
    # what names a meeting or a document ("the pipeline review", "the board deck"): its words are no measure
    meeting_nouns: tuple[str, ...] = ()
    # the column names people list after a question ("... - number, customer, total")
    column_names: tuple[str, ...] = ()


class TimeWords(Strict):
    abbreviations: dict[str, tuple[str, ...]] = Field(default_factory=dict)  # unit -> short forms


class ModelFile(Strict):
    """One model file (the default or an overlay): every key optional in an overlay."""

    version: int = 1
    tables: dict[str, TableMap] = Field(default_factory=dict)
    metrics: tuple[Metric, ...] = ()
    dimensions: tuple[Dimension, ...] = ()
    joins: dict[str, dict[str, tuple[str, ...]]] = Field(default_factory=dict)
    lists: dict[str, RecordList] = Field(default_factory=dict)
    value_aliases: tuple[ValueAlias, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()
    conditions: tuple[NamedCondition, ...] = ()
    combinations: tuple[Combination, ...] = ()
    time_words: TimeWords = Field(default_factory=TimeWords)
    words: Words = Field(default_factory=Words)
