"""Question -> ReportResult with the offline engine: read, build, run read-only, describe.

This is the one entry point the reports skill, the CLI and the benchmarks use. It never
writes: the SELECT runs through ``tools.reports.execute.run_select`` on the engine it is given
(the read-only engine in the bot), with a row limit and a time limit.
"""

from __future__ import annotations

import csv
import hashlib
import re
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from tools.actor import Actor
from tools.reports import semantic
from tools.reports.formatting import NUMERIC_FORMATS, display, to_json_value
from tools.reports.query import Query
from tools.reports.results import ReportResult

TABLE_ROWS_MAX = 99  # a Slack table holds 100 rows with its header; more go to a CSV file


def answer(
    question: str,
    engine: Engine,
    today: date,
    *,
    previous: dict | None = None,
    asker: Actor | None = None,
    reading=None,
    row_limit: int = 5000,
    timeout_s: float = 10.0,
    data_dir: str | Path | None = None,
    chart: bool = True,
    scope=None,
) -> ReportResult:
    """Answer ``question`` as of ``today``; ``previous`` is the last query of the thread (follow-ups),
    ``asker`` the person asking ("my"); ``reading`` the question already read (it is read once);
    ``scope`` the asker's data scope (tools.scope.DataScope; None: every row)."""
    from tools.reports import entities as entity_store
    from tools.reports.nlq import Refusal, interpret

    result = ReportResult(question=question, source="offline")
    if reading is None:  # a caller that read the question already passes its reading
        prior = Query.from_dict(previous) if previous else None
        reading = interpret(question, today, entity_store.load(engine), prior, asker=asker)
    if isinstance(reading, Refusal):
        refused = refuse(result, reading.reason, reading.choices)
        refused.phrase = reading.phrase
        refused.context = reading.context.to_dict() if reading.context is not None else None
        return refused
    if scope is not None and not scope.is_all:
        from tools.reports.scoped import outside_scope

        problem = outside_scope(reading.query, engine, scope)
        if problem:
            result.query = reading.query.to_dict()
            return refuse(result, problem)
    return run_query(
        result,
        reading.query,
        engine,
        today,
        notes=reading.notes,
        row_limit=row_limit,
        timeout_s=timeout_s,
        data_dir=data_dir,
        chart=chart,
        scope=scope,
    )


def refuse(result: ReportResult, reason: str, choices: list[str] | None = None) -> ReportResult:
    result.refused = True
    result.reason = reason
    result.answer = reason
    result.choices = list(choices or [])
    return result


def run_query(
    result: ReportResult,
    query: Query,
    engine: Engine,
    today: date,
    *,
    notes: list[str] | None = None,
    row_limit: int = 5000,
    timeout_s: float = 10.0,
    data_dir: str | Path | None = None,
    chart: bool = True,
    scope=None,
) -> ReportResult:
    """Compile and run a structured query, and fill ``result`` with rows, words and a chart
    (over the rows of ``scope``, the asker's data scope, when given)."""
    from tools.reports.build import QueryError, build, to_sql_text
    from tools.reports.execute import QueryError as ExecutionError
    from tools.reports.execute import run_select

    result.query = query.to_dict()
    try:
        built = build(query, today, scope=scope)
    except QueryError as exc:
        return refuse(result, f"I can't answer that as asked: {exc}.")
    result.sql = to_sql_text(built.select, engine.dialect)
    result.interpretation = interpretation(query, notes or [])
    try:
        columns, rows, truncated = run_select(engine, built.select, row_limit=row_limit, timeout_s=timeout_s)
    except ExecutionError as exc:
        return refuse(result, str(exc))
    result.columns = columns
    result.formats = built.formats
    result.rows = [[to_json_value(v, f) for v, f in zip(row, built.formats, strict=False)] for row in rows]
    result.truncated = truncated
    result.answer = sentence(query, result)
    if built.notes:  # what the compiler had to leave out or limit (people data)
        result.answer = f"{result.answer} {' '.join(dict.fromkeys(built.notes))}"
    _say_scope(result, scope)
    if data_dir is not None and (len(result.rows) > TABLE_ROWS_MAX or len(columns) > 20):
        result.csv = write_csv(result, Path(data_dir) / "exports")
    if chart and data_dir is not None:
        from tools.reports.charts import chart_kind, render

        if chart_kind(result) is not None:
            result.chart = render(result, Path(data_dir) / "charts")
    return result


