"""GET /api/health: the process answers (liveness) and the database does too (readiness)."""

from __future__ import annotations

import os
import time

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from bot.api.deps import ApiDeps, api_deps
from bot.api.problems import problem_response

router = APIRouter(tags=["health"])
WORKER_HEADER = "X-Crmbot-Worker"  # the process that answered: shows that every worker is up


class Health(BaseModel):
    status: str  # ok
    database: str  # ok
    database_ms: float
    slack: bool  # whether /slack/events is served


def _ping(deps: ApiDeps) -> float:
    started = time.perf_counter()
    with deps.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return (time.perf_counter() - started) * 1000


@router.get("/api/health", response_model=Health, summary="Liveness and readiness (no key needed)")
async def health(deps: ApiDeps = Depends(api_deps)):
    try:
        elapsed = await run_in_threadpool(_ping, deps)
    except Exception:  # noqa: BLE001 - any failure to reach the database means not ready
        return problem_response(
            503, "The database cannot be reached; this server is alive but not ready.", kind="not-ready"
        )
    body = {"status": "ok", "database": "ok", "database_ms": round(elapsed, 2), "slack": deps.slack_enabled}
    return JSONResponse(body, headers={WORKER_HEADER: str(os.getpid())})
