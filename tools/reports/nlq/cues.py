"""Cues that change what a question means, read before its words: who ("my", "my team"), which
periods and whether they are compared ("vs last quarter", "yoy"), conditions on records ("not
contacted in 60 days", "past their expected close date"), and what a follow-up refers to.

Each extractor returns what it found and the text with those words blanked out, so that the
later passes neither count them twice nor take them for unknown words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from crmbot.words import NEGATION_PATTERN, NUMBER_WORD_PATTERN, number_value
from tools.reports.nlq.numbers import _blank
from tools.reports.query import RecordCondition
from tools.reports.timewords import (
    Period,
    find_period,
    find_periods,
    period_start,
    shift,
    shift_period,
    whole_period,
)

# --------------------------------------------------------------------------- who: "my", "I", "my team"

_TEAM = re.compile(
    r"\b(?:my|our)\s+(?:own\s+)?(?:sales\s+)?team(?:'s|s)?\b|\bmy\s+reps\b|"
    # "deals won by my guys", "my people's pipeline": a manager's reps
    r"\bmy\s+(?:guys|people|folks|crew|squad|sellers|salespeople|aes|sdrs)\b|"
    r"\bthe\s+(?:whole\s+)?team(?:'s|s')(?!\s+(?:by|per))|\b(?:for|across)\s+the\s+(?:whole\s+)?team\s*[?.!]*$"
)  # "and the team's?": the asker's team
# "team deals in negotiation", "deals the team lost this q", "wins on the team", said by someone with a team:
# their own team (a split by team says "by team" or "each team")
_THE_TEAM = re.compile(
    r"^(\W*(?:and\s+|ok\s+|so\s+|now\s+)?)team(?=\s+(?:deals|pipeline|pipe|bookings|wins|won|numbers|leads|revenue|"
    r"quota|win\s+rate|opps|opportunities|performance|total|mtd|qtd|ytd|accounts|customers)\b)|"
    # ("for the whole team", "the team as a whole": a total, read as before)
    # "the team" anywhere else is theirs too ("where's the team at on bookings", "has the team gotten"), but not
    # the team as a unit of the company ("the team level", "the team name", "the team as a whole")
    r"\b()the\s+team\b(?!\s*(?:level|names?|as\s+a\s+whole|leads?\b|leader|lead's|manager|members?\b))",
    re.I,
)


_EVERYONE = re.compile(
    r"\ball\s+of\s+us\b|\beveryone\b|\bwhole\s+(?:company|org|organi[sz]ation)\b|\b(?:company|org)[- ]wide\b|"
    r"\bnot\s+just\s+(?:mine|me|my\s+own|ours)\b",
    re.I,
)


def the_team_as_mine(text: str, asker) -> str:
    """ "the team" in the words of someone who has a team: theirs ("my team"); as said otherwise."""
    if not getattr(asker, "team", None):
        return text
    text = re.sub(
        r"\b(just|only)\s+ours\b", r"\1 my team's", text, flags=re.I
    )  # "just ours" after a split by team
    if _EVERYONE.search(text):  # "how many calls did the team log? (all of us, not just mine)": everyone's
        return text
    # "how many of the team's mtd ones are from the website": of those just shown
    text = re.sub(r"\bof\s+(?:the|my|our)\s+team'?s\s+(?:[\w-]+\s+){0,2}?ones\b", "of them", text, flags=re.I)
    return _THE_TEAM.sub(lambda m: f"{m.group(1) or m.group(2) or ''}my team", text)


_MY = re.compile(r"\b(?:my|mine|myself)\b")
# "I" is the owner when it is the subject of selling ("did i win", "i booked"), not of a request
_I = re.compile(r"\bi(?:'ve|'m|'d)?\b")
_I_REQUEST = re.compile(
    r"\b(?:can|could|may|shall|should|would|will)\s+i\s+(?:see|get|have|ask|look|view|know|find|pull|check)\b|"
    r"\bdo\s+i\s+(?:see|ask|look|view|find|pull|check)\b|"
    r"\bi\s*(?:'d|would)?\s*(?:want|need|like|wanna|wonder|was wondering|think|mean|meant|guess)\b|\bi'd\b|"
    r"\bi\s+(?:don'?t|do\s+not)\s+(?:know|get|understand|remember|care)\b|"
    # "what does Westbridge still owe us? I know they paid part of it": a remark, not whose
    r"\bi\s+(?:know|knew|believe|heard|saw|hear|noticed|notice|assume|suppose|understand|remember|recall|doubt|"
    r"feel|hope|reckon|suspect|bet|promised|told|said|was\s+told)\b|"
    # "any overdue invoices I should know about before I walk in?", "I have a QBR with Acme tomorrow": the
    # person's situation, not whose records
    r"\bi\s+(?:should|must|ought\s+to|have\s+to|need\s+to)\s+(?:know|be\s+aware|worry|look|flag|see|check|mention|"
    r"raise|chase|call|email)\b|\b(?:before|when|after|once|while)\s+i\b|"
    r"\b(?:i'm|i\s+am)\s+(?:planning|preparing|prepping|getting\s+ready|catching\s+up|meeting|seeing|visiting|writing|"
    r"putting|pulling|pulling\s+together)\b|"
    # "I'm chasing Heron Apparel — list their overdue invoices": what the asker is doing, said first
    r"(?:^|[.!?;:,—–-]\s*)(?:(?:so|ok|okay|hi|hey)\W+)?(?:i'm|i\s+am)\s+(?:just\s+|currently\s+|about\s+to\s+)?[a-z]+ing\b|"
    r"\bi\s+(?:have|got|had)\s+(?:a|an|the|my)\s+(?:qbr|call|meeting|review|catch-?up|1:1|one-on-one|sync|board)\b|"
    # "... those are the ones i'm worried about": how the asker feels about them, not whose they are
    r"\b(?:i'?m|i\s+am)\s+(?:most\s+|really\s+|a\s+bit\s+)?(?:worried|concerned|nervous|anxious|curious)\s+about\b"
)
_ME_OWNER = re.compile(
    r"\b(?:owned\s+by|assigned\s+to|belonging\s+to|for|routed\s+to|(?:landed|landing|lands|dropped|came|come|"
    r"coming)\s+(?:on|to|in\s+on|in\s+to|into))\s+me\b(?!\s+to\b)"  # "how many new leads have landed on me this month"
)


OWNED = "askers"  # what "my" / "my team" become in the text: a word that carries no other meaning
# "add those up for me", "compare the EMEA teams for me, this quarter vs last": done for the asker, on what is asked
_FOR_ME_REQUEST = re.compile(
    r"\b(?:add|sum|tally|break|split|sort|work\s+out|figure\s+out|calculate|compute|draw|chart|plot|export|rank|"
    r"graph|summari[sz]e|crunch|compare|contrast|put\s+together|pull\s+together)\b"
    r".*\bfor\s+me\b|"
    # "fine, then just list them for me with the totals": done for the asker, not the asker's records
    r"\b(?:list|show|pull|fetch|find|get|give|run|check|look\s+up)\s+(?:them|those|these|it|that|this)\s+for\s+me\b|"
    # "Could you pull the 10 largest open deals for me?", "would you mind breaking down Q2 bookings by industry for me?":
    # asked of the bot, politely (the asker's own records are "my deals", "assigned to me")
    r"\b(?:could|can|would|will)\s+(?:you|u)\s+(?:please\s+|kindly\s+|possibly\s+)?(?:mind\s+)?(?:pull|show|give|list|get|run|"
    r"send|prepare|fetch|find|share|compare|break|breaking|pulling|showing|listing|put\s+together|dig\s+up)\b"
    r"[^?]*\bfor\s+me\b|"
    r"^\W*(?:please\s+|pls\s+)?(?:pull|show|give|list|run|send|prepare|fetch|share|put\s+together)\b[^?]*\bfor\s+me\s*(?:[?.!]|$)"
)


def _mark(text: str, span: tuple[int, int]) -> str:
    """The words at ``span`` replaced by OWNED (padded to the same length): "across my accounts"
    keeps a word between "across" and "accounts", so the accounts are a scope, not a grouping. The
    text may grow; later steps only read the text they are given."""
    start, end = span
    return text[:start] + OWNED.ljust(end - start) + text[end:]


def extract_owner(text: str) -> tuple[str | None, str]:
    """ "team", "me" or None, and the text with those words marked as OWNED."""
    found = None
    m = _TEAM.search(text)
    if m:
        found = "team"
        text = _mark(text, m.span())
    for m in reversed(list(_MY.finditer(text))):  # from the end: a mark may grow the text after it
        found = found or "me"
        text = _mark(text, m.span())
    owner_me = _ME_OWNER.search(text)
    request = owner_me and owner_me.group(0).startswith("for") and _FOR_ME_REQUEST.search(text)
    if owner_me and not request:
        found = found or "me"
        text = _mark(text, owner_me.span())
    asked = _blank(text, owner_me.span()) if request else text  # "add those up for me": a request
    if found is None and _I.search(asked) and not _I_REQUEST.search(asked):
        found = "me"
    return found, text


# --------------------------------------------------------------------------- comparisons

_VS = re.compile(
    r"\b(?:vs\.?|versus|(?<!\.)v\.?|compared?\s+(?:to|with|w/?|against)|in\s+comparison\s+(?:to|with)|"
    r"(?:stacks?|measures?|holds?)\s+up\s+(?:against|to|with)|against|relative\s+to|next\s+to|alongside)(?=\s|$)|"
    r"\bcompare[ds]?\b|\bcomparison\b|\bw/(?=\s*(?:last|the|this|q\d))|"
    r"\bstacks?\s+up\b(?=\s+(?:on|for|in|last|this|during)\b|\s*[?.!]*$)",  # "how do NA and EMEA stack up on bookings"
)
_THAN = re.compile(r"\bthan\s+(?=(?:last|the\s+same|in\s|during|q[1-4]|this|previous|prior|\d{4}))")
_YOY = re.compile(
    r"\b(?:yoy|y/y|y-o-y|year[- ]over[- ]year|year[- ]on[- ]year|"
    r"(?:vs\.?\s+|versus\s+|compared\s+(?:to|with)\s+)?(?:the\s+)?same\s+(?:period|time|quarter|month|week|dates|days|stretch|window)\s+"
    r"(?:last|a|the\s+previous|the\s+prior)\s+year|a\s+year\s+(?:ago|earlier|before)|"
    r"(?:the\s+)?(?:prior|previous)\s+year'?s?\s+same\s+period|"
    # "same month the year before?"
    r"(?:the\s+)?same\s+(?:period|time|quarter|month|week|dates|days)\s+(?:the|a)\s+year\s+(?:before|earlier|prior)|"
    # "jan 1 - mar 24 this yr vs the same dates in 2025": those days of that year
    r"(?:the\s+)?same\s+(?:dates|days|period|time|window|stretch)\s+(?:in\s+|of\s+)?(?:19|20)\d{2})\b"
)
_SAME_DAYS_IN = re.compile(
    r"\bsame\s+(?:dates|days|period|time|window|stretch)\s+(?:in\s+|of\s+)?((?:19|20)\d{2})\b"
)
_POP = {
    "qoq": "quarter",
    "q/q": "quarter",
    "quarter over quarter": "quarter",
    "quarter on quarter": "quarter",
    "mom": "month",
    "m/m": "month",
    "month over month": "month",
    "month on month": "month",
    "wow": "week",
    "week over week": "week",
    "week on week": "week",
}
_POP_RE = re.compile(r"\b(" + "|".join(re.escape(k) for k in _POP) + r")\b")
_GROWTH = re.compile(
    r"\b(?:growth|grow|grew|growing|grown|up or down|changed?|increase[ds]?|decrease[ds]?|delta|"
    r"better\s+or\s+worse|worse\s+or\s+better|improved?|improving)\b"
)
_BEFORE = re.compile(
    r"\b(?:vs\.?\s+|versus\s+|compared\s+(?:to|with)\s+)?the\s+(week|month|quarter|year)\s+(?:before|prior)\b"
    r"(?!\s+(?:the\s+)?last\b)|"
    r"\bthe\s+(?:one|period)\s+before\b|\bthe\s+(?:previous|prior)\s+(?:one|period)\b"
)
# "QTD vs where we were at the same point last quarter (so jan 1-15)": as many days into the previous quarter
_SAME_SPAN = re.compile(
    r"\b(?:where\s+we\s+were\s+)?(?:at\s+|by\s+)?(?:the\s+)?same\s+(?:point|time|stretch|days|period|stage|place)\s+"
    r"(?:in\s+|of\s+)?(?:last|the\s+previous|the\s+prior|previous|prior)\s+(quarter|month|week)\b"
    r"(?:\s*\((?:so\s+|i\.?e\.?\s*,?\s*|that\s+is\s+|that'?s\s+)?[^()]{0,40}\))?"
)
_SAME_COMPARISON = re.compile(r"\bsame\s+comparison\b|\bcompared\s+the\s+same\s+way\b")


@dataclass
class PeriodReading:
    period: Period | None = None
    compare_to: Period | None = None
    compare_metrics: bool = False  # "vs" between two measures ("invoiced vs collected")
    same_comparison: bool = False  # a follow-up asking for the previous comparison again
    ambiguous: list[Period] = field(default_factory=list)  # two periods and nothing says how they relate
    three: list[Period] = field(default_factory=list)  # "october vs september, and vs october last year"
    relative_before: str | None = None  # "and the year before": the period before the previous one
    # "compare that with the quarter before": the previous period vs the one before it
    compare_before: str | None = None
    year_earlier_only: bool = False  # "the same month a year before", alone: a year earlier, no comparison
    year_over_year_alone: bool = (
        False  # "YoY by region": no period said; a follow-up's own period a year earlier
    )
    notes: list[str] = field(default_factory=list)


_TIME_POSSESSIVE = re.compile(
    r"\b(week|month|quarter|year|today|yesterday|january|february|march|april|may|june|july|august|september|"
    r"october|november|december|q[1-4])'s\b"
)


_ELIDED_GRAIN = re.compile(
    r"\b(?:this|last|current)\s+(week|month|quarter|qtr|year)\b.*?\b(?:vs\.?|versus|compared\s+(?:to|with)|against)"
    r"\s+(?:the\s+)?(last|previous|prior)\b(?!\s+(?:week|month|quarter|qtr|year|one|period|\d))"
)
_WHOLE_LAST_YEAR = re.compile(r"\b(?:all\s+of|(?:the\s+)?(?:whole|full|entire)(?:\s+of)?)\s+last\s+year\b")


_FILLER = re.compile(
    r"\s*(?:(?:all|of|the|whole|full|entire|in|during|same|for|stretch|span|window|timeframe|period|days)\s*\(?\s*)*"
)  # ("vs the same stretch (jan 1 - nov 15) of 2025")


def _only_filler(between: str) -> bool:
    """Only words like "all of the" between "vs" and a period: "vs all of last year" names a period."""
    return bool(_FILLER.fullmatch(between))


def _to_date_of(periods: list[Period], today: date) -> Period | None:
    """Of two periods that start together, the one up to today when the other is that whole period around today."""
    one, other = periods
    if one.start is None or one.start != other.start or today is None:
        return None
    for short, whole in ((one, other), (other, one)):
        if short.end == today and whole.end is not None and whole.end > today:
            return short
    return None


def _today_within(periods: list[Period], today: date) -> Period | None:
    """Of two periods, the one that holds the other when the other is today alone."""
    for one, other in (periods, periods[::-1]):
        if (
            other.start == other.end == today
            and (one.start is None or one.start <= today)
            and (one.end is None or one.end >= today)
            and one.start != one.end
        ):
            return one
    return None


def read_periods(text: str, today: date) -> tuple[PeriodReading, str]:
    """The period(s) of a question and whether two are compared; the text without those words."""
    out = PeriodReading()
    said_text = text
    text = _TIME_POSSESSIVE.sub(lambda m: m.group(1) + "  ", text)  # "this qtr's win rate"
    elided = _ELIDED_GRAIN.search(text)
    if elided:  # "this quarter compared to last": last quarter
        grain = "quarter" if elided.group(1) == "qtr" else elided.group(1)
        text = text[: elided.end()] + " " + grain + text[elided.end() :]
    whole_last_year = bool(_WHOLE_LAST_YEAR.search(text))
    to_date = bool(re.search(r"\b(?:ytd|year[\s-]to[\s-]date|so\s+far\s+this\s+year)\b", text))
    if _SAME_COMPARISON.search(text):
        out.same_comparison = True
        text = _SAME_COMPARISON.sub(lambda m: " " * len(m.group(0)), text)
    same_span = _SAME_SPAN.search(text)
    if same_span:
        text = _blank(text, same_span.span())
    yoy = _YOY.search(text)
    if yoy:
        text = _blank(text, yoy.span())
    pop = _POP_RE.search(text)
    pop_grain = _POP[pop.group(1)] if pop else None
    if pop:
        text = _blank(text, pop.span())
    before = _BEFORE.search(text)
    if before:
        text = _blank(text, before.span())
    cue = _VS.search(text) or _THAN.search(text)
    growth = _GROWTH.search(text)
    found = find_periods(text, today)
    for _, span in found:
        text = _blank(text, span)
    periods = [p for p, _ in found]
    # "q4 bookings by rep, this quarter vs q4 2025" in Q4 2026: "q4" and "this quarter" are one period
    if len(periods) > 2:
        periods = [p for i, p in enumerate(periods) if not any(_same_period(p, q) for q in periods[:i])]
    if cue:
        if not re.fullmatch(r"vs\.?|versus", cue.group(0)):
            # ("paul vs amanda": "vs", a word read as nothing, stays between them, so two first names are two names,
            # never one read together)
            text = _blank(text, cue.span())
        # "invoiced vs collected last quarter": what follows "vs" is a measure, not a period
        after = cue.end()
        compares_periods = cue.group(0).startswith("compar") and len(periods) >= 2  # "compare X in Q1 and Q2"
        if not any(_only_filler(text[after : span[0]]) and span[1] > after for _, span in found) and not (
            yoy or before or pop or compares_periods or same_span
        ):
            out.compare_metrics = True
            out.period = periods[0] if periods else None
            out.notes += _extra_periods(periods[1:])
            return out, text
    if before and not cue and not periods and not pop:
        if re.match(r"vs|versus|compared", before.group(0)):
            # "vs the quarter before that?" after last quarter's figure: that quarter against the one before it
            out.compare_before = before.group(1) or "previous"
            if before.group(
                1
            ):  # alone ("bookings vs the quarter before"): this quarter against the one before
                out.period = find_period(f"this {before.group(1)}", today)[0]
                out.compare_to = shift_period(out.period, grain=before.group(1), steps=-1)
        else:  # "and the quarter before": the quarter before, instead
            out.relative_before = before.group(1) if before.group(1) else "previous"
        return out, text
    if growth and (yoy or pop or before or len(periods) == 2 or cue):
        text = _blank(text, growth.span())

    if same_span:
        grain = same_span.group(1)
        first = periods[0] if periods else find_period(f"this {grain}", today)[0]
        out.period, out.compare_to = first, _same_days_before(first, grain)
        out.notes += _extra_periods(periods[1:])
    elif yoy:
        # "bookings vs the same qtr last yr", no period of its own: this quarter against that quarter a year before
        grain = re.search(r"\bsame\s+(quarter|month|week)\b", yoy.group(0))
        first = (
            periods[0]
            if periods
            else find_period(f"this {grain.group(1)}", today)[0]
            if grain
            else _this_year(today)
        )
        out.period, out.compare_to = first, _year_before(first, today, text)
        in_year = _SAME_DAYS_IN.search(text)
        if in_year and first.start is not None and int(in_year.group(1)) != first.start.year - 1:
            out.compare_to = shift_period(first, int(in_year.group(1)) - first.start.year)
        out.year_over_year_alone = not periods
        # "and the same month a year before?": no "vs", no period of its own, no growth: a follow-up may
        # read it as the previous period a year earlier, not as a comparison
        out.year_earlier_only = not (
            cue
            or periods
            or growth
            or re.search(r"\b(?:vs|versus|compar)", yoy.group(0))
            # "YoY by region" after a quarter: year over year is a comparison by its own name
            or re.match(r"yoy|y/y|y-o-y|year[- ]over[- ]year|year[- ]on[- ]year", yoy.group(0))
        )
        out.notes += _extra_periods(periods[1:])
    elif pop_grain and not before and periods and _grain_of(periods[0]) not in (None, pop_grain):
        # "bookings month over month this year": the year month by month, not the year against a month
        out.period = periods[0]
        out.notes += _extra_periods(periods[1:])
        text += f" by {pop_grain} "
    elif before or pop_grain:
        first = periods[0] if periods else None
        grain = (before.group(1) if before and before.group(1) else None) or pop_grain or _grain_of(first)
        if first is None:
            if before and cue:  # a follow-up compares its own period with the one before; alone: this one
                out.compare_before = before.group(1) or "previous"
            first = find_period(f"this {grain}", today)[0] if grain else None
        if first is not None and grain:
            out.period = first
            out.compare_to = shift_period(first, grain=grain, steps=-1)
            if before and before.group(1) == "year" and _grain_of(first) in ("quarter", "month", "week"):
                out.compare_to = shift_period(first, -1)  # "q4 vs q4 the year before": Q4 a year earlier
        out.notes += _extra_periods(periods[1:])
    elif len(periods) >= 2 and (cue or growth):
        first, second = periods[0], periods[1]
        said_at = next((span for p, span in found if p is second), None)
        if (
            said_at is not None
            and _SAME_DAYS_OF.search(text[: said_at[0]])
            and None not in (first.start, first.end, second.start, second.end)
            and second.end - second.start > first.end - first.start
        ):
            # "mtd bookings vs the same days last october": October 2025 as far into it as this month is
            end = second.start + (first.end - first.start)
            second = Period(second.start, end, f"{second.start.isoformat()} to {end.isoformat()}")
        if second.label == "last year" and not whole_last_year and (_grain_of(first) != "year" or to_date):
            # ... and "ytd vs last year": the year so far against the same days a year earlier
            # "this quarter vs last year": the same period a year earlier; "this year vs last year" is the two
            # years, as "this quarter vs last quarter" is the quarter so far against the whole last one
            second = _year_before(first, today, text)
        elif (first.start, first.end) == (second.start, second.end) and first.start is not None:
            # "Q4 bookings vs Q4 last year" in early January: Q4 is last year's, so the other one is a year before
            # (a period compared with itself is never what is meant)
            second = shift_period(first, -1)
        out.period, out.compare_to = first, second
        out.notes += _extra_periods(periods[2:])
    elif (
        len(periods) == 1
        and cue
        and periods[0].label.startswith("last ")
        and not re.fullmatch(
            r"compare[ds]?|comparison|stacks?\s+up", cue.group(0)
        )  # "how did NA and EMEA compare last
    ):  # quarter": the two, last quarter
        # "bookings vs last quarter": this quarter (so far) against it; "vs last year": the same days
        grain = periods[0].label.split(" ", 1)[1]
        first = find_period(f"this {grain}", today)[0]
        out.period = first
        # ("vs all of last year?": the whole of it)
        out.compare_to = shift_period(first, -1) if grain == "year" and not whole_last_year else periods[0]
    elif len(periods) == 2 and (periods[0].start, periods[0].end) == (periods[1].start, periods[1].end):
        out.period = periods[0]  # "closing october: ... this month" on the 31st: one period, said twice
    elif len(periods) == 2 and "(" in text and _same_days_of_the_year(*periods):
        out.period = periods[
            0
        ]  # "expected to close in Q2 (apr-jun)": the quarter, its months said again in brackets
    elif len(periods) == 2 and _to_date_of(periods, today) is not None:
        # "month-to-date for October" (in October): the month so far, said two ways
        out.period = _to_date_of(periods, today)
    elif len(periods) == 2 and _today_within(periods, today) is not None:
        # "how much have we booked this quarter, before it wraps up today", "the last 7 days incl. today":
        # today is inside the other period, not a second one to compare with
        out.period = _today_within(periods, today)
    elif len(periods) == 2 and _BOTH.search(text):
        # "we lost more customer in Q2 or in Q1? please give me the churned count of both quarter": the two compared
        out.period, out.compare_to = periods[0], periods[1]
    elif len(periods) >= 2:
        out.period = periods[0]
        out.ambiguous = periods[:2]
    elif growth and periods and _grain_of(periods[0]):
        grain = _grain_of(periods[0])
        out.period = periods[0]
        out.compare_to = shift_period(periods[0], grain=grain, steps=-1)
        text = _blank(text, growth.span())
    elif periods:
        out.period = periods[0]
    if cue and out.compare_to is None and not out.ambiguous:
        out.compare_metrics = True
    if (
        out.period is not None
        and out.compare_to is not None
        and out.period.end is not None
        and out.compare_to.start is not None
        and out.period.end < out.compare_to.start
    ):  # "avg deal size March vs April": the change is from March to April, the later period first
        out.period, out.compare_to = out.compare_to, out.period
    if (
        out.period is not None
        and out.compare_to is not None
        and len(periods) >= 3
        and len(_VS.findall(said_text)) >= 2
    ):
        said = {(p.start, p.end) for p in (out.period, out.compare_to)}
        other = next((p for p in periods if (p.start, p.end) not in said), None)
        if (
            other is not None
        ):  # "october vs september, and vs october last year": each against the first, asked back
            out.three = [out.period, out.compare_to, other]
    return out, text


_SAME_DAYS_OF = re.compile(
    r"\bsame\s+(?:days|dates|period|point|time|stretch|span|window)\s+(?:of\s+|in\s+)?(?:the\s+)?$"
)


def _same_days_of_the_year(a: Period, b: Period) -> bool:
    """The same months and days, whatever the year ("Q2" and "apr-jun" read a year apart)."""
    if None in (a.start, a.end, b.start, b.end):
        return False
    return (a.start.month, a.start.day, a.end.month, a.end.day) == (
        b.start.month,
        b.start.day,
        b.end.month,
        b.end.day,
    )


def _same_period(a: Period, b: Period) -> bool:
    """One period said twice: the same days, or a whole one and the same one to date ("q4" and "this quarter")."""
    if a.start is None or a.start != b.start:
        return False
    return a.end == b.end or (_grain_of(a) is not None and _grain_of(a) == _grain_of(b))


def _same_days_before(period: Period, grain: str) -> Period:
    """As many days into the previous ``grain`` period as ``period`` is into its own ("Apr 1-15" -> "Jan 1-15")."""
    start = shift(period_start(period.start, grain), grain, -1)
    last = whole_period(start, grain)[1]
    end = min(start + (period.end - period_start(period.start, grain)), last)
    return Period(start, end, f"{start.isoformat()} to {end.isoformat()}")


def _this_year(today: date) -> Period:
    return find_period("this year", today)[0]


def _extra_periods(periods: list[Period]) -> list[str]:
    return [f'ignored the period "{p.label}"' for p in periods]


def _grain_of(period: Period | None) -> str | None:
    """The calendar grain of a period that is one whole week/month/quarter/year, or one to date."""
    from tools.reports.timewords import period_start, whole_period

    if period is None or period.start is None or period.end is None:
        return None
    named = re.fullmatch(
        r"(?:this|last)\s+(week|month|quarter|year)|(week|month|quarter|year)\s+to\s+date", period.label
    )
    if named:  # "this year" on 2 March is the year so far, never the quarter so far its dates also are
        return named.group(1) or named.group(2)
    for grain in ("week", "month", "quarter", "year"):
        if period_start(period.start, grain) != period.start:
            continue
        whole_end = whole_period(period.start, grain)[1]
        to_date = period.label.startswith("this ") or "to date" in period.label
        if period.end == whole_end or (to_date and period.end < whole_end):
            return grain
    return None


# --------------------------------------------------------------------------- conditions on records

_NUMBER = r"(\d+|" + NUMBER_WORD_PATTERN + r"|a|an|one)"
_NEGATION = r"(?:" + NEGATION_PATTERN + r"|no\s*-?\s*one(?:\s+has|'s|s)?|nobody(?:\s+has|'s|s)?)"
_TOUCH = (
    r"(?:contacted|contact|touched|reached(?:\s+out(?:\s+to)?)?|called|emailed|spoken\s+(?:to|with)|"
    r"talked\s+(?:to|with)|engaged(?:\s+with)?|met(?:\s+with)?|heard\s+from|been\s+in\s+touch(?:\s+with)?|"
    r"had\s+(?:any\s+|a\s+|a\s+single\s+)?(?:contact|touch(?:\s*points?|es)?|activity|activities|interactions?|"
    r"conversations?|calls?|meetings?))"
)
_WITHIN = r"(?:in|for|over|within|during|since)\s+(?:the\s+)?(?:last|past|previous)?\s*"
_UNIT = r"(day|week|month)s?"
_INACTIVE = [
    re.compile(
        r"\b"
        + _NEGATION
        + r"(?:\s+\w+){0,3}?\s+"
        + _TOUCH
        + r"(?:\s+\w+){0,4}?\s+"
        + _WITHIN
        + _NUMBER
        + r"\+?\s+"
        + _UNIT
        + r"\b"
    ),
    re.compile(
        r"\b(?:no|zero|without\s+(?:any\s+)?)\s*(?:contact|activity|activities|touch(?:es)?|touchpoints?|engagement|"
        r"calls?|emails?|meetings?|interactions?)(?:\s+\w+){0,3}?\s+"
        + _WITHIN
        + _NUMBER
        + r"\+?\s+"
        + _UNIT
        + r"\b"
    ),
    re.compile(
        r"\blast\s+(?:contacted|touched|contact|touch|activity|spoken\s+to)\s+(?:more\s+than|over|>|at\s+least)\s+"
        + _NUMBER
        + r"\+?\s+"
        + _UNIT
        + r"\s+ago\b"
    ),
    re.compile(
        r"\b(?:gone|been|went)\s+(?:quiet|silent|dark|cold)\s+(?:for|in|over)\s+(?:the\s+)?(?:last|past)?\s*"
        + _NUMBER
        + r"\+?\s+"
        + _UNIT
        + r"\b"
    ),
]


def extract_inactivity(text: str, today: date) -> tuple[RecordCondition | None, str]:
    """ "not contacted in 60 days": no activity in the last N days (counted back from today)."""
    for pattern in _INACTIVE:
        m = pattern.search(text)
        if not m:
            continue
        number, unit = m.group(1), m.group(2)
        n = 1 if number in ("a", "an", "one") else number_value(number)
        days = days_back(today, n, unit)
        return RecordCondition("not_contacted_days", days=days), _blank(text, m.span())
    return None, text


# "what's been sitting open 100+ days", "tickets older than 2 weeks", "deals open more than 90 days": the
# records created at least that long ago
_AGE = re.compile(
    r"\b(?:(?:(?:been|sitting|stuck|idle|open|opened|lying)\s+){1,3}(?:for\s+)?|older\s+than\s+|"
    r"(?:open|opened|sitting)\s+(?:for\s+)?(?:longer|more)\s+than\s+|created\s+|aged\s+|"
    # "leads still in 'new' that came in more than 2 weeks ago": created then
    r"(?:came|come|coming)\s+in\s+(?=(?:more\s+than|over|at\s+least)\s)|(?:arrived|added)\s+(?=(?:more\s+than|over)\s))"
    r"(?P<more>more\s+than\s+|over\s+|longer\s+than\s+|at\s+least\s+)?(?P<n>\d{1,4})\s*(?P<plus>plus\s+)?"
    r"(?P<unit>day|week|month)s?(?P<after>\s+(?:ago|old|or\s+more|or\s+longer|plus))?\b"
)


def extract_age(text: str, today: date) -> tuple[RecordCondition | None, str]:
    """ "sitting open 100+ days", "older than 2 weeks": created at least that many days before today."""
    m = _AGE.search(text)
    if m is None:
        return None, text
    said = m.group(0)
    bounded = m.group("more") or m.group("plus") or m.group("after") or said.startswith(("older", "aged"))
    if not bounded and "for" not in said.split():
        return None, text  # "open 30 days" alone could be a period; "open for 30 days" is an age
    days = days_back(today, int(m.group("n")), m.group("unit"))
    strict = bool(m.group("more")) and not m.group("more").startswith("at") or said.startswith("older")
    start = m.start("more") if m.group("more") else m.start("n")
    if said.startswith(("older", "aged", "created", "came", "come", "coming", "arrived", "added")):
        start = m.start()
    # "have been open for more than 2 weeks": the records are open now too; only the age is taken out
    return RecordCondition("older_than_days", days=days + (1 if strict else 0)), _blank(
        text, (start, m.end())
    )


def days_back(today: date, n: int, unit: str) -> int:
    from dateutil.relativedelta import relativedelta

    if unit == "day":
        return n
    if unit == "week":
        return 7 * n
    return (today - (today - relativedelta(months=n))).days


_POSSESSIVE = re.compile(r"\b(?:their|thier|its|the|his|her|our)\b\s*")


def extract_record_conditions(text: str, model) -> tuple[list[tuple[str, RecordCondition]], str]:
    """Named conditions of the model (``conditions`` in semantic.yaml) said in words, with their base."""
    found = []
    for entry in model.file.conditions:
        for phrase in entry.phrases:
            words = _POSSESSIVE.sub("", phrase.lower()).split()
            pattern = (
                r"\b"
                + r"\s+".join(r"(?:(?:their|thier|its|the|his|her|our)\s+)?" + re.escape(w) for w in words)
                + r"\b"
            )
            m = re.search(pattern, text)
            if m:
                found.append(
                    (
                        entry.base,
                        RecordCondition(
                            entry.kind,
                            column=entry.column,
                            days=entry.days,
                            records=entry.records,
                            where=[c.model_dump() for c in entry.where] or None,
                        ),
                    )
                )
                text = _blank(text, m.span())
                break
    return found, text


# --------------------------------------------------------------------------- follow-ups

_CONTINUE = re.compile(
    r"^\s*(?:and|also|plus|now|then|ok(?:ay)?[,.]?\s+(?:and|now|so)|so|same(?:\s+thing)?(?!\s+(?:period|time|quarter|month|week|dates|days|day|stretch|window)\b)|just|only|"
    r"what\s+about|how\s+about|and\s+what\s+about|and\s+how\s+about|what\s+if)\b"
)
_THEN_AT_THE_END = re.compile(
    r"(?<=\w)\s+then\s*(?=[?.!]*\s*$)|"
    # "avg deal size too pls" after the win rate this year: more of the same answer
    r"(?<=\w)\s+(?:too|as\s+well)\s*(?:pls|please|plz|thx|thanks)?\s*(?=[?.!]*\s*$)"
)
_ANAPHORA = re.compile(
    r"\b(?:those|these|them|they|their|theirs|it|its|it's|that|the\s+same|same\s+thing|same\s+comparison|"
    r"each|each\s+one|ones|of\s+those|of\s+them|of\s+these|the\s+list|instead)\b|"
    r"\bspecifically\b|\bin\s+particular\b|\bth(?:is|at)\s+(?:company|account|customer|client)\b|\bthe\s+(?:top|first|bottom|last)\s+one\b|\bthere\s*(?:in\s+total|total|overall|altogether|so\s+far)?\s*[?.!]*$|"
    r"(?<!\bis\s)(?<!\bare\s)(?<!\bwas\s)(?<!\bwere\s)(?<!\bover\s)(?<!\bget\s)\bthere\b(?!\s*(?:is|are|was|were|'s|s|be|been)\b)|"
    r"\b(?:in\s+total|altogether)\s*[?.!]*$|"
    # "how many did we lose?" after the win rate: a count with no noun of its own counts the thread's records
    r"\bhow\s+many\s+(?:did|do|have|had|will|would|could|can)\s+(?:we|they|you|i)\b|\bhow\s+many\s+(?:are|were)\b|"
    r"\bof\s+this\b(?!\s+(?:year|quarter|month|week|fiscal))|\bthis\s+(?:amount|number|figure|total)\b|"
    # "which deals make up the qualification number?", "what's behind that figure"
    r"\b(?:make|makes|making|made)\s+up\s+(?:the|that|this)\b|"
    r"\bbehind\s+(?:the|that|this)\s+(?:[a-z]+\s+){0,2}(?:number|figure|total|amount)\b|"
    # "which accounts?", "which accounts, and how much each?" after a figure: the accounts behind it
    r"^\W*(?:(?:ok|and|so|then)\W+)?(?:which|what)\s+(?:accounts|customers|companies|clients|reps|people|regions|"
    r"teams|countries|industries)\b(?=\s*(?:[?,.]|$|and\s+how\s+much\b))"
)  # "how many deals in total" after a split: the same deals, one figure
_FIGURE_REFERENCE = re.compile(
    r"\b(?:of\s+(?:that|those|it|them|these)|that\s+amount|that\s+number|that\s+figure)\b|"
    r"\bof\s+this\b(?!\s+(?:year|quarter|month|week|fiscal))|\bthis\s+(?:amount|number|figure|total)\b"
)
_OR_NOT = re.compile(r"\b(\w+)\s+or\s+not\b")


_BOTH = re.compile(
    r"\b(?:both|the\s+two|each\s+of\s+the\s+two)\s+(?:quarters?|qtrs?|months?|years?|yrs?|weeks?|periods?|halves|half)\b|"
    r"\bmore\s+in\b[^?]{1,30}\bor\s+in\b|\b(?:higher|lower|bigger|more|less|fewer)\s+in\b[^?]{1,30}\bor\b"
)


@dataclass
class FollowUpCues:
    continues: bool = False  # starts like a continuation ("and ...", "what about ...")
    refers: bool = False  # points back at the previous answer ("those", "them", "it")
    figure: bool = False  # points at the previous figure ("of that")
    or_not: list[str] = field(default_factory=list)  # "overdue or not": drop that restriction

    @property
    def any(self) -> bool:
        return self.continues or self.refers


def read_follow_up(text: str) -> tuple[FollowUpCues, str]:
    start = _CONTINUE.search(text) or _THEN_AT_THE_END.search(text)  # "whats my win rate then"
    cues = FollowUpCues(
        continues=bool(start),
        refers=bool(_ANAPHORA.search(text)),
        figure=bool(_FIGURE_REFERENCE.search(text)),
    )
    if start:
        text = _blank(text, start.span())
    for m in list(_OR_NOT.finditer(text)):
        cues.or_not.append(m.group(1))
        text = _blank(text, m.span())
    return cues, text


_SO_FAR = re.compile(
    r"\b(?:so\s+far|to\s+date|qtd|ytd|mtd|same\s+(?:dates|days|window|point|stretch)|through\s+today|until\s+today)\b"
)


def _year_before(period, today, text: str):
    """The same period a year earlier (Q3 2026 vs Q3 2025); of a period said to be still running ("Q1 so far", "Q1 to
    date vs the same dates last year" on 17 February), its days up to today's date a year earlier."""
    running = period.start is not None and period.end is not None and period.start <= today < period.end
    if running and _SO_FAR.search(text):
        from tools.reports.timewords import Period

        shifted = shift_period(Period(period.start, today, period.label), -1)
        return Period(shifted.start, shifted.end, f"same period {shifted.start.year}")
    return shift_period(period, -1)
