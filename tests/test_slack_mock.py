"""The mock Slack refuses what Slack refuses: each rule the Slack tests rely on, checked on its own."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.slack_blockkit import displayed, mrkdwn_problems, validate_blocks
from tests.slack_mock import MockSlack, full_state
from tests.slack_typing import autolink
from tests.slack_workspace import load_manifest

PEOPLE = {
    "U0ANN": {"email": "ann@acme.com", "real_name": "Ann"},
    "U0BOB": {"email": "bob@acme.com", "real_name": "Bob"},
}


@pytest.fixture
def slack():
    with MockSlack(users=PEOPLE) as slack:
        yield slack


def client(slack: MockSlack, token: str | None = None) -> WebClient:
    return WebClient(token=token or slack.bot_token, base_url=slack.api_url)


def refusal(call) -> dict:
    with pytest.raises(SlackApiError) as refused:
        call()
    return refused.value.response.data


def test_the_bot_posts_only_where_it_is_a_member(slack):
    web = client(slack)
    assert web.chat_postMessage(channel="C0SALES", text="hi")["ok"]
    assert (
        web.chat_postMessage(channel="U0ANN", text="hi")["channel"] == "DU0ANN"
    )  # a user id: their DM with the bot
    assert refusal(lambda: web.chat_postMessage(channel="C0NOBOT", text="hi"))["error"] == "not_in_channel"
    assert (
        refusal(lambda: web.chat_postMessage(channel="G0PRIVATE", text="hi"))["error"] == "channel_not_found"
    )
    assert (
        refusal(lambda: web.chat_postMessage(channel="D0PEOPLE", text="hi"))["error"] == "channel_not_found"
    )
    assert (
        refusal(lambda: web.chat_postMessage(channel="C0NOWHERE", text="hi"))["error"] == "channel_not_found"
    )
    assert (
        refusal(lambda: web.chat_postEphemeral(channel="C0SALES", user="U0NOTHERE", text="hi"))["error"]
        == "user_not_in_channel"
    )


def test_chat_write_public_lets_the_bot_post_in_public_channels_only():
    manifest = load_manifest()
    manifest["oauth_config"]["scopes"]["bot"].append("chat:write.public")
    with MockSlack(users=PEOPLE, manifest=manifest) as slack:
        web = client(slack)
        assert web.chat_postMessage(channel="C0NOBOT", text="hi")["ok"]
        assert (
            refusal(lambda: web.chat_postMessage(channel="G0PRIVATE", text="hi"))["error"]
            == "channel_not_found"
        )


def test_tokens_and_scopes_come_from_the_manifest():
    manifest = load_manifest()
    manifest["oauth_config"]["scopes"]["bot"] = ["chat:write", "users:read"]
    with MockSlack(users=PEOPLE, manifest=manifest) as slack:
        assert refusal(lambda: client(slack, "xoxb-wrong").auth_test())["error"] == "invalid_auth"
        assert refusal(lambda: WebClient(base_url=slack.api_url).auth_test())["error"] == "not_authed"
        web = client(slack)
        denied = refusal(lambda: web.files_getUploadURLExternal(filename="a.png", length=3))
        assert denied["error"] == "missing_scope" and denied["needed"] == "files:write"
        assert denied["provided"] == "chat:write,users:read"
        assert "email" not in web.users_info(user="U0ANN")["user"]["profile"]  # needs users:read.email
        app_only = refusal(lambda: web.apps_connections_open(app_token=slack.bot_token))
        assert app_only["error"] == "not_allowed_token_type"
        assert web.apps_connections_open(app_token=slack.app_token)["url"].startswith("ws://")


@pytest.mark.parametrize(
    ("blocks", "error"),
    [
        (
            [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}],
            "must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
        ),
        ([{"type": "section", "text": {"type": "mrkdwn", "text": ""}}], "must be more than 0 characters"),
        ([{"type": "divider"}] * 51, "must contain at most 50 items"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], "less than 151"),
        ([{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}], "must be one of plain_text"),
        ([{"type": "divider", "block_id": "a"}, {"type": "divider", "block_id": "a"}], "duplicate block_id"),
        ([{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}], "1 to 10 items"),
        (
            [{"type": "table", "rows": [[{"type": "raw_text", "text": "x"}]] * 101}],
            "at most 100 items [json-pointer:/blocks/0/rows]",
        ),
        ([{"type": "table", "rows": [[{"type": "raw_text", "text": "x"}] * 21]}], "1 to 20 cells"),
        ([{"type": "table", "rows": [[{"type": "mrkdwn", "text": "x"}]]}], "raw_text or rich_text"),
        ([{"type": "table", "rows": [[{"type": "raw_text", "text": "x"}]]}] * 2, "only one table"),
        (
            [
                {
                    "type": "input",
                    "label": {"type": "plain_text", "text": "l"},
                    "element": {"type": "plain_text_input", "action_id": "a"},
                }
            ],
            "unsupported type: input",
        ),
        (
            [
                {
                    "type": "actions",
                    "elements": [
                        {"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "b"}},
                        {"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "c"}},
                    ],
                }
            ],
            "duplicate action_id",
        ),
        (
            [
                {
                    "type": "actions",
                    "elements": [
                        {"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "b" * 76}}
                    ],
                }
            ],
            "less than 76",
        ),
    ],
)
def test_block_kit_limits_are_refused_as_invalid_blocks(slack, blocks, error):
    denied = refusal(lambda: client(slack).chat_postMessage(channel="C0SALES", text="t", blocks=blocks))
    assert denied["error"] == "invalid_blocks"
    assert any(error in e for e in denied["errors"]), denied["errors"]


def test_one_table_of_100_rows_and_20_columns_is_fine():
    row = [{"type": "raw_text", "text": "x"}] * 20
    assert (
        validate_blocks(
            [{"type": "table", "rows": [row] * 100, "column_settings": [{"align": "right"}] * 20}]
        )
        == []
    )


def test_chat_update_only_of_messages_the_app_posted(slack):
    web = client(slack)
    assert (
        refusal(lambda: web.chat_update(channel="C0SALES", ts="1.2", text="x"))["error"]
        == "message_not_found"
    )
    from tests.slack_workspace import Message

    slack.workspace.add_message(Message("C0SALES", "5.5", "a person's words", [], "U0ANN"))
    assert (
        refusal(lambda: web.chat_update(channel="C0SALES", ts="5.5", text="x"))["error"]
        == "cant_update_message"
    )
    posted = web.chat_postMessage(
        channel="C0SALES", text="mine", blocks=[{"type": "divider", "block_id": "d1"}]
    )
    assert web.chat_update(channel="C0SALES", ts=posted["ts"], text="still mine")["ok"]
    web.chat_update(
        channel="C0SALES",
        ts=posted["ts"],
        text="v3",
        blocks=[{"type": "section", "block_id": "d1", "text": {"type": "mrkdwn", "text": "new"}}],
    )
    assert slack.problems == []  # d1 was gone in the previous iteration
    web.chat_update(
        channel="C0SALES",
        ts=posted["ts"],
        text="v4",
        blocks=[{"type": "section", "block_id": "d1", "text": {"type": "mrkdwn", "text": "newer"}}],
    )
    assert any("reuses block_id d1" in p for p in slack.problems)


def test_trigger_ids_work_once_and_expire(slack):
    web = client(slack)
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "T"}, "blocks": []}
    assert refusal(lambda: web.views_open(trigger_id="made.up", view=modal))["error"] == "invalid_trigger_id"
    trigger = slack.workspace.issue_trigger("U0ANN")
    assert web.views_open(trigger_id=trigger, view=modal)["ok"]
    assert refusal(lambda: web.views_open(trigger_id=trigger, view=modal))["error"] == "exchanged_trigger_id"
    slack.workspace.trigger_ttl_s = 0.05
    late = slack.workspace.issue_trigger("U0ANN")
    time.sleep(0.1)
    assert refusal(lambda: web.views_open(trigger_id=late, view=modal))["error"] == "expired_trigger_id"
    bad = {**modal, "title": {"type": "plain_text", "text": "a title longer than 24 chars"}}
    assert (
        refusal(lambda: web.views_open(trigger_id=slack.workspace.issue_trigger("U0ANN"), view=bad))["error"]
        == "invalid_arguments"
    )


def test_upload_completions_only_of_files_uploaded(slack, tmp_path):
    web = client(slack)
    gone = refusal(
        lambda: web.files_completeUploadExternal(files=[{"id": "F404", "title": "x"}], channel_id="C0SALES")
    )
    assert gone["error"] == "file_not_found"
    asked = web.files_getUploadURLExternal(filename="a.csv", length=3)
    early = refusal(
        lambda: web.files_completeUploadExternal(files=[{"id": asked["file_id"]}], channel_id="C0SALES")
    )
    assert early["error"] == "file_not_found"  # not uploaded yet
    urllib.request.urlopen(urllib.request.Request(asked["upload_url"], data=b"a,b", method="POST")).read()
    outside = refusal(
        lambda: web.files_completeUploadExternal(files=[{"id": asked["file_id"]}], channel_id="C0NOBOT")
    )
    assert outside["error"] == "not_in_channel"
    assert web.files_completeUploadExternal(
        files=[{"id": asked["file_id"], "title": "A"}], channel_id="C0SALES"
    )["ok"]
    twice = refusal(
        lambda: web.files_completeUploadExternal(files=[{"id": asked["file_id"]}], channel_id="C0SALES")
    )
    assert twice["error"] == "file_not_found"
    path = tmp_path / "chart.png"
    path.write_bytes(b"\x89PNG....")
    assert web.files_upload_v2(channel="C0SALES", file=str(path), title="Chart", alt_txt="A chart")["ok"]


def test_a_submitted_modal_carries_every_input(slack):
    view = {
        "type": "modal",
        "blocks": [
            {
                "type": "input",
                "block_id": "terms",
                "label": {"type": "plain_text", "text": "T"},
                "element": {
                    "type": "static_select",
                    "action_id": "terms",
                    "options": [
                        {"text": {"type": "plain_text", "text": n}, "value": n} for n in ("net_15", "net_30")
                    ],
                    "initial_option": {"text": {"type": "plain_text", "text": "net_30"}, "value": "net_30"},
                },
            },
            {
                "type": "input",
                "block_id": "due",
                "label": {"type": "plain_text", "text": "D"},
                "element": {"type": "datepicker", "action_id": "due", "initial_date": "2026-12-19"},
            },
            {
                "type": "input",
                "block_id": "note",
                "label": {"type": "plain_text", "text": "N"},
                "element": {"type": "plain_text_input", "action_id": "value", "initial_value": "hello"},
            },
        ],
    }
    state = full_state(view, {"terms": "net_15"})
    assert state["terms"]["terms"]["selected_option"]["value"] == "net_15"
    assert state["due"]["due"]["selected_date"] == "2026-12-19"  # unchanged, and still sent
    assert state["note"]["value"]["value"] == "hello"
    with pytest.raises(AssertionError):
        full_state(view, {"nope": "x"})


def test_typed_text_arrives_auto_linked():
    linked = autolink(
        "score ann@acme.com at acme.com & <b> @U0ANN #sales @crmbot https://x.io/a",
        bot_user_id="UBOT",
        channel_ids={"sales": "C0SALES"},
        user_ids={"U0ANN"},
    )
    assert linked == (
        "score <mailto:ann@acme.com|ann@acme.com> at <http://acme.com|acme.com> &amp; &lt;b&gt; "
        "<@U0ANN> <#C0SALES|sales> <@UBOT> <https://x.io/a>"
    )
    assert displayed(linked).startswith("score ann@acme.com at acme.com & <b>")


def test_unescaped_mrkdwn_is_a_problem_and_escaped_is_not(slack):
    assert mrkdwn_problems("A&B <Corp>") and not mrkdwn_problems("A&amp;B &lt;Corp&gt; <@U1> <http://a.b|x>")
    assert not mrkdwn_problems("> a quote\nline")
    client(slack).chat_postMessage(channel="C0SALES", text="A&B <Corp>")
    assert len(slack.problems) == 3  # &, < and >


def test_a_note_in_a_thread_that_does_not_exist_is_seen_by_nobody(slack):
    web = client(slack)
    top = web.chat_postMessage(channel="C0SALES", text="top")["ts"]
    web.chat_postEphemeral(channel="C0SALES", user="U0ANN", text="psst", thread_ts=top)
    assert slack.notes_for("U0ANN") == [] and slack.notes_for("U0ANN", visible=False)
    web.chat_postMessage(channel="C0SALES", text="a reply", thread_ts=top)
    web.chat_postEphemeral(channel="C0SALES", user="U0ANN", text="psst", thread_ts=top)
    assert len(slack.notes_for("U0ANN")) == 1
    slack.problems.clear()


def test_a_response_url_works_five_times(slack):
    url = slack.workspace.issue_response_url("C0NOBOT", "U0ANN")
    address = f"http://127.0.0.1:{slack.port}/response/{url.id}"

    def send(payload: dict) -> tuple[int, str]:
        request = urllib.request.Request(address, data=json.dumps(payload).encode(), method="POST")
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    assert send({}) == (400, "no_text")
    assert send({"text": "x", "blocks": [{"type": "nope"}]}) == (400, "invalid_blocks")
    assert [send({"text": f"n{n}", "response_type": "in_channel"}) for n in range(5)] == [(200, "ok")] * 5
    assert send({"text": "sixth"}) == (404, "expired_url")
    assert len(slack.bot_messages("C0NOBOT")) == 5  # in_channel answers, where the bot is not a member


def test_the_bots_own_dm_messages_are_echoed_back_as_events(slack):
    received = []

    class App(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), App)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        slack.connect_app(f"http://127.0.0.1:{server.server_address[1]}/", "secret")
        client(slack).chat_postMessage(channel="U0ANN", text="hello")
        slack.wait_until(lambda: received, what="the echo")
    finally:
        server.shutdown()
        server.server_close()
    event = received[0]["event"]
    assert event["type"] == "message" and event["channel_type"] == "im" and event["bot_id"] == "BBOT"
