"""Everyday phrasings said in the engine's own words before a question is read: "no sorry, I meant won
deals" (won deals instead), "who's on the DACH team" (the team's people), "what add-ons do we sell and at
what price" (the catalog), "bills that haven't been paid" (unpaid), "more than 60 days past due" (the
aging buckets past 60 days), "one row per region" (by region), "check it" (the verb, not the payment
method). Each rewrite names the way of asking it reads; none carries a figure or a name."""

from __future__ import annotations

import re
from datetime import date

from tools.reports.nlq.phrasings_plain import plain_words
from tools.reports.nlq.phrasings_words import EVERYDAY_WORDS
from tools.reports.nlq.phrasings_written import AS_WRITTEN, AS_WRITTEN_AFTER_COMPARE
from tools.reports.nlq.remarks import check_as_verb
from tools.reports.timewords import find_grain

# "average sales cycle in days (created -> closed)": how the measure runs, no period on the creation date
CREATED_TO_CLOSED = re.compile(
    r"\(\s*(?:from\s+)?(?:created|creation|opened|open|created\s+date)\s*(?:->|→|to|until|till|-)\s*(?:closed|close|won|"
    r"closed\s+date|close\s+date)\s*\)"
)


# "going by conversion date, not when they were created": the creation date set aside, not asked for
NOT_WHEN_CREATED = re.compile(
    r",?\s*(?:and\s+)?(?:not|rather\s+than|instead\s+of)\s+(?:by\s+)?(?:when|the\s+date)\s+(?:they|it)\s+"
    r"(?:were|was)\s+(?:created|opened|entered)\b",
    re.I,
)


def before_abbreviations(text: str) -> str:
    """Rewrites that read the words as written, before abbreviations and "+" are expanded."""
    # "name, owner and when we last touched them": the last-contacted column
    text = re.sub(
        r"\bwhen\s+(?:we|you|they|i|someone)\s+last\s+(?:touched|contacted|spoke\s+(?:to|with)|talked\s+(?:to|with)|"
        r"heard\s+from|reached\s+out\s+to|had\s+contact\s+with)\s+(?:them|it|each|each\s+one)\b",
        "last contacted",
        text,
    )
    # "leads still new or working", "in working/new status": the status new, named beside another lead status
    # ("new" alone is too common a word to be one)
    statuses = r"(?:working|qualified|converted|disqualified|dq'?d)"
    text = re.sub(rf"\bnew(\s*(?:,|/|\bor\b|\band\b)\s*(?:or\s+)?{statuses}\b)", r"status new\1", text)
    text = re.sub(rf"(\b{statuses}\s*(?:,|/|\bor\b|\band\b)\s*(?:or\s+)?)new\b", r"\1status new", text)
    # "whos behind on my team? q3 bookings per rep": behind the others in a ranking, not overdue on payments
    text = re.sub(
        r"\bbehind\s+(?=(?:on|in)\s+(?:my|our|the|his|her|your|their)\s+(?:team|squad|region|group)\b)",
        "lowest ",
        text,
    )
    # "the UK&I team", "UK & I": one name (the team's initials), never "UK" and "I" (the asker)
    text = re.sub(r"\b([a-z]{2,4})\s*&\s*([b-z])\b(?!\s*&)", r"\1\2", text)  # (not "& a": an article)
    for pattern, replacement in AS_WRITTEN:  # "1,000+ employees", "$100k+", "what did we sign"...
        text = pattern.sub(replacement, text)
    # "split by how customers paid (card, wire, check etc)": examples of the split, not a filter
    if re.search(r"\b(?:by|per|split|broken\s+down|breakdown)\b", text):
        text = re.sub(
            r"\(([^()]{1,80}?)[,\s]*(?:etc\.?|and\s+so\s+on|and\s+the\s+like|\.\.\.|…)\s*\)", " ", text
        )
        # "how did customers pay us - card, bank transfer etc, amounts per method": the same, without brackets
        text = re.sub(
            r"(?:^|(?<=[-—–:]))\s*[a-z][\w ]{0,20}(?:\s*,\s*[a-z][\w ]{0,20})+?\s*,?\s*(?:etc\.?|and\s+so\s+on)(?=\s*[,;:-]|\s*$)",
            " ",
            text,
        )
    # "compare march with february for me", "compare the EMEA teams for me, this quarter vs last": done for the
    # asker, not the asker's records
    text = re.sub(r"(\bcompare\b[^?]*?)\s+for\s+me\b(?=\s*(?:[,;:.!?]|\s-|$))", r"\1", text)
    # "compare bookings for Q3 2026 against Q3 2025": bookings for Q3 2026 vs Q3 2025 (one comparison word)
    text = re.sub(
        r"\bcompare\s+(.{3,80}?)\s+(?:against|versus|vs\.?|with|to)\s+(?=\S)", r"\1 vs ", text, count=1
    )
    for pattern, replacement in AS_WRITTEN_AFTER_COMPARE:  # "closed won $", "the $", "since the start of"...
        text = pattern.sub(replacement, text)
    return _DAYS_PAST_DUE.sub(
        _aging_buckets_past, text
    )  # "more than 60 days past due": the 61-90 and 90+ buckets


