"""Questions said in one of a few shapes people type, read before the rest: a field after "+" ("deals over 100k +
owner": a column, not a split), records then the columns asked as questions ("which open deals do they have, what
stage, how much?"), what the last contact was about, any number of days past due, invoices ranked by the balance
still owed on each, a list with each record's last touch ("list em + when we last touched them"), values taken back in
the same message, and periods said twice or relative to another ("the 30 days before that"). A long message's question
after its context is read in reader_context.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from tools.reports import semantic
from tools.reports.nlq.followup_said import said_after
from tools.reports.nlq.phrasings_plain import records_then_columns
from tools.reports.nlq.said_as_typed import SAID_AS_TYPED
from tools.reports.nlq.types import Reading, Refusal
from tools.reports.query import Query

Read = Callable[[str], "Reading | Refusal"]


def as_said(question: str, previous: Query | None) -> str:
    """The question with those shapes said in the reader's words."""
    question = corrected_in_place(question)  # "avg health for EMEA custs... actually no, make that APAC"
    question = _plus_a_column(question)  # "deals over 100k + owner": with the owner, not split by owner
    question = records_then_columns(question)  # "which open deals do they have, what stage, how much?"
    question = _coming_due(
        question
    )  # "how much is still owed on invoices falling due in february? count + amount"
    for pattern, replacement in SAID_AS_TYPED:
        question = pattern.sub(replacement, question)
    if re.search(r"\b(?:vs\.?|versus|compared\s+(?:to|with)|against|compare)\b", question, re.I):
        # "has our sales cycle gotten longer? 2025 vs 2024": the measure, in the two periods compared
        question = _GOTTEN_MORE.sub(r"\1", question)
    if re.search(r"\bhealth\b", question, re.I) and not re.search(r"\blead", question, re.I):
        # "any customers with health below 40? show scores": their health scores, never the leads' score
        question = _BARE_SCORE.sub(lambda m: f"health {m.group(0)}", question)
    if (
        previous is not None
        and _WHEN_DUE.match(question)
        and semantic.model().base_of(previous.metric) == "invoices"
    ):
        # "when's that due?" after what an account owes: the invoices behind it, each with its due date
        return "which invoices are those?"
    of_customers = _HOW_MANY_OF_THEM.match(question) if previous is not None else None
    if (
        of_customers
        and previous.metric == "customers"
        and not (previous.group_by or previous.list_records or previous.filters or previous.period)
    ):
        # "how many customers do I own" then "and how many of them have something overdue": those customers (mine),
        # the ones that have it
        whose = {"me": "my ", "team": "my team's "}.get(previous.owner.scope, "") if previous.owner else ""
        return as_said(f"how many of {whose}customers {of_customers.group('rest')}", None)
    if previous is not None and _HOW_MUCH_IS_IT.match(question):
        counted = semantic.model().metric(previous.metric)
        if counted.format == "count" and counted.amount_metric and not (previous.also or previous.group_by):
            # "ok then how much is it for?" after the invoices counted (or a refused change's records): their amount
            question = "what's the amount"
    if previous is not None and _THE_SCORE.search(question):
        # "name them pls, with the score" after how many have a health score below 70: that score
        scored = [n for n in (previous.metric, *previous.also) if "score" in semantic.model().metric(n).label]
        if len(scored) == 1:
            label = semantic.model().metric(scored[0]).label.replace("average ", "")
            question = _THE_SCORE.sub(lambda m: f"{m.group(1)} {label}{m.group(2) or ''}", question)
    if previous is not None and previous.metric == "dso" and _DSO_PART.search(question):
        # "what's the invoiced figure you divided by?" after DSO: the billing of its 90 days; "and the outstanding
        # part?": what is owed today
        if re.search(r"\b(?:invoiced|billed|billing|sales|denominator|divided?\s+by)\b", question, re.I):
            return "invoiced amount in the last 90 days"
        return "outstanding"
    if previous is not None and previous.owner is not None and _OTHER_TEAMS.search(question):
        # "how does that compare to the other teams? show all of them" after my team's figure: every team, side by side
        return "and for everyone, by team"
    if previous is not None and _ONLY_OVERDUE.match(question):
        return "and overdue only?"  # "same but only counting overdue" after who owes us the most
    of_invoices = _PERIODS_INVOICES.match(question) if previous is not None else None
    # "and from 2024 invoices?" after what is still unpaid of 2025's billing: the same measure, for 2024
    if (
        of_invoices
        and semantic.model().base_of(previous.metric) == "invoices"
        and semantic.model().metric(previous.metric).aggregate not in ("count", "count_distinct")
    ):
        return f"and {of_invoices.group('when')}?"
    if previous is not None and previous.list_records and _WHEN_DUE.match(question):
        return "list them"  # "when was that due?" after an account's invoices: those, with their due dates
    corrected = _CORRECTION.match(question) if previous is not None else None
    if corrected and _same_dimension(corrected.group("new"), corrected.group("old"), previous):
        return f"what about {corrected.group('new').strip()} instead"  # "sorry, EMEA not APAC": the other one
    if previous is not None:
        question = said_after(
            question, previous
        )  # "same breakdown", "which accounts paid?", "list the deals" ...
    if previous is not None and previous.metric == "last_contacted" and _WHAT_ABOUT.match(question):
        # "what was it about" after when we last spoke to them: that activity
        return "and the latest activity?"
    return question


