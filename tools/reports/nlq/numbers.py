"""Numbers in a question: amounts ("over 50k", "between $1M and $2M") and ranks ("top 5")."""

from __future__ import annotations

import re

from crmbot.words import NUMBER_WORD_PATTERN, number_value
from tools.reports.query import Threshold

_MULTIPLIERS = {
    "k": 1e3,
    "thousand": 1e3,
    "grand": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
}
_AMOUNT = (
    r"\$?\s*(\d[\d,]*(?:\.\d+)?)\s*(k|mm|mn|m|bn|b|thousand|grand|million|billion)?\b\s*(?:usd|dollars)?"
)
_OPS = [
    (
        r"(?:more than|greater than|bigger than|larger than|better than|over|above|exceeding|higher than|north of|>)",
        "gt",
    ),
    (r"(?:at least|no less than|minimum of|>=|min\.?)", "ge"),
    (r"(?:less than|fewer than|smaller than|worse than|under|below|lower than|<)", "lt"),
    (r"(?:at most|no more than|up to|maximum of|<=|max\.?)", "le"),
    (r"(?:exactly|equal to)", "eq"),  # "satisfaction exactly 5"
]
_OP_PATTERNS = [
    (re.compile(r"(?<![\w-])" + words + r"\s*(?:an?\s+)?" + _AMOUNT, re.I), op) for words, op in _OPS
]
_BETWEEN = re.compile(r"\bbetween\s+" + _AMOUNT + r"\s+and\s+" + _AMOUNT, re.I)


# "leave out anyone under 500k", "drop the ones below 10k", "exclude deals over 1M": the bound says what goes, so
# what is kept is the other side
_LEFT_OUT = re.compile(
    r"\b(?:leave\s+out|leaving\s+out|exclude|excluding|drop|dropping|remove|removing|ignore|ignoring|skip|skipping|"
    r"filter\s+out|hide|hiding|take\s+out|not\s+counting|without\s+(?:the|any)|get\s+rid\s+of)"
    r"(?:\s+(?:the|any|all|anyone|anybody|anything|ones?|those|reps?|deals?|accounts?|customers?|companies|invoices?|"
    r"leads?|tickets?|payments?|people|rows?|that\s+(?:are|is|were|was)|who\s+(?:are|is|were|was|have|has)|"
    r"which\s+(?:are|is)|with|at|of|small|smaller|tiny|big|bigger|large|larger)){0,4}\s*$",
    re.I,
)
_OPPOSITE = {"lt": "ge", "le": "gt", "gt": "le", "ge": "lt", "eq": "eq"}


def parse_amount(number: str, unit: str | None) -> float:
    """'1.2' 'm' -> 1200000.0; '50,000' -> 50000.0."""
    value = float(number.replace(",", ""))
    return value * _MULTIPLIERS.get((unit or "").lower(), 1)


# "3 or more leads", "5+ deals", "3 or more of them", "2 or fewer tickets": a number of records, each
# group's count (a HAVING), written with the bound after the number
_OR_MORE = re.compile(
    r"(?<![\w.$-])(\d+|"
    + NUMBER_WORD_PATTERN
    + r")\s+(?:or\s+(more|above|higher|over|greater|less|fewer|below|lower)|"
    r"(plus)|and\s+(up|above|over))\b(?P<records>(?=\s+(?:of\s+(?:them|those|these)|[a-z]+)))?",
    re.I,
)
# "a score of 60 or more", "health of 40 or less": that column of each record, bounded
_COLUMN_OF = re.compile(
    r"\b([a-z]+(?:\s+score)?)\s+(?:of|at|is|was|=)\s*$|\b((?:[a-z]+\s+)?score|scoring)\s*$"
)  # "scoring 65 or higher"


