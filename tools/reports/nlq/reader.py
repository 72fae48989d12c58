"""Reading a question into a structured query: the metric, groupings, filters, periods, order.

No LLM. The question is screened (writes, pasted SQL, off-topic), then read in passes:
amounts ("over 50k"), ranks ("top 5"), time words ("last quarter"), then words and phrases
matched (with typo tolerance) against the lexicon and the database's own values. What is
left decides: one reading -> a Query; two readings that both fit -> a question back with
the choices; unknown words that matter -> which words, and the closest terms known.
"""

from __future__ import annotations

import itertools
import re
from datetime import date

from tools.reports import semantic
from tools.reports.build import BY_CHANGE, BY_CHANGE_PCT, DAYS_OVERDUE, PAID_TO_DATE
from tools.reports.entities import Entities
from tools.reports.lexicon import Sense, expand_abbreviations
from tools.reports.nlq import context, followup_carry
from tools.reports.nlq.asks import (
    answer_all,
    dropped_measures,
    first_count_beside,
    part_counted,
    part_filtered,
    part_of_amount,
    two_counts,
)
from tools.reports.nlq.cues import (
    extract_age,
    extract_inactivity,
    extract_owner,
    extract_record_conditions,
    read_follow_up,
    read_periods,
    the_team_as_mine,
)
from tools.reports.nlq.numbers import _blank, extract_comparisons, extract_rank
from tools.reports.nlq.phrasings import (
    NOT_WHEN_CREATED,
    before_abbreviations,
    everyday_phrasings,
    two_digit_years,
)
from tools.reports.nlq.phrasings_typed import as_typed
from tools.reports.nlq.reader_answer import rows_asked_for
from tools.reports.nlq.reader_builder import Builder, asker_owner
from tools.reports.nlq.reader_checks import (
    CHURN_RATE,
    PART_OF_A_NAME,
    SEGMENT,
    best_is_a_rate,
    best_of_what,
    more_counts_than_answered,
    one_measure_as_share_of_another,
    share_is_a_rate,
    unread_negation,
)
from tools.reports.nlq.reader_context import context_first
from tools.reports.nlq.reader_limits import (
    groups_that_moved,
    issued_in_the_period,
    not_answered_yet,
    sorted_by_the_bound,
)
from tools.reports.nlq.reader_lists import (
    DAYS_LATE_NAMES,
    PAID_SO_FAR_NAMES,
    dimension_named,
    show_named_columns,
    sort_by_named_column,
)
from tools.reports.nlq.reader_rewrites import (
    listed_values_as_grouping,
    names_with_months,
    ticket_priorities,
    unit_of_previous_period,
    values_counted_apart,
    values_sharing_a_noun,
    year_of_previous_period,
)
from tools.reports.nlq.reader_said import (
    as_said,
    at_period_end,
    days_past_due,
    invoices_by_balance,
    month_last_year,
    period_said_again,
    prior_window,
    with_last_touch,
)
from tools.reports.nlq.reader_thread import (
    both_periods,
    growth_between,
    in_that_time,
    in_the_one_shown,
    inactivity_again,
    listed_again,
    measure_of_the_values,
    of_the_ones_shown,
    one_shown_before,
    others_than_the_one_shown,
    rank_again,
    ranked_by_balance,
    shares_of_each,
    still_a_list,
    the_accounts_records,
    the_bucket_said,
    the_records_shown,
    those_accounts_kept,
    total_across,
    total_of_the_list,
)
from tools.reports.nlq.records import (
    CHANGES_A_RECORD,
    RECORD_NUMBER,
    computed_columns_said,
    days_overdue_column,
    invoice_row,
    records_of_change,
)
from tools.reports.nlq.remarks import (
    A_DATE_ASKED,
    WHOSE_RECORDS,
    asides,
    carries_meaning,
    columns_asked,
    sort_asked,
)
from tools.reports.nlq.screen import screen
from tools.reports.nlq.types import Reading, Refusal
from tools.reports.nlq.words import (
    Mention,
    _without_possessive,
    correct_text,
    find_mentions,
    leftover_tokens,
    partial_entities,
    tokenize,
)
from tools.reports.query import Query
from tools.reports.timewords import find_grain, find_period, find_periods

# --------------------------------------------------------------------------- reading a question


_FOR_EACH_NAMED = re.compile(
    r"\bfor\s+(?:each|both)(?:\s+(?:one|of\s+them|group))?\s*[?.!]*\s*$|\bfor\s+each\s+of\s+(?:the\s+)?two\b",
    re.I,
)


def _each_value_named(reading, question: str) -> None:
    """ "are our financial services customers more likely to churn than healthcare ones? avg churn probability for
    each": one figure per value named (by industry), never the accounts listed."""
    if not isinstance(reading, Reading) or not _FOR_EACH_NAMED.search(question):
        return
    query = reading.query
    named = [f for f in query.filters if len(f.values) >= 2 and not f.negate]
    metric = semantic.model().metric(query.metric)
    if (
        query.group_by
        or not named
        or metric.aggregate not in ("avg", "sum", "rate", "ratio", "count", "outstanding")
    ):
        return
    if query.list_records and metric.format == "count" and metric.aggregate == "count":
        return  # ("list the deals in negotiation and proposal for each": records, said as such)
    query.list_records, query.columns, query.sort_column, query.limit = False, [], None, None
    query.group_by = [named[0].dimension]
    reading.notes.append(f"one figure for each {named[0].dimension.replace('_', ' ')} named")


_LOST_WHAT = re.compile(
    r"^\W*how\s+many\s+(?P<verb>(?:did|have|has)\s+(?:we|i|you|the\s+team|my\s+team)\s+(?:lose|lost))\b(?![^?]*\bthen\b)",
    re.I,
)
_LOST_NAMED = re.compile(
    r"\b(?:deals?|opps?|opportunit\w*|customers?|accounts?|clients?|churn\w*|leads?|tickets?|invoices?)\b",
    re.I,
)


