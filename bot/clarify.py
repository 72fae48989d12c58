"""Questions back, answered: when the bot asked "which one?", the next message may pick a choice.

"the LLC one", "the first", "2", "Blackstone Technologies LLC": the pick re-runs the question that
was asked back with the chosen value ("bookings" after "what would you like to know about EMEA?":
the question with that measure). A message that picks nothing is a new message.
"""

from __future__ import annotations

import re

from bot.skill import ToolCall
from crmbot.words import ORDINALS
from tools.reports.nlq.types import MEASURE_SLOT

# "the first", "2nd", and the number words a pick may be ("two"): 0-based
_ORDINALS = {**ORDINALS, "one": 0, "two": 1, "three": 2}
_NOISE = {
    "the",
    "one",
    "ones",
    "a",
    "an",
    "that",
    "this",
    "i",
    "mean",
    "meant",
    "please",
    "pls",
    "its",
    "it's",
    "it",
    "is",
    "option",
    "choice",
    "number",
    "no",
    "yes",
    "sorry",
    "oh",
    "ok",
    "okay",
    "with",
    "in",
    "of",
    "and",
    "on",
    "from",
    "at",
    "guy",
    "person",
}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("&", " and "))


def pick_choice(text: str, choices: list[str]) -> str | None:
    """The choice a message picks, or None (then the message is a new one)."""
    if not choices or not text or len(text) > 120:
        return None
    said = _words(text)
    if not said:
        return None
    lowered = " ".join(said)
    for choice in choices:
        if " ".join(_words(choice)) == lowered:
            return choice
    # "Joseph Green, closed won", "Sorry, I meant FUTURE ORCHARD ANALYTICS, Inc., the one ...": written out whole
    named = _named_in(text, choices)
    if named is not None:
        return named
    if len(said) <= 4:
        if lowered.isdigit() and 1 <= int(lowered) <= len(choices):
            return choices[int(lowered) - 1]
        if "last" in said and len(said) <= 3:
            return choices[-1]
        for word in said:
            if word in _ORDINALS and word != "one" and _ORDINALS[word] < len(choices):
                return choices[_ORDINALS[word]]
    # "the main account, not the billing one": the one choice left when the others are excluded by a word of theirs
    excluded = re.findall(r"\bnot\s+(?:the\s+)?([a-z0-9]+)\b", lowered)
    left = [c for c in choices if not any(w in _words(c) for w in excluded)]
    if excluded and len(left) == 1:
        return left[0]
    main = re.search(
        r"\b(not\s+(?:the\s+)?)?(?:main|primary|parent|original|regular)\s+(?:one|account|company|entity)\b",
        lowered,
    )
    if main and not main.group(1):
        plain = [c for c in choices if "(" not in c]  # "Agile Rain Computing", not "... (Billing)"
        if len(plain) == 1:
            return plain[0]
    meaningful = [w for w in said if w not in _NOISE]
    if not meaningful or len(meaningful) > 8:
        return None
    scores = []
    for choice in choices:
        words = set(_words(choice)) | _letters_joined(choice)
        scores.append(sum(1 for w in meaningful if w in words))
    best = max(scores)
    if best == 0 or scores.count(best) > 1:
        return None
    if best < len(meaningful) and len(meaningful) > 2 and not (best >= 4 and best >= len(meaningful) - 2):
        return None  # most of the message is about something else ("the open ones already past their expected
        # close date" picks "open deals past their expected close date")
    return choices[scores.index(best)]


def _letters_joined(choice: str) -> set[str]:
    """ "srl" for "S.r.l.", "llc" for "L.L.C.": a legal form written in single letters, said as one word."""
    return {re.sub(r"[^a-z]", "", m) for m in re.findall(r"\b(?:[a-z]\.\s?){2,}", choice.lower())}


def _put_in(question: str, phrase: str, choice: str) -> str:
    """The question with the choice where the phrase was, taking the words around it that are the choice's own
    ("how much Future Orchard still owes us", phrase "orchard": "Future" goes too)."""
    m = re.search(re.escape(phrase), question, re.I)
    start, end = m.span()
    own = set(_words(choice))
    while True:
        before = re.search(r"([A-Za-z0-9&]+)\s+$", question[:start])
        if not before or before.group(1).lower() not in own:
            break
        start = before.start(1)
    while True:
        after = re.match(r"\s+([A-Za-z0-9&]+)", question[end:])
        if not after or after.group(1).lower() not in own:
            break
        end += after.end(1)
    return question[:start] + choice + question[end:]


# words that make a reply a question of its own rather than a pick ("top 5 by revenue this year")
_REASKS = {
    "top",
    "bottom",
    "by",
    "per",
    "vs",
    "versus",
    "compared",
    "each",
    "how",
    "what",
    "which",
    "who",
    "split",
}


