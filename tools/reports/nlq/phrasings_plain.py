"""Everyday ways of saying what the reader has words for: a measure ("how much has X paid so far", "what came in"), an
account's records ("any of my accts got overdue invoices? how much", "what payment terms is X on"), and what the asker
will do with the answer ("before I call X tmrw", "we could use to save it"), said in the reader's own words. One step
of ``phrasings.everyday_phrasings``, in its place in that order.
"""

from __future__ import annotations

import re


def plain_words(text: str) -> str:
    """The rewrites, in order, on the lowered question."""
    # "leads still status new, nobody's worked them": what the status says, said again
    text = re.sub(
        r"[,;-]?\s*\b(?:nobody|no\s+one|noone|no-one)(?:'s|\s+has|\s+have)?\s+(?:worked|touched|contacted|called|"
        r"looked\s+at|picked\s+up)\s+(?:them|it|those|these)(?:\s+yet)?\b|[,;-]?\s*\b(?:nobody|no\s+one|noone|no-one)"
        r"(?:'s|\s+has|\s+have)?\s+(?:picked|followed)\s+(?:them|it|those|these)\s+up(?:\s+yet)?\b",
        " ",
        text,
    )
    # "what avg satisfaction score did Acme give our support team": their tickets' satisfaction
    text = re.sub(
        r"\b(?:our|the)\s+support\s+(?:team|desk|folks|people|staff|org|agents?|guys)\b",
        " support tickets ",
        text,
    )
    # "how much has Golden Moon Logic paid so far this year": paid us (what they paid), not paid ads
    text = re.sub(
        r"\b(how\s+much\s+(?:has|have|did)\s+[\w&.,' -]{2,60}?\s+(?:actually\s+|already\s+)?(?:paid|pay))\b"
        r"(?!\s+(?:us|ads|advertising|in\s+full|off)\b)",
        r"\1 us",
        text,
    )
    # "has Osprey Distribution paid anything this month?": what they paid us, not leads from paid ads
    text = re.sub(
        r"\b((?:has|have|did)\s+[\w&.,' -]{2,60}?\s+(?:actually\s+|already\s+)?(?:paid|pay))\s+(anything|something|any\s+money|at\s+all|yet)\b",
        r"\1 us \2",
        text,
    )
    # "which accounts paid by check last week": the accounts that paid us (their payments), not accounts as such
    text = re.sub(
        r"\b((?:which|what)\s+(?:\w+\s+)?(?:accounts|customers|clients|companies)\s+(?:have\s+)?(?:paid|pay))\b"
        r"(?!\s+(?:us|ads|advertising|the\s+most|the\s+least|most|least)\b)",
        r"\1 us",
        text,
    )
    # "give me the aging too" (after DSO): the AR aging, what is owed by bucket
    text = re.sub(
        r"^\W*(?:(?:and|ok|okay|pls|please|also|now|can\s+you|could\s+you)\s+)*(?:give\s+me|show(?:\s+me)?|pull(?:\s+up)?|"
        r"what'?s|whats|what\s+is|send)?\s*(?:the\s+)?(?:ar\s+|a/r\s+)?aging(?:\s+report|\s+buckets?|\s+breakdown)?"
        r"(?:\s+(?:too|as\s+well|also|pls|please|now))?\W*$",
        "outstanding by aging bucket",
        text,
    )
    # "what came in last month, by payment method": the cash that came in
    if not re.search(
        r"\b(?:leads?|tickets?|tix|deals?|opps?|invoices?|customers?|accounts?|signups?|logos)\b", text
    ):
        text = re.sub(r"^(\W*)what\s+(?:came|has\s+come|have\s+come)\s+in\b", r"\1what cash came in", text)
    # "how much did we invoice in sept and how much actually came in": money that came in is cash
    text = re.sub(
        r"\bhow\s+much\s+(?:money\s+)?(?:actually\s+|really\s+)?(?:came|has\s+come|have\s+come)\s+in\b",
        "how much cash came in",
        text,
    )
    # "what payment terms is Eastgate Grid on?": their invoices, by payment terms
    text = re.sub(
        r"\bwhat\s+(?:payment\s+)?terms\s+(?:is|are|does|do)\s+([\w&.,' -]{2,60}?)\s+(?:on|have|get|given)\b",
        r"invoices for \1 by payment terms",
        text,
    )
    # "my leads that are qualified but not converted yet": the status named says it already (qualified leads have
    # not converted), so the words after "but" add nothing
    text = re.sub(
        r"\b(qualified|working|new|contacted)\s+but\s+not\s+(?:yet\s+)?converted(?:\s+yet)?\b", r"\1", text
    )
    text = re.sub(r"\b(sent|issued)\s+but\s+not\s+(?:yet\s+)?paid(?:\s+yet)?\b", r"\1", text)
    # "invoices part paid but still have something left on them": a part-paid invoice has something left by definition
    text = re.sub(
        r"\b((?:part|partly|partially)[\s-]+paid)\s*,?\s*(?:but|and|yet)\s+(?:still\s+)?(?:have|has|having|with|show(?:ing)?)\s+"
        # ("... but still have something outstanding": the measure said, read as it is)
        r"(?:(?:something|some\s+(?:money|balance|amount)|a\s+balance|money|an?\s+(?:amount|remainder))\s+(?:left|remaining|"
        r"open)|an?\s+(?:open\s+|remaining\s+)?balance)(?:\s+on\s+(?:them|it|each))?\b",
        r"\1",
        text,
    )
    # "any open deals with them we could use to save it?": what the asker would do with them
    text = re.sub(
        r"\s+(?:that\s+|which\s+)?we\s+(?:could|can|might|should)\s+(?:use|leverage|push|work\s+on)\b[^?.!]*(?=[?.!]|$)",
        " ",
        text,
    )
    # "any of my accts got overdue invoices? how much": which of them, each with its amount (without "how much", the
    # records themselves: "do any of my accounts have overdue invoices?")
    if re.search(r"\bhow\s+much\b", text):
        text = re.sub(
            r"^(\W*)(?:do\s+|does\s+)?any\s+of\s+(my|our|the|his|her|their)\s+(accounts|accts|customers|custs|clients)\s+"
            r"(?:have|got|has|had|with)\b",
            r"\1which of \2 \3 have",
            text,
        )
    # "and how many did we lose (churn)": the word in brackets says which loss
    text = re.sub(
        r"\b(?:lose|lost|losing)\s*\(\s*(?:to\s+)?(?:churn|churned|churning)\s*\)",
        " churned customers ",
        text,
    )
    # "churn last quarter vs the one before - how many logos": the accounts that churned (logos alone are new ones)
    if re.search(r"\bchurn", text):
        text = re.sub(r"(?<!\bnew\s)\b(?:how\s+many\s+)?logos\b(?!\s+(?:won|signed|added|gained))", " ", text)
    # "did more customers leave us in 2025 than in 2024?": churned ("most likely to leave us" is the churn risk, read
    # elsewhere)
    text = re.sub(
        r"\b(customers|clients|accounts|logos)\s+(leave|leaving|left)\s+us\b(?!\s+(?:next|soon|this|in\s+the\s+next))",
        r"\1 churned",
        text,
    )
    # "before I call Acme tmrw, ...": what the asker will do next, not a kind of activity asked about
    text = re.sub(
        r"\b((?:before|after|when|once|while|until|so\s+that|so)\s+(?:i|we)(?:'ll|\s+will|\s+can)?)\s+(?:call|email|e-mail|"
        r"meet(?:\s+with)?|visit|ring|phone|ping|talk\s+to|speak\s+(?:to|with))\b",
        r"\1 see",
        text,
    )
    # "back from hols, how much have we collected since jul 13?", "... while I was away? (since 13/7)": where the
    # asker was, not what is asked (a period said beside it places the question; without one, "while I was away"
    # stays unread and is asked about)
    text = re.sub(
        r"^\W*(?:(?:hi|hey|morning|ok|so)\W+)*(?:just\s+|i'?m\s+|im\s+)?back\s+(?:from|off)\s+(?:my\s+|the\s+)?(?:hols|holidays?|"
        r"vacation|vacay|leave|pto|break|time\s+off|annual\s+leave|summer\s+break)\b[^a-z0-9]*",
        " ",
        text,
    )
    if re.search(r"\bsince\s+\S|\b(?:last|past)\s+\d+\s+(?:days|weeks)\b", text):
        text = re.sub(
            r"\b(?:while|when)\s+(?:i|we)\s+(?:was|were)\s+(?:away|out|off|on\s+(?:holiday|vacation|leave|pto))\b",
            " ",
            text,
        )
    # "how long are we taking to resolve tickets", "how long does it take us to close tickets": the resolution time
    text = re.sub(
        r"\bhow\s+long\s+(?:are|is|were|do|does|did)\s+(?:we|it|support|the\s+team)\s+(?:taking|take|took|takes)\s+"
        r"(?:us\s+)?(?:to\s+)?(?:resolve|close|fix|solve)\s+(?:our\s+|the\s+|support\s+)?tickets\b",
        "average resolution time of tickets",
        text,
    )
    # "when are they expected to go?" after customers at risk: the predicted churn date of each
    text = re.sub(
        r"^\W*(?:and\s+|so\s+|ok\s+)?when\s+(?:are|r|is|will|would|do|does)\s+(?:they|those|these|them|it|that\s+one|each)\s+"
        r"(?:(?:expected|likely|predicted|going|set|forecast)\s+to\s+)?(?:go|leave|churn|walk|drop\s+off|cancel)\b(?:\s+(?:us|each))?",
        "and their predicted churn dates",
        text,
    )
    # "what do we expect from them over the next 12 months?" after their lifetime value: the predicted 12-month LTV
    text = re.sub(
        r"\b(?:what|how\s+much)\s+(?:do|can|should|would|will)\s+we\s+(?:expect|forecast|project|predict)\s+(?:to\s+(?:get|collect|earn|"
        r"make)\s+)?(?:from\s+(?:them|those|these|it|each|the\s+book|my\s+book|our\s+book))?\s*(?:over|in|for|during)\s+the\s+"
        r"(?:next|coming)\s+(?:12|twelve)\s+months\b",
        "predicted 12-month ltv",
        text,
    )
    # "top 5 high-risk customers by lifetime value, i.e. the ones that would hurt most to lose": said again in words
    # (the "i.e." is gone by now)
    text = re.sub(
        r",?\s*(?:\b(?:ie|aka|that\s+is|in\s+other\s+words)\s*,?\s+)?the\s+ones?\s+(?:that|who|which|we)\s+(?:would|could|we'?d|"
        r"might|will)\s+(?:hurt|cost|sting|matter|be\s+(?:worst|hardest|painful))\b[^?]*",
        " ",
        text,
    )
    # "how many times did people at Acme log into our product": logins (no such data: said so, never contacts)
    text = re.sub(
        r"\b(?:log|logged|logging)\s*(?:in|on)(?:to)?\s+(?:our|the|their|your)\s+(?:product|app|platform|portal|software|tool|"
        r"dashboard|system|account)\b",
        " logins ",
        text,
    )
    # "how many tickets are open or pending right now": the unresolved tickets (those two statuses); after "status"
    # each is read as the status it names
    if re.search(r"\b(?:tickets?|tix|tkts?|cases|support)\b", text):
        text = re.sub(
            r"(?<!status\s)(?<!statuses\s)\b(?:open\s*(?:or|and|/|,|&)\s*pending|pending\s*(?:or|and|/|,|&)\s*open)\b(?!\s+(?:approv|status))",
            "unresolved",
            text,
        )
    # "our overall win rate for Q3. company wide, not per rep pls": one figure, no split ("company wide" is read)
    text = re.sub(
        r"[,.;-]?\s*\bnot\s+(?:per|by|split\s+by|broken\s+(?:out|down)\s+by)\s+(?:rep|reps|person|owner|region|team)s?\b"
        r"(?=\s*(?:pls|please|thx|thanks)?\s*[?.!]*\s*$)",
        " ",
        text,
    )
    # "did collections actually pick up in Q3 or is that just a feeling?": a doubt said, not a question asked
    text = re.sub(
        r"\s*\bor\s+(?:is|am)\s+(?:it|that|this|i)\s+(?:just\s+)?(?:me|a\s+feeling|my\s+imagination|imagining\s+it|noise|"
        r"in\s+my\s+head|a\s+fluke)\b",
        " ",
        text,
    )
    # "can you list everything we've issued Lynx this year": the invoices issued to them
    text = re.sub(
        # ("what we invoiced in Q3" is the amount invoiced, read as it is)
        r"\b(?:everything|all(?:\s+the\s+invoices)?|every\s+invoice)\s+(?:that\s+)?(?:we'?ve|we\s+have|we)\s+(?:issued|billed|invoiced)"
        r"\s+(?:to\s+)?",
        "invoices for ",
        text,
    )
    # "split by region if you can, the regional leads keep asking me": who wants it and how politely, not what
    text = re.sub(
        r",?\s*\b(?:the\s+|my\s+|our\s+)?(?:[\w-]+\s+){0,3}?(?:keeps?|kept)\s+(?:asking|bugging|pinging|chasing)(?:\s+(?:me|us))?"
        r"(?:\s+(?:for|about)\s+(?:it|this|that))?\b",
        " ",
        text,
    )
    text = re.sub(r",?\s*\bif\s+(?:you\s+can|possible|that'?s\s+(?:ok|okay|possible))\b", " ", text)
    # "whats my team's win rate this year so far? and put last year's next to it": against the whole of last year
    text = re.sub(
        r"\?\s*(?:and\s+)?(?:pls\s+|please\s+|can\s+you\s+)?(?:put|add|show|give\s+me|include|stick)\s+(?:the\s+)?last\s+(year|quarter|month)"
        r"(?:'s|s)?(?:\s+(?:number|figure|one|rate|total))?\s+(?:next\s+to\s+it|beside\s+it|alongside(?:\s+it)?|too|as\s+well|"
        r"for\s+comparison)\b",
        r" vs all of last \1?",
        text,
    )
    # "total revnue for the full yr?", "full year revenue vs last year": the whole year, this one
    # ("full-year revenue 2025 vs 2024": the year said after the measure, whole)
    text = re.sub(r"\b(?:the\s+)?full[\s-]+(?:yr|year)\s+(?=(?:[a-z]+\s+){1,2}(?:19|20)\d\d\b)", " ", text)
    text = re.sub(r"\b(?:the\s+)?full[\s-]+(?:yr|year)\b(?!\s*(?:of\s+)?(?:19|20)\d\d)", " this year ", text)
    # "who are the 5 worst offenders there" after an overdue amount: the accounts that owe the most of it
    text = re.sub(
        r"\b(?:worst|biggest|largest|main|top)\s+(?:offenders|culprits|delinquents)\b",
        "accounts owing the most",
        text,
    )
    # "any urgent tickets still unresolved? which accounts": those tickets, each with its account
    text = re.sub(
        r"^\W*(?:are\s+there\s+|do\s+we\s+have\s+|got\s+)?any\s+([^?]*\b(?:tickets|tix|invoices|deals|opps)\b[^?]*)\?\s*(?:and\s+|so\s+)?"
        r"(?:which|what|whose)\s+(?:accounts?|customers?|clients?|companies)(?:\s+(?:are\s+they|is\s+it)\s+(?:for|from|on|with))?"
        r"\s*\??\s*$",
        r"list the \1, with customer",
        text,
    )
    # "the 1-star tickets", "5 star ratings": the satisfaction given
    text = re.sub(
        r"\b([1-5])[\s-]*stars?\b(?:\s+(?:rating|ratings|review|reviews))?", r"satisfaction \1", text
    )
    # "how much is sitting in the 90+ aging bucket?": that bucket
    text = re.sub(
        r"\b(90\s*\+|61\s*-\s*90|31\s*-\s*60|1\s*-\s*30)\s+(?:aging|ageing|ar)\s+bucket\b", r"\1 bucket", text
    )
    # "who closed what this week?": the deals won, each with its rep ("closed a deal", said of a rep, is winning it)
    text = re.sub(
        r"\bwho\s+(?:closed|won|signed|booked|landed)\s+what\b", "list the deals won with rep", text
    )
    # "how'd november revenue do vs nov last year": how it did, the figure itself
    text = re.sub(r"\bhow(?:'d|\s+did)\s+(.{2,60}?)\s+(?:do|go|look|perform|land)\b", r"\1", text)
    return text


