"""What people do in a mock Slack workspace, delivered to the app the way Slack delivers it.

A mixin of tests/slack_mock.py's MockSlack: a person's message (auto-linked, and sent as the
events the manifest subscribes to: app_mention where the bot is a member and mentioned,
message.im in the bot's DMs), a slash command (with a trigger id and a response URL), a click on
a button of a message the app posted, a modal's submission with the full state of every input,
App Home opened, and the app's own DM messages echoed back as events. Every request is signed
with the app's signing secret, as Slack signs it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode

from tests.slack_typing import autolink, escape
from tests.slack_workspace import APP_ID, BOT_ID, BOT_USER_ID, LEGACY_VERIFICATION_TOKEN, TEAM_ID, Message


@dataclass
class Delivery:
    """What the app answered to one request from Slack."""

    status: int
    seconds: float
    body: object  # parsed JSON, or the text

    @property
    def json(self) -> dict:
        return self.body if isinstance(self.body, dict) else {}


class PeopleInSlack:
    """Slack -> the app. Needs ``workspace``, ``_lock``, ``_echoes``, ``port`` and ``delivered``."""

    app_url: str | None = None
    signing_secret: str | None = None

    def connect_app(self, url: str, signing_secret: str) -> None:
        """Where Slack sends events, commands and interactions for this app, and how it signs them."""
        self.app_url, self.signing_secret = url, signing_secret

    def send(self, body: bytes, content_type: str, headers: dict | None = None) -> Delivery:
        """One signed request to the app, as Slack sends it."""
        ts = str(int(time.time()))
        signature = hmac.new(self.signing_secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256)
        request = urllib.request.Request(self.app_url, data=body, method="POST")
        request.add_header("Content-Type", content_type)
        request.add_header("X-Slack-Request-Timestamp", ts)
        request.add_header("X-Slack-Signature", "v0=" + signature.hexdigest())
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        seconds = time.monotonic() - started
        try:
            body_out = json.loads(raw) if raw else ""
        except ValueError:
            body_out = raw.decode("utf-8", "replace")
        return Delivery(status, seconds, body_out)

    def event_body(self, event: dict, event_id: str | None = None) -> bytes:
        with self._lock:
            event_id = event_id or self.workspace.next_id("Ev")
        payload = {
            "token": LEGACY_VERIFICATION_TOKEN,
            "team_id": TEAM_ID,
            "api_app_id": APP_ID,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
            "event": event,
        }
        return json.dumps(payload).encode()

    def deliver_event(self, event: dict, event_id: str | None = None, retry: int | None = None) -> Delivery:
        """Send ``event`` to the app (``retry``: as Slack's n-th retry of the same event id)."""
        with self._lock:
            event_id = event_id or self.workspace.next_id("Ev")
            self.delivered.append((event_id, event))
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return self.send(self.event_body(event, event_id), "application/json", headers)

    def user_says(
        self, user: str, channel: str, typed: str, thread_ts: str | None = None
    ) -> tuple[str, list[Delivery]]:
        """A person posts ``typed``: Slack stores it auto-linked and sends the events the app subscribes
        to (app_mention where the bot is mentioned and a member; message.im in the bot's DMs).
        Returns the message's ts and the app's answers to each event."""
        ws = self.workspace
        with self._lock:
            chan = ws.channels[channel]
            assert user in chan.members, f"{user} is not in {channel}"
            text = autolink(
                typed, bot_user_id=BOT_USER_ID, channel_ids=ws.channel_ids_by_name(), user_ids=set(ws.users)
            )
            message = ws.add_message(Message(channel, ws.next_ts(), text, [], user, thread_ts))
        event = {"user": user, "text": text, "ts": message.ts, "channel": channel, "event_ts": message.ts}
        if thread_ts:
            event["thread_ts"] = thread_ts
        events = []
        bot_here = BOT_USER_ID in chan.members
        if chan.kind == "im" and bot_here and "message.im" in ws.bot_events:
            events.append({"type": "message", "channel_type": "im", **event})
        elif f"<@{BOT_USER_ID}>" in text and bot_here and "app_mention" in ws.bot_events:
            events.append({"type": "app_mention", **event})
        return message.ts, [self.deliver_event(e) for e in events]

    def command(self, user: str, channel: str, typed: str, command: str = "/crm") -> Delivery:
        ws = self.workspace
        with self._lock:
            spec = ws.commands[command]
            chan = ws.channels[channel]
            assert user in chan.members, f"{user} is not in {channel}"
            if spec.get("should_escape"):
                text = autolink(
                    typed,
                    bot_user_id=BOT_USER_ID,
                    channel_ids=ws.channel_ids_by_name(),
                    user_ids=set(ws.users),
                )
            else:
                text = escape(typed)
            response_url = ws.issue_response_url(channel, user)
            form = {
                "token": LEGACY_VERIFICATION_TOKEN,
                "team_id": TEAM_ID,
                "team_domain": "mock",
                "channel_id": channel,
                "channel_name": chan.name if chan.kind != "im" else "directmessage",
                "user_id": user,
                "user_name": ws.users.get(user, {}).get("real_name", user),
                "command": command,
                "text": text,
                "api_app_id": APP_ID,
                "is_enterprise_install": "false",
                "response_url": self._response_url(response_url.id),
                "trigger_id": ws.issue_trigger(user),
            }
        return self.send(urlencode(form).encode(), "application/x-www-form-urlencoded")

    def _response_url(self, url_id: str) -> str:
        return f"http://127.0.0.1:{self.port}/response/{url_id}"

    def click(self, user: str, channel: str, ts: str, action_id: str, value: str | None = None) -> Delivery:
        """``user`` clicks the button ``action_id`` (with ``value``, when several share it) of a message."""
        ws = self.workspace
        with self._lock:
            chan = ws.channels[channel]
            assert user in chan.members, f"{user} cannot see {channel}"
            message = ws.messages[(channel, ts)]
            block, element = _find_button(message.blocks, action_id, value)
            response_url = ws.issue_response_url(channel, user, message_ts=ts)
            payload = {
                "type": "block_actions",
                "user": {"id": user, "username": user, "name": user, "team_id": TEAM_ID},
                "api_app_id": APP_ID,
                "token": LEGACY_VERIFICATION_TOKEN,
                "container": {
                    "type": "message",
                    "message_ts": ts,
                    "channel_id": channel,
                    "is_ephemeral": False,
                },
                "trigger_id": ws.issue_trigger(user),
                "team": {"id": TEAM_ID, "domain": "mock"},
                "enterprise": None,
                "is_enterprise_install": False,
                "channel": {"id": channel, "name": chan.name},
                "message": json.loads(json.dumps(message.as_payload())),
                "state": {"values": {}},
                "response_url": self._response_url(response_url.id),
                "actions": [
                    {
                        "action_id": action_id,
                        "block_id": block.get("block_id") or "auto",
                        "text": element.get("text"),
                        "value": element.get("value"),
                        "style": element.get("style"),
                        "type": "button",
                        "action_ts": f"{time.time():.6f}",
                    }
                ],
            }
        return self.send(
            urlencode({"payload": json.dumps(payload)}).encode(), "application/x-www-form-urlencoded"
        )

    def submit_view(self, user: str, view_id: str, values: dict | None = None) -> Delivery:
        """``user`` presses the modal's submit button after changing ``values`` ({block_id: value}).

        As Slack does, the payload carries the current value of every input, changed or not."""
        ws = self.workspace
        with self._lock:
            opened = ws.views[view_id]
            assert opened.user == user, "a modal is submitted by the person it was opened for"
            payload = {
                "type": "view_submission",
                "team": {"id": TEAM_ID, "domain": "mock"},
                "user": {"id": user, "username": user, "name": user, "team_id": TEAM_ID},
                "api_app_id": APP_ID,
                "token": LEGACY_VERIFICATION_TOKEN,
                "trigger_id": ws.issue_trigger(user),
                "view": {
                    **opened.view,
                    "id": opened.id,
                    "team_id": TEAM_ID,
                    "hash": opened.hash,
                    "app_id": APP_ID,
                    "bot_id": BOT_ID,
                    "state": {"values": full_state(opened.view, values or {})},
                },
                "response_urls": [],
                "is_enterprise_install": False,
            }
        return self.send(
            urlencode({"payload": json.dumps(payload)}).encode(), "application/x-www-form-urlencoded"
        )

    def open_home(self, user: str) -> Delivery:
        dm = self.workspace.dm_with_bot(user)
        event = {
            "type": "app_home_opened",
            "user": user,
            "channel": dm.id,
            "tab": "home",
            "event_ts": f"{time.time():.6f}",
        }
        return self.deliver_event(event)

    def _deliver_echoes(self) -> None:
        """The app's own DM messages come back as message events, as Slack sends them."""
        while True:
            event = self._echoes.get()
            if event is None:
                return
            if self.app_url and self.signing_secret:
                with contextlib.suppress(OSError):  # the app is gone; Slack would retry, a test does not care
                    self.deliver_event(event)


def full_state(view: dict, changes: dict) -> dict:
    """``view.state.values`` as Slack sends it on submit: every input's current value."""
    values: dict = {}
    for block in view.get("blocks") or []:
        if block.get("type") != "input":
            continue
        element = block["element"]
        block_id, action_id = block["block_id"], element["action_id"]
        changed = block_id in changes
        new = changes.get(block_id)
        kind = element["type"]
        if kind == "plain_text_input":
            state = {"type": kind, "value": new if changed else element.get("initial_value")}
        elif kind == "static_select":
            chosen = element.get("initial_option")
            if changed:
                chosen = next((o for o in element["options"] if o["value"] == new), None)
            state = {"type": kind, "selected_option": chosen}
        elif kind == "datepicker":
            state = {"type": kind, "selected_date": new if changed else element.get("initial_date")}
        else:
            state = {"type": kind, "value": new}
        values[block_id] = {action_id: state}
    unknown = set(changes) - set(values)
    assert not unknown, f"no inputs {unknown} in this modal"
    return values


def _find_button(blocks: list, action_id: str, value: str | None) -> tuple[dict, dict]:
    for block in blocks:
        elements = block.get("elements") if block.get("type") == "actions" else [block.get("accessory") or {}]
        for element in elements or []:
            if element.get("action_id") == action_id and (value is None or element.get("value") == value):
                return block, element
    raise AssertionError(f"no button {action_id} ({value}) in this message")


def echo_event(message: Message) -> dict:
    return {
        "type": "message",
        "channel_type": "im",
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
        "app_id": APP_ID,
        "text": message.text,
        "ts": message.ts,
        "channel": message.channel,
        "event_ts": message.ts,
        **({"thread_ts": message.thread_ts} if message.thread_ts else {}),
    }
