"""Shared fixtures: a demo SQLite database made once per session, and PostgreSQL schemas.

PostgreSQL tests need TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test);
without it they skip with that reason. Each PostgreSQL test gets a schema of its own, dropped
afterwards, so tests never see each other's data.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

DEMO_TODAY = date(2026, 11, 19)
DEMO_SEED = 7
DEMO_COMPANIES = 300


@pytest.fixture(scope="session")
def demo_today() -> date:
    return DEMO_TODAY


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory) -> Path:
    """A demo SQLite database (read it, don't change it: use ``demo_db_copy`` to write)."""
    from db.demo import generate
    from db.engine import get_engine

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = get_engine(f"sqlite:///{path}")
    generate(engine, seed=DEMO_SEED, today=DEMO_TODAY, companies=DEMO_COMPANIES)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def demo_db_url(demo_db_path) -> str:
    return f"sqlite:///{demo_db_path}"


@pytest.fixture
def demo_db_copy(demo_db_path, tmp_path) -> str:
    """A private copy of the demo database that a test may change; returns its URL."""
    target = tmp_path / "demo_copy.db"
    shutil.copy(demo_db_path, target)
    for suffix in ("-wal", "-shm"):
        src = Path(str(demo_db_path) + suffix)
        if src.exists():
            shutil.copy(src, Path(str(target) + suffix))
    return f"sqlite:///{target}"


@pytest.fixture
def pg_url():
    """The URL of an empty PostgreSQL schema of this test's own (search_path set in the URL)."""
    from tests.pg import fresh_schema

    with fresh_schema("t", digits=12) as (url, _, _):
        yield url


# the proactive bot's fixtures (refreshed demo databases), shared by its test modules
from tests.proactive_fixtures import refreshed_db, refreshed_db_path, refreshed_pg, scored_db_path  # noqa: E402, F401
