"""Follow-ups said in words of their own, said again in the reader's words before it reads them: what the previous
answer makes of "same breakdown", "which accounts paid?", "list the deals", "which accounts opened 4 or more?", "over
that 90 day window", "total and how many deals" (tools.reports.nlq.reader_said calls it when there is a previous
answer)."""

from __future__ import annotations

import re

from tools.reports import semantic
from tools.reports.query import Query


def said_after(question: str, previous: Query) -> str:
    """The follow-up in the reader's words, given the answer before it."""
    ones_then_which = _ONES_THEN_WHICH.match(question)
    if ones_then_which:
        # "only the urgent ones - which accounts raised them?" after tickets by priority: those accounts, of the
        # urgent ones (never the urgent tickets listed)
        question = f"{ones_then_which.group('which')} {ones_then_which.group('value')} only"
    listed = _LIST_THE_RECORDS.match(question)
    if listed and semantic.model().base_of(previous.metric) == listed.group("records").lower():
        # "how much did the Nordics team book in Jan" then "list the deals - name, rep, amount": those deals
        question = f"list them{listed.group('rest')}"
    total_of = _THE_ONES_THEN_TOTAL.match(question) if previous.list_records else None
    if total_of and semantic.model().base_of(previous.metric) == "invoices":
        # "show me overdue invoices" then "just the ones more than 90 days past due - total $?": what is owed on those
        question = f"how much is owed on the ones {total_of.group('which')}"
    paid_by = _WHICH_ACCOUNTS_DID_IT.match(question)
    if (
        paid_by
        and previous.metric in _DONE_BY.get(paid_by.group("verb").lower(), ())
        and previous.period is not None
        and not (previous.group_by or previous.list_records or previous.compare_to)
    ):
        # "how much cash came in yesterday" then "which accounts paid? name + amount": yesterday's, by account
        question = f"by account{paid_by.group('rest')}"
    same_split = _SAME_BREAKDOWN.search(question) if previous.group_by else None
    if same_split:
        # "and how many of those are high churn risk? same breakdown" after customers by industry: by industry again
        said = " and ".join(
            g.split(":", 1)[1] if g.startswith("time:") else g.replace("_", " ") for g in previous.group_by
        )
        question = (
            question[: same_split.start()].rstrip(" ,.;-") + f", by {said}" + question[same_split.end() :]
        )
    if previous.owner is not None and previous.owner.scope == "team":
        # "my team's bookings this quarter" then "who on the team booked the most? top 3": which rep of it, in that
        # quarter (the team is already the answer's)
        question = _WHO_ON_THE_TEAM.sub("which rep ", question)
    if not previous.group_by and not previous.list_records:
        # "my team's bookings this quarter" then "who booked the most? top 3": which rep, never the biggest deals
        question = _WHO_DID_THE_MOST.sub("which rep ", question)
    if _WHICH_ACCOUNTS_N.match(question):
        # "which accounts opened 4 or more?" after how many tickets LATAM customers opened: 4 or more of those
        question = _WHICH_ACCOUNTS_N.sub(r"\g<head> of them", question)
    window = _THAT_WINDOW.search(question)
    if window:
        days = int(window.group("days"))
        said = previous.period.label.lower() if previous.period else ""
        if (previous.metric == "dso" and days == 90) or re.search(
            rf"\b(?:last|past)\s+{days}\s+days\b", said
        ):
            # "what were total billings over that 90 day window?" after DSO: the 90 days DSO's billing is over
            question = question[: window.start()] + f" in the last {days} days" + question[window.end() :]
    total = _TOTAL_AND_COUNT.search(question)
    if total and not previous.also:
        measure = semantic.model().metric(previous.metric)
        if measure.format == "money" and measure.aggregate == "sum":
            # "just negotiation - total and how many deals" after the open pipeline by stage: that amount, and the count
            question = (
                question[: total.start("total")] + measure.label.lower() + question[total.end("total") :]
            )
    return question


