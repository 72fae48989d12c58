"""What is around a question rather than in it: a remark before or after it ("hey quick one before my
1:1 — ...", "..., for the CS leadership sync"), left aside when it names nothing measurable, and the
columns named at its end ("... - invoice #, customer, balance"), which ask for the records."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from tools.reports import semantic
from tools.reports.entities import Entities
from tools.reports.lexicon import expand_abbreviations
from tools.reports.nlq.cues import read_periods
from tools.reports.nlq.kinds import GENERIC_METRICS
from tools.reports.nlq.words import find_mentions, leftover_tokens, partial_entities, tokenize

_SEPARATORS = ("... ", "… ", " — ", " – ", " -- ", " - ", ": ", "; ", ". ", "! ", ", ")
_PARENTHESES_ASIDE = re.compile(r"\s*\(([^()]*)\)")
_PURPOSE = re.compile(
    r",?\s*\b(?:for|before|ahead\s+of)\s+(?:the|our|my|a|an|this|tomorrow'?s|next|today'?s)\s+"
    r"[a-z0-9:&/'\s-]{2,40}?(?=\s*(?:[,.?!—–;]|\s-\s|$)|\s+(?:i|we)?\s*(?:need|want|can\s+(?:you|u)|could\s+(?:you|u)|"
    r"pls|please|give\s+me|show\s+me)\b)",
    re.I,
)
_WHO_WANTS = re.compile(
    r"^\s*(?:[\w&']+\s+){1,3}?(?:wants|needs|asked\s+(?:me\s+)?for|is\s+asking\s+(?:me\s+)?for|would\s+like)"
    r"(?:\s+to\s+(?:know|see))?\s+",
    re.I,
)


@lru_cache(maxsize=4)
def _meeting(model) -> re.Pattern:
    """A meeting or document named by what it is about ("the pipeline review", "the quarterly close pack",
    "the CS sync", "the board deck"): those words name the meeting, not what is asked."""
    nouns = "|".join(re.escape(n) for n in sorted(model.file.words.meeting_nouns, key=len, reverse=True))
    return re.compile(rf"\b(?:[\w'&]+\s+){{0,2}}(?:{nouns})s?\b")


_MEANINGFUL_MARKERS = {"group", "count", "avg", "total", "negate", "max", "min", "open", "closed"}


_EMOTICON = re.compile(r"\s*(?:[:;]-?[)(DPp]|[\U0001F300-\U0001FAFF\u2600-\u27BF]+)\s*")


def asides(question: str):
    """(the question, the remark around it) pairs to try, the likeliest first."""
    question = _EMOTICON.sub(". ", question)  # "I'm the new finance analyst :) how much ...": two sentences
    asked, mark, after = question.partition("?")
    if mark and after.strip():
        yield asked + "?", after
        # "felt like september was a big month for new logos?? how many companies became customers in sept": a
        # musing asked first, the question after it (an ask, never a statement: "whats our bank account and routing
        # number? customer wants to wire the payment" stays the question asked)
        if _AN_ASK.match(after):
            yield after.strip(" ?"), asked + "?"
    for sep in _SEPARATORS:
        if sep in question:
            left, right = question.split(sep, 1)
            yield right, left
            yield left, right
    for found in (_PARENTHESES_ASIDE, _PURPOSE, _WHO_WANTS):
        match = found.search(question)
        if match:
            yield question[: match.start()] + " " + question[match.end() :], match.group(0)


_AN_ASK = re.compile(
    r"\W*(?:(?:and|ok|so|but)\W+)?(?:how|what|whats|what's|which|who|whose|when|where|is|are|do|does|did|can|could|any|"
    r"show|list|give|pls|please|avg|average|total|top|bottom|number|count|bookings|revenue|pipeline|cash|leads|deals|"
    r"invoices|tickets|churn|win|conversion|i'?d\s+like|i\s+would\s+like|i\s+need|i\s+want|can\s+i\s+(?:get|see|have))\b",
    re.I,
)


def check_as_verb(text: str) -> str:
    """ "I'd like to check it myself", "can you check whether": the verb "check" (said "verify"), not the
    payment method."""
    text = re.sub(
        # (never "paid by check in october", "via check on the 3rd": the payment method)
        r"\b(?<!by\s)(?<!via\s)(?<!paid\s)(?<!with\s)(?<!a\s)check(?=\s+(?:it|this|that|them|these|those|whether|if|on|in|out|up|how|what|which|who|for\s+me|myself)\b)",
        "verify",
        text,
    )
    return re.sub(
        r"\b(to|i'd|i'll|can you|could you|please|pls|let me|lemme|and|just|quickly|quick|sanity|double)\s+check\b",
        r"\1 verify",
        text,
    )


# when something happens, not what is asked: "want the SDRs dialing before 5", "call at 3:30"
TIME_OF_DAY = re.compile(
    r"\b(?:at|by|before|until|in|around)\s+\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.|mins?|minutes?)?\b"
    r"(?!\s*(?:days?|weeks?|months?|years?|%|k\b|m\b))"
)


WHOSE_RECORDS = re.compile(
    r"\b(?:for|of|on|with|among|across)\s+(?:my|our|my\s+team'?s)\s+(?:\w+\s+){0,2}(?:deals|accounts|customers|invoices|"
    r"leads|tickets|opps|opportunities)\b",
    re.I,
)


# "... since when (oldest open invoice date)?": a date asked for as a column of the answer, never a remark
A_DATE_ASKED = re.compile(
    r"\b(?:oldest|earliest|latest|newest|first|last|most\s+recent)\b[^)?]{0,30}\bdates?\b"
)


def carries_meaning(
    aside: str, today: date, entities: Entities, main: str | None = None, *, aside_first: bool = True
) -> bool:
    """Whether a remark names anything a question could be about: a measure, a grouping, a value,
    a period, a number (other than a "1:1" or a time of day). With the question left (``main``), what
    it says again adds nothing ("did collections dip ... ? cash in sept vs august"), nor does a period
    when the question has its own ("support queue feels heavy this week... tickets since monday?")."""
    if WHOSE_RECORDS.search(aside):
        return True  # "for my open renewal deals, what's the health score of each account": mine, never set aside
    if re.search(r"(?:%|\bpercent(?:age)?|\bshare|\bratio|\bproportion|\bfraction)\s+of\b", aside.lower()):
        return True  # "..., and collections as a % of invoiced": a figure of its own, even of measures said before
    if A_DATE_ASKED.search(aside.lower()):
        return True  # "what do they still owe and since when (oldest open invoice date)?": a column asked for
    if main is not None:
        return _adds_to(aside, main, today, entities, aside_first)
    text = expand_abbreviations(aside.lower().replace("’", "'"))
    # "for tomorrow's pipeline review": a meeting's name, not a measure; "the EMEA board deck" names a value
    text = _meeting(semantic.model()).sub(
        lambda m: m.group(0) if _names_a_value(m.group(0), entities) else " ", text
    )
    text = check_as_verb(text)
    text = re.sub(r"\b(?:sanity|quick|spot|gut|reality|double)[\s-]+check\b", " ", text)
    # "before the quarter wraps up today": when the asker's deadline is, not the period asked about
    text = re.sub(
        r"\b(?:before|until|as)\s+the\s+(?:quarter|month|year|week)\s+(?:wraps\s+up|ends|closes|is\s+over|finishes)"
        r"(?:\s+(?:today|tomorrow|tonight|this\s+week))?",
        " ",
        text,
    )
    text = re.sub(
        r"\b(?<!by\s)(?<!via\s)(?<!paid\s)check\s*[?.!:]*\s*$", " ", text
    )  # "support volume check:"
    # "need to flag them to the CFO", "want to send these to finance": what the asker will do with the answer
    text = re.sub(
        r"\b(?:i\s+|we\s+)?(?:need|want|have|got|going|plan)\s+to\s+(?:flag|send|share|show|forward|escalate|present|"
        r"give|pass|report|raise|bring|take)\s+(?:them|those|these|it|this|that)\s+(?:to|for|with|at|up\s+with|in)\b.*$",
        " ",
        text,
    )
    # "I need both totals, the absolute change, and the % change": what a comparison shows anyway
    text = re.sub(
        r"\b(?:both\s+(?:totals?|figures|numbers|values)|(?:the\s+)?(?:absolute|%|percent(?:age)?|relative)\s+change|"
        r"the\s+(?:change|difference|delta|growth)|growth\s*%|%\s*growth)\b|%",
        " ",
        text,
    )
    if re.search(r"\d", re.sub(r"\b1:1s?\b", " ", text)):
        return True
    if re.search(r"\b(?:them|those|these|they|their|list|show|specifically)\b", text):
        return True  # "list them — customer, subject, priority": the remark is the request
    periods, text = read_periods(text, today)
    if periods.period is not None or periods.compare_to is not None or periods.relative_before:
        return True
    tokens = tokenize(text)
    mentions = find_mentions(tokens, entities, set())
    partial, _ = partial_entities(tokens, leftover_tokens(tokens, mentions), entities)
    if sum(m.end - m.start for m in partial) >= 2:
        # "bookings this quarter, Lars vs Kenji": people or accounts by a word of their names, two or more (one
        # alone is often the person addressed: "thanks Lars")
        return True
    for m in mentions:
        # "I just joined the team": a grouping's name alone is no request for a split by it
        split = set(tokens[max(0, m.start - 2) : m.start]) & {
            "by",
            "per",
            "each",
            "split",
            "across",
            "which",
            "what",
        }
        for sense in m.senses:
            if (
                sense.kind in ("metric", "value")
                or (sense.kind == "dim" and split)
                or (sense.kind == "marker" and sense.name in _MEANINGFUL_MARKERS)
            ):
                return True
    return False


def _adds_to(aside: str, main: str, today: date, entities: Entities, aside_first: bool = True) -> bool:
    """``carries_meaning`` of a remark beside the question ``main``: only what the question doesn't say. A value
    the question says too, a value of something the question's records don't have ("deciding whether to renew the
    trade show budget... conversion rate on event leads": leads have no lost reason), "by" before no grouping ("CFO
    just stopped by the desk"), records named plainly before the question ("our deals"), a status said as a verb and,
    where the question has a period of its own, a few days around today ("this week", "monday") or the question's own
    period add nothing. A second ask ("..., and whats the oldest due date"), an account or a person the question doesn't
    name, a year, or days said one by one always do."""
    original = aside
    aside = TIME_OF_DAY.sub(" ", re.sub(r"\b1:1s?\b", " ", aside.lower().replace("’", "'")))
    # "for the collections call this afternoon": a meeting named by what it is about, not a measure
    aside = _meeting(semantic.model()).sub(
        lambda m: m.group(0) if _names_a_value(m.group(0), entities) else " ", aside
    )
    aside = re.sub(
        r"\b(?:on|off)\s+(?:the|my|our|your|a)\s+(?:list|radar|plate)\b", " ", aside
    )  # idioms, not a list
    # "Hi, I'm working through collections today. What's the total overdue ...": the asker's task, not a measure
    aside = re.sub(
        r"\b(?:i'?m|i\s+am|im|we'?re|we\s+are)\s+(?:just\s+)?(?:working\s+(?:through|on)|doing|busy\s+with|handling|covering|"
        r"on)\s+(?:the\s+|our\s+|my\s+|some\s+)?(?:collections?|renewals?|billing|invoicing|forecast(?:ing)?|month[\s-]end|"
        r"quarter[\s-]end|year[\s-]end|close)\b",
        " ",
        aside,
    )
    # "top 5 high-risk accounts by LTV - where's the most money at stake": why they rank it, no measure of its own
    aside = re.sub(
        r"\b(?:the\s+)?(?:most\s+|biggest\s+)?(?:money|revenue|\$|dollars|value)?\s*(?:is\s+)?at\s+stake\b",
        " ",
        aside,
    )
    if _SECOND_ASK.match(aside) and not (aside_first and original.rstrip().endswith("?")):
        # (a musing asked before the question, "which sales teams carried the number? I'd like ...", is weighed below)
        # "..., and whats the oldest due date on it": a second ask, never a remark; one that names nothing we measure
        # ("overdue by account owner - who needs to chase what?") says why the question is asked
        return carries_meaning(aside, today, entities)
    if _SAID_AGAIN.match(aside):
        return False  # "how many leads are at status 'new' - i.e. nobody has started working them?"
    if _names_someone_else(aside, main, entities, original):
        return True  # "how is Oberon doing? the health score i mean": Oberon, never left aside
    own, _ = read_periods(TIME_OF_DAY.sub(" ", main.lower().replace("’", "'")), today)
    periods, rest = read_periods(aside, today)
    found = [p for p in (periods.period, periods.compare_to) if p is not None]
    if found and all(p.start is not None and p.start > today for p in found) and not periods.relative_before:
        pass  # when something will happen ("NA reps have capacity next week. can u list ..."), not what is asked
    elif found and all(p.start == p.end == today for p in found) and _states_only(main, entities):
        pass  # "chasing overdues today 😩 how much is overdue in APAC?": a state is as of today anyway
    elif found or periods.relative_before:
        if own.period is None and own.compare_to is None:
            return True
        if re.search(r"\b(?:19|20)\d{2}\b|\b(?:last|this|next|previous|prior)\s+year\b|\bytd\b", aside):
            return True
        said_too = {(p.start, p.end) for p in (own.period, own.compare_to) if p is not None}
        # only a few days around today ("this week", "monday") or what the question says itself is left aside; other
        # days ("..., so jan 1 to dec 15?") say which days the question means
        if periods.relative_before or not all(
            ((p.start, p.end) in said_too and not _EXACT_DAYS.match(p.label)) or _days_around_today(p, today)
            for p in found
        ):
            return True
    else:
        rest = aside
    model = semantic.model()
    said = _senses(main, entities)
    bases = {model.base_of(name) for kind, name, _ in said if kind == "metric"}
    names_an_account = any(kind == "value" and name == "customer" for kind, name, _ in said)
    tokens = tokenize(check_as_verb(expand_abbreviations(rest)))
    dropped: set[int] = set()
    mentions = find_mentions(tokens, entities, set())
    for m in mentions:
        senses = {(sense.kind, sense.name, str(sense.value).lower()) for sense in m.senses}
        inapplicable = bool(bases) and all(
            kind == "value" and not any(model.dimension_for(name, base) for base in bases)
            for kind, name, _ in senses
        )
        grouping = any(kind == "marker" and name == "group" for kind, name, _ in senses)
        ungrouped = grouping and not any(
            any(sense.kind == "dim" for sense in other.senses)
            for other in mentions
            if m.end <= other.start <= m.end + 2
        )
        # a measure of the question's own records ("are our deals getting bigger ...? avg won deal size Q3 vs Q2"):
        # the question says which
        # (only said before the question: "..., won or lost, what share did we actually win?" after it is the ask)
        measured = (
            aside_first
            and bool(bases)
            and all(
                # (records named plainly, "our deals", "a few accts": never a measure of its own, "our DSO")
                (kind == "metric" and name in GENERIC_METRICS and model.base_of(name) in bases)
                or kind == "dim"
                for kind, name, _ in senses
            )
        )
        # a value said as a verb ("finance hasnt sent over the number", "nobody has even started working them")
        as_verb = (
            m.start > 0
            and tokens[m.start - 1] in _BEFORE_A_VERB
            and bool(_AS_VERB.fullmatch(tokens[m.start]))
            and all(kind == "value" for kind, _, _ in senses)
        )
        # ("pls show Luminar Cloud tickets of last 90 days, customer is complaining": the account the question names)
        about_the_account = names_an_account and all(
            kind == "dim" or (kind == "metric" and model.base_of(name) in ("companies", "customer_insights"))
            for kind, name, _ in senses
        )
        # ("Month-end AR: how much is overdue ...": a heading naming the broader measure the question's one is part of;
        # "5 most overdue invoices (longest past due)": the same records said again in brackets)
        broader = aside_first and _measures_of(senses, said, _part_of)
        same_records = original.strip().startswith("(") and _measures_of(senses, said, _same_conditions)
        if (
            senses <= said
            or inapplicable
            or ungrouped
            or measured
            or as_verb
            or about_the_account
            or broader
            or same_records
        ):
            dropped.update(range(m.start, m.end))
    # ("... - nobody has even started working them?": the records the question is about)
    kept = [
        token
        for at, token in enumerate(tokens)
        if at not in dropped and token not in ("them", "those", "these", "they", "their")
    ]
    return carries_meaning(" ".join(kept), today, entities)


_BEFORE_A_VERB = frozenset(
    [
        "has",
        "hasnt",
        "hasn't",
        "have",
        "havent",
        "haven't",
        "had",
        "hadnt",
        "hadn't",
        "been",
        "started",
        "got",
    ]
)
_AS_VERB = re.compile(r"[a-z]+(?:ed|ing)|sent|paid|won|lost|done")
_SECOND_ASK = re.compile(
    r"\W*(?:(?:and|also|plus|so|ok)\W+)?(?:what|whats|what's|how|which|when|who|whose|where)\b"
)
_SAID_AGAIN = re.compile(r"\W*(?:i\.?e\b\.?|aka\b|a\.k\.a\.|in\s+other\s+words\b|that\s+is\b|meaning\b)")


_EXACT_DAYS = re.compile(
    r"\d{4}-\d\d-\d\d to "
)  # days said one by one ("jan 1 to dec 15"): which days are meant


def _measures_of(senses, said, related) -> bool:
    """Whether every sense of a remark's mention is a measure ``related`` to one the question names, on its records."""
    model = semantic.model()
    return all(
        kind == "metric"
        and any(
            model.base_of(name) == model.base_of(asked) and related(asked, name)
            for k, asked, _ in said
            if k == "metric"
        )
        for kind, name, _ in senses
    )


def _conditions(name: str) -> set:
    return {(c.column, c.op, str(c.value)) for c in semantic.model().metric(name).conditions}


def _part_of(part: str, whole: str) -> bool:
    """Whether the measure ``part`` counts some of the records ``whole`` does (overdue of outstanding)."""
    a, b = semantic.model().metric(part), semantic.model().metric(whole)
    return a.aggregate == b.aggregate and a.column == b.column and _conditions(whole) < _conditions(part)


def _same_conditions(one: str, other: str) -> bool:
    return _conditions(one) == _conditions(other)


def _states_only(main: str, entities: Entities) -> bool:
    """Whether every measure the question names is a state as of now (overdue, outstanding, pipeline)."""
    model = semantic.model()
    metrics = [name for kind, name, _ in _senses(main, entities) if kind == "metric"]
    return bool(metrics) and all(model.metric(name).snapshot for name in metrics)


def _days_around_today(period, today: date) -> bool:
    """A span of a week or less that ends today or later, or began within the last week ("this week", "monday")."""
    if period.start is None or period.end is None:
        return False
    return (period.end - period.start).days <= 7 and period.end >= today - timedelta(days=7)


def _names_someone_else(aside: str, main: str, entities: Entities, original: str = "") -> bool:
    """Whether a remark names an account or a person (even by one word of a name) that the question doesn't."""
    original = original or aside
    tokens = tokenize(check_as_verb(expand_abbreviations(aside.lower())))
    mentions = find_mentions(tokens, entities, set())
    partial, _ = partial_entities(tokens, leftover_tokens(tokens, mentions), entities)
    # a word of a name said alone counts where it is written as a name ("how is Oberon doing"), never an everyday
    # word that starts a name ("happy friday all", "be honest with me")
    named = {
        m.phrase
        for m in partial
        if m.end - m.start >= 2 or re.search(rf"(?<=\s)[A-Z]{re.escape(m.phrase[1:])}\b", " " + original[1:])
    }
    named |= {
        m.phrase
        for m in mentions
        if any(s.kind == "value" and s.name in ("customer", "rep") for s in m.senses)
    }
    said = main.lower()
    return any(phrase and phrase.lower() not in said for phrase in named)


def _senses(text: str, entities: Entities) -> set[tuple[str, str, str]]:
    text = check_as_verb(expand_abbreviations(text.lower()))
    return {
        (sense.kind, sense.name, str(sense.value).lower())
        for m in find_mentions(tokenize(text), entities, set())
        for sense in m.senses
    }


def _names_a_value(text: str, entities: Entities) -> bool:
    return any(s.kind == "value" for m in find_mentions(tokenize(text), entities, set()) for s in m.senses)


# "... - invoice #, customer, balance left", "... w/ name, title, email", "? subject + customer": the
# columns a list should show, after a dash, colon, question mark, comma or "with"
_COLUMN_SEPARATOR = re.compile(
    r"\s[-—–]\s|[:?,]|\bwith\b|\bw/|\bincluding\b|\bshowing\b|"
    # "Payment history for Acme year to date. I need payment date, invoice number, method and amount"
    r"\.\s+(?:i|we)\s+(?:need|want|'d\s+like|would\s+like)\b|"
    # "... already past due. Give invoice number, customer, invoice total, ...": the columns, in a sentence of their own
    r"\.\s+(?:please\s+|pls\s+)?(?:give|show|include|return)(?:\s+(?:me|us))?(?:\s+the)?\b|"
    # "... past due in LATAM. number + balance": a last sentence naming columns only
    r"(?<=[a-z0-9)])\.\s+(?=[a-z#]+(?:\s+[a-z#]+)?\s*(?:,|\+|&|/|\band\b))|"
    # "high churn risk customers in LATAM + their predicted churn date", "please show also the predicted churn date"
    r"(?<!^)(?<!^\s)\b(?:and|plus)\s+(?=(?:their|its)\b)|\b(?:please\s+)?(?:show|add|give)\s+(?:me\s+)?also\b|\balso\s+(?:show|add)\b"
)
_COLUMN_TAIL = re.compile(
    r"\s*(?P<cols>[a-z#' ]+?(?:\s*(?:,|\+|&|/|\band\b)\s*[a-z#' ]+?)*?)"
    # "..., sorted by outstanding amount descending", "..., oldest first": the order, kept for the question
    r"(?P<sort>\s*[,;.—–-]?\s*(?:(?:sorted|ordered|sort|order|ranked)\s+by\s+[a-z ]+?"
    r"(?:\s*,?\s*(?:and\s+)?then\s+(?:by\s+)?[a-z ]+?)?(?:\s*,?\s+(?:a-z|z-a|a\s+to\s+z|desc|descending|asc|ascending))?|"
    # ("highest score first", "largest amount first": the list's own column, named)
    r"(?:oldest|newest|latest|earliest|largest|biggest|smallest|highest|lowest|most\s+recent)"
    r"(?:\s+(?:(?:due|close|closing|issue|issued|payment|created|renewal)\s+)?(?:score|amount|balance|value|total|date))?"
    r"\s+first))?"
    r"\s*(?:pls|please|thx|thanks)?\s*[?.!]*\s*"
)
_COLUMN_SPLIT = re.compile(r"\s*(?:,|\+|&|/|\band\b)\s*")
_COLUMN_FILLER = re.compile(
    r"\b(?:what's|whats|what\s+is|the|their|its|his|her|each|pls|please|left|of|on|it|them|one|what|which|"
    r"i|just|need|want|would|like|i'd|give|me|show|include|also|too|for|every)\b"
)


def _order_words(sort: str) -> str:
    """ "sorted by outstanding amount descending" -> "largest first": the order, without naming a measure
    again (the list's own amount or date is what it sorts by)."""
    if re.search(r"\b(?:oldest|earliest)\b", sort):
        return "oldest first"
    if re.search(r"\b(?:newest|latest|most\s+recent)\b", sort):
        return "newest first"
    if re.search(r"\b(?:asc|ascending|smallest|lowest|least)\b", sort):
        return "smallest first"
    first = re.sub(r"^\W*(?:sorted|ordered|sort|order|ranked)\s+by\s+(?:the\s+)?", "", sort.strip()).split(
        ","
    )[0]
    if re.search(
        r"\b(?:date|since|created|closed|due|issued|when|name|names|company|customer|account|rep|owner|a-z|"
        r"a\s+to\s+z)\b",
        first,
    ):
        return ""  # "sorted by customer since", "sorted by name": read with the column it names (sort_asked)
    return "largest first" if sort.strip() else ""


_SORT_ASKED = re.compile(
    r"\b(?:sorted|ordered|sort|order|ranked)\s+by\s+(?:the\s+)?(?P<label>[a-z][a-z ]*?)"
    r"(?:\s+(?P<dir>asc|ascending|desc|descending|a-z|z-a|oldest\s+first|newest\s+first|highest\s+first|"
    r"lowest\s+first|largest\s+first|smallest\s+first))?\s*(?=[,;.?!]|\band\b|\bthen\b|\bties\b|$)"
)


# "... - name, region, churn prob, highest first": the last column named, in that direction
_LAST_COLUMN_FIRST = re.compile(
    r",\s*(?:and\s+)?(?P<label>[a-z][a-z ]*?)\s*[,;-]\s*(?P<dir>(?:highest|lowest|largest|smallest|biggest|newest|oldest)"
    r"\s+first)\s*[?.!]*\s*$"
)


# "list my overdue invoices, oldest due date first": that date, oldest first
_COLUMN_FIRST = re.compile(
    r"\b(?P<dir>oldest|earliest|soonest|newest|latest|highest|lowest|largest|biggest|smallest)\s+"
    r"(?P<label>[a-z][a-z ]{1,30}?)\s+first\b"
)


def sort_asked(text: str) -> tuple[str, str | None] | None:
    """ "..., sorted by churn probability descending": the column a list is sorted by and the direction said
    (None when not said)."""
    found = _SORT_ASKED.search(text) or _LAST_COLUMN_FIRST.search(text) or _COLUMN_FIRST.search(text)
    if not found:
        return None
    said = (found.group("dir") or "").split()[0] if found.group("dir") else None
    direction = None
    if said in ("asc", "ascending", "a-z", "oldest", "lowest", "smallest", "earliest", "soonest"):
        direction = "asc"
    elif said in ("desc", "descending", "z-a", "newest", "highest", "largest", "biggest", "latest"):
        direction = "desc"
    return found.group("label").strip(), direction


_ONE_COLUMN = {
    "balance",
    "balances",
    "amount",
    "amounts",
    "owner",
    "owners",
    "email",
    "emails",
    "due date",
    "due dates",
}


# the columns of a comparison, named as people list them (the answer has them already)
_COMPARISON_COLUMNS = {"period total", "change", "changes", "delta", "difference", "variance"}
_PERIOD_TOTAL = re.compile(
    r"\b(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*(?:\s+20\d\d)?|q[1-4](?:\s+20\d\d)?|20\d\d|"
    r"(?:this|last|prior|previous)\s+(?:week|month|quarter|year))\s+(?:totals?|amounts?|values?|figures?|counts?|numbers?|sums?)\b"
)
_PERIOD_ALONE = re.compile(
    r"(?<=[:,])\s*(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*(?:\s+20\d\d)?|q[1-4](?:\s+20\d\d)?|"
    r"20\d\d|(?:this|last|prior|previous)\s+(?:week|month|quarter|year))\s*(?=,|\band\b)"
)
_CHANGE_NAMED = re.compile(
    r"\b(?:absolute|abs\.?|\$|dollar|amount)\s+(?:change|difference|delta)\b|%\s*(?:change|growth|difference)\b|"
    r"\b(?:change|growth)\s*(?:%|\(%\)|in\s+%|pct\b|percent\b)|\b(?:pct|percent(?:age)?)\s+(?:change|growth)\b"
)
_CHANGE_BOTH_WAYS = re.compile(
    r"\b(?:the\s+)?(?:change|difference|delta|variance)\s*(?:in|as)?\s*\(?\s*(?:\$|dollars|usd|amount)?\s*(?:and|&|\+|/)?"
    r"\s*(?:in\s+)?(?:%|percent(?:age)?|pct)?\s*\)?(?=\s*[,.;?!]|\s*$)|\$\s*(?:and|&|/)\s*%\s+(?:change|difference)"
)


_MEASURE_COLUMN_WORDS = {
    "avg",
    "average",
    "mean",
    "total",
    "sum",
    "count",
    "number",
    "days",
    "hours",
    "in",
    "of",
}


def _measure_said(item: str, question: str) -> bool:
    """ "average sales cycle ... by region. Columns: region, avg cycle days": a column naming the measure the
    question asks, in its own words (every other word of it said before)."""
    words = [w for w in item.split() if w not in _MEASURE_COLUMN_WORDS]
    if not {"avg", "average", "mean"} & set(item.split()):
        # ("name and payment score": a column of each record; "number of payments and amount": two measures, read
        # as the reader reads them)
        return False
    return bool(words) and all(re.search(rf"\b{re.escape(w)}\b", question) for w in words)


def column_names() -> set[str]:
    """The names people give a list's columns: the model's words for them and the lists' own labels."""
    model = semantic.model()
    return set(model.file.words.column_names) | {
        c.label for entry in model.lists.values() for c in entry.columns
    }


def columns_asked(text: str) -> tuple[list[str], str]:
    """The column names closing a question ("... - number, customer, total"), and the text without
    them; none when any word there is not a column people name."""
    known = column_names() | _COMPARISON_COLUMNS
    # "..., method and amount, one row per payment": the rows are the records already named
    text = re.sub(
        r",?\s*(?:with\s+)?one\s+(?:row|line)\s+(?:per|for\s+each|each)\s+(?:payment|invoice|deal|ticket|lead|account)s?"
        r"(?=\s*[.!?]*\s*$)",
        "",
        text,
    )
    head, colon, tail = text.rpartition(":")
    if colon and "," in tail and re.search(r"\b(?:vs\.?|versus|compared|against)\b", head):
        # "..., September vs August: method, Sept total, Aug total, change in $ and %": a comparison's columns
        tail = _PERIOD_TOTAL.sub("period total", tail)
        tail = _PERIOD_ALONE.sub(" period total", tail)  # "Columns: region, Q1 2026, Q4 2025, ..."
        tail = _CHANGE_NAMED.sub("change", tail)  # "absolute change, % change"
        text = head + colon + _CHANGE_BOTH_WAYS.sub("change", tail)
    # "... show source and who owns them": the owner, one more column named
    text = re.sub(
        r"(\bshow\s+(?:the\s+)?[a-z]+(?:\s*,\s*[a-z]+)*\s+and\s+)who\s+owns\s+(?:them|each(?:\s+one)?|those|it)(?=\s*[?.!]*\s*$)",
        r"\1owner",
        text,
    )
    for sep in _COLUMN_SEPARATOR.finditer(text):
        tail = _COLUMN_TAIL.fullmatch(text, sep.end())
        if not tail:
            continue
        items = [
            " ".join(_COLUMN_FILLER.sub(" ", item).split())
            for item in _COLUMN_SPLIT.split(tail.group("cols"))
        ]
        items = [
            re.sub(r"^(?:the\s+)?columns?\s*:?\s*", "", item) for item in items
        ]  # "with columns deal name, ..."
        items = [item for item in items if item]
        alone = (
            (
                items
                in (
                    ["names"],
                    ["name"],
                    ["deal names"],
                    ["deal name"],
                    ["invoice numbers"],
                    ["invoice number"],
                    ["deals"],
                )
                and sep.group(0).strip() in ("?", "-", "—", "–", ":", ",")  # ("just latam, names pls")
            )
            or (
                # "open invoices for orion medtech w/ balances": that column beside each
                len(items) == 1
                and items[0] in _ONE_COLUMN
                and sep.group(0).strip() in ("with", "w/", "including", "showing")
            )
            or (
                # "... + their predicted churn date", "? please show also the predicted churn date" (a question before
                # it: "and their health scores" alone is a follow-up asking for that measure)
                len(items) == 1
                and len(re.findall(r"[a-z]+", text[: sep.start()])) >= 2
                and (
                    re.match(r"(?:and|plus|please|show|add|give|also)\b", sep.group(0).strip())
                    or re.match(
                        r"\s*(?:please\s+)?(?:show|add|give)\s+(?:me\s+)?(?:also|too)\b", tail.group("cols")
                    )
                    # "...? show the subject too", "? with their titles as well"
                    or re.match(
                        r"\s*(?:please\s+)?(?:show|add|give|include)\s+(?:me\s+)?(?:the\s+|their\s+|its\s+)?[a-z ]+?\s+"
                        r"(?:too|as\s+well|also)\s*[?.!]*\s*$",
                        tail.group("cols"),
                    )
                )
            )
        )
        if (len(items) >= 2 or alone) and all(
            item in known or item.rstrip("s") in known or _measure_said(item, text[: sep.start()])
            for item in items
        ):  # "... - number, customer, total"; "new custs this wk? names"
            order = _order_words(tail.group("sort") or "")
            rest = text[: sep.start()] + (
                ", " + order if order else ""
            )  # ", largest first": never "2026 largest"
            return items, rest + " " * max(0, len(text) - len(rest))
    return [], text
