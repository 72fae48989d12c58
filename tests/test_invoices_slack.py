"""Invoices in Slack, end to end: signed HTTP requests to the real bolt app, which talks to the mock
Slack Web API. The invoice message is posted by the bot itself (a rep asks it to draft); clicks and
the Edit modal's submissions are sent the way Slack sends them (a view_submission carries every
input's current value, not only the changed one)."""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import text

from db.engine import get_engine
from tests.invoice_crm import seed_small_crm
from tests.slack_mock import MockSlack

SECRET = "invoice-test-secret"
TODAY = date(2026, 11, 19)
PEOPLE = {  # Slack user -> CRM user (found by email through users.info)
    "U0RITA": ("rita@example.org", "Rita Rep"),
    "U0DANA": ("dana@example.org", "Dana Manager"),
    "U0MAX": ("max@example.org", "Max Manager"),
    "U0ADA": ("ada@example.org", "Ada Admin"),
}


class Slack:
    """The bolt app over HTTP, the mock Web API it calls, and Slack's side of the conversation."""

    def __init__(self, url: str, mock: MockSlack, db_url: str):
        self.url, self.mock, self.db_url = url, mock, db_url
        self._n = 0

    def post(self, body: bytes, content_type: str) -> tuple[int, dict, float]:
        ts = int(time.time())
        signature = "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
        request = urllib.request.Request(self.url, data=body, method="POST")
        request.add_header("Content-Type", content_type)
        request.add_header("X-Slack-Request-Timestamp", str(ts))
        request.add_header("X-Slack-Signature", signature)
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                raw = response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            raw, status = exc.read(), exc.code
        took = time.monotonic() - started
        return status, (json.loads(raw) if raw.strip().startswith(b"{") else {}), took

    def interactive(self, payload: dict) -> tuple[int, dict, float]:
        return self.post(
            urlencode({"payload": json.dumps(payload)}).encode(), "application/x-www-form-urlencoded"
        )

    def mention(self, text_: str, user: str, channel: str = "C0FIN") -> dict:
        """A person asks the bot; returns the message the bot posted back (its ts and blocks)."""
        self._n += 1
        ts = f"1700009{self._n:03d}.000100"
        event = {
            "type": "app_mention",
            "user": user,
            "text": f"<@UBOT> {text_}",
            "ts": ts,
            "channel": channel,
        }
        payload = {
            "token": "legacy", "team_id": "T0MOCK", "api_app_id": "A0MOCK", "type": "event_callback",
            "event_id": f"EvInv{self._n:04d}", "event_time": int(time.time()), "event": event,
        }  # fmt: skip
        before = self._posts()
        assert self.post(json.dumps(payload).encode(), "application/json")[0] == 200
        post = wait_for(self.mock, "chat.postMessage", count=before + 1)[before]
        blocks = post.args["blocks"]
        return {
            "ts": post.response["ts"],
            "blocks": json.loads(blocks) if isinstance(blocks, str) else blocks,
        }

    def _posts(self) -> int:
        return len(self.mock.calls_to("chat.postMessage"))

    def click(self, user: str, action_id: str, value: str, message: dict, channel: str = "C0FIN"):
        payload = {
            "type": "block_actions", "team": {"id": "T0MOCK"}, "api_app_id": "A0MOCK", "token": "legacy",
            "trigger_id": f"trig.{user}.{time.monotonic_ns()}", "user": {"id": user},
            "channel": {"id": channel},
            "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel},
            "message": message, "actions": [{"type": "button", "action_id": action_id, "value": value}],
        }  # fmt: skip
        return self.interactive(payload)

    def submit(self, user: str, view: dict, **typed) -> tuple[int, dict, float]:
        """Save on a modal as Slack sends it: ``state.values`` with every input's current value."""
        payload = {
            "type": "view_submission", "team": {"id": "T0MOCK"}, "api_app_id": "A0MOCK", "token": "legacy",
            "trigger_id": "trig.submit", "user": {"id": user},
            "view": {**view, "id": "V0EDIT", "state": {"values": full_state(view, **typed)}},
        }  # fmt: skip
        return self.interactive(payload)


def wait_for(mock: MockSlack, method: str, count: int = 1, timeout: float = 15.0) -> list:
    """The calls to ``method`` once there are ``count`` of them (polling, so a slow answer fails
    the test with a message instead of blocking it)."""
    deadline = time.monotonic() + timeout
    while True:
        calls = mock.calls_to(method)
        if len(calls) >= count:
            return calls
        if time.monotonic() > deadline:
            raise AssertionError(f"expected {count} call(s) to {method}, got {len(calls)}")
        time.sleep(0.02)


