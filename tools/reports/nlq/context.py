"""What a message says around its question, read before the question is: the account a preamble names ("Zenith
Studios GmbH are querying their account. How much have they paid ..."), a measure asked after the question mark ("...?
And the predicted LTV next to it"), and words that point at the answer just shown ("medium or high" after a split by
churn risk, "which customer raised the most of them", "which accounts and how much each")."""

from __future__ import annotations

import re

from tools.reports import semantic
from tools.reports.entities import Entities
from tools.reports.lexicon import expand_abbreviations
from tools.reports.nlq.kinds import GENERIC_METRICS
from tools.reports.nlq.words import find_mentions, tokenize
from tools.reports.query import Query

# "they", "their", "that account": the account the thread or the message is about
THEM = re.compile(
    r"\bthere\s*[?.!]*$|\b(?:they|them|their|theirs|this\s+(?:account|customer|client)|that\s+(?:account|customer|client))\b"
)


def _values_of_the_split(text: str, previous: Query | None, entities: Entities) -> str:
    """ "so how many are medium or high, combined" after the customers by churn risk: values of that split,
    said bare, are read with its name ("medium churn risk")."""
    if previous is None:
        return text
    model = semantic.model()
    for dim in previous.dimensions:
        values = [*(entities.values.get(dim) or []), *model.vocabulary(dim)]  # stored or fixed values
        if dim in ("customer", "rep", "product", "team") or not values or len(set(values)) > 12:
            continue
        label = model.dimensions_by_name[dim].label.lower() if dim in model.dimensions_by_name else None
        if not label:
            continue
        for value in sorted({str(v).lower() for v in values}, key=len, reverse=True):
            if not re.fullmatch(r"[a-z][a-z ]*", value):
                continue
            text = re.sub(
                rf"\b{re.escape(value)}\b(?!\s+(?:{re.escape(label)}|risk|priority|stage|status))",
                f"{value} {label}",
                text,
            )
    return text


def account_said_before(question: str, entities: Entities) -> str | None:
    """The one account a sentence names before a question that says "they" / "their" and names none."""
    from tools.reports.nlq.words import company_mentions, one_company_named

    # ("Novacore Pictures LLC - what do they owe us in total": the name, then a dash or a colon, then the question)
    sentences = re.split(r"(?<=[.!?])\s+|\s+[-—–]\s+|:\s+", question.strip())
    if len(sentences) < 2 or not THEM.search(sentences[-1].lower()):
        return None
    named = one_company_named(" ".join(sentences[:-1]), entities)
    return None if named is None or company_mentions(sentences[-1], entities) else named


_ASKS_MORE = re.compile(r"^\W*(?:and|also|plus|what|how|can|could|as\s+well\s+as|along\s+with)\b", re.I)


def measures_named(text: str, entities: Entities) -> set[str]:
    """The measures a few words name outright ("cash actually collected": revenue), records words aside."""
    tokens = tokenize(expand_abbreviations(text.lower().replace("’", "'")))
    return {
        s.name
        for m in find_mentions(tokens, entities, set())
        if m.senses and all(s.kind == "metric" for s in m.senses)
        for s in m.senses
        if s.name not in GENERIC_METRICS
    }


def names_a_measure(text: str, entities: Entities) -> bool:
    """Whether words after a question ask for a measure of their own ("And the predicted LTV next to it"),
    not only records ("deals") or a remark ("they're one of our biggest accounts by LTV")."""
    if not _ASKS_MORE.match(text):
        return False
    tokens = tokenize(expand_abbreviations(text.lower().replace("’", "'")))
    return any(
        m.senses
        and all(s.kind == "metric" for s in m.senses)
        and not any(s.name in GENERIC_METRICS for s in m.senses)
        for m in find_mentions(tokens, entities, set())
    )


_WHICH_HAD_THE_MOST = re.compile(
    r"^\s*(?:and\s+|so\s+|ok\s+)?(?:which|what)\s+(customer|account|company|client|rep|region|country|industry|source|"
    r"product|stage|team)\s+(?:of\s+(?:mine|ours|yours|theirs|hers|his|askers|owned)\s+)?(?:(?:had|has|have|raised|opened|logged|filed|"
    r"submitted|made|got|brought|did|sent|paid|"
    r"owned|owns|generated|contributed)\s+)?(?:the\s+)?(most|least|fewest|highest|lowest|biggest)"
    r"(?:\s+(?:of\s+)?(?:them|those|these|that))?(?=\s*[?.!]*\s*$)"
)
_WHICH_ACCOUNTS_EACH = re.compile(
    r"\bwhich\s+(?:accounts|customers|companies|clients|accts|custs)\s*(?:,|and|-|\+|&)?\s*how\s+much\s*"
    r"(?:each|for\s+each|apiece|per\s+(?:account|customer))?\b"
)


_OWED = {"outstanding", "overdue_amount"}  # what is owed: the measures a debtor ranks by


def follow_up_words(text: str, previous: Query | None, entities: Entities) -> str:
    """The follow-up's words said in the reader's own: values of the split just shown, "which accounts and how much
    each" (by customer), "which customer raised the most of them" (the top one by the previous measure)."""
    text = _values_of_the_split(text, previous, entities)
    # "top 10 debtors rn": the accounts by what they owe; "the 10 biggest debtors in that" after the overdue amount:
    # the accounts by that amount
    owed = previous is not None and semantic.model().metric(previous.metric).name in _OWED
    text = re.sub(r"\bdebtors?\b", "accounts" if owed else "accounts by outstanding", text)
    if previous is None:
        return text
    text = _WHICH_ACCOUNTS_EACH.sub(" by customer ", text)
    return _WHICH_HAD_THE_MOST.sub(
        lambda m: f" by {m.group(1)} {'bottom' if m.group(2) in ('least', 'fewest', 'lowest') else 'top'} 1 ",
        text,
    )
