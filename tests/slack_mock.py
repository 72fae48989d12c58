"""A local mock of the Slack Web API for tests: a real HTTP server on 127.0.0.1 that records calls.

It answers the methods crmbot uses (auth.test, chat.postMessage, chat.update,
chat.postEphemeral, views.open, views.update, views.publish, users.info,
users.lookupByEmail, files.getUploadURLExternal, the upload URL itself,
files.completeUploadExternal) the way Slack does, and can be told to answer a method with
HTTP 429 + Retry-After a number of times, to test rate-limit retries.

Point a WebClient at it with ``base_url=mock.api_url`` (it ends with a slash, like Slack's).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlparse


@dataclass
class Call:
    method: str  # e.g. "chat.postMessage", or "upload" for the upload URL
    args: dict
    headers: dict
    at: float = field(default_factory=time.monotonic)
    response: dict = field(default_factory=dict)  # what the mock answered


class MockSlack:
    """Start with ``with MockSlack() as slack:``; inspect ``slack.calls`` afterwards."""

    def __init__(self, users: dict[str, dict] | None = None) -> None:
        self.calls: list[Call] = []
        self.users = users or {}  # slack user id -> {"email":..., "real_name":...}
        self.rate_limit: dict[str, int] = {}  # method -> how many 429s to answer first
        self.uploads: dict[str, bytes] = {}
        self._ts = itertools.count(1)
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # ------------------------------------------------------------------ lifecycle

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def __enter__(self) -> MockSlack:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    # ------------------------------------------------------------------ inspection

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Block until ``count`` calls to ``method`` were recorded (or fail after ``timeout``)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                hits = [c for c in self.calls if c.method == method]
                if len(hits) >= count:
                    return hits
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"expected {count} call(s) to {method}, got {len(hits)}: {self.methods()}"
                    )
                self._cond.wait(left)

    def methods(self) -> list[str]:
        with self._lock:
            return [c.method for c in self.calls]

    # ------------------------------------------------------------------ answers

    def _record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    def answer(self, method: str, args: dict) -> tuple[int, dict, dict]:
        """(status, headers, body) for one API call."""
        with self._lock:
            left = self.rate_limit.get(method, 0)
            if left:
                self.rate_limit[method] = left - 1
                return 429, {"Retry-After": "1"}, {"ok": False, "error": "ratelimited"}
        ts = f"1700000000.{next(self._ts):06d}"
        channel = args.get("channel", "C0MOCK")
        if method == "auth.test":
            return (
                200,
                {},
                {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T0MOCK", "user": "crmbot"},
            )
        if method in ("chat.postMessage", "chat.postEphemeral"):
            body = {"ok": True, "channel": channel, "ts": ts, "message": {"text": args.get("text"), "ts": ts}}
            if method == "chat.postEphemeral":
                body = {"ok": True, "message_ts": ts}
            return 200, {}, body
        if method == "chat.update":
            return 200, {}, {"ok": True, "channel": channel, "ts": args.get("ts"), "text": args.get("text")}
        if method in ("views.open", "views.update", "views.publish"):
            view = args.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            return 200, {}, {"ok": True, "view": {"id": "V0MOCK", **(view or {})}}
        if method == "users.info":
            user = self.users.get(args.get("user", ""))
            if not user:
                return 200, {}, {"ok": False, "error": "user_not_found"}
            return 200, {}, {"ok": True, "user": self._user_obj(args["user"], user)}
        if method == "users.lookupByEmail":
            for uid, user in self.users.items():
                if user.get("email") == args.get("email"):
                    return 200, {}, {"ok": True, "user": self._user_obj(uid, user)}
            return 200, {}, {"ok": False, "error": "users_not_found"}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts):08d}"
            url = f"http://127.0.0.1:{self.port}/upload/{file_id}"
            return 200, {}, {"ok": True, "upload_url": url, "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = args.get("files")
            files = json.loads(files) if isinstance(files, str) else files or []
            return (
                200,
                {},
                {"ok": True, "files": [{"id": f.get("id"), "title": f.get("title")} for f in files]},
            )
        return 200, {}, {"ok": False, "error": "unknown_method"}

    @staticmethod
    def _user_obj(uid: str, user: dict) -> dict:
        return {
            "id": uid,
            "name": user.get("real_name", uid),
            "real_name": user.get("real_name"),
            "profile": {"email": user.get("email"), "real_name": user.get("real_name")},
        }

    # ------------------------------------------------------------------ HTTP

    def _handler_class(self):
        mock = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                path = urlparse(self.path)
                headers = {k.lower(): v for k, v in self.headers.items()}
                if path.path.startswith("/upload/"):
                    file_id = path.path.rsplit("/", 1)[-1]
                    mock.uploads[file_id] = raw
                    mock._record(Call("upload", {"file_id": file_id, "size": len(raw)}, headers))
                    self._send(200, {}, b"OK - " + str(len(raw)).encode(), "text/plain")
                    return
                method = path.path.removeprefix("/api/").strip("/")
                args = dict(parse_qsl(path.query))
                args.update(_parse_body(raw, headers.get("content-type", "")))
                status, extra, body = mock.answer(method, args)
                mock._record(Call(method, args, headers, response=body))
                self._send(status, extra, json.dumps(body).encode(), "application/json")

            do_GET = do_POST

            def _send(self, status: int, extra: dict, body: bytes, ctype: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in extra.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

        return Handler


def _parse_body(raw: bytes, content_type: str) -> dict:
    if not raw:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(raw)
    if content_type.startswith("multipart/form-data"):
        msg = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw
        )
        out = {}
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            out[name] = payload if part.get_filename() else payload.decode("utf-8", "replace")
        return out
    return dict(parse_qsl(raw.decode("utf-8")))
