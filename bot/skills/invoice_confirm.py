"""The confirmation step of the invoices skill: propose a money-moving action, do it on a "yes".

A request to approve, reject, send, void, mark paid or draft becomes a ``Proposal`` that names
the exact invoice (number, company, total, status, version) or deal; nothing changes until the
same person confirms it (see bot/confirm.py). What cannot happen anyway (an unknown invoice, an
invoice already approved, a deal that is not won) is said at once, without asking.
"""

from __future__ import annotations

from tools.results import Message

ACTION_WORDS = {
    "approve": "approve",
    "reject": "reject",
    "send": "send",
    "cancel": "void",
    "mark_paid": "mark as paid",
}


def propose_action(skill: str, call, invoice_id: int, ctx):
    """A Proposal to act on one invoice, or a Message when the action cannot happen."""
    from bot.confirm import PendingAction, Proposal, how_to_confirm
    from tools.invoices import flow
    from tools.invoices.views import load_view

    args = call.args
    with ctx.engine.connect() as conn:
        view = load_view(conn, invoice_id)
        starts, _ = flow.TRANSITIONS[args.action]
        if view.status not in starts:
            if view.status in ("approved", "void", "sent", "paid"):
                return Message(flow.explain_status(conn, view), kind="refused")
            return Message(
                f"{view.number} is {view.status.replace('_', ' ')}, so it can't be "
                f"{flow.PAST_TENSE[args.action]} now.",
                kind="refused",
            )
    what = f"{ACTION_WORDS[args.action]} invoice {view.number}"
    facts = f"{view.company_name or 'no company'}, {view.currency} {view.total:,.2f}, {view.status.replace('_', ' ')}"
    reason = f", with the reason '{args.reason}'" if args.reason else ""
    pending = PendingAction(
        skill=skill,
        action=args.action,
        args={**args.model_dump(), "invoice": view.number},
        what=what,
        summary=f"{what} ({facts}){reason}",
        actor_id=ctx.actor.user_id,
        reference=view.number,
        proposed_by=getattr(call, "source", "rules"),
        version=view.version,
    )
    return Proposal(pending, how_to_confirm(ctx.channel, pending), thread_before=ctx.thread)


def propose_draft(skill: str, call, deal_id: int, ctx):
    """A Proposal to draft invoices for a won deal, or a Message when it cannot be drafted."""
    from sqlalchemy import select

    from bot.confirm import PendingAction, Proposal, how_to_confirm
    from db.models import Company, Deal

    args = call.args
    with ctx.engine.connect() as conn:
        deal = conn.execute(
            select(Deal.id, Deal.name, Deal.stage, Deal.amount, Deal.currency, Company.name.label("company"))
            .outerjoin(Company, Company.id == Deal.company_id)
            .where(Deal.id == deal_id)
        ).first()
    if deal is None:
        return Message(f"There is no deal {deal_id}. Check the number, or name the deal.", kind="refused")
    if deal.stage != "closed_won":
        return Message(
            f"Deal {deal.id} ({deal.name}) is in stage '{deal.stage}': only closed_won deals can be invoiced.",
            kind="refused",
        )
    split = f" in {args.parts} {args.interval} parts" if args.parts > 1 else ""
    terms = f" on {args.terms.replace('_', ' ')}" if args.terms else ""
    amount = f", {deal.currency or 'USD'} {deal.amount:,.2f}" if deal.amount is not None else ""
    what = f"draft an invoice for deal {deal.id}"
    pending = PendingAction(
        skill=skill,
        action="draft",
        args={**args.model_dump(), "deal_id": deal.id, "deal_text": None},
        what=what,
        summary=f"{what} ({deal.company or 'no company'} — {deal.name}{amount}){split}{terms}, pending approval",
        actor_id=ctx.actor.user_id,
        reference=f"deal {deal.id}",
        proposed_by=getattr(call, "source", "rules"),
    )
    return Proposal(pending, how_to_confirm(ctx.channel, pending), thread_before=ctx.thread)


def perform(pending_state: dict, ctx):
    """Do the action the person just confirmed: exactly what was proposed, to the version shown."""
    from bot.confirm import PendingAction
    from tools.invoices import flow
    from tools.invoices.references import find_invoice_id

    pending = PendingAction.from_state(pending_state)
    if pending is None:
        return Message("I no longer know what you were confirming; please ask again.", kind="refused")
    problem = confirmation_problem(pending, ctx)
    if problem is not None:
        return problem
    args, engine, actor = pending.args, ctx.engine, ctx.actor
    if pending.action == "draft":
        return flow.draft_from_deal(
            engine,
            args["deal_id"],
            actor,
            ctx.today,
            parts=args["parts"],
            interval=args["interval"],
            terms=args["terms"],
        )
    with engine.connect() as conn:
        invoice_id = find_invoice_id(conn, pending.reference)
    if invoice_id is None:
        return Message(
            f"I can't find invoice {pending.reference} any more. Nothing was changed.", kind="refused"
        )
    if pending.action == "approve":
        return flow.approve(engine, invoice_id, actor, None, expected_version=pending.version)
    if pending.action == "reject":
        return flow.reject(
            engine, invoice_id, actor, None, reason=args.get("reason"), expected_version=pending.version
        )
    if pending.action == "cancel":
        return flow.cancel(engine, invoice_id, actor, None, reason=args.get("reason"))
    return {"send": flow.send, "mark_paid": flow.mark_paid}[pending.action](engine, invoice_id, actor, None)


def confirmation_problem(pending, ctx) -> Message | None:
    """Why this "yes" does not confirm ``pending``: someone else said it, or the invoice changed."""
    if pending.actor_id is None or pending.actor_id != ctx.actor.user_id:
        return Message(
            f"Only the person who asked can confirm: ask them to reply 'yes', or ask me yourself "
            f"to {pending.what}. Nothing was changed.",
            kind="refused",
        )
    if pending.action in ("send", "cancel", "mark_paid") and pending.version is not None:
        from tools.invoices.references import find_invoice_id
        from tools.invoices.views import load_view

        with ctx.engine.connect() as conn:
            invoice_id = find_invoice_id(conn, pending.reference)
            view = load_view(conn, invoice_id) if invoice_id is not None else None
        if view is None or view.version != pending.version:
            return Message(
                f"{pending.reference} changed since I asked, so I did nothing. Ask again to see it as it is now.",
                kind="refused",
            )
    return None
