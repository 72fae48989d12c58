"""Wake a worker the moment a change is committed: LISTEN for the capture triggers' NOTIFY (PostgreSQL)."""

from __future__ import annotations

import logging

from sqlalchemy import Engine

log = logging.getLogger("crmbot.worker")


class PgListener:
    """LISTEN crmbot_changes on a connection of its own: the capture triggers NOTIFY on commit."""

    def __init__(self, engine: Engine):
        from db.capture import NOTIFY_CHANNEL

        self._conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        self._raw = self._conn.connection.driver_connection
        self._raw.execute(f"LISTEN {NOTIFY_CHANNEL}")

    def wait(self, timeout: float) -> bool:
        """True when a change was notified within ``timeout`` seconds."""
        return any(True for _ in self._raw.notifies(timeout=timeout, stop_after=1))

    def close(self) -> None:
        try:
            self._conn.invalidate()  # never hand a LISTENing connection back to the pool
            self._conn.close()
        except Exception:  # noqa: BLE001 - closing a connection that is already broken
            pass


def listener_for(engine: Engine):
    if engine.dialect.name != "postgresql":
        return None
    try:
        return PgListener(engine)
    except Exception as exc:  # noqa: BLE001 - notifications are an optimization; polling still works
        log.warning("cannot LISTEN for changes (polling every interval instead): %s", type(exc).__name__)
        return None
