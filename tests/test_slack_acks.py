"""Acks first, and nothing acknowledged is lost: a burst of slow work never delays an ack, a locked
database never delays a modal's ack, and what a killed worker had acked is answered once when a
worker comes back."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, text

from tests.slack_app import SECRET, crm_users, running_bot, slack_environment, slack_people
from tests.slack_mock import MockSlack

ACK_LIMIT_S = 3.0


@pytest.fixture
def bot(demo_db_copy, monkeypatch, tmp_path):
    with running_bot(demo_db_copy, str(tmp_path / "data"), monkeypatch) as bot:
        yield bot


def test_a_burst_of_slow_commands_never_delays_an_ack(bot):
    """20 commands whose answers each take 4 s (Slack is slow to take them), then /crm help: every
    ack comes back at once, and every command is answered."""
    rep = bot.users["rep"].slack_user_id
    bot.slack.delay["chat.postMessage"] = 4.0
    with ThreadPoolExecutor(max_workers=20) as pool:
        burst = [
            pool.submit(bot.slack.command, rep, "C0SALES", f"deals won in {2006 + n}") for n in range(20)
        ]
        time.sleep(0.5)  # the burst is being answered: every answer thread is busy
        last = bot.slack.command(rep, "C0SALES", "help")
        acks = [f.result() for f in burst] + [last]
    assert {a.status for a in acks} == {200}
    slowest = max(a.seconds for a in acks)
    assert slowest < ACK_LIMIT_S, f"an ack took {slowest:.2f} s"
    bot.slack.delay.clear()
    bot.slack.wait_for("chat.postMessage", count=21, timeout=60, ok=True)


def test_own_sql_has_threads_of_its_own():
    from bot.slack.app import lane_of

    assert lane_of("command:/crm", {"text": "sql SELECT 1"}) == "sql"
    assert lane_of("event:app_mention", {"event": {"text": "<@UBOT> SQL select 1"}}) == "sql"
    assert lane_of("command:/crm", {"text": "help"}) == "answers"
    assert lane_of("action:invoice_approve", {}) == "clicks"
    assert lane_of("action:invoice_edit", {}) == "modals"


def _open_edit_modal(bot, user: str):
    from crmbot.settings import get_settings
    from tests.test_slack import pending_invoice, show_invoice

    inv_id, number = pending_invoice(bot.db_url, user.id, get_settings().invoice_admin_only_above)
    message = show_invoice(bot, user.slack_user_id, number)
    bot.slack.click(user.slack_user_id, "C0FIN", message.ts, "invoice_edit")
    bot.slack.wait_for("views.update", ok=True)
    (modal,) = bot.slack.open_views(user.slack_user_id)
    return inv_id, message, modal


def test_a_modal_submission_is_acked_while_the_database_is_locked(bot):
    """Another writer holds the database for 5 s: the submission is acked at once (the modal
    closes), and the edit goes through when the lock is gone."""
    rep = bot.users["rep"]
    inv_id, message, modal = _open_edit_modal(bot, rep)
    path = bot.db_url.removeprefix("sqlite:///")
    locker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    locker.execute("BEGIN IMMEDIATE")  # the write lock, as a long transaction elsewhere holds it
    released = threading.Timer(5.0, lambda: locker.execute("COMMIT"))
    released.start()
    try:
        submitted = bot.slack.submit_view(rep.slack_user_id, modal.id, {"payment_terms": "net_60"})
    finally:
        released.join()
        locker.close()
    assert submitted.status == 200 and submitted.seconds < ACK_LIMIT_S, submitted
    bot.slack.wait_for("chat.update", ok=True, timeout=30)
    assert bot.scalar("SELECT payment_terms FROM invoices WHERE id=:i", i=inv_id) == "net_60"


# --------------------------------------------------------------------------- the durable inbox


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(done.stdout)


def test_work_left_by_a_dead_worker_is_taken_by_exactly_one_worker(demo_db_copy):
    """Two workers look at the same abandoned rows at once: each row is answered once."""
    from bot.slack.inbox import Inbox
    from db.engine import get_engine
    from db.models import SlackInbox

    engine = get_engine(demo_db_copy)
    dead = f"{socket.gethostname()}:{_dead_pid()}:gone"
    later = datetime.now() + timedelta(minutes=5)  # the lease has not run out: only the dead pid frees it
    with engine.begin() as conn:
        conn.execute(
            insert(SlackInbox),
            [
                {
                    "kind": "test",
                    "body": {"n": n},
                    "received_at": datetime.now(),
                    "owner": dead,
                    "lease_until": later,
                    "attempts": 1,
                }
                for n in range(30)
            ],
        )
    answered: list[int] = []
    lock = threading.Lock()

    def work(kind: str, body: dict) -> None:
        with lock:
            answered.append(body["n"])

    workers = [
        Inbox(engine, work, lanes={"answers": 4}, lane_of=lambda kind, body: "answers") for _ in range(2)
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:
        taken = list(pool.map(lambda w: w.recover(), workers))
    for worker in workers:
        worker.close(wait=True)
    assert sum(taken) == 30 and sorted(answered) == list(range(30))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM crmbot_slack_inbox")).scalar() == 0
    engine.dispose()


def test_a_row_that_keeps_failing_is_given_up(demo_db_copy):
    from bot.slack.inbox import MAX_ATTEMPTS, Inbox
    from db.engine import get_engine
    from db.models import SlackInbox

    engine = get_engine(demo_db_copy)
    with engine.begin() as conn:
        conn.execute(
            insert(SlackInbox).values(
                kind="test",
                body={},
                received_at=datetime.now(),
                owner=None,
                lease_until=None,
                attempts=MAX_ATTEMPTS,
            )
        )
    ran = []
    worker = Inbox(
        engine, lambda k, b: ran.append(b), lanes={"answers": 1}, lane_of=lambda kind, body: "answers"
    )
    assert worker.recover() == 0
    worker.close(wait=True)
    assert ran == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM crmbot_slack_inbox")).scalar() == 0
    engine.dispose()


def test_a_request_acked_under_a_lock_is_still_answered_once(demo_db_copy):
    """The database is locked past the accept budget: the mention is acked without a durable
    record. Its retry, arriving once the lock is gone, and the first copy must not both be answered,
    whichever of them reaches its keys first."""
    from bot.slack.inbox import Inbox
    from db.engine import get_engine

    engine = get_engine(demo_db_copy)
    path = demo_db_copy.removeprefix("sqlite:///")
    answered: list[str] = []

    def work(kind: str, body: dict) -> None:
        answered.append(body["event"]["ts"])

    inbox = Inbox(engine, work, lanes={"answers": 1}, lane_of=lambda kind, body: "answers")
    for retry_first in (True, False):
        ts = f"1700009000.00000{int(retry_first)}"
        body = {"event_id": f"EvLock{ts}", "event": {"type": "app_mention", "channel": "C1", "ts": ts}}
        keys = ["event:" + body["event_id"], f"msg:C1:{ts}"]
        locker = sqlite3.connect(path, isolation_level=None)
        locker.execute("BEGIN IMMEDIATE")
        try:
            under_lock = inbox.accept("event:app_mention", body, keys)
        finally:
            locker.execute("COMMIT")
            locker.close()
        assert under_lock is not None and under_lock.id is None and under_lock.late_keys == keys
        if retry_first:
            retry = inbox.accept("event:app_mention", body, keys)
            assert retry is not None and retry.id is not None
            inbox._run(retry)
            inbox._run(under_lock)
        else:
            inbox._run(under_lock)
            assert inbox.accept("event:app_mention", body, keys) is None
    inbox.close(wait=True)
    assert answered == ["1700009000.000001", "1700009000.000000"]
    engine.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_worker(db_url: str, port: int, env: dict) -> subprocess.Popen:
    root = Path(__file__).resolve().parents[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.slack_app_process", db_url, str(port)],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    assert process.stdout.readline().strip() == "ready"
    return process


@contextmanager
def _a_worker_killed_while(demo_db_copy, tmp_path, held: str, questions: tuple[str, ...], before_kill=None):
    """A worker acks ``questions`` (mentions in a channel) while calls to ``held`` are stuck, and is killed; then a
    second worker starts. Yields the mock Slack and the asked messages' ts; the inbox is empty at the end."""
    rows = crm_users(demo_db_copy)
    rep = next(r for r in rows if r.role == "rep")
    port = _free_port()
    with MockSlack(users=slack_people(rows)) as slack:
        env = slack_environment(slack, str(tmp_path / "data"))
        slack.connect_app(f"http://127.0.0.1:{port}/slack/events", SECRET)
        first = _start_worker(demo_db_copy, port, env)
        try:
            slack.hold(held)
            asked = []
            for question in questions:
                ts, deliveries = slack.user_says(rep.slack_user_id, "C0SALES", f"@crmbot {question}")
                assert [d.status for d in deliveries] == [200]
                asked.append(ts)
            slack.wait_until(
                lambda: slack.held.get(held) == len(questions), what=f"{held} calls in flight", timeout=60
            )
            if before_kill is not None:
                before_kill(slack, asked)
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
            slack.drop_held(held)  # they never reached Slack
        finally:
            if first.poll() is None:
                os.killpg(first.pid, signal.SIGKILL)
        second = _start_worker(demo_db_copy, port, env)
        try:
            yield slack, asked
        finally:
            os.killpg(second.pid, signal.SIGTERM)
            second.wait(timeout=10)
    from db.engine import get_engine

    engine = get_engine(demo_db_copy)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM crmbot_slack_inbox")).scalar() == 0
    engine.dispose()


