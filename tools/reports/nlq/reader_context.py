"""A long message's question after its context ("I have a call with Acme at 3 - how much do they owe us?",
"prepping the APAC review - high churn risk accounts we havent contacted in 30 days?"): where the context ends, what it
adds to the question (a value, a past period, the account "they" stands for), and the question read with it."""

from __future__ import annotations

import itertools
import re
from datetime import date

from tools.reports.nlq.context import measures_named
from tools.reports.nlq.reader_said import Read
from tools.reports.nlq.records import RECORD_NUMBER
from tools.reports.nlq.remarks import check_as_verb
from tools.reports.nlq.types import Reading

_CONTEXT_OPENER = re.compile(
    r"^\W*(?:(?:hey|hi|ok|so|quick\s+one|fyi|morning|afternoon)\W+)*(?:"
    # what the asker is doing
    r"(?:i'?m\s+|we'?re\s+|just\s+)?(?:doing|prepping|preparing|prep|putting\s+together|pulling\s+together|building|writing|"
    r"working\s+on|cleaning\s+up|getting\s+ready\s+for|reviewing|drafting|trying\s+to|about\s+to|want\s+to\s+make\s+sure)\b|"
    r"for\s+(?:the\s+|our\s+|my\s+|an?\s+)?(?:[\w&'-]+\s+){0,4}?(?:planning|review|meeting|call|sync|deck|qbr|report|board|"
    r"prep|1:1|standup|session|post[\s-]?mortem|presentation)\b|"
    # a meeting ahead
    r"(?:i\s+have|i'?ve\s+got|got|have|we\s+have)\s+(?:a|an|my|the|our)\s+(?:[\w-]+\s+){0,3}?(?:call|meeting|qbr|review|sync|"
    r"catch[\s-]?up|1:1|demo|chat|session|standup|check[\s-]?in|presentation)\b|"
    r"(?:[\w&'-]+\s+){0,4}?(?:call|meeting|qbr|review|sync|standup|1:1|session|post[\s-]?mortem|close|planning|deck)"
    r"(?:\s+season|\s+week)?\s+(?:at|in|is|on|this|tomorrow|today|next|with|later|coming|starts?|begins?|kicks?\s+off)\b|"
    r"(?:qbr|meeting|call|sync|review)\s+with\b|"
    # "on a call w/ kinetix emporium at 3 - what do they owe us"
    r"(?:i'?m\s+|we'?re\s+)?(?:on|in|jumping\s+on|hopping\s+on)\s+(?:a|the|my)\s+(?:call|meeting|zoom|qbr)\s+(?:with|w/)|"
    # who asked for it, or what someone said
    r"(?:[\w&'.-]+\s+){1,6}?(?:wants|asked|is\s+asking|asking\s+(?:for|me|about|if|whether)|pinged|emailed|messaged|slacked|"
    r"keeps|needs|is\s+saying|says|mentioned|is\s+worried|are\s+worried|is\s+quoting|just\s+emailed|just\s+asked|"
    r"would\s+like|is\s+coming|are\s+coming|(?:is|are)\s+on\s+(?:the\s+phone|a\s+call))\b|"
    r"(?:i\s+have\s+a\s+theory|my\s+theory|i\s+think|new\s+to|inheriting|renewals\s+are|auditors|got\s+a\s+prospect)\b|"
    # what an account has done or has ("Equinox Borough has an overdue invoice - do we have any open deals with them?")
    # (a name before it, never the records asked about: "High risk customers that have an unresolved ticket - ...")
    r"(?:(?!(?:customers|accounts|companies|clients|custs|deals|invoices|leads|tickets|reps|which|who|that|what|how|any|"
    r"all|our|my)\b)[\w&'.-]+\s+){1,5}?(?:has|have|had|just)\s+(?:an?|some|the|a\s+few|two|three|just|been|paid|signed|churned|"
    r"renewed|wired|sent|asked|called|complained|escalated|\$?\d[\d,.]*\s*[km]?)(?:\b|(?<=[km]))(?=[^?]*\s[-—–]+\s)"
    r")",
    re.I,
)
_CONTEXT_END = re.compile(
    r"\s*[\U0001F300-\U0001FAFF\u2600-\u27BF]+\s*|\s[-—–]+\s|(?<=\S)(?:\.{2,}|…)\s*(?=\S)|(?<=[a-z0-9)'])[.:;!]\s+(?=\S)|,\s+(?=(?:can|could|would|what|whats|what's|how|which|who|pls|please|"
    r"give|show|list|i\s+need|need)\b)|\s+(?:and|so)\s+(?=i\s+(?:need|want|'d\s+like|would\s+like)\b)",
    re.I,
)
_POINTS_AT_THEM = re.compile(
    r"\b(?:they|them|their|theirs|they've|they're|the\s+account|this\s+account|that\s+account|he|him|his|she|her)\b",
    re.I,
)
# the context asks for a measure itself ("CFO asked for our DSO as of today. also give me the invoiced total")
_ASKED_FOR = re.compile(r"\b(?:asked|asking|wants|needs)\s+(?:me\s+)?for\b", re.I)
_MAX_CONTEXT_TRIES = 3
_THE_NUMBER = re.compile(
    r"\b(?:the|that|this)\s+(?:current\s+|latest\s+|actual\s+)?(?:number|figure|value|one)\b|\bit\b", re.I
)


