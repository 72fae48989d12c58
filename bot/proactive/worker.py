"""`crmbot worker`: drain changes into insights and alerts, deliver alerts, run schedules.

One loop, one step after another: (polling mode: look for new rows), claim changed companies
and re-score them, deliver queued alerts, answer due schedules. When a step finds nothing to
do the worker waits: on PostgreSQL for a NOTIFY from the capture triggers (so a change is
picked up at once), elsewhere for the poll interval. Every piece of work is claimed in the
database first (tools/proactive), so any number of workers may run against one database.

SIGTERM (or SIGINT) lets the step in progress finish, then the worker stops; whatever it had
not claimed stays in the database for the next start. A database or Slack outage is logged
and retried with a back-off; nothing is dropped.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from statistics import median

from sqlalchemy import Engine, insert, update
from sqlalchemy.exc import DBAPIError, OperationalError

log = logging.getLogger("crmbot.worker")

HEARTBEAT_S = 10.0
MAX_BACKOFF_S = 30.0
DRAIN_ROUNDS = 5  # batches of changed companies per step before alerts and schedules get a turn


def new_worker_id() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class WorkerOptions:
    poll_interval_s: float = 1.0
    batch_companies: int = 50
    lease_s: float = 120.0
    alerts_per_hour: int = 30
    alert_channel: str | None = None
    run_schedules: bool = True
    parent_pid: int | None = None  # beside `crmbot serve`: stop when that process is gone


@dataclass
class WorkerStats:
    companies: int = 0
    alerts_queued: int = 0
    alerts_sent: int = 0
    schedule_runs: int = 0
    latencies_s: list[float] = field(default_factory=list)  # change -> insights written

    def as_dict(self) -> dict:
        recent = self.latencies_s[-1000:]
        return {
            "companies": self.companies,
            "alerts_queued": self.alerts_queued,
            "alerts_sent": self.alerts_sent,
            "schedule_runs": self.schedule_runs,
            "median_latency_s": round(median(recent), 3) if recent else None,
        }


class Worker:
    def __init__(
        self,
        engine: Engine,
        db_url: str,
        *,
        client=None,
        clock=None,
        today: Callable[[], date] | None = None,
        options: WorkerOptions | None = None,
        worker_id: str | None = None,
        stop: threading.Event | None = None,
    ):
        from tools.proactive.clock import SystemClock

        self.engine, self.db_url, self.client = engine, db_url, client
        self.clock = clock or SystemClock()
        self.today_fn = today
        self.options = options or WorkerOptions()
        self.worker_id = worker_id or new_worker_id()
        self.stop = stop or threading.Event()
        self.stats = WorkerStats()
        self._models = None
        self._config = None
        self._models_run: int | None = None
        self._warned: set[str] = set()
        self._listener = None
        self._last_heartbeat = 0.0

    # ------------------------------------------------------------------ time

    def real_now(self) -> datetime:
        """Leases and alerts: naive UTC, real time (a scaled clock must not shorten a lease)."""
        return datetime.now(UTC).replace(tzinfo=None)

    def today(self) -> date:
        return self.today_fn() if self.today_fn else date.today()

    def computed_at(self) -> datetime:
        """Insight rows are stamped like `crmbot insights refresh` stamps them: today, local time of day."""
        return datetime.combine(self.today(), datetime.now().time())

    # ------------------------------------------------------------------ the loop

    def run(self) -> WorkerStats:
        self._register()
        from bot.proactive.listen import listener_for

        self._listener = listener_for(self.engine)
        backoff = 0.0
        first = True
        try:
            while not self.stop.is_set() and self._parent_alive():
                try:
                    worked = self.step()
                    backoff = 0.0
                    if first:  # models loaded and warmed up: say so (tests and `watch status` read it)
                        self._heartbeat(force=True)
                        first = False
                except (OperationalError, DBAPIError) as exc:
                    backoff = min(MAX_BACKOFF_S, max(1.0, backoff * 2))
                    log.warning("database problem, retrying in %.0f s: %s", backoff, _short(exc))
                    self._reset_listener()
                    self.stop.wait(backoff)
                    continue
                except Exception:  # noqa: BLE001 - a bug in one round must not stop the worker for good
                    backoff = min(MAX_BACKOFF_S, max(1.0, backoff * 2))
                    log.exception("unexpected error, retrying in %.0f s", backoff)
                    self.stop.wait(backoff)
                    continue
                if not worked:
                    self._wait(self.options.poll_interval_s)
        finally:
            self._close()
        return self.stats

    def step(self) -> int:
        """One round of every kind of work; returns how much was done (0: nothing to do)."""
        from db.capture import capture_mode
        from tools.proactive.polling import poll

        done = 0
        with self.engine.connect() as conn:
            mode = capture_mode(conn)
        if mode == "polling":
            done += poll(self.engine, self.worker_id, self.real_now())
        elif mode == "off":
            self._warn_once(
                "off", "change capture is not installed: run `crmbot watch install` (schedules still run)"
            )
        done += self.drain()
        if self.stop.is_set():
            return done
        done += self.deliver_alerts()
        if self.options.run_schedules and not self.stop.is_set():
            done += self.run_schedules()
        self._heartbeat()
        return done

    # ------------------------------------------------------------------ insights

    def _refresh_models(self):
        from tools.insights.incremental import NoRefreshYet, latest_refresh_id, load_refresh_models

        latest = latest_refresh_id(self.engine)
        if latest is not None and latest == self._models_run:
            return self._models
        from tools.insights.config import InsightConfig

        try:
            self._models = load_refresh_models(self.engine)
            self._config = InsightConfig.from_settings()
            self._models_run = self._models.run_id
            self._warned.discard("models")
        except NoRefreshYet as exc:
            self._warn_once("models", f"{exc} Changes wait until then.")
            self._models = None
            return None
        self._warm_up()
        return self._models

    def _warm_up(self) -> None:
        """Score one customer without writing: the first real change then costs what every later one does."""
        from sqlalchemy import select

        from db.models import CustomerInsight
        from tools.insights.incremental import score_companies

        with self.engine.connect() as conn:
            sample = conn.execute(select(CustomerInsight.company_id).limit(1)).scalar()
            if sample is not None:
                score_companies(conn, self._models, [sample], self.today(), self._config)

    def drain(self) -> int:
        from tools.proactive.changes import has_pending
        from tools.proactive.drain import drain_once

        models = self._refresh_models()
        if models is None or not has_pending(self.engine, self.real_now()):
            return 0
        config = self._config
        done = 0
        for _ in range(DRAIN_ROUNDS):
            if self.stop.is_set():
                break
            result = drain_once(
                self.engine,
                models,
                config,
                worker_id=self.worker_id,
                today=self.today(),
                now=self.real_now(),
                computed_at=self.computed_at(),
                limit=self.options.batch_companies,
                lease_s=self.options.lease_s,
            )
            if not result.companies:
                break
            written = self.real_now()
            self.stats.companies += len(result.companies)
            self.stats.alerts_queued += len(result.alert_ids)
            self.stats.latencies_s += [
                (written - t).total_seconds() for t in result.first_changed_at.values() if t
            ]
            log.info(
                "updated insights of %d companies, %d alerts queued",
                len(result.companies),
                len(result.alert_ids),
            )
            done += len(result.companies)
        return done

    # ------------------------------------------------------------------ alerts

    def deliver_alerts(self) -> int:
        from bot.notify import deliver_queued

        claimed, sent = deliver_queued(
            self.engine,
            self.client,
            self.worker_id,
            channel=self.options.alert_channel,
            per_hour=self.options.alerts_per_hour,
        )
        self.stats.alerts_sent += sent
        return claimed

    # ------------------------------------------------------------------ schedules

    def run_schedules(self) -> int:
        from tools.proactive import schedules

        now = self.clock.now()
        claims = schedules.claim_abandoned(self.engine, self.worker_id, now)
        claims += schedules.claim_due(self.engine, self.worker_id, now)
        for claim in claims:
            outcome = self._answer(claim)
            if outcome.status == "retry":
                schedules.retry_later(self.engine, claim, self.worker_id, self.clock.now(), note=outcome.note)
                log.warning(
                    "schedule %s: Slack failed (%s), trying again later", claim.schedule.id, outcome.note
                )
                continue
            schedules.finish_run(
                self.engine,
                claim.run_id,
                self.worker_id,
                self.clock.now(),
                status=outcome.status,
                message_ts=outcome.message_ts,
                note=outcome.note,
            )
            self.stats.schedule_runs += 1
            log.info("schedule %s: %s", claim.schedule.id, outcome.status)
        return len(claims)

    def _answer(self, claim):
        from zoneinfo import ZoneInfo

        from bot.proactive.scheduled import RunOutcome, answer_and_post

        if self.client is None:
            return RunOutcome("failed", note="Slack is not configured (SLACK_BOT_TOKEN)")
        today = (
            self.today_fn()
            if self.today_fn
            else self.clock.now().astimezone(ZoneInfo(claim.schedule.timezone)).date()
        )
        from slack_sdk.errors import SlackApiError

        from bot.notify import PERMANENT_ERRORS

        try:
            return answer_and_post(self.engine, self.db_url, self.client, claim, today)
        except (SlackApiError, OSError) as exc:  # Slack refused or could not be reached
            error = str(exc.response.get("error")) if isinstance(exc, SlackApiError) else type(exc).__name__
            if error in PERMANENT_ERRORS:
                return RunOutcome("failed", note=f"Slack refused the post: {error}")
            return RunOutcome("retry", note=error)
        except Exception as exc:  # noqa: BLE001 - one schedule's failure must not stop the others
            log.exception("schedule %s failed", claim.schedule.id)
            return RunOutcome("failed", note=f"{type(exc).__name__}: {_short(exc)}")

    # ------------------------------------------------------------------ housekeeping

    def _wait(self, seconds: float) -> None:
        if self._listener is not None:
            deadline = time.monotonic() + seconds
            while not self.stop.is_set() and time.monotonic() < deadline:
                try:
                    if self._listener.wait(min(0.5, max(0.0, deadline - time.monotonic()))):
                        return
                except Exception as exc:  # noqa: BLE001 - lost LISTEN connection: poll until it is back
                    log.warning("lost the change notifications, polling instead: %s", _short(exc))
                    self._reset_listener()
                    break
        self.stop.wait(seconds)

    def _reset_listener(self) -> None:
        if self._listener is not None:
            self._listener.close()
        self._listener = None

    def _parent_alive(self) -> bool:
        parent = self.options.parent_pid
        if parent is None or os.getppid() == parent:
            return True
        log.warning("the process this worker ran beside has stopped; stopping")
        return False

    def _warn_once(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            log.warning(message)

    def _register(self) -> None:
        from db.proactive_models import Worker as WorkerRow

        now = self.real_now()
        with self.engine.begin() as conn:
            conn.execute(
                insert(WorkerRow).values(worker_id=self.worker_id, started_at=now, heartbeat_at=now, stats={})
            )
        self._last_heartbeat = time.monotonic()

    def _heartbeat(self, stopped: bool = False, force: bool = False) -> None:
        from db.proactive_models import Worker as WorkerRow

        if not (stopped or force) and time.monotonic() - self._last_heartbeat < HEARTBEAT_S:
            return
        now = self.real_now()
        values = {"heartbeat_at": now, "stats": self.stats.as_dict()}
        if stopped:
            values["stopped_at"] = now
        with self.engine.begin() as conn:
            conn.execute(update(WorkerRow).where(WorkerRow.worker_id == self.worker_id).values(**values))
        self._last_heartbeat = time.monotonic()

    def _close(self) -> None:
        self._reset_listener()
        try:
            self._heartbeat(stopped=True)
        except (OperationalError, DBAPIError) as exc:
            log.warning("could not record the worker's stop: %s", _short(exc))


def _short(exc: BaseException) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
