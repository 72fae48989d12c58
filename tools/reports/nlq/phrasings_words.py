"""Everyday words said in the engine's own words, read in order after the phrasings (a later rewrite may read what
an earlier one wrote): "last actually talked to", "billed to", "medium or high churn risk", "my book", "the
hottest lead", "the whole team", "with who closed them", "over the weekend" and the like."""

from __future__ import annotations

import re

EVERYDAY_WORDS: tuple[tuple[re.Pattern, object], ...] = (
    # "and how many have we lost (churned) this yr?": the word in brackets says which loss
    (re.compile(r"\b(?:lose|lost|losing|loose)\s*\(\s*(?:churned?|churning)\s*\)"), "churned"),
    # "when did anyone last actually talk to them": last contacted
    (re.compile(r"\blast\s+(?:actually|really|even|ever)\s+"), "last "),
    # "total billed to Contoso Apparel": the amount billed, for that account ("billed to whom" is a split)
    (
        re.compile(r"\b(billed|invoiced)\s+to\b(?!\s+(?:whom|who|which|each|what|every)\b|\s*[?.!]*\s*$)"),
        r"\1 for",
    ),
    # "medium or high churn risk", "high/urgent priority": the noun said once, for each value
    (
        re.compile(
            r"\b(low|medium|med|high|urgent)\s*(?:or|and|/|,)\s*(low|medium|med|high|urgent)\s+(churn\s+risk|risk|priority)\b"
        ),
        lambda m: f"{m.group(1)} {m.group(3)} or {m.group(2)} {m.group(3)}",
    ),
    # "how's my team's book looking?": the accounts they own, never bookings
    # ("avg health score of each rep's book?": each rep's accounts)
    (
        re.compile(
            r"\b(my|our|their|his|her|(?!what|that|who|it|there|here|let)[a-z]+'s|[a-z]+s')\s+book\b(?!\s+(?:a|an|the|\d))"
        ),
        r"\1 accounts",
    ),
    # "my 5 best leads to call today", "top 5 leads the SDRs should be calling today?": the best leads (whom to
    # call is the reader's plan, not a filter on calls or a period)
    (
        re.compile(
            r"(\bleads?\b[\w\s']{0,20}?)\s+(?:(?:that|which)\s+)?(?:(?:the\s+)?(?:sdrs?|bdrs?|reps?|team|we|i|you|they)\s+)?"
            r"(?:should\s+be|should|could|shall|need\s+to|ought\s+to|to)\s+"
            r"(?:(?:the\s+)?(?:sdrs?|bdrs?|reps?|team|we|i|you|they)\s+)?(?:be\s+)?(?:call|calling|ring|ringing|phone|phoning|"
            r"chase|chasing|contact|contacting|reach\s+out\s+to|reaching\s+out\s+to|work|working|prioriti[sz]e|"
            r"prioriti[sz]ing|follow\s+up\s+(?:on|with))\b(?:\s+(?:first|next|today|tomorrow|this\s+week|now|asap|"
            r"right\s+now))*"
        ),
        # ("which leads should we call first": the best ones, as "top leads" reads them)
        lambda m: (
            m.group(1)
            if re.search(r"\b(?:top|best|hottest|highest|bottom|worst)\b", m.string[: m.start()])
            else f"best {m.group(1)}"
        ),
    ),
    # "which leads converted this quarter?": placed by when they converted (a lead created earlier converts now);
    # "leads created in Q1 ... converted so far" stays with its creation period
    (
        re.compile(r"\b(?:converted|converting)\s+(?=(?:this|last|in|during|q[1-4]|yesterday|today)\b)"),
        lambda m: (
            m.group(0)
            if re.search(r"\b(?:created|came\s+in|added|from|of\s+(?:the|those))\b", m.string[: m.start()])
            else "converted by conversion date "
        ),
    ),
    # "by priority - count, plus avg resolution time for each": one more column
    (re.compile(r",\s*plus\s+(?=[a-z])"), ", and "),
    # "avg engagement, payment and support score": the noun said once, for each ("payment" alone is payments)
    (
        re.compile(
            r"\b(engagement|payment|support|health)\s*(?:,|/)\s*(engagement|payment|support|health)\s*,?\s*(?:and|&|/)\s+"
            r"(engagement|payment|support|health)\s+scores?\b"
        ),
        r"\1 score, \2 score and \3 score",
    ),
    (
        re.compile(
            r"\b(engagement|payment|support|health)\s*(?:and|&|/)\s*(engagement|payment|support|health)\s+scores?\b"
        ),
        r"\1 score and \2 score",
    ),
    # "everything sent and not yet paid": unpaid ("not" alone is never read as a filter)
    (
        re.compile(
            r"\b(?:and\s+)?(?:not\s+yet|not|yet\s+to\s+be|still\s+not)\s+(?:been\s+)?paid(?:\s+yet)?\b"
        ),
        " unpaid ",
    ),
    # "which of my invoices haven't gone out yet?": the ones not sent (draft, pending approval or approved); "which
    # drafts haven't gone out yet" are the drafts named
    (
        re.compile(
            r"\b(?:haven'?t|have\s+not|hasn'?t|has\s+not|not\s+yet|not)\s+(?:yet\s+)?(?:gone\s+out|been\s+sent|been\s+issued|"
            r"sent\s+out)(?:\s+yet)?\b"
        ),
        lambda m: (
            " "
            if re.search(r"\b(?:drafts?|pending|approved)\b", m.string)
            else " in status draft, pending approval or approved "
        ),
    ),
    (re.compile(r"\bdisqualifying\b"), "disqualified"),
    # "a payment score of zero": exactly that number
    (
        re.compile(r"\b(?:of|at|is|are|=|equal\s+to|exactly)\s+(?:zero|0)\b(?!\s*(?:%|k\b|days?))"),
        " exactly 0",
    ),
    # "anything unresolved in support for my accounts?": the unresolved support tickets
    (
        re.compile(
            r"\b(?:anything|something|stuff|what'?s|whats)\s+(unresolved|open|pending|outstanding)\s+(?:in|with|at)\s+support\b"
        ),
        r"\1 support tickets",
    ),
    # "how many of those were paid ads": the lead source (not invoices "were paid")
    (
        re.compile(r"\b(?:were|was|are|is|came\s+from|come\s+from)\s+(paid[\s_-]+ads?|paid\s+advertising)\b"),
        r"from \1",
    ),
    # "referral vs partner leads - which converted better in 2025?": the conversion rate, not the count converted
    (
        re.compile(
            r"\b(?:converted|converts|convert|converting)\s+(?:better|best|worse|worst|more\s+often|most\s+often)\b"
        ),
        "has the best conversion rate",
    ),
    # "who owns our highest scoring lead?", "who has the biggest deal in the pipeline": that record, with its owner
    (
        re.compile(
            r"^\s*who\s+(?:owns|has|is\s+working|works|is\s+on)\s+((?:the|our|my)\s+(?:single\s+)?(?:top|best|hottest|biggest|"
            r"largest|highest)\b[^?]*?\b(?:lead|deal|invoice|opportunity)\b(?!s)[^?]*)"
        ),
        lambda m: f"{m.group(1)} with owner ",
    ),
    # "our highest scoring lead", "the hottest lead": one lead, ranked by its score (not the average score)
    (
        re.compile(
            r"\b(the|our|my)\s+(?:single\s+)?(?:top|best|hottest|highest[\s-]+(?:scoring|scored|score|rated))\s+(open\s+)?lead\b"
            r"(?!s|\s+(?:source|score|status|owner|conversion|gen)\w*)"
        ),
        # "my best lead": mine, still
        lambda m: f"{'my ' if m.group(1) == 'my' else ''}top 1 {m.group(2) or ''}leads by score",
    ),
    # "my hottest open lead rn + conv probability": a lead shown with its probability (a column it has)
    (
        re.compile(
            r"(\bleads\s+by\s+score\b[^?]*?)\s*(?:,|\band\b|\bplus\b|\bwith\b|\bw/)\s*(?:the\s+|their\s+|its\s+)?"
            r"conv(?:ersion)?\.?\s*(?:probability|prob|chance|likelihood|%)"
        ),
        r"\1",
    ),
    # read after a correction ("no sorry, I meant X"), in this order: a later one may read what an earlier wrote
    # "how much we sold in october? the bookings i mean": a word of clarification, never an average
    (re.compile(r"[,;]?\s*\bi\s+mean\b\s*[,;]?"), " "),
    # "Morning all, first day of Q2. What's our AR?", "Q2 is one day old, I know, but how much ...": what
    # today is, said before the question, is no period asked about
    (
        re.compile(
            r"(?:^|(?<=[.!?,;:]))\s*(?:(?:good\s+)?(?:morning|hi|hey|hello)(?:\s+(?:all|team|everyone))?\s*[,!.]?\s*)?"
            r"(?:it'?s\s+|today\s+is\s+|today'?s\s+)?(?:the\s+)?(?:first|last|1st|final)\s+(?:business\s+)?(?:day|week)\s+"
            r"of\s+[a-z0-9 ]{1,25}?\s*[.!;,:]\s*(?=\S)|"
            r"^\s*(?:q[1-4]|the\s+(?:quarter|month|year))\s+(?:is|'s)\s+(?:only\s+|just\s+)?(?:one|a|two|three|\d+)\s+"
            r"days?\s+old\s*,?\s*(?:i\s+know\s*,?\s*)?(?:but\s+)?"
        ),
        " ",
    ),
    # "win rate, all reps on the team": each rep of that team
    (
        re.compile(
            r"\b(?:all|every)\s+(?:the\s+|of\s+the\s+)?reps?\s+(?:on|in)\s+(?=(?:the|my|our)\s+team\b)"
        ),
        " for each rep on ",
    ),
    # "only the people of team Brazil", "just the reps in the DACH team": the team, not people at companies
    (
        re.compile(
            r"\b(?:the\s+)?(?:people|folks|reps|members|sellers|guys)\s+(?:of|on|in|from)\s+(?=(?:the\s+)?team\s+[a-z]"
            r"|(?:the\s+)?[a-z][\w&' ]{0,30}?\s+team\b)"
        ),
        " ",
    ),
    # "... and total receivables while you're at it", "when you get a chance": politeness, nothing asked
    (
        re.compile(
            r"\b(?:while|whilst)\s+(?:you'?re|you\s+are|ur|youre)\s+at\s+it\b|\bwhen(?:ever)?\s+you\s+(?:get|have)\s+a\s+"
            r"(?:chance|sec|second|minute|moment)\b|\bif\s+you\s+(?:don'?t|do\s+not)\s+mind\b|\bif\s+(?:possible|you\s+can)\b"
        ),
        " ",
    ),
    # "how many new customers have we landed this year, and how many have we lost?": customers lost are churned
    (
        re.compile(
            r"(\bcustomers?\b[^?]*?\band\s+)how\s+many\s+(?:have\s+|did\s+)?(?:we\s+)?(?:lost|lose)\b"
            r"(?!\s+(?:deals?|opps?|opportunities|leads?|invoices?|tickets?))"
        ),
        r"\1how many churned customers",
    ),
    # "my stalled opps - still open but past expected close date": the word explained in the same breath
    (
        re.compile(
            r"\b(?:stalled|stuck|stale|slipping|slipped)\s+(?=(?:opps?|deals?|opportunities)\b[^?]*\bpast\s+(?:the\s+|their\s+|its\s+)?"
            r"(?:expected\s+)?close\b)"
        ),
        "",
    ),
    # "tickets still open or pending": open tickets are those two statuses
    (
        re.compile(
            r"\bstill\s+(?:sitting\s+|marked\s+)?(?:open\s*(?:or|and|/|,|&)\s*pending|pending\s*(?:or|and|/|,|&)\s*open)\b"
        ),
        "still open",
    ),
    # "which of my accounts are high churn risk? riskiest first": the likeliest to churn first
    (
        re.compile(
            r"\b(?:riskiest|most\s+at[\s-]risk|highest[\s-]risk|most\s+risky|likeliest\s+to\s+churn|most\s+likely\s+to\s+churn)\s+"
            r"(?:ones?\s+)?(?:first|on\s+top|at\s+the\s+top)\b"
        ),
        "highest churn probability first",
    ),
    # "where's DSO sitting today?", "where is AR sitting at the moment": the figure now
    (
        re.compile(
            r"\bsitting(?:\s+at)?(?=\s*(?:today|now|right\s+now|currently|at\s+the\s+moment|atm|rn|[?.!,]|$))"
        ),
        " ",
    ),
    # "avg deal size ytd, all teams not just us", "new leads, all sources, whole co": everyone's, one figure
    (
        re.compile(
            r"\ball\s+(?:the\s+)?(?:teams|sources|regions|reps|segments)\s*,?\s*(?:(?:not\s+(?:just|only)\s+(?:us|ours|mine|"
            r"my\s+team|our\s+team))|whole\s+(?:co|company|org)|combined|together|in\s+total|total)\b"
        ),
        " everyone ",
    ),
    # "co-wide bookings": the whole company's
    (re.compile(r"\bco[\s-]wide\b"), "company-wide"),
    # "5 biggest deals won this q, with who closed them": each deal with its rep (a column, not a split by rep)
    (
        re.compile(
            r"\b(?:with|and|plus|w/)\s+who\s+(?:closed|won|owns|booked|signed|sold|landed|is\s+working|works)\s+"
            r"(?:them|each(?:\s+one)?|those|these)\b"
        ),
        lambda m: " and the owner " if m.group(0).startswith("and") else " with the owner ",
    ),
    # "5 biggest wins on the team this q": the deals won, biggest first (never a count of wins by rep)
    (
        re.compile(r"\b(\d+\s+|top\s+\d+\s+)?(biggest|largest|top)\s+(\d+\s+)?wins\b"),
        lambda m: f"{m.group(1) or ''}{m.group(2)} {m.group(3) or ''}deals won",
    ),
    # "my whole team": my team; "all the team": everyone ("the whole team" may be the asker's team)
    (
        re.compile(r"\b(my|our)\s+(?:whole|entire)\s+team\b"),
        lambda m: f"{m.group(1)} team" if m.group(1) == "my" else " everyone ",
    ),
    (re.compile(r"\ball\s+(?:of\s+)?the\s+team\b"), " everyone "),
    # "our customers in Spain and who is the owner of each": the records with their owner
    (
        re.compile(
            r"\b(?:and\s+)?(?:who\s+is|who's|whos|who\s+are)\s+the\s+owners?\s+(?:of\s+)?(?:each(?:\s+one)?|them|it)\b"
        ),
        " with who owns each ",
    ),
    # "deals in negotiation bigger of 100k": bigger than
    (re.compile(r"\b(bigger|greater|higher|larger|smaller|lower|less|more)\s+of\s+(?=\$?\d)"), r"\1 than "),
    # "how many tix did triton advisors open last yr": the verb (opened), not the open status; "did they
    # have open" is the status
    (
        re.compile(r"\b(did|do|does)\s+((?:(?!have\b|has\b|had\b|still\b|any\b)[\w&'.-]+\s+){1,5})open\b"),
        r"\1 \2opened",
    ),
    # "when did anyone on our side last ...": whoever it was
    (re.compile(r"\b(?:on|from)\s+our\s+(?:side|end)\b"), " "),
    # "when was the last time we had contact with Zenith" (had contact with: contacted): when did we last
    (
        re.compile(
            r"\bwhen\s+was\s+the\s+(?:last|most\s+recent|latest)\s+time\s+(?:that\s+)?"
            r"(?:we|you|anyone|someone|somebody|anybody)\s+contacted\b"
        ),
        "when did we last contact",
    ),
    # "East Circle Cyber has invoices not paid? show them with how much is still open": list what was asked about
    (
        re.compile(
            r"^(?!\s*(?:do|does|did|are|is|was|were|have|has|any|can|could|will)\b)(.+?)\?\s*"
            r"(?:ok\s+|so\s+|then\s+|please\s+|pls\s+|can\s+you\s+|could\s+you\s+|and\s+)?"
            r"(?:show|list|give)\s+(?:me\s+)?(?:them|those|these|the\s+list)\b"
        ),
        r"list \1 ",
    ),
    # "show them with how much is still open": each one's balance, not the total
    (
        re.compile(
            r"\b(with|and)\s+how\s+much\s+(?:is\s+|was\s+)?(?:still\s+)?(?:open|owed|outstanding|unpaid|left|due)"
            r"(?:\s+on\s+(?:each(?:\s+one)?|them|it))?(?=\s*[?.!]*\s*$)"
        ),
        r" \1 balance ",
    ),
    # "which deals, who owns them and how big?": the records with their amount, not the biggest one
    (
        re.compile(
            r",?\s*\b(?:and\s+)?how\s+(?:big|large)(?:\s+(?:they|each\s+one|each)\s+(?:are|is))?(?=\s*[?.!]*\s*$)"
        ),
        " with amount ",
    ),
    # "my 5 leads with best score": my top 5 leads by score
    (
        re.compile(
            r"\b(\d{1,2})\s+((?:[a-z]+\s+){0,2}?[a-z]+)\s+with\s+(?:the\s+)?(?:best|highest|top|biggest|largest|most)\s+"
        ),
        r"top \1 \2 by ",
    ),
    # "clients with 5 tickets or more": at least 5 tickets
    (re.compile(r"\bwith\s+(\d+)\s+([a-z]+)\s+or\s+more\b"), r"with at least \1 \2"),
    # "anything slipped?", "what's slipped": open deals past their expected close date
    (
        re.compile(
            r"^\W*(?:anything|any\s+deals|what(?:'?s|\s+has)?|which\s+deals)\s+(?:has\s+|have\s+)?slipped\b"
        ),
        "open deals past their expected close date",
    ),
    # "open deals where expected close date is already passed": past their expected close date
    (
        re.compile(
            r"\b(?:where|whose|with)\s+(?:the\s+|their\s+|an?\s+)?(?:expected\s+)?close\s+date\s+(?:is\s+|has\s+|that'?s\s+)?"
            r"(?:already\s+)?(?:passed|past|gone\s+by|in\s+the\s+past|(?:before|earlier\s+than|prior\s+to)\s+today)\b"
        ),
        " past their expected close date ",
    ),
    # "East Circle Cyber has invoices not paid?": unpaid invoices
    (re.compile(r"\b(invoices?|bills?)\s+(?:still\s+)?not\s+(?:yet\s+)?paid\b"), r"unpaid \1"),
    # "customers that the model predict will churn": predicted to churn
    (
        re.compile(
            r"\b(?:that\s+|which\s+|who\s+)?(?:the\s+)?(?:model|system|ai|crmbot|you)\s+predicts?\s+(?:will|to|would)\s+churn\b|"
            # "which customers does the model expect to churn by ...", "do we expect to churn"
            r"\b(?:does|do|did)\s+(?:the\s+)?(?:model|system|ai|crmbot|you|we)\s+(?:expect|predict|forecast|project|think|"
            r"reckon|say|believe)s?\s+(?:to\s+)?(?:will\s+|are\s+going\s+to\s+|might\s+|could\s+)?churn\b"
        ),
        " predicted to churn ",
    ),
    # "... will churn before june? with the predicted date": the predicted churn date, as a column
    (
        re.compile(r"(?<=\bchurn\b)(.*)\b(?:the\s+)?predicted\s+dates?\b(?!\s+of\s+churn)"),
        r"\1 predicted churn date",
    ),
    # "how much money is entered in Q3": money that came in
    (
        re.compile(r"\b(?:money|cash)\s+(?:is\s+|was\s+|has\s+)?(?:entered|entering|come\s+in|came\s+in)\b"),
        " revenue ",
    ),
    # "avg conversion probability of scored leads": the leads (only scored ones have one)
    (re.compile(r"\bscored\s+leads\b"), "leads"),
    # "deals lost last week and why we lost them": and why
    (
        re.compile(r"\band\s+why\s+(?:did\s+)?(?:we|they|you)\s+(?:lost|lose)\s+(?:them|those|these|it)\b"),
        " and why ",
    ),
)
