"""The invoices skill: draft from a won deal, approve / reject / send, edit, pending, duplicates.

It takes only requests to act on invoices or to look at one invoice; questions about invoice
totals ("how much did we invoice last quarter", "list overdue invoices") are reports. A request
that moves money is only proposed; it runs when the same person confirms it ("yes" in the
thread, or `ask --yes --as`): see bot/confirm.py and bot/skills/invoice_confirm.py.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from bot.skill import ToolCall
from crmbot.words import INTERVALS, NUMBER_WORDS
from tools.results import Message

NAME = "invoices"


# An invoice reference as typed, in any numbering scheme: INV-2026-00042, INV-10792, 2026/0042,
# F-2026-042, CN-0042, #311 (a token with a digit in it; tools.invoices.references resolves it)
REF_TOKEN = r"#?(?=[A-Za-z0-9/._-]*\d)[A-Za-z0-9](?:[A-Za-z0-9/._-]*[A-Za-z0-9])?"
INVOICE_REF = rf"(?P<ref>{REF_TOKEN})"
# a bare reference on its own line is taken as "show it" only when it looks like an invoice number
NUMBER_LIKE = r"[A-Za-z]{1,6}[-/]?\d[\d/._-]*\d|\d{4}/\d+"
_DRAFT = re.compile(
    r"^\s*(?:please\s+)?(?:(?:draft|create|make|prepare|raise|generate|issue)\s+(?:an?\s+|the\s+)?invoices?\b"
    # ("draft invoices due before 15 June", "draft invoices older than 30 days": the drafts, a report)
    r"(?<!draft\sinvoices)(?<!draft\sinvoice)"
    r"|^\s*(?:please\s+)?draft\s+invoices?\b(?!\s*(?:[?.!,]|$)|\s+(?:due|issued|created|dated|older|newer|over|under|"
    r"above|below|from|in|with|by|per|this|last|that|which|pending|awaiting|still|not|of|total|count|amount|value)\b)"
    # "invoice" as a verb, not as the noun of a report ("invoice count by status", "invoice totals")
    r"|invoice\s+(?!(?:numbers?|totals?|amounts?|counts?|status(?:es)?|by|per|values?|volumes?|dates?"
    r"|aging|ageing|trends?|sums?|average|avg|list|report|history|stats?)\b))(?P<rest>.*)$",
    re.I,
)
_PARTS = re.compile(
    r"\b(?:in|into|as|over)\s+(?P<n>[\w.-]+)\s+(?:(?P<interval>[a-z-]+)\s+)?(?:parts?|installments?|instalments?|payments?|invoices?)\b",
    re.I,
)
_SPLIT_INTERVAL = re.compile(
    r"\b(monthly|quarterly|semiannual(?:ly)?|half-yearly|yearly|annual(?:ly)?)\b", re.I
)
_TERMS = re.compile(r"\b(?:on\s+|with\s+)?(due on receipt|net[ _-]?(15|30|45|60))\b", re.I)
_DEAL_ID = re.compile(r"\bdeal\s*#?\s*(?P<id>\d+)\b", re.I)
_ACTION = re.compile(
    rf"^\s*(?:please\s+)?(?P<verb>approve|reject|decline|send|cancel|void|mark)\s+(?:the\s+)?(?:invoice\s+)?{INVOICE_REF}"
    r"(?P<tail>.*)$",
    re.I,
)
_SHOW = re.compile(
    rf"^\s*(?:show|open|display|view|get)\s+(?:me\s+)?(?:the\s+)?(?:invoice\s+)?{INVOICE_REF}\s*[?.!]*\s*$",
    re.I,
)
_SHOW_NUMBER_ONLY = re.compile(rf"^\s*(?:invoice\s+)?(?P<ref>{NUMBER_LIKE})\s*[?.!]*\s*$", re.I)
_CHECK_ONE = re.compile(
    rf"\b(?:check|is|are|scan)\b.*?(?:invoice\s+)?(?P<ref>{NUMBER_LIKE}|#\d+)(?![\w/-]).*\bduplicat",
    re.I,
)
_DUPLICATES_OF = re.compile(rf"\bduplicat\w*\s+(?:of|for)\s+(?:invoice\s+)?{INVOICE_REF}", re.I)
_SCAN = re.compile(
    r"^\s*(?:find|scan|check|look)\b.*\bduplicat\w*\s+invoices?\b|^\s*duplicate invoices\s*\??$", re.I
)
_PENDING = re.compile(
    r"^\s*(?:show\s+|list\s+|my\s+|any\s+)*(?:pending approvals?|invoices?\s+(?:pending|waiting for|awaiting)\s+(?:my\s+)?approval"
    r"|what\s+(?:needs|is waiting for|awaits)\s+my\s+approval|approvals?\s+pending)\s*\??\s*$",
    re.I,
)
# "apex electric says they paid INV-2026-00498 last week, can u mark it paid": the invoice named first, the action
# asked after it
_ACTION_ON_IT = re.compile(
    rf"^(?P<before>.*?)(?:invoice\s+)?(?P<ref>{NUMBER_LIKE})(?P<mid>[^?]*?)[,.;]?\s*(?:can|could|would|will)\s+(?:you|u)\s+"
    r"(?:please\s+|pls\s+|plz\s+)?(?P<verb>approve|reject|decline|send|cancel|void|mark)\s+(?:it|this|that|this\s+one|"
    r"that\s+one)\b(?P<tail>.*)$",
    re.I,
)
_IT = re.compile(
    r"^\s*(?:please\s+)?(?P<verb>approve|reject|send)\s+(?:it|this|them|that)\b(?P<tail>.*)$", re.I
)


class DraftArgs(BaseModel):
    deal_id: int | None = None
    deal_text: str | None = None  # "Acme renewal" when no deal id was given
    parts: int = 1
    interval: str = "quarterly"
    terms: str | None = None


class InvoiceActionArgs(BaseModel):
    action: Literal["approve", "reject", "send", "cancel", "mark_paid"]
    invoice: str
    reason: str | None = None


class ShowArgs(BaseModel):
    invoice: str


class DuplicateArgs(BaseModel):
    invoice: str | None = None  # None: scan all invoices


class PendingArgs(BaseModel):
    pass


class ConfirmArgs(BaseModel):
    """The person's "yes" to the action proposed just before. Not a tool the model can call."""

    pending: dict


