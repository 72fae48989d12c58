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
from tools.reports.build import BY_CHANGE, BY_CHANGE_PCT, DAYS_OVERDUE, OVER_GROUPS, PAID_TO_DATE
from tools.reports.entities import Entities
from tools.reports.lexicon import Sense, expand_abbreviations, filler, lexicon
from tools.reports.nlq import context, followup, followup_carry, followup_which
from tools.reports.nlq.asks import answer_all, dropped_measures, part_counted, part_filtered, two_counts
from tools.reports.nlq.cues import (
    FollowUpCues,
    extract_age,
    extract_inactivity,
    extract_owner,
    extract_record_conditions,
    read_follow_up,
    read_periods,
    the_team_as_mine,
)
from tools.reports.nlq.kinds import (
    CUSTOMER_WORDS,
    GENERIC_METRICS,
    RECORD_METRICS,
)
from tools.reports.nlq.numbers import _blank, extract_comparisons, extract_rank
from tools.reports.nlq.phrasings import (
    NOT_WHEN_CREATED,
    before_abbreviations,
    everyday_phrasings,
    two_digit_years,
)
from tools.reports.nlq.phrasings_typed import as_typed
from tools.reports.nlq.reader_checks import (
    Checks,
    best_is_a_rate,
    best_of_what,
    share_is_a_rate,
    unread_negation,
)
from tools.reports.nlq.reader_filters import Filters
from tools.reports.nlq.reader_focus import ONE_FIGURE, OWNER_OF, Focus
from tools.reports.nlq.reader_lists import (
    DAYS_LATE_NAMES,
    PAID_SO_FAR_NAMES,
    ListShape,
    column_named,
    dimension_named,
    each_named_account,
    lists_lost_deals,
    most_recent_first,
    rank_open_records,
    records_of_conditions,
    show_named_columns,
    sort_by_named_column,
)
from tools.reports.nlq.reader_metric import _WITH_COUNT, MetricChoice
from tools.reports.nlq.reader_shape import Shape
from tools.reports.nlq.reader_thread import (
    in_that_time,
    of_the_ones_shown,
    one_shown_before,
    rank_again,
    the_bucket_said,
    the_records_shown,
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
from tools.reports.nlq.remarks import asides, carries_meaning, columns_asked, sort_asked
from tools.reports.nlq.screen import screen
from tools.reports.nlq.types import MEASURE_SLOT, Reading, Refusal
from tools.reports.nlq.words import (
    Mention,
    _without_possessive,
    correct_text,
    find_mentions,
    leftover_tokens,
    partial_entities,
    tokenize,
)
from tools.reports.query import Filter, Owner, Query, RecordCondition
from tools.reports.timewords import Period, find_grain, find_period, find_periods, whole_period

# --------------------------------------------------------------------------- reading a question


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
    # "deals the team lost": the asker's team, where they have one; "accounts in that bucket": the bucket by name
    question = the_bucket_said(the_team_as_mine(as_typed(question), asker), previous)
    question = re.sub(r"(?<=[a-z])\(s\)", "s", question, flags=re.I)  # "which invoice(s)": the invoices
    rep = (focus or {}).get("rep")
    if rep and not (previous and any(f.dimension == "rep" for f in previous.filters)):
        # "fine, what's her pipeline then" after a question about Linda Robinson: hers
        question = re.sub(r"\b(?:his|her)\b(?=\s+[a-z])", f"{rep}'s", question, count=1, flags=re.I)
    named = context.account_said_before(question, entities) if not (focus or {}).get("account") else None
    if named:  # "Zenith Studios GmbH are querying their account. How much have they paid us this year?"
        focus = {**(focus or {}), "account": named}
    reading = _interpret(question, today, entities, previous, asker=asker, focus=focus)
    in_that_time(reading, previous, question)
    the_records_shown(reading, previous, question)
    total_of_the_list(reading, previous, question)
    rank_again(reading, previous, question)
    of_the_ones_shown(reading, previous, question)
    picked = one_shown_before(reading, focus)
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
        if not after_question and not only_there and carries_meaning(aside, today, entities):
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
        if after_question and _SECOND_QUESTION.match(aside.lower()):
            continue  # "... last 30 days? and how many of them are qualified already": a second ask, never dropped
        if after_question and _PERIOD_AFTER.match(aside.lower()) and find_periods(aside.lower(), today):
            continue  # "... predicted to churn? before the end of Q1 next year": the period asked, never dropped  # "... customer base? And the predicted 12-month LTV next to it": a second measure asked
        first = interpret(
            main, today, entities, previous, asker=asker, focus=focus, _remarks_left=_remarks_left - 1
        )
        if isinstance(first, Reading):
            if splits and not [g for g in first.query.group_by if not g.startswith("time:")]:
                continue  # "... this year? Break it down per rep please.": a split asked for, never dropped
            first.notes.append(f'left aside "{aside.strip(" ,;:-—–?")[:60]}"')
            computed_columns_said(first.query, aside)  # ("... I need what has been paid so far")
            return first
    return reading


# a remark after the question mark that starts as a period would ("before the end of Q1", "in March", "for 2025")
_PERIOD_AFTER = re.compile(
    r"\W*(?:before|by|until|till|in|during|for|since|from|over|this|last|next|the\s+(?:last|past|first|second|third|"
    r"fourth)|q[1-4]|h[12]|ytd|qtd|mtd)\b"
)
_ABOUT_WHAT = re.compile(
    r"\bwhat(?:'?s|\s+(?:are|were|is|was))?\s+(?:(?:they|those|these|it|each(?:\s+one)?|the\s+tickets?)\s+)?about\s*[?.!]*\s*$|"
    r"\bwhat\s+(?:they'?re|it'?s|they\s+are|it\s+is)\s+about\b|"
    # "all high priority tickets still open, and which company they're from": each ticket, with its account
    r"\b(?:which|what)\s+(?:company|companies|account|accounts|customer|customers|client|clients)\s+"
    r"(?:they'?re|they\s+are|it'?s|it\s+is|each\s+(?:one\s+)?is|they\s+(?:come|came))\s+(?:from|with|for)\b|"
    # "which accounts have urgent tickets still open? show the subject too": each ticket, with its subject
    r"\b(?:show|with|w/|plus|and|incl(?:uding)?)\s+(?:the\s+|their\s+|its\s+)?subjects?\b"
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
            r"\b(?:that|this|the)\s+invoice\b|\b(?:on|of|for)\s+(?:it|that|this)\b|"
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
    if previous is None and not focus and _POINTS_BACK_AT_NOTHING.search(raw.lower()):
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
    text = re.sub(r"(?<=\w)\s+\+\s+(?=[a-z])", " and ", text)  # "top 5 + amounts": and, not "5 or more"
    text = re.sub(r"(\d)\s*\+", r"\1 plus ", text).replace("+", " and ").replace("&", " and ")
    # "the 90+ bucket"; "deals + reasons"; "France & Benelux" (names are matched with "and")
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    text = expand_abbreviations(text)
    # "the #1 account there", "our no. 1 rep": the top one
    text = re.sub(r"(?<![\w#])(?:#|no\.?\s*|number\s+)\s*1\b(?![\d.,])", "top", text)
    text = re.sub(r"(?<![\w#])#(?:\s*of\s+|(?=[a-z]))", "number of ", text)  # "# of payments", "#deals won"
    # "# deals won", "and # lost per rep": how many
    text = re.sub(r"(?<![\w#])#\s*(?=[a-z])(?!(?:of|and|or)\b)", "how many ", text)
    # "high-priority", "closed-won": the words
    text = re.sub(
        r"(?<=[a-z])-(?=(?:priority|risk|value|stage|status|level)\b)|\b(?<=closed)-(?=won|lost)", " ", text
    )
    # "... by region — columns region and lead count.", "Columns: lead name, company, status": the column list's label
    text = re.sub(
        r"(?:\s*[.;,—–-]\s*|\s+)(?:with\s+)?(?:the\s+)?(?:columns?|cols)\s*(?:[:—–-]\s*)?(?=[a-z#])",
        ": ",
        text,
    )
    sort_said = sort_asked(text)  # "..., sorted by churn probability descending"
    named_columns, text = columns_asked(text)
    text = _listed_values_as_grouping(text)
    text = everyday_phrasings(text)  # "no sorry, I meant X", "who's on the DACH team", "past due today"...
    if (previous is None or previous.period is None) and find_period(text, today)[0] is None:
        # ("... for Q4 2025 - deals closed in the quarter": that quarter, said already)
        text = _THE_GRAIN.sub(r"\1 this \2", text)  # "avg deal size by industry for the quarter?": this one
    follow, text = read_follow_up(text)
    inactive, text = extract_inactivity(text, today)
    aged, text = extract_age(text, today)
    text = _ticket_priorities(text, previous)
    if previous is not None and any(f.dimension == "rep" and len(f.values) == 1 for f in previous.filters):
        rep = next(f.values[0] for f in previous.filters if f.dimension == "rep" and len(f.values) == 1)
        if re.match(r"\W*(?:list|show|give|pull)\b", text) and re.search(
            r"\b(?:his|her)\s+(?:deals|leads|accounts)\b", text
        ):
            # "list his deals sitting in proposal" after one rep's pipeline: that rep's deals, a list of its own
            text = re.sub(r"\b(?:his|her)\s+(?=deals|leads|accounts)", f"{rep.lower()}'s ", text, count=1)
        text = re.sub(r"\b(?:his|her)\b", " ", text)  # "and her win rate for that quarter": the rep's, kept
    named_conditions, text = extract_record_conditions(text, semantic.model())
    text, notes = correct_text(text, entities)
    owner_scope, text = extract_owner(text)
    text = _unit_of_previous_period(text, previous)
    text = _year_of_previous_period(text, previous, today)
    if previous is not None and semantic.model().base_of(previous.metric) == "companies":
        text = re.sub(
            r"\bnew\s+ones\b", "new customers", text
        )  # "and how many new ones did we add" after churn
    text = followup_carry.same_period_said(text, previous)  # "how many churned same month"
    text = context.follow_up_words(
        text, previous, entities
    )  # "how many are medium or high", "which customer ..."
    thresholds, text = extract_comparisons(text)
    text = _ONE_BEFORE.sub(r"the period \1", text)  # "last quarter vs the one before": not "top 1"
    limit, rank_order, text = extract_rank(text)
    text, names = _names_with_months(text, entities)
    periods, text = read_periods(text, today)
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
    builder = _Builder(tokens, mentions, unknown, notes + periods.notes)
    builder.capitalized = names
    builder.entities = entities
    builder.raw = raw.lower()
    builder.follow = follow
    builder.owner = _owner(owner_scope, asker)
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
    if isinstance(reading, Reading) and not reading.query.also:
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
    if isinstance(reading, Reading):
        consumed = {"churned_customers", "prospects"} if builder.lifecycle else set()
        dropped = dropped_measures(reading, builder.mentions, consumed)
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
    if isinstance(reading, Reading):
        _rank_by_change(reading, raw.lower())
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


def _ticket_priorities(text: str, previous: Query | None) -> str:
    """ "high or urgent", "the high ones" about tickets: the ticket's priority (a bare "high" could
    also be a churn risk, so only where tickets are what the thread is about)."""
    about_tickets = re.search(r"\b(?:tickets?|tix|tkts?|support\s+cases?)\b", text) or (
        previous is not None and semantic.model().base_of(previous.metric) == "support_tickets"
    )
    if not about_tickets:
        return text
    return re.sub(
        r"\b(high|medium|low)\b(?!\s+(?:priority|prio|churn|risk|health|value|score|ltv))",
        r"\1 priority",
        text,
    )


_FIGURE_WORDS = {
    "amount",
    "amounts",
    "value",
    "values",
    "$",
    "total",
    "totals",
    "count",
    "number of",
    "sum",
    "how many",
}
_RECORD_AMOUNTS = re.compile(r"(?:\bw(?:ith)?/?|\+|\band)\s+(?:the\s+|their\s+)?(?:amounts|values|amts)\b")
_WITH_AMOUNTS = re.compile(
    r"\bw(?:ith)?/?\s+(?:the\s+|their\s+)?(?:amounts?|values?|\$)(?!\w)|\bcount\s+(?:and|\+|&)\s+(?:\$|amount|value|total|sum)|"
    r"(?:\band|\+|,)\s+(?:what'?s\s+|whats\s+|what\s+is\s+|for\s+)?(?:how\s+much|the\s+total\s+(?:still\s+)?(?:owed|value|amount)|"
    r"the\s+(?:overdue\s+|outstanding\s+|unpaid\s+|total\s+|open\s+)?(?:amount|value|balance)s?|\$)(?!\w)|\bhow\s+much\s+is\s+each\b|"
    r"(?:\band|\+|,)\s+what\s+(?:are|were|is|was)\s+(?:they|those|these|it|that)\s+worth\b|"
    # "how many is that and what's the total"
    r"(?:\band|\+|,)\s+(?:what'?s|whats|what\s+is)\s+the\s+total\s*[?.!]*\s*$|"
    # "how many invoices are waiting on approval and whats the total on them"
    r"(?:\band|\+|,)\s+(?:what'?s|whats|what\s+is|what\s+was)\s+the\s+(?:total|sum|value|amount)\s+(?:on|of|for|across)\s+"
    r"(?:them|those|these|it|that)\b|"
    r"(?:\band|\+|,)\s+(?:the\s+)?total\s+(?:\$|amount|value|dollars)(?!\w)|"
    r"(?:\band|\+|,)\s+(?:what'?s|whats|what\s+is)\s+(?:the\s+)?total\s+(?:overdue\s+|outstanding\s+|unpaid\s+|open\s+|owed\s+)?"
    r"(?:\$|amount|value|dollars)(?!\w)|"
    r"(?:\band|\+|,)\s+(?:what'?s|what\s+is|what\s+was)\s+(?:their|its|the)\s+(?:total\s+|combined\s+)?(?:value|worth|amount)\b|"
    # "how many overdue invoices ... and what do they add up to", "and how much do they come to"
    r"(?:\band|\+|,)\s+(?:what|how\s+much)\s+(?:do|does|did)\s+(?:they|those|these|it|that|them)\s+"
    r"(?:add\s+up\s+to|come\s+to|total|amount\s+to|sum\s+to)\b"
)


_RECORDS_WITH_AVG = re.compile(
    r"^\W*(?:\w+\s+){0,3}?(?:leads|deals|tickets|invoices|payments|opps|accounts|customers)"
    r"(?:\s+(?:won|lost|closed|open|created|opened|paid|sent|raised))?\s+(?:per|by|for\s+each)\s+[^?]*?"
    r"\b(?:with|w/|and|plus)\s+(?:the\s+|their\s+)?(?:avg|average|mean)\b"
)
_HOW_MUCH_FIRST = re.compile(r"^\W*(?:(?:so|and|ok|okay|hey|also)\W+)?how\s+much\b")
# "how many deals did my team win this q, and what's the avg size": the count with its records' average
_WITH_AVERAGE = re.compile(
    r"(?:\band|\+|,)\s+(?:what'?s\s+|whats\s+|what\s+is\s+|what\s+was\s+)?(?:the\s+|their\s+)?(?:avg|average|mean)\s+"
    r"(?:size|amount|value|deal\s+size|deal)\b"
)


def _average_of(metric) -> str | None:
    """The average amount of the records a count counts (deals won: the average deal size)."""
    model = semantic.model()
    if metric.format != "count" or not metric.amount_metric:
        return None
    amount = model.metric(metric.amount_metric)
    return next(
        (
            m.name
            for m in model.metrics
            if m.base == amount.base
            and m.aggregate == "avg"
            and m.column == amount.column
            and {str(c) for c in m.conditions} == {str(c) for c in amount.conditions}
        ),
        None,
    )


def _defined_by(metric, value, column: str | None = None):
    """The measure defined as ``metric`` restricted to one value (bookings: the deal amount of stage
    closed_won), or None."""
    for other in semantic.model().metrics:
        if (
            other.base == metric.base
            and other.aggregate == metric.aggregate
            and other.column == metric.column
            and len(other.conditions) == 1
            and other.conditions[0].op == "eq"
            and other.conditions[0].value == value
            and column in (None, other.conditions[0].column)
        ):
            return other
    return None


def _lost_by_reason(query: Query) -> None:
    """ "the reasons why we lost deals this quarter, with the count for each": only lost deals have a
    lost reason, so deals (or their amount) split by it are the deals lost (or the amount lost)."""
    model = semantic.model()
    metric = model.metric(query.metric)
    entry = model.lists.get(metric.base)
    reason = entry.reason if entry is not None else None
    if not reason or metric.conditions or query.also:
        return
    if any(model.dimension_columns.get(g, {}).get(metric.base) == reason for g in query.group_by):
        lost = _defined_by(metric, "closed_lost")
        if lost is not None:
            query.metric = lost.name


def _metric_of_value(query: Query) -> None:
    """ "how much have I closed-won this year": the deal amount of deals in stage closed_won is the
    measure defined as exactly that (bookings, placed in time by the close date), not the amount of
    deals created this year that are now won."""
    model = semantic.model()
    metric = model.metric(query.metric)
    if metric.conditions:
        return
    for f in query.filters:
        if f.negate or len(f.values) != 1:
            continue
        column = model.dimension_columns.get(f.dimension, {}).get(metric.base)
        other = _defined_by(metric, f.values[0], column) if column else None
        if other is None:
            continue
        # "how many deals have i closed won this year and whats the total": the measure beside it too
        beside = [model.metric(name) for name in query.also]
        also = [
            _defined_by(m, f.values[0], column) if not m.conditions and m.base == metric.base else m
            for m in beside
        ]
        if any(m is None for m in also):
            return
        query.metric, query.also = other.name, [m.name for m in also]
        query.filters = [g for g in query.filters if g is not f]
        return


_ONE_BEFORE = re.compile(r"\bthe\s+one\s+(before|prior)\b")


_DAYS_LATE = DAYS_LATE_NAMES
_PAID_SO_FAR = PAID_SO_FAR_NAMES | {"paid"}  # (a lone "paid" among invoice columns too)


def _names_with_months(text: str, entities: Entities) -> tuple[str, list[tuple[str, str]]]:
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


def _year_of_previous_period(text: str, previous: Query | None, today: date) -> str:
    """ "now just Q4" after revenue by month for 2025: Q4 of 2025, the year the thread is about (a quarter or a
    month named without its year, in a follow-up on a past year)."""
    period = previous.period if previous is not None else None
    if period is None or period.start is None or period.end is None or period.start.year != period.end.year:
        return text
    year = period.start.year
    if year == today.year:
        return text
    text = re.sub(
        r"(?<![\w'-])(q[1-4]|(?:the\s+)?(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)\b"
        r"(?!\s*(?:of\s+)?(?:'?\d{2}\b|\d{4}|fy|this|last|next|previous|prior))",
        lambda m: f"{m.group(1)} {year}",
        text,
    )
    # ("may" only as a month: "in may", "and may", not "may I see")
    months = r"january|february|march|april|june|july|august|september|october|november|december|(?<=in\s)may|(?<=and\s)may"
    return re.sub(
        rf"\b(?<!since\s)(?<!from\s)({months})\b(?!\s*(?:of\s+)?(?:'?\d|this|last|next|previous|prior))",
        lambda m: f"{m.group(1)} {year}",
        text,
    )


def _unit_of_previous_period(text: str, previous: Query | None) -> str:
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


_THE_NUMBERS = re.compile(
    r"\b(?:the|our|my|some|their|key)\s+(?:numbers|figures|stats|statistics|metrics|kpis)\b"
)
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
_NUMBER_UNIT = re.compile(
    r"\d+(?!st|nd|rd|th)[a-z]{1,3}"
)  # "last 30dy", "2wks": a number whose unit wasn't read
_AMOUNT_LEFT = re.compile(r"\$?\d[\d,.]*(?:k|m|mn|bn|b|%)?")

# "their combined LTV", "how much LTV is sitting in those 10": one figure over the accounts, not one each
# "why so bad? show me the engagement / payment / support scores": the request says what would show why
_WHY_THEN_ASK = re.compile(
    r"^\W*why\s+(?:so|is\s+it\s+so|are\s+they\s+so|that)\s+[a-z]+\s*\?\s*(?=(?:show|give|list|pull|break|can|could|what)\b)",
    re.I,
)
_WHICH_ACCOUNTS_HAVE = re.compile(
    # "do any of my accounts have tickets still open? which ones + how many each" (a count asked per account)
    r"^\W*(?:(?:do|does|have|has)\s+)?any\s+of\s+(?:my|our|the|askers)\s+(?:customers|accounts|clients|companies)\s+"
    r"(?:still\s+|also\s+)?(?:have|has|owe)\b(?=.*\b(?:which\s+ones|how\s+many\s+each|each)\b)|"
    r"^\W*(?:and\s+|so\s+|ok\s+)?which\s+(?:[\w&'-]+\s+){0,5}?(?:customers|accounts|clients|companies|custs|accts)\s+"
    r"(?:(?:in|from|at)\s+(?:the\s+)?[\w&'-]+\s+)?(?:(?:are|is)\s+(?:[\w-]+\s+){1,4}?(?:and|&)\s+)?"
    r"(?:also\s+|still\s+)?(?:have|has|had|owe|with)\b|"
    # "which of my accounts are overdue on invoices, and how much is each one behind?"
    r"^\W*(?:and\s+|so\s+|ok\s+)?which\s+(?:of\s+(?:my|our|the)\s+)?(?:customers|accounts|clients|companies|custs|accts)\s+"
    r"(?:are|is)\s+(?:still\s+)?(?:overdue|behind|late|past\s+due)\b|"
    # "customers we haven't contacted in 90 days that still have an outstanding balance", "EMEA customers flagged
    # high churn risk that also have overdue invoices - how much for each"
    r"^\W*(?:(?!(?:from|of|for|with|by|to|at|on|in|about|deals|invoices|tickets|payments|leads)\b)[\w&'-]+\s+){0,4}?"
    r"(?:customers|accounts|clients|custs|accts)\b[^?.!]{0,80}?\b(?:that|who|which)\s+"
    r"(?:still\s+|also\s+)?(?:have|has|owe)\b"
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


_WHICH_OF_THEM = re.compile(
    r"\bwhich\s+(?:ones\b|of\s+(?:them|those|these)\b)|\b(?:do|does|did|have|has)\s+any\s+of\s+(?:them|those|these)\b"
)
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


def _owner(scope: str | None, asker) -> Owner | Refusal | None:
    """The asker as the owner of what "my" / "my team" names; a refusal when we don't know them."""
    if scope is None:
        return None
    if asker is None or getattr(asker, "user_id", None) is None:
        return Refusal(
            "I don't know which CRM user you are, so I can't tell which are yours. Ask for everyone's "
            '(without "my"), or ask your admin to link your user to the CRM.',
            kind="refused",
        )
    if scope == "team" and not getattr(asker, "team", None):
        return Refusal(
            f"{f'{asker.name} belongs' if asker.name else 'You belong'} to no team in the CRM, so I can't tell "
            "who is on your team. "
            "Ask about your own numbers, or for everyone's.",
            kind="refused",
        )
    return Owner(scope, user_id=asker.user_id, team=getattr(asker, "team", None), name=asker.name)


class _Builder(MetricChoice, ListShape, Checks, Filters, Focus, Shape):
    """Turns the mentions of one question into a Query (or a refusal), rule by rule.

    Its parts live beside it, one module each: the measure chosen (reader_metric), a list's shape
    (reader_lists), the checks that ask back or refuse (reader_checks), filters (reader_filters), what an
    answer before points at (reader_focus), and ranks, bars and periods ahead (reader_shape)."""

    def __init__(self, tokens, mentions: list[Mention], unknown, notes: list[str]):
        self.tokens = tokens
        self.mentions = mentions
        # a number not read as a period, rank, amount or value ("100k" left over is an amount not understood)
        numeric = [
            (i, t)
            for i, t in unknown
            if t.isdigit() or _AMOUNT_LEFT.fullmatch(t) or _NUMBER_UNIT.fullmatch(t)
        ]
        self.unknown = [t for i, t in unknown if t not in filler() and (i, t) not in numeric]
        self.unknown_positions = [i for i, t in unknown if t not in filler() and (i, t) not in numeric]
        self.stray_numbers = [t for _, t in numeric]
        self.notes = notes
        self.ranked = False
        self.account_owner = False  # "who owns Acme": the account itself, with its owner
        self.lifecycle: str | None = None  # "revenue from churned accounts": companies in that stage
        self.aged: RecordCondition | None = None  # "sitting open 100+ days": created at least that long ago
        self.capitalized: set[str] = set()
        self.entities: Entities | None = None
        self.raw = " ".join(tokens)
        self.follow = FollowUpCues()
        self.owner: Owner | None = None
        self.conditions: tuple[list, list] = ([], [])
        self.shape: bool | None = None  # a follow-up's list-or-figure, when it comes from the previous answer
        self.which_time = False  # "which month ...": one period asked for
        self.columns_asked: list[str] = []  # "... - invoice #, customer, balance": the records, those shown
        self.today: date | None = None
        self.focus: dict = {}  # the rep / customer of the last one-row answer

    def markers(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if any(s.kind == "marker" and s.name == kind for s in m.senses)]

    def has_marker(self, kind: str) -> bool:
        return bool(self.markers(kind))

    def read(self, periods, grain, thresholds, limit, rank_order, previous) -> Reading | Refusal:
        model = semantic.model()
        self.versus = periods.compare_metrics  # "vs" with no second period: two measures, or two values
        self.bars = thresholds  # "a conversion probability above 50%": a bar on each record, no column
        if periods.ambiguous:
            first, second = (p.label for p in periods.ambiguous)
            return Refusal(
                f'I see two periods, "{first}" and "{second}": should I compare them, or use one?',
                [f"compare {first} with {second}", f"only {first}", f"only {second}"],
                kind="clarify",
            )
        if previous is not None:
            further = (
                followup.next_in_ranking(self, previous)
                or followup.as_a_rate(self, previous)
                or followup.top_records_of_those(self, previous)
            )
            # "the 2nd biggest", "and the one after that?"; "as a rate pls" after a count of those converted
            if further is not None:
                return further
        metric_mentions = [m for m in self.mentions if any(s.kind == "metric" for s in m.senses)]
        beside_numbers = {c.after for c in thresholds if c.after}
        bounded = [  # a per-record value named after a number ("1000+ employees"), not a count ("5 tickets")
            m
            for m in metric_mentions
            if m.phrase in beside_numbers
            and all(s.kind != "metric" or column_named(m.phrase, model.base_of(s.name)) for s in m.senses)
        ]
        others = [m for m in metric_mentions if m not in bounded]
        bounded = [  # only where the records named can carry that value ("accounts with LTV above 1M": the LTV)
            m
            for m in bounded
            if any(
                column_named(m.phrase, model.base_of(s.name))
                for o in others
                for s in o.senses
                if s.kind == "metric"
            )
        ]
        if bounded and len(bounded) < len(metric_mentions):
            # "software prospects with 1000+ employees": the records are prospects; employees is what the
            # number bounds, on each of them
            metric_mentions = [m for m in metric_mentions if m not in bounded]
        if previous is not None:
            # "EMEA by customer, top 5" after the overdue amount by region: "by customer" splits the same measure
            split_words = [
                m
                for m in metric_mentions
                if m.start > 0
                and self.tokens[m.start - 1] in ("by", "per")
                and any(s.kind == "dim" for s in m.senses)
                and all(s.name in ("customers", "companies") for s in m.senses if s.kind == "metric")
            ]
            if split_words and len(split_words) == len(metric_mentions):
                metric_mentions = []
        metric, dims_from_metrics, also, refusal = self._choose_metric(
            metric_mentions, periods.compare_metrics, whole=True
        )
        also = self._measure_asked_as_column(metric, also)
        dated = model.metric(metric) if metric else None
        if (
            dated is not None
            and dated.format == "date"
            and dated.count_metric
            and (periods.period is not None or self.has_marker("count"))
        ):
            # "how many customers have a predicted churn date in Q2", "customers with a predicted churn date before
            # june": the records whose date falls there (a date has no period of its own)
            metric = dated.count_metric
        if previous is not None:  # "which of them score 70 or higher": those records, narrowed and listed
            narrowed = followup_which.narrow_to_records(self, previous, metric, periods, thresholds)
            if narrowed is not None:
                return narrowed
        if refusal:
            return refusal
        if (
            metric in ("companies", "customers")
            and _THE_NUMBERS.search(self.raw)
            and not (self.has_marker("count") or self.has_marker("list"))
        ):
            # "can you pull the numbers for our big accounts?": which numbers (the accounts are who, not what)
            return Refusal(
                "Which numbers should I pull for them? For example revenue, bookings, open pipeline, health or "
                "lifetime value.",
                ["revenue", "bookings", "open pipeline", "average health score", "lifetime value"],
                kind="clarify",
                phrase=MEASURE_SLOT,
            )
        if previous is not None and metric is not None:
            metric, dims_from_metrics = self._previous_measure(
                metric, dims_from_metrics, metric_mentions, previous
            )
        if metric in ("companies", "customers"):
            metric = self._records_on_accounts(metric)
        if metric is None and self.has_marker("total") and _CAME_IN.search(self.raw):
            metric = "revenue"  # "how much actually came in": money received
        if periods.same_comparison and (previous is None or previous.compare_to is None):
            return Refusal(  # "same comparison?" with none before it: not the figure without one
                'Which periods should I compare? For example "this quarter vs last quarter" or "vs last year".',
                ["this quarter vs last quarter", "this year vs last year"],
                kind="clarify",
                phrase="same comparison",  # a pick takes its place in the question
            )
        if (previous is not None or self.focus.get("account")) and metric in (None, "companies", "customers"):
            owner_of_account = self._owner_of_previous_account(previous)
            if owner_of_account is not None:
                return owner_of_account
            behind = self._accounts_behind(previous)
            if behind is not None:
                return behind
        if previous is not None:
            listed = followup.columns_for_list(self, previous)
            if listed is not None:
                return listed
        if (
            metric is None
            and previous is not None
            and (self.columns_asked or followup.WHEN_DO_THEY_CLOSE.search(self.raw))
            and limit is None
            and rank_order is None
        ):
            behind = followup.records_behind(self, previous, previous.metric, periods.period)
            if (
                behind is not None
            ):  # "whats in april specifically? deal names pls" after the pipeline by month
                return behind
        if metric is None and previous is not None:
            implied = self._metric_from_dimensions() or self._metric_from_values()
            if implied is None or _compatible(implied, previous.metric) or self._applies_to(previous.metric):
                return followup.refine(self, previous, periods, grain, thresholds, limit, rank_order)
            metric = implied  # "AR aging" or "open tickets" after a list of leads: a new question
        if metric is not None and previous is not None:
            behind = followup.count_behind(self, previous, metric, also) or followup.amount_on_those(
                self, previous, metric
            )
            if behind is not None:  # "and how many deals does that come from?" after bookings
                return behind
        if metric is not None and previous is not None and self._anaphoric_record_word(metric, previous):
            return followup.refine(self, previous, periods, grain, thresholds, limit, rank_order)
        only = (
            re.match(r"\s*(?:and\s+)?(?:just|only)\b", self.raw)
            or re.search(
                r"^\s*(?:and\s+|what\s+about\s+|how\s+about\s+)?(?:for\s+)?[\w\s&'-]{1,40}?\bonly\s*[?.!]*\s*$",
                self.raw,
            )
            # "and looking only at deals with companies in EMEA?", "same breakdown, but only deals expected ..."
            or re.search(
                r"\b(?:looking\s+)?(?:only|just)\s+(?:at\s+|for\s+|on\s+)?(?:the\s+)?(?:deals|ones|those)\b",
                self.raw,
            )
        )
        of_those = re.search(r"\b(?:of|among|from)\s+(?:those|them|these|that\s+list)\b", self.raw)
        counts_those = (  # "only the deals with an expected close date this quarter" after the pipeline
            only is not None
            and metric in RECORD_METRICS
            and model.metric(metric).aggregate == "count"
            and previous is not None
            and model.metric(previous.metric).aggregate != "count"
        )
        if (
            only is not None
            and metric in GENERIC_METRICS
            and previous is not None
            and self.has_marker("list")
        ):
            behind = followup.records_behind(self, previous, metric, periods.period)
            if behind is not None:  # "just Wei Okafor - list the deals" after bookings by rep: his deals
                return behind
        if (
            (metric in GENERIC_METRICS or counts_those)
            and previous is not None
            and (
                only
                or (
                    of_those
                    and metric in ("customers", "companies")
                    and model.base_of(metric) != model.base_of(previous.metric)
                )
            )
            and (
                model.base_of(metric) == model.base_of(previous.metric)
                or metric in ("customers", "companies")  # "and for EMEA accounts only?": their deals
            )
            and (not previous.list_records or of_those)
        ):  # "just for EMEA deals?" after the sales cycle: the same measure, only those deals
            if model.base_of(metric) != model.base_of(previous.metric):  # "accounts" named no grouping
                self.mentions = [m for m in self.mentions if m.phrase not in CUSTOMER_WORDS]
            return followup.refine(self, previous, periods, grain, thresholds, limit, rank_order)
        if metric is not None and previous is not None and self._owners_of_previous(metric, previous):
            return followup.refine(self, previous, periods, grain, thresholds, limit, rank_order)
        if metric is None:
            metric = self._metric_from_values() or self._metric_from_dimensions() or self._metric_from_verbs()
        if metric is None and OWNER_OF.search(self.raw) and self._names_a_customer():
            metric = "companies"  # "who's the owner on Acme": the account, with its owner
            self.account_owner = True
        if metric is None:
            return self._not_understood()
        if metric in ("customers", "companies") and _WHICH_ACCOUNTS_HAVE.match(self.raw):
            # "which customers have open tickets": the records a value names ("open tickets"), per account
            of_records = self._metric_from_values()
            table = model.base_of(of_records) if of_records else None
            # (not leads: a lead has an account only once converted)
            accounts_own = table not in (None, "companies", "customer_insights", "leads")
            if accounts_own and "company_id" in model.sql_tables[table].c:
                metric = of_records
        counted_accounts = _HOW_MANY_ACCOUNTS.search(self.raw) and model.base_of(metric) not in (
            "companies",
            "customer_insights",
        )
        if counted_accounts and "company_id" not in model.sql_tables[model.base_of(metric)].c:
            label = model.metric(metric).label
            return Refusal(  # "how many customers have open leads": leads name a company, not an account
                f"I can give {label} in total, but {model.base_label(model.base_of(metric))} are not kept per "
                f"account, so I can't count the customers that have any.",
                [label],
                kind="unknown",
            )
        ranked_records = self._records_ranked_by_column(metric, metric_mentions, limit, rank_order)
        if ranked_records is not None:
            metric, sort_column = ranked_records
        else:
            sort_column = None
        if previous is not None:
            reading = followup.records_behind(self, previous, metric, periods.period)
            reading = reading or followup.rank_previous_records(self, previous, metric, limit, rank_order)
            reading = reading or followup.add_column_to_list(self, previous, metric)
            if reading is not None:
                return reading
            if self.follow.any:
                metric = followup.keep_previous_metric(self, previous, metric)
        # (a count already shown beside the amount stays beside it: "number of payments and the total")
        swapped = self._amount_of(metric)
        if swapped not in also:
            metric = swapped
        base = model.base_of(metric)
        query = Query(metric=metric, period=periods.period, compare_to=periods.compare_to, also=also)
        # "overdue invoices by region - count and $", "w/ amounts"; "what did we invoice in April, and how
        # many invoices was that?": the same records' amount, or their count, side by side
        chosen = model.metric(metric)
        counted = chosen.count_metric if chosen.format == "money" else None
        if counted is None and chosen.aggregate == "avg" and _RECORDS_WITH_AVG.search(self.raw):
            # "open leads per rep on my team, with avg score": the records counted, their average beside
            counted = followup.count_of(chosen, base, query)
            companions_said = _RECORDS_WITH_AVG
        else:
            companions_said = _WITH_COUNT
        if counted is None and chosen.aggregate == "avg" and _WITH_COUNT.search(self.raw):
            counted = followup.count_of(
                chosen, base, query
            )  # "... number of accounts and the avg churn probability"
        averaged = _average_of(chosen) if _WITH_AVERAGE.search(self.raw) else None
        # "how much is in the 90+ bucket, and how many invoices is that": the amount asked first, with the count
        amount_first = (
            chosen.amount_metric if chosen.format == "count" and _HOW_MUCH_FIRST.match(self.raw) else None
        )
        companions = (
            (chosen.amount_metric, _WITH_AMOUNTS),
            (counted, companions_said),
            (amount_first, _WITH_COUNT),
            (averaged, _WITH_AVERAGE),
        )
        # "deals we lost in feb w/ amount + reason": columns of the records listed, not a count and an amount
        columns_of_records = len(self.columns_asked) >= 2 and any(
            # ("... broken out by method: method, # payments, total $": the split's own column is no record's)
            c not in _FIGURE_WORDS and not re.search(rf"\b(?:by|per)\s+{re.escape(c)}\b", self.raw)
            for c in self.columns_asked
        )
        # "deals closed won this week + amounts", "my open deals closing in March, with amounts": each record
        # with its amount (a split or a count asked keeps the amount beside the count)
        each_amount = (
            _RECORD_AMOUNTS.search(self.raw)
            and chosen.format in ("count", "money")
            and model.lists.get(base) is not None
            and not dims_from_metrics
            and not any(s.kind == "dim" for m in self.mentions for s in m.senses)
            and not grain
            and not self.has_marker("count")
            and not self.has_marker("group")
        )
        if each_amount:
            companions = ()
            query.list_records = True
        for companion, asked in companions:
            said = None if columns_of_records else asked.search(self.raw)
            outside = self.raw[: said.start()] + self.raw[said.end() :] if said else self.raw
            # "... and what are they worth": that "what are" asks for the amount, not for a list
            lists = any(re.search(rf"\b{re.escape(m.phrase)}\b", outside) for m in self.markers("list"))
            # ("which of my accounts have overdue invoices? with amounts": "which" picks the accounts, each with both)
            lists = lists and not _WHICH_ACCOUNTS_HAVE.match(self.raw)
            if companion and said and not (query.also or sort_column or lists):
                later = self._values_only_after(said.start())
                if later:
                    # "avg health across all customers, and how many accounts are flagged high churn risk?": the
                    # second ask has a filter of its own; one answer would narrow the first ask too
                    return Refusal(
                        f'That\'s two questions: "{later[0]}" belongs to the second only, and one answer would apply '
                        "it to both. Ask them one at a time.",
                        [],
                        kind="unknown",
                    )
                query.also = [companion]
        if sort_column:
            query.sort_column, query.list_records = sort_column, True
        self.ranked = (
            limit is not None or rank_order is not None or self.has_marker("desc") or self.has_marker("asc")
        )
        refusal = self._apply_words(query, base, dims_from_metrics, metric_mentions)
        if refusal:
            return refusal
        if query.also == [model.metric(query.metric).amount_metric] and any(
            f.dimension == "aging_bucket" for f in query.filters
        ):
            query.also = [
                "outstanding"
            ]  # "how much is in the 90+ bucket, and how many invoices": what is owed there
        _metric_of_value(query)
        rated = model.metric(query.metric)
        if rated.aggregate == "rate" and rated.rate_value is not None:
            # "disqualification rate by source (disqualified / all leads created)": the rate's own numerator
            # named, no filter (filtered, every rate would be 100%)
            query.filters = [
                f
                for f in query.filters
                if f.negate
                or model.dimension_columns.get(f.dimension, {}).get(base) != rated.column
                or [str(v) for v in f.values] != [str(rated.rate_value)]
            ]
        period = query.period
        if (
            period is not None
            and period.start == period.end == self.today
            and model.metric(query.metric).snapshot
        ):
            query.period = None  # "total receivables today": what is owed now, not what was issued today
            self.notes.append("as of today")
        if (
            query.metric == "deals_won"
            and not metric_mentions
            and not query.list_records
            and not self.has_marker("count")
            and re.search(r"\bclosed\s+won\b", " ".join(self.tokens))
        ):
            # "team cw QTD", "total closed won this quarter": the amount won, as sales says it
            query.metric = "bookings"
        _lost_by_reason(query)
        if grain:
            query.group_by.insert(0, f"time:{grain}")
        self._rank_the_team(query, base)
        self._apply_rank(query, limit, rank_order)
        self._rank_per_record(query, base)
        self._apply_aggregate(query)
        if counted_accounts:  # "how many customers have something overdue": the accounts, each once
            query.aggregate, query.list_records, query.order, query.limit = "accounts", False, None, None
            # "... how many customers have something overdue altogether": a count beside it is the accounts' count
            query.also = [a for a in query.also if model.metric(a).format != "count"]
            if (
                query.also
            ):  # "... and what is the overdue amount": one count of accounts, not two measures counted
                return Refusal(
                    f"That's two questions: how many accounts, and the {model.metric(query.also[0]).label}. I answer "
                    "one at a time: ask the first, then the other.",
                    [],
                    kind="unknown",
                )
        self._apply_comparisons(query, thresholds, base)
        self._count_above(query, base)
        query.owner = self.owner if isinstance(self.owner, Owner) else None
        conditions = self.record_conditions(base)
        if isinstance(conditions, Refusal):
            return conditions
        query.conditions = conditions
        records_of_conditions(query)
        if query.metric == "companies" and any(rc.kind == "not_contacted_days" for rc in query.conditions):
            query.metric = (
                "customers"  # "accounts we haven't contacted in 30 days": customers, as the contract says
            )
        if base == "activities" and any(rc.kind == "not_contacted_days" for rc in query.conditions):
            return Refusal(  # "between calls - which of my customers haven't been contacted in 45 days?"
                'Not contacted in a number of days is about accounts, and I read activities here ("'
                + ", ".join(f.values[0] for f in query.filters if f.dimension == "activity_type")
                + '"). Ask for the accounts alone, e.g. "my customers not contacted in 45 days".',
                kind="unknown",
            )
        self._apply_focus(query, base)
        if previous is not None and self.follow.any:
            lost = followup_carry.period_that_defines_records(previous, query)
            if lost is None and self.follow.refers and _THOSE_RECORDS.search(self.raw):
                lost = followup_carry.records_picked_elsewhere(previous, query)
            if lost is not None and self.follow.refers:
                return Refusal(
                    f"I can't narrow {model.metric(query.metric).label} to the previous answer's "
                    f"{model.metric(previous.metric).label} ({lost.label}) yet: that date belongs to the records, "
                    f"and without it I'd give the figure for all of them. Ask for the list with its columns, "
                    f'e.g. "{model.metric(previous.metric).label} {lost.label}".',
                    kind="unknown",
                )
            self.notes += followup_carry.carry(self, previous, query, periods)
            self.shape = previous.list_records
            accounts = ("companies", "customer_insights")
            if (
                previous.list_records
                and model.base_of(previous.metric) in accounts
                and base not in accounts
                and not query.group_by
                and _WHICH_OF_THEM.search(self.raw)
                and model.dimension_for("customer", base)
            ):
                # "which of them have overdue invoices" after a list of accounts: those accounts, each with
                # its overdue invoices, not the invoices
                self.shape, query.group_by = False, ["customer"]
        elif previous is not None and self._short_follow_up(query, previous):
            # "how many converted" after "event leads this year": a few words, nothing of their own
            if model.base_of(query.metric) == model.base_of(previous.metric):
                # "$ value lost to price?" after lost deals by reason: a row of that split, same period
                row_of_split = bool(query.filters) and all(
                    f.dimension in previous.group_by for f in query.filters
                )
                if (
                    (not query.filters or row_of_split)
                    and not query.conditions
                    and not model.metric(query.metric).snapshot
                ):
                    self.notes += followup_carry.carry(self, previous, query, periods)
            else:  # "any unpaid invoices?" after one account's revenue: that account's
                self.notes += followup_carry.carry_account(previous, query)
        elif previous is not None:
            self.notes += followup_carry.drill_down(previous, query)
        self._keep_shown(query, base)
        if (
            previous is not None
            and self.follow.refers
            and ONE_FIGURE.search(self.raw)
            and not query.group_by
            and query.metric == previous.metric
            and followup.over_passing_groups(previous, query, OVER_GROUPS)
        ):  # "the combined overdue for just those EMEA ones" after the accounts owing more than 100k overdue
            self.notes.append("summed over the groups of the previous answer that pass its bound")
        self._this_person(query, base)
        someone = re.search(r"\b(?:he|she|him|his|her|hers)\b", self.raw)
        if (
            someone
            and query.owner is None
            and not any(f.dimension in ("rep", "customer", "team") for f in query.filters)
            and "rep" not in query.group_by
            and not (previous is not None and any(f.dimension == "rep" for f in previous.filters))
        ):
            # "list the accounts he owns" with no one named before: never everyone's
            return Refusal(
                f'Who is "{someone.group(0)}"? Name the person, e.g. "accounts owned by Jane Doe".',
                [],
                kind="clarify",
            )
        self._single_record(query, base)
        if self.account_owner:
            query.group_by, query.order, query.limit, query.list_records = [], None, None, True
        self._records_with_column(query, base)
        if (
            _WHICH_ACCOUNTS_HAVE.match(self.raw)
            and not (
                self.columns_asked
                or (
                    re.search(r"\b(?:amounts?|values?|how\s+much)\b|\$", self.raw)
                    and not re.search(r"\beach\b", self.raw)
                )
            )
            and base not in ("companies", "customer_insights")
            and not query.group_by
            and not query.columns
            and model.dimension_for("customer", base)
        ):
            # "which high churn risk customers have overdue invoices?": the accounts (each with its count),
            # also where the account word is part of a value ("high churn risk customers")
            query.group_by = ["customer"]
        which = _WHICH_ACCOUNTS_HAVE.match(self.raw)
        if (
            which
            and query.group_by[:1] == ["customer"]
            and query.limit is None  # (a ranking, "which 5 customers owe us the most", counts every account)
            and base not in ("companies", "customer_insights")
            and re.search(r"\b(?:customers|clients|custs)\b", which.group(0))
            and model.dimension_for("lifecycle_stage", base)
            and not any(f.dimension == "lifecycle_stage" for f in query.filters)
        ):
            # "EMEA customers we haven't touched in 90 days that still have an open balance", "which customers have
            # more than 3 overdue invoices": customers are the accounts in the customer stage (the contract's word),
            # not churned ones still owing
            query.filters.append(Filter("lifecycle_stage", ["customer"]))
        if (
            _ABOUT_WHAT.search(self.raw)
            and base in ("support_tickets", "activities")
            and not query.compare_to
        ):
            # "unresolved high priority tickets - which accounts and what about": each ticket, with its subject
            query.group_by, query.list_records, query.order, query.limit = [], True, None, query.limit
        self._decide_list(query, thresholds)
        if query.columns and query.group_by and not query.list_records:
            # "top 10 customers by LTV, with their churn risk": a column of each account is one more grouping
            for column in list(query.columns):
                if model.dimension_for(column, base) is not None and column not in query.group_by:
                    query.group_by.append(column)
                    query.columns.remove(column)
        if (
            query.list_records
            and model.metric(query.metric).format == "rate"
            and model.metric(query.metric).aggregate not in ("avg", "max", "min")
            and not self.columns_asked
        ):
            # "out of all the deals we wrapped up, what share did we win": the rate, never the deals listed
            query.list_records = False
        if "why" in self.tokens or re.search(r"\bwhy\b", self.raw):
            refusal = self._apply_why(query, base)
            if refusal:
                return refusal
        elif query.list_records and lists_lost_deals(query):
            self._add_reason_column(query, base)
        rank_open_records(query, base)
        most_recent_first(query, self.raw)
        _use_insights_for_risk(query)
        if not ONE_FIGURE.search(self.raw):
            each_named_account(query)
        self._current_customers(query)
        _status_named_overrides(query)
        _whole_period_ahead(query)
        self._month_ahead(query)
        first = re.search(
            r"\b(oldest|earliest|newest|latest)\s+(?:first|on\s+top|at\s+the\s+top)\b", self.raw
        )
        if first and query.list_records and not query.sort_column and not query.limit:
            # "high-priority tickets in status open: company, subject, created date, oldest first": by their date
            listed = model.lists.get(base)
            overdue = base == "invoices" and (
                query.metric in ("overdue_invoices", "overdue_amount") or DAYS_OVERDUE in query.columns
            )
            if overdue:  # "my overdue invoices ... days past due, oldest first": the longest overdue first
                query.sort_column = "invoices.due_date"
                query.order = "asc" if first.group(1) in ("oldest", "earliest") else "desc"
            elif listed is not None and listed.age:
                query.sort_column = listed.age
                query.order = "asc" if first.group(1) in ("oldest", "earliest") else "desc"
        aged = self.markers("aged")
        if aged and not first and not (query.list_records and query.sort_column):
            # "... and whats the oldest due date on it": no figure of ours is the oldest of anything; the records,
            # oldest first, would show it
            word = aged[0].phrase
            return Refusal(
                f'I can\'t give "{word}" as a figure: I can list the records {word} first instead, e.g. '
                f'"{model.base_label(base)} for Acme, {word} first".',
                [],
                kind="unknown",
            )
        refusal = self._created_when(query) or self._check(query)
        if refusal:
            return refusal
        return Reading(query, self.notes + self._ignored_note())

    def _measure_asked_as_column(self, metric: str | None, also: list[str]) -> list[str]:
        """ "top 5 EMEA customers by LTV and their health scores": a measure of the same records, named as the
        one column closing the question, is shown beside the one ranked (never dropped with the column words)."""
        if metric is None or len(self.columns_asked) != 1 or also:
            return also
        model = semantic.model()
        if model.metric(metric).format == "count":
            return also  # a list of records shows its own columns
        named = [
            s.name
            for s in lexicon().get(self.columns_asked[0], ())
            if s.kind == "metric" and s.name not in GENERIC_METRICS and s.name != metric
        ]
        named = [
            n
            for n in named
            if model.base_of(n) == model.base_of(metric) and model.metric(n).format != "count"
        ]
        return named[:1] or also

    # ---- one row or every row, counts

    def _singular_subject(self) -> bool:
        """ "which rep won the most" / "who owes the most" ask for one row; "... for each source" asks
        for every row."""
        if re.search(r"\b(?:for\s+)?(?:each|every|per)\s+[a-z]+", self.raw):
            return False
        return self._one_subject()

    def _one_subject(self) -> bool:
        if re.search(
            r"\bwhich\s+(?:of\s+(?:my|our|the|those|these|askers)\s+)?[a-z]+\s+(?:has|is|was|had)\s+(?:got\s+)?the\s+"
            r"(?:highest|lowest|best|worst|biggest|largest|most|least|smallest)\b",
            self.raw,
        ):
            return True  # "which of my leads has the highest score?": one
        if self.has_marker("who") or self.which_time:
            return True
        for m in self.mentions:
            if (
                any(s.kind == "dim" for s in m.senses)
                and m.start > 0
                and self.tokens[m.start - 1] in ("which", "what")
            ):
                return not m.phrase.endswith("s")
        return False

    def _asks_count(self) -> bool:
        """ "how many", "number of", "#": the question counts."""
        return self.has_marker("count") or bool({"number", "#"} & set(self.tokens))


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
    r"\bth(?:at|is)\s+(?:account|customer|client|company)\b(?!\s+(?:called|named)\b)"
)
_HOW_MANY_ACCOUNTS = re.compile(
    r"(?:^|(?<=[-–—,;:.!?])|\bme\s+)\s*(?:and\s+|so\s+|then\s+)?how\s+many\s+(?:of\s+(?:our|my|the|my\s+team'?s|our\s+team'?s)\s+)?"
    r"(?:current\s+|active\s+|existing\s+)?(?:customers|accounts|companies|clients)\s+(?:have|has|had|with|are\s+(?:behind|late|overdue))\b"
)
_ASKS_A_SPLIT = re.compile(
    r"\b(?:by|per|each|split|break\s+(?:it\s+|that\s+|this\s+)?down|grouped|broken\s+down)\b"
)
_THOSE_RECORDS = re.compile(
    r"\b(?:those|these|them|they|their)\b(?!\s+(?:days|months|weeks|periods?|quarters?|years?)\b)"
)
_CAME_IN = re.compile(r"\b(?:came|come|coming|comes)\s+in\b")


def _listed_values_as_grouping(text: str) -> str:
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
    return text


def _compatible(metric: str, other: str) -> bool:
    """Measures of the same kind over the same table (outstanding and the overdue amount)."""
    model = semantic.model()
    a, b = model.metric(metric), model.metric(other)
    return model.base_of(a) == model.base_of(b) and a.format == b.format


def _use_insights_for_risk(query: Query) -> None:
    """ "customers at high churn risk" are the companies the insights job scored, whatever their stage;
    "which of my accounts are flagged high churn risk" lists them with their risk and probability."""
    insight_dims = {"churn_risk"}
    if query.metric == "customers" and any(f.dimension in insight_dims for f in query.filters):
        query.metric = "scored_customers"
    if query.metric == "companies" and any(f.dimension in insight_dims for f in query.filters):
        query.metric = "scored_customers"  # only current customers have a churn risk
    if query.metric == "customers" and "churn_risk" in query.group_by:
        query.metric = "scored_customers"


def _status_named_overrides(query: Query) -> None:
    """ "every invoice waiting on approval": a status named outright, outside the measure's own
    statuses (invoiced counts sent and paid), asks for those records, so the same measure without
    that condition (every invoice's total), never an empty answer."""
    model = semantic.model()
    current = model.metric(query.metric)
    base = model.base_of(current)
    for f in query.filters:
        column = model.dimension_columns.get(f.dimension, {}).get(base)
        own = [c for c in current.conditions if c.column == column and c.op in ("eq", "in")]
        if f.negate or not own:
            continue
        allowed = {str(v) for c in own for v in ([c.value] if c.op == "eq" else c.value)}
        if {str(v) for v in f.values} & allowed:
            continue
        plain = [
            m
            for m in model.metrics
            if m.base == base
            and m.aggregate == current.aggregate
            and m.column == current.column
            and not any(c.column == column for c in m.conditions)
        ]
        if plain:
            query.metric = plain[0].name


def _whole_period_ahead(query: Query) -> None:
    """For dates in the future (expected close), "this quarter" is the whole quarter, not up to today."""
    metric = semantic.model().metric(query.metric)
    period = query.period
    if not metric.forward_looking or period is None or not period.label.startswith("this "):
        return
    grain = period.label.split(" ", 1)[1]
    if grain in ("week", "month", "quarter", "year") and period.start:
        start, end = whole_period(period.start, grain)
        query.period = Period(start, end, period.label)
