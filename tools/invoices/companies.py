"""Who is the same customer: company names and web domains reduced to comparable keys.

"Acme Inc", "ACME, Inc." and "Acme Incorporated" all become ``acme``; "https://www.acme.com/"
becomes ``acme.com``. Free-mail domains never tie two companies together.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from crmbot.words import FREE_MAIL_DOMAINS as PEOPLES_MAIL
from crmbot.words import GENERIC_COMPANY_WORDS, LEGAL_FORMS

LEGAL_SUFFIXES = LEGAL_FORMS | GENERIC_COMPANY_WORDS
# example.com: a placeholder address names no company either
FREE_MAIL_DOMAINS = PEOPLES_MAIL | {"example.com"}
_PUNCT = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def company_key(name: str | None) -> str:
    """A company name without case, accents, punctuation or legal form; '' when nothing is left."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ")
    text = re.sub(r"\([^)]*\)", " ", text)  # "Acme (Billing)": a qualifier, not the name
    # "S.A." / "B.V." / "A.G.": join dotted initials before punctuation goes
    text = re.sub(r"\b(\w)\.(\w)\.?(?=\s|$|,)", r"\1\2", text)
    words = _SPACES.sub(" ", _PUNCT.sub(" ", text)).split()
    core = [w for w in words if w not in LEGAL_SUFFIXES]
    return " ".join(core or words)


@lru_cache(maxsize=200_000)
def domain_key(domain: str | None) -> str:
    """A web domain as ``acme.com`` (no scheme, www or path); '' for none or a free-mail domain."""
    if not domain:
        return ""
    text = domain.strip().lower()
    text = re.sub(r"^[a-z]+://", "", text).split("/")[0].split("@")[-1]
    text = text.removeprefix("www.").strip(".")
    return "" if text in FREE_MAIL_DOMAINS else text
