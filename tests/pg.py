"""A PostgreSQL schema of a test's own: created empty, reached through the URL's search_path,
dropped with everything in it afterwards."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest


def pg_base_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip(
            "PostgreSQL tests need TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
    return url


@contextlib.contextmanager
def fresh_schema(
    prefix: str = "t", *, named: bool = False, digits: int = 10
) -> Iterator[tuple[str, str, object]]:
    """(URL, schema, admin engine) of a new schema; ``named``: the URL's connections carry the schema
    as their application_name (so a test can find, or end, the job's sessions)."""
    from sqlalchemy import create_engine, text

    base = pg_base_url()
    schema = f"{prefix}_{uuid.uuid4().hex[:digits]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options={quote(f'-csearch_path={schema}')}" + (
        f"&application_name={schema}" if named else ""
    )
    try:
        yield url, schema, admin
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
