"""Helpers for the phrasing tests: a conversation through the same path as `crmbot chat --json` on the
refreshed demo, and hand-written SQL on the same database to check it against."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

TODAY = date(2026, 11, 19)  # the demo's today
# SQL the phrasing tests' hand-written golds share (on the refreshed demo)
OWED = "i.total - COALESCE((SELECT SUM(p.amount) FROM payments p WHERE p.invoice_id = i.id), 0)"  # still owed
OVERDUE = "i.status = 'sent' AND i.due_date < '2026-11-19'"  # an overdue invoice, today
OPEN_STAGES = "stage IN ('prospecting', 'qualification', 'proposal', 'negotiation')"
REP = "wei.andersson@crmbot-demo.com"  # a rep of NA East
MANAGER = "omar.moreau@crmbot-demo.com"  # manages NA East
TEAM = "(SELECT id FROM users WHERE team = 'NA East')"  # the manager's team, as owner ids
ME = f"(SELECT id FROM users WHERE email = '{REP}')"  # the rep, as an owner id
ACCOUNT = (
    "(SELECT id FROM companies WHERE name = '{}')"  # an account by name, as a company id (.format the name)
)


def chat(db_path, *questions: str, asker: str | None = None) -> list[dict]:
    """Each question's envelope, asked in order in one conversation (as ``asker``, an email, or nobody)."""
    from bot.cli.common import cli_actor
    from bot.envelope import envelope
    from bot.terminal import Conversation
    from db.engine import get_engine

    url = f"sqlite:///{db_path}"
    conversation = Conversation(url, TODAY, cli_actor(asker, get_engine(url, read_only=True)))
    return [json.loads(json.dumps(envelope(conversation.ask(q).result), default=str)) for q in questions]


def rows(db_path, sql: str) -> list[tuple]:
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def figure(out: dict) -> float:
    """The one figure of a one-row answer."""
    assert len(out["rows"]) == 1, out
    return float(out["rows"][0][-1] if len(out["rows"][0]) == 1 else out["rows"][0][0])


def pairs(out: dict) -> list[tuple]:
    """An answer's rows as (first column, last column rounded to the cent), sorted: a figure per group."""
    return sorted((str(r[0]), round(float(r[-1]), 2)) for r in out["rows"])


def gold_pairs(db_path, sql: str) -> list[tuple]:
    """The same of hand-written SQL's (group, figure) rows."""
    return sorted((str(g[0]), round(float(g[1]), 2)) for g in rows(db_path, sql))


def one(db_path, sql: str) -> float:
    """The one value hand-written SQL gives (0 where it is empty)."""
    return float(rows(db_path, sql)[0][0] or 0)


def column(out: dict, name: str) -> list:
    """An answer's values in the column of that name, row by row."""
    return [r[out["columns"].index(name)] for r in out["rows"]]
