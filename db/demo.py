"""Demo CRM data: three years of a B2B SaaS sales company, generated deterministically.

``generate(engine, today=...)`` fills an empty database that follows the data contract with
users, companies, contacts, leads, products, deals, invoices, payments, activities and support
tickets, all anchored to ``today`` and reproducible from ``seed``. Three signals are planted on
purpose, with their ground truth in crmbot's own ``crmbot_demo_*`` tables (never in a contract
table), so that lead scoring, churn insights and duplicate-invoice checks have something real
to find, and tests something to check:

1. Leads convert with a known probability: a logistic model of source, title seniority,
   company size, free-mail address and industry (``crmbot_demo_lead_truth``).
2. Customers churn with a latent risk. In the 180 days before churning their engagement falls
   (meetings most), payments come late or never, and urgent tickets with poor satisfaction pile
   up. Active customers who would churn within six months show the same pattern now
   (``crmbot_demo_churn_truth``: risk and drivers).
3. About 1.5% of invoices have a genuine duplicate: a number with a typo or a suffix, an amount
   a cent off or rounded, a few days later, sometimes billed to a second company record of the
   same customer (``crmbot_demo_duplicate_truth``). Installment series and monthly subscription
   invoices of the same amount are legitimate look-alikes and are not listed.

Everything is generated column-wise with numpy from one ``default_rng(seed)`` consumed in a
fixed order, and bulk-inserted one transaction per table: 100,000 companies (8.5 million rows)
take about 50 s of CPU and 1.4 GB on SQLite (bench/bench_demo.py). Internally a row's foreign
keys are positions in the parent's arrays (-1 for NULL), days count from the start of the
history (day 0) and timestamps are seconds from it; ids are handed out at the end, in time order.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from sqlalchemy import Connection, Engine, Table, delete, literal, select, text

from db import vocab
from db.migrate import upgrade
from db.models import CONTRACT_TABLES, Base

Progress = Callable[[str, int, int], None]
Frame = dict[str, np.ndarray]

HISTORY_YEARS = 3
LEAD_DECISION_DAYS = 50  # leads older than this are decided (converted or disqualified)
TARGET_LEAD_CONVERSION = 0.22
TARGET_EVER_CUSTOMERS = 0.76  # share of companies that became customers at some point
TARGET_CHURNED = 0.18  # share of ever-customers that churned within the history
MIN_TENURE_DAYS = 200
DECLINE_DAYS = 180  # the warning signs start this long before churn
DUPLICATE_RATE = 0.015
MAX_COMPANIES = 100_000
CHUNK_ROWS = 50_000
DAY = 86_400

# --------------------------------------------------------------------------- word lists


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard "
    "Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Lisa Matthew Nancy Anthony Sandra Mark "
    "Ashley Steven Emily Paul Michelle Andrew Amanda Joshua Melissa Kevin Rebecca Brian Stephanie "
    "George Laura Timothy Hannah Jason Olivia Ryan Emma Jacob Sophia Noah Ava Liam Mia Lucas Chloe "
    "Ethan Charlotte Oliver Grace Leon Lena Felix Anna Lukas Marie Jonas Sofia Hugo Camille Louis "
    "Manon Arthur Ines Lars Ingrid Erik Astrid Sven Freya Marco Giulia Luca Francesca Alessandro "
    "Chiara Pablo Lucia Javier Carmen Diego Valentina Mateo Camila Santiago Isabella Gabriel Mariana "
    "Rafael Beatriz Joao Ana Hiroshi Yuki Kenji Aiko Takumi Sakura Arjun Priya Rahul Ananya Vikram "
    "Neha Wei Mei Jun Aisha Omar Fatima Yusuf Zara Kwame Amara Ravi Deepa Tom Jack Harry Ella Isla "
    "Finn Niamh Sean Aoife Nadia Elena Ivan Katarzyna Piotr Tomas Sara Nils Maja"
)
LAST_NAMES = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
    "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill "
    "Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Muller Schmidt "
    "Schneider Fischer Weber Meyer Wagner Becker Dubois Bernard Moreau Laurent Lefebvre Rossi Russo "
    "Ferrari Esposito Bianchi Romano Andersson Johansson Karlsson Nilsson Larsen Jansen Bakker Visser "
    "Fernandez Silva Santos Oliveira Souza Pereira Costa Tanaka Suzuki Takahashi Watanabe Ito "
    "Yamamoto Sato Patel Sharma Singh Kumar Gupta Iyer Reddy Chen Wang Zhang Liu Lim Tan Ng Wong Kim "
    "Park Murphy Kelly Walsh Byrne MacDonald Stewart Cohen Novak Kowalski Okafor Mensah Haddad "
    "Nakamura Kaur Morales Castillo Ortiz Vargas Jensen Hansen Berg Lindqvist Horvat"
) + ("O'Brien", "de Vries", "van Dijk", "Da Silva", "McCarthy", "St. Clair")

BRANDS = _words(
    "Acme Northwind Contoso Globex Initech Vertex Apex Summit Pinnacle Horizon Zenith Nimbus "
    "Vector Stratus Cobalt Granite Meridian Keystone Beacon Atlas Orion Polaris Helix Nova Lumen "
    "Vantage Catalyst Fusion Sterling Crestline Ironwood Bluewater Redwood Silverline Evergreen "
    "Brightpath Clearview Highpoint Trailhead Lighthouse Blackstone Whitestone Southwind Eastgate "
    "Westbridge Riverbend Lakeshore Harborview Fieldstone Oakridge Maplewood Aspen Juniper Sequoia "
    "Sparrow Kestrel Osprey Heron Pelican Condor Lynx Otter Badger Bison Puma Mako Orca Tundra Sahara "
    "Sierra Andes Alpine Zentrix Novacore Datalux Optiva Corvex Altura Veritas Luminar Axion Kinetix "
    "Synapse Elevate Ascend Velocity Momentum Paragon Sentinel Guardian Frontier Pioneer Voyager "
    "Venture Endeavor Odyssey Triton Titan Hyperion Calypso Aurora Solstice Equinox Eclipse Spectrum "
    "Prism Radiant Ember Glacier Cascade Tidal Coral Jade Onyx Amber Scarlet Indigo Ivory Obsidian "
    "Sapphire Topaz Garnet Quartz Vireo Caldera Arbor Bramble Copperline Driftwood Everest Fenwick "
    "Galloway Hartwell Kingsley Larkspur Mariner Northgate Oakhurst Pemberton Quillon Rosewood "
    "Stonebridge Thornbury Umberto Valmont Whitfield Yarrow Zephyr Alder Brookfield Carrington "
    "Dunmore Ellsworth Fairmont Greystone Hawthorne Ashford Linden Monarch Nautilus Oberon Pacifica"
)
ADJECTIVES = _words(
    "Blue Red Green Silver Golden Iron Stone North South East West High Bright Clear Swift True First "
    "Prime Grand Royal Noble Bold Great Little Old New Open Deep Quiet Rapid Smart Solid Steady Sharp "
    "Wild Crystal Copper Bronze Crimson Azure Emerald Misty Sunny Frosty Silent Hidden Lucky Happy "
    "Central Coastal Global Urban Metro Pacific Atlantic Arctic Polar Solar Lunar Stellar Cosmic "
    "Digital Modern Future Next Pure Fresh Simple Vital Agile Nimble Keen Brave Loyal Honest Gentle "
    "Amber Scarlet Velvet Granite Maple Cedar Willow Harbor Summit Evergreen Sterling Majestic Radiant"
)
NOUNS = _words(
    "Harbor River Lake Ridge Peak Valley Field Forest Oak Pine Maple Cedar Willow Falcon Eagle Hawk "
    "Wolf Fox Bear Lion Tiger Owl Crane Rock Bridge Gate Tower Castle Bay Point Shore Coast Island "
    "Mountain Canyon Mesa Prairie Meadow Grove Garden Orchard Spring Brook Creek Falls Wave Tide Wind "
    "Storm Cloud Sky Star Sun Moon Comet Rocket Arrow Anchor Compass Lantern Flame Spark Leaf Root "
    "Seed Branch Path Trail Road Way Street Square Circle Stone Fern Moss Heath Glen Dale Cove Reef "
    "Dune Oasis Ember Frost Thunder Rain Dawn Dusk"
)

INDUSTRIES = (
    "Software",
    "Manufacturing",
    "Healthcare",
    "Financial Services",
    "Retail",
    "Education",
    "Logistics",
    "Media",
    "Energy",
    "Government",
)
INDUSTRY_WEIGHTS = (0.20, 0.13, 0.11, 0.11, 0.10, 0.07, 0.09, 0.07, 0.06, 0.06)
_INDUSTRY_NOUN_TEXT = (
    "Software Systems Labs Technologies Digital Cloud Data Analytics AI Networks Apps Code Logic "
    "Computing Cyber Interactive",
    "Manufacturing Industries Industrial Works Machining Fabrication Components Metals Plastics "
    "Tooling Engineering Robotics Materials Precision Assembly Forge",
    "Health Healthcare Medical Clinics Care Pharma Biotech Diagnostics Therapeutics Wellness Dental "
    "Genomics Biosciences Medtech Surgical Imaging",
    "Capital Financial Bank Partners Investments Credit Insurance Advisors Wealth Securities Lending "
    "Payments Trust Fund Holdings Asset_Management",
    "Retail Stores Market Outfitters Goods Supply Apparel Brands Home Foods Boutique Trading Emporium "
    "Shop Commerce Grocers",
    "Academy Learning Education University College School Institute Tutoring EdTech Campus Scholars "
    "Montessori Language_School Business_School Polytechnic Conservatory",
    "Logistics Freight Shipping Transport Cargo Express Distribution Delivery Fleet Couriers Haulage "
    "Warehousing Movers Lines Carriers Supply_Chain",
    "Media Studios Publishing Entertainment Pictures Broadcasting Press Films Records Creative "
    "Productions Agency Radio Magazines Games Content",
    "Energy Power Renewables Utilities Electric Petroleum Resources Grid Fuels Hydro Gas Geothermal "
    "Batteries Power_Systems Oil_&_Gas Energy_Storage",
    "County Municipality Public_Works Transit_Authority Water_District Housing_Authority Port_Authority "
    "Council City_Council Regional_Authority Public_Services Department District Borough Commission "
    "Parks_Department",
)
INDUSTRY_NOUNS = tuple(tuple(w.replace("_", " ") for w in nouns.split()) for nouns in _INDUSTRY_NOUN_TEXT)
INDUSTRY_LEAD_EFFECT = (0.3, 0.0, 0.1, 0.2, -0.1, -0.3, 0.0, -0.1, 0.1, -0.4)
INDUSTRY_CHURN_EFFECT = (0.0, -0.1, -0.2, -0.1, 0.3, 0.2, 0.1, 0.3, -0.1, -0.4)
NO_LEGAL_SUFFIX = (INDUSTRIES.index("Education"), INDUSTRIES.index("Government"))

# code, region, weight, tax %, legal forms, local top-level domain, dialling code
COUNTRIES = (
    ("US", "NA", 0.38, 0, ("Inc", "LLC", "Corp"), ".com", "+1"),
    ("CA", "NA", 0.05, 5, ("Inc", "Ltd"), ".ca", "+1"),
    ("GB", "EMEA", 0.09, 20, ("Ltd", "PLC"), ".co.uk", "+44"),
    ("DE", "EMEA", 0.07, 19, ("GmbH", "AG"), ".de", "+49"),
    ("FR", "EMEA", 0.05, 20, ("SAS", "SA"), ".fr", "+33"),
    ("NL", "EMEA", 0.03, 21, ("B.V.",), ".nl", "+31"),
    ("SE", "EMEA", 0.02, 25, ("AB",), ".se", "+46"),
    ("ES", "EMEA", 0.02, 21, ("S.L.", "S.A."), ".es", "+34"),
    ("IT", "EMEA", 0.02, 22, ("S.r.l.", "S.p.A."), ".it", "+39"),
    ("JP", "APAC", 0.04, 10, ("K.K.",), ".co.jp", "+81"),
    ("AU", "APAC", 0.04, 10, ("Pty Ltd",), ".com.au", "+61"),
    ("IN", "APAC", 0.04, 18, ("Pvt Ltd",), ".in", "+91"),
    ("SG", "APAC", 0.02, 9, ("Pte Ltd",), ".com.sg", "+65"),
    ("BR", "LATAM", 0.06, 0, ("Ltda",), ".com.br", "+55"),
    ("MX", "LATAM", 0.04, 16, ("S.A. de C.V.",), ".com.mx", "+52"),
    ("AR", "LATAM", 0.03, 21, ("S.A.",), ".com.ar", "+54"),
)
COUNTRY_CODES = tuple(c[0] for c in COUNTRIES)
COUNTRY_REGION = np.array([vocab.REGIONS.index(c[1]) for c in COUNTRIES])
COUNTRY_WEIGHTS = tuple(c[2] for c in COUNTRIES)
TAX_PCT = np.array([c[3] for c in COUNTRIES], dtype=np.int64)
REGION_WEIGHTS = tuple(sum(c[2] for c in COUNTRIES if c[1] == r) for r in vocab.REGIONS)

TEAMS = (
    ("NA East", "NA"),
    ("EMEA", "EMEA"),
    ("NA West", "NA"),
    ("APAC", "APAC"),
    ("LATAM", "LATAM"),
    ("NA Central", "NA"),
    ("UK & Ireland", "EMEA"),
    ("DACH", "EMEA"),
    ("ANZ", "APAC"),
    ("Nordics", "EMEA"),
    ("Brazil", "LATAM"),
    ("France & Benelux", "EMEA"),
    ("NA Enterprise", "NA"),
    ("Japan", "APAC"),
    ("Southern Europe", "EMEA"),
)
USER_DOMAIN = "crmbot-demo.com"
# the free-mail domains demo leads sign up with (in this order: the data depends on it); each is one
# crmbot.words.FREE_MAIL_DOMAINS knows, which tests/test_demo.py checks
FREE_MAIL = ("gmail.com", "yahoo.com", "hotmail.com", "outlook.com")

# Title seniority levels, their effect on a lead's conversion logit, and realistic titles.
SENIORITY_LEVELS = ("c_level_vp", "director", "manager", "individual_contributor", "student_intern")
SENIORITY_EFFECT = (1.0, 0.6, 0.2, -0.3, -1.2)
TITLES = (
    (
        "Chief Executive Officer",
        "Chief Technology Officer",
        "Chief Financial Officer",
        "Chief Operating Officer",
        "Chief Revenue Officer",
        "Chief Information Officer",
        "VP of Sales",
        "VP of Engineering",
        "VP of Marketing",
        "VP of Operations",
        "Founder & CEO",
        "VP of Customer Success",
    ),
    (
        "Director of IT",
        "Head of IT",
        "Head of Data",
        "Director of Operations",
        "Sales Director",
        "Director of Engineering",
        "Head of Marketing",
        "Director of Finance",
        "Head of Revenue Operations",
        "Director of Procurement",
    ),
    (
        "Marketing Manager",
        "IT Manager",
        "Sales Manager",
        "Operations Manager",
        "Engineering Manager",
        "Product Manager",
        "Finance Manager",
        "Procurement Manager",
        "Customer Success Manager",
        "Project Manager",
    ),
    (
        "Senior Data Engineer",
        "Software Engineer",
        "Data Analyst",
        "Business Analyst",
        "Account Executive",
        "Systems Administrator",
        "Accountant",
        "Marketing Specialist",
        "DevOps Engineer",
        "Sales Operations Analyst",
        "Solutions Architect",
    ),
    ("Intern", "Marketing Intern", "Student", "Graduate Student", "Research Assistant", "Working Student"),
)
TITLE_SENIORITY: dict[str, str] = {t: SENIORITY_LEVELS[i] for i, ts in enumerate(TITLES) for t in ts}
ALL_TITLES = np.array([t for ts in TITLES for t in ts], dtype=object)
TITLE_OFFSET = np.cumsum([0] + [len(ts) for ts in TITLES])[:-1]
TITLE_COUNT = np.array([len(ts) for ts in TITLES])

# Lead sources in vocabulary order: share of leads, effect on the logit, share with a free-mail address.
SOURCE_WEIGHTS = (0.30, 0.12, 0.10, 0.20, 0.18, 0.10)
SOURCE_EFFECT = dict(zip(vocab.LEAD_SOURCES, (0.0, 1.4, 0.4, -0.6, -0.9, 0.9), strict=True))
SOURCE_FREE_MAIL = (0.30, 0.12, 0.20, 0.05, 0.35, 0.10)
FREE_MAIL_EFFECT = -0.8

LOST_REASONS = ("price", "competitor", "no decision", "timing", "features", "budget")
NEW_BUSINESS_LOST_WEIGHTS = (0.25, 0.22, 0.20, 0.13, 0.12, 0.08)
RENEWAL_LOST_WEIGHTS = (0.25, 0.30, 0.05, 0.05, 0.15, 0.20)

# sku, name, category, list price (whole dollars, recurring ones divisible by 12), active
PRODUCTS = (
    ("PLT-STR", "Platform Starter (per seat, annual)", "Platform licenses", 360, True),
    ("PLT-PRO", "Platform Professional (per seat, annual)", "Platform licenses", 720, True),
    ("PLT-ENT", "Platform Enterprise (per seat, annual)", "Platform licenses", 1200, True),
    ("PLT-CLS", "Platform Classic (legacy, per seat, annual)", "Platform licenses", 480, False),
    ("ADD-ANL", "Advanced Analytics (per seat, annual)", "Add-ons", 180, True),
    ("ADD-AUT", "Workflow Automation (per seat, annual)", "Add-ons", 144, True),
    ("ADD-AIA", "AI Assistant (per seat, annual)", "Add-ons", 240, True),
    ("ADD-API", "API Access (annual)", "Add-ons", 4800, True),
    ("ADD-SSO", "SSO & SCIM (annual)", "Add-ons", 2400, True),
    ("ADD-STO", "Extra Storage, 1 TB (annual)", "Add-ons", 600, True),
    ("SUP-PRM", "Premium Support (annual)", "Support plans", 6000, True),
    ("SUP-ENT", "Enterprise Support (annual)", "Support plans", 18000, True),
    ("SUP-TAM", "Dedicated Technical Account Manager (annual)", "Support plans", 36000, True),
    ("SVC-ONB", "Onboarding Package", "Services", 5000, True),
    ("SVC-IMP", "Implementation Services (per day)", "Services", 1600, True),
    ("SVC-MIG", "Data Migration", "Services", 8000, True),
    ("SVC-INT", "Custom Integration", "Services", 12000, True),
    ("TRN-ADM", "Admin Training (per attendee)", "Training", 450, True),
    ("TRN-WSH", "On-site Workshop (per day)", "Training", 2500, True),
    ("TRN-CRT", "Certification Voucher", "Training", 300, True),
    ("TRN-ELR", "eLearning Library (annual)", "Training", 1200, False),
)
PRICE_CENTS = np.array([p[3] * 100 for p in PRODUCTS], dtype=np.int64)
PRODUCT_NAMES = np.array([p[1] for p in PRODUCTS], dtype=object)
PRODUCT_NAMES_MONTHLY = np.array([p[1].replace("annual", "monthly") for p in PRODUCTS], dtype=object)
SKU = {p[0]: i for i, p in enumerate(PRODUCTS)}
LICENSES = np.array([SKU["PLT-STR"], SKU["PLT-PRO"], SKU["PLT-ENT"]])
ADDONS = np.array([SKU[s] for s in ("ADD-ANL", "ADD-AUT", "ADD-AIA", "ADD-API", "ADD-SSO", "ADD-STO")])
ADDON_PER_SEAT = np.array([True, True, True, False, False, False])
ADDON_STORAGE = 5
ADDON_RATE = np.array([1.0, 0.8, 0.6, 0.5, 0.45, 0.3])
SUPPORT_PLANS = np.array([SKU["SUP-PRM"], SKU["SUP-ENT"], SKU["SUP-TAM"]])
DISCOUNTS = np.array([0, 5, 10, 15, 20, 25])

# deal kinds
NEW_BUSINESS, RENEWAL, UPSELL, RE_ENGAGE = 0, 1, 2, 3
DEAL_LABELS = ("New Business", "Renewal", "Expansion", "New Business")
WON, LOST, OPEN = 0, 1, 2
# invoice schedules
UPFRONT, QUARTERLY, MONTHLY, SUBSCRIPTION = 0, 1, 2, 3

ACTIVITY_SUBJECTS = (
    (
        "Follow-up on our call",
        "Proposal and pricing",
        "Renewal quote",
        "QBR agenda",
        "Intro: your new account team",
        "Case study you asked for",
        "Product update: new release",
        "Contract redlines",
        "Invoice question",
        "Onboarding checklist",
        "Security questionnaire",
        "Usage report for last quarter",
        "Training schedule",
        "Re: seat expansion",
    ),
    (
        "Check-in call",
        "Discovery call",
        "Pricing discussion",
        "Renewal call",
        "Escalation call",
        "Call with procurement",
        "Technical deep dive",
        "Expansion opportunity call",
        "Reference call",
        "Support follow-up call",
    ),
    (
        "Quarterly business review",
        "Product demo",
        "Onboarding session",
        "Executive sponsor meeting",
        "Roadmap preview",
        "Implementation kickoff",
        "Workshop: admin best practices",
        "Success plan review",
        "On-site visit",
    ),
    (
        "Champion is happy with adoption",
        "Asked about API limits",
        "New stakeholder in IT",
        "Interested in AI Assistant add-on",
        "Budget planning starts in Q3",
        "Met the new CFO",
        "Usage up month over month",
        "Requested SSO setup",
    ),
)
RISK_NOTES = (
    "Customer evaluating alternatives",
    "Champion left the company",
    "Budget cuts mentioned",
    "Unhappy with support response times",
    "Low usage flagged by CSM",
    "Asked about contract termination terms",
)
ACTIVITY_TYPE_WEIGHTS = (0.40, 0.25, 0.15, 0.20)  # email, call, meeting, note (vocabulary order)

TICKET_SUBJECTS = (
    "Cannot log in after password reset",
    "SSO configuration error",
    "Dashboard loads slowly",
    "Export to CSV fails",
    "API rate limit exceeded",
    "Data sync delayed",
    "Invoice shows wrong seat count",
    "How do I add a new user?",
    "Report totals look wrong",
    "Integration with Salesforce broken",
    "Email notifications not received",
    "Permission error on shared workspace",
    "Mobile app crashes on startup",
    "Request for feature: bulk edit",
    "Webhook deliveries failing",
    "Storage quota reached",
    "Scheduled report did not run",
    "Question about data retention",
    "Outage: application unavailable",
    "Two-factor authentication issue",
)
PRIORITY_NORMAL = (0.35, 0.40, 0.20, 0.05)
PRIORITY_PAIN = (0.08, 0.22, 0.40, 0.30)
SATISFACTION_NORMAL = (0.03, 0.07, 0.20, 0.35, 0.35)
SATISFACTION_PAIN = (0.40, 0.35, 0.15, 0.07, 0.03)
RESOLUTION_HOURS = (96.0, 48.0, 24.0, 6.0)  # median by priority


# --------------------------------------------------------------------------- public API


def generate(
    engine: Engine,
    *,
    seed: int = 42,
    today: date,
    companies: int = 500,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Fill an empty contract database with a demo CRM; returns the number of rows per table.

    Deterministic for a given (seed, today, companies). ``companies`` counts the real accounts;
    the few second company records of a customer that duplicate invoices need come on top.
    ``progress(step, done, total)`` is called while generating and after each inserted chunk.
    """
    if isinstance(today, datetime):
        today = today.date()
    if not isinstance(today, date):
        raise TypeError("today must be a datetime.date")
    if not 20 <= companies <= MAX_COMPANIES:
        raise ValueError(f"companies must be between 20 and {MAX_COMPANIES:,}, not {companies:,}")
    upgrade(engine)
    _refuse_if_not_empty(engine)
    report = progress or (lambda step, done, total: None)
    report("generate", 0, 1)
    tables = _build(np.random.default_rng(seed), _Clock.ending(today), companies)
    report("generate", 1, 1)
    counts = {}
    with engine.connect() as conn, _bulk_load(conn):
        for name in list(tables):
            with conn.begin():
                counts[name] = _insert(conn, Base.metadata.tables[name], tables.pop(name), report)
    counts["customer_insights"] = 0
    return counts