def interpret(
    question: str,
    today: date,
    entities: Entities,
    previous: Query | None = None,
    *,
    asker=None,
    focus: dict | None = None,
    _remarks_left: int = 2,
) -> Reading | Refusal:
    """The structured query a question asks for, or why not; ``previous`` is the thread's last query,
    ``asker`` the person asking (an Actor: "my" and "my team" are theirs), ``focus`` the rep and the
    customer of the thread's last one-row answer ("their wins" after "who closed the biggest deal")."""
    # "deals over 100k + owner", "what was it about" after a last contact: said in the reader's words
    question = as_said(question, previous)
    # "deals the team lost": the asker's team, where they have one; "accounts in that bucket": the bucket by name
    question = the_bucket_said(the_team_as_mine(as_typed(question), asker), previous)
    question = re.sub(r"(?<=[a-z])\(s\)", "s", question, flags=re.I)  # "which invoice(s)": the invoices
    period_before = (focus or {}).get("period_before")
    focus = {k: v for k, v in (focus or {}).items() if k != "period_before"} or None
    rep = (focus or {}).get("rep")
    if rep and not (previous and any(f.dimension == "rep" for f in previous.filters)):
        # "fine, what's her pipeline then" after a question about Linda Robinson: hers
        question = re.sub(r"\b(?:his|her)\b(?=\s+[a-z])", f"{rep}'s", question, count=1, flags=re.I)
    named = context.account_said_before(question, entities) if not (focus or {}).get("account") else None
    if named:  # "Zenith Studios GmbH are querying their account. How much have they paid us this year?"
        focus = {**(focus or {}), "account": named}

    lost = _LOST_WHAT.match(question) if previous is None and focus is None else None
    if lost and not _LOST_NAMED.search(question):
        # "how many did we lose last qtr?", asked first: deals lost or customers churned are two different figures
        return Refusal(
            'Lost what: deals (closed lost) or customers (churned)? Pick one, e.g. "deals lost".',
            ["deals lost", "churned customers"],
            kind="clarify",
            phrase=lost.group("verb"),
        )

    def read(text: str) -> Reading | Refusal:  # (one remark fewer each time: a message of many is bounded)
        return interpret(
            text, today, entities, previous, asker=asker, focus=focus, _remarks_left=_remarks_left - 1
        )

    # "top 5 overdue invoices by balance", "list em + when we last touched them", "I have a call with Acme at 3 - how
    # much do they owe us?": a reading of part of it, shaped
    shaped = _remarks_left > 0 and (
        invoices_by_balance(question, read)
        or with_last_touch(question, previous, read)
        or context_first(question, read, entities, today)
    )
    if shaped:
        return shaped
    reading = (
        listed_again(question, previous)
        or shares_of_each(question, previous)
        or ranked_by_balance(question, previous)
        or inactivity_again(question, previous, today)
        or growth_between(question, previous, period_before)
        or _interpret(question, today, entities, previous, asker=asker, focus=focus)
    )
    reading = not_answered_yet(reading, previous, question, today)
    _each_value_named(reading, question)
    in_that_time(reading, previous, question)
    measure_of_the_values(reading, previous, question, today)
    both_periods(reading, previous, question, period_before)
    the_records_shown(reading, previous, question)
    still_a_list(reading, previous, question)
    total_of_the_list(reading, previous, question)
    total_across(reading, previous, question)
    rank_again(reading, previous, question)
    of_the_ones_shown(reading, previous, question)
    those_accounts_kept(reading, previous, question)
    the_accounts_records(reading, previous, question)
    others_than_the_one_shown(reading, previous, question)
    in_the_one_shown(reading, previous, question, focus)
    picked = one_shown_before(reading, focus, previous)
    if (
        picked is not None and picked[1].lower() not in question.lower()
    ):  # (once: the full name read, no more)
        # "just Wei - list the deals" after bookings by rep, where one Wei was shown: that one
        phrase, value = picked
        named = re.sub(rf"(?i)\b{re.escape(phrase)}\b", value, question, count=1)
        if named != question:
            return interpret(
                named, today, entities, previous, asker=asker, focus=focus, _remarks_left=_remarks_left
            )
    if not (isinstance(reading, Refusal) and reading.kind in ("unknown", "clarify")) or _remarks_left <= 0:
        return reading  # at most two remarks are set aside: a message of many dashes stays one reading
    # "hey quick one before my 1:1 — what did we collect last month?", "avg health by region, for the
    # CS leadership sync": a remark around the question, in words that name nothing we measure, is left
    # aside (and said); a remark that names a measure, a value, a grouping or a period never is
    misplaced = re.match(r'I can\'t apply "([^"]+)"', reading.reason or "")
    for main, aside in itertools.islice(asides(question), MAX_REMARK_TRIES):
        after_question = main.endswith("?") and question.startswith(main[:-1])
        splits = after_question and bool(_ASKS_A_SPLIT.search(aside.lower()))
        # "Churn check for the board pack: how many customers churned ...": the value that could not apply
        # ("check", a payment method) is in the remark only; the remark is set aside, and said
        only_there = (
            bool(misplaced)
            # ("for my open renewal deals, what's the health score of each account": the records meant, never dropped)
            and not WHOSE_RECORDS.search(aside)
            and misplaced.group(1) in aside.lower()
            and misplaced.group(1) not in main.lower()
            # the question is what is left ("... : how many customers churned in Q1?"), not a fragment after it
            and bool(
                main.rstrip().endswith("?")
                or re.match(r"\W*(?:what|how|which|who|show|list|give)\b", main.lower())
            )
            # "Eclipse Content came up in the escalations call. What invoices do they have": the remark says who
            and not re.search(
                r"\b(?:they|them|their|theirs|it|its|he|she|his|her|those|these)\b", main.lower()
            )
        )
        aside_first = question.find(aside.strip()[:30]) <= question.find(main.strip()[:30])
        if (
            not after_question
            and not only_there
            and carries_meaning(aside, today, entities, main, aside_first=aside_first)
            and not _restated(main, aside, question, read)
        ):
            continue
        if (
            reading.kind == "clarify"
            and reading.phrase
            and reading.phrase in aside.lower()
            and _NARROWS.search(aside.lower())
        ):
            continue  # "just Wei - list the deals" with two reps called Wei: which one, never without him  # a remark after the question mark is one ("... pending? support standup in 5")
        if after_question and _NARROWS.search(aside.lower()) and carries_meaning(aside, today, entities):
            continue  # "... 90+ bucket? top 5 accounts by amount", "(status open, not the pending ones)": asked
        if after_question and context.names_a_measure(aside, entities):
            continue
        if A_DATE_ASKED.search(aside.lower()):
            continue  # "what do they still owe and since when (oldest open invoice date)?": a column asked, never dropped
        if after_question and _SECOND_QUESTION.match(aside.lower()):
            continue  # "... last 30 days? and how many of them are qualified already": a second ask, never dropped
        if after_question and _PERIOD_AFTER.match(aside.lower()) and find_periods(aside.lower(), today):
            continue  # "... predicted to churn? before the end of Q1 next year": the period asked, never dropped  # "... customer base? And the predicted 12-month LTV next to it": a second measure asked
        account = _the_account_of_a_remark(aside, main, entities)
        if account:
            # "renewal call w/ Valmont Assembly soon - any tickets still open or pending?": the remark says whose
            main = f"{main.rstrip(' ?.!')} for {account}" + ("?" if main.rstrip().endswith("?") else "")
        first = interpret(
            main, today, entities, previous, asker=asker, focus=focus, _remarks_left=_remarks_left - 1
        )
        if isinstance(first, Reading):
            if splits and not [g for g in first.query.group_by if not g.startswith("time:")]:
                continue  # "... this year? Break it down per rep please.": a split asked for, never dropped
            first.notes.append(f'left aside "{aside.strip(" ,;:-—–?")[:60]}"')
            computed_columns_said(first.query, aside)  # ("... I need what has been paid so far")
            return first
        if (
            isinstance(first, Refusal)
            and first.kind == "clarify"
            and first.choices
            and reading.kind == "unknown"
        ):
            # "give me our top 10 accounts for the board slide": ranked by which measure? (not "what is a slide")
            reading = first
    return reading


