"""The reports skill: any data question the other skills did not take, answered read-only.

It runs last in the router, so it takes everything left and lets the engine answer, ask
back or refuse politely. The thread keeps the last structured query, so that "and by
region?" or "what about last year?" refine it.

A question is read once per message (``reading``): the LLM router's "could the rules read it?"
and the answer share that reading. With an LLM configured there is one fallback, decided in one
place (bot/llm_router.py): when the rules cannot read a question the model picks the skill; when
it picks reports and the offline engine still cannot read the model's words, the LLM SQL writer
answers (its SQL passes the same guard), within the question's one time budget.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from bot.skill import ToolCall

NAME = "reports"
THREAD_KEY = "report_query"


class ReportArgs(BaseModel):
    question: str


ARGS = ReportArgs
DESCRIPTION = (
    "Answer a question about CRM numbers (bookings, revenue, pipeline, deals, win rate, customers, invoice "
    "totals, tickets, lead counts...) with a table or chart. `question`: the question restated in plain "
    "words the way a sales analyst asks it, keeping every filter, grouping and period, e.g. "
    "'bookings by rep this year', 'top 10 customers by revenue last quarter'."
)


CONTEXT_ONLY = "report_context_only"  # the thread's query is a refused change's records, never run
EXPLAINED = "explained_metric"  # the one measure the thread's last message defined (bot/skills/glossary.py)
_POINTS_BACK = re.compile(
    r"\b(?:them|those|these|that|this|it|they|their|its|he|she|him|her|his|hers)\b|"
    # "fine, how many are there then" after a refused purge of them: how many of those
    r"\bhow\s+(?:many|much)\s+(?:are|is)\s+there\b|"
    # "fine. how many are pending and whats the total $" after a refused approval of the pending ones: of those
    r"\bhow\s+many\s+(?:are|is)\s+(?:still\s+)?(?:pending|open|overdue|waiting|sitting|left|outstanding|unpaid|draft)\b",
    re.I,
)


def match(text, ctx):
    if not text or not text.strip():
        return None
    return ToolCall(NAME, ReportArgs(question=text.strip()))


def reading(question: str, ctx):
    """The offline engine's reading of ``question`` in this thread, made once per message."""
    from tools.reports import entities
    from tools.reports.nlq import interpret
    from tools.reports.query import Query

    cache = ctx.extras.setdefault("report_readings", {})
    if question not in cache:
        thread = ctx.thread or {}
        previous = thread.get(THREAD_KEY)
        if thread.get(CONTEXT_ONLY) and not _POINTS_BACK.search(question):
            # after a refused change, only "list them" / "that deal" point back at its records
            previous = None
        if thread.get(EXPLAINED) and (
            _POINTS_BACK.search(question) or re.search(r"\b(?:mine|ours)\b", question, re.I)
        ):
            # ("does win rate include open deals?", then "ok so whats mine for 2025": my win rate)
            # "how do you measure resolution time?", then "ok what was it last month": that measure
            previous = {"metric": thread[EXPLAINED]}
        prior = Query.from_dict(previous) if previous else None
        focus = _focus_of(thread)
        prior, focus = _their_account(question, prior, focus, ctx)
        cache[question] = interpret(
            question,
            ctx.today,
            entities.load(ctx.read_only_engine),
            prior,
            asker=ctx.actor,
            focus=focus,
        )
    return cache[question]


_THEY = re.compile(r"\b(?:they|them|their|theirs|they've|they're|they'd)\b", re.I)
_THE_INVOICE = re.compile(r"\b(?:it|its|it's|invoice|inv)\b", re.I)


def _their_account(question: str, prior, focus: dict | None, ctx):
    """ "ok fine, then what's their outstanding balance?" after "mark INV-... as paid": "their" is the account the
    invoice was sent to, not the invoice; the thread's invoice becomes that account for this message."""
    from tools.reports.query import Filter

    invoice = (focus or {}).get("invoice")
    numbered = [f for f in (prior.filters if prior else []) if f.dimension == "numbered_invoice"]
    if numbered and len(numbered[0].values) == 1:
        invoice = invoice or numbered[0].values[0]
    if not invoice or not _THEY.search(question) or _THE_INVOICE.search(question):
        return prior, focus
    found = _account_of_invoice(ctx.read_only_engine, invoice)
    scope = getattr(ctx, "scope", None)
    if found is None or (scope is not None and not scope.sees_owner(found[1])):
        return prior, focus  # (no such invoice, or an account the asker doesn't see: never named)
    account = found[0]
    focus = {k: v for k, v in (focus or {}).items() if k != "invoice"}
    focus["account"] = account
    if prior is not None and numbered:
        prior = prior.copy()
        prior.filters = [f for f in prior.filters if f.dimension != "numbered_invoice"] + [
            Filter("customer", [account])
        ]
    return prior, focus


