"""The text of a question rewritten before it is read: ticket priorities said alone ("the high ones"), reps'
names that hold a month's word, a quarter or month said without its year in a follow-up on a past year, "last
90" after "last 30 days", every value of a dimension listed before its name ("low / medium / high churn
risk": by churn risk), and two values sharing one noun ("sent and paid invoices").
"""

from __future__ import annotations

import re
from datetime import date

from tools.reports import semantic
from tools.reports.entities import Entities
from tools.reports.lexicon import filler
from tools.reports.query import Query


def ticket_priorities(text: str, previous: Query | None) -> str:
    """ "high or urgent", "the high ones" about tickets: the ticket's priority (a bare "high" could
    also be a churn risk, so only where tickets are what the thread is about)."""
    about_tickets = re.search(r"\b(?:tickets?|tix|tkts?|support\s+cases?)\b", text) or (
        previous is not None and semantic.model().base_of(previous.metric) == "support_tickets"
    )
    if not about_tickets:
        return text
    if not re.search(r"\binvoices?\b", text):
        # "tickets sitting in open status (not pending)": open already leaves the pending ones out
        if re.search(r"\b(?:open\s+status|status\s+(?:of\s+)?open|in\s+open)\b", text):
            text = re.sub(
                r"\s*[(,;-]?\s*\b(?:but\s+|and\s+)?not\s+(?:the\s+)?pending(?:\s+ones)?\b\s*\)?", " ", text
            )
        # "high priority tickets that are pending": the ticket's status
        text = re.sub(
            r"(?<!\bstatus\s)(?<![/&+])(?<!\bor\s)(?<!\band\s)\bpending\b(?!\s+(?:approval|status|tickets?))",
            "status pending",
            text,
        )
    return re.sub(
        r"\b(high|medium|low)\b(?!\s+(?:priority|prio|churn|risk|health|value|score|ltv))",
        r"\1 priority",
        text,
    )


def names_with_months(text: str, entities: Entities) -> tuple[str, list[tuple[str, str]]]:
    """The text with reps' names that hold a month's word ("Jun Visser", "April Cho") set aside for the
    period reading, and (placeholder, name) pairs to put them back."""
    from tools.reports.timewords import MONTHS

    found = []
    for name in entities.values.get("rep", []):
        lowered = name.lower()
        if lowered not in text or not any(word in MONTHS for word in lowered.split()):
            continue
        placeholder = f"qqname{len(found)}qq"
        text, n = re.subn(rf"\b{re.escape(lowered)}\b", placeholder, text)
        if n:
            found.append((placeholder, lowered))
    return text, found


def year_of_previous_period(text: str, previous: Query | None, today: date) -> str:
    """ "now just Q4" after revenue by month for 2025: Q4 of 2025, the year the thread is about (a quarter or a
    month named without its year, in a follow-up on a past year)."""
    period = previous.period if previous is not None else None
    if period is None or period.start is None or period.end is None or period.start.year != period.end.year:
        return text
    year = period.start.year
    if year == today.year:
        return text
    bare = re.findall(r"\bq[1-4]\b(?!\s*(?:of\s+)?(?:'?\d{2}\b|\d{4}|this|last|next|previous|prior))", text)
    if len(bare) >= 2 and re.search(r"\b(?:vs\.?|versus|against|compared|stack(?:s|ed)?\s+up)\b", text):
        # ("sorry, meant q1 vs q4" after Q4 2025 vs Q3 2025, on 3 April: the last Q1 against the Q4 before it; two
        # periods compared are each the latest of their name, never both moved into the thread's year)
        return text
    from tools.reports.nlq.cues import read_follow_up

    cues, _ = read_follow_up(text)
    if not (
        cues.continues
        or cues.refers
        or len(text.split()) <= 8
        or re.match(r"\W*(?:sorry|no|nope|oops|actually|i\s+meant|meant)\b", text)
    ):
        return text  # "invoices issued in October vs cash collected in October" after 2025 vs 2024: a question anew
    text = re.sub(
        r"(?<![\w'-])(?<!this\s)(?<!last\s)(?<!next\s)(?<!prior\s)(?<!previous\s)"
        r"(q[1-4]|(?:the\s+)?(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)\b"
        r"(?!\s*(?:of\s+)?(?:'?\d{2}\b|\d{4}|fy|this|last|next|previous|prior))",
        lambda m: f"{m.group(1)} {year}",
        text,
    )
    # ("may" only as a month: "in may", "and may", not "may I see")
    months = r"january|february|march|april|june|july|august|september|october|november|december|(?<=in\s)may|(?<=and\s)may"
    return re.sub(
        rf"\b(?<!since\s)(?<!from\s)(?<!this\s)(?<!last\s)(?<!next\s)(?<!prior\s)(?<!previous\s)({months})\b(?!\s*(?:of\s+)?(?:'?\d|this|last|next|previous|prior))",
        lambda m: f"{m.group(1)} {year}",
        text,
    )


