"""The contract's time words as calendar periods counted from "today".

"this month" runs from the first of the month to today included; "last month" is the whole
previous month; "last 30 days" is today and the 29 days before; weeks start on Monday.
Everything here is pure date arithmetic: no database, no clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from crmbot.words import NUMBER_WORD_PATTERN, number_value

GRAINS = ("day", "week", "month", "quarter", "year")

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


@dataclass(frozen=True)
class Period:
    """A closed range of calendar days and the words it came from."""

    start: date | None
    end: date | None
    label: str

    def describe(self) -> str:
        if self.start and self.end:
            return f"{self.label} ({self.start.isoformat()} to {self.end.isoformat()})"
        if self.start:
            return f"{self.label} (from {self.start.isoformat()})"
        if self.end:
            return f"{self.label} (up to {self.end.isoformat()})"
        return self.label

    def to_dict(self) -> dict:
        return {
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "label": self.label,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Period:
        return cls(
            date.fromisoformat(data["start"]) if data.get("start") else None,
            date.fromisoformat(data["end"]) if data.get("end") else None,
            data.get("label", ""),
        )


def period_start(day: date, grain: str) -> date:
    """The first day of the ``grain`` period that holds ``day``."""
    if grain == "day":
        return day
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if grain == "year":
        return date(day.year, 1, 1)
    raise ValueError(f"unknown grain {grain!r}")


def shift(start: date, grain: str, steps: int) -> date:
    """The start of the period ``steps`` periods after the one starting at ``start``."""
    if grain == "day":
        return start + timedelta(days=steps)
    if grain == "week":
        return start + timedelta(weeks=steps)
    from dateutil.relativedelta import relativedelta

    return start + relativedelta(months={"month": 1, "quarter": 3, "year": 12}[grain] * steps)


def whole_period(start: date, grain: str) -> tuple[date, date]:
    return start, shift(start, grain, 1) - timedelta(days=1)


def this_period(today: date, grain: str) -> Period:
    start = period_start(today, grain)
    return Period(start, today, f"this {grain}" if grain != "day" else "today")


def last_period(today: date, grain: str) -> Period:
    start = shift(period_start(today, grain), grain, -1)
    s, e = whole_period(start, grain)
    return Period(s, e, f"last {grain}" if grain != "day" else "yesterday")


def last_n(today: date, n: int, unit: str) -> Period:
    """The last N days (today included); N weeks/months/years as that many days back, by calendar."""
    if unit == "day":
        start = today - timedelta(days=n - 1)
    elif unit == "week":
        start = today - timedelta(days=7 * n - 1)
    else:
        from dateutil.relativedelta import relativedelta

        months = {"month": 1, "quarter": 3, "year": 12}[unit] * n
        start = today - relativedelta(months=months) + timedelta(days=1)  # the day after, N months back
    return Period(start, today, f"the last {n} {unit}s")


def enclosing_period(grain: str, anchor: Period | None, today: date) -> Period:
    """ "and for the year?" after Q4 2025's bookings: 2025; "for the qtr" after this month's: this quarter so far
    (the ``grain`` period that holds the one just asked about, or today's)."""
    day = anchor.start if anchor is not None and anchor.start is not None else today
    start, end = whole_period(period_start(day, grain), grain)
    if anchor is not None and anchor.end is not None and anchor.end > end:
        start, end = whole_period(period_start(today, grain), grain)  # a quarter "of" a year: today's
    if start <= today <= end:
        return this_period(today, grain)
    if grain == "year":
        return year_period(start.year)
    if grain == "quarter":
        return quarter_period(start.year, (start.month - 1) // 3 + 1)
    return month_period(start.year, start.month)


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), str(year))


def quarter_period(year: int, quarter: int) -> Period:
    s, e = whole_period(date(year, 3 * (quarter - 1) + 1, 1), "quarter")
    return Period(s, e, f"Q{quarter} {year}")


def month_period(year: int, month: int) -> Period:
    s, e = whole_period(date(year, month, 1), "month")
    return Period(s, e, s.strftime("%B %Y"))


_ISO = r"(\d{4}-\d{1,2}-\d{1,2})"
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_N = r"(\d+|" + NUMBER_WORD_PATTERN + r")"
_UNIT = r"(day|week|month|quarter|year)s?"

# (pattern, builder(match, today) -> Period); tried in order, first match wins per span
_RULES: list[tuple[re.Pattern, object]] = []


def _rule(pattern: str):
    def register(builder):
        _RULES.append((re.compile(pattern, re.I), builder))
        return builder

    return register


def _num(token: str) -> int:
    return number_value(token)


def _parse_iso(text: str) -> date:
    y, m, d = (int(x) for x in text.split("-"))
    return date(y, m, d)


@_rule(r"\bbetween\s+" + _ISO + r"\s+and\s+" + _ISO + r"\b")
def _between_dates(m, today):
    start, end = _parse_iso(m.group(1)), _parse_iso(m.group(2))
    return Period(start, end, f"{start.isoformat()} to {end.isoformat()}")


@_rule(r"(?:\bfrom\s+)?(?<![\w-])" + _ISO + r"\s+(?:to|until|through|thru|till|-|–)\s+" + _ISO + r"\b")
def _from_to_dates(m, today):
    return _between_dates(m, today)


@_rule(
    r"\b(?:between|from)\s+(?:today|now)\s+(?:and|to|till|until|through|thru|-)\s+(?:the\s+)?"
    r"(?:(\d{1,2})(?:st|nd|rd|th)|end\s+of\s+(?:the\s+|this\s+)?month|month[\s-]end)\b"
)
def _today_to_a_day(m, today):
    """ "between today and the 31st", "from now to the end of the month": today to that day of this month (of the next
    when it has passed)."""
    if not m.group(1):
        return Period(today, whole_period(today.replace(day=1), "month")[1], "today to the end of the month")
    day, first = int(m.group(1)), today.replace(day=1)
    try:
        end = (first if day >= today.day else shift(first, "month", 1)).replace(day=day)
    except ValueError:
        return None
    return Period(today, end, f"{today.isoformat()} to {end.isoformat()}")