def everyday_phrasings(text: str) -> str:
    """The rest, in order (a later rewrite may read what an earlier one wrote)."""
    # "what add-ons do we sell and at what price": the catalog, each product with its list price
    text = _WE_SELL.sub(" products ", text)
    text = _ON_THE_TEAM.sub(r"list the staff of the \1 team", text)  # "who's on the DACH team?"
    text = _PRICE_OF_EACH.sub(" with their list price ", text)
    text = _AT_THIS_POINT.sub(" ", text)  # "how many invoices are overdue at this point?": now
    # "top 10 churn risks in NA", "our biggest churn risks": the accounts most likely to churn, not a split by
    # the churn-risk bands
    text = re.sub(
        r"\b(?:the\s+|our\s+)?(?:top|biggest|largest|highest|worst|main)\s+(\d+\s+)?churn\s+risks\b",
        lambda m: f"top {m.group(1) or ''}customers by churn probability".replace("  ", " "),
        text,
    )
    # "biggest churn risks going into Q1 - top 10 customers by churn probability": when it matters, not a
    # period to filter by
    text = re.sub(
        r"\s+(?:going|heading)\s+into\s+(?:q[1-4]|next\s+(?:quarter|year|month)|the\s+new\s+year|(?:the\s+)?new\s+"
        r"quarter|20\d\d)\s*(?=[-–—:,])",
        " ",
        text,
    )
    # "the emails for everyone we have at Acme", "who do we know at Acme": the account's contacts
    text = re.sub(
        r"\b(?:everyone|everybody|all\s+the\s+people|the\s+people|people|folks|anyone|anybody)\s+(?:we\s+(?:have|know|"
        r"deal\s+with|talk\s+to)\s+)?(?:at|over\s+at|from)\s+(?=[a-z])",
        "contacts at ",
        text,
    )
    text = re.sub(
        r"\bwho\s+(?:do\s+)?we\s+(?:know|have)\s+(?:at|over\s+at)\s+(?=[a-z])", "contacts at ", text
    )
    # "the emails for contacts at Acme", "emails for our contacts at Acme": the contacts, whose list shows the email
    text = re.sub(
        r"\b(?:the\s+)?(?:e-?mails?|e-?mail\s+addresses|email\s+ids|phone\s+numbers|phones)\s+(?:for|of)\s+"
        r"(?:all\s+)?(?:(?:our|the|my|their)\s+)?(?=contacts\b)",
        "",
        text,
    )
    # "does Acme owe us anything": how much they owe
    text = re.sub(
        r"^\W*(?:so\s+|and\s+)?(?:does|do|did)\s+(.{2,60}?)\s+(?:still\s+)?owe\s+(?:us\s+)?(?:anything|any\s+money|money)\b",
        r"how much does \1 owe us",
        text,
    )
    # "who's carrying the team this quarter?": the reps who carry it, not a split by team
    text = re.sub(r"\b(carry(?:ing)?|carries|carried)\s+(?:the|our|my)\s+team\b", r"\1", text)
    # "top 10 accounts by balance more than 90 days past due": ranked by the money owed
    text = re.sub(
        r"\bby\s+(?:the\s+|their\s+)?balances?\b(?=\s+(?:more|over|older|at\s+least|past|\d))",
        "by amount",
        text,
    )
    # "the engagement / payment / support scores": each of those scores, side by side
    text = re.sub(
        r"\b(engagement|payment|support|health)\s*(?:,|/|\band\b|&)\s*(engagement|payment|support|health)"
        r"(?:\s*(?:,|/|\band\b|&)\s*(engagement|payment|support|health))?\s+scores\b",
        lambda m: " and ".join(f"{w} score" for w in m.groups() if w),
        text,
    )
    text = CREATED_TO_CLOSED.sub(" ", text)  # "average sales cycle in days (created -> closed)"
    # "doing collections on Acme this morning - can you list their unpaid invoices": the account is who "their" is
    text = re.sub(
        r"\b(?:(?:i'?m|i\s+am|we'?re|we\s+are|just)\s+)?(?:doing|working\s+on|chasing)\s+(?:collections|dunning|the\s+collections)\s+"
        r"(?:on|for|with)\s+(.{2,60}?)(?:\s+(?:this\s+morning|this\s+afternoon|today|tomorrow|tmrw|now|rn))?\s*(?=\s[-–—:]|[.;!?,])",
        r" \1 ",
        text,
    )
    # "last touch date for each of the high risk APAC custs": one row per account, not one figure over them
    text = re.sub(
        r"\b(?:for|to|with|on)\s+(?:each|every\s+one|every)\s+of\s+(?:the\s+|our\s+|(my\s+|[\w-]+(?:\s+[\w-]+)?'s\s+))"
        r"((?:[\w-]+\s+){0,4}?)(customers|custs|accounts|accts|clients|companies)\b",
        # ("... for each of my high risk accounts", "... of Valentina Mensah's accounts": whose they are, kept)
        lambda m: f"{m.group(0).split()[0]} {m.group(1) or ''}{m.group(2)}{m.group(3)} by customer",
        text,
    )
    # "NA customers with churn probability over 90%, and who owns each one": the owner beside each
    text = re.sub(
        r"[,;]?\s*\b(?:and|plus|\+)\s+who\s+owns\s+(?:each(?:\s+one)?|them|each\s+of\s+them)\s*[?.!]*\s*$",
        # ("show source and who owns them": one more column of those asked)
        lambda m: (
            " and the owner" if re.search(r"\bshow\s+[a-z ]+$", m.string[: m.start()]) else " with owner"
        ),
        text,
    )
    # "I need the whole EMEA region, not just my team": everyone's there, the asker's team no longer
    text = re.sub(
        r"[,;]?\s*\b(?:and\s+)?not\s+(?:just|only|simply)\s+(?:for\s+)?(?:my|our)\s+(?:team|team's|accounts|deals|own|"
        r"book|numbers)\b",
        " for everyone ",
        text,
    )
    # "Morning! ...", "For context I'm comparing customer acquisition year over year. Can you ...", "..., so I can flag
    # them in the review": greetings, context and purpose around the question
    text = re.sub(
        r"^\W*(?:good\s+)?(?:morning|afternoon|evening|hiya|hey\s+there)(?:\s+(?:all|team|everyone|folks|guys|y'?all))?\b"
        r"(?:\s*[!,.:]+|\s+[-—–]+)\s*",
        "",
        text,
    )
    text = re.sub(r"^\W*(?:for\s+context|fyi|some\s+context|context)\b[^.?!]{0,120}[.!]\s+(?=\S)", "", text)
    text = re.sub(r"[,;]?\s*\bso\s+(?:that\s+)?(?:i|we)\s+can\s+[^.?!]{1,80}[.?!]*\s*$", " ", text)
    # "invoiced vs received last quarter": the money received (collected), beside what was billed
    text = re.sub(
        r"\b(vs\.?|versus|against|(?:invoiced|billed|billings|invoicing|invoice|bill)\s+and)\s+(?:actually\s+)?"
        r"(?:received|recieved|recevied|receive|recieve|receipts|cash\s+in)\b",
        r"\1 collected",
        text,
    )
    # "leads with a converted_at date in February (regardless of when they were created)": by the conversion date
    if re.search(
        r"\bregardless\s+of\s+when\s+(?:they\s+were\s+|it\s+was\s+)?created\b|\bconverted[_\s]at\b", text
    ):
        text = re.sub(
            r"\(?\s*regardless\s+of\s+when\s+(?:they\s+were\s+|it\s+was\s+)?created\s*\)?", " ", text
        )
        text = re.sub(
            r"\b(?:have\s+|with\s+)?(?:an?\s+)?converted[_\s]at(?:\s+date)?\b|\b(?:were\s+|got\s+)?converted\b",
            " converted by conversion date ",
            text,
            count=1,
        )
    # "win rate YTD vs full-year 2025": the whole year
    text = re.sub(r"\bfull-(?=year\b|yr\b)", "full ", text)
    # "cash collected H1 vs same half last yr", "jan thru june vs the same months last yr": the same period a year
    # earlier
    # ("vs the same qtr last yr" with no period of its own: this quarter, so the grain is kept)
    text = re.sub(
        r"\b(?:the\s+)?same\s+(half|quarter|qtr|month|period|week|point|time|stretch|months|quarters|weeks|days|dates)\s+"
        r"(?:of\s+|in\s+)?(?:last|previous|prior|the\s+previous)\s+"
        r"(?:yr|year)\b",
        lambda m: "the same {} last year".format(
            {"qtr": "quarter"}.get(m.group(1), m.group(1))
            if m.group(1) in ("quarter", "qtr", "month", "week")
            else "period"
        ),
        text,
    )
    # "cash in by original lead source (accounts that came from leads)": the accounts a lead source is known for,
    # which a split by it is over already (not a split by account)
    text = re.sub(
        r"\(?\s*(?:only\s+|just\s+)?(?:the\s+)?(?:accounts|accts|customers|companies)\s+(?:that|which|who)\s+(?:came|come|started)\s+"
        r"(?:in\s+)?(?:from|as|via|through)\s+(?:an?\s+)?leads?\s*\)?(?=\s*(?:[,.;?!]|$))",
        " ",
        text,
    )
    # "what's my team got sitting in negotiation?", "what's Paul's team got in proposal": the deals there (three writers
    # of three read it as the list)
    text = re.sub(
        r"\bwhat(?:'s|s|\s+has|\s+have)\s+([\w\s'.-]{1,40}?)\s+got\s+(?:sitting\s+|stuck\s+|parked\s+|open\s+)?in\s+"
        r"(?=(?:prospecting|qualification|proposal|negotiation|closed|the\s+pipe|pipe|pipeline)\b)",
        r"list the deals \1 has in ",
        text,
    )
    # "what's tomas got closing in march": the open deals of that person expected to close then
    text = re.sub(
        r"\bwhat(?:'s|s|\s+has|\s+have|\s+does)\s+([\w\s'.-]{1,40}?)\s+(?:got|have|has)\s+(?:closing|due\s+to\s+close|"
        r"set\s+to\s+close|expected\s+to\s+close|slated\s+to\s+close|landing)\b",
        r"list the open deals \1 has expected to close",
        text,
    )
    # "avg size of deals won in feb": the average deal size
    text = re.sub(
        r"\b(?:the\s+)?(avg|average|mean|median)\s+size\s+of\s+(?:the\s+|our\s+|my\s+)?(?:deals\s+won|won\s+deals|deals|wins)\b",
        r"\1 deal size",
        text,
    )
    # "total LTV across customers flagged high churn risk": one figure over those accounts, not one per account
    text = re.sub(
        r"\b(total|sum\s+of|combined)\s+([\w\s-]{1,30}?)\s+across\s+((?:all\s+)?(?:the\s+|our\s+|my\s+|his\s+|her\s+)?)"
        r"(customers|accounts|clients|companies)\b",
        r"\1 \2 of \3\4",
        text,
    )
    # "the invoices issued this week ..., in any status": no status left out (and none split by)
    text = re.sub(
        r"[,;]?\s*\b(?:in|of|with|at)\s+any\s+(?:status|stage|state)\b|[,;]?\s*\b(?:regardless\s+of|irrespective\s+of)\s+"
        r"(?:the\s+|their\s+)?(?:status|stage)\b|[,;]?\s*\ball\s+statuses\b",
        " ",
        text,
    )
    # "conversion rate for leads created in 2025 versus leads created in 2024": the two periods of the same records
    text = re.sub(
        r"(\b(?:vs\.?|versus|compared\s+(?:to|with)|against))\s+(?:those\s+|the\s+ones\s+)?(?:leads|deals|invoices|tickets)\s+"
        r"(?:created|closed|issued|opened|won|lost)\s+(?:in|during)\s+",
        r"\1 ",
        text,
    )
    # "10 biggest overdue invoices + who they're for": the invoices, each showing its customer (not a count per customer)
    text = re.sub(
        r"(\b(?:\d+|top|the)\s+(?:biggest|largest|oldest|smallest|highest|latest)\s+[\w\s-]{0,30}?\b(?:invoices|deals|payments)\b)"
        r"\s*(?:\+|,|&|\band\b|\bw/|\bwith\b)\s*who\s+(?:they(?:'re|\s+are|\s+were)\s+(?:for|from|with)|owes?\s+(?:them|those|each)|"
        r"they\s+belong\s+to|(?:it|each)\s+(?:is|'s)\s+for)\b",
        r"\1",
        text,
    )
    # "rank lead sources by conversion rate": the best first
    text = re.sub(r"^\W*(?:pls\s+|please\s+)?rank\s+(?=[a-z][\w\s]{0,40}?\bby\b)", "top ", text)
    # "AR aging please, whole book": all of it (a book of accounts, not bookings)
    text = re.sub(r"\b(?:the\s+)?(?:whole|entire|full|total)\s+book\b", " whole company ", text)
    # "how much LTV is sitting in those 10?": the ten just shown, not a new top ten
    text = re.sub(
        r"\b(those|these)\s+(?:\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|twenty)\s*(?=[?.!,;]|$)",
        r"\1",
        text,
    )
    # "total cash received in November (all payment methods)", "(all regions combined)": everything, in one
    # figure; the words say nothing is left out, not that it is split
    text = re.sub(
        r"\(\s*(?:across\s+|including\s+|incl\.?\s+|for\s+|over\s+)?all\s+[a-z][a-z ]{1,30}?"
        r"(?:\s+(?:combined|together|included))?\s*\)",
        " ",
        text,
    )
    # "... by payment method? I need to reconcile it against the bank statements": the bank's statements, no
    # payment method; "Who should I ring first this morning? Please show me ...": why they ask, then the ask
    text = re.sub(r"\bbank\s+statements?\b", " statements ", text)
    text = re.sub(
        r"^\W*(?:so\s+|ok\s+)?who\s+(?:should|do|shall|must|would)\s+(?:i|we)\s+(?:call|ring|phone|contact|chase|email|"
        r"reach\s+out\s+to|prioriti[sz]e|start\s+with)\b[^?]{0,40}\?\s*(?=\S)",
        "",
        text,
    )
    # "top 3 accounts in that?" after a figure: that figure's top accounts (a ranking of its groups, not its records)
    text = re.sub(
        r"\b((?:top|bottom)\s+\d+\s+(?:accounts|customers|clients|companies|reps|regions|products|sources|countries))\s+"
        r"(?:in|of|for|within|behind)\s+(?:that|this|those|these|it)\b",
        r"\1",
        text,
    )
    # "2026 so far vs full year 2025", "against the full year 2025": that year, whole
    text = re.sub(
        r"\b(?:the\s+)?(?:full|whole|entire|complete)\s+(?:calendar\s+)?year\s+(?:of\s+)?(?=(?:19|20)\d{2}\b)",
        "",
        text,
    )
    # "please list each open invoice with its remaining balance": every one of them, each a row
    text = re.sub(
        r"(?:\b(list|show|give|pull)\s+|^\W*)(me\s+|us\s+)?(?:each|every)\s+((?:open|unpaid|overdue|outstanding|paid|sent|"
        r"draft|won|lost|closed|pending|void|voided)\s+)?(invoice|deal|ticket|lead|payment|opportunity)\b(?!s)",
        lambda m: f"{m.group(1) or 'list'} {m.group(2) or ''}all the {m.group(3) or ''}{m.group(4)}s",
        text,
    )
    # "Understood. In that case, could you tell me how much is still open on INV-2026-01464 according to the
    # system?": the courtesy around the question
    text = re.sub(r"^\W*(?:understood|got\s+it|noted|fair\s+enough|makes\s+sense)\b[.!,;]*\s*", "", text)
    text = re.sub(r"\bin\s+that\s+case\b,?", " ", text)
    text = plain_words(text)  # "how much has X paid so far", "before I call X", "the support team"...
    text = re.sub(
        r"\b(?:according\s+to|as\s+per|in)\s+(?:the\s+|our\s+)?(?:system|crm|records|database|books)\b",
        " ",
        text,
    )
    # "how much we collected in total during July, across all payment methods": everything, in one figure
    text = re.sub(
        r",?\s*\b(?:across|over|including|incl\.?|covering)\s+(?:all|every|each\s+and\s+every)\s+(?:the\s+|of\s+the\s+|our\s+)?"
        r"(?:payment\s+methods|methods|regions|countries|industries|sources|channels|segments|products|teams|currencies|"
        r"accounts?|customers?|clients?|companies|reps)\b"
        r"(?=[\s?.!,;]|$)",
        " ",
        text,
    )
    # "what do they owe in total incl the stuff not due yet": everything still owed, due or not
    text = re.sub(
        r"\b(?:including|incl\.?|plus|counting|as\s+well\s+as)\s+(?:the\s+)?(?:stuff|ones|invoices|amounts?|bits|"
        r"what(?:'s|\s+is|\s+isn't|\s+is\s+not)?|anything|everything)\s+(?:that\s+(?:is|are)\s+|that'?s\s+)?"
        r"(?:not\s+(?:yet\s+)?due(?:\s+yet)?|(?:isn'?t|aren'?t)\s+(?:yet\s+)?due(?:\s+yet)?|due\s+later|"
        r"not\s+(?:yet\s+)?overdue|(?:isn'?t|aren'?t)\s+overdue(?:\s+yet)?)\b",
        " outstanding ",
        text,
    )
    # "I'm prepping for the call w/ Acme tmrw - can u pull their overdue invoices": the account the
    # meeting is with is who the question is about, the meeting is not asked about
    text = re.sub(
        r"\b(?:(?:i'?m|i\s+am|we'?re|we\s+are|just)\s+)?(?:prepping|preparing|prep|getting\s+ready)\s+for\s+"
        r"(?:the|my|a|our|this)\s+(?:call|meeting|qbr|sync|check-in|catch-up|visit|renewal\s+call)\s+(?:w/|with)\s+"
        r"(.{2,60}?)(?:\s+(?:tmrw|tmr|tomorrow|today|this\s+afternoon|later(?:\s+today)?|next\s+week|on\s+[a-z]+day))?"
        r"\s*(?=\s[-–—:]|[.;!?,])",
        r" \1 ",
        text,
    )
    text = _FORGET_THE.sub(" ", text)  # "ok forget the stages, how much ...": what follows is the question
    text = _SINCE_WHEN.sub(" customer since ", text)
    text = re.sub(
        r"\b(?:the|my|our)\s+(?:whole|entire|full)\s+team\b", "my team", text
    )  # "what about the whole team"
    # "Hi, I'm planning my calls for the week.": what the person is doing, not calls asked about
    text = re.sub(
        r"\b(?:i'?m|i\s+am|we'?re|we\s+are|just)\s+(?:planning|prepping|preparing|organi[sz]ing|lining\s+up|scheduling|"
        r"sorting\s+out)\s+(?:my|our|the)\s+(?:calls|call\s+list|call\s+sheet|week|day|outreach|meetings|visits)"
        r"(?:\s+for\s+(?:the|this|next)\s+(?:week|day|month))?\b",
        " ",
        text,
    )
    # "..., with the count – I'd like to organise a check-in with each of them": what they will do next
    text = re.sub(
        r"(?:[–—,;.]|\s-)\s*(?:i'?d\s+like\s+to|i\s+want\s+to|i'?ll|we'?ll|i\s+plan\s+to|so\s+i\s+can)\s+"
        r"(?:organi[sz]e|set\s+up|schedule|arrange|book|plan|reach\s+out|follow\s+up|call|email)\b[^?]*$",
        " ",
        text,
    )
    # "these are the ones we can't afford to lose": why they ask, no churn or lost deals asked about
    text = re.sub(
        r"[,;–—-]?\s*(?:(?:these|those|they)\s+are\s+(?:the\s+ones\s+)?)?(?:we|i)\s+(?:really\s+|just\s+|simply\s+)?"
        r"(?:can'?t|cannot|can\s+not|"
        r"don'?t\s+want\s+to|must\s+not)\s+(?:afford\s+to\s+)?lose\b",
        " ",
        text,
    )
    # "any of my referral leads still sitting in new?": in status new (not new leads)
    text = re.sub(
        r"\b(?:still\s+)?(?:sitting\s+|stuck\s+)?in\s+['\"‘“]?new['\"’”]?(?=\s*(?:status|stage)?\s*(?:[?.!,;:]|$|"
        r"(?:that|which|who|and|with|from|since|i|we|does|do|did|has|have|had|is|are|for|owned|assigned|by|on|per|"
        r"this|last|right|rn|now|today|still|at|in|over|under|older|created|more)\b))",
        " status new ",
        text,
    )
    # "list em w/ churn prob": them
    text = re.sub(r"(?<![\w'])'?em\b(?!['\w])", "them", text)
    # "the payments we received in December by payment method": the payments received (money in)
    text = re.sub(
        r"\bpayments\s+(?:that\s+|which\s+)?we\s+(?:received|got|collected|took\s+in)\b",
        "payments received",
        text,
    )
    # "the 10 largest payments received in Q4": those payments, the biggest first (not revenue per customer)
    text = re.sub(
        r"\b((?:largest|biggest|smallest|highest|lowest)\s+(?:single\s+)?payments)\s+(?:received|collected|we\s+received)\b",
        r"\1",
        text,
    )
    # "which LATAM customers on high churn risk still owe us money, and how much?": each of them, with the amount
    text = re.sub(
        r"^(\s*which\s+.{0,60}?\b(?:customers|accounts|clients|companies|custs|accts)\b.*?)[\s,]*\band\s+how\s+much\s*"
        r"(?:each|for\s+each)?\s*([?.!]*)\s*$",
        r"\1 by customer\2",
        text,
    )
    # "billings for the second half of 2025 versus the first half", "q3 2025 vs q2": the other period in that year too
    text = re.sub(
        r"\b(first|second)\s+half\s+of\s+(20\d\d)\s+(vs\.?|versus|against|compared\s+(?:to|with))\s+(?:the\s+)?"
        r"(first|second)\s+half\b(?!\s+of)",
        r"\1 half of \2 \3 the \4 half of \2",
        text,
    )
    text = re.sub(
        r"\b(h[12]|q[1-4])\s+(20\d\d)\s+(vs\.?|versus|against|compared\s+(?:to|with))\s+(?:the\s+)?(h[12]|q[1-4])\b(?!\s*20\d\d)",
        r"\1 \2 \3 \4 \2",
        text,
    )
    # "H1 cash collected 2026 vs 2025 (jan-jun)": the first half of each year (the months in brackets say it again)
    half = re.search(
        r"\b(h[12]|q[1-4])\b(.{0,40}?)\b(20\d\d)\s+(vs\.?|versus|against|compared\s+(?:to|with))\s+(20\d\d)\b",
        text,
    )
    if half and not re.search(r"\b(?:h[12]|q[1-4])\s+20\d\d\b", text):
        text = (
            text[: half.start()]
            + f"{half.group(2)} {half.group(1)} {half.group(3)} {half.group(4)} {half.group(1)} {half.group(5)}"
            + text[half.end() :]
        )
        text = re.sub(r"\(\s*[a-z]{3,9}\s*(?:-|–|to|through)\s*[a-z]{3,9}\s*\)", " ", text)
    # "pipeline by expected close month": by month of the date the measure is placed by (the expected close date)
    text = re.sub(
        r"\b(by|per)\s+(?:the\s+)?(?:expected\s+|projected\s+|planned\s+)?clos(?:e|ing)\s+(?:date\s+)?"
        r"(month|quarter|week|year)\b",
        r"\1 \2",
        text,
    )
    text = re.sub(
        r"\b(past|passed|missed|slipped\s+past)\s+there\b", r"\1 their", text
    )  # "slipped past there close date"
    # "exact figure pls, going on slide 4": where the figure goes, not a number of the question
    text = re.sub(
        r"\b(?:(?:it'?s\s+)?(?:going|goes)\s+(?:on|in|into)\s+|for\s+|on\s+)?(?:slide|page|tab)\s+#?\d+\b",
        " ",
        text,
    )
    # "a 1 out of 5 satisfaction rating": a 1 star rating
    text = re.sub(
        r"\b(?:an?\s+)?([1-5])\s*(?:out\s+of|/)\s*5\b(?!\s*(?:deals|invoices|leads|tickets|customers))"
        r"(?:\s+(?:satisfaction|csat))?(?:\s+(?:rating|score|review))?",
        r"satisfaction exactly \1",
        text,
    )
    # "organise a check-in with each": no payment method ("paid by check in october" is one)
    text = re.sub(r"\b(?<!by\s)(?<!via\s)(?<!paid\s)(?<!with\s)check[\s-]?ins?\b", " ", text)
    # "how much slipped per rep (all of them, not just top 10)": every row, the earlier top N dropped
    text = re.sub(r"\bnot\s+(?:just|only)\s+(?:the\s+)?(?:top|first|bottom|best)\s+\d+\b", " ", text)
    # "avg deal size ytd, all teams not just us": everyone's, one figure (before "not just" is read alone)
    text = re.sub(
        r"\ball\s+(?:the\s+)?(?:teams|regions|reps)\s*,?\s*not\s+(?:just|only)\s+(?:us|ours|mine|my\s+team|our\s+team)\b",
        " everyone ",
        text,
    )
    # "total outstanding AR by region, not just overdue": the whole, not only the narrower part
    text = re.sub(
        r",?\s*\bnot\s+(?:just|only)\s+(?:the\s+)?(?!(?:those|these|them|that|this|ones)\b)[a-z-]+(?:\s+ones)?\s*"
        r"(?=[?.!]*\s*$)",
        " ",
        text,
    )  # ("not just those" drops the previous narrowing: read by the follow-up)
    # "falling due in december", "invoices due next month": placed by their due date, not their issue date
    text = re.sub(
        r"\b(?:falling|coming|becoming|that\s+fall|that\s+come|that\s+are|came|fell|fallen|come|became)\s+due\b",
        "coming due",
        text,
    )
    text = re.sub(
        r"(?<!past\s)(?<!coming\s)(?<!over)\bdue\s+(?=(?:in|by|before|within|next|this|during|between|tomorrow|tmrw|tmr|tmrow|tomorow|today\s+or\s+(?:tomorrow|tmrw|tmr))\b)",
        "coming due ",
        text,
    )
    text = NOT_WHEN_CREATED.sub(" ", text)
    # "I know it's the 31st, just give me whatever has landed thru today": a remark about today's date
    text = re.sub(r"\b(?:i\s+know\s+)?(?:it'?s|its|today\s+is)\s+the\s+\d{1,2}(?:st|nd|rd|th)\b,?", " ", text)
    text = re.sub(r"\bwhatever\s+(?:has|have|'s)?\s*(?:landed|come\s+in|arrived)\b", " ", text)
    # "and when are they predicted to churn" after a list of accounts: each one's predicted churn date
    text = re.sub(
        r"\bwhen\s+(?:are|is|will|do|does)\s+(?:they|it|each(?:\s+one)?|those|these|them)\s+(?:predicted|expected|projected|"
        r"forecast|likely|going|set)\s+to\s+churn\b",
        " their predicted churn date ",
        text,
    )
    if re.search(
        r"\b(?:avg|average|mean|median)\s+(?:lead\s+)?(?:conversion\s+probability|conversion\s+prob|score)\b",
        text,
    ):
        # "avg conversion probability of scored leads": the leads that have one (an average skips the others)
        text = re.sub(
            r"\b(?:of|for|across|over)\s+(?:the\s+|our\s+|all\s+)?scored?\s+(?=leads?\b)", "of ", text
        )
    # "open deals >200k closing in Q4 - need these for the forecast call": why they ask, not what
    text = re.sub(
        r"\s*[-–—,;:(]\s*(?:i\s+|we\s+)?(?:need|want)\s+(?:these|this|them|it|those|the\s+list|the\s+numbers?)\s+"
        r"for\s+(?:the|my|our|a|an|tomorrow'?s|today'?s|monday'?s|friday'?s)\s+[a-z][\w\s'-]{0,40}?\)?\s*(?=[?.!]*\s*$)",
        " ",
        text,
    )
    # "which customers churned in june + what region": that column beside each, not a split by it
    text = re.sub(
        r"(?:\band|,)\s+(?:what|which)\s+(region|country|industry|owner|rep|stage|source|status|team)s?"
        r"(?:\s+(?:they(?:'re|\s+are|\s+were)?|it(?:'s|\s+is|\s+was)?|each\s+(?:is|was))\s+(?:in|from))?\s*(?=[?.!]*\s*$)",
        r" with their \1",
        text,
    )
    # "partner-sourced leads", "referral sourced deals": the leads of that source
    text = re.sub(r"\b([a-z]+)[\s-]+sourced\b(?=\s+(?:leads?|deals?|opps?|pipeline|pipe)\b)", r"\1", text)
    # "how many invoices are past due today": overdue as of today, not due today
    text = re.sub(r"\b(past\s+due|overdue|outstanding|owed|unpaid)\s+(?:as\s+of\s+)?today\b", r"\1", text)
    text = re.sub(
        r"\b(highest|lowest|top|best|worst)-(scoring|scored|rated|ranked|paying|valued)\b", r"\1 \2", text
    )
    # "one line per quarter", "one row per region please": the split by it
    text = re.sub(
        r"\b(?:one|a|1)\s+(?:line|row|entry|column)\s+(?:per|for\s+each|each)\s+([a-z]+)", _one_row_per, text
    )
    text = re.sub(
        r"\b(?:the\s+)?(\d+\s+)?(?:highest|top|best)[\s-]+scor(?:ing|ed)\s+(leads?|accounts|customers)\b",
        r" top \1\2 by score ",
        text,
    )
    # "by sales team (the deal owner's team)", "going by the lead owner's team": the team
    text = re.sub(r"\b(?:the\s+)?(?:deal|lead|account|record)?\s*owner'?s\s+team\b", " team ", text)
    # "I'd like to check it myself", "can you check whether": the verb, not the payment method
    text = check_as_verb(text)
    text = _NOT_DONE.sub(
        _positive, text
    )  # "bills that haven't been paid": unpaid; "tickets not resolved yet": open
    # "how many invoices have been paid this month": paid invoices (the status), not leads from paid ads
    text = re.sub(
        r"\b(invoices|bills)\s+(?:that\s+|which\s+)?(?:have\s+been|has\s+been|were|was|are|got|been)\s+"
        r"(?:fully\s+|already\s+)?paid\b(?!\s+(?:by|from|to|in\s+full\s+by))",
        r"paid \1",
        text,
    )
    text = re.sub(
        r"\b(?:waiting|wait|pending|need(?:s|ing)?)\s+(?:on\s+|for\s+)?(?:someone\s+|somebody\s+|anyone\s+)?(?:to\s+)?"
        r"(?:approve|approval|sign[\s-]off)\b(?:\s+(?:them|it))?",
        " pending approval ",
        text,
    )
    # "for the annual review", "the quarterly close pack": the meeting's name, no split by year or quarter
    text = re.sub(
        r"\b(?:annual|yearly|quarterly|monthly|weekly|daily)\s+(?=(?:business\s+)?(?:review|meeting|sync|call|pack|"
        r"report|deck|update|close|planning|kickoff|qbr|offsite|all-hands|town\s*hall)s?\b)",
        " ",
        text,
    )
    text = re.sub(r"\bside[\s-]+by[\s-]+side\b", " ", text)  # "billed vs collected ..., side by side"
    # "those five reps' win rates": those reps (the number repeats how many were shown)
    text = re.sub(
        r"\b(those|these)\s+(?:two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(?=[a-z])",
        r"\1 ",
        text,
    )
    # "for each of my reps": my team, split by rep; "who on the team won the most": which rep of my team
    text = re.sub(
        r"\b(?:for\s+)?each\s+of\s+my\s+(?:reps|sellers|people|team\s+members)\b|"
        r"\bmy\s+(?:reps|sellers|team\s+members)'(?=\s)",  # "how are my reps' bookings": each rep's
        " for my team by rep ",
        text,
    )
    text = re.sub(r"\bwho\s+(?:on|in|of)\s+(?:the|my|our)\s+team\b", " which rep in my team ", text)
    # "with their email addresses": a column of people, never the activity type "email"
    text = re.sub(r"\be-?mail\s+address(?:es)?\b", "emailaddresses", text)
    # "contact emails for Everest Campus": the contacts (their list shows each one's email)
    text = re.sub(r"\b(?:the\s+)?contacts?'?\s+(?:e-?mails?|emailaddresses)\b", " contacts ", text)
    if find_grain(text)[
        0
    ]:  # "bookings per month so far in 2026, oldest month first": a series is in date order
        text = _IN_DATE_ORDER.sub(" ", text)  # "and since when are they a customer"
    text = _CORRECTION.sub(_instead, text)  # "no sorry, I meant won deals only": won deals instead
    for pattern, replacement in EVERYDAY_WORDS:  # "the bookings i mean", "team Brazil", "bigger of 100k"...
        text = pattern.sub(replacement, text)
    # "deals in negotiation over 100k, which are and for how much": which deals ..., and for how much
    which = re.search(
        r",?\s*\bwhich\s+(?:are|ones|ones\s+are)(?:\s+(?:they|them|those|these))?\s*(?=\band\b|[?.!]*$)", text
    )
    if which and which.start() > 0:
        text = "which " + text[: which.start()] + " " + text[which.end() :]
    # "the products active", "leads inactive": the active products
    text = re.sub(r"\b(products|reps|users|leads)\s+(active|inactive)\b", r"\2 \1", text)
    return text


