"""Questions and SQL over HTTP, through the same router as Slack and the terminal.

``POST /api/crm/reports/ask`` hands the question to ``bot.router.handle`` with a Context whose
actor is the key's CRM user, and answers with the envelope ``crmbot ask --json`` prints (what
``bot.render.to_data`` gives for the reply) plus ``question`` and ``context``: the id to send
back with a follow-up. ``POST /api/crm/reports/sql`` is Slack's ``/crm sql``: the same words
through the same router, so the guard, the read-only connection and the limits are the same.
A refused question is still an answer (200, ``refused: true`` and the reason), as in Slack.
"""

from __future__ import annotations

import json
from datetime import date

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pydantic import BaseModel, Field

from bot.api import conversations
from bot.api.deps import Caller, caller
from bot.api.problems import Problem

router = APIRouter(prefix="/api/crm/reports", tags=["reports"])


class AskRequest(BaseModel):
    question: str = Field(..., min_length=1, max_length=2000)
    today: date | None = Field(None, description="answer as if today were this day (reproducible answers)")
    context: str | None = Field(None, description="the `context` of the previous answer, for a follow-up")


class SqlRequest(BaseModel):
    sql: str = Field(
        ..., min_length=1, max_length=20_000, description="one read-only SELECT over the CRM tables"
    )


ENVELOPE_DOC = {
    200: {
        "description": "The answer envelope of `crmbot ask --json` (kind, answer, columns, rows, refused, "
        "choices, ...) plus `question` and `context` (send it back with a follow-up; null when the "
        "answer leaves nothing to follow up).",
        "content": {"application/json": {"schema": {"type": "object", "additionalProperties": True}}},
    }
}


SERVER_FILES = ("chart", "csv")  # paths on the server's disk: nothing an HTTP client can open


def _answer(who: Caller, text: str, question: str, today: date | None, context_id: str | None) -> Response:
    from bot.envelope import envelope
    from bot.router import handle
    from bot.terminal import json_default

    thread = None
    if context_id:
        thread = conversations.load(who.deps.engine, who.key_id, context_id)
        if thread is None:
            raise Problem(
                422,
                "That context is unknown (or was made with another key). Ask the whole question again.",
                kind="unknown-context",
            )
    reply = handle(text, who.context(today=today, thread=thread))
    data = {"question": question, **envelope(reply.result)}  # the envelope `crmbot ask --json` prints
    for name in SERVER_FILES:
        if data.get(name):
            data[name] = None
    data["context"] = (
        conversations.save(who.deps.engine, who.key_id, reply.thread_state, who.deps.now())
        if reply.thread_state
        else None
    )
    # written as `crmbot ask --json` writes it (decimals as numbers, dates as strings)
    return Response(json.dumps(data, default=json_default), media_type="application/json")


@router.post("/ask", responses=ENVELOPE_DOC, summary="Ask a question in plain words")
def ask(request: AskRequest, who: Caller = Depends(caller)):
    return _answer(who, request.question, request.question, request.today, request.context)


@router.post("/sql", responses=ENVELOPE_DOC, summary="Run your own read-only SELECT through the SQL guard")
def sql(request: SqlRequest, who: Caller = Depends(caller)):
    return _answer(who, f"sql {request.sql}", request.sql, None, None)
