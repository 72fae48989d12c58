"""Lead features as of a point in time, vectorized with pandas and numpy.

Everything a feature uses must have been known at its ``as_of`` time: for training, each
closed lead is described as of its own creation (the company was a customer *then*, it had
open deals *then*), so the model never learns from what happened because the lead converted.
``leads.company_id`` is deliberately not used to find the lead's company: the contract sets
it when a lead converts, so it is the outcome in disguise. The company is found the way a
rep would, from the email domain or the company name.

The database is read with a handful of set-based queries (leads, companies, deals, contacts,
activities), then joined in memory: as-of counts use sorted ``(company, time)`` keys and
``searchsorted``, so a million leads cost a few vector operations, not a million queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

import numpy as np
import pandas as pd
from sqlalchemy import Engine, text

from crmbot.words import FREE_MAIL_DOMAINS, GENERIC_COMPANY_WORDS, LEGAL_FORMS

OPEN_STATUSES = ("new", "working", "qualified")
NEVER = 2**62  # seconds of "not yet" (exact in float64 too, unlike the int64 maximum)
CLOSED_STATUSES = ("converted", "disqualified")

FEATURE_INPUT_COLUMNS = (
    "id, email, company_name, title, source, industry, employee_count, country, region, created_at"
)
LEAD_COLUMNS = (
    "id, first_name, last_name, email, company_name, title, source, industry, employee_count, "
    "country, region, status, owner_id, created_at, converted_at, score, conversion_probability, scored_at"
)


# The columns the model sees; lead age and ids ride along for display but are not features
# (every training lead is described at its creation, where the age is always 0).
MODEL_FEATURES = (
    "source",
    "seniority",
    "department",
    "log_employees",
    "size_band",
    "industry",
    "country",
    "region",
    "free_mail",
    "email_matches_company",
    "known_company",
    "company_is_customer",
    "company_churned",
    "company_open_deals",
    "company_won_deals",
    "company_activities_90d",
    "contact_activities",
)

# ------------------------------------------------------------------ title -> seniority, department

SENIORITY_RULES: tuple[tuple[str, str], ...] = (
    ("intern", r"\b(intern|internship|student|trainee|apprentice|research assistant|graduate)\b"),
    ("vp", r"\b(vice[- ]president|s?vp|evp|avp)\b"),
    ("c_level", r"\b(chief|ceo|cto|cfo|coo|cmo|cio|ciso|cro|cpo|founder|co-?founder|owner|president)\b"),
    ("head", r"\bhead\b"),
    ("director", r"\b(director|managing director)\b"),
    ("manager", r"\b(manager|mgr|team lead|supervisor)\b"),
    ("senior_ic", r"\b(senior|sr\.?|principal|staff|lead|expert)\b"),
)

DEPARTMENT_RULES: tuple[tuple[str, str], ...] = (
    ("executive", r"\b(ceo|chief executive|founder|co-?founder|owner|president|managing director|"
                  r"general manager|coo|chief operating)\b"),
    ("sales", r"\b(sales|account executive|account manager|business development|bdr|sdr|revenue|cro|"
              r"commercial|partnerships?|customer success)\b"),
    ("marketing", r"\b(marketing|cmo|growth|brand|content|demand gen|seo|communications|pr)\b"),
    ("engineering_it", r"\b(engineer(ing)?|developer|software|it|cto|cio|ciso|technology|technical|"
                       r"devops|security|architect|data|infrastructure|systems?|product)\b"),
    ("finance", r"\b(finance|financial|cfo|accounting|accountant|controller|treasury|fp&a)\b"),
    ("operations", r"\b(operations|ops|supply chain|logistics|procurement|purchasing)\b"),
)  # fmt: skip

_SENIORITY = tuple((name, re.compile(pattern, re.I)) for name, pattern in SENIORITY_RULES)
_DEPARTMENT = tuple((name, re.compile(pattern, re.I)) for name, pattern in DEPARTMENT_RULES)


def seniority_of(title: str | None) -> str:
    """The seniority a title implies; ``ic`` for a plain title, ``unknown`` without one."""
    if not title or not str(title).strip():
        return "unknown"
    for name, pattern in _SENIORITY:
        if pattern.search(title):
            return name
    return "ic"


def department_of(title: str | None) -> str:
    """The department a title implies, ``general`` when no rule fits."""
    if not title or not str(title).strip():
        return "unknown"
    for name, pattern in _DEPARTMENT:
        if pattern.search(title):
            return name
    return "general"  # not "other": the classifier names its rare-category bucket "other"


def _map_unique(values: pd.Series, rule) -> pd.Series:
    """Apply a Python rule once per distinct value (titles repeat a lot), then broadcast."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.array([rule(u) for u in uniques] + [rule(None)], dtype=object)
    return pd.Series(mapped[codes], index=values.index)


