"""Rewrites every later step of reading must see, made on the question as typed (before it is lowered): "how much
do churned accounts still owe us" (owed by them), "(sent ones)" (a status), "ytd ... (jan 1 - may 29)" (those dates),
"what did we win last week" (the deals), "the full AR aging instead" (what is owed by bucket). Reader rules that look
at the raw text read these, where the later phrasing rewrites only change the working text."""

from __future__ import annotations

import re

_MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?)"
)
# a period as people name one: "April", "last quarter", "Q3 2025", "2024", "this month"
_A_PERIOD = (
    rf"(?:(?:in|for|during)\s+)?(?:{_MONTH_WORD}(?:\s+(?:19|20)\d{{2}})?|q[1-4](?:\s+(?:19|20)\d{{2}})?|(?:19|20)\d{{2}}|"
    r"(?:last|this|previous|prior)\s+(?:week|month|quarter|qtr|q|year|yr))"
)
# "how much did we invoice in april - sorry, I meant March": the period corrected, not two periods
_PERIOD_CORRECTED = re.compile(
    rf"^(?P<q>.*?)\s*{_A_PERIOD}(?P<after>[^-—–,;.!?]*?)\s*[-—–,;.!]+\s*(?:(?:no|nope|sorry|sry|oops|wait|my\s+bad|"
    rf"actually)\b[\s,.!-]*)+(?:i\s+meant\s+|i\s+mean\s+)?(?:just\s+|only\s+)?(?P<x>{_A_PERIOD}(?:\s+so\s+far)?)\s*"
    r"(?:i\s+mean(?:t)?\s*)?"
    # ("... in Q3 - sorry, Q4 I mean. in days": a sentence after it is still the question's)
    rf"(?:instead|not\s+[\w\s]+)?(?P<tail>[.!?]+\s+[^-—–.!?]{{1,40}}?)?[.!?]*\s*$",
    re.I,
)


# "collections oct 2026 vs oct 2025.. wait no, november. nov 2026 vs nov 2025": the comparison said again, meant
_COMPARISON_SAID_AGAIN = re.compile(
    rf"^(?P<q>.*?)\s*{_A_PERIOD}\s+(?:vs\.?|versus|against)\s+{_A_PERIOD}\s*[-—–,;.!…]*\s*(?:(?:no|nope|sorry|sry|oops|"
    rf"wait|my\s+bad|actually)\b[\s,.!-]*)+(?:i\s+meant?\s+)?[^.;!?]{{0,20}}?[.;,!]\s*"
    rf"(?P<new>{_A_PERIOD}\s+(?:vs\.?|versus|against)\s+{_A_PERIOD})",
    re.I,
)


