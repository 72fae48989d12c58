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
        r"looked\s+at|picked\s+up)\s+(?:them|it|those|these)(?:\s+yet)?\b",
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
    return text