def extract_comparisons(text: str) -> tuple[list[Threshold], str]:
    comparisons: list[Threshold] = []
    # "over a million", "above half a million": the number in words
    text = re.sub(r"\bhalf\s+a\s+(million|billion)\b", lambda m: "0.5 " + m.group(1), text)
    text = re.sub(r"\b(?:a|one)\s+(million|billion|thousand|grand)\b", r"1 \1", text)
    text = _WORDS_BEFORE_RECORDS.sub(lambda m: f"{m.group(1)} {_WORD_COUNT[m.group(2)]}", text)
    for m in list(_OR_MORE.finditer(text)):
        if _is_period_number(text, m) or re.match(r"\s*(?:buckets?|days?|bracket)\b", text[m.end() :]):
            continue  # "30 or more days", "the 90+ bucket"
        word = (m.group(2) or m.group(3) or m.group(4)).lower()
        op = "le" if word in ("less", "fewer", "below", "lower") else "ge"
        column = _COLUMN_OF.search(text, 0, m.start())
        if column:  # "qualified leads with a score of 60 or more": each lead's score
            # ("a score of 60 or higher": the score; "scoring 60 or higher": the score)
            # ("leads score 60 or higher": the leads' score)
            hint = re.sub(
                r"^(?:a|an|the|leads?|deals?|accounts?|customers?|tickets?|invoices?)\s+|ing$",
                lambda w: "e" if w.group(0) == "ing" else "",
                column.group(1) or column.group(2),
            )
            comparisons.append(Threshold(op, float(number_value(m.group(1))), "amount", hint=hint))
        elif m.group("records") is not None:
            noun = _RECORDS_AFTER.match(text, m.end())
            comparisons.append(
                Threshold(
                    op,
                    float(number_value(m.group(1))),
                    "metric",
                    hint="count",
                    records=noun and noun.group("noun"),
                )
            )
        else:
            continue  # "60 or more" of nothing named: left for the checks to ask about
        text = _blank(text, m.span())
    m = _BETWEEN.search(text)
    if m and re.match(
        r"(?:st|nd|rd|th)?\s*(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
        text[m.end() :],
        re.I,
    ):
        m = None  # "due between 1 and 3 August": days of a month, read as a period
    if m:
        low, high = parse_amount(m.group(1), m.group(2)), parse_amount(m.group(3), m.group(4))
        comparisons += [Threshold("ge", low), Threshold("le", high)]
        text = _blank(text, m.span())
    for pattern, op in _OP_PATTERNS:
        for m in list(pattern.finditer(text)):
            if _is_period_number(text, m):
                continue
            if re.fullmatch(r"(?:19|20)\d{2}", m.group(1)) and not m.group(2) and "$" not in m.group(0):
                continue  # "my win rate over 2025": a year, not an amount
            value, end = parse_amount(m.group(1), m.group(2)), m.end()
            percent = _PERCENT.match(text, end)
            if percent and not m.group(2):  # "above 60%": a rate, which the data holds as a fraction
                value, end = value / 100, percent.end()
            plain = not m.group(2) and "$" not in m.group(0) and not percent and value == int(value)
            if plain and value < 1000 and _RECORDS_AFTER.match(text, end):
                # "customers with more than 3 overdue invoices": a number of records (each group's count)
                noun = _RECORDS_AFTER.match(text, end).group("noun")
                comparisons.append(Threshold(op, value, "metric", hint="count", records=noun))
                text = _blank(text, (m.start(), end))
                continue
            if plain and value < 1000 and _OF_THEM.match(text, end):
                # "which customers logged more than 3 of them?" after a count of tickets: more than 3 of those records
                comparisons.append(Threshold(op, value, "metric", hint="count"))
                text = _blank(text, (m.start(), _OF_THEM.match(text, end).end()))
                continue
            if _LEFT_OUT.search(text, 0, m.start()):
                op = _OPPOSITE[op]  # "leave out anyone under 500k": those at 500k or more are kept
            owed = _OWED_AFTER.match(text, end) or _OWED_BEFORE.search(text, 0, m.start())
            said = _WORD_BEFORE.search(text, 0, m.start())
            after = re.match(r"\s*([a-z]+)\b", text[end:])
            comparisons.append(
                Threshold(
                    op,
                    value,
                    "balance" if owed else "amount",
                    hint=said.group(1) if said else None,
                    after=after.group(1) if after else None,
                )
            )
            text = _blank(text, (m.start(), end))
    return comparisons, text


_RECORDS_AFTER = re.compile(
    r"\s*(?:[a-z-]+\s+){0,2}?(?P<noun>deals?|opps?|opportunit(?:y|ies)|invoices?|bills?|payments?|tickets?|leads?|"
    r"activit(?:y|ies)|calls?|meetings?|emails?|contacts?)\b"
)
_OF_THEM = re.compile(r"\s*of\s+(?:them|those|these)\b")
_WORD_COUNT = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
}
# "customers with more than one ticket in open status": the number, in digits, so it bounds each group's count
_WORDS_BEFORE_RECORDS = re.compile(
    r"\b(more\s+than|fewer\s+than|less\s+than|at\s+least|over)\s+(one|two|three|four|five|six|seven|eight|nine|ten)\b"
    r"(?=" + _RECORDS_AFTER.pattern + r")"
)
_WORD_BEFORE = re.compile(r"\b([a-z]+(?:\s+score)?)\s*$")  # "scoring above 75", "health score under 50"
# "with more than 50k still owed on them", "owing over 10k", "balance above 5k": what is left to pay
# ("invoices over 100k are still unpaid": invoices of that size that are unpaid; "over 50k is still owed": the balance)
_OWED_AFTER = re.compile(
    r"\s*(?:is\s+)?(?:still\s+)?(?:owed|owing|unpaid|outstanding|left\s+to\s+pay|remaining|open|due)\b"
)
_OWED_BEFORE = re.compile(
    r"\b(?:(?:owing|owe|owes)(?:\s+(?:us|me))?|balance|balances|left\s+to\s+pay|remaining|still\s+owed)\s+"
    r"(?:of\s+|is\s+|are\s+)?$"
)


_PERCENT = re.compile(r"\s*(?:%|percent\b|pct\b)")