def full_state(view: dict, **typed) -> dict:
    """Every input block's current value: the initial one unless ``typed`` overrides it by block id."""
    values = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        block_id, kind = block["block_id"], element["type"]
        if kind == "static_select":
            chosen = typed.get(block_id, (element.get("initial_option") or {}).get("value"))
            state = {"type": kind, "selected_option": {"value": chosen} if chosen else None}
        elif kind == "datepicker":
            state = {"type": kind, "selected_date": typed.get(block_id, element.get("initial_date"))}
        else:
            state = {"type": kind, "value": typed.get(block_id, element.get("initial_value"))}
        values[block_id] = {element["action_id"]: state}
    return values


@pytest.fixture
def slack(tmp_path, monkeypatch):
    from bot.slack.app import create_app
    from bot.slack.deps import SlackDeps
    from bot.slack.http import make_http_server
    from crmbot.settings import get_settings

    db_url = f"sqlite:///{tmp_path / 'crm.db'}"
    engine = get_engine(db_url)
    seed_small_crm(engine, TODAY)
    engine.dispose()
    users = {uid: {"email": email, "real_name": name} for uid, (email, name) in PEOPLE.items()}
    with MockSlack(users=users) as mock:
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-invoice-test")
        monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
        monkeypatch.setenv("SLACK_API_URL", mock.api_url)
        monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path / "data"))
        monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
        monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
        get_settings.cache_clear()
        app = create_app(SlackDeps(settings=get_settings(), db_url=db_url, today=lambda: TODAY))
        server = make_http_server(app, "127.0.0.1", 0)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield Slack(f"http://127.0.0.1:{server.server_address[1]}/slack/events", mock, db_url)
        finally:
            server.shutdown()
            server.server_close()
            get_settings.cache_clear()


def buttons(blocks: list[dict], action_id: str) -> list[str]:
    return [
        e["value"]
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    ]


