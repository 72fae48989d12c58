"""Rewrites read on the words as written, before abbreviations and "+" are expanded ("so far this q", "1,000+
employees", "$100k+", "what did we sign"), and those read right after "compare X against Y" became "X vs Y"
("closed won $", "the $", "since the start of"). Data for ``phrasings.before_abbreviations``, applied in order.
"""

from __future__ import annotations

import re

AS_WRITTEN: tuple[tuple[re.Pattern, object], ...] = (
    # read before abbreviations and "+" are expanded, in this order
    # "so far this q", "last q vs this q", "q over q": the quarter ("q" alone is otherwise a question)
    (
        re.compile(
            r"\b(this|last|next|previous|prior|current|prev|same|per|each|by|a|the|that|every|one)\s+q\b(?![\d'’-])"
        ),
        r"\1 quarter",
    ),
    # "do they have tickets open with support?", "tickets logged with our support team": the tickets (all are support's)
    (
        re.compile(
            r"(\btickets?\b(?:\s+(?:open|opened|logged|raised|filed))?)\s+(?:with|to)\s+(?:our\s+|the\s+)?(?:customer\s+)?"
            r"support(?:\s+team)?\b"
        ),
        r"\1",
    ),
    # "..., I'll do the emails myself", "i'll chase them myself": what the asker will do, not part of the question
    (
        re.compile(
            r"[,;.]?\s*(?:-\s*)?(?:i'?ll|i\s+will|we'?ll|we\s+will)\s+(?:just\s+)?(?:do|send|handle|take\s+care\s+of|write|"
            r"chase|make|call|ping|email|reach\s+out\s+to)\b[\w\s']{0,40}?\b(?:myself|ourselves)\b"
        ),
        " ",
    ),
    # "when was the last time anyone touched Granite Spark AI?": when it was last contacted
    (
        re.compile(
            r"\bthe\s+last\s+time\s+(?:anyone|anybody|someone|somebody|we|i|our\s+team|the\s+team|sales)\s+(?:has\s+|have\s+)?"
            r"(?:touched|talked\s+to|talked\s+with|spoke\s+to|spoke\s+with|spoken\s+to|contacted|reached\s+out\s+to|"
            r"heard\s+from|had\s+contact\s+with|was\s+in\s+touch\s+with|got\s+in\s+touch\s+with|touched\s+base\s+with)"
            r"(?=\s|[?.!]|$)"
        ),
        "last contacted",
    ),
    # "how many did we lose to churn that same month": churned (no deal was lost)
    (re.compile(r"\b(?:lose|lost|losing|loses)\s+to\s+churn\b"), "churn"),
    # "any customers the model expects to churn by the end of July?": predicted to churn
    (
        re.compile(
            r"\b(?:that\s+|which\s+)?(?:the\s+|our\s+)?(?:model|insights(?:\s+job)?|ai|system)\s+(?:expects|predicts|thinks|says|flags)"
            r"\s+(?:will\s+|to\s+|are\s+going\s+to\s+|is\s+going\s+to\s+|might\s+)?churn\b"
        ),
        "predicted to churn",
    ),
    # "... do they have any open support tickets? maybe thats why": a guess of the asker's, after the question
    (
        re.compile(
            r"(?<=[?.!])\s*(?:maybe|perhaps|probably|could\s+be|might\s+be)\s+(?:that'?s|thats|that\s+is|it'?s)\s+why\W*$"
        ),
        "",
    ),
    # "name them pls, with the score": list them
    (
        re.compile(
            r"^(\W*(?:ok\W+|so\W+|and\W+|can\s+you\s+|pls\s+|please\s+)*)name\s+(them|those|these|'em|em)\b"
        ),
        r"\1list \2",
    ),
    # "how many invoices are partially paid, and whats left on them", "how much is left": what is still owed on them
    (
        re.compile(
            r"\b(?:what'?s|whats|what\s+is|how\s+much\s+is|how\s+much'?s)\s+(?:still\s+)?left"
            r"(?=\s+(?:on|to\s+pay|owing|unpaid)\b|\s*[?.!]*\s*$)(?:\s+(?:to\s+pay|owing|unpaid))?"
        ),
        "what is still owed",
    ),
    # "customers with health under 50 but ltv over 100k": both bounds
    (
        re.compile(
            r"\bbut\s+(?=(?:with\s+|have\s+|has\s+|a\s+|an\s+)?(?:ltv|lifetime\s+value|health(?:\s+score)?|churn\s+(?:risk|probability)|"
            r"(?:payment|support|engagement)\s+score|revenue|balance|outstanding|csat)\s+(?:of\s+)?(?:over|under|above|below|more|less|"
            r"greater|at\s+least|>|<|\d))"
        ),
        "and ",
    ),
    # "how much do my accounts owe us in total (everything unpaid, not just overdue)": all of it (what follows "not just"
    # is a part of the whole asked, never a negation)
    (
        re.compile(
            r"\s*[,(;-]?\s*(?:everything\s+\w+\s*,?\s*)?not\s+(?:just|only)\s+(?:the\s+)?"
            r"(?!(?:us|me|mine|ours|we|our|my|you|them|those|these|the\s+ones|that|this|it)\b)[\w-]+(?:\s+ones)?\s*\)?(?=\s*[?.!]*\s*$)"
        ),
        " ",
    ),
    # "nobody's touched them in 30+ days", "not contacted in 60+ days": not contacted in that many days
    (
        re.compile(
            r"\b(?:nobody|no\s+one|noone|we|anyone)(?:'s|\s+has|\s+have|\s+haven'?t|\s+hasn'?t)?\s+(?:touched|contacted|reached\s+out\s+to|"
            r"talked\s+to|spoken\s+to|called|emailed)\s+(?:them|it|those|these)?\s*(?:in|for)\s+(?:the\s+last\s+|over\s+|more\s+than\s+)?"
            r"(\d{1,3})\s*\+?\s*days\b"
        ),
        r"not contacted in \1 days",
    ),
    (re.compile(r"\b(contacted|touched)\s+in\s+(\d{1,3})\s*\+\s*days\b"), r"\1 in \2 days"),
    # "tickets rated 1/5", "rated 1 out of 5": the 1-star tickets
    (
        re.compile(
            r"\b(?:rated|scored|with\s+a\s+rating\s+of|rating\s+of)\s+([1-5])\s*(?:/\s*5|out\s+of\s+5|-?\s*stars?)(?!\w)"
        ),
        r"\1-star",
    ),
    # "they're gone but the money isnt": a remark after the question
    (re.compile(r"(?<=[?.!])\s*(?:they'?re|they\s+are|it'?s|he'?s|she'?s)\s+gone\b[^?]*$"), ""),
    # "the quarter that ends today", "the month ending today": this quarter
    (
        re.compile(
            r"\b(?:for\s+|in\s+)?the\s+(quarter|month|year|week)\s+(?:that\s+)?(?:ends|ending|closes|closing|wraps\s+up)\s+"
            r"(?:today|tonight)\b"
        ),
        r"this \1",
    ),
    # "on avg how many days are deals taking from creation to closed won", "how long do deals take to close": the sales
    # cycle
    (
        re.compile(
            r"\b(?:on\s+avg|on\s+average|avg|average)?\s*how\s+(?:many\s+days|long)\s+(?:are|do|does|did|is)\s+(?:our\s+|the\s+)?"
            r"(?:deals?|opps?|opportunities)\s+(?:taking|take|takes|took|taken)\s+(?:from\s+(?:creation|created|open(?:ing)?|start)\s+)?"
            r"(?:to\s+(?:close|closed\s+won|get\s+to\s+closed\s+won|win|be\s+won)|to\s+close)\b"
        ),
        "average sales cycle of deals won",
    ),
    # "can u grab the contact emails we have for X": list them
    (
        re.compile(
            r"\b(?:grab|pull)\s+(?:me\s+)?(?=the\s+(?:[\w-]+\s+){0,3}?(?:customers|accounts|clients|companies|deals|invoices|"
            r"leads|tickets|contacts|payments|emails)\b)"
        ),
        "list ",
    ),
    # "avg payment score for high vs low churn risk customers": by churn risk, those two
    (
        re.compile(
            r"\b(?:for\s+)?(high|medium|low|urgent)\s+(?:vs\.?|versus|compared\s+(?:to|with))\s+(high|medium|low|urgent)\s+"
            r"(churn\s+risk|risk|priority)\b"
        ),
        r"by \3 for \1 and \2 \3",
    ),
    # "how much do churned companies still owe us that's overdue?": what they owe overdue (said of the money, not a kind
    # of company)
    (
        re.compile(
            r"^(?P<how>\W*how\s+much\b)(?P<rest>.*\b(?:owe|owes|owed|owing)\b.*?)\s+that(?:'s|s|\s+is)\s+(?:overdue|past\s+due)\b"
        ),
        r"\g<how> overdue\g<rest>",
    ),
    # "collections q: ...", "finance question - ...": who is asking, not what
    (
        re.compile(
            r"^\W*(?:collections|finance|billing|ar|sales|cs|ops|revops|quick|random|dumb)\s+(?:q|qn|question)\s*[:\-–—,]\s*"
        ),
        "",
    ),
    # "what's total open pipe sitting at today": as of today (no period of one day)
    (
        re.compile(r"\b(?:sitting|sits|standing|stands)\s+at\s+today\b"),
        "as of today",
    ),
    # "quick one before my 9am", "before my 3pm": a meeting's time, no number asked about
    (
        re.compile(
            r"\b(?:before|after|until|till|ahead\s+of)\s+(?:my|our|the)\s+\d{1,2}(?::\d\d)?\s*(?:am|pm)\b"
        ),
        " ",
    ),
    # "which 3 should i call first? highest score": which three (the calling is the asker's)
    (
        re.compile(r"\bshould\s+(?:i|we)\s+(?:call|ping|contact|reach\s+out\s+to|chase|work)(?:\s+first)?\b"),
        " ",
    ),
    # "website vs referral leads in 2025 - volume and conversion rate side by side": the count beside the rate
    (re.compile(r"\b(?:lead\s+|deal\s+|ticket\s+)?volumes?\s+(?=(?:and|&|\+|,|plus)\s)"), "count "),
    (re.compile(r"(?<=\s)(and|&|\+|,|plus)\s+(?:the\s+)?volumes?\b"), r"\1 count"),
    # "how many leads did i convert last quarter?": of my leads, those converted then
    (re.compile(r"\bleads\s+(?:did|have|has)\s+i\s+(?:convert|converted)\b"), "of my leads converted"),
    (
        re.compile(r"\bleads\s+(?:did|have|has)\s+(?:we|the\s+team)\s+(?:convert|converted)\b"),
        "leads converted",
    ),
    # "everything Ashley Becker closed-won in april": the deals she won then, listed
    (
        re.compile(
            r"^(\W*(?:show\s+me\s+|list\s+|pull\s+up\s+)?)everything\s+(?=[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*)?\s+"
            r"(?:closed[\s-]?won|closed|won|booked|signed|sold)\b)"
        ),
        r"\1list the deals ",
    ),
    # "chiara's 5 accounts most likely to churn?": her top 5
    (
        re.compile(
            r"\b([a-z][\w-]*'s)\s+(\d{1,3})\s+(accounts|customers|clients|deals|leads|opps)\s+(?=most\b|least\b|with\s+the\b|"
            r"highest\b|lowest\b|biggest\b)"
        ),
        r"\1 top \2 \3 ",
    ),
    # "and who was working that lead": who owned it (working is a verb here, not the lead status)
    (
        re.compile(
            r"\bwho\s+(?:was|is|were|'s)\s+working\s+(?=(?:that|this|the|those|these|on\s+(?:that|this|the))\s+(?:lead|leads|deal|deals|account)\b)"
        ),
        "who owned ",
    ),
    # "anyone predicted to churn in january?", "is anybody 90+ days late": who (the records, by name)
    (re.compile(r"^(\W*)(is|are|has|have)\s+any(?:one|body)\b"), r"\1who \2"),
    (re.compile(r"^(\W*)any(?:one|body)\b(?!\s+(?:know|knows|else)\b)"), r"\1who"),
    # "5 biggest wins this qtr + who closed them": and who closed them
    (re.compile(r"\s*\+\s*(?=(?:who|whom|from\s+whom)\b)"), " and "),
    # "low/med/high", "med risk", "med prio": medium
    (re.compile(r"(?<=[/,])\s*med\b|\bmed(?=\s*[/,])|\bmed(?=\s+(?:risk|churn|priority|prio)\b)"), "medium"),
    # "who churned on us in october": churned
    (re.compile(r"\b(churned|left|quit)\s+on\s+us\b"), r"\1"),
    # "how did may billings stack up against may last year", "how does jan compare to dec": one comparison
    (
        re.compile(
            r"^\s*how\s+(?:does|did|do|is|are|was|were)\s+(.{3,80}?)\s+(?:compar(?:e|es|ed|ing)|stack(?:s|ed)?\s+up)\s+"
            r"(?:to|with|against|versus|vs\.?)\s+"
        ),
        r"\1 vs ",
    ),
    (re.compile(r"\bstack(?:s|ed)?\s+up\s+(?:against|to|with|versus|vs\.?)\s+"), " vs "),
    # "new EMEA customers this month", "new software accounts": the new customers, of those
    (
        re.compile(
            r"\bnew\s+(?!(?:business|deals?|leads?|logos?|customers?|accounts?|clients?|this|last|ones?|in|from|of|for|to|and|or)\b)"
            r"([a-z][a-z&.-]*(?:\s+[a-z][a-z&.-]*)?)\s+(customers|accounts|clients|logos)\b"
        ),
        r"new \2 \1",
    ),
    # "tickets that got a 1 star rating", "5-star reviews": the ticket's satisfaction rating
    (
        re.compile(r"\b(?:an?\s+)?([1-5])[\s-]*stars?(?:\s+(?:rating|review|score|csat|satisfaction))?\b"),
        r"satisfaction exactly \1",
    ),
    # "same but ticket counts", "same thing for EMEA", "same two numbers for 2024": the previous question with
    # that changed
    (
        re.compile(
            r"^\s*(?:(?:ok|okay|now|and)\s+)?(?:the\s+)?same\s+(?:thing\s+|again\s+|query\s+|question\s+|"
            r"(?:(?:two|three|2|3)\s+)?(?:numbers|figures|metrics|stats|measures)\s+)?(?:but|with|(?P<for>for))\s+"
            r"(?P<may>may\b)?"
        ),
        # ("same for may": the month, its "for" kept, as "may" alone is an everyday word)
        lambda m: "and the same for may" if m.group("may") else "and the same ",
    ),
    # "whos predicted to churn in July?": who is
    (re.compile(r"\bwhos\b"), "who is"),
    # "pull every invoice we have for X": the invoices (the noun), not what was invoiced (the verb)
    (re.compile(r"\b(?:every|each|any|all)\s+(?:single\s+)?(?:the\s+)?invoices?\b"), "all invoices"),
    # "payments last month broken out by method": the money received (as "payments received ...")
    (
        re.compile(
            r"^\s*(?:the\s+|our\s+|total\s+)?payments\s+(?=(?:this|last|in|during|so\s+far|ytd|mtd|qtd|by|per|split|broken)\b)"
        ),
        "payments received ",
    ),
    # "payments from APAC accts this month compared to december": the money received, in the two periods
    (
        re.compile(
            r"^\s*(?:the\s+|our\s+|total\s+)?payments\s+(?=(?:from|by)\s+[^?]{2,60}?\b(?:this|last|in|during|q[1-4])\b"
            r"[^?]*\b(?:vs\.?|versus|compared\s+(?:to|with)|against)\b)"
        ),
        "payments received ",
    ),
    # "how much do EMEA customers owe us that isn't due yet": the not-yet-due (current) bucket
    (
        re.compile(
            r"\b(?:that|which)?\s*(?:isn'?t|is\s+not|aren'?t|are\s+not|not)\s+(?:yet\s+)?due(?:\s+yet)?\b(?!\s+date)"
        ),
        " not yet due ",
    ),
    # "what's still open that's supposed to close this quarter", "what have i still got open": the open pipeline
    (re.compile(r"\b(?:supposed|due|slated|scheduled|set)\s+to\s+close\b"), "expected to close"),
    (
        re.compile(
            r"\bwhat\s+(?:have|has|do|does)\s+(i|we|my\s+team)\s+(?:still\s+)?(?:got\s+|have\s+)?(?:open|in\s+(?:the\s+)?pipe(?:line)?)\b"
        ),
        lambda m: {"i": "my", "we": "our"}.get(m.group(1), "my team's") + " open pipeline",
    ),
    (
        re.compile(r"\bwhat(?:'s|s|\s+is)\s+(?:still\s+)?open\b(?=.{0,40}\bexpected\s+to\s+close\b)"),
        "open pipeline",
    ),
    # "anything open that's expected to close in November and is over 200k?": the open deals
    (
        re.compile(
            r"\b(?:anything|something|what)\s+(?:still\s+)?open\b(?=.{0,40}\bexpected\s+to\s+close\b)"
        ),
        "open deals",
    ),
    # "high-risk customers nobody's touched in 30+ days": not contacted in the last 30 days
    (
        re.compile(
            r"\b(?:that\s+|who\s+|which\s+)?(?:nobody|no\s+one|noone)(?:'s|\s+has|\s+have)?\s+(?:contacted|called|emailed|"
            r"talked\s+to|spoken\s+to|reached\s+out\s+to|touched)\s+(?:in|for)\s+(?:the\s+last\s+|over\s+|more\s+than\s+)?"
            r"(\d+)\s*\+?\s*days\b"
        ),
        lambda m: f" not contacted in the last {m.group(1)} days ",
    ),
    # "which customers has nobody contacted in the last 90 days": not contacted
    (
        re.compile(
            r"\b(?:has|have)\s+(?:nobody|no\s+one|noone|none\s+of\s+us)\s+(?:from\s+us\s+)?(contacted|called|emailed|"
            r"talked\s+to|spoken\s+to|reached\s+out\s+to|touched)\b|\b(?:that|who|which)\s+(?:nobody|no\s+one|noone)\s+"
            r"(?:has\s+|have\s+)?(contacted|called|emailed|talked\s+to|spoken\s+to|reached\s+out\s+to|touched)\b"
        ),
        lambda m: " not " + (m.group(1) or m.group(2)),
    ),
    # "how many days does it take us from creating a deal to winning it": the sales cycle
    (
        re.compile(
            r"\bhow\s+(?:many\s+days|long)\s+(?:does\s+it|did\s+it|it)\s+(?:take|takes|took)\s+(?:us\s+)?(?:on\s+average\s+)?"
            r"(?:from\s+(?:creating|opening|the\s+creation\s+of)\s+(?:a\s+|the\s+)?deal\s+)?to\s+(?:win|close|winning|closing)"
            r"(?:\s+(?:it|a\s+deal|deals|them))?\b"
        ),
        "sales cycle",
    ),
    # "how many customers sit in each churn risk band": by churn risk
    (
        re.compile(
            r"\b(?:sit|sits|are|fall|falls)?\s*(?:in|into)\s+(?:each|every)\s+([a-z][a-z ]{1,25}?)\s+(?:band|bucket|tier|group|category|level)s?\b"
        ),
        r" by \1",
    ),
    # "each of those 5?", "the win rate of those 3": the ones just shown (the number is not a new limit)
    (
        re.compile(
            r"\b(those|these)\s+(?:\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)(?=\s*(?:[?.!,]|$|ones\b|of\s+them\b))"
        ),
        r"\1",
    ),
    # "which 3 months were best?": the top 3 months
    (
        re.compile(
            r"\bwhich\s+(\d{1,2})\s+(months|quarters|weeks|years|days)\s+(?:were|was|are|is|had)\s+(?:the\s+)?(best|worst|strongest|weakest|biggest|highest|lowest)\b"
        ),
        lambda m: (
            f"{'top' if m.group(3) in ('best', 'strongest', 'biggest', 'highest') else 'bottom'} {m.group(1)} by {m.group(2)[:-1]}"
        ),
    ),
    # "how many leads we have in each status? new, working etc": examples of the split, not a filter
    (
        re.compile(
            r"(?<=[?,:;])\s*(?:like\s+|e\.?g\.?\s*|such\s+as\s+)?[\w\s,/-]{1,60}?,?\s*(?:etc\.?|and\s+so\s+on)\s*[?.!]*\s*$"
        ),
        " ",
    ),
    # "break EMEA out by company": split EMEA by company
    (re.compile(r"\bbreak\s+(.{1,40}?)\s+(?:out|down)\s+by\b"), r"\1 by"),
    (
        re.compile(r"\bby\s+company\b(?!\s+(?:size|type|name|industry|region|country|stage|owner))"),
        "by customer",
    ),
    # "which of my deals are in negotiation, and how much is each one worth?": the deals, with their amount
    (
        re.compile(
            r"[,;]?\s*(?:and\s+)?(?:how\s+much\s+(?:is\s+)?each(?:\s+one)?\s+(?:is\s+)?worth|what\s+(?:is\s+)?each(?:\s+one)?\s+worth)\s*[?.!]*\s*$"
        ),
        " - name, amount",
    ),
    # "we lost some deals last week, which ones? and what was the lost reason for each": the deals, with it
    (
        re.compile(
            r"[,;?]?\s*(?:and\s+)?what\s+(?:was|is|were|'s)\s+the\s+([a-z][a-z ]{2,25}?)\s+(?:for|of)\s+each(?:\s+one)?\s*[?.!]*\s*$"
        ),
        r" - name, \1",
    ),
    # "our 5 biggest accounts by LTV - how healthy are they?": with their health score beside
    (
        re.compile(
            r"\s*[-—–,;]?\s*(?:and\s+)?how\s+healthy\s+(?:are|is|were)\s+(?:they|those|these|them|it)\s*[?.!]*\s*$"
        ),
        " with their health score",
    ),
    (
        re.compile(
            r"\s*[-—–,;]?\s*(?:and\s+)?how\s+risky\s+(?:are|is|were)\s+(?:they|those|these|them|it)\s*[?.!]*\s*$"
        ),
        " with their churn risk",
    ),
    # "... I just got some accounts moved to me and I'm a bit lost": how the asker feels, not churned accounts
    (
        re.compile(
            r"[,;]?\s*(?:and\s+)?i'?\s*a?m\s+(?:a\s+(?:bit|little)\s+|kind\s+of\s+|kinda\s+|totally\s+|so\s+|bit\s+|very\s+)?"
            r"(?:lost|confused)\b"
        ),
        " ",
    ),
    # "sort by churn probability, worst first": the riskiest first (a high probability is the worst)
    (
        re.compile(r"\b(churn\s+(?:probability|prob|risk))\s*,?\s*(?:the\s+)?worst\s+(?:ones\s+)?first\b"),
        r"\1, highest first",
    ),
    # "open deals with an expected close date that's already passed", "should have closed already": slipped
    (
        re.compile(
            r"\b(?:have|has|with)?\s*(?:an?\s+|their\s+|the\s+)?expected\s+close\s+dates?\s+(?:that'?s|that\s+is|that\s+has|"
            r"which\s+has|which\s+is|that\s+have|that\s+are|is|has|are|have)\s+(?:already\s+)?(?:passed|gone\s+by|in\s+the\s+past|behind\s+us)\b"
        ),
        " past their expected close date ",
    ),
    (
        re.compile(r"\bshould\s+have\s+(?:already\s+)?closed(?:\s+already)?(?:\s+by\s+now)?\b"),
        " past their expected close date ",
    ),
    # "negotiation-stage deals that have already blown through their close date"
    (
        re.compile(
            r"\b(?:that\s+|which\s+)?(?:have\s+|has\s+)?(?:already\s+)?(?:blown|blew|gone|went|slipped|run|ran|sailed)\s+"
            r"(?:right\s+)?(?:through|past|by|beyond|over)\s+(?:their|its|the)\s+(?:expected\s+)?close\s+dates?\b|"
            r"\b(?:that\s+|which\s+)?(?:have\s+|has\s+)?(?:already\s+)?(?:missed|overshot|passed)\s+(?:their|its|the)\s+"
            r"(?:expected\s+)?close\s+dates?\b"
        ),
        " past their expected close date ",
    ),
    # "the slipping deals", "slipped deals", "expected close already passed": open deals past their expected close date
    (
        re.compile(r"\b(?:slipping|slipped|slipped-out|overdue)\s+(deals|opps|opportunities)\b"),
        r"open \1 past their expected close date",
    ),
    (
        re.compile(
            r"\bexpected\s+close\s+(?:date\s+)?(?:has\s+|is\s+)?(?:already\s+)?(?:passed|gone\s+by|in\s+the\s+past)\b"
        ),
        " past their expected close date ",
    ),
    # "last 30d", "past 2w", "next 6m": days, weeks, months
    (re.compile(r"\b(\d{1,3})\s*d\b(?![\w'’])"), r"\1 days"),
    (re.compile(r"\b(last|past|next|previous|prior)\s+(\d{1,2})\s*(?:w|wks?)\b(?![\w'’])"), r"\1 \2 weeks"),
    # "last month vs month before", "this quarter vs quarter before": the one before it
    (
        re.compile(
            r"\b(vs\.?|versus|against|compared\s+(?:to|with)|to)\s+(month|quarter|week|year)\s+before\b"
        ),
        r"\1 the \2 before",
    ),
    # "deals did we loose": lose
    (
        re.compile(r"\b(?:we|did|they|i|you)\s+(?:loose|loos)\b"),
        lambda m: m.group(0).rsplit(" ", 1)[0] + " lose",
    ),
    (re.compile(r"\b(?:loosed|lossed)\b"), "lost"),
    # "customers with 1,000+ employees", "500 or more employees": at least that many
    (
        re.compile(r"\b(\d[\d,]*)\s*(?:\+|plus|or\s+more)\s+(employees|headcount)\b"),
        lambda m: f"at least {m.group(1).replace(',', '')} {m.group(2)}",
    ),
    # "worth $100k+", "1.5m or more", "50k and up": at least that amount
    (
        re.compile(
            r"(?<![\w.])(\$?\d[\d,.]*\s*(?:k|m|mn|bn)\b|\$\d[\d,.]*)(?:\+|\s*\+(?!\s*[a-z])|\s*(?:plus\b|or\s+more\b|or\s+above\b|or\s+higher\b|"
            r"and\s+up\b|and\s+above\b|or\s+bigger\b|or\s+larger\b))"
            # ("over 100k + owner", spaced: the owner added, not "at least")
        ),
        r"at least \1",
    ),
    # "how many deals did we close last quarter, and how many of those were won": the closed ones, won or lost,
    # where won or lost is said apart; "how many deals did we close in Q3" alone: the ones won (below)
    (
        re.compile(
            r"\bhow\s+many\s+(deals|opps|opportunities)\s+(?:did|have)\s+we\s+close(?:d)?\b(?![\s-]+(?:won|lost)\b)"
            r"(?=.*\b(?:won|lost|win|lose)\b)"
        ),
        r"how many \1 were closed",
    ),
    # "who on the team closed the most deals in q3": the one who won the most (a person closes a deal by winning it;
    # "closed, won or lost" said apart stays both)
    (
        re.compile(
            r"\b(who|which\s+(?:\w+\s+){0,2}?(?:rep|reps|person|seller|ae|one))\b([^?.!]{0,30}?)\s+closed\s+"
            r"((?:the\s+)?(?:most|fewest|least))\s+(deals|opps|opportunities)\b(?![\s-]+(?:won|lost)\b)"
            r"(?!.*\b(?:won|lost|win|lose)\b)"
        ),
        r"\1\2 won \3 \4",
    ),
    (
        re.compile(
            r"\bhow\s+many\s+(deals|opps|opportunities)\s+(did|has|have)\s+(\w+(?:\s+\w+)?)\s+close(?:d)?\b"
            r"(?![\s-]+(?:won|lost|out|off)\b)"
        ),
        r"how many \1 \2 \3 win",
    ),
    # "the predicted LTV for the next 12 months": the predicted 12-month LTV (a measure, no period)
    (
        re.compile(
            r"\bpredicted\s+(?:ltv|lifetime\s+value|value|revenue)\s+(?:for|over|in)\s+(?:the\s+)?(?:next|coming)\s+"
            r"(?:12|twelve)\s+months\b"
        ),
        "predicted 12 month ltv",
    ),
    # "and predicted for next 12 months" after an account's LTV: the predicted 12-month LTV
    (
        re.compile(
            r"\bpredicted\s+(?:value\s+)?(?:for|over|in)\s+(?:the\s+)?next\s+(?:12|twelve)\s+months\b(?!\s+ltv)"
        ),
        "predicted 12 month ltv",
    ),
    # "how many calls did the team log last week? (all of us, not just mine)": we, all of us (no split by team);
    # "the team" alone may be the asker's own, and stays as said
    (
        re.compile(r"\b(did|has|have)\s+the\s+(?:whole\s+|entire\s+)?team\b(?!\s*'s)"),
        lambda m: (
            f"{m.group(1)} we"
            if re.search(r"\b(?:all\s+of\s+us|everyone|everybody|whole|entire)\b", m.string)
            else m.group(0)
        ),
    ),
    # "list the 90+ ones" after AR aging: the invoices of that bucket
    (
        re.compile(r"\b(?:the\s+)?(90\s*\+|61\s*-\s*90|31\s*-\s*60|1\s*-\s*30)\s+ones\b"),
        r" \1 bucket invoices ",
    ),
    # "only ones that haven't converted or been DQ'd": the open leads (new, working, qualified)
    (
        re.compile(
            r"\b(?:(?:only\s+)?(?:the\s+)?ones\s+)?(?:that|which|who)?\s*(?:haven'?t|have\s+not|hasn'?t|has\s+not|not)\s+"
            r"(?:yet\s+)?(?:been\s+)?converted\s+(?:or|nor)\s+(?:been\s+)?(?:dq'?e?d|disqualified)\b|"
            r"\b(?:(?:only\s+)?(?:the\s+)?ones\s+)?(?:that|which|who)?\s*(?:haven'?t|have\s+not|hasn'?t|not)\s+(?:yet\s+)?"
            r"(?:been\s+)?(?:dq'?e?d|disqualified)\s+(?:or|nor)\s+(?:been\s+)?converted\b"
        ),
        " still open ",
    ),
    # "tickets opened last month by the accounts of my team": whose, not a split by account
    (
        re.compile(
            r"\bby\s+(?:the\s+)?(?:accounts|customers|clients|companies)\s+(?:of|owned\s+by|on)\s+(my|our)\s+team\b"
        ),
        r"on \1 team's accounts",
    ),
    # "which reason cost us the most money?": the highest lost amount (what the lost deals were worth)
    (
        re.compile(r"\b(?:cost|costs|lost)\s+us\s+the\s+most(?:\s+(?:money|\$|revenue|business|dollars))?\b"),
        "has the highest lost amount",
    ),
    # "10 biggest deals we lost this year + reason": each deal with its reason (a column, not a split)
    (
        re.compile(r"\b(?:and|plus)\s+(?:the\s+|their\s+)?((?:lost\s+)?reasons?)\s*[?.!]*\s*$"),
        lambda m: (
            m.group(0)  # a count by reason, or one more column of a list asked ("w/ amount + reason")
            if re.match(r"\W*(?:how\s+many|number|count)\b", m.string)
            or re.search(r"(?:\bw/|\bwith\b|,)", m.string[: m.start()])
            else f" with the {m.group(1)}"
        ),
    ),
    # "the same regional breakdown for Q2": by region (never a customer named "Regional ...")
    (re.compile(r"\bregional\s+(breakdown|split|view|numbers|figures|cut|comparison)\b"), r"\1 by region"),
    # "(all of us, not just mine)": everyone's, said twice (no "not" to read)
    (
        re.compile(
            r"\(?\s*(?:(?:for\s+)?(?:all\s+of\s+us|everyone|everybody|the\s+whole\s+team|all\s+reps)\s*,?\s*)?"
            r"\bnot\s+(?:just|only)\s+(?:mine|me|myself|my\s+own|my\s+(?:own\s+)?(?:accounts|deals|numbers|calls|leads))\b\s*\)?"
        ),
        " ",
    ),
    # "with the owning rep": the rep (a column of each record, as "with the rep")
    (
        re.compile(r"\bowning\s+(?:sales\s*)?(rep|salesperson|ae|account\s+executive|account\s+manager)\b"),
        r"\1",
    ),
    # "how many invoices went out this month", "invoices we sent out in Q3": the ones billed (sent, paid since)
    (
        re.compile(
            r"\binvoices\s+(?:that\s+)?(?:(?:were|got|have\s+been|we)\s+)?(?:went|go|gone|sent|mailed|issued)\s+out\b|"
            r"\binvoices\s+(?:were|got|have\s+been)\s+sent\b(?!\s+(?:to|by)\b)|"
            # "how many invoices did we actually send out in july"
            r"\binvoices\s+(?:did|do|have|had)\s+(?:we|you|i)\s+(?:actually\s+|really\s+|already\s+)?(?:send|sent|mail|mailed)(?:\s+out)?\b(?!\s+(?:to|by)\b)"
        ),
        "invoices billed",
    ),
    # "paid ads leads this qtr - how many total and how many got DQ'd": the count, and the part among them
    (
        re.compile(
            r"^(?P<what>[^-–—:?]{3,80}?)\s*(?:[-–—:?]|,)\s*how\s+many\s+(?:in\s+)?total\s*,?\s*(?:and|&|\+)\s+"
            r"how\s+many\s+(?!of\b)"
        ),
        r"how many \g<what> in total, and how many of those ",
    ),
    # "what did Joseph close last month?", "what did I close in Q1": the deals won (closing one is winning it)
    (
        re.compile(
            r"\b(what|which\s+deals)\s+(did|has|have)\s+(\w+(?:\s+\w+)?)\s+close(?:d)?\b(?!\s+(?:lost|out|off))"
        ),
        r"\1 \2 \3 win",
    ),
    # "what did we sign last quarter, in $?", "how much did we sign in 2025": the deals we won, their amount
    (
        re.compile(r"\b(?:what|how\s+much(?:\s+business)?)\s+(?:did|have)\s+we\s+(?:sign(?:ed)?|won|win)\b"),
        "bookings",
    ),
    (re.compile(r"\$\s*(?:signed|won|booked)\b"), "bookings"),
    # "customers who stopped doing business with us": churned; "brand new customers": new customers
    (
        re.compile(
            r"\b(?:who\s+|that\s+)?(?:stopped|quit|ceased)\s+(?:doing\s+business|working)\s+with\s+us\b"
        ),
        " churned ",
    ),
    (re.compile(r"\bbrand[\s-]+new\b"), "new"),
    # "top 5 customers by money paid to us": revenue
    (re.compile(r"\b(?:money|cash|amount)\s+(?:they\s+)?paid\s+(?:to\s+)?us\b"), "revenue"),
    # "out of the deals we wrapped up (won or lost), what share did we win": the win rate
    (
        re.compile(
            r"\bwhat\s+(?:share|percentage|percent|fraction|proportion)\s+(?:of\s+them\s+)?did\s+we\s+win\b"
        ),
        "win rate",
    ),
    (re.compile(r"\bhow\s+many\s+deals\s+(?:have|did)\s+we\s+sign(?:ed)?\b"), "how many deals won"),
    (re.compile(r"\b(which|what)\s+deals\s+(?:have|did)\s+we\s+sign(?:ed)?\b"), r"\1 deals won"),
    (re.compile(r"(?:,\s*)?\bin\s+\$\s*(?=[?.!]*\s*$)"), " total amount "),
    # "what did we get paid yesterday": the money that came in
    (re.compile(r"\b(?:what|how\s+much)\s+(?:did|have)\s+we\s+(?:get|got|gotten|been)\s+paid\b"), "revenue"),
    (re.compile(r"\ball\s+together\b"), "altogether"),
    # "on average, how big was a deal we won last year": the average deal size
    (
        re.compile(
            r"\bhow\s+(?:big|large)\s+(?:was|is|were|are)\s+(?:an?\s+|the\s+|our\s+)?(?:typical\s+|average\s+)?"
            r"(?:won\s+)?deals?(?:\s+(?:that\s+)?we\s+won)?\b"
        ),
        "average deal size",
    ),
    # "how many meetings did the reps log": we (not a split by rep)
    (
        re.compile(
            r"\b(did|do|have|has)\s+(?:the|our|all\s+the|all\s+our)\s+(?:reps|sales\s+reps|salespeople|sellers|sales\s+team)\s+"
            r"(?=log|make|do|have|book|close|win|send|hold|run|schedule|win)"
        ),
        r"\1 we ",
    ),
    # "bills that are already past their due date": overdue
    (
        re.compile(
            r"\b(?:that\s+are\s+|which\s+are\s+)?(?:already\s+)?past\s+(?:their|the|its)\s+due\s+dates?\b"
        ),
        " overdue ",
    ),
    # "tickets still marked open", "flagged as pending": in that status
    (re.compile(r"\b(?:marked|flagged|set)\s+(?:as\s+)?(open|pending|resolved|closed)\b"), r"in status \1"),
)


