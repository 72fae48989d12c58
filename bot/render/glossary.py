"""How a definition looks: plain words everywhere (the envelope's kind is "explanation")."""

from __future__ import annotations

from bot.render import section, to_blocks, to_data, to_text
from tools.reports.glossary import Explanation


@to_text.register
def _(result: Explanation) -> str:
    return result.answer


@to_blocks.register
def _(result: Explanation) -> list[dict]:
    return [section(result.answer)]


@to_data.register
def _(result: Explanation) -> dict:
    return {
        "question": result.question,
        "answer": result.answer,
        "kind": "explanation",
        "terms": list(result.terms),
        "columns": [],
        "rows": [],
        "refused": False,
        "choices": [],
    }
