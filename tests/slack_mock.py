"""A local mock of the Slack Web API that is as strict as Slack, for tests: a real HTTP server on
127.0.0.1 that records calls.

It answers the methods crmbot uses the way Slack does, refusals included:
  * tokens: ``not_authed`` / ``invalid_auth``; an app-level token only for ``apps.connections.open``;
  * scopes from ``manifest.yaml``: ``missing_scope`` with ``needed`` and ``provided``
    (``users.info`` shows an email only with ``users:read.email``);
  * channel membership: ``not_in_channel`` (public channel without the bot), ``channel_not_found``
    (private channel or someone else's DM); ``user_not_in_channel`` for an ephemeral note;
  * Block Kit limits, the table block's included: ``invalid_blocks`` with Slack-style pointers;
  * ``chat.update`` only of messages the app posted (``message_not_found``, ``cant_update_message``);
  * trigger ids that work once, within 3 seconds (``expired_trigger_id`` ...);
  * ``files.completeUploadExternal`` only of files uploaded (``file_not_found``);
  * response URLs: 5 uses within 30 minutes.
What Slack accepts but shows wrongly (unescaped ``&``, ``<``, ``>`` in mrkdwn, a ``block_id``
reused by an update, an ephemeral note in a thread that does not exist) is listed in ``problems``.

The other direction, Slack -> the app (``connect_app``, then ``user_says``, ``command``, ``click``,
``submit_view``, ``open_home``), is in tests/slack_people.py.

Point a WebClient at it with ``base_url=mock.api_url`` (it ends with a slash, like Slack's).
"""

from __future__ import annotations

import json
import queue
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlparse

from tests.slack_blockkit import mrkdwn_problems, mrkdwn_texts, validate_blocks, validate_view
from tests.slack_people import Delivery, PeopleInSlack, echo_event, full_state  # noqa: F401 - re-exported
from tests.slack_workspace import (
    BOT_ID,
    BOT_USER_ID,
    RESPONSE_URL_TTL_S,
    RESPONSE_URL_USES,
    TEAM_ID,
    Channel,
    Ephemeral,
    Message,
    OpenView,
    Workspace,
    load_manifest,
)

DEFAULT_BOT_TOKEN = "xoxb-test-token"
DEFAULT_APP_TOKEN = "xapp-1-test-token"
TEXT_LIMIT = 40_000

# Scopes a bot token needs per method (any one of a list will do).
METHOD_SCOPES = {
    "chat.postMessage": ["chat:write"],
    "chat.postEphemeral": ["chat:write"],
    "chat.update": ["chat:write"],
    "chat.delete": ["chat:write"],
    "users.info": ["users:read"],
    "users.lookupByEmail": ["users:read.email"],
    "files.getUploadURLExternal": ["files:write"],
    "files.completeUploadExternal": ["files:write"],
    "conversations.info": ["channels:read", "groups:read", "im:read", "mpim:read"],
    "conversations.history": ["channels:history", "groups:history", "im:history", "mpim:history"],
    "conversations.replies": ["channels:history", "groups:history", "im:history", "mpim:history"],
    "conversations.open": ["im:write", "mpim:write"],
}


@dataclass
class Call:
    method: str  # e.g. "chat.postMessage"; "upload" for the upload URL, "response" for a response URL
    args: dict
    headers: dict
    at: float = field(default_factory=time.monotonic)
    response: dict = field(default_factory=dict)  # what the mock answered