def _say_scope(result: ReportResult, scope) -> None:
    """A scoped answer says whose accounts it counts: its figure is not the company's."""
    from tools.reports.scoped import scope_words

    words = scope_words(scope)
    if words:
        result.interpretation += f" ({words})"
        result.answer = f"{result.answer} Counting {words}."


def interpretation(query: Query, notes: list[str]) -> str:
    """The query in words: metric and its definition, grouping, filters, exact dates, order."""
    model = semantic.model()
    metric = model.metric(query.metric)
    parts = []
    if query.list_records:
        parts.append(f"list of {model.base_label(model.base_of(metric))} counted in {metric.label}")
    else:
        agg = {
            "avg": "average ",
            "max": "largest ",
            "min": "smallest ",
            "accounts": "accounts with ",
            "groups": "number of groups with ",
            "over_groups": "sum over the groups of ",
        }.get(query.aggregate or "", "")
        beside = "".join(f" and {model.metric(name).label}" for name in query.also)  # side by side
        if query.aggregate == "groups" and "customer" in query.group_by and len(query.group_by) > 1:
            agg = "number of accounts with "  # ("count them by region": the accounts, split by region)
        parts.append(f"{agg}{metric.label}{beside}")
        if query.aggregate == "accounts":
            parts.append("each account (company) counted once")
    base = model.base_of(metric)

    def said(name: str) -> str:
        dim = model.dimension_for(name, base)
        if dim is not None and dim.expression == "converted_lead_source":
            return "the account's lead source"  # not the record's own: deals and payments have none
        return name.replace("_", " ")

    grouped = query.group_by
    if query.aggregate == "groups" and "customer" in grouped and len(grouped) > 1:
        grouped = [g for g in grouped if g != "customer"]  # (the accounts are what is counted)
    groups = [g.split(":", 1)[1] if g.startswith("time:") else said(g) for g in grouped]
    if groups:
        parts.append("by " + " and ".join(groups))
    if query.owner:
        parts.append(query.owner.describe())
    for f in query.filters:
        op = "not in" if f.negate else "=" if len(f.values) == 1 else "in"
        values = f.values[0] if len(f.values) == 1 else ", ".join(f.values)
        parts.append(f"where {said(f.dimension)} {op} {values}")
    for rc in query.conditions:
        if rc.kind == "before_today":
            parts.append(f"where {rc.column.split('.', 1)[1].replace('_', ' ')} is before today")
        elif rc.kind == "older_than_days":
            parts.append(f"created {rc.days} or more days ago")
        elif rc.kind == "not_contacted_days":
            parts.append(f"with no activity in the last {rc.days} days")
        elif rc.kind == "partly_paid":
            parts.append("partly paid (sent, with at least one payment)")
        elif rc.kind == "dated":
            when = rc.label or rc.since
            joined = "" if re.match(r"(?:by|up\s+to|before|since|after|from)\b", when) else "in "
            parts.append(f"with {rc.column.split('.', 1)[1].replace('_', ' ')} {joined}{when}")
        elif rc.kind == "has_records" and rc.records:
            # "average health of customers who have anything past due": the accounts that have such records
            has = model.metric(rc.records).label if rc.records in model.metrics_by_name else rc.records
            where = " and ".join(
                f"{str(w.get('column', '')).split('.')[-1].replace('_', ' ')} "
                f"{'in' if isinstance(w.get('value'), list) else '='} "
                f"{', '.join(map(str, w['value'])) if isinstance(w.get('value'), list) else w.get('value')}"
                for w in rc.where or []
            )
            parts.append(f"accounts with {has}" + (f" where {where}" if where else ""))
    for c in query.thresholds:
        sign = {"gt": ">", "ge": ">=", "lt": "<", "le": "<=", "eq": "="}[c.op]
        what = {
            "amount": "amount",
            "balance": "amount still owed",
            "change": f"change in {metric.label}",
        }.get(c.target, metric.label)
        if c.target == "records":  # "reps with 35+ closed deals" on a win rate
            what = f"number of {c.records or 'records'}"
        if c.target == "column" and c.column:
            what = c.column.split(".", 1)[1].replace("_", " ")
        parts.append(f"{what} {sign} {c.value:,.2f}".replace(".00", ""))
    if query.share and query.part_filters:
        which = " and ".join(
            f"{said(f.dimension)} {'not ' if f.negate else ''}{', '.join(f.values)}"
            for f in query.part_filters
        )
        parts.append(f"and the part of them where {which}, with its share")
    elif query.share:
        parts.append(
            "with each row's share of the total" if query.group_by else f"as a share of all {metric.label}"
        )
    if query.compare_to:
        parts.append(f"{query.period.describe()} compared with {query.compare_to.describe()}")
    else:
        parts.append(query.period.describe() if query.period else "all time")
    if query.order and query.offset and query.limit == 1:
        parts.append(
            f"number {query.offset + 1} {'from the top' if query.order == 'desc' else 'from the bottom'}"
        )
    elif query.order:
        top = "top" if query.order == "desc" else "bottom"
        parts.append(
            f"{top} {query.limit}"
            if query.limit
            else f"sorted {'high to low' if query.order == 'desc' else 'low to high'}"
        )
    elif query.limit:
        parts.append(f"first {query.limit}")
    text = "; ".join(parts)
    if metric.description:
        text += f". {_upper_first(metric.label)} means: {metric.description}"
    if notes:
        text += " (" + "; ".join(notes) + ")"
    return text


