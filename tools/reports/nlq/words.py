"""Words of a question: tokens, typo correction, and the phrases the engine or the database knows.

Phrases are matched longest first against the lexicon (metrics, dimensions, values, markers)
and the database's own values (reps, customers, countries...); unknown words that are a
distinctive word of a stored name, or a typo of one, are matched more strictly afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tools.reports.entities import Entities, country_codes
from tools.reports.lexicon import Sense, correction_targets, filler, known_words, lexicon


@dataclass
class Mention:
    start: int  # token index
    end: int
    phrase: str
    senses: tuple[Sense, ...]
    entity: bool = False  # a database value


_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?|[#%]")


def tokenize(text: str) -> list[str]:
    return [_without_possessive(t.replace("’", "'")) for t in _TOKEN.findall(text.lower())]


def _without_possessive(token: str) -> str:
    """ "sandra's" -> "sandra", "emea's" -> "emea"; contractions the engine knows ("what's") stay."""
    if token.endswith("'s") and token not in known_words() and token not in lexicon():
        return token[:-2]
    return token


# three-letter words typed with two letters swapped, which no speller of longer words catches
_SHORT_TYPOS = {"teh": "the", "hte": "the", "adn": "and", "nad": "and"}


def correct_text(text: str, entities: Entities) -> tuple[str, list[str]]:
    """Replace misspelt words with the closest word the engine knows (rapidfuzz), and say so.

    Only towards the engine's own vocabulary: names in the database are matched later, more
    strictly, so that "Maria" never silently becomes "Amara".
    """
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import DamerauLevenshtein

    vocabulary = known_words()
    entity_words = {w for phrase in entities.phrases for w in phrase.split()}
    choices = sorted(correction_targets())
    notes: list[str] = []

    def fix(match: re.Match) -> str:
        token = match.group(0)
        if token in _SHORT_TYPOS and token not in entity_words:
            return _SHORT_TYPOS[
                token
            ]  # "new leads in teh last 30 days": too short for the speller, a letter swapped
        if len(token) < 4 or not token.isalpha() or token in vocabulary or token in entity_words:
            return token  # a contraction ("haven't", "who's") is not alphabetic: no typo to correct
        if is_english_word(token):
            return token  # "meant" is no typo of "mean", "moore" none of "more", "oldest" none of "coldest"
        near = [c for c in choices if len(c) >= 4 and abs(len(c) - len(token)) <= 2]
        best = process.extractOne(token, near, scorer=fuzz.ratio, score_cutoff=_cutoff(token))
        # a typo is an edit or two away (a swapped pair counts once), not a different word that
        # looks alike: "tracking" is not "takings"
        if best and DamerauLevenshtein.distance(token, best[0]) > _max_edits(token):
            best = None
        if best and best[0] != token:
            notes.append(f'read "{token}" as "{best[0]}"')
            return best[0]
        word = _speller().correction(token)  # "actualy": a small word misspelt, one edit away
        if word and word != token and word in filler():
            return word
        return token

    # a contraction ("haven't", "who's") is one word: its stem is no typo to correct
    return re.sub(r"[a-z]+(?:['’][a-z]+)?", fix, text), notes


_ENGLISH_MIN_COUNT = 100  # a word seen this often in the dictionary's corpus is a word, not a typo


def is_english_word(token: str) -> bool:
    """Whether ``token`` is an everyday English word (pyspellchecker's English frequency list, loaded on
    first use): such a word is left as written, known or not, never "corrected" into another one."""
    return _english_counts()[token] >= _ENGLISH_MIN_COUNT


@lru_cache(maxsize=1)
def _speller():
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=1)


def _english_counts():
    return _speller().word_frequency


def _max_edits(token: str) -> int:
    return 1 if len(token) <= 5 else 2


def _cutoff(token: str) -> float:
    return 80 if len(token) >= 6 else 78


def find_mentions(tokens: list[str], entities: Entities, upper_codes: set[str]) -> list[Mention]:
    """Longest phrases first, left to right: lexicon senses and database values."""
    lex = lexicon()
    codes = country_codes()
    stop = filler()
    mentions: list[Mention] = []
    i = 0
    while i < len(tokens):
        hit = _hit_at(tokens, i, lex, entities, codes, stop, upper_codes)
        if hit is not None and tokens[i] == "the" and hit.end < len(tokens):
            # "the UK & Ireland team": a longer name after the article wins over "the uk"
            after = _hit_at(tokens, i + 1, lex, entities, codes, stop, upper_codes)
            if after is not None and after.entity and after.end > hit.end:
                hit = after
        if hit:
            if hit.entity:
                hit.end = _absorb_legal_form(tokens, hit.end)
            mentions.append(hit)
            i = hit.end
        else:
            i += 1
    return mentions


def _hit_at(tokens, i, lex, entities, codes, stop, upper_codes) -> Mention | None:
    """The longest phrase starting at token ``i``: a lexicon sense or a database value."""
    for n in range(min(6, len(tokens) - i), 0, -1):
        phrase = " ".join(tokens[i : i + n])
        senses = lex.get(phrase)
        values = entities.phrases.get(phrase)
        if values and phrase in codes and phrase not in upper_codes:
            values = None  # "in", "it", "can": ISO codes only count when written in capitals
        elif values and n == 1 and phrase in stop and phrase not in upper_codes:
            values = None  # "on", "one": a short name that is an ordinary word is the word
        if values and (senses is None or _entity_wins(phrase, senses, values)):
            return Mention(
                i, i + n, phrase, tuple(Sense("value", v.dimension, v.value) for v in values), True
            )
        if senses:
            return Mention(i, i + n, phrase, senses)
    return None


def _absorb_legal_form(tokens: list[str], end: int) -> int:
    """ "Whitestone Advisors LL(C)", "Redwood Retail BV": a legal form after a name belongs to it."""
    from tools.reports.entities import LEGAL_FORMS

    while end < len(tokens) and (
        any(form.startswith(tokens[end]) for form in LEGAL_FORMS if len(form) > 1)
        # ("S.A. de C.V.": the dotted form's next letter, after one)
        or (len(tokens[end]) == 1 and tokens[end] in LEGAL_FORMS and len(tokens[end - 1]) == 1)
    ):
        if len(tokens[end]) < 2 and tokens[end] not in LEGAL_FORMS:
            break
        end += 1
    return end


def _entity_wins(phrase: str, senses, values) -> bool:
    """A database value beats a vocabulary word only when it is several words long or a proper name."""
    if all(s.kind == "marker" for s in senses) and len(phrase.split()) == 1:
        return False
    return len(phrase.split()) > 1 and not any(s.kind == "metric" for s in senses)


def leftover_tokens(tokens: list[str], mentions: list[Mention]) -> list[tuple[int, str]]:
    used = set()
    for m in mentions:
        used.update(range(m.start, m.end))
    return [(i, t) for i, t in enumerate(tokens) if i not in used]


def partial_entities(
    tokens: list[str], leftovers, entities: Entities
) -> tuple[list[Mention], list[tuple[int, str]]]:
    """Unknown words that are a distinctive word of one (or more) names in the database."""
    from rapidfuzz import fuzz, process

    found, leftovers = _fuzzy_phrases(tokens, leftovers, entities)
    rest = []
    token_keys = list(entities.tokens)
    known = known_words()
    for index, token in leftovers:
        if token in filler() or token in known or not token.isalpha() or len(token) < 3:
            rest.append((index, token))  # "high", "open": the engine's own words are never a name's part
            continue
        values = entities.tokens.get(token)
        if not values and len(token) >= 5:
            best = process.extractOne(token, token_keys, scorer=fuzz.ratio, score_cutoff=88)
            # a typo changes letters; a word that only adds some to a name's word is another word ("cover" is
            # not a misspelt "Cove", "banking" not "Bank")
            if best and _another_word(token, best[0]):
                best = None
            values = entities.tokens.get(best[0]) if best else None
        if values:
            senses = tuple(Sense("value", v.dimension, v.value) for v in values)
            found.append(Mention(index, index + 1, token, senses, True))
        else:
            rest.append((index, token))
    found = _with_known_neighbours(found, rest, tokens, entities)
    return _merge_adjacent(found), [(i, t) for i, t in rest if not any(m.start <= i < m.end for m in found)]


def _with_known_neighbours(found: list[Mention], rest, tokens, entities: Entities) -> list[Mention]:
    """ "pacific oak": a word the engine knows ("pacific", of "asia pacific") right beside a name's word, when both
    are words of the same names, is part of the name (the two Pacific Oak companies, not every "Oak")."""
    spare = {i for i, _ in rest}
    out = []
    for m in found:
        senses, start, end = m.senses, m.start, m.end
        for step in (-1, 1):
            at = start - 1 if step < 0 else end
            while at in spare and tokens[at] not in filler() and tokens[at].isalpha():
                values = entities.tokens.get(tokens[at]) or ()
                shared = tuple(
                    s for s in senses if any(v.dimension == s.name and v.value == s.value for v in values)
                )
                if not shared:
                    break
                senses = shared
                spare.discard(at)
                if step < 0:
                    start, at = at, at - 1
                else:
                    end, at = at + 1, at + 1
        if (start, end) != (m.start, m.end):
            m = Mention(start, end, " ".join(tokens[start:end]), senses, True)
        out.append(m)
    return out


def _another_word(token: str, key: str) -> bool:
    """The token is the name's word with letters added at its start or end (not a plural "s")."""
    short, long = sorted((token, key), key=len)
    return long != short + "s" and (long.startswith(short) or long.endswith(short))


