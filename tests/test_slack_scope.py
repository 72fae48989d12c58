"""Who sees what in Slack, on the strict mock Slack: answers that name customers stay with the asker in
shared channels (CRMBOT_CHANNEL_ANSWERS), the audit trail is for admins and answered privately, every
question lands in the trail with the Slack id and channel, and a rep's scope holds in Slack too."""

from __future__ import annotations

import time

import pytest

from tests.slack_app import running_bot
from tests.slack_blockkit import displayed


def _bot(demo_db_copy, monkeypatch, tmp_path, **settings):
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    return running_bot(demo_db_copy, str(tmp_path / "data"), monkeypatch)


def _table_in(blocks) -> bool:
    return any(b.get("type") == "table" for b in blocks or [])


def _trail(tmp_path):
    from tools.audit import entries, forget_state

    forget_state()
    return entries(url=f"sqlite:///{(tmp_path / 'data' / 'audit.db').resolve()}")


def test_ephemeral_answers_naming_customers_reach_only_the_asker(demo_db_copy, monkeypatch, tmp_path):
    with _bot(demo_db_copy, monkeypatch, tmp_path, CRMBOT_CHANNEL_ANSWERS="ephemeral") as bot:
        rep = bot.users["rep"].slack_user_id
        bot.slack.user_says(rep, "C0SALES", "@crmbot top 5 customers by revenue this year")
        notes = bot.slack.wait_until(
            lambda: [n for n in bot.slack.notes_for(rep) if _table_in(n.blocks)], what="a private answer"
        )
        assert "revenue" in displayed(notes[0].text).lower() and "Only you can see" in str(notes[0].blocks)
        time.sleep(0.3)
        assert bot.slack.bot_messages("C0SALES") == []  # the channel sees no customer list
        assert bot.slack.calls_to("files.completeUploadExternal") == []  # no chart for everyone either
        # an answer without customers is answered in the thread as usual
        ts, _ = bot.slack.user_says(rep, "C0SALES", "@crmbot bookings by rep this year")
        posted = bot.slack.wait_until(lambda: bot.slack.bot_messages("C0SALES"), what="the thread answer")
        assert posted[0].thread_ts == ts and _table_in(posted[0].blocks)
        # in the asker's own DM nothing changes: the answer is posted there
        bot.slack.user_says(rep, f"D{rep}", "top 5 customers by revenue this year")
        in_dm = bot.slack.wait_until(lambda: bot.slack.bot_messages(f"D{rep}"), what="the DM answer")
        assert _table_in(in_dm[0].blocks)
    trail = _trail(tmp_path)
    mention = next(
        r for r in trail if "top 5 customers" in r["text"] and r["place"].startswith("slack channel")
    )
    assert mention["slack_user_id"] == rep and mention["place"] == "slack channel C0SALES"
    assert mention["source"] == "slack" and mention["answer_kind"] == "report" and mention["sql"]
    assert any(r["place"] == f"slack DM D{rep}" for r in trail)


def test_dm_answers_go_to_the_askers_dm_with_their_chart_and_follow_ups(demo_db_copy, monkeypatch, tmp_path):
    with _bot(demo_db_copy, monkeypatch, tmp_path, CRMBOT_CHANNEL_ANSWERS="dm") as bot:
        rep = bot.users["rep"].slack_user_id
        bot.slack.user_says(rep, "C0SALES", "@crmbot top 5 customers by revenue this year")
        answer = bot.slack.wait_until(lambda: bot.slack.bot_messages(f"D{rep}"), what="the answer in the DM")[
            0
        ]
        assert _table_in(answer.blocks)
        note = bot.slack.wait_until(lambda: bot.slack.notes_for(rep), what="the note in the channel")[0]
        assert "direct message" in displayed(note.text)
        uploads = bot.slack.wait_until(
            lambda: bot.slack.calls_to("files.completeUploadExternal"), what="the chart in the DM"
        )
        assert uploads[0].args["channel_id"] == f"D{rep}"
        time.sleep(0.3)
        assert bot.slack.bot_messages("C0SALES") == []
        # a follow-up in the DM's thread refines the answer
        from tests.slack_app import wait_saved

        wait_saved(bot.db_url, f"D{rep}:{answer.ts}")
        bot.slack.user_says(rep, f"D{rep}", "now by region", thread_ts=answer.ts)
        again = bot.slack.wait_until(
            lambda: [
                m
                for m in bot.slack.bot_messages(f"D{rep}")
                if m.thread_ts == answer.ts and "region" in str(m.blocks).lower()
            ],
            what="the follow-up by region",
        )
        assert _table_in(again[0].blocks)


def test_the_audit_trail_is_for_admins_and_answered_privately(demo_db_copy, monkeypatch, tmp_path):
    with _bot(demo_db_copy, monkeypatch, tmp_path) as bot:  # the default: answers in threads
        rep, admin = bot.users["rep"].slack_user_id, bot.users["admin"].slack_user_id
        bot.slack.user_says(rep, "C0SALES", "@crmbot pipeline by stage")
        bot.slack.wait_until(lambda: bot.slack.bot_messages("C0SALES"), what="an answer")
        bot.slack.command(rep, "C0SALES", "audit")
        refused = bot.slack.wait_until(
            lambda: [m for m in bot.slack.bot_messages("C0SALES") if "Only admins" in m.text],
            what="a refusal",
        )
        assert refused
        assert bot.slack.command(admin, "C0SALES", "audit").status == 200
        (listing,) = bot.slack.wait_for("response", ok=True)
        assert listing.args.get("response_type", "ephemeral") == "ephemeral"  # never to the channel
        assert "pipeline by stage" in str(listing.args["blocks"])
        assert not [m for m in bot.slack.bot_messages("C0SALES") if "pipeline by stage" in str(m.blocks)]


@pytest.mark.parametrize("scope", ["own"])
def test_a_reps_scope_holds_in_slack(demo_db_copy, monkeypatch, tmp_path, scope):
    from sqlalchemy import text

    with _bot(demo_db_copy, monkeypatch, tmp_path, CRMBOT_REP_SCOPE=scope) as bot:
        rep = bot.users["rep"]
        with bot.engine().connect() as conn:
            other = conn.execute(
                text(
                    "SELECT name FROM companies c WHERE owner_id <> :r AND lifecycle_stage = 'customer' "
                    "AND (SELECT COUNT(*) FROM companies d WHERE d.name = c.name) = 1 ORDER BY id LIMIT 1"
                ),
                {"r": rep.id},
            ).scalar()
        bot.slack.user_says(rep.slack_user_id, "C0SALES", f"@crmbot how is {other} doing")
        answer = bot.slack.wait_until(lambda: bot.slack.bot_messages("C0SALES"), what="an answer")[0]
        assert "not yours to see" in displayed(answer.text)
        bot.slack.command(rep.slack_user_id, "C0SALES", "sql SELECT email FROM users")
        refused = bot.slack.wait_until(
            lambda: [m for m in bot.slack.bot_messages("C0SALES") if "people data" in displayed(m.text)],
            what="the SQL refused",
        )
        assert refused
