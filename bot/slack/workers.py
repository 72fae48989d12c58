"""Pre-fork HTTP serving: one listening socket, several worker processes, each with its own app.

One Python process answers one question at a time on the CPU, so a burst of events queues
behind a single interpreter. The parent opens the port, forks ``workers`` processes and only
supervises: it forwards SIGTERM/SIGINT, restarts a worker that dies unexpectedly (with a
back-off, giving up when a worker keeps dying at start), and exits when they are all gone.

Everything with a connection in it (the bolt App, its WebClient, the SQLAlchemy engine) is
built by ``build_app`` inside each worker, after the fork; the parent must hold no database
connection and run no thread when it forks. De-duplication across workers is the database's
primary key (bot/slack/dedupe.py).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slack_bolt import App

log = logging.getLogger("crmbot.slack.workers")

STOP_GRACE_S = 10.0  # after SIGTERM, how long workers get to finish answers in flight before SIGKILL
DRAIN_S = 5.0  # inside a worker: how long to wait for listeners still running after the last request
POLL_S = 0.1
YOUNG_S = 5.0  # a worker that dies younger than this counts as failing at start
BACKOFF_FIRST_S, BACKOFF_MAX_S = 0.5, 30.0
MAX_YOUNG_DEATHS = 5  # in a row, for one slot: the configuration is broken, stop instead of looping


@dataclass
class _Slot:
    """One worker position: the process filling it now and how its predecessors fared."""

    pid: int | None = None
    started_at: float = 0.0
    young_deaths: int = 0
    restart_at: float = 0.0


def serve_workers(build_app: Callable[[], App], host: str, port: int, workers: int) -> int:
    """Serve on host:port with ``workers`` forked processes until SIGTERM/SIGINT; the exit status."""
    sock = _listening_socket(host, port)
    supervisor = _Supervisor(build_app, sock, workers)
    try:
        return supervisor.run()
    finally:
        sock.close()


def _listening_socket(host: str, port: int) -> socket.socket:
    from bot.slack.http import listening_socket

    return listening_socket(host, port)


class _Supervisor:
    def __init__(self, build_app: Callable[[], App], sock: socket.socket, workers: int) -> None:
        self.build_app, self.sock = build_app, sock
        self.slots = [_Slot() for _ in range(workers)]
        self.stopping_since: float | None = None
        self.failed = False

    def run(self) -> int:
        previous = {s: signal.signal(s, self._on_stop_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            for slot in self.slots:
                self._start(slot)
            while any(slot.pid for slot in self.slots) or not self._stopping:
                self._reap()
                self._restart_due()
                self._kill_stragglers()
                time.sleep(POLL_S)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return 1 if self.failed else 0

    @property
    def _stopping(self) -> bool:
        return self.stopping_since is not None

    def _on_stop_signal(self, signum, _frame) -> None:
        if self._stopping:  # a second Ctrl-C: do not wait for answers in flight
            self._signal_workers(signal.SIGKILL)
            return
        log.info("stopping %d worker(s) on signal %s", len(self.slots), signal.Signals(signum).name)
        self._stop()

    def _stop(self) -> None:
        self.stopping_since = time.monotonic()
        self._signal_workers(signal.SIGTERM)

    def _signal_workers(self, signum: int) -> None:
        for slot in self.slots:
            if slot.pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(slot.pid, signum)

    def _start(self, slot: _Slot) -> None:
        pid = os.fork()
        if pid == 0:  # the worker: never returns into the parent's code
            for sig in (signal.SIGTERM, signal.SIGINT):  # not the parent's handlers, until its own are set
                signal.signal(sig, signal.SIG_DFL)
            os._exit(_run_worker(self.build_app, self.sock))
        slot.pid, slot.started_at = pid, time.monotonic()
        log.debug("worker %d started", pid)

    def _reap(self) -> None:
        for slot in self.slots:
            if not slot.pid:
                continue
            pid, status = os.waitpid(slot.pid, os.WNOHANG)
            if pid == 0:
                continue
            slot.pid = None
            if not self._stopping:
                self._schedule_restart(slot, pid, status)

    def _schedule_restart(self, slot: _Slot, pid: int, status: int) -> None:
        lived = time.monotonic() - slot.started_at
        slot.young_deaths = slot.young_deaths + 1 if lived < YOUNG_S else 0
        if slot.young_deaths >= MAX_YOUNG_DEATHS:
            log.error("worker %d failed at start %d times in a row; stopping", pid, slot.young_deaths)
            self.failed = True
            self._stop()
            return
        delay = min(BACKOFF_MAX_S, BACKOFF_FIRST_S * 2 ** (slot.young_deaths - 1)) if slot.young_deaths else 0
        log.warning(
            "worker %d exited (%s) after %.1f s; restarting in %.1f s", pid, _describe(status), lived, delay
        )
        slot.restart_at = time.monotonic() + delay

    def _restart_due(self) -> None:
        if self._stopping:
            return
        now = time.monotonic()
        for slot in self.slots:
            if not slot.pid and now >= slot.restart_at:
                self._start(slot)

    def _kill_stragglers(self) -> None:
        if self._stopping and time.monotonic() - self.stopping_since > STOP_GRACE_S:
            self._signal_workers(signal.SIGKILL)


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {signal.Signals(os.WTERMSIG(status)).name}"
    return f"status {os.waitstatus_to_exitcode(status)}"


def _run_worker(build_app: Callable[[], App], sock: socket.socket) -> int:
    """Inside a forked worker: build the app, serve the shared socket until SIGTERM/SIGINT."""
    from bot.slack.http import make_http_server

    try:
        app = build_app()
        server = make_http_server(app, sock=sock)
    except BaseException:  # noqa: BLE001 - whatever broke, the parent must see a failed worker
        log.exception("worker %d could not start", os.getpid())
        return 3
    stopping = threading.Event()

    def on_stop_signal(_signum, _frame) -> None:
        if not stopping.is_set():  # shutdown() waits for serve_forever, so ask from another thread
            stopping.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, on_stop_signal)
    signal.signal(signal.SIGINT, on_stop_signal)
    log.debug("worker %d serving", os.getpid())
    try:
        server.serve_forever()
    except BaseException:  # noqa: BLE001
        log.exception("worker %d stopped serving", os.getpid())
        return 1
    _drain(app)
    return 0


def _drain(app: App) -> None:
    """Give listeners still answering (bolt acks first, works after) a moment to post their answer."""
    executor = getattr(getattr(app, "listener_runner", None), "listener_executor", None)
    if executor is None:
        return
    waiter = threading.Thread(target=executor.shutdown, kwargs={"wait": True}, daemon=True)
    waiter.start()
    waiter.join(DRAIN_S)