def _named_in(text: str, choices: list[str]) -> str | None:
    """The one choice the message writes out whole (a longer one that contains another wins: "FUTURE ORCHARD
    ANALYTICS, Inc." over "Future Orchard Analytics"; written with the same capitals, it wins outright)."""
    exact = [c for c in choices if len(c) >= 4 and c in text]
    padded = f" {' '.join(_words(text))} "
    found = [c for c in choices if _words(c) and f" {' '.join(_words(c))} " in padded]
    longest = [
        c for c in found if not any(c != o and " ".join(_words(c)) in " ".join(_words(o)) for o in found)
    ]
    picked = exact[0] if len(exact) == 1 else longest[0] if len(longest) == 1 else None
    if picked is None:
        return None
    rest = padded.replace(f" {' '.join(_words(picked))} ", " ").split()
    if any(w.isdigit() or w in _REASKS for w in rest):
        return None  # "top 5 by revenue this year" after "ranked by which measure?": a question of its own
    return picked


def pick_account_by_attribute(text: str, choices: list[str], engine) -> str | None:
    """ "the APAC one", "the German one", "the software one": among accounts offered by name, the one
    whose region, country or industry the message names (exactly one, or None)."""
    if engine is None or not choices or len(choices) > 20 or not text or len(text) > 80:
        return None
    said = {w for w in _words(text) if w not in _NOISE}
    if not said or len(said) > 3:
        return None
    from sqlalchemy import select

    from db.models import Company

    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(Company.name, Company.region, Company.country, Company.industry).where(
                    Company.name.in_(choices)
                )
            ).all()
    except Exception:  # noqa: BLE001 - a pick that can't be checked is no pick
        return None
    said |= _country_codes(said)  # "the german one": the account in DE
    named = []
    for name, *attributes in rows:
        values = {" ".join(_words(str(a))) for a in attributes if a}
        if " ".join(sorted(said)) in values or any(v in said for v in values):
            named.append(name)
    return named[0] if len(named) == 1 else None


def _country_codes(said: set[str]) -> set[str]:
    """The country codes a few words name by the country's name or its people's ("german": de)."""
    from tools.reports.entities import COUNTRIES, DEMONYMS

    codes = set()
    for country, (code, _, others) in COUNTRIES.items():
        names = {country.lower(), *DEMONYMS.get(country, ()), *others}
        if names & said or " ".join(sorted(said)) in names:
            codes.add(code.lower())
    return codes


_A_SIZE = re.compile(
    r"^\W*(?:(?:let'?s\s+say|say|i\s+mean|use|go\s+with|call\s+it|anything\s+with|define\s+it\s+as|ok)\W+)*"
    r"(?:(?:companies|accounts|customers|firms)\s+(?:with\s+)?)?(?:over\s+|more\s+than\s+|under\s+|less\s+than\s+|at\s+least\s+)?"
    r"\d[\d,.]*\s*k?\s*\+?\s*(?:or\s+more\s+|plus\s+)?(?:employees|staff|people|headcount)\W*$",
    re.I,
)
_SAID_FIRST = re.compile(
    r"^\W*(?:(?:let'?s\s+say|say|i\s+mean|use|go\s+with|call\s+it|anything\s+with|define\s+it\s+as|ok)\W+)*",
    re.I,
)


def _names_one_measure(text: str, engine) -> bool:
    """A short reply that names a measure of its own ("cash actually collected"), nothing else to read."""
    if engine is None or not text or len(text.split()) > 10:
        return False
    from tools.reports import entities
    from tools.reports.nlq.context import measures_named

    # ("how's tidal media looking health-wise?": a question of its own, not a measure picked)
    if re.match(r"\W*(?:how|what|which|who|when|where|why|is|are|does|do|did|can|could)\b", text, re.I):
        return False
    try:
        return len(measures_named(text, entities.load(engine))) == 1
    except Exception:  # noqa: BLE001 - a reply that can't be read is a new message
        return False


def _named_in_full(question: str, reply: str, choice: str) -> str:
    """ "Kwame Santos - bookings" after "what would you like to know about Kwame Perez, Kwame Santos?": the
    name said in full takes the place of the short one in the question."""
    rest = re.sub(re.escape(choice), " ", reply, flags=re.I)
    words = re.findall(r"[A-Za-z][\w'-]*", rest)
    courtesy = {
        "please",
        "pls",
        "thanks",
        "thank",
        "thx",
        "ok",
        "okay",
        "yes",
        "sure",
        "the",
        "that",
        "this",
        "and",
    }
    words = [w for w in words if w.lower() not in courtesy]
    if len(words) == 1 and words[0][:1].isupper() and len(words[0]) >= 3:
        # "Becker. bookings" after "what would you like to know about Rafael Becker, Rafael Karlsson?": the one
        # name written with a capital in the question, completed by the surname
        named = [
            m for m in re.finditer(r"(?<!^)(?<![.?!]\s)\b[A-Z][a-z]+\b", question) if m.group(0) != words[0]
        ]
        if len(named) == 1 and not re.search(rf"\b{re.escape(words[0])}\b", question, re.I):
            return question[: named[0].end()] + " " + words[0] + question[named[0].end() :]
        return question
    if len(words) < 2:
        return question
    short = re.search(rf"\b{re.escape(words[0])}\b(?!\s+{re.escape(words[1])}\b)", question, re.I)
    if short is None or not (words[0][:1].isupper() or short.group(0)[:1].isupper()) or len(words[0]) < 3:
        return question  # a name, written as one ("in", "for" are no names)
    full = " ".join(words[:3]) if len(words) <= 3 else " ".join(words[:2])
    return question[: short.start()] + full + question[short.end() :]