class MockSlack(PeopleInSlack):
    """Start with ``with MockSlack(users=...) as slack:``; inspect ``slack.calls`` afterwards."""

    def __init__(
        self,
        users: dict[str, dict] | None = None,
        channels: list[Channel] | None = None,
        *,
        bot_token: str = DEFAULT_BOT_TOKEN,
        app_token: str = DEFAULT_APP_TOKEN,
        manifest: dict | None = None,
    ) -> None:
        self.calls: list[Call] = []
        self.workspace = Workspace(users or {}, channels, manifest or load_manifest())
        self.bot_token, self.app_token = bot_token, app_token
        self.rate_limit: dict[str, int] = {}  # method -> how many 429s to answer first
        self.uploads: dict[str, bytes] = {}
        self.files: dict[str, dict] = {}
        self.problems: list[str] = []  # what Slack would accept but show wrongly
        self.delay: dict[str, float] = {}  # method -> seconds Slack takes to answer it
        self._gates: dict[str, threading.Event] = {}  # method -> held until released (see hold)
        self._dropping: set[str] = set()
        self.held: dict[str, int] = {}  # method -> calls waiting at a gate now
        self.delivered: list[tuple[str, dict]] = []  # (event id, event) sent to the app
        self.app_url: str | None = None
        self.signing_secret: str | None = None
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._echoes: queue.Queue = queue.Queue()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._echo_thread = threading.Thread(target=self._deliver_echoes, daemon=True)

    # ------------------------------------------------------------------ lifecycle

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    @property
    def users(self) -> dict[str, dict]:
        return self.workspace.users

    def __enter__(self) -> MockSlack:
        self._thread.start()
        self._echo_thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._echoes.put(None)
        self._server.shutdown()
        self._server.server_close()

    # ------------------------------------------------------------------ inspection

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(
        self, method: str, count: int = 1, timeout: float = 10.0, ok: bool | None = None
    ) -> list[Call]:
        """Block until ``count`` calls to ``method`` were recorded (only answered ok / refused when ``ok``)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                hits = [
                    c
                    for c in self.calls
                    if c.method == method and (ok is None or bool(c.response.get("ok")) == ok)
                ]
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

    def refusals(self) -> list[Call]:
        """Calls Slack answered with ``ok: false``."""
        with self._lock:
            return [c for c in self.calls if c.response and c.response.get("ok") is False]

    def message(self, channel: str, ts: str) -> Message:
        with self._lock:
            return self.workspace.messages[(channel, ts)]

    def bot_messages(self, channel: str | None = None) -> list[Message]:
        with self._lock:
            return [
                m
                for m in self.workspace.messages.values()
                if m.by_bot and (channel is None or m.channel == channel)
            ]

    def notes_for(self, user: str, visible: bool | None = True) -> list[Ephemeral]:
        """Ephemeral notes to ``user`` (only those a person can see, unless ``visible`` is None)."""
        with self._lock:
            return [
                e
                for e in self.workspace.ephemerals
                if e.user == user and (visible is None or e.visible == visible)
            ]

    def wait_until(self, predicate, timeout: float = 10.0, what: str = "a condition"):
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out waiting for {what}; calls: {self.methods()}")
                self._cond.wait(min(left, 0.1))

    def open_views(self, user: str | None = None) -> list[OpenView]:
        with self._lock:
            return [v for v in self.workspace.views.values() if user is None or v.user == user]

    def hold(self, method: str) -> None:
        """Keep calls to ``method`` waiting (a slow or stuck Slack) until ``release`` or ``drop_held``."""
        with self._lock:
            self._gates[method] = threading.Event()
            self._dropping.discard(method)

    def release(self, method: str) -> None:
        with self._lock:
            gate = self._gates.pop(method, None)
        if gate:
            gate.set()

    def drop_held(self, method: str) -> None:
        """Close the waiting calls' connections unanswered and unrecorded: Slack never got them
        (their sender died before Slack processed them)."""
        with self._lock:
            self._dropping.add(method)
            gate = self._gates.pop(method, None)
        if gate:
            gate.set()

    def _wait_at_gate(self, method: str) -> bool:
        """False when the call is dropped."""
        with self._cond:
            gate = self._gates.get(method)
            if gate is None:
                return True
            self.held[method] = self.held.get(method, 0) + 1
            self._cond.notify_all()
        gate.wait()
        with self._cond:
            self.held[method] -= 1
            return method not in self._dropping

    # ------------------------------------------------------------------ the Web API

    def _record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    def answer(self, method: str, args: dict, headers: dict) -> tuple[int, dict, dict]:
        """(status, headers, body) for one API call."""
        with self._lock:
            left = self.rate_limit.get(method, 0)
            if left:
                self.rate_limit[method] = left - 1
                return 429, {"Retry-After": "1"}, {"ok": False, "error": "ratelimited"}
            handler = getattr(self, "_api_" + method.replace(".", "_"), None)
            if handler is None:
                return 200, {}, {"ok": False, "error": "unknown_method"}
            token = _token(args, headers)
            refusal = self._auth(method, token)
            if refusal:
                return 200, {}, refusal
            return 200, {}, handler(args)

    def _auth(self, method: str, token: str | None) -> dict | None:
        if not token:
            return {"ok": False, "error": "not_authed"}
        if method == "apps.connections.open":
            if token == self.app_token:
                return None
            return {
                "ok": False,
                "error": "not_allowed_token_type" if token == self.bot_token else "invalid_auth",
            }
        if token != self.bot_token:
            return {"ok": False, "error": "invalid_auth"}
        needed = METHOD_SCOPES.get(method)
        if needed and not any(s in self.workspace.scopes for s in needed):
            return {
                "ok": False,
                "error": "missing_scope",
                "needed": ",".join(needed),
                "provided": ",".join(sorted(self.workspace.scopes)),
            }
        return None

    def _check_content(self, method: str, args: dict, surface: str = "message") -> tuple[list, dict | None]:
        """(blocks, refusal): Slack's checks of a message's text and blocks."""
        blocks = args.get("blocks")
        if isinstance(blocks, str):
            try:
                blocks = json.loads(blocks)
            except ValueError:
                return [], {"ok": False, "error": "invalid_blocks_format"}
        blocks = blocks or []
        text = args.get("text")
        if not text and not blocks:
            return [], {"ok": False, "error": "no_text"}
        if text and len(text) > TEXT_LIMIT:
            return [], {"ok": False, "error": "msg_too_long"}
        errors = validate_blocks(blocks, surface)
        if errors:
            return [], {
                "ok": False,
                "error": "invalid_blocks",
                "errors": errors,
                "response_metadata": {"messages": [f"[ERROR] {e}" for e in errors]},
            }
        texts = mrkdwn_texts(blocks)
        if text and str(args.get("mrkdwn", "true")).lower() != "false":
            texts.append(("/text", text))
        for where, value in texts:
            self.problems += [f"{method} {where}: {p}" for p in mrkdwn_problems(value)]
        return blocks, None

    def _api_auth_test(self, args: dict) -> dict:
        return {
            "ok": True,
            "url": "https://mock.slack.com/",
            "team": "Mock",
            "user": "crmbot",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _api_apps_connections_open(self, args: dict) -> dict:
        return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket-mode"}

    def _api_chat_postMessage(self, args: dict) -> dict:
        ws = self.workspace
        channel, error = ws.postable(args.get("channel"))
        if error:
            return {"ok": False, "error": error}
        blocks, refusal = self._check_content("chat.postMessage", args)
        if refusal:
            return refusal
        ts = ws.next_ts()
        message = ws.add_message(
            Message(channel.id, ts, args.get("text") or "", blocks, BOT_USER_ID, args.get("thread_ts"))
        )
        if channel.kind == "im" and "message.im" in ws.bot_events:
            self._echoes.put(echo_event(message))
        return {"ok": True, "channel": channel.id, "ts": ts, "message": message.as_payload()}

    def _api_chat_postEphemeral(self, args: dict) -> dict:
        ws = self.workspace
        channel, error = ws.postable(args.get("channel"))
        if error:
            return {"ok": False, "error": error}
        user = args.get("user")
        if user not in channel.members:
            return {"ok": False, "error": "user_not_in_channel"}
        blocks, refusal = self._check_content("chat.postEphemeral", args)
        if refusal:
            return refusal
        thread_ts = args.get("thread_ts")
        visible = not thread_ts or ws.thread_exists(channel.id, thread_ts)
        if not visible:
            self.problems.append(
                f"chat.postEphemeral: thread {thread_ts} does not exist; nobody sees the note"
            )
        ws.ephemerals.append(Ephemeral(channel.id, user, args.get("text") or "", blocks, thread_ts, visible))
        return {"ok": True, "message_ts": ws.next_ts()}

    def _api_chat_update(self, args: dict) -> dict:
        ws = self.workspace
        channel = ws.resolve(args.get("channel"))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        message = ws.messages.get((channel.id, args.get("ts")))
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        if not message.by_bot:
            return {"ok": False, "error": "cant_update_message"}
        blocks, refusal = self._check_content("chat.update", args)
        if refusal:
            return refusal
        old = {b.get("block_id"): b for b in message.blocks if b.get("block_id")}
        for block in blocks:
            before = old.get(block.get("block_id"))
            if before is not None and before != block:
                self.problems.append(f"chat.update reuses block_id {block['block_id']} for changed content")
        message.text, message.blocks = args.get("text") or "", blocks
        return {"ok": True, "channel": channel.id, "ts": message.ts, "text": message.text}

    def _api_views_open(self, args: dict) -> dict:
        trigger, error = self.workspace.exchange_trigger(args.get("trigger_id"))
        if error:
            return {"ok": False, "error": error}
        return self._store_view(_json_arg(args.get("view")), trigger.user, self.workspace.next_id("V"))

    def _api_views_update(self, args: dict) -> dict:
        opened = self.workspace.views.get(args.get("view_id") or "")
        if opened is None:
            return {"ok": False, "error": "not_found"}
        if args.get("hash") and args["hash"] != opened.hash:
            return {"ok": False, "error": "hash_conflict"}
        return self._store_view(_json_arg(args.get("view")), opened.user, opened.id)

    def _store_view(self, view: dict, user: str, view_id: str) -> dict:
        errors = validate_view(view)
        if errors:
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": errors}}
        for where, value in mrkdwn_texts(view.get("blocks") or []):
            self.problems += [f"views {where}: {p}" for p in mrkdwn_problems(value)]
        opened = OpenView(view_id, user, view, self.workspace.next_id("h"))
        self.workspace.views[view_id] = opened
        return {"ok": True, "view": {**view, "id": view_id, "hash": opened.hash, "state": {"values": {}}}}

    def _api_views_publish(self, args: dict) -> dict:
        user = args.get("user_id")
        if user not in self.workspace.users:
            return {"ok": False, "error": "user_not_found"}
        view = _json_arg(args.get("view"))
        errors = validate_view(view)
        if errors or view.get("type") != "home":
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": errors}}
        for where, value in mrkdwn_texts(view.get("blocks") or []):
            self.problems += [f"views.publish {where}: {p}" for p in mrkdwn_problems(value)]
        self.workspace.homes[user] = view
        return {"ok": True, "view": {**view, "id": self.workspace.next_id("V")}}

    def _api_users_info(self, args: dict) -> dict:
        uid = args.get("user", "")
        user = self.workspace.users.get(uid)
        if not user:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": self._user_obj(uid, user)}

    def _api_users_lookupByEmail(self, args: dict) -> dict:  # noqa: N802 - Slack's method name
        for uid, user in self.workspace.users.items():
            if user.get("email") == args.get("email"):
                return {"ok": True, "user": self._user_obj(uid, user)}
        return {"ok": False, "error": "users_not_found"}

    def _user_obj(self, uid: str, user: dict) -> dict:
        profile = {"real_name": user.get("real_name"), "display_name": user.get("real_name")}
        if "users:read.email" in self.workspace.scopes:
            profile["email"] = user.get("email")
        obj = {
            "id": uid,
            "name": user.get("real_name", uid),
            "real_name": user.get("real_name"),
            "profile": profile,
        }
        if user.get("tz"):  # the person's time zone, as Slack gives it (no extra scope)
            obj.update(_time_zone(user["tz"]))
        return obj

    def _api_files_getUploadURLExternal(self, args: dict) -> dict:  # noqa: N802
        file_id = self.workspace.next_id("F")
        self.files[file_id] = {
            "filename": args.get("filename"),
            "length": int(args.get("length") or 0),
            "alt_txt": args.get("alt_txt"),
            "uploaded": False,
            "shared": False,
        }
        return {
            "ok": True,
            "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}",
            "file_id": file_id,
        }

    def _api_files_completeUploadExternal(self, args: dict) -> dict:  # noqa: N802
        files = _json_arg(args.get("files")) or []
        for item in files:
            known = self.files.get(item.get("id"))
            if known is None or not known["uploaded"] or known["shared"]:
                return {"ok": False, "error": "file_not_found"}
        channel_id = args.get("channel_id") or args.get("channels")
        channel = None
        if channel_id:
            channel, error = self.workspace.postable(channel_id)
            if error:
                return {"ok": False, "error": error}
        shared = []
        for item in files:
            known = self.files[item["id"]]
            known.update(shared=True, title=item.get("title"))
            shared.append({"id": item["id"], "title": item.get("title"), "alt_txt": known["alt_txt"]})
        if channel is not None:
            ws = self.workspace
            ws.add_message(
                Message(channel.id, ws.next_ts(), "", [], BOT_USER_ID, args.get("thread_ts"), files=shared)
            )
        return {"ok": True, "files": shared}

    # ------------------------------------------------------------------ response URLs

    def answer_response_url(self, url_id: str, payload: dict) -> tuple[int, str]:
        ws = self.workspace
        with self._lock:
            url = ws.response_urls.get(url_id)
            if url is None:
                return 404, "invalid_url"
            if url.uses >= RESPONSE_URL_USES or time.monotonic() - url.issued_at > RESPONSE_URL_TTL_S:
                return 404, "expired_url"
            blocks, refusal = self._check_content("response_url", payload)
            if refusal:
                return 400, refusal["error"]
            url.uses += 1
            if payload.get("delete_original") and url.message_ts:
                ws.messages.pop((url.channel, url.message_ts), None)
            elif payload.get("replace_original") and url.message_ts:
                original = ws.messages[(url.channel, url.message_ts)]
                original.text, original.blocks = payload.get("text") or "", blocks
            elif payload.get("response_type") == "in_channel":
                ws.add_message(
                    Message(
                        url.channel,
                        ws.next_ts(),
                        payload.get("text") or "",
                        blocks,
                        BOT_USER_ID,
                        payload.get("thread_ts"),
                    )
                )
            else:
                ws.ephemerals.append(
                    Ephemeral(url.channel, url.user, payload.get("text") or "", blocks, None, True)
                )
            return 200, "ok"

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
                    self._upload(path.path.rsplit("/", 1)[-1], raw, headers)
                    return
                if path.path.startswith("/response/"):
                    payload = json.loads(raw or b"{}")
                    status, text = mock.answer_response_url(path.path.rsplit("/", 1)[-1], payload)
                    mock._record(
                        Call("response", payload, headers, response={"ok": status == 200, "error": text})
                    )
                    self._send(status, {}, text.encode(), "text/plain")
                    return
                method = path.path.removeprefix("/api/").strip("/")
                if not mock._wait_at_gate(method):
                    self.close_connection = True
                    return
                if mock.delay.get(method):
                    time.sleep(mock.delay[method])
                args = dict(parse_qsl(path.query))
                args.update(_parse_body(raw, headers.get("content-type", "")))
                status, extra, body = mock.answer(method, args, headers)
                mock._record(Call(method, args, headers, response=body))
                self._send(status, extra, json.dumps(body).encode(), "application/json")

            do_GET = do_POST

            def _upload(self, file_id: str, raw: bytes, headers: dict) -> None:
                with mock._lock:
                    known = mock.files.get(file_id)
                    if known is None:
                        self._send(404, {}, b"file not found", "text/plain")
                        return
                    known["uploaded"] = True
                    mock.uploads[file_id] = raw
                mock._record(Call("upload", {"file_id": file_id, "size": len(raw)}, headers))
                self._send(200, {}, b"OK - " + str(len(raw)).encode(), "text/plain")

            def _send(self, status: int, extra: dict, body: bytes, ctype: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in extra.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

        return Handler


def _time_zone(name: str) -> dict:
    """users.info's ``tz``, ``tz_label`` and ``tz_offset`` (seconds from UTC, now) for an IANA zone."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    now = datetime.now(UTC).astimezone(ZoneInfo(name))
    return {"tz": name, "tz_label": now.tzname(), "tz_offset": int(now.utcoffset().total_seconds())}


def _token(args: dict, headers: dict) -> str | None:
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return args.get("token")


def _json_arg(value):
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


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