def _refuse_if_not_empty(engine: Engine) -> None:
    with engine.connect() as conn:
        for name in CONTRACT_TABLES:
            table = Base.metadata.tables[name]
            if conn.execute(select(literal(1)).select_from(table).limit(1)).first() is not None:
                raise ValueError(
                    f"Refusing to generate demo data: table '{name}' already has rows. "
                    "Demo data goes into an empty database (a new SQLite file or an empty schema)."
                )


# --------------------------------------------------------------------------- time


@dataclass(frozen=True)
class _Clock:
    """Day 0 is three years before ``today``; ``horizon`` is today's day number."""

    today: date
    start: date
    horizon: int

    @classmethod
    def ending(cls, today: date) -> _Clock:
        try:
            start = today.replace(year=today.year - HISTORY_YEARS)
        except ValueError:  # 29 February
            start = today.replace(year=today.year - HISTORY_YEARS, day=28)
        return cls(today, start, (today - start).days)

    def dates(self, days: np.ndarray) -> np.ndarray:
        return np.datetime64(self.start, "D") + np.asarray(days, dtype=np.int64)

    def timestamps(self, seconds: np.ndarray) -> np.ndarray:
        return np.datetime64(self.start, "s") + np.asarray(seconds, dtype=np.int64)

    def years(self, days: np.ndarray) -> np.ndarray:
        return self.dates(days).astype("datetime64[Y]").astype(np.int64) + 1970

    def back_to_weekday(self, days: np.ndarray) -> np.ndarray:
        """Saturdays and Sundays moved back to the Friday before."""
        weekday = (self.start.weekday() + days) % 7
        return days - np.where(weekday == 5, 1, np.where(weekday == 6, 2, 0))

    def add_months(self, days: np.ndarray, months: np.ndarray) -> np.ndarray:
        """The same day of the month (at most the 28th) ``months`` later, as day numbers."""
        d = self.dates(days)
        month = d.astype("datetime64[M]")
        dom = np.minimum((d - month.astype("datetime64[D]")).astype(np.int64), 27)
        later = (month + np.asarray(months, dtype=np.int64)).astype("datetime64[D]") + dom
        return (later - np.datetime64(self.start, "D")).astype(np.int64)


