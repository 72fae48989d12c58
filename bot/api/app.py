"""The ASGI app: FastAPI with the API's routers, problem+json errors, Slack's endpoint and a body limit.

``create_app`` is what tests and ``app_from_environment`` (the factory each uvicorn worker
calls, after its own start) use. Everything with a connection in it (the engine, the bolt
App and its WebClient) is made inside the worker process.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from contextlib import asynccontextmanager
from datetime import date

from fastapi import FastAPI
from sqlalchemy.exc import OperationalError
from starlette.requests import Request

from bot.api import problems
from bot.api.body_limit import BodyLimit
from bot.api.deps import ApiDeps
from crmbot import __version__

log = logging.getLogger("crmbot.api")

SERVE_OPTIONS_ENV = "CRMBOT_SERVE_OPTIONS"  # set by `crmbot serve --http` for its worker processes
DESCRIPTION = """
The CRM's own app reads customer insights, lead scores, invoices and reports here.

Every request under `/api/crm` carries an API key (`Authorization: Bearer <key>`, made with
`crmbot api-key create --as EMAIL`) and acts as that CRM user, with the same roles as in Slack.
Errors are `application/problem+json`. Approving or rejecting an invoice needs `If-Match`: the
version you reviewed (the invoice's `ETag`).
"""


def create_app(deps: ApiDeps, slack_app=None):
    """The whole web app; with ``slack_app`` (a bolt App), Slack's events on /slack/events too."""
    from bot.api.routes import health, insights, invoices, leads, reports

    api = FastAPI(
        title="crmbot API",
        version=__version__,
        description=DESCRIPTION,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=_lifespan(deps.settings.http_shutdown_grace_s, slack_app),
    )
    api.state.deps = deps
    problems.install(api)

    @api.exception_handler(OperationalError)
    async def _database_down(request: Request, exc: OperationalError):
        log.error("database error on %s %s: %s", request.method, request.url.path, exc.orig)
        return problems.problem_response(
            503, "The database cannot be reached right now. Please try again in a moment.", kind="database"
        )

    for module in (health, insights, leads, invoices, reports):
        api.include_router(module.router)
    if slack_app is not None:
        from bot.api.slack_events import EVENTS_PATH, SlackEvents

        secret = deps.settings.slack_signing_secret
        if secret is None:
            raise ValueError(
                "Set SLACK_SIGNING_SECRET to serve Slack over HTTP: requests are verified with it."
            )
        api.add_api_route(
            EVENTS_PATH,
            SlackEvents(slack_app, secret.get_secret_value()),
            methods=["POST"],
            include_in_schema=False,
        )
    deps.slack_enabled = slack_app is not None
    return BodyLimit(api, deps.settings.http_max_body_bytes)


def _lifespan(grace_s: float, slack_app):
    @asynccontextmanager
    async def lifespan(_api: FastAPI):
        yield
        if slack_app is not None:
            _drain_slack(slack_app, grace_s)

    return lifespan


def _drain_slack(slack_app, grace_s: float) -> None:
    """At shutdown: give answers already acked (bolt works after the ack) time to be posted."""
    executor = getattr(getattr(slack_app, "listener_runner", None), "listener_executor", None)
    if executor is None:
        return
    waiter = threading.Thread(target=executor.shutdown, kwargs={"wait": True}, daemon=True)
    waiter.start()
    waiter.join(grace_s)
    if waiter.is_alive():
        log.warning("stopped with Slack answers still in progress after %.0f s", grace_s)


def app_from_environment():
    """The factory each worker calls: settings from the environment, the serve command's options."""
    from crmbot.settings import get_settings

    settings = get_settings()
    options = json.loads(os.environ.get(SERVE_OPTIONS_ENV) or "{}")
    db_url = options.get("db_url") or settings.database_url
    fixed = date.fromisoformat(options["today"]) if options.get("today") else None
    today = (lambda: fixed) if fixed else date.today
    deps = ApiDeps(settings=settings, db_url=db_url, today=today)
    slack_app = None
    if options.get("slack", False):
        from bot.slack.app import create_app as create_slack_app
        from bot.slack.deps import SlackDeps

        slack_app = create_slack_app(SlackDeps(settings=settings, db_url=db_url, today=today))
    return create_app(deps, slack_app)
