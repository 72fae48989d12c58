"""Run hostile SQL through `crmbot sql --json` in this process, and report time and peak memory.

``python -m tests.sql_abuse_child DB_URL`` reads a JSON list of SQL strings on stdin and prints
one JSON object: for each query its seconds, exit code, the parsed answer (refused, reason,
rows, truncated, answer) and this process's peak RSS so far; the test that starts it checks
the bounds. One process runs them all, so the peak covers every case (each case's own growth
shows in ``peak_mb`` after it).
"""

from __future__ import annotations

import contextlib
import io
import json
import resource
import sys
import time


def peak_mb() -> float:
    """This process's peak resident memory. On Linux the kernel's high-water mark of this
    program's own memory (VmHWM): ``ru_maxrss`` also counts the parent's peak, because a child
    started with vfork and exec inherits it, so under a large pytest process it reports pytest."""
    with contextlib.suppress(OSError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    import typer.main

    from bot.cli import app

    url = sys.argv[1]
    queries = json.load(sys.stdin)
    command = typer.main.get_command(app)
    report = []
    for sql in queries:
        out = io.StringIO()
        started = time.monotonic()
        code = 0
        with contextlib.redirect_stdout(out):
            try:  # a typer.Exit comes back as the return value under standalone_mode=False
                code = command.main(["sql", "--db", url, "--json", sql], standalone_mode=False) or 0
            except SystemExit as exc:
                code = exc.code or 0
            except Exception as exc:  # noqa: BLE001 - report it: the test fails on it with its name
                code = f"{type(exc).__name__}: {exc}"[:300]
        seconds = time.monotonic() - started
        text = out.getvalue()
        try:
            data = json.loads(text)
        except ValueError:
            data = {"unparsed": text[:300]}
        report.append(
            {
                "seconds": round(seconds, 2),
                "code": code,
                "refused": data.get("refused"),
                "reason": data.get("reason"),
                "rows": len(data.get("rows") or []),
                "truncated": data.get("truncated"),
                "answer": data.get("answer"),
                "json_bytes": len(text),
                "peak_mb": peak_mb(),
            }
        )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