def _account_of_invoice(engine, number: str) -> tuple[str, int | None] | None:
    """The name and owner of the account an invoice (by its number) was sent to; None when there is no such invoice."""
    from sqlalchemy import select

    from tools.reports import semantic

    tables = semantic.model().sql_tables
    invoices, companies = tables["invoices"], tables["companies"]
    with engine.connect() as conn:
        row = conn.execute(
            select(companies.c.name, companies.c.owner_id)
            .select_from(invoices.join(companies, invoices.c.company_id == companies.c.id))
            .where(invoices.c.number == number)
            .limit(1)
        ).first()
    return (row[0], row[1]) if row else None


def _focus_of(thread: dict) -> dict | None:
    """What the thread's last answer was about: its rep or account, and the one invoice an invoice answer
    showed or an action proposed ("what's the open balance on it then" after "mark INV-... as paid")."""
    from bot.confirm import PENDING_KEY
    from tools.reports.nlq.records import RECORD_NUMBER

    focus = dict(thread.get("focus") or {})
    numbers = list(thread.get("invoice_numbers") or [])
    reference = str((thread.get(PENDING_KEY) or {}).get("reference") or "")
    if not numbers and RECORD_NUMBER.fullmatch(reference):
        numbers = [reference]
    if len(numbers) == 1:
        focus["invoice"] = numbers[0].upper()
    if thread.get("period_before"):  # "both quarters" after the same measure for two quarters
        focus["period_before"] = thread["period_before"]
    if thread.get("last_skill") == "insights" and thread.get("company"):
        # "when did we last talk to them?" right after one account's card: that account, not the list before it
        focus["card"] = thread["company"]
    named = list(thread.get("companies_named") or [])
    if len(named) > 1:  # "when was each of them last contacted" after Triton's health, then Axion's
        focus["accounts"] = named
    return focus or None


def cannot_read(question: str, ctx) -> bool:
    """ "I don't know what you mean" (not a refusal of a write, pasted SQL or off-topic, nor a
    question back): the only reading an LLM may try again."""
    from tools.reports.nlq import Refusal

    found = reading(question, ctx)
    return isinstance(found, Refusal) and found.kind == "unknown"


def run(call, ctx):
    from crmbot.settings import get_settings
    from tools.reports.engine import answer

    settings = get_settings()
    result = answer(
        call.args.question,
        ctx.read_only_engine,
        ctx.today,
        reading=reading(call.args.question, ctx),
        row_limit=max(1000, settings.report_row_limit),
        timeout_s=settings.statement_timeout_s,
        data_dir=settings.data_dir,
        # Slack posts the answer first and draws the chart after (see bot/slack/answer.py)
        chart=not ctx.extras.get("defer_charts", False),
        scope=ctx.scope,
    )
    if call.source == "llm" and settings.llm_enabled and cannot_read(call.args.question, ctx):
        llm_result = _ask_llm(call.args.question, ctx)  # the model's own words, still unreadable offline
        if llm_result is not None:
            return llm_result
    return result


def _ask_llm(question: str, ctx):
    try:
        from tools.reports import llm
    except ImportError:
        return None
    # the question's one time budget on the model, begun by the LLM router when it was asked first
    return llm.answer(
        question,
        engine=ctx.read_only_engine,
        today=ctx.today,
        budget=ctx.extras.get("llm_budget"),
        scope=ctx.scope,
    )


def thread_state(call, result) -> dict | None:
    """The structured query of a successful answer, for follow-ups in the same thread."""
    query = getattr(result, "query", None)
    context = getattr(result, "context", None)
    if getattr(result, "refused", False) and context:
        # "approve all the invoices in pending approval" (refused), then "fine, just list them": those invoices
        state = {
            THREAD_KEY: context,
            "focus": {},
            CONTEXT_ONLY: True,
            EXPLAINED: None,
            "lead_shown": None,
            "leads_listed": None,
        }
        for f in context.get("filters") or []:
            if f["dimension"] in ("customer", "rep") and not f["negate"] and len(f["values"]) == 1:
                # "reassign all of Sarah Santos's open leads to me", then "how many open leads does she have?"
                state["focus"][f["dimension"]] = f["values"][0]
        if "customer" in state["focus"]:
            state["company"] = state["focus"]["customer"]
        return state
    if not query or getattr(result, "refused", False):
        return None
    state = {THREAD_KEY: query, "focus": _focus(result), CONTEXT_ONLY: False, EXPLAINED: None}
    columns, rows = getattr(result, "columns", None) or [], getattr(result, "rows", None) or []
    # one lead shown ("whats my hottest open lead"): "whats the source and title on it" is its card
    state["lead_shown"] = str(rows[0][1]) if len(rows) == 1 and _lists_leads(columns) and rows[0][1] else None
    # a list of leads ("top 10 open leads by score"): "why is Misty Point up there?" is one of them
    state["leads_listed"] = (
        [str(r[1]) for r in rows[:_SHOWN_MOST] if r[1]] if len(rows) > 1 and _lists_leads(columns) else None
    )
    customers = [f for f in query.get("filters") or [] if f["dimension"] == "customer" and not f["negate"]]
    if len(customers) == 1 and len(customers[0]["values"]) == 1:
        state["company"] = customers[0]["values"][0]  # "its churn risk" may follow
    elif state["focus"].get("customer"):
        state["company"] = state["focus"]["customer"]  # "what's their health" after one account
    return state


