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


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as Slack's entities: in mrkdwn and message text they start links,
    mentions and entities, so a company called "A&B <Corp>" would otherwise be mangled."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip_escaped(text: str, limit: int) -> str:
    """``text`` escaped, then cut to ``limit`` characters without cutting an entity in two."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    cut = escaped[: limit - 1]
    amp = cut.rfind("&", max(0, len(cut) - 4))
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def mrkdwn(text: str, limit: int = SECTION_LIMIT) -> dict:
    """A mrkdwn text object: ``text`` is plain words plus our own ``*bold*`` / ``_italic_``;
    anything that looks like Slack markup in it is escaped, and it fits ``limit``."""
    return {"type": "mrkdwn", "text": clip_escaped(text, limit) or " "}


def section(text: str) -> dict:
    """A mrkdwn section, escaped and cut to Block Kit's 3,000-character limit by construction."""
    return {"type": "section", "text": mrkdwn(text)}


def base_block_id(block: dict) -> str:
    """A block's id without the suffix ``renew_block_ids`` gave it."""
    return str(block.get("block_id", "")).split("~", 1)[0]


def renew_block_ids(blocks: list[dict], suffix: str) -> list[dict]:
    """``blocks`` with every block_id given a new ``~suffix``: Slack asks for new block ids in each
    iteration of an updated message (the same id with new content may show the old one)."""
    return [dict(b, block_id=f"{base_block_id(b)}~{suffix}") if b.get("block_id") else b for b in blocks]


def context(text: str) -> dict:
    """A context block with one mrkdwn line."""
    return {"type": "context", "elements": [mrkdwn(text)]}


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
