"""Turn a model factor ("source=referral", "log_employees") into words a rep reads.

``TabularClassifier.explain`` names categorical factors ``column=value`` and numeric ones by
the column; the lead's own feature value fills in the number ("3 open deals with the company").
"""

from __future__ import annotations

import math

from tools.leads.results import Reason

SENIORITY_PHRASES = {
    "c_level": "C-level title",
    "vp": "VP-level title",
    "head": "head-of title",
    "director": "director-level title",
    "manager": "manager title",
    "senior_ic": "senior individual-contributor title",
    "ic": "individual-contributor title",
    "intern": "intern or student title",
    "unknown": "no title given",
}

DEPARTMENT_PHRASES = {
    "sales": "sales role",
    "marketing": "marketing role",
    "engineering_it": "engineering/IT role",
    "finance": "finance role",
    "operations": "operations role",
    "executive": "executive role",
    "general": "role outside the usual buying departments",
    "unknown": "no department known",
}

FLAG_PHRASES = {  # boolean feature -> (phrase when true, phrase when false)
    "free_mail": ("free-mail address", "company email address"),
    "email_matches_company": ("email domain matches the company", "email domain does not match the company"),
    "known_company": ("company already in the CRM", "company new to the CRM"),
    "company_is_customer": ("company is already a customer", "company is not a customer"),
    "company_churned": ("company churned before", "company never churned"),
}

COUNT_PHRASES = {  # numeric feature -> phrase with the count
    "company_open_deals": "{n} open deal{s} with the company",
    "company_won_deals": "{n} won deal{s} with the company",
    "company_activities_90d": "{n} activit{ies} with the company in the last 90 days",
    "contact_activities": "{n} activit{ies} with this person",
}

LABELS = {
    "source": "source",
    "industry": "industry",
    "country": "country",
    "region": "region",
    "seniority": "seniority",
    "department": "department",
    "log_employees": "company size",
    "size_band": "company size",
}


def _count_phrase(template: str, value) -> str:
    n = 0 if value is None or (isinstance(value, float) and math.isnan(value)) else int(value)
    return template.format(n=n, s="" if n == 1 else "s", ies="y" if n == 1 else "ies")


def phrase_for(factor: str, features: dict) -> str:
    """Words for one factor of one lead (``features``: that lead's feature row)."""
    column, _, value = factor.partition("=")
    if value == "missing":
        return f"no {LABELS.get(column, column.replace('_', ' '))} given"
    if value == "other":
        return f"uncommon {LABELS.get(column, column.replace('_', ' '))}"
    if column == "source":
        return f"{value.replace('_', ' ')} source"
    if column == "seniority":
        return SENIORITY_PHRASES.get(value, f"{value} seniority")
    if column == "department":
        return DEPARTMENT_PHRASES.get(value, f"{value} department")
    if column == "size_band":
        return f"company of {value} employees"
    if column == "industry":
        return f"{value} industry"
    if column == "country":
        return f"based in {value}"
    if column == "region":
        return f"{value} region"
    if column in FLAG_PHRASES:
        when_true, when_false = FLAG_PHRASES[column]
        flag = value == "True" if value else bool(features.get(column))
        return when_true if flag else when_false
    if column in COUNT_PHRASES:
        return _count_phrase(COUNT_PHRASES[column], features.get(column))
    if column == "log_employees":
        size = features.get(column)
        if size is None or (isinstance(size, float) and math.isnan(size)):
            return "unknown company size"
        return f"company size ({round(10**size):,} employees)"
    return column.replace("_", " ") + (f" {value}" if value else "")


def to_reasons(factors: list[tuple[str, float]], features: dict) -> list[Reason]:
    """Signed factors -> Reasons with "+" / "-" (zero contributions are left out)."""
    return [
        Reason(phrase_for(name, features), "+" if weight > 0 else "-", float(weight))
        for name, weight in factors
        if weight != 0
    ]