def plural(n: int, noun: str) -> str:
    """ "1 row", "3 rows"; "1 deal", "2 deals" (a noun given in the plural)."""
    if n == 1:
        singular = noun[:-3] + "y" if noun.endswith("ies") else noun[:-1] if noun.endswith("s") else noun
        return f"1 {singular}"
    return f"{n:,} {noun}"


def sentence(query: Query, result: ReportResult) -> str:
    """One sentence with the key figure."""
    model = semantic.model()
    metric = model.metric(query.metric)
    if query.aggregate == "accounts":  # "how many customers have something overdue": accounts, not money
        metric = metric.model_copy(update={"label": f"accounts with {metric.label}"})
    elif query.aggregate in ("groups", "over_groups"):  # over the accounts whose figure passes the bound
        split = query.aggregate == "groups" and "customer" in query.group_by and len(query.group_by) > 1
        groups = (
            "accounts"
            if query.group_by == ["customer"] or split
            else " and ".join(query.group_by) + " groups"
        )
        bound = " and ".join(
            f"{'over' if t.op in ('gt', 'ge') else 'under'} {display(t.value, metric.format)}"
            for t in query.thresholds
            if t.target == "metric"
        )
        label = f"{groups} with {metric.label}" + (f" {bound}" if bound else "")
        if query.aggregate == "over_groups":
            label = f"{metric.label} of the {label}"
        metric = metric.model_copy(update={"label": label})
    elif query.aggregate in ("avg", "max", "min") and not query.list_records:
        # "avg payment amount in july": the average of each record's amount, said as one
        per = model.base_label(model.base_of(metric)).removesuffix("s")
        which = {"avg": "average", "max": "largest", "min": "smallest"}[query.aggregate]
        metric = metric.model_copy(update={"label": f"{which} {metric.label} per {per}"})
    when = f" {query.period.label}" if query.period else ""
    rows, fmts = result.rows, result.formats
    if query.list_records:
        noun = model.base_label(model.base_of(metric))
        if not rows:
            return f"No {noun} match{when}."
        more = " (cut at the row limit)" if result.truncated else ""
        if query.order and len(rows) == 1:  # "the single biggest overdue invoice": say which
            return _one_record(query, result, when)
        return f"{plural(len(rows), noun)}{when}{more}."
    if query.compare_to:
        return _comparison_sentence(query, result, metric)
    if not rows:
        return f"No data for {metric.label}{when}."
    if query.also and len(result.columns) > len(query.also):
        return _side_by_side_sentence(query, result, when)
    if query.share and result.columns[-1:] == ["share"]:
        return _share_sentence(query, result, metric, when)
    value_fmt = fmts[-1]
    if len(result.columns) == 1:
        value = rows[0][0]
        if value is None:
            return f"No data for {metric.label}{when}."
        return f"{_upper_first(metric.label)}{when}: {display(value, value_fmt)}."
    label_of = lambda row: " / ".join(str(v) for v in row[:-1])  # noqa: E731
    if query.time_grain and len(query.group_by) == 1 and query.order is None:
        total = _total(rows, value_fmt)
        tail = f"; total {display(total, value_fmt)}" if total is not None else ""
        partial = _partial_periods(query, rows)
        return (
            f"{_upper_first(metric.label)} by {query.time_grain}{when}: {plural(len(rows), 'periods')}, latest "
            f"{label_of(rows[-1])} at {display(rows[-1][-1], value_fmt)}{tail}{partial}."
        )
    best = max((r for r in rows if r[-1] is not None), key=lambda r: r[-1], default=None)
    if best is None:
        return f"No data for {metric.label}{when}."
    count = plural(len(rows), "rows")
    if query.offset and query.limit == 1 and query.order:  # "the 2nd highest": that one, said as such
        which = _nth_of(query, "lowest" if query.order == "asc" else "highest")
        return f"{which} {metric.label}{when}: {label_of(rows[0])} with {display(rows[0][-1], value_fmt)}."
    if query.order == "asc":
        best = rows[0]
        return f"Lowest {metric.label}{when}: {label_of(best)} with {display(best[-1], value_fmt)} ({count})."
    return f"Highest {metric.label}{when}: {label_of(best)} with {display(best[-1], value_fmt)} ({count})."