def unit_of_previous_period(text: str, previous: Query | None) -> str:
    """ "what about last 90" after "revenue last 30 days": the same unit (the last 90 days)."""
    said = previous.period.label if previous is not None and previous.period is not None else ""
    grain = re.fullmatch(r"(?:last|this|next) (week|month|quarter|year)", said)
    if grain:  # "CSAT of the last quarter?", then "and of this one?": this quarter
        text = re.sub(
            r"\b(?:the\s+)?(this|the\s+current|current|the\s+previous|the\s+next)\s+one\b",
            lambda m: f"{m.group(1)} {grain.group(1)}",
            text,
        )
    unit = re.fullmatch(r"the (?:last|next) \d+ (day|week|month|quarter|year)s", said)
    if not unit:
        return text
    return re.sub(
        r"\b((?:the\s+)?(?:last|past|previous|next)\s+\d+)\b(?!\s*(?:days?|weeks?|months?|quarters?|years?|%|k\b|m\b))",
        lambda m: f"{m.group(1)} {unit.group(1)}s",
        text,
    )


_EACH_COUNTED = re.compile(
    r"\bhow\s+many\s+(?P<one>[a-z]+(?:\s+[a-z]+)?)\s*(?:,|\band\b|&)\s*how\s+many\s+(?P<two>[a-z]+(?:\s+[a-z]+)?)\b"
)


def values_counted_apart(text: str) -> str:
    """ "how many calls and how many meetings did I log": two values of one dimension, each counted, is the
    count split by that dimension over the two ("how many calls and meetings ... by activity type")."""
    from tools.reports.lexicon import lexicon

    said = _EACH_COUNTED.search(text)
    if said is None:
        return text
    senses = lexicon()

    def value(words: str) -> tuple[str, set[str]]:  # the words that name a value (two, else the first one)
        for said_as in (words, words.split()[0]):
            named = {s.name for s in senses.get(said_as, ()) if s.kind == "value"}
            if named:
                return said_as, named
        return words, set()

    (one, first), (two, second) = value(said.group("one")), value(said.group("two"))
    shared = first & second
    if len(shared) != 1:
        return text
    label = semantic.model().dimensions_by_name[shared.pop()].label.lower()
    end = said.start("two") + len(two)
    return f"{text[: said.start()]}how many {one} and {two}{text[end:]} by {label}"


def listed_values_as_grouping(text: str) -> str:
    """ "how many customers are low / medium / high churn risk": every value of a dimension listed
    before its name asks for the split by it ("by churn risk")."""
    if "/" not in text and "," not in text and " or " not in text:
        return text
    model = semantic.model()
    for said in re.finditer(r"\(([^()]*)\)", text):  # "the standard buckets (current, 1-30, ..., 90+)"
        listed = {
            re.sub(r"\s+plus$", "+", w.strip())
            for w in re.split(r"\s*(?:/|,|\bor\b|\band\b)\s*", said.group(1))
            if w.strip()
        }
        for dim in model.dimensions:
            values = {str(v).lower().replace("_", " ") for v in model.vocabulary(dim.name)}
            if len(values) >= 2 and listed == values:
                return text[: said.start()] + f" by {dim.label.lower()} " + text[said.end() :]
    for said in re.finditer(r"\b[a-z0-9+-]+(?:\s*(?:/|,)\s*[a-z0-9+-]+)+\b", text):
        # "how many customers low / medium / high": every value of one dimension, listed, is the split
        listed = {w.strip() for w in re.split(r"\s*(?:/|,)\s*", said.group(0)) if w.strip()}
        fits = [
            d
            for d in model.dimensions
            if len(listed) >= 2
            and listed == {str(v).lower().replace("_", " ") for v in model.vocabulary(d.name)}
        ]
        if len(fits) == 1:
            return text[: said.start()] + f" by {fits[0].label.lower()} " + text[said.end() :]
    for dim in model.dimensions:
        values = {str(v).lower().replace("_", " ") for v in model.vocabulary(dim.name)}
        if len(values) < 2:
            continue
        for phrase in sorted({dim.label.lower(), *dim.synonyms}, key=len, reverse=True):
            found = re.search(
                r"\b((?:[a-z0-9+-]+\s*(?:/|,|\bor\b|\band\b)\s*)+[a-z0-9+-]+)\s+" + re.escape(phrase) + r"\b",
                text,
            )
            if not found:
                continue
            listed = [
                w.strip() for w in re.split(r"\s*(?:/|,|\bor\b|\band\b)\s*", found.group(1)) if w.strip()
            ]
            # every value named: the split by them; some of them ("urgent or high priority"): those only
            if len(listed) >= 2 and all(w in values for w in listed) and set(listed) >= values:
                return text[: found.start()] + f"by {phrase}" + text[found.end() :]
            split = re.search(
                r"\b(?:split|broken\s+down|break\s+(?:it\s+)?down|per|each|into)\b", text[: found.start()]
            )
            if len(listed) >= 2 and all(w in values for w in listed) and split:
                # "total overdue split into the 1-30 / 31-60 / 61-90 / 90+ buckets": those values, each apart
                return text[: found.end()] + f" by {phrase}" + text[found.end() :]
    # "split into the 1-30 / 31-60 / 61-90 / 90+ buckets": values of one dimension, then a word for groups
    found = re.search(
        r"\b((?:[a-z0-9+-]+(?:\s+plus)?\s*(?:/|,|\bor\b|\band\b)\s*)+[a-z0-9+-]+(?:\s+plus)?)\s+"
        r"(?:buckets|bands|brackets|groups|tiers)\b",
        text,
    )
    if found:
        listed = {
            re.sub(r"\s+plus$", "+", w.strip())
            for w in re.split(r"\s*(?:/|,|\bor\b|\band\b)\s*", found.group(1))
            if w.strip()
        }
        fits = [
            d
            for d in model.dimensions
            if len(listed) >= 2
            and listed <= {str(v).lower().replace("_", " ") for v in model.vocabulary(d.name)}
        ]
        if len(fits) == 1:
            return text[: found.end()] + f" by {fits[0].label.lower()}" + text[found.end() :]
    return text


