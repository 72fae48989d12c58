"""Slack burst benchmark: 200 signed events at the HTTP app, acks, replies once, event -> reply time.

    python bench/bench_slack.py [--events 200] [--retries 20] [--workers 20] [--companies 500]
                                [--processes N] [--slow-commands 20] [--slow-window 1500] [--only-slow]

How it runs: a 500-company demo database (``db.demo.generate``, today 2026-11-19) in a temp
folder, the local mock Slack Web API (tests/slack_mock.py) and the real bolt app served over
HTTP on 127.0.0.1, built the way tests/test_slack.py builds it. A thread pool sends ``--events``
signed ``app_mention`` events (report questions, each its own event id and ts, hence its own
thread), plus ``--retries`` of them sent again with X-Slack-Retry-Num, which must not be
answered twice. Measured: the HTTP ack time of every request; the time from sending an event to
the mock recording the ``chat.postMessage`` in its thread (the answer with its table); and to
``files.completeUploadExternal`` in that thread (the chart uploaded too). Prints Markdown.

Then (``--slow-commands 20``) a burst of slow commands: 20 `/crm sql` whose query takes SQLite
about two seconds each (a bounded self-join of activities), sent at once by the mock Slack as Slack
sends commands, then `/crm help`: every ack must stay under 3 s, however busy the answer threads.

With ``--processes N`` the bot is not served in this process but by ``crmbot serve --http
--workers N`` in a subprocess (N uvicorn worker processes sharing the port), so the same burst
measures what several worker processes buy; ``--workers`` stays the number of senders.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TODAY = date(2026, 11, 19)
SECRET = "bench-signing-secret"
CHANNEL = "C0BENCH"
ACK_LIMIT_S = 3.0
WAIT_FOR_REPLIES_S = 300.0
WAIT_FOR_ONE_REPLY_S = 30.0
NO_CHART_AFTER_S = 0.5  # no upload started this long after a reply: that answer has no chart
ISOLATED_FIRST = 900_000  # event numbers of the one-at-a-time phase, apart from the burst's
LLM_AND_SOCKET_SETTINGS = ("SLACK_APP_TOKEN", "OPENAI_BASE_URL", "OPENAI_MODEL")  # unset: rules, HTTP
QUESTIONS = (
    "bookings by rep this year",
    "which 10 customers owe us the most",
    "win rate by industry last year",
    "revenue by month this year",
    "open pipeline by stage",
    "top 5 customers by revenue last quarter",
    "deals won this quarter",
    "outstanding invoices by country",
    "average deal size by rep in 2025",
    "tickets by priority this month",
)


def signed_headers(body: bytes) -> dict:
    ts = str(int(time.time()))
    signature = hmac.new(SECRET.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={signature}"}


def mention_body(number: int, question: str, user: str) -> tuple[bytes, str]:
    """An event_callback for one app_mention, and its ts (which is also the reply's thread_ts)."""
    ts = f"1700001000.{number:06d}"
    payload = {
        "token": "legacy",
        "team_id": "T0MOCK",
        "api_app_id": "A0MOCK",
        "type": "event_callback",
        "event_id": f"EvBench{number:06d}",
        "event_time": int(time.time()),
        "event": {
            "type": "app_mention",
            "user": user,
            "text": f"<@UBOT> {question}",
            "ts": ts,
            "channel": CHANNEL,
        },
    }
    return json.dumps(payload).encode(), ts


def send(url: str, body: bytes, extra_headers: dict | None = None) -> tuple[float, float, int]:
    """(sent at, ack seconds, HTTP status; 0 when the connection failed) for one signed POST."""
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", "application/json")
    for name, value in {**signed_headers(body), **(extra_headers or {})}.items():
        request.add_header(name, value)
    sent = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (urllib.error.URLError, OSError):  # reset, refused or timed out: counted, not fatal
        status = 0
    return sent, time.monotonic() - sent, status


def make_demo(folder: Path, companies: int) -> str:
    from db.demo import generate
    from db.engine import get_engine

    url = f"sqlite:///{folder / 'demo.db'}"
    engine = get_engine(url)
    generate(engine, seed=7, today=TODAY, companies=companies)
    engine.dispose()
    return url


def slack_users(db_url: str) -> dict[str, dict]:
    from sqlalchemy import text

    from db.engine import get_engine

    with get_engine(db_url).connect() as conn:
        rows = conn.execute(
            text("SELECT name, email, slack_user_id FROM users WHERE active AND slack_user_id IS NOT NULL")
        ).all()
    return {r.slack_user_id: {"email": r.email, "real_name": r.name} for r in rows}


def bot_environment(slack, data_dir: Path) -> dict[str, str]:
    """The settings the bot reads from the environment: the mock Slack, the secret, a data folder."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("SLACK_APP_TOKEN", "OPENAI_BASE_URL", "OPENAI_MODEL")
    }
    env.update(
        SLACK_BOT_TOKEN=slack.bot_token,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack.api_url,
        CRMBOT_DATA_DIR=str(data_dir),
    )
    return env


def start_bot(db_url: str, slack, data_dir: Path) -> tuple[Callable[[], None], str]:
    """The bolt app on the web app, served by uvicorn on a thread of this process, as tests do; (stop, url)."""
    from bot.slack.app import create_app
    from bot.slack.deps import SlackDeps
    from crmbot.settings import get_settings
    from tests.web_server import start_web_app

    for name in LLM_AND_SOCKET_SETTINGS:
        os.environ.pop(name, None)
    os.environ.update(bot_environment(slack, data_dir))
    get_settings.cache_clear()
    app = create_app(SlackDeps(settings=get_settings(), db_url=db_url, today=lambda: TODAY))
    server = start_web_app(app, db_url, TODAY)

    def stop() -> None:
        server.stop()
        inbox = getattr(app, "inbox", None)  # None: an app from before the inbox (a "before" figure)
        if inbox is not None:
            inbox.close(wait=True)

    return stop, f"{server.url}/slack/events"


def start_bot_processes(db_url: str, slack, data_dir: Path, processes: int) -> tuple[Callable[[], None], str]:
    """``crmbot serve --http --workers N`` in a subprocess, once all N workers answer; (stop, url)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [str(Path(sys.executable).with_name("crmbot")), "serve", "--http", "--host", "127.0.0.1"]
    command += [
        "--port",
        str(port),
        "--workers",
        str(processes),
        "--db",
        db_url,
        "--today",
        TODAY.isoformat(),
    ]
    server = subprocess.Popen(command, env=bot_environment(slack, data_dir), stderr=subprocess.DEVNULL)

    def stop() -> None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_workers(base, server, processes)
    except BaseException:
        stop()
        raise
    return stop, f"{base}/slack/events"


def wait_for_workers(base: str, server: subprocess.Popen, processes: int, timeout_s: float = 60.0) -> None:
    """Until /api/health, asked on fresh connections, was answered by ``processes`` different workers."""
    seen: set[str] = set()
    deadline = time.monotonic() + timeout_s
    while len(seen) < processes:
        if server.poll() is not None:
            raise SystemExit(f"crmbot serve exited with status {server.returncode}")
        if time.monotonic() > deadline:
            raise SystemExit(f"only {len(seen)} of {processes} workers answered /api/health")
        try:
            with urllib.request.urlopen(f"{base}/api/health", timeout=2) as response:
                seen.add(response.headers.get("X-Crmbot-Worker"))
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)