_WEEKDAY_WORD = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?)"
# "over the long weekend? sat 14th thru mon 16th", "(sat 2/14 - mon 2/16)": the range said is the period
_WEEKEND_SAID = (
    r"(?:(?:over|during|on)\s+)?(?:the\s+)?(?:long\s+|holiday\s+|last\s+|past\s+)*week[\s-]?end\s*[?,:(-]*\s*"
)
_RANGE_TO = r"\s*(?:thru|through|to|till|until|-|–)\s*"


@_rule(
    r"(?:"
    + _WEEKEND_SAID
    + r")?\b(?:"
    + _WEEKDAY_WORD
    + r"\s+)?(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)"
    + _RANGE_TO
    + r"(?:"
    + _WEEKDAY_WORD
    + r"\s+)?(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b\)?"
)
def _days_of_this_month(m, today):
    """ "sat 14th thru mon 16th": those days of the month we are in (of the one before, when the first is still to
    come)."""
    first, last = int(m.group(1)), int(m.group(2))
    year, month = (today.year, today.month) if first <= today.day else _month_before(today)
    try:
        return _days_between(date(year, month, first), date(year, month, last))
    except ValueError:
        return None


@_rule(
    r"(?:"
    + _WEEKEND_SAID
    + r")?\b(?:"
    + _WEEKDAY_WORD
    + r"\s+)?(\d{1,2})/(\d{1,2})"
    + _RANGE_TO
    + r"(?:"
    + _WEEKDAY_WORD
    + r"\s+)?(\d{1,2})/(\d{1,2})(?![/\d])\)?"
)
def _month_day_range(m, today):
    """ "2/14 - 2/16": month/day to month/day, the latest such days to have begun. Where day/month would read as
    other real days ("3/4 - 3/9"), it is not read (a wrong period is worse than a question)."""
    a, b, c, d = (int(g) for g in m.groups())
    if _reads_both_ways(a, b) or _reads_both_ways(c, d):
        return None
    for year in (today.year, today.year - 1):
        try:
            start, end = date(year, a, b), date(year, c, d)
        except ValueError:
            return None
        if end >= start and start <= today:
            return Period(start, end, f"{start.isoformat()} to {end.isoformat()}")
    return None


def _reads_both_ways(month: int, day: int) -> bool:
    """ "3/4": March 4 or April 3 (a wrong period is worse than a question); "2/14" reads one way only."""
    return day <= 12 and month != day


def _days_between(start: date, end: date) -> Period | None:
    """Those days, both included; none when they run backwards."""
    return Period(start, end, f"{start.isoformat()} to {end.isoformat()}") if start <= end else None


def _month_before(day: date) -> tuple[int, int]:
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)


_DAY = (
    r"today|now|tomorrow|(?:mon|tues|wednes|thurs|fri|satur|sun)day|\d{1,2}/\d{1,2}(?![/\d])|"
    r"(?:the\s+)?end\s+of\s+(?:"
    + _MONTH_NAMES
    + r")|(?:"
    + _MONTH_NAMES
    + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?(?![\d:])|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:"
    + _MONTH_NAMES
    + r")\b\.?"
)


@_rule(
    r"\b(?:(?:between|from)\s+(?:the\s+)?)?(\d{1,2})(?:st|nd|rd|th)?\s*(?:and|to|through|thru|till|until|-|–)\s*(?:the\s+)?"
    r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + _MONTH_NAMES + r")\b\.?(?:\s*,?\s*((?:19|20)\d{2}))?"
)
def _days_then_month(m, today):
    """ "between 1 and 3 August 2026", "1-3 aug": those days of that month, both included (with no year, the latest
    such days that have started)."""
    first, last, month = int(m.group(1)), int(m.group(2)), MONTHS[m.group(3).lower()]
    between = m.group(0).lower().startswith(("between", "from"))
    if not between and not re.search(r"[-–]|\bto\b|thru|through|till|until", m.group(0)):
        return None  # "1 and 3 august" without "between": two days, not the days between them
    return _days_of(month, first, last, int(m.group(4)) if m.group(4) else None, today)


def _days_of(month: int, first: int, last: int, year: int | None, today: date) -> Period | None:
    """Days ``first`` to ``last`` of a month, both included; with no year, the latest such range that has started.
    None where the days are no range of that month."""
    if year is None:
        year = today.year if (month, first) <= (today.month, today.day) else today.year - 1
    try:
        return _days_between(date(year, month, first), date(year, month, last))
    except ValueError:
        return None


@_rule(
    r"\b(?:(?:between|from)\s+(?:the\s+)?)?(?P<a>"
    + _DAY
    + r")(?:\s*,?\s*(?P<ay>(?:19|20)\d{2}))?\s*(?:and|to|through|thru|till|until|-|–)\s*(?:the\s+)?(?P<b>"
    + _DAY
    + r")(?:\s*,?\s*(?P<by>(?:19|20)\d{2}))?(?:\s+(?:of\s+)?(?P<rel>this|last)\s+year)?"
    r"(?:\)?\s+(?:of|in)\s+(?P<oy>(?:19|20)\d{2})\b)?"
    r"(?!\s*(?:days?|weeks?|%|k\b|m\b))"
)
def _days_named(m, today):
    """ "jan 1 - nov 30 this year", "from 1 January to 24 September 2026", "between today and dec 31": those days,
    both included. A year said once holds for both ends; with none, the latest such range that has started (one
    from today runs forward)."""

    def day_of(text: str, year: int) -> date:
        said = text.lower()
        if said in ("today", "now"):
            return today
        if said == "tomorrow":
            return today + timedelta(days=1)
        if "/" in said:  # "between today and 3/31": month/day, only where day/month can't be read instead
            month, day = (int(x) for x in said.split("/"))
            if _reads_both_ways(month, day):
                raise ValueError("3/4 is March 4 or April 3")
            return date(year, month, day)
        if said.startswith(("end of", "the end of")):  # "between today and end of march": its last day
            month = MONTHS[said.split()[-1]]
            return whole_period(date(year, month, 1), "month")[1]
        if said in _WEEKDAYS:  # "between today and sunday": the next such day (today, when it is that day)
            if m.group("a").lower() not in ("today", "now", "tomorrow"):
                raise ValueError("a weekday ends a range from today only")
            return today + timedelta(days=(_WEEKDAYS[said] - today.weekday()) % 7)
        month = next(MONTHS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in MONTHS)
        return date(year, month, int(re.search(r"\d{1,2}", text).group(0)))

    if re.search(r"\band\b", m.group(0), re.I) and not re.match(r"between\b", m.group(0), re.I):
        return None  # "on dec 1 and jan 15": two days, not the days between them
    said_before = m.string[: m.start()]
    restated = re.search(r"(?:\(|,\s*(?:so|i\.?e\.?|that\s+is))\s*$", said_before, re.I)
    if restated and said_before.strip(" (,") and not m.group("oy"):
        # "the same point last year (jan 1 - jul 15 2025)", "in 2025, so jan 1 to dec 15": the period just said, in
        # other words; read as that one (never as a second period)
        return None
    said = m.group("by") or m.group("oy") or m.group("ay")
    rel = m.group("rel")
    end_year = int(said or (today.year - (rel == "last") if rel else today.year))
    try:
        end = day_of(m.group("b"), end_year)
        start = day_of(m.group("a"), int(m.group("ay") or end_year))
        if start > end and not m.group("ay"):
            start = date(start.year - 1, start.month, start.day)
        if not (said or rel):
            starts_today = m.group("a").lower() in ("today", "now", "tomorrow")
            if starts_today and end < start:
                end = date(end.year + 1, end.month, end.day)  # "between today and jan 15" in December
            elif not starts_today and start > today:
                start, end = (
                    date(start.year - 1, start.month, start.day),
                    date(end.year - 1, end.month, end.day),
                )
    except (ValueError, StopIteration):
        return None
    if end < start:
        return None
    return Period(start, end, f"{start.isoformat()} to {end.isoformat()}")