_ON_THE_TEAM = re.compile(  # (not "only the people on the DACH team": a narrowing of the answer shown)
    r"(?<!\bonly\s)(?<!\bjust\s)(?<!\bonly\sthe\s)(?<!\bjust\sthe\s)\b(?:who(?:'s|\s+is|\s+are|s)?|(?:list\s+)?(?:the\s+)?(?:everyone|everybody|all\s+(?:the\s+)?people|people|"
    r"members))\s+"
    r"(?:on|in)\s+(?:the\s+)?(?!my\b|our\b|your\b|his\b|her\b|their\b)"
    r"([a-z][\w&' ]{0,30}?)\s+team\s*(?:[,-]\s*(?:manager|managers|lead|leads)\s+included|[,-]?\s*including\s+"
    r"(?:the\s+)?(?:manager|lead)|\s+with\s+(?:their\s+)?e-?mails?(?:\s+address(?:es)?)?)?\s*[?.!]*\s*$"
)


# "invoices more than 60 days past due", "over 30 days overdue", "60+ days late": the aging buckets past
# that many days (the contract's buckets end at 30, 60 and 90 days); another number is left to be asked about
_DAYS_PAST_DUE = re.compile(
    r"\b(?:(?:more\s+than|over|greater\s+than|older\s+than|>)\s*(30|60|90)|(30|60|90)\s*\+)\s*days?\s+"
    r"(?:past\s+(?:the\s+)?due(?:\s+date)?|overdue|late|past\s+due)\b"
)


