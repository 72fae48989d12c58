"""Result types every tool and the router can return besides their own typed results."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Message:
    """A plain answer: help, a clarifying question with choices, a refusal or an error."""

    text: str
    kind: str = "info"  # info, clarify, refused, error
    choices: list[str] = field(default_factory=list)
    error_id: str | None = None
    phrase: str | None = None  # the words a question back is about ("Blackstone Technologies")