@_rule(
    r"\b(?:between|from)\s+(?:the\s+)?("
    + _MONTH_NAMES
    + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:\s*,?\s*((?:19|20)\d{2}))?"
    r"\s+(?:and|to|through|thru|till|until|-|–)\s+(?:the\s+)?(?:("
    + _MONTH_NAMES
    + r")\.?\s+)?(\d{1,2})(?:st|nd|rd|th)?"
    r"(?:\s*,?\s*((?:19|20)\d{2}))?\b(?!\s*(?:days?|weeks?|%|k\b|m\b))"
)
def _day_range(m, today):
    """ "between April 1 and June 15", "from Jun 8 to 15", "between march 3 2025 and april 2 2025": those days,
    both included; without a year, the latest such range that has started."""
    first, last = MONTHS[m.group(1).lower()], MONTHS[(m.group(4) or m.group(1)).lower()]
    try:
        end_year = int(m.group(6) or m.group(3) or today.year)
        start_year = int(
            m.group(3) or (end_year if (first, int(m.group(2))) <= (last, int(m.group(5))) else end_year - 1)
        )
        start, end = date(start_year, first, int(m.group(2))), date(end_year, last, int(m.group(5)))
        if not (m.group(3) or m.group(6)) and start > today:
            start, end = date(start.year - 1, start.month, start.day), date(end.year - 1, end.month, end.day)
    except ValueError:
        return None
    if end < start:
        return None
    return Period(start, end, f"{start.isoformat()} to {end.isoformat()}")


@_rule(
    r"(?<![\w-])("
    + _MONTH_NAMES
    + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*(?:-|–|to|through|thru|till|until)\s*(\d{1,2})(?:st|nd|rd|th)?"
    r"(?![\d:/.])(?:\s*,?\s*((?:19|20)\d{2}))?(?:\s+(?:of\s+)?(this|last)\s+year)?\b(?!\s*(?:days?|weeks?|%|k\b|m\b))"
)
def _days_of_a_month(m, today):
    """ "apr 1-15 this year vs apr 1-15 last year", "jan 1 to 15": those days of that month, both included;
    without a year, the latest such range that has started."""
    month = MONTHS[m.group(1).lower()]
    first, last = int(m.group(2)), int(m.group(3))
    if m.group(4):
        year = int(m.group(4))
    elif m.group(5):
        year = today.year - (m.group(5).lower() == "last")
    else:
        year = None
    return _days_of(month, first, last, year, today)


def _month_year_of(month: int, year: int | None, today: date) -> int:
    """The year of a month named without one: the latest such month that has started."""
    if year is not None:
        return year
    return today.year if date(today.year, month, 1) <= today else today.year - 1


