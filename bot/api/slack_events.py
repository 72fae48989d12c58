"""POST /slack/events on the web app: Slack's signature checked first, then the bolt app, off the loop.

Order matters. The signature (HMAC of the raw body with the signing secret, timestamp within
five minutes) is checked on the raw bytes before anything parses them, so an unsigned, stale or
garbled request is answered 401 and nothing of it is parsed, logged or stored; bolt's own check
then runs again inside ``dispatch`` (cheap, and it keeps bolt's behaviour for Socket Mode).

Why the sync bolt App in a thread pool rather than bolt's AsyncApp: every listener, the
database layer and the Slack WebClient are synchronous, and bolt's Starlette adapter for the
sync App calls ``App.dispatch`` on the event loop itself, where the middleware, the
de-duplication write and the wait for the listener's ``ack()`` would stall every other request
(API calls included). ``dispatch`` returns as soon as the listener acks; the answer is worked
out afterwards on bolt's own listener executor, as before.
"""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_sdk.signature import SignatureVerifier
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from bot.api.problems import problem_response

log = logging.getLogger("crmbot.api.slack")

EVENTS_PATH = "/slack/events"


def signature_is_valid(verifier: SignatureVerifier, body: bytes, headers) -> bool:
    """True only for a well-formed, fresh, matching signature; never raises on garbage."""
    timestamp = headers.get("x-slack-request-timestamp")
    signature = headers.get("x-slack-signature")
    if not timestamp or not signature or not timestamp.isdigit() or len(signature) > 100:
        return False
    try:
        return verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
    except (ValueError, TypeError, OverflowError):
        return False


class SlackEvents:
    """The endpoint's handler, bound to one bolt App and its signing secret."""

    def __init__(self, bolt_app: App, signing_secret: str) -> None:
        self.bolt_app = bolt_app
        self.verifier = SignatureVerifier(signing_secret)

    async def __call__(self, request: Request) -> Response:
        body = await request.body()  # bounded by BodyLimit and the protocol's body deadline
        if not signature_is_valid(self.verifier, body, request.headers):
            log.info("refused a Slack request without a valid signature (%d bytes)", len(body))
            return problem_response(
                401,
                "This endpoint answers Slack only: the request's signature is missing, stale or wrong.",
                kind="bad-signature",
            )
        try:
            bolt_request = to_bolt_request(request, body)
            readable = isinstance(bolt_request.body, dict)  # Slack sends a JSON object or a form
        except (ValueError, AttributeError, TypeError, KeyError):  # bolt reads fields while it parses
            readable = False
        if not readable:
            log.warning("refused a signed Slack request whose body could not be read (%d bytes)", len(body))
            return problem_response(400, "The request body could not be read.", kind="bad-request")
        bolt_response = await run_in_threadpool(self.bolt_app.dispatch, bolt_request)
        return to_starlette_response(bolt_response)
