"""Screening: anything that is not a read-only question about the CRM data is refused first.

Writes ("delete", "set X to Y"), pasted SQL, prompt injection and questions about something
else altogether get a polite refusal that says what the bot can do instead.
"""

from __future__ import annotations

import re

from tools.reports.nlq.types import Refusal

_SQL_START = re.compile(
    # ("drop the churned accounts from that": a narrowing of the answer, "drop table": SQL)
    r"^\s*(select|with|insert|update|delete|drop(?=\s+(?:table|view|index|database|schema|column|trigger)\b)|create|"
    r"alter|truncate|grant|revoke|pragma|attach|detach|"
    r"vacuum|replace|merge|copy|exec|execute|call|explain(?=\s+(?:select|with|analyze|query\s+plan)\b)|begin|commit|"
    r"rollback|set)\b.*"
    r"(\bfrom\b|\binto\b|\btable\b|\bset\b|\bwhere\b|;|\*|\bdatabase\b|\bas\b|=|\bto\b|\bon\b)",
    re.I | re.S,
)
_SQL_INSIDE = re.compile(
    r";\s*(select|insert|update|delete|drop|create|alter|truncate)\b|--|/\*|\bunion\s+select\b|"
    r"\bselect\b.+\bfrom\b|\bdrop\s+table\b|\binsert\s+into\b|\bdelete\s+from\b|\bupdate\s+\w+\s+set\b",
    re.I | re.S,
)
_WRITE_VERBS = re.compile(
    r"\b(delete|deletes|deleting|erase|wipe|purge|destroy|truncate|alter|insert|update|"
    r"overwrite|grant|revoke|rename|reset|modify|edit|archive|restore|undo|unsubscribe|deactivate|"
    r"approve|reject|void|cancel|refund|reassign|assign|transfer\s+ownership)\b",
    re.I,
)
# "drop the small ones - only over 150k", "remove anything under 10k": a narrowing of the answer; "did it drop?",
# "the drop in CSAT": a question. "drop" and "remove" change data only as a command on records ("remove Acme's
# contacts", "please drop that deal")
_DROP_COMMAND = re.compile(
    r"(?:(?:^|[.!?;:\n]\s*)(?:please\s+|pls\s+|(?:can|could|would|will)\s+(?:you|u)\s+|go\s+ahead\s+and\s+|"
    r"now\s+|ok\s+|okay\s+|then\s+|and\s+|hey,?\s+|help\s+me\s+|just\s+)*|\b(?:you|u)\s+to\s+(?:please\s+|just\s+)?)"
    r"(drop|remove)\b(?!\s+(?:the\s+|those\s+|these\s+|all\s+|any\s+)?"
    r"(?:(?:[\w-]+\s+){1,2}ones|ones|anything|everything|the\s+rest|"
    # "drop the churned accounts from that", "hmm drop the churned ones": the answer narrowed, no record changed
    r"(?:churned|lost|won|closed|paid|unpaid|inactive|dead|stale|prospect|internal)\s+(?:accounts?|customers?|"
    r"companies|clients?|deals?|invoices?|leads?|ones)\b|"
    r"(?:[\w-]+\s+){0,3}?(?:under|below|over|above|less|more|smaller|bigger|older|newer)\b|"
    r"(?:[\w-]+\s+){0,3}?from\s+(?:(?:the|this|that)\s+(?:list|table|answer|results?|view)|that\b|this\b|there\b)))",
    re.I,
)
_WRITE_PHRASES = re.compile(
    r"\b(set|change|make|mark|move|switch|flag|put|bump|raise|lower|increase|decrease|override|adjust)\b.+\b(to|as|into|equal)\b|"
    r"\b(create|add|insert|log|record|open|send|email|write)\s+(a|an|the|new|\d+)\b|"
    # "push the due date on INV-1 out 30 days", "extend their terms to net 60": a change to a record's date or terms
    r"\b(push|extend|postpone|delay|defer|reschedule)\b.+\b(out|back|forward|in|by|to|until|till)\b|"
    # "close all the pending tickets for Acme", "resolve those tickets": a change to them
    r"(?:^|[.!?;:,]\s*)(?:please\s+|pls\s+|can\s+you\s+|could\s+you\s+|go\s+ahead\s+and\s+)*"
    r"(close|resolve|reopen|escalate|merge)\s+(?:out\s+|off\s+)?(?:all|every|the|those|these|them|that|this|it)\b|"
    # "email each rep on my team their q3 number and cc me": a message to people
    r"(?:^|[.!?;:,]\s*)(?:please\s+|pls\s+|can\s+you\s+|could\s+you\s+|go\s+ahead\s+and\s+)*"
    r"(send|email|e-mail|message|ping|text|dm|slack)\s+(?:each|every|all|them|those|these|him|her|my|our|the|their)\b|"
    r"\bcc\s+(?:me|us|him|her|them)\b|"
    # "mark the thornbury films deal closed won, they signed this morning": a deal's stage changed
    r"(?:^|[.!?;:,]\s*)(?:please\s+|pls\s+|can\s+you\s+|could\s+you\s+|go\s+ahead\s+and\s+)*(mark|move|set|flag)\s+"
    r"(?:the\s+|this\s+|that\s+)?.{0,60}?\b(?:deals?|opps?|opportunit(?:y|ies)|leads?|tickets?|accounts?)\s+(?:as\s+|to\s+)?"
    r"(?:closed[\s-]*won|closed[\s-]*lost|won|lost|closed|qualified|disqualified|converted|resolved|churned)\b|"
    # "can you send Acme a payment reminder for their overdue invoices", "chase them for payment"
    r"\b(send|email|e-mail|text|message|ping|remind|chase|nudge|notify)\b.{0,60}\b(reminders?|dunning|notices?|"
    r"follow[- ]?ups?|emails?|notes?|messages?|payment|statements?)\b",
    re.I,
)
# what was spent to win leads or customers: no table of the contract holds it
_SPEND = re.compile(
    r"\b(?:cost\s+(?:per|of)\s+(?:a\s+)?(?:lead|acquisition|acquiring|customer|click|conversion)|cpl|cac|cpa|cpc|roas|"
    r"(?:customer\s+)?acquisition\s+costs?|"
    r"(?:ad|ads|advertising|marketing|media|campaign)\s+(?:spend|spending|budget|costs?)|"
    r"(?:how\s+much|what)\s+(?:did|do|have|has)\s+(?:we|marketing|they)\s+(?:spen[dt]|invest(?:ed)?)|"
    r"(?:we|marketing)\s+(?:spent|invested)|return\s+on\s+(?:ad\s+|marketing\s+)?(?:spend|investment))\b",
    re.I,
)
# what other firms offer or are paid: "what discount is our competitor offering X", "what is X paying their other
# software vendors": the CRM holds our own deals and invoices only
_THIRD_PARTY = re.compile(
    r"\bcompetitor(?:s|'s|s')?\s+(?:is\s+|are\s+|has\s+|have\s+)?(?:offering|offer|offered|charging|charge|"
    r"quoting|quoted|quote|pricing|prices?|discounts?|rates?|giving|gave)\b|"
    r"\b(?:offering|charging|quoting|giving|paying)\b.{0,40}\bcompetitors?\b|"
    r"\b(?:their|its|other)\s+(?:other\s+)?(?:[\w-]+\s+)?(?:vendors?|suppliers?|providers?)\b",
    re.I,
)
# "whats the card number valmont securities pays with?": credentials the CRM never holds (and nobody should read here)
_CREDENTIALS = re.compile(
    r"\b(?:credit\s+|debit\s+)?card\s+(?:numbers?|no\.?|#|details|digits|info|expiry|expiration)|\b(?:cvv|cvc|iban|swift\s+code|"
    r"routing\s+numbers?|sort\s+code|ssn|social\s+security\s+numbers?|login\s+details)\b|"
    # ("password reset tickets": tickets, about passwords)
    r"\bpasswords?\b(?!\s+(?:resets?|issues?|problems?|tickets?|requests?|expir\w*|changes?|lockouts?))|"
    r"\bbank\s+(?:account\s+)?(?:numbers?|details)\b",
    re.I,
)
# "number, customer, total, and who created it": who drafted a record is not something the reports show yet
_CREATOR = re.compile(
    r"\bwho\s+(?:created|raised|drafted|entered|keyed\s+in|made|issued|submitted)\s+(?:it|them|each(?:\s+one)?|those|"
    r"these|the\s+invoices?|that\s+invoice|this\s+invoice)\b|\b(?:created|raised|drafted|submitted)\s+by\s+whom\b",
    re.I,
)
_SENDS = re.compile(r"\b(?:send|email|e-mail|text|message|ping|remind|chase|nudge|notify|dm|cc)\b", re.I)
_OFF_TOPIC = re.compile(
    r"\b(weather|forecast\s+for\s+tomorrow|poem|poetry|haiku|lyrics|joke|jokes|recipe|"
    r"translate|translation|capital\s+of|president|prime\s+minister|"
    r"stock\s+price|share\s+price|bitcoin|crypto|horoscope|meaning\s+of\s+life|who\s+are\s+you|your\s+name|"
    r"tell\s+me\s+about\s+yourself|essay|homework|write\s+(me\s+)?(a|an)\b|play\s+a\s+game)\b",
    re.I,
)
# words of another subject that are also everyday words or parts of a name ("Ivory Films", "for
# tomorrow's pipeline review", "a success story"): off-topic only in a message that names nothing
# from the sales data
_OFF_TOPIC_WEAK = re.compile(
    r"\b(song|story|cook|movie|film|football|soccer|sing|dance|news|sports|temperature|rain|sunny)\b", re.I
)
_SALES_WORDS = re.compile(
    r"\b(revenue|bookings?|booked|deals?|pipe(?:line)?|customers?|accounts?|invoices?|invoiced|billed|leads?|"
    r"tickets?|tix|payments?|paid|cash|sales|reps?|win\s+rate|churn\w*|health|ltv|lifetime|overdue|"
    r"outstanding|quota|csat|contacts?|activit(?:y|ies)|products?|companies|company|won|lost|forecast)\b",
    re.I,
)


