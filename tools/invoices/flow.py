"""The invoice flow in one place to import from: drafting, transitions, edits and lists.

  draft -> pending_approval -> approved -> sent -> paid
  draft | pending_approval --reject--> void ;  approved --cancel--> void

drafting     drafts from won deals: lines, tax, terms, instalments, numbers, duplicate check
transitions  approve / reject / send / mark paid (with its payment), who may, the limit
edits        changes before approval, checked before they are written, version-checked
audit        the audit log, versions, and "already approved by Dana at 10:42"

Every action taken through here, done or refused, also goes into the audit trail (tools/audit.py).
"""

import functools
import time

from tools.invoices import drafting, edits, transitions
from tools.invoices.audit import PAST_TENSE, explain_status
from tools.invoices.drafting import MAX_PARTS, add_months
from tools.invoices.edits import EDITABLE_STATUSES, EditError, form_changes
from tools.invoices.transitions import TRANSITIONS, pending_approvals


def _audited(action: str, act):
    """``act`` (engine, invoice or deal id, actor, ...), with every call, done or refused, in the audit
    trail (tools/audit.py): whoever acts, from whichever front end."""

    @functools.wraps(act)
    def run(engine, target_id, actor, *args, **kwargs):
        from tools.audit import record_action

        started = time.monotonic()
        result = act(engine, target_id, actor, *args, **kwargs)
        record_action(actor, _words(action, target_id, result), refused=not result.ok, started=started)
        return result

    return run


def _words(action: str, target_id, result) -> str:
    """ "approve INV-2026-00042", "draft deal 12", "edit INV-2026-00042 (payment_terms)"."""
    if action == "draft":
        numbers = [v.number for v in getattr(result, "invoices", None) or []]
        return f"draft deal {target_id}" + (f" -> {', '.join(numbers)}" if numbers else "")
    invoice = getattr(result, "invoice", None)
    what = f"{action} {getattr(invoice, 'number', None) or f'invoice {target_id}'}"
    changes = getattr(result, "changes", None)
    if action == "edit" and changes:
        what += f" ({', '.join(map(str, changes))})"
    return what


approve = _audited("approve", transitions.approve)
reject = _audited("reject", transitions.reject)
cancel = _audited("cancel", transitions.cancel)
send = _audited("send", transitions.send)
mark_paid = _audited("mark_paid", transitions.mark_paid)
submit = _audited("submit", transitions.submit)
draft_from_deal = _audited("draft", drafting.draft_from_deal)
edit = _audited("edit", edits.edit)

__all__ = [
    "EDITABLE_STATUSES",
    "MAX_PARTS",
    "PAST_TENSE",
    "TRANSITIONS",
    "EditError",
    "add_months",
    "approve",
    "cancel",
    "draft_from_deal",
    "edit",
    "explain_status",
    "form_changes",
    "mark_paid",
    "pending_approvals",
    "reject",
    "send",
    "submit",
]
