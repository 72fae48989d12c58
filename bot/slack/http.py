"""HTTP mode: events, slash commands and interactivity on /slack/events, with a threaded server.

Bolt verifies the signature (missing, wrong or stale requests get 401 before any work),
acks, and runs the listener on its own executor, so the HTTP answer goes back at once.
The server can also serve a listening socket opened by another process (the pre-fork parent
in bot/slack/workers.py), so several worker processes share one port.
"""

from __future__ import annotations

import os
import socket
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

EVENTS_PATH = "/slack/events"
WORKER_HEADER = "X-Crmbot-Worker"  # on /healthz: the pid of the process that answered
# socketserver's default backlog of 5 resets connections when Slack sends a burst of events.
LISTEN_BACKLOG = 128


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = LISTEN_BACKLOG


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:  # request lines may carry ids; keep them out of the log
        pass


def wsgi_app(app: App):
    handler = SlackRequestHandler(app)

    def application(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == EVENTS_PATH:
            return handler(environ, start_response)
        if path == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain"), (WORKER_HEADER, str(os.getpid()))])
            return [b"ok"]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return application


def listening_socket(host: str, port: int) -> socket.socket:
    """A bound, listening TCP socket that worker processes can share after a fork.

    Non-blocking, so that a worker that loses the race for a connection to another worker
    goes back to waiting instead of blocking in accept() (and can still be shut down)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(LISTEN_BACKLOG)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def make_http_server(app: App, host: str = "0.0.0.0", port: int = 3000, sock: socket.socket | None = None):
    """The threaded WSGI server for ``app``: on host:port, or on ``sock`` when one is given."""
    if sock is None:
        server = _ThreadingWSGIServer((host, port), _QuietHandler)
    else:
        server = _ThreadingWSGIServer(sock.getsockname()[:2], _QuietHandler, bind_and_activate=False)
        server.socket.close()  # the socket TCPServer made for itself; serve the shared one instead
        server.socket = sock
        server.server_address = sock.getsockname()
        server.server_name = socket.getfqdn(server.server_address[0])
        server.server_port = server.server_address[1]
        server.setup_environ()
    server.set_app(wsgi_app(app))
    return server
