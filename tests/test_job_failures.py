"""A job that fails on a full disk, a read-only database or a database lost mid-run says so in one
line (a JSON error object under --json), with no traceback.

The disk conditions are real: a tiny tmpfs and a read-only bind mount, made in a private mount
namespace (`unshare`) so that the test needs no root on the machine; where user namespaces are
not allowed, those tests skip with the reason. A lost database is a SQLite file deleted while
the job runs, and a PostgreSQL connection the server terminates.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from db.engine import get_engine
from db.errors import describe
from tests.pg import fresh_schema

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-19"
CRMBOT = [sys.executable, "-c", "from bot.cli import main; main()"]


def _namespaces_work() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    return probe.returncode == 0


needs_namespaces = pytest.mark.skipif(
    not _namespaces_work(),
    reason="needs `unshare -rm` (user and mount namespaces) for a real full or read-only disk",
)


def run_in_namespace(setup: str, args: list[str]) -> subprocess.CompletedProcess:
    """``setup`` (shell, mounts), then crmbot with ``args``, in a private mount namespace."""
    command = setup + "\nexec " + " ".join(shlex.quote(a) for a in [*CRMBOT, *args])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        ["unshare", "-rm", "sh", "-ec", command],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=180,
    )


def assert_one_clear_line(done: subprocess.CompletedProcess, job: str, words: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stdout[-500:], done.stderr[-3000:])
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr[-3000:]
    assert lines[0].startswith(f"Error: {job} failed: ") and words in lines[0], lines[0]


def assert_json_error(done: subprocess.CompletedProcess, job: str, kind: str) -> None:
    assert done.returncode == 2, (done.stdout[-500:], done.stderr[-3000:])
    assert "Traceback" not in done.stderr and done.stderr.strip() == "", done.stderr[-3000:]
    data = json.loads(done.stdout)
    assert data["kind"] == kind and data["job"] == job and data["error"].startswith(f"{job} failed: "), data


# --------------------------------------------------------------------------- a full disk


@needs_namespaces
@pytest.mark.parametrize(("room_kb", "as_json"), [(16, False), (16, True), (96, False), (96, True)])
def test_a_full_disk_is_one_line_not_cannot_reach(demo_db_path, tmp_path, room_kb, as_json):
    """With 16 KB to spare SQLite cannot even map its shared-memory file (it says "disk I/O error");
    with 96 KB the job's writes fill the disk ("database or disk is full"). Both are a full disk."""
    disk = tmp_path / "disk"
    disk.mkdir()
    room_kb += demo_db_path.stat().st_size // 1024  # the database fits; what the job writes does not
    setup = (
        f"mount -t tmpfs -o size={room_kb}k tmpfs {disk}\n"
        f"cp {demo_db_path} {disk}/crm.db\n"
        f"export CRMBOT_DATA_DIR={disk}/data"
    )
    args = ["insights", "refresh", "--db", f"sqlite:///{disk}/crm.db", "--today", TODAY]
    done = run_in_namespace(setup, [*args, "--json"] if as_json else args)
    if as_json:
        assert_json_error(done, "insights refresh", "disk_full")
    else:
        assert_one_clear_line(done, "insights refresh", "the disk is full")
        assert "Cannot reach" not in done.stderr


# --------------------------------------------------------------------------- a read-only database


@needs_namespaces
@pytest.mark.parametrize("job", ["insights refresh", "leads score"])
@pytest.mark.parametrize("as_json", [False, True])
def test_a_read_only_database_is_one_line(demo_db_path, tmp_path, job, as_json):
    folder = tmp_path / "ro"
    folder.mkdir()
    shutil.copy(demo_db_path, folder / "crm.db")
    setup = f"mount --bind {folder} {folder}\nmount -o remount,bind,ro {folder}\nexport CRMBOT_DATA_DIR={tmp_path}/data"
    args = [*job.split(), "--db", f"sqlite:///{folder}/crm.db", "--today", TODAY]
    done = run_in_namespace(setup, [*args, "--json"] if as_json else args)
    if as_json:
        assert_json_error(done, job, "read_only")
    else:
        assert_one_clear_line(done, job, "is read-only")


# --------------------------------------------------------------------------- a database lost mid-run


def start_job(args: list[str], data_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CRMBOT_DATA_DIR": str(data_dir)}
    return subprocess.Popen(
        [*CRMBOT, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def wait_until(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited too long for {what}"
        time.sleep(0.02)


def has_open(pid: int, path: Path) -> bool:
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(path) for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="watches the job's open files in /proc")
@pytest.mark.parametrize("as_json", [False, True])
def test_a_sqlite_file_deleted_mid_run_is_one_line(demo_db_copy, tmp_path, as_json):
    path = Path(demo_db_copy.removeprefix("sqlite:///"))
    args = ["insights", "refresh", "--db", demo_db_copy, "--today", TODAY] + (["--json"] if as_json else [])
    job = start_job(args, tmp_path / "data")
    wait_until(lambda: has_open(job.pid, path) or job.poll() is not None, "the job to open the database")
    time.sleep(0.5)  # it is reading and computing now
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    stdout, stderr = job.communicate(timeout=120)
    done = subprocess.CompletedProcess(job.args, job.returncode, stdout, stderr)
    if as_json:
        assert_json_error(done, "insights refresh", "database_lost")
    else:
        assert_one_clear_line(done, "insights refresh", "was moved or deleted while it ran")


@pytest.fixture
def pg_demo(tmp_path):
    from db.demo import generate

    with fresh_schema("t_lost", named=True) as (url, schema, admin):
        engine = get_engine(url)
        generate(engine, seed=7, today=date(2026, 11, 19), companies=300)
        engine.dispose()
        yield url, schema, admin


@pytest.mark.parametrize("as_json", [False, True])
def test_a_postgres_connection_lost_mid_run_is_one_line(pg_demo, tmp_path, as_json):
    url, app, admin = pg_demo
    args = ["insights", "refresh", "--db", url, "--today", TODAY] + (["--json"] if as_json else [])
    job = start_job(args, tmp_path / "data")
    active = text("SELECT pid FROM pg_stat_activity WHERE application_name = :app")

    def job_connected() -> bool:
        with admin.connect() as conn:
            return bool(conn.execute(active, {"app": app}).all()) or job.poll() is not None

    wait_until(job_connected, "the job to connect")
    time.sleep(0.5)
    with admin.connect() as conn:
        conn.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :app"),
            {"app": app},
        )
    stdout, stderr = job.communicate(timeout=120)
    done = subprocess.CompletedProcess(job.args, job.returncode, stdout, stderr)
    if as_json:
        assert_json_error(done, "insights refresh", "database_lost")
    else:
        assert_one_clear_line(done, "insights refresh", "ended the connection")


# --------------------------------------------------------------------------- the words


def test_postgres_disk_full_and_read_only_errors_are_named():
    import psycopg

    assert describe(psycopg.errors.DiskFull("could not extend file")).kind == "disk_full"
    assert describe(psycopg.errors.ReadOnlySqlTransaction("cannot execute UPDATE")).kind == "read_only"
    assert describe(psycopg.errors.AdminShutdown("terminating connection")).kind == "database_lost"
    assert describe(OSError(28, "No space left on device", "/data/models/x.joblib")).text == (
        "the disk is full (/data/models/x.joblib)"
    )
