"""The invoice flow in one place to import from: drafting, transitions, edits and lists.

  draft -> pending_approval -> approved -> sent -> paid
  draft | pending_approval --reject--> void ;  approved --cancel--> void

drafting     drafts from won deals: lines, tax, terms, instalments, numbers, duplicate check
transitions  approve / reject / send / mark paid (with its payment), who may, the limit
edits        changes before approval, checked before they are written, version-checked
audit        the audit log, versions, and "already approved by Dana at 10:42"
"""

from tools.invoices.audit import PAST_TENSE, explain_status
from tools.invoices.drafting import MAX_PARTS, add_months, draft_from_deal
from tools.invoices.edits import EDITABLE_STATUSES, EditError, edit, form_changes
from tools.invoices.transitions import (
    TRANSITIONS,
    approve,
    cancel,
    mark_paid,
    pending_approvals,
    reject,
    send,
    submit,
)

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