def _restated(main: str, aside: str, question: str, read) -> bool:
    """ "total bookings (closed-won deal amount) for April": words in brackets that read as the measure the question
    names, its definition said again."""
    inner = aside.strip().strip("()").strip()
    if not inner or f"({inner})" not in question:
        return False
    alone, asked = read(inner), read(main)
    return (
        isinstance(alone, Reading)
        and isinstance(asked, Reading)
        and alone.query.metric == asked.query.metric
        and not alone.query.filters
        and not alone.query.group_by
        and alone.query.period is None
    )


_ALPHABETICAL = re.compile(r"\b(?:alphabetical(?:ly)?|in\s+abc\s+order|a\s*-\s*z)\b")
_PART_OF_AMOUNT_SAID = re.compile(r"\bhow\s+much\s+of\s+(?:that|it|this|those|these|them)\b")
_ENCLOSING = re.compile(
    r"\b(?:for|in|over|during|across)\s+the\s+(?:whole\s+|full\s+|entire\s+)?(year|quarter|qtr|month)\b"
    r"(?!\s*(?:before|after|prior|earlier|of|ending|ended|to\s+date|so\s+far|that|when|where|with|-|,?\s*vs\b))"
)


def _the_account_of_a_remark(aside: str, main: str, entities: Entities) -> str | None:
    """The one account a remark names, where the question left names none and points at nobody else."""
    from tools.reports.nlq.words import company_mentions, one_company_named

    try:
        named = one_company_named(aside, entities)
    except Exception:  # noqa: BLE001 - a remark's account is a help, never a failure
        return None
    if named is None or company_mentions(main, entities):
        return None
    phrase = str(company_mentions(aside, entities)[0][0])
    if " " not in phrase.strip() and not re.search(
        rf"\b{re.escape(phrase.strip()[:1].upper() + phrase.strip()[1:])}\b", aside
    ):
        return None  # ("for the regional kickoff deck": an everyday word, not Hawthorne Regional Authority)
    if re.search(r"\b(?:my|our|every|all|each|company|team|region)\b", main.lower()):
        return None  # "..., what's our total pipeline": the asker's figure, not the account's
    return named


# a remark after the question mark that starts as a period would ("before the end of Q1", "in March", "for 2025")
_SORT_AFTER_COLUMNS = re.compile(r"\s*[—–-]+\s*(?:sorted|ordered|sort|order)\s+by\b[^—–]*$")
_PERIOD_AFTER = re.compile(
    r"\W*(?:before|by|until|till|in|during|for|since|from|over|this|last|next|the\s+(?:last|past|first|second|third|"
    r"fourth)|q[1-4]|h[12]|ytd|qtd|mtd)\b"
)
_SECOND_QUESTION = re.compile(
    r"\W*(?:and\s+|also\s+|plus\s+)?(?:how\s+(?:many|much)|what(?:'s|\s+is|\s+are|\s+was)?|which)\b"
)
_NARROWS = re.compile(
    r"\b(?:top|bottom|first|last)\s+\d+\b|\b\d+\s+(?:biggest|largest|smallest|best|worst|highest|lowest)\b|"
    r"\bstatus\b|\bonly\b|\bjust\b|\bexcluding\b|\bnot\s+the\b"
)
MAX_REMARK_TRIES = 8  # ways of splitting a remark off tried per message (each is one more reading)