def _merge_adjacent(mentions: list[Mention]) -> list[Mention]:
    """Neighbouring words of names are one name: "fieldstone parks" is what both words share (the
    two "Fieldstone Parks Department" companies), never everything either word matches; words that share
    no name stay one phrase that names several things (asked about, never each taken as a filter: "Linda Walker"
    may be a lead, not the reps Linda Williams and Tom Walker)."""
    merged: list[Mention] = []
    for m in sorted(mentions, key=lambda m: m.start):
        prev = merged[-1] if merged else None
        if prev is not None and prev.entity and m.entity and prev.end == m.start:
            shared = tuple(s for s in prev.senses if s in m.senses)
            senses = shared or tuple(dict.fromkeys(prev.senses + m.senses))
            merged[-1] = Mention(prev.start, m.end, f"{prev.phrase} {m.phrase}", senses, True)
        else:
            merged.append(m)
    return merged


def company_mentions(text: str, entities: Entities) -> list[tuple[str, list[str]]]:
    """(the words, the company names they may mean) for each company a message names."""
    # "Onyx's health score": a name ends at its possessive ("Onyx Health AG" is not named there), so each
    # stretch up to a possessive is read on its own
    words = _TOKEN.findall(text.lower().replace("’", "'"))
    stretches, current = [], []
    for word in words:
        current.append(word)
        if word.endswith("'s"):
            stretches.append(current)
            current = []
    stretches.append(current)
    found_mentions = []
    for stretch in stretches:
        tokens = [_without_possessive(t) for t in stretch]
        mentions = find_mentions(tokens, entities, set())
        partial, _ = partial_entities(tokens, leftover_tokens(tokens, mentions), entities)
        found_mentions += sorted(mentions + partial, key=lambda m: m.start)
    found = []
    for m in found_mentions:
        names = [str(s.value) for s in m.senses if s.kind == "value" and s.name == "customer"]
        if m.entity and names:
            found.append((m.phrase, list(dict.fromkeys(names))))
    return found