_HOW_MANY_OF_THEM = re.compile(
    r"^\W*(?:and\s+|so\s+|ok\s+)?how\s+many\s+of\s+(?:them|those|these)\s+(?P<rest>(?:have|has|got|owe|still)\b.*)$",
    re.I,
)
_THE_SCORE = re.compile(r"\b(the|their|its|each|w/|with)\s+score(s)?\b(?!\s+(?:of|for)\b)", re.I)
_OTHER_TEAMS = re.compile(
    r"\b(?:the\s+)?other\s+teams\b|\ball\s+(?:the\s+|of\s+the\s+)?(?:other\s+)?teams\b|\bevery\s+(?:other\s+)?team\b|"
    r"\beach\s+team\b|\brest\s+of\s+the\s+teams\b",
    re.I,
)
_DSO_PART = re.compile(
    r"\b(?:divided?\s+by|divide|denominator|numerator|behind\s+(?:it|that|the\s+dso)|you\s+used?|went\s+into|goes\s+into|"
    r"based\s+on)\b",
    re.I,
)
_ONLY_OVERDUE = re.compile(
    r"^\W*(?:same|ditto|and)\s*(?:thing)?\s*,?\s*(?:but|for)\s+(?:only\s+|just\s+)?(?:counting\s+|looking\s+at\s+|for\s+)?(?:the\s+)?"
    r"(?:overdue|past\s+due)(?:\s+(?:part|ones|amount|invoices|stuff))?(?:\s+only)?\W*$",
    re.I,
)
_FALLING_DUE = re.compile(
    r"\binvoices\s+(?:that\s+(?:are\s+)?|which\s+(?:are\s+)?)?(?:falling|fall|coming|come|becoming|become)\s+due\b",
    re.I,
)
_OWED_COMING_DUE = re.compile(
    r"\b(?:how\s+much\s+is\s+|what'?s\s+|what\s+is\s+)?(?:still\s+)?(?:owed|outstanding|unpaid|open)\s+on\s+(?:the\s+)?"
    r"invoices\s+coming\s+due\b",
    re.I,
)
_COUNT_AND_AMOUNT = re.compile(
    r"\s*[?,.;:-]?\s*(?:the\s+)?(?:count|number|#)\s*(?:\+|and|&|/|plus)\s*(?:the\s+)?(?:amount|total|\$|value|sum)"
    r"(?:\s+pls|\s+please)?\W*$",
    re.I,
)


def _coming_due(question: str) -> str:
    """ "how much is still owed on invoices falling due in february? count + amount": the invoices coming due then
    (by their due date, never by when they were issued), counted and with what is still owed on them."""
    text = _FALLING_DUE.sub("invoices coming due", question)
    if text == question and "coming due" not in question.lower():
        return question
    text = _OWED_COMING_DUE.sub("amount coming due", text)
    counted = _COUNT_AND_AMOUNT.search(text)
    if counted and re.search(r"\bamount\s+coming\s+due\b", text, re.I):
        text = text[: counted.start()] + "?"
        text = re.sub(
            r"\bamount\s+coming\s+due\b",
            "number of invoices coming due and the amount coming due",
            text,
            count=1,
            flags=re.I,
        )
    return text