def _threads_answered(slack) -> list[str]:
    return sorted(p.args["thread_ts"] for p in slack.calls_to("chat.postMessage"))


def test_a_killed_worker_leaves_nothing_unanswered(demo_db_copy, tmp_path):
    """A worker acks two mentions and is killed before answering them (the answers stuck on their way to Slack);
    their retries would be de-duplicated, so only the inbox can save them: the next worker answers each once."""
    questions = ("how many open tickets do we have", "open pipeline by stage")
    with _a_worker_killed_while(demo_db_copy, tmp_path, "chat.postMessage", questions) as (slack, asked):
        for event_id, event in list(slack.delivered):  # even a retry now is a duplicate: one answer
            assert slack.deliver_event(event, event_id, retry=1).status == 200
        slack.wait_for("chat.postMessage", count=2, ok=True, timeout=30)
        time.sleep(1.5)  # a duplicate, if any, would be posted by now
        assert _threads_answered(slack) == sorted(asked)


def test_a_worker_killed_after_posting_its_answer_never_posts_it_again(demo_db_copy, tmp_path):
    """The answer is posted and the worker dies while its chart is on the way (uvicorn's supervisor
    kills a worker that misses its health check; a deploy does too): the next worker finds nothing
    left to answer, so nobody sees the answer twice. What is lost is the chart."""

    def posted(slack, asked):
        assert _threads_answered(slack) == sorted(asked)

    questions = ("open pipeline by stage", "bookings by rep this year")
    with _a_worker_killed_while(
        demo_db_copy, tmp_path, "files.getUploadURLExternal", questions, before_kill=posted
    ) as (slack, asked):
        time.sleep(2.0)  # the new worker looks for abandoned rows as it starts
        assert _threads_answered(slack) == sorted(asked)