def _adds_meaning(said: str, asked: str, today: date, entities) -> bool:
    """Whether the context says something the question after it doesn't and could be about: a value ("for the EMEA
    board deck: bookings this quarter" is EMEA's) or a past period. A person who asks ("Patricia wants ...") or
    hears it ("a post-mortem for Patricia"), the account "they" stands for and a deadline ("next week", "at 3") don't."""
    from tools.reports.nlq.cues import read_periods
    from tools.reports.nlq.words import find_mentions, tokenize

    def senses(text: str) -> set[tuple[str, str, str]]:
        text = re.sub(
            r"\b(?:sanity|quick|spot|gut|double)[\s-]+check\b",
            " ",
            check_as_verb(text.lower().replace("’", "'")),
        )
        return {
            (sense.kind, sense.name, str(sense.value).lower())
            for m in find_mentions(tokenize(text), entities, set())
            for sense in m.senses
        }

    in_question = senses(asked)
    split_in_question = {name for kind, name, _ in in_question if kind == "dim"}
    # (what someone else said, in quotes: "they're 'basically paid up'")
    unquoted = re.sub(r"(?:^|(?<=\s))['\"‘“][^'\"’”]{2,80}['\"’”]", " ", said)
    for kind, name, _value in senses(unquoted) - in_question:
        # (the person who asks or hears it, the account "they" is, the call or meeting itself, a value of what the
        # question splits by: "net_60 terms are killing our cash. total outstanding by payment terms")
        if (
            kind == "value"
            and name not in ("rep", "customer", "activity_type")
            and name not in split_in_question
        ):
            return True
    own, _ = read_periods(_TIME_OF_DAY.sub(" ", asked.lower()), today)
    if own.period is not None or own.compare_to is not None:
        return False  # ("... a 'collections' line for May ... how much cash did we collect in may?": its own period)
    # (what someone else said, in quotes: "they've 'paid us a fortune this year' lol")
    unquoted = re.sub(r"(?:^|(?<=\s))['\"‘“][^'\"’”]{2,80}['\"’”]", " ", said.lower())
    periods, _ = read_periods(_TIME_OF_DAY.sub(" ", unquoted), today)
    found = [p for p in (periods.period, periods.compare_to, *(periods.ambiguous or [])) if p is not None]
    if not found or (_AHEAD.search(unquoted) and not _PAST.search(unquoted)):
        # "auditors are coming in november": when something will happen, not a period asked about
        return False
    # (a deadline: "next week", "before the end of the month"; when it happens: "half-year close today")
    return any(not (p.start is None or p.start > today or p.start == p.end == today) for p in found)