# Several argument models: one LLM tool each (invoices_draft, invoices_action, ...).
ARGS = {
    "draft": DraftArgs,
    "action": InvoiceActionArgs,
    "show": ShowArgs,
    "duplicates": DuplicateArgs,
    "pending": PendingArgs,
}
DESCRIPTION = {
    "draft": "Draft an invoice from a won deal (`deal_id`, or the deal's name in `deal_text`), optionally split "
    "into `parts` with an `interval` (monthly, quarterly, semiannual, yearly) and `terms` (net_15, net_30, "
    "net_45, net_60, due_on_receipt).",
    "action": "Approve, reject, send, cancel or mark paid one invoice (`invoice`: its number like "
    "INV-2026-00042 or its id), with an optional `reason`.",
    "show": "Show one invoice by its number or id.",
    "duplicates": "Check one invoice for duplicates, or scan all invoices when `invoice` is null.",
    "pending": "List the invoices waiting for the asker's approval.",
}


def _parse_parts(text: str) -> tuple[int | None, str | None, str | None]:
    """(parts, interval, problem) from "in 4 quarterly parts"; (1, None, None) when not split."""
    found = _PARTS.search(text)
    if not found:
        return 1, None, None
    raw = found.group("n").lower()
    interval = INTERVALS.get((found.group("interval") or "").lower())
    if found.group("interval") and interval is None:
        interval = None
    if raw.isdigit():
        return int(raw), interval, None
    if raw in NUMBER_WORDS:
        return NUMBER_WORDS[raw], interval, None
    return (
        None,
        interval,
        f"'{found.group('n')}' is not a number of parts. Try 'invoice deal 123 in 3 parts'.",
    )