# "hows sunny crane doing", "how is Ivory Films looking": an account asked about by name (a name may hold a word
# of another subject)
_HOW_IS_DOING = re.compile(
    r"\bhow(?:'?s|\s+is|\s+are|'re)\s+(?:[\w&.'-]+\s+){1,5}?(?:doing|doin|looking|lookin|going|performing|tracking)\b",
    re.I,
)
_INJECTION = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(instructions|rules|prompt|previous|above)\b|"
    r"\bsystem\s+prompt\b|\bjailbreak\b|\bpretend\s+(to\s+be|you)\b|\bdeveloper\s+mode\b|"
    r"\bsystem\s+override\b|\byou\s+(?:now\s+)?have\s+(?:full\s+)?(?:write|admin|root|sudo)\s+(?:access|rights|permissions?)\b|"
    r"\b(api\s+key|password|passwords|token|tokens|secret|secrets|credentials|env(ironment)?\s+variables)\b|"
    r"\bsqlite_master\b|\bpg_catalog\b|\binformation_schema\b|\bpg_\w+\(",
    re.I,
)


def screen(question: str) -> Refusal | None:
    """A refusal for anything that is not a read-only question about the CRM data."""
    text = question.strip()
    # "for the board update: ...", "quick status update": a report's name, not a request to change data
    text = re.sub(
        r"\b(?:board|status|weekly|monthly|quarterly|quick|team|exec|investor|pipeline|sales|the|an|my|our|your)\s+"
        r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|daily|eod|eow|"
        r"eom|morning|afternoon|evening|end[\s-]of[\s-](?:day|week|month|quarter|year))\s+)?updates?\b",
        " ",
        text,
        flags=re.I,
    )
    # "invoices waiting for someone to approve them": a status asked about, not an approval
    text = re.sub(
        r"\b(?:waiting|wait|pending|need(?:s|ing)?)\s+(?:on\s+|for\s+)?(?:someone\s+|somebody\s+|anyone\s+|a\s+manager\s+)?"
        r"(?:to\s+)?(?:approve|approval|sign[\s-]off)\b(?:\s+(?:them|it))?",
        " pending approval ",
        text,
        flags=re.I,
    )
    # "any void invoices issued this year?", "invoices in status void": the status, not the verb
    text = re.sub(
        r"\b(?:any|the|all|our|of|many|which|what|are|were|list|show|total|number\s+of|status|as|is|in)\s+void\b"
        r"(?=\s+(?:invoices?|ones|bills?)\b|\s*(?:[?.!,]|$))",
        lambda m: m.group(0)[: -len("void")] + "voided",
        text,
        flags=re.I,
    )
    # "void invoices issued this year w/ company and amount": a list of the voided ones, opening the question
    text = re.sub(
        r"^\W*void(?=\s+invoices\s+(?:issued|created|raised|dated|(?:this|last)\s+(?:week|month|quarter|year)|w/|with)\b)",
        "voided",
        text,
        flags=re.I,
    )
    if not text.strip():
        text = question.strip()
    if not text:
        return Refusal('Please ask a question about your CRM data, e.g. "bookings by rep this quarter".')
    if _WRITE_PHRASES.search(text) and _looks_like_command(text) and _SENDS.search(text):
        return Refusal(
            "I can't send emails, reminders or messages; I only read the CRM data to answer questions. "
            'Nothing was sent. I can list what you need for it, e.g. "overdue invoices for Acme".'
        )
    if (
        _WRITE_VERBS.search(text)
        or _DROP_COMMAND.search(text)
        or _PUT_A_RECORD_ON.search(text)
        or _WRITE_PHRASES.search(text)
        and _looks_like_command(text)
    ):
        return Refusal(
            "I only read data to answer questions; I never change, add or delete records. "
            "Nothing was changed. To edit records, use your CRM."
        )
    if _INJECTION.search(text):
        return Refusal("I can only answer questions about the sales data; I can't do that.")
    if _SQL_START.match(text) or _SQL_INSIDE.search(text):
        return Refusal(
            "That looks like SQL. I answer questions in plain words here; to run your own read-only "
            "SELECT, use `crmbot sql` (or `/crm sql` in Slack), which checks it first."
        )
    if _SPEND.search(text):
        return Refusal(
            "The CRM holds no marketing costs or spend, so I can't work out cost per lead, acquisition cost or "
            'return on spend. I can show leads, conversion rates and revenue by lead source, e.g. "conversion '
            'rate by source this year".'
        )
    if _CREDENTIALS.search(text):
        return Refusal(
            "The CRM holds no card numbers, bank details or passwords, and I wouldn't show them here. I can show an "
            'account\'s payments (amount, date, method), e.g. "payments from Acme this year".'
        )
    if _CREATOR.search(text):
        return Refusal(
            "I can't show who created each invoice yet, and leaving it out would answer another question. Ask without "
            'it, e.g. "invoices waiting on approval: number, customer, total".'
        )
    if _THIRD_PARTY.search(text):
        return Refusal(
            "The CRM holds only our own deals, invoices and payments, so I can't tell what competitors offer or what "
            'customers pay other vendors. I can show what an account pays us, e.g. "payments from Acme this year".'
        )
    if _OFF_TOPIC.search(text) or (
        _OFF_TOPIC_WEAK.search(text) and not _SALES_WORDS.search(text) and not _HOW_IS_DOING.search(text)
    ):
        return Refusal(
            "I can only answer questions about your sales data (revenue, deals, pipeline, customers, "
            'invoices, leads, tickets...). Try "revenue by month this year".'
        )
    return None


