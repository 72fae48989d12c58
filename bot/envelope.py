"""One answer envelope for every front end: the terminal's --json, `crmbot ask --json`, the HTTP API.

Whatever a skill returned (a report, a card, a list, a draft, an explanation, a question back,
a refusal), the envelope has the same keys, so a program reading it needs no per-skill code:

  kind      report | card | list | draft | explanation | clarification | refusal | help | action
  answer    the sentence(s) a person reads
  columns   the column names of the data shown (may be empty)
  rows      the data shown
  refused   true when it will not or cannot answer
  choices   the options offered when it asks back

plus whatever the result's own JSON form carries (sql, interpretation, chart...).
"""

from __future__ import annotations

from typing import Any

# result type name -> kind, for results that are always of one kind
_KIND_BY_TYPE = {
    "CompanyInsight": "card",
    "AtRiskList": "list",
    "LeadCard": "card",
    "LeadExplanation": "explanation",
    "LeadList": "list",
    "DraftResult": "draft",
    "TransitionResult": "action",
    "EditResult": "action",
    "PendingApprovals": "list",
    "InvoiceDetail": "card",
    "DuplicateReport": "list",
    "TermsSuggestion": "card",
    "Explanation": "explanation",
    "HealthModel": "explanation",
    "Identity": "card",
}
_MESSAGE_KINDS = {
    "info": "help",
    "help": "help",
    "clarify": "clarification",
    "refused": "refusal",
    "error": "refusal",
    "action": "action",
    "explanation": "explanation",
    "card": "card",
}


def kind_of(result: Any, data: dict) -> str:
    name = type(result).__name__
    if name == "Message":
        return _MESSAGE_KINDS.get(result.kind, "help")
    if name == "ReportResult":
        if result.refused:
            return "clarification" if result.choices else "refusal"
        query = result.query or {}
        return "list" if query.get("list_records") else "report"
    if data.get("refused"):
        return "clarification" if data.get("choices") else "refusal"
    if data.get("kind"):  # a result that says what it is (a proposal waiting for "yes": "confirm")
        return data["kind"]
    return _KIND_BY_TYPE.get(name, "report" if data.get("columns") else "help")


def envelope(result: Any) -> dict:
    """The JSON-ready answer of ``result`` with the envelope's keys always present."""
    from bot.render import to_data

    data = dict(to_data(result))
    if type(result).__name__ in ("EditResult", "TransitionResult") and not getattr(result, "ok", True):
        data["refused"] = True  # "'out' is not a date": nothing was changed, and the answer says why
    data["kind"] = kind_of(result, data)
    data["answer"] = data.get("answer") or ""
    data["columns"] = list(data.get("columns") or [])
    data["rows"] = [list(r) for r in data.get("rows") or []]
    data["refused"] = bool(data.get("refused"))
    data["choices"] = list(data.get("choices") or [])
    return data