def records_then_columns(text: str) -> str:
    """ "which open deals do they have, what stage, how much, and expected close?": the records, with those columns
    ("- stage, amount, expected close"), never the amount by stage. Read on the question as typed."""
    asked = _WHICH_RECORDS_THEN_COLUMNS.match(text)
    if not asked:
        return text
    items = [
        i.strip().lower() for i in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", asked.group("tail")) if i.strip()
    ]
    if len(items) < 2 or not all(_COLUMN_ASKED.fullmatch(i) for i in items):
        return text
    columns = [
        _QUESTION_COLUMN.get(i, re.sub(r"^(?:what|which)\s+(?:is\s+the\s+|'s\s+the\s+)?", "", i))
        for i in items
    ]
    return asked.group("head") + " - " + ", ".join(columns) + asked.group("end")


_WHICH_RECORDS_THEN_COLUMNS = re.compile(
    r"^(?P<head>.*\bwhich\s+(?:[\w-]+\s+){0,2}(?:deals|invoices|tickets|leads|opps|opportunities)\b[^,?]*?)\s*,\s*"
    r"(?P<tail>(?:what|which|how\s+much|how\s+big|expected|due|when)\b[^?]*?)(?P<end>\s*[?.!]*\s*)$",
    re.I,
)
# one column each, said as a question ("what stage", "how much") or as its name ("expected close")
_COLUMN_ASKED = re.compile(
    r"(?:what|which)\s+(?:is\s+the\s+|'s\s+the\s+)?(?:stage|status|amount|owner|rep|priority|source|score)|how\s+much|how\s+big|"
    r"(?:the\s+)?expected\s+close(?:\s+date)?|(?:the\s+)?close\s+date|(?:the\s+)?due\s+date|when\s+(?:they(?:'re|\s+are)\s+)?"
    r"(?:expected\s+to\s+close|due|closing)"
)
_QUESTION_COLUMN = {"how much": "amount", "how big": "amount"}