def _match_draft(text: str):
    found = _DRAFT.match(text)
    if not found:
        return None
    rest = found.group("rest")
    parts, interval, problem = _parse_parts(rest)
    if problem:
        return Message(problem, kind="clarify")
    split = _SPLIT_INTERVAL.search(rest)
    interval = interval or (INTERVALS.get(split.group(1).lower()) if split else None) or "quarterly"
    terms_hit = _TERMS.search(rest)
    terms = None
    if terms_hit:
        terms = "due_on_receipt" if terms_hit.group(2) is None else f"net_{terms_hit.group(2)}"
    deal = _DEAL_ID.search(rest)
    if deal:
        return ToolCall(
            NAME, DraftArgs(deal_id=int(deal.group("id")), parts=parts, interval=interval, terms=terms)
        )
    name = _PARTS.sub(" ", rest)
    name = _TERMS.sub(" ", name)
    name = re.sub(r"\b(for|of|to|the|deal|please|now|split|today)\b", " ", name, flags=re.I)
    name = re.sub(r"\s+", " ", name).strip(" ,.?!")
    if not name:
        return Message(
            "Which deal should I invoice? Say 'draft an invoice for deal 123' or name the deal.",
            kind="clarify",
        )
    return ToolCall(NAME, DraftArgs(deal_text=name, parts=parts, interval=interval, terms=terms))


def _reason(tail: str) -> str | None:
    """Why, as said after the invoice: "because ...", "reason: ...", or the clause after a comma ("... for Oakhurst
    Asset Management, finance said its fine"); never a word inside a name ("Asset") nor "as paid" itself."""
    said = re.search(
        r"\b(?:because|since|reason(?:\s+being)?|as)\b(?!\s+paid\b)\s*:?\s*(?P<why>.+)$|:\s*(?P<colon>.+)$",
        tail or "",
        re.I,
    )
    if said is None:
        said = re.search(r",\s*(?P<comma>[^,]{3,}.*)$", tail or "")
    if said is None:
        return None
    why = next(g for g in said.groups() if g)
    return why.strip(" .") or None


def _action_call(found: re.Match, invoice: str, said: str | None) -> ToolCall | None:
    """The action a match names on one invoice ("mark" only with "paid" after it), with the reason given (else what
    was said around it)."""
    verb = found.group("verb").lower()
    if verb == "mark" and not re.search(r"\bpaid\b", found.group("tail"), re.I):
        return None
    action = {"decline": "reject", "void": "cancel", "mark": "mark_paid"}.get(verb, verb)
    return ToolCall(
        NAME, InvoiceActionArgs(action=action, invoice=invoice, reason=_reason(found.group("tail")) or said)
    )


def match(text, ctx):
    if not text:
        return None
    confirmed = _confirmation(text, ctx)
    if confirmed is not None:
        return confirmed
    if _PENDING.match(text):
        return ToolCall(NAME, PendingArgs())
    found = _ACTION.match(text)
    if found:
        called = _action_call(found, found.group("ref").lstrip("#"), None)
        if called is not None:
            return called
    asked = _ACTION_ON_IT.match(text)
    if asked:
        said = re.sub(r"\s+", " ", f"{asked.group('before')}{asked.group('ref')}{asked.group('mid')}").strip(
            " ,.;-"
        )
        called = _action_call(asked, asked.group("ref"), said or None)
        if called is not None:
            return called
    it = _IT.match(text)
    if it and ctx is not None and (ctx.thread or {}).get("invoice_numbers"):
        numbers = ctx.thread["invoice_numbers"]
        if len(numbers) > 1:
            return Message(
                "Which one? Say e.g. 'approve " + numbers[0] + "'.", kind="clarify", choices=list(numbers)
            )
        return ToolCall(
            NAME,
            InvoiceActionArgs(
                action=it.group("verb").lower(), invoice=numbers[0], reason=_reason(it.group("tail"))
            ),
        )
    check = _CHECK_ONE.search(text) or _DUPLICATES_OF.search(text)
    if check:
        return ToolCall(NAME, DuplicateArgs(invoice=check.group("ref").lstrip("#")))
    if _SCAN.search(text):
        return ToolCall(NAME, DuplicateArgs())
    show = _SHOW.match(text) or _SHOW_NUMBER_ONLY.match(text)
    if show:
        return ToolCall(NAME, ShowArgs(invoice=show.group("ref").lstrip("#")))
    return _match_draft(text)


