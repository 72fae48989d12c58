"""Questions said in one of a few shapes people type, read before the rest: a field after "+" ("deals over 100k +
owner": a column, not a split), records then the columns asked as questions ("which open deals do they have, what
stage, how much?"), what the last contact was about, any number of days past due, invoices ranked by the balance
still owed on each, and a list with each record's last touch ("list em + when we last touched them")."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from tools.reports import semantic
from tools.reports.nlq.phrasings_plain import records_then_columns
from tools.reports.nlq.types import Reading, Refusal
from tools.reports.query import Query

Read = Callable[[str], "Reading | Refusal"]


def as_said(question: str, previous: Query | None) -> str:
    """The question with those shapes said in the reader's words."""
    question = _plus_a_column(question)  # "deals over 100k + owner": with the owner, not split by owner
    question = records_then_columns(question)  # "which open deals do they have, what stage, how much?"
    if previous is not None and previous.metric == "last_contacted" and _WHAT_ABOUT.match(question):
        return (
            "and the latest activity?"  # "what was it about" after when we last spoke to them: that activity
        )
    return question


def invoices_by_balance(question: str, read: Read) -> Reading | None:
    """ "top 5 overdue invoices by balance, w/ customer": those invoices, by what is still owed on each (never a split
    "by balance", nor the accounts ranked by what they owe)."""
    from tools.reports.build import BALANCE

    ranked = _INVOICES_BY_BALANCE.search(question)
    if ranked is None:
        return None
    listed = read(question[: ranked.start()] + " " + ranked.group("which") + ranked.group("rest"))
    if not isinstance(listed, Reading) or not listed.query.list_records:
        return None
    if semantic.model().base_of(listed.query.metric) != "invoices":
        return None
    listed.query.sort_column = BALANCE
    listed.query.order = "asc" if ranked.group("end").lower() in ("bottom", "smallest") else "desc"
    listed.query.limit = int(ranked.group("n"))
    return Reading(listed.query, [*listed.notes, "ranked by the balance still owed on each"])


def with_last_touch(question: str, previous: Query | None, read: Read) -> Reading | None:
    """ "list em + when we last touched them" after how many weren't touched: those, each with its last contact."""
    if previous is None or previous.list_records:
        return None
    touch = _WITH_LAST_TOUCH.search(question)
    if touch is None:
        return None
    listed = read(question[: touch.start()])
    model = semantic.model()
    if not isinstance(listed, Reading) or not listed.query.list_records:
        return None
    if not model.reachable(model.base_of(listed.query.metric), "companies"):
        return None
    if "last_contacted" not in listed.query.columns:
        listed.query.columns.append("last_contacted")
    return listed


_MORE_DAYS_PAST_DUE = re.compile(
    r"\b(?:(?P<over>more\s+than|over|greater\s+than|older\s+than|>)\s*(?P<n>\d{1,4})|(?:at\s+least\s+)?(?P<m>\d{1,4})"
    r"\s*(?:\+|plus\b|or\s+more\b))\s*days?\s+(?:past\s+(?:the\s+)?due(?:\s+date)?|overdue|late)\b"
)


def days_past_due(text: str, today: date) -> str:
    """ "invoices more than 180 days past due", "45+ days late": overdue, due before the day that many days ago
    (the contract's 30/60/90 are its aging buckets, read as those)."""

    def due_before(m: re.Match) -> str:
        days = int(m.group("n") or m.group("m"))
        if days in (30, 60, 90):
            return m.group(0)
        last_day = today - timedelta(days=days + (0 if m.group("n") else -1))  # past due by more than days
        return f"overdue with a due date before {last_day.isoformat()}"

    return _MORE_DAYS_PAST_DUE.sub(due_before, text)


_WHAT_ABOUT = re.compile(
    r"^\W*(?:(?:and|so|ok|okay)\W+)*(?:what\s+(?:was|is)\s+(?:it|that|this)\s+(?:about|regarding|re)|what\s+did\s+(?:we|they|you)\s+"
    r"(?:talk|speak|chat)\s+about|what\s+was\s+(?:the\s+)?(?:subject|topic)(?:\s+of\s+(?:it|that))?|about\s+what)\W*$",
    re.I,
)
_INVOICES_BY_BALANCE = re.compile(
    r"\b(?P<end>top|bottom|biggest|largest|smallest)\s+(?P<n>\d{1,3})\s+(?P<which>(?:[\w-]+\s+){0,3}?invoices)\s+by\s+"
    r"(?:the\s+|their\s+)?(?:open\s+|outstanding\s+|remaining\s+|unpaid\s+)?(?:balances?|amount\s+(?:still\s+)?(?:owed|due|"
    r"outstanding|left)|outstanding\s+amount|amount\s+unpaid)\b(?P<rest>.*)$",
    re.I,
)
# "list em + when we last touched them", "show those with their last contact date"
_WITH_LAST_TOUCH = re.compile(
    r"(?<=\w)\s*(?:\+|\band\b|\bwith\b|\bw/|,)\s*(?:(?:when|the\s+date)\s+(?:we|i|you|someone|anyone)\s+last\s+(?:touched|contacted|"
    r"spoke\s+(?:to|with)|talked\s+to|called|heard\s+from)\s+(?:them|each(?:\s+one)?)|(?:their|the|its)\s+last\s+(?:touch|contact)"
    r"(?:ed)?(?:\s+dates?)?)\W*$",
    re.I,
)


def _plus_a_column(text: str) -> str:
    """ "Glacier College invoices this year + status", "deals over 100k + owner": a field added to the records'
    list ("with its status"), never a split by it; "revenue by region + segment" (a split said before) is two."""
    from tools.reports.lexicon import lexicon

    def column(m: re.Match) -> str:
        before = text[: m.start()]
        senses = lexicon().get(m.group(1).strip().lower()) or ()
        if re.search(r"\b(?:by|per|each|with|including)\b|\bw/", before, re.I) or not senses:
            # ("revenue by region + segment": two splits; "w/ amount + reason": a list of columns already)
            return m.group(0)
        if all(s.kind == "dim" for s in senses):
            return f" with {m.group(1)}{m.group(2)}"
        return m.group(0)

    return re.sub(r"(?<=\w)\s+\+\s+([a-z][a-z ]*?)\s*([,?.;!]|$)", column, text, flags=re.I)
