"""Jobs are all or nothing: `leads score` and `insights refresh` killed at any point leave all-old
or all-new results, and a reader never sees a mix while they run.

The real CLI runs as a subprocess; the test watches the database from outside (a separate
connection, in a tight loop) and kills the job with SIGKILL: at the first sign of new results
(so old code that commits batch by batch is caught with half its results), or while it holds
its write transaction open.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text, update

from db.engine import get_engine
from db.models import Lead
from tests.pg import fresh_schema

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 19)
OLD = datetime(2020, 1, 1)
EXTRA_LEADS = 45_000  # three of the job's write batches
OPEN = ("new", "working", "qualified")


def crmbot(*args: str, data_dir: Path, env_extra: dict | None = None, prelude: str = "") -> subprocess.Popen:
    """The real CLI in a process of its own; `prelude` is Python run before it (a test's pause)."""
    env = {**os.environ, "CRMBOT_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT), **(env_extra or {})}
    return subprocess.Popen(
        [sys.executable, "-c", f"{prelude}\nfrom bot.cli import main; main()", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# --------------------------------------------------------------------------- databases


def _with_many_open_leads(url: str, data_dir: Path) -> None:
    """Add EXTRA_LEADS open leads, train the lead model, and stamp every open lead's score as old."""
    from tools.leads.model import train

    engine = get_engine(url)
    with engine.begin() as conn:
        template = conn.execute(select(Lead).where(Lead.status == "new").limit(1)).mappings().one()
        first_id = conn.execute(text("SELECT MAX(id) FROM leads")).scalar() + 1
        rows = [
            {**template, "id": first_id + i, "email": f"extra{i}@example.com", "status": OPEN[i % 3]}
            for i in range(EXTRA_LEADS)
        ]
        conn.execute(insert(Lead), rows)
    train(engine, TODAY, model_dir=data_dir / "models")
    with engine.begin() as conn:
        conn.execute(update(Lead).where(Lead.status.in_(OPEN)).values(score=1, scored_at=OLD))
    engine.dispose()


@pytest.fixture
def sqlite_job_db(demo_db_copy, tmp_path):
    _with_many_open_leads(demo_db_copy, tmp_path / "data")
    return demo_db_copy


@pytest.fixture
def postgres_job_db(tmp_path):
    from db.demo import generate

    with fresh_schema("t_jobs", named=True) as (url, _, _):
        engine = get_engine(url)
        generate(engine, seed=7, today=TODAY, companies=120)
        engine.dispose()
        _with_many_open_leads(url, tmp_path / "data")
        yield url


class Watcher:
    """Reads the job's database from outside: one consistent snapshot per look."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = get_engine(url)
        self.lite = self.engine.dialect.name == "sqlite"
        self.app = url.rsplit("application_name=", 1)[-1] if "application_name=" in url else None
        if self.lite:
            self.path = self.engine.url.database
            self.probe = sqlite3.connect(self.path, timeout=0, isolation_level=None)

    def snapshot(self, sql: str) -> tuple:
        with self.engine.connect() as conn:
            if self.engine.dialect.name == "postgresql":
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            return tuple(conn.execute(text(sql)).one())

    def job_is_writing(self) -> bool:
        """The job holds its write transaction open (and has written in it)."""
        if self.lite:
            try:
                self.probe.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return True
            self.probe.execute("ROLLBACK")
            return False
        with self.engine.connect() as conn:
            return bool(
                conn.execute(
                    text(
                        "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = :app "
                        "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
                    ),
                    {"app": self.app},
                ).scalar()
            )

    def close(self) -> None:
        if self.lite:
            self.probe.close()
        self.engine.dispose()


def _wait_stopped(pid: int) -> None:
    """SIGSTOP lands asynchronously: wait until the kernel shows the process stopped."""
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] in ("T", "t"):
            return
        time.sleep(0.001)


def watch_and_kill(job: subprocess.Popen, watcher: Watcher, look: str, is_new, kill_when: str) -> list[tuple]:
    """Look at the database until the job ends or is killed; every snapshot seen, in order."""
    seen = []
    writing_since = None
    deadline = time.monotonic() + 120
    while job.poll() is None:
        assert time.monotonic() < deadline, "the job ran for more than two minutes"
        state = watcher.snapshot(look)
        seen.append(state)
        if kill_when == "first_visible" and is_new(state):
            job.send_signal(signal.SIGKILL)
            break
        if kill_when == "mid_write":
            if watcher.job_is_writing():
                writing_since = writing_since or time.monotonic()
                if time.monotonic() - writing_since > 0.05:
                    # frozen first, so the job cannot commit between the look and the kill
                    job.send_signal(signal.SIGSTOP)
                    _wait_stopped(job.pid)
                    if watcher.job_is_writing():
                        job.send_signal(signal.SIGKILL)
                        break
                    job.send_signal(signal.SIGCONT)  # it committed just now: watch on
            else:
                writing_since = None
    job.wait(timeout=30)
    if kill_when == "mid_write":
        assert job.returncode == -signal.SIGKILL, "the job ended before it was seen holding its write open"
    seen.append(watcher.snapshot(look))
    return seen


# --------------------------------------------------------------------------- leads score

LEADS_LOOK = (
    "SELECT COUNT(*) AS total, "
    "SUM(CASE WHEN scored_at > '2021-01-01' THEN 1 ELSE 0 END) AS new, "
    "(SELECT COUNT(*) FROM crmbot_job_runs WHERE job = 'lead_scoring') AS runs "
    "FROM leads WHERE status IN ('new', 'working', 'qualified')"
)


@pytest.mark.parametrize("kill_when", ["first_visible", "mid_write"])
@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_leads_score_killed_leaves_all_old_or_all_new_scores(request, tmp_path, backend, kill_when):
    url = request.getfixturevalue(f"{backend}_job_db")
    watcher = Watcher(url)
    total, new, runs = watcher.snapshot(LEADS_LOOK)
    assert total > EXTRA_LEADS and new == 0
    job = crmbot("leads", "score", "--db", url, "--today", TODAY.isoformat(), data_dir=tmp_path / "data")
    seen = watch_and_kill(job, watcher, LEADS_LOOK, lambda s: s[1] > 0, kill_when)
    for state in seen:
        assert state in ((total, 0, runs), (total, total, runs + 1)), f"a mix of old and new scores: {state}"
    if kill_when == "mid_write":
        assert seen[-1] == (total, 0, runs), "killed while writing, yet its scores were kept"
        # the database is fine afterwards: the next run scores everything
        again = crmbot(
            "leads", "score", "--db", url, "--today", TODAY.isoformat(), data_dir=tmp_path / "data"
        )
        assert again.wait(timeout=120) == 0, again.stderr.read()
        assert watcher.snapshot(LEADS_LOOK)[1] == total
    watcher.close()


# --------------------------------------------------------------------------- insights refresh

INSIGHTS_LOOK = (
    "SELECT (SELECT MAX(version) FROM crmbot_models WHERE kind = 'churn' AND active) AS model, "
    "(SELECT COUNT(DISTINCT computed_at) FROM customer_insights) AS stamps, "
    "(SELECT MAX(computed_at) FROM customer_insights) AS stamp, "
    "(SELECT COUNT(*) FROM crmbot_job_runs WHERE job = 'insights_refresh') AS runs"
)


@pytest.fixture
def refreshed_demo(demo_db_copy, tmp_path):
    """The demo with one refresh done (an active churn model, insights, a job record)."""
    from tools.insights.job import refresh

    engine = get_engine(demo_db_copy)
    refresh(engine, TODAY, models_dir=tmp_path / "data" / "models", now=datetime(2026, 11, 18, 6, 0))
    engine.dispose()
    return demo_db_copy


# The demo's insights are written in a few milliseconds, less than one look of the watcher: to kill
# the refresh inside its transaction every time, the child pauses after its last write (the run's
# record) and before the commit. Everything it wrote is in the open transaction when it dies.
PAUSE_BEFORE_COMMIT = (
    "import time, tools.insights.job as _job\n"
    "_record = _job._record_run\n"
    "def _record_then_pause(*a, **k):\n"
    "    _record(*a, **k)\n"
    "    time.sleep(5)\n"
    "_job._record_run = _record_then_pause"
)


@pytest.mark.parametrize("kill_when", ["first_visible", "mid_write"])
def test_insights_refresh_killed_leaves_all_old_or_all_new(refreshed_demo, tmp_path, kill_when):
    watcher = Watcher(refreshed_demo)
    old = watcher.snapshot(INSIGHTS_LOOK)
    assert old[0] and old[1] == 1 and old[3] == 1
    job = crmbot(
        "insights",
        "refresh",
        "--db",
        refreshed_demo,
        "--today",
        TODAY.isoformat(),
        data_dir=tmp_path / "data",
        prelude=PAUSE_BEFORE_COMMIT if kill_when == "mid_write" else "",
    )
    # "first visible": the new model, new insights or a new job record, whichever shows first
    seen = watch_and_kill(job, watcher, INSIGHTS_LOOK, lambda s: s != old, kill_when)
    for model, stamps, stamp, runs in seen:
        if (model, stamp, runs) == (old[0], old[2], old[3]):
            continue  # all old
        assert model != old[0] and stamp != old[2] and runs == old[3] + 1 and stamps == 1, (
            f"a mix of old and new: {(model, stamps, stamp, runs)} after {old}"
        )
    if kill_when == "mid_write":
        assert seen[-1] == old, "killed while writing, yet some of it was kept"
    watcher.close()