SIZE_BANDS = ("1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+")
_SIZE_EDGES = np.array([10, 50, 200, 1000, 5000])


def size_bands(employees: np.ndarray) -> np.ndarray:
    """Employee counts -> the usual firmographic bands (size rarely helps in a straight line)."""
    band = np.array(SIZE_BANDS, dtype=object)[
        np.searchsorted(_SIZE_EDGES, np.nan_to_num(employees, nan=1), "left")
    ]
    band[np.isnan(employees)] = None
    return band


# ------------------------------------------------------------------ company names and domains

_COMPANY_SUFFIXES = re.compile(
    r"\b(" + "|".join(sorted(LEGAL_FORMS | GENERIC_COMPANY_WORDS, key=len, reverse=True)) + r")\b\.?", re.I
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalize_company_name(name: str | None) -> str | None:
    """'Acme, Inc.' and 'ACME' -> 'acme': the key used to match a lead to a known company."""
    if not name:
        return None
    key = _NON_ALNUM.sub("", _COMPANY_SUFFIXES.sub(" ", str(name).lower()))
    return key or None


def _normalized_names(names: pd.Series) -> pd.Series:
    return _map_unique(names, normalize_company_name)


def _lower_emails(emails: pd.Series) -> list[str | None]:
    """Stripped, lower-cased addresses (plain Python: faster than pandas string methods here)."""
    return [
        e.strip().lower() if isinstance(e, str) and e.strip() else None for e in emails.to_numpy(dtype=object)
    ]


def _domain_of(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    return email.rpartition("@")[2].removeprefix("www.") or None


def email_domains(emails: pd.Series) -> pd.Series:
    """Lower-cased domain of each address (None when there is none)."""
    return pd.Series([_domain_of(e) for e in _lower_emails(emails)], index=emails.index, dtype=object)


def domain_label(domain: str | None) -> str | None:
    """'mail.acme.co.uk' -> 'acme': the registrable label, to compare with a company name."""
    if not domain:
        return None
    parts = domain.split(".")
    if len(parts) > 2 and parts[-2] in ("co", "com", "ac", "org", "net", "gov"):
        return parts[-3]
    return parts[-2] if len(parts) >= 2 else parts[0]


def _label_matches_name(label: str | None, name: str | None) -> bool:
    return bool(label) and bool(name) and (label in name or name in label)


@dataclass
class _Distinct:
    """A column as codes into its distinct values, so string rules run once per value."""

    codes: np.ndarray  # -1 for missing
    values: np.ndarray

    @classmethod
    def of(cls, values) -> _Distinct:
        codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
        return cls(codes, np.asarray(uniques, dtype=object))

    def map(self, rule, missing=None) -> np.ndarray:
        mapped = np.array([rule(v) for v in self.values] + [missing], dtype=object)
        return mapped[self.codes]


# ------------------------------------------------------------------ reading the database


@dataclass
class LeadContext:
    """What the database knows around leads: companies, deals, contacts and activities.

    Times are int64 seconds since 1970; ``company_idx`` maps domain / normalized name to a
    company id. Loaded once and reused for every batch of leads.
    """

    companies: pd.DataFrame  # index id: created_s, customer_since_s, churned_s
    company_by_domain: pd.Series  # domain -> company id
    company_by_name: pd.Series  # normalized name -> company id
    deal_open_keys: np.ndarray  # sorted (company << 32 | created_s)
    deal_close_keys: np.ndarray  # sorted (company << 32 | closed_s) for closed deals
    deal_won_keys: np.ndarray  # sorted (company << 32 | closed_s) for won deals
    company_activity_keys: np.ndarray  # sorted (company << 32 | occurred_s)
    contact_by_email: pd.DataFrame  # lower email -> contact_id, created_s
    contact_activity_keys: np.ndarray  # sorted (contact << 32 | occurred_s)


def _seconds(values, *, missing: int = NEVER) -> np.ndarray:
    """Dates/timestamps (strings from SQLite, objects from PostgreSQL) -> int64 seconds."""
    stamps = pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601", errors="coerce")
    stamps = stamps.dt.tz_localize(None) if getattr(stamps.dt, "tz", None) is not None else stamps
    out = stamps.to_numpy(dtype="datetime64[s]").astype(np.int64)
    out[stamps.isna().to_numpy()] = missing
    return out


def _frame(engine: Engine, sql: str, params: dict | None = None) -> pd.DataFrame:
    """A query's rows as a DataFrame, fetched from the DBAPI cursor (no per-row Row objects)."""
    with engine.connect() as conn:
        result = conn.execute(text(sql), params or {})
        columns = list(result.keys())
        return pd.DataFrame(result.cursor.fetchall(), columns=columns)


def _keys(owner_ids: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    keys = (owner_ids.astype(np.int64) << 32) | seconds.astype(np.int64)
    keys.sort()
    return keys


def load_context(engine: Engine) -> LeadContext:
    """Read the companies, deals, contacts and activities that lead features look at."""
    companies = _frame(
        engine, "SELECT id, name, domain, created_at, customer_since, churned_at FROM companies"
    )
    companies["created_s"] = _seconds(companies["created_at"])
    companies["customer_since_s"] = _seconds(companies["customer_since"])
    companies["churned_s"] = _seconds(companies["churned_at"])
    domains = companies["domain"].astype("string").str.strip().str.lower().str.removeprefix("www.")
    by_domain = pd.Series(companies["id"].to_numpy(), index=domains).loc[lambda s: s.index.notna()]
    names = _normalized_names(companies["name"])
    by_name = pd.Series(companies["id"].to_numpy(), index=names).loc[lambda s: s.index.notna()]

    deals = _frame(
        engine, "SELECT company_id, stage, created_at, closed_at FROM deals WHERE company_id IS NOT NULL"
    )
    deal_company = deals["company_id"].to_numpy(dtype=np.int64)
    created_s, closed_s = _seconds(deals["created_at"]), _seconds(deals["closed_at"])
    closed = closed_s != NEVER
    won = (deals["stage"] == "closed_won").to_numpy() & closed

    activities = _frame(engine, "SELECT company_id, contact_id, occurred_at FROM activities")
    occurred_s = _seconds(activities["occurred_at"])
    with_company = activities["company_id"].notna().to_numpy()
    with_contact = activities["contact_id"].notna().to_numpy()

    contacts = _frame(engine, "SELECT id, email, created_at FROM contacts WHERE email IS NOT NULL")
    contacts["email"] = contacts["email"].astype("string").str.strip().str.lower()
    contacts["created_s"] = _seconds(contacts["created_at"])
    by_email = (
        contacts.sort_values("id")
        .drop_duplicates("email")
        .set_index("email")[["id", "created_s"]]
        .rename(columns={"id": "contact_id"})
    )
    return LeadContext(
        companies=companies.set_index("id")[["created_s", "customer_since_s", "churned_s"]],
        company_by_domain=by_domain[~by_domain.index.duplicated()],
        company_by_name=by_name[~by_name.index.duplicated()],
        deal_open_keys=_keys(deal_company, created_s),
        deal_close_keys=_keys(deal_company[closed], closed_s[closed]),
        deal_won_keys=_keys(deal_company[won], closed_s[won]),
        company_activity_keys=_keys(
            activities["company_id"].to_numpy()[with_company].astype(np.int64), occurred_s[with_company]
        ),
        contact_by_email=by_email,
        contact_activity_keys=_keys(
            activities["contact_id"].to_numpy()[with_contact].astype(np.int64), occurred_s[with_contact]
        ),
    )


def load_leads(
    engine: Engine,
    *,
    statuses: tuple[str, ...] | None = None,
    lead_ids: list[int] | None = None,
    created_from: datetime | None = None,
    owner_id: int | None = None,
    columns: str = LEAD_COLUMNS,
    owner_ids: list[int] | None = None,
) -> pd.DataFrame:
    """Lead rows (raw columns) filtered by status, ids, creation time or owner (``owner_ids``: owned
    by one of them, the asker's data scope).

    ``columns=FEATURE_INPUT_COLUMNS`` reads only what features need (the batch scoring job).
    """
    clauses, params = [], {}
    if statuses:
        names = [f"s{i}" for i in range(len(statuses))]
        clauses.append(f"status IN ({', '.join(':' + n for n in names)})")
        params.update(zip(names, statuses, strict=True))
    if lead_ids is not None:
        if not lead_ids:
            return _frame(engine, f"SELECT {columns} FROM leads WHERE 1 = 0")
        names = [f"i{i}" for i in range(len(lead_ids))]
        clauses.append(f"id IN ({', '.join(':' + n for n in names)})")
        params.update(zip(names, (int(i) for i in lead_ids), strict=True))
    if created_from is not None:
        clauses.append("created_at >= :created_from")
        params["created_from"] = created_from
    if owner_id is not None:
        clauses.append("owner_id = :owner_id")
        params["owner_id"] = owner_id
    if owner_ids is not None:
        names = [f"o{i}" for i in range(len(owner_ids))] or ["o_none"]
        clauses.append(f"owner_id IN ({', '.join(':' + n for n in names)})")
        params.update(zip(names, [int(i) for i in owner_ids] or [None], strict=True))
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    leads = _frame(engine, f"SELECT {columns} FROM leads{where} ORDER BY id", params)
    leads["created_at"] = pd.to_datetime(leads["created_at"], format="ISO8601")
    return leads


# ------------------------------------------------------------------ the feature table


def as_of_seconds(day: date) -> int:
    """The end of ``day`` in seconds: scoring "today" sees everything logged today."""
    return int(pd.Timestamp(datetime.combine(day, time.max)).floor("s").value // 1_000_000_000)


def _count_until(keys: np.ndarray, owners: np.ndarray, until_s: np.ndarray) -> np.ndarray:
    """For each (owner, time): how many keyed events of that owner happened at or before time."""
    owners = owners.astype(np.int64)
    ok = owners >= 0
    safe = np.where(ok, owners, 0)
    upper = np.searchsorted(keys, (safe << 32) | np.clip(until_s, 0, 2**32 - 1), side="right")
    lower = np.searchsorted(keys, safe << 32, side="left")
    return np.where(ok, upper - lower, 0)


def build_features(leads: pd.DataFrame, context: LeadContext, as_of_s: np.ndarray | int) -> pd.DataFrame:
    """One row of features per lead, as of ``as_of_s`` (seconds; one value or one per lead)."""
    n = len(leads)
    as_of = np.broadcast_to(np.asarray(as_of_s, dtype=np.int64), (n,)).copy()
    created_s = leads["created_at"].to_numpy(dtype="datetime64[s]").astype(np.int64)

    out = pd.DataFrame(index=leads.index)
    out["source"] = leads["source"].astype(object)
    titles = _Distinct.of(leads["title"])
    out["seniority"] = titles.map(seniority_of, seniority_of(None))
    out["department"] = titles.map(department_of, department_of(None))
    employees = pd.to_numeric(leads["employee_count"], errors="coerce").to_numpy(dtype=float)
    out["log_employees"] = np.log10(np.clip(employees, 1, None))
    out["size_band"] = size_bands(employees)
    for column in ("industry", "country", "region"):
        out[column] = leads[column].astype(object)

    emails = _lower_emails(leads["email"])
    domains = _Distinct.of([_domain_of(e) for e in emails])
    free_mail = domains.map(lambda d: d in FREE_MAIL_DOMAINS, False).astype(bool)
    names = _Distinct.of(leads["company_name"])
    normalized = np.array([normalize_company_name(v) for v in names.values] + [None], dtype=object)
    labels = np.array([domain_label(d) for d in domains.values] + [None], dtype=object)
    out["free_mail"] = free_mail
    out["email_matches_company"] = ~free_mail & _pairwise(domains.codes, names.codes, labels, normalized)

    company = _match_company(domains, names, normalized, free_mail, context)
    _company_facts(out, company, as_of, context)

    contact_row = context.contact_by_email.index.get_indexer(pd.Index(emails, dtype=object))
    found = contact_row >= 0
    contact_id = np.where(found, context.contact_by_email["contact_id"].to_numpy()[contact_row], -1)
    contact_created = np.where(found, context.contact_by_email["created_s"].to_numpy()[contact_row], NEVER)
    contact_id = np.where(contact_created <= as_of, contact_id, -1)
    out["contact_activities"] = _count_until(context.contact_activity_keys, contact_id, as_of)

    out["age_days"] = np.maximum(0, (as_of - created_s) // 86_400)
    return out


def _pairwise(domain_codes, name_codes, labels: np.ndarray, names: np.ndarray) -> np.ndarray:
    """Whether each lead's email domain reads like its company name, judged once per distinct pair.

    ``labels`` and ``names`` end with a None, so a missing value's code (-1) reads as missing.
    """
    pair = (domain_codes.astype(np.int64) + 1) * (len(names) + 1) + (name_codes.astype(np.int64) + 1)
    unique_pairs, inverse = np.unique(pair, return_inverse=True)
    d, c = unique_pairs // (len(names) + 1) - 1, unique_pairs % (len(names) + 1) - 1
    verdict = np.array(
        [_label_matches_name(labels[i], names[j]) for i, j in zip(d, c, strict=True)], dtype=bool
    )
    return verdict[inverse.ravel()] if len(pair) else np.zeros(0, dtype=bool)


def _per_lead(distinct: _Distinct, ids_per_value: np.ndarray) -> np.ndarray:
    return np.append(ids_per_value, -1)[distinct.codes]


def _match_company(
    domains: _Distinct, names: _Distinct, normalized: np.ndarray, free_mail: np.ndarray, context: LeadContext
) -> np.ndarray:
    """The company a lead belongs to: by its (non free-mail) email domain, else by its name."""
    domain_ids = (
        context.company_by_domain.reindex(domains.values).fillna(-1).to_numpy(dtype=np.int64, copy=True)
    )
    by_domain = np.where(free_mail, -1, _per_lead(domains, domain_ids))
    keys = normalized[: len(names.values)]
    name_ids = context.company_by_name.reindex(keys).fillna(-1).to_numpy(dtype=np.int64)
    name_ids = np.where(pd.isna(keys), -1, name_ids)
    return np.where(by_domain >= 0, by_domain, _per_lead(names, name_ids))


def _company_facts(out: pd.DataFrame, company: np.ndarray, as_of: np.ndarray, context: LeadContext) -> None:
    """What the matched company was at ``as_of``: known, customer, churned, deals, activity."""
    facts = context.companies.reindex(np.where(company >= 0, company, -1))
    created = facts["created_s"].fillna(NEVER).to_numpy(dtype=np.int64)
    known = (company >= 0) & (created <= as_of)
    company = np.where(known, company, -1)
    since = facts["customer_since_s"].fillna(NEVER).to_numpy(dtype=np.int64)
    churned = facts["churned_s"].fillna(NEVER).to_numpy(dtype=np.int64)
    out["known_company"] = known
    out["company_is_customer"] = known & (since <= as_of) & ~(churned <= as_of)
    out["company_churned"] = known & (churned <= as_of)
    opened = _count_until(context.deal_open_keys, company, as_of)
    closed = _count_until(context.deal_close_keys, company, as_of)
    out["company_open_deals"] = np.maximum(opened - closed, 0)
    out["company_won_deals"] = _count_until(context.deal_won_keys, company, as_of)
    recent = _count_until(context.company_activity_keys, company, as_of) - _count_until(
        context.company_activity_keys, company, as_of - 90 * 86_400
    )
    out["company_activities_90d"] = recent


def training_features(leads: pd.DataFrame, context: LeadContext) -> pd.DataFrame:
    """Features of closed leads as of their own creation (what was known when they arrived)."""
    created_s = leads["created_at"].to_numpy(dtype="datetime64[s]").astype(np.int64)
    return build_features(leads, context, created_s)


def scoring_features(leads: pd.DataFrame, context: LeadContext, today: date) -> pd.DataFrame:
    """Features of leads as of the end of ``today``."""
    return build_features(leads, context, as_of_seconds(today))