_RECORD_NOUNS = {"leads", "deals", "invoices", "tickets", "customers", "accounts", "opps", "payments"}
_THE_ONES = re.compile(
    r"\b(?:the\s+)?ones\b|\bthose\b(?=\s+(?:with|that|which|who|over|above|under|below|in)\b)", re.I
)


def resolve(text: str, thread: dict | None, engine=None) -> ToolCall | None:
    """A ToolCall that re-runs the question asked back with the picked choice, or None."""
    pending = (thread or {}).get("pending")
    if not pending:
        return None
    choice = pick_choice(text, pending.get("choices") or [])
    if choice is None and pending.get("skill") in ("insights", "reports"):
        choice = pick_account_by_attribute(text, pending.get("choices") or [], engine)
    said_first, *said_after = re.split(r"\s[-—–]\s|[,:;]\s", text, maxsplit=1)
    if (
        choice is None
        and said_after
        and len(said_first.split()) <= 4
        and not re.search(r"\d|\b(?:top|bottom|first|last|by|per)\b", said_after[0], re.I)
    ):  # ("by bookings - top 3": a question of its own, read below)
        # "the GmbH one - health score and churn risk": the pick, then what to show of it
        choice = pick_choice(said_first, pending.get("choices") or [])
    picked, _, asked = text.partition(". ")
    if (
        choice is None
        and asked
        and len(picked.split()) <= 4
        and re.search(r"\b(?:his|her|their|them|they|he|she)\b", asked, re.I)
        and not re.search(r"\d", picked)
    ):
        # "luca berg. how many of his customers are low / medium / high?": the pick, then a question about them
        one = pick_choice(picked, pending.get("choices") or [])
        if one is not None and pending.get("skill") in ("reports", None):
            from bot.skills.reports import ReportArgs

            said = re.sub(r"\b(?:his|her|their)\b", f"{one}'s", asked, count=1, flags=re.I)
            said = re.sub(r"\b(?:them|he|she|they)\b", one, said, count=1, flags=re.I)
            return ToolCall("reports", ReportArgs(question=said))
    if (
        choice is None
        and pending.get("skill") == "reports"
        and pending.get("phrase")
        and _A_SIZE.search(text)
    ):
        # "let's say companies with 1,000+ employees" after "what counts as enterprise?": that size, in its place
        choice = _SAID_FIRST.sub("", text).strip(" ?.!")
        if not re.match(r"(?:companies|accounts|customers|firms)\b", choice, re.I):
            choice = f"companies with {choice}"
    phrase_said = pending.get("phrase") or ""
    noun = phrase_said.split()[-1].lower() if phrase_said and phrase_said != MEASURE_SLOT else ""
    if (
        choice is None
        and pending.get("skill") == "reports"
        and noun in _RECORD_NOUNS
        and len(phrase_said.split()) >= 2
        and _THE_ONES.search(text)
    ):
        # "open ones with a score of 70 or more" after "what are hot leads?": the leads so described, in its place
        choice = _THE_ONES.sub(noun, _SAID_FIRST.sub("", text).strip(" ?.!"), count=1)
    if choice is None and pending.get("phrase") == MEASURE_SLOT and _names_one_measure(text, engine):
        choice = text.strip().rstrip("?.!")  # "cash actually collected" after "which number?": that measure
    if choice is None:
        return None
    skill = pending.get("skill")
    if skill == "insights":
        from bot.skills.insights import CompanyInsightArgs

        return ToolCall("insights", CompanyInsightArgs(company=choice))
    phrase, question = pending.get("phrase"), pending.get("question") or ""
    if skill == "reports" and phrase == MEASURE_SLOT:
        from bot.skills.reports import ReportArgs

        question = _named_in_full(question, text, choice)
        return ToolCall(
            "reports", ReportArgs(question=f"{choice}: {question}")
        )  # "bookings: how did EMEA do"
    if skill == "reports" and phrase and re.search(re.escape(phrase), question, re.I):
        from bot.skills.reports import ReportArgs

        choices = pending.get("choices") or []
        if any(c != choice and c.lower().startswith(f"{choice.lower()} ") for c in choices):
            # "Tidal Media" picked beside "Tidal Media Inc.": that one exactly, in quotes (never the both of them)
            choice = f'"{choice}"'
        question = _put_in(question, phrase, choice)
        if choice.startswith('"'):  # (said twice: "how's tidal media doing: QBR with tidal media next week")
            question = re.sub(rf"(?<![\w\"]){re.escape(phrase)}(?![\w\"])", choice, question, flags=re.I)
        return ToolCall("reports", ReportArgs(question=question))
    return None