def _share_sentence(query: Query, result: ReportResult, metric, when: str) -> str:
    """ "what % of Q1 collections came in by card": the part, of the whole, as a share; by a grouping, the
    largest part."""
    rows, fmts = result.rows, result.formats
    if not query.group_by:
        part, whole, share = rows[0]

        def named(filters) -> str:
            return "; ".join(
                f"{f.dimension.replace('_', ' ')} {'not ' if f.negate else ''}{', '.join(map(str, f.values))}"
                for f in filters
            )

        if query.part_filters:  # "how many tickets this month, and how many of those are urgent"
            said = f" ({named(query.filters)})" if query.filters else ""
            return (
                f"{_upper_first(metric.label)}{when}{said}: {display(whole, fmts[1])}; "
                f"{'of that' if metric.format == 'money' else 'of those'}, "
                f"{named(query.part_filters)}: {display(part, fmts[0])} ({display(share, 'rate')})."
            )
        return (
            f"{_upper_first(metric.label)}{when} ({named(query.filters)}): {display(part, fmts[0])} of "
            f"{display(whole, fmts[1])}, a share of {display(share, 'rate')}."
        )
    known = [r for r in rows if r[-2] is not None]
    if not known:
        return f"No data for {metric.label}{when}."
    best = max(known, key=lambda r: r[-2])
    label = " / ".join(str(v) for v in best[:-2])
    return (
        f"Share of {metric.label}{when}: the largest part is {label} with {display(best[-2], fmts[-2])}, "
        f"{display(best[-1], 'rate')} of the total ({plural(len(rows), 'rows')})."
    )


