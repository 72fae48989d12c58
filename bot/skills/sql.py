"""`sql SELECT ...`: a user's own read-only SQL, through the same guard and executor as reports."""

from __future__ import annotations

import re

from pydantic import BaseModel

from bot.skill import ToolCall

NAME = "sql"

_SQL = re.compile(r"^\s*sql\s*[:\s]\s*(?P<sql>.+)$", re.I | re.S)


class SqlArgs(BaseModel):
    sql: str


ARGS = SqlArgs
DESCRIPTION = "Run a read-only SQL SELECT the user wrote themselves (only when the message contains SQL)."


def match(text, ctx):
    hit = _SQL.match(text or "")
    if hit is None:
        return None
    sql = hit.group("sql").strip().strip("`")
    return ToolCall(NAME, SqlArgs(sql=re.sub(r"^sql\s*\n", "", sql, flags=re.I)))


def run(call, ctx):
    from crmbot.settings import get_settings
    from tools.reports.execute import run_user_sql

    settings = get_settings()
    return run_user_sql(
        ctx.read_only_engine,
        call.args.sql,
        row_limit=settings.report_row_limit,
        timeout_s=settings.statement_timeout_s,
        scope=ctx.scope,
    )
