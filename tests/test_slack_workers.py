"""`crmbot serve --http --workers 2` (uvicorn with two worker processes) in a subprocess: a burst
of signed events with retried deliveries, answered exactly once across both workers; a worker
killed outright is replaced; a clean SIGTERM leaves no process behind."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.slack_mock import MockSlack
from tests.test_slack import SECRET, sign

WORKERS = 2
MENTIONS = 30
QUESTIONS = (
    "bookings by rep this year",
    "how many open tickets do we have",
    "open pipeline by stage",
    "which 10 customers owe us the most",
    "win rate by industry last year",
)
RETRY_HEADERS = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def crmbot_command() -> list[str]:
    script = Path(sys.executable).with_name("crmbot")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from bot.cli import main; main()"]


def post_event(url: str, event: dict, event_id: str, extra_headers: dict | None = None) -> int:
    body = json.dumps(
        {
            "token": "legacy",
            "team_id": "T0MOCK",
            "api_app_id": "A0MOCK",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": event,
        }
    ).encode()
    return post(url, body, {**sign(body), **(extra_headers or {})})


def post(url: str, body: bytes, headers: dict) -> int:
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", "application/json")
    for name, value in headers.items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def health_worker(base: str) -> str | None:
    """The pid of the worker that answered /api/health on a fresh connection, None while not up."""
    try:
        with urllib.request.urlopen(f"{base}/api/health", timeout=2) as response:
            return response.headers.get("X-Crmbot-Worker")
    except (urllib.error.URLError, OSError):
        return None


def wait_for_workers(base: str, server: subprocess.Popen, count: int, timeout_s: float = 20.0) -> set[str]:
    """Hit /api/health from several connections at once until ``count`` different workers answered."""
    seen: set[str] = set()
    deadline = time.monotonic() + timeout_s
    with ThreadPoolExecutor(max_workers=8) as pool:
        while time.monotonic() < deadline and len(seen) < count:
            assert server.poll() is None, server.stderr.read().decode(errors="replace")
            seen |= {pid for pid in pool.map(lambda _: health_worker(base), range(16)) if pid}
            if len(seen) < count:
                time.sleep(0.1)
    return seen


def process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/stat").exists() and Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"


def group_members(pgid: int) -> list[str]:
    """The command lines of the live (not zombie) processes in process group ``pgid``."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                members.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:120])
        except (OSError, ValueError, IndexError):
            continue
    return members


def group_empty(pgid: int, timeout_s: float = 5.0) -> bool:
    """True once no live process is left in the group (multiprocessing's helper exits just after)."""
    deadline = time.monotonic() + timeout_s
    while group_members(pgid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.fixture
def served(demo_db_copy, tmp_path):
    """`crmbot serve --http --workers 2` on a free port, talking to a local mock Slack."""
    from db.engine import get_engine

    engine = get_engine(demo_db_copy)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT email, name, slack_user_id FROM users WHERE active AND slack_user_id IS NOT NULL")
        ).all()
    engine.dispose()
    users = {r.slack_user_id: {"email": r.email, "real_name": r.name} for r in rows}
    port = free_port()
    with MockSlack(users=users) as slack:
        env = {
            **{k: v for k, v in os.environ.items() if k not in ("SLACK_APP_TOKEN", "OPENAI_BASE_URL")},
            "SLACK_BOT_TOKEN": "xoxb-test-token",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.api_url,
            "CRMBOT_DATA_DIR": str(tmp_path / "data"),
        }
        command = [*crmbot_command(), "serve", "--http", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--workers", str(WORKERS), "--db", demo_db_copy, "--today", "2026-11-19"]
        server = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
        try:
            yield server, f"http://127.0.0.1:{port}", slack, next(iter(users)), demo_db_copy
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def test_workers_answer_a_burst_once_each_and_stop_on_sigterm(served):
    server, base, slack, user, db_url = served
    pids = wait_for_workers(base, server, WORKERS)
    assert len(pids) == WORKERS, f"only workers {pids} answered /api/health"

    url = f"{base}/slack/events"
    mentions = [
        (
            {
                "type": "app_mention",
                "user": user,
                "text": f"<@UBOT> {QUESTIONS[n % len(QUESTIONS)]}",
                "ts": f"1700005000.{n:06d}",
                "channel": "C0SALES",
            },
            f"EvWorkers{n:04d}",
        )
        for n in range(MENTIONS)
    ]
    retried = mentions[::3]
    # the same message as a plain channel message event: a different event id, the same (channel, ts)
    as_messages = [
        ({**event, "type": "message", "channel_type": "channel"}, event_id + "m")
        for event, event_id in mentions[1::5]
    ]
    with ThreadPoolExecutor(max_workers=12) as pool:
        firsts = list(pool.map(lambda m: post_event(url, *m), mentions))
        repeats = list(pool.map(lambda m: post_event(url, *m, RETRY_HEADERS), retried))
        repeats += list(pool.map(lambda m: post_event(url, *m), as_messages))
    assert set(firsts) == {200} and set(repeats) == {200}, (firsts, repeats)

    body = json.dumps({"type": "event_callback", "event_id": "EvBAD", "event": mentions[0][0]}).encode()
    assert post(url, body, sign(body, secret="wrong-secret")) == 401

    slack.wait_for("chat.postMessage", count=MENTIONS, timeout=25)
    time.sleep(1.0)  # a duplicate answer, if any, would be posted by now
    threads = [call.args.get("thread_ts") for call in slack.calls_to("chat.postMessage")]
    assert sorted(threads) == sorted(event["ts"] for event, _ in mentions)

    # a worker killed outright is replaced by uvicorn's supervisor, and the port keeps answering
    victim = int(sorted(pids)[0])
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 30
    replacement: set[str] = set()
    while not replacement and time.monotonic() < deadline:
        replacement = wait_for_workers(base, server, WORKERS, timeout_s=2) - pids
    assert replacement, "no new worker replaced the killed one"
    pids |= replacement
    late = ({**mentions[0][0], "ts": "1700005999.000001"}, "EvWorkersLate")
    assert post_event(url, *late) == 200
    slack.wait_for("chat.postMessage", count=MENTIONS + 1, timeout=25)

    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=10) == 0
    assert all(process_gone(int(pid)) for pid in pids - {str(victim)}), "a worker outlived the server"
    assert group_empty(server.pid), f"left in the server's process group: {group_members(server.pid)}"

    from db.engine import get_engine

    engine = get_engine(db_url)
    with engine.connect() as conn:
        keys = conn.execute(text("SELECT key FROM crmbot_processed_events")).scalars().all()
    engine.dispose()
    assert {f"event:EvWorkers{n:04d}" for n in range(MENTIONS)} <= set(keys)
    assert not any("EvBAD" in key for key in keys)
