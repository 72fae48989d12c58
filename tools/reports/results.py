"""The typed answer of the report engine (offline, LLM or a user's own SQL).

`to_data` of this type is exactly what `crmbot ask --json` prints (see bot/render/reports.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ReportResult:
    question: str
    interpretation: str = ""  # in words: metric, grouping, filters, exact dates
    sql: str | None = None
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    answer: str = ""  # one sentence with the key figure
    chart: str | None = None  # path of a PNG, or None
    refused: bool = False
    reason: str | None = None
    choices: list[str] = field(default_factory=list)  # when the engine asks back
    phrase: str | None = None  # the words it asks back about (a name that matches several)
    query: dict | None = None  # the structured query (offline engine), for follow-ups and verification
    context: dict | None = None  # a refused change: the records it was about (never run), for a follow-up
    truncated: bool = False  # rows were cut at the row limit
    source: str = "offline"  # offline, llm, sql
    formats: list[str] = field(
        default_factory=list
    )  # per column: text, date, period, money, count, rate, ...
    csv: str | None = None  # path of a CSV with all rows, when the result is too big for a Slack table