_PERIODS_INVOICES = re.compile(
    r"^\W*(?:and|what\s+about|how\s+about)\s+(?:from|for|on|of)?\s*(?:the\s+)?(?P<when>(?:20\d\d|q[1-4](?:\s+20\d\d)?|last\s+year|"
    r"this\s+year|last\s+quarter|this\s+quarter|[a-z]+\s+20\d\d))(?:'s)?\s+invoices\W*$",
    re.I,
)
_WHEN_DUE = re.compile(
    r"^\W*(?:(?:and|ok|so)\W+)?when(?:'s|s|\s+was|\s+were|\s+is|\s+are)\s+(?:that|it|they|those|these|this)\s+(?:all\s+)?"
    r"due\W*$",
    re.I,
)
_CORRECTION = re.compile(
    r"^\W*(?:(?:sorry|oops|my\s+bad|no\s+wait|wait|actually|correction|whoops)\W+)*(?:i\s+meant\s+)?(?P<new>[\w&'. -]{2,40}?)"
    r"\s*,?\s+not\s+(?P<old>[\w&'. -]{2,40}?)\W*$",
    re.I,
)


_TAKEN_BACK = re.compile(
    r"\s*(?:\.{2,}|…|[-–—,;:])?\s*\b(?:actually\s+no|no\s+actually|actually|sorry|oops|no\s+wait|wait\s+no|wait|i\s+mean|"
    r"correction|my\s+bad)\b\s*[,.:-]?\s*(?:make\s+(?:that|it)\s+|i\s+meant\s+|meant\s+|not\s+that,?\s+)?"
    # ("5 largest open deals in apac - sorry, EMEA i mean")
    r"(?P<new>[a-z][\w&'-]*(?:\s+(?!i\s+mean)[a-z][\w&'-]*)?)(?:\s+i\s+mean(?:t)?)?\s*(?=[.,;?!]|$)",
    re.I,
)


def corrected_in_place(question: str) -> str:
    """ "avg helth score for our EMEA custs... actually no, make that APAC", "invoices 90+ days past due in APAC -
    sorry, LATAM": the value taken back replaced by the one meant (never both)."""
    for m in _TAKEN_BACK.finditer(question):
        new = m.group("new")
        meant = _values_said(new) or _values_said(new.split()[0])
        if not meant:
            continue
        said = new if _values_said(new) else new.split()[0]
        meant_dims = {d for d, _ in meant}
        before = question[: m.start()]
        words = list(re.finditer(r"[A-Za-z][\w&'-]*", before))
        for i in reversed(range(len(words))):  # the nearest value of the same kind, said in one or two words
            two = before[words[i].start() : words[i + 1].end()] if i + 1 < len(words) else None
            for phrase in (two, words[i].group(0)):
                if phrase is None:
                    continue
                taken_back = _values_said(phrase)
                if {d for d, _ in taken_back} & meant_dims and taken_back != meant:
                    start = words[i].start()
                    return before[:start] + said + before[start + len(phrase) :] + question[m.end() :]
    return question


def _values_said(text: str) -> set[tuple[str, str]]:
    """The (dimension, value) pairs a word or two name as written ("apac": region APAC), none for other words."""
    from tools.reports.lexicon import lexicon

    return {(s.name, str(s.value)) for s in lexicon().get(text.strip().lower()) or () if s.kind == "value"}


def _same_dimension(new: str, old: str, previous: Query) -> bool:
    """Both words name values of one dimension, and the one taken back is what the previous question was about."""
    said, taken_back = _values_said(new), _values_said(old)
    dims = {d for d, _ in said} & {d for d, _ in taken_back}
    return any(
        f.dimension in dims and {str(v) for v in f.values} & {v for _, v in taken_back}
        for f in previous.filters
    )


_GOTTEN_MORE = re.compile(
    r"\b(?:has|have|did|is|are)\s+((?:our|the|my|your)\s+[\w\s-]{2,40}?)\s+(?:gotten|got|get|become|became|grown|grow|gone|"
    r"went)\s+(?:any\s+)?(?:longer|shorter|bigger|smaller|better|worse|up|down|higher|lower|faster|slower)\b",
    re.I,
)


_BARE_SCORE = re.compile(
    r"(?<!health\s)(?<!lead\s)(?<!engagement\s)(?<!payment\s)(?<!support\s)(?<!csat\s)(?<!satisfaction\s)"
    r"(?<!-)\bscores?\b",
    re.I,
)


