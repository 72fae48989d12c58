"""Values that live in the database (reps, customers, countries, industries, products...).

Loaded once per database and cached, so that "bookings for Acme" or "revenue in Germany"
can be matched, fuzzily, against what the data really contains. Countries also answer to
their common names and ISO codes, whichever form the database stores.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import Engine, select

from crmbot import words

# name -> (ISO alpha-2, ISO alpha-3, other names)
COUNTRIES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "United States": (
        "US",
        "USA",
        (
            "united states of america",
            "america",
            "the us",
            "the usa",
            "u.s.",
            "states",
            "estados unidos",
            "stati uniti",
        ),
    ),
    "United Kingdom": (
        "GB",
        "GBR",
        (
            "uk",
            "britain",
            "great britain",
            "england",
            "the uk",
            "reino unido",
            "regno unito",
            "grossbritannien",
        ),
    ),
    "Germany": ("DE", "DEU", ("deutschland", "alemania", "germania", "allemagne")),
    "France": ("FR", "FRA", ("francia", "frankreich")),
    "Spain": ("ES", "ESP", ("españa", "espana", "spanien", "spagna", "espagne")),
    "Italy": ("IT", "ITA", ("italia", "italien", "italie")),
    "Netherlands": (
        "NL",
        "NLD",
        ("holland", "the netherlands", "nederland", "niederlande", "paesi bassi", "países bajos"),
    ),
    "Belgium": ("BE", "BEL", ("belgique", "belgië", "belgien", "belgio", "bélgica")),
    "Switzerland": ("CH", "CHE", ("schweiz", "suisse", "svizzera", "suiza")),
    "Austria": ("AT", "AUT", ("österreich", "osterreich")),
    "Sweden": ("SE", "SWE", ("sverige", "schweden", "svezia", "suecia")),
    "Norway": ("NO", "NOR", ()),
    "Denmark": ("DK", "DNK", ()),
    "Finland": ("FI", "FIN", ()),
    "Ireland": ("IE", "IRL", ()),
    "Portugal": ("PT", "PRT", ()),
    "Poland": ("PL", "POL", ("polska", "polen", "polonia")),
    "Czech Republic": ("CZ", "CZE", ("czechia",)),
    "Israel": ("IL", "ISR", ()),
    "United Arab Emirates": ("AE", "ARE", ("uae", "emirates")),
    "Saudi Arabia": ("SA", "SAU", ()),
    "South Africa": ("ZA", "ZAF", ()),
    "Nigeria": ("NG", "NGA", ()),
    "Kenya": ("KE", "KEN", ()),
    "Egypt": ("EG", "EGY", ()),
    "Canada": ("CA", "CAN", ()),
    "Mexico": ("MX", "MEX", ("méxico", "messico")),
    "Brazil": ("BR", "BRA", ("brasil",)),
    "Argentina": ("AR", "ARG", ()),
    "Chile": ("CL", "CHL", ()),
    "Colombia": ("CO", "COL", ()),
    "Peru": ("PE", "PER", ()),
    "Japan": ("JP", "JPN", ("japón", "giappone")),
    "China": ("CN", "CHN", ()),
    "India": ("IN", "IND", ()),
    "Singapore": ("SG", "SGP", ()),
    "Australia": ("AU", "AUS", ()),
    "New Zealand": ("NZ", "NZL", ()),
    "South Korea": ("KR", "KOR", ("korea",)),
    "Indonesia": ("ID", "IDN", ()),
    "Malaysia": ("MY", "MYS", ()),
    "Philippines": ("PH", "PHL", ()),
    "Thailand": ("TH", "THA", ()),
    "Vietnam": ("VN", "VNM", ("viet nam",)),
    "Hong Kong": ("HK", "HKG", ()),
    "Taiwan": ("TW", "TWN", ()),
    "Turkey": ("TR", "TUR", ("turkiye",)),
}

# words that don't tell one company from another: legal forms, and everyday words in company names
COMPANY_SUFFIXES = (
    words.LEGAL_FORMS
    | words.GENERIC_COMPANY_WORDS
    | {
        "labs",
        "systems",
        "solutions",
        "technologies",
        "tech",
        "partners",
        "international",
        "and",
        "of",
        "&",
        "industries",
        "global",
        "services",
        "software",
        "enterprises",
        # everyday words in company names: on its own such a word names no company in particular
        "business",
        "businesses",
        "school",
        "university",
        "college",
        "academy",
        "institute",
        "bank",
        "capital",
        "media",
        "care",
        "data",
        "digital",
        "network",
        "networks",
        "energy",
        "foods",
        "food",
        "logistics",
        "shipping",
        "payments",
        "retail",
        "consulting",
        "ventures",
        "studio",
        "studios",
        "works",
        "health",
        "department",
        "management",
        "finance",
        "financial",
        "insurance",
        "hospital",
        "clinic",
        "center",
        "centre",
        "trading",
        "industrial",
        "manufacturing",
        "motors",
        "airlines",
        "marketing",
        "design",
        "new",
        "north",
        "south",
        "east",
        "west",
        "first",
        "united",
        "american",
        "national",
        "city",
    }
)


_WORD = re.compile(r"[a-z0-9]+")


def norm(text: str) -> str:
    """Lower case, words only: how values and question text are compared."""
    return " ".join(_WORD.findall((text or "").lower().replace("&", " and ")))


class EntityValue(NamedTuple):
    """A stored value and the dimension it belongs to (a tuple: cheap to hash, compare and store)."""

    dimension: str  # the dimension this value belongs to (rep, customer, country...)
    value: str  # exactly as stored


@dataclass
class Entities:
    """Every database value a question may name, by its normalized phrase."""

    phrases: dict[str, list[EntityValue]] = field(default_factory=dict)
    tokens: dict[str, list[EntityValue]] = field(default_factory=dict)  # distinctive single words
    values: dict[str, list[str]] = field(default_factory=dict)  # dimension -> stored values
    rep_teams: dict[str, str] = field(default_factory=dict)  # rep name -> team ("Oliver's team")
    shared_names: dict[str, list[str]] = field(default_factory=dict)  # a name two users have -> their teams
    twin_accounts: set[str] = field(
        default_factory=set
    )  # a name two accounts have (nothing in it tells them apart)
    _seen: set = field(default_factory=set, repr=False)  # (where, key, entry): each added once, in O(1)

    def _put(self, where: dict, name: str, key: str, entry: EntityValue) -> None:
        mark = (name, key, entry)
        if mark not in self._seen:
            self._seen.add(mark)
            where.setdefault(key, []).append(entry)

    def add(self, dimension: str, value: str, *aliases: str) -> None:
        if not value:
            return
        self.values.setdefault(dimension, []).append(value)
        entry = EntityValue(dimension, value)
        phrases = {norm(value), *(norm(a) for a in aliases), *short_names(dimension, value)}
        if dimension not in ("customer", "rep", "product", "team") and re.fullmatch(
            r"[a-z]{4,}(?<!s)", norm(value)
        ):
            phrases.add(norm(value) + "s")  # "lost to competitors": the stored "competitor"
        for phrase in phrases:
            if phrase:
                self._put(self.phrases, "phrase", phrase, entry)
        if dimension in ("customer", "rep", "product"):
            for word in norm(value).split():
                if len(word) >= 3 and word not in COMPANY_SUFFIXES:
                    self._put(self.tokens, "token", word, entry)

    def share_short_names(self) -> None:
        """ "Kinetix Investments" is the short name of "Kinetix Investments Ltda" and also the start of
        "Kinetix Investments (Billing)": such a short name names both, so a question asks which."""
        import bisect

        customers = self.values.get("customer", [])
        by_norm = sorted((norm(v), v) for v in customers)
        norms = [n for n, _ in by_norm]
        for value in customers:
            for short in short_names("customer", value):
                i = bisect.bisect_left(norms, short + " ")
                while i < len(norms) and norms[i].startswith(short + " "):
                    if by_norm[i][1] != value:
                        self._put(self.phrases, "phrase", short, EntityValue("customer", by_norm[i][1]))
                    i += 1


# Legal-form words people leave out when they name a company ("Redwood Retail" for "Redwood Retail B.V."),
# and the single letters of dotted forms ("B.V." is read as "b", "v")
LEGAL_FORMS = words.LEGAL_FORMS | {"b", "v", "k", "s", "a", "n", "p", "l", "c"}


_PARENTHESES = re.compile(r"\(.*?\)")
_DETAIL = re.compile(r"[,:(–-]")


def short_names(dimension: str, value: str) -> set[str]:
    """Shorter ways people name a stored value: a company without its legal form, a product
    without its parenthesised detail ("AI Assistant" for "AI Assistant (per seat, annual)")."""
    full = norm(value)
    names = set()
    if dimension == "customer":
        words = full.split()
        while len(words) > 1 and words[-1] in LEGAL_FORMS:
            words.pop()
        names.add(" ".join(words))
    elif dimension == "product":
        names.add(norm(_PARENTHESES.sub(" ", value)))
        names.add(norm(_DETAIL.split(value)[0]))
    elif dimension == "team" and re.fullmatch(r"[A-Z]{2,4} & [A-Z][a-z]+", value):
        # "UKI" for the UK & Ireland team (and "UK&I", "UK & I": the reader joins a letter after "&" to its word)
        first, second = value.split(" & ")
        names.add(norm(f"{first}{second[0]}"))
    return {n for n in names if n and n != full}


_CACHE: dict[str, tuple[tuple, float, Entities]] = {}  # url -> (fingerprint, checked at, entities)
_LOCK = threading.Lock()
RECHECK_S = 60.0  # a long-running bot looks for new names this often (one cheap query)
_FORMAT = 14  # the pickled form and what is read (aliases, two users or two accounts with one name); a new one ignores older files


def load(engine: Engine) -> Entities:
    """The database's entity values: built once per database and kept while its names are the same.

    Building them reads every distinct name (and is linear in them); a fingerprint of the tables
    (counts and largest ids) says whether they changed. A process keeps them in memory and looks
    again at most once a minute; one-shot processes (`crmbot ask`) share a copy on disk, in the
    data folder, so a large CRM is read once, not per question.
    """
    import time

    from tools.reports import semantic

    model = semantic.model()
    key = engine.url.render_as_string(hide_password=True) + "|" + "+".join(model.sources)
    now = time.monotonic()
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is not None and now - cached[1] < RECHECK_S:
        return cached[2]
    stamp = _fingerprint(engine, model)
    if cached is not None and cached[0] == stamp:
        with _LOCK:
            _CACHE[key] = (stamp, now, cached[2])
        return cached[2]
    entities = _from_disk(key, stamp)
    if entities is None:
        entities = _read(engine)
        _to_disk(key, stamp, entities)
    with _LOCK:
        _CACHE[key] = (stamp, now, entities)
    return entities


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


# the names people edit in place; the vocabularies of leads and deals only grow (counts show them)
_RENAMED = {
    "users": ("name", "team"),
    "companies": ("name", "industry", "country"),
    "products": ("name", "category"),
}


def _fingerprint(engine: Engine, model) -> tuple:
    """Counts and largest ids of the tables names come from, and the names' total length: an added
    or removed row changes it, and so does almost any rename."""
    from sqlalchemy import func

    parts = []
    for table in ("users", "companies", "products", "leads", "deals"):
        t = model.sql_tables[table]
        parts += [
            func.count().select().select_from(t).scalar_subquery(),
            select(func.max(t.c.id)).scalar_subquery(),
        ]
    for table, columns in _RENAMED.items():  # a rename or a move to another team shows
        t = model.sql_tables[table]
        lengths = [func.coalesce(func.sum(func.length(model.sql_column(f"{table}.{c}"))), 0) for c in columns]
        parts.append(select(sum(lengths[1:], lengths[0])).select_from(t).scalar_subquery())
    with engine.connect() as conn:
        return tuple(conn.execute(select(*parts)).one())


def _disk_path(key: str):
    import hashlib
    from pathlib import Path

    from crmbot.settings import get_settings

    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    return Path(get_settings().data_dir) / "cache" / f"entities-{digest}.pickle"


def _from_disk(key: str, stamp: tuple) -> Entities | None:
    import pickle

    path = _disk_path(key)
    try:
        with path.open("rb") as handle:
            stored_format, stored_key, stored_stamp, entities = pickle.load(handle)  # noqa: S301 - our own file
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
        return None
    if (stored_format, stored_key, stored_stamp) != (_FORMAT, key, stamp):
        return None
    return entities


def _to_disk(key: str, stamp: tuple, entities: Entities) -> None:
    """Written to a new file and renamed into place: a reader never sees half a file. A full disk
    or a read-only folder only costs the next process a rebuild."""
    import contextlib
    import os
    import pickle
    import tempfile

    path, tmp = _disk_path(key), None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".entities-")
        kept = Entities(  # no bookkeeping
            entities.phrases,
            entities.tokens,
            entities.values,
            entities.rep_teams,
            entities.shared_names,
            entities.twin_accounts,
        )
        with os.fdopen(fd, "wb") as handle:
            pickle.dump((_FORMAT, key, stamp, kept), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


_SEP = "\x1f"


def _read(engine: Engine) -> Entities:
    """Every distinct name and label, in one round trip (kind, value) ordered for stable results."""
    from sqlalchemy import func, literal, union

    from tools.reports import semantic

    column = semantic.model().sql_column
    sources = [
        ("rep", column("users.name")),
        ("team", column("users.team")),
        ("customer", column("companies.name")),
        ("industry", column("companies.industry")),
        ("industry", column("leads.industry")),
        ("country", column("companies.country")),
        ("country", column("leads.country")),
        ("product", column("products.name")),
        ("product_category", column("products.category")),
        ("lost_reason", column("deals.lost_reason")),
    ]
    parts = [
        select(literal(kind).label("kind"), col.label("value")).where(col.is_not(None))
        for kind, col in sources
    ]
    name, team = column("users.name"), column("users.team")
    parts.append(  # who is on which team, as "name<US>team" (one round trip for everything)
        select(literal("rep_team").label("kind"), (name + literal(_SEP) + team).label("value")).where(
            name.is_not(None), team.is_not(None)
        )
    )
    parts.append(  # two users with one name on one team: nothing in a name tells their records apart
        select(literal("rep_twin").label("kind"), name.label("value"))
        .where(name.is_not(None))
        .group_by(name, team)
        .having(func.count() > 1)
    )
    company = column("companies.name")
    parts.append(  # two accounts with one name: a figure for that name would add both up
        select(literal("account_twin").label("kind"), company.label("value"))
        .where(company.is_not(None))
        .group_by(company)
        .having(func.count() > 1)
    )
    query = union(*parts).subquery()
    entities = Entities()
    with engine.connect() as conn:
        rows = conn.execute(select(query.c.kind, query.c.value).order_by(query.c.kind, query.c.value)).all()
    for kind, value in rows:
        if value in ("", None):
            continue
        if kind == "rep_team":
            rep, _, team = value.partition(_SEP)
            if rep in entities.rep_teams and entities.rep_teams[rep] != team:
                entities.shared_names.setdefault(rep, [entities.rep_teams[rep]]).append(team)
            entities.rep_teams[rep] = team
        elif kind == "rep_twin":  # (read after every rep_team row: the kinds come in order)
            team = entities.rep_teams.get(value)
            entities.shared_names.setdefault(value, [team, team])
        elif kind == "account_twin":
            entities.twin_accounts.add(value)
        elif kind == "team":
            entities.add("team", value, f"{value} team", f"team {value}")  # "the Brazil team", "team Brazil"
        elif kind == "country":
            entities.add("country", value, *_country_aliases(value))
        else:
            entities.add(kind, value)
    entities.share_short_names()
    return entities


# "German customers", "our Dutch accounts": the adjective of a country names it (only those that are no everyday
# word of their own; "polish" and "american" are left out)
DEMONYMS = {
    "Germany": ("german",),
    "United Kingdom": ("british",),
    "France": ("french",),
    "Spain": ("spanish",),
    "Italy": ("italian",),
    "Netherlands": ("dutch",),
    "Belgium": ("belgian",),
    "Switzerland": ("swiss",),
    "Austria": ("austrian",),
    "Sweden": ("swedish",),
    "Norway": ("norwegian",),
    "Denmark": ("danish",),
    "Finland": ("finnish",),
    "Ireland": ("irish",),
    "Portugal": ("portuguese",),
    "Czech Republic": ("czech",),
    "Israel": ("israeli",),
    "United Arab Emirates": ("emirati",),
    "Saudi Arabia": ("saudi",),
    "South Africa": ("south african",),
    "Nigeria": ("nigerian",),
    "Kenya": ("kenyan",),
    "Egypt": ("egyptian",),
    "Canada": ("canadian",),
    "Mexico": ("mexican",),
    "Brazil": ("brazilian",),
    "Argentina": ("argentinian", "argentine"),
    "Chile": ("chilean",),
    "Colombia": ("colombian",),
    "Peru": ("peruvian",),
    "Japan": ("japanese",),
    "China": ("chinese",),
    "India": ("indian",),
    "Singapore": ("singaporean",),
    "Australia": ("australian",),
    "South Korea": ("korean", "south korean"),
    "Indonesia": ("indonesian",),
    "Malaysia": ("malaysian",),
    "Philippines": ("filipino",),
    "Thailand": ("thai",),
    "Vietnam": ("vietnamese",),
    "Taiwan": ("taiwanese",),
    "Turkey": ("turkish",),
}


def _country_aliases(stored: str) -> tuple[str, ...]:
    """Other ways to say the country stored as ``stored`` (a name or an ISO code)."""
    for name, (alpha2, alpha3, others) in COUNTRIES.items():
        forms = {name.lower(), alpha2.lower(), alpha3.lower(), *others}
        if stored.lower() in forms:
            return (name, *others, *DEMONYMS.get(name, ()), alpha3)
    return ()


def country_codes() -> set[str]:
    """ISO codes (lower case): matched only when written in capitals, since many are English words."""
    codes = set()
    for alpha2, alpha3, _ in COUNTRIES.values():
        codes.add(alpha2.lower())
        codes.add(alpha3.lower())
    return codes
