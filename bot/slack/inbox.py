"""Nothing acknowledged is lost: a durable inbox between Slack's ack and the answer.

Slack wants an ack within 3 seconds and does not send an acknowledged request again. So before
acking, the request is written to ``crmbot_slack_inbox`` together with its de-duplication keys, in
one short transaction; then it is acked; then a worker thread answers it and deletes the row.

Each row is leased to the process that accepted it (``owner`` = host:pid:nonce, ``lease_until``),
and a live process renews its leases every few seconds. A process that dies (killed, OOM, a
deploy) leaves its rows behind: any worker picks them up when their lease has run out, and a
worker on the same host takes them at once when the owner's pid is gone, which is what a
restarted worker sees first. Taking a row is a compare-and-set on (owner, attempts), so exactly
one worker answers it; a row that failed ``MAX_ATTEMPTS`` times is dropped with an error in the log.
The work calls ``answered()`` as soon as the answer is posted: the row goes then, not after the
chart and the thread's state are written, so a worker killed while drawing a chart never has its
question answered a second time (what it loses is the chart).

The accept write is bounded (``ACCEPT_BUDGET_S``): when the database is locked for longer, the
request is acked and answered from memory with a warning, rather than letting Slack time out.
This module knows nothing of Slack's payloads; ``work(kind, body)`` does.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.slack.dedupe import insert_keys, remember_each
from db.models import SlackInbox

log = logging.getLogger(__name__)

LEASE_S = 60.0  # a live owner renews every SWEEP_EVERY_S; a dead one's rows are free after this
SWEEP_EVERY_S = 5.0
MAX_ATTEMPTS = 3
ACCEPT_BUDGET_S = 1.5  # the most the durable write may wait for a lock before the ack
SQLITE_BUSY_TIMEOUT_MS = 30000  # db/engine.py's setting, restored after the bounded write


@dataclass
class Item:
    id: int | None  # None: acked without a durable record (the database was locked too long)
    kind: str
    body: dict
    attempts: int = 1
    late_keys: list[str] = field(default_factory=list)  # de-duplication keys not yet recorded
    done: bool = False  # its row is gone (answered)


# the inbox and item a worker thread is answering, for ``answered()``
_answering: ContextVar[tuple[Inbox, Item] | None] = ContextVar("crmbot_inbox_answering", default=None)


def answered() -> None:
    """The request being worked on has its answer posted: drop its row now (see the module's doc).
    Outside an inbox worker (a test calling the work directly) it does nothing."""
    current = _answering.get()
    if current is not None:
        inbox, item = current
        inbox.finish(item)


class Inbox:
    """Accept (durably, before the ack), then answer on worker threads, exactly once."""

    def __init__(
        self,
        engine: Engine,
        work: Callable[[str, dict], None],
        *,
        lanes: dict[str, int],
        lane_of: Callable[[str, dict], str],
        lease_s: float = LEASE_S,
        sweep_every_s: float = SWEEP_EVERY_S,
    ) -> None:
        self.engine = engine
        self.work = work
        self.lane_of = lane_of
        self.lease_s = lease_s
        self.sweep_every_s = sweep_every_s
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.executors = {
            name: ThreadPoolExecutor(max_workers=threads, thread_name_prefix=f"crmbot-slack-{name}")
            for name, threads in lanes.items()
        }
        self._stopping = threading.Event()
        self._count_lock = threading.Lock()
        self._in_flight = 0  # submitted and not done: their leases are renewed
        self._sweeper: threading.Thread | None = None

    # ------------------------------------------------------------------ before the ack

    def accept(self, kind: str, body: dict, keys: list[str]) -> Item | None:
        """Record the request and its keys in one transaction; None when a key was seen (a retry,
        a replay, or the other copy of a message)."""
        now = datetime.now()
        try:
            with self._bounded(ACCEPT_BUDGET_S) as conn:
                if keys:
                    insert_keys(conn, keys, now)
                row = {
                    "kind": kind,
                    "body": body,
                    "received_at": now,
                    "owner": self.owner,
                    "lease_until": now + timedelta(seconds=self.lease_s),
                    "attempts": 1,
                }
                item_id = conn.execute(insert(SlackInbox).values(**row)).inserted_primary_key[0]
        except IntegrityError:
            remember_each(self.engine, keys, now)
            return None
        except OperationalError as exc:  # locked longer than the budget: ack anyway, answer from memory
            log.warning(
                "a Slack %s could not be recorded within %.1f s (%s); answering it without a durable record",
                kind,
                ACCEPT_BUDGET_S,
                type(exc.orig).__name__,
            )
            return Item(None, kind, body, late_keys=list(keys))
        return Item(item_id, kind, body)

    @contextmanager
    def _bounded(self, seconds: float):
        """A transaction whose waits for locks end after ``seconds`` (an OperationalError)."""
        with self.engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
                conn.commit()  # the pragma began no real transaction; let ours begin cleanly
            try:
                with conn.begin():
                    if conn.dialect.name == "postgresql":
                        ms = int(seconds * 1000)
                        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {ms}")
                        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {ms}")
                    yield conn
            finally:
                if sqlite:
                    conn.rollback()
                    conn.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
                    conn.commit()

    # ------------------------------------------------------------------ after the ack

    def submit(self, item: Item) -> None:
        with self._count_lock:
            self._in_flight += 1
        self.executors[self.lane_of(item.kind, item.body)].submit(self._run, item)

    def _run(self, item: Item) -> None:
        token = _answering.set((self, item))
        try:
            if item.late_keys and not self._first_late(item):
                return
            self.work(item.kind, item.body)
        except Exception:  # noqa: BLE001 - the log gets the trace; the row is done either way
            log.exception("could not answer a Slack %s (inbox item %s)", item.kind, item.id)
        finally:
            _answering.reset(token)
            self.finish(item)
            with self._count_lock:
                self._in_flight -= 1

    def finish(self, item: Item) -> None:
        """Drop ``item``'s row, once: it is answered (or failed for good)."""
        if item.done:
            return
        item.done = True
        if item.id is not None:
            self._done(item.id)

    def _first_late(self, item: Item) -> bool:
        """For a request acked without a durable record: record its keys now, with the usual lock
        wait, before answering. False when another delivery of it (a retry, the message copy) got
        there first; it is answered once, by whichever recorded its keys. When the database still
        can't be written, it is answered anyway: a rare duplicate is better than a lost question."""
        now = datetime.now()
        try:
            with self.engine.begin() as conn:
                insert_keys(conn, item.late_keys, now)
        except IntegrityError:
            remember_each(self.engine, item.late_keys, now)
            log.info("a Slack %s acked under a lock had already been answered", item.kind)
            return False
        except OperationalError as exc:
            log.warning(
                "could not record a Slack %s's keys (%s); answering it", item.kind, type(exc.orig).__name__
            )
        return True

    def _done(self, item_id: int) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    delete(SlackInbox).where(SlackInbox.id == item_id, SlackInbox.owner == self.owner)
                )
        except Exception:  # noqa: BLE001 - answered; at worst a lease runs out and it is answered again
            log.exception("could not mark inbox item %s done", item_id)

    # ------------------------------------------------------------------ leases and recovery

    def start(self) -> None:
        """Take over what dead workers left, then keep leases fresh and look again every few seconds."""
        if self._sweeper is None:
            self._sweeper = threading.Thread(
                target=self._sweep_forever, name="crmbot-slack-inbox", daemon=True
            )
            self._sweeper.start()

    def close(self, wait: bool = False) -> None:
        self._stopping.set()
        for executor in self.executors.values():
            executor.shutdown(wait=wait)

    def _sweep_forever(self) -> None:
        while not self._stopping.is_set():
            try:
                self.renew()
                self.recover()
            except Exception:  # noqa: BLE001 - a database hiccup; try again next round
                log.exception("the Slack inbox sweep failed")
            self._stopping.wait(self.sweep_every_s)

    def renew(self) -> None:
        if not self._in_flight:  # an idle worker writes nothing
            return
        with self.engine.begin() as conn:
            conn.execute(
                update(SlackInbox)
                .where(SlackInbox.owner == self.owner)
                .values(lease_until=datetime.now() + timedelta(seconds=self.lease_s))
            )

    def recover(self) -> int:
        """Claim and answer rows whose owner is gone; how many were taken."""
        now = datetime.now()
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(SlackInbox)
                .where(or_(SlackInbox.owner.is_(None), SlackInbox.owner != self.owner))
                .order_by(SlackInbox.id)
                .limit(200)
            ).all()
        taken = 0
        for row in rows:
            if not self._abandoned(row, now):
                continue
            with self.engine.begin() as conn:
                if not self._claim(conn, row, now):
                    continue  # another worker got it first
                if row.attempts >= MAX_ATTEMPTS:
                    conn.execute(delete(SlackInbox).where(SlackInbox.id == row.id))
                    log.error(
                        "gave up on a Slack %s after %d attempts (inbox item %s)",
                        row.kind,
                        row.attempts,
                        row.id,
                    )
                    continue
            log.warning("answering a Slack %s left by a stopped worker (inbox item %s)", row.kind, row.id)
            self.submit(Item(row.id, row.kind, row.body, row.attempts + 1))
            taken += 1
        return taken

    def _abandoned(self, row, now: datetime) -> bool:
        if row.owner is None or row.lease_until is None or row.lease_until < now:
            return True
        host, _, rest = row.owner.partition(":")
        pid = rest.partition(":")[0]
        return host == socket.gethostname() and pid.isdigit() and not _alive(int(pid))

    def _claim(self, conn: Connection, row, now: datetime) -> bool:
        same_owner = SlackInbox.owner.is_(None) if row.owner is None else SlackInbox.owner == row.owner
        claimed = conn.execute(
            update(SlackInbox)
            .where(SlackInbox.id == row.id, same_owner, SlackInbox.attempts == row.attempts)
            .values(
                owner=self.owner,
                lease_until=now + timedelta(seconds=self.lease_s),
                attempts=row.attempts + 1,
            )
        )
        return claimed.rowcount == 1


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    try:  # a zombie (killed, not yet reaped by its parent) is gone for our purpose
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True