def _interpret(
    question: str,
    today: date,
    entities: Entities,
    previous: Query | None = None,
    *,
    asker=None,
    focus: dict | None = None,
) -> Reading | Refusal:
    refusal = screen(question)
    if refusal:
        if refusal.kind == "refused" and previous is None:
            refusal.context = records_of_change(
                question, lambda text: _interpret(text, today, entities, None, asker=asker)
            )
        return refusal
    raw = _WHY_THEN_ASK.sub("", question.strip()) or question.strip()
    raw = NOT_WHEN_CREATED.sub(" ", raw)  # "going by conversion date, not when they were created"
    # "top 10 open leads by score, ties broken by conversion probability": how ties are broken, read apart (it names
    # no second measure)
    ties_by_probability = bool(_THEN_BY_PROBABILITY.search(raw.lower()))
    raw = _THEN_BY_PROBABILITY.sub(" ", raw) if ties_by_probability else raw
    ties_by_amount = _THEN_BY_AMOUNT.search(raw.lower())  # "oldest close date first, then biggest amount"
    raw = _THEN_BY_AMOUNT.sub(" ", raw) if ties_by_amount else raw
    if CHURN_RATE.search(raw):
        return Refusal(
            "A churn rate needs a base the CRM doesn't define (customers at the start of the period, or on average?). "
            "I can count the customers who churned, or show the model's churn probability.",
            [
                "churned customers this year",
                "average churn probability",
                "churned customers by month this year",
            ],
            kind="clarify",
        )
    part = PART_OF_A_NAME.search(raw)
    if part:
        return Refusal(
            f'I can\'t match part of a number or name ("{part.group(0).strip()}"): I filter on whole values only. Ask '
            'for the records by a whole number or name (e.g. "INV-2026-00123"), or by status, date or account.',
            [],
            kind="unknown",
        )
    segment = SEGMENT.search(raw)
    if (
        segment
    ):  # "revenue from enterprise accounts this year": the CRM keeps no segment; which size is meant?
        return Refusal(
            f'What counts as "{segment.group(0)}"? The CRM keeps no segment; I can go by company size (employees).',
            [
                "companies with 1,000+ employees",
                "companies with 250+ employees",
                "companies under 250 employees",
            ],
            kind="clarify",
            phrase=segment.group(0),
        )
    # "how much is still open on INV-2026-01464": that invoice, by its number (read apart: no vocabulary holds them)
    numbers = [n.upper() for n in RECORD_NUMBER.findall(raw)]
    raw = RECORD_NUMBER.sub(" ", raw) if numbers else raw
    named_before = [
        f.values for f in (previous.filters if previous else []) if f.dimension == "numbered_invoice"
    ]
    if not named_before and (focus or {}).get("invoice"):  # the invoice just shown, or proposed on
        named_before = [[focus["invoice"]]]
    if (
        named_before
        and not numbers
        and re.search(
            # "how much is still open on that invoice then", "who's the customer and when's it due"
            r"\b(?:that|this|the)\s+invoice\b|\b(?:on|of|for)\s+(?:it|that|this)(?:\s+one)?\b|"
            r"\b(?:when'?s|when\s+(?:is|was)|is|was|has)\s+it\b|\bit(?:'s|\s+is|\s+was)?\s+due\b",
            raw.lower(),
        )
        and not CHANGES_A_RECORD.search(question)
    ):
        return invoice_row(list(named_before[0]))  # "how much is still open on that invoice then"
    # "of those which have more than 50k still outstanding": which of those (the records listed, narrowed)
    raw = re.sub(
        r"^(\W*)(?:and\s+|ok\s+|so\s+)?of\s+(those|them|these)\s*,?\s*which\b",
        r"\1which of \2",
        raw,
        flags=re.I,
    )
    # "who owns the biggest one of those": the biggest one (of the records just shown)
    raw = re.sub(
        r"\b(the\s+(?:biggest|largest|smallest|oldest|newest|latest)\s+one)\s+of\s+(?:those|them|these)\b",
        r"\1",
        raw,
        flags=re.I,
    )
    # "only count deals over 50k": which records are in it, not a count
    raw = re.sub(
        r"\b(only|just)\s+count\s+(?=(?:the\s+)?(?:deals|invoices|leads|tickets|payments|opps|opportunities)\b)",
        r"\1 ",
        raw,
        flags=re.I,
    )
    # "top 5 customers by LTV + their health scores", "proposal + negotiation": a plus sign between words is
    # "and" ("90+ days" stays)
    raw = re.sub(r"(?<![\w$])([A-Za-z][A-Za-z'’-]*|\$|\))\s*\+\s+(?=[A-Za-z#$])", r"\1 and ", raw)
    if _TEXT_MATCH.search(raw.lower()):
        # "open invoices whose number ends in -A": a match on part of a text is no filter we can apply;
        # dropping it would list every open invoice
        return Refusal(
            "I can't pick records by part of their number, name or text (ends with, starts with, contains). "
            'Ask for the list without it (e.g. "open invoices for Acme") or name the record exactly.',
            [],
            kind="unknown",
        )
    points_back = previous is None and not focus and _POINTS_BACK_AT_NOTHING.search(raw.lower())
    if points_back and _one_account_named_before(raw, points_back.start(), entities):
        points_back = (
            None  # "how much have we billed Yarrow Lending ..., and how much have they paid us": that one
        )
    if points_back:
        # "do they have any unpaid invoices?" with nothing before it: whose? never everyone's
        return Refusal(
            "Which ones do you mean? There is no earlier answer here to point back to: name the account, the rep or "
            'the records, e.g. "does Acme have any unpaid invoices?" or "high churn risk customers in APAC".',
            [],
            kind="clarify",
        )
    if previous is None and _THAT_RECORD.search(raw.lower()):
        # "ok fine, how big is that deal" after a refused update: which deal? never every deal's count
        return Refusal(
            "Which one do you mean? I have no earlier answer with that record to point back to: name it or its "
            'account, e.g. "open deals for Acme" or "overdue invoices for Acme".',
            [],
            kind="clarify",
        )
    upper_codes = {w.lower() for w in re.findall(r"\b[A-Z]{2,3}\b", raw)}
    text = raw.lower().replace("’", "'")
    text = before_abbreviations(text)  # "month-on-month", "more than 60 days past due"
    text = two_digit_years(text, today)  # "new leads by source, 25 vs 24"
    text = at_period_end(text, today)  # "DSO at year end?" on 31 December
    text = period_said_again(text, today)  # "... vs the same stretch last year (oct 1 - nov 30 2025)"
    text = prior_window(text, today)  # "the last 30 days vs the 30 days before that"
    text = month_last_year(text, today)  # "what did july look like last year"
    text = days_past_due(text, today)  # "more than 180 days past due": due before a date
    text = re.sub(r"(?<=\w)\s+\+\s+(?=[a-z])", " and ", text)  # "top 5 + amounts": and, not "5 or more"
    text = re.sub(r"(\d)\s*\+", r"\1 plus ", text).replace("+", " and ").replace("&", " and ")
    # "the 90+ bucket"; "deals + reasons"; "France & Benelux" (names are matched with "and")
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    text = expand_abbreviations(text)
    # "the #1 account there", "our no. 1 rep": the top one
    text = re.sub(r"(?<![\w#])(?:#|no\.?\s*|number\s+)\s*1\b(?![\d.,])", "top", text)
    text = re.sub(r"(?<![\w#])#(?:\s*of\s+|(?=[a-z]))", "number of ", text)  # "# of payments", "#deals won"
    # "# deals won", "and # lost per rep": how many
    # ("total bookings, # deals won, avg deal size": in a list of measures, the number of them)
    text = re.sub(r"(?<=[,;:&]\s)#\s*(?=[a-z])(?!(?:of|and|or)\b)", "number of ", text)
    text = re.sub(r"(?<![\w#])#\s*(?=[a-z])(?!(?:of|and|or)\b)", "how many ", text)
    # "high-priority", "closed-won": the words
    text = re.sub(
        r"(?<=[a-z])-(?=(?:priority|risk|value|stage|status|level)\b)|\b(?<=closed)-(?=won|lost)", " ", text
    )
    # "... by region — columns region and lead count.", "Columns: lead name, company, status": the column list's label
    text = re.sub(
        r"(?:\s*[.;,—–-]\s*|\s+)(?:with\s+)?(?:the\s+|these\s+|those\s+|the\s+following\s+)?(?:columns?|cols|fields)\b\s*"
        r"(?:[:—–-]\s*)?(?=[a-z#])",
        ": ",
        text,
    )
    sort_said = sort_asked(text)  # "..., sorted by churn probability descending"
    named_columns, text = columns_asked(text)
    if sort_said and not named_columns:
        # "... this week — name, industry, region, customer since — sorted by customer since, then name": the
        # columns are the list before the sort, read without it (the sort was read above)
        trailing = _SORT_AFTER_COLUMNS.search(text)
        if trailing:
            named_columns, rest = columns_asked(text[: trailing.start()])
            text = rest if named_columns else text
    text = listed_values_as_grouping(text)
    text = values_counted_apart(text)  # "how many calls and how many meetings did I log last week"
    text = values_sharing_a_noun(text)
    text = everyday_phrasings(text)  # "no sorry, I meant X", "who's on the DACH team", "past due today"...
    if (
        previous is None
        or previous.period is None
        or re.search(r"\bthe\s+(?:quarter|month|year|week)\s+so\s+far\b", text)
    ) and find_period(text, today)[0] is None:
        # ("and whats my win rate for the quarter so far" after July: this quarter, whatever the thread's period)
        # ("... for Q4 2025 - deals closed in the quarter": that quarter, said already)
        text = _THE_GRAIN.sub(r"\1 this \2", text)  # "avg deal size by industry for the quarter?": this one
    follow, text = read_follow_up(text)
    inactive, text = extract_inactivity(text, today)
    aged, text = extract_age(text, today)
    text = ticket_priorities(text, previous)
    if previous is not None and any(f.dimension == "rep" and len(f.values) == 1 for f in previous.filters):
        rep = next(f.values[0] for f in previous.filters if f.dimension == "rep" and len(f.values) == 1)
        if re.match(r"\W*(?:list|show|give|pull)\b", text) and re.search(
            r"\b(?:his|her)\s+(?:deals|leads|accounts)\b", text
        ):
            # "list his deals sitting in proposal" after one rep's pipeline: that rep's deals, a list of its own
            text = re.sub(r"\b(?:his|her)\s+(?=deals|leads|accounts)", f"{rep.lower()}'s ", text, count=1)
        # "what are her 3 biggest accounts by ltv" after Katarzyna Meyer's bookings: hers, by name (a new measure
        # carries no filter); "and her win rate for that quarter": the rep's
        text = re.sub(r"\b(?:his|her)\b(?=\s+(?:\d+\s+)?[a-z])", f"{rep.lower()}'s", text, count=1)
        text = re.sub(r"\b(?:his|her)\b", " ", text)
    named_conditions, text = extract_record_conditions(text, semantic.model())
    text, notes = correct_text(text, entities)
    owner_scope, text = extract_owner(text)
    text = unit_of_previous_period(text, previous)
    text = year_of_previous_period(text, previous, today)
    if previous is not None and semantic.model().base_of(previous.metric) == "companies":
        text = re.sub(
            r"\bnew\s+ones\b", "new customers", text
        )  # "and how many new ones did we add" after churn
    text = followup_carry.same_period_said(text, previous)  # "how many churned same month"
    if (
        (previous is None or previous.period is None)
        and followup_carry.SAME_ONE.search(text)
        # (said as a period in the words typed: "same q for X" is the same question)
        and re.search(
            r"\bsame\s+(?:period|window|time\s*frame|dates|days|stretch|range|month|quarter|year|week)\b",
            raw.lower(),
        )
        and find_period(followup_carry.SAME_ONE.sub(" ", text), today)[0] is None
    ):
        # "and what we billed over the same window" with no period before it: which one? never all time
        said = followup_carry.SAME_ONE.search(raw.lower()) or followup_carry.SAME_ONE.search(text)
        return Refusal(
            'Which period do you mean by "the same"? There is no period in this thread yet: name it, e.g. '
            '"this month" or "in Q3".',
            ["this month", "last month", "this quarter", "this year"],
            kind="clarify",
            phrase=said.group(0),
        )
    text = context.follow_up_words(
        text, previous, entities
    )  # "how many are medium or high", "which customer ..."
    thresholds, text = extract_comparisons(text)
    text = _ONE_BEFORE.sub(r"the period \1", text)  # "last quarter vs the one before": not "top 1"
    limit, rank_order, text = extract_rank(text)
    text, names = names_with_months(text, entities)
    periods, text = read_periods(text, today)
    enclosing = _ENCLOSING.search(text)
    if enclosing and periods.period is None and periods.compare_to is None:
        from tools.reports.timewords import enclosing_period

        # "and my win rate for the qtr?" after this month's: this quarter; "and for the year?" after Q4 2025: 2025
        grain = "quarter" if enclosing.group(1) == "qtr" else enclosing.group(1)
        anchor = previous.period if previous is not None else None
        periods.period = enclosing_period(grain, anchor, today)
        text = _blank(text, enclosing.span())
    if (
        periods.relative_before in ("week", "month", "quarter", "year")
        and periods.period is None
        and periods.compare_to is None
        and (previous is None or previous.period is None)
    ):
        from tools.reports.timewords import last_period

        # "how many deals did we win the quarter before?" with no period before it: the one before this one
        periods.period, periods.relative_before = last_period(today, periods.relative_before), None
    for placeholder, name in names:  # "avg health of Jun Visser's customers": the rep, not June
        text = text.replace(placeholder, name)
    grain, spans = find_grain(text)
    which_time = re.search(r"\b(?:which|what)\s+(day|week|month|quarter|year)\b", text)  # one row
    if which_time and grain is None:
        grain = which_time.group(1)  # "what quarter had the most revenue": by quarter
    for span in spans:
        text = _blank(text, span)
    tokens = tokenize(text)
    mentions = find_mentions(tokens, entities, upper_codes)
    partial, unknown = partial_entities(tokens, leftover_tokens(tokens, mentions), entities)
    mentions = _teams_of_reps(sorted(mentions + partial, key=lambda m: m.start), entities)
    team_word = _team_as_owner(tokens, mentions)
    if team_word is not None and owner_scope is None and getattr(asker, "team", None):
        owner_scope = "team"  # "team pipe by stage" from someone on a team: their team's
        mentions.remove(team_word)
    names = {
        _without_possessive(w.lower())
        for w in re.findall(r"(?<=\s)[A-Z][\w'-]+", " " + raw[raw.find(" ") + 1 :] if " " in raw else "")
    }
    builder = Builder(tokens, mentions, unknown, notes + periods.notes)
    builder.capitalized = names
    builder.entities = entities
    builder.raw = raw.lower()
    builder.follow = follow
    builder.owner = asker_owner(owner_scope, asker)
    # "and Kenji's?" in a thread about the asker's team: the Kenji on it (said alone, which Kenji is asked)
    team_thread = previous is not None and previous.owner is not None and previous.owner.scope == "team"
    builder.asker_team = getattr(asker, "team", None) if team_thread else None
    builder.which_time = bool(which_time)
    builder.columns_asked = named_columns
    builder.today = today
    builder.focus = focus or {}
    builder.conditions = ([inactive] if inactive else [], named_conditions)
    builder.aged = aged
    reading = builder.read(periods, grain, thresholds, limit, rank_order, previous)
    if (
        numbers
        and not (isinstance(reading, Refusal) and reading.kind == "refused")
        and not CHANGES_A_RECORD.search(question)
    ):
        return invoice_row(numbers)
    amount_part = False
    if isinstance(reading, Reading) and _PART_OF_AMOUNT_SAID.search(raw.lower()):
        amount = part_of_amount(
            before_abbreviations(raw.lower()),
            lambda text: _interpret(text, today, entities, None, asker=asker, focus=focus),
            reading.query,
        )
        if amount is not None:
            # "total receivables, and how much of that isn't due yet" (or "... is 90+ days past due"): the whole
            # amount, and the part you named of it
            reading = Reading(amount, [*reading.notes, "the whole amount, and the part you named of it"])
            amount_part = True  # (the part's measure, "overdue", is the part: nothing named is left out)
    if isinstance(reading, Reading) and not reading.query.also and not reading.query.part_filters:
        # the words as read ("X - how many total and how many got DQ'd" is "how many X in total, and how many of
        # those got DQ'd")
        said = before_abbreviations(raw.lower())
        halves = two_counts(said)
        both = (
            part_counted(reading.query, said, lambda text: _interpret(text, today, entities, None))
            if halves is not None
            else None
        )
        filtered = (
            part_filtered(
                said,
                lambda text: _interpret(text, today, entities, None, asker=asker, focus=focus),
                reading.query,
            )
            if halves is not None and both is None
            else None
        )
        if both is not None:
            # "EMEA leads QTD: how many came in, and how many of those have converted?": both counts, side by side
            reading.query.metric, reading.query.also = both[0], [both[1]]
        elif filtered is not None:
            # "how many tickets came in this month, and how many of those are urgent": the month's, the urgent part
            reading = Reading(
                filtered, [*reading.notes, "counted the whole, and the part you named among them"]
            )
        elif halves is not None:
            return halves
    if isinstance(reading, Reading) and reading.query.also and not reading.query.list_records:
        counted = first_count_beside(
            reading.query,
            before_abbreviations(raw.lower()),
            lambda text: _interpret(text, today, entities, None, asker=asker, focus=focus),
        )
        if counted is not None:  # "how many came in, how many converted, and the rate": the first count too
            reading.query.also = [reading.query.metric, *reading.query.also]
            reading.query.metric = counted
    if isinstance(reading, Reading):
        # "which of them are overdue and by how much", "... show me all the sources": the rows asked for
        rows_asked_for(reading, raw.lower(), previous)
    if isinstance(reading, Reading) and not amount_part:
        consumed = {"churned_customers", "prospects"} if builder.lifecycle else set()
        dropped = dropped_measures(reading, builder.mentions, consumed, tokens)
        if dropped:  # "LTV and predicted 12-month LTV": both, or which first; never one of them alone
            reading = answer_all(reading, dropped)
            if isinstance(reading, Refusal):
                return reading
    if (
        isinstance(reading, Reading)
        and set(named_columns) <= {"names", "name"}
        and named_columns
        and not reading.query.list_records
        and semantic.model().metric(reading.query.metric).format == "count"
        and not reading.query.compare_to
    ):
        # "just latam, names pls" after high-risk customers by region: the records counted, by name
        reading.query.list_records, reading.query.group_by = True, []
        reading.query.order = reading.query.limit = None
    if isinstance(reading, Reading) and reading.query.list_records and named_columns:
        show_named_columns(reading.query, named_columns)  # "... need the name, region and owner for each"
    elif isinstance(reading, Reading) and named_columns and reading.query.group_by[-1:] == ["customer"]:
        # "my 3 biggest accounts by LTV + their churn risk?": a column of each account is one more grouping
        model, query = semantic.model(), reading.query
        base = model.base_of(query.metric)
        for item in named_columns:
            dim = dimension_named(item, base)
            if dim is not None and dim not in query.group_by:
                query.group_by.append(dim)
    if isinstance(reading, Reading) and set(named_columns) & _PAID_SO_FAR:
        query = reading.query  # "invoice total, paid to date, remaining balance": what each has had paid
        invoices = query.list_records and semantic.model().base_of(query.metric) == "invoices"
        if invoices and PAID_TO_DATE not in query.columns:
            query.columns.append(PAID_TO_DATE)
    if isinstance(reading, Reading) and set(named_columns) & _DAYS_LATE:
        late = days_overdue_column(reading)
        if late is not None:
            return late
    if isinstance(reading, Reading):
        computed_columns_said(reading.query, raw)
    if isinstance(reading, Reading) and sort_said and named_columns:
        if sort_said[0] in _DAYS_LATE and DAYS_OVERDUE in reading.query.columns:
            # "sorted by days overdue descending": the earliest due date first
            reading.query.sort_column = "invoices.due_date"
            reading.query.order = "desc" if sort_said[1] == "asc" else "asc"
        else:
            sort_by_named_column(reading, *sort_said)
    if isinstance(reading, Reading) and reading.query.list_records and _THEN_BY_NAME.search(raw.lower()):
        reading.query.then_by = "name"  # "..., sorted by health score ascending, then by company name"
    elif isinstance(reading, Reading) and reading.query.list_records and ties_by_probability:
        reading.query.then_by = (
            "leads.conversion_probability"  # "by score, ties broken by conversion probability"
        )
    elif isinstance(reading, Reading) and reading.query.list_records and ties_by_amount:
        amount = semantic.model().amount_column(semantic.model().base_of(reading.query.metric))
        if amount:  # "..., oldest close date first, then biggest amount": ties by the amount, that way
            low = ties_by_amount.group(1) in ("smallest", "lowest")
            reading.query.then_by = f"{amount} {'asc' if low else 'desc'}"
    if (
        isinstance(reading, Reading)
        and not reading.query.list_records
        and reading.query.group_by
        and not reading.query.order
        and _ALPHABETICAL.search(raw.lower())
    ):
        reading.query.then_by = (
            "name"  # "avg days by region, alphabetical by region please": the rows by name
        )
    if isinstance(reading, Reading):
        _rank_by_change(reading, raw.lower())
        issued_in_the_period(reading, raw.lower())
        groups_that_moved(reading, raw.lower())
        sorted_by_the_bound(reading, raw.lower())
    if isinstance(reading, Reading) and isinstance(builder.owner, Refusal):
        return builder.owner  # understood, but "my" is someone we don't know
    if isinstance(reading, Reading):
        inside = {
            i for m in mentions if any(s.kind == "value" for s in m.senses) for i in range(m.start, m.end)
        }
        # "not yet resolved" names a value (open or pending tickets): its "not" is read
        unread = unread_negation([t for i, t in enumerate(tokens) if i not in inside], reading.query)
        if unread:
            return unread
        best_is_a_rate(reading, raw.lower())
        share = share_is_a_rate(reading, raw.lower())
        if share:
            return share
        dropped = more_counts_than_answered(reading, raw.lower()) or one_measure_as_share_of_another(
            reading, raw.lower()
        )
        if dropped:
            return dropped
        unranked = best_of_what(reading.query, raw.lower())
        if unranked:
            return _ranked_by_previous(reading, previous, raw.lower()) or unranked
    return reading


