"""What a client may not do to the server: send too much (413), stall (408 / closed, others still
answered), or ask too often (429). `crmbot serve --http` as a subprocess with tight limits."""

from __future__ import annotations

import json
import shutil
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text

from tests.api_server import SLACK_SECRET, base_environment, make_key, start_server
from tests.slack_mock import MockSlack
from tests.test_slack import sign

RATE = 5  # requests a minute per key
TEN_MB = 10 * 1024 * 1024
MAX_BODY = 64 * 1024
BODY_TIMEOUT_S = 2
HEADER_TIMEOUT_S = 2


@pytest.fixture(scope="module")
def served(demo_db_path, tmp_path_factory):
    from db.engine import get_engine

    folder = tmp_path_factory.mktemp("api_limits")
    shutil.copy(demo_db_path, folder / "demo.db")
    db_url = f"sqlite:///{folder / 'demo.db'}"
    engine = get_engine(db_url)
    with engine.connect() as conn:
        emails = (
            conn.execute(text("SELECT email FROM users WHERE active ORDER BY id LIMIT 2")).scalars().all()
        )
    engine.dispose()
    with MockSlack() as slack:
        env = base_environment(
            folder / "data",
            SLACK_BOT_TOKEN=slack.bot_token,
            SLACK_SIGNING_SECRET=SLACK_SECRET,
            SLACK_API_URL=slack.api_url,
            CRMBOT_API_RATE_LIMIT=f"{RATE}/minute",
            CRMBOT_HTTP_MAX_BODY_BYTES=str(MAX_BODY),
            CRMBOT_HTTP_BODY_TIMEOUT_S=str(BODY_TIMEOUT_S),
            CRMBOT_HTTP_HEADER_TIMEOUT_S=str(HEADER_TIMEOUT_S),
        )
        keys = [make_key(db_url, email, env) for email in emails]
        server = start_server(db_url, env, folder / "serve.log", workers=2)
        try:
            yield server, keys
        finally:
            server.stop()


def _connect(server) -> socket.socket:
    host, port = server.base.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def _read_response(sock: socket.socket, timeout_s: float = 10.0) -> bytes:
    sock.settimeout(timeout_s)
    chunks = []
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    except (ConnectionResetError, TimeoutError):
        pass
    return b"".join(chunks)


def _status(raw: bytes) -> int:
    return int(raw.split(b" ", 2)[1]) if raw.startswith(b"HTTP/1.1 ") else 0


def _send_big_body(server, path: str, key: str | None, *, chunked: bool) -> bytes:
    """A 10 MB body (declared, or chunked without a length); the response, read as the server sends it."""
    sock = _connect(server)
    head = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
    if key:
        head.append(f"Authorization: Bearer {key}")
    head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {TEN_MB}")
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
    block = b"x" * 65536
    sent = 0
    try:
        while sent < TEN_MB:
            sock.sendall(b"%x\r\n%s\r\n" % (len(block), block) if chunked else block)
            sent += len(block)
        if chunked:
            sock.sendall(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered and closed before the whole body was sent: what we want
    raw = _read_response(sock)
    sock.close()
    return raw


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("path", ["/api/crm/reports/ask", "/slack/events"])
def test_a_10_mb_body_gets_413(served, path, chunked):
    server, keys = served
    started = time.monotonic()
    raw = _send_big_body(server, path, keys[1], chunked=chunked)
    assert _status(raw) == 413, raw[:300]
    head, _, body = raw.partition(b"\r\n\r\n")
    assert b"application/problem+json" in head.lower()
    assert json.loads(body)["detail"].startswith("The request body is larger than 65,536 bytes")
    assert time.monotonic() - started < 10
    assert server.get("/api/health").status == 200


def test_a_client_that_stalls_does_not_hold_the_server(served):
    server, keys = served
    stalled = []
    for _ in range(40):  # more stalled clients than the thread pool and both workers' patience
        sock = _connect(server)
        sock.sendall(
            b"POST /api/crm/reports/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer " + keys[1].encode() + b'\r\nContent-Length: 100\r\n\r\n{"quest'
        )
        stalled.append(sock)
    half_headers = _connect(server)
    half_headers.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")

    def timed_health(_):
        started = time.monotonic()
        response = server.get("/api/health")
        return response.status, time.monotonic() - started

    with ThreadPoolExecutor(max_workers=5) as pool:
        answers = list(pool.map(timed_health, range(10)))
    assert all(status == 200 for status, _ in answers), answers
    assert max(seconds for _, seconds in answers) < 1.0, answers
    # signed Slack events are answered meanwhile too (401 here: signed with another secret)
    body = b'{"type":"event_callback"}'
    assert server.post("/slack/events", body, headers=sign(body, secret="other")).status == 401

    raw = _read_response(stalled[0], timeout_s=BODY_TIMEOUT_S + 5)
    assert _status(raw) == 408, raw[:200]
    assert b"did not arrive in time" in raw
    assert _read_response(half_headers, timeout_s=HEADER_TIMEOUT_S + 5) == b""  # closed, nothing sent
    for sock in [*stalled, half_headers]:
        sock.close()


def test_each_key_has_its_rate_limit(served):
    server, keys = served
    # two workers count on their own (memory storage): within 2 x RATE requests the limit shows
    statuses, retry_after = [], None
    for _ in range(2 * RATE + 1):
        response = server.get("/api/crm/leads/1/score", key=keys[0])
        statuses.append(response.status)
        if response.status == 429:
            retry_after = int(response.headers["retry-after"])
            problem = response.json
            assert problem["status"] == 429 and "Too many requests" in problem["detail"]
            break
    assert statuses[-1] == 429 and set(statuses[:-1]) == {200}, statuses
    assert RATE <= len(statuses) - 1 <= 2 * RATE and 1 <= retry_after <= 60
    assert server.get("/api/health").status == 200  # health takes no key and is never limited