def _side_by_side_sentence(query: Query, result: ReportResult, when: str) -> str:
    """ "revenue and bookings this year": each measure's figure; by a grouping, the top row of the first."""
    from tools.reports.build import ACCOUNT_COUNTS  # (built already: this answer's query was)

    model = semantic.model()
    names = [query.metric, *query.also]
    if query.group_by == ["customer"] and query.metric in ACCOUNT_COUNTS:
        # (each account of a list, with figures of its records: the accounts have no column)
        names = list(query.also)
    first = len(result.columns) - len(names)  # the measures' columns come last, in the order asked
    labels = [model.metric(n).label for n in names]
    rows, fmts = result.rows, result.formats
    if first == 0:
        parts = [f"{label}: {display(v, f)}" for label, v, f in zip(labels, rows[0], fmts, strict=False)]
        parts[0] = parts[0].replace(":", f"{when}:", 1)
        parts[0] = parts[0][:1].upper() + parts[0][1:]
        return "; ".join(parts) + "."
    known = [r for r in rows if r[first] is not None]
    if not known:
        return f"No data for {labels[0]}{when}."
    best = min(known, key=lambda r: r[first]) if query.order == "asc" else max(known, key=lambda r: r[first])
    which = "Lowest" if query.order == "asc" else "Highest"
    if query.offset and query.limit == 1:  # "the 2nd highest": that one, said as such
        which = _nth_of(query, "lowest" if query.order == "asc" else "highest")
    beside = "; ".join(
        f"{lb} {display(v, f)}"
        for lb, v, f in zip(labels[1:], best[first + 1 :], fmts[first + 1 :], strict=False)
    )
    label = " / ".join(str(v) for v in best[:first])
    return (
        f"{which} {labels[0]}{when}: {label} with {display(best[first], fmts[first])} ("
        + (f"{beside}; " if beside else "")
        + f"{plural(len(rows), 'rows')})."
    )


def _sorted_by(query: Query, result: ReportResult) -> int | None:
    """The result column a record list was ranked by, when it is a column of its own (a score, a probability)
    rather than the list's amount or date."""
    ref = query.sort_column
    if not ref or "." not in ref:
        return None
    model = semantic.model()
    base = model.base_of(query.metric)
    entry = model.lists.get(base)
    if entry is None or ref in (
        entry.amount,
        model.metric(query.metric).time_column,
        model.order_column(base),
    ):
        return None  # (the list's own order: said as before, "Highest: ...")
    label = next((c.label for c in entry.columns if c.column == ref), ref.split(".", 1)[1].replace("_", " "))
    return result.columns.index(label) if label in result.columns else None


def _one_record(query: Query, result: ReportResult, when: str) -> str:
    row, fmts = result.rows[0], result.formats
    names = [
        str(v)
        for v, f in zip(row[:2], fmts[:2], strict=False)
        if v is not None and (f == "text" or isinstance(v, str))
    ]
    names = [n for n in names if "@" not in n] + [n for n in names if "@" in n]  # a lead by name, then email
    owed = (
        query.sort_column == "invoice_balance"
        or semantic.model().metric(query.metric).aggregate == "outstanding"
    )
    pairs = list(zip(result.columns, row, fmts, strict=False))
    ranked_by = _sorted_by(query, result)
    if (
        ranked_by is not None
    ):  # "which of those has the lowest health score": that score, not the list's amount
        label, value, fmt = pairs[ranked_by]
        first = "Lowest" if query.order == "asc" else "Highest"
        head = names[0] if names else str(row[0])
        return f"{first} {label}{when}: {head}, {display(value, fmt)}."
    if owed:  # ranked by what is still owed: say that amount
        pairs = sorted(pairs, key=lambda p: p[0] != "balance")
    money = next((display(v, f) for _, v, f in pairs if f == "money" and v is not None), None)
    if owed and money:
        money += " still owed"
    dated = (
        query.sort_column is not None
        and query.sort_column == semantic.model().metric(query.metric).time_column
    )
    if dated:  # "their first payment", "the latest invoice": by date
        first = "Earliest" if query.order == "asc" else "Latest"
    elif money is not None:
        first = "Smallest" if query.order == "asc" else "Largest"
    else:  # "my hottest lead": by its score
        first = "Lowest" if query.order == "asc" else "Highest"
    if query.offset:  # "the 2nd biggest": number 2, never "Largest"
        first = _nth_of(query, first.lower())
    head = names[0] if names else str(row[0])
    if isinstance(row[0], int) and head == str(row[0]):  # a record's number: "payment 375"
        head = f"{result.columns[0]} {head}"
    text = f"{first}{when}: {head}"
    if len(names) > 1:
        text += f" ({names[1]})"
    on = next((display(v, f) for _, v, f in pairs if f == "date" and v is not None), None) if dated else None
    return text + (f", {money}" if money else "") + (f" on {on}." if on else ".")