def _ranked_by_previous(reading: Reading, previous: Query | None, raw: str) -> Reading | None:
    """ "overdue by region?" then "top 3 accounts in LATAM": the accounts ranked by the thread's measure,
    with the new filters; with nothing before, "top accounts" is asked back (by which measure?). Not when
    the previous answer had two measures, or this one says by what ("by that amt"): which one is meant."""
    if previous is None or previous.list_records or previous.compare_to is not None or previous.also:
        return None
    if re.search(r"\b(?:by|on)\b", raw):
        return None
    model = semantic.model()
    base = model.base_of(previous.metric)
    metric = model.metric(previous.metric)
    if base == "companies" or metric.format not in ("money", "count") or reading.query.limit is None:
        return None
    if model.dimension_for("customer", base) is None:
        return None
    fresh = reading.query
    if any(model.dimension_for(f.dimension, base) is None for f in fresh.filters):
        return None
    query = previous.copy()
    query.replace_filters(fresh.filters)
    query.group_by = ["customer"]
    query.limit, query.order = fresh.limit, fresh.order or "desc"
    query.thresholds, query.columns, query.sort_column, query.also = [], [], None, []
    query.drop_share()
    if fresh.period is not None:
        query.period = fresh.period
    notes = [n for n in reading.notes if not n.startswith("dropped the filter")]
    notes.append(f"ranked by {metric.label} (the measure asked before)")
    return Reading(query, notes)


