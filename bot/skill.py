"""What a skill is, and what passes between the router, the skills and the front ends.

A skill is a module with:

  NAME         its name, carried by the ToolCall
  ARGS         its typed arguments (a pydantic model, or a dict of them); the LLM router offers
               them as tools, so the model's choice becomes the same ToolCall the rules make
  DESCRIPTION  what it is for, in words (for the LLM)
  match(text, ctx) -> ToolCall | Message | None   the rules: is this message for me?
  run(call, ctx) -> result                        do it; a typed result every front end renders
  thread_state(call, result) -> dict | None       (optional) what a follow-up needs to know

Imports go one way: the router imports the skills, the skills import this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel


@dataclass
class ToolCall:
    name: str  # the skill's NAME
    args: BaseModel  # the skill's typed arguments
    source: str = field(default="rules", compare=False)  # "llm" when the model chose it: a proposal only


@dataclass
class Reply:
    """What every front end renders: the typed result, the call that made it, the thread state."""

    result: Any
    call: ToolCall | None = None
    thread_state: dict | None = None
    meta: dict = field(default_factory=dict)


class Skill(Protocol):
    NAME: str
    ARGS: Any
    DESCRIPTION: Any

    def match(self, text: str, ctx) -> ToolCall | Any | None: ...

    def run(self, call: ToolCall, ctx) -> Any: ...