def _year_of(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


@_rule(
    r"\b(?:(from|between)\s+)?("
    + _MONTH_NAMES
    + r")\.?\s*,?\s*((?:19|20)\d{2})?\s*(?:to|-|–|through|thru|until|till|and)"
    r"\s*(" + _MONTH_NAMES + r")\.?\s*,?\s*(?:((?:19|20)\d{2})|(?:of\s+)?(this|last)\s+year)?\b"
)
def _month_range(m, today):
    """ "from January to March 2026", "Jan-Mar 2026", "jan-jun this year", "between March 2025 and May 2025"."""
    spans = re.search(r"\s(?:to|through|thru|until|till)\s|[-–]", m.group(0))
    if not (m.group(1) or m.group(3) or m.group(5) or m.group(6) or spans):
        return None  # "may and june" alone is too easily ordinary words ("july thru september" is a range)
    first, last = MONTHS[m.group(2).lower()], MONTHS[m.group(4).lower()]
    said_year = {"this": today.year, "last": today.year - 1}.get(m.group(6) or "")
    end_year = _year_of(m.group(5)) or _year_of(m.group(3)) or said_year
    end_year = _month_year_of(last, end_year, today)
    start_year = _year_of(m.group(3)) or (end_year if first <= last else end_year - 1)
    start = date(start_year, first, 1)
    end = whole_period(date(end_year, last, 1), "month")[1]
    if end < start:
        return None
    return Period(start, end, f"{start.strftime('%B %Y')} to {end.strftime('%B %Y')}")


@_rule(r"\b((?:19|20)\d{2})\s+(?:year[- ]to[- ]date|ytd)\b|\b(?:year[- ]to[- ]date|ytd)\s+((?:19|20)\d{2})\b")
def _year_ytd(m, today):
    """ "2026 ytd", "YTD 2025": that year from January 1 to today's day of the year (one period)."""
    year = int(m.group(1) or m.group(2))
    if year == today.year:
        return Period(date(year, 1, 1), today, "year to date")
    if year > today.year:
        return None
    end = date(year, today.month, 28 if (today.month, today.day) == (2, 29) else today.day)
    return Period(date(year, 1, 1), end, f"{year} to {end:%B} {end.day}")


@_rule(r"\b((?:19|20)\d{2})[\s-]*h([12])\b")
def _year_half(m, today):
    return _half_period(int(m.group(1)), int(m.group(2)))


@_rule(
    r"\b(?:the\s+)?(?:h([12])|(first|second|1st|2nd)\s+half)\s+(?:of\s+)?(?:the\s+)?(this|current|last|previous|prior)\s+"
    r"(?:year|yr|fy|fiscal\s+year)\b"
)
def _half_of_relative_year(m, today):
    """ "the first half of this year", "H2 of last year": that half of that year."""
    half = int(m.group(1)) if m.group(1) else (1 if m.group(2).lower() in ("first", "1st") else 2)
    year = today.year if m.group(3).lower() in ("this", "current") else today.year - 1
    return _half_period(year, half)


@_rule(
    r"\b(?:the\s+)?(?:h([12])|(first|second|1st|2nd)\s+half)(?:\s+of)?[\s-]*(?:fy\s*)?'?((?:19|20)\d{2}|\d{2})?\b"
)
def _half(m, today):
    """ "H1 2026", "first half of 2025", "H2" (the latest second half that has started)."""
    half = int(m.group(1)) if m.group(1) else (1 if m.group(2).lower() in ("first", "1st") else 2)
    year = _year_of(m.group(3))
    if year is None:
        year = today.year if date(today.year, 1 if half == 1 else 7, 1) <= today else today.year - 1
    return _half_period(year, half)


@_rule(
    r"\b(?:in\s+|for\s+|during\s+|over\s+)?(?:the\s+)?(this|current|last|previous|prior)\s+half(?:[\s-]*year)?\b|"
    r"\b(half)[\s-]+to[\s-]+date\b|\b(htd)\b"
)
def _relative_half(m, today):
    """ "so far this half": the half-year we are in, up to today; "last half": the one before, whole."""
    said = (m.group(1) or m.group(2) or m.group(3)).lower()
    half = 1 if today.month <= 6 else 2
    if said in ("last", "previous", "prior"):
        year, half = (today.year - 1, 2) if half == 1 else (today.year, 1)
        return _half_period(year, half)
    start = date(today.year, 1 if half == 1 else 7, 1)
    return Period(start, today, f"this half (H{half} {today.year} so far)")


@_rule(
    r"\b(?:for\s+|in\s+|over\s+|during\s+)?the\s+first\s+(two|three|four|five|six|seven|eight|nine|ten|eleven|\d{1,2})\s+"
    r"months\b(?:\s+(?:of\s+)?(?:(the|this|last|previous)\s+year|((?:19|20)\d{2})))?(?!\s+(?:last|of\s+last)\b)"
)
def _first_months(m, today):
    """ "the first nine months of the year": January to the end of the ninth month (of this year unless said)."""
    n = number_value(m.group(1).lower())
    if not 1 <= n <= 12:
        return None
    year = (
        int(m.group(3))
        if m.group(3)
        else today.year - (1 if (m.group(2) or "").lower() in ("last", "previous") else 0)
    )
    end = whole_period(date(year, n, 1), "month")[1]
    return Period(date(year, 1, 1), end, f"the first {n} months of {year}")


def _half_period(year: int, half: int) -> Period:
    start = date(year, 1 if half == 1 else 7, 1)
    return Period(start, date(year, 6, 30) if half == 1 else date(year, 12, 31), f"H{half} {year}")


@_rule(r"\b(?:(this|current|the\s+current)|(last|previous|prior))\s+(?:fiscal\s+year|fy)\b")
def _fiscal_year_relative(m, today):
    """The contract has no fiscal calendar: a fiscal year is the calendar year, and the label says so."""
    period = this_period(today, "year") if m.group(1) else last_period(today, "year")
    return Period(period.start, period.end, f"{period.label} (fiscal year = calendar year)")


@_rule(r"\b(?:fiscal\s+year|fy)\s*'?((?:19|20)\d{2}|\d{2})\b")
def _fiscal_year(m, today):
    year = _year_of(m.group(1))
    return Period(date(year, 1, 1), date(year, 12, 31), f"FY{year} (calendar year)")


@_rule(
    r"\bsince\s+(?:the\s+)?(?:start|beginning)\s+of\s+(?:the|this)\s+(week|month|quarter|year)\b|"
    r"\bsince\s+(?:the\s+)?(?:start|beginning)\s+of\s+(?:the\s+)?(?:(this|current)|(last|previous|prior))\s+(week|month|quarter|year)\b"
)
def _since_start_of(m, today):
    """ "since the start of the year": from the first day of this year to today; "since the beginning of last
    quarter": from that quarter's first day."""
    if m.group(1):
        period = this_period(today, m.group(1))
    else:
        period = this_period(today, m.group(4)) if m.group(2) else last_period(today, m.group(4))
    return Period(period.start, today, f"since the start of {period.label}")


@_rule(r"\bsince\s+(?:the\s+)?(?:(this|current)|(last|previous|prior))\s+(week|month|quarter|year)\b")
def _since_relative(m, today):
    """ "since last quarter", "since the beginning of last year": from that period's first day to today."""
    period = this_period(today, m.group(3)) if m.group(1) else last_period(today, m.group(3))
    return Period(period.start, today, f"since the start of {period.label}")


@_rule(
    r"\b(?:since|from|after)\s+("
    + _MONTH_NAMES
    + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*((?:19|20)\d{2})\b"
)
def _since_month_day_year(m, today):
    """ "since jan 1 2025", "from March 15th, 2025": that day, to today."""
    try:
        start = date(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
    except ValueError:
        return None
    return Period(start, today, f"since {start.isoformat()}") if start <= today else None


_WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}


@_rule(r"\bsince\s+(?:the\s+)?(\d{1,2})/(\d{1,2})(?![/\d])")
def _since_slash_day(m, today):
    """ "since 7/13", "since 13/7": from that day to today, where the numbers read one way only (13 is no
    month); "since 3/7" (March 7 or July 3) is not read: a wrong period is worse than a question."""
    a, b = int(m.group(1)), int(m.group(2))
    if a > 12 >= b:
        month, day = b, a
    elif b > 12 >= a or a == b:
        month, day = a, b
    else:
        return None
    for year in (today.year, today.year - 1):
        try:
            start = date(year, month, day)
        except ValueError:
            return None
        if start <= today:
            return Period(start, today, f"since {start.isoformat()}")
    return None


@_rule(r"\b(?:since|from)\s+(?:last\s+)?(" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")\b")
def _since_weekday(m, today):
    """ "since monday": from the latest such day (today, when it is that day) to today; "since last monday" the
    one before, when today is a Monday."""
    day = _WEEKDAYS[m.group(1).lower()]
    start = today - timedelta(days=(today.weekday() - day) % 7)
    if start == today and "last" in m.group(0).lower():
        start -= timedelta(days=7)
    return Period(start, today, f"since {start.strftime('%A')} {start.isoformat()}")


@_rule(r"\bsince\s+(" + _MONTH_NAMES + r")\b(?!\.?\s*,?\s*\d)")
def _since_bare_month(m, today):
    month = MONTHS[m.group(1).lower()]
    start = date(_month_year_of(month, None, today), month, 1)
    return Period(start, today, f"since {start.strftime('%B %Y')}")


@_rule(
    r"\b(?:since|from|after)\s+("
    + _MONTH_NAMES
    + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?!\s*,?\s*(?:19|20)\d{2})"
)
def _since_month_day(m, today):
    """ "since march 1", "from June 15th": that day of the latest such month that has started."""
    month, day = MONTHS[m.group(1).lower()], int(m.group(2))
    year = _month_year_of(month, None, today)
    try:
        start = date(year, month, day)
    except ValueError:
        return None
    if start > today:
        start = date(year - 1, month, day)
    return Period(start, today, f"since {start.isoformat()}")