def blocks_of(call) -> list[dict]:
    blocks = call.args["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def invoice(db_url: str, invoice_id: int):
    from tools.invoices.views import load_view

    engine = get_engine(db_url)
    with engine.connect() as conn:
        view = load_view(conn, invoice_id)
    engine.dispose()
    return view


def open_editor(slack: Slack, user: str, value: str, message: dict) -> dict:
    assert slack.click(user, "invoice_edit", value, message)[0] == 200
    opened = wait_for(slack.mock, "views.open")[-1]
    view = opened.args["view"]
    return json.loads(view) if isinstance(view, str) else view


# --------------------------------------------------------------------------- the edit modal


def test_changing_the_terms_in_the_modal_moves_the_due_date(slack):
    message = slack.mention("draft an invoice for deal 1", "U0RITA")
    value = buttons(message["blocks"], "invoice_edit")[0]
    invoice_id = int(value.split(":")[0])
    drawn = invoice(slack.db_url, invoice_id)
    assert drawn.payment_terms == "net_30" and drawn.due_date == TODAY + timedelta(days=30)

    view = open_editor(slack, "U0RITA", value, message)
    status, ack, took = slack.submit("U0RITA", view, payment_terms="net_15")  # every other field as it was
    assert status == 200 and ack == {} and took < 3
    update = wait_for(slack.mock, "chat.update")[-1]
    stored = invoice(slack.db_url, invoice_id)
    assert stored.payment_terms == "net_15" and stored.due_date == TODAY + timedelta(days=15)
    assert stored.total == drawn.total and stored.version == drawn.version + 1
    assert update.args["ts"] == message["ts"] and str(TODAY + timedelta(days=15)) in json.dumps(
        blocks_of(update)
    )
    assert buttons(blocks_of(update), "invoice_approve") == [f"{invoice_id}:{stored.version}"]


@pytest.mark.parametrize("typed", ["1,5", "１２３", "1e309", "9" * 400])
def test_a_malformed_amount_in_the_modal_is_shown_under_its_field_and_changes_nothing(slack, typed):
    message = slack.mention("draft an invoice for deal 1", "U0RITA")
    value = buttons(message["blocks"], "invoice_edit")[0]
    invoice_id = int(value.split(":")[0])
    drawn = invoice(slack.db_url, invoice_id)
    view = open_editor(slack, "U0RITA", value, message)
    field = f"line_{drawn.lines[0].id}_unit_price"
    status, ack, _ = slack.submit("U0RITA", view, **{field: typed, "due_date": "9999-12-31"})
    assert status == 200  # never an HTTP 500
    assert ack["response_action"] == "errors" and set(ack["errors"]) == {field, "due_date"}
    assert "1250.50" in ack["errors"][field]
    time.sleep(0.3)
    assert invoice(slack.db_url, invoice_id) == drawn and not slack.mock.calls_to("chat.update")


def test_an_edit_of_a_version_changed_since_the_modal_opened_saves_nothing(slack):
    from datetime import datetime

    from tools.actor import Actor
    from tools.invoices import flow

    message = slack.mention("draft an invoice for deal 1", "U0RITA")
    value = buttons(message["blocks"], "invoice_edit")[0]
    invoice_id = int(value.split(":")[0])
    view = open_editor(slack, "U0DANA", value, message)  # Dana opens the editor ...
    engine = get_engine(slack.db_url)
    rita = Actor(4, "Rita Rep", "rep", source="chat", label="chat:Rita")
    assert flow.edit(engine, invoice_id, rita, datetime(2026, 11, 19, 9, 30), {"payment_terms": "net_45"}).ok
    engine.dispose()
    shown_lines = invoice(slack.db_url, invoice_id).lines
    status, ack, _ = slack.submit(
        "U0DANA", view, **{f"line_{shown_lines[0].id}_quantity": "11"}
    )  # ... and saves on the old version
    assert status == 200 and ack == {}
    note = wait_for(slack.mock, "chat.postEphemeral")[-1]
    assert note.args["user"] == "U0DANA" and "changed by Rita Rep at 2026-11-19 09:30" in note.args["text"]
    assert "nothing was saved" in note.args["text"]
    stored = invoice(slack.db_url, invoice_id)
    assert stored.payment_terms == "net_45" and stored.lines[0].quantity == shown_lines[0].quantity
    redraw = wait_for(slack.mock, "chat.update")[-1]
    assert buttons(blocks_of(redraw), "invoice_approve") == [f"{invoice_id}:{stored.version}"]


def test_the_submission_is_acknowledged_before_the_database_is_touched(slack):
    message = slack.mention("draft an invoice for deal 1", "U0RITA")
    value = buttons(message["blocks"], "invoice_edit")[0]
    view = open_editor(slack, "U0RITA", value, message)
    path = slack.db_url.removeprefix("sqlite:///")
    lock = sqlite3.connect(path, timeout=1, check_same_thread=False)
    lock.execute("BEGIN EXCLUSIVE")  # someone holds the database for four seconds
    releaser = threading.Timer(4.0, lock.rollback)
    releaser.start()
    try:
        status, ack, took = slack.submit("U0RITA", view, payment_terms="net_15")
        assert status == 200 and ack == {} and took < 2.5  # Slack's limit is 3 s
        wait_for(slack.mock, "chat.update", timeout=20)  # the edit went through once the lock was gone
    finally:
        releaser.join()
        lock.close()
    assert invoice(slack.db_url, int(value.split(":")[0])).payment_terms == "net_15"


# --------------------------------------------------------------------------- several invoices, several approvers


def test_two_approvers_clicking_two_invoices_of_one_message_both_see_both(slack):
    message = slack.mention("draft an invoice for deal 6 in 2 quarterly parts", "U0RITA")
    first, second = buttons(message["blocks"], "invoice_approve")
    barrier = threading.Barrier(2)
    results = []

    def click(user: str, value: str) -> None:
        barrier.wait()
        results.append(slack.click(user, "invoice_approve", value, message)[0])

    threads = [threading.Thread(target=click, args=a) for a in (("U0DANA", first), ("U0MAX", second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == [200, 200]
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:  # the last update Slack received is what everyone sees
        updates = slack.mock.calls_to("chat.update")
        shown = json.dumps(blocks_of(updates[-1])) if updates else ""
        if "approved by Dana Manager" in shown and "approved by Max Manager" in shown:
            break
        time.sleep(0.1)
    assert "approved by Dana Manager" in shown and "approved by Max Manager" in shown
    last = blocks_of(slack.mock.calls_to("chat.update")[-1])
    assert buttons(last, "invoice_approve") == [] and "2 approved" in json.dumps(last)
    engine = get_engine(slack.db_url)
    with engine.connect() as conn:
        statuses = conn.execute(text("SELECT status FROM invoices WHERE created_by = 4")).scalars().all()
    engine.dispose()
    assert statuses == ["approved", "approved"]