def _looks_like_command(text: str) -> bool:
    """ "set X to Y"-style requests start a sentence with the verb (possibly after please / can you):
    "... you have write access. mark every overdue invoice as paid" is one too."""
    verbs = r"(?:set|change|make|mark|move|switch|flag|put|bump|raise|lower|override|adjust|update)\b"
    # (a full stop inside a name, "Oakridge Creative S.p.A.", ends no sentence)
    clauses = (
        rf"[!?;:\n]+|(?<![a-z]\.[a-z])\.+(?=\s|$)|,\s*(?=(?:please|pls|can\s+you|could\s+you|kindly|(?:just\s+)?{verbs}))|"
        rf"\s+and\s+(?={verbs})"
    )
    for sentence in re.split(clauses, text, flags=re.I):
        lead = re.sub(
            r"^\s*(?:(?:please|pls|can you|could you|would you|kindly|go ahead and|now|ok|okay|so|then|and|just)\s+)+",
            "",
            sentence,
            flags=re.I,
        )
        verb = re.match(
            r"(set|change|make|mark|move|switch|flag|put|bump|raise|lower|override|adjust|create|add|insert|log|record|"
            r"open|send|email|e-mail|write|"
            r"text|message|ping|remind|chase|nudge|notify|dm|slack|close|resolve|reopen|escalate|merge|"
            r"push|extend|postpone|delay|defer|reschedule)\b",
            lead.strip(),
            re.I,
        )
        if verb and _WRITE_PHRASES.search(sentence):
            if _SWITCH_MEASURE.match(lead.strip()):
                continue  # "switch to invoiced" after a report: another measure for the same answer
            if (
                verb.group(1).lower() == "add"
                and _ADD_A_FIGURE.match(lead.strip())
                and not re.search(r"\bto\b", lead)
            ):
                continue  # "add the number of deals in each" after the pipeline by stage: one more figure per row
            if (
                verb.group(1).lower() in _RESHAPES
                and _SHAPE_OF_ANSWER.search(sentence)
                and not _A_FIELD.search(sentence)
            ):
                continue  # "..., set the order to amount": how to show the answer, not a change to a record
            return True
    return False


