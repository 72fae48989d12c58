"""Kinds of measure words: record metrics, generic record words, customer words and verbs."""

from tools.reports.nlq.words import Mention

GENERIC_METRICS = {
    "deals",
    "customers",
    "companies",
    "leads",
    "tickets",
    "invoices",
    "payments",
    "activities",
    "contacts",
    "products",
    "prospects",
    "staff",
}
RECORD_NOUNS = {  # words that name records to count ("total deals won" is a number of deals)
    *(w for name in GENERIC_METRICS for w in (name, name.rstrip("s"))),
    "deal",
    "accounts",
    "account",
    "opportunities",
    "opps",
    "orders",
}
RECORD_METRICS = GENERIC_METRICS | {
    "deals_won",
    "deals_lost",
    "overdue_invoices",
    "new_customers",
    "churned_customers",
    "converted_leads",
    "pipeline",
    "open_deals",
    "closed_deals",
    "predicted_churners",
}
# "average payment", "average invoice": the mean of the records' amounts, i.e. of this money metric
AMOUNT_METRIC_OF_RECORDS = {"payments": "revenue", "invoices": "invoiced", "deals": "deal_amount"}
DEFAULT_METRIC_FOR_BASE = {
    "deals": "deals",
    "leads": "leads",
    "support_tickets": "tickets",
    "activities": "activities",
    "invoices": "invoices",
    "payments": "payments",
    "companies": "customers",
    "customer_insights": "customers",
    "contacts": "contacts",
}
CUSTOMER_WORDS = {"customers", "customer", "clients", "client", "accounts", "account", "companies", "company"}
UNKNOWN_WORDS_TO_ASK = 2  # one stray word is ignored out loud; two or more may change the meaning
CUSTOMER_LOSS_VERBS = {"lost", "lose", "losing", "churn", "churned"}
CUSTOMER_GAIN_VERBS = {
    "won",
    "win",
    "gain",
    "gained",
    "acquire",
    "acquired",
    "land",
    "landed",
    "add",
    "added",
    "sign",
    "signed",
    "onboard",
    "onboarded",
}


def record_word_dimension(m: Mention) -> str | None:
    """A record word beside a specific metric ("top 3 products by bookings") is its grouping."""
    metrics = [s.name for s in m.senses if s.kind == "metric"]
    dims = [s.name for s in m.senses if s.kind == "dim"]
    if m.phrase in CUSTOMER_WORDS:
        return "customer"
    if metrics and dims and all(name in GENERIC_METRICS for name in metrics):
        return dims[0]
    return None


# verbs that name a measure only when nothing else does ("which region brought in the most leads")
VERB_MEASURES = {
    "brought in",
    "bring in",
    "brings in",
    "bringing in",
    "came in",
    "come in",
    "coming in",
    "we receive",  # "how many tickets did we receive": the tickets, no money
    "actually received",
    "actually receive",
}


def single_value_condition(metric) -> tuple[str, str] | None:
    """A count's one condition when it names one value of one column ("deals lost": deals.stage = closed_lost), as
    (column, value); None for any other measure."""
    conditions = list(metric.conditions)
    if metric.aggregate != "count" or len(conditions) != 1 or conditions[0].op not in ("eq", "in"):
        return None
    values = conditions[0].value if isinstance(conditions[0].value, list) else [conditions[0].value]
    return (str(conditions[0].column), str(values[0])) if len(values) == 1 else None