@pytest.mark.postgres
def test_the_inbox_on_postgres(pg_url):
    """Accept with its bounded wait, de-duplicate, and take over a dead worker's rows, on PostgreSQL."""
    from bot.slack.dedupe import request_keys
    from bot.slack.inbox import Inbox
    from db.engine import get_engine
    from db.migrate import upgrade
    from db.models import SlackInbox

    engine = get_engine(pg_url)
    upgrade(engine)
    answered = []
    worker = Inbox(
        engine,
        lambda kind, body: answered.append(body["n"]),
        lanes={"answers": 2},
        lane_of=lambda k, b: "answers",
    )
    body = {"trigger_id": "t.1", "n": 1}
    item = worker.accept("command:/crm", body, request_keys(body))
    assert item is not None and item.id is not None
    assert worker.accept("command:/crm", body, request_keys(body)) is None  # a replay
    worker.submit(item)
    dead = f"{socket.gethostname()}:{_dead_pid()}:gone"
    with engine.begin() as conn:
        conn.execute(
            insert(SlackInbox).values(
                kind="command:/crm",
                body={"n": 2},
                received_at=datetime.now(),
                owner=dead,
                lease_until=datetime.now() + timedelta(minutes=5),
                attempts=1,
            )
        )
    assert worker.recover() == 1
    worker.close(wait=True)
    assert sorted(answered) == [1, 2]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM crmbot_slack_inbox")).scalar() == 0
    engine.dispose()