_BUCKETS_PAST = {"30": ("31-60", "61-90", "90+"), "60": ("61-90", "90+"), "90": ("90+",)}


def _aging_buckets_past(m: re.Match) -> str:
    buckets = " or ".join(f"the {b} bucket" for b in _BUCKETS_PAST[m.group(1) or m.group(2)])
    return f"overdue in {buckets}"


_AT_THIS_POINT = re.compile(
    r"\b(?:at\s+(?:this|the\s+present|that)\s+(?:point|moment|time)(?:\s+in\s+time)?|as\s+things\s+stand)\b"
)


_FORGET_THE = re.compile(
    r"^\s*(?:ok(?:ay)?\s+|so\s+)?(?:forget|never\s*mind|scrap|drop)\s+(?:about\s+)?(?:the\s+)?[a-z]+"
    r"(?:\s+(?:split|breakdown|grouping|part|bit|one|thing))?\s*[,;.—–-]+\s*"
)


_IN_DATE_ORDER = re.compile(
    r"\b(?:(?:oldest|earliest)\s+(?:month|week|quarter|year|day|one)?\s*first|in\s+(?:chronological|date|month|time|"
    r"calendar)\s+order|chronologically|month\s+by\s+month\s+in\s+order)\b"
)


def _one_row_per(m: re.Match) -> str:
    """ "one row per region": by region; "quarterly ..., one line per quarter": the grain already said."""
    word = m.group(1)
    if word.rstrip("s") in ("day", "week", "month", "quarter", "year"):
        return f" per {word.rstrip('s')} " if not find_grain(m.string.replace(m.group(0), " "))[0] else " "
    return f" by {word} "


