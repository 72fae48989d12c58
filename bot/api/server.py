"""Serving the web app with uvicorn: N worker processes, deadlines, graceful shutdown.

uvicorn's own supervisor runs the workers (``workers`` > 1): it restarts one that dies and
stops when one cannot start at all; each worker builds the app itself (the factory
``bot.api.app:app_from_environment``), so no connection crosses a process boundary. On
SIGTERM or Ctrl-C the workers stop taking connections, finish the requests in flight (at most
``CRMBOT_HTTP_SHUTDOWN_GRACE_S``), then give Slack answers already acked the same time.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from dataclasses import dataclass

import uvicorn

from crmbot.settings import Settings

APP_FACTORY = "bot.api.app:app_from_environment"
PROTOCOL = "bot.api.protocol:DeadlineHttpToolsProtocol"
KEEP_ALIVE_S = 5
BACKLOG = 2048
# uvicorn's supervisor kills a worker that does not answer its ping in time (5 s by default): a worker
# busy drawing charts on a loaded machine is not hung, and killing it mid-answer loses its chart
WORKER_HEALTHCHECK_S = 30


def log_config(level: str) -> dict:
    """One format for crmbot's and uvicorn's loggers; the access log (no bodies) at INFO only."""
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            "uvicorn": {"level": level},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"level": level},
        },
    }


def uvicorn_options(settings: Settings) -> dict:
    return {
        "http": PROTOCOL,
        "loop": "asyncio",
        "lifespan": "on",
        "timeout_keep_alive": KEEP_ALIVE_S,
        "timeout_graceful_shutdown": int(settings.http_shutdown_grace_s),
        "backlog": BACKLOG,
        "server_header": False,
        "proxy_headers": False,
        "log_config": log_config(settings.log_level),
    }


def serve(
    settings: Settings, host: str, port: int, workers: int, *, db_url: str, today: str | None, slack: bool
) -> None:
    """Run until SIGTERM/SIGINT. The options reach the worker processes through the environment."""
    from bot.api.app import SERVE_OPTIONS_ENV

    os.environ[SERVE_OPTIONS_ENV] = json.dumps({"db_url": db_url, "today": today, "slack": slack})
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
        **uvicorn_options(settings),
    )


@dataclass
class BackgroundServer:
    """The app served by uvicorn on a thread of this process (tests and benchmarks)."""

    server: uvicorn.Server
    thread: threading.Thread
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def serve_in_background(
    asgi_app, settings: Settings, host: str = "127.0.0.1", port: int = 0
) -> BackgroundServer:
    """Start serving ``asgi_app`` on a thread; returns once it accepts connections."""
    options = uvicorn_options(settings)
    options.pop("log_config")
    config = uvicorn.Config(asgi_app, host=host, port=port, log_config=None, **options)
    server = uvicorn.Server(config)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="crmbot-http")
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the HTTP server did not start")
        time.sleep(0.01)
    return BackgroundServer(server, thread, sock.getsockname()[1])