def _nth_of(query: Query, ranked_by: str) -> str:
    """ "Number 2 by largest": a row further down a ranking, said as such (never as the top one)."""
    return f"Number {query.offset + 1} by {ranked_by}"


def _comparison_sentence(query: Query, result: ReportResult, metric) -> str:
    first, second = query.period.label, query.compare_to.label
    fmt = result.formats[-4]
    rows = result.rows
    if not rows:
        return f"No data for {metric.label} {first} or {second}."
    if not query.dimensions:
        a, b, change, pct = rows[0][-4:]
        text = f"{_upper_first(metric.label)}: {display(a, fmt)} {first} vs {display(b, fmt)} {second}"
        if change is not None:
            change_fmt = "rate_points" if fmt == "rate" else fmt
            sign = "+" if change_fmt != "rate_points" and change > 0 else ""
            text += f" ({sign}{display(change, change_fmt)}"
            text += f", {pct * 100:+.1f}%)" if pct is not None else ")"
        return text + "."
    groups = " and ".join(d.replace("_", " ") for d in query.dimensions)
    return (
        f"{_upper_first(metric.label)} by {groups}, {first} vs {second}: {plural(len(rows), 'rows')}, "
        "with the change for each."
    )


def _partial_periods(query: Query, rows) -> str:
    """Say so when the first or last period is only partly inside the dates asked for."""
    from tools.reports.timewords import period_start, whole_period

    period, grain = query.period, query.time_grain
    if not period or not rows or grain in (None, "day"):
        return ""
    notes = []
    try:
        first = date.fromisoformat(str(rows[0][0])[:10])
        last = date.fromisoformat(str(rows[-1][0])[:10])
    except ValueError:
        return ""
    if period.start and period_start(period.start, grain) == first and period.start != first:
        notes.append(f"the first {grain} is partial (from {period.start})")
    if period.end and whole_period(last, grain)[1] > period.end:
        notes.append(f"the last {grain} is partial (to {period.end})")
    return " (" + "; ".join(notes) + ")" if notes else ""


def _total(rows, fmt: str):
    if fmt not in ("money", "count"):
        return None
    return sum(r[-1] or 0 for r in rows)


def write_csv(result: ReportResult, folder: Path) -> str:
    """All rows as CSV, named by content so the same answer reuses the same file."""
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(repr((result.columns, result.rows)).encode()).hexdigest()[:16]
    path = folder / f"report-{digest}.csv"
    if not path.exists():
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(result.columns)
            writer.writerows(result.rows)
    return str(path)


def is_numeric(fmt: str) -> bool:
    return fmt in NUMERIC_FORMATS


def _upper_first(text: str) -> str:
    """ "DSO (days sales outstanding)" stays as written; "bookings" starts a sentence as "Bookings"."""
    return text[:1].upper() + text[1:]
