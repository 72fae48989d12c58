"""Errors as RFC 9457 problem details (``application/problem+json``), never a traceback.

Every refusal the API gives has a status, a short title, and a ``detail`` in the same polite
words the chat uses, saying what to do. Unexpected errors get 500 with an error id that is
also in the log (with the trace), so a person can report it; nothing else leaks.
"""

from __future__ import annotations

import logging
import uuid
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

log = logging.getLogger("crmbot.api")

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "urn:crmbot:problem:"  # RFC 9457 "type": a stable name per kind of problem, not a page


class Problem(Exception):
    """Raise to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        kind: str | None = None,
        headers: dict[str, str] | None = None,
        **extra,
    ) -> None:
        super().__init__(detail)
        self.status, self.detail, self.headers, self.extra = status, detail, headers or {}, extra
        self.kind = kind or HTTPStatus(status).phrase.lower().replace(" ", "-")


def problem_response(
    status: int, detail: str, *, kind: str | None = None, headers: dict | None = None, **extra
) -> JSONResponse:
    kind = kind or HTTPStatus(status).phrase.lower().replace(" ", "-")
    body = {"type": TYPE_BASE + kind, "title": HTTPStatus(status).phrase, "status": status, "detail": detail}
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def _validation_detail(exc: RequestValidationError) -> tuple[str, list[dict]]:
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body",
            "message": e.get("msg"),
        }
        for e in exc.errors()
    ]
    first = errors[0] if errors else {"field": "body", "message": "is not valid"}
    detail = f"The request is not valid: {first['field']}: {first['message']}."
    if len(errors) > 1:
        detail += f" ({len(errors)} problems; see errors.)"
    return detail, errors


STATUS_KIND = {413: "body-too-large"}
STATUS_DETAIL = {
    404: "There is nothing at this address. See /docs for the API's endpoints.",
    405: "This address does not take that method. See /docs.",
}


def install(app: FastAPI) -> None:
    """Answer every error the app raises as problem+json."""

    @app.exception_handler(Problem)
    async def _problem(_request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc.status, exc.detail, kind=exc.kind, headers=exc.headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        detail, errors = _validation_detail(exc)
        return problem_response(422, detail, kind="invalid-request", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if exc.detail != HTTPStatus(exc.status_code).phrase else None
        return problem_response(
            exc.status_code,
            detail or STATUS_DETAIL.get(exc.status_code, HTTPStatus(exc.status_code).phrase + "."),
            kind=STATUS_KIND.get(exc.status_code),
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        error_id = uuid.uuid4().hex[:8]
        log.error("error %s on %s %s", error_id, request.method, request.url.path, exc_info=exc)
        return problem_response(
            500,
            f"Something went wrong on our side (error id {error_id}). "
            "Please try again, or tell your admin the error id.",
            kind="internal-error",
            error_id=error_id,
        )
