"""`crmbot serve --http` as a real subprocess for the API tests, and a small HTTP client for it.

The server is the installed command line, started with its own environment (a data folder,
the mock Slack's URL, the limits a test wants) and stopped with SIGTERM, as a person runs it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

SLACK_SECRET = "api-test-signing-secret"
TODAY = "2026-11-19"


def crmbot_command() -> list[str]:
    script = Path(sys.executable).with_name("crmbot")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from bot.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_environment(data_dir: Path, **extra: str) -> dict[str, str]:
    drop = ("SLACK_APP_TOKEN", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "OPENAI_BASE_URL", "OPENAI_MODEL")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("CRMBOT_")}
    env["CRMBOT_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


def make_key(db_url: str, email: str, env: dict, name: str = "tests") -> str:
    """`crmbot api-key create --as EMAIL`: the key is the last line it prints."""
    done = subprocess.run(
        [*crmbot_command(), "api-key", "create", "--as", email, "--name", name, "--db", db_url],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


@dataclass
class Server:
    process: subprocess.Popen
    base: str
    log_path: Path

    def request(
        self, method: str, path: str, *, key: str | None = None, body=None, headers: dict | None = None
    ) -> Response:
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if key:
            req.add_header("Authorization", f"Bearer {key}")
        for name, value in (headers or {}).items():
            req.add_header(name, value)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return Response(resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read())
        except urllib.error.HTTPError as exc:
            return Response(exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read())

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, body=None, **kw) -> Response:
        return self.request("POST", path, body=body, **kw)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode


def start_server(db_url: str, env: dict, log_path: Path, workers: int = 1) -> Server:
    """`crmbot serve --http` on a free port; returns once /api/health answers 200."""
    port = free_port()
    command = [*crmbot_command(), "serve", "--http", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), "--db", db_url, "--today", TODAY]
    log_file = log_path.open("wb")
    process = subprocess.Popen(
        command, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
    )
    server = Server(process, f"http://127.0.0.1:{port}", log_path)
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise AssertionError(f"crmbot serve exited with {process.returncode}:\n{server.log()}")
        try:
            if server.get("/api/health").status == 200:
                return server
        except OSError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise AssertionError(f"crmbot serve did not answer in time:\n{server.log()}")
        time.sleep(0.1)
