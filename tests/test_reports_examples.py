"""Verified examples (database + chromadb with an offline embedding), feedback, and their CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from crmbot.settings import get_settings
from db.engine import get_engine
from db.models import AnswerFeedback, VerifiedQuestion
from tests.reports_seed import make_small_crm
from tools.reports import examples
from tools.reports.embeddings import HASH_DIMENSIONS, hashed_embedding


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


@pytest.fixture
def crm(tmp_path):
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    engine = get_engine(url)
    make_small_crm(engine)
    yield engine
    engine.dispose()


QUESTIONS = {
    "bookings by rep this quarter": "SELECT 1 AS bookings",
    "which 10 customers owe us the most": "SELECT 2 AS owed",
    "win rate by industry last year": "SELECT 3 AS win_rate",
    "open tickets by priority": "SELECT 4 AS tickets",
}


def test_save_list_similar_remove(crm, data_dir):
    ids = {q: examples.save_verified(crm, q, sql=s, verified_by="slack:U1") for q, s in QUESTIONS.items()}
    query = {"metrics": ["bookings"], "group_by": ["rep"], "time": "this quarter"}
    structured_id = examples.save_verified(crm, "sales per salesperson", query=query)

    listed = examples.list_verified(crm)
    assert [e["id"] for e in listed] == [*ids.values(), structured_id]
    assert listed[0]["verified_by"] == "slack:U1" and listed[-1]["query"] == query

    best = examples.similar("customers that owe the most money", k=2)
    assert best[0]["question"] == "which 10 customers owe us the most"
    assert best[0]["sql"] == "SELECT 2 AS owed" and best[0]["score"] > best[1]["score"]
    assert (
        examples.similar("win rates per industry", k=1, engine=crm)[0]["id"]
        == ids["win rate by industry last year"]
    )
    assert examples.similar("sales per salesperson", k=1)[0]["query"] == query

    assert examples.remove_verified(crm, ids["which 10 customers owe us the most"])
    assert not examples.remove_verified(crm, 12345)
    assert all(
        e["question"] != "which 10 customers owe us the most" for e in examples.similar("customers owe", k=5)
    )
    assert len(examples.list_verified(crm)) == 4


def test_examples_of_another_database_are_filtered_by_engine(crm, data_dir, tmp_path):
    other = get_engine(f"sqlite:///{tmp_path / 'other.db'}")
    make_small_crm(other)
    examples.save_verified(crm, "bookings by rep", sql="SELECT 1")
    examples.save_verified(other, "bookings by rep and month", sql="SELECT 2")
    assert [e["sql"] for e in examples.similar("bookings by rep", k=5, engine=other)] == ["SELECT 2"]
    assert len(examples.similar("bookings by rep", k=5)) == 2


def test_read_only_and_writable_engines_of_a_database_share_its_examples(crm, data_dir, tmp_path):
    examples.save_verified(crm, "bookings by rep", sql="SELECT 1")
    read_only = get_engine(f"sqlite:///{tmp_path / 'crm.db'}", read_only=True)
    assert [e["sql"] for e in examples.similar("bookings by rep", engine=read_only)] == ["SELECT 1"]


def test_reindex_rebuilds_the_search_index_from_the_table(crm, data_dir):
    """Rows changed behind the index's back (a restore, a manual fix) are picked up by reindex."""
    from datetime import datetime

    from sqlalchemy import delete, insert

    stale = examples.save_verified(crm, "bookings by rep", sql="SELECT 1")
    with crm.begin() as conn:
        conn.execute(delete(VerifiedQuestion).where(VerifiedQuestion.id == stale))
        conn.execute(
            insert(VerifiedQuestion).values(
                question="tickets by priority", sql="SELECT 2", created_at=datetime(2026, 1, 1)
            )
        )
    assert examples.similar("bookings by rep", k=1)[0]["sql"] == "SELECT 1"
    assert examples.reindex(crm) == 1
    assert [e["sql"] for e in examples.similar("bookings by rep", k=5)] == ["SELECT 2"]


