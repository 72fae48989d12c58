"""HTTP mode: events, slash commands and interactivity on /slack/events, with a threaded server.

Bolt verifies the signature (missing, wrong or stale requests get 401 before any work),
acks, and runs the listener on its own executor, so the HTTP answer goes back at once.
"""

from __future__ import annotations

from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

EVENTS_PATH = "/slack/events"


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    # socketserver's default backlog of 5 resets connections when Slack sends a burst of events.
    request_queue_size = 128


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
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return application


def make_http_server(app: App, host: str = "0.0.0.0", port: int = 3000):
    return make_server(
        host, port, wsgi_app(app), server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
    )
