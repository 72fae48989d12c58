"""Start-up and logs: a bad token is one clear line and a non-zero exit; what the Slack libraries
log never carries a request body, message text or a token at INFO, and a newline in someone's
message cannot forge a log line."""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.slack_app import SECRET, crm_users, running_bot, sign, slack_environment, slack_people
from tests.slack_mock import MockSlack
from tests.slack_workspace import LEGACY_VERIFICATION_TOKEN


def _crmbot() -> list[str]:
    script = Path(sys.executable).with_name("crmbot")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from bot.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(db_url: str, env: dict, *args: str) -> subprocess.CompletedProcess:
    command = [*_crmbot(), "serve", *args, "--db", db_url]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def _one_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got {len(lines)}:\n{output}"
    return lines[0]


@pytest.fixture
def slack_env(demo_db_url, tmp_path):
    rows = crm_users(demo_db_url)
    with MockSlack(users=slack_people(rows)) as slack:
        yield slack, slack_environment(slack, str(tmp_path / "data"))


def test_a_bad_bot_token_is_one_line_and_a_failed_start(demo_db_url, slack_env):
    slack, env = slack_env
    env["SLACK_BOT_TOKEN"] = "xoxb-not-the-token"
    done = _serve(demo_db_url, env, "--http", "--host", "127.0.0.1", "--port", str(_free_port()))
    assert done.returncode != 0
    line = _one_line(done.stdout + done.stderr)
    assert "SLACK_BOT_TOKEN" in line and "invalid_auth" in line and "xoxb-not-the-token" not in line


def test_slack_out_of_reach_is_one_line(demo_db_url, slack_env):
    slack, env = slack_env
    env["SLACK_API_URL"] = f"http://127.0.0.1:{_free_port()}/api/"  # nothing listens there
    done = _serve(demo_db_url, env, "--http", "--host", "127.0.0.1", "--port", str(_free_port()))
    assert done.returncode != 0
    assert "Cannot reach Slack" in _one_line(done.stdout + done.stderr)


def test_a_bad_app_token_in_socket_mode_is_one_line_and_never_says_connected(demo_db_url, slack_env):
    slack, env = slack_env
    env["SLACK_APP_TOKEN"] = "xapp-1-not-the-token"
    done = _serve(demo_db_url, env)
    assert done.returncode != 0
    line = _one_line(done.stdout + done.stderr)
    assert "SLACK_APP_TOKEN" in line and "invalid_auth" in line and "connected" not in line.lower()


def test_a_bot_token_given_as_the_app_token_is_named(demo_db_url, slack_env):
    slack, env = slack_env
    env["SLACK_APP_TOKEN"] = slack.bot_token
    done = _serve(demo_db_url, env)
    assert done.returncode != 0
    assert "app-level token (xapp-" in _one_line(done.stdout + done.stderr)


def test_a_socket_mode_connection_that_fails_is_one_line(demo_db_url, slack_env):
    """The app token is good, but the connection Slack hands out cannot be opened."""
    slack, env = slack_env
    env["SLACK_APP_TOKEN"] = slack.app_token
    done = _serve(demo_db_url, env)
    assert done.returncode != 0
    line = _one_line(done.stdout + done.stderr)
    assert "Socket Mode connection" in line and "connected to Slack" not in line


def test_create_app_with_a_refused_token_raises_one_line(demo_db_url, slack_env, monkeypatch):
    from bot.slack.app import create_app
    from bot.slack.deps import SlackDeps
    from bot.slack.startup import SlackStartupError
    from crmbot.settings import Settings

    slack, env = slack_env
    settings = Settings(
        SLACK_BOT_TOKEN="xoxb-wrong",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack.api_url,
        SLACK_APP_TOKEN=None,
    )
    with pytest.raises(SlackStartupError) as refused:
        create_app(SlackDeps(settings=settings, db_url=demo_db_url))
    assert "\n" not in str(refused.value) and "invalid_auth" in str(refused.value)


# --------------------------------------------------------------------------- logs


@pytest.fixture
def root_log():
    """What a real log configuration would write: the root logger's handlers at INFO."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def test_rejected_and_unhandled_requests_log_no_body_token_or_forged_line(
    demo_db_copy, monkeypatch, tmp_path, root_log
):
    with running_bot(demo_db_copy, str(tmp_path / "data"), monkeypatch) as bot:
        rep = bot.users["rep"]
        words = "my secret margin plan\nERROR crmbot.slack FORGED line: all invoices approved"
        event = {
            "type": "app_mention",
            "user": rep.slack_user_id,
            "text": words,
            "ts": "1.1",
            "channel": "C0SALES",
        }
        body = bot.slack.event_body(event)
        assert bot.post(body, "application/json", sign(body, secret="not-the-secret")) == 401
        odd = bot.slack.event_body({"type": "reaction_added", "user": rep.slack_user_id, "reaction": words})
        assert bot.post(odd, "application/json") in (200, 404)  # an event nobody listens to
        time.sleep(0.3)
    logged = root_log.getvalue()
    assert "without a valid signature" in logged  # the fact is logged (by the web app, before bolt) ...
    assert "secret margin plan" not in logged  # ... but not the message
    assert LEGACY_VERIFICATION_TOKEN not in logged and "xoxb-" not in logged
    assert not any(line.startswith("ERROR crmbot.slack FORGED") for line in logged.splitlines())
    assert "will be unused" not in logged  # bolt's start-up warning about the token we hand it


def test_scrub_cuts_bodies_redacts_tokens_and_escapes_newlines():
    from bot.slack.logsafe import scrub

    body = json.dumps({"token": "legacy-abc", "event": {"text": "hi"}})
    assert scrub(f"Request body: {body}", logging.INFO) == "Request body [request body withheld]"
    assert "legacy-abc" not in scrub(f"details {body}", logging.DEBUG)
    assert (
        scrub("sent with xoxb-1-2-abc and xapp-1-A-9", logging.DEBUG) == "sent with [redacted] and [redacted]"
    )
    assert scrub("one\nERROR two\r", logging.WARNING) == "one\\nERROR two\\r"


def test_no_token_reaches_the_log_of_a_failed_call(monkeypatch, root_log):
    from slack_sdk.errors import SlackApiError

    from bot.slack.app import make_client
    from bot.slack.logsafe import guard_slack_logs
    from crmbot.settings import Settings

    guard_slack_logs()
    with MockSlack() as slack:
        client = make_client(Settings(SLACK_BOT_TOKEN="xoxb-secret-value-1", SLACK_API_URL=slack.api_url))
        logging.getLogger("slack_sdk.web.base_client").setLevel(logging.DEBUG)
        try:
            with pytest.raises(SlackApiError):
                client.chat_postMessage(channel="C0SALES", text="private words")
        finally:
            logging.getLogger("slack_sdk.web.base_client").setLevel(logging.NOTSET)
    assert "xoxb-secret-value-1" not in root_log.getvalue()
    assert os.environ.get("SLACK_BOT_TOKEN") != "xoxb-secret-value-1"
