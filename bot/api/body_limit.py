"""The largest request body the server takes: bigger requests get 413 before their body is read.

A declared Content-Length over the limit is refused at once (the body is never waited for);
a chunked body is counted as it arrives and refused when it passes the limit. The response
closes the connection, so the rest of an oversized body is not read either.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.api.problems import problem_response


def _too_large_detail(limit: int) -> str:
    return f"The request body is larger than {limit:,} bytes, the most this server accepts. Send less."


class BodyLimit:
    """ASGI middleware: at most ``max_bytes`` of request body."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared == -1:
            response = problem_response(400, "The Content-Length header is not a number.", kind="bad-request")
            response.headers["Connection"] = "close"
            await response(scope, receive, send)
            return
        if declared is not None and declared > self.max_bytes:
            response = problem_response(413, _too_large_detail(self.max_bytes), kind="body-too-large")
            response.headers["Connection"] = "close"
            await response(scope, receive, send)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # an HTTPException passes through FastAPI's body parsing and becomes the 413 problem
                    raise HTTPException(
                        413, _too_large_detail(self.max_bytes), headers={"Connection": "close"}
                    )
            return message

        await self.app(scope, counted_receive, send)


def _content_length(scope: Scope) -> int | None:
    """The declared length; None when absent (chunked), -1 when it is not a number."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else -1
    return None
