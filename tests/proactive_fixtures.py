"""Fixtures and helpers for the proactive bot's tests: refreshed demo databases, real workers, changes.

A test module imports the fixtures it uses by name (pytest finds them in the module's namespace).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.slack_mock import MockSlack
from tests.slack_workspace import BOT_USER_ID, Channel, default_channels

TODAY = date(2026, 11, 19)
ROOT = Path(__file__).resolve().parent.parent


def _copy_sqlite(source: Path, target: Path) -> str:
    shutil.copy(source, target)
    for suffix in ("-wal", "-shm"):
        src = Path(f"{source}{suffix}")
        if src.exists():
            shutil.copy(src, Path(f"{target}{suffix}"))
    return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def refreshed_db_path(demo_db_path, demo_today, tmp_path_factory) -> Path:
    """The session's demo after one full `insights refresh` (read it; copy it to write)."""
    from db.engine import get_engine
    from tools.insights.config import InsightConfig
    from tools.insights.job import refresh

    folder = tmp_path_factory.mktemp("refreshed")
    url = _copy_sqlite(demo_db_path, folder / "refreshed.db")
    engine = get_engine(url)
    refresh(engine, demo_today, config=InsightConfig(), models_dir=folder / "models")
    engine.dispose()
    return folder / "refreshed.db"


@pytest.fixture(scope="session")
def scored_db_path(refreshed_db_path, tmp_path_factory) -> Path:
    """The refreshed demo with its open leads scored (read it; the lead model is trained once, here)."""
    from db.engine import get_engine
    from tools.leads.scoring import score_open_leads

    path = tmp_path_factory.mktemp("scored") / "scored.db"
    shutil.copy(refreshed_db_path, path)
    engine = get_engine(f"sqlite:///{path}")
    score_open_leads(engine, TODAY, now=datetime(TODAY.year, TODAY.month, TODAY.day, 12))
    engine.dispose()
    return path


@pytest.fixture
def refreshed_db(refreshed_db_path, tmp_path) -> str:
    """A private, writable copy of the refreshed demo; returns its URL."""
    return _copy_sqlite(refreshed_db_path, tmp_path / "proactive.db")


@pytest.fixture
def refreshed_pg(pg_url, demo_today, tmp_path) -> str:
    """A demo in this test's own PostgreSQL schema, refreshed once; returns its URL."""
    from db.demo import generate
    from db.engine import get_engine
    from tools.insights.config import InsightConfig
    from tools.insights.job import refresh

    engine = get_engine(pg_url)
    generate(engine, seed=7, today=demo_today, companies=150)
    refresh(engine, demo_today, config=InsightConfig(), models_dir=tmp_path / "models")
    engine.dispose()
    return pg_url


ALERT_CHANNEL = "C0ALERTS"
REPORTS_CHANNEL = "C0REPORTS"


def proactive_slack(
    users: dict[str, dict] | None = None,
    *,
    bot_in: tuple[str, ...] = (ALERT_CHANNEL, REPORTS_CHANNEL),
    bot_not_in: tuple[str, ...] = (),
) -> MockSlack:
    """The strict mock Slack of the proactive tests: ``users``, Slack's default channels (#sales with
    the bot ...), and public channels the bot was invited to (``bot_in``: where alerts and scheduled
    answers go) or not (``bot_not_in``). Everyone is in every channel."""
    users = users or {}
    people = set(users)
    extra = [Channel(cid, cid.lower(), "public", people | {BOT_USER_ID}) for cid in bot_in]
    extra += [Channel(cid, cid.lower(), "public", set(people)) for cid in bot_not_in]
    return MockSlack(users=users, channels=default_channels(list(users)) + extra)


def slack_users(engine) -> dict[str, dict]:
    """The mock's users: every CRM user with a Slack id, with their email, name and time zone."""
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT name, email, slack_user_id FROM users WHERE slack_user_id IS NOT NULL")
        ).all()
    return {r.slack_user_id: {"email": r.email, "real_name": r.name, "tz": "Europe/Paris"} for r in rows}


def green_customer(engine) -> tuple[int, str, str]:
    """(id, name, owner's Slack id) of a green, low-risk customer whose owner is in Slack."""
    with engine.connect() as conn:
        return tuple(
            conn.execute(
                text(
                    "SELECT c.id, c.name, u.slack_user_id FROM companies c "
                    "JOIN crmbot_insight_details d ON d.company_id = c.id "
                    "JOIN customer_insights i ON i.company_id = c.id "
                    "JOIN users u ON u.id = c.owner_id "
                    "WHERE d.band = 'green' AND i.churn_risk = 'low' AND i.health_score >= 80 "
                    "AND u.slack_user_id IS NOT NULL AND u.active "
                    "ORDER BY c.id LIMIT 1"
                )
            ).one()
        )


def make_it_unhealthy(engine, company_id: int, today: date = TODAY) -> None:
    """Six urgent tickets opened in the last two weeks and two invoices 70 days overdue, in one transaction."""
    opened = datetime.combine(today, datetime.min.time()) - timedelta(days=12)
    with engine.begin() as conn:
        for k in range(6):
            conn.execute(
                text(
                    "INSERT INTO support_tickets (company_id, subject, priority, status, created_at) "
                    "VALUES (:c, :s, 'urgent', 'open', :t)"
                ),
                {"c": company_id, "s": f"Production down #{k + 1}", "t": opened + timedelta(hours=k)},
            )
        for k in range(2):
            issued = today - timedelta(days=100 + k)
            conn.execute(
                text(
                    "INSERT INTO invoices (number, company_id, status, issue_date, due_date, payment_terms, "
                    "currency, subtotal, tax, total, created_at) "
                    "VALUES (:n, :c, 'sent', :i, :d, 'net_30', 'USD', 8000, 0, 8000, :i)"
                ),
                {
                    "n": f"TEST-{company_id}-{k}",
                    "c": company_id,
                    "i": issued,
                    "d": issued + timedelta(days=30),
                },
            )


class WorkerProcess:
    """`crmbot worker` as a real process (its output in a file, for the test's failure message)."""

    def __init__(self, db_url: str, env: dict, log: Path, *args: str):
        self.log = log
        self._out = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "worker", "--db", db_url, "--today", TODAY.isoformat(), *args],
            cwd=ROOT,
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )

    def stop(self, timeout: float = 20.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self._out.close()
        return code

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def worker_env(slack: MockSlack, data_dir: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CRMBOT_", "OPENAI_"))}
    env.update(
        {
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_API_URL": slack.api_url,
            "CRMBOT_ALERT_CHANNEL": ALERT_CHANNEL,
            "CRMBOT_DATA_DIR": str(data_dir),
            "CRMBOT_LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def wait_until(predicate, timeout: float, interval: float = 0.1):
    """Poll ``predicate`` until it returns something truthy (returned) or ``timeout`` seconds pass (None)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None