def _confirmation(text, ctx):
    """A "yes" (or "no") to the action this thread is waiting on, else None."""
    from bot import confirm
    from bot.router import ToolCall

    pending = confirm.pending_in(ctx.thread if ctx is not None else None, NAME)
    if pending is None:
        return None
    if confirm.is_confirmation(text, pending):
        return ToolCall(NAME, ConfirmArgs(pending=pending.to_state()))
    if confirm.is_refusal(text):
        return Message(f"OK, I did not {pending.what}. Nothing was changed.")
    return None


# --------------------------------------------------------------------------- running


def _missing_tables(engine) -> Message | None:
    from db.engine import check_contract

    report = check_contract(engine)
    if report.problem():
        return Message(report.problem(), kind="error")
    if report.missing_project_tables:
        return Message(
            "This database lacks crmbot's own tables (audit log, invoice counter). Run `crmbot db upgrade` first.",
            kind="error",
        )
    return None


def resolve_invoice(engine, reference: str):
    """The invoice's id, or a Message: not found, or which of several close numbers was meant."""
    from tools.invoices.references import resolve_reference

    with engine.connect() as conn:
        found = resolve_reference(conn, reference)
    if found.invoice_id is not None:
        return found.invoice_id
    if found.choices:
        return Message(
            f"Which invoice did you mean by {reference}? Several are close: "
            + ", ".join(found.choices)
            + ".",
            kind="clarify",
            choices=list(found.choices),
        )
    return _unknown_invoice(reference)


def _unknown_invoice(reference: str) -> Message:
    return Message(
        f"I can't find invoice {reference}. Check the number as it is written on the invoice.", kind="refused"
    )


def run(call, ctx):
    args = call.args
    engine = ctx.engine
    if isinstance(args, (DraftArgs, InvoiceActionArgs, ConfirmArgs)):
        problem = _missing_tables(engine)
        if problem:
            return problem
    if isinstance(args, ConfirmArgs):
        from bot.skills.invoice_confirm import perform

        return perform(args.pending, ctx)
    if isinstance(args, PendingArgs):
        from tools.invoices.flow import pending_approvals
        from tools.invoices.results import PendingApprovals

        return PendingApprovals(pending_approvals(engine, ctx.actor), ctx.actor.name, ctx.actor.is_manager)
    if isinstance(args, DraftArgs):
        from bot.skills.invoice_confirm import propose_draft

        deal_id = _resolve_deal(args, ctx)
        if isinstance(deal_id, Message):
            return deal_id
        if not ctx.scope.is_all:
            from tools.scope import company_problem, deal_company

            problem = company_problem(engine, ctx.scope, deal_company(engine, deal_id))
            if problem:
                return Message(problem, kind="refused")
        return propose_draft(NAME, call, deal_id, ctx)
    if isinstance(args, DuplicateArgs):
        return _run_duplicates(args, engine, ctx.scope)
    invoice_id = resolve_invoice(engine, args.invoice)
    if isinstance(invoice_id, Message):
        return invoice_id
    outside = _outside_scope(engine, ctx.scope, invoice_id)
    if outside:
        return outside
    if isinstance(args, ShowArgs):
        return _run_show(invoice_id, engine)
    from bot.skills.invoice_confirm import propose_action

    return propose_action(NAME, call, invoice_id, ctx)