_NOT_DONE = re.compile(
    r"\b(?:that\s+|which\s+)?(?:still\s+)?(?:(?:are|is|were|was)\s*n[o']?t|(?:are|is)\s+not|(?:have|has)\s*n[o']?t\s+been|(?:have|has)\s+not\s+been)"
    r"\s+(?:yet\s+)?(paid|resolved|closed|resolved\s+or\s+closed|closed\s+or\s+resolved)(?:\s+(?:yet|so\s+far))?\b"
)


def _positive(m: re.Match) -> str:
    return " unpaid " if m.group(1) == "paid" else " still open or pending "


_SINCE_WHEN = re.compile(
    r"\bsince\s+when\s+(?:(?:is|are|was|were|has|have)\s+)?(?:(?:they|it|he|she|we)\s+)?(?:been\s+)?"
    r"(?:a|our|your)\s+(?:customer|client)s?\b"
)


_WE_SELL = re.compile(r"\b(?:do|does)\s+we\s+(?:sell|offer|carry|have\s+on\s+offer)\b")


_PRICE_OF_EACH = re.compile(
    r"\b(?:and\s+)?(?:at\s+what\s+(?:list\s+|unit\s+)?price|what\s+(?:does|do)\s+(?:each\s+(?:one\s+)?|they\s+|it\s+)cost|"
    r"how\s+much\s+(?:does\s+)?each\s+(?:one\s+)?(?:costs?|is))\b"
)