# rewrites every later step must read, the raw text's own included (they run on the question as typed)
_AS_TYPED: tuple[tuple[re.Pattern, object], ...] = (
    # "split those by region" after a list: the same records, counted by region
    (
        re.compile(
            r"\b(split|break\s+down|break|group|divide|slice)\s+(?:those|them|these|that|this|it|em)\s+"
            r"(?:up\s+|down\s+|out\s+)?(by|per)\b",
            re.I,
        ),
        r"\1 \2",
    ),
    # "is support getting faster? avg hours to resolve tickets ...", "could slow support be part of it? ...", "why do
    # you think that is? how many tickets ...": a question of yes or no (or why) before the one asked, which the
    # figure answers
    (
        re.compile(
            r"^\W*(?:(?:is|are|was|were|has|have)\s+(?:our\s+|the\s+)?[a-z]+\s+(?:getting|gotten|been|becoming)\s+(?:any\s+)?"
            r"(?:faster|slower|better|worse|quicker)|"
            # "are we closing faster? sales cycle this qtr compared to last qtr"
            r"(?:are|is|were|was)\s+(?:we|they|our\s+[a-z]+)\s+[a-z]+ing\s+(?:[a-z]+\s+){0,3}?(?:any\s+)?"
            r"(?:faster|slower|better|worse|quicker)"
            r"(?:\s+or\s+(?:faster|slower|better|worse|quicker))?(?:\s+(?:lately|recently|now))?|(?:could|might|can|would)\s+[\w\s]{1,30}?\s+be\s+(?:part\s+of|behind|"
            r"the\s+reason\s+for|why)\s+(?:it|this|that)|why\s+(?:do\s+you\s+think\s+)?(?:that(?:'s|\s+is)|is\s+that))\s*\?\s*"
            r"(?=\S)",
            re.I,
        ),
        "",
    ),
    # "whats the billed figure behind that, i.e. invoiced over the last 90 days": what follows says it again
    (re.compile(r"(?:(?<=\s)|(?<=^)|(?<=[,(]))i\.\s?e\.?(?=[\s,])", re.I), " "),
    # "how much do churned accounts still owe us?": what is owed by those accounts (not how many churned)
    (
        re.compile(
            r"\bhow\s+much\s+(?P<over>overdue\s+|past\s+due\s+)?(?:do|does|did)\s+(?:our\s+|the\s+|all\s+)?(churned|former|lost|ex-?)\s*"
            r"(accounts?|customers?|clients?|companies)\s+(?:still\s+)?(owe|pay|paid)\b(?:\s+us\b)?(?P<that>\s+that(?:'s|s|\s+is)\s+"
            r"(?:overdue|past\s+due))?",
            re.I,
        ),
        lambda m: (
            f"how much {'overdue ' if m.group('over') or m.group('that') else ''}is "
            f"{'still owed' if m.group(4).lower() == 'owe' else 'revenue'} from {m.group(2)} {m.group(3)}"
        ),
    ),
    # "any of my churned accounts still owe us money?", "churned companies that still owe us more than 20k": what each
    # of those accounts owes (the accounts, by lifecycle stage), never how many churned
    (
        re.compile(
            # ("any of my churned accounts ...": "my" stays before it, and says whose)
            r"\b(?:any\s+of\s+)?(?:our\s+|the\s+)?(?:churned|former|lost|ex-?)\s*(?:accounts?|customers?|clients?|companies)\s+"
            r"(?:that\s+|which\s+|who\s+)?(?:still\s+)?(?:owe|owes|owing)(?:\s+us)?(?:\s+(?:any\s+)?money)?\b",
            re.I,
        ),
        "how much is still owed from churned accounts, by customer,",
    ),
    # "Finance flagged some of my accounts as past due. Which ones, and how much does each owe?": which accounts
    (
        re.compile(
            r"\b(?P<noun>accounts|customers|clients)\b(?P<middle>[^?]{0,80}?[.!;:-]\s*)which\s+ones\b", re.I
        ),
        lambda m: f"{m.group('noun')}{m.group('middle')}which {m.group('noun')}",
    ),
    (_COMPARISON_SAID_AGAIN, lambda m: f"{m.group('q')} {m.group('new')}"),
    (_PERIOD_CORRECTED, lambda m: f"{m.group('q')} {m.group('x')}{m.group('after')}{m.group('tail') or ''}"),
    # "What are the five largest open invoices by balance? Include the customer name.": a column of each record
    (
        re.compile(
            r"\s*[.?!]\s*(?:please\s+|pls\s+)?(?:include|add|show|give\s+me)\s+(?:the\s+)?(customer|account|company|"
            r"client|rep|owner)(?:'s)?\s+names?\b(?:\s+too|\s+as\s+well)?",
            re.I,
        ),
        lambda m: f", with the {m.group(1)} name",
    ),
    # "count of high-risk customers per sales team (team of the account owner)": a gloss that starts with the word it
    # explains says nothing more (the owner's team is what "team" is)
    (re.compile(r"\b([a-z]{3,})\s*\(\s*(?:the\s+|i\.?e\.?\s+|ie\s+|meaning\s+)?\1s?\b[^()]*\)", re.I), r"\1"),
    # "which one's been overdue longest", "which invoice has been past due the longest": the oldest overdue invoice
    (
        re.compile(
            r"\b(?:which|what)\s+(?:one|invoice|bill)(?:'s|’s|\s+is|\s+has)?\s+(?:been\s+)?(?:overdue|past\s+due|late|"
            r"unpaid|outstanding)\s+(?:the\s+)?longest\b",
            re.I,
        ),
        # ("which one" is one of the invoices just shown: of those, so the list's owner and filters stay)
        lambda m: f"which {'of those ' if ' one' in m.group(0).lower() else ''}is the oldest overdue invoice",
    ),
    # "which one's been waiting longest? (earliest issue date)": the oldest of the records shown
    (
        re.compile(
            r"\b(?:which|what)\s+one(?:'s|’s|\s+is|\s+has)?\s+(?:been\s+)?(?:waiting|sitting|pending|open|stuck)\s+"
            r"(?:the\s+)?longest\b",
            re.I,
        ),
        "which is the oldest one",
    ),
    # "how many did we end up disqualifying", "leads that ended up converting": the status they reached
    (
        re.compile(
            r"\b(?:end(?:ed)?\s+up|went\s+on\s+to|go\s+on\s+to)\s+(?:being\s+)?(convert|disqualif)\w*", re.I
        ),
        lambda m: "converted" if m.group(1).lower() == "convert" else "disqualified",
    ),
    # "how much overdue is sitting with accounts that have already churned": churned accounts, whose the money is
    # ("customers that churned this month" lists them, read as before)
    (
        re.compile(
            r"\b(with|from|of|among|for|by|at|on)\s+(?:the\s+)?(accounts|customers|clients|companies)\s+(?:that|who|which)\s+"
            r"(?:have\s+)?(?:already\s+)?churned\b",
            re.I,
        ),
        r"\1 churned \2",
    ),
    # "Q2 vs Q3 (2026)": the year in brackets, said once for both quarters ("Q1 vs Q4 2025" is Q4 2025's alone)
    (
        re.compile(
            r"\b(q[1-4]|h[12])\s+(vs\.?|versus|and|to|or|-)\s+(q[1-4]|h[12])\s*\(\s*((?:19|20)\d{2})\s*\)",
            re.I,
        ),
        r"\1 \4 \2 \3 \4",
    ),
    # "who are the 5 worst offenders on overdue $": the biggest (a late payer is worst for owing most)
    (re.compile(r"\bworst\s+(offenders|payers|debtors|late\s+payers)\b", re.I), r"biggest \1"),
    # "group them by lost reason", "break those down by stage": the records shown, split
    (
        re.compile(
            r"^\W*(?:now\s+|ok\s+|and\s+)?(?:group|bucket|break)\s+(?:them|those|these|it)(?:\s+(?:up|down))?\s+by\b",
            re.I,
        ),
        "by",
    ),
    # "cash collected per month in 2026, month by month": said twice, one split
    (re.compile(r"\b((?:per|by|each)\s+(month|quarter|week|year))\b(.*?),?\s*\2\s+by\s+\2\b", re.I), r"\1\3"),
    # "the last-90-days one", "30+ days": the period and the number as written plainly
    (re.compile(r"\b(last|past|next)-(\d+)-(days?|weeks?|months?)\b", re.I), r"\1 \2 \3"),
    # ("not contacted in 30+ days": in 30 days; "sitting open 100+ days" keeps its "+", an age of at least that)
    (re.compile(r"\b(in|within)\s+(\d+)\s*\+\s*(days?|weeks?|months?)\b", re.I), r"\1 \2 \3"),
    # "how much do they owe in total on those 90+ invoices?": the invoices of that aging bucket
    (
        re.compile(
            r"\b(?:over\s+)?90\s*\+(?:\s*days?)?(?:\s+(?:past\s+due|overdue|late))?\s+(invoices|ones|bills)\b",
            re.I,
        ),
        lambda m: f"{m.group(1)} in the 90+ bucket",
    ),
    # "Which churned accounts still owe us more than $10,000, and how much each?": accounts among the churned ones
    (
        re.compile(
            r"\b(which|what)\s+(churned|former|lost|ex-?)\s*(accounts|customers|clients|companies)\s+(still\s+)?(owe|owes)\b",
            re.I,
        ),
        lambda m: f"{m.group(1)} accounts from {m.group(2)} {m.group(3)} {m.group(4) or ''}{m.group(5)}",
    ),
    # "avg deal size ytd vs same period last yr (jan 1 - may 29)": the to-date period, spelt out in brackets
    (
        re.compile(
            r"\b(?:ytd|year[\s-]to[\s-]date|mtd|month[\s-]to[\s-]date|qtd|quarter[\s-]to[\s-]date)\b(?P<middle>[^()]*?)\s*"
            rf"\(\s*(?P<range>{_MONTH_WORD}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\s*(?:-|–|to|through|thru)\s*"
            rf"(?:{_MONTH_WORD}\.?\s+)?\d{{1,2}}(?:st|nd|rd|th)?)\s*\)",
            re.I,
        ),
        lambda m: f"{m.group('range')}{m.group('middle')}",
    ),
    # "payment score looks bad. what have they got overdue": a verdict said before the question, nothing asked
    (
        re.compile(
            r"^[^?.!]{3,60}?\b(?:looks?|seems?|is|are|'s)\s+(?:really\s+|pretty\s+|quite\s+|very\s+|so\s+)?(?:bad|low|high|off|"
            r"weird|wrong|poor|terrible|awful|concerning|worrying|rough|ugly)\s*[.!]+\s+(?=\S)",
            re.I,
        ),
        "",
    ),
    # "For our 5 biggest LATAM customers by LTV, what's the predicted LTV for the next 12 months?": ranked by the
    # first measure, the second beside each (never ranked by the second)
    (
        re.compile(
            r"^\W*for\s+(?:our|the|my)\s+(\d{1,2}\s+)?(?:biggest|largest|top|best|highest)\s+([^,?]{2,60}?)\s+by\s+([^,?]{2,40}?)\s*"
            r"[,-]\s*what(?:'s|s|\s+is|\s+are)\s+(?:the\s+|their\s+)?([^?]{2,80}?)\s*\??\s*$",
            re.I,
        ),
        lambda m: f"top {m.group(1) or ''}{m.group(2)} by {m.group(3)}, with their {m.group(4)}",
    ),
    # "ok now give me the full AR aging instead" after the overdue amount: what is owed by aging bucket, current
    # included (the report's name is a measure and a split, never the overdue part alone)
    (
        re.compile(
            r"(?<!\bin\s)(?<!\bof\s)(?<!\bfrom\s)\b(?:the\s+)?(?:full\s+|whole\s+|complete\s+|entire\s+|(?=[^?]*\binstead\b))(?:ar|a/r|receivables?|"
            r"accounts\s+receivable)\s+aging(?:\s+report)?\b(?!\s+(?:bucket|buckets|band)s?\b)"
            r"(?![^?]*(?:\b(?:number|count|how\s+many|invoices|amounts?)\b|#))",  # (its own columns said: as written)
            re.I,
        ),
        "outstanding by aging bucket",
    ),
    # "what have they got overdue": the overdue invoices they have (what is owed is asked with "how much")
    (
        re.compile(
            r"\bwhat\s+(?:have|has|'ve|'s)\s+(they|he|she|we)\s+(?:got|get)\s+(overdue|outstanding|unpaid|open)\b",
            re.I,
        ),
        lambda m: (
            f"which {m.group(2)} invoices {'does' if m.group(1).lower() in ('he', 'she') else 'do'} {m.group(1)} have"
        ),
    ),
    # "what did we win last week": the deals won (a figure is asked with "how much", "total" or "worth")
    (
        re.compile(
            r"^(\W*(?:so\s+|and\s+|ok\s+|okay\s+)?)what\s+(did|have)\s+(we|i|you|the\s+team|my\s+team)\s+(win|won|close|closed|"
            r"sign|signed|land|landed|lose|lost)\b(?![^?]*\b(?:vs\.?|versus|compared|by|per|total|worth|how\s+much|value|amount|"
            r"sum|each|dollars|bookings|revenue)\b|[^?]*\$)",
            re.I,
        ),
        r"\1which deals \2 \3 \4",
    ),
    # "top 3 months" after revenue by month, "best 2 quarters by bookings": the periods ranked (never "3 months ago")
    (
        re.compile(
            r"\b(top|best|worst|bottom|biggest|highest|lowest|strongest|weakest)\s+(\d{1,2})\s+(month|quarter|week|year)s\b"
            r"(?!\s+(?:ago|back|before|from))",
            re.I,
        ),
        r"\1 \2 by \3",
    ),
    # "For our 5 biggest LATAM-region customers": the region's
    (re.compile(r"\b([A-Za-z]{2,12})-region\b"), r"\1"),
    # "open deals with LATAM accounts that are past their close date": the deals in that region
    (
        re.compile(
            r"\b(deals|opps|opportunities|invoices|tickets|payments)\s+(?:with|on|at|for|from)\s+(?:the\s+)?"
            r"(EMEA|APAC|LATAM|NA|NAM|NAMER|AMER|ANZ|DACH|EU|UK|US)\s+(?:accounts|customers|companies|clients)\b"
        ),
        r"\1 in \2",
    ),
    # "whats outstanding on X, invoice by invoice with due dates": each one listed
    (re.compile(r"\b(invoice|deal|ticket|payment|lead|account)\s+by\s+\1\b", re.I), r"each \1"),
    # "who was the last person in touch with X, and when": their latest activity (who and when are its columns)
    (
        re.compile(
            r"^\W*who\s+(?:was|is|were)\s+(?:the\s+)?last\s+(?:person|one|rep|someone|to)\s+(?:(?:to\s+)?be\s+)?(?:in\s+touch|"
            r"(?:to\s+)?(?:talk|speak|reach\s+out)|who\s+(?:talked|spoke|reached\s+out))\s+(?:with|to)\s+(.+?)"
            r"(?:\s*,?\s*and\s+when)?\s*[?.!]*\s*$",
            re.I,
        ),
        r"the latest activity with \1",
    ),
    # "what invoices went out today? (sent ones)", "(only the paid ones)": that status, said in passing
    (
        re.compile(
            r"\(\s*(?:only\s+|just\s+)?(?:the\s+)?(sent|paid|draft|void|approved|open|resolved|closed|qualified|working|"
            r"converted|disqualified)\s+(?:ones|only)\s*\)",
            re.I,
        ),
        r" with status \1 ",
    ),
    # "how many of my accts are actual customers rn": of those accounts, the ones at the customer stage
    (
        re.compile(
            r"\b(how\s+many\s+of\s+(?:my|our|the|those|these|them|his|her|their)\b[^?]*?\b(?:are|is)\s+)(?:actual|real|"
            r"actually|really|still|now|currently|proper|paying)?\s*(customers|clients)\b",
            re.I,
        ),
        r"\1current \2",
    ),
)


def as_typed(question: str) -> str:
    """The rewrites of ``_AS_TYPED``, on the question as typed."""
    for pattern, replacement in _AS_TYPED:
        question = pattern.sub(replacement, question)
    return question