_PAST = re.compile(r"\b(?:last|previous|prior|this|ytd|so\s+far|ago|since)\b")
_AHEAD = re.compile(
    r"\b(?:coming|comes|will|going\s+to|upcoming|starts?|kicks?\s+off|begins?|tomorrow|next)\b"
)
_TIME_OF_DAY = re.compile(
    r"\b(?:at|by|before|until|in|around)\s+\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.|mins?|minutes?)?\b"
    r"(?!\s*(?:days?|weeks?|months?|years?|%|k\b|m\b))"
)


def has_context(question: str) -> bool:
    """Whether a message opens with context before its question ("I have a call with Acme at 3 - ...")."""
    return bool(_CONTEXT_OPENER.match(question))


def _splits(question: str, tries: int):
    """(the context, the question after it) at each of the first few places a context can end."""
    if not has_context(question):
        return
    for end in itertools.islice(_CONTEXT_END.finditer(question), tries):
        yield question[: end.start()], question[end.end() :].strip()


def _closing_question(question: str) -> tuple[str, str] | None:
    """(the statements, the question) of a message with no opener that closes with one question ("hi all, new in ops
    here ... finance sent me a deck with a 'collections' line for May. how much cash did we actually collect in may?"),
    unless the question points back at what the statements name."""
    last = _LAST_QUESTION.search(question)
    if (
        last is None
        or has_context(question)
        or "?" in question[: last.start()]
        or len(question[: last.start()].split()) < 4
        # ("Finance flagged some of my accounts as past due. Which ones, and how much does each owe?": about them)
        or _POINTS_BACK.search(last.group(1))
    ):
        return None
    return question[: last.start()], last.group(1).strip()


_POINTS_BACK = re.compile(r"\b(?:ones|those|these|each|that|this|it|its|which\s+one)\b", re.I)
# the closing question of a message of sentences: after the last full stop, a question of three words or more
_LAST_QUESTION = re.compile(
    r"(?<=[a-z0-9)'\"])[.!]\s+((?:how|what|what's|whats|which|who|whose|when|where|is|are|do|does|did|can|could|any|"
    r"show|list|give)\b[^.!?]{6,}\?)\s*$",
    re.I,
)


def context_first(question: str, read: Read, entities, today: date) -> Reading | None:
    """ "I have a call with Bramble Montessori at 3 about their renewal - how much do they owe us?": the question
    after the context, read alone ("they" being the one account the context names); None where no question after
    it reads alone, the context asks for a measure of its own, or the question points at someone the context doesn't
    name as one account."""
    closing = _closing_question(question)
    splits = [(said, asked, True) for said, asked in _splits(question, _MAX_CONTEXT_TRIES)]
    for said, asked, opened in splits or ([(*closing, False)] if closing else []):
        asked = re.sub(
            r"^i\s+(?:need|want|'d\s+like|would\s+like)\s+(?:to\s+(?:know|see)\s+)?", "", asked, flags=re.I
        )
        if len(re.findall(r"[a-z]+", asked.lower())) < 2:
            continue
        if _ASKED_FOR.search(said) and measures_named(said, entities) - measures_named(asked, entities):
            wanted = measures_named(said, entities)
            if len(wanted) == 1 and not measures_named(asked, entities) and _THE_NUMBER.search(asked):
                # "Controller asked me for DSO and I don't know how it's computed. what's the current number?": that
                # measure is the number asked
                from tools.reports import semantic

                reading = read(f"{semantic.model().metric(next(iter(wanted))).label}: {asked}")
                if isinstance(reading, Reading):
                    reading.notes.append(f'left aside "{said.strip(" ,;:-—–")[:60]}"')
                    return reading
            return None  # "CFO asked for our DSO as of today. also ...": the DSO is asked too
        if RECORD_NUMBER.search(said):
            return None  # "finance asked me to check INV-2026-02852 - is it actually paid?": that invoice
        if _adds_meaning(said, asked, today, entities):
            if not opened:
                return None  # (statements with no opener that say something of their own: the message is read whole)
            # "prepping the APAC review - high churn risk accounts we havent contacted in 30 days?": APAC's
            return _with_context_values(said, asked, read, entities, today)
        asked = _whose(said, asked, entities)
        if asked is None:
            continue
        reading = read(asked)
        if isinstance(reading, Reading):
            reading.notes.append(f'left aside "{said.strip(" ,;:-—–")[:60]}"')
            return reading
    return None