@_rule(
    r"\b(?:since|from|after)\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?("
    + _MONTH_NAMES
    + r")\b(?!\s*,?\s*(?:19|20)\d{2})"
)
def _since_day_month(m, today):
    return _since_month_day(_Swapped(m), today)


class _Swapped:
    """A match read with its two groups the other way round (day first, month second)."""

    def __init__(self, match):
        self.match = match

    def group(self, index):
        return self.match.group({1: 2, 2: 1}.get(index, index))


# "1 January 2026", "22nd of Feb 2026", "January 1, 2026": one day written out
_WRITTEN_DAY = (
    r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?("
    + _MONTH_NAMES
    + r")\.?|("
    + _MONTH_NAMES
    + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?)"
    r",?\s+((?:19|20)\d{2})\b"
)


def _written_day(m, at: int) -> date | None:
    """The day of _WRITTEN_DAY's groups, starting at group ``at``."""
    day, month, month2, day2, year = (m.group(at + i) for i in range(5))
    try:
        return date(int(year), MONTHS[(month or month2).lower()], int(day or day2))
    except ValueError:
        return None


@_rule(
    r"\b(?:since|from|after)\s+(?:the\s+)?"
    + _WRITTEN_DAY
    + r"(?!\s*(?:to|until|through|thru|till|-|–|and)\b)"
)
def _since_written_day(m, today):
    """ "since 1 January 2026": from that day to today."""
    start = _written_day(m, 1)
    return Period(start, today, f"since {start.isoformat()}") if start and start <= today else None


@_rule(r"\b(on\s+or\s+)?(?:before|prior\s+to|earlier\s+than)\s+(?:the\s+)?" + _WRITTEN_DAY)
def _before_written_day(m, today):
    """ "due before 15 June 2026": any day up to the one before it ("on or before": up to that day)."""
    day = _written_day(m, 2)
    if day is None:
        return None
    if m.group(1):
        return Period(None, day, f"on or before {day.isoformat()}")
    return Period(None, day - timedelta(days=1), f"before {day.isoformat()}")


@_rule(r"\b(?:on|dated)\s+(?:the\s+)?" + _WRITTEN_DAY)
def _on_written_day(m, today):
    """ "closed on 22 February 2026": that day."""
    day = _written_day(m, 1)
    return Period(day, day, day.isoformat()) if day else None


@_rule(r"\b(?:since|from|after)\s+" + _ISO + r"\b")
def _since_date(m, today):
    start = _parse_iso(m.group(1))
    return Period(start, today, f"since {start.isoformat()}")


@_rule(
    r"\b(?:by|before)\s+(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(week|month|quarter|year)\b|"
    r"\b(?:by|before|until)\s+(?:the\s+)?(year|quarter|month)[- ]?end\b"
)
def _by_end_of(m, today):
    """ "predicted to churn by the end of the year": any day up to the last day of this year."""
    grain = (m.group(1) or m.group(2)).lower()
    _, end = whole_period(period_start(today, grain), grain)
    return Period(None, end, f"by the end of this {grain}")


@_rule(r"\b(?:by|before|until)\s+(?:the\s+)?end\s+of\s+(" + _MONTH_NAMES + r")\b(?!\s*,?\s*(?:19|20)\d{2})")
def _by_end_of_month(m, today):
    """ "predicted to churn by end of march": any day up to the last day of the next such month; a month of the last
    three ("open deals expected to close by end of July", in August) is the one just gone: nobody means a year ahead."""
    month = MONTHS[m.group(1).lower()]
    year = today.year if month >= today.month or (today.month - month) <= 3 else today.year + 1
    end = month_period(year, month).end
    return Period(None, end, f"by the end of {end.strftime('%B %Y')}")


@_rule(r"\b(?:before|prior\s+to|earlier\s+than)\s+((?:19|20)\d{2})\b(?!\s*-\d)")
def _before_year(m, today):
    """ "invoices we issued before 2026": any day up to the last of the year before."""
    year = int(m.group(1))
    return Period(None, date(year - 1, 12, 31), f"before {year}")


@_rule(r"\b(?:before|until|prior\s+to)\s+(" + _MONTH_NAMES + r")\b(?!\s*,?\s*(?:19|20)\d{2}|\s+\d)")
def _before_month(m, today):
    """ "predicted to churn before september": any day before the first of that month this year."""
    first = date(today.year, MONTHS[m.group(1).lower()], 1)
    end = first - timedelta(days=1)
    return Period(None, end, f"before {first.strftime('%B %Y')}")