def written_exactly(names: list[str], text: str) -> str | None:
    """Among names one phrase matches, the one written exactly as in the text ("Optiva Surgical Ltd" beside "Optiva
    Surgical, Ltd"); None when none or several are, or when a longer one starts with it ("Helix Education" beside
    "Helix Education Inc.": the shorter name may stand for either) unless it is in quotes as picked."""
    quoted = [
        n for n in names if f'"{str(n).lower()}"' in text.lower()
    ]  # a pick of that name exactly (bot/clarify.py)
    if len(quoted) == 1:
        return quoted[0]
    exact = [n for n in names if _written_alone(str(n), [str(o) for o in names], text)]
    if len(exact) != 1 or any(str(n).lower().startswith(f"{str(exact[0]).lower()} ") for n in names):
        return None
    return exact[0]


def _written_alone(name: str, names: list[str], text: str) -> bool:
    """The name is in the text as a whole name, not as the start of a longer one that is there ("Jade Partners, Solstice
    Batteries and ..." names Jade Partners; "Jade Partners, Ltd" names the other)."""
    lowered = text.lower()
    longer = [o.lower() for o in names if len(o) > len(name) and o.lower().startswith(name.lower())]
    for m in re.finditer(rf"(?<![\w,]){re.escape(name)}(?!\w)", text, re.I):
        if not any(lowered.startswith(o, m.start()) for o in longer):
            return True
    return False


def one_company_named(text: str, entities: Entities) -> str | None:
    """The one company a message names (one mention, one name it can mean), else None."""
    found = company_mentions(text, entities)
    names = {name for _, names in found for name in names}
    return names.pop() if len(found) == 1 and len(names) == 1 else None


def _first_words_of(typed: str, name: str) -> bool:
    """The words typed are, give or take a typo, the first words of a longer name."""
    from rapidfuzz import fuzz

    size = len(typed.split())
    words = name.split()
    return len(words) > size and fuzz.ratio(typed, " ".join(words[:size])) >= 90


def _fuzzy_phrases(tokens, leftovers, entities: Entities):
    """Runs of unknown words that are, give or take a typo, a multi-word name ("Fairmont Asset Managemen")."""
    from rapidfuzz import fuzz, process

    multiword = [p for p in entities.phrases if " " in p]
    positions = [i for i, _ in leftovers]
    found: list[Mention] = []
    used: set[int] = set()
    runs, run = [], []
    for i in positions:
        if run and i != run[-1] + 1:
            runs.append(run)
            run = []
        run.append(i)
    if run:
        runs.append(run)
    for run in runs:
        start = 0
        while start < len(run) - 1:
            hit = None
            for size in range(min(6, len(run) - start), 1, -1):
                window = run[start : start + size]
                phrase = " ".join(tokens[i] for i in window)
                best = process.extractOne(phrase, multiword, scorer=fuzz.ratio, score_cutoff=90)
                if best and _first_words_of(phrase, best[0]):
                    # "evergreen arrow" is the start of "Evergreen Arrow AI" (and of "Evergreen Arrow Systems"), not
                    # a typo of it: the names' own words say which accounts it names
                    best = None
                if best:
                    hit = (window, best[0])
                    break
            if hit:
                window, phrase = hit
                senses = tuple(Sense("value", v.dimension, v.value) for v in entities.phrases[phrase])
                found.append(Mention(window[0], window[-1] + 1, phrase, senses, True))
                used.update(window)
                start += len(window)
            else:
                start += 1
    return found, [(i, t) for i, t in leftovers if i not in used]
