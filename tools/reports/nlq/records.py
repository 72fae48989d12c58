"""Records a question names or points at: an invoice by its number, the records a refused change was about, and
the computed columns of invoices said in words ("days overdue", "paid so far")."""

from __future__ import annotations

import re
from collections.abc import Callable

from tools.reports import semantic
from tools.reports.build import DAYS_OVERDUE, PAID_TO_DATE
from tools.reports.nlq.types import Reading, Refusal
from tools.reports.query import Filter, Query

Read = Callable[[str], "Reading | Refusal"]  # a question read on its own (no thread)

_CHANGE_VERB = re.compile(
    r"^\W*(?:(?:please|pls|can\s+you|could\s+you|would\s+you|will\s+you|go\s+ahead\s+and|just|ok|okay|hey|now|then)"
    r"[\s,]+)*(?:approve|reject|void|cancel|delete|remove|drop|close(?:\s+out)?|resolve|reopen|move|mark|set|change|update|"
    r"flag|reassign|assign|archive|edit|refund|email|send\s+(?:a\s+)?(?:reminder|reminders|emails?)\s+(?:to|for))\s+",
    re.I,
)
_STAGE_WORDS = re.compile(
    r"\b(?:closed[\s-]*won|closed[\s-]*lost|won|lost|proposal|negotiation|qualification|prospecting)\b"
)


def records_of_change(question: str, read: Read) -> Query | None:
    """What a refused change was about, read as the records it names ("approve all the invoices in pending
    approval": those invoices; "move Summit Crane to closed won": Summit Crane's open deals), so that "fine, just
    list them" or "what's the amount on that deal?" has something to point back to. Nothing is run."""
    verb = _CHANGE_VERB.match(question)
    said_first = ""
    if (
        verb is None
    ):  # "Paul Vargas is leaving - reassign all his accounts to Marie Bakker": the change after a remark
        parts = re.split(r"\s[-—–:]\s|[;.!]\s+", question, maxsplit=1)
        verb = _CHANGE_VERB.match(parts[1]) if len(parts) == 2 else None
        if verb is None:
            return None
        person = re.match(r"\s*([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){1,2})\b", parts[0])
        said_first, question = (person.group(1) if person else ""), parts[1]
    rest = re.split(
        r"[,;.!?]|\s[-—–]\s|\b(?:because|since|they|as\s+they|i've|i\s+have)\b", question[verb.end() :]
    )[0]
    target = re.search(r"\s+(?:to|as|into)\s+(.*)$", rest)
    subject = rest[: target.start()] if target else rest
    subject = re.sub(r"\b(?:pls|please|for\s+me|now|asap)\b", " ", subject).strip()
    if said_first:  # "all his accounts": the person named before the change
        subject = re.sub(r"\b(?:his|her|their)\b", f"{said_first}'s", subject, flags=re.I)
    if not subject:
        return None
    if re.search(r"\bapprove\b", verb.group(0), re.I):
        # "approve the pending invoice for X": the invoice waiting for approval
        subject = re.sub(r"\bpending\b(?!\s+approval)", "pending approval", subject, flags=re.I)
    # "the invoice for X": its records (a noun said once is the one record, still a list of them)
    subject = re.sub(r"\b(invoice|deal|ticket|payment)\b(?!s)", r"\1s", subject, flags=re.I)
    if (
        target
        and _STAGE_WORDS.search(target.group(1).lower())
        and not re.search(r"\bdeals?\b", subject, re.I)
    ):
        subject = f"open deals for {subject}"  # "move Summit Crane Computing to closed won": its open deals
    reading = read(f"list {subject}")
    if not isinstance(reading, Reading) or not reading.query.list_records:
        return None
    if any(note.startswith(("ignored", "left aside")) for note in reading.notes):
        return None  # "the iron tower code renewal": a word of it not read, so not those records for sure
    # the figure of those records: "list them" and "the amount" both follow from it
    reading.query.list_records = False
    return reading.query


# "pls mark it as paid", "void INV-...": a change to the invoice named, never answered with its row
CHANGES_A_RECORD = re.compile(
    r"\b(?:mark|marked|set|change|update|void|cancel|approve|reject|delete|remove|refund|close|reopen|send|resend|"
    r"email|record|log|apply|write\s+off)\b",
    re.I,
)
# an invoice number as written on it ("INV-2026-01464"); not a fiscal year or quarter ("FY-2025-26", "Q3-2025-...")
RECORD_NUMBER = re.compile(
    r"(?:\binv\.?\s*#?\s*(?=[A-Za-z]{2,6}-))?\b(?!(?:fy|q[1-4]|h[12])-)([A-Za-z]{2,6}-\d{2,4}(?:-\d{2,8})+(?:-[A-Za-z](?![\w-]))?)\b",
    re.I,
)


def invoice_row(numbers: list[str]) -> Reading:
    """ "how much is still open on INV-2026-01464", "when is it due": that invoice itself, with its total, balance,
    dates, what was paid and how late it is (whichever was asked, it is on the row; no figure of another)."""
    query = Query(metric="invoices", filters=[Filter("numbered_invoice", numbers)], list_records=True)
    query.columns = [PAID_TO_DATE, DAYS_OVERDUE]
    return Reading(query, [f"the invoice{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}"])


_DAYS_LATE_SAID = re.compile(r"\bdays?\s+(?:overdue|late|past\s+(?:due|the\s+due\s+date))\b")
_PAID_SO_FAR_SAID = re.compile(
    r"\b(?:paid|received|collected)\s+(?:so\s+far|to\s+date|already)\b|\balready\s+(?:been\s+)?paid\b|"
    # "show what's been paid and what's left", "how much was paid on each"
    r"\bwhat(?:'s|\s+has|\s+have)\s+been\s+paid\b|\bhow\s+much\s+(?:has\s+been|was|is)\s+paid\b|\bamounts?\s+paid\b"
)


def computed_columns_said(query: Query, text: str) -> None:
    """ "how many days overdue is the oldest unpaid invoice", "... what has been paid so far and what is left":
    those columns beside each invoice listed, however the sentence names them."""
    if not query.list_records or semantic.model().base_of(query.metric) != "invoices":
        return
    lowered = text.lower()
    if DAYS_OVERDUE not in query.columns and _DAYS_LATE_SAID.search(lowered):
        query.columns.append(DAYS_OVERDUE)
    if PAID_TO_DATE not in query.columns and _PAID_SO_FAR_SAID.search(lowered):
        query.columns.append(PAID_TO_DATE)


def days_overdue_column(reading: Reading) -> Refusal | None:
    """ "10 biggest overdue invoices - number, customer, balance, days late": that column beside each invoice;
    asked of anything but invoices, said instead of left out."""
    query = reading.query
    if query.list_records and semantic.model().base_of(query.metric) == "invoices":
        if DAYS_OVERDUE not in query.columns:
            query.columns.append(DAYS_OVERDUE)
        return None
    return Refusal(
        'Days overdue is a column of each invoice: ask for the invoices themselves, e.g. "overdue invoices - number, '
        'customer, balance, days overdue".',
        ["overdue invoices with days overdue"],
        kind="unknown",
    )
