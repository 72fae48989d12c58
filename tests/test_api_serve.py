"""`crmbot serve --http` refuses to start, with one clear line and exit status 2, when it cannot serve."""

from __future__ import annotations

import socket
import subprocess

from sqlalchemy import text

from tests.api_server import base_environment, crmbot_command, free_port


def serve(db_url: str, env: dict, port: int) -> subprocess.CompletedProcess:
    command = [
        *crmbot_command(),
        "serve",
        "--http",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--db",
        db_url,
    ]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def test_serve_says_what_is_wrong_and_does_not_start(demo_db_copy, tmp_path):
    env = base_environment(tmp_path / "data")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = serve(demo_db_copy, env, busy.getsockname()[1])
    assert taken.returncode == 2 and "Cannot listen on 127.0.0.1:" in taken.stderr

    bad_rate = serve(demo_db_copy, {**env, "CRMBOT_API_RATE_LIMIT": "lots"}, free_port())
    assert bad_rate.returncode == 2 and "'lots' is not a rate" in bad_rate.stderr

    no_secret = serve(demo_db_copy, {**env, "SLACK_BOT_TOKEN": "xoxb-x"}, free_port())
    assert no_secret.returncode == 2 and "SLACK_SIGNING_SECRET" in no_secret.stderr

    from db.engine import get_engine

    engine = get_engine(demo_db_copy)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE crmbot_api_keys"))
    engine.dispose()
    old = serve(demo_db_copy, env, free_port())
    assert old.returncode == 2 and "crmbot db upgrade" in old.stderr
    for done in (taken, bad_rate, no_secret, old):
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