def values_sharing_a_noun(text: str) -> str:
    """ "sent and paid invoices", "in sent or paid status": two values of one dimension sharing the noun after them,
    each said with it ("sent invoices or paid invoices"), so a value that is also an everyday word ("sent") is read
    as the value, never dropped."""
    model = semantic.model()
    for dim in model.dimensions:
        values = sorted(
            (str(v).lower().replace("_", " ") for v in model.vocabulary(dim.name)), key=len, reverse=True
        )
        if not 2 <= len(values) <= 12:
            continue
        alternatives = "|".join(re.escape(v) for v in values)
        pattern = re.compile(
            rf"(?<![/&])(?<![/&]\s)\b({alternatives})\s*(?:,|/|&|\bor\b|\band\b)\s*({alternatives})\s+"
            r"(invoices|status|statuses|ones|deals|leads|tickets|stage|stages)\b"
        )
        found = pattern.search(text)
        # (only where a value is an everyday word read as nothing alone: "open or pending status" is read as it is)
        if found and found.group(1) != found.group(2) and _unread({found.group(1), found.group(2)}):
            a, b, noun = found.groups()
            said = (
                f"{a} {noun} or {b} {noun}"
                if noun not in ("status", "statuses")
                else f"status {a} or status {b}"
            )
            return text[: found.start()] + said + text[found.end() :]
        # "how many invoices in july, sent or paid only", "(sent or already paid, not drafts)": two values said alone
        # after the question, where one is an everyday word: each said with the dimension's word
        found = re.search(
            rf"(?:[,(:;–—?]|\s-)\s*(?:only\s+|just\s+)?(?:the\s+)?({alternatives})\s*(?:,|/|&|\bor\b|\band\b)\s*"
            rf"(?:already\s+|also\s+)?({alternatives})(?:\s+(?:ones|only))?(?=\s*(?:[,.;:)?!]|$|\s+(?:only|ones|not)\b))",
            text,
        )
        if (
            found
            and found.group(1) != found.group(2)
            and _unread({found.group(1), found.group(2)})
            and dim.name.endswith("status")
        ):
            a, b = found.groups()
            return text[: found.start(1)] + f"status {a} or status {b}" + text[found.end(2) :]
        # "(status sent or paid)": the dimension's word first
        found = re.search(
            rf"\b(status|stage)\s+({alternatives})\s*(?:,|/|&|\bor\b|\band\b)\s*({alternatives})\b"
            r"(?!\s*(?:,|/|&|\bor\b|\band\b))",  # (two values; a longer list is read as it is)
            text,
        )
        if found and found.group(2) != found.group(3) and _said_alone(found.group(1), found.group(2, 3)):
            word, a, b = found.groups()
            return text[: found.start()] + f"{word} {a} or {word} {b}" + text[found.end() :]
    return text


def _said_alone(word: str, values: tuple[str, str]) -> bool:
    """Whether a value after "status"/"stage" is read only with that word before it ("status pending": a
    ticket's, where "pending" alone is also an invoice's pending approval), or is an everyday word."""
    from tools.reports.lexicon import lexicon

    return _unread(set(values)) or any(f"{word} {v}" in lexicon() for v in values)


def _unread(values: set[str]) -> bool:
    """Whether one of these values is an everyday word the reader drops when said alone ("sent")."""
    from tools.reports.lexicon import lexicon

    return any(v in filler() and v not in lexicon() for v in values)
