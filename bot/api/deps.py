"""What every API request shares (the database, the clock, the settings) and who is calling.

``caller`` is the dependency of every /api/crm endpoint: the bearer key is looked up (by its
hash), counted against its rate limit, and turned into the CRM user it acts as. Endpoints then
call the same tools as Slack and the terminal, with a Context whose actor is that user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from bot.api.keys import holder_of, touch
from bot.api.problems import Problem
from bot.api.rate_limit import KeyRateLimit
from bot.conversation import Context
from crmbot.settings import Settings
from tools.actor import Actor


@dataclass
class ApiDeps:
    settings: Settings
    db_url: str
    today: Callable[[], date] = field(default=date.today)  # the clock, at the edge
    slack_enabled: bool = False  # whether /slack/events is served by this app

    @cached_property
    def engine(self) -> Engine:
        from db.engine import shared_engine

        return shared_engine(self.db_url)

    @cached_property
    def rate_limit(self) -> KeyRateLimit:
        return KeyRateLimit(self.settings.api_rate_limit, self.settings.api_rate_limit_storage)

    def now(self) -> datetime:
        """The moment, on "today" (a fixed --today keeps the time of day, like the invoice flow)."""
        return datetime.combine(self.today(), datetime.now().time())


@dataclass(frozen=True)
class Caller:
    """The CRM user an API key acts as, and the key."""

    actor: Actor
    key_id: int
    deps: ApiDeps

    def scope(self):
        """The key's user's data scope (tools.scope.DataScope)."""
        from tools.scope import load_scope

        return load_scope(self.deps.engine, self.actor)

    def outside_scope(self, company_id: int | None, name: str | None = None) -> None:
        """403 when the company is not in the caller's data scope."""
        from tools.scope import company_problem

        problem = company_problem(self.deps.engine, self.scope(), company_id, name)
        if problem:
            raise Problem(403, problem, kind="not-in-your-scope")

    def context(self, today: date | None = None, thread: dict | None = None) -> Context:
        return Context(
            db_url=self.deps.db_url,
            today=today or self.deps.today(),
            actor=self.actor,
            thread=thread,
            channel="api",
            place=f"api key {self.key_id}",
            extras={"defer_charts": True},  # the web app draws its own charts from the rows
        )


bearer = HTTPBearer(
    auto_error=False,
    scheme_name="API key",
    description="A key from `crmbot api-key create --as EMAIL`, sent as `Authorization: Bearer <key>`.",
)
NO_KEY = (
    "Send your API key as 'Authorization: Bearer <key>'. An admin makes one with "
    "`crmbot api-key create --as your@email`."
)
BAD_KEY = "This API key is not valid: it was revoked, mistyped, or its CRM user is no longer active."


def api_deps(request: Request) -> ApiDeps:
    return request.app.state.deps


def caller(
    deps: ApiDeps = Depends(api_deps),
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
) -> Caller:
    if credentials is None or not credentials.credentials:
        raise Problem(401, NO_KEY, kind="no-api-key", headers={"WWW-Authenticate": "Bearer"})
    holder = holder_of(deps.engine, credentials.credentials.strip())
    if holder is None:
        raise Problem(
            401, BAD_KEY, kind="bad-api-key", headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
        )
    wait = deps.rate_limit.wait_s(holder.key_id)
    if wait is not None:
        raise Problem(
            429,
            f"Too many requests with this key (the limit is {deps.rate_limit.rate}). Try again in {wait} s.",
            kind="rate-limited",
            headers={"Retry-After": str(wait)},
        )
    touch(deps.engine, holder.key_id, datetime.now())
    return Caller(holder.actor, holder.key_id, deps)