_HOW_MUCH_IS_IT = re.compile(
    r"^\W*(?:(?:ok|okay|so|and|fine)\W+)?(?:then\s+)?how\s+much\s+(?:is|are|was|were)\s+(?:it|that|they|those|these|them)"
    r"(?:\s+(?:for|worth|in\s+total|altogether))?(?:\s+then)?\W*$",
    re.I,
)


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
    r"\b(?:(?:more\s+than|over|greater\s+than|older\s+than|>)\s*(?P<n>\d{1,4})|(?:at\s+least\s+)?(?P<m>\d{1,4})"
    r"\s*(?:\+|plus\b|or\s+more\b))\s*days?\s+(?:past\s+(?:the\s+)?due(?:\s+date)?|overdue|late)\b"
)


_AT_PERIOD_END = re.compile(
    r"\b(?:at|as\s+of|for)\s+(?:the\s+)?(year|quarter|month)[\s-]*end\b|\b(?:at|as\s+of)\s+the\s+end\s+of\s+the\s+(year|quarter|month)\b|"
    # "dso at half year?", "AR as of the half-year close" on 30 June or 31 December
    r"\b(?:at|as\s+of|for)\s+(?:the\s+)?(half)[\s-]*year(?:[\s-]*(?:end|close))?\b"
)


def at_period_end(text: str, today: date) -> str:
    """ "DSO at year end?" on 31 December: today's figure (on another day the words are left to be asked about)."""
    from tools.reports.timewords import period_start, whole_period

    def today_if_last_day(m: re.Match) -> str:
        if m.group(3):  # a half year ends on 30 June and 31 December
            return " as of today " if (today.month, today.day) in ((6, 30), (12, 31)) else m.group(0)
        grain = m.group(1) or m.group(2)
        return " as of today " if whole_period(period_start(today, grain), grain)[1] == today else m.group(0)

    return _AT_PERIOD_END.sub(today_if_last_day, text)


_PRIOR_WINDOW = re.compile(
    r"\b(?P<vs>vs\.?|versus|compared\s+(?:to|with)|against|and)\s+(?:the\s+|to\s+the\s+)?(?:(?:previous|prior|preceding)\s+"
    r"(?P<n1>\d{1,3})\s+days|(?P<n2>\d{1,3})\s+days\s+(?:before|prior|previous|preceding)(?:\s+(?:that|it|then|those))?)\b",
    re.I,
)
_LAST_N_DAYS = re.compile(r"\b(?:the\s+)?(?:last|past|trailing)\s+(\d{1,3})\s+days\b", re.I)


def prior_window(text: str, today: date) -> str:
    """ "cash in over the last 30 days vs the 30 days before that", "last 30 days vs prior 30 days": the same number of
    days just before the first window, as dates (never the same days a year earlier)."""
    from datetime import timedelta

    from tools.reports.timewords import find_period

    m = _PRIOR_WINDOW.search(text)
    first = _LAST_N_DAYS.search(text[: m.start()]) if m else None
    if m is None or first is None or int(first.group(1)) != int(m.group("n1") or m.group("n2")):
        return text
    window = find_period(first.group(0), today)[0]
    if window is None or window.start is None:
        return text
    days = (window.end - window.start).days + 1
    end = window.start - timedelta(days=1)
    start = end - timedelta(days=days - 1)
    return f"{text[: m.start()]}{m.group('vs')} {start.isoformat()} to {end.isoformat()}{text[m.end() :]}"


_MONTHS = (
    r"(?P<month>january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|"
    r"jun|jul|aug|sept|sep|oct|nov|dec)"
)
_MONTH_LAST_YEAR = re.compile(
    rf"\b{_MONTHS}\b(?P<mid>(?:\s+(?!(?:this|last|next|vs|versus|compared|and|or)\b)[a-z']+){{0,4}}?)\s+(?:of\s+|in\s+)?last\s+year\b",
    re.I,
)


def month_last_year(text: str, today: date) -> str:
    """ "and what did july look like last year", "march of last year": that month a year before this one's (one period,
    never the month and the whole of last year)."""
    return _MONTH_LAST_YEAR.sub(lambda m: f"{m.group('month')} {today.year - 1}{m.group('mid')}", text)


_BRACKETED = re.compile(r"\s*\(([^()]{3,40})\)")


_SAID_AGAIN_WORDS = re.compile(
    r"^\s*(?:today\s+(?:being|is)|as\s+of|i\.?e\.?,?|ie,?|that'?s|which\s+is)\s+|"
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?\.?(?=\s+\d)"
)


def _one_day(inside: str, today: date):
    """ "aug 31", "31 aug 2026": the one day written, or None."""
    from tools.reports.timewords import find_period

    period, spans = find_period("on " + inside, today)
    if period is None or period.start != period.end or not spans or spans[0][1] - spans[0][0] < len(inside):
        return None
    return period


