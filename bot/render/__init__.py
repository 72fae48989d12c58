"""Rendering: a tool's typed result -> terminal text, Slack Block Kit, or JSON-ready data.

Three single-dispatch functions; each capability registers its result types in its own
module (bot/render/<capability>.py). Rendering holds no business logic: it lays out facts
the tools computed.
"""

from __future__ import annotations

from functools import singledispatch
from typing import Any

from tools.results import Message


@singledispatch
def to_text(result: Any) -> str:
    return str(result)


@singledispatch
def to_blocks(result: Any) -> list[dict]:
    """Block Kit blocks; the default is one section with the text rendering."""
    return [section(to_text(result))]


@singledispatch
def to_data(result: Any) -> dict:
    """A JSON-serializable dict (for `crmbot ask --json`)."""
    if hasattr(result, "model_dump"):
        return result.model_dump(mode="json")
    from dataclasses import asdict, is_dataclass

    if is_dataclass(result):
        return asdict(result)
    return {"answer": str(result)}


# Block Kit's limits, respected by construction everywhere a message is built
SECTION_LIMIT = 3000  # characters in a section's text
MAX_BLOCKS = 50  # blocks in one message


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the cut marked with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def section(text: str) -> dict:
    """A mrkdwn section, cut to Block Kit's 3,000-character limit by construction."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_LIMIT) or " "}}


@to_text.register
def _(result: Message) -> str:
    text = result.text
    if result.choices:
        text += "\n" + "\n".join(f"  {i}. {c}" for i, c in enumerate(result.choices, 1))
    return text


@to_blocks.register
def _(result: Message) -> list[dict]:
    blocks = [section(result.text)]
    if result.choices:
        blocks.append(section("\n".join(f"• {c}" for c in result.choices[:20])))
    return blocks


@to_data.register
def _(result: Message) -> dict:
    refused = result.kind in ("refused", "error", "clarify")
    return {
        "answer": result.text,
        "kind": result.kind,
        "choices": result.choices,
        "refused": refused,
        "reason": result.text if refused else None,
        "error_id": result.error_id,
        "columns": [],
        "rows": [],
        "sql": None,
        "chart": None,
    }


def _register_capabilities() -> None:
    import importlib
    import pkgutil

    for mod in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{mod.name}")


_register_capabilities()