def _work_time(rng: np.random.Generator, days: np.ndarray) -> np.ndarray:
    """Seconds from day 0 at a random time of the working day (08:00-18:00)."""
    days = np.asarray(days, dtype=np.int64)
    return days * DAY + 8 * 3600 + rng.integers(0, 10 * 3600, size=days.size)


# --------------------------------------------------------------------------- small helpers


def _libm(f: Callable[[float], float], values) -> np.ndarray:
    """``f`` (from the math module) on each value. numpy's own exp and log take a faster path on CPUs
    with AVX-512 that differs from the C library in the last bit now and then, so the same seed gave
    other data there (a name, a figure); the C library's gives the same on every machine."""
    values = np.asarray(values, dtype=np.float64)
    return np.fromiter(map(f, values.ravel().tolist()), np.float64, count=values.size).reshape(values.shape)


def _exp(values) -> np.ndarray:
    return _libm(math.exp, values)


def _log10(values) -> np.ndarray:
    return _libm(math.log10, values)


def _sigmoid(x):
    return 1.0 / (1.0 + _exp(-x))


def _choice(rng: np.random.Generator, n: int, weights: Sequence[float]) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(p.size, size=n, p=p / p.sum())


def _explode(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ``counts`` children per parent: each child's parent and its position among siblings."""
    counts = np.asarray(counts, dtype=np.int64)
    parent = np.repeat(np.arange(counts.size), counts)
    starts = np.cumsum(counts) - counts
    return parent, np.arange(parent.size) - starts[parent]


def _mix(rng: np.random.Generator, weight: np.ndarray, a: Sequence[float], b: Sequence[float]) -> np.ndarray:
    """One draw per row from the mixture (1 - weight) * a + weight * b of two categorical laws."""
    cum_a, cum_b = np.cumsum(a) / np.sum(a), np.cumsum(b) / np.sum(b)
    cum = (1 - weight)[:, None] * cum_a[None, :] + weight[:, None] * cum_b[None, :]
    return np.minimum((rng.random(weight.size)[:, None] > cum).sum(axis=1), len(a) - 1)


def _slug(word: str) -> str:
    ascii_word = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_word.lower() if ch.isalnum())


def _slugs(words: Sequence[str]) -> np.ndarray:
    return np.array([_slug(w) for w in words], dtype=object)


def _objects(values: Sequence[str]) -> np.ndarray:
    return np.array(list(values), dtype=object)