@_rule(
    r"\b(on\s+or\s+before|by|before|until|till|through|prior\s+to|no\s+later\s+than|on)\s+(?:the\s+)?("
    + _MONTH_NAMES
    + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:\s*,?\s*((?:19|20)\d{2})\b)?(?!\s*(?:days?|weeks?|months?|%|k\b|m\b))"
)
def _by_month_day(m, today):
    """ "expected to close by May 15", "before June 1st", "on march 3": up to that day, before it, or that
    day; without a year, the one nearest today."""
    month, day = MONTHS[m.group(2).lower()], int(m.group(3))
    try:
        year = int(m.group(4)) if m.group(4) else today.year
        when = date(year, month, day)
        if not m.group(4) and (when - today).days > 183:
            when = date(year - 1, month, day)
        elif not m.group(4) and (today - when).days > 183:
            when = date(year + 1, month, day)
    except ValueError:
        return None
    word = m.group(1).lower()
    if word == "on":
        return Period(when, when, when.isoformat())
    if word in ("before", "prior to"):
        return Period(None, when - timedelta(days=1), f"before {when.isoformat()}")
    return Period(None, when, f"by {when.isoformat()}")


@_rule(r"\b(?:before|until)\s+" + _ISO + r"\b")
def _before_date(m, today):
    end = _parse_iso(m.group(1)) - timedelta(days=1)
    return Period(None, end, f"before {m.group(1)}")


@_rule(r"\b(?:on\s+)?" + _ISO + r"\b")
def _on_date(m, today):
    day = _parse_iso(m.group(1))
    return Period(day, day, day.isoformat())


@_rule(r"\b(?:since|from)\s+(" + _MONTH_NAMES + r")\.?\s+(\d{4})\b")
def _since_month(m, today):
    start = date(int(m.group(2)), MONTHS[m.group(1).lower()], 1)
    return Period(start, today, f"since {start.strftime('%B %Y')}")


@_rule(r"\bsince\s+(\d{4})\b")
def _since_year(m, today):
    return Period(date(int(m.group(1)), 1, 1), today, f"since {m.group(1)}")


_ORDINAL_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


@_rule(
    r"\b(?:in\s+|during\s+)?(?:the\s+)?(?:q([1-4])|(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)"
    r"\s+(?:of\s+)?(last|previous|prior|this|next|the\s+coming|the\s+next)\s+year\b"
)
def _quarter_of_relative_year(m, today):
    """ "Q3 last year", "the second quarter of this year", "Q1 next year"."""
    quarter = int(m.group(1)) if m.group(1) else _ORDINAL_QUARTERS[m.group(2).lower()]
    said = m.group(3).lower()
    year = (
        today.year
        if said == "this"
        else today.year + 1
        if "next" in said or "coming" in said
        else today.year - 1
    )
    return quarter_period(year, quarter)


@_rule(
    r"\b(?:in\s+|during\s+)?(" + _MONTH_NAMES + r")\.?\s+(?:of\s+)?(last|previous|prior|this|next)\s+year\b"
)
def _month_of_relative_year(m, today):
    said = m.group(2).lower()
    year = today.year if said == "this" else today.year + 1 if said == "next" else today.year - 1
    return month_period(year, MONTHS[m.group(1).lower()])


@_rule(
    r"\b(?:in\s+|during\s+)?(?:the\s+)?(?:q([1-4])|(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)"
    r"\s*(?:of\s+)?(?:fy)?'?(\d{4}|\d{2})\b"
)
def _quarter_of_year(m, today):
    quarter = int(m.group(1)) if m.group(1) else _ORDINAL_QUARTERS[m.group(2).lower()]
    year = int(m.group(3))
    return quarter_period(year + 2000 if year < 100 else year, quarter)


@_rule(r"\b(\d{4})[- ]?q([1-4])\b")
def _year_quarter(m, today):
    return quarter_period(int(m.group(1)), int(m.group(2)))


@_rule(
    r"\b(?:in\s+|during\s+)?(?:q([1-4])|the\s+(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)\b"
    r"(?!\s+(?:of|in)\s+(?:the\s+)?(?:fiscal\s+)?(?:year|fy)\b)"
)
def _bare_quarter(m, today):
    """ "Q2", "during the second quarter": the last one of that number to have begun."""
    quarter = int(m.group(1)) if m.group(1) else _ORDINAL_QUARTERS[m.group(2).lower()]
    year = today.year if quarter_period(today.year, quarter).start <= today else today.year - 1
    return quarter_period(year, quarter)


@_rule(r"\b(?:in\s+|during\s+)?(" + _MONTH_NAMES + r")\.?,?\s+(\d{4})\b")
def _month_year(m, today):
    return month_period(int(m.group(2)), MONTHS[m.group(1).lower()])


@_rule(r"\b(\d{4})-(\d{2})\b(?!-)")
def _iso_month(m, today):
    month = int(m.group(2))
    if not 1 <= month <= 12:
        return None
    return month_period(int(m.group(1)), month)


@_rule(
    r"\b(?:in|during|for|of)\s+(january|february|march|april|june|july|august|september|october|"
    r"november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|may)\b"
)
def _bare_month(m, today):
    return _latest_month(m.group(1), today)


def _latest_month(name: str, today: date) -> Period:
    """A month named without a year: the latest one that has started."""
    month = MONTHS[name.lower()]
    year = today.year if date(today.year, month, 1) <= today else today.year - 1
    return month_period(year, month)


@_rule(r"\blast\s+(" + _MONTH_NAMES + r")\b")
def _last_named_month(m, today):
    """ "last july" (in July): the July a year ago; "last march" (in July): the March just gone."""
    month = MONTHS[m.group(1).lower()]
    year = today.year if date(today.year, month, 1) < period_start(today, "month") else today.year - 1
    return month_period(year, month)


@_rule(r"^\s*(" + _MONTH_NAMES + r")\b(?!\s+(?:i|we|you)\b)(?!.*\b(?:19|20)\d{2}\b)")
def _leading_month(m, today):
    """ "march revenue", "May bookings": a month named first, alone, is the latest such month."""
    return _bare_month(m, today)


@_rule(r"\b(?:(?:in|during|for|of)\s+(?:the\s+)?(?:year\s+)?|fy\s*)?((?:19|20)\d{2})\b")
def _year(m, today):
    return year_period(int(m.group(1)))


@_rule(
    r"\b("
    + _MONTH_NAMES
    + r")\.?\s+(?=(?:vs\.?|versus|v|compared\s+(?:to|with)|against|and)\s+(?:"
    + _MONTH_NAMES
    + r")\b)"
)
def _month_before_comparison(m, today):
    """ "jan vs dec": a month named right before a comparison with another month is the month."""
    return _bare_month(m, today)