_ONES_THEN_WHICH = re.compile(
    r"^\W*(?:ok\s+|and\s+|now\s+)?(?:only|just)\s+(?:the\s+)?(?P<value>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s+ones\s*[-–—:,]\s*"
    r"(?P<which>(?:which|what)\s+(?:accounts|customers|companies|clients)\s+(?:raised|opened|logged|filed|had|have|sent|"
    r"made|placed|paid|owe|are\s+they\s+from|were\s+they\s+from)\b[^?]*?)\s*[?.!]*\s*$",
    re.I,
)
_LIST_THE_RECORDS = re.compile(
    r"^\W*(?:ok\s+|and\s+|now\s+|so\s+)?(?:pls\s+|please\s+)?(?:list|show)\s+(?:me\s+)?(?:the|those|these)\s+"
    r"(?P<records>deals|invoices|payments|leads)\b(?P<rest>\s*(?:[-–—:,]\s*[^?]*)?)[?.!]*\s*$",
    re.I,
)
_THE_ONES_THEN_TOTAL = re.compile(
    r"^\W*(?:ok\s+|and\s+|now\s+)?(?:just|only)\s+(?:the\s+)?ones\s+(?P<which>[^-–—:,?]{3,60}?)\s*[-–—:,]\s*"
    r"(?:what'?s\s+|whats\s+|what\s+is\s+)?(?:the\s+)?total(?:\s+(?:\$|amount|value|owed|outstanding))?\s*\$?\s*[?.!]*\s*$",
    re.I,
)
_WHICH_ACCOUNTS_DID_IT = re.compile(
    r"^\W*(?:and\s+|so\s+|ok\s+)?(?:which|what|who)\s+(?:accounts|customers|companies|clients)\s+(?P<verb>paid|booked|bought|"
    r"signed)\s*[?.!]*(?P<rest>(?:\s*[-–—:,]?\s*[a-z#$][\w\s,+&$#/-]{0,50})?)\s*[?.!]*\s*$",
    re.I,
)
_DONE_BY = {
    "paid": ("revenue", "payments"),
    "booked": ("bookings", "deals_won"),
    "bought": ("bookings", "deals_won"),
    "signed": ("bookings", "deals_won"),
}
_SAME_BREAKDOWN = re.compile(
    r"[?.!,;-]?\s*(?:(?:and\s+)?(?:with\s+|using\s+|in\s+)?the\s+|and\s+)?same\s+(?:breakdown|split|grouping|cut|view|layout)"
    r"(?:\s+as\s+before)?(?:\s+(?:please|pls))?\s*[.!?]*\s*$",
    re.I,
)
_WHO_ON_THE_TEAM = re.compile(
    r"^\W*(?:and\s+|so\s+|ok\s+)?who\s+(?:on|in|from)\s+(?:the|my|our)\s+team\s+", re.I
)
_WHO_DID_THE_MOST = re.compile(
    r"^\W*(?:and\s+|so\s+|ok\s+)?who\s+(?=(?:booked|sold|won|closed|brought\s+in|signed)\s+the\s+most\b)",
    re.I,
)
_WHICH_ACCOUNTS_N = re.compile(
    r"^(?P<head>\W*(?:and\s+|so\s+|ok\s+)?(?:which|what)\s+(?:accounts|customers|companies|clients)\s+(?:opened|raised|logged|"
    r"filed|had|have|has|got|placed|submitted|made)\s+(?:at\s+least\s+|more\s+than\s+|over\s+)?\d{1,4}(?:\s*\+|\s+or\s+more)?)"
    r"(?=\s*[?.!]*\s*$)",
    re.I,
)
_THAT_WINDOW = re.compile(
    r"\s*\b(?:over|in|during|for|across|within)\s+(?:that|the\s+same|those|this)\s+(?P<days>\d{1,3})[\s-]*days?"
    r"(?:\s+(?:window|period|stretch|range))?\b",
    re.I,
)
_TOTAL_AND_COUNT = re.compile(
    r"(?:^|[-–—:,]\s*)(?P<total>(?:the\s+)?(?:total|sum|\$\s*(?:total|amount)|amount))\s*(?:and|&|\+|plus)\s*"
    r"(?:how\s+many|#|count|number)\b",
    re.I,
)