_ONE_BEFORE = re.compile(r"\bthe\s+one\s+(before|prior)\b")


_DAYS_LATE = DAYS_LATE_NAMES
_PAID_SO_FAR = PAID_SO_FAR_NAMES | {"paid"}  # (a lone "paid" among invoice columns too)


def _team_as_owner(tokens: list[str], mentions: list[Mention]) -> Mention | None:
    """ "team pipe by stage", "team bookings this quarter": the word team right before a measure, not
    after "by"/"per"/"which" (those group by team)."""
    for i, m in enumerate(mentions):
        is_team = m.phrase in ("team", "team's", "teams") and all(
            s.kind == "dim" and s.name == "team" for s in m.senses
        )
        if not is_team or (m.start > 0 and tokens[m.start - 1] in _GROUPING_WORDS):
            continue
        j, at = i + 1, m.end
        while (  # "team's open leads", "team closed won QTD": words about the records between
            j < len(mentions)
            and mentions[j].start == at
            and all(
                s.kind == "value" or (s.kind == "marker" and s.name == "open") for s in mentions[j].senses
            )
        ):
            at, j = mentions[j].end, j + 1
        nxt = mentions[j] if j < len(mentions) else None
        if nxt is not None and nxt.start == at and any(s.kind == "metric" for s in nxt.senses):
            return m
        if (
            m.start == 0
            and (nxt is None or at > m.end)
            and tokens[m.end : m.end + 1] not in (["by"], ["per"])
        ):
            return m  # "team cw QTD": the message is about the team's
    return None