@_rule(r"\b(" + _MONTH_NAMES + r")\.?\s+(?=(?:vs\.?|versus|compared\s+(?:to|with)|against)\s)")
def _month_compared(m, today):
    """ "revenue nov vs nov last year": a month named right before a comparison word is the month."""
    return _bare_month(m, today)


@_rule(r"(?<!\bby\s)\b(jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?\s*[?!.]*\s*$")
def _short_month_last(m, today):
    """ "revenue nov?": a short month name ending the message is the month (not after "by": a person)."""
    return _bare_month(m, today)


@_rule(
    r"\b(?:vs\.?|versus|and|to|with|than|compared\s+(?:to|with))\s+("
    + _MONTH_NAMES
    + r")\b(?!\s*,?\s*(?:19|20)\d{2})"
)
def _month_after_comparison(m, today):
    """ "june vs may", "compare w/ may": a month named after a comparison word is the month."""
    return _bare_month(m, today)


@_rule(r"\b(?:the|in|for|during|of|over)\s+(jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b\.?(?!\s*\d)")
def _the_short_month(m, today):
    """ "the $ on the nov ones", "in oct": a short month name after "the" or "in" is the month."""
    return _bare_month(m, today)


@_rule(r"\b(january|february|march|april|june|july|august|september|october|november|december)\b")
def _bare_full_month(m, today):
    """A full month name alone ("june revenue by rep") is the latest such month that has started."""
    return _bare_month(m, today)


@_rule(r"(?<!\bby\s)\b(feb|apr|aug|sep|sept|oct|nov)\b\.?(?!\s*\d)(?!\s*-)")
def _bare_short_month(m, today):
    """ "how did feb end up": a short month name that is no person's name or English word is the month anywhere
    ("jan", "jun", "mar", "may" and "dec" need a word before them that says a time)."""
    return _bare_month(m, today)


_MEASURE_AFTER_A_MONTH = (
    r"bookings|revenue|sales|deals|numbers|pipeline|pipe|win\s+rate|invoices|invoiced|billings?|collections|cash|"
    r"closes|tickets|leads|payments|figures|totals|results|performance|wins|losses|new\s+business|close\s+pack"
)


@_rule(
    r"\b(jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b\.?(?=\s+(?:" + _MEASURE_AFTER_A_MONTH + r")\b)|"
    r"^\W*(jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?\s*[:\-–—]\s"
)
def _short_month_before_a_measure(m, today):
    """ "my team's jan bookings by rep", "top 5 reps by jan bookings", "jan: invoiced vs collected": a short month name
    right before a measure, or heading the message, is the month (a person's "jan" is "Jan's bookings")."""
    return _latest_month(m.group(1) or m.group(2), today)


@_rule(r"\b(?:year[- ]to[- ]date|ytd)\b")
def _ytd(m, today):
    return Period(date(today.year, 1, 1), today, "year to date")


@_rule(r"\b(?:quarter[- ]to[- ]date|qtd)\b")
def _qtd(m, today):
    return this_period(today, "quarter")


@_rule(r"\b(?:month[- ]to[- ]date|mtd)\b")
def _mtd(m, today):
    return this_period(today, "month")


@_rule(
    r"\b(?:in\s+|over\s+|during\s+|for\s+)?(?:the\s+)?(?:last|past|previous|trailing|most\s+recent|latest)\s+"
    + _N
    + r"\s+"
    + _UNIT
)
def _last_n(m, today):
    return last_n(today, _num(m.group(1)), m.group(2).lower())


@_rule(
    r"\b(?:in\s+|over\s+|during\s+|for\s+)?(?:the\s+|our\s+)?(?:(?:last|past|previous|prior|most\s+recent|latest)\s+"
    r"(?:full|complete|completed|closed|finished|whole)|most\s+recent|latest)\s+(week|month|quarter|year)\b"
)
def _last_complete(m, today):
    """ "our most recent quarter", "the last full month": the last one that has ended."""
    return last_period(today, m.group(1).lower())


@_rule(
    r"\b(?:in\s+|over\s+|during\s+|for\s+)?(?:the\s+)?(week|month|quarter|year)\s+before\s+(?:the\s+)?last(?:\s+one)?\b"
)
def _before_last(m, today):
    """ "the quarter before last": the one before last quarter."""
    grain = m.group(1).lower()
    start, end = whole_period(shift(period_start(today, grain), grain, -2), grain)
    return Period(start, end, f"the {grain} before last")


@_rule(
    r"\b(?:in\s+|over\s+|during\s+|for\s+)?(?:the\s+)?(?:last|past|previous|prior)\s+(day|week|month|quarter|year)\b"
)
def _last(m, today):
    return last_period(today, m.group(1).lower())


@_rule(r"\b(?:in\s+|during\s+|for\s+)?(?:this|the\s+current|current)\s+(day|week|month|quarter|year)\b")
def _this(m, today):
    return this_period(today, m.group(1).lower())


@_rule(r"\b(?:so\s+far\s+)?this\s+year\b|\bso\s+far\s+in\s+\d{4}\b")
def _this_year(m, today):
    return this_period(today, "year")


@_rule(r"\b(?:in\s+|during\s+|for\s+)?(?:the\s+)?next\s+" + _N + r"\s+" + _UNIT)
def _next_n(m, today):
    n, unit = _num(m.group(1)), m.group(2).lower()
    start = today + timedelta(days=1)
    end = shift(period_start(today, "day"), unit, n) if unit != "day" else today + timedelta(days=n)
    return Period(start, end, f"the next {n} {unit}s")


@_rule(r"\b(?:in\s+|during\s+|for\s+)?(?:the\s+)?(?:next|coming|upcoming)\s+(day|week|month|quarter|year)\b")
def _next(m, today):
    grain = m.group(1).lower()
    s, e = whole_period(shift(period_start(today, grain), grain, 1), grain)
    return Period(s, e, f"next {grain}" if grain != "day" else "tomorrow")


