"""The Slack bot end to end: real signed HTTP requests to the real bolt app, which talks to a
local mock of the Slack Web API (tests/slack_mock.py) over HTTP."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.request
from datetime import date
from urllib.parse import urlencode

import pytest
from sqlalchemy import select, text

from tests.slack_mock import MockSlack

SECRET = "test-signing-secret"
TODAY = date(2026, 11, 19)


def sign(body: bytes, ts: int | None = None, secret: str = SECRET) -> dict:
    ts = int(time.time()) if ts is None else ts
    base = f"v0:{ts}:".encode() + body
    sig = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": sig}


class Bot:
    """The bolt app served over HTTP on 127.0.0.1, with the mock Slack it talks to."""

    def __init__(self, url: str, slack: MockSlack, db_url: str, users: dict):
        self.url, self.slack, self.db_url, self.users = url, slack, db_url, users
        self._n = 0

    def post(self, body: bytes, content_type: str, headers: dict | None = None) -> int:
        req = urllib.request.Request(self.url, data=body, method="POST")
        req.add_header("Content-Type", content_type)
        for k, v in (headers if headers is not None else sign(body)).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def event(self, event: dict, event_id: str | None = None, headers_extra: dict | None = None) -> int:
        self._n += 1
        payload = {
            "token": "legacy",
            "team_id": "T0MOCK",
            "api_app_id": "A0MOCK",
            "type": "event_callback",
            "event_id": event_id or f"Ev{self._n:06d}",
            "event_time": int(time.time()),
            "event": event,
        }
        body = json.dumps(payload).encode()
        headers = {**sign(body), **(headers_extra or {})}
        return self.post(body, "application/json", headers)

    def mention(self, text_: str, user: str, ts: str, channel: str = "C0SALES", **kw) -> int:
        event = {
            "type": "app_mention",
            "user": user,
            "text": f"<@UBOT> {text_}",
            "ts": ts,
            "channel": channel,
        }
        return self.event(event, **kw)

    def click(
        self,
        user: str,
        action_id: str,
        value: str,
        *,
        channel: str = "C0SALES",
        message: dict | None = None,
        block_id: str | None = None,
    ) -> int:
        """A person clicks a button of ``message`` (a block_actions payload, as Slack sends it)."""
        message = message or {"ts": "1700000800.2", "blocks": []}
        action = {"type": "button", "action_id": action_id, "value": value}
        if block_id:
            action["block_id"] = block_id
        payload = {
            "type": "block_actions",
            "team": {"id": "T0MOCK"},
            "api_app_id": "A0MOCK",
            "token": "legacy",
            "trigger_id": "trig.1",
            "user": {"id": user},
            "channel": {"id": channel},
            "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel},
            "message": message,
            "actions": [action],
        }
        return self.interactive(payload)

    def interactive(self, payload: dict) -> int:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded")

    def command(self, text_: str, user: str, channel: str = "C0SALES") -> int:
        form = {
            "command": "/crm",
            "text": text_,
            "user_id": user,
            "channel_id": channel,
            "team_id": "T0MOCK",
            "trigger_id": "trig.1",
            "response_url": f"{self.slack.api_url}response",
        }
        return self.post(urlencode(form).encode(), "application/x-www-form-urlencoded")


@pytest.fixture
def bot(demo_db_copy, monkeypatch, tmp_path):
    from bot.slack.app import create_app
    from bot.slack.deps import SlackDeps
    from bot.slack.http import make_http_server
    from crmbot.settings import get_settings
    from db.engine import get_engine

    engine = get_engine(demo_db_copy)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, name, email, role, slack_user_id FROM users WHERE active AND slack_user_id IS NOT NULL"
            )
        ).all()
    users = {r.role: r for r in rows}
    with MockSlack(users={r.slack_user_id: {"email": r.email, "real_name": r.name} for r in rows}) as slack:
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test-token")
        monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
        monkeypatch.setenv("SLACK_API_URL", slack.api_url)
        monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path / "data"))
        monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
        monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
        get_settings.cache_clear()
        app = create_app(SlackDeps(settings=get_settings(), db_url=demo_db_copy, today=lambda: TODAY))
        server = make_http_server(app, "127.0.0.1", 0)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield Bot(f"http://127.0.0.1:{server.server_address[1]}/slack/events", slack, demo_db_copy, users)
        finally:
            server.shutdown()
            server.server_close()
            get_settings.cache_clear()
            engine.dispose()


def test_mention_is_answered_in_its_thread_with_a_table_and_a_chart(bot):
    rep = bot.users["rep"]
    assert bot.mention("bookings by rep this year", rep.slack_user_id, ts="1700000100.000100") == 200
    post = bot.slack.wait_for("chat.postMessage")[0]
    assert post.args["thread_ts"] == "1700000100.000100"
    blocks = json.loads(post.args["blocks"]) if isinstance(post.args["blocks"], str) else post.args["blocks"]
    assert any(b["type"] == "table" for b in blocks), [b["type"] for b in blocks]
    done = bot.slack.wait_for("files.completeUploadExternal")[0]
    assert done.args["thread_ts"] == "1700000100.000100"
    upload = bot.slack.calls_to("upload")[0]
    assert bot.slack.uploads[upload.args["file_id"]][:8] == b"\x89PNG\r\n\x1a\n"


def test_a_retried_delivery_is_answered_once(bot):
    rep = bot.users["rep"]
    assert (
        bot.mention(
            "how many open tickets do we have", rep.slack_user_id, ts="1700000200.1", event_id="EvSAME"
        )
        == 200
    )
    assert (
        bot.mention(
            "how many open tickets do we have",
            rep.slack_user_id,
            ts="1700000200.1",
            event_id="EvSAME",
            headers_extra={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
        )
        == 200
    )
    # the same message also delivered as a plain channel message event: still one answer
    bot.event(
        {
            "type": "message",
            "channel_type": "channel",
            "user": rep.slack_user_id,
            "text": "x",
            "ts": "1700000200.1",
            "channel": "C0SALES",
        }
    )
    bot.slack.wait_for("chat.postMessage")
    time.sleep(1.0)
    assert len(bot.slack.calls_to("chat.postMessage")) == 1


def test_a_bad_signature_is_refused_before_any_work(bot):
    rep = bot.users["rep"]
    body = json.dumps(
        {
            "type": "event_callback",
            "event_id": "EvBAD",
            "team_id": "T0MOCK",
            "event": {
                "type": "app_mention",
                "user": rep.slack_user_id,
                "text": "<@UBOT> revenue",
                "ts": "1.2",
                "channel": "C1",
            },
        }
    ).encode()
    assert bot.post(body, "application/json", sign(body, secret="wrong-secret")) == 401
    assert bot.post(body, "application/json", {}) == 401  # missing
    assert bot.post(body, "application/json", sign(body, ts=int(time.time()) - 3600)) == 401  # stale
    time.sleep(0.5)
    assert bot.slack.calls_to("chat.postMessage") == []
    from db.engine import get_engine

    with get_engine(bot.db_url).connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM crmbot_processed_events")).scalar() == 0


def _pending_invoice(db_url: str, creator_id: int, limit: float) -> int:
    from db.engine import get_engine
    from db.models import Invoice

    engine = get_engine(db_url)
    with engine.begin() as conn:
        inv_id = conn.execute(
            select(Invoice.id)
            .where(Invoice.status == "sent", Invoice.total < limit)
            .order_by(Invoice.id)
            .limit(1)
        ).scalar()
        conn.execute(
            text(
                "UPDATE invoices SET status='pending_approval', created_by=:c, approved_by=NULL, approved_at=NULL WHERE id=:i"
            ),
            {"c": creator_id, "i": inv_id},
        )
    return inv_id


def test_an_invoice_is_approved_by_button_and_the_message_updated(bot):
    from crmbot.settings import get_settings

    rep, manager = bot.users["rep"], bot.users["manager"]
    inv_id = _pending_invoice(bot.db_url, rep.id, get_settings().invoice_admin_only_above)
    from bot.render import to_blocks
    from db.engine import get_engine
    from tools.invoices.views import load_view

    with get_engine(bot.db_url).connect() as conn:
        view = load_view(conn, inv_id)
    message = {"ts": "1700000300.000001", "blocks": to_blocks(view)}

    def click() -> int:
        return bot.click(
            manager.slack_user_id,
            "invoice_approve",
            str(inv_id),
            channel="C0FIN",
            message=message,
            block_id=f"inv{inv_id}:actions",
        )

    assert click() == 200
    update = bot.slack.wait_for("chat.update")[0]
    assert update.args["ts"] == message["ts"]
    assert "approved" in update.args["text"].lower()
    with get_engine(bot.db_url).connect() as conn:
        status, approver = conn.execute(
            text("SELECT status, approved_by FROM invoices WHERE id=:i"), {"i": inv_id}
        ).one()
    assert (status, approver) == ("approved", manager.id)
    # a second click (or a second person) changes nothing more and says why, privately
    assert click() == 200
    note = bot.slack.wait_for("chat.postEphemeral")[0]
    assert "already" in note.args["text"].lower()
    # the message it was clicked on was out of date: it is drawn again as the database has it
    redraws = bot.slack.calls_to("chat.update")
    assert all(
        "approved" in r.args["text"] and "invoice_approve" not in json.dumps(r.args["blocks"])
        for r in redraws
    )


def test_a_rep_cannot_approve_and_gets_a_private_reason(bot):
    from crmbot.settings import get_settings

    rep = bot.users["rep"]
    inv_id = _pending_invoice(bot.db_url, rep.id, get_settings().invoice_admin_only_above)
    message = {"ts": "1700000400.1", "blocks": []}
    assert (
        bot.click(rep.slack_user_id, "invoice_approve", str(inv_id), channel="C0FIN", message=message) == 200
    )
    bot.slack.wait_for("chat.postEphemeral")
    assert bot.slack.calls_to("chat.update") == []


def test_rate_limited_calls_are_retried(bot):
    bot.slack.rate_limit["chat.postMessage"] = 1
    assert bot.command("help", bot.users["rep"].slack_user_id) == 200
    posts = bot.slack.wait_for("chat.postMessage", count=2, timeout=15)
    assert len(posts) == 2  # the 429, then the retry after Retry-After
    assert "bookings" in posts[-1].args["text"].lower()


def test_an_unknown_slack_user_gets_a_polite_message(bot):
    bot.mention("revenue last month", "U0NOBODY99", ts="1700000500.1")
    post = bot.slack.wait_for("chat.postMessage")[0]
    assert "can't find you" in post.args["text"]


def test_a_user_is_found_by_email_when_slack_id_is_not_in_the_crm(bot):
    from db.engine import get_engine

    rep = bot.users["rep"]
    with get_engine(bot.db_url).begin() as conn:
        conn.execute(text("UPDATE users SET slack_user_id = NULL WHERE id = :i"), {"i": rep.id})
    bot.mention("how many open tickets do we have", rep.slack_user_id, ts="1700000600.1")
    post = bot.slack.wait_for("chat.postMessage")[0]
    assert "can't find you" not in post.args["text"]
    assert bot.slack.calls_to("users.info")


def test_app_home_is_published(bot):
    manager = bot.users["manager"]
    bot.event({"type": "app_home_opened", "user": manager.slack_user_id, "tab": "home", "channel": "D1"})
    view = bot.slack.wait_for("views.publish")[0].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    texts = json.dumps(view["blocks"])
    assert "My pipeline" in texts and "What to ask me" in texts


def test_the_terminal_chat_and_slack_give_the_same_answer(bot, demo_db_copy):
    from bot.conversation import Context
    from bot.render import to_text
    from bot.router import handle
    from tools.actor import Actor

    rep = bot.users["rep"]
    question = "win rate by industry last year"
    bot.mention(question, rep.slack_user_id, ts="1700000700.1")
    post = bot.slack.wait_for("chat.postMessage")[0]
    ctx = Context(db_url=demo_db_copy, today=TODAY, actor=Actor(rep.id, rep.name, rep.role, source="chat"))
    assert post.args["text"] == to_text(handle(question, ctx).result)[: len(post.args["text"])]


def wait_saved(db_url: str, key: str, timeout: float = 10.0) -> None:
    """Thread state is written just after the answer is posted; a person never replies faster, a test does."""
    from db.engine import get_engine

    engine = get_engine(db_url)
    deadline = time.monotonic() + timeout
    with engine.connect() as conn:
        while time.monotonic() < deadline:
            query = text("SELECT 1 FROM crmbot_thread_state WHERE thread_key = :k")
            if conn.execute(query, {"k": key}).first():
                return
            conn.rollback()
            time.sleep(0.05)
    raise AssertionError(f"thread state {key} was never saved")


def _report_buttons(post) -> dict:
    blocks = json.loads(post.args["blocks"]) if isinstance(post.args["blocks"], str) else post.args["blocks"]
    actions = next(b for b in blocks if b["type"] == "actions")
    return {e["action_id"]: e["value"] for e in actions["elements"]}


def _click(bot, user: str, action_id: str, value: str) -> int:
    message = {"ts": "1700000800.2", "thread_ts": "1700000800.1", "blocks": []}
    return bot.click(user, action_id, value, message=message)


def test_show_sql_and_right_answer_buttons(bot):
    from db.engine import get_engine

    rep = bot.users["rep"]
    bot.mention("revenue by region last year", rep.slack_user_id, ts="1700000800.1")
    buttons = _report_buttons(bot.slack.wait_for("chat.postMessage")[0])
    wait_saved(bot.db_url, f"answer:{buttons['report_show_sql']}")

    assert _click(bot, rep.slack_user_id, "report_show_sql", buttons["report_show_sql"]) == 200
    note = bot.slack.wait_for("chat.postEphemeral")[0]
    assert "SELECT" in note.args["text"] and "payments" in note.args["text"]

    assert _click(bot, rep.slack_user_id, "report_feedback_right", buttons["report_feedback_right"]) == 200
    bot.slack.wait_for("chat.postEphemeral", count=2)
    with get_engine(bot.db_url).connect() as conn:
        saved = conn.execute(text("SELECT question, sql FROM crmbot_verified_questions")).all()
        verdicts = conn.execute(text("SELECT verdict FROM crmbot_answer_feedback")).scalars().all()
    assert [q for q, _ in saved] == ["revenue by region last year"] and "payments" in saved[0][1]
    assert verdicts == ["right"]

    assert _click(bot, rep.slack_user_id, "report_feedback_wrong", buttons["report_feedback_wrong"]) == 200
    bot.slack.wait_for("chat.postEphemeral", count=3)
    with get_engine(bot.db_url).connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM crmbot_verified_questions")).scalar() == 1
        assert sorted(conn.execute(text("SELECT verdict FROM crmbot_answer_feedback")).scalars()) == [
            "right",
            "wrong",
        ]


def test_crm_sql_command_runs_through_the_guard(bot):
    rep = bot.users["rep"]
    assert bot.command("sql DELETE FROM deals", rep.slack_user_id) == 200
    post = bot.slack.wait_for("chat.postMessage")[0]
    assert "not a DELETE" in post.args["text"] or "Only SELECT" in post.args["text"]
    from db.engine import get_engine

    with get_engine(bot.db_url).connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM deals")).scalar() > 0


def test_a_result_too_big_for_a_table_block_comes_as_a_csv_file(bot):
    rep = bot.users["rep"]
    bot.mention("activities by day this year", rep.slack_user_id, ts="1700000900.1")
    post = bot.slack.wait_for("chat.postMessage")[0]
    blocks = json.loads(post.args["blocks"]) if isinstance(post.args["blocks"], str) else post.args["blocks"]
    assert not any(b["type"] == "table" for b in blocks)  # over Slack's 100 rows
    done = bot.slack.wait_for("files.completeUploadExternal", count=2)  # the CSV, then the chart
    uploaded = [bot.slack.uploads[c.args["file_id"]] for c in bot.slack.calls_to("upload")]
    csv_files = [u for u in uploaded if u[:4] != b"\x89PNG"]
    assert csv_files and csv_files[0].count(b"\n") > 100
    assert all(c.args["thread_ts"] == "1700000900.1" for c in done)


def test_a_follow_up_in_the_thread_of_a_crm_answer_refines_it(bot):
    rep = bot.users["rep"]
    bot.command("bookings by rep this year", rep.slack_user_id)
    bot_ts = bot.slack.wait_for("chat.postMessage")[0].response["ts"]  # the answer starts a thread
    wait_saved(bot.db_url, f"C0SALES:{bot_ts}")
    event = {
        "type": "app_mention",
        "user": rep.slack_user_id,
        "text": "<@UBOT> and by region?",
        "ts": "1700001000.5",
        "thread_ts": bot_ts,
        "channel": "C0SALES",
    }
    bot.event(event)
    follow = bot.slack.wait_for("chat.postMessage", count=2)[1]
    assert follow.args["thread_ts"] == bot_ts
    blocks = json.dumps(follow.args["blocks"]).lower()
    assert "by region" in blocks and "refined the previous question" in blocks


def _blocks_of(call) -> list[dict]:
    blocks = call.args["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def _invoice_button(blocks: list[dict], action_id: str) -> str:
    actions = next(b for b in blocks if b["type"] == "actions")
    return next(e["value"] for e in actions["elements"] if e["action_id"] == action_id)


def test_approving_a_message_drawn_before_an_edit_redraws_it_instead(bot):
    """The approver approves exactly what they were shown: a click on a message older than the
    invoice's last edit approves nothing, redraws the current version and says why, privately."""
    from datetime import datetime, timedelta

    from bot.render import to_blocks
    from crmbot.settings import get_settings
    from db.engine import get_engine
    from tools.actor import Actor
    from tools.invoices import flow
    from tools.invoices.results import InvoiceDetail
    from tools.invoices.views import load_view

    rep, manager = bot.users["rep"], bot.users["manager"]
    inv_id = _pending_invoice(bot.db_url, rep.id, get_settings().invoice_admin_only_above)
    engine = get_engine(bot.db_url)
    with engine.connect() as conn:
        drawn = load_view(conn, inv_id)
    message = {"ts": "1700001100.000001", "blocks": to_blocks(InvoiceDetail(drawn))}
    old_value = _invoice_button(message["blocks"], "invoice_approve")
    assert old_value == f"{inv_id}:{drawn.version}"

    rep_actor = Actor(rep.id, rep.name, rep.role, source="slack", label=f"slack:{rep.slack_user_id}")
    later_due = drawn.due_date + timedelta(days=30)
    edited = flow.edit(engine, inv_id, rep_actor, datetime(2026, 11, 19, 9, 30), {"due_date": later_due})
    assert edited.ok, edited.message

    def click(value: str, blocks: list[dict]) -> int:
        return bot.click(
            manager.slack_user_id,
            "invoice_approve",
            value,
            channel="C0FIN",
            message={"ts": message["ts"], "blocks": blocks},
            block_id=f"inv{inv_id}:actions",
        )

    def status() -> str:
        with engine.connect() as conn:
            return conn.execute(text("SELECT status FROM invoices WHERE id=:i"), {"i": inv_id}).scalar()

    assert click(old_value, message["blocks"]) == 200
    redraw = bot.slack.wait_for("chat.update")[0]
    note = bot.slack.wait_for("chat.postEphemeral")[0]
    assert status() == "pending_approval"
    assert note.args["user"] == manager.slack_user_id
    assert f"was changed by {rep.name} at 2026-11-19 09:30 after this message was drawn" in note.args["text"]
    redrawn = _blocks_of(redraw)
    new_value = _invoice_button(redrawn, "invoice_approve")
    assert redraw.args["ts"] == message["ts"] and new_value == f"{inv_id}:{edited.invoice.version}"
    assert new_value != old_value and str(later_due) in json.dumps(redrawn)

    # a message drawn before versions existed carries a bare id: refused too, once edited
    assert click(str(inv_id), message["blocks"]) == 200
    bot.slack.wait_for("chat.postEphemeral", count=2)
    assert status() == "pending_approval"

    assert click(new_value, redrawn) == 200
    done = bot.slack.wait_for("chat.update", count=3)[2]
    assert status() == "approved" and "approved" in done.args["text"].lower()
    assert not any(b["type"] == "actions" for b in _blocks_of(done))
    engine.dispose()


def test_the_edit_modal_redraws_the_message_with_buttons_for_the_new_version(bot):
    from crmbot.settings import get_settings

    rep = bot.users["rep"]
    inv_id = _pending_invoice(bot.db_url, rep.id, get_settings().invoice_admin_only_above)
    view = {
        "id": "V0EDIT",
        "type": "modal",
        "callback_id": "invoice_edit_modal",
        "private_metadata": json.dumps({"invoice_id": inv_id, "channel": "C0FIN", "ts": "1700001200.1"}),
        "state": {
            "values": {
                "payment_terms": {
                    "payment_terms": {"type": "static_select", "selected_option": {"value": "net_45"}}
                }
            }
        },
    }
    payload = {
        "type": "view_submission",
        "team": {"id": "T0MOCK"},
        "api_app_id": "A0MOCK",
        "token": "legacy",
        "trigger_id": "trig.4",
        "user": {"id": rep.slack_user_id},
        "view": view,
    }
    assert bot.interactive(payload) == 200
    update = bot.slack.wait_for("chat.update")[0]
    assert update.args["ts"] == "1700001200.1"
    assert _invoice_button(_blocks_of(update), "invoice_approve") == f"{inv_id}:1"
