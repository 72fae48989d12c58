"""The report engine on questions it was not tuned on, on a database it was not tuned on.

tests/eval/nlq_holdout.jsonl holds hand-written questions (gold SQL from DATA_CONTRACT.md) about a
demo made with other parameters than the dev one (seed 99, 1,500 companies, today 2026-07-01):
other names, sizes and dates, and "today" values at quarter and year boundaries. Every question
goes the way `crmbot ask --json` goes (bot.router.handle, then bot.render.to_data), in-process;
answers are compared with the shared eval's own functions. The entity names in the questions
exist only in a demo of this size and seed, so the demo is made here at that size.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

HERE = Path(__file__).parent
HOLDOUT = HERE / "eval" / "nlq_holdout.jsonl"
HOLDOUT_SEED, HOLDOUT_TODAY, HOLDOUT_COMPANIES = 99, date(2026, 7, 1), 1500
MIN_ACCURACY = 0.95

sys.path.insert(0, str(HERE / "eval"))
import run_inprocess  # noqa: E402  (tests/eval is not a package)


@pytest.fixture(scope="module")
def evaluation():
    module = run_inprocess.load_eval_module()
    if module is None:
        pytest.skip(f"the shared eval script is not at {run_inprocess.EVAL_PATH}")
    return module


@pytest.fixture(scope="module")
def holdout_db(tmp_path_factory) -> Path:
    """The holdout demo, with customer insights computed so health/churn/LTV questions have data."""
    from db.demo import generate
    from db.engine import get_engine

    path = tmp_path_factory.mktemp("holdout") / "holdout.db"
    engine = get_engine(f"sqlite:///{path}")
    generate(engine, seed=HOLDOUT_SEED, today=HOLDOUT_TODAY, companies=HOLDOUT_COMPANIES)
    from tools.insights.job import refresh

    refresh(engine, HOLDOUT_TODAY, models_dir=path.parent / "models")
    engine.dispose()
    return path


def test_holdout_questions_are_answered_and_refused(holdout_db, evaluation):
    items = [json.loads(line) for line in HOLDOUT.read_text().splitlines() if line.strip()]
    assert len(items) >= 80

    score = run_inprocess.score(holdout_db, items, evaluation)

    report = score.summary() + "".join(f"\n  {line}" for line in score.failures)
    assert score.accuracy >= MIN_ACCURACY, report
    assert score.refused_ok == score.refusals, report
    assert score.db_unchanged, report
