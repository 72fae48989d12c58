"""What reading a question gives: a structured query (with the notes said out loud), or a refusal."""

from __future__ import annotations

from dataclasses import dataclass, field

from tools.reports.query import Query

MEASURE_SLOT = "{measure}"  # a question back asking which measure: the pick is added to the question


@dataclass
class Refusal:
    reason: str
    choices: list[str] = field(default_factory=list)
    kind: str = "refused"  # refused (will not), unknown (cannot), clarify (which one?)
    phrase: str | None = None  # clarify: the words that match several things (MEASURE_SLOT: which measure)
    context: Query | None = None  # a refused change: the records it was about, for a follow-up ("list them")


@dataclass
class Reading:
    query: Query
    notes: list[str] = field(default_factory=list)  # corrections and assumptions, said out loud