def test_feedback_is_recorded(crm):
    feedback_id = examples.record_feedback(crm, "bookings by rep", "SELECT 1", "wrong", "slack:U2")
    with crm.connect() as conn:
        row = conn.execute(select(AnswerFeedback).where(AnswerFeedback.id == feedback_id)).one()
    assert (row.question, row.sql, row.verdict, row.user_label) == (
        "bookings by rep",
        "SELECT 1",
        "wrong",
        "slack:U2",
    )
    with pytest.raises(ValueError, match="right"):
        examples.record_feedback(crm, "q", None, "maybe")


def test_missing_project_tables_say_to_upgrade(tmp_path, data_dir):
    bare = get_engine(f"sqlite:///{tmp_path / 'bare.db'}")
    with pytest.raises(examples.ExamplesStoreError, match="crmbot db upgrade"):
        examples.save_verified(bare, "q", sql="SELECT 1")
    with pytest.raises(examples.ExamplesStoreError, match="crmbot db upgrade"):
        examples.record_feedback(bare, "q", None, "wrong")


def test_an_example_needs_a_question_and_an_answer(crm, data_dir):
    with pytest.raises(ValueError):
        examples.save_verified(crm, "  ", sql="SELECT 1")
    with pytest.raises(ValueError):
        examples.save_verified(crm, "bookings")
    with crm.connect() as conn:
        assert conn.execute(select(func.count()).select_from(VerifiedQuestion)).scalar_one() == 0


def test_hashed_embedding_is_deterministic_normalised_and_meaningful():
    a = hashed_embedding("bookings by rep this quarter")
    assert a == hashed_embedding("bookings by rep this quarter")
    assert len(a) == HASH_DIMENSIONS
    assert sum(v * v for v in a) == pytest.approx(1.0)

    def cosine(x, y):
        return sum(p * q for p, q in zip(x, y, strict=True))

    near = cosine(a, hashed_embedding("bookings per rep last quarter"))
    far = cosine(a, hashed_embedding("open support tickets by priority"))
    assert near > 0.5 > far
    assert hashed_embedding("") == [0.0] * HASH_DIMENSIONS


def test_similar_without_a_store_does_not_import_chromadb(tmp_path):
    code = (
        "import sys; from tools.reports.examples import similar; "
        "assert similar('bookings by rep') == []; print('chromadb' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"CRMBOT_DATA_DIR": str(tmp_path / "none"), "PATH": "/usr/bin:/bin"},
        cwd=str(__import__("pathlib").Path(__file__).parents[1]),
        check=True,
    )
    assert out.stdout.strip() == "False"


def test_examples_cli_add_list_remove(crm, data_dir):
    from bot.cli import app

    url = str(crm.url)
    runner = CliRunner()
    added = runner.invoke(
        app,
        [
            "examples",
            "add",
            "bookings by rep",
            "--sql",
            "SELECT owner_id, SUM(amount) FROM deals GROUP BY owner_id",
            "--db",
            url,
        ],
    )
    assert added.exit_code == 0, added.output
    refused = runner.invoke(app, ["examples", "add", "wipe", "--sql", "DELETE FROM deals", "--db", url])
    assert refused.exit_code == 2 and "Only SELECT" in refused.output
    listed = runner.invoke(app, ["examples", "list", "--json", "--db", url])
    entries = json.loads(listed.output)
    assert [e["question"] for e in entries] == ["bookings by rep"]
    removed = runner.invoke(app, ["examples", "remove", str(entries[0]["id"]), "--db", url])
    assert removed.exit_code == 0 and "Removed" in removed.output
    again = runner.invoke(app, ["examples", "remove", str(entries[0]["id"]), "--db", url])
    assert again.exit_code == 1 and "no verified question" in again.output