_TIME_UNIT_AHEAD = re.compile(r"\s*(day|week|month|quarter|year|hour)s?\b")


def _is_period_number(text: str, m: re.Match) -> bool:
    """ "over the last 30 days", "more than 3 months" are time, not money."""
    tail = text[m.end() : m.end() + 12].lower()
    return bool(re.match(r"\s*(day|week|month|quarter|year|hour)s?\b", tail))


_RANK = re.compile(
    r"\b(top|bottom|best|worst|first|last|largest|biggest|smallest|highest|lowest|leading|which|what|the|"
    r"show|list|give me|give us|name)\s+(\d+|"
    + NUMBER_WORD_PATTERN
    + r")\b(?!\s*(?:day|week|month|quarter|year|"
    r"k\b|m\b|%|percent|\+|plus|bucket|-\s*\d))",
    re.I,
)
_DESC_RANK_WORDS = {
    "top",
    "best",
    "largest",
    "biggest",
    "highest",
    "leading",
    "most",
    "riskiest",
    "hottest",
    "warmest",
    "strongest",
    "healthiest",
}
_ASC_RANK_WORDS = {"bottom", "worst", "smallest", "lowest", "least", "fewest", "weakest"}
# "5 biggest deals", "3 riskiest accounts": the number first
_WHICH_PERIODS = re.compile(
    r"\b(?:which|what)\s+(\d+|" + NUMBER_WORD_PATTERN + r")\s+(?:days|weeks|months|quarters|years)\s+"
    r"(?:were|was|are|had|have|did|saw|brought|came|got)\b",
    re.I,
)
_RANK_AFTER = re.compile(
    r"(?:^|(?<=\s))(\d+|" + NUMBER_WORD_PATTERN + r")\s+(top|bottom|best|worst|largest|biggest|smallest|"
    r"highest|lowest|leading|most|least|fewest|riskiest|hottest|warmest|strongest|weakest|healthiest|unhealthiest)\b",
    re.I,
)


# "5 apac customers most likely to churn": a question that starts with a count of things
_LEADING_COUNT = re.compile(
    r"^\s*(?:(?:show|list|give)(?:\s+me)?\s+)?(?:the\s+)?(\d{1,3}|" + NUMBER_WORD_PATTERN + r")\s+(?=[a-z])"
    r"(?!(?:day|week|month|quarter|year|hour|k\b|m\b|%|percent|dollars|grand|thousand|million|plus\b|bucket))",
    re.I,
)


def extract_rank(text: str) -> tuple[int | None, str | None, str]:
    """("top 5" -> 5, "desc"); "which 10 customers" -> 10 with the order left to other words."""
    periods = _WHICH_PERIODS.search(text)
    if periods:  # "which three months were the highest?": a ranking of periods, not the last three months
        n = number_value(periods.group(1).lower())
        said = text[periods.end() :]
        order = (
            "asc"
            if re.search(r"\b(?:lowest|least|worst|weakest|smallest|fewest)\b", said)
            else (
                "desc"
                if re.search(r"\b(?:highest|most|best|strongest|biggest|largest|top)\b", said)
                else None
            )
        )
        if 0 < n <= 100 and order:
            return n, order, _blank(text, periods.span(1))
    m = _RANK.search(text)
    if (
        m
        and re.fullmatch(r"(?:19|20)\d{2}", m.group(2))
        and m.group(1).lower() not in _DESC_RANK_WORDS | _ASC_RANK_WORDS
    ):
        m = None  # "doing the 2025 wrap up": a year, never the top 2,025
    if not m and not _RANK_AFTER.search(text):
        lead = _LEADING_COUNT.search(text)
        if lead:
            number = lead.group(1).lower()
            n = number_value(number)
            if 0 < n <= 1000:
                return n, None, _blank(text, lead.span(1))
    if not m:
        after = _RANK_AFTER.search(text)
        if not after:
            return None, None, text
        number, word = after.group(1).lower(), after.group(2).lower()
        n = number_value(number)
        if n <= 0 or n > 10_000:
            return None, None, text
        order = "desc" if word in _DESC_RANK_WORDS else "asc"
        keep = word if word in ("riskiest", "most", "least") else "health" if "health" in word else ""
        start, end = after.span()
        return n, order, text[:start] + keep + " " * (end - start - len(keep)) + text[end:]
    word, number = m.group(1).lower(), m.group(2).lower()
    n = number_value(number)
    if n <= 0 or n > 10_000:
        return None, None, text
    order = "desc" if word in _DESC_RANK_WORDS else "asc" if word in _ASC_RANK_WORDS else None
    keep = word if word in ("which", "what", "show", "list", "give me", "name") else ""
    return n, order, text[: m.start()] + keep + " " * (m.end() - m.start() - len(keep)) + text[m.end() :]


def _blank(text: str, span: tuple[int, int]) -> str:
    start, end = span
    return text[:start] + " " * (end - start) + text[end:]
