"""Every question any front end hands the router goes into the audit trail (tools/audit.py).

``record_question`` turns a reply into one row: the words, who asked and where, the kind of answer
(the envelope's: report, card, refusal...), the SQL run and the rows it returned, how long it took
and whether it was refused. It never raises: an answer is never lost for want of its audit row.
"""

from __future__ import annotations

import logging
import time

log = logging.getLogger(__name__)

# the lists a typed result holds its records in, in the order they are looked for
_RECORD_LISTS = ("rows", "leads", "accounts", "invoices", "matches", "choices")


def record_question(ctx, text: str, reply, started: float) -> None:
    """One row for ``text`` asked in ``ctx`` and answered with ``reply``, begun at ``started`` (monotonic)."""
    try:
        from tools.audit import AuditRecord, record

        result = reply.result
        entry = AuditRecord.of_actor(
            ctx.actor,
            kind="question",
            text=text or "",
            place=ctx.place or ctx.channel,
            answer_kind=answer_kind(result),
            sql=getattr(result, "sql", None) if isinstance(getattr(result, "sql", None), str) else None,
            rows=record_count(result),
            duration_ms=round((time.monotonic() - started) * 1000, 2),
            refused=was_refused(result),
            scope=_scope_kind(ctx),
            error_id=getattr(result, "error_id", None),
        )
        record(entry)
    except Exception as exc:  # noqa: BLE001 - auditing must never break an answer
        log.warning("could not record a question in the audit trail (%s)", type(exc).__name__)


def answer_kind(result) -> str:
    """The envelope's kind of ``result`` (report, card, list, refusal, confirm...), without rendering it."""
    from bot.envelope import kind_of

    if type(result).__name__ == "Proposal":
        return "confirm"
    data = {
        "refused": bool(getattr(result, "refused", False)),
        "choices": list(getattr(result, "choices", None) or []),
        "columns": list(getattr(result, "columns", None) or []),
    }
    return kind_of(result, data)


def was_refused(result) -> bool:
    if getattr(result, "refused", False):
        return True
    if type(result).__name__ == "Message":
        return result.kind in ("refused", "error")
    ok = getattr(result, "ok", None)
    return ok is False


def record_count(result) -> int | None:
    for name in _RECORD_LISTS:
        value = getattr(result, name, None)
        if isinstance(value, list | tuple):
            return len(value)
    return None


def _scope_kind(ctx) -> str | None:
    from tools.scope import role_scope

    return role_scope(ctx.actor)