@_rule(
    r"\b(?:(?P<both>today\s+(?:or|and|&|\+|/)\s+)|(?:for\s+|on\s+)?)(?:tomorrow|tmrw|tmr|tmrow|tomorow|tommorow|tommorrow)\b"
)
def _tomorrow(m, today):
    """ "what's coming due today or tmrw", "invoices due tomorrow": tomorrow (with today, when said), where what is
    dated ahead is said (due, closing); "before I call them tmrw" is a remark, no period."""
    if not re.search(
        r"\b(?:due|clos(?:e|es|ing)|expir\w*|renew\w*|land(?:s|ing)?)\b[^.?!]{0,25}$", m.string[: m.start()]
    ):
        return None
    day = today + timedelta(days=1)
    if m.group("both"):
        return Period(today, day, "today or tomorrow")
    return Period(day, day, "tomorrow")


@_rule(r"\btoday\b")
def _today(m, today):
    return Period(today, today, "today")


@_rule(r"\byesterday\b")
def _yesterday(m, today):
    day = today - timedelta(days=1)
    return Period(day, day, "yesterday")


@_rule(r"\b(?:over\s+|during\s+|on\s+|at\s+|from\s+)?(?:the\s+|this\s+|last\s+|past\s+)?week[\s-]?end\b")
def _weekend(m, today):
    """ "leads that came in over the weekend": the Saturday and Sunday just past (this one, so far, on a weekend day
    unless "last" is said)."""
    said = m.group(0).lower()
    weekday = today.weekday()  # Monday 0 .. Sunday 6
    if weekday >= 5 and not re.search(r"\b(?:last|past)\b", said):
        return Period(today - timedelta(days=weekday - 5), today, "this weekend")
    sunday = today - timedelta(days=weekday + 1)
    return Period(sunday - timedelta(days=1), sunday, "last weekend")


def find_periods(text: str, today: date, most: int = 3) -> list[tuple[Period, tuple[int, int]]]:
    """Every time phrase in ``text`` (up to ``most``), each with its span, in the order written."""
    found: list[tuple[Period, tuple[int, int]]] = []
    while len(found) < most:
        period, spans = find_period(text, today)
        if period is None:
            break
        found.append((period, spans[0]))
        start, end = spans[0]
        text = text[:start] + " " * (end - start) + text[end:]
    return sorted(found, key=lambda item: item[1][0])


def shift_period(period: Period, years: int = 0, *, grain: str | None = None, steps: int = 0) -> Period:
    """The same period ``years`` years away, or the ``grain`` period ``steps`` away (whole periods)."""
    from dateutil.relativedelta import relativedelta

    if grain is not None:
        start = shift(period_start(period.start, grain), grain, steps)
        s, e = whole_period(start, grain)
        return Period(s, e, describe_grain_period(s, grain))
    delta = relativedelta(years=years)
    start = period.start + delta if period.start else None
    end = period.end + delta if period.end else None
    if start and end:
        label = _year_shifted_label(period, start, end)
        return Period(start, end, label)
    return Period(start, end, f"{period.label}, {abs(years)} year{'s' if abs(years) != 1 else ''} earlier")


def describe_grain_period(start: date, grain: str) -> str:
    """A whole period's usual name: "Q3 2026", "October 2026", "2025", "week of 2026-11-09"."""
    if grain == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if grain == "month":
        return start.strftime("%B %Y")
    if grain == "year":
        return str(start.year)
    if grain == "week":
        return f"week of {start.isoformat()}"
    return start.isoformat()


def _year_shifted_label(period: Period, start: date, end: date) -> str:
    for grain in ("year", "quarter", "month"):
        s, e = whole_period(period_start(start, grain), grain)
        if (s, e) == (start, end):
            return describe_grain_period(s, grain)
    return f"same period {start.year}"


def find_period(text: str, today: date) -> tuple[Period | None, list[tuple[int, int]]]:
    """The first time phrase in ``text`` as a Period, and the character spans it used."""
    for pattern, builder in _RULES:
        m = pattern.search(text)
        if not m:
            continue
        period = builder(m, today)
        if period is not None:
            by_end = _BY_END_OF.search(text[: m.start()])
            if by_end and period.start is not None and period.end is not None:
                # "by the end of Q2", "before the end of january 2027": any day up to that period's last;
                # a quarter or month named without its year is the next one to end
                if period.end < today and not re.search(
                    r"\d{2}|last|previous|prior|this|current|ago", m.group(0), re.I
                ):
                    period = shift_period(period, 1)
                return Period(None, period.end, f"by the end of {period.label}"), [(by_end.start(), m.end())]
            return period, [m.span()]
    return None, []


_BY_END_OF = re.compile(r"\b(?:by|before|until|till|through)\s+(?:the\s+)?end\s+of\s+(?:the\s+)?$", re.I)


_GRAIN_WORDS = [
    (r"\b(?:daily|per\s+day|each\s+day|by\s+day|every\s+day|day\s+by\s+day)\b", "day"),
    (
        r"\b(?:weekly|per\s+week|each\s+week|by\s+week|every\s+week|week\s+by\s+week|week\s+over\s+week)\b",
        "week",
    ),
    (
        r"\b(?:monthly|per\s+month|each\s+month|by\s+month|every\s+month|month\s+by\s+month|"
        r"month\s+over\s+month|mom)\b",
        "month",
    ),
    (
        r"\b(?:quarterly|per\s+quarter|each\s+quarter|by\s+quarter|every\s+quarter|quarter\s+by\s+quarter|"
        r"qoq|quarter\s+over\s+quarter)\b",
        "quarter",
    ),
    (
        r"\b(?:yearly|annually|annual|per\s+year|each\s+year|by\s+year|every\s+year|year\s+over\s+year|yoy)\b",
        "year",
    ),
]
GRAIN_PATTERNS = [(re.compile(p, re.I), g) for p, g in _GRAIN_WORDS]


def find_grain(text: str) -> tuple[str | None, list[tuple[int, int]]]:
    """A grouping by time ("by month", "monthly", "each quarter") and its span."""
    for pattern, grain in GRAIN_PATTERNS:
        m = pattern.search(text)
        if m:
            return grain, [m.span()]
    m = _AND_GRAIN.search(text)  # "new leads by source and month": the month is a grouping too
    if m:
        return m.group(1).lower(), [m.span(1)]
    return None, []


_AND_GRAIN = re.compile(
    r"\b(?:by|per)\s+(?:[a-z]+\s+){1,3}?(?:and|&)\s+(day|week|month|quarter|year)\b(?!\s+(?:to\s+date|of|before|after))",
    re.I,
)