def period_said_again(text: str, today: date) -> str:
    """ "q4 to date bookings vs the same stretch last year (oct 1 - nov 30 2025)": the dates in brackets say again the
    period just before them; read once, by its words (two periods besides would be a third one). Dates that say
    another period ("over the weekend (sat 11/14 - mon 11/16)") are left to be read."""
    from tools.reports.nlq.cues import read_periods

    for m in _BRACKETED.finditer(text):
        # ("last week (Mon 24 Aug - Sun 30 Aug)", "(today being Aug 31)": the weekdays and "today being" say nothing more)
        inside = _SAID_AGAIN_WORDS.sub(" ", m.group(1).lower()).strip()
        periods, rest = read_periods(inside, today)
        if periods.period is None or re.search(r"[a-z0-9]", rest):
            day = _one_day(inside, today)  # "aug 31": that day
            if day is None:
                continue  # (not only dates in there)
            periods.period = day
        before, _ = read_periods(text[: m.start()].lower(), today)
        said = [(p.start, p.end) for p in (before.period, before.compare_to) if p is not None]
        if periods.period.start == periods.period.end == today and (
            not said
            or re.search(r"\b(?:today|as\s+of|now|atm|currently|right\s+now)\b", text[: m.start()], re.I)
        ):
            said.append(
                (today, today)
            )  # "as of today (Aug 31)", "for my month-end pack (today being Aug 31)"
        if (
            before.period is not None
            and before.period.start
            and re.search(r"\blast\s+year\b|\ba\s+year\s+(?:ago|earlier|before)\b", text[: m.start()], re.I)
        ):  # ("ytd vs the same point last year (jan 1 - aug 14 2025)": the same days a year earlier)
            from tools.reports.timewords import shift_period

            earlier = shift_period(before.period, -1)
            said.append((earlier.start, earlier.end))
        if (periods.period.start, periods.period.end) in said:
            return text[: m.start()] + " " + text[m.end() :]
    return text


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
    r"(?:talk|speak|chat)\s+about|what\s+was\s+(?:the\s+)?(?:subject|topic)(?:\s+of\s+(?:it|that))?|about\s+what)\W*$|"
    # "what was that about, and was it a call or a meeting?"
    r"^\W*(?:(?:and|so|ok|okay)\W+)*what\s+(?:was|is)\s+(?:it|that|this)\s+about\s*[,;?-]?\s*(?:and\s+)?(?:was\s+it|what\s+type|"
    r"which\s+type|what\s+kind)\b|"
    # "what was it - call, email? and who logged it", "was it a call or an email?", "who logged it?"
    r"^\W*(?:(?:and|so|ok|okay)\W+)*(?:what\s+was\s+(?:it|that)\s*[-–—:,?]|what\s+(?:kind|type)\s+of\s+"
    r"(?:contact|activity|touch(?:point)?)\s+was\s+(?:it|that)|was\s+(?:it|that)\s+an?\s+(?:call|email|meeting)\b|"
    r"who\s+(?:logged|made|did|sent)\s+(?:it|that)\W*$)",
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
        said_before = re.findall(r"[a-z]+", before.lower())[-1:]
        if said_before and any(s.kind == "dim" for s in lexicon().get(said_before[0]) or ()):
            return m.group(0)  # "- reason + owner": two columns named, read as a list of them
        if re.search(r"\b(?:by|per|each|with|including)\b|\bw/", before, re.I) or not senses:
            # ("revenue by region + segment": two splits; "w/ amount + reason": a list of columns already)
            return m.group(0)
        if all(s.kind == "dim" for s in senses):
            return f" with {m.group(1)}{m.group(2)}"
        return m.group(0)

    # ("5 biggest open deals + what stage theyre in": that field)
    text = re.sub(
        r"\+\s+(?:what|which)\s+([a-z]+)\s+(?:they'?re|theyre|they\s+are|it'?s|it\s+is)\s+(?:in|at|on)\b",
        r"+ \1",
        text,
        flags=re.I,
    )
    return re.sub(r"(?<=\w)\s+\+\s+([a-z][a-z ]*?)\s*([,?.;!]|$)", column, text, flags=re.I)


# what a long message says before its question ("I have a call with Acme at 3 -", "Patricia wants to know how bad
# EMEA looks before the regional review -", "prepping for the Maple Street renewal call -"): why the asker asks
