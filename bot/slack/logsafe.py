"""What the Slack libraries log, made safe: no request bodies or tokens at INFO and above, and no
line a newline in someone's message could forge.

slack_bolt logs the whole body of a request whose signature fails at INFO ("Invalid request
signature detected (signature: ..., body: ...)"), "Request body: ..." after a listener error,
and its own suggestions for unhandled requests over several lines; bodies carry people's
messages and the legacy verification token. Every record of the ``slack_bolt`` and ``slack_sdk``
loggers (and of the app's ``crmbot.slack`` logger, which bolt uses for its messages, and our own
``bot.slack`` modules) passes
through one handler here that, before handing the record on to the root logger's handlers:
  * at INFO and above, cuts the message where a request body starts;
  * at every level, replaces tokens (``xox?-``, ``xapp-``, a ``token`` field) with ``[redacted]``;
  * escapes CR, LF and other control characters, so one record is one line.
It also drops bolt's start-up warning that the token "will be unused": crmbot hands bolt a
prepared client holding that very token, so nothing is unused.
"""

from __future__ import annotations

import logging
import re
import traceback

GUARDED_LOGGERS = ("slack_bolt", "slack_sdk", "crmbot.slack", "bot.slack")

# where bolt's messages start quoting a request: everything from there on is the body
_BODY_STARTS = re.compile(
    r"(?<=body: )|(?<=Unhandled request \()|(?<=signature detected \()|(?=\{'token')|(?=\{\"token\")|(?<=payload=)",
    re.IGNORECASE,
)
_TOKENS = re.compile(
    r"(xox[abposre]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+"
    r"|(?<=['\"]token['\"]: ['\"])[^'\"]+|(?<=token=)[^&\s'\"]+)"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_UNUSED_TOKEN_WARNING = "will be unused"


def scrub(message: str, level: int) -> str:
    """``message`` as it may be logged at ``level``."""
    if level >= logging.INFO:
        cut = _BODY_STARTS.search(message)
        if cut:
            message = message[: cut.start()].rstrip(" (:") + " [request body withheld]"
    message = _TOKENS.sub("[redacted]", message)
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], message)


class _Guard(logging.Handler):
    """Scrubs a record, then hands it to the root logger's handlers (the guarded loggers do not
    propagate, so nothing reaches a handler unscrubbed)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string still gets logged, safely
            message = str(record.msg)
        if _UNUSED_TOKEN_WARNING in message and "token" in message:
            return
        record.msg, record.args = scrub(message, record.levelno), None
        if (
            record.exc_info and record.exc_info[0]
        ):  # the frames as they are; the exception's own message scrubbed
            kind, error, trace = record.exc_info
            frames = "".join(traceback.format_tb(trace))
            record.exc_text = f"Traceback (most recent call last):\n{frames}{kind.__name__}: {scrub(str(error), record.levelno)}"
            record.exc_info = None
        logging.getLogger().handle(record)


def guard_slack_logs() -> None:
    """Route the Slack libraries' loggers through the guard (idempotent)."""
    for name in GUARDED_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(h, _Guard) for h in logger.handlers):
            logger.addHandler(_Guard())
        logger.propagate = False