def _resolve_deal(args: DraftArgs, ctx):
    """The deal to draft for (its id), or a Message: parts out of range, no match, or several."""
    from tools.invoices.flow import MAX_PARTS

    if not 1 <= args.parts <= MAX_PARTS:
        return Message(
            f"I can split an invoice into 1 to {MAX_PARTS} parts, not {args.parts}.", kind="refused"
        )
    deal_id = args.deal_id
    if deal_id is None:
        from tools.invoices.lookup import find_deals

        choices = find_deals(ctx.engine, args.deal_text or "", scope=ctx.scope)
        if not choices:
            return Message(
                f"I can't find a won deal matching '{args.deal_text}'. Try 'draft an invoice for deal 123'.",
                kind="refused",
            )
        best = choices[0]
        close = [c for c in choices if best.score - c.score < 5]
        if len(close) > 1:
            return Message(
                f"Several won deals match '{args.deal_text}'. Which one? Say 'invoice deal <id>'.",
                kind="clarify",
                choices=[c.label for c in close],
            )
        deal_id = best.deal_id
    return deal_id


def _facts(view):
    from tools.invoices.duplicates import InvoiceFacts

    return InvoiceFacts.of_view(view)


def _run_show(invoice_id: int, engine):
    from tools.invoices.duplicates import check_invoice
    from tools.invoices.results import InvoiceDetail
    from tools.invoices.views import load_view

    with engine.connect() as conn:
        view = load_view(conn, invoice_id)
        matches = check_invoice(conn, _facts(view)) if view.status != "void" else []
    return InvoiceDetail(view, matches)


def _run_duplicates(args: DuplicateArgs, engine, scope):
    from tools.invoices.duplicates import check_invoice, scan_database
    from tools.invoices.results import DuplicateReport
    from tools.invoices.views import load_view

    if args.invoice is None:
        with engine.connect() as conn:
            matches, scanned = scan_database(conn)
        return DuplicateReport(_visible_pairs(engine, scope, matches), scanned)
    invoice_id = resolve_invoice(engine, args.invoice)
    if isinstance(invoice_id, Message):
        return invoice_id
    outside = _outside_scope(engine, scope, invoice_id)
    if outside:
        return outside
    with engine.connect() as conn:
        view = load_view(conn, invoice_id)
        matches = check_invoice(conn, _facts(view)) if view.status != "void" else []
    matches = _visible_pairs(engine, scope, matches)
    return DuplicateReport(matches, len(matches) + 1, checked_invoice=view)


def _outside_scope(engine, scope, invoice_id: int) -> Message | None:
    """The refusal when the invoice's account is outside the asker's data scope."""
    from tools.scope import company_problem, invoice_company

    if scope.is_all:
        return None
    problem = company_problem(engine, scope, invoice_company(engine, invoice_id))
    return Message(problem, kind="refused") if problem else None


def _visible_pairs(engine, scope, matches):
    from tools.scope import visible_duplicate_pairs

    return visible_duplicate_pairs(engine, scope, matches)


def thread_state(call, result) -> dict | None:
    """After a draft, "approve it" in the same thread means the drafted invoice; after a proposal,
    the thread waits for its confirmation."""
    from bot.confirm import Proposal

    if isinstance(result, Proposal):
        return result.thread_state()
    invoices = getattr(result, "invoices", None)
    from tools.invoices.results import PendingApprovals

    if invoices and isinstance(result, PendingApprovals) and result.can_approve:
        # "invoices pending approval", then "which of those are net 30": every invoice pending, as a report follows up
        from bot.skills.reports import THREAD_KEY
        from tools.reports.query import Filter, Query

        pending = Query(
            metric="invoices", filters=[Filter("invoice_status", ["pending_approval"])], list_records=True
        )
        return {"skill": NAME, "invoice_numbers": [i.number for i in invoices], THREAD_KEY: pending.to_dict()}
    if invoices:
        return {"skill": NAME, "invoice_numbers": [i.number for i in invoices]}
    invoice = getattr(result, "invoice", None)
    if invoice is not None and hasattr(invoice, "number"):
        return {"skill": NAME, "invoice_numbers": [invoice.number]}
    asked = getattr(call.args, "invoice", None) if isinstance(call.args, InvoiceActionArgs) else None
    if asked:  # "void INV-... and reissue it", refused: "what's still owed on that one then?" is that invoice
        return {"skill": NAME, "invoice_numbers": [str(asked).upper()]}
    return None
