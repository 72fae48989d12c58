"""The leads skill (placeholder until its issue lands: matches nothing)."""

from __future__ import annotations

NAME = "leads"


def match(text, ctx):
    return None


def run(call, ctx):  # pragma: no cover - never routed while match() returns None
    raise NotImplementedError