def first_call_by_thread(slack, method: str) -> tuple[dict[str, float], int]:
    """{thread_ts: time of the first call}, and how many calls repeated a thread already answered."""
    first, repeats = {}, 0
    for call in slack.calls_to(method):
        thread = call.args.get("thread_ts")
        if thread in first:
            repeats += 1
        else:
            first[thread] = call.at
    return first, repeats


def wait_for_replies(slack, expected: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if len(slack.calls_to("chat.postMessage")) >= expected:
            return
        time.sleep(0.05)
    print(
        f"warning: only {len(slack.calls_to('chat.postMessage'))} of {expected} replies arrived",
        file=sys.stderr,
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def no_upload_since(slack, replied_at: float) -> bool:
    """True when no upload started within NO_CHART_AFTER_S after a reply (the answer has no chart)."""
    if time.monotonic() - replied_at < NO_CHART_AFTER_S:
        return False
    return not any(c.at >= replied_at for c in slack.calls_to("files.getUploadURLExternal"))


def wait_for_thread(slack, ts: str) -> tuple[dict[str, float], dict[str, float]]:
    """Wait for the reply in thread ``ts`` and, when an upload starts right after it, for the chart."""
    deadline = time.monotonic() + WAIT_FOR_ONE_REPLY_S
    while time.monotonic() < deadline:
        replied, _ = first_call_by_thread(slack, "chat.postMessage")
        charted, _ = first_call_by_thread(slack, "files.completeUploadExternal")
        if ts in charted:
            break
        if ts in replied and no_upload_since(slack, replied[ts]):
            break
        time.sleep(0.005)
    return replied, charted


def run_isolated(url: str, slack, user: str, events: int) -> dict:
    """Events one at a time, each waiting for its reply: the latency of an idle bot.

    The first ask of each question draws its chart; a repeat finds the chart already drawn."""
    to_reply, to_chart = [], []
    for number in range(ISOLATED_FIRST, ISOLATED_FIRST + events):
        body, ts = mention_body(number, QUESTIONS[number % len(QUESTIONS)], user)
        sent, _, _ = send(url, body)
        replied, charted = wait_for_thread(slack, ts)
        if ts in replied:
            to_reply.append(replied[ts] - sent)
        if ts in charted:
            to_chart.append(charted[ts] - sent)
    return {"to_reply": to_reply, "to_chart": to_chart}


def run_burst(url: str, slack, user: str, events: int, retries: int, workers: int) -> dict:
    bodies = [mention_body(n, QUESTIONS[n % len(QUESTIONS)], user) for n in range(1, events + 1)]
    retry_every = max(1, events // max(1, retries))
    retried = [bodies[i] for i in range(0, events, retry_every)][:retries]
    retry_headers = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    already = len(slack.calls_to("chat.postMessage"))
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        firsts = list(pool.map(lambda b: send(url, b[0]), bodies))
        repeats = list(pool.map(lambda b: send(url, b[0], retry_headers), retried))
    wait_for_replies(slack, already + events, WAIT_FOR_REPLIES_S)
    time.sleep(1.0)  # late duplicates, if any, would arrive now
    replied, duplicates = first_call_by_thread(slack, "chat.postMessage")
    charted, _ = first_call_by_thread(slack, "files.completeUploadExternal")
    sent_at = {ts: sent for (_, ts), (sent, _, _) in zip(bodies, firsts, strict=True)}
    to_reply = [replied[ts] - sent_at[ts] for ts in sent_at if ts in replied]
    to_chart = [charted[ts] - sent_at[ts] for ts in sent_at if ts in charted]
    acks = [ack for _, ack, _ in firsts + repeats]
    return {
        "acks": acks,
        "statuses": {status for _, _, status in firsts + repeats},
        "replied": len(to_reply),
        "duplicates": duplicates,
        "to_reply": to_reply,
        "to_chart": to_chart,
        "wall": time.monotonic() - started,
    }


def slow_sql(window: int) -> str:
    """A `/crm sql` that the guard accepts and SQLite takes about a second over (a bounded self-join)."""
    return f"sql SELECT COUNT(*) AS pairs FROM activities a, activities b WHERE b.id BETWEEN a.id - {window} AND a.id - 1"


def run_quick_commands(url: str, slack, user: str, count: int) -> list[float]:
    """The reference, measured in the same run: ``count`` `/crm help` at once; their ack times."""
    slack.connect_app(url, SECRET)
    already = len(slack.calls_to("chat.postMessage"))
    with ThreadPoolExecutor(max_workers=count) as pool:
        acks = list(pool.map(lambda _: slack.command(user, CHANNEL, "help"), range(count)))
    wait_for_replies(slack, already + count, WAIT_FOR_REPLIES_S)
    return [a.seconds for a in acks]


def run_slow_commands(url: str, slack, user: str, count: int, window: int) -> dict:
    """``count`` slow `/crm sql` commands at once, then `/crm help`, sent by the mock Slack as Slack
    sends them (signed, with trigger ids and response URLs); the ack time of each, and how long
    until every command and the help were answered."""
    slack.connect_app(url, SECRET)
    already = len(slack.calls_to("chat.postMessage"))
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=count) as pool:
        slow = [pool.submit(slack.command, user, CHANNEL, slow_sql(window)) for _ in range(count)]
        time.sleep(0.2)  # the slow ones are being answered: then a quick one
        help_sent = time.monotonic()
        help_ack = slack.command(user, CHANNEL, "help")
        acks = [f.result() for f in slow] + [help_ack]
    wait_for_replies(slack, already + count + 1, WAIT_FOR_REPLIES_S)
    posts = slack.calls_to("chat.postMessage")[already:]
    help_at = next((c.at for c in posts if "bookings" in (c.args.get("text") or "").lower()), None)
    return {
        "acks": [a.seconds for a in acks],
        "statuses": {a.status for a in acks},
        "answered": len(posts),
        "help_reply": help_at - help_sent if help_at else None,
        "wall": (max(c.at for c in posts) - started) if posts else None,
    }


def slow_report(stats: dict, count: int, window: int) -> None:
    acks, quick = stats["acks"], stats["quick_acks"]
    alone = stats.get("one_alone")
    rows = [
        (
            f"reference: {len(quick)} `/crm help` at once, ack max / p50 / p95",
            f"{ms(max(quick))} / {ms(statistics.median(quick))} / {ms(percentile(quick, 0.95))}",
        ),
        ("slow commands: sent at once (+ `/crm help` 0.2 s later)", f"{count} x `{slow_sql(window)}`"),
        ("one slow command alone: command -> answer", f"{alone:.1f} s" if alone else "n/a"),
        ("HTTP statuses", ", ".join(str(s) for s in sorted(stats["statuses"]))),
        (
            "ack max / p50 / p95",
            f"{ms(max(acks))} / {ms(statistics.median(acks))} / {ms(percentile(acks, 0.95))}",
        ),
        ("ack p95 / reference p95", f"{percentile(acks, 0.95) / percentile(quick, 0.95):.1f}x"),
        ("every ack under 3 s", "yes" if max(acks) < ACK_LIMIT_S else "no"),
        ("commands answered", f"{stats['answered']} of {count + 1}"),
        ("`/crm help` sent -> answered", f"{stats['help_reply']:.1f} s" if stats["help_reply"] else "n/a"),
        ("wall time until the last answer", f"{stats['wall']:.1f} s" if stats["wall"] else "n/a"),
    ]
    print("\n| slow-command burst | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


def time_one_slow_command(url: str, slack, user: str, window: int) -> float:
    slack.connect_app(url, SECRET)
    already = len(slack.calls_to("chat.postMessage"))
    sent = time.monotonic()
    slack.command(user, CHANNEL, slow_sql(window))
    wait_for_replies(slack, already + 1, WAIT_FOR_ONE_REPLY_S)
    return slack.calls_to("chat.postMessage")[-1].at - sent


def latency_row(name: str, values: list[float]) -> tuple[str, str]:
    if not values:
        return name, "n/a"
    return name, f"{ms(statistics.median(values))} / {ms(percentile(values, 0.95))} (n={len(values)})"


def report(stats: dict, isolated: dict, events: int, retries: int, workers: int, processes: int) -> None:
    acks = stats["acks"]
    served_by = (
        f"`crmbot serve --http --workers {processes}`" if processes else "the app in the bench process"
    )
    rows = [
        ("served by", served_by),
        ("one at a time: event -> reply (table), median / p95", latency_row("", isolated["to_reply"])[1]),
        ("one at a time: event -> chart uploaded, median / p95", latency_row("", isolated["to_chart"])[1]),
        (
            "burst: events sent (+ retried deliveries)",
            f"{events} (+{retries}), {workers} senders in parallel",
        ),
        ("burst: HTTP statuses", ", ".join(str(s) for s in sorted(stats["statuses"]))),
        (
            "burst: ack max / p50 / p95",
            f"{ms(max(acks))} / {ms(statistics.median(acks))} / {ms(percentile(acks, 0.95))}",
        ),
        ("burst: every ack under 3 s", "yes" if max(acks) < ACK_LIMIT_S else "no"),
        ("burst: threads answered", f"{stats['replied']} of {events}"),
        ("burst: duplicate replies", str(stats["duplicates"])),
        latency_row("burst: event -> reply (table), median / p95", stats["to_reply"]),
        latency_row("burst: event -> chart uploaded, median / p95", stats["to_chart"]),
        ("burst: wall time until the last reply", f"{stats['wall']:.1f} s"),
    ]
    print("| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--retries", type=int, default=20)
    parser.add_argument("--workers", type=int, default=20)
    parser.add_argument("--companies", type=int, default=500)
    parser.add_argument(
        "--isolated", type=int, default=2 * len(QUESTIONS), help="events sent one at a time first"
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=0,
        help="serve with `crmbot serve --http --workers N` in a subprocess (0: the app in this process)",
    )
    parser.add_argument(
        "--slow-commands", type=int, default=20, help="slow `/crm sql` sent at once (0: skip)"
    )
    parser.add_argument("--slow-window", type=int, default=1500, help="how slow: the self-join's id window")
    parser.add_argument("--only-slow", action="store_true", help="skip the 200-event burst")
    options = parser.parse_args()

    from tests.slack_mock import MockSlack

    with tempfile.TemporaryDirectory(prefix="bench_slack_") as tmp:
        folder = Path(tmp)
        print(f"generating a {options.companies}-company demo database ...", file=sys.stderr)
        db_url = make_demo(folder, options.companies)
        users = slack_users(db_url)
        with MockSlack(users=users) as slack:
            if options.processes:
                stop, url = start_bot_processes(db_url, slack, folder / "data", options.processes)
            else:
                stop, url = start_bot(db_url, slack, folder / "data")
            user = next(iter(users))
            stats = slow = None
            try:
                if not options.only_slow:
                    isolated = run_isolated(url, slack, user, options.isolated)
                    stats = run_burst(url, slack, user, options.events, options.retries, options.workers)
                if options.slow_commands:
                    quick = run_quick_commands(url, slack, user, options.slow_commands + 1)
                    alone = time_one_slow_command(url, slack, user, options.slow_window)
                    slow = run_slow_commands(url, slack, user, options.slow_commands, options.slow_window)
                    slow.update(one_alone=alone, quick_acks=quick)
            finally:
                stop()
    if stats:
        report(stats, isolated, options.events, options.retries, options.workers, options.processes)
    if slow:
        slow_report(slow, options.slow_commands, options.slow_window)


if __name__ == "__main__":
    main()