_TEXT_MATCH = re.compile(
    r"\b(?:numbers?|names?|emails?|ids?|titles?|subjects?|descriptions?)\s+(?:that\s+|which\s+)?(?:ends?|ending|starts?|"
    r"starting|begins?|beginning|contains?|containing)\s+(?:with|in|on)?\b"
)
# "for the quarter", "in the month" with no period before it: the current one (after one, "total for the year"
# is that period's year)
_THE_GRAIN = re.compile(
    r"\b(for|in|during|over|across|through)\s+the\s+(quarter|month|year|week)\b"
    r"(?!\s+(?:before|after|prior|of|ending|ended|end|to\s+date|that|when|where|in\s+which))"
)

# "their combined LTV", "how much LTV is sitting in those 10": one figure over the accounts, not one each
# "why so bad? show me the engagement / payment / support scores": the request says what would show why
_WHY_THEN_ASK = re.compile(
    r"^\W*why\s+(?:so|is\s+it\s+so|are\s+they\s+so|that)\s+[a-z]+\s*\?\s*(?=(?:show|give|list|pull|break|can|could|what)\b)",
    re.I,
)
_GREW_MOST = re.compile(
    r"\b(?:grew|grown|growing|increased|improved|gained|rose|jumped|went\s+up)\s+(?:the\s+)?(?:most|fastest|biggest|more)\b|"
    r"\b(?:most|fastest|biggest|largest|strongest)\s+(?:growth|increase|gain|jump|improvement|uplift)\b"
)
_FELL_MOST = re.compile(
    r"\b(?:fell|dropped|declined|decreased|shrank|shrunk|went\s+down|slipped)\s+(?:the\s+)?(?:most|fastest|more)\b|"
    r"\b(?:most|biggest|largest|steepest|worst)\s+(?:decline|drop|decrease|fall)\b"
)