def _with_context_values(said: str, asked: str, read: Read, entities, today: date) -> Reading | None:
    """The question after a context that names values and nothing else it could be about ("prepping the APAC review
    - ..."), read with those values ("... in APAC"); None where the context names a period, or the reading doesn't
    use every value."""
    from tools.reports.nlq.cues import read_periods
    from tools.reports.nlq.words import find_mentions, tokenize

    def values(text: str) -> dict[tuple[str, str], str]:
        return {
            (sense.name, str(sense.value).lower()): m.phrase
            for m in find_mentions(tokenize(check_as_verb(text.lower())), entities, set())
            for sense in m.senses
            if sense.kind == "value" and sense.name not in ("rep", "customer", "activity_type")
        }

    periods, _ = read_periods(_TIME_OF_DAY.sub(" ", said.lower()), today)
    if periods.period is not None or periods.compare_to is not None:
        return None
    named = values(said)
    own = {name for name, _ in values(asked)}
    places = {"region", "country"}
    if own & {name for name, _ in named} or (own & places and {name for name, _ in named} & places):
        return None  # ("a prospect in Singapore ... - avg deal size in APAC?": the question says where; read in full)
    phrases = list(dict.fromkeys(named.values()))
    # (as written: "APAC", not "apac")
    phrases = [next(iter(re.findall(re.escape(p), said, re.I)), p) for p in phrases]
    if not phrases or len(phrases) > 2:
        return None
    reading = read(asked.rstrip(" ?.!") + " " + " ".join(f"in {p}" for p in phrases) + "?")
    if not isinstance(reading, Reading):
        return None
    used = {f.dimension for f in reading.query.filters}
    if not all(name in used for name, _ in named):
        return None
    reading.notes.append(f'{", ".join(phrases)} from "{said.strip(" ,;:-—–")[:60]}"')
    return reading


def context_split(question: str) -> str | None:
    """The words after a long message's context ("... is quoting an LTV number at me - is LTV predicted?"), or None."""
    return next((asked for _, asked in _splits(question, 1)), None)


def after_context(question: str, entities) -> str:
    """The question a long message asks after its context, its "they" said as the account the context names
    ("I have a call with Acme at 3 - how healthy are they?": "how healthy are Acme?"); the message itself where it
    has no such context."""
    for said, asked in _splits(question, 1):
        asked = _whose(said, asked, entities)
        if asked and len(re.findall(r"[a-z]+", asked.lower())) >= 2:
            return asked
    return question


def _whose(said: str, asked: str, entities) -> str | None:
    """The question with "they" / "their" / "the account" said as the one account the context names; None where it
    points at someone else ("what's his pipeline") or at nobody the context names."""
    from tools.reports.nlq.words import company_mentions, one_company_named

    if not _POINTS_AT_THEM.search(asked):
        return asked
    try:
        if company_mentions(asked, entities):
            return asked  # "who owns Maplewood Biosciences and since when have they been a customer"
        # ("... at 3 and they've been quiet lately": one account named in full; "quiet" starting two names is a word)
        named = {names[0] for _, names in company_mentions(said, entities) if len(names) == 1}
        account = named.pop() if len(named) == 1 else one_company_named(said, entities)
    except Exception:  # noqa: BLE001 - a context's account is a help, never a failure
        return None
    if account is None or re.search(r"\b(?:he|him|his|she|her)\b", asked, re.I):
        return None  # "prepping for my 1:1 with Wei - what's his pipeline": whose, only the whole says
    asked = re.sub(r"\b(?:the|this|that)\s+account\b", account, asked, flags=re.I)
    asked = re.sub(r"\btheir\b", f"{account}'s", asked, flags=re.I)
    asked = re.sub(
        r"\b(?:they've|they're)\b",
        lambda m: f"{account} {'have' if 've' in m.group(0) else 'are'}",
        asked,
        flags=re.I,
    )
    return re.sub(r"\b(?:they|them)\b", account, asked, flags=re.I)