# "no sorry, I meant won deals only", "hm no, I meant bookings", "actually I meant by month": the previous
# question with that in place of what it replaces
_CORRECTION = re.compile(
    r"^\s*(?:(?:no|nope|nah|sorry|hm+|oops|wait|actually|ah|oh|ok|sry|my\s+bad)\b[\s,.!-]*)*"
    r"i\s+(?:meant|mean|was\s+asking\s+about|wanted|was\s+after)\s+(?:to\s+say\s+|to\s+ask\s+(?:for|about)\s+)?"
    r"(?P<rest>.*?)(?:\s+only)?\s*[.!?]*\s*$"
)


def _instead(m: re.Match) -> str:
    # "no, I meant invoiced, not collected": what is meant, without what it replaces
    rest = re.sub(r",?\s+(?:and\s+)?not\s+(?:the\s+)?[\w\s'-]+?(?:[.;!]\s*|$)", " ", m.group("rest")).strip()
    return f"{rest} instead"


def two_digit_years(text: str, today: date) -> str:
    """ "25 vs 24", "'25 against '24": two recent years compared (two numbers that are not years are
    left for the number check to ask about)."""

    def years(m: re.Match) -> str:
        a, b = int(m.group(1)), int(m.group(3))
        recent = range(today.year % 100 - 15, today.year % 100 + 1)
        return f"20{a:02d} {m.group(2)} 20{b:02d}" if a in recent and b in recent and a != b else m.group(0)

    return re.sub(
        r"(?<![\w$.,])(\d{2})\s+(vs\.?|versus|against|compared\s+(?:to|with))\s+(\d{2})\b(?![.,]?\d)",
        years,
        text,
    )