_SHOWN_MOST = 25  # a ranking's groups kept for "each of those" (a top 25 at most)


def _lists_leads(columns: list[str]) -> bool:
    """A table of leads, one per row (the lead's name first, then its key)."""
    return columns[:2] == ["name", "lead"]


def _focus(result) -> dict:
    """The rep and the customer of an answer of one row ("who closed the biggest deal"): what "their"
    may point at next; of a ranking, its first row under "top" ("the top one"). Empty for any other
    answer, so an older row is never pointed at."""
    columns, rows = getattr(result, "columns", None) or [], getattr(result, "rows", None) or []
    query = getattr(result, "query", None) or {}
    if 1 < len(rows) <= _SHOWN_MOST and columns and columns[0] in ("customer", "rep"):
        # accounts or reps shown one per row: "the second one", "the third account on that list"
        ranked = {"ranked": {columns[0]: [str(r[0]) for r in rows]}}
    elif 1 < len(rows) <= _SHOWN_MOST and _lists_leads(columns):
        # leads shown one per row: "why is the first one so high?", "the second one"
        ranked = {"ranked": {"lead": [str(r[0]) for r in rows]}}
    else:
        ranked = {}
    bounded = any(t.get("target") == "metric" for t in query.get("thresholds") or [])
    if len(rows) > 1 and (
        query.get("order") or bounded
    ):  # a ranking: "the top one" may follow, never "their"
        top = {
            name: str(rows[0][columns.index(name)])
            for name in ("rep", "customer")
            if name in columns and rows[0][columns.index(name)] is not None
        }
        focus = {"top": top} if top else {}
        focus.update(_period_of_row(query, columns, rows[0]))
        grouped = [g for g in query.get("group_by") or [] if not g.startswith("time:")]
        kept = grouped if len(grouped) == 1 else [g for g in grouped if g in ("rep", "customer")][:1]
        if (
            (query.get("limit") or bounded)
            and len(kept) == 1
            and kept[0] in columns
            and len(rows) <= _SHOWN_MOST
        ):
            # "the win rate for each of those five": the groups this ranking showed (the reps of a ranking
            # by team and rep); "the win rate for those teams" after the teams over $2M: the ones that passed
            at = columns.index(kept[0])
            focus["shown"] = {kept[0]: [str(r[at]) for r in rows if r[at] is not None]}
        return {**focus, **ranked}
    if len(rows) != 1:
        return ranked
    focus = {
        name: str(rows[0][columns.index(name)])
        for name in ("rep", "customer")
        if name in columns and rows[0][columns.index(name)] is not None
    }
    if "rep" not in focus and "owner" in columns and rows[0][columns.index("owner")] is not None:
        focus["rep"] = str(rows[0][columns.index("owner")])  # "who owns Acme", then "this person"
    focus.update(_period_of_row(query, columns, rows[0]))
    grouped = [g for g in query.get("group_by") or [] if not g.startswith("time:")]
    if (
        (bounded or query.get("limit") == 1)
        and len(grouped) == 1
        and grouped[0] in columns
        and rows[0][columns.index(grouped[0])] is not None
    ):
        # "the win rate for those teams" after the one team over $6M: that team; "how many deals did we lose there"
        # after "which region's lowest": that region
        focus["shown"] = {grouped[0]: [str(rows[0][columns.index(grouped[0])])]}
    return focus


def _period_of_row(query: dict, columns: list, row) -> dict:
    """ "which month was strongest?", then "top 3 reps in that month": the month of the row shown (first)."""
    grains = [g[len("time:") :] for g in query.get("group_by") or [] if g.startswith("time:")]
    if len(grains) != 1 or grains[0] not in ("month", "quarter", "year") or grains[0] not in columns:
        return {}
    start = row[columns.index(grains[0])]
    return {"period": {"grain": grains[0], "start": str(start)[:10]}} if start else {}
