"""What people see in Slack: names with &, < and > intact everywhere, new block ids on every
redraw, a draft's headline that stays true, charts titled and described, App Home approvals a
person may act on, and a manifest that asks for exactly the scopes the code uses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.slack_app import running_bot, wait_answer_saved, wait_saved
from tests.slack_blockkit import displayed, mrkdwn_texts

TRICKY = "A&B <Corp>"


@pytest.fixture
def bot(demo_db_copy, monkeypatch, tmp_path):
    with running_bot(demo_db_copy, str(tmp_path / "data"), monkeypatch) as bot:
        yield bot


def _won_deal_for_a_tricky_company(bot, owner_id: int) -> int:
    with bot.engine().begin() as conn:
        company = conn.execute(
            text("SELECT id FROM companies WHERE owner_id = :o ORDER BY id LIMIT 1"), {"o": owner_id}
        ).scalar()
        conn.execute(text("UPDATE companies SET name = :n WHERE id = :i"), {"n": TRICKY, "i": company})
        product = conn.execute(text("SELECT id FROM products ORDER BY id LIMIT 1")).scalar()
        deal = conn.execute(
            text(
                "INSERT INTO deals (name, company_id, owner_id, amount, currency, stage, created_at, "
                "expected_close_date, closed_at) VALUES (:n, :c, :o, 1000, 'USD', 'closed_won', "
                "'2026-10-01', '2026-11-01', '2026-11-10') RETURNING id"
            ),
            {"n": f"{TRICKY} renewal", "c": company, "o": owner_id},
        ).scalar()
        conn.execute(
            text(
                "INSERT INTO deal_line_items (deal_id, product_id, description, quantity, unit_price, discount_pct) "
                "VALUES (:d, :p, 'Seats <gold> & support', 2, 500, 0)"
            ),
            {"d": deal, "p": product},
        )
    return deal


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _everything_shown(call) -> str:
    blocks = _json(call.args.get("blocks") or [])
    return (
        " ".join(displayed(t) for _, t in mrkdwn_texts(blocks)) + " " + displayed(call.args.get("text") or "")
    )


def _draft(bot, user: str, deal: int):
    """A person asks for a draft, the bot proposes it, the person says "yes" in the thread."""
    top, _ = bot.slack.user_says(user, "C0FIN", f"@crmbot draft an invoice for deal {deal}")
    proposal = bot.slack.wait_for("chat.postMessage", ok=True)[0]
    assert TRICKY in _everything_shown(proposal) and "Reply 'yes'" in _everything_shown(proposal)
    wait_saved(bot.db_url, f"C0FIN:{top}")
    bot.slack.user_says(user, "C0FIN", "@crmbot yes", thread_ts=top)
    return bot.slack.wait_for("chat.postMessage", count=2, ok=True)[1]


def test_a_company_called_a_and_b_corp_survives_draft_approval_modal_and_home(bot):
    rep, manager = bot.users["rep"], bot.users["manager"]
    deal = _won_deal_for_a_tricky_company(bot, rep.id)
    draft = _draft(bot, rep.slack_user_id, deal)
    assert TRICKY in _everything_shown(draft) and "Seats <gold> & support" in _everything_shown(draft)
    assert bot.slack.problems == []  # nothing Slack would mangle: every & < > was escaped

    assert bot.slack.open_home(rep.slack_user_id).status == 200
    home = bot.slack.wait_for("views.publish", ok=True)[0]
    assert TRICKY in " ".join(displayed(t) for _, t in mrkdwn_texts(_json(home.args["view"])["blocks"]))

    message = bot.slack.message("C0FIN", draft.response["ts"])
    bot.slack.click(rep.slack_user_id, "C0FIN", message.ts, "invoice_edit")
    bot.slack.wait_for("views.update", ok=True)
    (modal,) = bot.slack.open_views(rep.slack_user_id)
    assert TRICKY in " ".join(displayed(t) for _, t in mrkdwn_texts(modal.view["blocks"]))

    assert bot.slack.click(manager.slack_user_id, "C0FIN", message.ts, "invoice_approve").status == 200
    update = bot.slack.wait_for("chat.update", ok=True)[0]
    assert "approved" in displayed(update.args["text"]).lower()
    assert bot.slack.problems == []  # the redraw used new block ids too


def test_an_approved_drafts_headline_no_longer_says_pending(bot):
    rep, manager = bot.users["rep"], bot.users["manager"]
    deal = _won_deal_for_a_tricky_company(bot, rep.id)
    draft = _draft(bot, rep.slack_user_id, deal)
    ts = draft.response["ts"]
    assert bot.slack.click(manager.slack_user_id, "C0FIN", ts, "invoice_approve").status == 200
    bot.slack.wait_for("chat.update", ok=True)
    blocks = bot.slack.message("C0FIN", ts).blocks
    everything = " ".join(displayed(t) for _, t in mrkdwn_texts(blocks)).lower()
    assert "pending" not in everything and "approved by" in everything
    old_ids = {b.get("block_id") for b in _json(draft.args["blocks"]) if b.get("block_id")}
    assert old_ids and not old_ids & {b.get("block_id") for b in blocks}  # every block id is new


def test_show_sql_keeps_less_than_or_equal(bot):
    rep = bot.users["rep"]
    bot.slack.command(
        rep.slack_user_id,
        "C0SALES",
        "sql SELECT id, amount FROM deals WHERE amount <= 5000 ORDER BY id LIMIT 3",
    )
    post = bot.slack.wait_for("chat.postMessage", ok=True)[0]
    wait_answer_saved(bot, post)
    bot.slack.click(rep.slack_user_id, "C0SALES", post.response["ts"], "report_show_sql")
    note = bot.slack.wait_until(lambda: bot.slack.notes_for(rep.slack_user_id), what="the SQL")[0]
    assert "amount <= 5000" in displayed(note.text)
    assert bot.slack.problems == []


def test_a_chart_is_titled_by_its_question_and_described(bot):
    rep = bot.users["rep"]
    bot.slack.user_says(rep.slack_user_id, "C0SALES", "@crmbot bookings by rep this year")
    done = bot.slack.wait_for("files.completeUploadExternal", ok=True)[0]
    files = _json(done.args["files"])
    assert files[0]["title"] == "Bookings by rep this year"
    asked = bot.slack.calls_to("files.getUploadURLExternal")[0]
    assert "bookings by rep this year" in asked.args["alt_txt"].lower()


def test_a_managers_app_home_lists_only_invoices_a_manager_may_approve(bot):
    from crmbot.settings import get_settings

    rep, manager, admin = bot.users["rep"], bot.users["manager"], bot.users["admin"]
    limit = get_settings().invoice_admin_only_above
    with bot.engine().begin() as conn:
        big = conn.execute(
            text("SELECT number FROM invoices WHERE total > :l ORDER BY id LIMIT 1"), {"l": limit}
        ).scalar()
        small = conn.execute(
            text("SELECT number FROM invoices WHERE total < :l ORDER BY id LIMIT 1"), {"l": limit}
        ).scalar()
        conn.execute(
            text("UPDATE invoices SET status = 'pending_approval', created_by = :r WHERE number IN (:a, :b)"),
            {"r": rep.id, "a": big, "b": small},
        )
    homes = {}
    for person in (manager, admin):
        bot.slack.open_home(person.slack_user_id)
        bot.slack.wait_until(lambda p=person: p.slack_user_id in bot.slack.workspace.homes, what="a home tab")
        homes[person.role] = json.dumps(bot.slack.workspace.homes[person.slack_user_id])
    assert small in homes["manager"] and big not in homes["manager"]
    assert big in homes["admin"]


# --------------------------------------------------------------------------- the manifest

EVENT_SCOPES = {"app_mention": "app_mentions:read", "message.im": "im:history", "app_home_opened": None}
UPLOAD_METHODS = ("files.getUploadURLExternal", "files.completeUploadExternal")


def _methods_called_by_the_bot() -> set[str]:
    """Web API methods the Slack code calls (``client.chat_postMessage(`` -> ``chat.postMessage``)."""
    root = Path(__file__).resolve().parents[1] / "bot"
    found = set()
    for path in root.rglob("*.py"):
        for name in re.findall(r"\.([a-z]+_[A-Za-z0-9_]+)\(", path.read_text()):
            if name == "files_upload_v2":
                found.update(UPLOAD_METHODS)
            elif name.split("_")[0] in ("chat", "views", "users", "files", "auth", "apps", "conversations"):
                head, _, rest = name.partition("_")
                found.add(f"{head}.{rest.replace('_', '.')}")
    return found


def test_the_manifest_asks_for_exactly_the_scopes_the_code_uses():
    from tests.slack_mock import METHOD_SCOPES
    from tests.slack_workspace import load_manifest

    manifest = load_manifest()
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    needed = {"commands"} if manifest["features"].get("slash_commands") else set()
    for event in manifest["settings"]["event_subscriptions"]["bot_events"]:
        if EVENT_SCOPES[event]:
            needed.add(EVENT_SCOPES[event])
    called = _methods_called_by_the_bot()
    assert {"chat.postMessage", "chat.update", "chat.postEphemeral", "views.open", "users.info"} <= called
    for method in called:
        options = METHOD_SCOPES.get(method)
        if options:
            assert set(options) & scopes, f"{method} needs one of {options}"
            needed.add(next(s for s in options if s in scopes))
    needed.add("users:read.email")  # users.info shows a profile's email only with it
    assert scopes == needed, f"unused: {scopes - needed}, missing: {needed - scopes}"
    assert manifest["features"]["slash_commands"][0]["should_escape"] is True  # mentions arrive as ids