_ADD_A_FIGURE = re.compile(
    # "add the number of deals in each", "now add the conversion rate per source": one more figure per row
    r"add\s+(?:in\s+)?(?:the\s+|a\s+|their\s+)?(?:[a-z%#-]+\s+){0,3}?(?:number|count|#|total|sum|average|avg|share|"
    r"percentage|rate|ratio)(?:\s+of\s+[a-z]+(?:\s+[a-z]+)?)?\s+(?:in|for|per|of|by)\s+(?:each|every|them|those|these|"
    r"source|region|rep|stage|team|month|quarter|industry|owner|priority|method|bucket|country)\b",
    re.I,
)
# "put the deal 'Bramble Capital - Renewal 2026' on closed won": a change to a record's stage or status
_PUT_A_RECORD_ON = re.compile(
    r"\b(?:put|move|mark|set|flip|switch)\s+(?:the\s+|this\s+|that\s+|our\s+)?(?:deal|opp|opportunity|invoice|ticket|lead)\b"
    r"[^?]*?\b(?:on|to|as|into|in)\s+(?:closed[\s_-]*(?:won|lost)|won|lost|paid|resolved|closed|converted)\b",
    re.I,
)
_SWITCH_MEASURE = re.compile(
    r"(?:switch|swap|flip)\s+(?:it\s+|that\s+|this\s+|the\s+(?:measure|metric|number|figure)\s+)?(?:over\s+)?to\s+"
    r"(?:the\s+)?(?:invoiced|billed|billings|bookings|revenue|collected|cash(?:\s+collected)?|pipeline|counts?|amounts?|value|"
    r"\$|dollars|outstanding|overdue|average|avg|win\s+rate|deal\s+count|deals|leads|tickets|invoices|payments)"
    r"(?:\s+(?:amount|instead))?\s*[?.!]*$",
    re.I,
)
# verbs that can also shape an answer ("set the order to amount"); a change only when they name a field of a record
_RESHAPES = {"set", "change", "make", "put", "switch", "raise", "lower", "adjust", "update", "add"}
_SHAPE_OF_ANSWER = re.compile(
    # ("add the conversion rate for each", "put Q3 next to it for comparison": a column of the answer)
    r"\b(?:next\s+to\s+(?:it|them|that|those|each|what|the|our)|alongside|beside\s+(?:it|them|each)|side\s+by\s+side|"
    r"for\s+comparison|for\s+each(?:\s+one)?\s*[?.!]*$|"
    r"order|sort|sorting|format|chart|graph|layout|view|columns?|period|time\s*frame|grouping|breakdown|"
    r"last\s+(?:quarter|month|year|week)|this\s+(?:quarter|month|year|week))\b",
    re.I,
)
_A_FIELD = re.compile(
    r"\b(?:health|churn|risk|score|status|stage|owner|priority|paid|won|lost|closed|due\s+date|close\s+date|"
    r"discount|price|amount\s+(?:of|on)|ltv|probability|lifecycle|customer|churned|resolved|approved)\b",
    re.I,
)
