"""The real bolt app served over HTTP on 127.0.0.1, wired to the strict mock Slack: the harness of
the Slack tests (tests/test_slack*.py) and of bench/bench_slack.py."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy import text

from tests.slack_mock import DEFAULT_BOT_TOKEN, MockSlack

SECRET = "test-signing-secret"
TODAY = date(2026, 11, 19)
STRANGER = "U0NOBODY99"  # in the Slack workspace, not in the CRM
SLACK_ENV = ("SLACK_APP_TOKEN", "OPENAI_BASE_URL", "OPENAI_MODEL")  # unset: HTTP mode, rules router


def sign(body: bytes, ts: int | None = None, secret: str = SECRET) -> dict:
    ts = int(time.time()) if ts is None else ts
    base = f"v0:{ts}:".encode() + body
    sig = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": sig}


def crm_users(db_url: str) -> list:
    """The CRM users of the demo database who have a Slack id (reps, managers, admins)."""
    from db.engine import get_engine

    engine = get_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, name, email, role, slack_user_id FROM users WHERE active AND slack_user_id IS NOT NULL"
            )
        ).all()
    engine.dispose()
    return rows


def slack_people(rows) -> dict[str, dict]:
    people = {r.slack_user_id: {"email": r.email, "real_name": r.name} for r in rows}
    people[STRANGER] = {"email": "nobody@elsewhere.example", "real_name": "Nora Nobody"}
    return people


def slack_environment(slack: MockSlack, data_dir: str) -> dict[str, str]:
    """The settings the bot reads from the environment: the mock Slack, its secret, a data folder."""
    env = {k: v for k, v in os.environ.items() if k not in SLACK_ENV}
    env.update(
        SLACK_BOT_TOKEN=slack.bot_token,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack.api_url,
        CRMBOT_DATA_DIR=data_dir,
    )
    return env


def serve(app, db_url: str) -> tuple[str, Callable[[], None]]:
    """Serve ``app`` on a free port, on the web app `crmbot serve --http` runs (uvicorn): (the events
    URL, stop). The one place that knows the HTTP server."""
    from tests.web_server import start_web_app

    server = start_web_app(app, db_url, TODAY)
    return f"{server.url}/slack/events", server.stop


@dataclass
class Bot:
    """The app under test and the mock Slack it talks to."""

    slack: MockSlack
    url: str
    db_url: str
    users: dict  # role -> CRM user row (id, name, email, role, slack_user_id)
    app: object

    def post(self, body: bytes, content_type: str, headers: dict | None = None) -> int:
        """A raw request to the app (signed with the test secret unless ``headers`` are given)."""
        req = urllib.request.Request(self.url, data=body, method="POST")
        req.add_header("Content-Type", content_type)
        for k, v in (headers if headers is not None else sign(body)).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def engine(self):
        from db.engine import shared_engine

        return shared_engine(self.db_url)

    def scalar(self, sql: str, **params):
        with self.engine().connect() as conn:
            return conn.execute(text(sql), params).scalar()


@contextmanager
def running_bot(
    db_url: str, data_dir: str, monkeypatch, *, bot_token: str = DEFAULT_BOT_TOKEN
) -> Iterator[Bot]:
    """The bolt app over HTTP in this process, connected to a fresh strict mock Slack."""
    from bot.slack.app import create_app
    from bot.slack.deps import SlackDeps
    from crmbot.settings import get_settings

    rows = crm_users(db_url)
    with MockSlack(users=slack_people(rows), bot_token=bot_token) as slack:
        for name in SLACK_ENV:
            monkeypatch.delenv(name, raising=False)
        for name, value in slack_environment(slack, data_dir).items():
            if name.startswith(("SLACK_", "CRMBOT_")):
                monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        app = create_app(SlackDeps(settings=get_settings(), db_url=db_url, today=lambda: TODAY))
        url, stop = serve(app, db_url)
        slack.connect_app(url, SECRET)
        try:
            yield Bot(slack, url, db_url, {r.role: r for r in rows}, app)
            # what Slack accepts but shows wrongly (unescaped mrkdwn, reused block ids, hidden notes)
            assert slack.problems == [], slack.problems
        finally:
            stop()
            inbox = getattr(app, "inbox", None)
            if inbox is not None:
                inbox.close(wait=True)  # answers still running finish while the mock Slack is up
            get_settings.cache_clear()


def wait_saved(db_url: str, key: str, timeout: float = 10.0) -> None:
    """Thread state is written just after the answer is posted; a person never replies faster, a test does."""
    from db.engine import get_engine

    engine = get_engine(db_url)
    deadline = time.monotonic() + timeout
    with engine.connect() as conn:
        while time.monotonic() < deadline:
            query = text("SELECT 1 FROM crmbot_thread_state WHERE thread_key = :k")
            if conn.execute(query, {"k": key}).first():
                return
            conn.rollback()
            time.sleep(0.05)
    raise AssertionError(f"thread state {key} was never saved")


def wait_answer_saved(bot: Bot, post) -> None:
    """Until the SQL behind a report answer's buttons is saved (just after the answer is posted)."""
    blocks = post.args.get("blocks") or []
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    actions = next(b for b in blocks if b["type"] == "actions")
    wait_saved(bot.db_url, f"answer:{actions['elements'][0]['value']}")
