"""The words the offline engine knows: phrases -> senses (metric, dimension, value, marker).

Built once per semantic model from its data: metric and dimension synonyms, the value
vocabularies and their aliases, and the small words that steer a question (``words.markers``:
grouping "by", ranking "top", counting "how many", listing "show", negation "except"), the
words that carry no meaning (``words.filler``) and the time words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from tools.reports import semantic


@dataclass(frozen=True)
class Sense:
    kind: str  # metric, dim, value, marker
    name: str  # metric/dimension name, or marker kind
    value: object = None  # for value senses: the stored value (or a tuple of values)


def _plural_variants(phrase: str) -> set[str]:
    words = phrase.split()
    last = words[-1]
    variants = {phrase}
    if last.endswith("ies") and len(last) > 4:
        variants.add(" ".join(words[:-1] + [last[:-3] + "y"]))
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        variants.add(" ".join(words[:-1] + [last[:-1]]))
    elif last.endswith("y") and len(last) > 3 and last[-2] not in "aeiou":
        variants.add(" ".join(words[:-1] + [last[:-1] + "ies"]))
    elif not last.endswith("s") and last.isalpha() and len(last) > 2:
        variants.add(" ".join(words[:-1] + [last + "s"]))
    return variants


def lexicon() -> dict[str, tuple[Sense, ...]]:
    """Phrase (lower case, single spaces) -> its possible senses, for the effective model."""
    return _lexicon(semantic.model())


def filler() -> frozenset[str]:
    """Words that carry no meaning of their own in a question ("the", "please", "show")."""
    return _filler(semantic.model())


def time_words() -> frozenset[str]:
    return frozenset(semantic.model().file.words.time)


def markers() -> dict[str, tuple[str, ...]]:
    return dict(semantic.model().file.words.markers)


def expand_abbreviations(text: str) -> str:
    """ "last qtr", "lead conv rate", "high prio", "w/ amounts": short forms read as the full words."""
    for pattern, word in _abbreviations(semantic.model()):
        text = pattern.sub(word, text)
    return text


@lru_cache(maxsize=4)
def _abbreviations(model) -> tuple:
    import re

    pairs = []
    for table in (model.file.time_words.abbreviations, model.file.words.abbreviations):
        for word, shorts in table.items():
            for short in shorts:
                pairs.append((short, word))
    pairs.sort(key=lambda p: -len(p[0]))
    return tuple(
        (
            re.compile(
                r"(?<![\w/])" + re.escape(short) + (r"(?![\w/])" if short[-1].isalnum() else ""), re.I
            ),
            word,
        )
        for short, word in pairs
    )


def value_aliases() -> dict[tuple[str, str], tuple[str, ...]]:
    return _aliases(semantic.model())


def _aliases(model) -> dict[tuple[str, str], tuple[str, ...]]:
    """Each value's words; a value named in several entries has all of their words."""
    merged: dict[tuple[str, str], tuple[str, ...]] = {}
    for a in model.file.value_aliases:
        key = (a.dimension, a.value)
        merged[key] = tuple(dict.fromkeys((*merged.get(key, ()), *a.aliases)))
    return merged


@lru_cache(maxsize=4)
def _filler(model) -> frozenset[str]:
    return frozenset(model.file.words.filler)


_MEASURE_NOUNS = {"rate", "ratio", "score", "probability", "size", "cycle", "time"}


@lru_cache(maxsize=4)
def _lexicon(model) -> dict[str, tuple[Sense, ...]]:
    senses: dict[str, list[Sense]] = {}
    aliases = _aliases(model)

    def add(phrase: str, sense: Sense, plurals: bool = True) -> None:
        phrase = " ".join(phrase.lower().split())
        for variant in _plural_variants(phrase) if plurals else {phrase}:
            bucket = senses.setdefault(variant, [])
            if sense not in bucket:
                bucket.append(sense)

    for metric in model.metrics:
        for phrase in (metric.name.replace("_", " "), *metric.synonyms):
            add(phrase, Sense("metric", metric.name), plurals=False)
            last = phrase.rsplit(" ", 1)[-1]
            if " " in phrase and last in _MEASURE_NOUNS:  # "win rates", "deal sizes", "churn probabilities"
                plural = phrase[: -len(last)] + ("probabilities" if last == "probability" else last + "s")
                if plural not in senses:
                    add(plural, Sense("metric", metric.name), plurals=False)
    for dim in model.dimensions:
        for phrase in (dim.name.replace("_", " "), *dim.synonyms):
            add(phrase, Sense("dim", dim.name))
        for value in model.vocabulary(dim.name):
            given = aliases.get((dim.name, value))  # an empty list: no words for this value
            phrases = set(given or ())
            spoken = value.lower().replace("_", " ")
            if given is None:
                phrases.add(spoken)
            for syn in dim.synonyms[:3]:
                phrases.add(f"{spoken} {syn}")
            for phrase in phrases:
                add(phrase, Sense("value", dim.name, value), plurals=False)
    for (dim_name, value), phrases in aliases.items():
        for phrase in phrases:
            add(phrase, Sense("value", dim_name, value), plurals=False)
    for kind, phrases in model.file.words.markers.items():
        for phrase in phrases:
            add(phrase, Sense("marker", kind), plurals=False)
    return {k: tuple(v) for k, v in senses.items()}


def correction_targets() -> frozenset[str]:
    """Words a typo may be corrected to: the ones that carry meaning (not fillers like "would")."""
    return _correction_targets(semantic.model())


@lru_cache(maxsize=4)
def _correction_targets(model) -> frozenset[str]:
    words = set(model.file.words.time)
    for phrase in _lexicon(model):
        words.update(phrase.split())
    return frozenset(w for w in words if w.isalpha())


def known_words() -> frozenset[str]:
    """Every single word the engine understands, for spelling correction."""
    return _known_words(semantic.model())


@lru_cache(maxsize=4)
def _known_words(model) -> frozenset[str]:
    words = set(model.file.words.filler) | set(model.file.words.time)
    for phrase in _lexicon(model):
        words.update(phrase.split())
    return frozenset(w for w in words if w.isalpha())
