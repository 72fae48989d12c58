"""Start-up checks: a bad token is one clear line and a non-zero exit, not tracebacks.

``check_tokens`` asks Slack once about each token before anything is built: ``auth.test`` for the
bot token, and in Socket Mode ``apps.connections.open`` for the app-level token (the connection
URL it returns is the one the Socket Mode client then uses). ``serve_socket_mode`` says
"connected" only once the connection is open.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from slack_sdk.errors import SlackApiError, SlackClientError

from crmbot.settings import Settings

log = logging.getLogger(__name__)

BOT_TOKEN_HELP = {
    "invalid_auth": "copy the Bot User OAuth Token (xoxb-...) from your Slack app's OAuth & Permissions page",
    "not_authed": "set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-...)",
    "account_inactive": "the app was uninstalled or its bot deactivated; reinstall the app",
    "token_revoked": "the token was revoked; reinstall the app and copy the new token",
}
APP_TOKEN_HELP = {
    "invalid_auth": "make an app-level token with the connections:write scope (Basic Information -> "
    "App-Level Tokens) and put it in SLACK_APP_TOKEN",
    "not_allowed_token_type": "SLACK_APP_TOKEN must be an app-level token (xapp-...), not a bot token",
    "missing_scope": "give the app-level token the connections:write scope",
    "not_authed": "set SLACK_APP_TOKEN to an app-level token (xapp-...)",
}


class SlackStartupError(ValueError):
    """Why the bot cannot start, in one line that says what to do."""


def check_tokens(settings: Settings, *, socket_mode: bool) -> str | None:
    """Check the bot token (and the app token in Socket Mode); the Socket Mode URL, if any."""
    from bot.slack.app import make_client

    if settings.slack_bot_token is None:
        raise SlackStartupError(
            "Set SLACK_BOT_TOKEN (the Bot User OAuth Token, xoxb-...) to run the Slack bot."
        )
    client = make_client(settings)
    sdk_log = logging.getLogger("slack_sdk")
    level = sdk_log.level
    sdk_log.setLevel(logging.CRITICAL)  # a failure here is said once, below, not also by the library
    try:
        _ask(lambda: client.auth_test(), "SLACK_BOT_TOKEN", BOT_TOKEN_HELP, settings)
        if not socket_mode:
            return None
        app_token = settings.slack_app_token.get_secret_value()
        opened = _ask(
            lambda: client.apps_connections_open(app_token=app_token),
            "SLACK_APP_TOKEN",
            APP_TOKEN_HELP,
            settings,
        )
        return opened["url"]
    finally:
        sdk_log.setLevel(level)


def _ask(call: Callable, name: str, help_by_error: dict[str, str], settings: Settings):
    try:
        return call()
    except SlackApiError as exc:
        error = exc.response.get("error") or "error"
        advice = help_by_error.get(error, "check the token in your Slack app's settings")
        raise SlackStartupError(f"Slack refused {name} ({error}): {advice}.") from None
    except (SlackClientError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise SlackStartupError(f"Cannot reach Slack at {settings.slack_api_url}: {reason}.") from None


def serve_socket_mode(app, settings: Settings, url: str, on_connected: Callable[[], None]) -> None:
    """Connect to Slack in Socket Mode over ``url`` and serve until Ctrl-C; says "connected"
    (``on_connected``) only once the connection is open."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    socket_log = logging.getLogger("crmbot.slack.socket_mode")
    handler = SocketModeHandler(app, settings.slack_app_token.get_secret_value(), logger=socket_log)
    handler.client.wss_uri = url
    heard = _Heard()
    socket_log.addHandler(heard)  # while connecting, what goes wrong becomes the one line below
    socket_log.propagate = False
    failure = None
    try:
        handler.connect()
    except Exception as exc:  # noqa: BLE001 - any failure to connect is one line, not a traceback
        failure = _reason(exc)
    if failure or not handler.client.is_connected():
        handler.client.auto_reconnect_enabled = False
        _close_quietly(handler)  # its reconnect monitor stays quiet too
        reason = failure or (heard.last or "the connection did not open")
        raise SlackStartupError(f"Could not open the Socket Mode connection to Slack: {reason}.")
    socket_log.removeHandler(heard)
    socket_log.propagate = True
    on_connected()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        _close_quietly(handler)


class _Heard(logging.Handler):
    """Keeps the last warning or error, scrubbed and cut to one short line."""

    last: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            from bot.slack.logsafe import scrub

            self.last = _reason(scrub(record.getMessage(), logging.ERROR))


def _reason(exc: BaseException | str) -> str:
    text = str(exc).strip().split("\\n")[0].splitlines()
    return text[0][:160].rstrip(". ") if text else type(exc).__name__


def _close_quietly(handler) -> None:
    try:
        handler.close()
    except Exception:  # noqa: BLE001 - closing a connection that never opened
        log.debug("closing the Socket Mode client failed", exc_info=True)