def _bisect(fn: Callable[[float], float], target: float, lo: float, hi: float) -> float:
    """x in [lo, hi] with fn(x) close to target, for fn non-decreasing."""
    for _ in range(60):
        mid = (lo + hi) / 2
        if fn(mid) < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _pick_in_groups(rng, group: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """A random member of each row's group, for groups stored as runs ``starts[g]..+counts[g]``."""
    return starts[group] + np.floor(rng.random(group.size) * counts[group]).astype(np.int64)


FIRST = _objects(FIRST_NAMES)
LAST = _objects(LAST_NAMES)
FIRST_SLUG = _slugs(FIRST_NAMES)
LAST_SLUG = _slugs(LAST_NAMES)


# --------------------------------------------------------------------------- the build


def _build(rng: np.random.Generator, clock: _Clock, n_companies: int) -> dict[str, Frame]:
    users = _users(rng, clock, n_companies)
    n_leads = 4 * n_companies
    population = _population(rng, n_leads + n_companies)
    leads = _leads(rng, clock, population, n_leads, users)
    accounts = _companies(rng, clock, population, leads, users, n_companies)
    _lifecycle(rng, clock, accounts)
    contacts = _contacts(rng, clock, accounts, leads)
    deals, lines = _deals(rng, clock, accounts, contacts)
    invoices, invoice_lines, payments = _billing(rng, clock, accounts, deals, lines, users)
    duplicates = _duplicate_invoices(rng, clock, accounts, invoices, invoice_lines, payments, users)
    activities = _activities(rng, clock, accounts, contacts)
    tickets = _tickets(rng, clock, accounts, contacts)
    churn_truth = _churn_truth(clock, accounts)
    return _finalize(
        clock,
        users=users,
        accounts=accounts,
        contacts=contacts,
        leads=leads,
        deals=deals,
        lines=lines,
        invoices=invoices,
        invoice_lines=invoice_lines,
        payments=payments,
        activities=activities,
        tickets=tickets,
        duplicates=duplicates,
        churn_truth=churn_truth,
    )


def _users(rng: np.random.Generator, clock: _Clock, n_companies: int) -> Frame:
    n = int(np.clip(round(n_companies / 25), 8, 400))
    n_admins = 1 if n < 20 else 2
    n_teams = int(np.clip(n // 5, 2, len(TEAMS)))
    teams = TEAMS[:n_teams]
    n_reps = n - n_admins - n_teams
    team_region = np.array([vocab.REGIONS.index(r) for _, r in teams])
    per_region = np.bincount(team_region, minlength=len(vocab.REGIONS))
    weights = np.array(REGION_WEIGHTS)[team_region] / per_region[team_region]
    rep_team = np.sort(np.concatenate([np.arange(n_teams), _choice(rng, n_reps - n_teams, weights)]))

    role = np.array(["admin"] * n_admins + ["manager"] * n_teams + ["rep"] * n_reps, dtype=object)
    team = np.concatenate([np.full(n_admins, -1), np.arange(n_teams), rep_team])
    first = rng.integers(0, FIRST.size, n)
    last = rng.integers(0, LAST.size, n)
    emails, seen = [], {}
    for f, la in zip(first, last, strict=True):
        local = f"{FIRST_SLUG[f]}.{LAST_SLUG[la]}"
        seen[local] = seen.get(local, 0) + 1
        emails.append(f"{local}{seen[local] if seen[local] > 1 else ''}@{USER_DOMAIN}")

    alphabet = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))
    slack = np.array(["U0" + "".join(alphabet[rng.integers(0, 36, 9)]) for _ in range(n)], dtype=object)
    while len(set(slack.tolist())) < n:  # practically never
        slack = np.array(["U0" + "".join(alphabet[rng.integers(0, 36, 9)]) for _ in range(n)], dtype=object)
    slack[rng.random(n) < 0.1] = None

    active = np.ones(n, dtype=bool)
    reps = np.flatnonzero(role == "rep")
    for r in rng.permutation(reps):
        same_team = reps[(team[reps] == team[r]) & active[reps]]
        if same_team.size > 1 and (~active).sum() < 2:
            active[r] = False
    created_day = np.where(
        role == "admin", 0, np.where(role == "manager", rng.integers(0, 30, n), rng.integers(0, 120, n))
    )
    return {
        "name": FIRST[first] + " " + LAST[last],
        "email": _objects(emails),
        "slack_user_id": slack,
        "role": role,
        "team": np.array([teams[t][0] if t >= 0 else None for t in team], dtype=object),
        "active": active,
        "created_at": clock.timestamps(_work_time(rng, created_day)),
        "_team": team,
        "_region": np.where(team >= 0, team_region[np.maximum(team, 0)], -1),
        "_approver": np.where(team >= 0, n_admins + np.maximum(team, 0), 0),  # team manager, or an admin
    }


def _rep_for_region(rng: np.random.Generator, users: Frame, region: np.ndarray) -> np.ndarray:
    """An active rep per row, from a team of the row's region when there is one."""
    is_rep = (users["role"] == "rep") & users["active"]
    all_reps = np.flatnonzero(is_rep)
    owner = all_reps[rng.integers(0, all_reps.size, region.size)]
    for r in range(len(vocab.REGIONS)):
        pool = np.flatnonzero(is_rep & (users["_region"] == r))
        rows = np.flatnonzero(region == r)
        if pool.size and rows.size:
            owner[rows] = pool[rng.integers(0, pool.size, rows.size)]
    return owner


def _population(rng: np.random.Generator, size: int) -> Frame:
    """Would-be accounts (the companies of all leads and the other accounts): firmographics and a
    unique name and domain each."""
    industry = _choice(rng, size, INDUSTRY_WEIGHTS)
    employees = np.clip(_exp(rng.normal(math.log(120), 1.55, size)), 5, 50_000).astype(np.int64)
    country = _choice(rng, size, COUNTRY_WEIGHTS)

    prefixes = _objects(BRANDS + tuple(f"{a} {b}" for a in ADJECTIVES for b in NOUNS if a != b))
    prefix_slugs = _slugs(prefixes)
    base = np.empty(size, dtype=object)
    slug = np.empty(size, dtype=object)
    for i, nouns in enumerate(INDUSTRY_NOUNS):
        rows = np.flatnonzero(industry == i)
        n_prefixes = len(BRANDS) if rows.size * 2 <= len(BRANDS) * len(nouns) else prefixes.size
        space = n_prefixes * len(nouns)
        if rows.size > space:
            raise ValueError(f"not enough distinct {INDUSTRIES[i]} company names for {size:,} companies")
        code = rng.choice(space, size=rows.size, replace=False)
        p, q = code // len(nouns), code % len(nouns)
        base[rows] = prefixes[p] + " " + _objects(nouns)[q]
        slug[rows] = prefix_slugs[p] + _slugs(nouns)[q]

    forms = np.array([[c[4][k % len(c[4])] for k in range(6)] for c in COUNTRIES], dtype=object)
    form = forms[country, rng.integers(0, 6, size)]
    with_form = (rng.random(size) < 0.35) & ~np.isin(industry, NO_LEGAL_SUFFIX)
    name = base.copy()
    name[with_form] = base[with_form] + " " + form[with_form]

    tld = np.array([c[5] for c in COUNTRIES], dtype=object)[country]
    tld[(rng.random(size) < 0.55) & (country != 0)] = ".com"
    tld[(industry == 0) & (rng.random(size) < 0.2)] = ".io"
    gov, edu = INDUSTRIES.index("Government"), INDUSTRIES.index("Education")
    tld[(industry == gov) & (country == 0)] = ".gov"
    tld[(industry == edu) & (country == 0)] = ".edu"
    domain = slug + tld
    seen: dict[str, int] = {}
    for i, d in enumerate(domain.tolist()):  # "North Star" and "Northstar" share a slug
        if d in seen:
            seen[d] += 1
            stem, dot, rest = d.partition(".")
            domain[i] = f"{stem}{seen[d]}{dot}{rest}"
        else:
            seen[d] = 1
    return {"name": name, "base": base, "domain": domain, "industry": industry, "employees": employees,
            "country": country}  # fmt: skip


def _lead_logit(source, seniority, employees, free_mail, industry) -> np.ndarray:
    """The planted conversion logit, without its intercept."""
    size = _log10(employees) - 2.0
    return (
        np.array([SOURCE_EFFECT[s] for s in vocab.LEAD_SOURCES])[source]
        + np.array(SENIORITY_EFFECT)[seniority]
        + 0.8 * size
        - 0.3 * size**2
        + FREE_MAIL_EFFECT * free_mail
        + np.array(INDUSTRY_LEAD_EFFECT)[industry]
    )


def _leads(rng: np.random.Generator, clock: _Clock, pop: Frame, n: int, users: Frame) -> Frame:
    H = clock.horizon
    day = np.floor(H * (np.sqrt(1 + 3 * rng.random(n)) - 1)).astype(np.int64)  # twice the rate at the end
    created = day * DAY + rng.integers(0, DAY, n)
    source = _choice(rng, n, SOURCE_WEIGHTS)
    seniority = _choice(rng, n, (0.15, 0.17, 0.25, 0.35, 0.08))
    title = TITLE_OFFSET[seniority] + np.floor(rng.random(n) * TITLE_COUNT[seniority]).astype(np.int64)
    free_mail = rng.random(n) < np.array(SOURCE_FREE_MAIL)[source]
    industry, employees, country = pop["industry"][:n], pop["employees"][:n], pop["country"][:n]

    logit = _lead_logit(source, seniority, employees, free_mail, industry)
    base = _bisect(lambda b: float(_sigmoid(b + logit).mean()), TARGET_LEAD_CONVERSION, -10.0, 10.0)
    probability = _sigmoid(base + logit)

    age = H - day
    decided = age > LEAD_DECISION_DAYS
    converted = decided & (rng.random(n) < probability)
    converted_day = day + rng.integers(2, 41, n)
    converted_ts = np.where(converted, _work_time(rng, converted_day), -1)
    u = rng.random(n)
    status = np.where(
        age <= 7,
        np.where(u < 0.8, "new", "working"),
        np.where(age <= 25, np.where(u < 0.1, "new", np.where(u < 0.8, "working", "qualified")),
                 np.where(u < 0.45, "working", "qualified")),
    ).astype(object)  # fmt: skip
    status[decided] = np.where(converted[decided], "converted", "disqualified")

    first = rng.integers(0, FIRST.size, n)
    last = rng.integers(0, LAST.size, n)
    style = rng.random(n)
    corporate_local = np.where(
        style < 0.7,
        FIRST_SLUG[first] + "." + LAST_SLUG[last],
        np.where(style < 0.9, _first_letter(FIRST_SLUG[first]) + LAST_SLUG[last], FIRST_SLUG[first]),
    )
    digits = np.where(rng.random(n) < 0.5, rng.integers(1, 99, n).astype(str).astype(object), "")
    free_local = FIRST_SLUG[first] + "." + LAST_SLUG[last] + digits
    free_domain = _objects(FREE_MAIL)[rng.integers(0, len(FREE_MAIL), n)]
    email = np.where(free_mail, free_local + "@" + free_domain, corporate_local + "@" + pop["domain"][:n])
    region = COUNTRY_REGION[country]
    return {
        "first_name": FIRST[first],
        "last_name": LAST[last],
        "email": email.astype(object),
        "company_name": pop["name"][:n].copy(),
        "title": ALL_TITLES[title],
        "source": _objects(vocab.LEAD_SOURCES)[source],
        "industry": _objects(INDUSTRIES)[industry],
        "employee_count": employees,
        "country": _objects(COUNTRY_CODES)[country],
        "region": _objects(vocab.REGIONS)[region],
        "status": status,
        "owner_id": _rep_for_region(rng, users, region),
        "company_id": np.full(n, -1),
        "created_at": clock.timestamps(created),
        "converted_at": np.where(converted, clock.timestamps(converted_ts), np.datetime64("NaT")),
        "_first": first,
        "_last": last,
        "_title": title,
        "_created": created,
        "_converted": converted,
        "_converted_ts": converted_ts,
        "_probability": probability,
    }


def _first_letter(words: np.ndarray) -> np.ndarray:
    return np.array([w[:1] for w in words.tolist()], dtype=object)


def _companies(rng, clock: _Clock, pop: Frame, leads: Frame, users: Frame, n: int) -> Frame:
    """Accounts: most are converted leads (same firmographics, created when the lead converted),
    the rest came from elsewhere. A converted lead beyond ``n`` accounts links to an existing one."""
    n_leads = leads["status"].size
    converted = np.flatnonzero(leads["_converted"])
    converted = converted[np.argsort(leads["_converted_ts"][converted], kind="stable")]
    n_from_leads = min(converted.size, n - math.ceil(0.1 * n))
    keep = np.zeros(converted.size, dtype=bool)
    keep[rng.permutation(converted.size)[:n_from_leads]] = True
    from_leads, surplus = converted[keep], converted[~keep]
    n_other = n - n_from_leads

    pop_row = np.concatenate([from_leads, n_leads + np.arange(n_other)])
    other_day = rng.integers(0, clock.horizon - 30, n_other)
    created = np.concatenate([leads["_converted_ts"][from_leads], _work_time(rng, other_day)])
    country = pop["country"][pop_row]
    region = COUNTRY_REGION[country]
    owner = np.concatenate(
        [leads["owner_id"][from_leads], _rep_for_region(rng, users, region[n_from_leads:])]
    )

    leads["company_id"][from_leads] = np.arange(n_from_leads)
    if surplus.size:  # link to an account that already existed when the lead converted
        k = np.searchsorted(created[:n_from_leads], leads["_converted_ts"][surplus], side="right")
        k = np.where(k > 0, k, max(n_from_leads, 1))
        target = np.floor(rng.random(surplus.size) * k).astype(np.int64)
        leads["company_id"][surplus] = target
        leads["company_name"][surplus] = pop["name"][pop_row[target]]

    return {
        "name": pop["name"][pop_row],
        "domain": pop["domain"][pop_row],
        "industry": _objects(INDUSTRIES)[pop["industry"][pop_row]],
        "employee_count": pop["employees"][pop_row],
        "country": _objects(COUNTRY_CODES)[country],
        "region": _objects(vocab.REGIONS)[region],
        "owner_id": owner,
        "_base_name": pop["base"][pop_row],
        "_industry": pop["industry"][pop_row],
        "_country": country,
        "_created": created,
        "_day": created // DAY,
        "_lead": np.concatenate([from_leads, np.full(n_other, -1)]),
    }


def _lifecycle(rng: np.random.Generator, clock: _Clock, co: Frame) -> None:
    """First deal, customer_since, contract and billing, latent churn risk and churn date, and the
    commercial plan (tier, seats, add-ons, support, discount) of each account, in place."""
    n, H = co["_day"].size, clock.horizon
    a = co["_day"]
    employees = co["employee_count"]
    size = _log10(employees)
    # some accounts lost a first try before the new-business deal that decided them
    earlier_close = clock.back_to_weekday(a + rng.integers(30, 121, n))
    earlier = (rng.random(n) < 0.3) & (earlier_close + 30 <= H)
    restart = np.where(earlier, np.minimum(earlier_close + rng.integers(30, 151, n), H), a)
    cycle = np.clip(_exp(rng.normal(math.log(55), 0.5, n)), 14, 200).astype(np.int64)
    first_close = np.maximum(clock.back_to_weekday(restart + cycle), restart + 12)
    decided = first_close <= H
    win_rate = float(np.clip(TARGET_EVER_CUSTOMERS / max(decided.mean(), 1e-9), 0.3, 0.97))
    won = decided & (rng.random(n) < win_rate)
    since = np.where(won, first_close, -1)

    subscription = won & (rng.random(n) < np.where(employees < 200, 0.25, 0.08))
    billing = np.where(subscription, SUBSCRIPTION, _choice(rng, n, (0.62, 0.22, 0.16)))
    terms = np.where(
        subscription, _choice(rng, n, (0.7, 0.2, 0.1, 0, 0)), _choice(rng, n, (0.04, 0.1, 0.6, 0.16, 0.1))
    )
    method = np.where(
        subscription, _choice(rng, n, (0.8, 0.2, 0, 0)), _choice(rng, n, (0.15, 0.65, 0.12, 0.08))
    )

    # Churn: a proportional hazard after a minimum tenure; annual contracts end at an anniversary.
    frailty = rng.normal(0, 1, n)
    z = (
        0.9 * frailty
        - 0.35 * (size - 2)
        + np.array(INDUSTRY_CHURN_EFFECT)[co["_industry"]]
        + 0.3 * subscription
    )
    exposure = rng.gamma(3.0, 1 / 3, n)  # less dispersed than exponential: risk ranks churn timing

    def churn_day(log_k: float) -> np.ndarray:
        raw = MIN_TENURE_DAYS + exposure / (math.exp(log_k) * _exp(z))
        tenure = np.where(subscription, np.ceil(raw), 365 * np.ceil(raw / 365))
        return np.where(won, since + np.minimum(tenure, 1e7), np.inf)

    log_k = _bisect(lambda lk: float((churn_day(lk)[won] <= H).mean()), TARGET_CHURNED, -20.0, 2.0)
    end = churn_day(log_k)
    end = np.where(np.isinf(end), 10**8, end).astype(np.int64)  # the day the relationship ends
    churned = won & (end <= H)
    declining = won & (end - DECLINE_DAYS <= H)

    tier = np.where(
        employees < 80,
        _choice(rng, n, (0.7, 0.3, 0)),
        np.where(employees <= 1500, _choice(rng, n, (0.2, 0.65, 0.15)), _choice(rng, n, (0, 0.35, 0.65))),
    )
    seats = np.clip(np.round(employees * rng.uniform(0.04, 0.3, n)), 3, 2500).astype(np.int64)
    addons = rng.random((n, ADDONS.size)) < np.array([0.25, 0.4, 0.55])[tier][:, None] * ADDON_RATE[None, :]
    support = (
        np.select(
            [tier == 0, tier == 1],
            [_choice(rng, n, (0.8, 0.2, 0, 0)), _choice(rng, n, (0.4, 0.5, 0.1, 0))],
            _choice(rng, n, (0, 0.3, 0.5, 0.2)),
        )
        - 1
    )  # -1: no support plan
    discount = DISCOUNTS[np.minimum(rng.poisson(np.clip(size - 1.2, 0.2, 3.5)), DISCOUNTS.size - 1)]

    co.update(
        lifecycle_stage=np.where(churned, "churned", np.where(won, "customer", "prospect")).astype(object),
        customer_since=np.where(won, clock.dates(np.maximum(since, 0)), np.datetime64("NaT")),
        churned_at=np.where(churned, clock.dates(np.minimum(end, H)), np.datetime64("NaT")),
        created_at=clock.timestamps(co["_created"]),
        _earlier=earlier,
        _earlier_close=earlier_close,
        _restart=restart,
        _first_close=first_close,
        _won=won,
        _since=since,
        _end=end,
        _churned=churned,
        _declining=declining,
        _decline_start=end - DECLINE_DAYS,
        _risk=np.where(won, 1 - _exp(-365 * math.exp(log_k) * _exp(z)), 0.0),
        _late_habit=won & (rng.random(n) < _sigmoid(-1.7 + 0.7 * frailty)),
        _health=np.clip(_exp(-0.2 * frailty + rng.normal(0, 0.15, n)), 0.5, 1.6),
        _floor=rng.uniform(0.05, 0.3, n),
        _late_driver=declining & (rng.random(n) < 0.7),
        _support_driver=declining & (rng.random(n) < 0.65),
        _subscription=subscription,
        _billing=billing,
        _terms=terms,
        _method=method,
        _tier=tier,
        _seats=seats,
        _growth=rng.uniform(1.0, 1.2, n),
        _addons=addons,
        _storage=rng.integers(1, 6, n),
        _support=support,
        _discount=discount,
    )


def _contacts(rng: np.random.Generator, clock: _Clock, co: Frame, leads: Frame) -> Frame:
    per = np.clip(2 + rng.poisson(0.45 * _log10(co["employee_count"]) + 0.2), 2, 6)
    company, pos = _explode(per)
    co["_contact_start"], co["_contact_count"] = np.cumsum(per) - per, per
    n = company.size
    first = rng.integers(0, FIRST.size, n)
    last = rng.integers(0, LAST.size, n)
    seniority = _choice(rng, n, (0.15, 0.25, 0.35, 0.25, 0))
    title = TITLE_OFFSET[seniority] + np.floor(rng.random(n) * TITLE_COUNT[seniority]).astype(np.int64)
    # The first contact of an account made from a lead is that lead's person.
    from_lead = (pos == 0) & (co["_lead"][company] >= 0)
    lead = co["_lead"][company[from_lead]]
    first[from_lead], last[from_lead], title[from_lead] = (
        leads["_first"][lead],
        leads["_last"][lead],
        leads["_title"][lead],
    )

    day = np.minimum(co["_day"][company] + rng.integers(0, 180, n), clock.horizon)
    created = np.where(pos == 0, co["_created"][company], _work_time(rng, day))
    country = co["_country"][company]
    dial = np.array([c[6] for c in COUNTRIES], dtype=object)[country].tolist()
    a, b, c = (rng.integers(lo, hi, n).tolist() for lo, hi in ((100, 1000), (100, 1000), (0, 10_000)))
    phone = _objects(f"{d} {x} {y} {z:04d}" for d, x, y, z in zip(dial, a, b, c, strict=True))
    phone[rng.random(n) < 0.15] = None
    return {
        "company_id": company,
        "first_name": FIRST[first],
        "last_name": LAST[last],
        "email": FIRST_SLUG[first] + "." + LAST_SLUG[last] + "@" + co["domain"][company],
        "phone": phone,
        "title": ALL_TITLES[title],
        "owner_id": co["owner_id"][company],
        "created_at": clock.timestamps(created),
        "_created": created,
    }


def _deals(rng: np.random.Generator, clock: _Clock, co: Frame, contacts: Frame) -> tuple[Frame, Frame]:
    """New business for every account (after a lost first try for some), renewals at each
    anniversary of annual contracts, upsells, and a second try at some lost prospects; with their
    line items."""
    H, n_co = clock.horizon, co["_day"].size
    won, since, end = co["_won"], co["_since"], co["_end"]
    annual = won & ~co["_subscription"]

    # new business: created with the account or after a lost first try, closes first_close
    nb_co = np.arange(n_co)
    nb_created = np.where(co["_earlier"], _work_time(rng, co["_restart"]), co["_created"])
    nb_close = co["_first_close"]
    nb_outcome = np.where(nb_close > H, OPEN, np.where(won, WON, LOST))
    ft_co = np.flatnonzero(co["_earlier"])

    # a second try at 35% of the lost prospects
    lost_first = (nb_outcome == LOST) & (rng.random(n_co) < 0.35)
    re_day = co["_first_close"] + rng.integers(60, 400, n_co)
    re_co = np.flatnonzero(lost_first & (re_day <= H))
    re_created = _work_time(rng, re_day[re_co])
    re_close = clock.back_to_weekday(
        re_day[re_co] + np.clip(_exp(rng.normal(math.log(60), 0.5, re_co.size)), 14, 200).astype(np.int64)
    )
    re_outcome = np.where(re_close > H, OPEN, LOST)

    # renewals of annual contracts at each anniversary until the contract ends
    rn_co, k = _explode(np.where(annual, 3, 0))
    k = k + 1
    anniversary = since[rn_co] + 365 * k
    rn_created_day = anniversary - rng.integers(60, 101, rn_co.size)
    keep = (rn_created_day <= H) & (anniversary <= end[rn_co])
    rn_co, k, anniversary, rn_created_day = rn_co[keep], k[keep], anniversary[keep], rn_created_day[keep]
    rn_close = np.minimum(anniversary - rng.integers(0, 21, rn_co.size), H)
    is_last = anniversary == end[rn_co]
    rn_outcome = np.where(
        is_last, np.where(anniversary <= H, LOST, OPEN), np.where(anniversary <= H, WON, OPEN)
    )
    rn_close = np.where(rn_outcome == OPEN, anniversary, rn_close)

    # upsells while a customer, rarer once the account is declining
    span = np.maximum(np.minimum(end - 90, H + 1) - (since + 60), 0) * won
    up_co, _ = _explode(rng.poisson(0.45 / 365 * co["_health"] * span))
    up_day = since[up_co] + 60 + np.floor(rng.random(up_co.size) * span[up_co]).astype(np.int64)
    keep = (up_day < co["_decline_start"][up_co]) | (rng.random(up_co.size) < 0.2)
    up_co, up_day = up_co[keep], up_day[keep]
    up_close = up_day + rng.integers(15, 81, up_co.size)
    up_outcome = np.where(up_close > H, OPEN, np.where(rng.random(up_co.size) < 0.6, WON, LOST))
    up_close = np.where(up_outcome == OPEN, up_close, clock.back_to_weekday(np.minimum(up_close, H)))

    company = np.concatenate([nb_co, ft_co, re_co, rn_co, up_co])
    kind = np.concatenate(
        [np.full(n_co + ft_co.size, NEW_BUSINESS), np.full(re_co.size, RE_ENGAGE), np.full(rn_co.size, RENEWAL),
         np.full(up_co.size, UPSELL)]
    )  # fmt: skip
    renewal_k = np.concatenate(
        [np.zeros(n_co + ft_co.size + re_co.size, dtype=np.int64), k, np.zeros(up_co.size, dtype=np.int64)]
    )
    created = np.concatenate(
        [
            nb_created,
            co["_created"][ft_co],
            re_created,
            _work_time(rng, rn_created_day),
            _work_time(rng, up_day),
        ]
    )
    close = np.concatenate([nb_close, co["_earlier_close"][ft_co], re_close, rn_close, up_close])
    outcome = np.concatenate([nb_outcome, np.full(ft_co.size, LOST), re_outcome, rn_outcome, up_outcome])
    n = company.size
    created_day = created // DAY

    is_open = outcome == OPEN
    expected = np.where(is_open & (rng.random(n) < 0.12), H - rng.integers(1, 29, n), close)  # slipped
    expected = np.maximum(expected, created_day + 1)
    progress = np.clip((H - created_day) / np.maximum(close - created_day, 1), 0, 0.999)
    stage = np.where(
        is_open, _objects(vocab.OPEN_DEAL_STAGES)[(progress * 4).astype(np.int64)], np.where(outcome == WON, "closed_won", "closed_lost")
    ).astype(object)  # fmt: skip
    closed_ts = np.maximum(_work_time(rng, close), created + 3600)
    lost_reason = np.where(
        kind == RENEWAL,
        _objects(LOST_REASONS)[_choice(rng, n, RENEWAL_LOST_WEIGHTS)],
        _objects(LOST_REASONS)[_choice(rng, n, NEW_BUSINESS_LOST_WEIGHTS)],
    )
    lost_reason[outcome != LOST] = None
    year = clock.years(np.where(is_open, expected, close))
    name = co["name"][company] + " - " + _objects(DEAL_LABELS)[kind] + " " + year.astype(str).astype(object)

    first_contact = co["_contact_start"][company]
    contact = np.where(
        kind == NEW_BUSINESS,
        first_contact,
        _pick_in_groups(rng, company, co["_contact_start"], co["_contact_count"]),
    )
    deals = {
        "name": name,
        "company_id": company,
        "contact_id": contact,
        "owner_id": co["owner_id"][company],
        "currency": np.full(n, "USD", dtype=object),
        "stage": stage,
        "created_at": clock.timestamps(created),
        "expected_close_date": clock.dates(expected),
        "closed_at": np.where(is_open, np.datetime64("NaT"), clock.timestamps(closed_ts)),
        "lost_reason": lost_reason,
        "_kind": kind,
        "_created": created,
        "_close": np.where(is_open, -1, closed_ts // DAY),
        "_closed_ts": closed_ts,
        "_outcome": outcome,
    }
    lines = _line_items(rng, co, deals, renewal_k)
    deals["_amount"] = np.bincount(lines["deal_id"], weights=lines["_amount"], minlength=n).astype(np.int64)
    deals["amount"] = deals["_amount"] / 100
    counts = np.bincount(lines["deal_id"], minlength=n)
    deals["_line_start"] = np.cumsum(counts) - counts
    deals["_line_count"] = counts
    return deals, lines


def _line_items(rng: np.random.Generator, co: Frame, deals: Frame, renewal_k: np.ndarray) -> Frame:
    company, kind = deals["company_id"], deals["_kind"]
    n = company.size
    subscription = co["_subscription"][company]
    seats = co["_seats"][company]
    seats = np.where(kind == RENEWAL, np.round(seats * co["_growth"][company] ** renewal_k), seats).astype(
        np.int64
    )
    discount = co["_discount"][company]
    base = kind != UPSELL
    new = (kind == NEW_BUSINESS) | (kind == RE_ENGAGE)
    tier = co["_tier"][company]
    addons = co["_addons"][company]
    # upsell: 0 more seats, 1 an add-on not yet bought (or seats when all are), 2 services
    upsell = np.where(rng.random(n) < 0.4, 0, np.where(rng.random(n) < 0.67, 1, 2))
    wanted = rng.random((n, ADDONS.size)) + addons * 2  # lowest = a random add-on not yet bought
    new_addon = np.argmin(wanted, axis=1)
    upsell = np.where((upsell == 1) & addons.all(axis=1), 0, upsell)

    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

    def add(mask, product, quantity, disc):
        rows = np.flatnonzero(mask)
        parts.append((rows, *(np.broadcast_to(v, (n,))[rows] for v in (product, quantity, disc))))

    zero = np.zeros(n, dtype=np.int64)
    add(base, LICENSES[tier], seats, discount)
    extra_seats = np.maximum(1, np.round(seats * rng.uniform(0.1, 0.5, n))).astype(np.int64)
    add(~base & (upsell == 0), LICENSES[tier], extra_seats, discount)
    storage = co["_storage"][company]
    for j in range(ADDONS.size):
        qty = seats if ADDON_PER_SEAT[j] else (storage if j == ADDON_STORAGE else np.ones(n, dtype=np.int64))
        add(base & addons[:, j], ADDONS[j], qty, discount)
        add(~base & (upsell == 1) & (new_addon == j), ADDONS[j], qty, discount)
    support = co["_support"][company]
    add(base & (support >= 0), SUPPORT_PLANS[np.maximum(support, 0)], np.ones(n, dtype=np.int64), discount)
    services = new & ~subscription
    u = rng.random((n, 7))
    add(services & (u[:, 0] < 0.7), SKU["SVC-ONB"], 1, zero)
    add(services & (tier >= 1) & (u[:, 1] < 0.45), SKU["SVC-IMP"], rng.integers(2, 16, n), zero)
    add(services & (u[:, 2] < 0.2), SKU["SVC-MIG"], 1, zero)
    add(services & (tier == 2) & (u[:, 3] < 0.3), SKU["SVC-INT"], 1, zero)
    add(services & (u[:, 4] < 0.3), SKU["TRN-ADM"], np.minimum(seats, rng.integers(2, 13, n)), zero)
    add(services & (u[:, 5] < 0.15), SKU["TRN-WSH"], rng.integers(1, 4, n), zero)
    add(services & (u[:, 6] < 0.1), SKU["TRN-CRT"], rng.integers(2, 11, n), zero)
    add(~base & (upsell == 2), SKU["SVC-IMP"], rng.integers(2, 9, n), zero)
    add(~base & (upsell == 2) & (u[:, 5] < 0.5), SKU["TRN-WSH"], rng.integers(1, 3, n), zero)

    deal = np.concatenate([p[0] for p in parts])
    product = np.concatenate([p[1] for p in parts]).astype(np.int64)
    quantity = np.concatenate([p[2] for p in parts]).astype(np.int64)
    disc = np.concatenate([p[3] for p in parts]).astype(np.int64)
    order = np.argsort(deal, kind="stable")  # grouped by deal, in the order above
    deal, product, quantity, disc = deal[order], product[order], quantity[order], disc[order]
    net_unit = PRICE_CENTS[product] * (100 - disc) // 100  # exact: list prices are whole dollars
    return {
        "deal_id": deal,
        "product_id": product,
        "description": PRODUCT_NAMES[product],
        "quantity": quantity.astype(float),
        "unit_price": PRICE_CENTS[product] / 100,
        "discount_pct": disc.astype(float),
        "_amount": quantity * net_unit,
        "_net_unit": net_unit,
        "_qty": quantity,
    }


def _billing(
    rng, clock: _Clock, co: Frame, deals: Frame, lines: Frame, users: Frame
) -> tuple[Frame, Frame, Frame]:
    """Invoices for won deals (upfront, in 4 or 12 installments, or monthly for subscriptions),
    their lines, and the payments that settle them according to each account's behaviour."""
    H = clock.horizon
    won_deals = np.flatnonzero(deals["_outcome"] == WON)
    company = deals["company_id"][won_deals]
    kind = deals["_kind"][won_deals]
    schedule = np.where(kind == UPSELL, UPFRONT, co["_billing"][company])
    instalments = np.array([1, 4, 12, 12 * (HISTORY_YEARS + 1)])[schedule]
    step = np.array([0, 3, 1, 1])[schedule]
    first_issue = np.where(
        schedule == SUBSCRIPTION,
        deals["_close"][won_deals],
        np.minimum(deals["_close"][won_deals] + rng.integers(0, 6, won_deals.size), H),
    )
    d_idx, k = _explode(instalments)
    issue = clock.add_months(first_issue[d_idx], k * step[d_idx])
    inv_company = company[d_idx]
    keep = (issue <= H) & (issue < co["_end"][inv_company])
    d_idx, k, issue, inv_company = d_idx[keep], k[keep], issue[keep], inv_company[keep]
    deal = won_deals[d_idx]
    sched = schedule[d_idx]
    n_parts = instalments[d_idx]
    amount = deals["_amount"][deal]
    share = amount // np.where(sched == SUBSCRIPTION, 12, n_parts)
    last = (sched != SUBSCRIPTION) & (k == n_parts - 1)
    subtotal = np.where(last, amount - share * (n_parts - 1), share)
    subtotal = np.where(sched == UPFRONT, amount, subtotal)
    n = deal.size

    # lines: upfront and subscription invoices itemise the deal, installments have one line
    itemised = np.flatnonzero((sched == UPFRONT) | (sched == SUBSCRIPTION))
    inv_of_line, pos = _explode(deals["_line_count"][deal[itemised]])
    src = deals["_line_start"][deal[itemised]][inv_of_line] + pos
    inv_of_line = itemised[inv_of_line]
    monthly = sched[inv_of_line] == SUBSCRIPTION
    unit = np.where(monthly, lines["_net_unit"][src] // 12, lines["_net_unit"][src])
    line_amount = lines["_qty"][src] * unit
    single = np.flatnonzero((sched == QUARTERLY) | (sched == MONTHLY))
    single_desc = (
        deals["name"][deal[single]] + " - installment " + (k[single] + 1).astype(str).astype(object) + " of "
        + n_parts[single].astype(str).astype(object)
    )  # fmt: skip
    invoice_lines = {
        "invoice_id": np.concatenate([inv_of_line, single]),
        "product_id": np.concatenate(
            [lines["product_id"][src], lines["product_id"][deals["_line_start"][deal[single]]]]
        ),
        "description": np.concatenate(
            [
                np.where(monthly, PRODUCT_NAMES_MONTHLY[lines["product_id"][src]], lines["description"][src]),
                single_desc,
            ]
        ),
        "_qty": np.concatenate([lines["_qty"][src], np.ones(single.size, dtype=np.int64)]),
        "_unit": np.concatenate([unit, subtotal[single]]),
        "_amount": np.concatenate([line_amount, subtotal[single]]),
        "_pos": np.concatenate([pos, np.zeros(single.size, dtype=np.int64)]),
    }

    invoices = _invoice_frame(
        rng, clock, co, inv_company, deal, issue, subtotal, deals["owner_id"][deal], deals["_closed_ts"][deal]
    )
    invoices["_first_line"] = np.full(n, -1)
    invoices["_first_line"][inv_of_line[pos == 0]] = np.flatnonzero(pos == 0)
    # statuses: recent upfront invoices may not be sent yet; a few are void; the rest sent or paid
    u = rng.random(n)
    void = (sched == UPFRONT) & (issue <= H - 10) & (u < 0.012)
    pay_day = _pay_day(rng, co, inv_company, issue, invoices["_due"])
    status = np.where(pay_day <= H, "paid", "sent").astype(object)
    status[void] = "void"
    recent = rng.permutation(np.flatnonzero((sched == UPFRONT) & (issue > H - 21)))
    recent = recent[
        : max(round(0.6 * recent.size), min(recent.size, 9))
    ]  # a few to approve, even in a small demo
    before_sending = _objects(("draft", "pending_approval", "approved"))[
        _choice(rng, recent.size, (0.4, 0.35, 0.25))
    ]
    before_sending[:3] = ("draft", "pending_approval", "approved")[: min(3, recent.size)]
    status[recent] = before_sending
    invoices["status"] = status
    invoices["_schedule"] = sched
    invoices["_pay_day"] = pay_day
    _approvals(rng, clock, invoices, users)
    payments = _payments(rng, clock, co, invoices)
    return invoices, invoice_lines, payments


def _invoice_frame(rng, clock, co, company, deal, issue, subtotal, creator, not_before) -> Frame:
    """The dates, terms, tax and creator of invoices; ``company`` gives terms and tax country."""
    n = company.size
    terms = co["_terms"][company]
    due = issue + np.array([vocab.PAYMENT_TERMS_DAYS[t] for t in vocab.PAYMENT_TERMS])[terms]
    tax = (subtotal * TAX_PCT[co["_country"][company]] + 50) // 100
    created = np.maximum(_work_time(rng, np.maximum(issue - rng.integers(0, 3, n), 0)), 0)
    created = np.minimum(np.maximum(created, not_before), issue * DAY + DAY - 1)
    return {
        "company_id": company,
        "deal_id": deal,
        "issue_date": clock.dates(issue),
        "due_date": clock.dates(due),
        "payment_terms": _objects(vocab.PAYMENT_TERMS)[terms],
        "currency": np.full(n, "USD", dtype=object),
        "created_by": creator,
        "created_at": clock.timestamps(created),
        "_issue": issue,
        "_due": due,
        "_subtotal": subtotal,
        "_tax": tax,
        "_total": subtotal + tax,
        "_created": created,
    }


def _pay_day(rng, co: Frame, company: np.ndarray, issue: np.ndarray, due: np.ndarray) -> np.ndarray:
    """When an invoice gets fully paid: on time for most, 10-60 days late for habitual late payers,
    20-60 days late or never for accounts heading to churn with late payments as a driver."""
    n = company.size
    on_time = due - rng.integers(0, 11, n) + rng.integers(0, 4, n)
    late = due + rng.integers(10, 61, n)
    paid = np.where(co["_late_habit"][company] & (rng.random(n) < 0.5), late, on_time)
    paid = np.where(rng.random(n) < 0.03, due + rng.integers(5, 31, n), paid)
    troubled = co["_late_driver"][company] & (issue >= co["_decline_start"][company])
    worse = np.where(rng.random(n) < 0.35, 10**8, due + rng.integers(20, 61, n))  # 10**8: never
    return np.maximum(np.where(troubled, worse, paid), issue)


def _approvals(rng, clock: _Clock, inv: Frame, users: Frame) -> None:
    """Invoices of 10,000 or more (and every 'approved' one) were approved by the owner's manager."""
    n = inv["_issue"].size
    approver = users["_approver"][inv["created_by"]]
    needs = ((inv["_total"] >= 1_000_000) & ~np.isin(inv["status"], ("draft", "pending_approval"))) | (
        inv["status"] == "approved"
    )
    approved_ts = np.minimum(inv["_created"] + rng.integers(600, 4 * 3600, n), clock.horizon * DAY + DAY - 1)
    inv["approved_by"] = np.where(needs, approver, -1)
    inv["approved_at"] = np.where(needs, clock.timestamps(approved_ts), np.datetime64("NaT"))


def _payments(rng, clock: _Clock, co: Frame, inv: Frame) -> Frame:
    """One to three payments per settled invoice, summing to its total; the earlier parts of a
    not yet settled invoice can be in already (partial payments)."""
    H = clock.horizon
    payable = np.flatnonzero(np.isin(inv["status"], ("sent", "paid")))
    parts = _choice(rng, payable.size, (0.85, 0.1, 0.05)) + 1
    p_inv, pos = _explode(parts)
    invoice = payable[p_inv]
    total = inv["_total"][invoice]
    n_parts = parts[p_inv]
    share = np.floor(total * rng.uniform(0.25, 0.6, invoice.size) / np.maximum(n_parts - 1, 1)).astype(
        np.int64
    )
    share = np.where(n_parts == 1, total, share)
    earlier = np.bincount(p_inv, weights=np.where(pos < n_parts - 1, share, 0), minlength=payable.size)
    amount = np.where(pos == n_parts - 1, total - earlier[p_inv].astype(np.int64), share)
    day = inv["_pay_day"][invoice] - (n_parts - 1 - pos) * rng.integers(5, 25, invoice.size)
    day = np.maximum(day, inv["_issue"][invoice])
    keep = day <= H
    company = inv["company_id"][invoice[keep]]
    method = np.where(
        rng.random(company.size) < 0.85,
        co["_method"][company],
        _choice(rng, company.size, (0.3, 0.5, 0.12, 0.08)),
    )
    return {
        "invoice_id": invoice[keep],
        "company_id": company,
        "amount": amount[keep] / 100,
        "paid_at": clock.dates(day[keep]),
        "method": _objects(vocab.PAYMENT_METHODS)[method],
        "_day": day[keep],
    }


def _duplicate_invoices(
    rng, clock: _Clock, co: Frame, inv: Frame, inv_lines: Frame, pay: Frame, users: Frame
):
    """Plant genuine duplicates of ~1.5% of upfront invoices, appended to ``inv``, ``inv_lines``
    and ``pay`` (and a second company record to ``co`` for a quarter of them)."""
    H = clock.horizon
    n_inv = inv["_issue"].size
    eligible = np.flatnonzero(
        (inv["_schedule"] == UPFRONT) & np.isin(inv["status"], ("sent", "paid")) & (inv["_issue"] <= H - 1)
    )
    n = min(max(3, round(DUPLICATE_RATE * n_inv)), eligible.size)
    original = np.sort(rng.choice(eligible, size=n, replace=False))
    number_kind = _choice(rng, n, (0.4, 0.3, 0.3))  # typo, transposition, suffix
    amount_draw = rng.random(n)
    second_company = rng.random(n) < 0.25
    drop_deal = rng.random(n) < 0.4

    # second company records, e.g. "ACME ANALYTICS, Inc." beside "Acme Analytics"
    n_co = co["_day"].size
    orig_company = inv["company_id"][original]
    dup_company = np.where(second_company, n_co + np.cumsum(second_company) - 1, orig_company)
    issue = np.minimum(inv["_issue"][original] + rng.integers(1, 6, n), H)
    twin = orig_company[second_company]
    aliases = _objects(
        _alias(name, i) for i, name in zip(rng.integers(0, 4, twin.size), co["_base_name"][twin], strict=True)
    )
    twin_day = np.maximum(issue[second_company] - rng.integers(1, 11, twin.size), 0)
    twin_created = np.maximum(_work_time(rng, twin_day), co["_created"][twin])
    domain = co["domain"][twin].copy()
    domain[rng.random(twin.size) < 0.4] = None
    co["_twins"] = {
        "name": aliases,
        "domain": domain,
        "industry": co["industry"][twin],
        "employee_count": np.where(rng.random(twin.size) < 0.5, co["employee_count"][twin], -1),
        "country": co["country"][twin],
        "region": co["region"][twin],
        "owner_id": co["owner_id"][twin],
        "lifecycle_stage": np.full(twin.size, "customer", dtype=object),
        "customer_since": clock.dates(twin_created // DAY),
        "churned_at": np.full(twin.size, np.datetime64("NaT", "D")),
        "created_at": clock.timestamps(twin_created),
        "_created": twin_created,
    }

    total = inv["_total"][original]
    tax = inv["_tax"][original]
    rounded = (total + 50) // 100 * 100
    # the same amount, a cent off, or rounded to the unit (where there are cents to round)
    amount_kind = np.where(amount_draw < 0.25, 1, np.where((rounded != total) & (amount_draw < 0.6), 2, 0))
    off = np.where(rng.random(n) < 0.5, 1, -1)
    new_total = np.select([amount_kind == 1, amount_kind == 2], [total + off, rounded], total)
    subtotal = new_total - tax
    deal = np.where(drop_deal, -1, inv["deal_id"][original])
    dup = _invoice_frame(
        rng,
        clock,
        co,
        orig_company,
        deal,
        issue,
        subtotal,
        inv["created_by"][original],
        inv["_created"][original],
    )
    dup["company_id"] = dup_company
    dup["_tax"], dup["_total"] = tax, new_total
    pay_day = np.maximum(issue + rng.integers(0, 40, n), issue)
    dup["status"] = np.where((rng.random(n) < 0.55) & (pay_day <= H), "paid", "sent").astype(object)
    dup["_schedule"] = np.full(n, UPFRONT)
    dup["_pay_day"] = np.where(dup["status"] == "paid", pay_day, 10**8)
    _approvals(rng, clock, dup, users)

    first_line = inv["_first_line"][original]
    dup["_first_line"] = inv_lines["invoice_id"].size + np.arange(n)
    dup_line_product = inv_lines["product_id"][first_line]
    dup_line_desc = inv_lines["description"][first_line]
    paid = np.flatnonzero(dup["status"] == "paid")
    methods = co["_method"][orig_company[paid]]

    _append(inv, dup)
    dup_idx = n_inv + np.arange(n)
    _append(
        inv_lines,
        {"invoice_id": dup_idx, "product_id": dup_line_product, "description": dup_line_desc,
         "_qty": np.ones(n, dtype=np.int64), "_unit": subtotal, "_amount": subtotal, "_pos": np.zeros(n, dtype=np.int64)},
    )  # fmt: skip
    _append(
        pay,
        {"invoice_id": dup_idx[paid], "company_id": dup_company[paid], "amount": new_total[paid] / 100,
         "paid_at": clock.dates(pay_day[paid]), "method": _objects(vocab.PAYMENT_METHODS)[methods], "_day": pay_day[paid]},
    )  # fmt: skip
    other_changes = _objects(("", "+cent", "+rounded"))[amount_kind] + np.where(
        second_company, "+second_company", ""
    ).astype(object)
    # the kind of number mistake is settled when numbers are given (_number_invoices)
    return {
        "invoice_id": dup_idx,
        "duplicate_of": original,
        "_number_kind": number_kind,
        "_pick": rng.integers(0, 1000, n),
        "_other_changes": other_changes,
    }


def _alias(name: str, variant: int) -> str:
    if variant == 0:
        return f"{name.upper()}, Inc."
    if variant == 1:
        return f"{name} Inc."
    if variant == 2:
        return f"{name} (Billing)"
    return f"{name}, Ltd"


def _append(frame: Frame, more: Frame) -> None:
    """Rows of ``more`` after those of ``frame``; internal columns ``more`` lacks are dropped."""
    for key in list(frame):
        if key in more:
            frame[key] = np.concatenate([frame[key], more[key]])
        elif key.startswith("_"):
            del frame[key]
        else:
            raise KeyError(f"appended rows lack column {key}")


def _activities(rng, clock: _Clock, co: Frame, contacts: Frame) -> Frame:
    """Emails, calls, meetings and notes by the owner: steady for healthy customers, falling in the
    180 days before churn (meetings fastest), a few while a prospect's first deal is open."""
    H = clock.horizon
    won = co["_won"]
    start = co["_day"]
    end = np.where(won, np.minimum(co["_end"], H + 1), np.minimum(co["_first_close"] + 14, H + 1))
    length = np.maximum(end - start, 0)
    rate = np.where(won, (1 + 0.8 * _log10(co["employee_count"])) / 30 * co["_health"], 2.5 / 30)
    company, _ = _explode(rng.poisson(rate * length))
    n = company.size
    t = start[company] + rng.random(n) * length[company]
    kind = _choice(rng, n, ACTIVITY_TYPE_WEIGHTS)
    g = np.clip((t - co["_decline_start"][company]) / DECLINE_DAYS, 0, 1) * co["_declining"][company]
    m = 1 - (1 - co["_floor"][company]) * g
    keep = rng.random(n) < np.where(kind == 2, m * m, m)
    company, t, kind, g = company[keep], t[keep], kind[keep], g[keep]
    n = company.size
    day = np.maximum(clock.back_to_weekday(np.floor(t).astype(np.int64)), start[company])

    offsets = np.cumsum([0] + [len(s) for s in ACTIVITY_SUBJECTS])
    subjects = _objects([s for group in ACTIVITY_SUBJECTS for s in group] + list(RISK_NOTES))
    counts = np.diff(offsets)
    subject = offsets[kind] + np.floor(rng.random(n) * counts[kind]).astype(np.int64)
    risky = (kind == 3) & (rng.random(n) < g)
    subject[risky] = offsets[-1] + rng.integers(0, len(RISK_NOTES), int(risky.sum()))
    occurred = _work_time(rng, day)
    occurred = np.maximum(occurred, co["_created"][company])
    return {
        "company_id": company,
        "contact_id": _pick_in_groups(rng, company, co["_contact_start"], co["_contact_count"]),
        "user_id": co["owner_id"][company],
        "type": _objects(vocab.ACTIVITY_TYPES)[kind],
        "occurred_at": clock.timestamps(occurred),
        "subject": subjects[subject],
        "_t": occurred,
    }


def _tickets(rng, clock: _Clock, co: Frame, contacts: Frame) -> Frame:
    """Support tickets from customers; accounts heading to churn with support pain file more,
    more urgent ones, and rate the answers poorly."""
    H = clock.horizon
    won = co["_won"]
    start = np.maximum(co["_since"], 0)
    length = np.where(won, np.maximum(np.minimum(co["_end"], H + 1) - start, 0), 0)
    base = (0.15 + 0.12 * _log10(co["employee_count"])) / 30
    peak = np.where(co["_support_driver"], 3.5, 1.0)
    company, _ = _explode(rng.poisson(base * peak * length))
    n = company.size
    t = start[company] + rng.random(n) * length[company]
    g = np.clip((t - co["_decline_start"][company]) / DECLINE_DAYS, 0, 1) * co["_support_driver"][company]
    keep = rng.random(n) < (1 + 2.5 * g) / peak[company]
    company, t, g = company[keep], t[keep], g[keep]
    n = company.size

    created = np.floor(t * DAY).astype(np.int64)
    priority = _mix(rng, g, PRIORITY_NORMAL, PRIORITY_PAIN)
    stuck = np.where(rng.random(n) < 0.12, 8.0, 1.0)  # waiting on the customer, or hard to fix
    hours = np.array(RESOLUTION_HOURS)[priority] * _exp(rng.normal(0, 0.9, n)) * (1 + g) * stuck
    resolved = created + (hours * 3600).astype(np.int64)
    done = resolved <= H * DAY + DAY - 1
    closed_long_ago = resolved <= (H - 7) * DAY
    status = np.where(
        done,
        np.where(closed_long_ago & (rng.random(n) < 0.85), "closed", "resolved"),
        np.where(rng.random(n) < 0.6, "open", "pending"),
    ).astype(object)
    satisfaction = _mix(rng, g, SATISFACTION_NORMAL, SATISFACTION_PAIN) + 1
    satisfaction = np.where(done & (rng.random(n) < 0.65), satisfaction, -1)
    return {
        "company_id": company,
        "contact_id": _pick_in_groups(rng, company, co["_contact_start"], co["_contact_count"]),
        "subject": _objects(TICKET_SUBJECTS)[rng.integers(0, len(TICKET_SUBJECTS), n)],
        "priority": _objects(vocab.TICKET_PRIORITIES)[priority],
        "status": status,
        "created_at": clock.timestamps(created),
        "resolved_at": np.where(done, clock.timestamps(resolved), np.datetime64("NaT")),
        "satisfaction": satisfaction,
        "_t": created,
    }


def _churn_truth(clock: _Clock, co: Frame) -> Frame:
    """Every ever-customer's latent annual churn risk, and in words what was planted for it."""
    rows = np.flatnonzero(co["_won"])
    drivers = []
    dates = clock.dates(np.minimum(co["_end"][rows], 10**6)).astype(str)
    starts = clock.dates(np.clip(co["_decline_start"][rows], 0, 10**6)).astype(str)
    for i, r in enumerate(rows):
        parts = []
        if co["_declining"][r]:
            parts.append(f"engagement falling since {starts[i]} (meetings most)")
            if co["_late_driver"][r]:
                parts.append("late or missing payments")
            if co["_support_driver"][r]:
                parts.append("urgent tickets and low satisfaction")
        if co["_late_habit"][r]:
            parts.append("habitually late payer")
        if co["employee_count"][r] < 50:
            parts.append("small account")
        if co["_subscription"][r]:
            parts.append("monthly subscription")
        if co["_churned"][r]:
            head = f"churned {dates[i]}"
        elif co["_declining"][r]:
            head = f"at risk: would churn around {dates[i]}"
        else:
            head = "active"
        drivers.append(head + (": " + "; ".join(parts) if parts else ""))
    return {"company_id": rows, "risk": co["_risk"][rows], "drivers": _objects(drivers)}


# --------------------------------------------------------------------------- ids, numbers, tables


def _order(frame: Frame, *keys: np.ndarray) -> np.ndarray:
    """Sort ``frame`` in place by ``keys`` (most significant first), number its rows 1..n, and
    return the new id of each old position."""
    order = np.lexsort(tuple(reversed(keys))) if keys else np.arange(next(iter(frame.values())).size)
    for key, values in frame.items():
        if isinstance(values, np.ndarray) and values.shape[:1] == order.shape:
            frame[key] = values[order]
    ids = np.empty(order.size, dtype=np.int64)
    ids[order] = np.arange(1, order.size + 1)
    frame["id"] = np.arange(1, order.size + 1)
    return ids


def _map(fk: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Positions to ids; -1 (NULL) stays -1."""
    if ids.size == 0:
        return np.full(fk.size, -1)
    return np.where(fk >= 0, ids[np.clip(fk, 0, ids.size - 1)], -1)


def _finalize(clock: _Clock, **t: Frame) -> dict[str, Frame]:
    users, co, contacts, leads = t["users"], t["accounts"], t["contacts"], t["leads"]
    deals, lines, invoices, inv_lines = t["deals"], t["lines"], t["invoices"], t["invoice_lines"]
    payments, activities, tickets, duplicates = t["payments"], t["activities"], t["tickets"], t["duplicates"]

    user_ids = _order(users)
    twins = co.pop("_twins")
    _append(co, twins)
    co["owner_id"] = _map(co["owner_id"], user_ids)
    company_ids = _order(co, co["_created"])

    contacts["company_id"] = _map(contacts["company_id"], company_ids)
    contacts["owner_id"] = _map(contacts["owner_id"], user_ids)
    contact_ids = _order(contacts, contacts["_created"], contacts["company_id"])

    leads["owner_id"] = _map(leads["owner_id"], user_ids)
    leads["company_id"] = _map(leads["company_id"], company_ids)
    _order(leads, leads["_created"])

    products = {
        "id": np.arange(1, len(PRODUCTS) + 1),
        "sku": _objects(p[0] for p in PRODUCTS),
        "name": PRODUCT_NAMES,
        "category": _objects(p[2] for p in PRODUCTS),
        "unit_price": PRICE_CENTS / 100,
        "active": np.array([p[4] for p in PRODUCTS]),
    }
    product_ids = np.arange(1, len(PRODUCTS) + 1)

    for fk, ids in (("company_id", company_ids), ("contact_id", contact_ids), ("owner_id", user_ids)):
        deals[fk] = _map(deals[fk], ids)
    deal_ids = _order(deals, deals["_created"])

    lines["deal_id"] = _map(lines["deal_id"], deal_ids)
    lines["product_id"] = _map(lines["product_id"], product_ids)
    _order(lines, lines["deal_id"], np.arange(lines["deal_id"].size))

    for fk, ids in (
        ("company_id", company_ids),
        ("deal_id", deal_ids),
        ("created_by", user_ids),
        ("approved_by", user_ids),
    ):
        invoices[fk] = _map(invoices[fk], ids)
    invoices["subtotal"] = invoices["_subtotal"] / 100
    invoices["tax"] = invoices["_tax"] / 100
    invoices["total"] = invoices["_total"] / 100
    n_regular = invoices["_issue"].size - duplicates["invoice_id"].size
    is_dup = np.arange(invoices["_issue"].size) >= n_regular
    invoices["_is_dup"] = is_dup
    invoice_ids = _order(invoices, invoices["_issue"], invoices["_created"])
    counters = _number_invoices(clock, invoices, duplicates, invoice_ids)

    inv_lines["invoice_id"] = _map(inv_lines["invoice_id"], invoice_ids)
    inv_lines["product_id"] = _map(inv_lines["product_id"], product_ids)
    inv_lines["quantity"] = inv_lines["_qty"].astype(float)
    inv_lines["unit_price"] = inv_lines["_unit"] / 100
    inv_lines["amount"] = inv_lines["_amount"] / 100
    _order(inv_lines, inv_lines["invoice_id"], inv_lines["_pos"])

    payments["invoice_id"] = _map(payments["invoice_id"], invoice_ids)
    payments["company_id"] = _map(payments["company_id"], company_ids)
    _order(payments, payments["_day"], payments["invoice_id"])

    for table in (activities, tickets):
        table["company_id"] = _map(table["company_id"], company_ids)
        table["contact_id"] = _map(table["contact_id"], contact_ids)
    activities["user_id"] = _map(activities["user_id"], user_ids)
    _order(activities, activities["_t"], activities["company_id"])
    _order(tickets, tickets["_t"], tickets["company_id"])

    lead_truth = {"lead_id": leads["id"], "true_probability": leads["_probability"]}
    duplicate_truth = {
        "invoice_id": _map(duplicates["invoice_id"], invoice_ids),
        "duplicate_of": _map(duplicates["duplicate_of"], invoice_ids),
        "kind": duplicates["kind"],
    }
    churn = t["churn_truth"]
    churn_truth = {
        "company_id": _map(churn["company_id"], company_ids),
        "risk": churn["risk"],
        "drivers": churn["drivers"],
    }
    return {
        "users": users,
        "companies": co,
        "contacts": contacts,
        "leads": leads,
        "products": products,
        "deals": deals,
        "deal_line_items": lines,
        "invoices": invoices,
        "invoice_lines": inv_lines,
        "payments": payments,
        "activities": activities,
        "support_tickets": tickets,
        "crmbot_demo_lead_truth": lead_truth,
        "crmbot_demo_churn_truth": churn_truth,
        "crmbot_demo_duplicate_truth": duplicate_truth,
        "crmbot_invoice_counter": counters,
    }


def _number_invoices(clock: _Clock, inv: Frame, duplicates: Frame, invoice_ids: np.ndarray) -> Frame:
    """INV-YYYY-NNNNN in issue order per year; a duplicate's number is its original's with a typo,
    two digits swapped or a suffix (and its truth label says which). Returns the per-year invoice
    counters: the highest number of each year, so that new numbers never collide."""
    year = clock.years(inv["_issue"])
    regular = ~inv["_is_dup"]
    seq = np.zeros(year.size, dtype=np.int64)
    ry = year[regular]  # sorted, as invoices are in issue order
    seq[regular] = np.arange(ry.size) - np.searchsorted(ry, ry, side="left") + 1
    numbers = np.empty(year.size, dtype=object)
    numbers[regular] = [f"INV-{y}-{s:05d}" for y, s in zip(ry.tolist(), seq[regular].tolist(), strict=True)]

    taken = set(numbers[regular].tolist())
    highest = {int(y): int(seq[regular][ry == y].max()) for y in np.unique(ry)}
    valid_years = range(clock.start.year, clock.today.year + 2)
    kinds = []
    dup_pos = invoice_ids[duplicates["invoice_id"]] - 1
    orig_pos = invoice_ids[duplicates["duplicate_of"]] - 1
    mistakes = zip(
        dup_pos.tolist(),
        orig_pos.tolist(),
        duplicates["_number_kind"].tolist(),
        duplicates["_pick"].tolist(),
        strict=True,
    )
    for d, o, kind, pick in mistakes:
        y = int(numbers[o].split("-")[1])
        # new invoices take the current year's next numbers: stay close to its highest there
        limit = highest[y] + max(20, highest[y] // 20) if y >= clock.today.year else 10**9
        number, kind = _mistype(numbers[o], kind, pick, taken, limit, valid_years)
        numbers[d] = number
        taken.add(number)
        kinds.append(kind)
        _, y_text, digits = number.split("-", 2)
        if digits.isdigit() and int(y_text) in highest:
            highest[int(y_text)] = max(highest[int(y_text)], int(digits))
    inv["number"] = numbers
    duplicates["kind"] = (
        _objects(NUMBER_MISTAKES)[np.array(kinds, dtype=np.int64)] + duplicates["_other_changes"]
    )
    years = sorted(highest)
    return {"year": np.array(years, dtype=np.int64), "last_value": np.array([highest[y] for y in years])}


NUMBER_MISTAKES = ("typo", "transposition", "suffix")


def _mistype(
    number: str, kind: int, pick: int, taken: set[str], limit: int, valid_years: range
) -> tuple[str, int]:
    """``number`` with one digit changed (kind 0) or two adjacent digits swapped (kind 1): in the
    sequence part when that gives a free number at most ``limit`` (numbers are dense up to each
    year's highest), else in the year part when that gives a year outside ``valid_years``; otherwise, or for kind 2, with a suffix. ``pick`` chooses among the possible
    mistakes. Returns the new number and the kind of mistake made."""
    head, year, digits = number.split("-")

    def variants(text: str) -> list[str]:
        if kind == 0:
            return [
                text[:i] + c + text[i + 1 :] for i in range(len(text)) for c in "0123456789" if c != text[i]
            ]
        return [
            text[:i] + text[i + 1] + text[i] + text[i + 2 :]
            for i in range(len(text) - 1)
            if text[i] != text[i + 1]
        ]

    if kind in (0, 1):
        near = [f"{head}-{year}-{v}" for v in variants(digits) if int(v) <= limit]
        odd_year = [f"{head}-{v}-{digits}" for v in variants(year) if int(v) not in valid_years]
        for options in (near, odd_year):
            options = [o for o in options if o not in taken]
            if options:
                return options[pick % len(options)], kind
    suffix = "A"
    while f"{number}-{suffix}" in taken:
        suffix = chr(ord(suffix) + 1)
    return f"{number}-{suffix}", 2


# --------------------------------------------------------------------------- writing


@contextmanager
def _bulk_load(conn: Connection) -> Iterator[None]:
    """SQLite checks no foreign keys while loading (every id is consistent by construction, and the
    tests run ``PRAGMA foreign_key_check``): that halves the insert time."""
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()
    try:
        yield
    finally:
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()


def _insert(conn: Connection, table: Table, frame: Frame, report: Progress) -> int:
    """Insert ``frame`` into ``table`` in chunks, by the fastest path the driver has: executemany
    on SQLite, COPY on PostgreSQL with psycopg, Core executemany elsewhere."""
    columns = [c.name for c in table.columns if c.name in frame]
    n = int(frame[columns[0]].size) if columns else 0
    dialect = conn.dialect
    path = _insert_path(dialect)
    quote = dialect.identifier_preparer.quote
    names = ", ".join(map(quote, columns))
    if table.name.startswith("crmbot_"):  # left over from an earlier demo whose CRM data was deleted
        conn.execute(delete(table))
    report(table.name, 0, n)
    for lo in range(0, n, CHUNK_ROWS):
        hi = min(lo + CHUNK_ROWS, n)
        rows = list(zip(*(_python_values(frame[c][lo:hi], path == "sqlite") for c in columns), strict=True))
        if path == "sqlite":
            conn.exec_driver_sql(
                f"INSERT INTO {quote(table.name)} ({names}) VALUES ({', '.join('?' * len(columns))})", rows
            )
        elif path == "copy":
            with conn.connection.driver_connection.cursor().copy(
                f"COPY {quote(table.name)} ({names}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            conn.execute(table.insert(), [dict(zip(columns, row, strict=True)) for row in rows])
        report(table.name, hi, n)
    if dialect.name == "postgresql" and "id" in columns:  # ids were given: move the sequence past them
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:t, 'id'), (SELECT MAX(id) FROM {quote(table.name)}))"
            ),
            {"t": table.name},
        )
    return n


def _insert_path(dialect) -> str:
    if dialect.name == "sqlite" and dialect.driver == "pysqlite":
        return "sqlite"
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        return "copy"
    return "core"


def _python_values(values: np.ndarray, sqlite: bool) -> list:
    """A column chunk as Python values: -1 ints, NaN floats and NaT times become None; times are
    SQLAlchemy's SQLite text format on SQLite, date/datetime objects elsewhere."""
    kind = values.dtype.kind
    if kind == "M":
        missing = np.isnat(values)
        if sqlite:
            unit = "D" if values.dtype == np.dtype("datetime64[D]") else "us"
            text_values = np.datetime_as_string(values, unit=unit)
            if unit == "us":
                text_values = np.char.replace(text_values, "T", " ")
            out = text_values.astype(object)
        else:
            out = values.astype(object)
        out[missing] = None
        return out.tolist()
    if kind in "iu":
        missing = values < 0
        if missing.any():
            out = values.astype(object)
            out[missing] = None
            return out.tolist()
        return values.tolist()
    if kind == "f":
        missing = np.isnan(values)
        if missing.any():
            out = values.astype(object)
            out[missing] = None
            return out.tolist()
        return values.tolist()
    return values.tolist()