def _rank_by_change(reading: Reading, raw: str) -> None:
    """ "which 3 teams grew the most in $ terms?" after bookings by team, Q2 vs Q1: ranked by the change."""
    query = reading.query
    if query.compare_to is None or not [g for g in query.group_by if not g.startswith("time:")]:
        return
    grew, fell = _GREW_MOST.search(raw), _FELL_MOST.search(raw)
    if not (grew or fell):
        return
    percent = re.search(r"%|\bper\s*cent|\bpercent(?:age)?\b|\bpct\b|\brelative\b", raw)
    query.sort_column = BY_CHANGE_PCT if percent else BY_CHANGE
    query.order = "asc" if fell and not grew else "desc"
    reading.notes.append(f"ranked by the change{' in %' if percent else ''}")


_GROUPING_WORDS = {"by", "per", "each", "every", "which", "what", "a", "any", "one", "whose", "across", "the"}


def _teams_of_reps(mentions: list[Mention], entities: Entities) -> list[Mention]:
    """ "Oliver Singh's team": the team that rep is on (the rep's name, then the word team)."""
    out: list[Mention] = []
    for m in mentions:
        previous = out[-1] if out else None
        reps = [s.value for s in previous.senses if s.kind == "value" and s.name == "rep"] if previous else []
        is_team_word = m.phrase == "team" and all(s.kind == "dim" and s.name == "team" for s in m.senses)
        if previous and is_team_word and previous.end == m.start and len(reps) == 1:
            team = entities.rep_teams.get(reps[0])
            if team:
                out[-1] = Mention(
                    previous.start, m.end, f"{previous.phrase} team", (Sense("value", "team", team),), True
                )
                continue
        out.append(m)
    return out


_THAT_RECORD = re.compile(
    r"\b(?:that|this)\s+(?:deal|opp|opportunity|invoice|payment|ticket|lead)\b(?!\s*(?:size|sizes|count|amount|value)s?\b)"
)
_POINTS_BACK_AT_NOTHING = re.compile(
    r"^\s*(?:and\s+|so\s+|ok\s+)?(?:(?:do|does|did|are|is|have|has|were|was|will)\s+(?:they|those|these|them)\b|"
    r"(?:their|its|his|her)\s+(?!own\b)[a-z])|"
    r"\b(?:have|has|did|do|does|will|can)\s+(?:they|those\s+guys)\s+(?:paid|pay|owe|owed|bought|spent|buy|spend)\b|"
    # "which of those are overdue" with nothing before it: not every overdue invoice
    r"^\s*(?:and\s+|so\s+|ok\s+)?(?:which|what|how\s+many)\s+(?:ones\s+)?(?:of|among)\s+(?:those|them|these)\b|"
    # "how many deals is that", "and the biggest 3?" with nothing before
    r"^\W*(?:and\s+|so\s+)?how\s+(?:many|much)\s+(?:\w+\s+){0,2}(?:is|was)\s+(?:that|it)\s*[?.!]*\s*$|"
    r"^\W*and\s+the\s+(?:biggest|largest|smallest|top|best|worst)\b|"
    # "and how many deals did each of them win" with nothing before it
    r"^\W*(?:and\s+|so\s+)?(?:how\s+(?:many|much)|what)\b[^.?!]{0,40}\b(?:each|every\s+one|all|both)\s+of\s+"
    r"(?:them|those|these)\b|"
    # "can you list the APAC ones with the owner's email" with no list before it
    r"\b(?:list|show|give\s+me|pull)\s+(?:me\s+)?the\s+[\w-]+\s+ones\b|"
    # "what has that account paid us this year" with no account before it: which one? never every account's
    r"\bth(?:at|is)\s+(?:account|customer|client|company)\b(?!\s+(?:called|named)\b)|"
    # "ok then what's its score now" after a refused change: whose? never the average of every lead
    r"^\W*(?:(?:ok|okay|so|and|fine|right)\W+)?(?:then\s+)?what(?:'s|s|\s+is|\s+are|\s+was|\s+were)\s+(?:its|their)\s+[a-z]"
)
_ASKS_A_SPLIT = re.compile(
    r"\b(?:by|per|each|split|break\s+(?:it\s+|that\s+|this\s+)?down|grouped|broken\s+down)\b"
)


_THEN_BY_NAME = re.compile(
    r"\b(?:then|ties?\s+(?:broken\s+)?by|and\s+then)\s+(?:by\s+)?(?:the\s+)?(?:company|customer|account|lead|deal|"
    r"contact|rep)?(?:'s)?\s*name\b"
)


_THEN_BY_AMOUNT = re.compile(
    r",?\s*(?:and\s+)?then\s+(?:by\s+)?(?:the\s+)?(biggest|largest|highest|smallest|lowest)\s+(?:amount|value|deal\s+size)s?"
    r"(?:\s+first)?(?=\s*[?.!]*\s*$)"
)
_THEN_BY_PROBABILITY = re.compile(
    r",?\s*\b(?:then|ties?\s+(?:broken\s+)?by|and\s+then)\s+(?:by\s+)?(?:the\s+)?(?:higher\s+|highest\s+)?(?:conversion\s+)?"
    r"(?:probability|prob)\b(?:\s+first)?",
    re.I,
)


def _one_account_named_before(raw: str, at: int, entities: Entities) -> bool:
    """The message names one account before the word that points back ("they", "their")."""
    from tools.reports.nlq.words import one_company_named

    return one_company_named(raw[:at], entities) is not None