AS_WRITTEN_AFTER_COMPARE: tuple[tuple[re.Pattern, object], ...] = (
    # then, after "compare X against Y" is one comparison
    # "closed won $ last year": bookings
    (re.compile(r"\b(?:closed[\s-]+won|won|signed)\s+(?:deals?\s+)?\$(?!\s*\d)"), " bookings "),
    # "(all open deals, regardless of expected close date)": whatever the date (no period)
    (
        re.compile(
            r"[,(]?\s*(?:all\s+open\s+deals\s*,?\s*)?(?:regardless|irrespective)\s+of\s+(?:the\s+|their\s+)?(?:expected\s+)?"
            r"close\s+dates?\s*\)?"
        ),
        " ",
    ),
    # "whats the $ on the nov ones": the amount
    (re.compile(r"\b(the|total|in)\s+\$(?!\s*\d)"), r"\1 total amount "),
    # "in calendar year 2025": the year; "at present": now
    (re.compile(r"\bcalendar\s+(?=year\s+\d{4}\b|\d{4}\b)"), ""),
    (re.compile(r"\bat\s+present\b"), " "),
    # "dec '24", "q3 '25": a year
    (re.compile(r"(?<![\w'’])['’](\d{2})\b(?!')"), r"20\1"),
    # "invoices overdue since more than 90 days", "overdue by over 60 days": more than that many days overdue
    (
        re.compile(
            r"\b(overdue|late|past\s+due)\s+(?:since|for|by)\s+((?:more\s+than|over|greater\s+than)\s*(?:30|60|90)\s*days?)\b"
        ),
        r"\2 \1",
    ),
    (re.compile(r"\b(day|week|month|quarter|year)-(on|over)-(day|week|month|quarter|year)\b"), r"\1 \2 \3"),
    # "since the start of 2025", "since the beginning of last year": since then
    (
        re.compile(
            r"\b(?:since|from)\s+the\s+(?:start|beginning)\s+of\s+(?=(?:the\s+)?(?:last|this|previous|\d{4}|[a-z]+\s+\d{4}))"
        ),
        "since ",
    ),
)
