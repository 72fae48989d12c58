"""Score a questions file in-process: the same path as `crmbot ask --json`, without a process per question.

Each question goes through bot.router.handle with a Context and bot.render.to_data, exactly what
the CLI does; the comparison and the database fingerprint are the shared eval's own functions
(/work/shared/eval/nlq_eval.py, or $NLQ_EVAL), loaded with importlib.

Usage: python tests/eval/run_inprocess.py DB_PATH QUESTIONS.jsonl [-v]
"""

from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

EVAL_PATH = Path(os.environ.get("NLQ_EVAL", "/work/shared/eval/nlq_eval.py"))


def load_eval_module():
    """The shared eval script as a module, or None when it is not on this machine."""
    if not EVAL_PATH.exists():
        return None
    spec = importlib.util.spec_from_file_location("nlq_eval", EVAL_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Score:
    answered_ok: int = 0
    answered: int = 0
    refused_ok: int = 0
    refusals: int = 0
    db_unchanged: bool = True
    failures: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.answered_ok / self.answered if self.answered else 0.0

    def summary(self) -> str:
        return (
            f"nlq accuracy: {self.answered_ok}/{self.answered} ({100 * self.accuracy:.1f}%), "
            f"refusals: {self.refused_ok}/{self.refusals}, db unchanged: {self.db_unchanged}"
        )


def ask(question: str, db_url: str, today: date) -> dict:
    """What `crmbot ask --json` prints for ``question``."""
    from bot.cli.common import cli_actor
    from bot.conversation import Context
    from bot.render import to_data
    from bot.router import handle
    from db.engine import get_engine

    actor = cli_actor(None, get_engine(db_url, read_only=True))
    ctx = Context(db_url=db_url, today=today, actor=actor, channel="cli")
    reply = handle(question, ctx)
    return {"question": question, **json.loads(json.dumps(to_data(reply.result), default=str))}


def score(db_path: str | Path, items: list[dict], evaluation, verbose: bool = False) -> Score:
    db_path = str(Path(db_path).resolve())
    db_url = f"sqlite:///{db_path}"
    before = evaluation.db_fingerprint(db_path)
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    gold = {it["id"]: con.execute(it["gold_sql"]).fetchall() for it in items if "gold_sql" in it}
    con.close()
    result = Score()
    for it in items:
        out = ask(it["question"], db_url, date.fromisoformat(it["today"]))
        if it.get("expect") == "refuse":
            result.refusals += 1
            good, why = bool(out.get("refused")), f"not refused: {out.get('interpretation')}"
            result.refused_ok += good
        else:
            result.answered += 1
            if out.get("refused"):
                good, why = False, f"refused: {out.get('reason') or out.get('answer')}"
            else:
                good, why = evaluation.compare(
                    gold[it["id"]], out.get("rows") or [], it.get("ordered", False)
                )
                why = f"{why} | {out.get('interpretation')}"
            result.answered_ok += good
        if not good:
            result.failures.append(f"{it['id']} {it['question']!r}: {why}")
        if verbose:
            print(("ok   " if good else "FAIL ") + f"{it['id']} {it['question']!r} {'' if good else why}")
    result.db_unchanged = evaluation.db_fingerprint(db_path) == before
    return result


def main() -> int:
    evaluation = load_eval_module()
    if evaluation is None:
        print(f"no eval script at {EVAL_PATH}")
        return 2
    db_path, questions = sys.argv[1], sys.argv[2]
    items = [json.loads(line) for line in Path(questions).read_text().splitlines() if line.strip()]
    outcome = score(db_path, items, evaluation, verbose="-v" in sys.argv)
    for line in outcome.failures:
        print("FAIL", line)
    print(outcome.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
